"""Ultralytics' schedule, replayed, against real Ultralytics 8.4.190 training runs (scripts/golden_ultralytics.py)."""

import csv
import json

import pytest

from lrcli.engine.core import GroupReplay, ScheduleError
from lrcli.engine.ultralytics import Training, auto_optimizer, param_groups
from scripts.golden import harness

GOLDEN = harness.folder("ultralytics")
MANIFEST = json.loads((GOLDEN / "manifest.json").read_text())
BETAS = ("Adam", "Adamax", "AdamW", "NAdam", "RAdam")


def golden(name: str) -> list[list[float]]:
    rows = list(csv.reader((GOLDEN / f"{name}.csv").read_text().splitlines()))[1:]
    return [[int(row[0]), int(row[1]), *map(float, row[2:])] for row in rows]


def training(case: dict) -> Training:
    args = case["args"]
    auto = case["arguments"].get("optimizer", "auto") == "auto"
    return Training(
        args["epochs"],
        case["nb"],
        args["lrf"],
        args["cos_lr"],
        args["warmup_epochs"],
        0.0 if auto else args["warmup_bias_lr"],
        args["warmup_momentum"],
        args["momentum"],
        auto_optimizer(1, 1)[2] if auto else args["momentum"],
    )


@pytest.mark.parametrize("name", sorted(MANIFEST["cases"]))
def test_every_batch_equals_ultralytics(name):
    case = MANIFEST["cases"][name]
    run = training(case)
    assert run.nw == case["nw"]
    assert [list(group) for group in param_groups(case["optimizer"], case["args"]["lr0"])] == [
        list(group) for group in zip(case["groups"], case["initial_lrs"])
    ]
    rows = golden(name)
    assert len(rows) == run.epochs * run.nb
    has_momentum = case["optimizer"] not in BETAS
    lrs, momentums = [], []
    for group, initial_lr in zip(case["groups"], case["initial_lrs"]):
        replay = GroupReplay(run.scheduler(bias=group == "bias", has_momentum=has_momentum), initial_lr)
        replay.stepper.check_rows(len(rows))
        lrs.append([value for chunk in replay.chunks(len(rows), size=7) for value in chunk])
        beta1 = run.optimizer_momentum
        momentums.append(replay.stepper.momentum(0, len(rows)) if has_momentum else [beta1] * len(rows))
    want = [row[2:] for row in rows]
    assert [list(row) for row in zip(*lrs, *momentums)] == want
    assert [row[1] for row in rows] == [step // run.nb for step in range(len(rows))]


def test_golden_covers_the_quirks():
    cases = MANIFEST["cases"]
    assert MANIFEST["versions"]["ultralytics"] == "8.4.190"
    assert cases["sgd_cos_half_warmup"]["nw"] == 12  # round(2.5 * 5): Python's round, half to even
    assert cases["sgd_warmup_capped"]["nw"] == cases["sgd_warmup_capped"]["nb"]  # min(3, epochs - 1) epochs
    assert cases["sgd_one_epoch"]["nw"] == 0
    assert cases["auto"]["optimizer"] == "AdamW" and cases["auto"]["args"]["warmup_bias_lr"] == 0.0
    assert cases["auto"]["initial_lrs"][0] == auto_optimizer(1, 5)[1]


def test_rows_stop_where_training_does():
    run = Training(2, 3)
    replay = GroupReplay(run.scheduler(), 0.01)
    replay.stepper.check_rows(6)
    with pytest.raises(ScheduleError, match="training ends after 2 epochs of 3 batches"):
        replay.stepper.check_rows(7)


def test_refuses_what_cannot_run():
    with pytest.raises(ScheduleError, match="nb must be a whole number >= 1"):
        Training(10, 0)
    with pytest.raises(ScheduleError, match="lrf must be a finite number"):
        Training(10, 5, lrf=float("nan"))
