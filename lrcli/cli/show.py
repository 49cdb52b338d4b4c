"""What every schedule command does with its schedule: read the shared options into two records,
the :class:`Rows` to show and the output (a :class:`~lrcli.render.View`, or :class:`Code`),
each checking the options that must go together, then replay, render and write.

    schedule ─ Rows.replay ─▶ Replay ─ View.render ─▶ chunks ─ output.emit ─▶ stdout or a file
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Union, cast

from lrcli.engine.core import ScheduleError
from lrcli.engine.loop import EPOCH_DEPRECATION_WARNING, SCHEDULER_FIRST_WARNING, Loop
from lrcli.registry.description import flag, whole_numbers
from lrcli.render import View
from lrcli.replay import Replay, Selection, compare, replay
from lrcli.schedules import Schedule, epoch_like_counts

Shown = Union[Schedule, "list[tuple[str, Schedule]]"]
"""One schedule, or labelled schedules side by side (``compare``)."""


READ_AS: ContextVar[str | None] = ContextVar("READ_AS", default=None)
"""The kind of file ``lrcli config`` recognised (``DeepSpeed config``), said first in the title."""
CAPTURED: ContextVar[list[tuple[Shown, Rows]] | None] = ContextVar("CAPTURED", default=None)
"""Where :func:`show` leaves what a command asked for instead of showing it, when set (the Python
API's ``from_config`` reads a config through its command this way)."""


class UsageProblem(Exception):
    """A combination of options that cannot work; reported as one ``Error:`` line, exit 2."""


class Note(UserWarning):
    """Something the user should know that is not wrong as given; reported as one ``Note:`` line."""


class WriteFailed(Exception):
    """The output could not be written; reported as one ``Error:`` line, exit 1."""


class Differs(Exception):
    """--verify found a value torch computes differently; reported as one ``Error:`` line, exit 1."""


def selection_of(start: int | None, stop: int | None, every: int | None, changes: bool, at: str | None) -> Selection:
    """The rows asked for, from the row options.

    >>> selection_of(None, None, None, False, "5,1")
    Selection(start=None, stop=None, every=None, changes=False, at=(5, 1))
    """
    if every is not None and every < 1:
        raise ScheduleError("every", f"must be a whole number >= 1, got {every}")
    if sum([every is not None, changes, at is not None]) > 1:
        raise UsageProblem("--every, --changes and --at each pick rows; give one of them")
    if at is not None and (start is not None or stop is not None):
        raise UsageProblem("--at names its rows; it takes no --start or --stop")
    rows = tuple(whole_numbers("at", at)) if at is not None else None
    return Selection(start, stop, every, changes, rows)


@dataclass(frozen=True)
class Rows:
    """The rows to show: each param group's initial lr (None: the schedule's), the horizon in
    ``epochs`` or ``steps`` (None: the schedule's own), the steps per epoch when the scheduler
    steps per iteration and whether parameters count in epochs then, the selection, and whether
    the momentum is shown beside the lr, how the training ``loop`` steps the scheduler, whether
    the uninterrupted run is shown beside a resumed one (``compare_resume``) and Lightning's
    ``interval`` and ``frequency`` when its fit loop steps it (``lightning``)."""

    lr: list[float] | None = None
    epochs: int | None = None
    steps: int | None = None
    steps_per_epoch: int | None = None
    counts_in_epochs: bool = False
    selection: Selection = Selection()
    momentum: bool = False
    processes: int = 1
    accumulation: int = 1
    split_batches: bool = False
    loop: Loop = Loop()
    compare_resume: bool = False
    lightning: tuple[str, int] | None = None

    @classmethod
    def of(
        cls,
        lr: list[float] | None = None,
        epochs: int | None = None,
        steps: int | None = None,
        steps_per_epoch: int | None = None,
        counts_in: str = "steps",
        start: int | None = None,
        stop: int | None = None,
        every: int | None = None,
        changes: bool = False,
        at: str | None = None,
        momentum: bool = False,
        processes: int = 1,
        accumulation: int = 1,
        split_batches: bool = False,
        loop: Loop = Loop(),
        compare_resume: bool = False,
        lightning_interval: str | None = None,
        lightning_frequency: int | None = None,
    ) -> Rows:
        """The rows the options ask for, or an error for options that do not go together."""
        if steps_per_epoch is not None and steps_per_epoch < 1:
            raise ScheduleError("steps_per_epoch", f"must be a whole number >= 1, got {steps_per_epoch}")
        if steps_per_epoch is None and counts_in == "epochs":
            raise UsageProblem("--counts-in epochs needs --steps-per-epoch")
        for name, value in (
            ("processes", processes),
            ("accumulation", accumulation),
            ("lightning_frequency", 1 if lightning_frequency is None else lightning_frequency),
        ):
            if value < 1:
                raise ScheduleError(name, f"must be a whole number >= 1, got {value}")
        if steps_per_epoch is None and (processes > 1 or accumulation > 1 or split_batches):
            raise UsageProblem(
                "--processes, --accumulation and --split-batches step the scheduler in the batch loop: "
                "give --steps-per-epoch M (the batches each process sees an epoch)"
            )
        if lightning_frequency is not None and lightning_interval is None:
            raise UsageProblem("--lightning-frequency is the frequency of --lightning-interval step|epoch: give it")
        if lightning_interval is not None:
            if steps_per_epoch is None:
                raise UsageProblem("--lightning-interval replays Lightning's batches: give --steps-per-epoch M")
            if processes > 1 or split_batches:
                raise UsageProblem(
                    "--lightning-interval is Lightning's loop, --processes and --split-batches accelerate's: "
                    "give one of them"
                )
            if lightning_interval == "epoch" and counts_in == "epochs":
                raise UsageProblem("--lightning-interval epoch steps the scheduler once an epoch: counts are epochs")
        if compare_resume and loop.resume_at is None:
            raise UsageProblem("--compare-resume puts the uninterrupted run beside a resumed one: give --resume-at")
        if loop.step_with == "fraction":
            if steps_per_epoch is None:
                raise UsageProblem("--step-with fraction passes epoch + i / M after batch i: give --steps-per-epoch M")
            if counts_in == "epochs":
                raise UsageProblem("--step-with fraction passes epochs to step(): counts are in epochs already")
            if loop.order == "scheduler-first":
                raise UsageProblem("--step-with fraction is torch's documented form, stepped after optimizer.step()")
        if momentum and not loop.plain:
            raise UsageProblem("--show-momentum shows the usual loop; it takes no --resume-at, --order or --step-with")
        if (processes > 1 or accumulation > 1 or split_batches) and (not loop.plain or compare_resume):
            raise UsageProblem(
                "--processes, --accumulation and --split-batches replay accelerate's loop; "
                "they take no --resume-at, --order or --step-with"
            )
        if lightning_interval is not None and (not loop.plain or compare_resume):
            raise UsageProblem(
                "--lightning-interval replays Lightning's loop; it takes no --resume-at, --order or --step-with"
            )
        return cls(
            lr,
            epochs,
            steps,
            steps_per_epoch,
            counts_in == "epochs",
            selection_of(start, stop, every, changes, at),
            momentum,
            processes,
            accumulation,
            split_batches,
            loop,
            compare_resume,
            None
            if lightning_interval is None
            else (lightning_interval, 1 if lightning_frequency is None else lightning_frequency),
        )

    @property
    def looped(self) -> bool:
        """The scheduler is stepped by accelerate's or Lightning's loop, not once a row."""
        return self.processes > 1 or self.accumulation > 1 or self.split_batches or self.lightning is not None

    def stepped(self, shown: Shown) -> Shown:
        """``shown`` as these rows step it: per iteration, its counts in steps. A step count
        that looks like epochs (the lr below a millionth of its start within the first epoch)
        gets a :class:`Note`: the seed's trap, pointed out where it happens."""
        if self.steps_per_epoch is None:
            return shown
        labelled = shown if isinstance(shown, list) else [("", shown)]  # (one schedule's label is dropped below)
        stepped = [(label, each.per_step(self.steps_per_epoch, self.counts_in_epochs)) for label, each in labelled]
        trap = (
            None
            if self.counts_in_epochs
            or self.loop.step_with == "fraction"
            or (self.lightning is not None and self.lightning[0] == "epoch")
            else next(filter(None, (epoch_like_counts(each, self.steps_per_epoch) for _, each in stepped)), None)
        )
        if trap is not None:
            call, name = trap
            warnings.warn(
                Note(
                    f"stepped {self.steps_per_epoch:,} times an epoch, {call} takes the lr below a "
                    f"millionth of its start within the first epoch; if {name} counts epochs, give "
                    "--counts-in epochs"
                ),
                stacklevel=1,
            )
        if self.lightning is not None:
            stepped = [(label, self._lightning(each)) for label, each in stepped]
            interval, frequency = self.lightning
            if interval != "epoch" and frequency > 1 and self.accumulation > 1:
                every = math.lcm(frequency, self.accumulation)
                updates = every // self.accumulation
                warnings.warn(
                    Note(
                        f"Lightning's frequency counts batches, not optimizer steps: with accumulate_grad_batches "
                        f"{self.accumulation} and frequency {frequency} the scheduler steps every {every} batches "
                        f"of an epoch ({updates} optimizer step{'s' if updates > 1 else ''}), not every "
                        f"{frequency} optimizer steps"
                    ),
                    stacklevel=1,
                )
        elif self.looped:
            stepped = [(label, self._accelerated(each)) for label, each in stepped]
            if self.processes > 1 and not self.split_batches:
                warnings.warn(
                    Note(
                        f"accelerate steps a prepared scheduler {self.processes} times an update: a schedule "
                        f"counted in updates is over after 1/{self.processes} of them; build it for "
                        f"{self.processes}× the steps (as diffusers' scripts do) or pass split_batches=True"
                    ),
                    stacklevel=1,
                )
        return stepped if isinstance(shown, list) else stepped[0][1]

    def _accelerated(self, schedule: Schedule) -> Schedule:
        """``schedule`` as accelerate's loop steps it: row r (a batch) is its step
        :class:`~lrcli.loops.AcceleratedCounts` ``[r]``; accelerate caps the steps of a scheduler
        with ``total_steps`` (OneCycleLR: given, or ``epochs × steps_per_epoch``)."""
        from lrcli.loops import AcceleratedCounts

        params = schedule.params
        total, epochs, per_epoch = params.get("total_steps"), params.get("epochs"), params.get("steps_per_epoch")
        if total is None and isinstance(epochs, int) and isinstance(per_epoch, int):
            total = epochs * per_epoch
        assert self.steps_per_epoch is not None  # Rows.of: looped rows are batches
        counts = AcceleratedCounts(
            self.steps_per_epoch,
            self.processes,
            self.split_batches,
            self.accumulation,
            total if isinstance(total, int) and total > 0 else None,
        )
        return _at(schedule, counts)

    def _lightning(self, schedule: Schedule) -> Schedule:
        """``schedule`` as Lightning's fit loop steps it: row r (a batch) is its step
        :class:`~lrcli.loops.LightningCounts` ``[r]``."""
        from lrcli.loops import LightningCounts

        assert self.steps_per_epoch is not None and self.lightning is not None  # Rows.of: Lightning's rows are batches
        interval, frequency = self.lightning
        return _at(schedule, LightningCounts(self.steps_per_epoch, interval, frequency, self.accumulation))

    def replay(self, shown: Shown) -> Replay:
        """These rows of one schedule, or of several side by side (each :meth:`stepped`); with
        ``compare_resume``, each beside its uninterrupted run (``LABEL-uninterrupted``)."""
        if not isinstance(shown, list) and not self.compare_resume:
            return replay(
                shown, self.lr, self.epochs, self.steps, self.steps_per_epoch, self.momentum, self.selection, self.loop
            )
        labelled = shown if isinstance(shown, list) else [("resumed", shown)]
        loops = [self.loop] * len(labelled)
        if self.compare_resume:
            beside = "uninterrupted" if not isinstance(shown, list) else "{}-uninterrupted"
            labelled = [pair for label, each in labelled for pair in ((label, each), (beside.format(label), each))]
            loops = [self.loop, self.loop.uninterrupted] * (len(labelled) // 2)
        result = compare(
            [each for _, each in labelled],
            [label for label, _ in labelled],
            self.lr,
            self.epochs,
            self.steps,
            self.steps_per_epoch,
            self.selection,
            loops,
        )
        if self.compare_resume:
            width = len(result.value_columns) // len(labelled)  # the columns of each schedule
            result.pairs = [
                (start + group, start + width + group)
                for start in range(0, len(result.value_columns), 2 * width)
                for group in range(width)
            ]
        return result

    def loop_warnings(self, shown: Shown, result: Replay) -> list[Note | str]:
        """What torch would warn of in this loop, and what --compare-resume found."""
        said: list[Note | str] = []
        if self.loop.order == "scheduler-first":
            said.append(f"torch warns: {SCHEDULER_FIRST_WARNING}")
        schedules = [each for _, each in shown] if isinstance(shown, list) else [shown]
        if self.loop.step_with != "count" and any(each.description.epoch_warning for each in schedules):
            said.append(f"torch warns at every step(epoch): {EPOCH_DEPRECATION_WARNING}")
        if self.compare_resume:
            found = result.first_difference
            if found is None:
                said.append(Note(f"no {result.unit} from 0 to {result.limit - 1} differs from the uninterrupted run"))
            else:
                row, resumed, uninterrupted = found
                said.append(
                    Note(
                        f"the resumed run first differs from the uninterrupted one at {result.unit} {row}: "
                        f"{resumed!r} against {uninterrupted!r}"
                    )
                )
        return said


@dataclass(frozen=True)
class Code:
    """The schedule as code instead of rows: a runnable PyTorch script written to ``path``
    (``emit``), or every value checked against real torch (``verify``)."""

    emit: str | None = None
    verify: bool = False
    path: str | None = None

    @classmethod
    def of(cls, emit: str | None, verify: bool, output_format: str | None, path: str | None, rows: Rows) -> Code:
        if emit is not None and (rows.selection != Selection() or output_format is not None or verify):
            raise UsageProblem("--emit writes the whole run as code: it takes no --format, --verify or row selection")
        if not rows.loop.plain:
            raise UsageProblem(
                "--emit and --verify write the usual loop: they take no --resume-at, --order or --step-with"
            )
        return cls(emit, verify, path)

    def show(self, shown: Shown, rows: Rows) -> None:
        """Write the script, or check every row (``shown`` :meth:`Rows.stepped`)."""
        scripts = []
        for label, each in shown if isinstance(shown, list) else [(None, shown)]:  # each compared in turn
            assert each.description.family is not None  # every description is in a family
            if each.last_epoch != -1:
                raise UsageProblem(
                    f"{each.title} is a run resumed on a fresh optimizer: --emit and --verify write the usual loop"
                )
            if each.description.family.code is None:
                raise UsageProblem(
                    f"lrcli writes no code for {each.description.family.name}'s schedules "
                    f"({each.name}): --emit and --verify do not apply"
                )
            result = rows.replay(each)
            metrics = cast("Sequence[float] | None", each.params.get("metrics"))  # a METRICS param's
            if self.verify:
                _verify(result, each, metrics, label)
                continue
            from lrcli.torch_code import torch_script

            heading = f"# ---- {label} ----\n" if label is not None else ""
            scripts.append(heading + torch_script(result, each, metrics))
        if scripts:
            from lrcli.output import emit

            emit(["\n".join(scripts).encode()], self.path)


NOT_LOGGED = (
    "start",
    "stop",
    "every",
    "changes",
    "at",
    "all_rows",
    "log_y",
    "summary",
    "size",
    "dpi",
    "emit",
    "verify",
)
"""The shared options that pick rows or shape them: ``--logged`` compares the rows its log has."""


@dataclass(frozen=True)
class Logged:
    """The schedule checked against the lr a run logged in ``path`` (``--logged``), as
    ``lrcli check`` checks it: its report as text, JSON or text under a plot (``report``), the
    chart of both written to ``chart`` (``-o``)."""

    path: str
    column: str | None = None
    report: str = "text"
    chart: str | None = None

    @classmethod
    def of(cls, options: dict[str, Any], rows: Rows) -> Logged:
        given = [name for name in NOT_LOGGED if options.get(name) not in (None, False)]
        plot_x = options.get("plot_x")
        given += ["plot_x"] if plot_x is not None and plot_x.value != "epoch" else []
        given += ["show_momentum"] if rows.momentum else []
        if given:
            raise UsageProblem(f"--logged compares the rows the log has: it takes no {flag(given[0])}")
        if not rows.loop.plain or rows.compare_resume:
            raise UsageProblem(
                "--logged compares the usual loop: it takes no --resume-at, --order or --step-with "
                "(the report names a resume it finds)"
            )
        output_format = options.get("output_format")
        report = "text" if output_format is None else output_format.value
        if report not in ("text", "json", "plot"):
            raise UsageProblem(f"--logged reports as text (the default), -f json or -f plot, not -f {report}")
        output = options.get("output")
        return cls(options["logged"], options.get("logged_column"), report, None if output is None else str(output))

    def show(self, shown: Shown, rows: Rows) -> None:
        """Check and report; a difference exits 1."""
        import typer

        from lrcli.cli.check import Report, against

        status = against(shown, rows, self.path, self.column, Report(self.report), self.chart)
        if status:
            raise typer.Exit(status)


def _at(schedule: Schedule, counts: Sequence[int]) -> Schedule:
    """``schedule`` as a loop steps it: row r is its step ``counts[r]``
    (:func:`~lrcli.loops.at_counts`), its own milestones no longer rows."""
    from dataclasses import replace

    from lrcli.loops import at_counts

    factory = schedule.description.factory
    description = replace(
        schedule.description,
        factory=lambda **params: at_counts(factory(**params), counts),
        events=None,
        window_events=None,
        early_decays=None,
    )
    return replace(schedule, description=description)


def _verify(result: Replay, schedule: Schedule, metrics, label: str | None = None) -> None:
    """Compare with real torch and say so on stdout; a difference is an error (exit 1)."""
    try:
        import torch
    except ImportError:
        raise UsageProblem("--verify needs torch, and it cannot be imported here (pip install torch)") from None
    from lrcli.torch_code import LibraryMissing, verify

    try:
        compared, difference = verify(result, schedule, metrics)
    except LibraryMissing as error:
        raise UsageProblem(str(error)) from None
    groups = f" x {result.groups} groups" if result.groups > 1 else ""
    named = f"{label}: " if label is not None else ""
    if difference is None:
        print(
            f"{named}verified against torch {torch.__version__}: {compared:,} {result.unit}s{groups}, every value equal"
        )
        return
    raise Differs(f"{named}torch {torch.__version__} differs from lrcli at {difference} ({compared:,} rows compared)")


def records(options: dict[str, Any], momentum: bool = False) -> tuple[Rows, View | Code | Logged]:
    """The shared options a command was given (by name, as Typer parsed them; one the command
    does not have reads as not given) as the rows to show and the output."""
    output = options.get("output")
    path = None if output is None or str(output) == "-" else str(output)
    output_format = options.get("output_format")
    output_format = None if output_format is None else output_format.value
    rows = Rows.of(
        options.get("lr"),
        options.get("epochs"),
        options.get("steps"),
        options.get("steps_per_epoch"),
        options.get("counts_in", "steps"),
        options.get("start"),
        options.get("stop"),
        options.get("every"),
        options.get("changes", False),
        options.get("at"),
        momentum,
        options.get("processes", 1),
        options.get("accumulation", 1),
        options.get("split_batches", False),
        Loop(
            options.get("resume_at"),
            _value(options.get("resume_by"), "state-dict"),
            _value(options.get("order"), "optimizer-first"),
            _value(options.get("step_with"), "count"),
        ),
        bool(options.get("compare_resume")),
        None if options.get("lightning_interval") is None else options["lightning_interval"].value,
        options.get("lightning_frequency"),
    )
    if options.get("logged") is not None:
        return rows, Logged.of(options, rows)
    if options.get("logged_column") is not None:
        raise UsageProblem("--logged-column names a value in the log --logged reads: give --logged LOG")
    emit = options.get("emit")
    if emit is not None or options.get("verify"):
        if rows.looped:
            raise UsageProblem(
                "--emit and --verify write torch's own loop: they take no --processes, --accumulation, "
                "--split-batches or --lightning-interval"
            )
        return rows, Code.of(
            None if emit is None else emit.value, bool(options.get("verify")), output_format, path, rows
        )
    plot_x = options.get("plot_x")
    return rows, View.of(
        output_format,
        path,
        options.get("all_rows", False),
        options.get("log_y", False),
        options.get("size"),
        "epoch" if plot_x is None else plot_x.value,
        options.get("summary", False),
        options.get("dpi"),
    )


def _value(choice, default: str) -> str:
    """A choice option's value (an Enum as Typer reads it, or text a command sets), or ``default``
    when not given."""
    return default if choice is None else getattr(choice, "value", choice)  # (a framework's resume: text)


def show(shown: Shown, rows: Rows, output: View | Code | Logged) -> None:
    """Replay ``shown`` over ``rows`` and write it as ``output`` asks: rendered, or as code (or
    leave both in :data:`CAPTURED`, when it is set)."""
    captured = CAPTURED.get()
    if captured is not None:
        captured.append((shown, rows))
        return
    if isinstance(output, Logged):
        output.show(shown, rows)
        return
    shown = rows.stepped(shown)
    if isinstance(output, Code):
        output.show(shown, rows)
        return
    if rows.lr and not output.all_rows:  # each --lr is a group of every schedule: refuse too many before replaying
        from lrcli.render import check_columns

        count = len(rows.lr) * (len(shown) if isinstance(shown, list) else 1) * (2 if rows.momentum else 1)
        check_columns(output.format, count)
    result = rows.replay(shown)
    kind = READ_AS.get()
    if kind is not None:
        result.title, result.brief_title = f"{kind} {result.title}", f"{kind} {result.brief_title}"
    if output.path is None:
        from lrcli.output import stdout_watch

        result.watch = stdout_watch()
    content = output.render(result)
    from lrcli.output import emit

    try:
        emit(content, output.path, progress=lambda: result.done / max(result.limit, 1))
    except OSError as error:
        where = "to standard output" if output.path is None else repr(output.path)
        raise WriteFailed(f"cannot write {where}: {error.strerror or error}") from None
    for warning in [*rows.loop_warnings(shown, result), *result.warnings]:
        warnings.warn(warning, stacklevel=1)
