"""mclinks: Minamata Convention decisions as a validated, citable RDF graph."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mclinks")  # one version source: pyproject.toml
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0.0.0+unknown"
