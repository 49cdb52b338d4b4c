"""``lrcli mmengine CONFIG``: the schedule an OpenMMLab config trains with, per iteration.

The config is read without running it (:mod:`lrcli.config`); its ``param_scheduler`` list is
replayed by :mod:`lrcli.engine.mmengine` for the loop its ``train_cfg`` describes, with the lr
of ``optim_wrapper.optimizer``.
"""

from __future__ import annotations

import inspect
import math
import os
from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from lrcli.cli.options import FRAMEWORK_RESUME_OPTIONS, HORIZON_OPTIONS, option, shared_options, with_signature
from lrcli.cli.show import records, show
from lrcli.engine.core import ScheduleError, check_lr
from lrcli.registry.description import with_default
from lrcli.replay import MAX_ROWS

if TYPE_CHECKING:
    from lrcli.schedules import Schedule

NOT_FOR_CONFIGS = (*HORIZON_OPTIONS, "emit", "verify")
"""Shared options a config replaces: its loop gives the rows; no torch code is emitted for it."""


class Rows(str, Enum):
    iter = "iter"
    epoch = "epoch"


class Scheduled(str, Enum):
    lr = "lr"
    momentum = "momentum"
    weight_decay = "weight_decay"


def iterations_per_epoch(dataset_size: int, gpus: int, batch_size: int) -> int:
    """Iterations of one epoch: the ``DefaultSampler`` gives each GPU ``ceil(N / G)`` samples
    (rounding up), the dataloader batches them, the last batch possibly short.

    >>> iterations_per_epoch(117266, 8, 2)
    7330
    """
    for name, value in (("dataset_size", dataset_size), ("gpus", gpus), ("batch_size", batch_size)):
        if value < 1:
            raise ScheduleError(name, f"must be a whole number >= 1, got {value}")
    return math.ceil(math.ceil(dataset_size / gpus) / batch_size)


_SCHEDULER_MODULES = {
    "mmengine.optim": ("LR", "Momentum", "ParamScheduler"),
    "mmengine.optim.scheduler": ("LR", "Momentum", "ParamScheduler"),
    "mmengine.optim.scheduler.lr_scheduler": ("LR", "ParamScheduler"),
    "mmengine.optim.scheduler.momentum_scheduler": ("Momentum", "ParamScheduler"),
    "mmengine.optim.scheduler.param_scheduler": ("ParamScheduler",),
    "mmdet.engine.schedulers": ("LR", "Momentum", "ParamScheduler"),
    "mmdet.engine.schedulers.quadratic_warmup": ("LR", "Momentum", "ParamScheduler"),
}
"""The modules that hold mmengine's (and mmdet's) scheduler classes, and the kinds each holds."""
_LOOP_MODULES = ("mmengine", "mmengine.runner", "mmengine.runner.loops")


def registered_name(kind: object) -> object:
    """A ``param_scheduler`` ``type`` as mmengine's registry names the class: a dotted name (what
    a new-style config's ``from mmengine.optim import LinearLR`` gives) or ``scope.Name`` is
    taken to its class name, if that module holds the class.

    >>> registered_name("mmengine.optim.scheduler.lr_scheduler.LinearLR"), registered_name("mmdet.QuadraticWarmupLR")
    ('LinearLR', 'QuadraticWarmupLR')
    """
    if not isinstance(kind, str) or "." not in kind:
        return kind
    module, _, name = kind.rpartition(".")
    mmdet = name.startswith("QuadraticWarmup")
    held = _SCHEDULER_MODULES.get(module, ())
    if "." not in module and module.isidentifier() and (module == "mmdet" or not mmdet):
        return name  # scope.Name: the registry of that package (mmdet's holds QuadraticWarmup…)
    if (
        name.endswith(held)
        and held
        and mmdet == module.startswith("mmdet")
        and not (module == "mmengine.optim" and name.startswith("CosineRestart"))
    ):
        return name
    raise ScheduleError(
        None,
        f"param_scheduler type {kind} is not one of mmengine's schedulers (a class of "
        "mmengine.optim, or mmdet's QuadraticWarmupLR); mmengine's runner cannot use it",
    )


