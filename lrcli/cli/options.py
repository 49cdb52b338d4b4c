"""Typer options: those every schedule command shares (declared once, as sqlite-utils declares its
``output_options``), and those generated from a scheduler's parameter descriptions.

An option is an :class:`inspect.Parameter` whose annotation carries its ``typer.Option``; a
command's signature is a list of them (see :func:`lrcli.cli.commands.make_command`).
"""

from __future__ import annotations

import inspect
import math
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from lrcli.engine.core import ScheduleError
from lrcli.registry import Param
from lrcli.replay import DEFAULT_EPOCHS


class Format(str, Enum):
    table = "table"
    plot = "plot"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    npz = "npz"
    markdown = "markdown"
    summary = "summary"


class CountsIn(str, Enum):
    steps = "steps"
    epochs = "epochs"


class Emit(str, Enum):
    torch = "torch"


class PlotX(str, Enum):
    epoch = "epoch"
    step = "step"


def flag(name: str) -> str:
    """A parameter's option name: the framework's name in kebab-case.

    >>> flag("T_max"), flag("step_size")
    ('--t-max', '--step-size')
    """
    return "--" + name.replace("_", "-").lower()


def option(name: str, annotation, default=inspect.Parameter.empty) -> inspect.Parameter:
    """A keyword parameter of a command; ``annotation`` is ``Annotated[type, typer.Option(…)]``."""
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def with_default(help: str, default: str) -> str:
    """Help text that ends by showing the default (Typer's own rendering of defaults varies by
    version; this one is the same everywhere)."""
    return f"{help}  [default: {default}]"


def count(text: str) -> int | float:
    """A count of steps or epochs as typed: a whole number (an int), or a decimal one (torch's
    arithmetic takes most counts as any number; epochs, with ``--counts-in epochs``, may be
    fractions of one).

    >>> count("30"), count("2.5")
    (30, 2.5)
    """
    try:
        return int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            raise typer.BadParameter(f"{text[:40]!r} is not a number") from None
        if not math.isfinite(value):
            raise typer.BadParameter(f"{text[:40]!r} is not a finite number") from None
        return value


