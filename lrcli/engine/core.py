"""What every schedule shares: the param group it acts on, how a constructed scheduler steps, how
a run is replayed, and the checks of parameters and values.

A schedule is a :data:`Scheduler`: ``construct(group) -> (group, stepper)`` does what the
framework's constructor does to a param group (torch's initial step included) and returns a
:class:`Stepper`, whose ``rule(lr, epoch)`` is the lr the framework writes when its step counter
becomes ``epoch``, given the lr the group holds, and whose bulk forms give a span of epochs at
once. A run of any length is replayed a chunk at a time (:class:`GroupReplay`), each chunk
starting from the lr the last one left: never restarted from a closed form. Composition is function composition: a
composition's constructor constructs its children on the same group (see ``engine.torch.compose``).

Replaying the framework's operation order is the point: torch computes most schedules from the lr
the group holds (``lr * gamma`` each step), so a closed form such as ``base_lr * gamma ** k`` is a
different float in most rows of a long schedule. For the same reason the closed forms torch does
use (``_get_closed_form_lr``, which SequentialLR calls at a milestone as ``_update_lr(0)``) are
kept verbatim, epoch-0 terms and all: ``base_lr * gamma ** (0 // step_size)`` is trivially
``base_lr``, but CosineAnnealingLR's ``eta_min + (base_lr - eta_min) * (1 + cos(0)) / 2`` need not
be, and writing every one as torch writes it keeps the rule "copy torch's expression" without
exceptions to argue about.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from operator import mul
from typing import Any

Rule = Callable[[float, int], float]


class ScheduleError(ValueError):
    """A parameter the framework would refuse, or a value torch's optimizers would refuse.

    ``param`` is the framework's name for the parameter at fault (``"step_size"``), or ``None``
    when the fault is in a computed value; ``where`` what held it (a spec), if that is said.

    >>> str(ScheduleError("gamma", "must be >= 0", where="'exp(gamma=-1)'"))
    "'exp(gamma=-1)': gamma must be >= 0"
    """

    def __init__(self, param: str | None, message: str, where: str | None = None) -> None:
        said = f"{param} {message}" if param else message
        super().__init__(said if where is None else f"{where}: {said}")
        self.param = param
        self.message = message
        self.where = where


@dataclass(frozen=True)
class Group:
    """What a param group holds that schedulers read and write: ``lr`` and ``initial_lr``
    (unset until the first scheduler's constructor sets it to ``lr``), and ``shared``, the other
    keys schedulers keep in the group (SWALR's ``swa_lr``): one dict for the group's whole life,
    so that a scheduler constructed later changes what an earlier one reads, as in torch.
    ``optimizer_lr`` is the optimizer's default lr (``optimizer.defaults["lr"]``, which some
    frameworks read); it defaults to ``lr``. ``groups`` is how many param groups the optimizer
    has."""

    lr: float
    initial_lr: float | None = None
    shared: dict[str, float] = field(default_factory=dict, compare=False)
    optimizer_lr: float | None = None
    groups: int = 1

    def __post_init__(self) -> None:
        if self.optimizer_lr is None:
            object.__setattr__(self, "optimizer_lr", self.lr)

    def at(self, lr: float, initial_lr: float | None) -> Group:
        """The same group holding other lrs."""
        return Group(lr, initial_lr, self.shared, self.optimizer_lr, self.groups)


Span = Callable[[int, int], list[float]]
"""``span(first, stop)``: one value per epoch ``first, …, stop - 1``."""


@dataclass(frozen=True)
class Factors:
    """The rule is ``lr * factor``: ``factors(first, stop)`` gives the factors over a span (1.0
    where the lr is left alone, which multiplies exactly); from ``quiet_from`` on, if given, every
    factor is 1.0.

    >>> Factors(lambda first, stop: [0.5] * (stop - first)).values(1.0, 1, 4)
    [0.5, 0.25, 0.125]
    """

    factors: Span
    quiet_from: int | None = None

    def values(self, lr: float, first: int, stop: int) -> list[float]:
        if self.quiet_from is not None and first >= self.quiet_from:
            return [lr] * (stop - first)  # every factor is 1.0: x * 1.0 is x
        values = list(accumulate(self.factors(first, stop), mul, initial=lr))
        del values[0]
        return values


@dataclass(frozen=True)
class Decays:
    """Factors that are mostly 1.0, listed by the others: ``decays(first, stop)`` as ``(epoch,
    factor)`` pairs, so that the lr between them is copied, not multiplied.

    >>> Decays(lambda first, stop: [(2, 0.5)]).values(1.0, 1, 4), Decays(lambda first, stop: [(2, 0.5)]).factors(0, 4)
    ([1.0, 0.5, 0.5], [1.0, 1.0, 0.5, 1.0])
    """

    decays: Callable[[int, int], list[tuple[int, float]]]
    quiet_from: int | None = None

    def factors(self, first: int, stop: int) -> list[float]:
        """The same factors, 1.0 included."""
        values = [1.0] * (stop - first)
        for epoch, factor in self.decays(first, stop):
            values[epoch - first] = factor
        return values

    def values(self, lr: float, first: int, stop: int) -> list[float]:
        if self.quiet_from is not None and first >= self.quiet_from:
            return [lr] * (stop - first)
        values: list[float] = []
        for epoch, factor in self.decays(first, stop):
            values += [lr] * (epoch - first - len(values))
            lr = lr * factor
            values.append(lr)
        return values + [lr] * (stop - first - len(values))


@dataclass(frozen=True)
class Table:
    """The rule ignores the lr held (the schedules torch computes from ``base_lrs``):
    ``table(first, stop)`` gives the values over a span."""

    table: Span

    def values(self, lr: float, first: int, stop: int) -> list[float]:
        return self.table(first, stop)


@dataclass(frozen=True)
class Run:
    """The scheduler's own faster way: ``run(lr, first, stop)``, its spans asked for in order,
    each starting where the last stopped, as a run is replayed."""

    run: Callable[[float, int, int], list[float]]

    def values(self, lr: float, first: int, stop: int) -> list[float]:
        return self.run(lr, first, stop)


Bulk = Factors | Decays | Table | Run
"""A rule over a span of epochs at once, equal to stepping it epoch by epoch."""


@dataclass(frozen=True)
class SequentialHooks:
    """What torch's SequentialLR calls on a scheduler it holds, by torch's names for it.

    ``update_lr_0(lr)``: ``_update_lr(0)``, which it calls at a milestone (the closed form at
    epoch 0); None for a composition, which has none (torch raises NotImplementedError).
    ``step(lr)``: the plain ``step()`` that brings the step counter its constructor undid back to
    0 (a scheduler under it at any depth gets one): the lr after it, and the stepper from then on
    where that changes (a composition's, SWALR's own count; None where it steps on as before).
    Without it, the step is the initial one, ``rule(lr, 0)``; five of torch's schedulers compute
    it otherwise. ``initial_step(lr)``: ``_initial_step()``, which its constructor calls on the
    scheduler meant for epoch 0, as the same pair (without it, a leaf's: ``rule(lr, 0)``; a
    composition's is a plain step of what it holds). ``resumed_undo``: under a SequentialLR
    constructed with ``last_epoch=k-1`` (its constructor undoes one step of every scheduler), how far
    back the undo leaves the count its rule is given after resuming (``resume``): 1 where the count
    is ``last_epoch``; 0 for SWALR, whose ``_step_count`` is not undone; None: not replayed
    (CosineAnnealingWarmRestarts' ``T_cur``, which its next ``_initial_step`` advances again).
    ``initial_again(lr, k)``: the lr of that SequentialLR's ``_initial_step()`` at ``k`` of the
    scheduler meant for epoch 0, once constructed (None: what ``resume`` gives, not fresh; CyclicLR's
    base is then its ``base_lr``, no longer ``initial_lr``).
    """

    update_lr_0: Callable[[float], float] | None = None
    step: Callable[[float], tuple[float, Stepper | None]] | None = None
    initial_step: Callable[[float], tuple[float, Stepper]] | None = None
    resumed_undo: int | None = 1
    initial_again: Callable[[float, int], float] | None = None


@dataclass(frozen=True)
class Stepper:
    """How a constructed scheduler steps (see the module's docstring).

    ``bulk``, when given, computes ``rule`` over a span of epochs at once, so that a run of any
    length is computed a chunk at a time in flat memory (:data:`Bulk`). ``momentum(first,
    stop)`` lists the momentum a scheduler that cycles it sets at those epochs.
    ``check_rows(rows)`` raises when the framework would refuse to produce that many rows (a
    OneCycleLR stepped past its cycle), so that a run is refused before any of it is written.
    ``sequential`` says what torch does to it under a SequentialLR.
    ``resume(lr, k, fresh)``: the initial step of the same scheduler constructed with
    ``last_epoch=k-1`` (``k >= 1``) on a group holding ``lr``: the lr it writes and the stepper from
    then on (None: lrcli does not replay that). The group is the optimizer's as a checkpoint
    restored it, or with ``fresh`` a new optimizer's whose ``initial_lr`` was set by hand to ``lr``. ``update_lr(lr,
    epoch)``: what ``step(epoch)`` writes, torch's deprecated explicit-epoch form (the closed form
    where torch has one; None: not replayed).
    """

    rule: Rule
    bulk: Bulk | None = None
    momentum: Span | None = None
    check_rows: Callable[[int], None] | None = None
    sequential: SequentialHooks = SequentialHooks()
    resume: Callable[[float, int, bool], tuple[float, Stepper]] | None = None
    update_lr: Callable[[float, float], float] | None = None

    @property
    def quiet_from(self) -> int | None:
        """The epoch from which a multiplying scheduler leaves the lr as it is (None: not known)."""
        return self.bulk.quiet_from if isinstance(self.bulk, (Factors, Decays)) else None


Scheduler = Callable[[Group], "tuple[Group, Stepper]"]
"""``construct(group) -> (group after the constructor, stepper)``."""

CHUNK_ROWS = 65536
"""Rows computed at a time: large enough that per-chunk work is negligible, small enough that
any horizon replays in flat memory."""


def run_stepper(stepper: Stepper, lr: float, first: int, stop: int) -> list[float]:
    """The lrs the rule gives at epochs ``first, …, stop - 1``, starting from ``lr``.

    >>> run_stepper(Stepper(rule=lambda lr, epoch: lr + epoch), 0.0, 1, 4)
    [1.0, 3.0, 6.0]
    """
    if stepper.bulk is not None:
        return stepper.bulk.values(lr, first, stop)
    values = list(accumulate(range(first, stop), stepper.rule, initial=lr))
    del values[0]
    return values


class GroupReplay:
    """One param group under a scheduler: constructed once, then replayed a chunk at a time.

    >>> from lrcli.engine.torch.cyclic import one_cycle_lr
    >>> replay = GroupReplay(one_cycle_lr(max_lr=1.0, total_steps=4, pct_start=0.5), 0.1)
    >>> list(replay.chunks(3, size=2)), replay.stepper.momentum(0, 3)
    ([[0.040000000000000036, 1.0], [0.500002]], [0.95, 0.85, 0.8999999999999999])
    """

    def __init__(self, scheduler: Scheduler, lr: float, optimizer_lr: float | None = None, groups: int = 1) -> None:
        self.group, self.stepper = scheduler(Group(lr, optimizer_lr=optimizer_lr, groups=groups))

    def chunks(self, rows: int, size: int = CHUNK_ROWS) -> Iterator[list[float]]:
        """The lr after 0, 1, …, ``rows - 1`` calls to ``scheduler.step()``, ``size`` rows at a
        time; row 0 is what the constructor left. Each chunk carries the lr on to the next."""
        lr = self.group.lr
        for first in range(0, rows, size):
            stop = min(first + size, rows)
            values = (
                [lr, *run_stepper(self.stepper, lr, 1, stop)]
                if first == 0
                else run_stepper(self.stepper, lr, first, stop)
            )
            lr = values[-1]
            yield values


def lr_values(scheduler: Scheduler, lr: float, epochs: int) -> list[float]:
    """Every lr of :meth:`GroupReplay.chunks`, as one list.

    >>> from lrcli.engine.torch.multiplicative import exponential_lr
    >>> lr_values(exponential_lr(gamma=0.5), 1.0, 4)
    [1.0, 0.5, 0.25, 0.125]
    """
    return [lr for chunk in GroupReplay(scheduler, lr).chunks(epochs) for lr in chunk]


def from_initial_lr(make: Callable[[float], Stepper]) -> Scheduler:
    """A scheduler constructed as ``LRScheduler.__init__`` does it: ``initial_lr`` defaults to the
    group's lr and is the scheduler's base lr; then the initial step applies the rule at epoch 0.

    >>> lr_values(from_initial_lr(lambda base_lr: Stepper(rule=lambda lr, epoch: lr / 2)), 1.0, 3)
    [0.5, 0.25, 0.125]
    """

    def construct(group: Group) -> tuple[Group, Stepper]:
        initial_lr = group.lr if group.initial_lr is None else group.initial_lr
        stepper = make(initial_lr)
        return group.at(stepper.rule(group.lr, 0), initial_lr), stepper

    return construct


def multiplying(
    bulk: Factors | Decays,
    update_lr_0: Callable[[float], float],
    step: Callable[[float], float] | None = None,
    update_lr: Callable[[float, float], float] | None = None,
    initial_keeps: bool = False,
) -> Stepper:
    """A stepper whose rule is ``lr * factor`` for the factor ``bulk`` gives the epoch; ``step``
    is the lr of a plain step to 0 under a SequentialLR, where it is not ``rule(lr, 0)``;
    ``update_lr`` what ``step(epoch)`` writes. ``initial_keeps``: torch's initial step leaves the
    lr as it is at any epoch (``if self._is_initial: return lr``), so a scheduler constructed with
    ``last_epoch`` keeps the lr it finds; else the initial step is the rule's."""

    def rule(lr: float, epoch: int) -> float:
        return lr * bulk.factors(epoch, epoch + 1)[0]

    def resume(lr: float, epoch: int, fresh: bool) -> tuple[float, Stepper]:
        return (lr if initial_keeps else rule(lr, epoch)), stepper

    stepper = Stepper(
        rule=rule,
        bulk=bulk,
        sequential=SequentialHooks(update_lr_0, None if step is None else lambda lr: (step(lr), None)),
        resume=resume,
        update_lr=update_lr,
    )
    return stepper


def tabulated(
    table: Span, update_lr_0: Callable[[float], float] | None = None, resumable: bool = False, **extra: Any
) -> Stepper:
    """A stepper whose rule ignores the lr held: the value ``table`` gives the epoch. With
    ``resumable``, a scheduler constructed with ``last_epoch`` writes the table's value too."""

    def rule(lr: float, epoch: int) -> float:
        return table(epoch, epoch + 1)[0]

    def resume(lr: float, epoch: int, fresh: bool) -> tuple[float, Stepper]:
        return rule(lr, epoch), stepper

    stepper = Stepper(rule=rule, bulk=Table(table), sequential=SequentialHooks(update_lr_0), **extra)
    if resumable:
        stepper = replace(stepper, resume=resume)
    return stepper


def running(run: Callable[[float, int, int], list[float]], **extra: Any) -> Stepper:
    """A stepper that has only a run of its own: its rule is a run of one epoch."""
    return Stepper(rule=lambda lr, epoch: run(lr, epoch, epoch + 1)[0], bulk=Run(run), **extra)


def check_lr(value: float, where: str) -> None:
    """Refuse what torch's optimizers refuse (a negative lr), and NaN or infinity.

    >>> check_lr(0.0, "lr")
    >>> check_lr(-0.1, "lr")
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: lr is -0.1; torch's optimizers refuse a negative learning rate
    """
    if not isinstance(value, (int, float)) or isinstance(value, bool) or math.isnan(value):
        raise ScheduleError(None, f"{where} is {value!r}, not a number")
    if math.isinf(value):
        raise ScheduleError(None, f"{where} is {value!r}; it must be finite")
    if value < 0:
        raise ScheduleError(None, f"{where} is {value!r}; torch's optimizers refuse a negative learning rate")


def whole(name: str, value: int, least: int) -> None:
    """``value`` is an int (not a bool) of at least ``least``.

    >>> whole("step_size", 0, 1)
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: step_size must be a whole number >= 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ScheduleError(name, f"must be a whole number >= {least}, got {value!r}")


def number(
    name: str,
    value: float,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    open_low: bool = False,
    open_high: bool = False,
) -> None:
    """``value`` is a finite real number within the bounds given.

    >>> number("pct_start", 1.0, 0, 1, open_low=True, open_high=True)
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: pct_start must be a finite number > 0 and < 1, got 1.0
    """
    ok = isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float) and math.isfinite(value)
    ok = ok and (value > low if open_low else value >= low) and (value < high if open_high else value <= high)
    if not ok:
        bounds = []
        if low > -math.inf:
            bounds.append(f"{'>' if open_low else '>='} {low:g}")
        if high < math.inf:
            bounds.append(f"{'<' if open_high else '<='} {high:g}")
        raise ScheduleError(
            name, f"must be a finite number{' ' if bounds else ''}{' and '.join(bounds)}, got {value!r}"
        )


def unwritable(value: object) -> str | None:
    """Why lrcli cannot take ``value``: an integer too long for Python to write in decimal (its
    titles, JSON and messages show every number), else None.

    >>> unwritable(2**16000), unwritable(2**13000), unwritable(0.5)
    ("a 16,001-bit integer, too long to write in decimal (Python's limit: 4,300 digits)", None, None)
    """
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            repr(value)
        except ValueError:
            return (
                f"a {value.bit_length():,}-bit integer, too long to write in decimal (Python's limit: "
                f"{sys.get_int_max_str_digits():,} digits)"
            )
    return None


def choice(name: str, value: str, choices: Sequence[str]) -> None:
    """``value`` is one of ``choices``.

    >>> choice("mode", "sawtooth", ("min", "max"))
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: mode must be one of min, max; got 'sawtooth'
    """
    if value not in choices:
        raise ScheduleError(name, f"must be one of {', '.join(choices)}; got {value!r}")
