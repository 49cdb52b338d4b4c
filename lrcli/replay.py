"""Replay a configured scheduler over an optimizer's param groups.

:class:`Schedule` is what a command builds from its options; :func:`replay` turns it, the initial lr
of each param group and a horizon into an :class:`LRTable`, which every renderer reads.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from lrcli.schedules import Scheduler, ScheduleError, check_lr, lr_values, momentum_values

MAX_EPOCHS = 10_000_000
DEFAULT_EPOCHS = 10


@dataclass(frozen=True)
class Schedule:
    """A torch scheduler as configured: its class name and constructor parameters (torch's
    names, JSON-ready), and how to compute it.

    ``schedulers(groups)`` gives one scheduler per param group; a schedule that does not step
    like the others (ReduceLROnPlateau) gives ``lrs(base_lrs, epochs)`` instead. ``groups`` is
    the number of param groups its own per-group parameters imply, used when no ``--lr`` is
    given; ``default_epochs`` replaces the usual 10 rows; ``momentum`` asks for the momentum the
    scheduler cycles, too.
    """

    scheduler: str
    params: dict[str, object]
    schedulers: Callable[[int], list[Scheduler]] | None = None
    lrs: Callable[[list[float], int], list[list[float]]] | None = None
    groups: int = 1
    default_epochs: int | None = None
    momentum: bool = False


@dataclass(frozen=True)
class LRTable:
    """``lrs[group][epoch]``: each group's lr after ``epoch`` calls to ``scheduler.step()``;
    ``momentum`` likewise, for a scheduler that cycles it and when it was asked for."""

    scheduler: str
    params: dict[str, object]
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

    @property
    def title(self) -> str:
        """The scheduler as a call, children of a composition included.

        >>> child = {"scheduler": "ExponentialLR", "params": {"gamma": 0.9}}
        >>> LRTable("ChainedScheduler", {"schedulers": [child]}, [0.1], [[0.1]]).title
        'ChainedScheduler(schedulers=[ExponentialLR(gamma=0.9)])'
        """
        return _call_text(self.scheduler, self.params)


def _call_text(scheduler: str, params: dict[str, object]) -> str:
    def text(value: object) -> str:
        if isinstance(value, dict) and set(value) == {"scheduler", "params"}:
            return _call_text(value["scheduler"], value["params"])
        if isinstance(value, list):
            return "[" + ", ".join(map(text, value)) + "]"
        return repr(value)

    return f"{scheduler}({', '.join(f'{name}={text(value)}' for name, value in params.items())})"


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


def replay(schedule: Schedule, base_lrs: list[float] | None, epochs: int | None) -> LRTable:
    """Each group's lr over ``epochs`` rows, checked as torch's optimizers would take it.

    Without ``base_lrs`` there are ``schedule.groups`` groups at lr 0.1; without ``epochs``,
    ``schedule.default_epochs`` rows, or 10.

    >>> from lrcli.schedules import step_lr
    >>> table = replay(Schedule("StepLR", {"step_size": 1}, lambda groups: [step_lr(1)] * groups), [1.0, 0.5], 3)
    >>> table.lrs
    [[1.0, 0.1, 0.010000000000000002], [0.5, 0.05, 0.005000000000000001]]
    """
    base_lrs = list(base_lrs or [0.1] * schedule.groups)
    several = len(base_lrs) > 1
    for group, base_lr in enumerate(base_lrs):
        check_lr(base_lr, "the initial lr" + (f" of group {group}" if several else ""))
    if epochs is None:
        epochs = schedule.default_epochs if schedule.default_epochs is not None else DEFAULT_EPOCHS
    if isinstance(epochs, bool) or not isinstance(epochs, int) or not 0 <= epochs <= MAX_EPOCHS:
        raise ScheduleError("epochs", f"must be a whole number from 0 to {MAX_EPOCHS:,}, got {epochs!r}")
    try:
        if schedule.schedulers is None:
            lrs = schedule.lrs(base_lrs, epochs)
            momenta = None
        else:
            schedulers = schedule.schedulers(len(base_lrs))
            lrs = [lr_values(scheduler, lr, epochs) for scheduler, lr in zip(schedulers, base_lrs)]
            momenta = None
            if schedule.momentum:
                momenta = [momentum_values(scheduler, lr, epochs) for scheduler, lr in zip(schedulers, base_lrs)]
    except ArithmeticError as error:
        raise ScheduleError(None, f"torch's arithmetic fails on this schedule too: {error}") from None
    if schedule.momentum and (momenta is None or None in momenta):
        raise ScheduleError(None, f"{schedule.scheduler} does not cycle momentum here (--no-cycle-momentum?)")
    for group, values in enumerate(lrs):
        bad = _first_invalid(values)
        if bad is not None:
            check_lr(values[bad], f"the lr at epoch {bad}" + (f" of group {group}" if several else ""))
    return LRTable(schedule.scheduler, schedule.params, base_lrs, lrs, momenta)
