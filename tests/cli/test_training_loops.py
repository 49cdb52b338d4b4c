"""Resumed runs, scheduler-first and step(epoch) (issue 18): what the golden files (torch's values,
tests/data/golden/torch/) do not show by themselves: the user's example, torch's warnings quoted
verbatim, the note naming the first differing row, and what is refused."""

import csv
import json

import pytest

from scripts.golden.harness import folder

WARNINGS = json.loads((folder("torch") / "warnings.json").read_text())
"""What torch 2.13 itself warned (scripts/golden/torch_cases.py wrote it)."""


def csv_rows(text):
    return list(csv.reader(text.splitlines()))


def test_the_users_example_cosine_resumed_fresh(lrcli):
    """CosineAnnealingLR(T_max=100, last_epoch=36) on a fresh optimizer: 0.1 at epoch 37, where the
    uninterrupted run has 0.0699...; the note names that row."""
    resume = ["--resume-at", "37", "--resume-by", "fresh", "--compare-resume"]
    result = lrcli("cosine", "--t-max", "100", "--epochs", "40", *resume, "-f", "csv", "--at", "36,37")
    assert csv_rows(result.out) == [
        ["epoch", "resumed", "uninterrupted"],
        ["36", "0.07128896457825366", "0.07128896457825366"],
        ["37", "0.1", "0.06985739453173906"],
    ]
    assert result.err == (
        "Note: the resumed run first differs from the uninterrupted one at epoch 37: 0.1 against 0.06985739453173906\n"
    )


def test_the_spec_form_is_the_same_run(lrcli):
    spec = lrcli("compare", "cosine(T_max=100, last_epoch=36)", "exp(gamma=1)", "--epochs", "40", "-f", "csv")
    option = lrcli(
        "cosine", "--t-max", "100", "--epochs", "40", "--resume-at", "37", "--resume-by", "fresh", "-f", "csv"
    )
    assert [row[:2] for row in csv_rows(spec.out)[1:]] == csv_rows(option.out)[1:]
    assert csv_rows(spec.out)[38][1] == "0.1"
    title = lrcli("compare", "cosine(T_max=100, last_epoch=36)", "exp(gamma=1)").out.splitlines()[0]
    assert title == "cosine: CosineAnnealingLR(T_max=100, last_epoch=36); exp: ExponentialLR(gamma=1)"


def test_state_dict_never_differs(lrcli):
    result = lrcli("step", "--step-size", "3", "--epochs", "12", "--resume-at", "6", "--compare-resume", "-f", "csv")
    assert all(row[1] == row[2] for row in csv_rows(result.out)[1:])
    assert result.err == "Note: no epoch from 0 to 11 differs from the uninterrupted run\n"


def test_compare_puts_each_uninterrupted_run_beside_it(lrcli):
    result = lrcli(
        "compare", "a=step(step_size=3)", "b=exp(gamma=0.9)", "--resume-at", "3", "--resume-by", "last-epoch",
        "--compare-resume", "-f", "csv",
    )  # fmt: skip
    assert csv_rows(result.out)[0] == ["epoch", "a", "a-uninterrupted", "b", "b-uninterrupted"]
    assert result.err.startswith("Note: the resumed run first differs from the uninterrupted one at epoch 3: ")


def test_scheduler_first_quotes_torchs_warning(lrcli):
    result = lrcli("step", "--step-size", "3", "--order", "scheduler-first", "-f", "csv")
    assert result.err == f"Warning: torch warns: {WARNINGS['scheduler_first'][0]}\n"
    assert csv_rows(result.out)[1:4] == [["0", "0.1"], ["1", "0.1"], ["2", "0.010000000000000002"]]


def test_step_epoch_quotes_torchs_warning_but_not_for_warm_restarts(lrcli):
    assert lrcli("exp", "--gamma", "0.9", "--step-with", "epoch").err == (
        f"Warning: torch warns at every step(epoch): {WARNINGS['epoch_deprecation'][0]}\n"
    )
    quiet = lrcli("cosine-restarts", "--t-0", "3", "--steps-per-epoch", "4", "--step-with", "fraction")
    assert quiet.code == 0 and quiet.err == ""


