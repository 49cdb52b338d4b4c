"""Schedule commands, generated from the scheduler descriptions in :mod:`lrcli.registry`.

A command reads its options into a :class:`~lrcli.schedule.Schedule`, replays it
(:mod:`lrcli.replay`), renders it (:mod:`lrcli.render`) and writes it (:mod:`lrcli.output`).
"""

from __future__ import annotations

import inspect
import os
import shutil
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from lrcli.cli.options import MOMENTUM_OPTION, WARMUP_OPTIONS, CountsIn, Emit, Format, PlotX, param_options, shared_options
from lrcli.cli.transformers import TRAINER_NAMES, TRAINER_OPTIONS, trainer_arguments
from lrcli.engine.core import ScheduleError
from lrcli.registry import Description, whole_numbers
from lrcli.replay import Replay, Selection, compare, replay
from lrcli.schedule import Schedule, with_warmup

if TYPE_CHECKING:
    from lrcli.output import Content


class UsageProblem(Exception):
    """A combination of options that cannot work; reported as one ``Error:`` line, exit 2."""


class WriteFailed(Exception):
    """The output could not be written; reported as one ``Error:`` line, exit 1."""


EXTENSION_FORMATS = {
    ".csv": (Format.csv,),
    ".tsv": (Format.tsv,),
    ".json": (Format.json,),
    ".npz": (Format.npz,),
    ".md": (Format.markdown,),
    ".html": (Format.plot, Format.table),
    ".txt": (Format.table, Format.plot, Format.csv, Format.tsv, Format.json, Format.markdown),
}
"""The formats a file's extension allows, the one it implies first."""


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
    shared = shared_options(description.default_rows_text)
    parameters = [typer_option for param in own for typer_option in param_options(param, optional=trainer)]
    parameters += extra + shared

    def command(**options) -> None:
        show_options = {parameter.name: options.pop(parameter.name) for parameter in shared}
        momentum = options.pop("show_momentum", False)
        warmup, start_factor = options.pop("warmup", 0), options.pop("warmup_start_factor", None)
        steps, epochs, per_epoch = show_options["steps"], show_options["epochs"], show_options["steps_per_epoch"]
        rows = steps if steps is not None else None if epochs is None else epochs * (per_epoch or 1)
        params = {param.name: param.read(options, rows, description.command) for param in own}
        if trainer:
            given = {name: options.pop(name) for name in TRAINER_NAMES}
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
            schedule = with_warmup(schedule, warmup, start_factor)
        show(schedule, momentum=momentum, **show_options)

    return with_signature(command, parameters)


def with_signature(command: Callable[..., None], parameters: list[inspect.Parameter]) -> Callable[..., None]:
    """``command`` as Typer reads it: a function whose signature is ``parameters``, each annotated
    with its ``typer.Option`` or ``typer.Argument``."""
    command.__signature__ = inspect.Signature(parameters)
    command.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters}
    return command


def chosen_format(output_format: Optional[Format], path: Optional[str]) -> Format:
    """``--format``, or the format ``-o``'s extension implies; a conflict is an error.

    >>> chosen_format(None, "lr.csv"), chosen_format(Format.plot, "plot.txt"), chosen_format(None, None)
    (<Format.csv: 'csv'>, <Format.plot: 'plot'>, <Format.table: 'table'>)
    """
    if path is None:
        return output_format or Format.table
    extension = os.path.splitext(path)[1].lower()
    allowed = EXTENSION_FORMATS.get(extension)
    if output_format is None:
        if allowed is None:
            known = ", ".join(EXTENSION_FORMATS)
            raise UsageProblem(f"cannot tell a format from {path!r}: give --format, or name the file {known}")
        return allowed[0]
    if allowed is not None and output_format not in allowed:
        raise UsageProblem(f"--format {output_format.value} does not fit {path!r}, a {allowed[0].value} file")
    return output_format


