"""The learning rate a real run logged, read from the framework's own files, and compared with a replay.

Each reader returns the logged values in file order, each with the step the framework wrote and
the replay row it is the lr of (the lr after that many ``scheduler.step()`` calls), as the
framework aligns them (measured on real runs, tests/data/golden/logs):

- transformers' ``trainer_state.json``: ``log_history[].learning_rate`` at ``step``. The
  ``Trainer`` reads the lr after ``optimizer.step()`` and before ``scheduler.step()`` and logs it
  at the step just counted: row ``step - 1``.
- mmengine's ``vis_data/scalars.json`` (a JSON object a line): ``lr`` at ``step``.
  ``RuntimeInfoHook`` records the lr before each iteration and ``LoggerHook`` writes it at
  ``step = iteration + 1``: row ``step - 1``.
- Ultralytics' ``results.csv``: ``lr/pg0`` (or ``lr/pg1``, ``lr/pg2``) at ``epoch`` (from 1),
  the lr of the epoch's last batch, written with ``%.6g``: batch row ``epoch * nb - 1``.
- Lightning's ``CSVLogger`` ``metrics.csv``: the ``lr-<Optimizer>`` column of
  ``LearningRateMonitor``, at ``step``, logged at the start of a batch after ``step`` optimizer
  steps: row ``step``.
- a plain CSV or TSV of step and lr (a header naming them is optional): row ``step``.

Files are read whole up to :data:`MAX_BYTES`, never executed; every fault is one
:class:`LogError` line naming the file and, where there is one, the line.
"""

from __future__ import annotations

import csv
import json
import math
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal, overload

from lrcli.engine.core import CHUNK_ROWS, GroupReplay, ScheduleError, Scheduler
from lrcli.loops import at_counts
from lrcli.replay import Replay as Chart
from lrcli.replay import Selection

MAX_BYTES = 64 * 2**20
"""The largest log read (64 MiB: millions of rows)."""

FORMATS = ("transformers", "mmengine", "ultralytics", "lightning", "tensorboard", "plain")

STEP_NAMES = ("step", "global_step", "iter", "iteration", "epoch", "batch", "index", "_step")
LR_NAMES = ("lr", "learning_rate", "value")
"""Plain-file header names, compared without case: the first of each found is read."""

ALIGNMENT = {
    "transformers": "row = step - 1: the Trainer logs, at step s, the lr update s trained with",
    "mmengine": "row = step - 1: mmengine logs, at step s, the lr of iteration s - 1",
    "ultralytics": "row = epoch × batches per epoch - 1: the lr of the epoch's last batch",
    "lightning": "row = step: LearningRateMonitor logs, at step s, the lr after s optimizer steps",
    "tensorboard": "row = step: the lr a step trains with, written at that step (before scheduler.step())",
    "tensorboard-transformers": "row = step - 1: the Trainer logs, at step s, the lr update s trained with",
    "tensorboard-lightning": "row = step: LearningRateMonitor logs, at step s, the lr after s optimizer steps",
    "tensorboard-mmengine": "row = step - 1: mmengine logs, at step s, the lr of iteration s - 1",
    "plain": "row = step",
}


class LogError(ValueError):
    """A log lrcli cannot read: one line naming the file and, where there is one, the line."""


@dataclass(frozen=True)
class Entry:
    """One logged lr: the ``step`` the framework wrote (Ultralytics: the epoch), the replay
    ``row`` it is the lr of, the ``value``, its ``text`` as written and its ``line`` (from 1)."""

    step: int
    row: int
    value: float
    text: str
    line: int


@dataclass(frozen=True)
class Log:
    """What a log holds: its ``format`` (one of :data:`FORMATS`), the ``column`` read, the entries,
    and whether the format rounds what it writes (``rounded``: compare within the digits shown;
    ``"float32"``: TensorBoard's ``simple_value``, equal to the lr rounded to a float32), and
    which framework's alignment it has when the format does not say (``aligned``)."""

    path: str
    format: str
    column: str
    entries: tuple[Entry, ...]
    rounded: bool | str
    aligned: str | None = None

    @property
    def alignment(self) -> str:
        return ALIGNMENT[self.aligned or self.format]


