"""DeepSpeed's lr schedules (``deepspeed.runtime.lr_schedules``, 0.19.8): one description per class,
each ``lrcli deepspeed COMMAND`` (the class name in kebab-case) with DeepSpeed's parameter names and
defaults; its code is the class called on the optimizer, stepped once per optimizer update."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable

from lrcli.engine import deepspeed
from lrcli.engine.core import Scheduler
from lrcli.registry.description import (
    BOOL,
    FLOAT,
    INT,
    NUMBER,
    TEXT,
    Builder,
    Commands,
    Description,
    Family,
    Param,
    Reads,
)

DETAILS = (
    "Row u is the lr optimizer update u uses: row 0 is what the constructor leaves in the param group, then "
    "one scheduler.step() per update (DeepSpeed steps it at each gradient-accumulation boundary and skips an "
    "fp16 overflow). Replays DeepSpeed 0.19.8 exactly, without DeepSpeed."
)
RESUME = Param(
    "last_batch_iteration", INT, "The update a resumed run starts after (-1: a new run, from the constructor).", -1
)
WARMUP_STEPS = Param(
    "warmup_num_steps", INT, "Updates of warmup (DeepSpeed raises it to at least 2).", 1000, steps=True
)
WARMUP_TYPE = Param(
    "warmup_type",
    TEXT,
    "log: the warmup's fraction at update k is log(k + 1) / log(warmup_num_steps); linear: k / "
    "warmup_num_steps (any other word is log, with DeepSpeed's warning).",
    deepspeed.LOG,
)
TOTAL_STEPS = Param("total_num_steps", NUMBER, "Updates in the whole training.", steps=True)


def _min_lr(help: str) -> Param:
    return Param("warmup_min_lr", FLOAT, help, 0.0, per_group=True)


def _warned(factory: Callable[..., Scheduler]) -> Callable[..., Scheduler]:
    """``factory``, saying as a warning what DeepSpeed only logs about the parameters it runs."""
    name = next(name for name, each in deepspeed.CLASSES.items() if each is factory)

    @functools.wraps(factory)
    def made(**params: object) -> Scheduler:
        for text in deepspeed.deepspeed_warnings(name, params):
            warnings.warn(text, stacklevel=2)
        return factory(**params)

    return made


def _row(params: dict, k: object) -> int | None:
    """The row at which DeepSpeed's count of updates is ``k`` (None: not a whole number)."""
    resume = params.get("last_batch_iteration", -1)
    if isinstance(k, bool) or isinstance(resume, bool) or not isinstance(k, (int, float)):
        return None
    if not isinstance(resume, (int, float)):
        return None
    return int(k - resume) if k == int(k) and resume == int(resume) else None


def _warmup_end(params: dict) -> int | None:
    """The first row after the warmup (DeepSpeed counts at least 2 warmup updates)."""
    steps = params.get("warmup_num_steps", 1000)
    return _row(params, max(2, steps)) if isinstance(steps, int) and not isinstance(steps, bool) else None


def _total_end(params: dict) -> int | None:
    """The first row at ``total_num_steps``, where the lr reaches its end."""
    return _row(params, params.get("total_num_steps"))


def _cycle_end(params: dict) -> int | None:
    """The first row after OneCycle's cycle (both of its phases)."""
    first, second = params.get("cycle_first_step_size", 2000), params.get("cycle_second_step_size")
    second = first if second is None else second
    numbers = all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in (first, second))
    return _row(params, first + second) if numbers else None


def _cycle_top(params: dict) -> int | None:
    """The row at OneCycle's top."""
    first = params.get("cycle_first_step_size", 2000)
    return _row(params, first - 1) if isinstance(first, (int, float)) and not isinstance(first, bool) else None


def _stairs(params: dict, rows: int) -> range:
    """LRRangeTest's staircase: a step whenever the count of updates + 1 is a multiple of
    ``lr_range_test_step_size``."""
    size, resume = params.get("lr_range_test_step_size", 2000), params.get("last_batch_iteration", -1)
    if not params.get("lr_range_test_staircase") or not isinstance(size, int) or size < 1:
        return range(0)
    if isinstance(resume, bool) or not isinstance(resume, int):
        return range(0)
    return range(-(resume + 1) % size or size, rows, size)


def _events(*ends: Callable[[dict], int | None]) -> Callable[[dict, int], list[int]]:
    def events(params: dict, rows: int) -> list[int]:
        return sorted({row for row in (end(params) for end in ends) if row is not None and 0 < row < rows})

    return events


def _plus_one(end: Callable[[dict], int | None]) -> Callable[[dict], int | None]:
    """Rows to show: up to and including the row ``end`` gives."""

    def rows(params: dict) -> int | None:
        row = end(params)
        return row + 1 if row is not None and row >= 0 else None

    return rows


