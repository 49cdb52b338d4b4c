"""The Trainer's way of saying it: ``lrcli transformers TYPE`` also takes the ``TrainingArguments``
that decide a scheduler's arguments (``--warmup-steps``, ``--max-steps``, ``--num-train-epochs``,
``--gradient-accumulation-steps``, ``--lr-scheduler-kwargs``), computed as the Trainer computes
them (:mod:`lrcli.trainer`)."""

from __future__ import annotations

import warnings
from typing import Annotated, Any, Optional, cast

import typer

from lrcli.cli.options import option
from lrcli.engine.core import ScheduleError
from lrcli.registry.description import Description, flag, with_default
from lrcli.registry.transformers import GetScheduler

TRAINER_OPTIONS = [
    option(
        "warmup_steps",
        Annotated[
            Optional[float],
            typer.Option(
                "--warmup-steps",
                metavar="X",
                help="Trainer: warmup steps (>= 1), or a fraction of the training steps (< 1, rounded up); "
                "instead of --num-warmup-steps.",
            ),
        ],
        None,
    ),
    option(
        "max_steps",
        Annotated[
            Optional[int],
            typer.Option(
                "--max-steps", metavar="N", help="Trainer: optimizer steps in all; instead of --num-training-steps."
            ),
        ],
        None,
    ),
    option(
        "num_train_epochs",
        Annotated[
            Optional[float],
            typer.Option(
                "--num-train-epochs",
                metavar="E",
                show_default=False,
                help=with_default(
                    "Trainer: epochs, with --steps-per-epoch counting batches (len(train_dataloader)): "
                    "ceil(E x optimizer steps per epoch) steps.",
                    "3.0",
                ),
            ),
        ],
        None,
    ),
    option(
        "gradient_accumulation_steps",
        Annotated[
            int,
            typer.Option(
                "--gradient-accumulation-steps",
                metavar="G",
                show_default=False,
                help=with_default(
                    "Trainer: batches per optimizer step; an epoch of M batches is ceil(M / G) optimizer steps.", "1"
                ),
            ),
        ],
        1,
    ),
    option(
        "lr_scheduler_kwargs",
        Annotated[
            Optional[str],
            typer.Option(
                "--lr-scheduler-kwargs",
                metavar="JSON",
                help="Trainer: the scheduler's other arguments as a JSON object, read as the Trainer reads it.",
            ),
        ],
        None,
    ),
]
TRAINER_NAMES = [parameter.name for parameter in TRAINER_OPTIONS]


def ignored_training_steps(rows: bool):
    """``--num-training-steps`` for a type whose function does not take it (get_scheduler takes
    it for every type, and ignores it there): it counts the ``rows``, or (a schedule stepped by
    evaluations) nothing."""
    effect = "the rows" if rows else "the rows here are evaluations, so it changes nothing"
    return option(
        "num_training_steps",
        Annotated[
            Optional[int],
            typer.Option(
                "--num-training-steps",
                metavar="N",
                help=f"Optimizer steps in the whole training: {effect}. get_scheduler takes it for every type and ignores "
                "it for this one.",
            ),
        ],
        None,
    )


IGNORES_KWARGS = ("constant", "constant_with_warmup")
"""The types ``get_scheduler`` builds without the Trainer's kwargs."""


class Trainer:
    """What ``lrcli transformers TYPE`` takes beside the scheduler's own options: the Trainer's
    arguments, for a type the Trainer steps per optimizer step (``optional``: the scheduler's own
    options may then be left out, as these can give them), and ``--num-training-steps`` where the
    type's function does not take it (``get_scheduler`` takes it for every type)."""

    def __init__(self, description: Description) -> None:
        self.description = description
        self.optional = description.unit == "step"
        self.ignores_total = "num_training_steps" not in description.names
        self.options = (TRAINER_OPTIONS if self.optional else []) + (
            [ignored_training_steps(rows=self.optional)] if self.ignores_total else []
        )

    def arguments(
        self, params: dict[str, object], options: dict[str, object], show_options: dict[str, object]
    ) -> dict[str, object]:
        """The scheduler's arguments from its own options (``params``) and these (in ``options``,
        which they are taken from); ``show_options`` as :func:`trainer_arguments` updates them."""
        total = options.pop("num_training_steps") if self.ignores_total else None
        if not self.optional:
            if total is not None:
                warnings.warn(
                    f"get_scheduler ignores num_training_steps for {self.description.type!r}; the rows are evaluations",
                    stacklevel=1,
                )
            return params
        given = {name: options.pop(name) for name in TRAINER_NAMES}
        if total is not None:
            params["num_training_steps"] = total
        return trainer_arguments(self.description, params, given, show_options)


