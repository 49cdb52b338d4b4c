"""Renderers: each reads the chunks of a :class:`~lrcli.replay.Replay` once and turns them into
one output format.

:data:`RENDERERS` is the table of formats; a :class:`View` (the format and how it is drawn,
checked as a whole) renders a replay with it. ``text`` (CSV, TSV, JSON) needs only orjson;
``table`` imports Rich, ``plot`` plotext and ``npz`` NumPy, each when its format is asked for, so
a command pays for those only when it shows a table, a plot or writes an archive.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lrcli.engine.core import ScheduleError

if TYPE_CHECKING:
    from lrcli.output import Content
    from lrcli.replay import Replay


class ViewError(ValueError):
    """A view that cannot be drawn from this table (a plot of no rows, a log axis through 0), or
    view options that do not go together."""


def _table(replay: Replay, view: View) -> Content:
    from lrcli.render.table import plain_rows, rich_table

    if view.all_rows:
        return plain_rows(replay)
    return [rich_table(replay, min(shutil.get_terminal_size((80, 24)).columns, 1000), view.color).encode()]


def _plot(replay: Replay, view: View) -> Content:
    from lrcli.render.plot import plot

    size = view.size
    if size is None:
        terminal = shutil.get_terminal_size((80, 24))
        size = (terminal.columns, max(terminal.lines - 2, 10))
    return [plot(replay, *size, view.log_y, view.color, view.plot_x).encode()]


def _delimited(separator: str) -> Callable[[Replay, View], Content]:
    def render(replay: Replay, view: View) -> Content:
        from lrcli.render.text import delimited

        return delimited(replay, separator)

    return render


def _json(replay: Replay, view: View) -> Content:
    from lrcli.render.text import json_document

    return json_document(replay, view.summary)


def _npz(replay: Replay, view: View) -> Content:
    from lrcli.render.npz import npz_writer

    assert view.path is not None  # npz is written only to a file (View.of refuses stdout)
    return npz_writer(replay, os.path.dirname(os.path.abspath(view.path)))


def _markdown(replay: Replay, view: View) -> Content:
    from lrcli.render.table import markdown_table

    return [markdown_table(replay).encode()]


def _summary(replay: Replay, view: View) -> Content:
    from lrcli.render.summary import summary_text

    return [summary_text(replay).encode()]


RENDERERS: dict[str, Callable[[Replay, View], Content]] = {
    "table": _table,
    "plot": _plot,
    "csv": _delimited(","),
    "tsv": _delimited("\t"),
    "json": _json,
    "npz": _npz,
    "markdown": _markdown,
    "summary": _summary,
}
"""Each format, and its renderer: the text as a stream of byte chunks (npz: a function writing
the archive, with its temporary files beside the output)."""

EXTENSION_FORMATS = {
    ".csv": ("csv",),
    ".tsv": ("tsv",),
    ".json": ("json",),
    ".npz": ("npz",),
    ".md": ("markdown",),
    ".html": ("plot", "table"),
    ".txt": ("table", "plot", "csv", "tsv", "json", "markdown"),
}
"""The formats a file's extension allows, the one it implies first."""

PAGES = (".html",)
"""Extensions whose file is a page around the text view."""


def chosen_format(output_format: str | None, path: str | None) -> str:
    """``--format``, or the format ``-o``'s extension implies; a conflict is an error.

    >>> chosen_format(None, "lr.csv"), chosen_format("plot", "plot.txt"), chosen_format(None, None)
    ('csv', 'plot', 'table')
    """
    if path is None:
        return output_format or "table"
    extension = os.path.splitext(path)[1].lower()
    allowed = EXTENSION_FORMATS.get(extension)
    if output_format is None:
        if allowed is None:
            known = ", ".join(EXTENSION_FORMATS)
            raise ViewError(f"cannot tell a format from {path!r}: give --format, or name the file {known}")
        return allowed[0]
    if allowed is not None and output_format not in allowed:
        raise ViewError(f"--format {output_format} does not fit {path!r}, a {allowed[0]} file")
    return output_format


def plot_size_of(text: str | None) -> tuple[int, int] | None:
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


@dataclass(frozen=True)
class View:
    """How the rows are shown: the format, the file (None: standard output) and the options of
    one format (the table's ``all_rows``; the plot's ``log_y``, ``size`` and ``plot_x``; JSON's
    ``summary``). :meth:`of` reads and checks them as given on the command line."""

    format: str = "table"
    path: str | None = None
    all_rows: bool = False
    log_y: bool = False
    size: tuple[int, int] | None = None
    plot_x: str = "epoch"
    summary: bool = False

    @classmethod
    def of(
        cls,
        output_format: str | None,
        path: str | None,
        all_rows: bool = False,
        log_y: bool = False,
        size: str | None = None,
        plot_x: str = "epoch",
        summary: bool = False,
    ) -> View:
        """The view the options ask for, or an error for options that do not go together.

        >>> View.of(None, "lr.csv").format
        'csv'
        >>> View.of("csv", None, log_y=True)
        Traceback (most recent call last):
        ...
        lrcli.render.ViewError: --log-y applies to --format plot
        """
        output_format = chosen_format(output_format, path)
        if all_rows and output_format != "table":
            raise ViewError("--all-rows applies to --format table")
        if log_y and output_format != "plot":
            raise ViewError("--log-y applies to --format plot")
        if size is not None and output_format != "plot":
            raise ViewError("--size applies to --format plot")
        if summary and output_format != "json":
            raise ViewError("--summary applies to --format json (-f summary shows it alone)")
        plot_size = plot_size_of(size)
        if output_format == "npz" and path is None:
            raise ViewError("--format npz writes a file: give -o PATH.npz")
        return cls(output_format, path, all_rows, log_y, plot_size, plot_x, summary)

    @property
    def color(self) -> bool:
        """ANSI styles only for a terminal on stdout, and never with NO_COLOR or TERM=dumb."""
        return (
            self.path is None
            and sys.stdout is not None
            and sys.stdout.isatty()
            and not os.environ.get("NO_COLOR")
            and os.environ.get("TERM") != "dumb"
        )

    def render(self, replay: Replay) -> Content:
        """The rows of ``replay`` in this view (a page around it, for an ``.html`` file)."""
        content = RENDERERS[self.format](replay, self)
        if self.path is not None and self.path.lower().endswith(PAGES):
            from lrcli.render.html import html_page

            assert not callable(content)  # only the table and the plot make pages
            content = [html_page(b"".join(content).decode(), replay.title).encode()]
        return content


MOST_COLUMNS = {"plot": (32, "draws at most 32 series"), "table": (100, "lays out at most 100 value columns")}
"""The most value columns a view takes: a plot's series must be told apart, and Rich takes
seconds over a table of thousands of columns, which no one could read anyway."""


def check_columns(view: str, count: int) -> None:
    """Refuse ``count`` value columns in ``view`` (``plot``, ``table``) when there are too many.

    >>> check_columns("table", 20_000)
    Traceback (most recent call last):
    ...
    lrcli.render.ViewError: a table lays out at most 100 value columns; this one has 20,000 (use -f csv, or fewer --lr)
    """
    most, what = MOST_COLUMNS.get(view, (None, ""))
    if most is not None and count > most:
        raise ViewError(f"a {view} {what}; this one has {count:,} (use -f csv, or fewer --lr)")
