"""Summaries: the numbers that tell schedules apart, per value column, gathered while the rows
stream past — first and last, min and max with their rows, the mean and the sum (exact: the sum
is ``math.fsum`` of every value, however many chunks they came in), the number of changes, and
the largest drops.
"""

from __future__ import annotations

import heapq
import math
from itertools import chain

from lrcli.render.floats import format_lr
from lrcli.replay import Replay, change_offsets

DROPS = 3
"""How many of the largest drops a summary names."""


class _Column:
    """The running summary of one value column."""

    def __init__(self) -> None:
        self.count = 0
        self.first = self.last = None
        self.low = self.high = None
        self.low_at = self.high_at = None
        self.parts: list[float] = []  # floats whose exact sum is the exact sum so far
        self.changes = 0
        self.drops: list[tuple[float, int, float, float]] = []  # min-heap of (drop, -row, before, after)

    def add(self, rows, values: list[float]) -> None:
        if self.first is None:
            self.first = values[0]
        low, high = min(values), max(values)
        if self.low is None or low < self.low:
            self.low, self.low_at = low, rows[values.index(low)]
        if self.high is None or high > self.high:
            self.high, self.high_at = high, rows[values.index(high)]
        self.parts = _exact_parts(chain(self.parts, values))
        before = None if self.last is None else (self.last,)
        for offset in change_offsets([values], before):
            previous = values[offset - 1] if offset else self.last
            if previous is None:
                continue
            self.changes += 1
            if values[offset] < previous and previous > 0:
                drop = (1 - values[offset] / previous, -rows[offset], previous, values[offset])
                if len(self.drops) < DROPS:
                    heapq.heappush(self.drops, drop)
                elif drop > self.drops[0]:
                    heapq.heapreplace(self.drops, drop)
        self.count += len(values)
        self.last = values[-1]

    def result(self) -> dict[str, object]:
        total = math.fsum(self.parts)
        drops = sorted(self.drops, reverse=True)  # largest first, then earliest
        return {
            "first": self.first,
            "last": self.last,
            "min": self.low,
            "min_at": self.low_at,
            "max": self.high,
            "max_at": self.high_at,
            "mean": total / self.count,
            "sum": total,
            "changes": self.changes,
            "largest_drops": [{"at": -row, "from": before, "to": after} for _, row, before, after in drops],
        }


def _exact_parts(values) -> list[float]:
    """Floats whose exact sum is the exact sum of ``values``: each the correctly rounded
    (``math.fsum``) remainder of the others.

    >>> _exact_parts([1e16, 1.0, -1e16, 1e-16])
    [1.0, 1e-16]
    >>> sum(_exact_parts([0.1] * 10)) == math.fsum([0.1] * 10)
    True
    """
    values = list(values)
    parts: list[float] = []
    while True:
        remainder = math.fsum(chain(values, (-part for part in parts)))
        if remainder == 0:
            return parts
        parts.append(remainder)


class Summaries:
    """Summaries of every value column, fed chunk by chunk (so that another view can stream the
    same rows past them)."""

    def __init__(self, replay: Replay) -> None:
        self.names = replay.value_columns
        self.columns = [_Column() for _ in self.names]

    def add(self, chunk) -> None:
        for column, values in zip(self.columns, chunk.series):
            column.add(chunk.rows, values)

    def result(self) -> dict[str, dict[str, object]]:
        if not self.columns[0].count:
            return {}
        return {name: column.result() for name, column in zip(self.names, self.columns)}


def summaries(replay: Replay) -> dict[str, dict[str, object]]:
    """The summary of every value column of the rows ``replay`` shows, by column name.

    >>> from lrcli.replay import replay
    >>> from lrcli.schedules import Schedule
    >>> summary = summaries(replay(Schedule.of("step", step_size=2, gamma=0.5), [1.0], 5))["lr"]
    >>> summary["sum"], summary["mean"], summary["changes"], summary["largest_drops"][0]
    (3.25, 0.65, 2, {'at': 2, 'from': 1.0, 'to': 0.5})
    """
    gathered = Summaries(replay)
    for chunk in replay.chunks():
        gathered.add(chunk)
    return gathered.result()


def summary_text(replay: Replay) -> str:
    """The summaries as aligned plain text, one block per column."""
    unit = replay.unit
    blocks = [replay.title]
    for name, summary in summaries(replay).items():
        drops = (
            "; ".join(
                f"{unit} {drop['at']}: {format_lr(drop['from'])} -> {format_lr(drop['to'])}"
                for drop in summary["largest_drops"]
            )
            or "none"
        )
        lines = [
            ("first", format_lr(summary["first"])),
            ("last", format_lr(summary["last"])),
            ("min", f"{format_lr(summary['min'])} at {unit} {summary['min_at']}"),
            ("max", f"{format_lr(summary['max'])} at {unit} {summary['max_at']}"),
            ("mean", format_lr(summary["mean"])),
            ("sum", format_lr(summary["sum"])),
            ("changes", str(summary["changes"])),
            ("largest drops", drops),
        ]
        blocks.append("\n".join([name] + [f"  {label:<14}{value}" for label, value in lines]))
    return "\n\n".join(blocks) + "\n"
