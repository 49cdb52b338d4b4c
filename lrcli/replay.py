"""Replay a configured scheduler over an optimizer's param groups.

:func:`replay` turns a :class:`~lrcli.schedule.Schedule`, the initial lr of each param group and a
horizon into an :class:`LRTable`, which every renderer reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lrcli.engine.core import ScheduleError, check_lr, replay_group
from lrcli.schedule import Schedule

MAX_EPOCHS = 10_000_000
DEFAULT_EPOCHS = 10


@dataclass(frozen=True)
class LRTable:
    """``lrs[group][epoch]``: each group's lr after ``epoch`` calls to ``scheduler.step()``;
    ``momentum`` likewise, for a scheduler that cycles it and when it was asked for. The titles
    name the scheduler as a call, with every parameter or only those not at their defaults."""

    scheduler: str
    params: dict[str, object]
    title: str
    brief_title: str
    base_lrs: list[float]
    lrs: list[list[float]]
    momentum: list[list[float]] | None = None

    @property
    def epochs(self) -> int:
        return len(self.lrs[0])

    @property
    def columns(self) -> list[str]:
        """``epoch, lr`` for one group, ``epoch, lr_0, lr_1, …`` for several; then the momentum."""
        names = ["lr"] + (["momentum"] if self.momentum else [])
        if len(self.lrs) == 1:
            return ["epoch", *names]
        return ["epoch"] + [f"{name}_{group}" for name in names for group in range(len(self.lrs))]

    @property
    def series(self) -> list[list[float]]:
        """The value columns, in the order of :attr:`columns`."""
        return self.lrs + (self.momentum or [])


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


def replay(schedule: Schedule, base_lrs: list[float] | None, epochs: int | None, momentum: bool = False) -> LRTable:
    """Each group's lr over ``epochs`` rows (and, with ``momentum``, the momentum the scheduler
    cycles), checked as torch's optimizers would take it.

    Without ``base_lrs`` there are ``schedule.groups`` groups at lr 0.1; without ``epochs``,
    ``schedule.default_rows`` rows, or 10.

    >>> from lrcli.registry import BY_COMMAND
    >>> table = replay(Schedule(BY_COMMAND["step"], {"step_size": 1}), [1.0, 0.5], 3)
    >>> table.lrs
    [[1.0, 0.1, 0.010000000000000002], [0.5, 0.05, 0.005000000000000001]]
    """
    base_lrs = list(base_lrs or [0.1] * schedule.groups)
    several = len(base_lrs) > 1
    for group, base_lr in enumerate(base_lrs):
        check_lr(base_lr, "the initial lr" + (f" of group {group}" if several else ""))
    if epochs is None:
        epochs = schedule.default_rows if schedule.default_rows is not None else DEFAULT_EPOCHS
    if isinstance(epochs, bool) or not isinstance(epochs, int) or not 0 <= epochs <= MAX_EPOCHS:
        raise ScheduleError("epochs", f"must be a whole number from 0 to {MAX_EPOCHS:,}, got {epochs!r}")
    try:
        schedulers = schedule.schedulers(len(base_lrs))
        runs = [replay_group(scheduler, lr, epochs, momentum) for scheduler, lr in zip(schedulers, base_lrs)]
    except ArithmeticError as error:
        raise ScheduleError(None, f"torch's arithmetic fails on this schedule too: {error}") from None
    lrs = [values for values, _ in runs]
    momenta = [values for _, values in runs] if momentum else None
    if momenta is not None and None in momenta:
        raise ScheduleError(None, f"{schedule.name} does not cycle momentum here (--no-cycle-momentum?)")
    for group, values in enumerate(lrs):
        bad = _first_invalid(values)
        if bad is not None:
            check_lr(values[bad], f"the lr at epoch {bad}" + (f" of group {group}" if several else ""))
    return LRTable(schedule.name, schedule.json_params, schedule.title, schedule.brief_title, base_lrs, lrs, momenta)
