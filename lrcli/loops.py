"""How a training loop steps its scheduler: a transform from the loop's batches and optimizer updates
to the scheduler's step count, and a schedule seen at those counts.

Every lrcli schedule gives the lr after ``k`` calls to ``scheduler.step()``. A loop decides how
many calls happen by each batch or optimizer update; :func:`at_counts` wraps any schedule so that
row ``r`` is its row ``counts[r]``, replayed in order from the constructor (never from a closed
form). :func:`accelerated_counts` gives the counts accelerate's ``AcceleratedScheduler``
(``accelerate/scheduler.py``, 1.16) produces, :class:`LightningCounts` those of Lightning's fit
loop (``lightning/pytorch/loops/training_epoch_loop.py``, 2.6).
"""

from __future__ import annotations

import itertools
import math
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from lrcli.engine.core import CHUNK_ROWS, Group, ScheduleError, Scheduler, Stepper, choice, run_stepper, running, whole


def accelerated_counts(
    batches_per_epoch: int,
    epochs: int,
    *,
    num_processes: int = 1,
    split_batches: bool = False,
    step_with_optimizer: bool = True,
    gradient_accumulation_steps: int = 1,
    sync_with_dataloader: bool = True,
    skipped: Collection[int] = (),
    total_steps: int | None = None,
    per: str = "batch",
) -> list[int]:
    """The wrapped scheduler's ``last_epoch`` in the documented accelerate loop (a dataloader passed
    through ``prepare``, ``batches_per_epoch`` batches on each process; each batch inside
    ``accelerator.accumulate(model)`` calls ``optimizer.step()`` then ``scheduler.step()``), after
    each batch (``per="batch"``) or after each optimizer update (``per="update"``); row 0 is the
    constructor's 0.

    Gradients sync at every ``gradient_accumulation_steps``-th batch and at the last batch of an
    epoch, which restarts the count (without ``sync_with_dataloader``, or with a dataloader not
    prepared, the count runs on across epochs). ``AcceleratedScheduler.step()`` does nothing while
    they do not sync (``adjust_scheduler`` would add to ``_step_count`` only, and accelerate never
    passes it on: ``GradientAccumulationPlugin.to_kwargs`` drops values equal to the default and
    ``GradientState`` reads a missing one as False), nothing when the update is in ``skipped``
    (1-based update numbers whose ``optimizer.step()`` the fp16 ``GradScaler`` skipped), one step
    with ``split_batches``, else ``num_processes`` steps, each only while ``_step_count <=
    total_steps`` for a scheduler that has ``total_steps`` (``OneCycleLR``). Without
    ``step_with_optimizer`` every call is one step.

    >>> accelerated_counts(4, 2, num_processes=8, per="update")
    [0, 8, 16, 24, 32, 40, 48, 56, 64]
    >>> accelerated_counts(5, 1, num_processes=2, gradient_accumulation_steps=2)
    [0, 0, 2, 2, 4, 6]
    >>> accelerated_counts(3, 1, num_processes=4, total_steps=6, per="update")
    [0, 4, 6, 6]
    """
    whole("batches_per_epoch", batches_per_epoch, 1)
    whole("epochs", epochs, 0)
    whole("num_processes", num_processes, 1)
    whole("gradient_accumulation_steps", gradient_accumulation_steps, 1)
    choice("per", per, ("batch", "update"))
    if total_steps is not None:
        whole("total_steps", total_steps, 1)
    skipped = frozenset(skipped)
    counts, last_epoch, step_count, accumulated, update = [0], 0, 1, 0, 0
    for _ in range(epochs):
        for batch in range(1, batches_per_epoch + 1):
            if sync_with_dataloader and batch == batches_per_epoch:
                accumulated, sync = 0, True
            else:
                accumulated += 1
                sync = accumulated % gradient_accumulation_steps == 0
            update += sync
            if not step_with_optimizer:
                steps = 1
            elif not sync or update in skipped:
                steps = 0
            elif split_batches:
                steps = 1
            else:
                steps = (
                    num_processes if total_steps is None else max(0, min(num_processes, total_steps - step_count + 1))
                )
            last_epoch, step_count = last_epoch + steps, step_count + steps
            if per == "batch" or sync:
                counts.append(last_epoch)
    return counts


class UnboundedCounts(Sequence[int]):
    """A loop's step counts, one per row, each computed alone by :meth:`count`, so that a run of
    any length holds no list: rows run as long as they are asked for."""

    def count(self, row: int) -> int:
        """The scheduler's step count after ``row`` batches."""
        raise NotImplementedError

    def __len__(self) -> int:
        return sys.maxsize

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.count(row) for row in range(*index.indices(len(self)))]
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.count(index)


