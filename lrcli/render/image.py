"""The images: PNG, SVG and PDF of the plot, drawn by matplotlib (the ``plot`` extra), which is
imported only here.

An image shows what the terminal plot shows (:class:`~lrcli.render.plot.Drawing`), each series
reduced to its extremes per pixel column, so a run of 10⁹ rows is drawn from a few thousand
points. The same command gives the same bytes: no dates, the SVG's ids from a fixed salt, and
lrcli named as the creator, whatever the rc settings around it.
"""

from __future__ import annotations

import io
import math

from lrcli.render import ViewError, check_columns
from lrcli.render.plot import Drawing, sketch, ticks, title_lines
from lrcli.replay import Replay

COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
"""A colour for each series in turn (matplotlib's ``tab10``); past ten, the dashes differ too."""
DASHES = ("-", "--", ":", "-.")
FONT_SIZE = 10.0
METADATA: dict[str, dict[str, str | None]] = {
    "png": {"Software": "lrcli"},
    "svg": {"Creator": "lrcli", "Date": None},
    "pdf": {"Creator": "lrcli", "Producer": "lrcli", "CreationDate": None, "ModDate": None},
}
"""What each format records of its making: nothing that changes from one run to the next."""


def image(
    replay: Replay, image_format: str, inches: tuple[float, float], dpi: int, log_y: bool, x_unit: str | None
) -> bytes:
    """The plot of ``replay`` as a ``png``, ``svg`` or ``pdf`` file of ``inches`` (width, height)
    at ``dpi``; an error naming the extra to install when matplotlib is missing."""
    check_columns(image_format, len(replay.value_columns))
    try:
        import matplotlib
        from matplotlib.figure import Figure
        from matplotlib.ticker import NullLocator
    except ImportError:
        raise ViewError(
            f"--format {image_format} draws with matplotlib, which is not installed: pip install 'lrcli[plot]'"
        ) from None
    drawing = sketch(replay, max(int(inches[0] * dpi), 10), log_y, x_unit)
    with matplotlib.rc_context({"svg.hashsalt": "lrcli", "svg.fonttype": "path", "font.size": FONT_SIZE}):
        figure = Figure(figsize=inches, dpi=dpi, layout="constrained")
        panels = figure.subplots(
            len(drawing.panels),
            1,
            sharex=True,
            squeeze=False,
            height_ratios=[2, 1][: len(drawing.panels)],
        )[:, 0]
        for axes, panel in zip(panels, drawing.panels):
            for index, line in enumerate(panel.lines):
                axes.plot(
                    line.xs,
                    line.ys,
                    color=COLORS[index % len(COLORS)],
                    linestyle=DASHES[index // len(COLORS) % len(DASHES)],
                    linewidth=1.5,
                    label=line.label,
                )
            for event in drawing.events:
                axes.axvline(event, color="0.6", linewidth=0.8, linestyle="--", zorder=0)
            if panel.log:
                axes.set_yscale("log")
            bottom, top = axes.get_ylim()  # the lines' range and matplotlib's margin, where 0 under a low lr is
            axes.set_yticks(*ticks(bottom, top, _tick_count(inches[1], len(drawing.panels)), panel.log))
            axes.set_ylim(bottom, top)
            axes.yaxis.set_minor_locator(NullLocator())
            axes.set_ylabel(panel.name)
            axes.grid(True, color="0.9", linewidth=0.6)
            axes.set_axisbelow(True)
            if len(panel.lines) > 1:
                axes.legend(fontsize=FONT_SIZE * 0.8, ncols=max(1, math.ceil(len(panel.lines) / 8)))
        axes = panels[-1]
        low, high = drawing.x_range
        axes.set_xticks(*ticks(low, high, max(2, min(10, int(inches[0] * 1.5))), False))
        axes.xaxis.set_minor_locator(NullLocator())
        if high > low:
            axes.set_xlim(low, high)
        axes.set_xlabel(drawing.x_name)
        figure.suptitle("\n".join(_title(drawing, inches[0])), fontsize=FONT_SIZE * 1.1)
        if drawing.notes:
            figure.supxlabel("; ".join(drawing.notes), fontsize=FONT_SIZE * 0.8, color="0.4")
        buffer = io.BytesIO()
        metadata = {**METADATA[image_format], "Title": replay.title}
        figure.savefig(buffer, format=image_format, dpi=dpi, metadata=metadata)
    return buffer.getvalue()


def _tick_count(height: float, panels: int) -> int:
    """About one lr tick per half inch of a panel, from 3 to 8."""
    return max(3, min(8, int(height / panels * 2)))


def _title(drawing: Drawing, width: float) -> list[str]:
    """The title on at most two lines of a ``width``-inch figure (a character is about 0.6 of the
    font size wide): the whole call, or the call without its defaults when that does not fit."""
    characters = max(int(width * 72 / (FONT_SIZE * 1.1 * 0.6)), 20)
    lines = title_lines(drawing.title, characters)
    if lines[-1].endswith("…"):
        lines = title_lines(drawing.brief_title, characters)
    return [line.strip() for line in lines]