def _loop(config: dict) -> tuple[int | None, int | None]:
    """``(max_epochs, max_iters)`` of the config's training loop (one of them None)."""
    from lrcli.config import setting

    train = setting(config, "train_cfg")
    if not isinstance(train, dict):
        raise ScheduleError(None, "the config has no train_cfg dict: lrcli needs its loop's length")
    kind = train.get("type")
    module, _, name = kind.rpartition(".") if isinstance(kind, str) else ("", "", kind)
    if (name == "IterBasedTrainLoop" and module in ("", *_LOOP_MODULES)) or (
        kind is None and not train.get("by_epoch", True)
    ):
        max_iters = train.get("max_iters")
        if isinstance(max_iters, bool) or not isinstance(max_iters, int) or max_iters < 1:
            raise ScheduleError(None, f"train_cfg.max_iters must be a whole number >= 1, got {max_iters!r}")
        return None, max_iters
    max_epochs = train.get("max_epochs")
    if isinstance(max_epochs, bool) or not isinstance(max_epochs, int) or max_epochs < 1:
        raise ScheduleError(None, f"train_cfg.max_epochs must be a whole number >= 1, got {max_epochs!r}")
    return max_epochs, None


def param_schedulers(config: dict, path: str, param: str = "lr") -> list[dict]:
    """The config's ``param_scheduler`` entries that schedule ``param``, their types as
    mmengine's registry names them (:func:`registered_name`)."""
    from lrcli.config import setting
    from lrcli.engine.mmengine import param_name_of

    entries = setting(config, "param_scheduler")
    if isinstance(entries, dict) and "type" not in entries and entries:
        raise ScheduleError(
            None,
            f"{path}: param_scheduler is keyed by optimizer ({', '.join(map(str, entries))}): "
            "configs with several optimizers are not read by lrcli",
        )
    entries = [entries] if isinstance(entries, dict) else entries
    if not isinstance(entries, (list, tuple)) or not entries:
        raise ScheduleError(None, f"{path}: no param_scheduler (a dict, or a list of dicts)")
    entries = [
        {**entry, "type": registered_name(entry["type"])} if isinstance(entry, dict) and "type" in entry else entry
        for entry in entries
    ]
    entries = [entry for entry in entries if isinstance(entry, dict) and param_name_of(entry) == param]
    if not entries:
        raise ScheduleError(None, f"{path}: no param_scheduler entry schedules {param}")
    return entries


def config_schedule(
    path: str,
    entries: list[dict],
    length: int | None,
    max_epochs: int | None,
    max_iters: int,
    param: str = "lr",
    per_epoch: bool = False,
    validation: object = None,
) -> Schedule:
    """The config's schedulers as a schedule named after its file; a row is an iteration, or
    with ``per_epoch`` an epoch (``length`` iterations)."""
    from lrcli.registry.mmengine import CONFIG
    from lrcli.schedules import Schedule

    description = replace(CONFIG, name=os.path.basename(path), unit="epoch" if per_epoch else "step", value_name=param)
    return Schedule(
        description,
        {
            "param_scheduler": list(entries),
            "epoch_length": length,
            "max_epochs": max_epochs,
            "max_iters": max_iters,
            "rows_per": length if per_epoch else 1,
            "validation": validation,
        },
    )


CFG_OPTIONS = option(
    "cfg_options",
    Annotated[
        Optional[list[str]],
        typer.Option(
            "--cfg-options",
            metavar="KEY=VALUE",
            help="Override a config key (a.b.c=value; list items by index); repeat for several.",
        ),
    ],
    None,
)
"""``--cfg-options``, as mmengine's tools take it."""


def config_shared(what: str) -> list[inspect.Parameter]:
    """The shared options a config command takes, ``--lr`` defaulting to ``what`` (the config's
    optimizer value)."""
    return [
        parameter
        if parameter.name != "lr"
        else option(
            "lr",
            Annotated[
                Optional[list[float]],
                typer.Option(
                    "--lr",
                    metavar="X",
                    show_default=False,
                    help=with_default(
                        "Initial value of the --param parameter (the lr) of a param group; repeat it for several groups.",
                        what,
                    ),
                ),
            ],
            None,
        )
        for parameter in shared_options("the config's loop")
        if parameter.name not in NOT_FOR_CONFIGS
    ]


def epoch_options(length_help: str, size_help: str) -> list[inspect.Parameter]:
    """``--iters-per-epoch L``, ``--dataset-size N`` and ``--gpus G``, their help as given."""
    return [
        option(
            "iters_per_epoch",
            Annotated[Optional[int], typer.Option("--iters-per-epoch", metavar="L", help=length_help)],
            None,
        ),
        option(
            "dataset_size",
            Annotated[Optional[int], typer.Option("--dataset-size", metavar="N", help=size_help)],
            None,
        ),
        option(
            "gpus",
            Annotated[
                int,
                typer.Option(
                    "--gpus", metavar="G", show_default=False, help=with_default("GPUs (processes) training.", "1")
                ),
            ],
            1,
        ),
    ]


