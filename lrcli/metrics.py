"""Reading the metric ReduceLROnPlateau is stepped with, from a file or standard input."""

from __future__ import annotations

import csv
import io
import sys

from lrcli.engine.core import ScheduleError


def _number(text: str, line: int) -> float:
    try:
        return float(text)
    except ValueError:
        raise ScheduleError("metrics", f"line {line}: {text.strip()!r} is not a number") from None


def parse_metrics(text: str, column: str | None = None) -> list[float]:
    """One number per line (blank lines skipped), or, with ``column``, that column of a CSV
    whose first line is a header; ``column`` is a header name or a position counted from 1.

    >>> parse_metrics("0.9\\n0.8\\n\\n0.85\\n")
    [0.9, 0.8, 0.85]
    >>> parse_metrics("epoch,val_loss\\n1,0.9\\n2,0.7\\n", "val_loss")
    [0.9, 0.7]
    >>> parse_metrics("0.9\\nabc\\n")
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: metrics line 2: 'abc' is not a number
    """
    if column is None:
        lines = text.splitlines()
        try:
            return list(map(float, lines))  # the usual case, at C speed; blank or bad lines fall through
        except ValueError:
            return [_number(line, number) for number, line in enumerate(lines, 1) if line.strip()]
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if header is None:
        raise ScheduleError("metrics", "is empty; --column needs a header line")
    if column in header:
        index = header.index(column)
    elif column.isdigit() and 1 <= int(column) <= len(header):
        index = int(column) - 1
    else:
        raise ScheduleError("column", f"{column!r} is not among the header's columns ({', '.join(header)})")
    values = []
    for number, row in enumerate(rows, 2):
        if not any(field.strip() for field in row):
            continue
        if index >= len(row):
            raise ScheduleError("metrics", f"line {number} has no column {column!r}")
        values.append(_number(row[index], number))
    return values


def read_metrics(source: str, column: str | None = None) -> list[float]:
    """:func:`parse_metrics` of the file ``source``, or of standard input for ``-``."""
    try:
        if source == "-":
            text = sys.stdin.read()
        else:
            with open(source, encoding="utf-8") as file:
                text = file.read()
    except OSError as error:
        raise ScheduleError("metrics", f"cannot read {source!r}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ScheduleError("metrics", f"{source!r} is not UTF-8 text") from None
    return parse_metrics(text, column)
