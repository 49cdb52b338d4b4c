"""Renderers: each reads the chunks of a :class:`~lrcli.replay.Replay` once and turns them into
one output format.

:data:`RENDERERS` is the table of formats; a :class:`View` (the format and how it is drawn,
checked as a whole) renders a replay with it. ``text`` (CSV, TSV, JSON) needs only orjson;
``table`` imports Rich, ``plot`` plotext, ``npz`` NumPy and the images (``png``, ``svg``,
``pdf``) matplotlib, each when its format is asked for, so a command pays for those only when it
shows a table, a plot, an image or writes an archive. ``html`` is a page lrcli writes itself.
"""

from __future__ import annotations

import math
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


def _image(replay: Replay, view: View) -> Content:
    from lrcli.render.image import image

    return [image(replay, view.format, view.inches, view.dpi, view.log_y, view.plot_x)]


def _html(replay: Replay, view: View) -> Content:
    from lrcli.render.html import html_chart

    return [html_chart(replay, view.log_y, view.plot_x).encode()]


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
    "png": _image,
    "svg": _image,
    "pdf": _image,
    "html": _html,
}
"""Each format, and its renderer: the text as a stream of byte chunks (npz: a function writing
the archive, with its temporary files beside the output)."""

EXTENSION_FORMATS = {
    ".csv": ("csv",),
    ".tsv": ("tsv",),
    ".json": ("json",),
    ".npz": ("npz",),
    ".md": ("markdown",),
    ".html": ("html",),
    ".png": ("png",),
    ".svg": ("svg",),
    ".pdf": ("pdf",),
    ".txt": ("table", "plot", "csv", "tsv", "json", "markdown"),
}
"""The formats a file's extension allows, the one it implies first."""

IMAGES = ("png", "svg", "pdf")
"""The formats matplotlib draws."""
DRAWN = ("plot", *IMAGES, "html")
"""The formats that draw the lr against the rows (and take ``--log-y`` and ``--plot-x``)."""
BINARY = ("png", "pdf")
"""Formats not written to a terminal."""
DEFAULT_INCHES = (8.0, 4.5)
DEFAULT_DPI = 150
"""An image's size when ``--size`` is not given (1200 × 675 pixels in a PNG), and its resolution."""


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


def image_size_of(text: str | None, dpi: int) -> tuple[float, float]:
    """``--size WxH`` of an image, in inches (``8x4.5``, ``8x4.5in``) or pixels (``1200x675px``),
    as inches; the default when not given. Each side from 2 inches to 10,000 pixels at ``dpi``.

    >>> image_size_of("8x4.5", 100), image_size_of("1200x600px", 150), image_size_of(None, 100)
    ((8.0, 4.5), (8.0, 4.0), (8.0, 4.5))
    >>> image_size_of("500x400px", 300)
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: size must be at least 2 inches and at most 10,000 pixels a side (at --dpi 300), got '500x400px'

    """
    if text is None:
        return DEFAULT_INCHES
    lowered = text.lower()
    unit = "px" if lowered.endswith("px") else "in"
    width, _, height = lowered.removesuffix(unit).partition("x")
    try:
        sides = float(width), float(height)
    except ValueError:
        sides = (math.nan, math.nan)
    if not all(math.isfinite(side) for side in sides) or not width.isascii() or not height.isascii():
        raise ScheduleError(
            "size", f"must be width x height in inches (8x4.5) or pixels (1200x675px), got {text[:40]!r}"
        )
    inches = (sides[0] / dpi, sides[1] / dpi) if unit == "px" else sides
    if not all(side >= 2 and side * dpi <= 10_000 for side in inches):
        raise ScheduleError(
            "size", f"must be at least 2 inches and at most 10,000 pixels a side (at --dpi {dpi}), got {text[:40]!r}"
        )
    return inches


@dataclass(frozen=True)
class View:
    """How the rows are shown: the format, the file (None: standard output) and the options of
    one format (the table's ``all_rows``; the plot's ``size``; ``log_y`` and ``plot_x`` of every
    drawing; an image's ``inches`` and ``dpi``; JSON's ``summary``). :meth:`of` reads and checks
    them as given on the command line."""

    format: str = "table"
    path: str | None = None
    all_rows: bool = False
    log_y: bool = False
    size: tuple[int, int] | None = None
    plot_x: str = "epoch"
    summary: bool = False
    inches: tuple[float, float] = DEFAULT_INCHES
    dpi: int = DEFAULT_DPI

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
        dpi: int | None = None,
    ) -> View:
        """The view the options ask for, or an error for options that do not go together.

        >>> View.of(None, "lr.csv").format
        'csv'
        >>> View.of("csv", None, log_y=True)
        Traceback (most recent call last):
        ...
        lrcli.render.ViewError: --log-y applies to --format plot, png, svg, pdf, html
        >>> View.of(None, "lr.png", size="600x400px", dpi=100).inches
        (6.0, 4.0)
        """
        output_format = chosen_format(output_format, path)
        if all_rows and output_format != "table":
            raise ViewError("--all-rows applies to --format table")
        if log_y and output_format not in DRAWN:
            raise ViewError(f"--log-y applies to --format {', '.join(DRAWN)}")
        if size is not None and output_format not in ("plot", *IMAGES):
            raise ViewError(f"--size applies to --format {', '.join(('plot', *IMAGES))}")
        if dpi is not None and output_format not in IMAGES:
            raise ViewError(f"--dpi applies to --format {', '.join(IMAGES)}")
        if dpi is not None and not 10 <= dpi <= 1000:
            raise ScheduleError("dpi", f"must be from 10 to 1000, got {dpi}")
        if output_format in BINARY and path is None and sys.stdout is not None and sys.stdout.isatty():
            raise ViewError(f"--format {output_format} is binary: give -o PATH.{output_format}, or redirect stdout")
        if summary and output_format != "json":
            raise ViewError("--summary applies to --format json (-f summary shows it alone)")
        dpi = DEFAULT_DPI if dpi is None else dpi
        if output_format in IMAGES:
            return cls(output_format, path, log_y=log_y, plot_x=plot_x, inches=image_size_of(size, dpi), dpi=dpi)
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
        """The rows of ``replay`` in this view."""
        return RENDERERS[self.format](replay, self)


MOST_COLUMNS = {
    **{drawn: (32, "draws at most 32 series") for drawn in DRAWN},
    "table": (100, "lays out at most 100 value columns"),
}
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
