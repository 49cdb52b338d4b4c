"""Learning-rate schedules, replayed with the arithmetic of ``torch.optim.lr_scheduler``.

Torch computes most schedules recursively, from the lr the optimizer holds, so a closed form like
``base_lr * gamma ** k`` is a different float in most rows of a long schedule. Here every torch
scheduler is a function named after it that returns a :data:`Scheduler`: what its constructor
does to a param group (its initial step included), and a :class:`Stepper` for the steps after.

A stepper's ``rule(lr, epoch)`` is the lr torch writes when the scheduler's ``last_epoch``
becomes ``epoch``, given the lr the group holds. For the schedulers torch computes as
``lr * factor`` (StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR,
MultiplicativeLR) the stepper also lists the factors, 1.0 where torch leaves the lr alone (which
multiplies exactly), so a run is one ordered product. ``restart(lr)`` is torch's
``_update_lr(0)``, which SequentialLR calls at a milestone: the closed form at epoch 0 where torch
has one, else the rule at epoch 0 outside the initial step.

:func:`chained_scheduler` and :func:`sequential_lr` compose schedulers into a scheduler, and
:func:`lr_values` runs any of them. :func:`reduce_lr_on_plateau` follows a metric instead.

Each function checks its parameters as torch accepts them and raises :class:`ScheduleError`
naming the parameter.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import mul

Rule = Callable[[float, int], float]


class ScheduleError(ValueError):
    """A parameter torch would refuse, or a value torch's optimizers would refuse.

    ``param`` is torch's name for the parameter at fault (``"step_size"``), or ``None`` when the
    fault is in a computed value.
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
    """How a constructed scheduler steps; see the module's docstring. ``momentum(epochs)`` lists
    the momentum a scheduler that cycles it sets at each epoch.

    At most one of the bulk forms is given, each equal to ``rule``: ``factors[epoch]`` when the
    rule is ``lr * factors[epoch]``; ``table[epoch]`` when the rule ignores the lr held (the
    schedules torch computes from ``base_lrs``); ``run(lr, first, count)`` for the rule at
    ``first, first + 1, …`` when the scheduler has a faster way of its own.
    """

    rule: Rule
    restart: Callable[[float], float] | None = None
    factors: list[float] | None = None
    table: list[float] | None = None
    run: Callable[[float, int, int], list[float]] | None = None
    momentum: Callable[[int], list[float]] | None = None


def run_stepper(stepper: Stepper, lr: float, first: int, count: int) -> list[float]:
    """The lrs the rule gives at epochs ``first, …, first + count - 1``, starting from ``lr``.

    >>> run_stepper(Stepper(rule=lambda lr, epoch: lr + epoch), 0.0, 1, 3)
    [1.0, 3.0, 6.0]
    """
    if stepper.run is not None:
        return stepper.run(lr, first, count)
    if stepper.factors is not None:
        values = list(accumulate(stepper.factors[first : first + count], mul, initial=lr))
    elif stepper.table is not None:
        return stepper.table[first : first + count]
    else:
        values = list(accumulate(range(first, first + count), stepper.rule, initial=lr))
    del values[0]
    return values


Scheduler = Callable[[Group, int], "tuple[Group, Stepper]"]
"""``construct(group, epochs) -> (group after the constructor, stepper)``; ``epochs`` (at least 1)
bounds the epochs the stepper will be asked for."""


def lr_values(scheduler: Scheduler, lr: float, epochs: int) -> list[float]:
    """The lr after 0, 1, …, ``epochs - 1`` calls to ``scheduler.step()``, starting from a param
    group whose lr is ``lr``. Row 0 is what the constructor leaves.

    >>> lr_values(exponential_lr(gamma=0.5), 1.0, 4)
    [1.0, 0.5, 0.25, 0.125]
    """
    group, stepper = scheduler(Group(lr), max(epochs, 1))
    if epochs == 0:
        return []
    return [group.lr, *run_stepper(stepper, group.lr, 1, epochs - 1)]