BAD = [
    (["onecycle", "--max-lr", "0.1", "--total-steps", "20", "--resume-at", "5", "--resume-by", "fresh"],
     "torch's OneCycleLR constructed with last_epoch on a fresh optimizer raises KeyError: 'max_lr'"),
    (["compare", "onecycle(max_lr=0.1, total_steps=20, last_epoch=3)", "exp(gamma=0.9)", "--epochs", "20"],
     "torch's OneCycleLR constructed with last_epoch on a fresh optimizer raises KeyError: 'max_lr'"),
    (["sequential", "chained(schedulers=[exp(gamma=0.9), step(step_size=2)])", "cosine(T_max=5)", "--milestones",
      "3", "--resume-at", "5", "--resume-by", "last-epoch"],
     "scheduler 0 of a SequentialLR constructed with last_epoch=4: lrcli does not replay that"),
    (["sequential", "exp(gamma=0.9)", "cosine-restarts(T_0=3)", "--milestones", "3", "--resume-at", "5", "--resume-by",
      "fresh"], "scheduler 1 of a SequentialLR constructed with last_epoch=4: lrcli does not replay that"),
    (["sequential", "exp(gamma=0.9)", "step(step_size=2)", "--milestones", "3.5", "--resume-at", "5", "--resume-by",
      "last-epoch"], "SequentialLR constructed with last_epoch=4: lrcli does not replay that"),
    (["sequential", "exp(gamma=0.9)", "onecycle(max_lr=0.1, total_steps=20)", "--milestones", "3", "--resume-at", "5",
      "--resume-by", "fresh"], "torch's OneCycleLR constructed with last_epoch on a fresh optimizer raises KeyError"),
    (["step", "--step-size", "3", "--compare-resume"], "--compare-resume puts the uninterrupted run beside"),
    (["step", "--step-size", "3", "--resume-at", "0"], "--resume-at must name a row from 1 to 9"),
    (["step", "--step-size", "3", "--resume-at", "10"], "--resume-at must name a row from 1 to 9"),
    (["cosine-restarts", "--t-0", "3", "--step-with", "fraction"], "give --steps-per-epoch M"),
    (["cosine-restarts", "--t-0", "3", "--step-with", "fraction", "--steps-per-epoch", "4", "--counts-in", "epochs"],
     "counts are in epochs already"),
    (["cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "--step-with", "epoch"],
     "CyclicLR.step(epoch): lrcli does not replay the explicit-epoch form"),
    (["step", "--step-size", "3", "--order", "scheduler-first", "--emit", "torch"], "--emit and --verify write the usual loop"),
    (["compare", "cosine(T_max=9, last_epoch=-2)", "exp(gamma=0.9)"], "last_epoch must be a whole number >= -1"),
    (["compare", "cosine(T_max=9, last_epoch=3)", "exp(gamma=0.9)", "--emit", "torch"],
     "CosineAnnealingLR(T_max=9, last_epoch=3) is a run resumed on a fresh optimizer: --emit and --verify"),
    (["sequential", "cosine(T_max=9, last_epoch=3)", "exp(gamma=0.9)", "--milestones", "3"],
     "last_epoch inside a composition"),
    (["compare", "cosine(T_max=9, warmup=2, last_epoch=3)", "exp(gamma=0.9)"], "last_epoch inside a composition (or after warmup=N)"),
]  # fmt: skip


BAD += [
    (["timm", "--sched", "plateau", "--metrics", "tests/data/metrics/metrics_loss.txt", "--resume-at", "3"],
     "train.py's checkpoints do not hold the scheduler's state"),
    (["timm", "--sched", "cosine", "--epochs", "5", "--resume-at", "5"], "--resume-at must name a row from 1 to 4"),
    (["transformers", "cosine", "--num-training-steps", "20", "--compare-resume"],
     "--compare-resume puts the uninterrupted run beside"),
]  # fmt: skip


@pytest.mark.parametrize("args, message", BAD, ids=[" ".join(args) for args, _ in BAD])
def test_refused(lrcli, args, message):
    result = lrcli(*args)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("Error: ") and result.err.count("\n") == 1 and message in result.err, result.err


def test_counts_in_epochs_is_not_the_documented_per_batch_form(lrcli):
    """The README's count: stepping per batch with T_0 in epochs times M is not torch's documented
    step(epoch + i / iters), whose golden file this compares with, in every row but the first."""
    args = [
        "cosine-restarts",
        "--t-0",
        "10",
        "--t-mult",
        "2",
        "--steps-per-epoch",
        "100",
        "--epochs",
        "30",
        "-f",
        "csv",
    ]
    counted = csv_rows(lrcli(*args, "--counts-in", "epochs").out)[1:]
    documented = csv_rows((folder("torch") / "fraction_warm_restarts_documented.csv").read_text())[1:]
    assert len(counted) == len(documented) == 3000
    assert [row for row, (a, b) in enumerate(zip(counted, documented)) if a != b] == list(range(1, 3000))


def test_the_table_marks_the_first_differing_row(lrcli):
    args = ["step", "--step-size", "3", "--epochs", "6", "--resume-at", "3", "--resume-by", "last-epoch"]
    table = lrcli(*args, "--compare-resume").out.splitlines()
    assert [line.split()[1:3] for line in table if "│" in line][2:4] == [["2", "│"], ["▶", "3"]]
    assert table[-1] == "▶ the first epoch that differs from the uninterrupted run"
    assert "▶" not in lrcli(*args).out  # nothing to compare with


@pytest.mark.parametrize(
    "args, words",
    [
        (["transformers", "linear", "--num-training-steps", "20", "--resume-at", "7"],
         "resumed at step 7 by the Trainer's resume_from_checkpoint (the scheduler's load_state_dict: the same values)"),
        (["timm", "--sched", "cosine", "--epochs", "6", "--sched-on-updates", "--updates-per-epoch", "4",
          "--resume-at", "2"],
         "resumed at step 8 by train.py's --resume (a new scheduler, then step(start_epoch) or step_update: the same values)"),
    ],
)  # fmt: skip
def test_a_frameworks_resume_is_named_and_keeps_the_values(lrcli, args, words):
    """The title names the framework's own resume; the values are the uninterrupted run's (the golden
    cases hf_resume_*, timm_resume_*, mm_resume_* show the real frameworks agree)."""
    resumed = lrcli(*args, "--compare-resume", "-f", "csv")
    assert resumed.code == 0 and all(row[-1] == row[-2] for row in csv_rows(resumed.out)[1:])
    assert resumed.err.startswith("Note: no ") and resumed.err.endswith(" differs from the uninterrupted run\n")
    assert words in lrcli(*args).out.splitlines()[0]
