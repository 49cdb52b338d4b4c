"""ChainedScheduler and SequentialLR: schedulers built from schedulers, constructed on the same
param group in the order given."""

from __future__ import annotations

import warnings
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from operator import mul

from lrcli.engine.core import CHUNK_ROWS, Group, ScheduleError, Scheduler, Stepper, run_stepper, whole


def _chain_stretch(steppers: list[Stepper], lr: float, first: int, stop: int) -> list[float]:
    """Chained steppers over epochs ``first, …, stop - 1``, in the fastest exact way."""
    if not steppers:
        return [lr] * (stop - first)
    if len(steppers) == 1:
        return run_stepper(steppers[0], lr, first, stop)
    if all(stepper.factors is not None for stepper in steppers):
        # One ordered product over the children's factors, interleaved.
        width = len(steppers)
        interleaved = [1.0] * ((stop - first) * width)
        for child, stepper in enumerate(steppers):
            interleaved[child::width] = stepper.factors(first, stop)
        return list(accumulate(interleaved, mul, initial=lr))[width::width]
    # Factors and tables over the span, read in place; other children step by their rule.
    children = [(stepper.factors(first, stop) if stepper.factors else None,
                 stepper.table(first, stop) if stepper.table else None, stepper.rule) for stepper in steppers]
    values = []
    append = values.append
    for offset, epoch in enumerate(range(first, stop)):
        for factors, table, rule in children:
            if factors is not None:
                lr = lr * factors[offset]
            elif table is not None:
                lr = table[offset]
            else:
                lr = rule(lr, epoch)
        append(lr)
    return values


def chained_scheduler(schedulers: Sequence[Scheduler]) -> Scheduler:
    """``ChainedScheduler``: the schedulers are constructed in order on the same param group, and
    each step steps each of them in turn, every one starting from the lr the previous one left.

    >>> from lrcli.engine.core import lr_values
    >>> from lrcli.engine.torch.multiplicative import exponential_lr, step_lr
    >>> lr_values(chained_scheduler([exponential_lr(0.5), step_lr(2, gamma=0.1)]), 1.0, 3)
    [1.0, 0.5, 0.025]
    """
    if not schedulers:
        raise ScheduleError("schedulers", "must name at least one scheduler")

    def construct(group: Group) -> tuple[Group, Stepper]:
        steppers = []
        for scheduler in schedulers:
            group, stepper = scheduler(group)
            steppers.append(stepper)
        rules = [stepper.rule for stepper in steppers]

        def rule(lr: float, epoch: int) -> float:
            for step in rules:
                lr = step(lr, epoch)
            return lr

        # A multiplying child whose remaining factors are all 1.0 leaves the lr as it is (x * 1.0
        # is x exactly), so from its quiet epoch on it drops out of the chain.
        quiet_from = [stepper.quiet_from for stepper in steppers]

        # Spans of at most CHUNK_ROWS child-steps, so that many children take no more memory than one.
        span = max(1, CHUNK_ROWS // len(steppers))

        def run(lr: float, first: int, stop: int) -> list[float]:
            values: list[float] = []
            quiet = [epoch for epoch in quiet_from if epoch is not None and first < epoch < stop]
            bounds = sorted({first, stop, *quiet, *range(first + span, stop, span)})
            for start, end in zip(bounds, bounds[1:]):
                active = [stepper for stepper, quiet in zip(steppers, quiet_from) if quiet is None or quiet > start]
                stretch = _chain_stretch(active, lr, start, end)
                values += stretch
                lr = stretch[-1]
            return values

        def check_rows(rows: int) -> None:
            for stepper in steppers:
                if stepper.check_rows is not None:
                    stepper.check_rows(rows)

        return group, Stepper(rule=rule, run=run, check_rows=check_rows)

    return construct


def sequential_lr(schedulers: Sequence[Scheduler], milestones: Sequence[int]) -> Scheduler:
    """``SequentialLR``: the schedulers take turns, the next one from each milestone on.

    Torch's quirks are kept: after constructing the schedulers (each one's initial step acting on
    the group) it resets the lr to ``initial_lr`` and runs the first scheduler's initial step
    again; at a milestone it calls the next scheduler's ``_update_lr(0)`` (its closed form at
    epoch 0), and that scheduler counts its epochs from there.

    >>> from lrcli.engine.core import lr_values
    >>> from lrcli.engine.torch.multiplicative import constant_lr, exponential_lr
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
        whole("milestones", milestone, 0)
    milestones = list(milestones)
    ordered = milestones == sorted(milestones)
    if not ordered:
        warnings.warn(f"SequentialLR milestones {milestones} are not in increasing order; torch accepts them, "
                      "and its bisect over the list as given decides which scheduler steps", stacklevel=2)

    def construct(group: Group) -> tuple[Group, Stepper]:
        steppers = []
        for scheduler in schedulers:
            group, stepper = scheduler(group)
            steppers.append(stepper)

        def rule(lr: float, epoch: int) -> float:
            index = bisect_right(milestones, epoch)
            start = milestones[index - 1] if index else 0
            if index and start == epoch and epoch:
                return steppers[index].restart(lr)
            return steppers[index].rule(lr, epoch - start)

        # Unordered milestones: torch's own bookkeeping, step by step. Each scheduler counts the
        # steps it is given (its last_epoch), reset to 0 by _update_lr(0) at a milestone; the
        # constructor left the first one at 0 and the others at -1.
        counters = [-1] * len(steppers)
        counters[bisect_right(milestones, 0)] = 0

        def run_unordered(lr: float, first: int, stop: int) -> list[float]:
            values = []
            for epoch in range(first, stop):
                index = bisect_right(milestones, epoch)
                if index and milestones[index - 1] == epoch:
                    counters[index] = 0
                    lr = steppers[index].restart(lr)
                else:
                    counters[index] += 1
                    lr = steppers[index].rule(lr, counters[index])
                values.append(lr)
            return values

        def run(lr: float, first: int, stop: int) -> list[float]:
            # A stretch between milestones at a time, each run by its scheduler in bulk.
            if not ordered:
                return run_unordered(lr, first, stop)
            values: list[float] = []
            epoch = first
            while epoch < stop:
                index = bisect_right(milestones, epoch)
                start = milestones[index - 1] if index else 0
                end = min(stop, milestones[index]) if index < len(milestones) else stop
                if index and start == epoch and epoch:
                    lr = steppers[index].restart(lr)
                    values.append(lr)
                    epoch += 1
                stretch = run_stepper(steppers[index], lr, epoch - start, end - start) if epoch < end else []
                values += stretch
                lr = values[-1]
                epoch = max(epoch, end)
            return values

        def check_rows(rows: int) -> None:
            # Each scheduler counts its own epochs from its milestone up to the next.
            for index, stepper in enumerate(steppers):
                start = milestones[index - 1] if index and ordered else 0
                end = min(rows, milestones[index]) if index < len(milestones) and ordered else rows
                if stepper.check_rows is not None and end > start:
                    stepper.check_rows(end - start)

        return group.at(rule(group.initial_lr, 0), group.initial_lr), Stepper(rule=rule, run=run, check_rows=check_rows)

    return construct
