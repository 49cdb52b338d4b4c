"""diffusers' schedules (``diffusers/optimization.py``, 0.42.1) and its training scripts' arithmetic, replayed.

Every ``SchedulerType`` is a torch ``LambdaLR``. Four of diffusers' lambdas are, operation for
operation, the ones transformers has (``constant``, ``constant_with_warmup``,
``cosine_with_restarts``, ``polynomial``), and its ``cosine`` gives the same float as
transformers' cosine without a minimum (``factor * (1 - 0) + 0`` is ``factor``), so those are
transformers' functions, proved against diffusers by the golden cases. ``linear`` is diffusers'
own: it takes a floor ``f_min`` and a peak ``f_max`` and computes ``f_max * k / W`` and
``f_min + (f_max - f_min) * max(0, progress)``. ``piecewise_constant`` reads its ``step_rules``
text as diffusers does (``int()`` and ``float()`` on the pieces).

``get_scheduler`` passes ``num_cycles`` (default 1) only to ``cosine_with_restarts`` and ``power``
only to ``polynomial``: a ``cosine`` from it is always half a wave, and ``polynomial`` always
ends at ``lr_end = 1e-7``.

The training scripts (``examples/*/train_*.py`` since diffusers' PR 8312) build the scheduler
before ``accelerator.prepare`` with warmup and total steps multiplied by the number of processes,
because accelerate's ``AcceleratedScheduler`` then steps it ``num_processes`` times per optimizer
update (:func:`training_script`).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

from lrcli.engine.core import ScheduleError, Scheduler, whole
from lrcli.engine.torch.multiplicative import lambda_lr
from lrcli.engine.transformers import (
    get_constant_schedule,
    get_constant_schedule_with_warmup,
    get_cosine_schedule_with_warmup,
    get_cosine_with_hard_restarts_schedule_with_warmup,
    get_polynomial_decay_schedule_with_warmup,
)

SCHEDULER_TYPES = (
    "linear",
    "cosine",
    "cosine_with_restarts",
    "polynomial",
    "constant",
    "constant_with_warmup",
    "piecewise_constant",
)
"""diffusers' ``SchedulerType`` values, in its order."""


def get_linear_schedule_with_warmup(
    num_warmup_steps: int, num_training_steps: int, f_min: float = 0.0, f_max: float = 1.0
) -> Scheduler:
    """``linear``: warmup from 0 to ``f_max``, then down in a straight line to ``f_min`` at
    ``num_training_steps`` and no lower (``get_scheduler`` leaves ``f_min`` 0 and ``f_max`` 1).

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(get_linear_schedule_with_warmup(1, 3, f_min=0.5, f_max=2.0), 1.0, 5)
    [0.0, 2.0, 1.25, 0.5, 0.5]
    """

    def lr_lambda(current_step: int) -> float:
        if current_step < num_warmup_steps:
            return f_max * float(current_step) / float(max(1, num_warmup_steps))
        progress = float(num_training_steps - current_step) / float(max(1, num_training_steps - num_warmup_steps))
        return f_min + (f_max - f_min) * max(0.0, progress)

    return lambda_lr(lr_lambda)


def parse_step_rules(step_rules: str | None) -> tuple[list[int], list[float], float]:
    """``step_rules`` as diffusers reads it: ``"value:steps,…,last"``, split at commas; each rule
    but the last split at its one colon, ``int(steps)`` read before ``float(value)``; a step
    given twice keeps its last value; then ``float(last)``. Returns the steps in order, their
    values, and the last multiple.

    >>> parse_step_rules("1:10,0.1:20,0.01:30,0.005")
    ([10, 20, 30], [1.0, 0.1, 0.01], 0.005)
    >>> parse_step_rules("0.5:5,1:2, 0.25")
    ([2, 5], [1.0, 0.5], 0.25)
    """
    if not isinstance(step_rules, str):
        raise ScheduleError("step_rules", "is needed by piecewise_constant (diffusers fails without it)")
    rules: dict[int, float] = {}
    pieces = step_rules.split(",")
    for rule in pieces[:-1]:
        parts = rule.split(":")
        if len(parts) != 2:
            raise ScheduleError("step_rules", f"rule {rule!r} is not 'value:steps' (diffusers splits it at one colon)")
        try:
            steps = int(parts[1])
            value = float(parts[0])
        except ValueError as error:
            raise ScheduleError("step_rules", f"rule {rule!r}: {error}") from None
        rules[steps] = value
    try:
        last = float(pieces[-1])
    except ValueError as error:
        raise ScheduleError("step_rules", f"last multiple {pieces[-1]!r}: {error}") from None
    ordered = sorted(rules)
    return ordered, [rules[step] for step in ordered], last