def shared_options(default_rows: str | None) -> list[inspect.Parameter]:
    """The options of every schedule command; ``default_rows`` says what ``--epochs`` defaults to
    when it is not the usual 10."""
    return [
        option("lr", Annotated[Optional[list[float]], typer.Option(
            "--lr", metavar="LR", show_default=False,
            help=with_default("Initial lr of a param group; repeat it for several groups.", "0.1"))], None),
        option("epochs", Annotated[Optional[int], typer.Option(
            "--epochs", metavar="N", show_default=False,
            help=with_default("Epochs to show: rows 0..N-1, or N x M steps with --steps-per-epoch M.",
                              default_rows or str(DEFAULT_EPOCHS)))], None),
        option("steps_per_epoch", Annotated[Optional[int], typer.Option(
            "--steps-per-epoch", metavar="M",
            help="Step the scheduler once per optimizer step, M steps an epoch (scheduler.step() in the "
                 "batch loop): rows are steps.")], None),
        option("steps", Annotated[Optional[int], typer.Option(
            "--steps", metavar="N", help="Show N steps (rows 0..N-1) instead of --epochs.")], None),
        option("counts_in", Annotated[CountsIn, typer.Option(
            "--counts-in", show_default=False,
            help=with_default("With --steps-per-epoch: whether parameters that count scheduler steps "
                              "(step_size, milestones, total_iters, T_max, --warmup, ...) are given in "
                              "steps, as torch takes them, or in epochs.", "steps"))], CountsIn.steps),
        option("start", Annotated[Optional[int], typer.Option(
            "--start", metavar="K", help="Rows from K on (negative: from the end), as a slice [K:].")], None),
        option("stop", Annotated[Optional[int], typer.Option(
            "--stop", metavar="K", help="Rows before K (negative: from the end), as a slice [:K].")], None),
        option("every", Annotated[Optional[int], typer.Option(
            "--every", metavar="K", help="Every K-th row (and the last).")], None),
        option("changes", Annotated[bool, typer.Option(
            "--changes", help="Only rows where an lr changes (and the first and last).")], False),
        option("at", Annotated[Optional[str], typer.Option(
            "--at", metavar="K[,K...]", help="Only these rows (negative: from the end).")], None),
        option("output_format", Annotated[Optional[Format], typer.Option(
            "--format", "-f", show_default=False,
            help=with_default("Output format.", "table, or what -o's extension names"))], None),
        option("output", Annotated[Optional[Path], typer.Option(
            "--output", "-o", metavar="PATH", dir_okay=False,
            help="Write to this file (replaced atomically) instead of stdout; - is stdout. Its extension "
                 "(.csv, .tsv, .json, .npz, .md, .html, .txt) sets the format when --format is not given.")], None),
        option("all_rows", Annotated[bool, typer.Option("--all-rows", help="Table: list every row as plain text.")], False),
        option("log_y", Annotated[bool, typer.Option("--log-y", help="Plot: logarithmic lr axis.")], False),
        option("emit", Annotated[Optional[Emit], typer.Option(
            "--emit", help="Print a runnable PyTorch script that builds this scheduler and prints these rows "
                           "(the whole run from row 0), instead of the rows.")], None),
        option("verify", Annotated[bool, typer.Option(
            "--verify", help="Step real torch (when installed) through the same schedule and compare every "
                             "value; exit 1 if any differs.")], False),
        option("summary", Annotated[bool, typer.Option(
            "--summary", help="JSON: add a summary of each column (first, last, min, max, mean, sum, changes, "
                              "largest drops).")], False),
        option("size", Annotated[Optional[str], typer.Option(
            "--size", metavar="WxH", help="Plot: this many columns and lines, instead of the terminal's.")], None),
        option("plot_x", Annotated[PlotX, typer.Option(
            "--plot-x", show_default=False,
            help=with_default("Plot: the x axis in epochs (fractional when stepping per iteration) or steps.",
                              "epoch"))], PlotX.epoch),
    ]


WARMUP_OPTIONS = [
    option("warmup", Annotated[object, typer.Option(
        "--warmup", metavar="N", show_default=False, parser=count,
        help=with_default("Warm up for N epochs first: SequentialLR([LinearLR(start_factor=W, end_factor=1.0, "
                          "total_iters=N), this], milestones=[N]), W being --warmup-start-factor.", "0"))], 0),
    option("warmup_start_factor", Annotated[float, typer.Option(
        "--warmup-start-factor", metavar="W", show_default=False,
        help=with_default("LinearLR's start_factor for --warmup.", "1/3"))], 1.0 / 3),
]

MOMENTUM_OPTION = option("show_momentum", Annotated[bool, typer.Option(
    "--show-momentum", help="Also show the momentum (or Adam's beta1) the scheduler sets: columns, or a second plot.")],
    False)

_METAVARS = {"int": "N", "number": "N", "float": "X", "text": "TEXT", "ints": "N[,N...]", "floats": "X[,X...]", "expression": "EXPR"}


def _choices(param: Param) -> type[Enum]:
    return Enum(param.name, {choice: choice for choice in param.choices}, type=str)


