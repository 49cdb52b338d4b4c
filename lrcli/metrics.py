"""Reading the metric ReduceLROnPlateau is stepped with, from a file or standard input.

Input is read as a stream of bounded lines and only as far as the rows need, into a compact
``array('d')``: an endless or enormous input costs neither unbounded time nor memory.
"""

from __future__ import annotations

import csv
import sys
from array import array
from collections.abc import Iterable
from numbers import Real
from typing import BinaryIO

from lrcli.engine.core import ScheduleError

MAX_LINE = 1 << 20
"""Bytes in one line at most."""

MAX_METRICS = 10_000_000
"""Metrics held at most (80 MB as doubles), so that a run of any length stays in flat memory."""

BLOCK = 1 << 20


def _lines(stream: BinaryIO):
    """``(number, text)`` of each line, decoded as UTF-8 (a byte-order mark at the start is
    dropped); a line longer than :data:`MAX_LINE` bytes is an error."""
    number, left = 0, b""
    first = True
    while True:
        block = stream.read(BLOCK)
        if first and block.startswith(b"\xef\xbb\xbf"):
            block = block[3:]
        first = False
        if not block:
            break
        *whole, left = (left + block).split(b"\n")
        if len(left) > MAX_LINE:
            raise ScheduleError("metrics", f"line {number + len(whole) + 1} is longer than {MAX_LINE:,} bytes")
        for line in whole:
            number += 1
            if len(line) > MAX_LINE:
                raise ScheduleError("metrics", f"line {number} is longer than {MAX_LINE:,} bytes")
            try:
                yield number, line.decode("utf-8")
            except UnicodeDecodeError:
                raise ScheduleError("metrics", f"line {number} is not UTF-8 text") from None
    if left:
        try:
            yield number + 1, left.decode("utf-8")
        except UnicodeDecodeError:
            raise ScheduleError("metrics", f"line {number + 1} is not UTF-8 text") from None


def _number(text: str, line: int) -> float:
    try:
        return float(text)
    except ValueError:
        raise ScheduleError("metrics", f"line {line}: {text.strip()[:80]!r} is not a number") from None


def _column_index(header: list[str], column: str) -> int:
    if column in header:
        return header.index(column)
    if column.isascii() and column.isdigit() and len(column) <= 9 and 1 <= int(column) <= len(header):
        return int(column) - 1
    shown = ", ".join(name[:40] for name in header[:20]) + (", …" if len(header) > 20 else "")
    raise ScheduleError("column", f"{column[:80]!r} is not among the header's columns ({shown})")


def parse_metrics(stream: BinaryIO, column: str | None = None, needed: int | None = None) -> array:
    """One number per line (blank lines skipped), or, with ``column``, that column of a CSV
    whose first line is a header; ``column`` is a header name or a position counted from 1.
    Reading stops after ``needed`` numbers; more than :data:`MAX_METRICS` are refused.

    >>> import io
    >>> parse_metrics(io.BytesIO(b"\\xef\\xbb\\xbf0.9\\n0.8\\n\\n0.85\\n")).tolist()
    [0.9, 0.8, 0.85]
    >>> parse_metrics(io.BytesIO(b"epoch,val_loss\\n1,0.9\\n2,0.7\\n"), "val_loss").tolist()
    [0.9, 0.7]
    >>> parse_metrics(io.BytesIO(b"0.9\\nabc\\n"))
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: metrics line 2: 'abc' is not a number
    """
    if needed is not None and needed > MAX_METRICS:
        raise ScheduleError(
            "metrics",
            f"would need {needed:,} values for the rows asked for; lrcli holds at most "
            f"{MAX_METRICS:,} (ask for fewer rows)",
        )
    limit = MAX_METRICS if needed is None else needed
    values = array("d")
    lines = _lines(stream)
    index = None
    if column is not None:
        csv.field_size_limit(MAX_LINE)
        try:
            header = next((next(csv.reader([text])) for _, text in lines if text.strip()), None)
        except csv.Error as error:
            raise ScheduleError("metrics", f"header: {error}") from None
        if header is None:
            raise ScheduleError("metrics", "is empty; --column needs a header line")
        index = _column_index(header, column)
    for number, text in lines:
        if not text.strip():
            continue
        if len(values) >= limit:
            if needed is None:
                raise ScheduleError(
                    "metrics",
                    f"has more than {MAX_METRICS:,} values; give --epochs or --steps "
                    "to read only as many as the rows need",
                )
            break
        if index is None:
            values.append(_number(text, number))
            continue
        try:
            row = next(csv.reader([text]))
        except csv.Error as error:
            raise ScheduleError("metrics", f"line {number}: {error}") from None
        if index >= len(row):
            assert column is not None  # index is where it is in the header
            raise ScheduleError("metrics", f"line {number} has no column {column[:80]!r}")
        values.append(_number(row[index], number))
    return values


def metrics_of(values: Iterable[object]) -> array:
    """The metrics given as numbers (from Python) held as :func:`parse_metrics` holds a file's:
    each a real number (a bool or a string is refused), at most :data:`MAX_METRICS` of them.

    >>> metrics_of([1, 0.5]).tolist()
    [1.0, 0.5]
    >>> metrics_of([0.9, "0.8"])
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: metrics value 2: '0.8' is not a number
    """
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ScheduleError("metrics", f"must be a sequence of numbers, one per step, got {type(values).__name__}")
    held = array("d")
    for number, value in enumerate(values, 1):
        if isinstance(value, bool) or not isinstance(value, Real):
            raise ScheduleError("metrics", f"value {number}: {str(value)[:80]!r} is not a number")
        if len(held) >= MAX_METRICS:
            raise ScheduleError("metrics", f"has more than {MAX_METRICS:,} values")
        held.append(float(value))
    return held


def read_metrics(source: str, column: str | None = None, needed: int | None = None) -> array:
    """:func:`parse_metrics` of the file ``source``, or of standard input for ``-``."""
    try:
        if source == "-":
            if sys.stdin is None:
                raise ScheduleError("metrics", "is -, but standard input is closed")
            return parse_metrics(sys.stdin.buffer, column, needed)
        with open(source, "rb") as file:
            return parse_metrics(file, column, needed)
    except OSError as error:
        raise ScheduleError("metrics", f"cannot read {source!r}: {error.strerror or error}") from None
