"""The plot view: lr against epoch in the terminal, drawn by plotext 5, under a title of at most
two lines (the scheduler as a call, its default parameters left out when the whole call does not
fit), with the momentum in a second panel when it is shown.

An lr holds for a whole epoch, so each series is drawn as stairs. A long schedule is first reduced
to about two points per character column (each column's lowest and highest value, in the order
they occur), since plotext takes seconds on a million points.

What is drawn is gathered once, as a :class:`Drawing`, which the images (:mod:`lrcli.render.image`)
and the HTML chart (:mod:`lrcli.render.html`) draw too, each with its own number of columns.
"""

from __future__ import annotations

import math
import textwrap
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from lrcli.render import ViewError, check_columns
from lrcli.replay import Chunk, Replay

MAX_WIDTH, MAX_HEIGHT = 1000, 300
"""The largest plot drawn (a larger terminal gets this size)."""
MARKERS = ("hd", "dot", "x", "+", "o", "*", "#", "@")
MAX_EVENTS = 24
"""Milestones and restarts marked with a vertical rule, at most; more would hide the lines."""


class Points:
    """The points that draw one series as stairs, gathered while its rows stream past: every row
    while there are few, else each of ``columns`` buckets of rows reduced to its lowest and
    highest value, in the order they occur (so that spikes survive).

    >>> points = Points(range(0, 6), columns=2)
    >>> points.add(range(0, 6), [3.0, 1.0, 2.0, 0.0, 5.0, 4.0])
    >>> points.stairs()
    ([0, 0, 3, 3], [3.0, 1.0, 0.0, 5.0])
    >>> points = Points(range(0, 3), columns=10)
    >>> points.add(range(0, 3), [1.0, 1.0, 0.5])
    >>> points.stairs()
    ([0, 1, 2, 2], [1.0, 1.0, 1.0, 0.5])
    """

    def __init__(self, span: range, columns: int, positive: bool = False) -> None:
        self.span = span
        self.columns = columns
        self.bucket = max(1, -(-len(span) // columns))
        self.rows: list[int] = []
        self.values: list[float] = []
        self.buckets: dict[int, list[float]] = {}  # bucket -> [low, its row, high, its row]
        self.positive = positive  # keep only values above 0 (a log axis), counting the others
        self.left_out = 0

    def add(self, rows: Sequence[int], values: list[float]) -> None:
        if self.positive and min(values) <= 0:
            kept = [index for index, value in enumerate(values) if value > 0]
            self.left_out += len(values) - len(kept)
            rows, values = [rows[index] for index in kept], [values[index] for index in kept]
            if not kept:
                return
        if not self.buckets and len(self.rows) + len(rows) <= 2 * self.columns:
            self.rows += rows
            self.values += values
            return
        if self.rows:  # too many to keep: bucket what was kept, then go on bucketing
            held, self.rows, self.values = (self.rows, self.values), [], []
            self._bucket(*held)
        self._bucket(rows, values)

    def _bucket(self, rows: Sequence[int], values: list[float]) -> None:
        start, width = self.span.start, self.bucket
        for number in range((rows[0] - start) // width, (rows[-1] - start) // width + 1):
            low = bisect_left(rows, start + number * width)
            high = bisect_left(rows, start + (number + 1) * width)
            if low == high:
                continue
            part = values[low:high]
            smallest, largest = min(part), max(part)
            found = [smallest, rows[low + part.index(smallest)], largest, rows[low + part.index(largest)]]
            known = self.buckets.setdefault(number, found)
            if smallest < known[0]:
                known[0:2] = found[0:2]
            if largest > known[2]:
                known[2:4] = found[2:4]

    def stairs(self) -> tuple[list[float], list[float]]:
        """x and y of the points, stairs drawn: a change of value steps at the row it happens."""
        xs: list[float] = []
        ys: list[float] = []
        if not self.buckets:
            previous = None
            for row, value in zip(self.rows, self.values):
                if previous is not None and value != previous:
                    xs.append(row)
                    ys.append(previous)
                xs.append(row)
                ys.append(value)
                previous = value
            return xs, ys
        for number in sorted(self.buckets):
            low, low_row, high, high_row = self.buckets[number]
            x = self.span.start + number * self.bucket
            xs += [x, x]
            ys += [high, low] if high_row <= low_row else [low, high]
        return xs, ys

    def kept(self) -> tuple[list[int], list[float]]:
        """The rows kept and their values, in order: every row, or each bucket's extremes.

        >>> points = Points(range(0, 6), columns=2)
        >>> points.add(range(0, 6), [3.0, 1.0, 2.0, 0.0, 5.0, 4.0])
        >>> points.kept()
        ([0, 1, 3, 4], [3.0, 1.0, 0.0, 5.0])
        """
        if not self.buckets:
            return self.rows, self.values
        pairs: list[tuple[int, float]] = []
        for number in sorted(self.buckets):
            low, low_row, high, high_row = self.buckets[number]
            pairs += sorted({(int(low_row), low), (int(high_row), high)})  # rows are held as floats beside the values
        return [row for row, _ in pairs], [value for _, value in pairs]


def _label(value: float) -> str:
    return f"{value:.6g}"


def ticks(low: float, high: float, count: int, log: bool) -> tuple[list[float], list[str]]:
    """At most ``count`` axis ticks at round values within ``[low, high]``: multiples of 1, 2 or 5
    times a power of ten, or (``log``) powers of ten, with their 2 and 5 multiples when the powers
    alone are too few. When no round value fits twice, the ends themselves.

    >>> ticks(0.0, 0.1, 6, log=False)
    ([0.0, 0.02, 0.04, 0.06, 0.08, 0.1], ['0', '0.02', '0.04', '0.06', '0.08', '0.1'])
    >>> ticks(0.0037, 0.1, 8, log=False)[1]
    ['0.02', '0.04', '0.06', '0.08', '0.1']
    >>> ticks(1e-6, 0.1, 4, log=True)[1]
    ['1e-06', '0.0001', '0.01']
    >>> ticks(0.003, 0.09, 4, log=True)[1]
    ['0.005', '0.01', '0.02', '0.05']
    """
    if not high > low:
        return [low], [_label(low)]
    if log:
        first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
        for multiples in ((1,), (1, 2, 5), (1, 2, 3, 5)):
            values = [m * 10.0**power for power in range(first, last + 1) for m in multiples]
            values = [value for value in values if low <= value <= high]
            stride = max(1, -(-len(values) // count))
            values = values[::stride]
            if len(values) >= 2:
                return values, [_label(value) for value in values]
        return [low, high], [_label(low), _label(high)]
    rough = (high - low) / max(count - 1, 1)
    power = 10.0 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    digits = max(0, -math.floor(math.log10(step)) + 1)
    values = [round(k * step, digits) for k in range(math.ceil(low / step), math.floor(high / step) + 1)]
    if len(values) < 2:
        return [low, high], [_label(low), _label(high)]
    return values, [_label(value) for value in values]


def title_lines(title: str, width: int, most: int = 2) -> list[str]:
    """``title`` wrapped to ``width`` columns on at most ``most`` lines, the last cut with "…" when
    it does not fit, each centred.

    >>> for line in title_lines("SequentialLR(schedulers=[LinearLR(total_iters=5), CosineAnnealingLR(T_max=95)])", 60):
    ...     print(line)
         SequentialLR(schedulers=[LinearLR(total_iters=5),
                   CosineAnnealingLR(T_max=95)])
    >>> title_lines("a b c d e f g h", 4, most=2)
    ['a b', 'c d…']
    """
    lines = textwrap.wrap(title, width, break_on_hyphens=False) or [""]
    if len(lines) > most:
        last = " ".join(lines[most - 1 :])
        lines = lines[: most - 1] + [last[: width - 1] + "…"]
    return [line.center(width).rstrip() for line in lines]


@dataclass(frozen=True)
class Line:
    """One series as drawn: its label, its stairs (x in the axis's unit) and the rows and values
    it was drawn from (every row of a short run; each column's extremes of a long one)."""

    label: str
    xs: list[float]
    ys: list[float]
    rows: list[int]
    values: list[float]


@dataclass(frozen=True)
class Panel:
    """The lr (or the momentum) of every series, on a linear or (``log``) logarithmic axis."""

    name: str
    lines: list[Line]
    log: bool

    @property
    def low(self) -> float:
        return min(min(line.ys) for line in self.lines)

    @property
    def high(self) -> float:
        return max(max(line.ys) for line in self.lines)


@dataclass(frozen=True)
class Drawing:
    """What every picture of a replay shows, whatever draws it: the title (and the call without its
    defaults, when the whole one is too long), the panels, the x axis's name, its ends and how
    many rows make one of its units (``scale``), where the schedule changes course (x values; none
    when too many to mark) and notes to print under it."""

    title: str
    brief_title: str
    panels: list[Panel]
    x_name: str
    x_range: tuple[float, float]
    scale: int
    events: list[float]
    notes: list[str]

    @property
    def several(self) -> bool:
        """Whether the lr panel holds several series (to tell apart in a legend)."""
        return len(self.panels[0].lines) > 1


class Sketch:
    """A :class:`Drawing` gathered while a replay's chunks stream past (:meth:`add`), each series
    reduced to about two points per one of ``columns`` columns, as :class:`Points` does; on a
    log axis (``log_y``) the lrs of 0 or below are left out and counted. The x axis counts rows,
    or epochs when ``x_unit`` is ``"epoch"`` and the replay steps per iteration."""

    def __init__(self, replay: Replay, columns: int, log_y: bool, x_unit: str | None) -> None:
        self.replay = replay
        self.log_y = log_y
        self.x_unit = x_unit
        self.points = [
            Points(replay.span, columns, positive=log_y and index < replay.groups)
            for index, _ in enumerate(replay.value_columns)
        ]

    def add(self, chunk: Chunk) -> None:
        for series, values in zip(self.points, chunk.series):
            series.add(chunk.rows, values)

    def tap(self, chunks: Iterable[Chunk]) -> Iterator[Chunk]:
        """``chunks`` passed on, each added on its way."""
        for chunk in chunks:
            self.add(chunk)
            yield chunk

    def drawing(self) -> Drawing:
        """The drawing of the chunks added; an error when there is nothing to draw."""
        replay = self.replay
        for group, series in enumerate(self.points[: replay.groups]):
            if not (series.rows or series.buckets):
                if series.left_out:
                    raise ViewError(
                        f"--log-y has nothing to draw: every lr{f' of group {group}' if replay.groups > 1 else ''} "
                        "is 0 or below"
                    )
                raise ViewError(f"no {replay.unit}s to plot")
        per_epoch = self.x_unit == "epoch" and replay.per_step and replay.steps_per_epoch
        scale = replay.steps_per_epoch if per_epoch and replay.steps_per_epoch else 1
        lines = []
        for label, series in zip(replay.value_columns, self.points):
            xs, ys = series.stairs()
            lines.append(Line(label, [x / scale for x in xs], ys, *series.kept()))
        panels = [Panel("lr", lines[: replay.groups], self.log_y)]
        if replay.momentum:
            panels.append(Panel("momentum", lines[replay.groups :], False))
        left_out = sum(series.left_out for series in self.points)
        notes = (
            [f"--log-y: {left_out:,} lr value{'s' if left_out != 1 else ''} of 0 or below left out"] if left_out else []
        )
        span = replay.span
        first, last = span.start, span.stop - 1
        marked = replay.events(span, MAX_EVENTS + 1)
        return Drawing(
            replay.title,
            replay.brief_title,
            panels,
            "epoch" if scale != 1 else replay.unit,
            # the last epoch ends where the rows end
            (first / scale, (last if scale == 1 else last + 1) / scale),
            scale,
            [event / scale for event in marked] if len(marked) <= MAX_EVENTS else [],
            notes,
        )


def sketch(replay: Replay, columns: int, log_y: bool, x_unit: str | None) -> Drawing:
    """The :class:`Drawing` of every chunk of ``replay`` (see :class:`Sketch`)."""
    gathered = Sketch(replay, columns, log_y, x_unit)
    for chunk in replay.chunks():
        gathered.add(chunk)
    return gathered.drawing()


def plot(replay: Replay, width: int, height: int, log_y: bool, color: bool, x_unit: str | None = None) -> str:
    """The plot as text, ``width`` × ``height`` characters, the title above it; with momentum, a
    second panel below the lr's; on a log axis, the lrs of 0 or below are left out and counted;
    a light vertical rule at each milestone, restart or switch (when there are few). The x axis counts rows (epochs or steps), or epochs when
    ``x_unit`` is ``"epoch"`` and the replay steps per iteration. ANSI colours only when
    ``color``; no line ends in a space."""
    check_columns("plot", len(replay.value_columns))
    width, height = min(max(width, 30), MAX_WIDTH), min(max(height, 10), MAX_HEIGHT)
    drawing = sketch(replay, max(width - 12, 10), log_y, x_unit)
    import plotext as plt

    title = title_lines(drawing.title, width)
    if title[-1].endswith("…"):
        title = title_lines(drawing.brief_title, width)
    panels = drawing.panels
    plt.main().clear_figure()  # the whole figure: plt.clear_figure() clears only the active subplot
    plt.subplots(len(panels), 1)
    plt.plotsize(width, max(height - len(title), 5 * len(panels)))
    for row, panel in enumerate(panels, 1):
        plt.subplot(row, 1)
        for index, line in enumerate(panel.lines):
            # Each series its own marker, so that they are told apart without colour.
            plt.plot(
                line.xs, line.ys, label=line.label if drawing.several else None, marker=MARKERS[index % len(MARKERS)]
            )
        if panel.log:
            plt.yscale("log")
        for event in drawing.events:  # a light rule where the schedule changes course
            plt.vline(event, "gray" if color else None)
        panel_height = height // len(panels)
        plt.yticks(*ticks(panel.low, panel.high, max(min(panel_height // 2, 8), 2), panel.log))
        # Round numbers in the axis's unit: steps, or epochs.
        plt.xticks(*ticks(*drawing.x_range, max(2, min(10, width // 8)), False))
        if len(panels) > 1:
            plt.title(panel.name)
        if row == len(panels):
            plt.xlabel(drawing.x_name)
            plt.ylabel(panel.name)  # plotext writes it at the left end of the x label's line
    try:
        text = plt.build()
    except (ValueError, ArithmeticError, IndexError) as error:
        lrs = panels[0]
        raise ViewError(f"plotext cannot draw lrs from {lrs.low!r} to {lrs.high!r} ({error}); use -f csv") from None
    if not color:
        text = plt.uncolorize(text)
    lines = [line.rstrip() for line in text.rstrip().splitlines()]
    return "\n".join(title + lines + drawing.notes) + "\n"
