"""``--lightning-interval step|epoch`` and ``--lightning-frequency F`` with ``--steps-per-epoch M``
(and ``--accumulation G``, accumulate_grad_batches): a row is a batch of Lightning's fit loop, the
lr a real Lightning 2.6 fit trained it with (tests/data/golden/lightning,
scripts/golden/lightning_cases.py)."""

import csv
import json

import pytest

from lrcli.loops import LightningCounts
from scripts.golden import harness

GOLDEN = harness.folder("lightning")
MANIFEST = json.loads((GOLDEN / "manifest.json").read_text())
CASES = sorted(MANIFEST["cases"])


def golden(name: str) -> list[list[str]]:
    return list(csv.reader((GOLDEN / f"{name}.csv").read_text().splitlines()))[1:]


@pytest.mark.parametrize("name", CASES)
def test_each_batch_has_the_lr_lightning_trained_it_with(lrcli, name):
    case, rows = MANIFEST["cases"][name], golden(name)
    result = lrcli(*case["lrcli"], "-f", "csv")
    assert result.code == 0
    shown = list(csv.reader(result.out.splitlines()))[1:]
    assert len(shown) == len(rows)
    assert [float(row[-1]) for row in shown] == [float(row[4]) for row in rows]
    loop = case["loop"]
    surprising = loop["interval"] == "step" and loop["frequency"] > 1 and loop["accumulation"] > 1
    assert result.err.startswith("Note: Lightning's frequency counts batches, not optimizer steps") == surprising
    assert result.err.count("\n") == surprising


def test_the_golden_fits_cover_both_intervals_frequencies_and_accumulation():
    loops = [MANIFEST["cases"][name]["loop"] for name in CASES]
    assert MANIFEST["versions"]["lightning"].startswith("2.")
    assert {loop["interval"] for loop in loops} == {"step", "epoch"}
    assert {loop["frequency"] for loop in loops} >= {1, 2, 3, 4} and {loop["accumulation"] for loop in loops} == {1, 2}
    # the last batch of an epoch steps the optimizer off the accumulation boundary, and the scheduler when F divides M
    assert any(loop["batches"] % loop["accumulation"] and not loop["batches"] % loop["frequency"] for loop in loops)


def test_the_issues_example_steps_at_every_optimizer_step():
    """Accumulation 2 and frequency 2: every optimizer step (every 2nd batch), not every 2nd one."""
    assert LightningCounts(6, "step", frequency=2, accumulate_grad_batches=2)[:13] == [
        0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
    ]  # fmt: skip


def test_a_counts_row_far_out_is_computed_alone():
    counts = LightningCounts(7, "step", frequency=3, accumulate_grad_batches=2)
    assert counts[7 * 10**12 + 6] == 10**12 + 1 and counts[7 * 10**12 - 1] == 10**12


@pytest.mark.parametrize(
    "words, message",
    [
        (["--lightning-frequency", "2", "--steps-per-epoch", "3"], "Error: --lightning-frequency is the frequency"),
        (["--lightning-interval", "step"], "Error: --lightning-interval replays Lightning's batches"),
        (["--lightning-interval", "step", "--steps-per-epoch", "3", "--lightning-frequency", "0"], "Error: --lightning-frequency must be"),
        (["--lightning-interval", "hour", "--steps-per-epoch", "3"], "Error: Invalid value for '--lightning-interval'"),
        (["--lightning-interval", "step", "--steps-per-epoch", "3", "--processes", "2"], "Error: --lightning-interval is Lightning's loop"),
        (["--lightning-interval", "step", "--steps-per-epoch", "3", "--split-batches"], "Error: --lightning-interval is Lightning's loop"),
        (["--lightning-interval", "epoch", "--steps-per-epoch", "3", "--counts-in", "epochs"], "Error: --lightning-interval epoch steps"),
        (["--lightning-interval", "step", "--steps-per-epoch", "3", "--resume-at", "2"], "Error: --lightning-interval replays Lightning's loop"),
        (["--lightning-interval", "step", "--steps-per-epoch", "3", "--emit", "torch"], "Error: --emit and --verify write torch's own loop"),
    ],
)  # fmt: skip
def test_bad_lightning_options_are_one_error_line(lrcli, words, message):
    result = lrcli("cosine", "--t-max", "9", *words)
    assert (result.code, result.out) == (2, "") and result.err.startswith(message) and result.err.count("\n") == 1


def test_the_trainer_and_timm_take_no_lightning_loop(lrcli):
    trainer = lrcli(
        "transformers", "linear", "--num-warmup-steps", "2", "--max-steps", "20", "--steps-per-epoch", "5",
        "--lightning-interval", "step",
    )  # fmt: skip
    assert trainer.code == 2 and trainer.err.startswith(
        "Error: the Trainer steps its scheduler once an optimizer update"
    )
    timm = lrcli("timm", "--lightning-interval", "step")
    assert timm.code == 2 and timm.err.startswith("Error: No such option: --lightning-interval")
