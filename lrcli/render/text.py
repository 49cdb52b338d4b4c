"""CSV, TSV and JSON, with every lr in the shortest text that reads back as the same float.

One text form serves every size and every format: orjson's (:mod:`lrcli.render.floats`).
``float(field)`` gives back the exact value.

The text comes as a stream of byte chunks, one per chunk of rows the replay computes, so that any
number of rows is written in flat memory, and a reader such as ``head`` gets the first rows at
once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import orjson

from lrcli.render.summary import Summaries
from lrcli.replay import Replay, change_offsets

TEXT_ROWS = 8192
"""Rows serialized at a time: smaller pieces are faster to build than one large one."""


def _rows_json(columns: list[Sequence[float]]) -> Iterator[bytes]:
    """orjson's text of the rows ``[step, epoch, lr_0, …]`` of these columns, a piece at a time:
    ``[[0,0.1],[1,0.1]]``."""
    for start in range(0, len(columns[0]), TEXT_ROWS):
        yield orjson.dumps(list(zip(*(column[start : start + TEXT_ROWS] for column in columns))))


def _rows_json_lines(columns: list[Sequence[float]], separator: bytes) -> Iterator[bytes | memoryview]:
    """The rows as lines, ``separator`` between fields, from orjson's text of them."""
    for text in _rows_json(columns):
        # Drop the outer brackets and make each "],[" a line break.
        lines = text.replace(b"],[", b"\n")
        if separator != b",":
            lines = lines.replace(b",", separator)
        yield memoryview(lines)[2:-2]
        yield b"\n"


def _runs_lines(
    rows: range, per_epoch: int | None, series: list[list[float]], separator: bytes, starts: list[int]
) -> bytes:
    """The rows as lines when they fall in few runs of equal values: within a run every line ends
    alike (``,epoch,lr…\n``), so the run's row numbers are written once by orjson and that shared
    ending put between them, in C, and each value is formatted once per run."""
    pieces = []
    for start, stop in zip(starts, [*starts[1:], len(rows)]):
        fields = [orjson.dumps(values[start]) for values in series]
        if per_epoch:
            fields.insert(0, str(rows[start] // per_epoch).encode())
        tail = separator + separator.join(fields) + b"\n"
        pieces += [orjson.dumps(list(rows[start:stop]))[1:-1].replace(b",", tail), tail]
    return b"".join(pieces)


def delimited(replay: Replay, separator: str) -> Iterator[bytes | memoryview]:
    """A header line, then ``epoch<sep>lr_0<sep>lr_1…`` per row (``step<sep>epoch<sep>…`` when
    stepping per iteration).

    >>> from lrcli.replay import replay
    >>> from lrcli.schedules import Schedule
    >>> text = b"".join(delimited(replay(Schedule.of("exp", gamma=0.5), [1.0], 2), ","))
    >>> print(text.decode(), end="")
    epoch,lr
    0,1.0
    1,0.5
    """
    chunks = replay.chunks()  # the first chunk computed before the header: a refusal there writes nothing
    yield separator.join(replay.columns).encode() + b"\n"
    sep = separator.encode()
    per_epoch = replay.steps_per_epoch if replay.per_step else None
    for chunk in chunks:
        if isinstance(chunk.rows, range):
            # Runs of equal values, cut at epoch boundaries when there is an epoch column.
            starts = change_offsets(chunk.series, None)
            if per_epoch and len(starts) * 8 < len(chunk.rows):
                first = chunk.rows.start
                boundaries = range(-first % per_epoch, len(chunk.rows), per_epoch)
                starts = sorted({*starts, *boundaries})
            if len(starts) * 8 < len(chunk.rows):
                yield _runs_lines(chunk.rows, per_epoch, chunk.series, sep, starts)
                continue
        yield from _rows_json_lines([*replay.index_values(chunk.rows), *chunk.series], sep)


def json_document(replay: Replay, summary: bool = False) -> Iterator[bytes | memoryview]:
    """One JSON object: the torch class, its parameters, the initial lrs, steps per epoch when
    stepping per iteration, the training loop when it is not the usual one, the rows, and with ``summary`` a summary of each value column. A
    comparison lists its schedules instead (label, torch class, parameters, call).

    >>> from lrcli.replay import replay
    >>> from lrcli.schedules import Schedule
    >>> text = b"".join(json_document(replay(Schedule.of("exp", gamma=0.5), [1.0], 2)))
    >>> print(text.decode(), end="")
    {"scheduler":"ExponentialLR","params":{"gamma":0.5},"base_lrs":[1.0],"columns":["epoch","lr"],"rows":[[0,1.0],[1,0.5]]}
    """
    if replay.compared is not None:
        head = {"schedules": replay.compared, "base_lrs": replay.base_lrs}
    else:
        head = {"scheduler": replay.scheduler, "params": replay.params, "base_lrs": replay.base_lrs}
    if replay.steps_per_epoch:
        head["steps_per_epoch"] = replay.steps_per_epoch
    if replay.loop is not None:
        head["loop"] = replay.loop
    head.update(columns=replay.columns, rows=[])
    chunks = replay.chunks()  # the first chunk computed before anything is written: a refusal there writes nothing
    try:
        text = orjson.dumps(head)
    except TypeError:  # an integer beyond 64 bits (torch takes one): the standard library writes it
        import json

        text = json.dumps(head, separators=(",", ":"), allow_nan=False).encode()
    yield text[: -len(b"[]}")] + b"["
    gathered = Summaries(replay) if summary else None
    separator = b""
    for chunk in chunks:
        if gathered is not None:
            gathered.add(chunk)
        for piece in _rows_json([*replay.index_values(chunk.rows), *chunk.series]):
            yield separator
            yield memoryview(piece)[1:-1]
            separator = b","
    yield b"]"
    if gathered is not None:
        yield b',"summary":' + orjson.dumps(gathered.result())
    yield b"}\n"
