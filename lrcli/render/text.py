"""CSV, TSV and JSON, with every lr in the shortest text that reads back as the same float.

One text form serves every size and every format: orjson's (``0.1``, ``0.010000000000000002``,
``0.00001``, ``1e-20``). ``float(field)`` gives back the exact value.
"""

from __future__ import annotations

import orjson

from lrcli.replay import LRTable


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


def _rows(table: LRTable) -> list[tuple]:
    return list(zip(range(table.epochs), *table.lrs))


def delimited(table: LRTable, separator: str) -> bytearray:
    """A header line, then ``epoch<sep>lr_0<sep>lr_1…`` per epoch.

    >>> from lrcli.replay import LRTable
    >>> print(delimited(LRTable("ExponentialLR", {"gamma": 0.5}, [1.0], [[1.0, 0.5]]), ",").decode(), end="")
    epoch,lr
    0,1.0
    1,0.5
    """
    text = bytearray(separator.join(table.columns).encode() + b"\n")
    if table.epochs:
        # orjson writes [[0,0.1],[1,0.1]]: drop the outer brackets, make "],[" a line break.
        rows = orjson.dumps(_rows(table)).replace(b"],[", b"\n")
        if separator != ",":
            rows = rows.replace(b",", separator.encode())
        text += memoryview(rows)[2:-2]
        text += b"\n"
    return text


def json_document(table: LRTable) -> bytes:
    """One JSON object: the torch class, its parameters, the initial lrs, and the rows.

    >>> from lrcli.replay import LRTable
    >>> print(json_document(LRTable("ExponentialLR", {"gamma": 0.5}, [1.0], [[1.0, 0.5]])).decode(), end="")
    {"scheduler":"ExponentialLR","params":{"gamma":0.5},"base_lrs":[1.0],"columns":["epoch","lr"],"rows":[[0,1.0],[1,0.5]]}
    """
    document = {
        "scheduler": table.scheduler,
        "params": table.params,
        "base_lrs": table.base_lrs,
        "columns": table.columns,
        "rows": _rows(table),
    }
    return orjson.dumps(document) + b"\n"
