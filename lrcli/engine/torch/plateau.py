"""ReduceLROnPlateau: stepped by a metric instead of a clock."""

from __future__ import annotations

import math
from collections.abc import Sequence

from lrcli.engine.core import Group, ScheduleError, Scheduler, Stepper, choice, number, running

PLATEAU_MODES = ("min", "max")
THRESHOLD_MODES = ("rel", "abs")


def reduce_lr_on_plateau(
    metrics: Sequence[float],
    mode: str = "min",
    factor: float = 0.1,
    patience: float = 10,
    threshold: float = 1e-4,
    threshold_mode: str = "rel",
    cooldown: float = 0,
    min_lr: float = 0,
    eps: float = 1e-8,
) -> Scheduler:
    """``ReduceLROnPlateau``, row k after ``step(metrics[k-1])``: when the metric has not improved
    (by ``threshold``, relative or absolute) for more than ``patience`` steps, the lr is
    multiplied by ``factor`` (not below ``min_lr``, and not by less than ``eps``), then
    ``cooldown`` steps pass before counting again. When to reduce depends on the metrics alone,
    so each param group (with its own ``min_lr``) is a scheduler of its own.

    The row count is checked when a span is asked for; ``metrics`` may be any sequence (an
    ``array('d')`` holds millions in little memory).

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(reduce_lr_on_plateau([5, 4, 4, 4, 4], patience=1), 1.0, 6)
    [1.0, 1.0, 1.0, 1.0, 0.1, 0.1]
    """
    choice("mode", mode, PLATEAU_MODES)
    number("factor", factor, high=1.0, open_high=True)
    number("patience", patience)
    number("threshold", threshold)
    choice("threshold_mode", threshold_mode, THRESHOLD_MODES)
    number("cooldown", cooldown)
    number("min_lr", min_lr, 0)
    number("eps", eps)
    # torch's test is `a < best * (1 - threshold)` (min, rel), `a < best - threshold` (min, abs),
    # `a > best * (threshold + 1)` (max, rel) or `a > best + threshold` (max, abs). Negating the
    # metric and best turns each max test into the min test, exactly, so one loop serves: it
    # keeps `bar`, the value a metric must beat, and recomputes it only when best changes.
    sign = 1.0 if mode == "min" else -1.0
    scale = 1.0 - threshold if mode == "min" else threshold + 1.0

    def bar_for(best: float) -> float:
        return best * scale if threshold_mode == "rel" else best - threshold

    def check_rows(rows: int) -> None:
        if len(metrics) < rows - 1:
            raise ScheduleError(
                "metrics", f"has {len(metrics)} values; {rows} rows need {rows - 1} (row k follows step(metrics[k-1]))"
            )

    def construct(group: Group) -> tuple[Group, Stepper]:
        # The state torch keeps between steps; spans are asked for in order, so it carries over.
        state = {"next": 1, "bar": bar_for(math.inf), "bad_epochs": 0, "cooldown_counter": 0}

        def run(lr: float, first: int, stop: int) -> list[float]:
            if first != state["next"]:
                raise ValueError(f"ReduceLROnPlateau replays in order: asked for step {first}, at {state['next']}")
            check_rows(stop)
            bar, bad_epochs, cooldown_counter = state["bar"], state["bad_epochs"], state["cooldown_counter"]
            values: list[float] = []
            append = values.append
            for metric in metrics[first - 1 : stop - 1]:
                current = sign * float(metric)
                if current < bar:
                    bar, bad_epochs = bar_for(current), 0
                else:
                    bad_epochs += 1
                if cooldown_counter > 0:
                    cooldown_counter -= 1
                    bad_epochs = 0
                if bad_epochs > patience:
                    new_lr = max(lr * factor, min_lr)
                    if lr - new_lr > eps:
                        lr = new_lr
                    cooldown_counter, bad_epochs = cooldown, 0
                append(lr)
            state.update(next=stop, bar=bar, bad_epochs=bad_epochs, cooldown_counter=cooldown_counter)
            return values

        return group, running(run, check_rows=check_rows)

    return construct
