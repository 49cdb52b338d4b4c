"""``lrcli mmcv CONFIG``: the schedule an MMCV 1.x config trains with, per iteration.

The config is read without running it (:mod:`lrcli.config`, the language ``lrcli mmengine``
reads); its ``lr_config`` (or ``momentum_config``) hook is replayed by :mod:`lrcli.engine.mmcv`
for the runner the config describes, from the ``lr`` (``momentum``, or Adam's ``betas[0]``) of
its ``optimizer``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from typing import Annotated, Any

import typer

from lrcli.cli.mmengine import LOOP, Rows, checked_values, config_options, config_shared, epoch_length, row_count
from lrcli.cli.options import option, with_signature
from lrcli.cli.show import records, show
from lrcli.engine.core import ScheduleError
from lrcli.registry.description import with_default


class Hooked(str, Enum):
    lr = "lr"
    momentum = "momentum"


SECTIONS = {Hooked.lr: "lr_config", Hooked.momentum: "momentum_config"}


def samples_per_gpu(config: dict) -> object:
    """The training batch per GPU as mmdetection 2.x's ``train_detector`` reads it:
    ``data.train_dataloader.samples_per_gpu`` over ``data.samples_per_gpu``."""
    from lrcli.config import setting

    data = setting(config, "data") or {}
    loader = data.get("train_dataloader") if isinstance(data, dict) else None
    if isinstance(loader, dict) and "samples_per_gpu" in loader:
        return loader["samples_per_gpu"]
    return data.get("samples_per_gpu") if isinstance(data, dict) else None


def base_value(config: dict, hooked: Hooked) -> float:
    """The ``optimizer``'s ``lr``, or its ``momentum`` (Adam and its kin: ``betas[0]``), as the
    hook finds it in the param groups."""
    from lrcli.config import setting

    optimizer = setting(config, "optimizer")
    if not isinstance(optimizer, dict):
        raise ScheduleError(None, "the config has no optimizer dict (give --lr)")
    if hooked is Hooked.lr:
        value = optimizer.get("lr")
    elif "momentum" in optimizer:
        value = optimizer["momentum"]
    elif "betas" in optimizer:
        betas = optimizer["betas"]
        value = betas[0] if isinstance(betas, (list, tuple)) and betas else None
    else:
        value = 0.9 if "Adam" in str(optimizer.get("type", "")) else 0.0  # Adam's betas[0], SGD's momentum
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScheduleError(None, f"the config's optimizer has no {hooked.value} number (give --lr)")
    return value


def _runner(path: str, config: dict, length: int | None) -> tuple[int | None, int]:
    """``(max_epochs, max_iters)`` of the config's runner (``max_epochs`` None for an IterBasedRunner)."""
    from lrcli.config import setting
    from lrcli.engine.mmcv import mmdet_runner

    try:
        runner, horizon = mmdet_runner({key: setting(config, key) for key in ("runner", "total_epochs")})
    except ScheduleError as error:
        raise ScheduleError(None, f"{path}: {error}") from None
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise ScheduleError(None, f"{path}: the runner's length must be a whole number >= 1, got {horizon!r}")
    if runner == "IterBasedRunner":
        return None, horizon
    if length is None:
        raise ScheduleError(
            None,
            "an EpochBasedRunner needs the iterations per epoch: give --iters-per-epoch L, or --dataset-size N [--gpus G]",
        )
    return horizon, horizon * length


def _check_hook(path: str, section: str, *params: Any) -> None:
    """The hook built as mmcv builds it (:func:`~lrcli.registry.mmcv.hook_schedulers` of
    ``params``), its refusals naming the file and the section."""
    from lrcli.registry.mmcv import hook_schedulers

    try:
        hook_schedulers(*params)
    except ScheduleError as error:
        raise ScheduleError(None, f"{path}: {section}: {error}") from None


def make_mmcv_command() -> Callable[..., None]:
    shared = config_shared("the config's optimizer value")
    common = config_options()
    parameters = [
        *(common[name] for name in LOOP),
        common["by"],
        option(
            "param",
            Annotated[
                Hooked,
                typer.Option(
                    "--param",
                    show_default=False,
                    help=with_default("Which hook to show: lr_config's, or momentum_config's.", "lr"),
                ),
            ],
            Hooked.lr,
        ),
        common["cfg_options"],
        *shared,
    ]

    def command(**options) -> None:
        from lrcli.config import read_config, setting
        from lrcli.registry.mmcv import CONFIG
        from lrcli.schedules import Schedule

        show_options = {parameter.name: options.pop(parameter.name) for parameter in shared}
        path, hooked = options["config"], options["param"]
        config = read_config(path, options["cfg_options"] or [])
        section = SECTIONS[hooked]
        hook = setting(config, section)
        if not isinstance(hook, dict):
            found = f"{section} is {hook!r}, not a dict with a policy" if section in config else f"has no {section}"
            hint = " (it has a param_scheduler: lrcli mmengine reads it)" if "param_scheduler" in config else ""
            raise ScheduleError(None, f"{path}: {found}{hint}")
        length = epoch_length(options, samples_per_gpu(config), "--iters-per-epoch (the config's data.samples_per_gpu")
        max_epochs, max_iters = _runner(path, config, length)
        checked_values(show_options, base_value(config, hooked), hooked.value)
        per_epoch = options["by"] is Rows.epoch
        row_count(per_epoch, max_epochs, max_iters, length)
        groups = len(show_options["lr"])
        _check_hook(path, section, hook, hooked is Hooked.momentum, groups, length, max_epochs, max_iters)
        # the config's hook, named after its file; a row is an epoch or an iteration
        description = replace(
            CONFIG, name=os.path.basename(path), unit="epoch" if per_epoch else "step", value_name=hooked.value
        )
        schedule = Schedule(
            description,
            {
                "hook": hook,
                "momentum": hooked is Hooked.momentum,
                "groups": groups,
                "group": list(range(groups)),
                "epoch_length": length,
                "max_epochs": max_epochs,
                "max_iters": max_iters,
                "rows_per": length if per_epoch else 1,
            },
        )
        show(schedule, *records({**show_options, "steps_per_epoch": None if per_epoch else length}))

    return with_signature(command, parameters)
