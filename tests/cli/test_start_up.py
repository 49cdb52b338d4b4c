"""Start-up of the command line, counted, not timed: what the console entry point (``lrcli.cli``,
see ``[project.scripts]``) and a few short runs import. The Python API and the image formats
live beside it and must not load their libraries into it (matplotlib for images is checked in
tests/render/test_images.py)."""

import subprocess
import sys

import pytest

HEAVY = ("numpy", "rich", "plotext", "matplotlib", "pandas")
"""Libraries that cost tens of milliseconds or more to import (FACTS.md): only where output needs them."""

ENTRY_MODULES_BEYOND_TYPER = 60
"""Modules the entry point may load beyond what ``import typer`` loads alone. Measured when this
bound was set: 144 modules after ``import typer``, 189 after ``import lrcli.cli`` (42 of them
lrcli's own), 197 after ``lrcli --help``. NumPy alone is over a hundred, Rich dozens."""


def loaded(code: str) -> tuple[int, set[str]]:
    """How many modules a fresh interpreter holds after ``code``, and which of :data:`HEAVY`."""
    report = (
        "import sys; sys.stdout.flush()\n"
        "print(len(sys.modules), *sorted({name.split('.')[0] for name in sys.modules}), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\n{report}"], capture_output=True, text=True, timeout=60, check=True
    )
    count, *names = done.stderr.splitlines()[-1].split()
    return int(count), set(names) & set(HEAVY)


def command(*args: str) -> str:
    """Code that runs ``lrcli ARGS`` in-process and checks its exit code."""
    return f"from lrcli.cli import run\ncode = run({list(args)!r})\nassert code == 0, code"


@pytest.mark.slow
def test_the_entry_point_loads_few_modules_beyond_typer_and_no_heavy_library():
    typer_alone, _ = loaded("import typer")
    entry, heavy = loaded("import lrcli.cli")
    assert heavy == set()
    assert typer_alone < entry <= typer_alone + ENTRY_MODULES_BEYOND_TYPER, (typer_alone, entry)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["--help"], set()),
        (["step", "--help"], set()),
        (["config", "--help"], set()),
        (["step", "--step-size", "3", "-f", "csv"], set()),
        (["step", "--step-size", "3", "-f", "json"], set()),
        (["step", "--step-size", "3", "-f", "plot"], {"plotext"}),
        (["step", "--step-size", "3"], {"rich"}),  # the table, drawn by Rich
    ],
)
def test_short_runs_load_only_what_their_output_needs(args, allowed):
    count, heavy = loaded(command(*args))
    assert heavy == allowed, args
    if args == ["--help"]:
        typer_alone, _ = loaded("import typer")
        assert count <= typer_alone + ENTRY_MODULES_BEYOND_TYPER + 20, (typer_alone, count)