@dataclass(frozen=True)
class AcceleratedCounts(UnboundedCounts):
    """:func:`accelerated_counts` of the documented loop (``per="batch"``, the dataloader prepared,
    every update stepping the optimizer), each row computed alone, so that a run of any length
    holds no list: after ``r`` batches, epoch ``e = r // M`` and ``b = r % M`` batches into it,
    ``e * ceil(M / G) + b // G`` updates are done (gradients sync at every ``G``-th batch and at
    an epoch's last), each one step with ``split_batches``, else ``num_processes`` steps, capped at
    ``total_steps`` for a scheduler that has it. Unbounded: rows run as long as they are asked for.

    >>> list(AcceleratedCounts(5, num_processes=2, gradient_accumulation_steps=2)[:6])
    [0, 0, 2, 2, 4, 6]
    >>> AcceleratedCounts(3, num_processes=4, total_steps=6)[1:4]
    [4, 6, 6]
    """

    batches_per_epoch: int
    num_processes: int = 1
    split_batches: bool = False
    gradient_accumulation_steps: int = 1
    total_steps: int | None = None

    def __post_init__(self) -> None:
        whole("batches_per_epoch", self.batches_per_epoch, 1)
        whole("num_processes", self.num_processes, 1)
        whole("gradient_accumulation_steps", self.gradient_accumulation_steps, 1)
        if self.total_steps is not None:
            whole("total_steps", self.total_steps, 1)

    def count(self, row: int) -> int:
        per_epoch = -(-self.batches_per_epoch // self.gradient_accumulation_steps)
        epoch, batch = divmod(row, self.batches_per_epoch)
        updates = epoch * per_epoch + batch // self.gradient_accumulation_steps
        if self.split_batches:
            return updates
        steps = updates * self.num_processes
        return steps if self.total_steps is None else min(steps, self.total_steps)


@dataclass(frozen=True)
class LightningCounts(UnboundedCounts):
    """The scheduler's step count after ``r`` batches of Lightning's fit loop, its lr scheduler
    config's ``interval`` and ``frequency`` F, ``accumulate_grad_batches`` G, M batches an epoch.

    ``interval="step"``: after batch ``b`` (1-based, counted again each epoch) the loop steps the
    scheduler when the optimizer stepped (``b % G == 0`` or ``b == M``) and ``b % F == 0``: F
    counts batches, not optimizer steps, so every ``lcm(G, F)``-th batch of an epoch steps it, and
    its last when F divides M. ``interval="epoch"``: after an epoch's last batch, when F divides
    the epochs done.

    >>> LightningCounts(6, "step", frequency=2, accumulate_grad_batches=2)[:7]
    [0, 0, 1, 1, 2, 2, 3]
    >>> LightningCounts(9, "step", frequency=3, accumulate_grad_batches=2)[8:10]
    [1, 2]
    >>> LightningCounts(2, "epoch", frequency=2)[:7]
    [0, 0, 0, 0, 1, 1, 1]
    """

    batches_per_epoch: int
    interval: str
    frequency: int = 1
    accumulate_grad_batches: int = 1

    def __post_init__(self) -> None:
        whole("batches_per_epoch", self.batches_per_epoch, 1)
        choice("interval", self.interval, ("step", "epoch"))
        whole("frequency", self.frequency, 1)
        whole("accumulate_grad_batches", self.accumulate_grad_batches, 1)

    def count(self, row: int) -> int:
        batches, frequency = self.batches_per_epoch, self.frequency
        epoch, batch = divmod(row, batches)
        if self.interval == "epoch":
            return epoch // frequency
        every = math.lcm(self.accumulate_grad_batches, frequency)
        last = batches % self.accumulate_grad_batches != 0 and batches % frequency == 0
        return epoch * (batches // every + last) + batch // every


def at_counts(scheduler: Scheduler, counts: Sequence[int]) -> Scheduler:
    """``scheduler`` seen at step counts: row ``r`` is its row ``counts[r]`` (the lr after
    ``counts[r]`` calls to ``step()``), replayed in order from its constructor and started again
    only when a count goes back. Rows run to ``len(counts)``; a momentum the scheduler cycles is
    seen at the same counts.

    >>> from lrcli.engine.core import lr_values
    >>> from lrcli.engine.torch.multiplicative import step_lr
    >>> lr_values(at_counts(step_lr(step_size=2, gamma=0.5), [0, 4, 8, 8]), 1.0, 4)
    [1.0, 0.25, 0.0625, 0.0625]
    """

    def construct(group: Group) -> tuple[Group, Stepper]:
        started: Group
        inner: Stepper
        count_now = 0
        lr_now = 0.0

        def start() -> None:
            nonlocal started, inner, count_now, lr_now
            started, inner = scheduler(group)
            count_now, lr_now = 0, started.lr

        def lr_at(count: int) -> float:
            nonlocal count_now, lr_now
            if count < count_now:
                start()
            while count_now < count:
                stop = min(count_now + CHUNK_ROWS, count) + 1
                lr_now = run_stepper(inner, lr_now, count_now + 1, stop)[-1]
                count_now = stop - 1
            return lr_now

        def row(index: int) -> int:
            if not 0 <= index < len(counts):
                raise ScheduleError(None, f"the loop has {len(counts)} rows; row {index} is past its end")
            return counts[index]

        def check_rows(rows: int) -> None:
            if rows:
                row(rows - 1)
                if inner.check_rows is not None:
                    inner.check_rows(max(itertools.islice(counts, rows)) + 1)

        start()
        inner_momentum = inner.momentum
        momentum = (
            None
            if inner_momentum is None
            else (lambda first, stop: [inner_momentum(row(index), row(index) + 1)[0] for index in range(first, stop)])
        )
        stepper = running(
            lambda lr, first, stop: [lr_at(row(index)) for index in range(first, stop)],
            momentum=momentum,
            check_rows=check_rows,
        )
        first = lr_at(row(0))
        return Group(first, started.initial_lr, group.shared, group.optimizer_lr), stepper

    return construct
