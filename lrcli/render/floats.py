"""Floats as text: the shortest text that reads back as the same float, orjson's form
(``0.1``, ``0.010000000000000002``, ``0.00001``, ``1e-20``), which every text view shares."""

from __future__ import annotations

import orjson


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
