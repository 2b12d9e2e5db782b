"""A deterministic synthetic corpus for benchmarks: decision texts in English
and French with citations of every kind, each with its sidecar metadata,
laid out as a project root that `build_graph` reads like the real one."""
from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

_EN_ORD = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
_TOPICS_EN = ["capacity-building and technical assistance", "mercury waste", "cooperation with the Basel, Rotterdam and "
              "Stockholm conventions", "shared services and cost recovery", "regional centres", "effectiveness evaluation"]
_TOPICS_FR = ["renforcement des capacités et assistance technique", "déchets de mercure", "coopération avec les "
              "conventions de Bâle, de Rotterdam et de Stockholm", "partage des services et recouvrement des coûts",
              "centres régionaux", "évaluation de l’efficacité"]


def _decision(rng: random.Random, meeting: int, number: int, french: bool, paragraphs: int) -> str:
    earlier = [(rng.randint(1, max(1, meeting - 1)), rng.randint(1, 30)) for _ in range(3)] if meeting > 1 else [(1, 1)] * 3
    brs = rng.choice(["BC", "RC", "SC"])  # sessions 1-5: all held before any Minamata COP
    art, para = rng.randint(1, 35), rng.randint(1, 5)
    year = 2016 + 2 * (meeting % 8)
    topic = rng.randrange(len(_TOPICS_EN))
    if french:
        lines = [f"Décision MC-{meeting}/{number} : {_TOPICS_FR[topic].capitalize()}", "", "La Conférence des Parties,", "",
                 f"Rappelant ses décisions MC-{earlier[0][0]}/{earlier[0][1]} et MC-{earlier[1][0]}/{earlier[1][1]},", "",
                 f"Rappelant également la résolution {rng.randint(1, 2)}/{rng.randint(1, 20)} de l’Assemblée des Nations Unies "
                 "pour l’environnement sur la gestion rationnelle des produits chimiques et des déchets,", "",
                 f"Prenant note du paragraphe {para} de l’article {art} de la Convention et de la décision {brs}-{rng.randint(1, 5)}/"
                 f"{rng.randint(1, 30)},", ""]
        for i in range(1, paragraphs + 1):
            if i % 3 == 1:
                lines.append(f"{i}. Prend note de l’annexe I du document UNEP/MC/COP.{meeting}/{rng.randint(1, 40)} sur les "
                             f"{_TOPICS_FR[(topic + i) % 6]} ;")
            elif i % 3 == 2:
                lines.append(f"{i}. Prie le secrétariat, sous réserve de la disponibilité de ressources, de faire rapport à la "
                             f"Conférence des Parties à sa prochaine réunion sur les activités menées pendant la période "
                             f"biennale {year}-{year + 1} avec les centres régionaux ;")
            else:
                lines.append(f"{i}. Invite les Parties à tenir compte de la décision MC-{earlier[2][0]}/{earlier[2][1]} et "
                             "du recouvrement des coûts pour les services partagés ;")
            lines.append("")
    else:
        lines = [f"Decision MC-{meeting}/{number}: {_TOPICS_EN[topic].capitalize()}", "", "The Conference of the Parties,", "",
                 f"Recalling its decisions MC-{earlier[0][0]}/{earlier[0][1]} and MC-{earlier[1][0]}/{earlier[1][1]},", "",
                 f"Recalling also United Nations Environment Assembly resolution {rng.randint(1, 2)}/{rng.randint(1, 20)} "
                 "on the sound management of chemicals and waste,", "",
                 f"Noting paragraph {para} of article {art} of the Convention and decision {brs}-{rng.randint(1, 5)}/"
                 f"{rng.randint(1, 30)},", ""]
        for i in range(1, paragraphs + 1):
            if i % 3 == 1:
                lines.append(f"{i}. Takes note of annex I to document UNEP/MC/COP.{meeting}/{rng.randint(1, 40)} on "
                             f"{_TOPICS_EN[(topic + i) % 6]};")
            elif i % 3 == 2:
                lines.append(f"{i}. Requests the secretariat, subject to the availability of resources, to report to the "
                             f"Conference of the Parties at its next meeting on activities carried out in the biennium "
                             f"{year}–{year + 1} with the regional centres;")
            else:
                lines.append(f"{i}. Invites Parties to take into account decision MC-{earlier[2][0]}/{earlier[2][1]} and "
                             "cost recovery for shared services;")
            lines.append("")
    return "\n".join(lines)


def _add_meetings(meetings_tsv: Path, last: int) -> dict[int, str]:
    """Synthetic Minamata COPs up to ``last`` in the copied registry (metadata names only the
    registry's meetings), two years apart after the last real one; the last day of each COP."""
    lines = meetings_tsv.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    known = {int(m.group(1)) for line in lines[1:] if (m := re.match(r"Minamata COP\tCOP-(\d+)\b", line))}
    first_new = max(known) + 1 if known else 1
    rows = []
    for n in range(first_new, last + 1):
        year = 2025 + 2 * (n - first_new + 1)
        values = {"body": "Minamata COP", "meeting": f"COP-{n}", "number": str(n), "start_date": f"{year}-11-01",
                  "end_date": f"{year}-11-05", "place": "Geneva, Switzerland", "status": "unconfirmed",
                  "source": "synthetic benchmark corpus", "note": ""}
        rows.append("\t".join(values.get(column, "") for column in header))
    if rows:
        meetings_tsv.write_text("\n".join(lines + rows) + "\n", encoding="utf-8")
    ends: dict[int, str] = {}
    for line in lines[1:] + rows:
        cells = dict(zip(header, line.split("\t")))
        if cells.get("body") == "Minamata COP" and (m := re.match(r"COP-(\d+)", cells.get("meeting", ""))):
            ends[int(m.group(1))] = max(ends.get(int(m.group(1)), ""), cells.get("end_date", ""))
    return ends


MAX_MEETINGS = 99  # the symbol grammar's largest meeting number (MC-99/n): a 10M corpus needs 145 decisions a meeting


def write_corpus(root: Path, project: Path, documents: int, paragraphs: int = 9, seed: int = 2017) -> int:
    """A project root at ``root`` with ``documents`` synthetic decisions; returns bytes of text written."""
    if root.exists():
        shutil.rmtree(root)
    sources = root / "data" / "sources"
    sources.mkdir(parents=True)
    shutil.copytree(project / "data" / "registry", root / "data" / "registry")
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(project / name, root / name)
    (root / "pyproject.toml").write_text("[project]\nname = 'synthetic'\n")
    per_meeting = max(30, -(-documents // MAX_MEETINGS))  # 30 as real COPs adopt, more when the corpus needs it
    dates = _add_meetings(root / "data" / "registry" / "meetings.tsv", 1 + (documents - 1) // per_meeting)
    rng = random.Random(seed)
    total = 0
    for i in range(documents):
        meeting, number = 1 + i // per_meeting, 1 + i % per_meeting
        french = i % 2 == 1
        text = _decision(rng, meeting, number, french, paragraphs)
        name = f"MC-{meeting}-{number}.{'fr' if french else 'en'}"
        (sources / f"{name}.txt").write_text(text, encoding="utf-8")
        meta = {"symbol": f"MC-{meeting}/{number}", "kind": "decision", "language": "fr" if french else "en",
                "instrument": "minamata", "body": "minamata-cop", "meeting": f"MC-COP-{meeting}",
                "title": {"fr" if french else "en": text.split(":", 1)[1].splitlines()[0].strip()},
                "date": dates.get(meeting) or None, "source": "synthetic benchmark corpus"}
        (sources / f"{name}.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total
