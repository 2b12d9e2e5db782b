"""``python -m mclinks``: the same commands as the ``mclinks`` script."""
from .cli import main

main()
