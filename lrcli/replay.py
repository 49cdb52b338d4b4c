"""Replay a configured scheduler over an optimizer's param groups, a chunk of rows at a time.

:func:`replay` turns a :class:`~lrcli.schedules.Schedule`, the initial lr of each param group, a
horizon and a :class:`Selection` of rows into a :class:`Replay`, whose :meth:`Replay.chunks` every
renderer reads once. Nothing holds all rows: a chunk is computed, selected from, handed on.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from itertools import chain, compress
from operator import ne, or_

from lrcli.engine.core import CHUNK_ROWS, GroupReplay, ScheduleError, check_lr
from lrcli.engine.loop import Loop
from lrcli.schedules import Schedule

MAX_ROWS = 1_000_000_000
DEFAULT_EPOCHS = 10


@dataclass(frozen=True)
class Selection:
    """Which rows to show, counted in the row unit: the window ``[start:stop]`` (Python slice
    semantics), then every ``every``-th row of it (its last row too), or only the rows where an lr
    changes (``changes``, with the window's first and last); or just the rows ``at`` (negative
    ones count from the end: :func:`replay` turns them into rows)."""

    start: int | None = None
    stop: int | None = None
    every: int | None = None
    changes: bool = False
    at: tuple[int, ...] | None = None

    def window(self, rows: int) -> range:
        """The rows of the window.

        >>> Selection(start=-3).window(10), Selection(stop=4).window(10)
        (range(7, 10), range(0, 4))
        """
        first, stop, _ = slice(self.start, self.stop).indices(rows)
        return range(first, max(first, stop))

    @property
    def thins(self) -> bool:
        """Whether rows are picked from the window (so shown rows are not contiguous)."""
        return bool(self.every or self.changes or self.at is not None)


@dataclass(frozen=True)
class Chunk:
    """Some selected rows, in order: their indices and one list of values per value column."""

    rows: Sequence[int]
    series: list[list[float]]


@dataclass
class Replay:
    """A replayed schedule: what it is, its shape, and its rows as a stream of chunks.

    ``rows`` is the length of the whole run; rows are epochs, or optimizer steps when
    ``per_step`` (``steps_per_epoch`` of them per epoch when known). ``done`` counts the rows
    computed so far, for progress reports; ``watch()``, when set, is called after each chunk is
    computed, whether or not it holds selected rows (the CLI stops there when the reader of its
    output has gone: a selection of few rows may go a long time without a write that would
    tell); ``warnings`` gathers what the user should hear of
    (the first negative lr). A comparison of several schedules (:func:`compare`) names its value
    columns by ``labels`` and lists the schedules in ``compared``. ``loop`` says how the training
    loop steps the scheduler, where it is not the usual loop (:class:`~lrcli.engine.loop.Loop`'s
    fields). Given ``pairs`` of its value
    columns, it finds ``first_difference`` among the rows computed: the first row where the two
    columns of a pair differ, with their values. ``events(window, most)`` gives
    the first ``most`` rows inside ``window`` where the schedule changes course (milestones,
    restarts), for plots to mark (see :meth:`Schedule.events`). ``value_name`` names
    what the values are (``lr``; an OpenMMLab config may schedule momentum or weight decay).
    """

    scheduler: str
    params: dict[str, object]
    title: str
    brief_title: str
    base_lrs: list[float]
    rows: int
    per_step: bool
    steps_per_epoch: int | None
    momentum: bool
    selection: Selection
    replays: list[GroupReplay] = field(repr=False)
    done: int = 0
    warnings: list[str] = field(default_factory=list)
    labels: list[str] | None = None
    compared: list[dict[str, object]] | None = None
    events: Callable[[range, int], list[int]] = lambda window, most: []
    value_name: str = "lr"
    watch: Callable[[], None] | None = field(default=None, repr=False)
    pairs: list[tuple[int, int]] | None = None
    first_difference: tuple[int, float, float] | None = None
    loop: dict[str, object] | None = None

    @property
    def groups(self) -> int:
        return len(self.base_lrs)

    @property
    def index_columns(self) -> list[str]:
        return index_columns(self.per_step, self.steps_per_epoch)

    @property
    def unit(self) -> str:
        return self.index_columns[0]

    @property
    def value_columns(self) -> list[str]:
        """``lr`` for one group, ``lr_0, lr_1, …`` for several; then the momentum likewise (a
        comparison: its labels)."""
        if self.labels is not None:
            return self.labels
        names = [self.value_name] + (["momentum"] if self.momentum else [])
        if self.groups == 1:
            return names
        return [f"{name}_{group}" for name in names for group in range(self.groups)]

    @property
    def columns(self) -> list[str]:
        return self.index_columns + self.value_columns

    @property
    def span(self) -> range:
        """The rows the selection reaches over: the window, or (``--at``) rows 0 to the last named."""
        return range(0, self.limit) if self.selection.at is not None else self.selection.window(self.rows)

    @property
    def limit(self) -> int:
        """How many rows must be computed to show the selection."""
        if self.selection.at is not None:
            return max(self.selection.at, default=-1) + 1
        return self.selection.window(self.rows).stop

    def index_values(self, rows: Sequence[int]) -> list[Sequence[int]]:
        """The index columns' values for these rows.

        >>> replay(Schedule.of("step", step_size=1), [1.0], steps=6, steps_per_epoch=4).index_values(range(3, 6))
        [range(3, 6), [0, 1, 1]]
        """
        if self.per_step and self.steps_per_epoch:
            return [rows, [row // self.steps_per_epoch for row in rows]]
        return [rows]

    @property
    def chunk_rows(self) -> int:
        """Rows computed at a time: about :data:`CHUNK_ROWS` values in all, however many columns.

        >>> replay(Schedule.of("exp", gamma=0.5), [0.1] * 1000).chunk_rows
        65
        """
        return max(CHUNK_ROWS // len(self.value_columns), 16)

    def chunks(self) -> Iterator[Chunk]:
        """The selected rows, computed a chunk at a time, checked as torch's optimizers take them.
        The first chunk with selected rows is computed before this returns, so that a renderer
        that asks for the chunks before writing its header writes nothing when that chunk is
        refused."""
        stream = self._checked()
        first = next(stream, None)
        return stream if first is None else chain([first], stream)

    def _checked(self) -> Iterator[Chunk]:
        try:
            yield from self._chunks()
        except (ArithmeticError, ValueError) as error:
            raise _arithmetic_failure(error) from None

    def _chunks(self) -> Iterator[Chunk]:
        limit = self.limit
        size = self.chunk_rows
        lr_streams = [group.chunks(limit, size) for group in self.replays]
        picker = _Picker(self.selection, self.rows)
        several = self.groups > 1
        momenta = [group.stepper.momentum for group in self.replays] if self.momentum else []
        for first in range(0, limit, size):
            stop = min(first + size, limit)
            lrs = [next(stream) for stream in lr_streams]
            for group, values in enumerate(lrs):
                bad, negative = _first_invalid(values)
                if bad is None and (negative is None or self.warnings):
                    continue
                row = negative if bad is None else bad
                assert row is not None  # one of them is found
                where = f"the lr at {self.unit} {first + row}" + (f" of group {group}" if several else "")
                if bad is not None:
                    check_lr(values[bad], where)
                assert negative is not None  # check_lr refused the bad value
                self.warnings.append(
                    f"{where} is {values[negative]!r}, below 0; torch computes it too, and its "
                    "optimizers step with it (only their constructors check lr)"
                )
            if self.pairs is not None and self.first_difference is None:
                self.first_difference = _first_difference(lrs, self.pairs, first)
            series = lrs
            if self.momentum:
                series = lrs + [momentum(first, stop) for momentum in momenta if momentum is not None]
            self.done = stop
            if self.watch is not None:
                self.watch()
            picked = picker.pick(first, stop, lrs)
            if picked is None:
                yield Chunk(range(first, stop), series)
            elif picked:
                yield Chunk(
                    [first + offset for offset in picked], [[values[offset] for offset in picked] for values in series]
                )


def _with_row(events: Callable[[range, int], list[int]], row: int | None) -> Callable[[range, int], list[int]]:
    """``events`` and ``row`` too (where a run resumes), when it is inside the window.

    >>> _with_row(lambda window, most: [3, 8], 5)(range(10), 24)
    [3, 5, 8]
    """
    if row is None:
        return events
    return lambda window, most: sorted({*events(window, most), *([row] if window.start < row < window.stop else [])})[
        :most
    ]


def _first_difference(
    lrs: list[list[float]], pairs: list[tuple[int, int]], first: int
) -> tuple[int, float, float] | None:
    """The first row of a chunk (starting at row ``first``) where the columns of a pair differ.

    >>> _first_difference([[1.0, 0.5, 0.2], [1.0, 0.5, 0.25]], [(0, 1)], 10)
    (12, 0.2, 0.25)
    """
    found = None
    for one, other in pairs:
        offset = next((i for i, (a, b) in enumerate(zip(lrs[one], lrs[other])) if a != b), None)
        if offset is not None and (found is None or offset < found[0]):
            found = (offset, lrs[one][offset], lrs[other][offset])
    return None if found is None else (first + found[0], found[1], found[2])


def rows_are_steps(schedule: Schedule, steps: int | None, steps_per_epoch: int | None) -> bool:
    """Whether a row is an optimizer step: with ``--steps`` or ``--steps-per-epoch``, or for a
    schedule stepped per optimizer step by design."""
    return steps is not None or steps_per_epoch is not None or schedule.description.unit == "step"


def index_columns(per_step: bool, steps_per_epoch: int | None) -> list[str]:
    """``epoch``; or ``step`` (and ``epoch`` when steps per epoch are known).

    >>> index_columns(False, None), index_columns(True, None), index_columns(True, 4)
    (['epoch'], ['step'], ['step', 'epoch'])
    """
    if not per_step:
        return ["epoch"]
    return ["step", "epoch"] if steps_per_epoch else ["step"]


class _Picker:
    """The offsets a selection keeps in each chunk (None: all of them), carrying what it needs
    (the lrs of the row before, for ``changes``) from one chunk to the next."""

    def __init__(self, selection: Selection, rows: int) -> None:
        self.selection = selection
        self.window = selection.window(rows)
        self.at = sorted(set(selection.at)) if selection.at is not None else None
        self.previous: tuple[float, ...] | None = None

    def pick(self, first: int, stop: int, lrs: list[list[float]]) -> list[int] | None:
        selection, window = self.selection, self.window
        if self.at is not None:
            return [row - first for row in self.at[bisect_left(self.at, first) : bisect_left(self.at, stop)]]
        low, high = max(first, window.start), min(stop, window.stop)
        if low >= high:
            return []
        if not selection.thins:
            return None if (low, high) == (first, stop) else list(range(low - first, high - first))
        last = window.stop - 1
        if selection.every:
            offset = (low - window.start) % selection.every
            kept = list(
                range(low - first + (selection.every - offset) % selection.every, high - first, selection.every)
            )
            if first <= last < stop and (not kept or kept[-1] != last - first):
                kept.append(last - first)
            return kept
        # changes: the window's first row, every row whose lrs differ from the row before, its last row
        before = None
        if low > first:
            before = tuple(values[low - first - 1] for values in lrs)
        elif self.previous is not None:
            before = self.previous
        kept = change_offsets(lrs, before, low - first, high - first)
        if low == window.start and (not kept or kept[0] != low - first):
            kept.insert(0, low - first)
        if first <= last < stop and kept[-1:] != [last - first]:
            kept.append(last - first)
        self.previous = tuple(values[high - first - 1] for values in lrs)
        return kept


def change_offsets(
    series: list[list[float]], before: tuple[float, ...] | None, low: int = 0, high: int | None = None
) -> list[int]:
    """The offsets in ``low … high - 1`` where some series differs from the row before; the row
    before ``low`` is ``before`` when ``low`` is 0 (None: the first row counts as a change).

    >>> change_offsets([[1.0, 1.0, 0.5, 0.5], [2.0, 1.0, 1.0, 1.0]], None)
    [0, 1, 2]
    >>> change_offsets([[1.0, 1.0, 0.5]], (1.0,))
    [2]
    """
    high = len(series[0]) if high is None else high
    if low >= high:
        return []
    previous = before if low == 0 else tuple(values[low - 1] for values in series)
    kept = [low] if previous is None or any(values[low] != value for values, value in zip(series, previous)) else []
    if all(values[low:high].count(values[low]) == high - low for values in series):
        return kept  # the common case of long runs: one C-speed count instead of a comparison per row
    changed = map(ne, series[0][low + 1 : high], series[0][low : high - 1])
    for values in series[1:]:
        changed = map(or_, changed, map(ne, values[low + 1 : high], values[low : high - 1]))
    return kept + list(compress(range(low + 1, high), changed))


def _first_invalid(values: list[float]) -> tuple[int | None, int | None]:
    """Indices of the first NaN, infinite or non-real value (torch would stop there: refused),
    and of the first negative one (torch computes it, and its optimizers step with it: shown,
    with a warning); None where there is none.

    >>> _first_invalid([0.1, -1e-18, 0.0]), _first_invalid([0.1, float("nan")]), _first_invalid([0.1])
    ((None, 1), (1, None), (None, None))
    """
    if values and values.count(values[0]) == len(values):  # one value, often the same object
        values = values[:1]
    try:
        # A finite sum and a minimum >= 0 clear every value at once (NaN and inf spoil the sum).
        if math.isfinite(sum(values)) and min(values, default=0.0) >= 0:
            return None, None
    except TypeError:
        pass
    invalid = next(
        (index for index, value in enumerate(values) if isinstance(value, complex) or not math.isfinite(value)), None
    )
    negative = next((index for index, value in enumerate(values[:invalid]) if value < 0), None)
    return invalid, negative


def replay(
    schedule: Schedule,
    base_lrs: list[float] | None,
    epochs: int | None = None,
    steps: int | None = None,
    steps_per_epoch: int | None = None,
    momentum: bool = False,
    selection: Selection = Selection(),
    loop: Loop = Loop(),
) -> Replay:
    """Each group's lr over the rows asked for, as a :class:`Replay` to stream, the scheduler
    stepped as ``loop`` says.

    Rows are epochs, or optimizer steps when ``steps`` or ``steps_per_epoch`` is given (``epochs
    * steps_per_epoch`` of them, or ``steps``). Without ``base_lrs`` there are ``schedule.groups``
    groups at lr 0.1; without a horizon, ``schedule.default_rows`` rows, or 10 epochs.

    >>> run = replay(Schedule.of("step", step_size=1), [1.0, 0.5], 3)
    >>> [chunk.series for chunk in run.chunks()]
    [[[1.0, 0.1, 0.010000000000000002], [0.5, 0.05, 0.005000000000000001]]]
    """
    base_lrs = list(base_lrs or [0.1] * schedule.groups)
    several = len(base_lrs) > 1
    for group, base_lr in enumerate(base_lrs):
        check_lr(base_lr, "the initial lr" + (f" of group {group}" if several else ""))
    if epochs is not None and steps is not None:
        raise ScheduleError(None, "give --epochs or --steps, not both")
    per_step = rows_are_steps(schedule, steps, steps_per_epoch)
    if steps is not None:
        rows = steps
    elif epochs is not None:
        rows = epochs * (steps_per_epoch or 1)
    elif schedule.default_rows is not None:
        rows = schedule.default_rows
    else:
        rows = DEFAULT_EPOCHS * (steps_per_epoch or 1)
    name = "steps" if steps is not None else "epochs"
    if isinstance(rows, bool) or not isinstance(rows, int) or not 0 <= rows <= MAX_ROWS:
        shown = f"{epochs} x {steps_per_epoch} steps = {rows:,} rows" if name == "epochs" and steps_per_epoch else rows
        if isinstance(rows, int) and abs(rows) >= 10**15:  # a float's form, or (beyond its range) the digits
            shown = f"{float(rows):.3g}" if abs(rows) < 10**300 else f"a number of {len(str(abs(rows))):,} digits"
        raise ScheduleError(name, f"must give from 0 to {MAX_ROWS:,} rows, got {shown}")
    if selection.at is not None:  # a negative row counts from the end, as --start and --stop do
        outside = [row for row in selection.at if not -rows <= row < rows]
        if outside:
            raise ScheduleError(
                "at",
                f"names row {outside[0]}, but the rows are 0 to {rows - 1} (or -{rows} to -1 from the end)"
                if rows
                else f"names row {outside[0]}, but there are no rows",
            )
        selection = replace(selection, at=tuple(row + rows if row < 0 else row for row in selection.at))
    if loop.resume_at is not None and not 1 <= loop.resume_at < max(rows, 1):
        raise ScheduleError(
            "resume_at",
            f"must name a row from 1 to {rows - 1} (the first after the interruption), got {loop.resume_at}",
        )
    unit = "step" if per_step else "epoch"
    try:
        replays = [
            GroupReplay(loop.applied(scheduler, schedule.name, steps_per_epoch), lr, base_lrs[0], len(base_lrs))
            for scheduler, lr in zip(schedule.schedulers(len(base_lrs)), base_lrs)
        ]
        if momentum and any(group.stepper.momentum is None for group in replays):
            raise ScheduleError(None, f"{schedule.name} does not cycle momentum here (--no-cycle-momentum?)")
        looped = "" if loop.plain else ", " + loop.words(unit)
        result = Replay(
            schedule.name,
            schedule.json_params,
            schedule.title + looped,
            schedule.brief_title + looped,
            base_lrs,
            rows,
            per_step,
            steps_per_epoch,
            momentum,
            selection,
            replays,
            events=_with_row(schedule.events, loop.resume_at),
            value_name=schedule.description.value_name,
            loop=None if loop.plain else asdict(loop),
        )
        for group_replay in replays:
            if group_replay.stepper.check_rows is not None:
                group_replay.stepper.check_rows(result.limit)
    except (ArithmeticError, ValueError) as error:
        raise _arithmetic_failure(error) from None
    return result


def _arithmetic_failure(error: ArithmeticError | ValueError) -> Exception:
    """The error to report for a failure of the framework's arithmetic (a ValueError other than
    ``math``'s domain error is a bug, and stays one)."""
    if isinstance(error, ValueError) and str(error) != "math domain error":
        return error
    return ScheduleError(None, _arithmetic(error))


