"""``lrcli check LOG SPEC|CONFIG``: the lr a run logged against the schedule it was configured with.

The log is read as its framework aligns it (:mod:`lrcli.logs`), the schedule replayed at each
logged row, and the report says how many rows were compared, how many are equal, the first that
is not and, where lrcli can tell, why. Exit 0 when they agree, 1 when they do not.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional, cast

import typer

from lrcli.cli.options import CountsIn, option, shared_options, with_signature
from lrcli.cli.show import Rows, Shown, UsageProblem
from lrcli.registry.description import with_default

if TYPE_CHECKING:
    from lrcli.engine.core import Scheduler
    from lrcli.logs import Comparison, Log
    from lrcli.render import View
    from lrcli.replay import Replay
    from lrcli.schedules import Schedule


class LogFormat(str, Enum):
    """The log formats :mod:`lrcli.logs` reads (its ``FORMATS``; a test keeps them the same), named
    here so that start-up does not import the readers."""

    transformers = "transformers"
    mmengine = "mmengine"
    ultralytics = "ultralytics"
    lightning = "lightning"
    tensorboard = "tensorboard"
    plain = "plain"


class Report(str, Enum):
    text = "text"
    json = "json"
    plot = "plot"


CHECK_HELP = """Check the lr a run logged against a schedule or config: rows compared, rows equal,
the first divergence and its likely cause. Exit 0 when they agree, 1 when they do not.

\b
Examples:
  lrcli exp --gamma 0.9 -f csv | lrcli check - 'exp(gamma=0.9)'
  lrcli exp --gamma 0.9 --lr 3e-4 -f csv \\
      | lrcli check - 'exp(gamma=0.9)' -f json
  lrcli step --step-size 2 -f csv | lrcli check - 'step(step_size=4)'

LOG: a file (- for standard input): transformers' trainer_state.json (learning_rate
at step s is row s - 1, the lr update s trained with), mmengine's vis_data/scalars.json
(lr at step s: row s - 1), Ultralytics' results.csv (lr/pg0 at epoch e: row e x M - 1,
the epoch's last batch, with --steps-per-epoch M), Lightning's CSVLogger metrics.csv
(lr-<Optimizer> at step s: row s), a TensorBoard event file (its one lr tag, or
--column TAG: transformers' train/learning_rate and mmengine's lr at step s are
row s - 1, any other at step s row s), or a plain CSV or TSV of step and lr (row = step; lrcli's own
CSV is one).

SPEC: a scheduler as a call with the framework's keywords, as compare takes it
('cosine(T_max=90)', 'transformers.cosine(num_warmup_steps=500,
num_training_steps=10000)', compositions, warmup=N). Row k is its lr after k calls
to scheduler.step().

CONFIG: an OpenMMLab config file, read as lrcli mmengine reads it (--cfg-options;
an epoch-based loop needs --steps-per-epoch); row k is iteration k. Or an
Ultralytics args.yaml, read as lrcli ultralytics reads it (--steps-per-epoch M
is len(train_loader); --nc, --ultralytics-version), lr/pgK being group K; the
causes named there also include the 100-batch warmup minimum of 8.4.8 to
8.4.102 and optimizer=auto's lr0.

