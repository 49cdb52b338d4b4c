"""The table view: a Rich table that stays short however long the schedule is, built while the rows
stream past (only the rows it will show are kept), and a plain every-row listing.

A run of at most :data:`MAX_ROWS` rows shows every row. A longer one merges runs of equal values
into one row (``30–59``); when even the runs are too many, it shows the first and last
``MAX_ROWS // 2`` around a ``… N not shown …`` row. Picked rows (``--every``, ``--changes``,
``--at``) are shown one by one, first and last ones around a gap when too many.
"""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lrcli.render import check_columns
from lrcli.render.floats import format_lr, format_lrs
from lrcli.replay import Chunk, Replay, Selection, change_offsets

MAX_ROWS = 40


@dataclass(frozen=True)
class Entry:
    """A shown row: the rows ``first … last`` (equal values), and those values."""

    first: int
    last: int
    values: tuple[float, ...]


def shown_rows(
    replay: Replay, max_rows: int = MAX_ROWS, chunks: Iterable[Chunk] | None = None
) -> tuple[list[Entry | None], int, bool]:
    """The entries the table shows (None for the gap), how many rows the selection holds, and
    whether runs were merged; from ``chunks`` when given (the replay's, read on the way by
    another view), else from the replay's own.

    >>> from lrcli.replay import replay
    >>> from lrcli.schedules import Schedule
    >>> entries, count, merged = shown_rows(replay(Schedule.of("step", step_size=5, gamma=0.5), [1.0], 10), max_rows=4)
    >>> [(entry.first, entry.last, entry.values) for entry in entries], count, merged
    ([(0, 4, (1.0,)), (5, 9, (0.5,))], 10, True)
    """
    half = max_rows // 2
    head: list[Entry] = []  # the first rows, one by one
    runs: list[Entry] = []  # the first runs' starts
    tail: deque[Entry] = deque(maxlen=half)  # the last runs' (or rows') starts
    count = run_count = 0
    last_row = -1
    before = None
    thinned = replay.selection.thins
    for chunk in replay.chunks() if chunks is None else chunks:
        rows, series = chunk.rows, chunk.series
        for offset in range(min(len(rows), max_rows + 1 - len(head))):
            head.append(Entry(rows[offset], rows[offset], tuple(values[offset] for values in series)))
        count += len(rows)
        last_row = rows[-1]
        starts = range(len(rows)) if thinned else change_offsets(series, before)
        run_count += len(starts)
        for offset in starts[: max(0, max_rows + 1 - len(runs))]:
            runs.append(Entry(rows[offset], rows[offset], tuple(values[offset] for values in series)))
        for offset in starts[-half:] if half else []:
            tail.append(Entry(rows[offset], rows[offset], tuple(values[offset] for values in series)))
        before = tuple(values[-1] for values in series)
    if count <= max_rows:
        entries: list[Entry | None] = list(head)
        return entries, count, False
    if thinned:
        return [*head[:half], None, *tail], count, False

    def spans(entries: list[Entry], end: int) -> list[Entry | None]:
        """Runs from their starts: each ends where the next begins, the last at ``end``."""
        ends = [entry.first - 1 for entry in entries[1:]] + [end]
        return [Entry(entry.first, stop, entry.values) for entry, stop in zip(entries, ends)]

    if run_count <= max_rows:
        return spans(runs, last_row), count, True
    return [*spans(runs[: half + 1], last_row)[:half], None, *spans(list(tail), last_row)], count, True