def momentum_values(scheduler: Scheduler, lr: float, epochs: int) -> list[float] | None:
    """The momentum (or Adam's beta1) a scheduler that cycles it sets at each row, else None.

    >>> momentum_values(one_cycle_lr(max_lr=1.0, total_steps=4, pct_start=0.5), 0.1, 3)
    [0.95, 0.85, 0.8999999999999999]
    """
    _, stepper = scheduler(Group(lr), max(epochs, 1))
    return None if stepper.momentum is None else stepper.momentum(epochs)


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


def _whole(name: str, value: int, least: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ScheduleError(name, f"must be a whole number >= {least}, got {value!r}")


def _number(name: str, value: float, low: float = -math.inf, high: float = math.inf, *, open_low=False, open_high=False) -> None:
    """``value`` is a finite real number within the bounds given."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    ok = ok and (value > low if open_low else value >= low) and (value < high if open_high else value <= high)
    if not ok:
        bounds = []
        if low > -math.inf:
            bounds.append(f"{'>' if open_low else '>='} {low:g}")
        if high < math.inf:
            bounds.append(f"{'<' if open_high else '<='} {high:g}")
        raise ScheduleError(name, f"must be a finite number{' ' if bounds else ''}{' and '.join(bounds)}, got {value!r}")


def _choice(name: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise ScheduleError(name, f"must be one of {', '.join(choices)}; got {value!r}")


def _scheduler(make: Callable[[float, int], Stepper]) -> Scheduler:
    """A scheduler constructed as ``LRScheduler.__init__`` does it: ``initial_lr`` defaults to the
    group's lr and is the scheduler's base lr; then the initial step applies the rule at epoch 0."""

    def construct(group: Group, epochs: int) -> tuple[Group, Stepper]:
        initial_lr = group.lr if group.initial_lr is None else group.initial_lr
        stepper = make(initial_lr, epochs)
        return Group(stepper.rule(group.lr, 0), initial_lr), stepper

    return construct


def _multiplicative(factors: list[float], restart: Callable[[float], float]) -> Stepper:
    return Stepper(rule=lambda lr, epoch: lr * factors[epoch], restart=restart, factors=factors)


def _tabulated(table: list[float], restart: Callable[[float], float], **extra) -> Stepper:
    return Stepper(rule=lambda lr, epoch: table[epoch], restart=restart, table=table, **extra)


def lambda_lr(lr_lambda: Callable[[int], float]) -> Scheduler:
    """``LambdaLR``: ``lr = initial_lr * lr_lambda(epoch)``, whatever the lr held.

    >>> lr_values(lambda_lr(lambda epoch: 1 / (epoch + 1)), 0.1, 3)
    [0.1, 0.05, 0.03333333333333333]
    """

    def make(base_lr: float, epochs: int) -> Stepper:
        table = [base_lr * lr_lambda(epoch) for epoch in range(epochs)]
        return _tabulated(table, restart=lambda lr: base_lr * lr_lambda(0))

    return _scheduler(make)


def multiplicative_lr(lr_lambda: Callable[[int], float]) -> Scheduler:
    """``MultiplicativeLR``: multiply the lr held by ``lr_lambda(epoch)`` at every step after the
    initial one.

    >>> lr_values(multiplicative_lr(lambda epoch: 0.5), 1.0, 3)
    [1.0, 0.5, 0.25]
    """

    def make(base_lr: float, epochs: int) -> Stepper:
        factors = [1.0, *map(lr_lambda, range(1, epochs))]
        return _multiplicative(factors, restart=lambda lr: lr * lr_lambda(0))

    return _scheduler(make)


def _check_gamma(gamma: float) -> None:
    _number("gamma", gamma, 0)


def step_lr(step_size: int, gamma: float = 0.1) -> Scheduler:
    """``StepLR``: multiply the lr held by ``gamma`` at every epoch that is a multiple of
    ``step_size`` (never at epoch 0), so ``lr_k ≈ initial_lr * gamma ** (k // step_size)``.

    >>> lr_values(step_lr(step_size=2, gamma=0.5), 1.0, 5)
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """
    _whole("step_size", step_size, 1)
    _check_gamma(gamma)

    def make(base_lr: float, epochs: int) -> Stepper:
        factors = [1.0] * epochs
        factors[step_size::step_size] = [gamma] * len(range(step_size, epochs, step_size))
        return _multiplicative(factors, restart=lambda lr: base_lr * gamma ** (0 // step_size))

    return _scheduler(make)


def multistep_lr(milestones: Iterable[int], gamma: float = 0.1) -> Scheduler:
    """``MultiStepLR``: multiply the lr held by ``gamma ** n`` at each epoch listed ``n`` times.

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
    ordered = sorted(counts.elements())

    def make(base_lr: float, epochs: int) -> Stepper:
        factors = [1.0] * epochs
        for epoch, count in counts.items():
            if epoch < epochs:
                factors[epoch] = gamma**count
        return _multiplicative(factors, restart=lambda lr: base_lr * gamma ** bisect_right(ordered, 0))

    return _scheduler(make)


def constant_lr(factor: float = 1.0 / 3, total_iters: int = 5) -> Scheduler:
    """``ConstantLR``: the lr times ``factor`` from the initial step until epoch ``total_iters``,
    where it is divided back (multiplied by ``1.0 / factor``).

    >>> lr_values(constant_lr(factor=0.5, total_iters=2), 1.0, 4)
    [0.5, 0.5, 1.0, 1.0]
    """
    _number("factor", factor, 0, 1)
    _whole("total_iters", total_iters, 0)

    def make(base_lr: float, epochs: int) -> Stepper:
        factors = [1.0] * epochs
        if 0 < total_iters < epochs:
            if factor == 0:
                raise ScheduleError("factor", f"0 makes torch divide by zero at epoch {total_iters}")
            factors[total_iters] = 1.0 / factor
        factors[0] = factor
        closed = factor + (0 >= total_iters) * (1 - factor)
        return _multiplicative(factors, restart=lambda lr: base_lr * closed)

    return _scheduler(make)


def linear_lr(start_factor: float = 1.0 / 3, end_factor: float = 1.0, total_iters: int = 5) -> Scheduler:
    """``LinearLR``: the lr moves from ``initial_lr * start_factor`` to ``initial_lr *
    end_factor`` in ``total_iters`` steps, each a multiplication of the lr held.

    >>> lr_values(linear_lr(start_factor=0.5, total_iters=2), 1.0, 4)
    [0.5, 0.75, 1.0, 1.0]
    """
    _number("start_factor", start_factor, 0, 1, open_low=True)
    _number("end_factor", end_factor, 0, 1)
    _whole("total_iters", total_iters, 0)
    change = end_factor - start_factor

    def restart(base_lr: float) -> float:
        if total_iters == 0:
            raise ScheduleError("total_iters", "0 makes torch divide by zero when SequentialLR restarts LinearLR")
        return base_lr * (start_factor + change * min(total_iters, 0) / total_iters)

    def make(base_lr: float, epochs: int) -> Stepper:
        factors = [1.0] * epochs
        for epoch in range(1, min(total_iters, epochs - 1) + 1):
            factors[epoch] = 1.0 + change / (total_iters * start_factor + (epoch - 1) * change)
        factors[0] = start_factor
        return _multiplicative(factors, restart=lambda lr: restart(base_lr))

    return _scheduler(make)


def exponential_lr(gamma: float) -> Scheduler:
    """``ExponentialLR``: multiply the lr held by ``gamma`` at every step after the initial one.

    >>> lr_values(exponential_lr(gamma=0.1), 1.0, 3)
    [1.0, 0.1, 0.010000000000000002]
    """
    _check_gamma(gamma)

    def make(base_lr: float, epochs: int) -> Stepper:
        factors = [1.0] + [gamma] * (epochs - 1)
        return _multiplicative(factors, restart=lambda lr: base_lr * gamma**0)

    return _scheduler(make)


def polynomial_lr(total_iters: int = 5, power: float = 1.0) -> Scheduler:
    """``PolynomialLR``: decay to 0 over ``total_iters`` steps as ``(1 - epoch / total_iters) **
    power``, each step multiplying the lr held by the ratio of consecutive terms.

    >>> lr_values(polynomial_lr(total_iters=4, power=1.0), 1.0, 6)
    [1.0, 0.75, 0.5, 0.25, 0.0, 0.0]
    """
    _whole("total_iters", total_iters, 0)
    _number("power", power)

    def restart(base_lr: float) -> float:
        if total_iters == 0:
            raise ScheduleError("total_iters", "0 makes torch divide by zero when SequentialLR restarts PolynomialLR")
        return base_lr * (1.0 - min(total_iters, 0) / total_iters) ** power

    def make(base_lr: float, epochs: int) -> Stepper:
        factors = [1.0] * epochs
        try:
            for epoch in range(1, min(total_iters, epochs - 1) + 1):
                factors[epoch] = ((1.0 - epoch / total_iters) / (1.0 - (epoch - 1) / total_iters)) ** power
        except ZeroDivisionError:
            raise ScheduleError("power", f"{power!r} makes torch divide by zero at epoch {total_iters}") from None
        return _multiplicative(factors, restart=lambda lr: restart(base_lr))

    return _scheduler(make)


def cosine_annealing_lr(T_max: int, eta_min: float = 0.0) -> Scheduler:  # noqa: N803 (torch's name)
    """``CosineAnnealingLR``: from ``initial_lr`` down to ``eta_min`` along half a cosine over
    ``T_max`` steps (and back up, periodically), recursively as torch does:
    ``lr_k = (1 + cos(π k / T)) / (1 + cos(π (k-1) / T)) * (lr_{k-1} - eta_min) + eta_min``.

    >>> [round(lr, 12) for lr in lr_values(cosine_annealing_lr(T_max=2), 1.0, 5)]
    [1.0, 0.5, 0.0, 0.5, 1.0]
    """
    _whole("T_max", T_max, 1)
    _number("eta_min", eta_min)

    def make(base_lr: float, epochs: int) -> Stepper:
        bump = (base_lr - eta_min) * (1 - math.cos(math.pi / T_max)) / 2
        period = 2 * T_max
        lifted = [1 + math.cos(math.pi * epoch / T_max) for epoch in range(epochs)]  # torch's terms

        def rule(lr: float, epoch: int) -> float:
            if epoch == 0:
                return lr
            if (epoch - 1 - T_max) % period == 0:
                return lr + bump
            return lifted[epoch] / lifted[epoch - 1] * (lr - eta_min) + eta_min

        def run(lr: float, first: int, count: int) -> list[float]:
            # rule's arithmetic, unrolled into one loop: a call per epoch costs as much again.
            values = []
            append = values.append
            for epoch in range(first, first + count):
                if (epoch - 1 - T_max) % period == 0:
                    lr = lr + bump
                else:
                    lr = lifted[epoch] / lifted[epoch - 1] * (lr - eta_min) + eta_min
                append(lr)
            return values

        closed = eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * 0 / T_max)) / 2
        return Stepper(rule=rule, restart=lambda lr: closed, run=run)

    return _scheduler(make)


