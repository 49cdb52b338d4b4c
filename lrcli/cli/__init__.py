"""The command line: a thin Typer layer over the registry, the engine and the renderers."""

from lrcli.cli.app import app, main, run

__all__ = ["app", "main", "run"]
