"""``lrcli timm``: timm's ``train.py`` scheduler flags, one command for every ``--sched``.

Its options are the union of the timm descriptions' parameters (each a train.py flag with
train.py's default); ``--sched`` picks the description, which takes the flags it reads. Rows are
what train.py trains (``--epochs`` is train.py's, not a row count).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Annotated, cast

import typer

from lrcli.cli.options import (
    FRAMEWORK_RESUME_OPTIONS,
    HORIZON_OPTIONS,
    option,
    param_options,
    shared_options,
    with_signature,
)
from lrcli.cli.show import records, show
from lrcli.engine.core import ScheduleError
from lrcli.engine.timm import timing
from lrcli.registry.description import Description, Param, flag, with_default
from lrcli.schedules import Schedule

NOT_FOR_TIMM = HORIZON_OPTIONS
"""Shared options train.py's flags replace: the rows are the epochs (or updates) it trains."""


def make_timm_command(descriptions: Sequence[Description]) -> Callable:
    params: dict[str, Param] = {}
    for description in descriptions:
        for param in description.params:
            params.setdefault(param.name, param)
    # mypy types an Enum() call only with literal members; these come from the descriptions
    scheds = Enum("sched", {description.type: description.type for description in descriptions}, type=str)  # type: ignore[misc]
    by_type = {description.type: description for description in descriptions}
    shared = [parameter for parameter in shared_options(None) if parameter.name not in NOT_FOR_TIMM]
    shared += FRAMEWORK_RESUME_OPTIONS
    parameters = [
        option(
            "sched",
            Annotated[
                scheds,
                typer.Option(
                    "--sched",
                    metavar="NAME",
                    show_default=False,
                    help=with_default("The scheduler: " + ", ".join(by_type) + ".", "cosine"),
                ),
            ],
            scheds("cosine"),
        )
    ]
    parameters += [typer_option for param in params.values() for typer_option in param_options(param, optional=True)]
    parameters += shared

    def command(**options) -> None:
        show_options = {parameter.name: options.pop(parameter.name) for parameter in shared}
        description = by_type[options.pop("sched").value]
        metrics_source = options.pop("metrics")
        given = {name: param.read(options) for name, param in params.items() if name != "metrics"}
        given["metrics"] = metrics_source
        ignored = [flag(name) for name, value in given.items() if value is not None and name not in description.names]
        if ignored:
            warnings.warn(
                f"--sched {description.type} does not read {', '.join(ignored)} (train.py ignores "
                f"{'it' if len(ignored) == 1 else 'them'} too)",
                stacklevel=1,
            )
        values = {
            name: given[name] if given[name] is not None else description.param(name).default
            for name in description.names
            if name != "metrics"
        }
        values = {name: list(value) if isinstance(value, tuple) else value for name, value in values.items()}
        if "metrics" in description.names:
            if metrics_source is None:
                raise ScheduleError(
                    None, f"--sched {description.type} needs --metrics: the eval metric after each epoch"
                )
            from lrcli.metrics import read_metrics

            assert description.default_rows is not None  # a scheduler stepped on metrics has one
            rows = description.default_rows(values)  # read only as far as the epochs need
            values["metrics"] = read_metrics(metrics_source, options.pop("column"), max((rows or 1) - 1, 0))
        else:
            options.pop("column")
        if values["updates_per_epoch"] and not values["sched_on_updates"]:
            raise ScheduleError(None, "--updates-per-epoch counts the updates of --sched-on-updates; give both")
        per_update = (
            timing(cast(bool, values["sched_on_updates"]), cast(int, values["updates_per_epoch"])).per
            if values["sched_on_updates"]
            else None
        )
        resume_at = show_options["resume_at"]
        if resume_at is not None:
            if "metrics" in description.names:
                raise ScheduleError(
                    None,
                    f"--resume-at with --sched {description.type}: train.py's checkpoints do not hold the "
                    "scheduler's state (the best metric, the epochs without improvement), which lrcli does not replay",
                )
            if per_update and resume_at >= 1:  # train.py resumes at an epoch: step_update(start_epoch * updates)
                show_options["resume_at"] = resume_at * per_update
            show_options["resume_by"] = "train.py"
        show(Schedule(description, values), *records({**show_options, "steps_per_epoch": per_update}))

    return with_signature(command, parameters)
