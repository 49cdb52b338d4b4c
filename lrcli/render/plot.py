"""The plot view: lr against epoch in the terminal, drawn by plotext 5.

An lr holds for a whole epoch, so each series is drawn as stairs. A long schedule is first reduced
to about two points per character column (each column's lowest and highest value, in the order
they occur), since plotext takes seconds on a million points.
"""

from __future__ import annotations

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


def plot(table: LRTable, width: int, height: int, log_y: bool, color: bool) -> str:
    """The plot as text, ``width`` × ``height`` characters; ANSI colours only when ``color``."""
    import plotext as plt

    plt.clear_figure()
    plt.plotsize(width, height)
    columns = max(width - 12, 10)
    several = len(table.lrs) > 1
    for name, values in zip(table.columns[1:], table.lrs):
        xs, ys = stair_points(values, columns)
        plt.plot(xs, ys, label=name if several else None)
    if log_y:
        plt.yscale("log")
    low, high = min(map(min, table.lrs)), max(map(max, table.lrs))
    plt.yticks(*ticks(low, high, max(min(height // 3, 6), 2), log_y))
    last = table.epochs - 1
    plt.xticks(sorted({round(last * index / 4) for index in range(5)}))
    title = table.title
    plt.title(title if len(title) <= width - 4 else title[: width - 5] + "…")  # plotext drops a longer one
    plt.xlabel("epoch")
    text = plt.build()
    return (text if color else plt.uncolorize(text)).rstrip() + "\n"
