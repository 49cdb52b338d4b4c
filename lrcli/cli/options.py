"""Typer options: those every schedule command shares (declared once, as sqlite-utils declares its
``output_options``), and those generated from a scheduler's parameter descriptions.

An option is an :class:`inspect.Parameter` whose annotation carries its ``typer.Option``; a
command's signature is a list of them (see :func:`lrcli.cli.commands.make_command`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from lrcli.engine.loop import ORDERS, RESUME_BY, STEP_WITH
from lrcli.registry.description import Option, Param, count, with_default
from lrcli.render import DEFAULT_DPI, DEFAULT_INCHES, RENDERERS
from lrcli.replay import DEFAULT_EPOCHS

# mypy types an Enum() call only with literal members; these come from RENDERERS
Format = Enum("Format", {name: name for name in RENDERERS}, type=str)  # type: ignore[misc]
"""The output formats: those :data:`lrcli.render.RENDERERS` renders."""


class CountsIn(str, Enum):
    steps = "steps"
    epochs = "epochs"


class LightningInterval(str, Enum):
    step = "step"
    epoch = "epoch"


ResumeBy = Enum("ResumeBy", {name: name for name in RESUME_BY}, type=str)  # type: ignore[misc]  # members: the engine's names
Order = Enum("Order", {name: name for name in ORDERS}, type=str)  # type: ignore[misc]  # members: the engine's names
StepWith = Enum("StepWith", {name: name for name in STEP_WITH}, type=str)  # type: ignore[misc]  # members: the engine's names


class Emit(str, Enum):
    torch = "torch"


class PlotX(str, Enum):
    epoch = "epoch"
    step = "step"


def with_signature(command: Callable[..., None], parameters: list[inspect.Parameter]) -> Callable[..., None]:
    """``command`` as Typer reads it: a function whose signature is ``parameters``, each annotated
    with its ``typer.Option`` or ``typer.Argument``."""
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]  # read by inspect; no stub has it
    command.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters}
    return command


def option(name: str, annotation, default=inspect.Parameter.empty) -> inspect.Parameter:
    """A keyword parameter of a command; ``annotation`` is ``Annotated[type, typer.Option(…)]``."""
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


HORIZON_OPTIONS = (
    "epochs",
    "steps",
    "steps_per_epoch",
    "counts_in",
    "processes",
    "accumulation",
    "split_batches",
    "lightning_interval",
    "lightning_frequency",
)
"""The shared options that say how many rows there are and how the scheduler is stepped: a command
whose framework runs its own loop (timm's train.py, a config, a training script) leaves them out."""


def shared_options(default_rows: str | None) -> list[inspect.Parameter]:
    """The options of every schedule command; ``default_rows`` says what ``--epochs`` defaults to
    when it is not the usual 10."""
    return [
        option(
            "lr",
            Annotated[
                Optional[list[float]],
                typer.Option(
                    "--lr",
                    metavar="LR",
                    show_default=False,
                    help=with_default("Initial lr of a param group; repeat it for several groups.", "0.1"),
                ),
            ],
            None,
        ),
        option(
            "epochs",
            Annotated[
                Optional[int],
                typer.Option(
                    "--epochs",
                    metavar="N",
                    show_default=False,
                    help=with_default(
                        "Epochs to show: rows 0..N-1, or N x M steps with --steps-per-epoch M.",
                        default_rows or str(DEFAULT_EPOCHS),
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
                    help="Step the scheduler once per optimizer step, M steps an epoch (scheduler.step() in the "
                    "batch loop): rows are steps.",
                ),
            ],
            None,
        ),
        option(
            "steps",
            Annotated[
                Optional[int],
                typer.Option("--steps", metavar="N", help="Show N steps (rows 0..N-1) instead of --epochs."),
            ],
            None,
        ),
        option(
            "counts_in",
            Annotated[
                CountsIn,
                typer.Option(
                    "--counts-in",
                    show_default=False,
                    help=with_default(
                        "With --steps-per-epoch: whether parameters that count scheduler steps "
                        "(step_size, milestones, total_iters, T_max, --warmup, ...) are given in "
                        "steps, as torch takes them, or in epochs.",
                        "steps",
                    ),
                ),
            ],
            CountsIn.steps,
        ),
        option(
            "processes",
            Annotated[
                int,
                typer.Option(
                    "--processes",
                    metavar="P",
                    show_default=False,
                    help=with_default(
                        "With --steps-per-epoch (batches each process sees): the scheduler prepared by "
                        "accelerate on P processes, which steps it P times at every optimizer update.",
                        "1",
                    ),
                ),
            ],
            1,
        ),
        option(
            "accumulation",
            Annotated[
                int,
                typer.Option(
                    "--accumulation",
                    metavar="G",
                    show_default=False,
                    help=with_default(
                        "With --steps-per-epoch: gradient accumulation; the scheduler steps only when "
                        "gradients sync, at every G-th batch and an epoch's last (accelerate's accumulate, Lightning, "
                        "the Trainer).",
                        "1",
                    ),
                ),
            ],
            1,
        ),
        option(
            "split_batches",
            Annotated[
                bool,
                typer.Option(
                    "--split-batches",
                    help="With --processes: accelerate's split_batches=True, one scheduler step an update.",
                ),
            ],
            False,
        ),
        option(
            "lightning_interval",
            Annotated[
                Optional[LightningInterval],
                typer.Option(
                    "--lightning-interval",
                    show_default=False,
                    help="With --steps-per-epoch (batches): Lightning's fit loop steps the scheduler, its config's "
                    "interval; --accumulation G is accumulate_grad_batches.",
                ),
            ],
            None,
        ),
        option(
            "lightning_frequency",
            Annotated[
                Optional[int],
                typer.Option(
                    "--lightning-frequency",
                    metavar="F",
                    show_default=False,
                    help=with_default(
                        "With --lightning-interval: the config's frequency, stepping at every F-th batch of "
                        "an epoch (not optimizer step) or every F-th epoch.",
                        "1",
                    ),
                ),
            ],
            None,
        ),
        option(
            "start",
            Annotated[
                Optional[int],
                typer.Option("--start", metavar="K", help="Rows from K on (negative: from the end), as a slice [K:]."),
            ],
            None,
        ),
        option(
            "stop",
            Annotated[
                Optional[int],
                typer.Option("--stop", metavar="K", help="Rows before K (negative: from the end), as a slice [:K]."),
            ],
            None,
        ),
        option(
            "every",
            Annotated[Optional[int], typer.Option("--every", metavar="K", help="Every K-th row (and the last).")],
            None,
        ),
        option(
            "changes",
            Annotated[bool, typer.Option("--changes", help="Only rows where an lr changes (and the first and last).")],
            False,
        ),
        option(
            "at",
            Annotated[
                Optional[str],
                typer.Option("--at", metavar="K[,K...]", help="Only these rows (negative: from the end)."),
            ],
            None,
        ),
        option(
            "output_format",
            Annotated[
                Optional[Format],
                typer.Option(
                    "--format",
                    "-f",
                    show_default=False,
                    help=with_default("Output format.", "table, or what -o's extension names"),
                ),
            ],
            None,
        ),
        option(
            "output",
            Annotated[
                Optional[Path],
                typer.Option(
                    "--output",
                    "-o",
                    metavar="PATH",
                    dir_okay=False,
                    help="Write to this file (replaced atomically) instead of stdout; - is stdout. Its extension "
                    "(.csv, .tsv, .json, .npz, .md, .html, .png, .svg, .pdf, .txt) sets the format when --format "
                    "is not given.",
                ),
            ],
            None,
        ),
        option(
            "logged",
            Annotated[
                Optional[str],
                typer.Option(
                    "--logged",
                    metavar="LOG",
                    help="Instead of the rows, check the lr a run logged in LOG (- for stdin) against this "
                    "schedule, as lrcli check LOG does: its report (-f json, or under -f plot; -o a chart); "
                    "exit 0 when they agree, 1 when they do not.",
                ),
            ],
            None,
        ),
        option(
            "logged_column",
            Annotated[
                Optional[str],
                typer.Option(
                    "--logged-column",
                    metavar="NAME",
                    help="With --logged: read this logged value instead of the lr (lr/pg2, lr-AdamW, a "
                    "TensorBoard tag, a header name).",
                ),
            ],
            None,
        ),
        option(
            "all_rows", Annotated[bool, typer.Option("--all-rows", help="Table: list every row as plain text.")], False
        ),
        option(
            "log_y", Annotated[bool, typer.Option("--log-y", help="Plot, image, HTML: logarithmic lr axis.")], False
        ),
        option(
            "emit",
            Annotated[
                Optional[Emit],
                typer.Option(
                    "--emit",
                    help="Print a runnable PyTorch script that builds this scheduler and prints these rows "
                    "(the whole run from row 0), instead of the rows.",
                ),
            ],
            None,
        ),
        option(
            "verify",
            Annotated[
                bool,
                typer.Option(
                    "--verify",
                    help="Step real torch (when installed) through the same schedule and compare every "
                    "value; exit 1 if any differs.",
                ),
            ],
            False,
        ),
        option(
            "summary",
            Annotated[
                bool,
                typer.Option(
                    "--summary",
                    help="JSON: add a summary of each column (first, last, min, max, mean, sum, changes, "
                    "largest drops).",
                ),
            ],
            False,
        ),
        option(
            "size",
            Annotated[
                Optional[str],
                typer.Option(
                    "--size",
                    metavar="WxH",
                    help="Plot: this many columns and lines, instead of the terminal's. Image: inches "
                    f"({DEFAULT_INCHES[0]:g}x{DEFAULT_INCHES[1]:g}, the default) or pixels (1200x675px).",
                ),
            ],
            None,
        ),
        option(
            "dpi",
            Annotated[
                Optional[int],
                typer.Option(
                    "--dpi",
                    metavar="N",
                    show_default=False,
                    help=with_default("Image: dots per inch (a PNG's pixels per inch).", str(DEFAULT_DPI)),
                ),
            ],
            None,
        ),
        option(
            "plot_x",
            Annotated[
                PlotX,
                typer.Option(
                    "--plot-x",
                    show_default=False,
                    help=with_default(
                        "Plot, image, HTML: the x axis in epochs (fractional when stepping per iteration) or steps.",
                        "epoch",
                    ),
                ),
            ],
            PlotX.epoch,
        ),
    ]


def _parser(parse: Callable[[str], object] | None) -> Callable[[str], object] | None:
    """``parse`` as Typer calls a parser: its ValueError becomes Typer's message for the option."""
    if parse is None:
        return None

    def parser(text: str) -> object:
        try:
            return parse(text)
        except ValueError as error:
            raise typer.BadParameter(str(error)) from None

    return parser


WARMUP_OPTIONS = [
    option(
        "warmup",
        Annotated[
            object,
            typer.Option(
                "--warmup",
                metavar="N",
                show_default=False,
                parser=_parser(count),
                help=with_default(
                    "Warm up for N epochs first: SequentialLR([LinearLR(start_factor=W, end_factor=1.0, "
                    "total_iters=N), this], milestones=[N]), W being --warmup-start-factor.",
                    "0",
                ),
            ),
        ],
        0,
    ),
    option(
        "warmup_start_factor",
        Annotated[
            Optional[float],
            typer.Option(
                "--warmup-start-factor",
                metavar="W",
                show_default=False,
                help=with_default("LinearLR's start_factor for --warmup.", "1/3"),
            ),
        ],
        None,
    ),
]


def resume_at_option(help: str) -> inspect.Parameter:
    """``--resume-at K``, the row the resumed run starts at, with ``help`` saying how the loop resumes."""
    return option("resume_at", Annotated[Optional[int], typer.Option("--resume-at", metavar="K", help=help)], None)


LOOP_OPTIONS = [
    resume_at_option(
        "Interrupt the run after row K-1 (a checkpoint at the end of it) and resume it as "
        "--resume-by says: rows from K on are the resumed run's."
    ),
    option(
        "resume_by",
        Annotated[
            ResumeBy,
            typer.Option(
                "--resume-by",
                show_default=False,
                help=with_default(
                    "With --resume-at: state-dict (optimizer and scheduler load_state_dict), last-epoch (the "
                    "optimizer's state loaded, the scheduler constructed with last_epoch=K-1) or fresh (a new "
                    "optimizer, initial_lr set by hand, last_epoch=K-1).",
                    "state-dict",
                ),
            ),
        ],
        ResumeBy["state-dict"],
    ),
    option(
        "compare_resume",
        Annotated[
            bool,
            typer.Option(
                "--compare-resume",
                help="With --resume-at: the uninterrupted run beside the resumed one, and a note naming the "
                "first row where they differ.",
            ),
        ],
        False,
    ),
    option(
        "order",
        Annotated[
            Order,
            typer.Option(
                "--order",
                show_default=False,
                help=with_default(
                    "optimizer-first (optimizer.step(); scheduler.step(), as torch wants) or scheduler-first "
                    "(the pre-1.1 habit: each row is then the lr its epoch trains with, one step ahead).",
                    "optimizer-first",
                ),
            ),
        ],
        Order["optimizer-first"],
    ),
    option(
        "step_with",
        Annotated[
            StepWith,
            typer.Option(
                "--step-with",
                show_default=False,
                help=with_default(
                    "count: scheduler.step(); epoch: scheduler.step(k) at the k-th step (torch's deprecated "
                    "closed forms); fraction: scheduler.step(epoch + i / M) after batch i, M being "
                    "--steps-per-epoch (CosineAnnealingWarmRestarts' documented form; counts are epochs).",
                    "count",
                ),
            ),
        ],
        StepWith("count"),
    ),
]
"""How the training loop steps a torch scheduler: resumed, in which order, with which argument."""

FRAMEWORK_RESUME_OPTIONS = [
    resume_at_option(
        "Interrupt the run after row K-1 (a checkpoint at the end of it; timm: after epoch K-1, "
        "train.py's start_epoch K) and resume it the framework's own way: rows from K on are the "
        "resumed run's."
    ),
    next(parameter for parameter in LOOP_OPTIONS if parameter.name == "compare_resume"),
]
"""``--resume-at`` and ``--compare-resume`` of a framework with its own resume path (the
:class:`~lrcli.registry.Family`'s ``resume``)."""

MOMENTUM_OPTION = option(
    "show_momentum",
    Annotated[
        bool,
        typer.Option(
            "--show-momentum",
            help="Also show the momentum (or Adam's beta1) the scheduler sets: columns, or a second plot.",
        ),
    ],
    False,
)


def typer_option(described: Option) -> inspect.Parameter:
    """A parameter's command-line option (:class:`~lrcli.registry.Option`) as Typer reads it: an
    option, or (without names) a positional argument that the command's help describes."""
    if not described.decls:
        return option(
            described.name,
            Annotated[described.python, typer.Argument(metavar=described.metavar, hidden=True, show_default=False)],
            described.default,
        )
    return option(
        described.name,
        Annotated[
            described.python,
            typer.Option(
                *described.decls,
                help=described.help,
                metavar=described.metavar,
                show_default=False,
                parser=_parser(described.parse),
            ),
        ],
        described.default,
    )


def param_options(param: Param, optional: bool = False) -> list[inspect.Parameter]:
    """The command-line options of one scheduler parameter; with ``optional``, an option not
    given reads as None (its default, shown in help, is filled in later)."""
    return [typer_option(described) for described in param.options(optional)]
