"""The plot view: lr against epoch in the terminal, drawn by plotext 5, under a title of at most
two lines (the scheduler as a call, its default parameters left out when the whole call does not
fit), with the momentum in a second panel when it is shown.

An lr holds for a whole epoch, so each series is drawn as stairs. A long schedule is first reduced
to about two points per character column (each column's lowest and highest value, in the order
they occur), since plotext takes seconds on a million points.
"""

from __future__ import annotations

import textwrap

from lrcli.render import ViewError
from lrcli.replay import LRTable


def stair_points(values: list[float], columns: int) -> tuple[list[float], list[float]]:
    """Points whose line draws ``values`` as stairs, thinned to about ``2 * columns`` points.

    >>> stair_points([1.0, 1.0, 0.5], columns=10)
    ([0, 1, 2, 2], [1.0, 1.0, 1.0, 0.5])
    >>> stair_points([3.0, 1.0, 2.0, 0.0, 5.0, 4.0], columns=2)
    ([0, 0, 3, 3], [3.0, 1.0, 0.0, 5.0])
    """
    epochs = len(values)
    xs: list[float] = []
    ys: list[float] = []
    if epochs <= 2 * columns:
        previous = None
        for epoch, value in enumerate(values):
            if previous is not None and value != previous:
                xs.append(epoch)
                ys.append(previous)
            xs.append(epoch)
            ys.append(value)
            previous = value
        return xs, ys
    bucket = -(-epochs // columns)
    for start in range(0, epochs, bucket):
        chunk = values[start : start + bucket]
        low, high = min(chunk), max(chunk)
        first, second = (high, low) if chunk.index(high) <= chunk.index(low) else (low, high)
        xs += [start, start]
        ys += [first, second]
    return xs, ys


def ticks(low: float, high: float, count: int, log: bool) -> tuple[list[float], list[str]]:
    """``count`` evenly spread axis ticks (geometrically with ``log``) and labels of 3 digits.

    >>> ticks(0.0, 0.1, 3, log=False)
    ([0.0, 0.05, 0.1], ['0', '0.05', '0.1'])
    >>> ticks(1e-4, 1e-2, 3, log=True)[1]
    ['0.0001', '0.001', '0.01']
    """
    if high <= low:
        return [low], [f"{low:.3g}"]
    if log:
        ratio = (high / low) ** (1 / (count - 1))
        values = [low * ratio**index for index in range(count)]
    else:
        values = [low + (high - low) * index / (count - 1) for index in range(count)]
    values[-1] = high
    return values, [f"{value:.3g}" for value in values]


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


def plot(table: LRTable, width: int, height: int, log_y: bool, color: bool) -> str:
    """The plot as text, ``width`` × ``height`` characters, the title above it; with momentum, a
    second panel below the lr's. ANSI colours only when ``color``; no line ends in a space."""
    if not table.epochs:
        raise ViewError("--epochs 0 leaves nothing to plot")
    if log_y:
        for group, values in enumerate(table.lrs):
            if min(values) <= 0:
                epoch = values.index(min(values))
                raise ViewError(f"--log-y needs every lr above 0; group {group} has lr 0 at epoch {epoch}")
    import plotext as plt

    title = title_lines(table.title, width)
    if title[-1].endswith("…"):
        title = title_lines(table.brief_title, width)
    panels = [("lr", table.lrs, log_y)]
    if table.momentum:
        panels.append(("momentum", table.momentum, False))
    plt.main().clear_figure()  # the whole figure: plt.clear_figure() clears only the active subplot
    plt.subplots(len(panels), 1)
    plt.plotsize(width, max(height - len(title), 5 * len(panels)))
    columns = max(width - 12, 10)
    several = len(table.lrs) > 1
    last = table.epochs - 1
    for row, (name, series, log) in enumerate(panels, 1):
        plt.subplot(row, 1)
        for group, values in enumerate(series):
            xs, ys = stair_points(values, columns)
            plt.plot(xs, ys, label=f"{name}_{group}" if several else None)
        if log:
            plt.yscale("log")
        low, high = min(map(min, series)), max(map(max, series))
        panel_height = height // len(panels)
        plt.yticks(*ticks(low, high, max(min(panel_height // 3, 6), 2), log))
        plt.xticks(sorted({round(last * index / 4) for index in range(5)}))
        if len(panels) > 1:
            plt.title(name)
        if row == len(panels):
            plt.xlabel("epoch")
    text = plt.build()
    if not color:
        text = plt.uncolorize(text)
    lines = [line.rstrip() for line in text.rstrip().splitlines()]
    return "\n".join(title + lines) + "\n"