def read_log(
    path: str | Path,
    format: str | None = None,
    *,
    column: str | None = None,  # noqa: A002
    batches_per_epoch: int | None = None,
    max_bytes: int = MAX_BYTES,
) -> Log:
    """The lr logged in ``path``, read as ``format`` (by default told from its name and content);
    ``column`` picks another logged value (``lr/pg2``, ``lr-AdamW``); Ultralytics' epochs need
    ``batches_per_epoch`` to be aligned with a per-batch replay."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise LogError(f"{name}: cannot read it ({error.strerror or error})") from None
    return parse_log(name, data, format, column=column, batches_per_epoch=batches_per_epoch, max_bytes=max_bytes)


def parse_log(
    name: str,
    data: bytes,
    format: str | None = None,  # noqa: A002
    *,
    column: str | None = None,
    batches_per_epoch: int | None = None,
    max_bytes: int = MAX_BYTES,
) -> Log:
    """The log ``data`` (the bytes of a file, or of standard input), read as :func:`read_log`
    reads a file; ``name`` names it in errors.

    >>> parse_log("<stdin>", b"epoch,lr\\n0,0.1\\n1,0.05\\n").entries[1]
    Entry(step=1, row=1, value=0.05, text='0.05', line=3)
    """
    if len(data) > max_bytes:
        size = f"{max_bytes // 2**20} MiB" if max_bytes % 2**20 == 0 else f"{max_bytes} bytes"
        raise LogError(f"{name}: larger than {size}; lrcli reads logs up to that size")
    if format == "tensorboard" or format is None and _is_event_file(name, data):
        return _tensorboard(name, data, column)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LogError(f"{name}:{line}: not UTF-8 text") from None
    if format is None:
        format = detect_format(name, text)  # noqa: A001
    if format not in FORMATS:
        raise LogError(f"{name}: unknown log format {format!r} (lrcli reads {', '.join(FORMATS)})")
    if format == "ultralytics" and batches_per_epoch is None:
        raise LogError(
            f"{name}: Ultralytics logs the lr at the end of each epoch; give the batches per epoch "
            "(len(train_loader), --steps-per-epoch) to align it with the batches"
        )
    if batches_per_epoch is not None and (
        isinstance(batches_per_epoch, bool) or not isinstance(batches_per_epoch, int) or batches_per_epoch < 1
    ):
        raise LogError(f"{name}: batches per epoch must be a whole number >= 1, got {batches_per_epoch!r}")
    reader = {
        "transformers": _transformers,
        "mmengine": _mmengine,
        "ultralytics": _ultralytics,
        "lightning": _lightning,
        "plain": _plain,
    }[format]
    column, entries, rounded = reader(name, text, column, batches_per_epoch)
    if not entries:
        raise LogError(f"{name}: no {column!r} value in it")
    return Log(name, format, column, tuple(entries), rounded)


def detect_format(name: str, text: str) -> str:
    """The format of a log, from its file name, else its first line.

    >>> detect_format("run/trainer_state.json", "{"), detect_format("x.csv", "epoch,time,lr/pg0")
    ('transformers', 'ultralytics')
    """
    base = Path(name).name
    first = text.lstrip()[:4096].split("\n", 1)[0]
    if base == "trainer_state.json" or first.startswith("{") and '"log_history"' in text[:1_000_000]:
        return "transformers"
    if base == "scalars.json" or first.startswith("{"):
        return "mmengine"
    header = [field.strip() for field in re.split(r"[,\t]", first)]
    if base == "results.csv" or "lr/pg0" in header:
        return "ultralytics"
    if any(field.startswith("lr-") for field in header):
        return "lightning"
    return "plain"


@overload
def _number(name: str, line: int, key: str, text: object, whole: Literal[True]) -> int: ...
@overload
def _number(name: str, line: int, key: str, text: object, whole: Literal[False] = False) -> float: ...
def _number(name: str, line: int, key: str, text: object, whole: bool = False) -> float | int:
    """A logged number as Python reads it; ``whole`` for a step."""
    try:
        if not isinstance(text, str) or not text.strip():
            raise ValueError
        if whole:
            value = float(text)
            if not value.is_integer():
                raise ValueError
            return int(value)
        return float(text)
    except (ValueError, OverflowError):
        where = f"{name}:{line}" if line else name
        kind = "a whole number" if whole else "a number"
        raise LogError(f"{where}: {key} is {text!r}, not {kind}") from None


def _entry(
    name: str,
    line: int,
    step_text: object,
    value_text: object,
    column: str,
    offset: int,
    step_key: str = "step",
    scale: int = 1,
) -> Entry:
    step = _number(name, line, step_key, step_text, whole=True)
    value = _number(name, line, column, value_text)
    row = step * scale + offset
    if row < 0:
        where = f"{name}:{line}" if line else name
        raise LogError(f"{where}: {step_key} {step} is before the first scheduler step (row {row})")
    return Entry(step, row, value, str(value_text).strip(), line)


def _json(name: str, text: str, line: int = 0) -> object:
    try:
        return json.loads(text, parse_float=str, parse_int=str, parse_constant=str)  # numbers kept as written
    except json.JSONDecodeError as error:
        raise LogError(f"{name}:{line or error.lineno}: not JSON ({error.msg})") from None
    except RecursionError:
        raise LogError(f"{name}:{line or 1}: JSON nested too deeply") from None


def _transformers(name: str, text: str, column: str | None, _: int | None) -> tuple[str, list[Entry], bool]:
    column = column or "learning_rate"
    state = _json(name, text)
    history = state.get("log_history") if isinstance(state, dict) else None
    if not isinstance(history, list):
        raise LogError(f"{name}: no log_history list (is it a trainer_state.json?)")
    lines = [text.count("\n", 0, match.start()) + 1 for match in re.finditer(rf'"{re.escape(column)}"\s*:', text)]
    logged = [record for record in history if isinstance(record, dict) and column in record]
    lines = lines if len(lines) == len(logged) else [0] * len(logged)
    entries = []
    for record, line in zip(logged, lines):
        if "step" not in record:
            raise LogError(
                f"{name}:{line}: a log_history record has {column!r} but no 'step'"
                if line
                else f"{name}: a log_history record has {column!r} but no 'step'"
            )
        entries.append(_entry(name, line, record["step"], record[column], column, -1))
    return column, entries, False


def _mmengine(name: str, text: str, column: str | None, _: int | None) -> tuple[str, list[Entry], bool]:
    column = column or "lr"
    entries = []
    for line, content in enumerate(text.splitlines(), start=1):
        if not content.strip():
            continue
        record = _json(name, content, line)
        if not isinstance(record, dict):
            raise LogError(f"{name}:{line}: not a JSON object (scalars.json has one a line)")
        if column in record:
            if "step" not in record:
                raise LogError(f"{name}:{line}: {column!r} without a 'step'")
            entries.append(_entry(name, line, record["step"], record[column], column, -1))
    return column, entries, False


def _rows(name: str, text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """A CSV or TSV (tab if the first line has one): its first line and the other non-blank lines."""
    lines = text.splitlines()
    if not lines:
        raise LogError(f"{name}: empty")
    delimiter = "\t" if "\t" in lines[0] else ","
    try:
        rows = [
            (number, [field.strip() for field in fields])
            for number, fields in enumerate(csv.reader(lines, delimiter=delimiter), start=1)
            if fields
        ]
    except csv.Error as error:
        raise LogError(f"{name}: not CSV ({error})") from None
    if not rows:
        raise LogError(f"{name}: empty")
    return rows[0][1], rows[1:]


def _column(name: str, header: list[str], wanted: str, what: str) -> int:
    if wanted not in header:
        raise LogError(f"{name}:1: no {wanted!r} column ({what}: {', '.join(header)})")
    return header.index(wanted)


def _table(name: str, text: str, step_name: str, column: str, offset: int, scale: int = 1) -> list[Entry]:
    header, rows = _rows(name, text)
    step_index = _column(name, header, step_name, "the columns are")
    value_index = _column(name, header, column, "the columns are")
    entries = []
    for line, fields in rows:
        value = fields[value_index] if value_index < len(fields) else ""
        if value:
            step = fields[step_index] if step_index < len(fields) else ""
            entries.append(_entry(name, line, step, value, column, offset, step_name, scale))
    return entries


def _ultralytics(
    name: str, text: str, column: str | None, batches_per_epoch: int | None
) -> tuple[str, list[Entry], bool]:
    column = column or "lr/pg0"
    assert batches_per_epoch is not None  # read_log refuses an Ultralytics log without it
    return column, _table(name, text, "epoch", column, -1, batches_per_epoch), True


def _lightning(name: str, text: str, column: str | None, _: int | None) -> tuple[str, list[Entry], bool]:
    header, _rows_ = _rows(name, text)
    if column is None:
        found = [
            field for field in header if field.startswith("lr-") and not field.endswith(("-momentum", "-weight_decay"))
        ]
        if not found:
            raise LogError(
                f"{name}:1: no lr-<Optimizer> column (LearningRateMonitor's); the columns are {', '.join(header)}"
            )
        column = found[0]
    return column, _table(name, text, "step", column, 0), False


def _plain(name: str, text: str, column: str | None, _: int | None) -> tuple[str, list[Entry], bool]:
    header, rows = _rows(name, text)
    lowered = [field.lower() for field in header]
    step_index: int | None
    value_index: int | None
    if all(_is_number(field) for field in header):  # no header: step, lr
        if len(header) < 2:
            raise LogError(f"{name}:1: a plain log has two columns, step and lr; this line has {len(header)}")
        if column is not None:
            raise LogError(f"{name}:1: has no header, so no column {column!r}")
        column, rows = "lr", [(1, header), *rows]
        step_index, value_index, step_key = 0, 1, "step"
    else:
        step_index = next((lowered.index(step) for step in STEP_NAMES if step in lowered), None)
        if column is not None:
            value_index = _column(name, header, column, "the columns are")
        else:
            value_index = next((lowered.index(lr) for lr in LR_NAMES if lr in lowered), None)
        if step_index is None or value_index is None:
            raise LogError(
                f"{name}:1: no step and lr columns in the header ({', '.join(header)}); lrcli looks for "
                f"{'/'.join(STEP_NAMES)} and {'/'.join(LR_NAMES)}"
            )
        column, step_key = header[value_index], header[step_index]
    entries = []
    for line, fields in rows:
        if max(step_index, value_index) >= len(fields):
            raise LogError(
                f"{name}:{line}: {len(fields)} fields; the step and lr are in columns "
                f"{step_index + 1} and {value_index + 1}"
            )
        entries.append(_entry(name, line, fields[step_index], fields[value_index], column, 0, step_key))
    return column, entries, any(not _canonical(entry.text) for entry in entries)


def _is_event_file(name: str, data: bytes) -> bool:
    from lrcli.tensorboard import looks_like_event_file

    return "tfevents" in Path(name).name or looks_like_event_file(data)


LR_TAG = re.compile(r"(^|[/_.-])(lr|learning_rate)($|[/_.-])", re.IGNORECASE)
"""A TensorBoard tag that names an lr (``lr``, ``train/learning_rate``, ``lr-SGD``, ``lr/head``)."""


def lr_tags(tags: Sequence[str]) -> list[str]:
    """The tags that name an lr (not a momentum or weight decay logged beside it).

    >>> lr_tags(["loss", "train/learning_rate", "lr-SGD", "lr-SGD-momentum", "clr", "lr/head"])
    ['train/learning_rate', 'lr-SGD', 'lr/head']
    """
    return [tag for tag in tags if LR_TAG.search(tag) and not tag.endswith(("momentum", "weight_decay"))]


def _tensorboard(name: str, data: bytes, column: str | None) -> Log:
    """A TensorBoard event file's lr tag (``column``, or the one tag naming an lr), aligned as the
    framework that wrote the tag logs it: transformers' ``train/learning_rate`` and mmengine's
    ``lr`` (beside its ``data_time`` and ``time``) at step s are row s - 1, Lightning's
    ``lr-<Optimizer>`` and any other tag at step s is row s."""
    from lrcli.tensorboard import EventFileError, scalars

    try:
        found = list(scalars(data))
    except EventFileError as error:
        raise LogError(f"{name}: {error}") from None
    tags = list(dict.fromkeys(tag for _, tag, _, _ in found))
    if column is None:
        named = lr_tags(tags)
        if len(named) != 1:
            what = f"several lr tags ({', '.join(named)}): name one" if named else "no lr tag: name one"
            raise LogError(f"{name}: {what} with --column (or --logged-column); its tags are {', '.join(tags)}")
        column = named[0]
    elif column not in tags:
        raise LogError(f"{name}: no {column!r} tag (its tags are {', '.join(tags) or 'none'})")
    aligned = (
        "tensorboard-transformers"
        if column == "train/learning_rate"
        else "tensorboard-lightning"
        if column.startswith("lr-")
        else "tensorboard-mmengine"
        if column == "lr" and {"data_time", "time"} <= set(tags)  # LoggerHook's scalars
        else None
    )
    offset = -1 if aligned in ("tensorboard-transformers", "tensorboard-mmengine") else 0
    entries = []
    for byte, tag, step, value in found:
        if tag == column:
            if step + offset < 0:
                raise LogError(
                    f"{name}: byte {byte}: step {step} is before the first scheduler step (row {step + offset})"
                )
            entries.append(Entry(step, step + offset, value, repr(value), 0))
    return Log(name, "tensorboard", column, tuple(entries), "float32", aligned)


def as_float32(value: float) -> float:
    """``value`` rounded to the nearest float32 (as TensorBoard stores a scalar), as a float.

    >>> as_float32(0.1), as_float32(0.5), as_float32(1e300)
    (0.10000000149011612, 0.5, inf)
    """
    import struct

    try:
        return struct.unpack("<f", struct.pack("<f", value))[0]
    except OverflowError:
        return math.copysign(math.inf, value)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _canonical(text: str) -> bool:
    """Whether ``text`` is how Python writes its float (``repr``), or a whole number: a log of such
    texts may hold every bit; another spelling (``0.100000``, ``1.00e-04``) rounds.

    >>> _canonical("0.1"), _canonical("1e-05"), _canonical("0"), _canonical("0.100000"), _canonical("1.0e-4")
    (True, True, True, False, False)
    """
    if re.fullmatch(r"[+-]?\d+", text):
        return True
    try:
        return repr(float(text)) == text.lower()
    except ValueError:
        return False


def within(text: str, value: float) -> bool:
    """Whether ``value`` rounds to the logged ``text``: at most half a unit of its last digit away.

    >>> within("0.00266667", 0.0026666666666666666), within("0.00266667", 0.0026666), within("0.3", 0.3)
    (True, False, True)
    """
    try:
        shown = Decimal(text)
    except InvalidOperation:
        return False
    if not shown.is_finite() or not math.isfinite(value):
        return float(shown) == value
    exponent = shown.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite Decimal's
    return abs(Decimal(value) - shown) <= Decimal(5).scaleb(exponent - 1)


Replay = Callable[[Sequence[int]], list[float]]
"""``replay(rows)``: the replayed lr at each of ``rows`` (any order, usually increasing)."""


def replayer(scheduler: Scheduler, lr: float, optimizer_lr: float | None = None) -> Replay:
    """The :data:`Replay` of one param group under ``scheduler`` (lrcli's engine), replayed in order
    from its constructor up to the rows asked for.

    >>> from lrcli.engine.torch.multiplicative import step_lr
    >>> replayer(step_lr(step_size=2, gamma=0.5), 1.0)([0, 3, 4])
    [1.0, 0.5, 0.25]
    """

    def replay(rows: Sequence[int]) -> list[float]:
        rows = list(rows)
        group = GroupReplay(at_counts(scheduler, rows), lr, optimizer_lr)
        return [value for chunk in group.chunks(len(rows)) for value in chunk]

    return replay


class Logged(GroupReplay):
    """A log's values as a replay's value column: at a logged row its value (the last logged
    there), at a row between two logged ones the earlier's, before the first the first's. An
    :func:`overlay` shows only the logged rows.

    >>> log = parse_log("-", b"step,lr\\n1,0.5\\n3,0.25\\n")
    >>> list(Logged(log).chunks(5, size=3))
    [[0.5, 0.5, 0.5], [0.25, 0.25]]
    """

    def __init__(self, log: Log) -> None:  # no scheduler: the values are read, not stepped
        by_row = {entry.row: entry.value for entry in log.entries}
        self.rows = sorted(by_row)
        self.values = [by_row[row] for row in self.rows]

    def chunks(self, rows: int, size: int = CHUNK_ROWS) -> Iterator[list[float]]:
        for first in range(0, rows, size):
            yield [
                self.values[max(bisect_right(self.rows, row) - 1, 0)] for row in range(first, min(first + size, rows))
            ]


def overlay(log: Log, scheduler: Scheduler, lr: float, title: str, steps_per_epoch: int | None = None) -> Chart:
    """The logged lr and the replay from ``lr`` under ``scheduler`` as the two value columns
    (``logged``, ``replayed``) of one replay, at the logged rows only, for the renderers to draw
    (``steps_per_epoch`` lets them count epochs).

    >>> from lrcli.engine.torch.multiplicative import step_lr
    >>> log = parse_log("-", b"step,lr\\n0,1.0\\n2,0.25\\n")
    >>> [(chunk.rows, chunk.series) for chunk in overlay(log, step_lr(step_size=2, gamma=0.5), 1.0, "t").chunks()]
    [([0, 2], [[1.0, 0.25], [1.0, 0.5]])]
    """
    logged = Logged(log)
    name = f"logged {log.column} ({Path(log.path).name}) and {title}, initial lr {lr!r}"
    return Chart(
        "check",
        {},
        name,
        name,
        [lr, lr],
        logged.rows[-1] + 1,
        True,
        steps_per_epoch,
        False,
        Selection(at=tuple(logged.rows)),
        [logged, GroupReplay(scheduler, lr, lr)],
        labels=["logged", "replayed"],
    )


@dataclass(frozen=True)
class Divergence:
    """The first logged entry the replay does not give, and the replayed value."""

    entry: Entry
    replayed: float


@dataclass(frozen=True)
class Comparison:
    """A log against a replay: ``rows`` compared, how many are ``equal`` (``==``, or within the
    logged digits when the log ``rounded``), how many ``exact`` (``==``), the first divergence, and
    the likely causes (sentences; empty when none explains every row searched)."""

    rows: int
    equal: int
    exact: int
    rounded: bool | str
    first: Divergence | None
    causes: tuple[str, ...]

    @property
    def agree(self) -> bool:
        return self.rows > 0 and self.equal == self.rows


FACTORS = range(2, 65)
"""The step multiples and accumulation counts the cause search tries."""


def compare(log: Log, replay: Replay, *, rounded: bool | str | None = None, search_rows: int = 2000) -> Comparison:
    """Compare every logged entry with the replay at its row; when they differ, try the likely
    causes on the first ``search_rows`` entries (:func:`likely_causes`). ``rounded`` overrides the
    log's own (``True``: equal within the digits shown)."""
    rounded = log.rounded if rounded is None else rounded
    entries = log.entries
    replayed = replay([entry.row for entry in entries])
    same = _matcher(rounded)
    exact = sum(entry.value == value for entry, value in zip(entries, replayed))
    flags = [same(entry, value) for entry, value in zip(entries, replayed)]
    first = next((Divergence(entry, value) for entry, value, flag in zip(entries, replayed, flags) if not flag), None)
    causes = () if first is None else likely_causes(entries[:search_rows], replay, rounded)
    return Comparison(len(entries), sum(flags), exact, rounded, first, causes)


def agrees(log: Log, replay: Replay) -> bool:
    """Whether ``replay`` gives every logged value (within the digits shown, when the log rounds).

    >>> from lrcli.engine.torch.multiplicative import step_lr
    >>> log = parse_log("-", b"step,lr\\n0,1.0\\n2,0.5\\n")
    >>> agrees(log, replayer(step_lr(step_size=2, gamma=0.5), 1.0)), agrees(log, replayer(step_lr(step_size=1), 1.0))
    (True, False)
    """
    same = _matcher(log.rounded)
    return all(same(entry, value) for entry, value in zip(log.entries, replay([entry.row for entry in log.entries])))


def initial_lr(
    log: Log, replay_at: Callable[[float], Replay], lr: float, *, rounded: bool | str | None = None
) -> float | None:
    """Another initial lr under which the replay gives every logged value (``replay_at(lr)`` is
    the replay from that lr), or None: the log being the replay scaled, the lr is read from the
    first entry where both are nonzero (``lr * logged / replayed``, to the 12 digits an lr is
    typed with) and then checked on every entry.

    >>> from lrcli.engine.torch.multiplicative import step_lr
    >>> log = parse_log("-", b"step,lr\\n0,0.003\\n1,0.003\\n2,0.00030000000000000003\\n")
    >>> initial_lr(log, lambda lr: replayer(step_lr(step_size=2), lr), 0.1)
    0.003
    """
    rounded = log.rounded if rounded is None else rounded
    entries = log.entries
    replayed = replay_at(lr)([entry.row for entry in entries])
    pair = next(
        ((entry.value, value) for entry, value in zip(entries, replayed) if entry.value != 0 and value != 0), None
    )
    if pair is None:
        return None
    try:
        found = float(f"{lr * pair[0] / pair[1]:.12g}")
    except (OverflowError, ValueError):
        return None
    if found == lr or not 0 < found < math.inf:
        return None
    same = _matcher(rounded)
    values = replay_at(found)([entry.row for entry in entries])
    return found if all(same(entry, value) for entry, value in zip(entries, values)) else None


def _matcher(rounded: bool | str) -> Callable[[Entry, float], bool]:
    if rounded == "float32":
        return lambda entry, value: entry.value == value or entry.value == as_float32(value)
    if rounded:
        return lambda entry, value: entry.value == value or within(entry.text, value)
    return lambda entry, value: entry.value == value


def likely_causes(entries: Sequence[Entry], replay: Replay, rounded: bool | str = False) -> tuple[str, ...]:
    """The causes, of those lrcli knows, that explain every entry given: the log one step ahead
    of or behind the replay; the scheduler stepped ``m`` times per logged step (accelerate on
    ``m`` processes); stepped once every ``m`` logged steps (the log counts batches, the scheduler
    optimizer updates under accumulation ``m``); the schedule restarted or moved where a run was
    resumed. Each is tried on a few entries first, then on all of them."""
    same = _matcher(rounded)
    causes = []

    def explains(mapping: Callable[[int], int]) -> bool:
        sample = list(entries[:8]) + list(entries[8:][-1:])
        for group in (sample, entries):
            rows = [mapping(entry.row) for entry in group]
            if min(rows) < 0:
                return False
            try:
                values = replay(rows)
            except (ScheduleError, ArithmeticError, ValueError):
                return False
            if not all(same(entry, value) for entry, value in zip(group, values)):
                return False
        return True

    if explains(lambda row: row + 1):
        causes.append(
            "the log is one step ahead of the replay: it shows the lr after each step, not the lr the "
            "step trained with (a DeepSpeed scheduler under the Trainer steps inside optimizer.step())"
        )
    if explains(lambda row: row - 1):
        causes.append(
            "the log is one step behind the replay: it shows the lr each step trained with, read before "
            "scheduler.step()"
        )
    for factor in FACTORS:
        if explains(factor.__rmul__):  # row * factor
            causes.append(
                f"the scheduler stepped {factor} times per logged step: accelerate steps a prepared "
                f"scheduler once per process at every update (here {factor} processes, without "
                f"split_batches); build it for {factor}× the steps, as diffusers' scripts do"
            )
            break
    for factor in FACTORS:
        if explains(factor.__rfloordiv__):  # row // factor
            causes.append(
                f"the scheduler stepped once every {factor} logged steps: the log counts batches and the "
                f"scheduler steps once per optimizer update (gradient accumulation {factor})"
            )
            break
    resumed = _resumed(entries, replay, same)
    if resumed:
        causes.append(resumed)
    return tuple(causes)


def _resumed(entries: Sequence[Entry], replay: Replay, same: Callable[[Entry, float], bool]) -> str | None:
    """A run that, from its first divergence on, follows the schedule from another row: restarted
    (row 0) or resumed at the wrong row."""
    rows = [entry.row for entry in entries]
    if rows != sorted(rows):
        return None
    values = replay(rows)
    split = next((index for index, (entry, value) in enumerate(zip(entries, values)) if not same(entry, value)), None)
    if split is None or split == 0:
        return None
    at = entries[split]
    candidates = replay(range(at.row + 1))
    for start in (row for row, value in enumerate(candidates) if same(at, value) and row != at.row):
        shift = at.row - start
        later = entries[split:]
        try:
            moved = replay([entry.row - shift for entry in later])
        except (ScheduleError, ArithmeticError, ValueError):
            continue
        if all(same(entry, value) for entry, value in zip(later, moved)):
            if start == 0:
                return (
                    f"from step {at.step} on, the log is the schedule started again from its first row: the run "
                    "was resumed there with a new scheduler, its state not loaded (load the scheduler's "
                    "state_dict with the optimizer's)"
                )
            return (
                f"from step {at.step} on, the log is the schedule from row {start}, not row {at.row}: the run was "
                f"resumed there with the scheduler {shift} steps behind"
            )
    return None
