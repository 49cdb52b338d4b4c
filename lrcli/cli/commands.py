"""Schedule commands, generated from the scheduler descriptions in :mod:`lrcli.registry`.

A command reads its options into a :class:`~lrcli.schedules.Schedule` and hands it to
:func:`lrcli.cli.show.show` with the shared options' records.
"""

from __future__ import annotations

from collections.abc import Callable

from lrcli.cli.options import (
    FRAMEWORK_RESUME_OPTIONS,
    LOOP_OPTIONS,
    MOMENTUM_OPTION,
    WARMUP_OPTIONS,
    CountsIn,
    param_options,
    shared_options,
    with_signature,
)
from lrcli.cli.show import UsageProblem, records, show
from lrcli.registry.description import Description
from lrcli.schedules import Schedule, in_steps, with_warmup

CODE_OPTIONS = ("emit", "verify")
"""The shared options that write a schedule as its framework's code: not for a family that has none."""


def help_text(description: Description) -> str:
    """A command's help: the summary, the examples (kept as written), then the details."""
    examples = "\n".join(f"  {example}" for example in description.examples)
    parts = [description.summary, f"\b\nExamples:\n{examples}"]
    parts += filter(None, (param.type.described(param) for param in description.params))
    if description.details:
        parts.append(description.details)
    return "\n\n".join(parts)


def make_command(description: Description, extra=None) -> Callable[..., None]:
    """The command of ``description``: its own options (one or more per parameter), then
    ``--show-momentum`` and the warmup options where they apply, then the options its family's
    command line adds (``extra``: see :class:`~lrcli.registry.description.Commands`), then the
    shared options."""
    own = [param for param in description.params if param.command]
    optional = extra is not None and extra.optional
    added = ([MOMENTUM_OPTION] if description.cycles_momentum else []) + (WARMUP_OPTIONS if description.warmup else [])
    added += extra.options if extra is not None else []
    assert description.family is not None  # every description is in a family
    resume = description.family.resume
    shared = [
        parameter
        for parameter in shared_options(description.default_rows_text)
        if description.family.code is not None or parameter.name not in CODE_OPTIONS
    ] + (LOOP_OPTIONS if description.family.loop else FRAMEWORK_RESUME_OPTIONS if resume else [])
    parameters = [typer_option for param in own for typer_option in param_options(param, optional=optional)]
    parameters += added + shared

    def command(**options) -> None:
        show_options = {parameter.name: options.pop(parameter.name) for parameter in shared}
        if resume and show_options["resume_at"] is not None:  # the framework's own path
            show_options["resume_by"] = resume
        momentum = options.pop("show_momentum", False)
        # lrcli's --warmup (GreedyLR has a parameter of that name, and no --warmup of lrcli's)
        warmup, start_factor = (
            (options.pop("warmup"), options.pop("warmup_start_factor")) if description.warmup else (0, None)
        )
        steps, epochs, per_epoch = show_options["steps"], show_options["epochs"], show_options["steps_per_epoch"]
        rows = steps if steps is not None else None if epochs is None else epochs * (per_epoch or 1)
        params = {param.name: param.read(options, rows, description.command) for param in own}
        if extra is not None:
            params = extra.arguments(params, options, show_options)
        # A parameter the command has no option for, named like a shared option, is that option
        # (OneCycleLR's epochs and steps_per_epoch: torch's own pair).
        for param in description.params:
            if not param.command and show_options.get(param.name) is not None:
                params[param.name] = show_options[param.name]
        schedule = Schedule(description, params)
        if warmup:
            if momentum:
                raise UsageProblem("--show-momentum shows a scheduler's own momentum; it cannot follow --warmup")
            if show_options["counts_in"] is CountsIn.epochs and show_options["steps_per_epoch"]:
                in_steps(warmup, show_options["steps_per_epoch"], "warmup")  # refused under its own name
            schedule = with_warmup(schedule, warmup, start_factor)
        elif start_factor is not None:
            raise UsageProblem("--warmup-start-factor is where --warmup starts; give --warmup too")
        show(schedule, *records(show_options, momentum))

    return with_signature(command, parameters)
