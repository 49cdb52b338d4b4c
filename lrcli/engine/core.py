"""What every schedule shares: the param group it acts on, how a constructed scheduler steps, how
a run is replayed, and the checks of parameters and values.

A schedule is a :data:`Scheduler`: ``construct(group, epochs) -> (group, stepper)`` does what the
framework's constructor does to a param group (torch's initial step included) and returns a
:class:`Stepper`, whose ``rule(lr, epoch)`` is the lr the framework writes when its step counter
becomes ``epoch``, given the lr the group holds. Composition is function composition: a
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import mul

Rule = Callable[[float, int], float]


class ScheduleError(ValueError):
    """A parameter the framework would refuse, or a value torch's optimizers would refuse.

    ``param`` is the framework's name for the parameter at fault (``"step_size"``), or ``None``
    when the fault is in a computed value.
    """

    def __init__(self, param: str | None, message: str) -> None:
        super().__init__(f"{param} {message}" if param else message)
        self.param = param
        self.message = message


@dataclass(frozen=True)
class Group:
    """What a param group holds that schedulers read and write: ``lr`` and ``initial_lr``
    (unset until the first scheduler's constructor sets it to ``lr``)."""

    lr: float
    initial_lr: float | None = None


@dataclass(frozen=True)
class Stepper:
    """How a constructed scheduler steps (see the module's docstring).

    ``restart(lr)`` is torch's ``_update_lr(0)``, which SequentialLR calls at a milestone.
    ``momentum(epochs)`` lists the momentum a scheduler that cycles it sets at each epoch.

    At most one bulk form may be given, each equal to ``rule``: ``factors[epoch]`` when the rule
    is ``lr * factors[epoch]`` (1.0 where the lr is left alone, which multiplies exactly);
    ``table[epoch]`` when the rule ignores the lr held (the schedules torch computes from
    ``base_lrs``); ``run(lr, first, count)`` for the rule at ``first, first + 1, …`` when the
    scheduler has a faster way of its own.
    """

    rule: Rule
    restart: Callable[[float], float] | None = None
    factors: list[float] | None = None
    table: list[float] | None = None
    run: Callable[[float, int, int], list[float]] | None = None
    momentum: Callable[[int], list[float]] | None = None

    def __post_init__(self) -> None:
        given = [name for name in ("factors", "table", "run") if getattr(self, name) is not None]
        if len(given) > 1:
            raise TypeError(f"a Stepper takes at most one bulk form, got {' and '.join(given)}")


Scheduler = Callable[[Group, int], "tuple[Group, Stepper]"]
"""``construct(group, epochs) -> (group after the constructor, stepper)``; ``epochs`` (at least 1)
bounds the epochs the stepper will be asked for."""


def run_stepper(stepper: Stepper, lr: float, first: int, count: int) -> list[float]:
    """The lrs the rule gives at epochs ``first, …, first + count - 1``, starting from ``lr``.

    >>> run_stepper(Stepper(rule=lambda lr, epoch: lr + epoch), 0.0, 1, 3)
    [1.0, 3.0, 6.0]
    """
    if stepper.run is not None:
        return stepper.run(lr, first, count)
    if stepper.table is not None:
        return stepper.table[first : first + count]
    if stepper.factors is not None:
        values = list(accumulate(stepper.factors[first : first + count], mul, initial=lr))
    else:
        values = list(accumulate(range(first, first + count), stepper.rule, initial=lr))
    del values[0]
    return values


def replay_group(scheduler: Scheduler, lr: float, epochs: int, momentum: bool = False) -> tuple[list[float], list[float] | None]:
    """One param group starting at ``lr``: its lr after 0, 1, …, ``epochs - 1`` calls to
    ``scheduler.step()`` (row 0 is what the constructor leaves) and, with ``momentum``, the
    momentum the scheduler sets (None when it does not cycle momentum). One construction serves
    both.

    >>> from lrcli.engine.torch.cyclic import one_cycle_lr
    >>> replay_group(one_cycle_lr(max_lr=1.0, total_steps=4, pct_start=0.5), 0.1, 3, momentum=True)
    ([0.040000000000000036, 1.0, 0.500002], [0.95, 0.85, 0.8999999999999999])
    """
    group, stepper = scheduler(Group(lr), max(epochs, 1))
    lrs = [group.lr, *run_stepper(stepper, group.lr, 1, epochs - 1)] if epochs else []
    momenta = stepper.momentum(epochs) if momentum and stepper.momentum is not None else None
    return lrs, momenta


def lr_values(scheduler: Scheduler, lr: float, epochs: int) -> list[float]:
    """The lrs of :func:`replay_group`.

    >>> from lrcli.engine.torch.multiplicative import exponential_lr
    >>> lr_values(exponential_lr(gamma=0.5), 1.0, 4)
    [1.0, 0.5, 0.25, 0.125]
    """
    return replay_group(scheduler, lr, epochs)[0]


def from_initial_lr(make: Callable[[float, int], Stepper]) -> Scheduler:
    """A scheduler constructed as ``LRScheduler.__init__`` does it: ``initial_lr`` defaults to the
    group's lr and is the scheduler's base lr; then the initial step applies the rule at epoch 0.

    >>> lr_values(from_initial_lr(lambda base_lr, epochs: Stepper(rule=lambda lr, epoch: lr / 2)), 1.0, 3)
    [0.5, 0.25, 0.125]
    """

    def construct(group: Group, epochs: int) -> tuple[Group, Stepper]:
        initial_lr = group.lr if group.initial_lr is None else group.initial_lr
        stepper = make(initial_lr, epochs)
        return Group(stepper.rule(group.lr, 0), initial_lr), stepper

    return construct


def multiplying(factors: list[float], restart: Callable[[float], float]) -> Stepper:
    """A stepper whose rule is ``lr * factors[epoch]``."""
    return Stepper(rule=lambda lr, epoch: lr * factors[epoch], restart=restart, factors=factors)


def tabulated(table: list[float], restart: Callable[[float], float], **extra) -> Stepper:
    """A stepper whose rule ignores the lr held: ``table[epoch]``."""
    return Stepper(rule=lambda lr, epoch: table[epoch], restart=restart, table=table, **extra)


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


def number(name: str, value: float, low: float = -math.inf, high: float = math.inf, *, open_low=False, open_high=False) -> None:
    """``value`` is a finite real number within the bounds given.

    >>> number("pct_start", 1.0, 0, 1, open_low=True, open_high=True)
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: pct_start must be a finite number > 0 and < 1, got 1.0
    """
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    ok = ok and (value > low if open_low else value >= low) and (value < high if open_high else value <= high)
    if not ok:
        bounds = []
        if low > -math.inf:
            bounds.append(f"{'>' if open_low else '>='} {low:g}")
        if high < math.inf:
            bounds.append(f"{'<' if open_high else '<='} {high:g}")
        raise ScheduleError(name, f"must be a finite number{' ' if bounds else ''}{' and '.join(bounds)}, got {value!r}")


def choice(name: str, value: str, choices: Sequence[str]) -> None:
    """``value`` is one of ``choices``.

    >>> choice("mode", "sawtooth", ("min", "max"))
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: mode must be one of min, max; got 'sawtooth'
    """
    if value not in choices:
        raise ScheduleError(name, f"must be one of {', '.join(choices)}; got {value!r}")
