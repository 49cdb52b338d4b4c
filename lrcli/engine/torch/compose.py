"""ChainedScheduler and SequentialLR: schedulers built from schedulers, constructed on the same
param group in the order given."""

from __future__ import annotations

import math
import warnings
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import accumulate
from operator import mul

from lrcli.engine.core import (
    CHUNK_ROWS,
    Decays,
    Factors,
    Group,
    Run,
    ScheduleError,
    Scheduler,
    SequentialHooks,
    Stepper,
    Table,
    number,
    run_stepper,
    running,
)


def _chain_stretch(steppers: list[Stepper], lr: float, first: int, stop: int) -> list[float]:
    """Chained steppers over epochs ``first, …, stop - 1``, in the fastest exact way."""
    if not steppers:
        return [lr] * (stop - first)
    if len(steppers) == 1:
        return run_stepper(steppers[0], lr, first, stop)
    multiplying = [stepper.bulk for stepper in steppers if isinstance(stepper.bulk, (Factors, Decays))]
    if len(multiplying) == len(steppers):
        # One ordered product over the children's factors, interleaved.
        width = len(steppers)
        interleaved = [1.0] * ((stop - first) * width)
        for child, bulk in enumerate(multiplying):
            interleaved[child::width] = bulk.factors(first, stop)
        return list(accumulate(interleaved, mul, initial=lr))[width::width]
    # Factors and tables over the span, read in place; other children step by their rule.
    children = [
        (
            stepper.bulk.factors(first, stop) if isinstance(stepper.bulk, (Factors, Decays)) else None,
            stepper.bulk.table(first, stop) if isinstance(stepper.bulk, Table) else None,
            stepper.rule,
        )
        for stepper in steppers
    ]
    values: list[float] = []
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


def step_after_undo(stepper: Stepper, lr: float) -> tuple[float, Stepper]:
    """One plain ``step()`` of a scheduler whose step counters a SequentialLR has just undone (as
    its constructor does to every scheduler under it): the lr after it, and the stepper from then
    on (a nested SequentialLR's own counter is not undone, so it steps one further ahead)."""
    if stepper.sequential.step is None:
        return stepper.rule(lr, 0), stepper
    lr, after = stepper.sequential.step(lr)
    return lr, stepper if after is None else after


def initial_step(stepper: Stepper, lr: float) -> tuple[float, Stepper]:
    """``_initial_step()`` of a scheduler, as a SequentialLR's constructor calls it on the one
    meant for epoch 0: a leaf's initial step, or a composition's plain step of what it holds."""
    if stepper.sequential.initial_step is None:
        return stepper.rule(lr, 0), stepper
    return stepper.sequential.initial_step(lr)


def _chain(steppers: list[Stepper]) -> Stepper:
    """The stepper of a ChainedScheduler over these children's steppers."""
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

    def step(lr: float) -> tuple[float, Stepper]:
        # ChainedScheduler.step(): a plain step of every child in turn.
        children = []
        for stepper in steppers:
            lr, stepper = step_after_undo(stepper, lr)
            children.append(stepper)
        return lr, _chain(children)

    def resume(lr: float, epoch: int, fresh: bool) -> tuple[float, Stepper]:
        # ChainedScheduler has no last_epoch: its schedulers are constructed with it, in order,
        # each constructor's initial step on the lr the previous one left; the chain takes no step.
        children = []
        for index, stepper in enumerate(steppers):
            if stepper.resume is None:
                raise ScheduleError(None, not_replayed(f"scheduler {index} of a ChainedScheduler", epoch))
            lr, stepper = stepper.resume(lr, epoch, fresh)
            children.append(stepper)
        return lr, _chain(children)

    return Stepper(
        rule=rule,
        bulk=Run(run),
        check_rows=check_rows,
        sequential=SequentialHooks(step=step, initial_step=step),
        resume=resume,
    )


def not_replayed(what: str, epoch: int) -> str:
    """Why a run resumed by ``last_epoch`` is refused: ``what`` constructed that way."""
    return (
        f"{what} constructed with last_epoch={epoch - 1}: lrcli does not replay that (a run resumed by "
        "load_state_dict it does: --resume-by state-dict)"
    )


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
        return group, _chain(steppers)

    return construct


RESTARTLESS = "composition (ChainedScheduler, SequentialLR)"


def _restart(steppers: list[Stepper], milestones: Sequence[float], index: int, lr: float) -> float:
    """SequentialLR at milestone ``index - 1``: scheduler ``index``'s ``_update_lr(0)``."""
    update_lr_0 = steppers[index].sequential.update_lr_0
    if update_lr_0 is None:
        raise ScheduleError(
            None,
            f"torch's SequentialLR fails at milestone {milestones[index - 1]}: it restarts "
            f"scheduler {index} with _update_lr(0), which a {RESTARTLESS} does not have "
            "(NotImplementedError)",
        )
    return update_lr_0(lr)


