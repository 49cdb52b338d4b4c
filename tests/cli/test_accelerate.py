"""``--processes P``, ``--accumulation G`` and ``--split-batches`` with ``--steps-per-epoch M``: a
row is a batch of accelerate's documented loop, the lr accelerate 1.16 gave the scheduler after
it on a mocked process count (tests/data/golden/accelerate, scripts/golden/accelerate_cases.py)."""

import csv
import json

import pytest

from scripts.golden import harness

GOLDEN = harness.folder("accelerate")
MANIFEST = json.loads((GOLDEN / "manifest.json").read_text())["cases"]
COMMANDS = {"StepLR": ["step"], "CosineAnnealingLR": ["cosine"], "OneCycleLR": ["onecycle"]}
"""torch's classes as lrcli's commands; diffusers' cosine is transformers' (tests/engine/test_diffusers.py)."""


def command(case: dict) -> list[str] | None:
    keywords = dict(case["keywords"])
    if case["scheduler"] == "get_scheduler":
        if keywords.pop("name") != "cosine":
            return None
        words = ["transformers", "cosine"]
    else:
        words = list(COMMANDS[case["scheduler"]])
    for key, value in keywords.items():
        words += [f"--{key.lower().replace('_', '-')}", str(value)]
    return words


LOOPED = sorted(
    name
    for name, case in MANIFEST.items()
    if not {"skipped", "sync_with_dataloader", "step_with_optimizer", "adjust_scheduler"} & set(case["loop"])
    and command(case) is not None
)


def golden(name: str) -> list[list[str]]:
    return list(csv.reader((GOLDEN / f"{name}.csv").read_text().splitlines()))[1:]


@pytest.mark.parametrize("name", LOOPED)
def test_each_batch_has_the_lr_accelerate_gave(lrcli, name):
    case = MANIFEST[name]
    loop, rows = case["loop"], golden(name)
    words = [*command(case), "--steps-per-epoch", str(loop["batches"]), "--steps", str(len(rows))]
    words += ["--processes", str(loop["processes"]), "--accumulation", str(loop.get("accumulation", 1))]
    words += ["--split-batches"] if loop.get("split_batches") else []
    result = lrcli(*words, "-f", "csv")
    assert result.code == 0
    shown = list(csv.reader(result.out.splitlines()))[1:]
    assert [float(row[-1]) for row in shown] == [float(row[5]) for row in rows]
    note = f"Note: accelerate steps a prepared scheduler {loop['processes']} times an update"
    assert result.err.startswith(note) == (not loop.get("split_batches") and loop["processes"] > 1)
    assert result.err.count("\n") <= 1


def test_the_golden_loops_cover_processes_accumulation_and_the_cap():
    loops = [MANIFEST[name]["loop"] for name in LOOPED]
    assert len(LOOPED) == 5 and {loop["processes"] for loop in loops} >= {2, 4, 8}
    assert any(loop.get("split_batches") for loop in loops) and any(loop.get("accumulation") for loop in loops)
    assert "onecycle_cap" in LOOPED


def test_one_process_without_accumulation_is_the_plain_run(lrcli):
    plain = lrcli("cosine", "--t-max", "12", "--steps-per-epoch", "4", "--epochs", "3", "-f", "csv")
    looped = lrcli("cosine", "--t-max", "12", "--steps-per-epoch", "4", "--epochs", "3", "--split-batches", "-f", "csv")
    assert looped.out == plain.out and looped.err == ""


@pytest.mark.parametrize(
    "words, message",
    [
        (["cosine", "--t-max", "9", "--processes", "8"], "Error: --processes, --accumulation and --split-batches step"),
        (["cosine", "--t-max", "9", "--steps-per-epoch", "3", "--processes", "0"], "Error: --processes must be"),
        (["cosine", "--t-max", "9", "--steps-per-epoch", "3", "--accumulation", "0"], "Error: --accumulation must be"),
        (
            ["cosine", "--t-max", "9", "--steps-per-epoch", "3", "--processes", "2", "--emit", "torch"],
            "Error: --emit and --verify write torch's own loop",
        ),
        (["timm", "--processes", "2"], "Error: No such option: --processes"),
        (
            ["transformers", "cosine", "--warmup-steps", "2", "--max-steps", "20", "--steps-per-epoch", "5"]
            + ["--split-batches"],
            "Error: the Trainer steps its scheduler once an optimizer update",
        ),
        (
            [
                "transformers",
                "linear",
                "--num-warmup-steps",
                "2",
                "--num-training-steps",
                "20",
                "--steps-per-epoch",
                "5",
            ]
            + ["--gradient-accumulation-steps", "2", "--accumulation", "2"],
            "Error: the Trainer steps its scheduler once an optimizer update",
        ),
    ],
)
def test_bad_loop_options_are_one_error_line(lrcli, words, message):
    result = lrcli(*words)
    assert (result.code, result.out) == (2, "") and result.err.startswith(message) and result.err.count("\n") == 1
