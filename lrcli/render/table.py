"""The table view: a Rich table that stays short however long the schedule is, and a plain
every-row listing for when each row is wanted."""

from __future__ import annotations

import io
from itertools import compress
from operator import ne, or_

from lrcli.render.text import format_lr, format_lrs
from lrcli.replay import LRTable

MAX_ROWS = 40


def change_epochs(lrs: list[list[float]]) -> list[int]:
    """Epoch 0 and every epoch where some group's lr differs from the epoch before.

    >>> change_epochs([[1.0, 1.0, 0.5, 0.5], [2.0, 1.0, 1.0, 1.0]])
    [0, 1, 2]
    """
    epochs = len(lrs[0])
    if not epochs:
        return []
    changed = map(ne, lrs[0][1:], lrs[0][:-1])
    for values in lrs[1:]:
        changed = map(or_, changed, map(ne, values[1:], values[:-1]))
    return [0, *compress(range(1, epochs), changed)]


def shown_rows(table: LRTable, max_rows: int = MAX_ROWS) -> tuple[list[tuple[int, int] | None], bool]:
    """The rows the table shows, as ``(first, last)`` epoch spans with ``None`` for a gap.

    Every epoch when there are at most ``max_rows``; else one row per run of equal lrs; and when
    even the runs are too many, the first and last ``max_rows // 2`` runs around a gap. The flag
    says whether runs were merged.

    >>> from lrcli.replay import LRTable
    >>> shown_rows(LRTable("StepLR", {}, "StepLR()", "StepLR()", [1.0], [[1.0] * 5 + [0.5] * 5]), max_rows=4)
    ([(0, 4), (5, 9)], True)
    """
    epochs = table.epochs
    if epochs <= max_rows:
        return [(epoch, epoch) for epoch in range(epochs)], False
    starts = change_epochs(table.series)
    ends = starts[1:] + [epochs]

    def spans(runs: range) -> list[tuple[int, int] | None]:
        return [(starts[run], ends[run] - 1) for run in runs]

    if len(starts) > max_rows:
        half = max_rows // 2
        return [*spans(range(half)), None, *spans(range(len(starts) - half, len(starts)))], True
    return spans(range(len(starts))), True


def rich_table(table: LRTable, width: int, color: bool, max_rows: int = MAX_ROWS) -> str:
    """The table as text, with Rich's box drawing; ANSI styles only when ``color``. It is wider
    than ``width`` rather than cut: every lr shows in full."""
    from rich.console import Console
    from rich.table import Table

    rows, merged = shown_rows(table, max_rows)
    hidden = table.epochs - sum(span[1] - span[0] + 1 for span in rows if span is not None)
    cells = []
    for span in rows:
        if span is None:
            cells.append(["…", f"… {hidden:,} epochs not shown …", *[""] * (len(table.series) - 1)])
            continue
        first, last = span
        label = str(first) if first == last else f"{first}–{last}"
        cells.append([label, *(format_lr(values[first]) for values in table.series)])
    view = Table()
    view.add_column("epoch", justify="right", style="cyan" if color else None, no_wrap=True)
    for name in table.columns[1:]:
        view.add_column(name, justify="left", no_wrap=True)
    for row in cells:
        view.add_row(*row)
    # Each column takes its widest cell, two spaces of padding and a rule; one more rule closes it.
    needed = 1 + sum(max(map(len, column)) + 3 for column in zip(table.columns, *cells))
    notes = []
    if merged:
        notes.append(f"{table.epochs:,} epochs; runs of equal lr merged")
    if hidden:
        notes.append("--all-rows lists every epoch")
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=max(width, needed),
        color_system="standard" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
    )
    console.print(table.title, style="bold" if color else None, soft_wrap=True, highlight=False, markup=False)
    console.print(view)
    if notes:
        console.print("; ".join(notes), soft_wrap=True, markup=False)
    return buffer.getvalue()


def plain_rows(table: LRTable) -> str:
    """Every row as aligned plain text: no Rich, fast enough for millions of rows.

    >>> from lrcli.replay import LRTable
    >>> print(plain_rows(LRTable("StepLR", {}, "StepLR()", "StepLR()", [1.0], [[1.0, 0.5]])), end="")
    epoch  lr
        0  1.0
        1  0.5
    """
    width = max(len("epoch"), len(str(max(table.epochs - 1, 0))))
    texts = [format_lrs(values) for values in table.series]
    names = table.columns[1:]
    widths = [max([len(name), *map(len, column)]) for name, column in zip(names, texts)]
    widths[-1] = 0  # the last column is not padded
    lines = ["epoch".rjust(width) + "".join(f"  {name:<{w}}" for name, w in zip(names, widths))]
    for epoch, cells in enumerate(zip(*texts)):
        lines.append(f"{epoch:>{width}}" + "".join(f"  {cell:<{w}}" for cell, w in zip(cells, widths)))
    return "\n".join(lines) + "\n"
