"""Carries the project's own folders into the wheel: mclinks/_bundled/{ontology,shapes,queries,data}.

pyproject.toml holds everything else; this hook only copies folders that live beside src/ (the
design card fixes them at the top level) so that an installed wheel can build, validate and serve.
``mclinks.resources`` reads them; its PROJECT_FOLDERS is the list.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

FOLDERS = ("ontology", "shapes", "queries", "data")  # = mclinks.resources.PROJECT_FOLDERS (a test compares)


class BundleProjectFolders(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads the checkout itself
            return
        target = Path(self.build_lib) / "mclinks" / "_bundled"
        for name in FOLDERS:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(Path(name), target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BundleProjectFolders})
