"""The command line: a thin Typer layer over the registry, the engine and the renderers."""

from lrcli.cli.app import main, make_app, run

__all__ = ["main", "make_app", "run"]
