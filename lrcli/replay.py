"""Replay a configured scheduler over an optimizer's param groups.

:class:`Schedule` is what a command builds from its options; :func:`replay` turns it, the initial lr
of each param group and a horizon into an :class:`LRTable`, which every renderer reads.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from lrcli.schedules import Multiplicative, Rule, ScheduleError, check_lr, lr_values

MAX_EPOCHS = 10_000_000


@dataclass(frozen=True)
class Schedule:
    """A torch scheduler as configured: its class name, its constructor's parameters (torch's
    names, as JSON-ready values) and ``rules(base_lrs)``, the schedule of each param group."""

    scheduler: str
    params: dict[str, object]
    rules: Callable[[list[float]], list[Multiplicative | Rule]]

    @classmethod
    def shared(cls, scheduler: str, params: dict[str, object], rule: Multiplicative | Rule) -> Schedule:
        """A schedule that is the same for every group (most of torch's)."""
        return cls(scheduler, params, lambda base_lrs: [rule] * len(base_lrs))


@dataclass(frozen=True)
class LRTable:
    """``lrs[group][epoch]``: each group's lr after ``epoch`` calls to ``scheduler.step()``."""

    scheduler: str
    params: dict[str, object]
    base_lrs: list[float]
    lrs: list[list[float]]

    @property
    def epochs(self) -> int:
        return len(self.lrs[0])

    @property
    def columns(self) -> list[str]:
        """``epoch, lr`` for one group, ``epoch, lr_0, lr_1, …`` for several."""
        if len(self.lrs) == 1:
            return ["epoch", "lr"]
        return ["epoch"] + [f"lr_{group}" for group in range(len(self.lrs))]

    @property
    def title(self) -> str:
        arguments = ", ".join(f"{name}={value!r}" for name, value in self.params.items())
        return f"{self.scheduler}({arguments})"


def _first_invalid(values: list[float]) -> int | None:
    """Index of the first NaN, infinite, negative or non-real value, or None."""
    try:
        # A finite sum and a minimum >= 0 clear every value at once (NaN and inf spoil the sum).
        if math.isfinite(sum(values)) and min(values, default=0.0) >= 0:
            return None
    except TypeError:
        pass
    for epoch, value in enumerate(values):
        if isinstance(value, complex) or not math.isfinite(value) or value < 0:
            return epoch
    return None


def replay(schedule: Schedule, base_lrs: list[float], epochs: int) -> LRTable:
    """Each group's lr over ``epochs`` rows, checked as torch's optimizers would take it.

    >>> from lrcli.schedules import step_lr
    >>> table = replay(Schedule.shared("StepLR", {"step_size": 1}, step_lr(1)), [1.0, 0.5], 3)
    >>> table.lrs
    [[1.0, 0.1, 0.010000000000000002], [0.5, 0.05, 0.005000000000000001]]
    """
    if not base_lrs:
        raise ScheduleError("lr", "needs at least one param group")
    for group, base_lr in enumerate(base_lrs):
        check_lr(base_lr, "the initial lr" + (f" of group {group}" if len(base_lrs) > 1 else ""))
    if isinstance(epochs, bool) or not isinstance(epochs, int) or not 0 <= epochs <= MAX_EPOCHS:
        raise ScheduleError("epochs", f"must be a whole number from 0 to {MAX_EPOCHS:,}, got {epochs!r}")
    lrs = []
    for group, (rule, base_lr) in enumerate(zip(schedule.rules(base_lrs), base_lrs)):
        values = lr_values(rule, base_lr, epochs)
        bad = _first_invalid(values)
        if bad is not None:
            where = f"the lr at epoch {bad}" + (f" of group {group}" if len(base_lrs) > 1 else "")
            check_lr(values[bad], where)
        lrs.append(values)
    return LRTable(schedule.scheduler, schedule.params, list(base_lrs), lrs)
