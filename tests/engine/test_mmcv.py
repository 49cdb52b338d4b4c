"""MMCV 1.x's lr updater hooks, replayed, against mmcv 1.7.2's own lr_updater.py (scripts/golden_mmcv.py)."""

import csv
import json

import pytest

from lrcli.engine.core import Group, GroupReplay, ScheduleError, lr_values
from lrcli.engine.mmcv import Loop, mmcv_lr_schedulers, mmcv_momentum_schedulers, mmdet_runner
from scripts.golden import harness

GOLDEN = harness.folder("mmcv")
MANIFEST = json.loads((GOLDEN / "manifest.json").read_text())


def python(value):
    """A manifest value with its tuples (``{"tuple": [...]}``) restored."""
    if isinstance(value, dict):
        return tuple(value["tuple"]) if set(value) == {"tuple"} else {key: python(item) for key, item in value.items()}
    if isinstance(value, list):
        return [python(item) for item in value]
    return value


def golden(name: str) -> dict[int, list[float]]:
    rows = list(csv.reader((GOLDEN / f"{name}.csv").read_text().splitlines()))[1:]
    return {int(row[0]): [float(value) for value in row[1:]] for row in rows}


def loop_of(case: dict) -> Loop:
    if case["runner"] == "EpochBasedRunner":
        return Loop.epochs(case["max_epochs"], case["iters_per_epoch"])
    return Loop.iterations(case["max_iters"], case["iters_per_epoch"])


def replayed(case: dict, rows_per: int = 1) -> list[list[float]]:
    """Every row of a case: each group's lr, or its momentum for a momentum_config."""
    loop = loop_of(case)
    if "momentum_config" in case:
        lrs = case["momentums"]
        schedulers = mmcv_momentum_schedulers(python(case["momentum_config"]), len(lrs), loop, rows_per)
    else:
        lrs = case["lrs"]
        schedulers = mmcv_lr_schedulers(python(case["lr_config"]), len(lrs), loop, rows_per)
    rows = loop.max_iters // rows_per
    columns = []
    for scheduler, lr in zip(schedulers, lrs):
        replay = GroupReplay(scheduler, lr)
        replay.stepper.check_rows(rows)
        columns.append([value for chunk in replay.chunks(rows, size=5000) for value in chunk])
    return [list(row) for row in zip(*columns)]


@pytest.mark.parametrize("name", sorted(MANIFEST["cases"]))
def test_rows_equal_mmcv(name):
    case = MANIFEST["cases"][name]
    want = golden(name)
    everything = replayed(case)
    assert max(want) == len(everything) - 1
    mismatches = [(row, values, everything[row]) for row, values in want.items() if everything[row] != values]
    assert mismatches == []


@pytest.mark.parametrize(
    "name", sorted(name for name, case in MANIFEST["cases"].items() if case["runner"] == "EpochBasedRunner")
)
def test_a_row_per_epoch_is_each_epochs_first_iteration(name):
    case = MANIFEST["cases"][name]
    want = golden(name)
    length = case["iters_per_epoch"]
    assert replayed(case, rows_per=length) == [want[epoch * length] for epoch in range(case["max_epochs"])]


def test_mmdet_1x_as_facts_has_it():
    want = golden("mmdet_1x")
    assert [want[i][0] for i in (0, 1, 499, 500, 8 * 7330, 11 * 7330)] == [
        2.000000000000002e-05,
        5.996000000000113e-05,
        0.01996004,
        0.02,
        0.002,
        0.00020000000000000004,
    ]


@pytest.mark.parametrize(
    "section, policies",
    [
        (
            "lr_config",
            {
                "Fixed",
                "Step",
                "Exp",
                "Poly",
                "Inv",
                "CosineAnnealing",
                "FlatCosineAnnealing",
                "CosineRestart",
                "Cyclic",
                "OneCycle",
                "LinearAnnealing",
            },
        ),
        ("momentum_config", {"Step", "CosineAnnealing", "LinearAnnealing", "Cyclic", "OneCycle"}),
    ],
)
def test_golden_covers_every_policy_and_warmup(section, policies):
    configs = [python(case[section]) for case in MANIFEST["cases"].values() if section in case]
    assert {
        config["policy"].title() if config["policy"].islower() else config["policy"] for config in configs
    } == policies
    assert {config.get("warmup") for config in configs} == {None, "constant", "linear", "exp"}
    assert any(config.get("warmup_by_epoch") for config in configs) == (section == "lr_config")
    assert {case["runner"] for case in MANIFEST["cases"].values()} == {"EpochBasedRunner", "IterBasedRunner"}


