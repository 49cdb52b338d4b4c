"""How transformers' ``Trainer`` (5.23) turns its arguments into a scheduler's: the number of
optimizer steps, the warmup steps, and ``--lr_scheduler_kwargs``.

The ``get_*`` functions take ``num_warmup_steps`` and ``num_training_steps``; the Trainer computes
them from ``--warmup_steps``, ``--max_steps`` or ``--num_train_epochs`` and the batches per epoch,
and passes ``--lr_scheduler_kwargs`` on as the function's other keyword arguments.
"""

from __future__ import annotations

import json
import math

from lrcli.engine.core import ScheduleError, number, whole


def updates_per_epoch(batches_per_epoch: int, gradient_accumulation_steps: int = 1) -> int:
    """Optimizer steps per epoch: one per ``gradient_accumulation_steps`` batches, a partial
    last group counting as one, at least one.

    >>> updates_per_epoch(1000, 3), updates_per_epoch(2, 4)
    (334, 1)
    """
    whole("gradient_accumulation_steps", gradient_accumulation_steps, 1)
    return max(
        batches_per_epoch // gradient_accumulation_steps + int(batches_per_epoch % gradient_accumulation_steps > 0), 1
    )


def training_steps(max_steps: int | None, num_train_epochs: float, updates: int | None) -> int:
    """``max_steps`` when it is positive, else ``ceil(num_train_epochs * updates)``: what the
    Trainer passes as ``num_training_steps``.

    >>> training_steps(None, 3.0, 334), training_steps(None, 0.5, 5), training_steps(500, 3.0, 334)
    (1002, 3, 500)
    """
    if max_steps is not None and max_steps > 0:
        return max_steps
    if updates is None:
        raise ScheduleError(
            None,
            "the Trainer counts its steps from --max-steps, or from --num-train-epochs and "
            "--steps-per-epoch (batches per epoch, len(train_dataloader)); give one of them",
        )
    number("num_train_epochs", num_train_epochs, 0)
    return math.ceil(num_train_epochs * updates)


def warmup_steps(warmup: float, num_training_steps: float) -> int:
    """``--warmup_steps`` as the Trainer reads it: at least 1, steps (truncated); below 1, a
    fraction of the training steps, rounded up.

    >>> warmup_steps(0.1, 1002), warmup_steps(500, 1002), warmup_steps(2.7, 1002)
    (101, 500, 2)
    """
    number("warmup_steps", warmup, 0)
    return int(warmup) if warmup >= 1 else math.ceil(num_training_steps * warmup)


def scheduler_kwargs(text: str) -> dict[str, object]:
    """``--lr_scheduler_kwargs`` as the Trainer parses a JSON object: strings that read as a bool,
    a whole number or a decimal become one.

    >>> scheduler_kwargs('{"num_cycles": "2", "min_lr_rate": "0.1", "decay_type": "cosine"}')
    {'num_cycles': 2, 'min_lr_rate': 0.1, 'decay_type': 'cosine'}
    """
    if not text.lstrip().startswith("{"):
        raise ScheduleError(
            "lr_scheduler_kwargs", f"must be a JSON object like '{{\"num_cycles\": 2}}', got {text[:60]!r}"
        )
    try:
        loaded = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ScheduleError("lr_scheduler_kwargs", f"is not valid JSON: {error}") from None
    if not isinstance(loaded, dict):
        raise ScheduleError("lr_scheduler_kwargs", "must be a JSON object")
    try:
        return _converted(loaded)
    except ValueError as error:  # a string of digits int() cannot read ('²'): the Trainer fails on it too
        raise ScheduleError("lr_scheduler_kwargs", f"has a value the Trainer cannot convert: {error}") from None


def _converted(values: dict) -> dict:
    for key, value in values.items():
        if isinstance(value, dict):
            values[key] = _converted(value)
        elif isinstance(value, str):
            if value.lower() in ("true", "false"):
                values[key] = value.lower() == "true"
            elif value.isdigit():
                values[key] = int(value)
            elif value.replace(".", "", 1).isdigit():
                values[key] = float(value)
    return values
