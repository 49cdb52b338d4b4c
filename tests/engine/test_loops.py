"""accelerate's stepping as a transform of the loop, against accelerate 1.16 on a mocked number of
processes (scripts/golden_accelerate.py)."""

import csv
import json

import pytest

from lrcli.engine import diffusers
from lrcli.engine.core import GroupReplay, ScheduleError, lr_values
from lrcli.engine.torch.annealing import cosine_annealing_lr
from lrcli.engine.torch.cyclic import one_cycle_lr
from lrcli.engine.torch.multiplicative import exponential_lr, step_lr
from lrcli.loops import AcceleratedCounts, accelerated_counts, at_counts
from scripts.golden import harness

GOLDEN = harness.folder("accelerate")
MANIFEST = json.loads((GOLDEN / "manifest.json").read_text())
ENGINE = {
    "StepLR": step_lr,
    "CosineAnnealingLR": cosine_annealing_lr,
    "ExponentialLR": exponential_lr,
    "OneCycleLR": one_cycle_lr,
    "get_scheduler": diffusers.get_scheduler,
}


def golden(name: str) -> list[list]:
    rows = list(csv.reader((GOLDEN / f"{name}.csv").read_text().splitlines()))[1:]
    return [
        [int(row[0]), row[1] == "1", row[2] == "1", int(row[3]), int(row[4]), float(row[5]), float(row[6])]
        for row in rows
    ]


def counts_for(case: dict, per: str) -> list[int]:
    loop = case["loop"]
    return accelerated_counts(
        loop["batches"],
        loop["epochs"],
        num_processes=loop["processes"],
        split_batches=loop.get("split_batches", False),
        step_with_optimizer=loop.get("step_with_optimizer", True),
        gradient_accumulation_steps=loop.get("accumulation", 1),
        sync_with_dataloader=loop.get("sync_with_dataloader", True),
        skipped=loop.get("skipped", ()),
        total_steps=case["keywords"]["total_steps"] if case["scheduler"] == "OneCycleLR" else None,
        per=per,
    )


@pytest.mark.parametrize("name", sorted(MANIFEST["cases"]))
def test_counts_equal_accelerate(name):
    case, rows = MANIFEST["cases"][name], golden(name)
    assert counts_for(case, "batch") == [row[3] for row in rows]
    assert counts_for(case, "update") == [row[3] for row in rows if row[1]]


@pytest.mark.parametrize("name", sorted(MANIFEST["cases"]))
def test_lrs_at_the_counts_equal_accelerate(name):
    case, rows = MANIFEST["cases"][name], golden(name)
    counts = counts_for(case, "batch")
    replay = GroupReplay(at_counts(ENGINE[case["scheduler"]](**case["keywords"]), counts), 0.1)
    assert [value for chunk in replay.chunks(len(counts), size=5) for value in chunk] == [row[5] for row in rows]
    if replay.stepper.momentum is not None:
        assert replay.stepper.momentum(0, len(counts)) == [row[6] for row in rows]


DOCUMENTED = sorted(
    name
    for name, case in MANIFEST["cases"].items()
    if not {"skipped", "sync_with_dataloader", "step_with_optimizer", "adjust_scheduler"} & set(case["loop"])
)


@pytest.mark.parametrize("name", DOCUMENTED)
def test_counts_row_by_row_equal_accelerate(name):
    case, rows = MANIFEST["cases"][name], golden(name)
    loop = case["loop"]
    counts = AcceleratedCounts(
        loop["batches"],
        num_processes=loop["processes"],
        split_batches=loop.get("split_batches", False),
        gradient_accumulation_steps=loop.get("accumulation", 1),
        total_steps=case["keywords"]["total_steps"] if case["scheduler"] == "OneCycleLR" else None,
    )
    assert counts[: len(rows)] == [row[3] for row in rows]


def test_counts_row_by_row_equal_the_loop():
    for batches in (1, 2, 5, 7):
        for processes in (1, 3, 8):
            for accumulation in (1, 2, 3, 8):
                for split in (False, True):
                    for total in (None, 1, 9, 40):
                        keywords = dict(
                            num_processes=processes,
                            split_batches=split,
                            gradient_accumulation_steps=accumulation,
                            total_steps=total,
                        )
                        loop = accelerated_counts(batches, 4, **keywords)
                        assert AcceleratedCounts(batches, **keywords)[: len(loop)] == loop, (batches, keywords)


def test_golden_covers_the_rules():
    assert MANIFEST["versions"]["accelerate"] == "1.16.0"
    loops = [case["loop"] for case in MANIFEST["cases"].values()]
    assert {
        "split_batches",
        "skipped",
        "sync_with_dataloader",
        "adjust_scheduler",
        "step_with_optimizer",
        "accumulation",
    } <= {key for loop in loops for key in loop}
    capped = golden("onecycle_cap")
    assert capped[-1][3] == MANIFEST["cases"]["onecycle_cap"]["keywords"]["total_steps"] < 4 * (len(capped) - 1)
    assert any(row[2] for row in golden("step_skipped_updates"))


def test_an_uncompensated_cosine_is_over_after_one_eighth_of_training_and_rises_again():
    """get_scheduler's cosine for 20 steps on 8 processes, not multiplied by 8: past its end after
    3 of 20 updates, then the half wave goes on into a whole one (diffusers' cosine is not clamped)."""
    rows = golden("diffusers_cosine_uncompensated")
    assert [row[3] for row in rows[:4]] == [0, 8, 16, 24] and len(rows) - 1 == 20
    assert rows[3][5] < rows[4][5] < rows[5][5] and rows[7][5] == 0.0


def test_at_counts_goes_back_by_starting_again():
    schedule = at_counts(exponential_lr(gamma=0.5), [0, 3, 1, 3])
    assert lr_values(schedule, 1.0, 4) == [1.0, 0.125, 0.5, 0.125]


def test_at_counts_refuses_rows_past_the_loop_and_past_the_cycle():
    with pytest.raises(ScheduleError, match="the loop has 2 rows; row 2 is past its end"):
        lr_values(at_counts(step_lr(step_size=1), [0, 1]), 1.0, 3)
    replay = GroupReplay(at_counts(one_cycle_lr(max_lr=0.1, total_steps=4), [0, 4, 5]), 0.1)
    replay.stepper.check_rows(2)
    with pytest.raises(ScheduleError, match="refuses step 5"):
        replay.stepper.check_rows(3)


def test_at_counts_replays_long_gaps_in_chunks():
    counts = [0, 200_000, 400_001]
    assert lr_values(at_counts(step_lr(step_size=100_000, gamma=0.5), counts), 1.0, 3) == [1.0, 0.25, 0.0625]


def test_accelerated_counts_refuses_bad_loops():
    with pytest.raises(ScheduleError, match="num_processes must be a whole number >= 1"):
        accelerated_counts(5, 1, num_processes=0)
    with pytest.raises(ScheduleError, match="per must be one of batch, update"):
        accelerated_counts(5, 1, per="epoch")