def _description(
    command: str,
    factory: Callable[..., Scheduler],
    summary: str,
    params: tuple[Param, ...],
    examples: tuple[str, ...],
    rows: tuple[Callable[[dict], int | None] | None, str | None],
    events: Callable[[dict, int], object],
    details: str = DETAILS,
    **more: object,
) -> Description:
    return Description(
        f"deepspeed.{command}",
        next(name for name, each in deepspeed.CLASSES.items() if each is factory),
        _warned(factory),
        summary,
        params,
        examples,
        details=details,
        warmup=False,
        composable=False,
        default_rows=rows[0],
        default_rows_text=rows[1],
        events=events,  # type: ignore[arg-type]
        module="deepspeed.runtime.lr_schedules",
        unit="step",
        **more,  # type: ignore[arg-type]
    )


DEEPSPEED = (
    _description(
        "warmup-lr",
        deepspeed.warmup_lr,
        "Warm up from warmup_min_lr to warmup_max_lr (the group's lr), then stay there.",
        (
            _min_lr("The lr of the first two updates, where the warmup starts; once or once per group."),
            Param(
                "warmup_max_lr",
                FLOAT,
                "The lr the warmup reaches; once or once per group.",
                None,
                per_group=True,
                shown_default="the group's lr (--lr)",
            ),
            WARMUP_STEPS,
            WARMUP_TYPE,
            RESUME,
        ),
        (
            "lrcli deepspeed warmup-lr --warmup-max-lr 0.001 --warmup-num-steps 5",
            "lrcli deepspeed warmup-lr --lr 3e-4 --warmup-num-steps 100 \\\n      --warmup-type linear -f plot",
        ),
        (_plus_one(_warmup_end), "the warmup and one more"),
        _events(_warmup_end),
    ),
    _description(
        "warmup-decay-lr",
        deepspeed.warmup_decay_lr,
        "WarmupLR's warmup (to 0.001 by default), then a straight line down to warmup_min_lr at total_num_steps.",
        (
            TOTAL_STEPS,
            _min_lr("The lr of the first two updates and the last; once or once per group."),
            Param(
                "warmup_max_lr",
                FLOAT,
                "The lr the warmup reaches (not the group's lr); once or per group.",
                0.001,
                per_group=True,
            ),
            WARMUP_STEPS,
            WARMUP_TYPE,
            RESUME,
        ),
        (
            "lrcli deepspeed warmup-decay-lr --total-num-steps 10000 \\\n      --warmup-num-steps 500 -f plot",
            "lrcli deepspeed warmup-decay-lr --total-num-steps 20 --warmup-max-lr 0.01 \\\n"
            "      --warmup-num-steps 4 --warmup-type linear",
        ),
        (_plus_one(_total_end), "total_num_steps + 1"),
        _events(_warmup_end, _total_end),
        sets_lr=True,
    ),
    _description(
        "warmup-cosine-lr",
        deepspeed.warmup_cosine_lr,
        "A ratio of the group's lr: warm up from warmup_min_ratio to 1, then a half cosine down to cos_min_ratio.",
        (
            TOTAL_STEPS,
            Param("warmup_min_ratio", FLOAT, "The ratio the warmup starts at.", 0.0),
            WARMUP_STEPS,
            Param("cos_min_ratio", FLOAT, "The ratio the cosine ends at.", 0.0001),
            WARMUP_TYPE,
            RESUME,
        ),
        (
            "lrcli deepspeed warmup-cosine-lr --lr 6e-4 --total-num-steps 10000 \\\n"
            "      --warmup-num-steps 500 -f plot",
            "lrcli deepspeed warmup-cosine-lr --total-num-steps 12 --warmup-num-steps 4 \\\n"
            "      --warmup-type linear --cos-min-ratio 0.1",
        ),
        (_plus_one(_total_end), "total_num_steps + 1"),
        _events(_warmup_end, _total_end),
        details=DETAILS
        + " The constructor multiplies the group's lr by 0.0: the first update runs at 0, whatever warmup_min_ratio is.",
    ),
    _description(
        "one-cycle",
        deepspeed.one_cycle,
        "Up from cycle_min_lr to cycle_max_lr and down again (in stairs with the stair counts), then a decay.",
        (
            Param(
                "cycle_min_lr", FLOAT, "The lr the cycle starts and ends at; once or once per group.", per_group=True
            ),
            Param("cycle_max_lr", FLOAT, "The lr at the cycle's top; once or once per group.", per_group=True),
            Param("decay_lr_rate", FLOAT, "After the cycle: cycle_min_lr / (1 + rate * decay intervals).", 0.0),
            Param("cycle_first_step_size", NUMBER, "Updates from the bottom to the top.", 2000, steps=True),
            Param(
                "cycle_second_step_size",
                NUMBER,
                "Updates from the top back down.",
                None,
                steps=True,
                shown_default="cycle_first_step_size",
            ),
            Param("cycle_first_stair_count", NUMBER, "Stairs up (0: a straight line).", 0),
            Param(
                "cycle_second_stair_count",
                NUMBER,
                "Stairs down.",
                None,
                shown_default="cycle_first_stair_count",
            ),
            Param(
                "decay_step_size", NUMBER, "Updates per decay interval after the cycle (0: no decay).", 0, steps=True
            ),
            Param("cycle_momentum", BOOL, "Cycle the momentum (Adam's betas[0]) the other way.", True),
            Param(
                "cycle_min_mom", FLOAT, "The momentum at the cycle's top; once or once per group.", 0.8, per_group=True
            ),
            Param("cycle_max_mom", FLOAT, "The momentum at its ends; once or once per group.", 0.9, per_group=True),
            Param("decay_mom_rate", FLOAT, "After the cycle: cycle_max_mom * (1 + rate * decay intervals).", 0.0),
            RESUME,
        ),
        (
            "lrcli deepspeed one-cycle --cycle-min-lr 1e-4 --cycle-max-lr 1e-3 \\\n"
            "      --cycle-first-step-size 500 --steps 1500 -f plot",
            "lrcli deepspeed one-cycle --cycle-min-lr 0.01 --cycle-max-lr 0.1 \\\n"
            "      --cycle-first-step-size 4 --cycle-first-stair-count 2 --show-momentum",
        ),
        (_plus_one(_cycle_end), "the cycle and one more"),
        _events(_cycle_top, _cycle_end),
        sets_lr=True,
        cycles_momentum=True,
    ),
    _description(
        "lr-range-test",
        deepspeed.lr_range_test,
        "The lr range test: lr_range_test_min_lr * (1 + step_rate * intervals), rising without end.",
        (
            Param("lr_range_test_min_lr", FLOAT, "The first lr; once or once per group.", 1e-3, per_group=True),
            Param("lr_range_test_step_size", INT, "Updates per interval.", 2000, steps=True),
            Param("lr_range_test_step_rate", FLOAT, "The lr's rise per interval, as a fraction of the first.", 1.0),
            Param("lr_range_test_staircase", BOOL, "Count whole intervals only (a staircase).", False),
            RESUME,
        ),
        (
            "lrcli deepspeed lr-range-test --lr-range-test-min-lr 1e-5 \\\n"
            "      --lr-range-test-step-size 100 --steps 2000 -f plot --log-y",
            "lrcli deepspeed lr-range-test --lr-range-test-step-size 2 \\\n      --lr-range-test-staircase --steps 7",
        ),
        (None, None),
        _stairs,
        sets_lr=True,
    ),
)
"""DeepSpeed's five classes, by the names a config's ``"scheduler": {"type": …}`` gives them."""


