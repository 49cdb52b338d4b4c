"""The command line: one Typer command per torch scheduler, sharing the options declared once in
:data:`SHARED_OPTIONS` (and :data:`WARMUP_OPTIONS`). Commands only turn options into a
:class:`~lrcli.replay.Schedule`; :mod:`lrcli.replay` computes, :mod:`lrcli.render` formats,
:mod:`lrcli.output` writes.

Only Typer and the engine load at start-up (every TAB press runs this module); Rich, plotext and
orjson load when a format needs them.
"""

import gc
import inspect
import os
import shutil
import signal
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Callable, Iterable, Optional

import typer

from lrcli import __version__
from lrcli.catalog import KINDS, configure, groups_implied, parse_spec
from lrcli.expression import ExpressionError
from lrcli.replay import MAX_EPOCHS, LRTable, Schedule, replay
from lrcli.schedules import ScheduleError, chained_scheduler, linear_lr, reduce_lr_on_plateau, sequential_lr


class Format(str, Enum):
    table = "table"
    plot = "plot"
    csv = "csv"
    tsv = "tsv"
    json = "json"


class UsageProblem(Exception):
    """A combination of options that cannot work; reported as one ``Error:`` line, exit 2."""


class WriteFailed(Exception):
    """The output could not be written; reported as one ``Error:`` line, exit 1."""


