"""The command line: one Typer command per torch scheduler, sharing the options declared in
:data:`SHARED_OPTIONS`. Commands only turn options into a :class:`~lrcli.replay.Schedule`;
:mod:`lrcli.replay` computes, :mod:`lrcli.render` formats, :mod:`lrcli.output` writes.

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
from lrcli.expression import ExpressionError, compile_lambda
from lrcli.replay import MAX_EPOCHS, LRTable, Schedule, replay
from lrcli.schedules import ScheduleError, exponential_lr, lambda_lr, multistep_lr, step_lr


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


SHARED_OPTIONS = [
    inspect.Parameter(
        "lr",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            Optional[list[float]],
            typer.Option(
                "--lr",
                metavar="LR",
                help="Initial lr of a param group; repeat it for several groups.  [default: 0.1]",
                show_default=False,
            ),
        ],
    ),
    inspect.Parameter(
        "epochs",
        inspect.Parameter.KEYWORD_ONLY,
        default=10,
        annotation=Annotated[int, typer.Option("--epochs", metavar="N", help=f"Rows for epochs 0..N-1 (at most {MAX_EPOCHS:,}).")],
    ),
    inspect.Parameter(
        "output_format",
        inspect.Parameter.KEYWORD_ONLY,
        default=Format.table,
        annotation=Annotated[Format, typer.Option("--format", "-f", help="Output format.")],
    ),
    inspect.Parameter(
        "output",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            Optional[Path],
            typer.Option(
                "--output",
                "-o",
                metavar="PATH",
                dir_okay=False,
                help="Write to this file (replaced atomically) instead of stdout; - is stdout.",
            ),
        ],
    ),
    inspect.Parameter(
        "all_rows",
        inspect.Parameter.KEYWORD_ONLY,
        default=False,
        annotation=Annotated[bool, typer.Option("--all-rows", help="Table: list every epoch as plain text.")],
    ),
    inspect.Parameter(
        "log_y",
        inspect.Parameter.KEYWORD_ONLY,
        default=False,
        annotation=Annotated[bool, typer.Option("--log-y", help="Plot: logarithmic lr axis.")],
    ),
]


def schedule_command(name: str, example: str) -> Callable:
    """Register ``build(**options) -> Schedule`` as command ``name``, with the shared options added.

    The command builds the schedule from its own options, replays it over the param groups and
    renders it in the chosen format.
    """

    def register(build: Callable[..., Schedule]) -> Callable[..., Schedule]:
        own = list(inspect.signature(build).parameters.values())

        def command(**options) -> None:
            shared = {parameter.name: options.pop(parameter.name) for parameter in SHARED_OPTIONS}
            _show(build(**options), **shared)

        command.__signature__ = inspect.Signature(own + SHARED_OPTIONS)
        command.__annotations__ = {parameter.name: parameter.annotation for parameter in own + SHARED_OPTIONS}
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
    epochs: int,
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
    table = replay(schedule, lr or [0.1], epochs)
    chunks = _render(table, output_format, _use_color(path), all_rows, log_y)
    from lrcli.output import emit

    try:
        emit(chunks, path)
    except OSError as error:
        raise WriteFailed(f"cannot write {path!r}: {error.strerror or error}") from None


GAMMA_HELP = "Multiplicative factor of lr decay."


@schedule_command("lambda", "lrcli lambda --lr 0.1 --lr-lambda '1/(epoch+1)'")
def lambda_command(
    lr_lambda: Annotated[
        list[str],
        typer.Option(
            "--lr-lambda",
            help="Factor of the initial lr as an expression in epoch, e.g. '0.95**epoch'; "
            "once for all groups or once per group. Python syntax with math's functions, "
            "abs, min, max and round; nothing else.",
        ),
    ],
) -> Schedule:
    """LambdaLR: lr = initial_lr * lr_lambda(epoch)."""
    functions = [compile_lambda(text) for text in lr_lambda]

    def rules(base_lrs: list[float]) -> list:
        if len(functions) not in (1, len(base_lrs)):
            raise UsageProblem(
                f"--lr-lambda was given {len(functions)} times for {len(base_lrs)} param groups (--lr); "
                "give it once, or once per group"
            )
        chosen = functions * len(base_lrs) if len(functions) == 1 else functions
        return [lambda_lr(base_lr, function) for base_lr, function in zip(base_lrs, chosen)]

    return Schedule("LambdaLR", {"lr_lambda": lr_lambda[0] if len(lr_lambda) == 1 else lr_lambda}, rules)


@schedule_command("step", "lrcli step --lr 0.1 --step-size 3 --gamma 0.1")
def step_command(
    step_size: Annotated[int, typer.Option("--step-size", help="Decay every this many epochs.")],
    gamma: Annotated[float, typer.Option("--gamma", help=GAMMA_HELP)] = 0.1,
) -> Schedule:
    """StepLR: multiply the lr by gamma every step_size epochs."""
    return Schedule.shared("StepLR", {"step_size": step_size, "gamma": gamma}, step_lr(step_size, gamma))


def _milestones(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise ScheduleError("milestones", f"must be whole numbers separated by commas, got {text!r}") from None


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
    epochs = _milestones(milestones)
    return Schedule.shared("MultiStepLR", {"milestones": epochs, "gamma": gamma}, multistep_lr(epochs, gamma))


@schedule_command("exp", "lrcli exp --lr 0.1 --gamma 0.95")
def exp_command(
    gamma: Annotated[float, typer.Option("--gamma", help=GAMMA_HELP)],
) -> Schedule:
    """ExponentialLR: multiply the lr by gamma every epoch."""
    return Schedule.shared("ExponentialLR", {"gamma": gamma}, exponential_lr(gamma))


def _option(param: str) -> str:
    return "--" + param.replace("_", "-").lower()


def _error(message: str, code: int = 2) -> int:
    print(f"Error: {message}", file=sys.stderr)
    return code


def main() -> None:
    """Run the app; turn every expected failure into ``Error: …`` on stderr and exit 2."""
    if hasattr(signal, "SIGPIPE"):
        # A closed pipe (lrcli … | head) ends the process quietly, as it does cat or seq.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # A short run that builds millions of small objects spends more time in the cycle collector
    # than in anything else; nothing here makes cycles worth collecting.
    gc.disable()
    if "_LRCLI_COMPLETE" in os.environ:
        # Shell completion (completions/ scripts call back with this variable set): register
        # Typer's shell classes, which add_completion=False leaves out.
        from typer.completion import completion_init

        completion_init()
    try:
        code = app(standalone_mode=False, prog_name="lrcli")
    except typer.TyperException as error:
        code = _error(error.format_message())
    except ExpressionError as error:
        code = _error(_expression_message(error))
    except ScheduleError as error:
        code = _error(f"{_option(error.param)} {error.message}" if error.param else error.message)
    except UsageProblem as error:
        code = _error(str(error))
    except WriteFailed as error:
        code = _error(str(error), 1)
    sys.exit(code or 0)


def _expression_message(error: ExpressionError) -> str:
    message = f"--lr-lambda: {error.message}"
    if error.column is None or error.text is None:
        return message
    return f"{message} (column {error.column})\n  {error.text}\n  {' ' * (error.column - 1)}^"