def _arithmetic(error: ArithmeticError | ValueError) -> str:
    """What failed, in words.

    >>> _arithmetic(OverflowError(34, "Numerical result out of range"))
    "a value grows too large for a float, as it does in torch's arithmetic (Numerical result out of range)"
    >>> _arithmetic(ValueError("math domain error"))
    "a math domain error (cos of infinity, the log or square root of a negative number), as in the framework's own arithmetic"
    """
    if isinstance(error, ValueError):
        return (
            "a math domain error (cos of infinity, the log or square root of a negative number), as in the "
            "framework's own arithmetic"
        )
    if isinstance(error, OverflowError):
        detail = error.args[-1] if error.args else error
        return f"a value grows too large for a float, as it does in torch's arithmetic ({detail})"
    if isinstance(error, ZeroDivisionError):
        return "a division by zero, as in torch's arithmetic on this schedule"
    return f"torch's arithmetic fails on this schedule too: {error}"


def compare(
    schedules: list[Schedule],
    labels: list[str],
    base_lrs: list[float] | None,
    epochs: int | None = None,
    steps: int | None = None,
    steps_per_epoch: int | None = None,
    selection: Selection = Selection(),
    loops: list[Loop] | None = None,
) -> Replay:
    """Several schedules over the same rows, side by side: one value column per schedule (and
    param group: ``label_0``, ``label_1``, … when it has several), each stepped as its loop says.

    >>> both = compare([Schedule.of("step", step_size=1), Schedule.of("exp", gamma=0.5)], ["step", "exp"], [1.0], 3)
    >>> both.columns, [chunk.series for chunk in both.chunks()]
    (['epoch', 'step', 'exp'], [[[1.0, 0.1, 0.010000000000000002], [1.0, 0.5, 0.25]]])
    """
    loops = loops or [Loop()] * len(schedules)
    parts = [
        replay(schedule, base_lrs, epochs, steps, steps_per_epoch, False, selection, loop)
        for schedule, loop in zip(schedules, loops)
    ]
    lengths = sorted({part.rows for part in parts})
    if len(lengths) > 1:
        raise ScheduleError(
            None, f"the schedules' own lengths differ ({', '.join(map(str, lengths))} rows); give --epochs or --steps"
        )
    columns = [
        label if part.groups == 1 else f"{label}_{group}"
        for label, part in zip(labels, parts)
        for group in range(part.groups)
    ]
    owners = [label for label, part in zip(labels, parts) for _ in range(part.groups)]
    for position, column in enumerate(columns):
        if column in columns[:position]:
            raise ScheduleError(
                None,
                f"the labels {owners[columns.index(column)]!r} and {owners[position]!r} both "
                f"give a column named {column!r} (a schedule with several param groups has a "
                "column label_0, label_1, ... for each); label the schedules so that every "
                "column has its own name",
            )
    compared: list[dict[str, object]] = [
        dict[str, object](label=label, scheduler=part.scheduler, params=part.params, call=part.title)
        | ({} if part.loop is None else {"loop": part.loop})
        for label, part in zip(labels, parts)
    ]
    first = parts[0]
    return Replay(
        "compare",
        {},
        "; ".join(f"{label}: {part.title}" for label, part in zip(labels, parts)),
        "; ".join(f"{label}: {part.brief_title}" for label, part in zip(labels, parts)),
        [lr for part in parts for lr in part.base_lrs],
        first.rows,
        first.per_step,
        first.steps_per_epoch,
        False,
        selection,
        [group for part in parts for group in part.replays],
        labels=columns,
        compared=compared,
        events=lambda window, most: sorted({event for part in parts for event in part.events(window, most)})[:most],
    )
