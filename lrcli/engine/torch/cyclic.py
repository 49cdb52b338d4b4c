"""CyclicLR and OneCycleLR: schedules that set the group's lr themselves, from tables computed from
their own bounds, and cycle the optimizer's momentum the other way."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from lrcli.engine.core import Group, ScheduleError, Scheduler, Stepper, choice, number, tabulated, whole

CYCLIC_MODES = ("triangular", "triangular2", "exp_range")
SCALE_MODES = ("cycle", "iterations")
ANNEAL_STRATEGIES = ("cos", "linear")


def cyclic_lr(
    base_lr: float,
    max_lr: float,
    step_size_up: float = 2000,
    step_size_down: float | None = None,
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
    function: the three modes fix it (``cycle``, ``cycle``, ``iterations``). Torch takes the step
    sizes as floats, any numbers, and divides by ``step_size_up`` (and by their sum) in its
    constructor: neither may be 0.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(cyclic_lr(base_lr=0.1, max_lr=0.5, step_size_up=2), 9.0, 5)
    [0.1, 0.30000000000000004, 0.5, 0.30000000000000004, 0.1]
    """
    number("base_lr", base_lr, 0)
    number("max_lr", max_lr, 0)
    number("step_size_up", step_size_up)
    if step_size_down is not None:
        number("step_size_down", step_size_down)
    choice("mode", mode, CYCLIC_MODES)
    number("gamma", gamma, 0)
    choice("scale_mode", scale_mode, SCALE_MODES)
    number("base_momentum", base_momentum)
    number("max_momentum", max_momentum)
    up = float(step_size_up)
    total_size = up + (float(step_size_down) if step_size_down is not None else up)
    step_ratio = up / total_size if total_size else 0.0
    if step_ratio == 0:  # torch's constructor divides by total_size, then by step_ratio at step 0
        divisor = "step_size_up + step_size_down" if not total_size else "step_size_up / total_size"
        down = "" if step_size_down is None else f" (with step_size_down={step_size_down!r})"
        raise ScheduleError(
            "step_size_up", f"{step_size_up!r}{down} makes torch's constructor divide by zero ({divisor} is 0)"
        )

    def positions(first: int, stop: int) -> tuple[list[float], list[float]]:
        """At each epoch, torch's fraction of the way from base to max and the amplitude's scale."""
        fractions, cycles = [], []
        floor = math.floor
        for epoch in range(first, stop):
            ratio = epoch / total_size
            cycle = floor(1 + ratio)
            x = 1.0 + ratio - cycle
            fractions.append(x / step_ratio if x <= step_ratio else (x - 1) / (step_ratio - 1))
            cycles.append(cycle)
        if mode == "triangular":
            amplitudes = [1.0] * len(cycles)
        elif mode == "triangular2":
            amplitudes = [1 / 2.0 ** (cycle - 1) for cycle in cycles]
        else:
            amplitudes = [gamma**epoch for epoch in range(first, stop)]
        return fractions, amplitudes

    span = max_lr - base_lr
    depth = max_momentum - base_momentum

    def table(first: int, stop: int) -> list[float]:
        return [base_lr + span * fraction * amplitude for fraction, amplitude in zip(*positions(first, stop))]

    def momentum(first: int, stop: int) -> list[float]:
        return [max_momentum - depth * fraction * amplitude for fraction, amplitude in zip(*positions(first, stop))]

    def construct(group: Group) -> tuple[Group, Stepper]:
        # torch sets the lr to base_lr, then LRScheduler.__init__ takes initial_lr (the group's
        # first lr, if an earlier scheduler set it) as the base of the initial step; later steps
        # use base_lr.
        initial_lr = base_lr if group.initial_lr is None else group.initial_lr

        def initial_step(base: float, epoch: int) -> float:  # torch's get_lr with initial_lr as the base
            (fraction,), (amplitude,) = positions(epoch, epoch + 1)
            return base + (max_lr - base) * fraction * amplitude

        def resume(lr: float, epoch: int, fresh: bool) -> tuple[float, Stepper]:
            # constructed with last_epoch, torch leaves the lr alone; its initial step takes the
            # group's initial_lr as the base: the checkpoint's (base_lr), or the fresh one set by hand
            return initial_step(lr if fresh else initial_lr, epoch), stepper

        stepper = tabulated(
            table,
            update_lr_0=lambda lr: table(0, 1)[0],
            momentum=momentum if cycle_momentum else None,
            resume=resume,
        )
        stepper = replace(
            stepper,
            sequential=replace(stepper.sequential, initial_again=lambda lr, epoch: table(epoch, epoch + 1)[0]),
        )
        return group.at(initial_step(initial_lr, 0), initial_lr), stepper

    return construct


@dataclass(frozen=True)
class Phase:
    """One phase of OneCycleLR, as torch's ``_schedule_phases`` lists it: it ends at step
    ``end_step`` (a float) and anneals from the start values to the end values, named by the
    param group's keys that hold them."""

    end_step: float
    start_lr: str
    end_lr: str
    start_momentum: str
    end_momentum: str


