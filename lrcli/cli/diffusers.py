"""``lrcli diffusers``: a diffusers training script's scheduler flags, with the script's and
accelerate's arithmetic (:func:`lrcli.engine.diffusers.training_script`); a row is an optimizer
update (the scripts' ``global_step``)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Optional

import typer

from lrcli.cli.options import HORIZON_OPTIONS, option, shared_options, with_signature
from lrcli.cli.show import records, show
from lrcli.engine.core import ScheduleError, check_lr
from lrcli.registry.description import with_default

NOT_FOR_SCRIPTS = ("lr", *HORIZON_OPTIONS, "emit", "verify")
"""Shared options the script's flags replace: its loop gives the rows, --learning_rate the lr; no
torch code is emitted for it."""


class SchedulerType(str, Enum):
    """diffusers' ``SchedulerType`` values (the engine's ``SCHEDULER_TYPES``; a test keeps them the
    same), named here so that start-up does not import the engine."""

    linear = "linear"
    cosine = "cosine"
    cosine_with_restarts = "cosine_with_restarts"
    polynomial = "polynomial"
    constant = "constant"
    constant_with_warmup = "constant_with_warmup"
    piecewise_constant = "piecewise_constant"


def _flag(name: str, annotation: object, default: object, help_text: str, metavar: str | None = None, shown=None):
    """A script flag spelled as the script spells it (``--lr_warmup_steps``)."""
    return option(
        name,
        Annotated[
            annotation,
            typer.Option(
                f"--{name}",
                metavar=metavar,
                show_default=False,
                help=help_text if shown is None else with_default(help_text, shown),
            ),
        ],
        default,
    )


def make_diffusers_command() -> Callable[..., None]:
    shared = [parameter for parameter in shared_options(None) if parameter.name not in NOT_FOR_SCRIPTS]
    parameters = [
        _flag("lr_scheduler", SchedulerType, SchedulerType("constant"), "get_scheduler's type.", "TYPE", "constant"),
        _flag("learning_rate", float, 1e-4, "The optimizer's lr (before --scale_lr).", "LR", "1e-4"),
        _flag("lr_warmup_steps", int, 500, "Warmup updates.", "N", "500"),
        _flag("max_train_steps", Optional[int], None, "Optimizer updates to train (overrides the epochs).", "N"),
        _flag(
            "num_train_epochs",
            Optional[int],
            None,
            "Epochs, when --max_train_steps is not given (with --batches-per-epoch).",
            "E",
        ),
        _flag("gradient_accumulation_steps", int, 1, "Batches per optimizer update.", "G", "1"),
        _flag("lr_num_cycles", int, 1, "cosine_with_restarts' hard restarts.", "N", "1"),
        _flag("lr_power", float, 1.0, "polynomial's power.", "X", "1.0"),
        _flag("step_rules", Optional[str], None, "piecewise_constant's rules, 'value:steps,…,last'.", "RULES"),
        _flag(
            "scale_lr",
            bool,
            False,
            "Multiply the lr by accumulation × batch size × processes.",
        ),
        _flag("train_batch_size", Optional[int], None, "Batch size per process (what --scale_lr reads).", "B"),
        _flag(
            "num_processes",
            int,
            1,
            "Processes (GPUs) accelerate runs: the scripts multiply warmup and total by it, and accelerate "
            "steps the scheduler that many times an update.",
            "P",
            "1",
        ),
        option(
            "batches_per_epoch",
            Annotated[
                Optional[int],
                typer.Option(
                    "--batches-per-epoch",
                    metavar="N",
                    help="len(train_dataloader) before accelerator.prepare (all processes' batches).",
                ),
            ],
            None,
        ),
        option(
            "drop_last",
            Annotated[
                bool,
                typer.Option("--drop-last", help="The dataloader drops its last short batch (sharding rounds down)."),
            ],
            False,
        ),
        *shared,
    ]

    def command(**options) -> None:
        show_options = {parameter.name: options.pop(parameter.name) for parameter in shared}
        check_lr(options["learning_rate"], "--learning_rate")
        if options["scale_lr"] and options["train_batch_size"] is None:
            raise ScheduleError(None, "--scale_lr multiplies by the batch size: give --train_batch_size")
        if options["max_train_steps"] is None and options["num_train_epochs"] is None:
            raise ScheduleError(
                None, "give --max_train_steps, or --num_train_epochs with --batches-per-epoch (len(train_dataloader))"
            )
        try:
            _show(options, show_options)
        except ScheduleError as error:
            given = ENGINE_NAMES.get(error.param or "", error.param)
            if given not in options or given == "batches_per_epoch":
                raise
            raise ScheduleError(None, f"--{given} {error.message}") from None  # spelled as the script's flag

    return with_signature(command, parameters)


ENGINE_NAMES = {"num_cycles": "lr_num_cycles", "power": "lr_power"}
"""The script flags the engine names otherwise."""


def _show(options: dict, show_options: dict) -> None:
    from lrcli.registry.diffusers import SCRIPT
    from lrcli.replay import MAX_ROWS
    from lrcli.schedules import Schedule

    plan = _plan(options)
    if plan.warning is not None:
        warnings.warn(plan.warning, stacklevel=1)
    if plan.max_train_steps + 1 > MAX_ROWS:
        raise ScheduleError(
            None,
            f"the script trains {plan.max_train_steps:,} updates, {plan.max_train_steps + 1:,} rows with the "
            f"constructor's; lrcli shows up to {MAX_ROWS:,} rows",
        )
    check_lr(plan.learning_rate, "the lr after --scale_lr")
    schedule = Schedule(
        SCRIPT,
        {
            "lr_scheduler": options["lr_scheduler"].value,
            "num_warmup_steps": plan.num_warmup_steps,
            "num_training_steps": plan.num_training_steps,
            "num_cycles": options["lr_num_cycles"],
            "power": options["lr_power"],
            "step_rules": options["step_rules"],
            "steps_per_update": plan.steps_per_update,
            "max_train_steps": plan.max_train_steps,
        },
    )
    show(schedule, *records({**show_options, "lr": [plan.learning_rate]}))


def _plan(options: dict):
    """The script's arithmetic on its flags (:func:`lrcli.engine.diffusers.training_script`)."""
    from lrcli.engine.diffusers import training_script

    return training_script(
        options["learning_rate"],
        lr_warmup_steps=options["lr_warmup_steps"],
        num_processes=options["num_processes"],
        gradient_accumulation_steps=options["gradient_accumulation_steps"],
        max_train_steps=options["max_train_steps"],
        num_train_epochs=options["num_train_epochs"] or 1,
        batches_per_epoch=options["batches_per_epoch"],
        drop_last=options["drop_last"],
        scale_lr=options["scale_lr"],
        train_batch_size=options["train_batch_size"] or 1,
    )