def param_options(param: Param, optional: bool = False) -> list[inspect.Parameter]:
    """The command-line options of one scheduler parameter; with ``optional``, an option not
    given reads as None (its default, shown in help, is filled in later)."""
    if param.type == "schedulers":
        # Described in the command's help ("SPEC: …"): Typer would show the argument as a list type.
        return [option(param.name, Annotated[list[str], typer.Argument(metavar="SPEC", hidden=True, show_default=False)])]
    if param.type == "metrics":
        return [
            option(param.name, Annotated[Optional[str], typer.Option(flag(param.name), metavar="FILE", help=param.help)],
                   None) if optional else
            option(param.name, Annotated[str, typer.Option(flag(param.name), metavar="FILE", help=param.help)]),
            option("column", Annotated[Optional[str], typer.Option(
                "--column", metavar="NAME|N",
                help="Read --metrics as CSV with a header and take this column (a name, or a number from 1).")], None),
        ]
    required = param.required and not optional
    default = None if param.required else param.default
    shown = param.shown_default if param.shown_default is not None else (None if default is None else str(default))
    if param.type == "bool":
        shown = (flag(param.name) if default else None) if param.shown_default is None else shown
    settings = {"help": param.help if shown is None else with_default(param.help, shown), "show_default": False}
    if optional and param.required and shown is None:
        settings["help"] += "  [required]"  # checked once the options that may also give it are read
    if param.type == "bool":
        names = f"{flag(param.name)}/--no-{flag(param.name)[2:]}" if default else flag(param.name)
        return [option(param.name, Annotated[bool, typer.Option(names, **settings)], default)]
    if param.type == "choice":
        choices = _choices(param)
        if optional:
            return [option(param.name, Annotated[Optional[choices], typer.Option(flag(param.name), **settings)], None)]
        return [option(param.name, Annotated[choices, typer.Option(flag(param.name), **settings)], choices(default))]
    python = {"int": int, "float": float, "text": str, "ints": str, "floats": str, "expression": str,
              "number": object}[param.type]
    settings["metavar"] = _METAVARS[param.type]
    if param.type == "number" or param.steps and param.type == "int":
        python, settings["parser"] = object, count  # epochs may be fractional (--counts-in epochs)
    if param.per_group:
        python = list[python]
        default = None if required else [default]
    elif (default is None or optional) and not required:
        python = Optional[python]
    annotation = Annotated[python, typer.Option(flag(param.name), **settings)]
    return [option(param.name, annotation) if required else option(param.name, annotation, None if optional else default)]


def whole_numbers(name: str, text: str, fractions: bool = False) -> list[int | float]:
    """A comma-separated list of whole numbers (or, with ``fractions``, of numbers).

    >>> whole_numbers("milestones", "30, 60"), whole_numbers("milestones", "2.5,5", fractions=True), whole_numbers("m", "")
    ([30, 60], [2.5, 5], [])
    """
    try:
        return [count(part) if fractions else int(part) for part in text.split(",")] if text.strip() else []
    except (ValueError, typer.BadParameter):
        kind = "numbers" if fractions else "whole numbers"
        raise ScheduleError(name, f"must be {kind} separated by commas, got {text!r}") from None


def numbers(name: str, text: str) -> list[float]:
    """A comma-separated list of numbers.

    >>> numbers("lr_noise", "0.4, 0.9")
    [0.4, 0.9]
    """
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        values = []
    if not values or not all(map(math.isfinite, values)):
        raise ScheduleError(name, f"must be numbers separated by commas, got {text[:60]!r}")
    return values


def read_param(param: Param, options: dict[str, object], rows: int | None = None, command: str | None = None) -> object:
    """The value of ``param`` as the engine takes it, from the command's parsed options (which it
    consumes): a per-group option given once is one value, else a list. Metrics are read only as
    far as ``rows`` (when known) need; a composition's specs are read as children of ``command``."""
    value = options.pop(param.name)
    if param.type == "metrics":
        from lrcli.metrics import read_metrics

        return read_metrics(value, options.pop("column"), None if rows is None else max(rows - 1, 0))
    if param.type == "schedulers":
        from lrcli.spec import parse_spec

        return [parse_spec(text, parent=command) for text in value]
    if param.type == "ints" and value is not None:
        return whole_numbers(param.name, value, fractions=param.steps)
    if param.type == "floats" and value is not None:
        return numbers(param.name, value)
    if isinstance(value, Enum):
        return value.value
    if param.per_group and isinstance(value, list):
        return value[0] if len(value) == 1 else list(value)
    return value
