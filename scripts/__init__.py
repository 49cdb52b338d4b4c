"""The maintainers' scripts, run by hand from the repository's root (``python scripts/NAME.py``, or
``python -m scripts.golden.FAMILY`` for the golden data). A package so that the tests import what
they share with a script (``from scripts import readme_examples``) instead of loading files by path."""