LOOP = ("config", "iters_per_epoch", "dataset_size", "gpus")
"""The options a config command takes first (:func:`config_options`)."""


def config_options() -> dict[str, inspect.Parameter]:
    """The options every config command has, by name: the file (first), the epoch's length, the
    rows and ``--cfg-options``."""
    parameters = [
        option("config", Annotated[str, typer.Argument(metavar="CONFIG", hidden=True, show_default=False)]),
        *epoch_options(
            "Iterations per epoch (len(train_dataloader)).", "Training samples: L = ceil(ceil(N / gpus) / batch size)."
        ),
        option(
            "by",
            Annotated[
                Rows,
                typer.Option(
                    "--by",
                    show_default=False,
                    help=with_default("Rows: one per iteration, or per epoch (the lr of its first iteration).", "iter"),
                ),
            ],
            Rows.iter,
        ),
        CFG_OPTIONS,
    ]
    return {parameter.name: parameter for parameter in parameters}


def epoch_length(options: dict, batch: object, batch_source: str) -> int | None:
    """The iterations per epoch the options give: ``--iters-per-epoch``, or from ``--dataset-size``,
    ``--gpus`` and ``batch`` (``batch_source`` says where a batch size comes from)."""
    length = options["iters_per_epoch"]
    if options["dataset_size"] is not None:
        if length is not None:
            raise ScheduleError(None, "give --iters-per-epoch or --dataset-size, not both")
        if not isinstance(batch, int) or isinstance(batch, bool):
            raise ScheduleError(None, f"--dataset-size needs a batch size: give {batch_source} is {batch!r})")
        length = iterations_per_epoch(options["dataset_size"], options["gpus"], batch)
    if length is not None and length < 1:
        raise ScheduleError("iters_per_epoch", f"must be a whole number >= 1, got {length}")
    return length


def checked_values(show_options: dict, value: float, param: str) -> None:
    """``--lr`` defaulting to the config's ``value``, each checked."""
    if show_options["lr"] is None:
        show_options["lr"] = [value]
    for group, lr in enumerate(show_options["lr"]):
        check_lr(lr, f"the initial {param}" + (f" of group {group}" if len(show_options["lr"]) > 1 else ""))


def row_count(per_epoch: bool, max_epochs: int | None, max_iters: int, length: int | None) -> int:
    """The rows of the loop: its epochs (``--by epoch``) or iterations, at most ``MAX_ROWS``."""
    if per_epoch and not (max_epochs and length):
        raise ScheduleError(None, "--by epoch needs an epoch-based loop and the iterations per epoch")
    rows = max_epochs if per_epoch else max_iters
    assert rows is not None  # by epoch: the loop's epochs, checked above; else its iterations
    if rows > MAX_ROWS:
        raise ScheduleError(
            None,
            f"the config's loop has {rows:,} {'epochs' if per_epoch else 'iterations'}; "
            f"lrcli shows up to {MAX_ROWS:,} rows",
        )
    return rows


