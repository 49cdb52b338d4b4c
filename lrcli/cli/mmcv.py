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


def base_value(config: dict, hooked: Hooked, where: Callable[[str], str]) -> float:
    """The ``optimizer``'s ``lr``, or its ``momentum`` (Adam and its kin: ``betas[0]``), as the
    hook finds it in the param groups; ``where(key)`` names where the config sets a key."""
    from lrcli.config import setting

    optimizer = setting(config, "optimizer")
    if not isinstance(optimizer, dict):
        found = f"optimizer is {optimizer!r}, not a dict" if "optimizer" in config else "has no optimizer dict"
        raise ScheduleError(None, f"{where('optimizer')}: {found} (give --lr)")
    key = "optimizer.lr"
    if hooked is Hooked.lr:
        value = optimizer.get("lr")
    elif "momentum" in optimizer:
        key, value = "optimizer.momentum", optimizer["momentum"]
    elif "betas" in optimizer:
        betas = optimizer["betas"]
        key, value = "optimizer.betas", betas[0] if isinstance(betas, (list, tuple)) and betas else None
    else:
        value = 0.9 if "Adam" in str(optimizer.get("type", "")) else 0.0  # Adam's betas[0], SGD's momentum
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        found = f"{key} is {value!r}, not a number" if key.split(".")[1] in optimizer else f"has no {key} number"
        raise ScheduleError(None, f"{where(key)}: {found} (give --lr)")
    return value


def _runner(config: dict, length: int | None, where: Callable[[str], str]) -> tuple[int | None, int]:
    """``(max_epochs, max_iters)`` of the config's runner (``max_epochs`` None for an IterBasedRunner)."""
    from lrcli.config import setting
    from lrcli.engine.mmcv import mmdet_runner

    given = setting(config, "runner")
    try:
        runner, horizon = mmdet_runner({"runner": given, "total_epochs": setting(config, "total_epochs")})
    except ScheduleError as error:
        at = where("runner.type" if isinstance(given, dict) else "runner" if given is not None else "total_epochs")
        raise ScheduleError(None, f"{at}: {error}") from None
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        key = (
            "total_epochs"
            if given is None
            else f"runner.{'max_iters' if runner == 'IterBasedRunner' else 'max_epochs'}"
        )
        raise ScheduleError(None, f"{where(key)}: {key} must be a whole number >= 1, got {horizon!r}")
    if runner == "IterBasedRunner":
        return None, horizon
    if length is None:
        raise ScheduleError(
            None,
            "an EpochBasedRunner needs the iterations per epoch: give --iters-per-epoch L, or --dataset-size N [--gpus G]",
        )
    return horizon, horizon * length


def _check_hook(where: Callable[[str], str], section: str, *params: Any) -> None:
    """The hook built as mmcv builds it (:func:`~lrcli.registry.mmcv.hook_schedulers` of
    ``params``, the hook's dict first), its refusals naming where the config sets the key at
    fault: the one the error names first (mmcv's messages name them as words), else the section."""
    import re

    from lrcli.registry.mmcv import hook_schedulers

    try:
        hook_schedulers(*params)
    except ScheduleError as error:
        keys = [key for key in params[0] if isinstance(key, str)]
        named = [(found.start(), key) for key in keys if (found := re.search(rf"\b{re.escape(key)}\b", str(error)))]
        key = error.param or min(named, default=(0, None))[1]
        at = where(f"{section}.{key}" if key else section)
        raise ScheduleError(None, f"{at}: {section}: {error}") from None


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
        from lrcli.config import located, read_config, setting
        from lrcli.registry.mmcv import CONFIG
        from lrcli.schedules import Schedule

        show_options = {parameter.name: options.pop(parameter.name) for parameter in shared}
        path, hooked = options["config"], options["param"]
        config = read_config(path, options["cfg_options"] or [])

        def where(key: str) -> str:
            return located(path, key, options["cfg_options"] or [])

        section = SECTIONS[hooked]
        hook = setting(config, section)
        if not isinstance(hook, dict):
            found = f"{section} is {hook!r}, not a dict with a policy" if section in config else f"has no {section}"
            hint = " (it has a param_scheduler: lrcli mmengine reads it)" if "param_scheduler" in config else ""
            raise ScheduleError(None, f"{where(section)}: {found}{hint}")
        length = epoch_length(options, samples_per_gpu(config), "--iters-per-epoch (the config's data.samples_per_gpu")
        max_epochs, max_iters = _runner(config, length, where)
        checked_values(show_options, base_value(config, hooked, where), hooked.value)
        per_epoch = options["by"] is Rows.epoch
        row_count(per_epoch, max_epochs, max_iters, length)
        groups = len(show_options["lr"])
        _check_hook(where, section, hook, hooked is Hooked.momentum, groups, length, max_epochs, max_iters)
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
