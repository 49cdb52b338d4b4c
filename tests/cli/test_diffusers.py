"""``lrcli diffusers``: the training scripts' flags give, row for row, the lr diffusers 0.42.1 and
accelerate 1.16 logged at each global_step (tests/data/golden/diffusers, scripts/golden/diffusers_cases.py),
and get_scheduler's own values where the flags reach them."""

import csv
import json

import pytest

from lrcli.cli.diffusers import SchedulerType
from lrcli.engine import diffusers
from scripts.golden import harness

GOLDEN = harness.folder("diffusers")
MANIFEST = json.loads((GOLDEN / "manifest.json").read_text())
SCRIPTS = sorted(name for name, case in MANIFEST["cases"].items() if "script" in case)
DIRECT = sorted(
    name
    for name, case in MANIFEST["cases"].items()
    if case.get("function") == "get_scheduler" and len(case["lrs"]) >= 1
)


def golden(name: str) -> list[list[str]]:
    return list(csv.reader((GOLDEN / f"{name}.csv").read_text().splitlines()))[1:]


def values(text: str) -> list[tuple[int, float]]:
    return [(int(step), float(lr)) for step, lr in list(csv.reader(text.splitlines()))[1:]]


def script_flags(case: dict) -> list[str]:
    """The command line of a golden script run: its flags as the script spells them, the process
    count, and len(train_dataloader) before prepare."""
    flags = case["script"]
    words = []
    for name, value in flags.items():
        if name == "drop_last":
            words += ["--drop-last"] if value else []
        elif value is True:
            words.append(f"--{name}")
        else:
            words += [f"--{name}", str(value)]
    return [
        *words,
        "--num_processes",
        str(case["num_processes"]),
        "--batches-per-epoch",
        str(case["seen"]["batches_per_epoch"]),
    ]


@pytest.mark.parametrize("name", SCRIPTS)
def test_a_scripts_flags_give_the_lr_it_logged(lrcli, name):
    case = MANIFEST["cases"][name]
    result = lrcli("diffusers", *script_flags(case), "-f", "csv")
    assert result.code == 0
    expected = [(int(step), float(lr)) for step, lr, _ in golden(name)]
    assert values(result.out) == expected and len(expected) == case["seen"]["max_train_steps"] + 1
    if case["seen"]["warning"]:
        assert result.err.startswith("Warning: The length of the 'train_dataloader' after 'accelerator.prepare' (2)")
    else:
        assert result.err == ""


def test_every_script_case_is_run_and_the_processes_matter():
    assert len(SCRIPTS) == 6
    assert {MANIFEST["cases"][name]["num_processes"] for name in SCRIPTS} >= {1, 2, 3, 4, 8}


@pytest.mark.parametrize("name", DIRECT)
def test_get_scheduler_through_the_flags_on_one_process(lrcli, name):
    """One process, --max_train_steps as get_scheduler's total: row k is get_scheduler's row k."""
    case = MANIFEST["cases"][name]
    keywords = case["keywords"]
    total = keywords.get("num_training_steps", case["rows"] - 1)
    words = ["--lr_scheduler", keywords["name"], "--max_train_steps", str(total)]
    words += ["--lr_warmup_steps", str(keywords.get("num_warmup_steps", 0))]
    for key, flag in (("num_cycles", "--lr_num_cycles"), ("power", "--lr_power"), ("step_rules", "--step_rules")):
        if key in keywords:
            words += [flag, str(keywords[key])]
    result = lrcli("diffusers", *words, "--learning_rate", repr(case["lrs"][0]), "-f", "csv")
    assert (result.code, result.err) == (0, "")
    shown = values(result.out)
    expected = [float(row[1]) for row in golden(name)]
    assert [lr for _, lr in shown] == expected[: len(shown)] and len(shown) == min(total + 1, len(expected))


@pytest.mark.parametrize(
    "words, message",
    [
        (["--lr_scheduler", "cosine"], "Error: give --max_train_steps, or --num_train_epochs with --batches-per-epoch"),
        (["--num_train_epochs", "3"], "Error: without --max_train_steps the scripts count the steps from"),
        (["--max_train_steps", "9", "--scale_lr"], "Error: --scale_lr multiplies by the batch size"),
        (
            ["--max_train_steps", "9", "--num_processes", "0"],
            "Error: --num_processes must be a whole number >= 1, got 0\n",
        ),
        (["--max_train_steps", "9", "--learning_rate", "-1"], "Error: --learning_rate is -1.0"),
        (
            ["--max_train_steps", "9", "--lr_scheduler", "polynomial", "--learning_rate", "1e-7"],
            "Error: lr_end (1e-07) must be smaller than initial lr (1e-07)",
        ),
        (
            ["--max_train_steps", "9", "--lr_scheduler", "piecewise_constant", "--step_rules", "1:1.5,0.1"],
            "Error: --step_rules rule '1:1.5': invalid literal for int() with base 10: '1.5'\n",
        ),
        (["--max_train_steps", "9", "--lr_scheduler", "cosine_annealing"], "Error: Invalid value for '--lr_scheduler'"),
        (["--max_train_steps", "9", "--emit", "torch"], "Error: No such option: --emit"),
        (
            ["--max_train_steps", "1000000000"],
            "Error: the script trains 1,000,000,000 updates, 1,000,000,001 rows with the constructor's; "
            "lrcli shows up to 1,000,000,000 rows\n",
        ),
    ],
)
def test_bad_flags_are_one_error_line(lrcli, words, message):
    result = lrcli("diffusers", *words)
    assert (result.code, result.out) == (2, "") and result.err.startswith(message) and result.err.count("\n") == 1


def test_the_types_are_the_engines():
    assert tuple(member.value for member in SchedulerType) == diffusers.SCHEDULER_TYPES


def test_the_title_says_how_accelerate_steps_it(lrcli):
    result = lrcli("diffusers", "--lr_scheduler", "cosine", "--max_train_steps", "3", "--num_processes", "8")
    assert result.out.startswith(
        "get_scheduler('cosine', num_warmup_steps=4000, num_training_steps=24), stepped 8 times an update "
        "(accelerate, 8 processes)\n"
    )