def make_mmengine_command() -> Callable[..., None]:
    shared = config_shared("the config's optim_wrapper.optimizer value") + FRAMEWORK_RESUME_OPTIONS
    common = config_options()
    parameters = [
        *(common[name] for name in LOOP),
        option(
            "batch_size",
            Annotated[
                Optional[int],
                typer.Option(
                    "--batch-size",
                    metavar="B",
                    show_default=False,
                    help=with_default("Samples per GPU per iteration.", "train_dataloader.batch_size"),
                ),
            ],
            None,
        ),
        option(
            "auto_scale_lr",
            Annotated[
                bool,
                typer.Option(
                    "--auto-scale-lr",
                    help="Scale the lr by gpus x batch size / auto_scale_lr.base_batch_size, as "
                    "auto_scale_lr with enable=True does.",
                ),
            ],
            False,
        ),
        common["by"],
        option(
            "param",
            Annotated[
                Scheduled,
                typer.Option(
                    "--param", show_default=False, help=with_default("Which parameter's schedulers to show.", "lr")
                ),
            ],
            Scheduled.lr,
        ),
        option(
            "metrics",
            Annotated[
                Optional[str],
                typer.Option(
                    "--metrics",
                    metavar="FILE",
                    help="ReduceOnPlateauLR: the monitored metric of each validation, one "
                    "number per line; - reads stdin.",
                ),
            ],
            None,
        ),
        option(
            "column",
            Annotated[
                Optional[str],
                typer.Option(
                    "--column", metavar="NAME|N", help="Read --metrics as CSV with a header and take this column."
                ),
            ],
            None,
        ),
        common["cfg_options"],
        *shared,
    ]

    def command(**options) -> None:
        from lrcli.config import read_config, setting

        show_options = {parameter.name: options.pop(parameter.name) for parameter in shared}
        path = options["config"]
        config = read_config(path, options["cfg_options"] or [])
        param = options["param"].value
        entries = param_schedulers(config, path, param)
        batch = options["batch_size"] or setting(config, "train_dataloader.batch_size")
        length = epoch_length(options, batch, "--batch-size (the config's train_dataloader.batch_size")
        max_epochs, max_iters = _loop(config)
        if max_iters is None:
            if length is None:
                raise ScheduleError(
                    None,
                    "an epoch-based loop needs the iterations per epoch: give "
                    "--iters-per-epoch L, or --dataset-size N [--gpus G]",
                )
            assert max_epochs is not None  # _loop gives one of the two
            max_iters = max_epochs * length
        value = _base_value(config, param)
        if param == "lr" and options["auto_scale_lr"]:
            value = value * _lr_ratio(config, options["gpus"], batch)
        checked_values(show_options, value, param)
        per_epoch = options["by"] is Rows.epoch
        row_count(per_epoch, max_epochs, max_iters, length)

        validation = None
        if options["metrics"] is not None:
            from lrcli.engine.mmengine import Validation
            from lrcli.metrics import read_metrics

            train = setting(config, "train_cfg")
            assert isinstance(train, dict)  # as _loop found it
            dynamic = tuple(tuple(pair) for pair in train.get("dynamic_intervals") or ())
            when = Validation([], max_epochs or 1, train.get("val_interval", 1), train.get("val_begin", 1), dynamic)
            needed = sum(map(when.after, range(1, (max_epochs or 1) + 1)))  # read no further than they go
            metrics = list(read_metrics(options["metrics"], options["column"], needed))
            validation = Validation(metrics, when.max_epochs, when.interval, when.begin, dynamic)
        schedule = config_schedule(path, entries, length, max_epochs, max_iters, param, per_epoch, validation)
        if show_options["resume_at"] is not None:
            show_options["resume_by"] = "runner"
        show(schedule, *records({**show_options, "steps_per_epoch": None if per_epoch else length}))

    return with_signature(command, parameters)


def _base_value(config: dict, param: str) -> float:
    """The optimizer's ``lr`` (``momentum``, ``weight_decay``) in ``optim_wrapper.optimizer``."""
    from lrcli.config import setting

    optimizer = setting(config, "optim_wrapper.optimizer")
    if not isinstance(optimizer, dict):
        optimizer = setting(config, "optimizer")
    value = optimizer.get(param) if isinstance(optimizer, dict) else None
    if (
        param == "momentum"
        and value is None
        and isinstance(optimizer, dict)
        and ("betas" in optimizer or "Adam" in str(optimizer.get("type", "")))
    ):
        raise ScheduleError(
            None,
            "--param momentum of an optimizer with betas (Adam and its kin): mmengine schedules "
            "betas[0] there, which lrcli does not replay",
        )
    if value is None and param != "lr":
        value = 0.0  # SGD's momentum and torch's weight decay default to 0
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScheduleError(None, f"the config's optim_wrapper.optimizer has no {param} number (give --lr)")
    return float(value) if param != "lr" else value


def _lr_ratio(config: dict, gpus: int, batch: object) -> float:
    """``auto_scale_lr``'s factor: ``float(gpus * batch size) / float(base_batch_size)``."""
    from lrcli.config import setting

    base = setting(config, "auto_scale_lr.base_batch_size")
    if isinstance(base, bool) or not isinstance(base, int) or base < 1:
        raise ScheduleError(None, "--auto-scale-lr needs the config's auto_scale_lr.base_batch_size")
    if isinstance(batch, bool) or not isinstance(batch, int):
        raise ScheduleError(None, "--auto-scale-lr needs a batch size: give --batch-size")
    return float(gpus * batch) / float(base)
