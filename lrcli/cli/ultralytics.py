"""``lrcli ultralytics [ARGS_YAML] [key=value …]``: the lr of each param group of an Ultralytics
YOLO training run at every batch.

The arguments are read without running anything (:mod:`lrcli.ultralytics_args`); the trainer's
batches per epoch come from ``--iters-per-epoch`` or from ``--dataset-size`` as its dataloader makes
them; ``optimizer=auto`` is decided as ``build_optimizer`` decides it; the schedule is replayed by
:mod:`lrcli.engine.ultralytics`.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from lrcli.cli.mmengine import epoch_options
from lrcli.cli.options import (
    HORIZON_OPTIONS,
    MOMENTUM_OPTION,
    Emit,
    option,
    resume_at_option,
    shared_options,
    with_signature,
)
from lrcli.cli.show import Code, Note, records, show
from lrcli.engine.core import ScheduleError
from lrcli.registry.description import with_default

if TYPE_CHECKING:
    from lrcli.schedules import Schedule

BETAS = ("Adam", "Adamax", "AdamW", "NAdam", "RAdam")
"""The optimizers with ``betas`` (their ``betas[0]`` is the momentum argument, which the warmup leaves)."""

LATEST = "8.4.190"


@dataclass(frozen=True)
class Release:
    """What a range of Ultralytics releases does differently: ``legacy_warmup`` (up to 8.4.102:
    at least 100 warmup batches, not capped by the epochs), ``bias_first`` (before 8.4: pg0 is the
    bias group, and the dataset's ``fraction`` is a share only; back to 8.1.42, the first to step
    the scheduler at the start of each epoch), ``large`` and ``small`` (what ``optimizer=auto``
    picks past 10,000 iterations and up to them), ``first_warms`` (8.4.0 to 8.4.2: the warmup starts
    the first param group, the weights, at ``warmup_bias_lr``, and the biases at 0), ``late_step``
    (up to 8.1.41: the scheduler stepped at the end of each epoch), ``keys`` (the release's ``yolo train`` keys are 8.4.190's)."""

    legacy_warmup: bool = False
    bias_first: bool = False
    large: str = "MuSGD"
    small: str = "AdamW"
    first_warms: bool = False
    late_step: bool = False
    keys: bool = False


def release(version: str) -> Release:
    """The behaviour of Ultralytics ``version``, as read from the sources of 8.1.41, 8.1.42, 8.1.47,
    8.2.0, 8.3.0, 8.3.253, 8.4.2, 8.4.3, 8.4.7, 8.4.8, 8.4.102, 8.4.103 and 8.4.190 (the ranges' ends); a release lrcli
    does not replay is refused.

    >>> release("8.4.190").keys, release("8.4.50").legacy_warmup, release("8.3.253").bias_first
    (True, True, True)
    """
    parts = version.split(".")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise ScheduleError("ultralytics_version", f"must be a release such as {LATEST}, got {version!r}")
    number = tuple(map(int, parts))
    if (8, 4, 103) <= number <= (8, 4, 190):
        return Release(keys=True)
    if (8, 4, 8) <= number <= (8, 4, 102):
        return Release(legacy_warmup=True)
    if (8, 4, 3) <= number < (8, 4, 8):
        return Release(legacy_warmup=True, small="MuSGD")
    if (8, 4, 0) <= number < (8, 4, 3):
        return Release(legacy_warmup=True, large="SGD", small="MuSGD", first_warms=True)
    if (8, 1, 42) <= number < (8, 4, 0):
        return Release(legacy_warmup=True, bias_first=True, large="SGD")
    if (8, 1, 0) <= number < (8, 1, 42):
        return Release(legacy_warmup=True, bias_first=True, large="SGD", late_step=True)
    why = {
        number < (8, 1, 0): "8.0 is older than lrcli's replays (read from 8.1.0 on)",
        number > (8, 4, 190): f"it is newer than {LATEST}, the latest lrcli knows",
    }
    raise ScheduleError(
        None,
        f"--ultralytics-version {version}: lrcli replays 8.1.0 to {LATEST}; "
        f"{next(reason for known, reason in why.items() if known)}",
    )


def train_images(dataset_size: int, fraction: Any, counts: bool = True) -> int:
    """The training images the dataset keeps: ``fraction`` of them (rounded, at least one), or
    that many when it is a whole count (before 8.4, not ``counts``: a fraction below 1 only, rounded).

    >>> train_images(1000, 0.25), train_images(1000, 1.0), train_images(1000, 300), train_images(10, 0.01)
    (250, 1000, 300, 1)
    >>> train_images(10, 0.01, counts=False), train_images(1000, 300, counts=False)
    (0, 1000)
    """
    if not counts:
        return round(dataset_size * fraction) if fraction < 1 else dataset_size
    count = fraction if isinstance(fraction, int) else max(1, round(dataset_size * fraction))
    return count if count < dataset_size else dataset_size


def _kept_images(size: int, fraction: Any, era: Release, version: str) -> int:
    """:func:`train_images` as ``version`` reads ``fraction``: 8.4.190 counts a whole number as
    images; the sources of 8.1 to 8.4.103 read a share only (and check a whole count > 1 away), and
    the release between that changed it is not known, so any other release is refused where the
    two readings differ."""
    share = train_images(size, fraction, counts=False)
    counted = train_images(size, fraction)
    if version != LATEST and counted != share:
        raise ScheduleError(
            None,
            f"fraction={fraction} of {size} images: {LATEST} keeps {counted}, but releases up to at least "
            f"8.4.103 read fraction as a share only ({share}) and lrcli does not know which rule {version} "
            f"follows; give --ultralytics-version {LATEST} or a share that keeps at least one image",
        )
    return share if era.bias_first else counted


def batches_per_epoch(images: int, batch: int, gpus: int, drop_last: bool) -> int:
    """``len(train_loader)``: each of ``gpus`` processes loads ``batch // gpus`` images at a time
    (no more than there are) from its ``DistributedSampler`` share, ``ceil(images / gpus)`` (all of
    them on one GPU); the last batch is kept, short, unless ``drop_last`` (``compile``).

    >>> batches_per_epoch(118287, 16, 1, False), batches_per_epoch(118287, 64, 4, False), batches_per_epoch(20, 4, 1, True)
    (7393, 1849, 5)
    """
    per_gpu = min(batch // gpus, images)
    if per_gpu < 1:
        raise ScheduleError(None, f"batch={batch} on {gpus} GPUs leaves no image per GPU (batch // gpus is 0)")
    samples = math.ceil(images / gpus) if gpus > 1 else images
    if drop_last and samples > per_gpu and samples % per_gpu:
        return samples // per_gpu
    return math.ceil(samples / per_gpu)


NC_OPTION = option(
    "nc",
    Annotated[
        Optional[int],
        typer.Option(
            "--nc",
            metavar="K",
            help="The dataset's class count, for optimizer=auto's lr (or nc in ARGS_YAML).",
        ),
    ],
    None,
)
VERSION_OPTION = option(
    "ultralytics_version",
    Annotated[
        str,
        typer.Option(
            "--ultralytics-version",
            metavar="V",
            show_default=False,
            help=with_default(
                "The release whose trainer to replay: 8.4.3 to 8.4.102 warm up for at least 100 "
                "batches; 8.4.0 to 8.4.7 also pick MuSGD where optimizer=auto later picks AdamW (and 8.4.0 to "
                "8.4.2 SGD past 10,000 iterations, and warm the weights, pg0, up from warmup_bias_lr); 8.1.42 "
                "to 8.3 put the bias group first and pick SGD where 8.4 picks MuSGD.",
                LATEST,
            ),
        ),
    ],
    LATEST,
)
"""``--nc K`` and ``--ultralytics-version V``, which ``lrcli check`` takes too."""


CODE_OPTIONS = {
    "emit": option(
        "emit",
        Annotated[
            Optional[Emit],
            typer.Option(
                "--emit",
                help="Print the Ultralytics trainer call of this run (YOLO(model).train(data=..., key=value ...)) "
                "with callbacks that write each group's lr at every batch to ultralytics_lr.csv (lrcli's CSV), instead of "
                "the rows.",
            ),
        ],
        None,
    ),
    "verify": option(
        "verify",
        Annotated[
            bool,
            typer.Option(
                "--verify",
                help="Check every value against the installed Ultralytics (8.4.103 or later): its "
                "build_optimizer, LambdaLR and lf, stepped as its trainer steps them, without training; "
                "exit 1 if any differs.",
            ),
        ],
        False,
    ),
}
"""``--emit`` and ``--verify`` as this command has them (Ultralytics' code, not a torch scheduler)."""
RESUME_OPTION = resume_at_option(
    "resume=True from the last.pt saved after batch K-1 (K = epoch x batches per epoch): the "
    "trainer sets scheduler.last_epoch = epoch - 1 and keeps what is left of the warmup, so rows from "
    "K on equal the uninterrupted run's; resume=True needs it."
)


def make_ultralytics_command() -> Callable[..., None]:
    shared = [
        CODE_OPTIONS.get(parameter.name, parameter)
        for parameter in shared_options("epochs x batches per epoch")
        if parameter.name not in (*HORIZON_OPTIONS, "lr")
    ]
    parameters = [
        option(
            "arguments",
            Annotated[
                Optional[list[str]],
                typer.Argument(metavar="ARGS_YAML KEY=VALUE", hidden=True, show_default=False),
            ],
            None,
        ),
        *epoch_options(
            "Batches per epoch (len(train_loader)).",
            "Training images: L = ceil(ceil(N' / gpus) / (batch // gpus)), N' after fraction.",
        ),
        NC_OPTION,
        VERSION_OPTION,
        RESUME_OPTION,
        MOMENTUM_OPTION,
        *shared,
    ]

    def command(**options) -> None:
        show_options = {parameter.name: options.pop(parameter.name) for parameter in shared}
        run = read(options["arguments"] or [], options)
        show_options["lr"] = run.lrs
        rows, output = records({**show_options, "steps_per_epoch": run.length}, momentum=options["show_momentum"])
        if options["resume_at"] is not None or run.args["resume"]:
            if isinstance(output, Code):
                raise ScheduleError(None, "--emit and --verify write a whole run: they take no resume")
            _resumed(run, options["resume_at"])
        if isinstance(output, Code):  # the trainer's own call, or the schedule checked against Ultralytics
            from lrcli.ultralytics_code import write_or_verify

            write_or_verify(run, rows, output, options["gpus"])
            return
        show(run.schedule, rows, output)

    return with_signature(command, parameters)


@dataclass(frozen=True)
class Run:
    """A run as read: its schedule (one scheduler per param group), each group's initial lr, the
    batches per epoch, the arguments (``args``: checked, over the defaults; ``given``: as given, in
    order, each with where), the class count, the iterations ``optimizer=auto`` decided by (None
    for another optimizer) and the release replayed."""

    schedule: Schedule
    lrs: list[float]
    length: int
    args: dict[str, Any]
    given: dict[str, tuple[object, str]]
    nc: int | None
    iterations: int | None
    version: str


def read_run(words: list[str], options: dict[str, Any]) -> tuple[Schedule, list[float], int]:
    """A run's schedule (one scheduler per param group), each group's initial lr and the batches
    per epoch, from ``[ARGS_YAML] KEY=VALUE…`` and the command's ``options`` (``iters_per_epoch``,
    ``dataset_size``, ``gpus``, ``nc``, ``ultralytics_version``)."""
    run = read(words, options)
    return run.schedule, run.lrs, run.length


def read(words: list[str], options: dict[str, Any]) -> Run:
    """The :class:`Run` of ``[ARGS_YAML] KEY=VALUE…`` and the command's ``options``."""
    from lrcli.engine.ultralytics import param_groups
    from lrcli.registry.ultralytics import RUN
    from lrcli.schedules import Schedule
    from lrcli.ultralytics_args import MODES, TASKS, checked, read_args_yaml, read_words

    words = list(words)
    path = words.pop(0) if words and "=" not in words[0] and words[0] not in (*TASKS, *MODES) else None
    given = read_args_yaml(path) if path is not None else {}
    nc = options["nc"]
    if nc is None and "nc" in given:
        nc, where = given["nc"]
        if isinstance(nc, bool) or not isinstance(nc, int):
            raise ScheduleError(None, f"{where}: nc must be a whole number, got {nc!r}")
    era = release(options["ultralytics_version"])
    given.update(read_words(words, era.keys))
    args = checked(given)
    length = _length(options, args, era)
    optimizer, lr0, optimizer_momentum, warmup_bias_lr, iterations = _optimizer(options, args, nc, length, era)
    if optimizer == "MuSGD" and era.bias_first:
        raise ScheduleError(None, f"optimizer=MuSGD came with 8.4; {options['ultralytics_version']} has no MuSGD")
    groups = param_groups(optimizer, lr0, era.bias_first)
    description = replace(RUN, name=os.path.basename(path) if path else "yolo train")
    schedule = Schedule(
        description,
        {
            "epochs": args["epochs"],
            "nb": length,
            "lrf": args["lrf"],
            "cos_lr": args["cos_lr"],
            "warmup_epochs": args["warmup_epochs"],
            "warmup_bias_lr": warmup_bias_lr,
            "warmup_momentum": args["warmup_momentum"],
            "momentum": args["momentum"],
            "optimizer_momentum": optimizer_momentum,
            "bias": [index == 0 if era.first_warms else group == "bias" for index, (group, _) in enumerate(groups)],
            "has_momentum": optimizer not in BETAS,
            "optimizer": optimizer,
            "legacy_warmup": era.legacy_warmup,
            "late_step": era.late_step,
        },
    )
    lrs = [lr for _, lr in groups]
    return Run(schedule, lrs, length, args, given, nc, iterations, options["ultralytics_version"])


def _resumed(run: Run, at: int | None) -> None:
    """Check a resume at batch ``at`` as ``resume_training`` checks it, and say what the trainer
    does: ``start_epoch`` from the checkpoint, ``scheduler.last_epoch = start_epoch - 1``, and the
    warmup's batches ``ni <= nw`` counted from the run's start, so the rows are the uninterrupted run's."""
    nb, epochs = run.length, run.args["epochs"]
    if at is None:
        raise ScheduleError(
            None,
            "resume continues from last.pt, whose epoch lrcli cannot read: give --resume-at K, the first batch "
            f"it trains (epoch x {nb} batches per epoch)",
        )
    if release(run.version).late_step:
        raise ScheduleError(
            None,
            f"resume in {run.version}: up to 8.1.41 the resumed run's first epoch trains with the lr saved in "
            "last.pt (its last batch's), which lrcli does not replay",
        )
    if at % nb:
        raise ScheduleError(
            None,
            f"--resume-at {at}: Ultralytics saves last.pt at the end of each epoch and resumes at the next "
            f"one's first batch, a multiple of the {nb} batches per epoch",
        )
    epoch = at // nb
    if not 0 < epoch < epochs:
        why = "a new run" if epoch == 0 else f"past the end: training to {epochs} epochs is finished, nothing to resume"
        raise ScheduleError(
            None, f"--resume-at {at} is epoch {epoch}, {why}; Ultralytics resumes at epochs 1 to {epochs - 1}"
        )
    from lrcli.engine.ultralytics import Training

    training: dict[str, Any] = {
        key: value for key, value in run.schedule.params.items() if key not in ("bias", "has_momentum", "optimizer")
    }
    nw = Training(**training).nw
    left = f"the warmup continues to batch {nw}" if at <= nw else "the warmup is over"
    warnings.warn(
        Note(
            f"resume at epoch {epoch} (batch {at}): the trainer sets scheduler.last_epoch = {epoch - 1} and steps "
            f"it at the epoch's start; {left}; every row from {at} is the uninterrupted run's"
        ),
        stacklevel=1,
    )


def _length(options: dict, args: dict, era: Release) -> int:
    """The batches per epoch: ``--iters-per-epoch``, or the dataloader's from ``--dataset-size``."""
    length, size, gpus = options["iters_per_epoch"], options["dataset_size"], options["gpus"]
    if gpus < 1:
        raise ScheduleError("gpus", f"must be a whole number >= 1, got {gpus}")
    if (length is None) == (size is None):
        raise ScheduleError(
            None, "give the batches per epoch: --iters-per-epoch L, or --dataset-size N [--gpus G] (one of them)"
        )
    if size is not None:
        if size < 1:
            raise ScheduleError("dataset_size", f"must be a whole number >= 1, got {size}")
        if era.bias_first and args["compile"]:
            raise ScheduleError(
                None,
                "compile with --dataset-size before 8.4: releases differ in whether the last batch is "
                "dropped; give --iters-per-epoch",
            )
        images = _kept_images(size, args["fraction"], era, options["ultralytics_version"])
        if images < 1:
            raise ScheduleError(None, f"fraction={args['fraction']} of {size} images keeps none")
        return batches_per_epoch(images, args["batch"], gpus, bool(args["compile"]))
    if length < 1:
        raise ScheduleError("iters_per_epoch", f"must be a whole number >= 1, got {length}")
    return length


def _optimizer(
    options: dict, args: dict, nc: int | None, length: int, era: Release
) -> tuple[str, float, float | None, float, int | None]:
    """``(optimizer, lr0, the momentum it was built with (None: args.momentum), warmup_bias_lr,
    the iterations auto decided by)``, ``optimizer=auto`` decided as ``build_optimizer`` decides
    it, with a note."""
    from lrcli.engine.ultralytics import auto_optimizer

    if args["optimizer"] != "auto":
        name = args["optimizer"]
        return name, args["lr0"], None, args["warmup_bias_lr"], None
    batch, nbs, epochs = args["batch"], args["nbs"], args["epochs"]
    size = options["dataset_size"]
    if size is not None:
        images = [_kept_images(size, args["fraction"], era, options["ultralytics_version"])]
    else:  # the images that give `length` batches on `gpus` GPUs: the fewest and the most
        per_gpu, gpus = max(batch // options["gpus"], 1), options["gpus"]
        images = [(length - 1) * per_gpu * gpus + 1, length * per_gpu * gpus]
    iterations = sorted({math.ceil(count / max(batch, nbs)) * epochs for count in images})
    if nc is None and iterations[0] <= 10000:
        raise ScheduleError(
            None, "optimizer=auto sets the lr from the dataset's class count: give --nc K (or choose optimizer=SGD …)"
        )
    if nc is not None and (isinstance(nc, bool) or nc < 0):
        raise ScheduleError("nc", f"must be a whole number >= 0, got {nc}")
    choices = {auto_optimizer(nc or 0, count, era.large, era.small) for count in iterations}
    if len(choices) > 1:
        raise ScheduleError(
            None,
            f"optimizer=auto picks {era.large} at 0.01 or {era.small} at round(0.002 * 5 / (4 + nc), 6) by the "
            "dataset's size, which --iters-per-epoch does not settle here: give --dataset-size N",
        )
    [(name, lr, momentum)] = choices
    why = (
        f"{iterations[0]:,} iterations > 10,000"
        if iterations[0] > 10000
        else f"round(0.002 * 5 / (4 + nc), 6), nc={nc}"
    )
    warnings.warn(
        Note(
            f"optimizer=auto: {name} with lr0={lr} ({why}) and momentum {momentum}; "
            f"lr0={args['lr0']} and warmup_bias_lr={args['warmup_bias_lr']} are ignored"
        ),
        stacklevel=1,
    )
    return name, lr, momentum, 0.0, iterations[0]
