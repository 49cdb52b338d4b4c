"""The golden cases of the frameworks whose scripts run the library's own classes (DeepSpeed), run
through lrcli's command line: each case's ``lrcli`` arguments (written from its recorded
parameters) must print every value the library computed, equal as floats."""

import csv
import json

import pytest

from scripts.golden.harness import expand, folder, manifest

FAMILIES = ("deepspeed",)
ALL = {(family, name): case for family in FAMILIES for name, case in manifest(family)["cases"].items()}
CASES = {key: case for key, case in ALL.items() if "file" not in case}
"""The cases of a class and its params (the others are a config file the library read itself)."""
FILES = {key: case for key, case in ALL.items() if "file" in case}


def columns(text: str) -> dict[str, list[tuple[int, float]]]:
    """A CSV's value columns by name (one group's ``lr`` named ``lr_0``), each as (row, value) pairs."""
    rows = list(csv.reader(text.splitlines()))
    header = rows[0]
    names = [name if "_" in name else f"{name}_0" for name in header]
    values = {name: [] for name in names[1:]}
    for row in rows[1:]:
        for name, value in zip(names[1:], row[1:]):
            values[name].append((int(row[0]), float(value)))
    return values


@pytest.mark.parametrize("family, name", sorted(CASES), ids=[f"{family}-{name}" for family, name in sorted(CASES)])
def test_the_command_line_prints_the_librarys_values(lrcli, family, name):
    case = CASES[family, name]
    result = lrcli(*[expand(argument) for argument in case["lrcli"]], "-f", "csv")
    assert result.code == 0, result.err
    ours = columns(result.out)
    theirs = columns((folder(family) / f"{name}.csv").read_text())
    assert {column for column in theirs if column.startswith("lr")} <= set(ours) <= set(theirs)
    mismatches = [(column, ours[column][:3], theirs[column][:3]) for column in ours if ours[column] != theirs[column]]
    assert mismatches == []


def test_every_case_is_run_and_momentum_is_compared():
    assert all("lrcli" in case for case in CASES.values())
    assert sum("--show-momentum" in case["lrcli"] for case in CASES.values()) >= 4


def deepspeed_file(case: dict) -> tuple[dict, list[str]]:
    """A DeepSpeed case as a ds_config.json and the options of ``lrcli config``: the Trainer's
    cases as their config and arguments; the others as the class and params under an optimizer of
    the case's type, its groups' lrs given by --lr."""
    rows = ["--steps", str(case["rows"])] + (["--every", str(case["every"])] if case["every"] > 1 else [])
    momentum = ["--show-momentum"] if "--show-momentum" in case["lrcli"] else []
    if "config" in case:
        trainer = case["trainer"]
        options = ["--learning-rate", repr(trainer["learning_rate"]), "--max-steps", str(trainer["max_steps"])]
        return case["config"], options + ["--warmup-steps", repr(trainer["warmup_steps"])] + rows + momentum
    config = {"optimizer": {"type": case["optimizer"]}, "scheduler": {"type": case["type"], "params": case["params"]}}
    return config, [argument for lr in case["lrs"] for argument in ("--lr", repr(lr))] + rows + momentum


@pytest.mark.parametrize("name", sorted(name for family, name in CASES if family == "deepspeed"))
def test_a_ds_config_prints_deepspeeds_values(lrcli, tmp_path, name):
    case = CASES["deepspeed", name]
    config, options = deepspeed_file(case)
    path = tmp_path / "ds_config.json"
    path.write_text(json.dumps(config, indent=1))
    result = lrcli("config", str(path), *options, "-f", "csv")
    assert result.code == 0, result.err
    ours, theirs = columns(result.out), columns((folder("deepspeed") / f"{name}.csv").read_text())
    assert {column for column in theirs if column.startswith("lr")} <= set(ours) <= set(theirs)
    assert [column for column in ours if ours[column] != theirs[column]] == []


@pytest.mark.parametrize("family, name", sorted(FILES), ids=[f"{family}-{name}" for family, name in sorted(FILES)])
def test_the_file_the_library_read_prints_its_values(lrcli, tmp_path, family, name):
    case = FILES[family, name]
    path = tmp_path / "ds_config.hjson"
    path.write_text(case["file"])
    momentum = ["--show-momentum"] if case["momentum"] else []
    result = lrcli("config", str(path), "--steps", str(case["rows"]), *momentum, "-f", "csv")
    assert result.code == 0, result.err
    ours, theirs = columns(result.out), columns((folder(family) / f"{name}.csv").read_text())
    assert set(ours) == set(theirs) and ours == theirs
