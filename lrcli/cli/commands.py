"""Schedule commands, generated from the scheduler descriptions in :mod:`lrcli.registry`.

A command reads its options into a :class:`~lrcli.schedule.Schedule` and hands it to
:func:`lrcli.cli.show.show` with the shared options' records.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

from lrcli.cli.options import MOMENTUM_OPTION, WARMUP_OPTIONS, CountsIn, param_options, shared_options, with_signature
from lrcli.cli.show import UsageProblem, records, show
from lrcli.cli.transformers import TRAINER_NAMES, TRAINER_OPTIONS, ignored_training_steps, trainer_arguments
from lrcli.registry import Description
from lrcli.schedule import Schedule, in_steps, with_warmup


def help_text(description: Description) -> str:
    """A command's help: the summary, the examples (kept as written), then the details."""
    examples = "\n".join(f"  {example}" for example in description.examples)
    parts = [description.summary, f"\b\nExamples:\n{examples}"]
    parts += filter(None, (param.type.described(param) for param in description.params))
    if description.details:
        parts.append(description.details)
    return "\n\n".join(parts)


def make_command(description: Description) -> Callable[..., None]:
    """The command of ``description``: its own options (one or more per parameter), then
    ``--show-momentum`` and the warmup options where they apply, then the shared options."""
    own = [param for param in description.params if param.command]
    trainer = description.family == "transformers" and description.unit == "step"
    extra = ([MOMENTUM_OPTION] if description.cycles_momentum else []) + (WARMUP_OPTIONS if description.warmup else [])
    extra += TRAINER_OPTIONS if trainer else []
    ignores_total = description.family == "transformers" and "num_training_steps" not in description.names
    extra += [ignored_training_steps(rows=trainer)] if ignores_total else []
    shared = shared_options(description.default_rows_text)
    parameters = [typer_option for param in own for typer_option in param_options(param, optional=trainer)]
    parameters += extra + shared

    def command(**options) -> None:
        show_options = {parameter.name: options.pop(parameter.name) for parameter in shared}
        momentum = options.pop("show_momentum", False)
        # lrcli's --warmup (GreedyLR has a parameter of that name, and no --warmup of lrcli's)
        warmup, start_factor = (options.pop("warmup"), options.pop("warmup_start_factor")) if description.warmup \
            else (0, None)
        steps, epochs, per_epoch = show_options["steps"], show_options["epochs"], show_options["steps_per_epoch"]
        rows = steps if steps is not None else None if epochs is None else epochs * (per_epoch or 1)
        params = {param.name: param.read(options, rows, description.command) for param in own}
        total = options.pop("num_training_steps") if ignores_total else None
        if total is not None and not trainer:
            warnings.warn(f"get_scheduler ignores num_training_steps for {description.type!r}; the rows are "
                          "evaluations", stacklevel=1)
        if trainer:
            given = {name: options.pop(name) for name in TRAINER_NAMES}
            if total is not None:
                params["num_training_steps"] = total
            params = trainer_arguments(description, params, given, show_options)
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
        show(schedule, *records(show_options, momentum))

    return with_signature(command, parameters)
