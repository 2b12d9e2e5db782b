"""mclinks: Minamata Convention decisions as a validated, citable RDF graph."""

__version__ = "0.1.0"
