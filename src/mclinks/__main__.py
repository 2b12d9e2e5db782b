"""``python -m mclinks``: the same commands as the ``mclinks`` script."""
from mclinks.cli import main

main()
