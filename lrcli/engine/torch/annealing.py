"""The cosine schedules: CosineAnnealingLR (recursive, from the lr held) and
CosineAnnealingWarmRestarts (from the base lr)."""

from __future__ import annotations

import math
from dataclasses import replace

from lrcli.engine.core import (
    Run,
    ScheduleError,
    Scheduler,
    SequentialHooks,
    Stepper,
    from_initial_lr,
    number,
    tabulated,
    whole,
)


def cosine_annealing_lr(T_max: float, eta_min: float = 0.0) -> Scheduler:  # noqa: N803 (torch's name)
    """``CosineAnnealingLR``: from ``initial_lr`` down to ``eta_min`` along half a cosine over
    ``T_max`` steps (and back up, periodically), recursively as torch does:
    ``lr_k = (1 + cos(π k / T)) / (1 + cos(π (k-1) / T)) * (lr_{k-1} - eta_min) + eta_min``,
    except at the epochs where ``(k - 1 - T) % (2 T) == 0``, where torch adds a fixed bump
    instead. Torch's arithmetic takes any ``T_max`` (a fraction, a negative number); 0 divides by
    zero at the first step, and so does a denominator that comes out 0.0 outside a bump.

    >>> from lrcli.engine.core import lr_values
    >>> [round(lr, 12) for lr in lr_values(cosine_annealing_lr(T_max=2), 1.0, 5)]
    [1.0, 0.5, 0.0, 0.5, 1.0]
    """
    number("T_max", T_max)
    number("eta_min", eta_min)

    period = 2 * T_max
    whole_t = int(T_max) if T_max == int(T_max) and abs(T_max) < 2**52 else None

    def bump_epochs(first: int, stop: int) -> list[int] | range:
        """The epochs in ``first … stop - 1`` where torch's ``(epoch - 1 - T_max) % (2 * T_max)``
        is 0: a progression when T_max is a whole number (exact in floats too), else tested."""
        if T_max == 0:
            raise ScheduleError(
                "T_max", "0 makes torch divide by zero ((last_epoch - 1 - T_max) % (2 * T_max)) at the first step"
            )
        if whole_t is None:
            return [epoch for epoch in range(first, stop) if (epoch - 1 - T_max) % period == 0]
        every = 2 * abs(whole_t)
        return range(first + (1 + whole_t - first) % every, stop, every)

    def make(base_lr: float) -> Stepper:
        def bump() -> float:  # torch's (base_lr - eta_min) * (1 - cos(pi / T_max)) / 2, where it adds it
            return (base_lr - eta_min) * (1 - math.cos(math.pi / T_max)) / 2

        def lifted(epoch: int) -> float:  # torch's 1 + cos(pi * epoch / T_max)
            return 1 + math.cos(math.pi * epoch / T_max)

        def step(lr: float, epoch: int) -> float:  # torch's get_lr outside the initial step
            if (epoch - 1 - T_max) % period == 0:
                return lr + bump()
            return lifted(epoch) / lifted(epoch - 1) * (lr - eta_min) + eta_min

        def rule(lr: float, epoch: int) -> float:
            return lr if epoch == 0 else step(lr, epoch)

        def run(lr: float, first: int, stop: int) -> list[float]:
            # rule's arithmetic over a span: the cosine terms computed once each, and the
            # recursion run between the epochs where torch adds the bump instead.
            if first >= stop:
                return []
            cos, pi = math.cos, math.pi
            bumps = bump_epochs(first, stop)
            terms = [1 + cos(pi * epoch / T_max) for epoch in range(first - 1, stop)]
            if 0.0 in terms[:-1]:  # a denominator 0: torch divides by it unless that epoch is a bump
                skipped = set(bumps)
                zero = next(
                    (
                        first + offset
                        for offset, term in enumerate(terms[:-1])
                        if not term and first + offset not in skipped
                    ),
                    None,
                )
                if zero is not None:
                    raise ScheduleError(
                        "T_max",
                        f"{T_max!r} makes torch divide by zero at epoch {zero}: "
                        f"1 + cos(pi * {zero - 1} / T_max) is 0.0",
                    )
            ratios = [after / before if before else 0.0 for before, after in zip(terms, terms[1:])]
            values: list[float] = []
            append = values.append
            start = first
            for segment_end in [*bumps, stop]:
                for ratio in ratios[start - first : segment_end - first]:
                    lr = ratio * (lr - eta_min) + eta_min
                    append(lr)
                if segment_end < stop:
                    lr = lr + bump()
                    append(lr)
                start = segment_end + 1
            return values

        def restart(lr: float) -> float:  # torch's closed form at epoch 0
            return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * 0 / T_max)) / 2

        def closed_form(lr: float, epoch: float) -> float:  # torch's _get_closed_form_lr, for step(epoch)
            return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * epoch / T_max)) / 2

        stepper = Stepper(
            rule=rule,
            bulk=Run(run),
            sequential=SequentialHooks(update_lr_0=restart, step=lambda lr: (step(lr, 0), None)),
            resume=lambda lr, epoch, fresh: (lr, stepper),  # the initial step keeps the lr it finds
            update_lr=closed_form,
        )
        return stepper

    return from_initial_lr(make)


