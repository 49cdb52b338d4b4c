"""The schedules torch computes as ``lr * factor`` from the lr the group holds, and LambdaLR.

Each gives its factors over a span of epochs (1.0 where torch leaves the lr alone), so a run is
one ordered product, a chunk at a time.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any

from lrcli.engine.core import (
    Decays,
    Factors,
    ScheduleError,
    Scheduler,
    Stepper,
    from_initial_lr,
    multiplying,
    number,
    tabulated,
)


def lambda_lr(lr_lambda: Callable[[Any], float]) -> Scheduler:  # an epoch: a count, or step(epoch)'s number
    """``LambdaLR``: ``lr = initial_lr * lr_lambda(epoch)``, whatever the lr held.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(lambda_lr(lambda epoch: 1 / (epoch + 1)), 0.1, 3)
    [0.1, 0.05, 0.03333333333333333]
    """

    def make(base_lr: float) -> Stepper:
        def table(first: int, stop: int) -> list[float]:
            return [base_lr * lr_lambda(epoch) for epoch in range(first, stop)]

        return tabulated(
            table,
            update_lr_0=lambda lr: base_lr * lr_lambda(0),
            resumable=True,
            update_lr=lambda lr, epoch: base_lr * lr_lambda(epoch),
        )

    return from_initial_lr(make)


def multiplicative_lr(lr_lambda: Callable[[float], float]) -> Scheduler:
    """``MultiplicativeLR``: multiply the lr held by ``lr_lambda(epoch)`` at every step after the
    initial one.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(multiplicative_lr(lambda epoch: 0.5), 1.0, 3)
    [1.0, 0.5, 0.25]
    """

    def factors(first: int, stop: int) -> list[float]:
        return [1.0] * (first == 0 < stop) + list(map(lr_lambda, range(max(first, 1), stop)))

    return from_initial_lr(
        lambda base_lr: multiplying(
            Factors(factors),
            update_lr_0=lambda lr: lr * lr_lambda(0),
            step=lambda lr: lr * lr_lambda(0),
            update_lr=lambda lr, epoch: lr * lr_lambda(epoch),  # no closed form: get_lr at that epoch
            initial_keeps=True,
        )
    )


def step_lr(step_size: float, gamma: float = 0.1) -> Scheduler:
    """``StepLR``: multiply the lr held by ``gamma`` at every epoch ``k >= 1`` where torch finds
    ``k % step_size == 0``, so ``lr_k ≈ initial_lr * gamma ** (k // step_size)``. Torch's test
    takes any number: ``step_size=2.5`` decays at 5, 10, …, and a negative one as its opposite;
    0 divides by zero at the first step.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(step_lr(step_size=2, gamma=0.5), 1.0, 5)
    [1.0, 1.0, 0.5, 0.5, 0.25]
    >>> lr_values(step_lr(step_size=1.5, gamma=0.5), 1.0, 5)
    [1.0, 1.0, 1.0, 0.5, 0.5]
    """
    number("step_size", step_size)
    number("gamma", gamma, 0)
    period = decay_period(step_size)

    def decays(first: int, stop: int) -> list[tuple[int, float]]:
        if period is None:
            if max(first, 1) < stop:
                raise ScheduleError("step_size", "0 makes torch divide by zero (last_epoch % step_size) at epoch 1")
            return []
        return [(epoch, gamma) for epoch in range(max(-(-first // period) * period, period), stop, period)]

    return from_initial_lr(
        lambda base_lr: multiplying(
            Decays(decays, quiet_from=1 if gamma == 1 and period else None),
            update_lr_0=lambda lr: base_lr * gamma ** (0 // step_size),
            update_lr=lambda lr, epoch: base_lr * gamma ** (epoch // step_size),
        )
    )


def decay_period(step_size: float) -> int | None:
    """The epochs ``k`` where ``k % step_size == 0`` (exact in floats, as Python computes it) are
    the multiples of the numerator of ``step_size`` as a fraction in lowest terms: this returns
    that numerator's size (None for 0, which torch cannot divide by).

    >>> decay_period(3), decay_period(-3), decay_period(2.5), decay_period(0.1) > 10**15, decay_period(0)
    (3, 3, 5, True, None)
    """
    return abs(Fraction(step_size).numerator) or None


def multistep_lr(milestones: Iterable[float], gamma: float = 0.1) -> Scheduler:
    """``MultiStepLR``: multiply the lr held by ``gamma ** n`` at each epoch listed ``n`` times.

    Like torch, milestones are counted (a ``Counter``): one listed twice decays by ``gamma ** 2``
    there, order does not matter, and a milestone 0 applies at the initial step. Torch takes any
    numbers: one that is not an epoch (``2.5``, ``-1``) never decays a step, but its closed form
    (SequentialLR's restart) counts every milestone up to 0.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(multistep_lr([1, 3, 3], gamma=0.5), 1.0, 5)
    [1.0, 0.5, 0.5, 0.125, 0.125]
    """
    counts = Counter(milestones)
    for milestone in counts:
        number("milestones", milestone)
    number("gamma", gamma, 0)
    ordered = sorted(counts.elements())
    # The epochs a step reaches: the milestones that are whole numbers >= 0 (4.0 is epoch 4).
    distinct = sorted(int(milestone) for milestone in counts if milestone >= 0 and milestone == int(milestone))

    def decays(first: int, stop: int) -> list[tuple[int, float]]:
        return [
            (epoch, gamma ** counts[epoch])
            for epoch in distinct[bisect_left(distinct, first) : bisect_left(distinct, stop)]
        ]

    quiet_from = distinct[-1] + 1 if distinct else 0
    return from_initial_lr(
        lambda base_lr: multiplying(
            Decays(decays, quiet_from),
            update_lr_0=lambda lr: base_lr * gamma ** bisect_right(ordered, 0),
            update_lr=lambda lr, epoch: base_lr * gamma ** bisect_right(ordered, epoch),
        )
    )


def constant_lr(factor: float = 1.0 / 3, total_iters: float = 5) -> Scheduler:
    """``ConstantLR``: the lr times ``factor`` from the initial step until the epoch that equals
    ``total_iters``, where it is divided back (multiplied by ``1.0 / factor``); a ``total_iters``
    no step reaches (0, negative, fractional) leaves it at ``factor`` for good, as in torch.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(constant_lr(factor=0.5, total_iters=2), 1.0, 4)
    [0.5, 0.5, 1.0, 1.0]
    """
    number("factor", factor, 0, 1)
    number("total_iters", total_iters)
    restore = reached(total_iters)

    def decays(first: int, stop: int) -> list[tuple[int, float]]:
        pairs = [(0, factor)] if first == 0 < stop else []
        if restore is not None and first <= restore < stop:
            if factor == 0:
                raise ScheduleError("factor", f"0 makes torch divide by zero at epoch {restore}")
            pairs.append((restore, 1.0 / factor))
        return pairs

    closed = factor + (total_iters <= 0) * (1 - factor)
    return from_initial_lr(
        lambda base_lr: multiplying(
            Decays(decays, quiet_from=1 if restore is None else restore + 1),
            update_lr_0=lambda lr: base_lr * closed,
            update_lr=lambda lr, epoch: base_lr * (factor + (epoch >= total_iters) * (1 - factor)),
        )
    )


def reached(count: float) -> int | None:
    """The epoch after the initial step (1 or later) that equals ``count``, if one does.

    >>> reached(5), reached(5.0), reached(2.5), reached(0), reached(-3)
    (5, 5, None, None, None)
    """
    return int(count) if count >= 1 and count == int(count) else None


def last_ramp_epoch(count: float) -> int:
    """The last epoch ``k`` with ``k <= count``: torch's ramps (LinearLR, PolynomialLR) step while
    ``last_epoch <= total_iters``, whatever number it is (0 or less: none).

    >>> last_ramp_epoch(5), last_ramp_epoch(2.5), last_ramp_epoch(-3)
    (5, 2, 0)
    """
    return max(math.floor(count), 0)


def linear_lr(start_factor: float = 1.0 / 3, end_factor: float = 1.0, total_iters: float = 5) -> Scheduler:
    """``LinearLR``: the lr moves from ``initial_lr * start_factor`` to ``initial_lr *
    end_factor`` in ``total_iters`` steps, each a multiplication of the lr held (a fractional
    ``total_iters`` stops the ramp short of ``end_factor``, as torch's arithmetic does).

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(linear_lr(start_factor=0.5, total_iters=2), 1.0, 4)
    [0.5, 0.75, 1.0, 1.0]
    """
    number("start_factor", start_factor, 0, 1, open_low=True)
    number("end_factor", end_factor, 0, 1)
    number("total_iters", total_iters)
    change = end_factor - start_factor
    last = last_ramp_epoch(total_iters)

    def restart(base_lr: float) -> float:
        if total_iters == 0:
            raise ScheduleError("total_iters", "0 makes torch divide by zero when SequentialLR restarts LinearLR")
        return base_lr * (start_factor + change * min(total_iters, 0) / total_iters)

    def factors(first: int, stop: int) -> list[float]:
        values = [start_factor] * (first == 0 < stop)
        ramp = range(max(first, 1), min(last + 1, stop))
        values += [1.0 + change / (total_iters * start_factor + (epoch - 1) * change) for epoch in ramp]
        return values + [1.0] * (stop - first - len(values))

    return from_initial_lr(
        lambda base_lr: multiplying(
            Factors(factors, quiet_from=last + 1),
            update_lr_0=lambda lr: restart(base_lr),
            update_lr=lambda lr, epoch: base_lr * (start_factor + change * min(total_iters, epoch) / total_iters),
            initial_keeps=True,
        )
    )


def exponential_lr(gamma: float) -> Scheduler:
    """``ExponentialLR``: multiply the lr held by ``gamma`` at every step after the initial one.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(exponential_lr(gamma=0.1), 1.0, 3)
    [1.0, 0.1, 0.010000000000000002]
    """
    number("gamma", gamma, 0)

    def factors(first: int, stop: int) -> list[float]:
        return [1.0] * (first == 0 < stop) + [gamma] * (stop - max(first, 1))

    return from_initial_lr(
        lambda base_lr: multiplying(
            Factors(factors, quiet_from=1 if gamma == 1 else None),
            update_lr_0=lambda lr: base_lr * gamma**0,
            step=lambda lr: lr * gamma,
            update_lr=lambda lr, epoch: base_lr * gamma**epoch,
            initial_keeps=True,
        )
    )


def polynomial_lr(total_iters: float = 5, power: float = 1.0) -> Scheduler:
    """``PolynomialLR``: decay to 0 over ``total_iters`` steps as ``(1 - epoch / total_iters) **
    power``, each step multiplying the lr held by the ratio of consecutive terms.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(polynomial_lr(total_iters=4, power=1.0), 1.0, 6)
    [1.0, 0.75, 0.5, 0.25, 0.0, 0.0]
    """
    number("total_iters", total_iters)
    number("power", power)
    last = last_ramp_epoch(total_iters)

    def restart(base_lr: float) -> float:
        if total_iters == 0:
            raise ScheduleError("total_iters", "0 makes torch divide by zero when SequentialLR restarts PolynomialLR")
        factor: float = (1.0 - min(total_iters, 0) / total_iters) ** power
        return base_lr * factor

    def stepped_at_zero(lr: float) -> float:  # torch's general step, at epoch 0
        if total_iters < 0:
            return lr
        if total_iters == 0:
            raise ScheduleError(
                "total_iters", "0 makes torch divide by zero when a plain step brings PolynomialLR to 0"
            )
        factor: float = ((1.0 - 0 / total_iters) / (1.0 - (0 - 1) / total_iters)) ** power
        return lr * factor

    def factors(first: int, stop: int) -> list[float]:
        values = [1.0] * (first == 0 < stop)
        epoch = first
        try:
            for epoch in range(max(first, 1), min(last + 1, stop)):
                values.append(((1.0 - epoch / total_iters) / (1.0 - (epoch - 1) / total_iters)) ** power)
        except ZeroDivisionError:
            raise ScheduleError("power", f"{power!r} makes torch divide by zero at epoch {epoch}") from None
        except OverflowError:
            raise ScheduleError(
                "power",
                f"{power!r} makes the ratio of consecutive terms, raised to it, too large "
                f"for a float at epoch {epoch}; torch overflows "
                "there too",
            ) from None
        return values + [1.0] * (stop - first - len(values))

    return from_initial_lr(
        lambda base_lr: multiplying(
            Factors(factors, quiet_from=last + 1),
            update_lr_0=lambda lr: restart(base_lr),
            step=stepped_at_zero,
            update_lr=lambda lr, epoch: base_lr * (1.0 - min(total_iters, epoch) / total_iters) ** power,
            initial_keeps=True,
        )
    )