A log written with every digit (Python's repr) is compared with ==; one rounded
(%.6g, 0.100000) within the digits it shows; TensorBoard's float32 with the lr
rounded to float32.

-f plot draws the logged and the replayed lr at the logged rows as two series of
one chart, above the report; -o PATH writes that chart to a .png, .svg, .pdf or
.html file."""


def make_check_command() -> Callable[..., None]:
    """``lrcli check LOG SPEC`` and its options."""
    from lrcli.cli.mmengine import CFG_OPTIONS  # when the command is built, not at start-up
    from lrcli.cli.ultralytics import NC_OPTION, VERSION_OPTION

    parameters = [
        option("log", Annotated[str, typer.Argument(metavar="LOG", hidden=True, show_default=False)]),
        option("spec", Annotated[str, typer.Argument(metavar="SPEC|CONFIG", hidden=True, show_default=False)]),
        option(
            "lr",
            Annotated[
                Optional[float],
                typer.Option(
                    "--lr",
                    metavar="LR",
                    show_default=False,
                    help=with_default(
                        "The run's initial lr (the optimizer's).", "0.1; a config's optim_wrapper.optimizer lr"
                    ),
                ),
            ],
            None,
        ),
        option(
            "steps_per_epoch",
            Annotated[
                Optional[int],
                typer.Option(
                    "--steps-per-epoch",
                    metavar="M",
                    help="Optimizer steps (batches) an epoch: aligns Ultralytics' epochs with its batches, is "
                    "an epoch-based config's iterations per epoch, and what --counts-in epochs reads.",
                ),
            ],
            None,
        ),
        CFG_OPTIONS,
        NC_OPTION,
        VERSION_OPTION,
        *(
            parameter
            for parameter in shared_options(None)
            if parameter.name in ("counts_in", "processes", "accumulation", "split_batches")
        ),
        option(
            "log_format",
            Annotated[
                Optional[LogFormat],
                typer.Option(
                    "--log-format",
                    show_default=False,
                    help=with_default("How the log is written.", "told from its name and first line"),
                ),
            ],
            None,
        ),
        option(
            "column",
            Annotated[
                Optional[str],
                typer.Option(
                    "--column",
                    metavar="NAME",
                    help="Read this logged value instead of the lr (lr/pg2, lr-AdamW, a plain file's header name).",
                ),
            ],
            None,
        ),
        option(
            "output_format",
            Annotated[
                Report,
                typer.Option(
                    "--format",
                    "-f",
                    show_default=False,
                    help=with_default("The report: text, JSON, or text under a plot of both lrs.", "text"),
                ),
            ],
            Report.text,
        ),
        option(
            "output",
            Annotated[
                Optional[str],
                typer.Option(
                    "--output",
                    "-o",
                    metavar="PATH",
                    help="Also write the chart of the logged and the replayed lr to this .png, .svg, .pdf or .html "
                    "file (replaced atomically).",
                ),
            ],
            None,
        ),
    ]

    def command(**options) -> None:
        status = check(**options)
        if status:
            raise typer.Exit(status)

    return with_signature(command, parameters)


def check(
    log: str,
    spec: str,
    lr: float | None,
    steps_per_epoch: int | None,
    cfg_options: list[str] | None,
    nc: int | None,
    ultralytics_version: str,
    counts_in: CountsIn,
    processes: int,
    accumulation: int,
    split_batches: bool,
    log_format: LogFormat | None,
    column: str | None,
    output_format: Report,
    output: str | None,
) -> int:
    """Read, replay, compare and report; the exit status (0: they agree, 1: they do not)."""
    from lrcli.cli.ultralytics import LATEST

    run = None
    ultralytics = _is_config(spec) and _is_ultralytics(spec)
    if not ultralytics and (nc is not None or ultralytics_version != LATEST):
        raise UsageProblem("--nc and --ultralytics-version are for an Ultralytics args.yaml")
    if _is_config(spec):
        if processes != 1 or accumulation != 1 or split_batches:
            raise UsageProblem("--processes, --accumulation and --split-batches are for a spec")
        if ultralytics:
            run = _Run(spec, steps_per_epoch, nc, ultralytics_version, cfg_options, counts_in)
            schedule, lrs = run.schedule()
        else:
            schedule, config_lr = _config(spec, cfg_options or [], steps_per_epoch, counts_in)
            lr = config_lr if lr is None else lr
    else:
        from lrcli.spec import parse_spec

        if cfg_options:
            raise UsageProblem(f"--cfg-options is for a config; {spec!r} is a spec")
        rows = Rows.of(
            steps_per_epoch=steps_per_epoch,
            counts_in=counts_in.value,
            processes=processes,
            accumulation=accumulation,
            split_batches=split_batches,
        )
        schedule = cast("Schedule", rows.stepped(parse_spec(spec, top=True)))
        lr = 0.1 if lr is None else lr
    chart = None if output is None else _chart_view(output)
    logged = _read(log, None if log_format is None else log_format.value, column, steps_per_epoch)
    if run is None:
        assert lr is not None  # the spec's default or the config's lr, set above
        scheduler = schedule.schedulers(schedule.groups)[0]  # the log's column is one param group: the first
    else:
        group = run.group(logged, len(lrs))
        lr = lrs[group] if lr is None else lr
        scheduler = schedule.schedulers(len(lrs))[group]
    return report(logged, schedule.title, scheduler, lr, steps_per_epoch, output_format, chart, run)


def report(
    logged: Log,
    title: str,
    scheduler: Scheduler,
    lr: float,
    steps_per_epoch: int | None,
    output_format: Report,
    chart: View | None,
    run: _Run | None = None,
) -> int:
    """Compare the log with the replay of ``scheduler`` from ``lr``, print the report (under a
    plot of both, or as JSON) and write the ``chart``; the exit status (0: they agree, 1: they
    do not)."""
    from lrcli import logs
    from lrcli.engine.core import ScheduleError, check_lr

    check_lr(lr, "the initial lr (--lr)")

    def replay_at(initial: float) -> logs.Replay:
        return logs.replayer(scheduler, initial, initial)

    try:
        result = logs.compare(logged, replay_at(lr))
        scaled = None if result.agree else logs.initial_lr(logged, replay_at, lr)
    except (ArithmeticError, ValueError) as error:
        if isinstance(error, (ScheduleError, logs.LogError)):
            raise
        from lrcli.replay import _arithmetic_failure

        raise _arithmetic_failure(error) from None
    causes = list(result.causes)
    if run is not None and not result.agree:
        causes[:0] = run.causes(logged, replay_at)
    if scaled is not None:
        causes.insert(
            0,
            f"the logged lr is the schedule from an initial lr of {scaled!r}, not {lr!r}: give --lr {scaled!r}",
        )
    plot = None
    if output_format is Report.plot or chart is not None:  # drawn before any report is printed
        from lrcli.render import View

        def both() -> Replay:
            return logs.overlay(logged, scheduler, lr, title, steps_per_epoch)

        if chart is not None:
            _write_chart(chart, both())
        if output_format is Report.plot:
            content = View("plot").render(both())
            assert not callable(content)  # a plot is text, a stream of chunks
            plot = b"".join(content).decode()
    if output_format is Report.json:
        print(_json(logged, title, lr, result, causes))
    else:
        print((plot or "") + _text(logged, title, lr, result, causes))
    return 0 if result.agree else 1


def against(shown: Shown, rows: Rows, path: str, column: str | None, output_format: Report, output: str | None) -> int:
    """``--logged LOG`` on a schedule command: ``lrcli check LOG`` against the schedule the command
    read, stepped as its options step it (:meth:`~lrcli.cli.show.Rows.stepped`), from its first
    ``--lr`` (the param group of the log's ``lr/pgK`` column: its K-th); the exit status."""
    if isinstance(shown, list):
        raise UsageProblem("--logged compares a log with one schedule; check each spec with lrcli check LOG SPEC")
    chart = None if output is None else _chart_view(output)
    schedule = cast("Schedule", rows.stepped(shown))
    logged = _read(path, None, column, rows.steps_per_epoch)
    lrs = rows.lr or [0.1] * schedule.groups
    group = _group(logged, len(lrs))
    scheduler = schedule.schedulers(len(lrs))[group]
    return report(logged, schedule.title, scheduler, lrs[group], rows.steps_per_epoch, output_format, chart)


def _group(logged: Log, groups: int) -> int:
    """The param group a log's column is: Ultralytics' ``lr/pgK`` is group K, any other the first."""
    import re

    match = re.fullmatch(r"lr/pg(\d+)", logged.column)
    group = int(match.group(1)) if match else 0
    if group >= groups:
        have = f"param groups lr/pg0 to lr/pg{groups - 1}" if groups > 1 else "one param group (lr/pg0)"
        raise UsageProblem(f"{logged.path}: {logged.column}, but the run has {have}")
    return group


def _chart_view(path: str) -> View:
    """The view ``-o PATH`` writes: a drawn format its extension names."""
    from lrcli.render import DRAWN, View, ViewError, chosen_format

    try:
        drawn = chosen_format(None, path) in DRAWN
    except ViewError:
        drawn = False
    if not drawn or path == "-":
        raise UsageProblem(f"-o writes the chart of both lrs: name a .png, .svg, .pdf or .html file, not {path!r}")
    return View.of(None, path)


def _write_chart(view: View, chart: Replay) -> None:
    from lrcli.cli.show import WriteFailed
    from lrcli.output import emit

    content = view.render(chart)
    try:
        emit(content, view.path)
    except OSError as error:
        raise WriteFailed(f"cannot write {view.path!r}: {error.strerror or error}") from None


def _is_config(text: str) -> bool:
    """Whether the SPEC|CONFIG argument names a config: a file, and not a call.

    >>> _is_config("cosine(T_max=90)"), _is_config("lrcli/cli/check.py")
    (False, True)
    """
    import os

    return "(" not in text and os.path.isfile(text)


def _is_ultralytics(path: str) -> bool:
    """Whether a config file is Ultralytics' training args (as ``lrcli config`` tells them)."""
    from lrcli.registry.ultralytics import READS

    return READS.recognises(path)


class _Run:
    """An Ultralytics run read from its ``args.yaml`` as ``lrcli ultralytics ARGS_YAML
    --iters-per-epoch M`` reads it, ``M`` being ``--steps-per-epoch``, and the causes of a
    difference lrcli can name there: the other warmup rule (8.4.8 to 8.4.102 warm up for at least
    100 batches), and ``optimizer=auto``'s lr0 (from the class count; ``lr0`` ignored)."""

    def __init__(
        self,
        path: str,
        steps_per_epoch: int | None,
        nc: int | None,
        version: str,
        cfg_options: list[str] | None,
        counts_in: CountsIn,
    ) -> None:
        from lrcli.ultralytics_args import checked, read_args_yaml

        if cfg_options:
            raise UsageProblem("--cfg-options is for an OpenMMLab config; an Ultralytics args.yaml has none")
        if counts_in is CountsIn.epochs:
            raise UsageProblem("--counts-in is for a spec; an Ultralytics run steps its schedule per batch")
        if steps_per_epoch is None:
            raise UsageProblem(
                "an Ultralytics run needs its batches per epoch: give --steps-per-epoch M (len(train_loader))"
            )
        self.path, self.nb, self.nc, self.version = path, steps_per_epoch, nc, version
        self.args = checked(read_args_yaml(path))
        self.column = 0

    def schedule(self, *words: str, nc: int | None = None, version: str | None = None) -> tuple[Schedule, list[float]]:
        """The run's schedule and each param group's lr (``words`` override its args)."""
        from lrcli.cli.ultralytics import read_run

        options = {
            "iters_per_epoch": self.nb,
            "dataset_size": None,
            "gpus": 1,
            "nc": self.nc if nc is None else nc,
            "ultralytics_version": version or self.version,
        }
        schedule, lrs, _ = read_run([self.path, *words], options)
        return schedule, lrs

    def group(self, logged: Log, groups: int) -> int:
        """The param group the log's column is (``lr/pgK``), checked against the run's length."""
        self.column = _group(logged, groups)
        last = max(logged.entries, key=lambda entry: entry.row)
        epochs = cast(int, self.args["epochs"])
        if last.row >= epochs * self.nb:
            raise UsageProblem(
                f"{logged.path}:{last.line}: epoch {last.step} is past the {epochs} epochs {self.path} trains"
            )
        return self.column

    def _agrees(self, logged: Log, schedule: Schedule, lrs: list[float]) -> bool:
        from lrcli import logs

        lr = lrs[self.column]
        return logs.agrees(logged, logs.replayer(schedule.schedulers(len(lrs))[self.column], lr, lr))

    def causes(self, logged: Log, replayed: Callable[[float], Callable[[list[int]], list[float]]]) -> list[str]:
        """The causes that explain every logged row (each tried as a whole run read again)."""
        import warnings

        from lrcli.cli.ultralytics import LATEST, release
        from lrcli.engine.core import ScheduleError
        from lrcli.engine.ultralytics import legacy_warmup_iterations, warmup_iterations

        found = []
        legacy = release(self.version).legacy_warmup
        other = LATEST if legacy else "8.4.102"
        warmup_epochs, epochs = cast(float, self.args["warmup_epochs"]), cast(int, self.args["epochs"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # optimizer=auto's note, said once already
            try:
                rule = self._agrees(logged, *self.schedule(version=other))
            except ScheduleError:
                rule = False
            if rule and not legacy:
                found.append(
                    f"the run warmed up for max(round(warmup_epochs x nb), 100) = "
                    f"{legacy_warmup_iterations(warmup_epochs, self.nb)} batches, the 100-iteration minimum of "
                    f"Ultralytics 8.4.8 to 8.4.102, not {warmup_iterations(warmup_epochs, epochs, self.nb)}: "
                    "give --ultralytics-version 8.4.102 (the run's release)"
                )
            elif rule:
                found.append(
                    f"the run warmed up for {warmup_iterations(warmup_epochs, epochs, self.nb)} batches as "
                    f"Ultralytics 8.4.103 and later do, not the 100-iteration minimum of {self.version}: give "
                    f"--ultralytics-version {LATEST} (the run's release)"
                )
            found += self._auto(logged, replayed)
        return found

    def _auto(self, logged: Log, replayed: Callable[[float], Callable[[list[int]], list[float]]]) -> list[str]:
        """``optimizer=auto``: the class counts near the one the logged lr implies (AdamW's lr0 is
        ``round(0.002 * 5 / (4 + nc), 6)``), each tried as the run with ``optimizer=auto``."""
        import math

        from lrcli.engine.core import ScheduleError

        schedule, lrs = self.schedule()
        values = replayed(lrs[self.column])([entry.row for entry in logged.entries])
        pair = next(
            ((entry.value, value) for entry, value in zip(logged.entries, values) if entry.value and value), None
        )
        counts = [self.nc or 0]  # MuSGD (or SGD) past 10,000 iterations, whatever the count
        if pair is not None:
            estimate = 0.01 / (lrs[self.column] * pair[0] / pair[1]) - 4
            if math.isfinite(estimate) and -4 < estimate < 10**7:
                middle = round(estimate)
                counts += [count for count in range(middle - 2, middle + 3) if count >= 0]
        auto = self.args["optimizer"] == "auto"
        for count in dict.fromkeys(counts):
            if auto and count == self.nc:
                continue
            try:
                other, other_lrs = self.schedule("optimizer=auto", nc=count)
            except ScheduleError:
                continue
            if not self._agrees(logged, other, other_lrs):
                continue
            name, lr0 = other.params["optimizer"], other_lrs[0]
            why = f"round(0.002 * 5 / (4 + nc), 6) for nc={count}" if name == "AdamW" else "past 10,000 iterations"
            if auto:
                return [
                    f"optimizer=auto sets lr0 from the dataset's class count: the log is {name} at lr0={lr0!r}, "
                    f"{why}, not {'the args.yaml nc' if self.nc is None else f'nc={self.nc}'}: give --nc {count}"
                ]
            return [
                f"the log is optimizer=auto's: {name} at lr0={lr0!r} ({why}), which ignores "
                f"lr0={self.args['lr0']!r} and sets warmup_bias_lr to 0; the run chose its optimizer "
                f"(optimizer=auto), not optimizer={self.args['optimizer']}"
            ]
        return []


def _config(path: str, options: list[str], length: int | None, counts_in: CountsIn) -> tuple[Schedule, float]:
    """An OpenMMLab config's lr schedulers per iteration, as ``lrcli mmengine`` reads them, and
    its optimizer's lr."""
    from lrcli.cli.mmengine import _base_value, _loop, config_schedule, param_schedulers
    from lrcli.config import read_config

    if counts_in is CountsIn.epochs:
        raise UsageProblem("--counts-in is for a spec; a config says how its schedulers count (by_epoch)")
    config = read_config(path, options)
    entries = param_schedulers(config, path)
    max_epochs, max_iters = _loop(config)
    if max_iters is None:
        if length is None:
            raise UsageProblem(
                "an epoch-based config needs the iterations per epoch: give --steps-per-epoch L (len(train_dataloader))"
            )
        max_iters = cast(int, max_epochs) * length  # an epoch-based loop: _loop gave its epochs
    return config_schedule(path, entries, length, max_epochs, max_iters), _base_value(config, "lr")


def _read(path: str, log_format: str | None, column: str | None, steps_per_epoch: int | None) -> Log:
    """The log at ``path`` (``-``: standard input)."""
    from lrcli import logs

    try:
        if path == "-":
            if sys.stdin is None:
                raise logs.LogError("<stdin>: there is no standard input to read")
            data = sys.stdin.buffer.read(logs.MAX_BYTES + 1)
            name = "<stdin>"
        else:
            return logs.read_log(path, log_format, column=column, batches_per_epoch=steps_per_epoch)
        return logs.parse_log(name, data, log_format, column=column, batches_per_epoch=steps_per_epoch)
    except logs.LogError as error:
        raise UsageProblem(str(error)) from None


def _first(result: Comparison) -> dict[str, object] | None:
    if result.first is None:
        return None
    entry = result.first.entry
    return {
        "step": entry.step,
        "row": entry.row,
        "line": entry.line,
        "logged": entry.text,
        "replayed": result.first.replayed,
    }


def _json(logged: Log, title: str, lr: float, result: Comparison, causes: list[str]) -> str:
    import json

    return json.dumps(
        {
            "log": logged.path,
            "format": logged.format,
            "column": logged.column,
            "alignment": logged.alignment,
            "schedule": title,
            "lr": lr,
            "rows": result.rows,
            "equal": result.equal,
            "exact": result.exact,
            "rounded": result.rounded,
            "agree": result.agree,
            "first_divergence": _first(result),
            "likely_causes": causes,
        },
        indent=2,
        default=repr,
    )


def _text(logged: Log, title: str, lr: float, result: Comparison, causes: list[str]) -> str:
    import shutil
    import textwrap

    width = min(max(shutil.get_terminal_size((80, 24)).columns, 40), 100)

    def item(name: str, text: str) -> list[str]:
        return textwrap.wrap(text, width, initial_indent=f"{name + ':':<10}", subsequent_indent=" " * 10)

    if result.rounded == "float32":
        equal = f"{result.equal:,} of {result.rows:,} as float32, the precision TensorBoard stores ({result.exact:,} of them ==)"
    elif result.rounded:
        equal = f"{result.equal:,} of {result.rows:,} within the digits logged ({result.exact:,} of them ==)"
    else:
        equal = f"{result.equal:,} of {result.rows:,} (==)"
    lines = [
        *item("log", f"{logged.path} ({logged.format}, {logged.column}; {logged.alignment})"),
        *item("schedule", f"{title}, initial lr {lr!r}"),
        *item("compared", f"{result.rows:,} rows"),
        *item("equal", equal),
    ]
    if result.first is not None:
        entry = result.first.entry
        where = f"line {entry.line}, " if entry.line else ""
        lines += item(
            "first",
            f"step {entry.step} ({where}row {entry.row}): logged {entry.text}, replayed {result.first.replayed!r}",
        )
    for cause in causes:
        lines += item("cause", cause)
    if result.agree:
        lines.append("They agree: every logged lr is the schedule's.")
    else:
        found = "" if causes else " (no cause lrcli knows explains every row)"
        lines.append(f"They differ{found}.")
    return "\n".join(lines)