def cosine_annealing_warm_restarts(T_0: int, T_mult: int = 1, eta_min: float = 0.0) -> Scheduler:  # noqa: N803
    """``CosineAnnealingWarmRestarts``: ``eta_min + (initial_lr - eta_min) * (1 + cos(π T_cur /
    T_i)) / 2``, where ``T_cur`` counts steps since the last restart and the period ``T_i`` starts
    at ``T_0`` and is multiplied by ``T_mult`` at each restart.

    >>> lr_values(cosine_annealing_warm_restarts(T_0=2), 1.0, 4)
    [1.0, 0.5, 1.0, 0.5]
    """
    _whole("T_0", T_0, 1)
    _whole("T_mult", T_mult, 1)
    _number("eta_min", eta_min)

    def make(base_lr: float, epochs: int) -> Stepper:
        table = []  # as torch steps T_cur (epochs since the restart) and T_i (the period)
        since_restart, period = 0, T_0
        for _ in range(epochs):
            table.append(eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * since_restart / period)) / 2)
            since_restart += 1
            if since_restart >= period:
                since_restart %= period
                period *= T_mult
        return _tabulated(table, restart=lambda lr: table[0])

    return _scheduler(make)


CYCLIC_MODES = ("triangular", "triangular2", "exp_range")


def cyclic_lr(
    base_lr: float,
    max_lr: float,
    step_size_up: int = 2000,
    step_size_down: int | None = None,
    mode: str = "triangular",
    gamma: float = 1.0,
    scale_mode: str = "cycle",
    cycle_momentum: bool = True,
    base_momentum: float = 0.8,
    max_momentum: float = 0.9,
) -> Scheduler:
    """``CyclicLR``: the lr climbs from ``base_lr`` to ``max_lr`` in ``step_size_up`` steps and
    back in ``step_size_down``, the amplitude scaled per cycle (``triangular2`` halves it) or per
    step (``exp_range``: ``gamma ** step``); momentum cycles the other way. As in torch, the
    optimizer's lr is replaced by ``base_lr``, and ``scale_mode`` only matters for a custom scale
    function: the three modes fix it (``cycle``, ``cycle``, ``iterations``).

    >>> lr_values(cyclic_lr(base_lr=0.1, max_lr=0.5, step_size_up=2), 9.0, 5)
    [0.1, 0.30000000000000004, 0.5, 0.30000000000000004, 0.1]
    """
    _number("base_lr", base_lr, 0)
    _number("max_lr", max_lr, 0)
    if max_lr < base_lr:
        raise ScheduleError("max_lr", f"must be at least base_lr ({base_lr!r}), got {max_lr!r}")
    _whole("step_size_up", step_size_up, 1)
    if step_size_down is not None:
        _whole("step_size_down", step_size_down, 0)
    _choice("mode", mode, CYCLIC_MODES)
    _number("gamma", gamma, 0)
    _choice("scale_mode", scale_mode, ("cycle", "iterations"))
    _number("base_momentum", base_momentum)
    _number("max_momentum", max_momentum)
    up = float(step_size_up)
    total_size = up + (float(step_size_down) if step_size_down is not None else up)
    step_ratio = up / total_size

    def positions(epochs: int) -> tuple[list[float], list[float]]:
        """At each epoch, torch's fraction of the way from base to max and the amplitude's scale."""
        fractions, cycles = [], []
        floor = math.floor
        for epoch in range(epochs):
            ratio = epoch / total_size
            cycle = floor(1 + ratio)
            x = 1.0 + ratio - cycle
            fractions.append(x / step_ratio if x <= step_ratio else (x - 1) / (step_ratio - 1))
            cycles.append(cycle)
        if mode == "triangular":
            amplitudes = [1.0] * epochs
        elif mode == "triangular2":
            amplitudes = [1 / 2.0 ** (cycle - 1) for cycle in cycles]
        else:
            amplitudes = [gamma**epoch for epoch in range(epochs)]
        return fractions, amplitudes

    def construct(group: Group, epochs: int) -> tuple[Group, Stepper]:
        # torch sets the lr to base_lr, then LRScheduler.__init__ takes initial_lr (the group's
        # first lr, if an earlier scheduler set it) as the base of the initial step; later steps
        # use base_lr.
        initial_lr = base_lr if group.initial_lr is None else group.initial_lr
        fractions, amplitudes = positions(epochs)
        span = max_lr - base_lr
        table = [base_lr + span * fraction * amplitude for fraction, amplitude in zip(fractions, amplitudes)]
        first = initial_lr + (max_lr - initial_lr) * fractions[0] * amplitudes[0]

        def momentum(count: int) -> list[float]:
            depth = max_momentum - base_momentum
            pairs = zip(fractions[:count], amplitudes[:count])
            return [max_momentum - depth * fraction * amplitude for fraction, amplitude in pairs]

        stepper = _tabulated(table, restart=lambda lr: table[0], momentum=momentum if cycle_momentum else None)
        return Group(first, initial_lr), stepper

    return construct


