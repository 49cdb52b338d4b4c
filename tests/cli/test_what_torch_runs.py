"""What the framework runs, lrcli runs; what it refuses, lrcli refuses in one line (the values
themselves are checked against torch by the golden cases named accept_*, and by
scripts/fuzz_torch.py)."""

import csv
import json
import sys
import types

import pytest

from lrcli.registry import BY_COMMAND
from lrcli.registry.description import Builder
from lrcli.spec import parse_spec
from lrcli.torch_code import LibraryMissing, framework_module


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(text.splitlines()))[1:]


def test_emitted_code_carries_the_float_step_counts(lrcli):
    result = lrcli("step", "--step-size", "2.5", "--emit", "torch")
    assert result.code == 0, result.err
    assert "lr_scheduler.StepLR(optimizer, step_size=2.5, gamma=0.1)" in result.out
    result = lrcli("chained", "step(step_size=2.5)", "cosine(T_max=95.0)", "--emit", "torch")
    assert "StepLR(optimizer, step_size=2.5)" in result.out and "CosineAnnealingLR(optimizer, T_max=95.0)" in result.out


def test_a_float_step_count_is_kept_as_given(lrcli):
    document = json.loads(lrcli("cosine", "--t-max", "95.0", "--epochs", "2", "-f", "json").out)
    assert document["params"]["T_max"] == 95.0 and isinstance(document["params"]["T_max"], float)
    document = json.loads(lrcli("cosine", "--t-max", "95", "--epochs", "2", "-f", "json").out)
    assert isinstance(document["params"]["T_max"], int)


def test_a_whole_warmup_given_as_a_float_is_that_int():
    schedule = parse_spec("cosine(T_max=95, warmup=2.0)", top=True)
    assert schedule.title == (
        "SequentialLR(schedulers=[LinearLR(start_factor=0.3333333333333333, end_factor=1.0, "
        "total_iters=2), CosineAnnealingLR(T_max=95)], milestones=[2])"
    )


def test_a_spec_warmup_of_half_an_epoch_is_whole_steps():
    schedule = parse_spec("cosine(T_max=9, warmup=0.5)", top=True).per_step(10, counts_in_epochs=True)
    assert schedule.params["milestones"] == [5] and schedule.params["schedulers"][1].params["T_max"] == 90


def test_a_warmup_in_epochs_must_be_whole_steps(lrcli):
    half = lrcli(
        "cosine", "--t-max", "9", "--warmup", "0.5", "--steps-per-epoch", "10", "--counts-in", "epochs", "-f", "json"
    )
    assert json.loads(half.out)["params"]["milestones"] == [5]
    result = lrcli("cosine", "--t-max", "9", "--warmup", "0.25", "--steps-per-epoch", "10", "--counts-in", "epochs")
    assert result.code == 2
    assert (
        result.err == "Error: --warmup is 0.25 epochs, 2.5 steps at 10 steps per epoch: not a whole number of steps\n"
    )


def test_at_counts_from_the_end_as_start_does(lrcli):
    whole = rows(lrcli("exp", "--gamma", "0.9", "-f", "csv").out)
    picked = rows(lrcli("exp", "--gamma", "0.9", "--at", "-1,-10,3", "-f", "csv").out)
    assert picked == [whole[0], whole[3], whole[9]]
    assert rows(lrcli("exp", "--gamma", "0.9", "--start", "-1", "-f", "csv").out) == [whole[9]]
    result = lrcli("exp", "--gamma", "0.9", "--at", "-11")
    assert result.code == 2
    assert result.err == "Error: --at names row -11, but the rows are 0 to 9 (or -10 to -1 from the end)\n"


def test_num_training_steps_counts_the_rows_of_every_type(lrcli):
    for kind, more in (
        ("constant", []),
        ("constant_with_warmup", ["--num-warmup-steps", "2"]),
        ("inverse_sqrt", ["--num-warmup-steps", "2"]),
    ):
        result = lrcli("transformers", kind, *more, "--num-training-steps", "7", "-f", "csv")
        assert result.code == 0, result.err
        assert len(rows(result.out)) == 7
    both = lrcli("transformers", "constant", "--num-training-steps", "7", "--max-steps", "8")
    assert both.code == 2 and "give --num-training-steps, or the Trainer's --max-steps" in both.err


def test_num_training_steps_changes_nothing_where_rows_are_evaluations(lrcli, tmp_path):
    metrics = tmp_path / "loss.txt"
    metrics.write_text("1\n2\n")
    result = lrcli(
        "transformers", "reduce_lr_on_plateau", "--metrics", str(metrics), "--num-training-steps", "100", "-f", "csv"
    )
    assert result.code == 0 and len(rows(result.out)) == 3
    assert result.err == (
        "Warning: get_scheduler ignores num_training_steps for 'reduce_lr_on_plateau'; the rows are evaluations\n"
    )


