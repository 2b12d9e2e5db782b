"""void.ttl meets the DCAT-AP 3 requirements (tests/vocab/dcat-ap-3-mandatory.ttl),
checked by pySHACL on the description a real build publishes."""
from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import DCAT, RDF

pytestmark = pytest.mark.pyshacl
SHAPES = Path(__file__).resolve().parents[1] / "vocab" / "dcat-ap-3-mandatory.ttl"


@pytest.fixture(scope="module")
def void(built_root: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(built_root / "dist" / "current" / "void.ttl", format="turtle")


def _validate(g: rdflib.Graph) -> tuple[bool, str]:
    conforms, _graph, text = pyshacl.validate(g, shacl_graph=rdflib.Graph().parse(SHAPES, format="turtle"))
    return bool(conforms), str(text)


def test_void_meets_dcat_ap_3_regression(void: rdflib.Graph) -> None:
    """void.ttl lacked accessURL, publisher, typed licence and media types, and had byteSize as xsd:integer."""
    conforms, text = _validate(void)
    assert conforms, text
    distributions = set(void.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == 5 and set(void.subjects(RDF.type, DCAT.Catalog))


def test_shapes_report_old_void_defects(void: rdflib.Graph) -> None:
    """The shapes can fail: what void.ttl had before (downloadURL only, byteSize as xsd:integer) is reported."""
    broken = rdflib.Graph()
    for t in void:
        broken.add(t)
    dist = next(iter(broken.subjects(RDF.type, DCAT.Distribution)))
    broken.remove((dist, DCAT.accessURL, None))
    size = broken.value(dist, DCAT.byteSize)
    broken.set((dist, DCAT.byteSize, rdflib.Literal(int(size))))  # xsd:integer
    conforms, text = _validate(broken)
    assert not conforms
    assert "accessURL" in text and "nonNegativeInteger" in text