app = typer.Typer(
    name="lrcli",
    help="Show the learning rate a torch.optim.lr_scheduler sets at every epoch, before you train.",
    epilog="Example: lrcli step --lr 0.1 --step-size 3",
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        print(f"lrcli {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    context: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Show the learning rate a torch.optim.lr_scheduler sets at every epoch, before you train.

    Row k is each param group's lr after k calls to scheduler.step(), equal as a float to what
    torch leaves in optimizer.param_groups[i]["lr"].
    """
    if context.invoked_subcommand is None:
        text = context.get_help()  # Rich help prints itself and returns ""
        if text:
            print(text)


def _keyword(name: str, annotation, default=inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


SHARED_OPTIONS = [
    _keyword(
        "lr",
        Annotated[
            Optional[list[float]],
            typer.Option(
                "--lr",
                metavar="LR",
                help="Initial lr of a param group; repeat it for several groups.  [default: 0.1]",
                show_default=False,
            ),
        ],
        None,
    ),
    _keyword(
        "epochs",
        Annotated[
            Optional[int],
            typer.Option(
                "--epochs",
                metavar="N",
                help=f"Rows for epochs 0..N-1 (at most {MAX_EPOCHS:,}).  [default: 10]",
                show_default=False,
            ),
        ],
        None,
    ),
    _keyword("output_format", Annotated[Format, typer.Option("--format", "-f", help="Output format.")], Format.table),
    _keyword(
        "output",
        Annotated[
            Optional[Path],
            typer.Option(
                "--output",
                "-o",
                metavar="PATH",
                dir_okay=False,
                help="Write to this file (replaced atomically) instead of stdout; - is stdout.",
            ),
        ],
        None,
    ),
    _keyword("all_rows", Annotated[bool, typer.Option("--all-rows", help="Table: list every epoch as plain text.")], False),
    _keyword("log_y", Annotated[bool, typer.Option("--log-y", help="Plot: logarithmic lr axis.")], False),
]

WARMUP_OPTIONS = [
    _keyword(
        "warmup",
        Annotated[
            int,
            typer.Option(
                "--warmup",
                metavar="N",
                help="Warm up for N epochs first: SequentialLR([LinearLR(start_factor=W, end_factor=1.0, "
                "total_iters=N), this], milestones=[N]), W being --warmup-start-factor.",
            ),
        ],
        0,
    ),
    _keyword(
        "warmup_start_factor",
        Annotated[float, typer.Option("--warmup-start-factor", metavar="W", help="LinearLR's start_factor for --warmup.")],
        1.0 / 3,
    ),
]


def schedule_command(name: str, example: str, warmup: bool = True) -> Callable:
    """Register ``build(**options) -> Schedule`` as command ``name``, with the shared options (and
    the warmup options) added.

    The command builds the schedule from its own options, replays it over the param groups and
    renders it in the chosen format.
    """

    def register(build: Callable[..., Schedule]) -> Callable[..., Schedule]:
        own = list(inspect.signature(build).parameters.values())
        added = SHARED_OPTIONS + (WARMUP_OPTIONS if warmup else [])

        def command(**options) -> None:
            shared = {parameter.name: options.pop(parameter.name) for parameter in SHARED_OPTIONS}
            warmups = [options.pop(parameter.name) for parameter in WARMUP_OPTIONS] if warmup else [0, None]
            _show(_with_warmup(build(**options), *warmups), **shared)

        command.__signature__ = inspect.Signature(own + added)
        command.__annotations__ = {parameter.name: parameter.annotation for parameter in own + added}
        command.__doc__ = build.__doc__
        app.command(name, epilog=f"Example: {example}")(command)
        return build

    return register


def _use_color(output: Optional[str]) -> bool:
    """ANSI styles only for a terminal on stdout, and never with NO_COLOR or TERM=dumb."""
    return (
        output is None
        and sys.stdout.isatty()
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM") != "dumb"
    )


def _render(table: LRTable, output_format: Format, color: bool, all_rows: bool, log_y: bool) -> Iterable[bytes]:
    """The chosen format's text, as byte chunks."""
    if output_format is Format.table:
        from lrcli.render.table import plain_rows, rich_table

        if all_rows:
            return [plain_rows(table).encode()]
        return [rich_table(table, shutil.get_terminal_size((80, 24)).columns, color).encode()]
    if output_format is Format.plot:
        from lrcli.render.plot import plot

        if not table.epochs:
            raise UsageProblem("--epochs 0 leaves nothing to plot")
        if log_y:
            for group, values in enumerate(table.lrs):
                if min(values) <= 0:
                    epoch = values.index(min(values))
                    raise UsageProblem(f"--log-y needs every lr above 0; group {group} has lr 0 at epoch {epoch}")
        size = shutil.get_terminal_size((80, 24))
        return [plot(table, size.columns, max(size.lines - 2, 10), log_y, color).encode()]
    from lrcli.render.text import delimited, json_document

    if output_format is Format.json:
        return json_document(table)
    return delimited(table, "," if output_format is Format.csv else "\t")


def _show(
    schedule: Schedule,
    lr: Optional[list[float]],
    epochs: Optional[int],
    output_format: Format,
    output: Optional[Path],
    all_rows: bool,
    log_y: bool,
) -> None:
    path = None if output is None or str(output) == "-" else str(output)
    if all_rows and output_format is not Format.table:
        raise UsageProblem("--all-rows applies to --format table")
    if log_y and output_format is not Format.plot:
        raise UsageProblem("--log-y applies to --format plot")
    table = replay(schedule, lr, epochs)
    chunks = _render(table, output_format, _use_color(path), all_rows, log_y)
    from lrcli.output import emit

    try:
        emit(chunks, path)
    except OSError as error:
        raise WriteFailed(f"cannot write {path!r}: {error.strerror or error}") from None


def _one_or_list(values: list) -> object:
    """A per-group option as torch takes it: one value, or a list of one per group."""
    return values[0] if len(values) == 1 else list(values)


def _single(command: str, params: dict[str, object], **extra) -> Schedule:
    """The schedule of one torch scheduler, from its parameters under torch's names."""
    kind = KINDS[command]
    return Schedule(
        kind.torch_name,
        params,
        schedulers=lambda groups: configure(kind, params, groups),
        groups=groups_implied(kind, params),
        **extra,
    )


def _with_warmup(schedule: Schedule, warmup: int, start_factor: Optional[float]) -> Schedule:
    """``schedule`` after ``warmup`` epochs of LinearLR, as SequentialLR composes them."""
    if not warmup:
        return schedule
    if warmup < 0:
        raise ScheduleError("warmup", f"must be a whole number >= 0, got {warmup}")
    if schedule.momentum:
        raise UsageProblem("--show-momentum shows a scheduler's own momentum; it cannot follow --warmup")
    linear = {"start_factor": start_factor, "end_factor": 1.0, "total_iters": warmup}
    try:
        linear_lr(**linear)
    except ScheduleError as error:
        raise ScheduleError("warmup_start_factor", error.message) from None
    main = schedule.schedulers

    def schedulers(groups: int) -> list:
        warmups = configure(KINDS["linear"], linear, groups)
        return [sequential_lr([first, then], [warmup]) for first, then in zip(warmups, main(groups))]

    params = {"schedulers": [_call("LinearLR", linear), _call(schedule.scheduler, schedule.params)], "milestones": [warmup]}
    return Schedule("SequentialLR", params, schedulers, groups=schedule.groups, default_epochs=schedule.default_epochs)


def _call(scheduler: str, params: dict[str, object]) -> dict[str, object]:
    """A child scheduler as JSON params list it."""
    return {"scheduler": scheduler, "params": params}


LAMBDA_HELP = (
    "An expression in epoch, e.g. '0.95**epoch'; once for all groups or once per group. Python "
    "syntax with math's functions, abs, min, max and round; nothing else."
)
GAMMA_HELP = "Multiplicative factor of lr decay."
MOMENTUM_HELP = "Also show the momentum (or Adam's beta1) the scheduler sets, as columns."


@schedule_command("lambda", "lrcli lambda --lr 0.1 --lr-lambda '1/(epoch+1)'")
def lambda_command(
    lr_lambda: Annotated[list[str], typer.Option("--lr-lambda", metavar="EXPR", help="Factor of the initial lr: " + LAMBDA_HELP)],
) -> Schedule:
    """LambdaLR: lr = initial_lr * lr_lambda(epoch)."""
    return _single("lambda", {"lr_lambda": _one_or_list(lr_lambda)})


@schedule_command("multiplicative", "lrcli multiplicative --lr 0.1 --lr-lambda 0.95")
def multiplicative_command(
    lr_lambda: Annotated[list[str], typer.Option("--lr-lambda", metavar="EXPR", help="Factor of the current lr: " + LAMBDA_HELP)],
) -> Schedule:
    """MultiplicativeLR: lr = lr * lr_lambda(epoch) at every step after the first."""
    return _single("multiplicative", {"lr_lambda": _one_or_list(lr_lambda)})


@schedule_command("step", "lrcli step --lr 0.1 --step-size 3 --gamma 0.1")
def step_command(
    step_size: Annotated[int, typer.Option("--step-size", help="Decay every this many epochs.")],
    gamma: Annotated[float, typer.Option("--gamma", help=GAMMA_HELP)] = 0.1,
) -> Schedule:
    """StepLR: multiply the lr by gamma every step_size epochs."""
    return _single("step", {"step_size": step_size, "gamma": gamma})


def _whole_numbers(option: str, text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise ScheduleError(option, f"must be whole numbers separated by commas, got {text!r}") from None


@schedule_command("multistep", "lrcli multistep --lr 0.1 --milestones 3,7 --gamma 0.1")
def multistep_command(
    milestones: Annotated[
        str,
        typer.Option(
            "--milestones",
            help="Epochs at which to decay, comma-separated, e.g. 30,80. As in torch, an epoch listed "
            "twice decays twice, and 0 decays at the start.",
        ),
    ],
    gamma: Annotated[float, typer.Option("--gamma", help=GAMMA_HELP)] = 0.1,
) -> Schedule:
    """MultiStepLR: multiply the lr by gamma at each milestone epoch."""
    return _single("multistep", {"milestones": _whole_numbers("milestones", milestones), "gamma": gamma})


@schedule_command("constant", "lrcli constant --lr 0.1 --factor 0.5 --total-iters 4")
def constant_command(
    factor: Annotated[float, typer.Option("--factor", help="Multiply the lr by this until total_iters.")] = 1.0 / 3,
    total_iters: Annotated[int, typer.Option("--total-iters", help="Epoch at which the lr is restored.")] = 5,
) -> Schedule:
    """ConstantLR: lr * factor until epoch total_iters, then lr."""
    return _single("constant", {"factor": factor, "total_iters": total_iters})


@schedule_command("linear", "lrcli linear --lr 0.1 --start-factor 0.1 --total-iters 5")
def linear_command(
    start_factor: Annotated[float, typer.Option("--start-factor", help="Factor of the lr at epoch 0, in (0, 1].")] = 1.0 / 3,
    end_factor: Annotated[float, typer.Option("--end-factor", help="Factor of the lr from total_iters on, in [0, 1].")] = 1.0,
    total_iters: Annotated[int, typer.Option("--total-iters", help="Epochs the change takes.")] = 5,
) -> Schedule:
    """LinearLR: the lr factor moves linearly from start_factor to end_factor."""
    return _single("linear", {"start_factor": start_factor, "end_factor": end_factor, "total_iters": total_iters})


@schedule_command("exp", "lrcli exp --lr 0.1 --gamma 0.95")
def exp_command(
    gamma: Annotated[float, typer.Option("--gamma", help=GAMMA_HELP)],
) -> Schedule:
    """ExponentialLR: multiply the lr by gamma every epoch."""
    return _single("exp", {"gamma": gamma})


@schedule_command("poly", "lrcli poly --lr 0.1 --total-iters 100 --power 2")
def poly_command(
    total_iters: Annotated[int, typer.Option("--total-iters", help="Epochs to decay to 0 in.")] = 5,
    power: Annotated[float, typer.Option("--power", help="Power of the polynomial.")] = 1.0,
) -> Schedule:
    """PolynomialLR: lr = initial_lr * (1 - epoch / total_iters) ** power, to 0 at total_iters."""
    return _single("poly", {"total_iters": total_iters, "power": power})


@schedule_command("cosine", "lrcli cosine --lr 0.1 --t-max 100 --eta-min 0.001 --epochs 100")
def cosine_command(
    t_max: Annotated[int, typer.Option("--t-max", help="Epochs from the initial lr down to eta_min (torch's T_max).")],
    eta_min: Annotated[float, typer.Option("--eta-min", help="Lowest lr.")] = 0.0,
) -> Schedule:
    """CosineAnnealingLR: half a cosine from the initial lr to eta_min over T_max epochs."""
    return _single("cosine", {"T_max": t_max, "eta_min": eta_min})


@schedule_command("cosine-restarts", "lrcli cosine-restarts --lr 0.1 --t-0 10 --t-mult 2 --epochs 70")
def cosine_restarts_command(
    t_0: Annotated[int, typer.Option("--t-0", help="Epochs to the first restart (torch's T_0).")],
    t_mult: Annotated[int, typer.Option("--t-mult", help="Each period is this many times the last (torch's T_mult).")] = 1,
    eta_min: Annotated[float, typer.Option("--eta-min", help="Lowest lr.")] = 0.0,
) -> Schedule:
    """CosineAnnealingWarmRestarts: cosine annealing that restarts, each period T_mult times longer."""
    return _single("cosine-restarts", {"T_0": t_0, "T_mult": t_mult, "eta_min": eta_min})


class CyclicMode(str, Enum):
    triangular = "triangular"
    triangular2 = "triangular2"
    exp_range = "exp_range"


class ScaleMode(str, Enum):
    cycle = "cycle"
    iterations = "iterations"


@schedule_command("cyclic", "lrcli cyclic --base-lr 0.001 --max-lr 0.1 --step-size-up 4 --mode triangular2 --epochs 30")
def cyclic_command(
    base_lr: Annotated[list[float], typer.Option("--base-lr", help="Lower lr of the cycle; once or once per group.")],
    max_lr: Annotated[list[float], typer.Option("--max-lr", help="Upper lr of the cycle; once or once per group.")],
    step_size_up: Annotated[int, typer.Option("--step-size-up", help="Steps from base_lr up to max_lr.")] = 2000,
    step_size_down: Annotated[
        Optional[int], typer.Option("--step-size-down", help="Steps back down.  [default: step_size_up]", show_default=False)
    ] = None,
    mode: Annotated[CyclicMode, typer.Option("--mode", help="Amplitude policy.")] = CyclicMode.triangular,
    gamma: Annotated[float, typer.Option("--gamma", help="exp_range: amplitude times gamma ** step.")] = 1.0,
    scale_mode: Annotated[
        ScaleMode, typer.Option("--scale-mode", help="Kept for torch's signature: the three modes fix it.")
    ] = ScaleMode.cycle,
    cycle_momentum: Annotated[bool, typer.Option("--cycle-momentum/--no-cycle-momentum", help="Cycle momentum inversely.")] = True,
    base_momentum: Annotated[list[float], typer.Option("--base-momentum", help="Lower momentum.")] = [0.8],
    max_momentum: Annotated[list[float], typer.Option("--max-momentum", help="Upper momentum.")] = [0.9],
    show_momentum: Annotated[bool, typer.Option("--show-momentum", help=MOMENTUM_HELP)] = False,
) -> Schedule:
    """CyclicLR: the lr cycles between base_lr and max_lr.

    Torch sets each group's lr to base_lr, so --lr only gives the number of param groups (and,
    after other schedulers, the initial_lr they saw).
    """
    params = {
        "base_lr": _one_or_list(base_lr),
        "max_lr": _one_or_list(max_lr),
        "step_size_up": step_size_up,
        "step_size_down": step_size_down,
        "mode": mode.value,
        "gamma": gamma,
        "scale_mode": scale_mode.value,
        "cycle_momentum": cycle_momentum,
        "base_momentum": _one_or_list(base_momentum),
        "max_momentum": _one_or_list(max_momentum),
    }
    return _single("cyclic", params, momentum=show_momentum)


class AnnealStrategy(str, Enum):
    cos = "cos"
    linear = "linear"


@schedule_command("onecycle", "lrcli onecycle --max-lr 0.1 --total-steps 100 --format plot")
def onecycle_command(
    max_lr: Annotated[list[float], typer.Option("--max-lr", help="Peak lr; once or once per group.")],
    total_steps: Annotated[int, typer.Option("--total-steps", help="Steps in the cycle; also the default --epochs.")],
    pct_start: Annotated[float, typer.Option("--pct-start", help="Fraction of the steps spent rising, in (0, 1).")] = 0.3,
    anneal_strategy: Annotated[AnnealStrategy, typer.Option("--anneal-strategy", help="Annealing shape.")] = AnnealStrategy.cos,
    div_factor: Annotated[float, typer.Option("--div-factor", help="Initial lr = max_lr / div_factor.")] = 25.0,
    final_div_factor: Annotated[
        float, typer.Option("--final-div-factor", help="Final lr = initial lr / final_div_factor.")
    ] = 1e4,
    three_phase: Annotated[bool, typer.Option("--three-phase", help="Come back to the initial lr before the final descent.")] = False,
    cycle_momentum: Annotated[bool, typer.Option("--cycle-momentum/--no-cycle-momentum", help="Cycle momentum inversely.")] = True,
    base_momentum: Annotated[list[float], typer.Option("--base-momentum", help="Lower momentum.")] = [0.85],
    max_momentum: Annotated[list[float], typer.Option("--max-momentum", help="Upper momentum.")] = [0.95],
    show_momentum: Annotated[bool, typer.Option("--show-momentum", help=MOMENTUM_HELP)] = False,
) -> Schedule:
    """OneCycleLR: up to max_lr and down to far below the start, once.

    Torch replaces each group's initial lr by max_lr / div_factor, so --lr only gives the number
    of param groups. --epochs defaults to --total-steps; torch refuses to step more than
    total_steps times, so at most total_steps + 1 rows exist.
    """
    params = {
        "max_lr": _one_or_list(max_lr),
        "total_steps": total_steps,
        "pct_start": pct_start,
        "anneal_strategy": anneal_strategy.value,
        "cycle_momentum": cycle_momentum,
        "base_momentum": _one_or_list(base_momentum),
        "max_momentum": _one_or_list(max_momentum),
        "div_factor": div_factor,
        "final_div_factor": final_div_factor,
        "three_phase": three_phase,
    }
    return _single("onecycle", params, default_epochs=total_steps, momentum=show_momentum)


class PlateauMode(str, Enum):
    min = "min"
    max = "max"


class ThresholdMode(str, Enum):
    rel = "rel"
    abs = "abs"


@schedule_command("plateau", "lrcli plateau --metrics val_loss.txt --patience 2", warmup=False)
def plateau_command(
    metrics: Annotated[
        str, typer.Option("--metrics", metavar="FILE", help="The metric passed to each step(): one number per line; - reads stdin.")
    ],
    column: Annotated[
        Optional[str],
        typer.Option("--column", help="Read --metrics as CSV with a header and take this column (a name, or a number from 1)."),
    ] = None,
    mode: Annotated[PlateauMode, typer.Option("--mode", help="min: lower is better; max: higher is better.")] = PlateauMode.min,
    factor: Annotated[float, typer.Option("--factor", help="Multiply the lr by this on a plateau (below 1).")] = 0.1,
    patience: Annotated[int, typer.Option("--patience", help="Steps without improvement tolerated.")] = 10,
    threshold: Annotated[float, typer.Option("--threshold", help="Smallest change that counts as improvement.")] = 1e-4,
    threshold_mode: Annotated[ThresholdMode, typer.Option("--threshold-mode", help="rel: relative; abs: absolute.")] = ThresholdMode.rel,
    cooldown: Annotated[int, typer.Option("--cooldown", help="Steps to wait after a reduction.")] = 0,
    min_lr: Annotated[list[float], typer.Option("--min-lr", help="Lowest lr; once or once per group.")] = [0.0],
    eps: Annotated[float, typer.Option("--eps", help="Smaller reductions are skipped.")] = 1e-8,
) -> Schedule:
    """ReduceLROnPlateau: cut the lr when the metric stops improving.

    Row k is the lr after k calls step(metrics[k-1]); --epochs defaults to one more than the
    number of metrics.
    """
    from lrcli.metrics import read_metrics

    values = read_metrics(metrics, column)
    params = {
        "mode": mode.value,
        "factor": factor,
        "patience": patience,
        "threshold": threshold,
        "threshold_mode": threshold_mode.value,
        "cooldown": cooldown,
        "min_lr": _one_or_list(min_lr),
        "eps": eps,
    }

    def lrs(base_lrs: list[float], epochs: int) -> list[list[float]]:
        return reduce_lr_on_plateau(base_lrs, values, epochs, **params)

    return Schedule("ReduceLROnPlateau", params, lrs=lrs, default_epochs=len(values) + 1)


SPECS_HELP = (
    "Schedulers as calls with torch's keywords, e.g. 'linear(start_factor=0.1, total_iters=5)' "
    "'cosine(T_max=95)'; names are lrcli commands or torch class names, values literals."
)


def _configure_spec(text: str, spec, groups: int) -> list:
    """:func:`configure` for a spec, its errors naming the spec rather than an option."""
    try:
        return configure(spec.kind, spec.params, groups)
    except ScheduleError as error:
        raise ScheduleError(None, f"{text!r}: {error}") from None
    except ExpressionError as error:
        column = f" (column {error.column} of {error.text!r})" if error.column else ""
        raise ScheduleError(None, f"{text!r}: lr_lambda: {error.message}{column}") from None


def _composed(scheduler: str, spec_texts: list[str], compose: Callable, extra: dict[str, object]) -> Schedule:
    """One scheduler per group composing the specs' schedulers with ``compose``."""
    specs = [parse_spec(text) for text in spec_texts]
    if sum(spec.kind.command == "onecycle" for spec in specs) > 1:
        raise ScheduleError(None, "two OneCycleLR in one schedule overwrite each other's lrs in torch; use one")
    groups = max(groups_implied(spec.kind, spec.params) for spec in specs)

    def schedulers(count: int) -> list:
        per_spec = [_configure_spec(text, spec, count) for text, spec in zip(spec_texts, specs)]
        return [compose(list(children)) for children in zip(*per_spec)]

    params = {"schedulers": [_call(spec.kind.torch_name, spec.params) for spec in specs], **extra}
    return Schedule(scheduler, params, schedulers, groups=groups)


@schedule_command(
    "sequential", "lrcli sequential 'linear(start_factor=0.1, total_iters=5)' 'cosine(T_max=95)' --milestones 5 --epochs 100",
    warmup=False,
)
def sequential_command(
    specs: Annotated[list[str], typer.Argument(metavar="SPEC...", help=SPECS_HELP, show_default=False)],
    milestones: Annotated[str, typer.Option("--milestones", help="Epochs at which the next scheduler takes over, comma-separated.")],
) -> Schedule:
    """SequentialLR: each scheduler in turn, switching at the milestones."""
    epochs = _whole_numbers("milestones", milestones)
    return _composed("SequentialLR", specs, lambda children: sequential_lr(children, epochs), {"milestones": epochs})


@schedule_command("chained", "lrcli chained 'constant(factor=0.5, total_iters=3)' 'exp(gamma=0.9)'", warmup=False)
def chained_command(
    specs: Annotated[list[str], typer.Argument(metavar="SPEC...", help=SPECS_HELP, show_default=False)],
) -> Schedule:
    """ChainedScheduler: every scheduler steps at every epoch, each acting on the lr the last left."""
    return _composed("ChainedScheduler", specs, chained_scheduler, {})


def _option(param: str) -> str:
    return "--" + param.replace("_", "-").lower()


def _error(message: str, code: int = 2) -> int:
    print(f"Error: {message}", file=sys.stderr)
    return code


def run(args: Optional[list[str]] = None) -> int:
    """Run the app on ``args`` (the command line's, by default) and return the exit status; every
    expected failure becomes ``Error: …`` on stderr and status 2 (1 for a failed write)."""
    if "_LRCLI_COMPLETE" in os.environ:
        # Shell completion (completions/ scripts call back with this variable set): register
        # Typer's shell classes, which add_completion=False leaves out.
        from typer.completion import completion_init

        completion_init()
    try:
        return app(args=args, standalone_mode=False, prog_name="lrcli") or 0
    except typer.TyperException as error:
        return _error(error.format_message())
    except ExpressionError as error:
        return _error(_expression_message(error))
    except ScheduleError as error:
        return _error(f"{_option(error.param)} {error.message}" if error.param else error.message)
    except UsageProblem as error:
        return _error(str(error))
    except WriteFailed as error:
        return _error(str(error), 1)


def main() -> None:
    """The ``lrcli`` program: :func:`run`, as a short-lived process."""
    if hasattr(signal, "SIGPIPE"):
        # A closed pipe (lrcli … | head) ends the process quietly, as it does cat or seq.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # A short run that builds millions of small objects spends more time in the cycle collector
    # than in anything else; nothing here makes cycles worth collecting.
    gc.disable()
    code = run()
    # Everything is written; leave without freeing millions of floats one at a time.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _expression_message(error: ExpressionError) -> str:
    message = f"--lr-lambda: {error.message}"
    if error.column is None or error.text is None:
        return message
    return f"{message} (column {error.column})\n  {error.text}\n  {' ' * (error.column - 1)}^"