def trainer_arguments(
    description: Description, given: dict[str, object], trainer: dict[str, Any], show_options: dict[str, Any]
) -> dict[str, object]:
    """The scheduler's arguments from its own options (``given``, None where not given) and the
    Trainer's (``trainer``); ``show_options`` are updated in place: the rows default to the
    training steps, and ``--steps-per-epoch`` (batches) becomes optimizer steps per epoch."""
    from lrcli.trainer import scheduler_kwargs, training_steps, updates_per_epoch, warmup_steps  # JSON: not at start-up

    params = {name: value for name, value in given.items() if value is not None}
    if trainer["lr_scheduler_kwargs"] is not None:
        _merge_kwargs(description, params, scheduler_kwargs(trainer["lr_scheduler_kwargs"]))
    batches = show_options["steps_per_epoch"]
    updates = None if batches is None else updates_per_epoch(batches, trainer["gradient_accumulation_steps"])
    counted = trainer["max_steps"] is not None or trainer["num_train_epochs"] is not None
    by_trainer = counted or (batches is not None and "num_training_steps" not in params)
    looped = (
        show_options.get("processes", 1) != 1
        or show_options.get("accumulation", 1) != 1
        or bool(show_options.get("split_batches"))
        or show_options.get("lightning_interval") is not None
    )
    trainer_given = trainer["warmup_steps"] is not None or trainer["gradient_accumulation_steps"] != 1
    if looped and (by_trainer or trainer_given):
        from lrcli.cli.show import UsageProblem

        raise UsageProblem(
            "the Trainer steps its scheduler once an optimizer update (it does not prepare it with "
            "accelerate): --processes, --accumulation and --split-batches are for a loop of your own, with "
            "--num-training-steps; the Trainer's accumulation is --gradient-accumulation-steps"
        )
    steps = None
    if by_trainer:
        if "num_training_steps" in params:
            raise ScheduleError(
                None, "give --num-training-steps, or the Trainer's --max-steps / --num-train-epochs; not both"
            )
        epochs = trainer["num_train_epochs"] if trainer["num_train_epochs"] is not None else 3.0
        steps = training_steps(trainer["max_steps"], epochs, updates)
        if "num_training_steps" in description.names:
            params["num_training_steps"] = steps
        if show_options["steps"] is None and show_options["epochs"] is None:
            show_options["steps"] = steps
    if trainer["warmup_steps"] is not None:
        if "num_warmup_steps" in params:
            raise ScheduleError(None, "give --num-warmup-steps, or the Trainer's --warmup-steps; not both")
        total = steps if steps is not None else cast("float | None", params.get("num_training_steps"))  # a NUMBER
        if total is None and trainer["warmup_steps"] < 1:
            raise ScheduleError(
                "warmup_steps",
                "below 1 is a fraction of the training steps: give --max-steps, "
                "--num-train-epochs or --num-training-steps",
            )
        warmup = warmup_steps(trainer["warmup_steps"], total or 0)
        if "num_warmup_steps" in description.names:
            params["num_warmup_steps"] = warmup
        elif warmup:
            warnings.warn(
                f"get_scheduler ignores the warmup for {description.type!r}, as the Trainer does", stacklevel=1
            )
    if "num_warmup_steps" in description.names:
        params.setdefault("num_warmup_steps", 0)  # the Trainer's --warmup_steps default
    if "num_training_steps" not in description.names and "num_training_steps" in params:
        rows = params.pop("num_training_steps")  # get_scheduler ignores it for this type: it counts the rows
        if show_options["steps"] is None and show_options["epochs"] is None:
            show_options["steps"] = rows
    missing = [param.name for param in description.params if param.required and param.name not in params]
    if missing:
        also = " (or the Trainer's --max-steps, or --num-train-epochs with --steps-per-epoch)"
        raise ScheduleError(
            None,
            f"{description.type} needs {', '.join(map(flag, missing))}"
            f"{also if 'num_training_steps' in missing else ''}",
        )
    for param in description.params:
        if param.name not in params and not param.required:
            params[param.name] = param.default
    if updates is not None:
        show_options["steps_per_epoch"] = updates
    return params


def _merge_kwargs(description: Description, params: dict[str, object], kwargs: dict[str, object]) -> None:
    """``--lr-scheduler-kwargs`` into ``params``, refused where ``get_scheduler`` would fail."""
    if kwargs and description.type in IGNORES_KWARGS:
        warnings.warn(
            f"get_scheduler ignores --lr-scheduler-kwargs for {description.type!r}, as the Trainer does", stacklevel=1
        )
        return
    for name, value in kwargs.items():
        if name in GetScheduler.OWN and name in description.names:  # get_scheduler passes them itself
            raise ScheduleError(
                "lr_scheduler_kwargs", f"cannot hold {name}: get_scheduler passes it itself (use the Trainer's options)"
            )
        if name not in description.names:
            raise ScheduleError(
                "lr_scheduler_kwargs",
                f"has {name!r}, which {description.name} does not take (it takes {', '.join(description.names)})",
            )
        if name in params:
            raise ScheduleError(None, f"{name} is given twice: as {flag(name)} and in --lr-scheduler-kwargs")
        params[name] = description.param(name).checked(value, f"--lr-scheduler-kwargs {name}")