def get_piecewise_constant_schedule(step_rules: str | None) -> Scheduler:
    """``piecewise_constant``: the multiple of the first rule whose step count is above the
    step (``"1:10,0.1:20,0.01"``: 1 before step 10, 0.1 before step 20, then 0.01).

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(get_piecewise_constant_schedule("1:2,0.5:3,0.25"), 1.0, 5)
    [1.0, 1.0, 0.5, 0.25, 0.25]
    """
    steps, values, last = parse_step_rules(step_rules)

    def lr_lambda(current_step: int) -> float:
        index = bisect_right(steps, current_step)  # the first rule step above current_step
        return values[index] if index < len(steps) else last

    return lambda_lr(lr_lambda)


def get_scheduler(
    name: str,
    step_rules: str | None = None,
    num_warmup_steps: int | None = None,
    num_training_steps: int | None = None,
    num_cycles: int = 1,
    power: float = 1.0,
) -> Scheduler:
    """``diffusers.optimization.get_scheduler``: the schedule ``name``, given what it needs.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(get_scheduler("cosine", num_warmup_steps=1, num_training_steps=3, num_cycles=7), 1.0, 4)
    [0.0, 1.0, 0.5, 0.0]
    >>> get_scheduler("cosine", num_warmup_steps=1)
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: SchedulerType.COSINE requires `num_training_steps`, please provide that argument.
    """
    if name not in SCHEDULER_TYPES:
        raise ScheduleError(None, f"{name!r} is not a valid SchedulerType (diffusers has {', '.join(SCHEDULER_TYPES)})")
    if name == "constant":
        return get_constant_schedule()
    if name == "piecewise_constant":
        return get_piecewise_constant_schedule(step_rules)
    if num_warmup_steps is None:
        raise ScheduleError(
            None, f"SchedulerType.{name.upper()} requires `num_warmup_steps`, please provide that argument."
        )
    if name == "constant_with_warmup":
        return get_constant_schedule_with_warmup(num_warmup_steps)
    if num_training_steps is None:
        raise ScheduleError(
            None, f"SchedulerType.{name.upper()} requires `num_training_steps`, please provide that argument."
        )
    if name == "cosine_with_restarts":
        return get_cosine_with_hard_restarts_schedule_with_warmup(num_warmup_steps, num_training_steps, num_cycles)
    if name == "polynomial":
        return get_polynomial_decay_schedule_with_warmup(num_warmup_steps, num_training_steps, power=power)
    if name == "cosine":
        return get_cosine_schedule_with_warmup(num_warmup_steps, num_training_steps)
    return get_linear_schedule_with_warmup(num_warmup_steps, num_training_steps)


@dataclass(frozen=True)
class ScriptPlan:
    """What a diffusers training script computes before its loop.

    ``learning_rate`` is the optimizer's lr (after ``--scale_lr``); ``num_warmup_steps`` and
    ``num_training_steps`` are what it passes ``get_scheduler``; ``max_train_steps`` is the optimizer
    updates the loop runs and ``num_train_epochs`` its epochs (``None`` when ``--max_train_steps``
    is given without the batches per epoch); ``steps_per_update`` is how many times accelerate
    steps the scheduler per update, so the lr logged after update ``g`` is the schedule's row
    ``steps_per_update * g``; ``warning`` is the script's own, when the scheduler was built for
    another length than the loop runs.
    """

    learning_rate: float
    num_warmup_steps: int
    num_training_steps: int
    max_train_steps: int
    num_train_epochs: int | None
    updates_per_epoch: int | None
    steps_per_update: int
    warning: str | None = None


