"""What every golden script shares: the folders of tests/data/, the CSV a case is written as, each
family's manifest.json and the --only option. Standard library only: each oracle environment
imports it.

tests/data/golden/FAMILY/ holds a CSV per case beside manifest.json: ``versions`` (the libraries
that computed them) and one entry per case (``cases``; diffusers' also ``refusals``, the logs'
``logs``). tests/data/configs/ holds the OpenMMLab configs cases read and tests/data/metrics/ the
metric files plateau cases read; in a case's lrcli arguments ``{configs}`` and ``{metrics}`` stand
for those folders.
"""

from __future__ import annotations

import argparse
import csv
import json
import pathlib
from collections.abc import Iterable

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
GOLDEN = DATA / "golden"
CONFIGS = DATA / "configs"
METRICS = DATA / "metrics"
COMMAND_FAMILIES = ("torch", "transformers", "timm", "mmengine")
"""The families whose cases are lrcli command lines (their manifests map a case to its arguments)."""
ENGINE_FAMILIES = ("mmcv", "ultralytics")
"""The families whose ``cases`` run lrcli's engine, and whose ``commands`` are lrcli command lines
(their manifests map those to their arguments)."""


def folder(family: str) -> pathlib.Path:
    """The golden folder of ``family``."""
    return GOLDEN / family


def expand(argument: str) -> str:
    """An argument of a case with ``{configs}`` and ``{metrics}`` made the folders' paths."""
    return argument.replace("{configs}", str(CONFIGS)).replace("{metrics}", str(METRICS))


def manifest(family: str) -> dict:
    """``family``'s manifest.json as it stands."""
    return json.loads((folder(family) / "manifest.json").read_text())


def read_manifest(family: str, *sections: str) -> dict:
    """The manifest to update: as it stands, or empty ``sections`` (``cases`` by default)."""
    path = folder(family) / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else {section: {} for section in sections or ("cases",)}


HAND_WRITTEN = ("lrcli",)
"""The keys of a case written by hand, which a script keeps when it writes the case again: the
lrcli arguments of a case whose script runs the library alone (tests/golden/test_frameworks.py
runs them)."""


def by_hand(document: dict, case: str) -> dict:
    """The hand-written keys of ``case`` in the manifest ``document``."""
    held = document["cases"].get(case, {})
    return {key: held[key] for key in HAND_WRITTEN if key in held}


def write_manifest(family: str, document: dict) -> None:
    """``document`` as ``family``'s manifest.json, every section but ``versions`` sorted by name."""
    for key, value in document.items():
        if key != "versions" and isinstance(value, dict):
            document[key] = dict(sorted(value.items()))
    (folder(family) / "manifest.json").write_text(json.dumps(document, indent=1) + "\n")


def write_csv(path: pathlib.Path, header: list[str], rows: Iterable[list], index: int = 1) -> None:
    """``rows`` under ``header``, lines ending in a newline: the first ``index`` cells of a row as
    they are (counts), the others as their repr, the shortest text that reads back as the same float."""
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([*row[:index], *map(repr, row[index:])] for row in rows)


def parser(description: str) -> argparse.ArgumentParser:
    """A command line with ``--only NAME…`` (write only these cases); ``description``: the module's
    docstring, whose first line is shown."""
    arguments = argparse.ArgumentParser(description=description.splitlines()[0])
    arguments.add_argument("--only", nargs="+", metavar="NAME", help="write only these cases")
    return arguments


def chosen(only: list[str] | None, *groups: dict) -> list[dict]:
    """Each group of cases cut to those --only names (whole without it); a name that is no case of
    any group is refused."""
    unknown = sorted(set(only or ()).difference(*groups))
    if unknown:
        raise SystemExit(f"Error: no such case: {', '.join(unknown)}")
    return [{name: case for name, case in group.items() if not only or name in only} for group in groups]