def _use_color(path: Optional[str]) -> bool:
    """ANSI styles only for a terminal on stdout, and never with NO_COLOR or TERM=dumb."""
    return (
        path is None
        and sys.stdout is not None
        and sys.stdout.isatty()
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM") != "dumb"
    )


def render(replay: Replay, output_format: Format, color: bool, all_rows: bool, log_y: bool, plot_x: PlotX,
           folder: str, size: tuple[int, int] | None = None, summary: bool = False) -> Content:
    """The chosen format's text as a stream of chunks (npz: a function writing the archive, with
    its temporary files in ``folder``)."""
    if output_format is Format.table:
        from lrcli.render.table import plain_rows, rich_table

        if all_rows:
            return plain_rows(replay)
        return [rich_table(replay, min(shutil.get_terminal_size((80, 24)).columns, 1000), color).encode()]
    if output_format is Format.plot:
        from lrcli.render.plot import plot

        if size is None:
            terminal = shutil.get_terminal_size((80, 24))
            size = (terminal.columns, max(terminal.lines - 2, 10))
        return [plot(replay, *size, log_y, color, plot_x.value).encode()]
    if output_format is Format.markdown:
        from lrcli.render.table import markdown_table

        return [markdown_table(replay).encode()]
    if output_format is Format.summary:
        from lrcli.render.summary import summary_text

        return [summary_text(replay).encode()]
    if output_format is Format.npz:
        from lrcli.render.npz import npz_writer

        return npz_writer(replay, folder)
    from lrcli.render.text import delimited, json_document

    if output_format is Format.json:
        return json_document(replay, summary)
    return delimited(replay, "," if output_format is Format.csv else "\t")


def plot_size_of(text: Optional[str]) -> tuple[int, int] | None:
    """``--size WxH`` as (columns, lines).

    >>> plot_size_of("100x30"), plot_size_of(None)
    ((100, 30), None)
    """
    if text is None:
        return None
    width, _, height = text.lower().partition("x")
    if not (width.isascii() and width.isdigit() and height.isascii() and height.isdigit()) or len(width + height) > 8:
        raise ScheduleError("size", f"must be columns x lines, like 100x30, got {text[:40]!r}")
    return int(width), int(height)


def selection_of(start: Optional[int], stop: Optional[int], every: Optional[int], changes: bool, at: Optional[str]) -> Selection:
    """The rows asked for, from the row options.

    >>> selection_of(None, None, None, False, "5,1")
    Selection(start=None, stop=None, every=None, changes=False, at=(5, 1))
    """
    if every is not None and every < 1:
        raise ScheduleError("every", f"must be a whole number >= 1, got {every}")
    if sum([every is not None, changes, at is not None]) > 1:
        raise UsageProblem("--every, --changes and --at each pick rows; give one of them")
    if at is not None and (start is not None or stop is not None):
        raise UsageProblem("--at names its rows; it takes no --start or --stop")
    rows = tuple(whole_numbers("at", at)) if at is not None else None
    return Selection(start, stop, every, changes, rows)


def _verify(result: Replay, schedule: Schedule, metrics, label: str | None = None) -> None:
    """Compare with real torch and say so on stdout; a difference is an error (exit 1)."""
    try:
        import torch
    except ImportError:
        raise UsageProblem("--verify needs torch, and it cannot be imported here (pip install torch)") from None
    from lrcli.torch_code import verify

    compared, difference = verify(result, schedule, metrics)
    groups = f" x {result.groups} groups" if result.groups > 1 else ""
    named = f"{label}: " if label is not None else ""
    if difference is None:
        print(f"{named}verified against torch {torch.__version__}: {compared:,} {result.unit}s{groups}, every value equal")
        return
    raise Differs(f"{named}torch {torch.__version__} differs from lrcli at {difference} ({compared:,} rows compared)")


class Differs(Exception):
    """--verify found a value torch computes differently; reported as one ``Error:`` line, exit 1."""


