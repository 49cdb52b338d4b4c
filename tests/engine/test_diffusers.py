"""diffusers' schedules and training-script arithmetic, replayed, against diffusers 0.42.1 and accelerate
(scripts/golden_diffusers.py)."""

import csv
import json

import pytest

from lrcli.engine import diffusers
from lrcli.engine.core import GroupReplay, ScheduleError, lr_values
from scripts.golden import harness

GOLDEN = harness.folder("diffusers")
MANIFEST = json.loads((GOLDEN / "manifest.json").read_text())
SCHEDULES = sorted(name for name, case in MANIFEST["cases"].items() if "function" in case)
SCRIPTS = sorted(name for name, case in MANIFEST["cases"].items() if "script" in case)


def golden(name: str) -> list[list[float]]:
    rows = list(csv.reader((GOLDEN / f"{name}.csv").read_text().splitlines()))
    return [[int(row[0]), *map(float, row[1:])] for row in rows[1:]]


def scheduler(function: str, keywords: dict):
    return getattr(diffusers, function)(**keywords)


@pytest.mark.parametrize("name", SCHEDULES)
def test_rows_equal_diffusers(name):
    case = MANIFEST["cases"][name]
    rows = golden(name)
    assert len(rows) == case["rows"]
    columns = [
        [
            value
            for chunk in GroupReplay(
                scheduler(case["function"], case["keywords"]), lr, optimizer_lr=case["lrs"][0]
            ).chunks(case["rows"], size=7)
            for value in chunk
        ]
        for lr in case["lrs"]
    ]
    assert [[row, *values] for row, values in enumerate(zip(*columns))] == [[row[0], *row[1:]] for row in rows]


@pytest.mark.parametrize("name", sorted(MANIFEST["refusals"]))
def test_refuses_what_diffusers_refuses(name):
    case = MANIFEST["refusals"][name]
    with pytest.raises(ScheduleError):
        GroupReplay(scheduler(case["function"], case["keywords"]), case["lrs"][0])


def test_refusal_messages_follow_diffusers():
    for name in (
        "unknown_name",
        "linear_without_warmup",
        "cosine_without_total",
        "warmup_without_warmup",
        "polynomial_lr_below_end",
    ):
        case = MANIFEST["refusals"][name]
        with pytest.raises(ScheduleError) as raised:
            GroupReplay(scheduler(case["function"], case["keywords"]), case["lrs"][0])
        assert str(raised.value).startswith(case["message"]), name
    case = MANIFEST["refusals"]["piecewise_float_steps"]
    with pytest.raises(ScheduleError, match=r"rule '1:1.5': invalid literal for int\(\) with base 10: '1.5'"):
        scheduler(case["function"], case["keywords"])


def test_golden_covers_every_type_and_the_version():
    assert MANIFEST["versions"]["diffusers"] == "0.42.1"
    named = {MANIFEST["cases"][name]["keywords"].get("name") for name in SCHEDULES}
    assert named - {None} == set(diffusers.SCHEDULER_TYPES)


def test_get_scheduler_cosine_is_always_half_a_wave():
    """get_scheduler passes num_cycles to cosine_with_restarts only."""
    assert lr_values(
        diffusers.get_scheduler("cosine", num_warmup_steps=2, num_training_steps=50, num_cycles=5), 0.1, 60
    ) == lr_values(diffusers.get_cosine_schedule_with_warmup(2, 50, num_cycles=0.5), 0.1, 60)


def test_step_rules_are_read_like_diffusers():
    assert diffusers.parse_step_rules(" 0.5:15 , 1: 4,0.25 ") == ([4, 15], [1.0, 0.5], 0.25)
    assert diffusers.parse_step_rules("2:3,0.3:3,1") == ([3], [0.3], 1.0)
    assert diffusers.parse_step_rules("1:-2,0.5:1_0,0.05") == ([-2, 10], [1.0, 0.5], 0.05)


@pytest.mark.parametrize("name", SCRIPTS)
def test_training_script_plan_and_logged_lrs(name):
    case = MANIFEST["cases"][name]
    flags, seen, processes = case["script"], case["seen"], case["num_processes"]
    plan = diffusers.training_script(
        flags["learning_rate"],
        lr_warmup_steps=flags["lr_warmup_steps"],
        num_processes=processes,
        gradient_accumulation_steps=flags.get("gradient_accumulation_steps", 1),
        max_train_steps=flags.get("max_train_steps"),
        num_train_epochs=flags.get("num_train_epochs", 1),
        batches_per_epoch=seen["batches_per_epoch"],
        drop_last=flags.get("drop_last", False),
        scale_lr=flags.get("scale_lr", False),
        train_batch_size=flags["train_batch_size"],
    )
    assert (
        plan.learning_rate,
        plan.num_warmup_steps,
        plan.num_training_steps,
        plan.max_train_steps,
        plan.num_train_epochs,
        plan.warning is not None,
    ) == (
        seen["learning_rate"],
        seen["num_warmup_steps"],
        seen["num_training_steps"],
        seen["max_train_steps"],
        seen["num_train_epochs"],
        seen["warning"],
    )
    assert (
        diffusers.sharded_batches(seen["batches_per_epoch"], processes, flags.get("drop_last", False))
        == seen["prepared_batches"]
    )
    schedule = diffusers.get_scheduler(
        flags["lr_scheduler"],
        num_warmup_steps=plan.num_warmup_steps,
        num_training_steps=plan.num_training_steps,
        num_cycles=flags.get("lr_num_cycles", 1),
        power=flags.get("lr_power", 1.0),
    )
    values = lr_values(schedule, plan.learning_rate, plan.steps_per_update * plan.max_train_steps + 1)
    rows = golden(name)
    assert len(rows) == plan.max_train_steps + 1
    assert [
        [step, values[plan.steps_per_update * step], plan.steps_per_update * step]
        for step in range(plan.max_train_steps + 1)
    ] == rows


def test_training_script_refusals():
    with pytest.raises(ScheduleError, match="give the batches per epoch"):
        diffusers.training_script(1e-4, lr_warmup_steps=0, num_train_epochs=3)
    with pytest.raises(ScheduleError, match="lr_warmup_steps must be a whole number, got 0.5"):
        diffusers.training_script(1e-4, lr_warmup_steps=0.5, max_train_steps=10)
    with pytest.raises(ScheduleError, match="num_processes must be a whole number >= 1"):
        diffusers.training_script(1e-4, lr_warmup_steps=0, max_train_steps=10, num_processes=0)
    with pytest.raises(ScheduleError, match="no batch on each of the 8 processes"):
        diffusers.training_script(
            1e-4, lr_warmup_steps=0, max_train_steps=10, batches_per_epoch=7, num_processes=8, drop_last=True
        )


def test_training_script_without_batches_knows_no_epochs():
    plan = diffusers.training_script(1e-4, lr_warmup_steps=-3, max_train_steps=10, num_processes=2)
    assert (plan.num_warmup_steps, plan.num_training_steps, plan.num_train_epochs) == (-6, 20, None)
