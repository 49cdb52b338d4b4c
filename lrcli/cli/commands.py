"""Schedule commands, generated from the scheduler descriptions in :mod:`lrcli.registry`.

A command reads its options into a :class:`~lrcli.schedule.Schedule`, replays it
(:mod:`lrcli.replay`), renders it (:mod:`lrcli.render`) and writes it (:mod:`lrcli.output`).
"""

from __future__ import annotations

import inspect
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Optional

from lrcli.cli.options import MOMENTUM_OPTION, WARMUP_OPTIONS, Format, param_options, read_param, shared_options
from lrcli.registry import Description
from lrcli.replay import LRTable, replay
from lrcli.schedule import Schedule, with_warmup


class UsageProblem(Exception):
    """A combination of options that cannot work; reported as one ``Error:`` line, exit 2."""


class WriteFailed(Exception):
    """The output could not be written; reported as one ``Error:`` line, exit 1."""


EXTENSION_FORMATS = {
    ".csv": (Format.csv,),
    ".tsv": (Format.tsv,),
    ".json": (Format.json,),
    ".txt": (Format.table, Format.plot, Format.csv, Format.tsv, Format.json),
}
"""The formats a file's extension allows, the one it implies first."""


def help_text(description: Description) -> str:
    """A command's help: the summary, the examples (kept as written), then the details."""
    examples = "\n".join(f"  {example}" for example in description.examples)
    parts = [description.summary, f"\b\nExamples:\n{examples}"]
    parts += [f"SPEC: {param.help}" for param in description.params if param.type == "schedulers"]
    if description.details:
        parts.append(description.details)
    return "\n\n".join(parts)


def make_command(description: Description) -> Callable[..., None]:
    """The command of ``description``: its own options (one or more per parameter), then
    ``--show-momentum`` and the warmup options where they apply, then the shared options."""
    own = [param for param in description.params if param.command]
    extra = ([MOMENTUM_OPTION] if description.cycles_momentum else []) + (WARMUP_OPTIONS if description.warmup else [])
    shared = shared_options(description.default_rows_text)
    parameters = [typer_option for param in own for typer_option in param_options(param)] + extra + shared

    def command(**options) -> None:
        show_options = {parameter.name: options.pop(parameter.name) for parameter in shared}
        momentum = options.pop("show_momentum", False)
        warmup, start_factor = options.pop("warmup", 0), options.pop("warmup_start_factor", None)
        schedule = Schedule(description, {param.name: read_param(param, options) for param in own})
        if warmup:
            if momentum:
                raise UsageProblem("--show-momentum shows a scheduler's own momentum; it cannot follow --warmup")
            schedule = with_warmup(schedule, warmup, start_factor)
        show(schedule, momentum=momentum, **show_options)

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
        and sys.stdout.isatty()
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM") != "dumb"
    )


def render(table: LRTable, output_format: Format, color: bool, all_rows: bool, log_y: bool) -> Iterable[bytes]:
    """The chosen format's text, as byte chunks."""
    if output_format is Format.table:
        from lrcli.render.table import plain_rows, rich_table

        if all_rows:
            return [plain_rows(table).encode()]
        return [rich_table(table, shutil.get_terminal_size((80, 24)).columns, color).encode()]
    if output_format is Format.plot:
        from lrcli.render.plot import plot

        size = shutil.get_terminal_size((80, 24))
        return [plot(table, size.columns, max(size.lines - 2, 10), log_y, color).encode()]
    from lrcli.render.text import delimited, json_document

    if output_format is Format.json:
        return json_document(table)
    return delimited(table, "," if output_format is Format.csv else "\t")


def show(
    schedule: Schedule,
    momentum: bool,
    lr: Optional[list[float]],
    epochs: Optional[int],
    output_format: Optional[Format],
    output: Optional[Path],
    all_rows: bool,
    log_y: bool,
) -> None:
    """Replay ``schedule`` and write it in the format asked for."""
    path = None if output is None or str(output) == "-" else str(output)
    output_format = chosen_format(output_format, path)
    if all_rows and output_format is not Format.table:
        raise UsageProblem("--all-rows applies to --format table")
    if log_y and output_format is not Format.plot:
        raise UsageProblem("--log-y applies to --format plot")
    table = replay(schedule, lr, epochs, momentum)
    chunks = render(table, output_format, _use_color(path), all_rows, log_y)
    from lrcli.output import emit

    try:
        emit(chunks, path)
    except OSError as error:
        raise WriteFailed(f"cannot write {path!r}: {error.strerror or error}") from None