@pytest.mark.parametrize(
    "args, library",
    [
        (["transformers", "cosine", "--num-warmup-steps", "1", "--num-training-steps", "5"], "transformers"),
        (["timm", "--sched", "cosine", "--epochs", "5"], "timm"),
    ],
)
def test_verify_names_a_library_it_cannot_import(lrcli, monkeypatch, args, library):
    # torch imports (a stand-in: nothing of it is run before the library is imported), the library does not
    monkeypatch.setitem(sys.modules, "torch", types.SimpleNamespace(__version__="2.13.0"))
    monkeypatch.setitem(sys.modules, library, None)
    result = lrcli(*args, "--verify")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith(f"Error: --verify needs {library}, and it cannot be imported here (")
    assert result.err.endswith(f"); pip install {library}\n") and result.err.count("\n") == 1


def test_timm_schedulers_are_imported_without_timms_init(tmp_path, monkeypatch):
    """Where torchvision is missing, timm's own __init__ (which imports it) is skipped."""
    package = tmp_path / "timm"
    (package / "scheduler").mkdir(parents=True)
    (package / "__init__.py").write_text("import torchvision\n")
    (package / "scheduler" / "__init__.py").write_text("CREATED = 'the schedulers alone'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "torchvision", None)
    for name in ("timm", "timm.scheduler"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    try:
        assert (
            framework_module("timm.scheduler", BY_COMMAND["timm.cosine"].family.code).CREATED == "the schedulers alone"
        )
    finally:
        for name in ("timm", "timm.scheduler"):
            sys.modules.pop(name, None)


def test_a_library_that_fails_to_import_is_named(tmp_path, monkeypatch):
    (tmp_path / "brokenlib.py").write_text("raise RuntimeError('operator does not exist')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(LibraryMissing) as missing:
        framework_module("brokenlib", Builder())
    assert str(missing.value) == (
        "--verify needs brokenlib, and it cannot be imported here (operator does not exist); pip install brokenlib"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["lambda", "--lr-lambda", "0.9 ** epoch\udcff"],
            "Error: --lr-lambda: byte 0xff at column 13 is not UTF-8 text\n",
        ),
        (
            ["chained", "exp(gamma=0.5\udce2\udc82)"],
            "Error: 'exp(gamma=0.5\\udce2\\udc82)': byte 0xe2 at column 14 is not UTF-8 text\n",
        ),
    ],
)
def test_bytes_that_are_not_utf8_are_named(lrcli, args, message):
    result = lrcli(*args)
    assert result.code == 2 and result.err == message


def test_an_integer_too_long_to_write_is_named(lrcli):
    spec = "step(step_size=0x" + "f" * 4000 + ")"
    result = lrcli("chained", spec)
    assert result.code == 2 and result.err.count("\n") == 1
    assert result.err.endswith(
        ": step_size is a 16,000-bit integer, too long to write in decimal (Python's limit: 4,300 digits)\n"
    )


def test_sequential_milestones_no_epoch_equals_step_the_next_scheduler_plainly(lrcli):
    """Past milestone 2.5 torch's SequentialLR steps CosineAnnealingLR from the count its
    constructor undid: a plain step to 0, not the restart a whole milestone gives."""
    plain = rows(
        lrcli(
            "sequential",
            "--lr",
            "1",
            "constant(factor=0.5, total_iters=9)",
            "cosine(T_max=4)",
            "--milestones",
            "2.5",
            "--epochs",
            "4",
            "-f",
            "csv",
        ).out
    )
    restarted = rows(
        lrcli(
            "sequential",
            "--lr",
            "1",
            "constant(factor=0.5, total_iters=9)",
            "cosine(T_max=4)",
            "--milestones",
            "3",
            "--epochs",
            "4",
            "-f",
            "csv",
        ).out
    )
    assert plain[3] != restarted[3] and restarted[3][1] == "1.0"


def test_greedy_with_several_groups_is_refused_where_its_reset_would_need_them_all(lrcli, tmp_path):
    metrics = tmp_path / "loss.txt"
    metrics.write_text("\n".join(["3"] * 8) + "\n")  # no improvement after the first
    args = [
        "transformers",
        "greedy",
        "--metrics",
        str(metrics),
        "--patience",
        "1",
        "--factor",
        "0.5",
        "--min-lr",
        "0.05",
        "--reset-start",
        "2",
        "-f",
        "csv",
    ]
    # the values transformers 5.23's GreedyLR gives (one group resets at evaluation 5; two at 7)
    one = rows(lrcli(*args).out)
    assert [row[1] for row in one] == ["0.1", "0.1", "0.1", "0.05", "0.05", "0.1", "0.1", "0.1", "0.05"]
    several = lrcli(*args, "--lr", "0.1", "--lr", "0.2")
    assert several.code == 2 and several.err == (
        "Error: GreedyLR resets at evaluation 5 if every param group is at "
        "its min_lr; lrcli replays the reset for one param group only\n"
    )
    short = lrcli(*args, "--lr", "0.1", "--lr", "0.2", "--epochs", "5")
    assert short.code == 0 and [row[2] for row in rows(short.out)] == ["0.2", "0.2", "0.2", "0.1", "0.1"]