def test_iter_runner_never_moves_a_by_epoch_hook():
    [scheduler] = mmcv_lr_schedulers({"policy": "step", "step": [1]}, 1, Loop.iterations(50, 10))
    assert set(lr_values(scheduler, 0.1, 50)) == {0.1}


def test_rows_stop_where_training_does():
    [scheduler] = mmcv_lr_schedulers({"policy": "fixed"}, 1, Loop.epochs(2, 5))
    replay = GroupReplay(scheduler, 0.1)
    replay.stepper.check_rows(10)
    with pytest.raises(ScheduleError, match="training ends after 10 iterations"):
        replay.stepper.check_rows(11)


@pytest.mark.parametrize(
    "config, loop, message",
    [
        ({"step": [8]}, Loop.epochs(12, 10), "lr_config needs a policy"),
        ({"policy": "cosineannealing", "min_lr": 0}, Loop.epochs(12, 10), "CosineannealingLrUpdaterHook is not in the"),
        ({"policy": "step", "step": [8], "warmup": "cosine"}, Loop.epochs(12, 10), '"cosine" is not a supported type'),
        ({"policy": "step", "step": [8], "warmup": "linear"}, Loop.epochs(12, 10), '"warmup_iters" must be a positive'),
        (
            {"policy": "step", "step": [8], "warmup": "linear", "warmup_iters": 5, "warmup_ratio": 0},
            Loop.epochs(12, 10),
            '"warmup_ratio" must be in range',
        ),
        ({"policy": "step", "step": [8], "warmup_iters": 5.0}, Loop.epochs(12, 10), "warmup_iters must be a whole"),
        ({"policy": "step", "step": [0, 8]}, Loop.epochs(12, 10), "step must list positive whole numbers"),
        ({"policy": "step", "step": 2.5}, Loop.epochs(12, 10), '"step" must be a list or integer'),
        ({"policy": "step"}, Loop.epochs(12, 10), "StepLrUpdaterHook: missing 1 required"),
        ({"policy": "step", "step": 3, "power": 2}, Loop.epochs(12, 10), "unexpected keyword argument 'power'"),
        ({"policy": "CosineAnnealing"}, Loop.epochs(12, 10), "exactly one of min_lr and min_lr_ratio"),
        ({"policy": "CosineAnnealing", "min_lr": 0, "min_lr_ratio": 0.1}, Loop.epochs(12, 10), "exactly one of"),
        (
            {"policy": "FlatCosineAnnealing", "min_lr": 0, "start_percent": 1},
            Loop.epochs(12, 10),
            "expected float between 0 and 1 start_percent",
        ),
        (
            {"policy": "CosineRestart", "periods": [5, 5], "restart_weights": [1], "min_lr": 0},
            Loop.epochs(10, 3),
            "periods and restart_weights should have the same length",
        ),
        (
            {"policy": "CosineRestart", "periods": [5, 5], "restart_weights": [1, 1], "min_lr": 0},
            Loop.epochs(11, 3),
            r"Current iteration 10 exceeds cumulative_periods \[5, 10\]",
        ),
        ({"policy": "cyclic", "target_ratio": [10, 1e-4]}, Loop.iterations(100), "target_ratio should be either float"),
        ({"policy": "cyclic", "by_epoch": True}, Loop.iterations(100), 'currently only support "by_epoch" = False'),
        ({"policy": "cyclic", "step_ratio_up": 1.0}, Loop.iterations(100), '"step_ratio_up" must be in range'),
        ({"policy": "cyclic", "gamma": 0}, Loop.iterations(100), '"gamma" must be in range'),
        ({"policy": "cyclic", "anneal_strategy": "cosine"}, Loop.iterations(100), "anneal_strategy must be one of"),
        ({"policy": "cyclic", "cyclic_times": 101}, Loop.iterations(100), "divides by zero"),
        ({"policy": "OneCycle", "max_lr": 0.1, "by_epoch": True}, Loop.iterations(100), "only support"),
        (
            {"policy": "OneCycle", "max_lr": 0.1, "total_steps": 99},
            Loop.iterations(100),
            "The total steps must be greater than or equal to max iterations 100",
        ),
        ({"policy": "OneCycle", "max_lr": 0.1, "pct_start": 1}, Loop.iterations(100), "expected float between 0 and 1"),
        ({"policy": "OneCycle", "max_lr": 0.1, "total_steps": 100.0}, Loop.iterations(100), "type of total_steps"),
        ({"policy": "OneCycle", "max_lr": "0.1"}, Loop.iterations(100), "the type of max_lr"),
        (
            {"policy": "step", "step": [8], "warmup": "linear", "warmup_iters": 1, "warmup_by_epoch": True},
            Loop.iterations(100),
            "warmup_by_epoch under an IterBasedRunner",
        ),
    ],
)
def test_refuses_what_mmcv_refuses(config, loop, message):
    with pytest.raises(ScheduleError, match=message):
        for scheduler in mmcv_lr_schedulers(config, 1, loop):
            scheduler(Group(0.1))


