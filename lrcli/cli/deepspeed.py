"""``lrcli deepspeed FILE``: the schedule of a DeepSpeed config's ``"scheduler"``, one row per
optimizer update.

The file is read as DeepSpeed reads it (:mod:`lrcli.deepspeed_config`), or, with any of the HF
Trainer's options, as the Trainer reads it and fills its ``"auto"`` values. One of DeepSpeed's
five classes is replayed as ``lrcli deepspeed COMMAND`` replays it; a ``"type"`` naming a
``torch.optim.lr_scheduler`` class is lrcli's torch replay of that class, stepped once per update.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Optional

import typer

from lrcli.cli.options import MOMENTUM_OPTION, option, shared_options, with_signature
from lrcli.cli.show import UsageProblem, records, show
from lrcli.registry.description import Description, Family, with_default

NOT_FOR_FILES = ("epochs", "steps_per_epoch", "counts_in")
"""Shared options a config has no use for: a row is an optimizer update."""

NOT_FROM_JSON = ("LambdaLR", "MultiplicativeLR", "SequentialLR", "ChainedScheduler", "ReduceLROnPlateau")
"""torch classes DeepSpeed cannot build from a config: they need a function, schedulers, or a
metric at each ``step()``, which DeepSpeed's ``lr_scheduler.step()`` does not pass."""

LR_OPTION = option(
    "lr",
    Annotated[
        Optional[list[float]],
        typer.Option(
            "--lr",
            metavar="LR",
            show_default=False,
            help=with_default(
                "The lr of a param group of the optimizer; repeat it for several groups.",
                "the config's optimizer.params.lr",
            ),
        ),
    ],
    None,
)

TRAINER_OPTIONS = [
    option(
        "learning_rate",
        Annotated[
            Optional[float],
            typer.Option(
                "--learning-rate",
                metavar="X",
                show_default=False,
                help=with_default('HF Trainer: its learning_rate, which fills "auto" lrs.', "5e-05"),
            ),
        ],
        None,
    ),
    option(
        "max_steps",
        Annotated[
            Optional[int],
            typer.Option(
                "--max-steps",
                metavar="N",
                help='HF Trainer: its optimizer steps, which fill "auto" total_num_steps (or give '
                "--num-train-epochs and --iters-per-epoch).",
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
                help="HF Trainer: epochs, with --iters-per-epoch: ceil(E x optimizer steps per epoch) steps.",
            ),
        ],
        None,
    ),
    option(
        "iters_per_epoch",
        Annotated[
            Optional[int],
            typer.Option(
                "--iters-per-epoch", metavar="L", help="HF Trainer: batches per epoch (len(train_dataloader))."
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
                    "HF Trainer: batches per optimizer step; an epoch of L batches is ceil(L / G) steps.", "1"
                ),
            ),
        ],
        1,
    ),
    option(
        "warmup_steps",
        Annotated[
            Optional[float],
            typer.Option(
                "--warmup-steps",
                metavar="W",
                show_default=False,
                help=with_default(
                    'HF Trainer: warmup updates (below 1: a ratio of --max-steps, rounded up); "auto" '
                    "warmup_num_steps is max(1, them).",
                    "0",
                ),
            ),
        ],
        None,
    ),
]
TRAINER_NAMES = ("learning_rate", "max_steps", "warmup_steps", "num_train_epochs", "iters_per_epoch")
"""The options that make the file read as the HF Trainer reads it."""


def make_file_command(family: Family) -> Callable[..., None]:
    """The command that reads a DeepSpeed config file for ``family``'s descriptions."""
    shared = [
        parameter if parameter.name != "lr" else LR_OPTION
        for parameter in shared_options("the schedule's own")
        if parameter.name not in NOT_FOR_FILES
    ]
    parameters = [
        option("config", Annotated[str, typer.Argument(metavar="FILE", show_default=False)]),
        *TRAINER_OPTIONS,
        MOMENTUM_OPTION,
        *shared,
    ]

    def command(**options) -> None:
        from lrcli.deepspeed_config import TrainerArguments, read_deepspeed_config

        show_options = {parameter.name: options.pop(parameter.name) for parameter in shared}
        path = options["config"]
        trainer = None
        if any(options[name] is not None for name in TRAINER_NAMES):
            trainer = TrainerArguments(
                _training_steps(options),
                5e-5 if options["learning_rate"] is None else options["learning_rate"],
                options["warmup_steps"] or 0,
            )
        config = read_deepspeed_config(path, trainer)
        description = _description(family, config)
        if show_options["lr"] is None and config.optimizer_lr is not None:
            show_options["lr"] = [config.optimizer_lr]
        params = dict(config.params)
        if not config.torch:
            groups = len(show_options["lr"]) if show_options["lr"] else _groups(description, params)
            config.schedulers(groups)  # DeepSpeed's own refusals, naming the file, line and key
        if show_options["lr"] is None and not (description.sets_lr or "warmup_max_lr" in params and not config.torch):
            raise UsageProblem(
                f"{path}: {config.type} starts from the optimizer's lr, and the config has no "
                "optimizer.params.lr: give --lr"
            )
        if not config.torch:
            for text in config.warnings():
                warnings.warn(text, stacklevel=1)
            if config.type == "OneCycle" and not config.has_betas:
                params["cycle_momentum"] = False
        from lrcli.schedules import Schedule

        named = f"{os.path.basename(path)}: {Schedule(description, params).brief_title}"  # the file, then the call
        show(
            Schedule(replace(description, describe=lambda _: named), params),
            *records(show_options, options["show_momentum"]),
        )

    return with_signature(command, parameters)


def _training_steps(options: dict) -> int:
    """The HF Trainer's ``num_training_steps``: ``--max-steps``, or its epochs' arithmetic."""
    from lrcli.engine.core import whole
    from lrcli.trainer import training_steps, updates_per_epoch

    if options["max_steps"] is None and (options["num_train_epochs"] is None or options["iters_per_epoch"] is None):
        raise UsageProblem(
            "the HF Trainer's options need its training steps: --max-steps N, or --num-train-epochs E and "
            "--iters-per-epoch L"
        )
    if options["max_steps"] is not None:
        whole("max_steps", options["max_steps"], 1)
        return options["max_steps"]
    whole("iters_per_epoch", options["iters_per_epoch"], 1)
    updates = updates_per_epoch(options["iters_per_epoch"], options["gradient_accumulation_steps"])
    return training_steps(None, options["num_train_epochs"], updates)


def _description(family: Family, config) -> Description:
    """The description that replays the config's ``"type"``: one of ``family``'s, or torch's class."""
    from lrcli.engine.core import ScheduleError
    from lrcli.registry import DESCRIPTIONS

    if not config.torch:
        return next(description for description in family.descriptions if description.name == config.type)
    if config.type in NOT_FROM_JSON:
        raise config.error(
            ("scheduler", "type"),
            f"DeepSpeed builds {config.type} from the params alone, and {config.type} needs a function, "
            "schedulers or a metric at each step, which a config cannot give",
        )
    found = [d for d in DESCRIPTIONS if d.name == config.type and d.module == "torch.optim.lr_scheduler"]
    if not found:
        raise ScheduleError(None, f"{config.path}: lrcli has no replay of torch's {config.type}")
    return replace(found[0], unit="step")


def _groups(description: Description, params: dict) -> int:
    """The param groups a per-group list in ``params`` implies (1 without one)."""
    lengths = [
        len(params[param.name])
        for param in description.params
        if param.per_group and isinstance(params.get(param.name), (list, tuple))
    ]
    return max(lengths, default=1)