def show(
    schedule: Schedule | list[tuple[str, Schedule]],
    momentum: bool,
    lr: Optional[list[float]],
    epochs: Optional[int],
    steps_per_epoch: Optional[int],
    steps: Optional[int],
    counts_in: CountsIn,
    start: Optional[int],
    stop: Optional[int],
    every: Optional[int],
    changes: bool,
    at: Optional[str],
    output_format: Optional[Format],
    output: Optional[Path],
    all_rows: bool,
    log_y: bool,
    emit: Optional[Emit],
    verify: bool,
    summary: bool,
    size: Optional[str],
    plot_x: PlotX,
) -> None:
    """Replay ``schedule`` (or labelled schedules, side by side) and write it in the format asked
    for, or as PyTorch code, or checked against torch."""
    path = None if output is None or str(output) == "-" else str(output)
    if steps_per_epoch is not None and steps_per_epoch < 1:
        raise ScheduleError("steps_per_epoch", f"must be a whole number >= 1, got {steps_per_epoch}")
    if steps_per_epoch is None and counts_in is CountsIn.epochs:
        raise UsageProblem("--counts-in epochs needs --steps-per-epoch")
    labelled = schedule if isinstance(schedule, list) else [(None, schedule)]
    if steps_per_epoch is not None:
        labelled = [(label, each.per_step(steps_per_epoch, counts_in is CountsIn.epochs)) for label, each in labelled]
    selection = selection_of(start, stop, every, changes, at)
    if emit is not None or verify:
        if emit is not None and (selection != Selection() or output_format is not None or verify):
            raise UsageProblem("--emit writes the whole run as code: it takes no --format, --verify or row selection")
        scripts = []
        for label, each in labelled:  # one schedule, or each of those compared in turn
            result = replay(each, lr, epochs, steps, steps_per_epoch, momentum, selection)
            metrics = each.params.get("metrics")
            if verify:
                _verify(result, each, metrics, label)
                continue
            from lrcli.torch_code import torch_script

            heading = f"# ---- {label} ----\n" if label is not None else ""
            scripts.append(heading + torch_script(result, each, metrics))
        if scripts:
            from lrcli.output import emit as write

            write(["\n".join(scripts).encode()], path)
        return
    output_format = chosen_format(output_format, path)
    if all_rows and output_format is not Format.table:
        raise UsageProblem("--all-rows applies to --format table")
    if log_y and output_format is not Format.plot:
        raise UsageProblem("--log-y applies to --format plot")
    if size is not None and output_format is not Format.plot:
        raise UsageProblem("--size applies to --format plot")
    if summary and output_format is not Format.json:
        raise UsageProblem("--summary applies to --format json (-f summary shows it alone)")
    plot_size = plot_size_of(size)
    if output_format is Format.npz and path is None:
        raise UsageProblem("--format npz writes a file: give -o PATH.npz")
    if isinstance(schedule, list):
        result = compare([each for _, each in labelled], [label for label, _ in labelled], lr, epochs, steps,
                         steps_per_epoch, selection)
    else:
        result = replay(labelled[0][1], lr, epochs, steps, steps_per_epoch, momentum, selection)
    folder = os.path.dirname(os.path.abspath(path)) if path else "."
    content = render(result, output_format, _use_color(path), all_rows, log_y, plot_x, folder, plot_size, summary)
    if path is not None and path.lower().endswith(".html"):
        from lrcli.render.html import html_page

        content = [html_page(b"".join(content).decode(), result.title).encode()]
    from lrcli.output import emit

    try:
        emit(content, path, progress=lambda: result.done / max(result.limit, 1))
    except OSError as error:
        where = "to standard output" if path is None else repr(path)
        raise WriteFailed(f"cannot write {where}: {error.strerror or error}") from None
    for warning in result.warnings:
        warnings.warn(warning, stacklevel=1)