def _sequence(steppers: list[Stepper], milestones: list[int], ahead: int) -> Stepper:
    """The stepper of a SequentialLR whose milestones are whole numbers >= 0 in order, and whose
    own counter runs ``ahead`` steps ahead of the epochs (0, or more once it is nested under
    another SequentialLR: see :func:`step_after_undo`). Its first scheduler counts the epochs; each
    later one counts from the epoch its milestone restarts it."""

    # The scheduler the constructor started counts from epoch 0 (resets hold its count back as
    # they move the SequentialLR's ahead); each later one from the epoch its milestone restarts it.
    first_index = bisect_right(milestones, 0)

    def origin(index: int) -> int:
        return 0 if index == first_index else milestones[index - 1] - ahead

    def restart(index: int, lr: float) -> float:
        return _restart(steppers, milestones, index, lr)

    def rule(lr: float, epoch: int) -> float:
        index = bisect_right(milestones, epoch + ahead)
        if index and origin(index) == epoch and epoch:
            return restart(index, lr)
        return steppers[index].rule(lr, epoch - origin(index))

    def run(lr: float, first: int, stop: int) -> list[float]:
        # A stretch between milestones at a time, each run by its scheduler in bulk.
        values: list[float] = []
        epoch = first
        while epoch < stop:
            index = bisect_right(milestones, epoch + ahead)
            start = origin(index)
            end = min(stop, milestones[index] - ahead) if index < len(milestones) else stop
            if index and start == epoch and epoch:
                lr = restart(index, lr)
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
            start = origin(index)
            end = min(rows, milestones[index] - ahead) if index < len(milestones) else rows
            restarted = index != first_index and bisect_right(milestones, milestones[index - 1]) == index
            if restarted and 0 < start < rows and stepper.sequential.update_lr_0 is None:
                restart(index, 0.0)  # refused before any row is written
            if stepper.check_rows is not None and end > start:
                stepper.check_rows(end - start)

    def step(lr: float) -> tuple[float, Stepper]:
        # SequentialLR.step() once more: its own counter (never undone) moves one further ahead.
        if any(0 < milestone <= ahead for milestone in milestones):
            raise ScheduleError(None, NESTED_LIMIT.format(which=f"from 1 to {ahead}"))
        index = bisect_right(milestones, ahead + 1)
        if index and milestones[index - 1] == ahead + 1:  # this very step reaches a milestone: a restart
            return restart(index, lr), _sequence(steppers, milestones, ahead + 1)
        lr, first = step_after_undo(steppers[first_index], lr)
        return lr, _sequence([*steppers[:first_index], first, *steppers[first_index + 1 :]], milestones, ahead + 1)

    return Stepper(
        rule=rule, bulk=Run(run), check_rows=check_rows, sequential=SequentialHooks(step=step, initial_step=step)
    )


def _resumed_sequence(
    steppers: list[Stepper], milestones: list[int], initial_lr: float
) -> Callable[[float, int, bool], tuple[float, Stepper]]:
    """The ``resume`` of a SequentialLR whose milestones are whole numbers >= 0 in order, its
    schedulers and itself constructed with ``last_epoch=k-1``, as torch does it: each scheduler's
    constructor takes its initial step at ``k`` on the lr the previous one left; then SequentialLR's
    constructor resets the lr to ``initial_lr``, undoes one step of each scheduler and runs the
    ``_initial_step()`` of the one meant for epoch 0, at epoch ``k`` (not of the one for ``k``).
    From then on the scheduler torch's bisect picks at epoch ``e`` steps: the one for epoch 0 counts
    ``e``; one whose milestone lies ahead is restarted there (``_update_lr(0)``) and counts from it;
    one whose milestone lay behind was never restarted and counts on from where the undo left it
    (``e - 1`` for a count that is ``last_epoch``; see :attr:`SequentialHooks.resumed_undo`)."""
    first_index = bisect_right(milestones, 0)

    def resume(lr: float, epoch: int, fresh: bool) -> tuple[float, Stepper]:
        resumes, undone = [], []
        for index, stepper in enumerate(steppers):
            kind = stepper.sequential  # a composition has an initial_step of its own
            if stepper.resume is None or kind.initial_step is not None or kind.resumed_undo is None:
                raise ScheduleError(None, not_replayed(f"scheduler {index} of a SequentialLR", epoch))
            resumes.append(stepper.resume)
            undone.append(kind.resumed_undo)
        resumed = []
        for construct in resumes:
            lr, stepper = construct(lr, epoch, fresh)
            resumed.append(stepper)
        # the epoch-0 scheduler's _initial_step() again, at epoch k, on the lr reset to initial_lr
        value, resumed[first_index] = resumes[first_index](initial_lr, epoch, False)
        again = steppers[first_index].sequential.initial_again
        if again is not None:
            value = again(initial_lr, epoch)

        def counting(index: int) -> tuple[Stepper, int, bool]:
            """The stepper scheduler ``index`` steps with, the epoch its count is 0 at, whether its
            milestone restarts it."""
            if index == first_index:
                return resumed[index], 0, False
            if milestones[index - 1] > epoch:
                return steppers[index], milestones[index - 1], True
            return resumed[index], undone[index], False

        def run(lr: float, first: int, stop: int) -> list[float]:
            values: list[float] = []
            at = first
            while at < stop:
                index = bisect_right(milestones, at)
                stepper, origin, restarts = counting(index)
                end = min(stop, milestones[index]) if index < len(milestones) else stop
                if restarts and at == origin:
                    lr = _restart(steppers, milestones, index, lr)
                    values.append(lr)
                    at += 1
                if at < end:
                    values += run_stepper(stepper, lr, at - origin, end - origin)
                    lr = values[-1]
                at = max(at, end)
            return values

        return value, running(run)

    return resume


