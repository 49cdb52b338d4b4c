"""Every golden case, produced by real torch (scripts/golden/, the command-line families), must come out
equal as floats."""

import csv

import pytest

from scripts.golden.harness import COMMAND_FAMILIES, ENGINE_FAMILIES, expand, folder, manifest

MANIFESTS = {family: manifest(family) for family in COMMAND_FAMILIES}
COMMANDS = {family: manifest(family)["commands"] for family in ENGINE_FAMILIES}
"""The command lines of the families whose cases run the engine."""
ARGUMENTS = {name: arguments for document in MANIFESTS.values() for name, arguments in document["cases"].items()}
ARGUMENTS.update({name: arguments for commands in COMMANDS.values() for name, arguments in commands.items()})
GOLDEN = {name: folder(family) for family, document in MANIFESTS.items() for name in document["cases"]}
GOLDEN.update({name: folder(family) for family, commands in COMMANDS.items() for name in commands})
"""Each case's folder: its family's."""


def read_rows(text: str) -> tuple[list[str], list[list[float]]]:
    rows = list(csv.reader(text.splitlines()))
    return rows[0], [[float(field) for field in row] for row in rows[1:]]


CASES = [pytest.param(name, marks=pytest.mark.slow) if name.startswith("long_") else name for name in sorted(ARGUMENTS)]


@pytest.mark.parametrize("name", CASES)
def test_csv_equals_torch(lrcli, name):
    arguments = [expand(argument) for argument in ARGUMENTS[name]]
    result = lrcli(*arguments, "--format", "csv")
    assert result.code == 0, result.err
    header, rows = read_rows(result.out)
    torch_header, torch_rows = read_rows((GOLDEN[name] / f"{name}.csv").read_text())
    assert header == torch_header
    assert len(rows) == len(torch_rows)
    mismatches = [(row, want) for row, want in zip(rows, torch_rows) if row != want]
    assert mismatches == []


def test_golden_is_not_a_closed_form():
    """The long cases would catch ``base * gamma ** k``: it differs from torch in most rows."""
    _, rows = read_rows((GOLDEN["exp_long"] / "exp_long.csv").read_text())
    differing = sum(1 for epoch, lr in rows if 0.1 * 0.95 ** int(epoch) != lr)
    assert differing > len(rows) // 2


def test_golden_covers_long_horizons_and_groups():
    lengths = {name: len((GOLDEN[name] / f"{name}.csv").read_text().splitlines()) - 1 for name in ARGUMENTS}
    assert max(lengths.values()) >= 5000
    assert any(args.count("--lr") > 1 for args in ARGUMENTS.values())
    assert len(ARGUMENTS) == sum(len(document["cases"]) for document in MANIFESTS.values()) + sum(
        map(len, COMMANDS.values())
    )  # no name in two
    assert all(
        document["versions"]["torch"] == "2.13.0+cpu" and family in document["versions"]
        for family, document in MANIFESTS.items()
    )  # each names the libraries it came from


FILE_CASES = sorted(
    name
    for name, arguments in ARGUMENTS.items()
    if len(arguments) > 1 and arguments[1].startswith("{configs}") and not name.startswith("long_")
)
"""The cases whose command reads a file (an OpenMMLab config, MMCV 1.x's, an args.yaml)."""


@pytest.mark.parametrize("name", FILE_CASES)
def test_lrcli_config_recognises_the_file_and_prints_the_same(lrcli, name):
    """``lrcli config FILE …`` in place of the family's command: the kind recognised from the file,
    the library's values."""
    command, path, *rest = [expand(argument) for argument in ARGUMENTS[name]]
    result = lrcli("config", path, *rest, "--format", "csv")
    assert result.code == 0, result.err
    assert read_rows(result.out) == read_rows((GOLDEN[name] / f"{name}.csv").read_text())


def test_config_cases_cover_every_kind_of_file():
    assert {ARGUMENTS[name][0] for name in FILE_CASES} == {"mmengine", "mmcv", "ultralytics"}