@pytest.mark.parametrize(
    "config, message",
    [
        (
            {"policy": "step", "step": [2], "warmup": "exp", "warmup_iters": 2, "warmup_by_epoch": True},
            "StepMomentumUpdaterHook: got an unexpected keyword argument 'warmup_by_epoch'",
        ),
        (
            {"policy": "step", "step": [2], "warmup": "cos", "warmup_iters": 2},
            'valid types are "constant" and "linear"',
        ),
        (
            {"policy": "step", "step": [2], "warmup": "linear", "warmup_iters": 2, "warmup_ratio": 1.5},
            '"warmup_momentum" must be in range',
        ),
        ({"policy": "CosineAnnealing", "min_momentum": 0.8, "min_momentum_ratio": 0.9}, "exactly one of min_momentum"),
        ({"policy": "Poly"}, "PolyMomentumUpdaterHook is not in the hook registry"),
        ({"policy": "OneCycle", "base_momentum": 1}, "base_momentum must be the type among of float"),
        ({"policy": "OneCycle", "max_momentum": [0.9, 0.9]}, "expected 1 values for max_momentum, got 2"),
    ],
)
def test_momentum_hooks_refuse_what_mmcv_refuses(config, message):
    with pytest.raises(ScheduleError, match=message):
        for scheduler in mmcv_momentum_schedulers(config, 1, Loop.epochs(4, 5)):
            scheduler(Group(0.9))


def test_one_cycle_max_lr_per_group():
    with pytest.raises(ScheduleError, match="expected 2 values for max_lr, got 3"):
        mmcv_lr_schedulers({"policy": "OneCycle", "max_lr": [0.1, 0.2, 0.3]}, 2, Loop.iterations(10))


def test_one_cycle_that_divides_by_zero_at_its_first_iteration():
    """pct_start * total_steps == 1 ends the first phase at iteration 0: mmcv divides 0 by 0 there."""
    [scheduler] = mmcv_lr_schedulers({"policy": "OneCycle", "max_lr": 0.1, "pct_start": 0.01}, 1, Loop.iterations(100))
    with pytest.raises(ScheduleError, match="OneCycleLrUpdaterHook fails at iteration 0"):
        lr_values(scheduler, 0.1, 2)


def test_mmdet_runner():
    assert mmdet_runner({"runner": {"type": "EpochBasedRunner", "max_epochs": 12}, "total_epochs": 12}) == (
        "EpochBasedRunner",
        12,
    )
    with pytest.raises(ScheduleError, match="total_epochs 24 and runner.max_epochs 12 differ"):
        mmdet_runner({"runner": {"type": "EpochBasedRunner", "max_epochs": 12}, "total_epochs": 24})
    with pytest.raises(ScheduleError, match="names no runner"):
        mmdet_runner({})
    with pytest.raises(ScheduleError, match="IterBasedRunner needs max_iters"):
        mmdet_runner({"runner": {"type": "IterBasedRunner", "max_epochs": 12}})