def cosine_annealing_warm_restarts(T_0: int, T_mult: int = 1, eta_min: float = 0.0) -> Scheduler:  # noqa: N803
    """``CosineAnnealingWarmRestarts``: ``eta_min + (initial_lr - eta_min) * (1 + cos(π T_cur /
    T_i)) / 2``, where ``T_cur`` counts steps since the last restart and the period ``T_i`` starts
    at ``T_0`` and is multiplied by ``T_mult`` at each restart.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(cosine_annealing_warm_restarts(T_0=2), 1.0, 4)
    [1.0, 0.5, 1.0, 0.5]
    """
    whole("T_0", T_0, 1)
    whole("T_mult", T_mult, 1)
    number("eta_min", eta_min)

    def position(epoch: int, start: int = 0, period: int = T_0) -> tuple[int, int]:
        """Torch's T_cur (epochs since the last restart) and T_i (the period) at ``epoch``, the
        restart before it being at ``start`` with ``period``."""
        if T_mult == 1:
            return (epoch - start) % period, period
        while epoch >= start + period:
            start, period = start + period, period * T_mult
        return epoch - start, period

    def make(base_lr: float) -> Stepper:
        def lr_at(since_restart: float, period: float) -> float:
            return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * since_restart / period)) / 2

        def walked(first: int, stop: int, since_restart: int, period: int) -> list[float]:
            values = []
            for _ in range(first, stop):  # as torch steps T_cur and T_i
                values.append(lr_at(since_restart, period))
                since_restart += 1
                if since_restart >= period:
                    since_restart %= period
                    period *= T_mult
            return values

        def table(first: int, stop: int) -> list[float]:
            return walked(first, stop, *position(first))

        def resume(lr: float, epoch: int, fresh: bool) -> tuple[float, Stepper]:
            # constructed with last_epoch = epoch - 1: T_cur = epoch - 1 and T_i = T_0, whatever
            # restarts came before; the initial step adds 1 and wraps once
            since_restart, period = epoch, T_0
            if since_restart >= period:
                since_restart, period = since_restart % period, period * T_mult
            start = epoch - since_restart
            later = tabulated(lambda first, stop: walked(first, stop, *position(first, start, period)))
            return lr_at(since_restart, period), later

        def explicit(lr: float, epoch: float) -> float:  # torch's step(epoch), fractional epochs too
            if epoch < 0:
                raise ScheduleError(None, f"torch's CosineAnnealingWarmRestarts.step({epoch!r}) expects an epoch >= 0")
            if epoch < T_0:
                return lr_at(epoch, T_0)
            if T_mult == 1:
                return lr_at(epoch % T_0, T_0)
            n = int(math.log((epoch / T_0 * (T_mult - 1) + 1), T_mult))
            return lr_at(epoch - T_0 * (T_mult**n - 1) / (T_mult - 1), T_0 * T_mult ** (n))

        stepper = tabulated(table, update_lr_0=lambda lr: table(0, 1)[0], resume=resume, update_lr=explicit)
        return replace(stepper, sequential=replace(stepper.sequential, resumed_undo=None))

    return from_initial_lr(make)