NESTED_LIMIT = (
    "a SequentialLR nested under another SequentialLR (directly or in a ChainedScheduler) with milestones "
    "{which} is not replayed by lrcli"
)


def _stepwise(steppers: list[Stepper], milestones: list[float]) -> Stepper:
    """The stepper of a SequentialLR whose milestones are out of order, or not all whole numbers
    >= 0 (torch takes any numbers): torch's own bookkeeping. Each scheduler counts the steps it
    is given (its last_epoch): the constructor left the one it started at 0 and the others at
    -1; a milestone that equals the epoch restarts its scheduler (``_update_lr(0)``, count 0);
    any other step is a plain step of the scheduler torch's bisect over the list as given picks,
    and a first plain step from -1 is :func:`step_after_undo`. The bisect changes its answer only at
    the epochs where one milestone is passed (``ceil(milestone)``), so between them a scheduler
    runs in bulk. Spans are asked for in order, each where the last stopped."""
    steppers = list(steppers)
    counters = [-1] * len(steppers)
    counters[bisect_right(milestones, 0)] = 0
    passes = sorted({math.ceil(milestone) for milestone in milestones if milestone > 0})
    state = {"next": 1}

    def run(lr: float, first: int, stop: int) -> list[float]:
        if first != state["next"]:
            raise ValueError(f"SequentialLR replays in order: asked for step {first}, at {state['next']}")
        state["next"] = stop
        values: list[float] = []
        epoch = first
        while epoch < stop:
            following = bisect_right(passes, epoch)
            end = min(stop, passes[following]) if following < len(passes) else stop
            index = bisect_right(milestones, epoch)
            if index and milestones[index - 1] == epoch:
                counters[index] = 0
                lr = _restart(steppers, milestones, index, lr)
            elif counters[index] == -1:
                counters[index] = 0
                lr, steppers[index] = step_after_undo(steppers[index], lr)
            else:
                counters[index] += 1
                lr = steppers[index].rule(lr, counters[index])
            values.append(lr)
            if end > epoch + 1:  # the rest of the stretch: plain steps of the same scheduler
                count = counters[index]
                values += run_stepper(steppers[index], lr, count + 1, count + end - epoch)
                counters[index] = count + end - epoch - 1
                lr = values[-1]
            epoch = end
        return values

    def step(lr: float) -> tuple[float, Stepper]:
        raise ScheduleError(None, NESTED_LIMIT.format(which="out of order, or not whole numbers >= 0,"))

    return running(run, sequential=SequentialHooks(step=step, initial_step=step))


def sequential_lr(schedulers: Sequence[Scheduler], milestones: Sequence[float]) -> Scheduler:
    """``SequentialLR``: the schedulers take turns, the next one from each milestone on.

    Torch's quirks are kept: after constructing the schedulers (each one's initial step acting on
    the group) it resets the lr to ``initial_lr``, undoes every scheduler's step counter and runs
    the initial step of the one meant for epoch 0 again (for a composition, a plain step of what
    it holds: see :func:`step_after_undo`); at a milestone it calls the next scheduler's
    ``_update_lr(0)`` (its closed form at epoch 0), and that scheduler counts its epochs from there.

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
        number("milestones", milestone)
    milestones = list(milestones)
    ordered = milestones == sorted(milestones)
    regular = ordered and all(milestone >= 0 and milestone == int(milestone) for milestone in milestones)
    if not ordered:
        warnings.warn(
            f"SequentialLR milestones {milestones} are not in increasing order; torch accepts them, "
            "and its bisect over the list as given decides which scheduler steps",
            stacklevel=2,
        )

    def construct(group: Group) -> tuple[Group, Stepper]:
        steppers = []
        for scheduler in schedulers:
            group, stepper = scheduler(group)
            steppers.append(stepper)
        # The constructor resets the lr and runs _initial_step() of the scheduler meant for epoch 0:
        # a leaf's initial step, or a composition's plain step of what it holds.
        index = bisect_right(milestones, 0)
        assert group.initial_lr is not None  # the first scheduler's constructor set it
        constructed = list(steppers)
        lr, steppers[index] = initial_step(steppers[index], group.initial_lr)
        if regular:
            whole = [int(milestone) for milestone in milestones]
            stepper = replace(
                _sequence(steppers, whole, 0), resume=_resumed_sequence(constructed, whole, group.initial_lr)
            )
        else:
            stepper = _stepwise(steppers, milestones)
        return group.at(lr, group.initial_lr), stepper

    return construct
