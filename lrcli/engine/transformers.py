"""Hugging Face transformers' schedules (``transformers.optimization``, as of 5.23), replayed.

Every ``SchedulerType`` but ``reduce_lr_on_plateau`` and ``greedy`` (both stepped with a metric)
is a torch ``LambdaLR`` whose lambda uses ``math`` only: the lr of optimizer step ``k`` is ``initial_lr * lr_lambda(k)``. Each function here
is the library's ``get_*`` function of the same name, its lambda written with the library's
operation order, its ``float()`` conversions and ``max(0, …)`` included: the polynomial lambda
divides by the optimizer's default lr and LambdaLR multiplies it back, which is not always the
same float as the decay itself. The library defines its cosine lambda twice; the second
definition (with ``min_lr_rate``) is the one its cosine schedules use, and the one kept here.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Sequence

from lrcli.engine.core import Group, ScheduleError, Scheduler, Stepper, choice, number, running
from lrcli.engine.torch.multiplicative import lambda_lr
from lrcli.engine.torch.plateau import PLATEAU_MODES, THRESHOLD_MODES

WSD_SHAPES = ("linear", "cosine", "1-sqrt")


def _warmup(current_step: int, num_warmup_steps: int) -> float:
    return float(current_step) / float(max(1, num_warmup_steps))


def _cosine_lambda(
    num_warmup_steps: int, num_training_steps: int, num_cycles: float, min_lr_rate: float = 0.0
) -> Callable[[int], float]:
    def lr_lambda(current_step: int) -> float:
        if current_step < num_warmup_steps:
            return _warmup(current_step, num_warmup_steps)
        progress = float(current_step - num_warmup_steps) / float(max(1, num_training_steps - num_warmup_steps))
        factor = 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress))
        factor = factor * (1 - min_lr_rate) + min_lr_rate
        return max(0, factor)

    return lr_lambda


def _with_default_lr(make: Callable[[float], Scheduler]) -> Scheduler:
    """A scheduler that reads the optimizer's default lr (``optimizer.defaults["lr"]``) when it is
    constructed."""

    def construct(group: Group) -> tuple[Group, Stepper]:
        assert group.optimizer_lr is not None  # the group's lr unless given
        return make(group.optimizer_lr)(group)

    return construct


def _min_lr_rate(min_lr: float | None, min_lr_rate: float | None, default_lr: float) -> float:
    if min_lr is not None and min_lr_rate is not None:
        raise ScheduleError(None, "Only one of min_lr or min_lr_rate should be set")
    if min_lr is not None:
        return min_lr / default_lr
    if min_lr_rate is None:
        raise ScheduleError(
            None, "One of min_lr or min_lr_rate should be set (in --lr-scheduler-kwargs for the Trainer)"
        )
    return min_lr_rate


def get_constant_schedule() -> Scheduler:
    """``constant``: the initial lr throughout.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(get_constant_schedule(), 0.1, 3)
    [0.1, 0.1, 0.1]
    """
    return lambda_lr(lambda _: 1)


def get_constant_schedule_with_warmup(num_warmup_steps: int) -> Scheduler:
    """``constant_with_warmup``: ``k / num_warmup_steps`` of the initial lr, then all of it.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(get_constant_schedule_with_warmup(num_warmup_steps=2), 0.1, 4)
    [0.0, 0.05, 0.1, 0.1]
    """

    def lr_lambda(current_step: int) -> float:
        if current_step < num_warmup_steps:
            return float(current_step) / float(max(1.0, num_warmup_steps))
        return 1.0

    return lambda_lr(lr_lambda)


def get_linear_schedule_with_warmup(num_warmup_steps: int, num_training_steps: int) -> Scheduler:
    """``linear``: warmup from 0, then down in a straight line to 0 at ``num_training_steps``.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(get_linear_schedule_with_warmup(num_warmup_steps=1, num_training_steps=3), 0.1, 4)
    [0.0, 0.1, 0.05, 0.0]
    """

    def lr_lambda(current_step: int) -> float:
        if current_step < num_warmup_steps:
            return _warmup(current_step, num_warmup_steps)
        return max(0.0, float(num_training_steps - current_step) / float(max(1, num_training_steps - num_warmup_steps)))

    return lambda_lr(lr_lambda)


def get_cosine_schedule_with_warmup(
    num_warmup_steps: int, num_training_steps: int, num_cycles: float = 0.5
) -> Scheduler:
    """``cosine``: warmup from 0, then ``0.5 * (1 + cos(2π · num_cycles · progress))`` of the
    initial lr, progress going from 0 to 1 over the steps after the warmup.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(get_cosine_schedule_with_warmup(num_warmup_steps=1, num_training_steps=3), 1.0, 4)
    [0.0, 1.0, 0.5, 0.0]
    """
    return lambda_lr(_cosine_lambda(num_warmup_steps, num_training_steps, num_cycles))


def get_cosine_with_hard_restarts_schedule_with_warmup(
    num_warmup_steps: int, num_training_steps: int, num_cycles: int = 1
) -> Scheduler:
    """``cosine_with_restarts``: warmup, then ``num_cycles`` half-cosines from the initial lr to 0,
    each restarting at the initial lr; 0 from ``num_training_steps`` on.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(get_cosine_with_hard_restarts_schedule_with_warmup(0, 4, num_cycles=2), 1.0, 5)
    [1.0, 0.5, 1.0, 0.5, 0.0]
    """

    def lr_lambda(current_step: int) -> float:
        if current_step < num_warmup_steps:
            return _warmup(current_step, num_warmup_steps)
        progress = float(current_step - num_warmup_steps) / float(max(1, num_training_steps - num_warmup_steps))
        if progress >= 1.0:
            return 0.0
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * ((float(num_cycles) * progress) % 1.0))))

    return lambda_lr(lr_lambda)


def get_polynomial_decay_schedule_with_warmup(
    num_warmup_steps: int, num_training_steps: int, lr_end: float = 1e-7, power: float = 1.0
) -> Scheduler:
    """``polynomial``: warmup, then ``(lr_init - lr_end) * remaining ** power + lr_end``, divided by
    ``lr_init`` (the optimizer's default lr) for LambdaLR to multiply back; ``lr_end`` after
    ``num_training_steps``. The library refuses ``lr_init <= lr_end``.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(get_polynomial_decay_schedule_with_warmup(0, 2, lr_end=0.25, power=2.0), 1.0, 4)
    [1.0, 0.4375, 0.25, 0.25]
    """

    def make(lr_init: float) -> Scheduler:
        if not (lr_init > lr_end):
            raise ScheduleError(None, f"lr_end ({lr_end}) must be smaller than initial lr ({lr_init})")

        def lr_lambda(current_step: int) -> float:
            if current_step < num_warmup_steps:
                return _warmup(current_step, num_warmup_steps)
            if current_step > num_training_steps:
                return lr_end / lr_init
            lr_range = lr_init - lr_end
            decay_steps = num_training_steps - num_warmup_steps
            pct_remaining = 1 - (current_step - num_warmup_steps) / decay_steps
            decay: float = lr_range * pct_remaining**power + lr_end
            return decay / lr_init

        return lambda_lr(lr_lambda)

    return _with_default_lr(make)


def get_inverse_sqrt_schedule(num_warmup_steps: int, timescale: int | None = None) -> Scheduler:
    """``inverse_sqrt``: warmup, then ``1 / sqrt((k + timescale - num_warmup_steps) / timescale)``
    of the initial lr; ``timescale`` defaults to ``num_warmup_steps``, or 10,000 without warmup.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(get_inverse_sqrt_schedule(num_warmup_steps=1), 1.0, 5)
    [0.0, 1.0, 0.7071067811865475, 0.5773502691896258, 0.5]
    """
    if timescale is None:
        timescale = num_warmup_steps or 10_000

    def lr_lambda(current_step: int) -> float:
        if current_step < num_warmup_steps:
            return _warmup(current_step, num_warmup_steps)
        shift = timescale - num_warmup_steps
        return 1.0 / math.sqrt((current_step + shift) / timescale)

    return lambda_lr(lr_lambda)


def get_cosine_with_min_lr_schedule_with_warmup(
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
) -> Scheduler:
    """``cosine_with_min_lr``: the cosine schedule, its factor squeezed into ``[min_lr_rate, 1]``
    (``min_lr_rate = min_lr / optimizer's default lr`` when ``min_lr`` is given; one of them must be).

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(get_cosine_with_min_lr_schedule_with_warmup(0, 2, min_lr_rate=0.1), 1.0, 3)
    [1.0, 0.55, 0.1]
    """
    return _with_default_lr(
        lambda default_lr: lambda_lr(
            _cosine_lambda(
                num_warmup_steps, num_training_steps, num_cycles, _min_lr_rate(min_lr, min_lr_rate, default_lr)
            )
        )
    )


def get_cosine_with_min_lr_schedule_with_warmup_lr_rate(
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
    warmup_lr_rate: float | None = None,
) -> Scheduler:
    """``cosine_warmup_with_min_lr``: like ``cosine_with_min_lr``, but the warmup starts at
    ``1 / num_warmup_steps`` (or ``warmup_lr_rate``) and reaches 1 at its last step, and the cosine's
    progress counts one step ahead.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(get_cosine_with_min_lr_schedule_with_warmup_lr_rate(2, 4, min_lr_rate=0.0), 1.0, 4)
    [0.5, 1.0, 0.5, 0.0]
    """

    def make(default_lr: float) -> Scheduler:
        rate = _min_lr_rate(min_lr, min_lr_rate, default_lr)
        warmup_steps, training_steps = float(num_warmup_steps), float(num_training_steps)

        def lr_lambda(step: int) -> float:
            current_step = float(step)
            if current_step < warmup_steps:
                if warmup_lr_rate is None:
                    return (current_step + 1.0) / max(1.0, warmup_steps)
                start = float(warmup_lr_rate)
                return start + (1.0 - start) * (current_step) / (max(1, warmup_steps - 1))
            progress = (current_step - warmup_steps + 1.0) / (max(1.0, training_steps - warmup_steps))
            factor = 0.5 * (1.0 + math.cos(math.pi * num_cycles * 2.0 * progress))
            factor = factor * (1 - rate) + rate
            return max(0, factor)

        return lambda_lr(lr_lambda)

    return _with_default_lr(make)


def get_wsd_schedule(
    num_warmup_steps: int,
    num_decay_steps: int,
    num_training_steps: int | None = None,
    num_stable_steps: int | None = None,
    warmup_type: str = "linear",
    decay_type: str = "cosine",
    min_lr_ratio: float = 0,
    num_cycles: float = 0.5,
) -> Scheduler:
    """``warmup_stable_decay``: warm up from ``min_lr_ratio`` to 1, stay at 1 for
    ``num_stable_steps`` (by default the steps left of ``num_training_steps``), decay back to
    ``min_lr_ratio`` over ``num_decay_steps`` and stay there; each ramp linear, cosine or 1-sqrt.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(get_wsd_schedule(1, 2, num_training_steps=4, decay_type="linear"), 1.0, 5)
    [0.0, 1.0, 1.0, 0.5, 0.0]
    """
    if num_training_steps is None and num_stable_steps is None:
        raise ScheduleError(None, "Either num_training_steps or num_stable_steps must be specified.")
    choice("warmup_type", warmup_type, WSD_SHAPES)
    choice("decay_type", decay_type, WSD_SHAPES)
    if num_stable_steps is None:
        assert num_training_steps is not None  # one of them is given
        num_stable_steps = num_training_steps - num_warmup_steps - num_decay_steps

    def lr_lambda(current_step: int) -> float:
        if current_step < num_warmup_steps:
            progress = float(current_step) / float(max(1, num_warmup_steps))
            if warmup_type == "linear":
                factor = progress
            elif warmup_type == "cosine":
                factor = 0.5 * (1.0 - math.cos(math.pi * progress))
            else:
                factor = 1.0 - math.sqrt(1.0 - progress)
            factor = factor * (1.0 - min_lr_ratio) + min_lr_ratio
            return max(0.0, factor)
        if current_step < num_warmup_steps + num_stable_steps:
            return 1.0
        if current_step < num_warmup_steps + num_stable_steps + num_decay_steps:
            progress = float(current_step - num_warmup_steps - num_stable_steps) / float(max(1, num_decay_steps))
            if decay_type == "linear":
                factor = 1.0 - progress
            elif decay_type == "cosine":
                factor = 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress))
            else:
                factor = 1.0 - math.sqrt(progress)
            factor = factor * (1.0 - min_lr_ratio) + min_lr_ratio
            return max(0.0, factor)
        return min_lr_ratio

    return lambda_lr(lr_lambda)


def get_greedy_schedule(
    metrics: Sequence[float],
    mode: str = "min",
    factor: float = 0.95,
    patience: float = 10,
    threshold: float = 1e-6,
    threshold_mode: str = "abs",
    cooldown: float = 0,
    warmup: float = 0,
    min_lr: float = 1e-3,
    max_lr: float = 1.0,
    eps: float = 1e-8,
    verbose: bool = False,
    smooth: bool = False,
    window_size: float = 50,
    reset_start: float = 500,
) -> Scheduler:
    """``greedy`` (``GreedyLR``), row k after ``step(metrics[k-1])``: outside a cooldown or warmup,
    more than ``patience`` improvements in a row divide the lr by ``factor`` (up to ``max_lr``,
    then ``warmup`` steps pass), more than ``patience`` steps without one multiply it by
    ``factor`` (down to ``min_lr``, then ``cooldown`` steps pass); ``reset_start`` reductions with
    every group at ``min_lr`` (with no increase between) restore the initial lr and start over.
    With ``smooth``, the metric is the mean of the last ``window_size``. ``verbose`` only prints.

    The reset depends on every param group at once; each group is replayed on its own, which is
    exact for one group, and for several as long as no group alone would reach a reset (the
    groups together reach one later, if ever): where one would, several groups are refused.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(get_greedy_schedule([5, 4, 3, 3, 3], patience=1, factor=0.5), 0.1, 6)
    [0.1, 0.1, 0.2, 0.2, 0.2, 0.1]
    """
    choice("mode", mode, PLATEAU_MODES)
    number("factor", factor, high=1.0, open_high=True)
    for name, value in (
        ("patience", patience),
        ("threshold", threshold),
        ("cooldown", cooldown),
        ("warmup", warmup),
        ("min_lr", min_lr),
        ("max_lr", max_lr),
        ("eps", eps),
        ("window_size", window_size),
        ("reset_start", reset_start),
    ):
        number(name, value)
    choice("threshold_mode", threshold_mode, THRESHOLD_MODES)
    worse = math.inf if mode == "min" else -math.inf

    def better(current: float, best: float) -> bool:  # the library's is_better, as written
        if mode == "min":
            return current < best * (1.0 - threshold) if threshold_mode == "rel" else current < best - threshold
        return current > best * (1.0 + threshold) if threshold_mode == "rel" else current > best + threshold

    def check_rows(rows: int) -> None:
        if len(metrics) < rows - 1:
            raise ScheduleError(
                "metrics", f"has {len(metrics)} values; {rows} rows need {rows - 1} (row k follows step(metrics[k-1]))"
            )

    def construct(group: Group) -> tuple[Group, Stepper]:
        initial = group.lr
        # What the library keeps between steps; spans are asked for in order, so it carries over.
        state = {
            "next": 1,
            "best": worse,
            "bad": 0,
            "good": 0,
            "cooldown": 0,
            "warmup": 0,
            "reset": reset_start,
            "sum": 0.0,
        }
        window: deque[float] = deque()  # the library's StreamingAverage

        def run(lr: float, first: int, stop: int) -> list[float]:
            if first != state["next"]:
                raise ValueError(f"GreedyLR replays in order: asked for step {first}, at {state['next']}")
            check_rows(stop)
            values: list[float] = []
            for step, metric in enumerate(metrics[first - 1 : stop - 1], first):
                current = float(metric)
                if smooth:
                    window.append(current)
                    state["sum"] += current
                    if len(window) > window_size:
                        state["sum"] -= window.popleft()
                    current = state["sum"] / len(window)
                if state["cooldown"] > 0:
                    state.update(cooldown=state["cooldown"] - 1, bad=0, good=0)
                elif state["warmup"] > 0:
                    state.update(warmup=state["warmup"] - 1, bad=0, good=0)
                else:
                    if better(current, state["best"]):
                        state.update(best=current, bad=0, good=state["good"] + 1)
                    else:
                        state.update(bad=state["bad"] + 1, good=0)
                    if state["good"] > patience:
                        new_lr = min(lr / factor, max_lr)
                        if new_lr - lr > eps:
                            lr = new_lr
                        state.update(reset=reset_start, warmup=warmup, good=0)
                    elif state["bad"] > patience:
                        new_lr = max(lr * factor, min_lr)
                        if lr - new_lr > eps:
                            lr = new_lr
                        if not lr > min_lr:  # this group is at min_lr (the library asks it of every group)
                            state["reset"] -= 1
                            if state["reset"] <= 0:
                                if group.groups > 1:
                                    raise ScheduleError(
                                        None,
                                        f"GreedyLR resets at evaluation {step} if every param "
                                        "group is at its min_lr; lrcli replays the reset for one "
                                        "param group only",
                                    )
                                lr = initial
                                state.update(best=worse, bad=0, good=0, warmup=0, reset=reset_start, sum=0.0)
                                window.clear()
                        state.update(cooldown=cooldown, bad=0)
                values.append(lr)
            state["next"] = stop
            return values

        return group, running(run, check_rows=check_rows)

    return construct
