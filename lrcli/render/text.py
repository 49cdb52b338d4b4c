"""CSV, TSV and JSON, with every lr in the shortest text that reads back as the same float.

One text form serves every size and every format: orjson's (``0.1``, ``0.010000000000000002``,
``0.00001``, ``1e-20``). ``float(field)`` gives back the exact value.

The text comes as a stream of byte chunks, a few thousand rows each: smaller pieces are faster to
build than one large one, and a reader such as ``head`` gets the first rows at once.
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson

from lrcli.replay import LRTable

CHUNK_ROWS = 8192


def format_lr(value: float) -> str:
    """The shortest text that reads back as ``value``.

    >>> format_lr(0.1 * 0.1), format_lr(1e-5)
    ('0.010000000000000002', '0.00001')
    """
    return orjson.dumps(value).decode()


def format_lrs(values: list[float]) -> list[str]:
    """:func:`format_lr` of each value, in one call.

    >>> format_lrs([0.5, 1e-20])
    ['0.5', '1e-20']
    """
    return orjson.dumps(values)[1:-1].decode().split(",") if values else []


def _row_chunks(table: LRTable) -> Iterator[bytes]:
    """orjson's text of the rows ``[epoch, lr_0, …]``, a chunk at a time: ``[[0,0.1],[1,0.1]]``."""
    for start in range(0, table.epochs, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, table.epochs)
        yield orjson.dumps(list(zip(range(start, stop), *(values[start:stop] for values in table.series))))


def delimited(table: LRTable, separator: str) -> Iterator[bytes]:
    """A header line, then ``epoch<sep>lr_0<sep>lr_1…`` per epoch.

    >>> from lrcli.replay import LRTable
    >>> text = b"".join(delimited(LRTable("ExponentialLR", {"gamma": 0.5}, "ExponentialLR(gamma=0.5)", "ExponentialLR(gamma=0.5)", [1.0], [[1.0, 0.5]]), ","))
    >>> print(text.decode(), end="")
    epoch,lr
    0,1.0
    1,0.5
    """
    yield separator.join(table.columns).encode() + b"\n"
    for chunk in _row_chunks(table):
        # Drop the outer brackets and make each "],[" a line break.
        lines = chunk.replace(b"],[", b"\n")
        if separator != ",":
            lines = lines.replace(b",", separator.encode())
        yield memoryview(lines)[2:-2]
        yield b"\n"


def json_document(table: LRTable) -> Iterator[bytes]:
    """One JSON object: the torch class, its parameters, the initial lrs, and the rows.

    >>> from lrcli.replay import LRTable
    >>> text = b"".join(json_document(LRTable("ExponentialLR", {"gamma": 0.5}, "ExponentialLR(gamma=0.5)", "ExponentialLR(gamma=0.5)", [1.0], [[1.0, 0.5]])))
    >>> print(text.decode(), end="")
    {"scheduler":"ExponentialLR","params":{"gamma":0.5},"base_lrs":[1.0],"columns":["epoch","lr"],"rows":[[0,1.0],[1,0.5]]}
    """
    head = {
        "scheduler": table.scheduler,
        "params": table.params,
        "base_lrs": table.base_lrs,
        "columns": table.columns,
        "rows": [],
    }
    yield orjson.dumps(head)[: -len(b"[]}")] + b"["
    separator = b""
    for chunk in _row_chunks(table):
        yield separator
        yield memoryview(chunk)[1:-1]
        separator = b","
    yield b"]}\n"
