"""CSV, TSV and JSON, with every lr in the shortest text that reads back as the same float.

One text form serves every size and every format: orjson's (``0.1``, ``0.010000000000000002``,
``0.00001``, ``1e-20``). ``float(field)`` gives back the exact value.

The text comes as a stream of byte chunks, one per chunk of rows the replay computes, so that any
number of rows is written in flat memory, and a reader such as ``head`` gets the first rows at
once.
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson

from lrcli.replay import Replay


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


TEXT_ROWS = 8192
"""Rows serialized at a time: smaller pieces are faster to build than one large one."""


def _row_chunks(replay: Replay) -> Iterator[bytes]:
    """orjson's text of the rows ``[step, epoch, lr_0, …]``, a piece at a time: ``[[0,0.1],[1,0.1]]``."""
    for chunk in replay.chunks():
        columns = [*replay.index_values(chunk.rows), *chunk.series]
        for start in range(0, len(chunk.rows), TEXT_ROWS):
            yield orjson.dumps(list(zip(*(column[start : start + TEXT_ROWS] for column in columns))))


def delimited(replay: Replay, separator: str) -> Iterator[bytes]:
    """A header line, then ``epoch<sep>lr_0<sep>lr_1…`` per row (``step<sep>epoch<sep>…`` when
    stepping per iteration).

    >>> from lrcli.replay import replay
    >>> from lrcli.schedule import Schedule
    >>> text = b"".join(delimited(replay(Schedule.of("exp", gamma=0.5), [1.0], 2), ","))
    >>> print(text.decode(), end="")
    epoch,lr
    0,1.0
    1,0.5
    """
    yield separator.join(replay.columns).encode() + b"\n"
    for chunk in _row_chunks(replay):
        # Drop the outer brackets and make each "],[" a line break.
        lines = chunk.replace(b"],[", b"\n")
        if separator != ",":
            lines = lines.replace(b",", separator.encode())
        yield memoryview(lines)[2:-2]
        yield b"\n"


def json_document(replay: Replay) -> Iterator[bytes]:
    """One JSON object: the torch class, its parameters, the initial lrs, steps per epoch when
    stepping per iteration, and the rows.

    >>> from lrcli.replay import replay
    >>> from lrcli.schedule import Schedule
    >>> text = b"".join(json_document(replay(Schedule.of("exp", gamma=0.5), [1.0], 2)))
    >>> print(text.decode(), end="")
    {"scheduler":"ExponentialLR","params":{"gamma":0.5},"base_lrs":[1.0],"columns":["epoch","lr"],"rows":[[0,1.0],[1,0.5]]}
    """
    head = {"scheduler": replay.scheduler, "params": replay.params, "base_lrs": replay.base_lrs}
    if replay.steps_per_epoch:
        head["steps_per_epoch"] = replay.steps_per_epoch
    head.update(columns=replay.columns, rows=[])
    yield orjson.dumps(head)[: -len(b"[]}")] + b"["
    separator = b""
    for chunk in _row_chunks(replay):
        yield separator
        yield memoryview(chunk)[1:-1]
        separator = b","
    yield b"]}\n"
