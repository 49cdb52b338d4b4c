"""DeepSpeed's schedules, replayed, against DeepSpeed 0.19.8's own classes (scripts/golden_deepspeed.py)."""

import csv
import json
import math

import pytest

from lrcli.engine.core import GroupReplay, ScheduleError, lr_values
from lrcli.engine.deepspeed import (
    deepspeed_schedulers,
    deepspeed_warnings,
    one_cycle,
    warmup_cosine_lr,
    warmup_decay_lr,
    warmup_lr,
)
from scripts.golden import harness

GOLDEN = harness.folder("deepspeed")
MANIFEST = json.loads((GOLDEN / "manifest.json").read_text())
CASES = {name: case for name, case in MANIFEST["cases"].items() if "file" not in case}
"""The cases of a class and its params (a ``file`` case, a config deepspeed.initialize read, is run
through ``lrcli config`` in tests/golden/test_frameworks.py)."""


def golden(name: str) -> tuple[list[str], list[list[float]]]:
    rows = list(csv.reader((GOLDEN / f"{name}.csv").read_text().splitlines()))
    return rows[0], [[int(row[0]), *map(float, row[1:])] for row in rows[1:]]


def replayed(case: dict) -> list[list[float]]:
    """Every row of the case: lrs per group, then (Adam) betas[0] per group."""
    lrs, cycles = case["lrs"], case["type"] == "OneCycle"
    params = dict(case["params"])
    if cycles and case["optimizer"] != "Adam":
        params["cycle_momentum"] = False  # DeepSpeed turns it off for an optimizer without betas
    replays = [
        GroupReplay(scheduler, lr) for scheduler, lr in zip(deepspeed_schedulers(case["type"], params, len(lrs)), lrs)
    ]
    columns = [[value for chunk in replay.chunks(case["rows"], size=4096) for value in chunk] for replay in replays]
    if case["optimizer"] == "Adam":
        for replay in replays:
            moving = replay.stepper.momentum
            columns.append(moving(0, case["rows"]) if moving is not None else [0.9] * case["rows"])
    return [list(row) for row in zip(*columns)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_rows_equal_deepspeed(name):
    case = CASES[name]
    _, rows = golden(name)
    assert rows[-1][0] == case["rows"] - 1
    everything = replayed(case)
    mismatches = [(row[0], row[1:], everything[row[0]]) for row in rows if everything[row[0]] != row[1:]]
    assert mismatches == []


def test_golden_covers_every_class_and_the_quirks():
    cases = CASES.values()
    assert {case["type"] for case in cases} == {
        "WarmupLR",
        "WarmupDecayLR",
        "WarmupCosineLR",
        "OneCycle",
        "LRRangeTest",
    }
    assert MANIFEST["versions"]["deepspeed"] == "0.19.8"
    _, rows = golden("warmup_log_facts")
    assert [row[1] for row in rows] == [
        0,
        0.0,
        0.00043067655807339306,
        0.0006826061944859854,
        0.0008613531161467861,
        0.001,
        0.001,
    ]
    assert any(len(golden(name)[1]) < case["rows"] for name, case in MANIFEST["cases"].items())  # sampled runs


def test_first_two_updates_at_the_minimum():
    """The constructor sets warmup_min_lr and k = 0 gives log(1) = 0: two updates at it."""
    assert lr_values(warmup_lr(warmup_min_lr=0.25, warmup_max_lr=1.0, warmup_num_steps=4), 0.1, 3)[:2] == [0.25, 0.25]


def test_warmup_num_steps_is_raised_to_two():
    assert (
        lr_values(warmup_lr(warmup_max_lr=1.0, warmup_num_steps=1), 0.1, 4)
        == lr_values(warmup_lr(warmup_max_lr=1.0, warmup_num_steps=2), 0.1, 4)
        == [0.0, 0.0, 1.0, 1.0]
    )


def test_warmup_max_lr_defaults_to_the_group_lr_but_not_in_warmup_decay():
    assert lr_values(warmup_lr(warmup_num_steps=2), 0.5, 3)[-1] == 0.5
    assert lr_values(warmup_decay_lr(10, warmup_num_steps=2), 0.5, 3)[-1] == 0.001


def test_warmup_cosine_scales_the_group_lr():
    first = lr_values(warmup_cosine_lr(20, warmup_num_steps=3), 1.0, 20)
    second = lr_values(warmup_cosine_lr(20, warmup_num_steps=3), 0.5, 20)
    assert first[0] == second[0] == 0.0
    assert [value * 0.5 for value in first] == second


@pytest.mark.parametrize(
    "name, params, message",
    [
        ("WarmupLR", {"warmup_num_steps": 0}, "warmup_num_steps must be a positive integer, got 0"),
        ("WarmupLR", {"warmup_num_steps": 10.0}, "warmup_num_steps must be a positive integer, got 10.0"),
        ("WarmupDecayLR", {"total_num_steps": 10, "warmup_num_steps": -1}, "warmup_num_steps must be a positive"),
        ("WarmupCosineLR", {"total_num_steps": 10, "warmup_num_steps": 0}, "warmup_num_steps must be a positive"),
        ("WarmupDecayLR", {}, "WarmupDecayLR is missing the required argument 'total_num_steps'"),
        ("OneCycle", {"cycle_min_lr": 0.1}, "OneCycle is missing the required argument 'cycle_max_lr'"),
        (
            "OneCycle",
            {"cycle_min_lr": 0.1, "cycle_max_lr": 1, "cycle_first_step_size": 0},
            "cycle_first_step_size must be positive, got 0.0",
        ),
        (
            "OneCycle",
            {"cycle_min_lr": 0.1, "cycle_max_lr": 1, "cycle_second_step_size": -1},
            "cycle_second_step_size must be non-negative, got -1.0",
        ),
        ("LRRangeTest", {"lr_range_test_step_size": 0}, "lr_range_test_step_size must be a positive integer, got 0"),
        ("LRRangeTest", {"lr_range_test_min_lr": [0.1]}, "expected 2 lr_range_test_min_lr, got 1"),
        ("OneCycle", {"cycle_min_lr": [0.1, 0.2, 0.3], "cycle_max_lr": 1}, "expected 2 value for cycle_min_lr, got 3"),
        ("WarmupLR", {"warmup_max_lr": (1.0,)}, "expected 2 value for max_lr, got 1"),
        ("WarmupLR", {"warmup_max_lr": "auto"}, "warmup_max_lr must be a finite number, got 'auto'"),
        ("WarmupLR", {"warmup_steps": 10}, "WarmupLR got an unexpected keyword argument 'warmup_steps'"),
        ("WarmupCosineLR", {"total_num_steps": 10, "warmup_min_lr": 0}, "unexpected keyword argument 'warmup_min_lr'"),
        ("CosineLR", {}, "DeepSpeed has no lr schedule 'CosineLR'"),
    ],
)
def test_refuses_what_deepspeed_refuses(name, params, message):
    with pytest.raises(ScheduleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        deepspeed_schedulers(name, params, 2)


def test_warnings_deepspeed_only_logs():
    assert deepspeed_warnings("WarmupDecayLR", {"total_num_steps": 5, "warmup_num_steps": 10}) == [
        "total_num_steps 5 is less than warmup_num_steps 10"
    ]
    assert deepspeed_warnings("OneCycle", {}, has_betas=False)[0].startswith("cycle_momentum is disabled")
    assert deepspeed_warnings("OneCycle", {"cycle_momentum": False}, has_betas=False) == []
    assert deepspeed_warnings("WarmupLR", {"warmup_type": "linear"}) == []


def test_resumed_one_cycle_does_not_know_the_first_momentum():
    replay = GroupReplay(one_cycle(0.1, 1.0, cycle_first_step_size=4, last_batch_iteration=3), 0.5)
    assert next(replay.chunks(1)) == [0.5]
    assert replay.stepper.momentum(1, 3) == replay.stepper.momentum(1, 3) and len(replay.stepper.momentum(1, 3)) == 2
    with pytest.raises(ScheduleError, match="own betas"):
        replay.stepper.momentum(0, 2)


def test_a_million_rows_in_chunks():
    replay = GroupReplay(warmup_decay_lr(10**6, warmup_num_steps=1000), 0.1)
    last = None
    for chunk in replay.chunks(10**6 + 2):  # row u is k = u - 1: k = total_num_steps is 0
        last = chunk[-1]
    assert last == 0.0 and not math.isnan(last)


def test_momentum_lists_unread_without_cycle_momentum():
    """DeepSpeed checks the momentum lists only when it cycles momentum (an optimizer with betas)."""
    params = {"cycle_min_lr": 0.1, "cycle_max_lr": 1.0, "cycle_max_mom": [0.9], "cycle_momentum": False}
    assert len(deepspeed_schedulers("OneCycle", params, 2)) == 2
    with pytest.raises(ScheduleError, match="expected 2 value for cycle_max_mom, got 1"):
        deepspeed_schedulers("OneCycle", {**params, "cycle_momentum": True}, 2)
