"""Learning-rate schedules, replayed with the arithmetic of ``torch.optim.lr_scheduler``.

Torch computes most schedules recursively, from the lr the optimizer holds, so a closed form like
``base_lr * gamma ** k`` is a different float in most rows of a long schedule. Here a schedule
takes one of two forms, and :func:`lr_values` replays either from the initial lr, one step per
``scheduler.step()``:

* :class:`Multiplicative`: torch multiplies the current lr by a factor at each step (StepLR,
  MultiStepLR, ExponentialLR). ``factors(epochs)`` lists the factor of each step (1.0 where torch
  leaves the lr alone, which multiplies exactly), so the replay is one ordered product.
* a :data:`Rule`, ``rule(lr, epoch) -> lr``: the lr torch writes at ``last_epoch = epoch`` given
  the lr it holds (LambdaLR, which ignores it).

Each constructor checks its parameters as torch would accept them and raises :class:`ScheduleError`
naming the parameter.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate
from operator import mul

Rule = Callable[[float, int], float]


@dataclass(frozen=True)
class Multiplicative:
    """A schedule torch computes as ``lr_k = lr_{k-1} * factors(epochs)[k]``."""

    factors: Callable[[int], list[float]]


class ScheduleError(ValueError):
    """A schedule parameter torch would refuse, or a value torch's optimizers would refuse.

    ``param`` is torch's name for the parameter at fault (``"step_size"``), or ``None`` when the
    fault is in a computed value.
    """

    def __init__(self, param: str | None, message: str) -> None:
        super().__init__(f"{param} {message}" if param else message)
        self.param = param
        self.message = message


def lr_values(schedule: Multiplicative | Rule, base_lr: float, epochs: int) -> list[float]:
    """The lr after 0, 1, …, ``epochs - 1`` calls to ``scheduler.step()``.

    Row 0 is what the scheduler's constructor leaves (its initial ``step()`` at ``last_epoch = 0``),
    row k what k further steps leave: ``lr_k = rule(lr_{k-1}, k)``, or ``lr_{k-1} * factor_k``,
    with ``lr_{-1} = base_lr``.

    >>> lr_values(exponential_lr(gamma=0.5), 1.0, 4)
    [1.0, 0.5, 0.25, 0.125]
    >>> lr_values(lambda lr, epoch: lr + epoch, 1.0, 4)
    [1.0, 2.0, 4.0, 7.0]
    """
    if isinstance(schedule, Multiplicative):
        values = list(accumulate(schedule.factors(epochs), mul, initial=base_lr))
    else:
        values = list(accumulate(range(epochs), schedule, initial=base_lr))
    del values[0]
    return values


def check_lr(value: float, where: str) -> None:
    """Refuse what torch's optimizers refuse (a negative lr), and NaN or infinity.

    >>> check_lr(0.0, "lr")
    >>> check_lr(-0.1, "lr")
    Traceback (most recent call last):
    ...
    lrcli.schedules.ScheduleError: lr is -0.1; torch's optimizers refuse a negative learning rate
    """
    if not isinstance(value, (int, float)) or isinstance(value, bool) or math.isnan(value):
        raise ScheduleError(None, f"{where} is {value!r}, not a number")
    if math.isinf(value):
        raise ScheduleError(None, f"{where} is {value!r}; it must be finite")
    if value < 0:
        raise ScheduleError(None, f"{where} is {value!r}; torch's optimizers refuse a negative learning rate")


def _check_gamma(gamma: float) -> None:
    if not math.isfinite(gamma) or gamma < 0:
        raise ScheduleError("gamma", f"must be a finite number >= 0, got {gamma!r}")


def lambda_lr(base_lr: float, lr_lambda: Callable[[int], float]) -> Rule:
    """``LambdaLR``: ``lr = base_lr * lr_lambda(epoch)``, whatever the current lr.

    >>> lr_values(lambda_lr(0.1, lambda epoch: 1 / (epoch + 1)), 0.1, 3)
    [0.1, 0.05, 0.03333333333333333]
    """

    def rule(lr: float, epoch: int) -> float:
        return base_lr * lr_lambda(epoch)

    return rule


def step_lr(step_size: int, gamma: float = 0.1) -> Multiplicative:
    """``StepLR``: multiply the current lr by ``gamma`` at every epoch that is a multiple of
    ``step_size`` (never at epoch 0), so ``lr_k ≈ base_lr * gamma ** (k // step_size)``.

    >>> lr_values(step_lr(step_size=2, gamma=0.5), 1.0, 5)
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """
    if isinstance(step_size, bool) or not isinstance(step_size, int) or step_size < 1:
        raise ScheduleError("step_size", f"must be a whole number >= 1, got {step_size!r}")
    _check_gamma(gamma)

    def factors(epochs: int) -> list[float]:
        result = [1.0] * epochs
        result[step_size::step_size] = [gamma] * len(range(step_size, epochs, step_size))
        return result

    return Multiplicative(factors)


def multistep_lr(milestones: Iterable[int], gamma: float = 0.1) -> Multiplicative:
    """``MultiStepLR``: multiply the current lr by ``gamma ** n`` at each epoch listed ``n`` times.

    Like torch, milestones are counted (a ``Counter``): one listed twice decays by ``gamma ** 2``
    there, order does not matter, and a milestone 0 applies at the initial step.

    >>> lr_values(multistep_lr([1, 3, 3], gamma=0.5), 1.0, 5)
    [1.0, 0.5, 0.5, 0.125, 0.125]
    """
    counts = Counter(milestones)
    for milestone in counts:
        if isinstance(milestone, bool) or not isinstance(milestone, int) or milestone < 0:
            raise ScheduleError("milestones", f"must be whole numbers >= 0, got {milestone!r}")
    _check_gamma(gamma)

    def factors(epochs: int) -> list[float]:
        result = [1.0] * epochs
        for epoch, count in counts.items():
            if epoch < epochs:
                result[epoch] = gamma**count
        return result

    return Multiplicative(factors)


def exponential_lr(gamma: float) -> Multiplicative:
    """``ExponentialLR``: multiply the current lr by ``gamma`` at every step after the first.

    >>> lr_values(exponential_lr(gamma=0.1), 1.0, 3)
    [1.0, 0.1, 0.010000000000000002]
    """
    _check_gamma(gamma)
    return Multiplicative(lambda epochs: [1.0] + [gamma] * (epochs - 1) if epochs else [])