def one_cycle_lr(
    max_lr: float,
    total_steps: int | None = None,
    epochs: int | None = None,
    steps_per_epoch: int | None = None,
    pct_start: float = 0.3,
    anneal_strategy: str = "cos",
    cycle_momentum: bool = True,
    base_momentum: float = 0.85,
    max_momentum: float = 0.95,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
    three_phase: bool = False,
) -> Scheduler:
    """``OneCycleLR``: from ``max_lr / div_factor`` up to ``max_lr`` over ``pct_start`` of the
    cycle's steps, then down to ``max_lr / div_factor / final_div_factor`` (with ``three_phase``,
    back to the start first), by cosine or linear annealing; momentum moves the other way. The
    cycle has ``total_steps`` steps, or ``epochs * steps_per_epoch`` when ``total_steps`` is not
    given. Torch replaces the group's ``initial_lr``, so the optimizer's lr does not matter, and
    stepping past the cycle is an error. Torch keeps the bounds in the param group and reads them
    at every step: a second OneCycleLR on the same optimizer overwrites them for the first too.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(one_cycle_lr(max_lr=1.0, total_steps=4, pct_start=0.5, anneal_strategy="linear"), 0.1, 4)
    [0.04, 1.0, 0.5000020000000001, 4.000000000004e-06]
    >>> lr_values(one_cycle_lr(max_lr=1.0, epochs=2, steps_per_epoch=2, pct_start=0.5, anneal_strategy="linear"), 0.1, 4)
    [0.04, 1.0, 0.5000020000000001, 4.000000000004e-06]
    """
    number("max_lr", max_lr, 0)
    if total_steps is not None:
        whole("total_steps", total_steps, 1)
    elif epochs is not None and steps_per_epoch is not None:
        whole("epochs", epochs, 1)
        whole("steps_per_epoch", steps_per_epoch, 1)
        total_steps = epochs * steps_per_epoch
    else:
        raise ScheduleError("total_steps", "must be given, or else epochs and steps_per_epoch (as torch requires)")
    number("pct_start", pct_start, 0, 1)
    if not isinstance(pct_start, float):
        raise ScheduleError("pct_start", f"must be a float, as torch requires, got {pct_start!r}")
    choice("anneal_strategy", anneal_strategy, ANNEAL_STRATEGIES)
    number("base_momentum", base_momentum)
    number("max_momentum", max_momentum)
    number("div_factor", div_factor, 0, open_low=True)
    number("final_div_factor", final_div_factor, 0, open_low=True)
    initial_lr = max_lr / div_factor
    bounds = {
        "initial_lr": initial_lr,
        "max_lr": max_lr,
        "min_lr": initial_lr / final_div_factor,
        "max_momentum": max_momentum,
        "base_momentum": base_momentum,
    }
    rise_end = float(pct_start * total_steps) - 1
    if three_phase:
        phases = [
            Phase(rise_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
            Phase(float(2 * pct_start * total_steps) - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
            Phase(total_steps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
        ]
    else:
        phases = [
            Phase(rise_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
            Phase(total_steps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
        ]

    def annealed(group: dict[str, float], momentum: bool, first: int, stop: int) -> list[float]:
        """torch's lr (or momentum) at steps ``first … stop - 1``, from the bounds the param group
        holds now; a step past the cycle is refused."""
        if stop > total_steps + 1:
            raise ScheduleError(
                None,
                f"OneCycleLR(total_steps={total_steps}) refuses step {total_steps + 1}, as torch does: "
                f"at most {total_steps + 1} rows",
            )
        values: list[float] = []
        start_step, reached = 0.0, -math.inf
        for index, phase in enumerate(phases):
            # torch takes the first phase whose end_step the step does not pass, else the last.
            last = index == len(phases) - 1
            first_step = max(first + len(values), math.floor(reached) + 1 if reached > -math.inf else 0)
            phase_stop = stop if last else min(stop, math.floor(phase.end_step) + 1)
            start, end = (
                (group[phase.start_momentum], group[phase.end_momentum])
                if momentum
                else (group[phase.start_lr], group[phase.end_lr])
            )
            span = phase.end_step - start_step
            if first_step < phase_stop and span == 0:
                raise ScheduleError(
                    None,
                    f"OneCycleLR(pct_start={pct_start!r}, total_steps={total_steps}) fails at step "
                    f"{first_step}, as torch does: float division by zero (a phase of no steps)",
                )
            if anneal_strategy == "cos":
                cos, pi = math.cos, math.pi
                values += [
                    end + (start - end) / 2.0 * (cos(pi * ((step - start_step) / span)) + 1)
                    for step in range(first_step, phase_stop)
                ]
            else:
                values += [
                    (end - start) * ((step - start_step) / span) + start for step in range(first_step, phase_stop)
                ]
            reached = max(reached, phase.end_step)
            start_step = phase.end_step
        return values

    def construct(group: Group) -> tuple[Group, Stepper]:
        shared = group.shared  # the param group's keys, which a later OneCycleLR overwrites
        shared.update(bounds)

        def resume(lr: float, epoch: int, fresh: bool) -> tuple[float, Stepper]:
            if fresh:
                raise ScheduleError(
                    None,
                    "torch's OneCycleLR constructed with last_epoch on a fresh optimizer raises KeyError: "
                    "'max_lr' (its constructor writes max_lr and min_lr into the param groups only when "
                    "last_epoch is -1)",
                )
            return annealed(shared, False, epoch, epoch + 1)[0], stepper  # from the bounds restored

        stepper = tabulated(
            lambda first, stop: annealed(shared, False, first, stop),
            update_lr_0=lambda lr: annealed(shared, False, 0, 1)[0],
            momentum=(lambda first, stop: annealed(shared, True, first, stop)) if cycle_momentum else None,
            check_rows=lambda rows: annealed(shared, False, rows - 1, rows) if rows else None,
            resume=resume,
        )
        return group.at(annealed(shared, False, 0, 1)[0], initial_lr), stepper

    return construct