def table_cells(
    replay: Replay, entries: list[Entry | None], count: int, merged: bool
) -> tuple[list[str], list[list[str]], list[str]]:
    """The header, the rows of cells and the notes both tables show; ▶ marks the first row where a
    resumed run differs from the uninterrupted one (``--compare-resume``)."""
    unit = replay.unit
    per_epoch = replay.steps_per_epoch
    labels = [unit] + (["epoch"] if per_epoch else [])
    hidden = (
        count - sum(entry.last - entry.first + 1 for entry in entries if entry is not None)
        if merged
        else (count - sum(entry is not None for entry in entries))
    )

    def span(first: int, last: int) -> str:
        return str(first) if first == last else f"{first}–{last}"

    differs = None if replay.first_difference is None else replay.first_difference[0]
    marked = False
    cells = []
    for entry in entries:
        if entry is None:
            gap = f"… {hidden:,} {unit}s not shown …" if merged else f"… {hidden:,} rows not shown …"
            cells.append(["…"] * len(labels) + [gap, *[""] * (len(replay.value_columns) - 1)])
            continue
        index = [span(entry.first, entry.last)]
        if differs is not None and entry.first <= differs <= entry.last:
            index[0], marked = f"▶ {index[0]}", True
        if per_epoch:
            index.append(span(entry.first // per_epoch, entry.last // per_epoch))
        cells.append([*index, *map(format_lr, entry.values)])
    notes = []
    if merged:
        notes.append(f"{replay.rows:,} {unit}s; runs of equal lr merged")
    if replay.selection != Selection():
        notes.append(f"{count:,} of {replay.rows:,} {unit}s selected")
    if hidden:
        notes.append(f"--all-rows lists every {unit}")
    if marked:
        notes.append(f"▶ the first {unit} that differs from the uninterrupted run")
    return labels + replay.value_columns, cells, notes


def markdown_table(replay: Replay, max_rows: int = MAX_ROWS) -> str:
    """The table in Markdown (for READMEs and issues): the call in bold, the rows the table view
    shows, its notes in italics.

    >>> from lrcli.replay import replay
    >>> from lrcli.schedules import Schedule
    >>> print(markdown_table(replay(Schedule.of("step", step_size=2, gamma=0.5), [1.0], 3)), end="")
    **StepLR(step_size=2, gamma=0.5)**
    <BLANKLINE>
    | epoch | lr |
    |---:|:---|
    | 0 | 1.0 |
    | 1 | 1.0 |
    | 2 | 0.5 |
    """
    header, cells, notes = table_cells(replay, *shown_rows(replay, max_rows))
    index_count = len(replay.index_columns)
    lines = [
        f"**{replay.title}**",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---:"] * index_count + [":---"] * (len(header) - index_count)) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    if notes:
        lines += ["", f"*{'; '.join(notes)}*"]
    return "\n".join(lines) + "\n"


def rich_table(replay: Replay, width: int, color: bool, max_rows: int = MAX_ROWS) -> str:
    """The table as text, with Rich's box drawing; ANSI styles only when ``color``. It is wider
    than ``width`` rather than cut: every lr shows in full."""
    check_columns("table", len(replay.value_columns))
    from rich.console import Console
    from rich.table import Table

    header, cells, notes = table_cells(replay, *shown_rows(replay, max_rows))
    index_count = len(replay.index_columns)
    view = Table()
    for label in header[:index_count]:
        view.add_column(label, justify="right", style="cyan" if color else None, no_wrap=True)
    for name in header[index_count:]:
        view.add_column(name, justify="left", no_wrap=True)
    for row in cells:
        view.add_row(*row)
    # Each column takes its widest cell, two spaces of padding and a rule; one more rule closes it.
    needed = 1 + sum(max(map(len, column)) + 3 for column in zip(header, *cells))
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=max(width, needed),
        color_system="standard" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
    )
    # The whole call, or without its defaults when it would not fit one line.
    title = replay.title if len(replay.title) <= width else replay.brief_title
    console.print(title, style="bold" if color else None, soft_wrap=True, highlight=False, markup=False)
    console.print(view)
    if notes:
        console.print("; ".join(notes), soft_wrap=True, markup=False)
    return buffer.getvalue()


def plain_rows(replay: Replay) -> Iterator[bytes]:
    """Every selected row as aligned plain text, streamed: no Rich, fast for millions of rows.
    Values are padded to the longest a float's text can be, so that no row waits for the last.

    >>> from lrcli.replay import replay
    >>> from lrcli.schedules import Schedule
    >>> print(b"".join(plain_rows(replay(Schedule.of("step", step_size=1, gamma=0.5), [1.0], 2))).decode(), end="")
    epoch  lr
        0  1.0
        1  0.5
    """
    names = replay.columns
    index_count = len(replay.index_columns)
    widths = [max(len(name), len(str(max(replay.rows - 1, 0)))) for name in names[:index_count]]
    widths += [max(len(name), 24) for name in names[index_count:]]
    widths[-1] = 0  # the last column is not padded
    aligned = [">"] * index_count + ["<"] * (len(names) - index_count)
    line = "  ".join(f"{{:{side}{width}}}" for side, width in zip(aligned, widths))
    chunks = replay.chunks()  # the first chunk computed before the header: a refusal there writes nothing
    yield (line.format(*names).rstrip() + "\n").encode()
    for chunk in chunks:
        texts = [format_lrs(values) for values in chunk.series]
        columns = [*replay.index_values(chunk.rows), *texts]
        yield "".join(line.format(*row).rstrip() + "\n" for row in zip(*columns)).encode()