class LrSchedules(Builder):
    """As DeepSpeed's users build a schedule: ``lr_schedules.CLASS(optimizer, **params)``, stepped
    once per optimizer update, on an Adam optimizer (OneCycle cycles its ``betas``)."""

    betas = True

    def module(self, name: str):
        """DeepSpeed's module, imported without the accelerator notice it prints on stdout, and
        with its logger quiet."""
        import contextlib
        import io
        import logging

        with contextlib.redirect_stdout(io.StringIO()):
            module = super().module(name)
        logging.getLogger("DeepSpeed").setLevel(logging.ERROR)
        return module


def _file_command(family: Family):
    """``lrcli deepspeed FILE``: a ds_config.json's scheduler (its own command line)."""
    from lrcli.cli.deepspeed import make_file_command

    return make_file_command(family)


KEYS = ("scheduler", "train_batch_size", "train_micro_batch_size_per_gpu", "gradient_accumulation_steps")
"""Top-level keys only a DeepSpeed config has (an OpenMMLab one has an ``optimizer`` too, but
without DeepSpeed's ``{"type", "params"}``)."""


def _recognises(path: str) -> bool:
    """Whether ``path`` is a DeepSpeed config: a JSON/hjson object with a ``"scheduler"``, a batch
    size of DeepSpeed's, or an ``"optimizer"`` given as ``{"type", "params"}``."""
    from lrcli.deepspeed_config import read_hjson

    config = read_hjson(path, duplicates=True)[0]
    optimizer = config.get("optimizer")
    return any(key in config for key in KEYS) or (isinstance(optimizer, dict) and "params" in optimizer)


FAMILY = Family(
    "deepspeed",
    'DeepSpeed\'s lr schedules (the "scheduler" of a ds_config.json), replayed exactly without DeepSpeed: one '
    "row per optimizer update. lrcli deepspeed FILE reads a ds_config.json (or hjson) as DeepSpeed does; "
    'with --learning-rate, --max-steps or --warmup-steps, as the HF Trainer does, filling its "auto" values. '
    'A "type" naming a torch.optim.lr_scheduler class is that class, stepped once per update.',
    DEEPSPEED,
    Commands(grouped=True, file=_file_command),
    LrSchedules(),
    (
        Reads(
            "DeepSpeed config",
            'DeepSpeed (a JSON/hjson object with "scheduler", "optimizer": {"type", "params"} or a batch size)',
            ("deepspeed",),
            _recognises,
        ),
    ),
)