def sharded_batches(batches: int, num_processes: int, drop_last: bool = False) -> int:
    """``len(train_dataloader)`` on each process after ``accelerator.prepare`` (accelerate's
    ``BatchSamplerShard`` with its default ``even_batches``): ``batches / num_processes`` rounded
    up, or down when the batch sampler drops its last batch.

    >>> sharded_batches(10, 4), sharded_batches(10, 4, drop_last=True), sharded_batches(12, 4, drop_last=True)
    (3, 2, 3)
    """
    return batches // num_processes if drop_last else -(-batches // num_processes)


def training_script(
    learning_rate: float,
    *,
    lr_warmup_steps: int,
    num_processes: int = 1,
    gradient_accumulation_steps: int = 1,
    max_train_steps: int | None = None,
    num_train_epochs: int = 1,
    batches_per_epoch: int | None = None,
    drop_last: bool = False,
    scale_lr: bool = False,
    train_batch_size: int = 1,
) -> ScriptPlan:
    """The arithmetic of diffusers' training scripts (``train_text_to_image.py``,
    ``train_dreambooth.py``, …), from their flags and ``len(train_dataloader)`` before
    ``accelerator.prepare`` (``batches_per_epoch``):

    - ``--scale_lr``: ``learning_rate * gradient_accumulation_steps * train_batch_size * num_processes``;
    - warmup passed on: ``lr_warmup_steps * num_processes``;
    - total passed on: ``max_train_steps * num_processes``, or without ``--max_train_steps``
      ``num_train_epochs * ceil(ceil(batches / num_processes) / accumulation) * num_processes``;
    - after ``prepare``: ``ceil(len(train_dataloader) / accumulation)`` updates an epoch (the
      prepared length, :func:`sharded_batches`), ``max_train_steps`` from the epochs when it was
      not given, then ``num_train_epochs = ceil(max_train_steps / updates per epoch)``.

    >>> plan = training_script(1e-4, lr_warmup_steps=500, num_processes=8, gradient_accumulation_steps=4,
    ...                        num_train_epochs=10, batches_per_epoch=1000)
    >>> plan.num_warmup_steps, plan.num_training_steps, plan.max_train_steps, plan.steps_per_update
    (4000, 2560, 320, 8)
    """
    whole("num_processes", num_processes, 1)
    whole("gradient_accumulation_steps", gradient_accumulation_steps, 1)
    if isinstance(lr_warmup_steps, bool) or not isinstance(lr_warmup_steps, int):
        raise ScheduleError(
            "lr_warmup_steps", f"must be a whole number, got {lr_warmup_steps!r}"
        )  # argparse's type=int
    if scale_lr:
        whole("train_batch_size", train_batch_size, 1)
        learning_rate = learning_rate * gradient_accumulation_steps * train_batch_size * num_processes
    if batches_per_epoch is not None:
        whole("batches_per_epoch", batches_per_epoch, 1)
    if max_train_steps is None:
        if batches_per_epoch is None:
            raise ScheduleError(
                None,
                "without --max_train_steps the scripts count the steps from --num_train_epochs "
                "and len(train_dataloader); give the batches per epoch",
            )
        whole("num_train_epochs", num_train_epochs, 1)
        expected = math.ceil(math.ceil(batches_per_epoch / num_processes) / gradient_accumulation_steps)
        total = num_train_epochs * expected * num_processes
    else:
        whole("max_train_steps", max_train_steps, 1)
        total = max_train_steps * num_processes
    updates, epochs, warning = None, None, None
    if batches_per_epoch is not None:
        prepared = sharded_batches(batches_per_epoch, num_processes, drop_last)
        updates = math.ceil(prepared / gradient_accumulation_steps)
        if updates == 0:
            raise ScheduleError(None, f"the prepared dataloader has no batch on each of the {num_processes} processes")
        if max_train_steps is None:
            max_train_steps = num_train_epochs * updates
            if total != max_train_steps * num_processes:
                warning = (
                    f"The length of the 'train_dataloader' after 'accelerator.prepare' ({prepared}) does not "
                    f"match the expected length ({math.ceil(batches_per_epoch / num_processes)}) when the "
                    "learning rate scheduler was created. This inconsistency may result in the learning rate "
                    "scheduler not functioning properly."
                )
        epochs = math.ceil(max_train_steps / updates)
    assert max_train_steps is not None  # given, or counted from the batches per epoch
    return ScriptPlan(
        learning_rate, lr_warmup_steps * num_processes, total, max_train_steps, epochs, updates, num_processes, warning
    )