def one_cycle_lr(
    max_lr: float,
    total_steps: int,
    pct_start: float = 0.3,
    anneal_strategy: str = "cos",
    cycle_momentum: bool = True,
    base_momentum: float = 0.85,
    max_momentum: float = 0.95,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
    three_phase: bool = False,
) -> Scheduler:
    """``OneCycleLR``: from ``max_lr / div_factor`` up to ``max_lr`` over ``pct_start`` of
    ``total_steps``, then down to ``max_lr / div_factor / final_div_factor`` (with
    ``three_phase``, back to the start first), by cosine or linear annealing; momentum moves the
    other way. Torch replaces the group's ``initial_lr``, so the optimizer's lr does not matter,
    and stepping past ``total_steps`` is an error.

    >>> lr_values(one_cycle_lr(max_lr=1.0, total_steps=4, pct_start=0.5, anneal_strategy="linear"), 0.1, 4)
    [0.04, 1.0, 0.5000020000000001, 4.000000000004e-06]
    """
    _number("max_lr", max_lr, 0)
    _whole("total_steps", total_steps, 1)
    _number("pct_start", pct_start, 0, 1, open_low=True, open_high=True)
    _choice("anneal_strategy", anneal_strategy, ("cos", "linear"))
    _number("base_momentum", base_momentum)
    _number("max_momentum", max_momentum)
    _number("div_factor", div_factor, 0, open_low=True)
    _number("final_div_factor", final_div_factor, 0, open_low=True)
    initial_lr = max_lr / div_factor
    levels = {"initial_lr": initial_lr, "max_lr": max_lr, "min_lr": initial_lr / final_div_factor,
              "max_momentum": max_momentum, "base_momentum": base_momentum}
    if three_phase:
        phases = [
            (float(pct_start * total_steps) - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
            (float(2 * pct_start * total_steps) - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
            (total_steps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
        ]
    else:
        phases = [
            (float(pct_start * total_steps) - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
            (total_steps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
        ]

    def annealed(levels_at: tuple[int, int], steps: int) -> list[float]:
        """torch's value at steps 0 … steps-1, for the start and end level of each phase at
        ``levels_at`` in the phase tuples (the lr's or the momentum's)."""
        values: list[float] = []
        start_step, reached = 0.0, -math.inf
        for index, (end_step, *keys) in enumerate(phases):
            # torch takes the first phase whose end_step the step does not pass, else the last.
            last = index == len(phases) - 1
            first_step = max(len(values), math.floor(reached) + 1 if reached > -math.inf else 0)
            stop = steps if last else min(steps, math.floor(end_step) + 1)
            start, end = levels[keys[levels_at[0]]], levels[keys[levels_at[1]]]
            span = end_step - start_step
            if first_step < stop and span == 0:
                raise ScheduleError("pct_start", f"{pct_start!r} with total_steps={total_steps} makes a phase "
                                                 "of no steps, where torch divides by zero")
            if anneal_strategy == "cos":
                cos, pi = math.cos, math.pi
                values += [end + (start - end) / 2.0 * (cos(pi * ((step - start_step) / span)) + 1)
                           for step in range(first_step, stop)]
            else:
                values += [(end - start) * ((step - start_step) / span) + start for step in range(first_step, stop)]
            reached = max(reached, end_step)
            start_step = end_step
        return values

    def refuse(step: int) -> float:
        raise ScheduleError(
            None, f"OneCycleLR(total_steps={total_steps}) refuses step {step}, as torch does: at most {total_steps + 1} rows"
        )

    def construct(group: Group, epochs: int) -> tuple[Group, Stepper]:
        steps = min(epochs, total_steps + 1)
        table = annealed((0, 1), steps)

        def run(lr: float, first: int, count: int) -> list[float]:
            if first + count > steps:
                refuse(total_steps + 1)
            return table[first : first + count]

        stepper = Stepper(
            rule=lambda lr, epoch: table[epoch] if epoch < steps else refuse(epoch),
            restart=lambda lr: table[0],
            run=run,
            momentum=(lambda count: annealed((2, 3), min(count, steps))) if cycle_momentum else None,
        )
        return Group(table[0], initial_lr), stepper

    return construct


def _quiet_from(factors: list[float]) -> int:
    """The epoch from which every factor is 1.0.

    >>> _quiet_from([0.5, 1.0, 0.9, 1.0, 1.0])
    3
    """
    epoch = len(factors)
    while epoch and factors[epoch - 1] == 1.0:
        epoch -= 1
    return epoch


def _chain_stretch(steppers: list[Stepper], lr: float, first: int, count: int) -> list[float]:
    """Chained steppers over epochs ``first, …, first + count - 1``, in the fastest exact way."""
    if not steppers:
        return [lr] * count
    if len(steppers) == 1:
        return run_stepper(steppers[0], lr, first, count)
    factor_lists = [stepper.factors for stepper in steppers]
    if all(factors is not None for factors in factor_lists):
        # One ordered product over the children's factors, interleaved.
        width = len(factor_lists)
        interleaved = [1.0] * (count * width)
        for child, factors in enumerate(factor_lists):
            interleaved[child::width] = factors[first : first + count]
        return list(accumulate(interleaved, mul, initial=lr))[width::width]
    children = [(stepper.factors, stepper.table, stepper.rule) for stepper in steppers]
    values = []
    append = values.append
    for epoch in range(first, first + count):
        for factors, table, rule in children:  # factors and tables read in place, not called
            if factors is not None:
                lr = lr * factors[epoch]
            elif table is not None:
                lr = table[epoch]
            else:
                lr = rule(lr, epoch)
        append(lr)
    return values


def chained_scheduler(schedulers: Sequence[Scheduler]) -> Scheduler:
    """``ChainedScheduler``: the schedulers are constructed in order on the same param group, and
    each step steps each of them in turn, every one starting from the lr the previous one left.

    >>> lr_values(chained_scheduler([exponential_lr(0.5), step_lr(2, gamma=0.1)]), 1.0, 3)
    [1.0, 0.5, 0.025]
    """
    if not schedulers:
        raise ScheduleError("schedulers", "must name at least one scheduler")

    def construct(group: Group, epochs: int) -> tuple[Group, Stepper]:
        steppers = []
        for scheduler in schedulers:
            group, stepper = scheduler(group, epochs)
            steppers.append(stepper)
        rules = [stepper.rule for stepper in steppers]

        def rule(lr: float, epoch: int) -> float:
            for step in rules:
                lr = step(lr, epoch)
            return lr

        # A multiplying child whose remaining factors are all 1.0 leaves the lr as it is (x * 1.0
        # is x exactly), so from its quiet epoch on it drops out of the chain.
        quiet_from = [_quiet_from(stepper.factors) if stepper.factors is not None else epochs for stepper in steppers]

        def run(lr: float, first: int, count: int) -> list[float]:
            values: list[float] = []
            stop = first + count
            bounds = sorted({first, stop, *(epoch for epoch in quiet_from if first < epoch < stop)})
            for start, end in zip(bounds, bounds[1:]):
                active = [stepper for stepper, quiet in zip(steppers, quiet_from) if quiet > start]
                stretch = _chain_stretch(active, lr, start, end - start)
                values += stretch
                lr = stretch[-1]
            return values

        return group, Stepper(rule=rule, run=run)

    return construct


def sequential_lr(schedulers: Sequence[Scheduler], milestones: Sequence[int]) -> Scheduler:
    """``SequentialLR``: the schedulers take turns, the next one from each milestone on.

    Torch's quirks are kept: after constructing the schedulers (each one's initial step acting on
    the group) it resets the lr to ``initial_lr`` and runs the first scheduler's initial step
    again; at a milestone it calls the next scheduler's ``_update_lr(0)`` (its closed form at
    epoch 0), and that scheduler counts its epochs from there.

    >>> lr_values(sequential_lr([constant_lr(0.5, total_iters=9), exponential_lr(0.5)], [2]), 1.0, 5)
    [0.5, 0.5, 1.0, 0.5, 0.25]
    """
    if not schedulers:
        raise ScheduleError("schedulers", "must name at least one scheduler")
    if len(milestones) != len(schedulers) - 1:
        raise ScheduleError(
            "milestones", f"must be one fewer than the schedulers ({len(schedulers)}), got {len(milestones)}"
        )
    for milestone in milestones:
        _whole("milestones", milestone, 0)
    if list(milestones) != sorted(milestones):
        raise ScheduleError("milestones", f"must be in increasing order, got {list(milestones)}")
    milestones = list(milestones)

    def construct(group: Group, epochs: int) -> tuple[Group, Stepper]:
        steppers = []
        for scheduler in schedulers:
            group, stepper = scheduler(group, epochs)
            steppers.append(stepper)

        def rule(lr: float, epoch: int) -> float:
            index = bisect_right(milestones, epoch)
            start = milestones[index - 1] if index else 0
            if index and start == epoch and epoch:
                return steppers[index].restart(lr)
            return steppers[index].rule(lr, epoch - start)

        def run(lr: float, first: int, count: int) -> list[float]:
            # A stretch between milestones at a time, each run by its scheduler in bulk.
            values: list[float] = []
            epoch, stop = first, first + count
            while epoch < stop:
                index = bisect_right(milestones, epoch)
                start = milestones[index - 1] if index else 0
                end = min(stop, milestones[index]) if index < len(milestones) else stop
                if index and start == epoch and epoch:
                    lr = steppers[index].restart(lr)
                    values.append(lr)
                    epoch += 1
                stretch = run_stepper(steppers[index], lr, epoch - start, end - epoch) if epoch < end else []
                values += stretch
                lr = values[-1]
                epoch = max(epoch, end)
            return values

        return Group(rule(group.initial_lr, 0), group.initial_lr), Stepper(rule=rule, run=run)

    return construct


def reduce_lr_on_plateau(
    base_lrs: Sequence[float],
    metrics: Sequence[float],
    epochs: int,
    mode: str = "min",
    factor: float = 0.1,
    patience: int = 10,
    threshold: float = 1e-4,
    threshold_mode: str = "rel",
    cooldown: int = 0,
    min_lr: float | Sequence[float] = 0,
    eps: float = 1e-8,
) -> list[list[float]]:
    """``ReduceLROnPlateau``: each group's lr over ``epochs`` rows, row k after
    ``step(metrics[k-1])``. When the metric has not improved (by ``threshold``, relative or
    absolute) for more than ``patience`` steps, every lr is multiplied by ``factor`` (not below
    ``min_lr``, and not by less than ``eps``), then ``cooldown`` steps pass before counting again.

    >>> reduce_lr_on_plateau([1.0], [5, 4, 4, 4, 4], epochs=6, patience=1)[0]
    [1.0, 1.0, 1.0, 1.0, 0.1, 0.1]
    """
    _choice("mode", mode, ("min", "max"))
    _number("factor", factor, high=1.0, open_high=True)
    _whole("patience", patience, 0)
    _number("threshold", threshold)
    _choice("threshold_mode", threshold_mode, ("rel", "abs"))
    _whole("cooldown", cooldown, 0)
    _number("eps", eps)
    min_lrs = list(min_lr) if isinstance(min_lr, (list, tuple)) else [min_lr] * len(base_lrs)
    if len(min_lrs) != len(base_lrs):
        raise ScheduleError("min_lr", f"must be given once or once per param group ({len(base_lrs)}), got {len(min_lrs)}")
    for value in min_lrs:
        _number("min_lr", value, 0)
    if len(metrics) < epochs - 1:
        raise ScheduleError(
            "metrics", f"has {len(metrics)} values; {epochs} rows need {epochs - 1} (row k follows step(metrics[k-1]))"
        )
    # torch's test is `a < best * (1 - threshold)` (min, rel), `a < best - threshold` (min, abs),
    # `a > best * (threshold + 1)` (max, rel) or `a > best + threshold` (max, abs). Negating the
    # metric and best turns each max test into the min test, exactly, so one loop serves: it
    # keeps `bar`, the value a metric must beat, and recomputes it only when best changes.
    sign = 1.0 if mode == "min" else -1.0
    scale = 1.0 - threshold if mode == "min" else threshold + 1.0

    def bar_for(best: float) -> float:
        return best * scale if threshold_mode == "rel" else best - threshold

    lrs = list(base_lrs)
    changes = [(0, list(lrs))]  # (first row, every group's lr from that row on)
    bar = bar_for(math.inf)  # best starts at torch's mode_worse: inf, or -inf negated
    bad_epochs = cooldown_counter = 0
    for row, metric in enumerate(metrics[: max(epochs - 1, 0)], 1):
        current = sign * float(metric)
        if current < bar:
            bar, bad_epochs = bar_for(current), 0
        else:
            bad_epochs += 1
        if cooldown_counter > 0:
            cooldown_counter -= 1
            bad_epochs = 0
        if bad_epochs > patience:
            for group, old_lr in enumerate(lrs):
                new_lr = max(old_lr * factor, min_lrs[group])
                if old_lr - new_lr > eps:
                    lrs[group] = new_lr
            changes.append((row, list(lrs)))
            cooldown_counter, bad_epochs = cooldown, 0
    columns: list[list[float]] = [[] for _ in lrs]
    for (start, values), (stop, _) in zip(changes, changes[1:] + [(epochs, None)]):
        for column, lr in zip(columns, values):
            column += [lr] * (stop - start)
    return columns
