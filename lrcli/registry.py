"""One description per scheduler: its names, its parameters (type, default, choices, unit, help),
its examples and its factory in the engine.

Everything else is generated from these: each command and its options and help (``lrcli.cli``),
spec parsing (``lrcli.spec``), the JSON ``params`` and titles (``lrcli.schedule``). A test checks
every default and choice against the engine's own. Adding a scheduler means writing its factory
and one :class:`Description` here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from lrcli.engine import timm, transformers
from lrcli.engine.torch import annealing, compose, cyclic, multiplicative, plateau, swa

REQUIRED = inspect.Parameter.empty
"""The default of a parameter that must be given."""

TYPES = ("int", "number", "float", "bool", "choice", "text", "ints", "floats", "expression", "schedulers", "metrics")
"""A parameter's type: ``number`` is a count the framework's arithmetic also takes as a float (kept
as given: 3 stays an int, 2.5 a float), ``text`` is any string (timm's eval metric name), ``ints`` a list of whole
numbers (milestones), ``floats`` a list of numbers (timm's noise range), ``expression`` an
``--lr-lambda`` text, ``schedulers`` a list of specs (a composition's children), ``metrics`` the
numbers ReduceLROnPlateau is stepped with."""


@dataclass(frozen=True)
class Param:
    """One parameter under the framework's name.

    ``per_group``: the framework takes one value or a list of one per param group.
    ``steps``: it counts scheduler steps (epochs when stepped per epoch).
    ``shown_default``: how help shows the default where its repr would mislead (``1/3``).
    ``constructor``: it is an argument of the framework's constructor (metrics are not: they are
    passed to ``step()``), so it appears in JSON params and titles.
    ``command``: it is an option of the scheduler's own command (else specs only).
    """

    name: str
    type: str
    help: str
    default: object = REQUIRED
    choices: tuple[str, ...] = ()
    per_group: bool = False
    steps: bool = False
    shown_default: str | None = None
    constructor: bool = True
    command: bool = True

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass(frozen=True)
class Description:
    """One scheduler: its lrcli command, the framework's class name, its factory in the engine,
    a one-line summary, its parameters, two or three runnable examples and more help.

    ``sets_lr``: it replaces the group's lr itself, so ``--lr`` only counts the param groups.
    ``cycles_momentum``: it sets momentum too (``--show-momentum``). ``warmup``: ``--warmup`` may
    precede it. ``composable``: it may be a child of a composition. ``default_rows(params)``:
    the rows to show when ``--epochs`` is not given (None for the usual 10), which help calls
    ``default_rows_text``. ``takes_optimizer``: the framework's constructor takes the optimizer
    first (torch's ChainedScheduler does not). ``events(params, rows)``: the rows where the
    scheduler changes course (milestones, restarts, the end of a ramp), marked in plots.
    ``module``: where the framework defines the class (or function). ``family``: the framework,
    for schedules outside torch (``transformers``): the command is ``family.type``, ``type``
    being the name the framework's own configuration takes (the Trainer's
    ``--lr_scheduler_type``), and the CLI shows it as ``lrcli family type``. ``unit``: what a
    row is when no ``--steps-per-epoch`` is given (``step`` for schedules stepped per optimizer
    step by design). ``builder``: the framework's own entry point, when its users build the
    scheduler through one, and the keywords it takes itself: ``("get_scheduler",
    ("num_warmup_steps", "num_training_steps"))`` means ``get_scheduler(type, optimizer,
    num_warmup_steps=…, num_training_steps=…, scheduler_specific_kwargs={the others})``.
    """

    command: str
    name: str
    factory: Callable
    summary: str
    params: tuple[Param, ...]
    examples: tuple[str, ...]
    details: str = ""
    sets_lr: bool = False
    cycles_momentum: bool = False
    warmup: bool = True
    composable: bool = True
    default_rows: Callable[[dict], int | None] | None = None
    default_rows_text: str | None = None
    takes_optimizer: bool = True
    events: Callable[[dict, int], list[int]] | None = None
    module: str = "torch.optim.lr_scheduler"
    family: str | None = None
    unit: str = "epoch"
    builder: tuple[str, tuple[str, ...]] | None = None
    value_name: str = "lr"
    describe: Callable[[dict], str] | None = None

    @property
    def words(self) -> tuple[str, ...]:
        """The command as typed: ``("step",)``, ``("transformers", "cosine")``, ``("timm",
        "--sched", "cosine")`` (timm's train.py takes its scheduler as an option)."""
        if self.family == "timm":
            return ("timm", "--sched", self.type)
        return tuple(self.command.split("."))

    @property
    def type(self) -> str:
        """The command's name within its family (the whole command for torch's)."""
        return self.command.rpartition(".")[2]

    def param(self, name: str) -> Param:
        return next(param for param in self.params if param.name == name)

    @property
    def names(self) -> list[str]:
        return [param.name for param in self.params]


GAMMA = "Multiplicative factor of lr decay."
LAMBDA = (
    "An expression in epoch, e.g. '0.95 ** epoch'; once for all groups or once per group. Python "
    "syntax with math's functions, abs, min, max and round; nothing else."
)
SPECS = (
    "Schedulers as calls with the framework's keywords, e.g. 'linear(start_factor=0.1, total_iters=5)' "
    "'cosine(T_max=95)'; names are lrcli commands or torch class names, values literals."
)


PLATEAU_PARAMS = (
    Param("metrics", "metrics", "The metric passed to each step(): one number per line; - reads stdin.",
          constructor=False),
    Param("mode", "choice", "min: lower is better; max: higher is better.", "min", choices=("min", "max")),
    Param("factor", "float", "Multiply the lr by this on a plateau (below 1).", 0.1),
    Param("patience", "number", "Steps without improvement tolerated.", 10),
    Param("threshold", "float", "Smallest change that counts as improvement.", 1e-4),
    Param("threshold_mode", "choice", "rel: relative; abs: absolute.", "rel", choices=("rel", "abs")),
    Param("cooldown", "number", "Steps to wait after a reduction.", 0),
    Param("min_lr", "float", "Lowest lr; once or once per group.", 0, per_group=True),
    Param("eps", "float", "Smaller reductions are skipped.", 1e-8),
)
"""ReduceLROnPlateau's parameters (torch's, which transformers passes on)."""


def _end_of(name: str) -> Callable[[dict, int], list[int]]:
    """The row where a ramp of ``params[name]`` steps ends."""
    return lambda params, rows: [params[name]] if isinstance(params.get(name), int) and 0 < params[name] < rows else []


def _restarts(params: dict, rows: int) -> list[int]:
    """CosineAnnealingWarmRestarts' restarts: T_0, then each period T_mult times the last."""
    starts, period, start = [], params.get("T_0"), 0
    while isinstance(period, int) and period > 0 and start + period < rows and len(starts) < 1000:
        start += period
        starts.append(start)
        period *= params.get("T_mult", 1) if isinstance(params.get("T_mult", 1), int) else 1
    return starts


def _one_cycle_rows(params: dict) -> int | None:
    if params.get("total_steps") is not None:
        return params["total_steps"] if isinstance(params["total_steps"], int) else None
    epochs, steps_per_epoch = params.get("epochs"), params.get("steps_per_epoch")
    return epochs * steps_per_epoch if isinstance(epochs, int) and isinstance(steps_per_epoch, int) else None


DESCRIPTIONS: tuple[Description, ...] = (
    Description(
        "lambda", "LambdaLR", multiplicative.lambda_lr,
        "LambdaLR: lr = initial_lr * lr_lambda(epoch).",
        (Param("lr_lambda", "expression", "Factor of the initial lr. " + LAMBDA, per_group=True),),
        ("lrcli lambda --lr 0.1 --lr-lambda '1/(epoch+1)'",
         "lrcli lambda --lr-lambda 'min(1, (epoch + 1) / 5) * 0.9 ** epoch' -f plot"),
    ),
    Description(
        "multiplicative", "MultiplicativeLR", multiplicative.multiplicative_lr,
        "MultiplicativeLR: lr = lr * lr_lambda(epoch) at every step after the first.",
        (Param("lr_lambda", "expression", "Factor of the current lr. " + LAMBDA, per_group=True),),
        ("lrcli multiplicative --lr 0.1 --lr-lambda 0.95",
         "lrcli multiplicative --lr-lambda '0.5 if epoch % 20 == 0 else 0.99' -f csv"),
    ),
    Description(
        "step", "StepLR", multiplicative.step_lr,
        "StepLR: multiply the lr by gamma every step_size epochs.",
        (Param("step_size", "int", "Decay every this many epochs.", steps=True),
         Param("gamma", "float", GAMMA, 0.1)),
        ("lrcli step --lr 0.1 --step-size 3",
         "lrcli step --step-size 30 --gamma 0.5 --epochs 100 -f plot",
         "lrcli step --step-size 30 --warmup 5 --epochs 90 -f csv"),
        events=lambda params, rows: list(range(period, rows, period))[:1000]
        if (period := multiplicative.decay_period(params["step_size"])) else [],
    ),
    Description(
        "multistep", "MultiStepLR", multiplicative.multistep_lr,
        "MultiStepLR: multiply the lr by gamma at each milestone epoch.",
        (Param("milestones", "ints", "Epochs at which to decay. As in torch, an epoch listed twice decays "
               "twice, and 0 decays at the start.", steps=True),
         Param("gamma", "float", GAMMA, 0.1)),
        ("lrcli multistep --lr 0.1 --milestones 3,7",
         "lrcli multistep --milestones 30,60,80 --epochs 90 -f plot"),
        events=lambda params, rows: sorted({int(m) for m in params["milestones"] if 0 < m < rows and m == int(m)}),
    ),
    Description(
        "constant", "ConstantLR", multiplicative.constant_lr,
        "ConstantLR: lr * factor until epoch total_iters, then lr.",
        (Param("factor", "float", "Multiply the lr by this until total_iters, in [0, 1].", 1.0 / 3, shown_default="1/3"),
         Param("total_iters", "int", "Epoch at which the lr is restored.", 5, steps=True)),
        ("lrcli constant --lr 0.1 --factor 0.5 --total-iters 4",
         "lrcli constant --factor 0.25 --total-iters 10 --epochs 30 -f plot"),
        events=_end_of("total_iters"),
    ),
    Description(
        "linear", "LinearLR", multiplicative.linear_lr,
        "LinearLR: the lr factor moves linearly from start_factor to end_factor.",
        (Param("start_factor", "float", "Factor of the lr at epoch 0, in (0, 1].", 1.0 / 3, shown_default="1/3"),
         Param("end_factor", "float", "Factor of the lr from total_iters on, in [0, 1].", 1.0),
         Param("total_iters", "int", "Epochs the change takes.", 5, steps=True)),
        ("lrcli linear --lr 0.1 --start-factor 0.1 --total-iters 5",
         "lrcli linear --start-factor 1 --end-factor 0.1 --total-iters 20 -f plot"),
        events=_end_of("total_iters"),
    ),
    Description(
        "exp", "ExponentialLR", multiplicative.exponential_lr,
        "ExponentialLR: multiply the lr by gamma every epoch.",
        (Param("gamma", "float", GAMMA),),
        ("lrcli exp --lr 0.1 --gamma 0.95",
         "lrcli exp --gamma 0.95 --epochs 100 -f plot --log-y"),
    ),
    Description(
        "poly", "PolynomialLR", multiplicative.polynomial_lr,
        "PolynomialLR: lr = initial_lr * (1 - epoch / total_iters) ** power, to 0 at total_iters.",
        (Param("total_iters", "int", "Epochs to decay to 0 in.", 5, steps=True),
         Param("power", "float", "Power of the polynomial.", 1.0)),
        ("lrcli poly --lr 0.1 --total-iters 100 --power 2 --epochs 100 -f plot",
         "lrcli poly --total-iters 8 --power 0.5"),
        events=_end_of("total_iters"),
    ),
    Description(
        "cosine", "CosineAnnealingLR", annealing.cosine_annealing_lr,
        "CosineAnnealingLR: half a cosine from the initial lr to eta_min over T_max epochs.",
        (Param("T_max", "int", "Epochs from the initial lr down to eta_min.", steps=True),
         Param("eta_min", "float", "Lowest lr.", 0.0)),
        ("lrcli cosine --lr 0.1 --t-max 100 --eta-min 0.001 --epochs 100 -f plot",
         "lrcli cosine --t-max 95 --warmup 5 --epochs 100 -f csv"),
    ),
    Description(
        "cosine-restarts", "CosineAnnealingWarmRestarts", annealing.cosine_annealing_warm_restarts,
        "CosineAnnealingWarmRestarts: cosine annealing that restarts, each period T_mult times longer.",
        (Param("T_0", "int", "Epochs to the first restart.", steps=True),
         Param("T_mult", "int", "Each period is this many times the last.", 1),
         Param("eta_min", "float", "Lowest lr.", 0.0)),
        ("lrcli cosine-restarts --lr 0.1 --t-0 10 --t-mult 2 --epochs 70 -f plot",
         "lrcli cosine-restarts --t-0 5 --epochs 12"),
        events=_restarts,
    ),
    Description(
        "cyclic", "CyclicLR", cyclic.cyclic_lr,
        "CyclicLR: the lr cycles between base_lr and max_lr.",
        (Param("base_lr", "float", "Lower lr of the cycle; once or once per group.", per_group=True),
         Param("max_lr", "float", "Upper lr of the cycle; once or once per group.", per_group=True),
         Param("step_size_up", "int", "Steps from base_lr up to max_lr.", 2000, steps=True),
         Param("step_size_down", "int", "Steps back down.", None, steps=True, shown_default="step_size_up"),
         Param("mode", "choice", "Amplitude policy.", "triangular", choices=("triangular", "triangular2", "exp_range")),
         Param("gamma", "float", "exp_range: the amplitude is scaled by gamma ** step.", 1.0),
         Param("scale_mode", "choice", "Kept for torch's signature: the three modes fix it.", "cycle",
               choices=("cycle", "iterations")),
         Param("cycle_momentum", "bool", "Cycle momentum inversely to the lr.", True),
         Param("base_momentum", "float", "Lower momentum; once or once per group.", 0.8, per_group=True),
         Param("max_momentum", "float", "Upper momentum; once or once per group.", 0.9, per_group=True)),
        ("lrcli cyclic --base-lr 0.001 --max-lr 0.1 --step-size-up 4 --epochs 20",
         "lrcli cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 5 -f plot \\\n"
         "      --mode triangular2 --epochs 40 --show-momentum"),
        details="Torch sets each group's lr to base_lr, so --lr only gives the number of param groups "
                "(and, after other schedulers, the initial_lr they saw).",
        sets_lr=True,
        cycles_momentum=True,
    ),
    Description(
        "onecycle", "OneCycleLR", cyclic.one_cycle_lr,
        "OneCycleLR: up to max_lr and down to far below the start, once.",
        (Param("max_lr", "float", "Peak lr; once or once per group.", per_group=True),
         Param("total_steps", "int", "Steps in the cycle; also the default --epochs.", None, steps=True,
               shown_default="epochs x steps per epoch"),
         Param("epochs", "int", "With steps_per_epoch, the cycle's length when total_steps is not given.", None,
               command=False),
         Param("steps_per_epoch", "int", "With epochs, the cycle's length when total_steps is not given.", None,
               command=False),
         Param("pct_start", "float", "Fraction of the steps spent rising, in (0, 1).", 0.3),
         Param("anneal_strategy", "choice", "Annealing shape.", "cos", choices=("cos", "linear")),
         Param("cycle_momentum", "bool", "Cycle momentum inversely to the lr.", True),
         Param("base_momentum", "float", "Lower momentum; once or once per group.", 0.85, per_group=True),
         Param("max_momentum", "float", "Upper momentum; once or once per group.", 0.95, per_group=True),
         Param("div_factor", "float", "Initial lr = max_lr / div_factor.", 25.0),
         Param("final_div_factor", "float", "Final lr = initial lr / final_div_factor.", 1e4),
         Param("three_phase", "bool", "Come back to the initial lr before the final descent.", False)),
        ("lrcli onecycle --max-lr 0.1 --total-steps 100 -f plot",
         "lrcli onecycle --max-lr 0.1 --total-steps 50 --show-momentum -f csv"),
        details="Torch replaces each group's initial lr by max_lr / div_factor, so --lr only gives the number "
                "of param groups. --epochs defaults to --total-steps; torch refuses to step more than "
                "total_steps times, so at most total_steps + 1 rows exist. In specs, epochs and "
                "steps_per_epoch may stand for total_steps, as in torch.",
        sets_lr=True,
        cycles_momentum=True,
        default_rows=_one_cycle_rows,
        default_rows_text="total_steps",
    ),
    Description(
        "swa", "SWALR", swa.swalr,
        "SWALR: anneal the lr to swa_lr over anneal_epochs, then keep it (torch.optim.swa_utils).",
        (Param("swa_lr", "float", "The lr to anneal to; once or once per group.", per_group=True),
         Param("anneal_epochs", "int", "Steps the anneal takes.", 10, steps=True),
         Param("anneal_strategy", "choice", "Annealing shape.", "cos", choices=("cos", "linear"))),
        ("lrcli swa --lr 0.1 --swa-lr 0.01 --anneal-epochs 5",
         "lrcli sequential 'cosine(T_max=75)' 'swa(swa_lr=0.01, anneal_epochs=5)' \\\n"
         "      --milestones 75 --epochs 100 -f plot"),
        events=_end_of("anneal_epochs"),
        module="torch.optim.swa_utils",
    ),
    Description(
        "plateau", "ReduceLROnPlateau", plateau.reduce_lr_on_plateau,
        "ReduceLROnPlateau: cut the lr when the metric stops improving.",
        PLATEAU_PARAMS,
        ("printf '%s\\n' 1.0 0.8 0.7 0.7 0.7 | lrcli plateau --metrics - --patience 2",
         "printf 'n,loss\\n1,5\\n2,5\\n' | lrcli plateau --metrics - --column loss -f csv"),
        details="Row k is the lr after k calls step(metrics[k-1]); --epochs defaults to one more than the "
                "number of metrics.",
        warmup=False,
        composable=False,
        default_rows=lambda params: len(params["metrics"]) + 1,
        default_rows_text="one more than the metrics",
    ),
    Description(
        "sequential", "SequentialLR", compose.sequential_lr,
        "SequentialLR: each scheduler in turn, switching at the milestones.",
        (Param("schedulers", "schedulers", SPECS),
         Param("milestones", "ints", "Epochs at which the next scheduler takes over.", steps=True)),
        ("lrcli sequential 'linear(start_factor=0.1, total_iters=5)' \\\n"
         "      'cosine(T_max=95)' --milestones 5 --epochs 100 -f plot",
         "lrcli sequential 'constant(factor=0.1, total_iters=2)' 'exp(gamma=0.9)' \\\n"
         "      --milestones 2"),
        warmup=False,
        composable=False,
    ),
    Description(
        "chained", "ChainedScheduler", compose.chained_scheduler,
        "ChainedScheduler: every scheduler steps at every epoch, each acting on the lr the last left.",
        (Param("schedulers", "schedulers", SPECS),),
        ("lrcli chained 'constant(factor=0.5, total_iters=3)' 'exp(gamma=0.9)'",
         "lrcli chained 'cosine-restarts(T_0=10)' 'exp(gamma=0.97)' --epochs 60 -f csv"),
        warmup=False,
        composable=False,
        takes_optimizer=False,
    ),
)

WARMUP_STEPS = Param("num_warmup_steps", "int", "Optimizer steps of linear warmup from 0.", steps=True,
                     shown_default="0, the Trainer's")
TRAINING_STEPS = Param("num_training_steps", "int", "Optimizer steps in the whole training.", steps=True,
                       shown_default="the Trainer's options")
COSINE_CYCLES = Param("num_cycles", "float", "Cosine waves after the warmup: 0.5 is half a wave, down to the minimum.", 0.5)
MIN_LR = (Param("min_lr", "float", "The lr the cosine ends at (one of min_lr, min_lr_rate is needed).", None),
          Param("min_lr_rate", "float", "The lr the cosine ends at, as a fraction of the optimizer's lr.", None))
GET_SCHEDULER = ("get_scheduler", ("num_warmup_steps", "num_training_steps"))
TRANSFORMERS_DETAILS = ("Row k is the lr of optimizer step k: the Trainer calls scheduler.step() after each "
                        "optimizer.step(). Replays transformers 5.23's lambdas exactly, without transformers.")


def _transformers_events(params: dict, rows: int) -> list[int]:
    """The end of the warmup, and a warmup-stable-decay schedule's phase ends."""
    ends = [params.get("num_warmup_steps")]
    if params.get("num_decay_steps") is not None:
        stable = params.get("num_stable_steps")
        if stable is None and isinstance(params.get("num_training_steps"), int):
            stable = params["num_training_steps"] - params["num_warmup_steps"] - params["num_decay_steps"]
        if isinstance(stable, int) and isinstance(params.get("num_warmup_steps"), int):
            ends += [params["num_warmup_steps"] + stable, params["num_warmup_steps"] + stable + params["num_decay_steps"]]
    return sorted({end for end in ends if isinstance(end, int) and 0 < end < rows})


def _training_rows(params: dict) -> int | None:
    """transformers' schedules run for num_training_steps (warmup-stable-decay: its three phases),
    when that is a whole number (the library's arithmetic takes a fraction too)."""
    if params.get("num_training_steps") is not None:
        return params["num_training_steps"] if isinstance(params["num_training_steps"], int) else None
    phases = [params.get(name) for name in ("num_warmup_steps", "num_stable_steps", "num_decay_steps")]
    return sum(phases) if all(isinstance(phase, int) for phase in phases) else None


def _transformers(scheduler_type: str, factory: Callable, summary: str, params: tuple[Param, ...],
                  examples: tuple[str, ...], details: str = "") -> Description:
    return Description(
        f"transformers.{scheduler_type}", factory.__name__, factory, summary, params, examples,
        details=" ".join(filter(None, [details, TRANSFORMERS_DETAILS])), warmup=False,
        default_rows=_training_rows, default_rows_text="num_training_steps", events=_transformers_events,
        module="transformers", family="transformers", unit="step", builder=GET_SCHEDULER,
    )


TRANSFORMERS = (
    _transformers(
        "linear", transformers.get_linear_schedule_with_warmup,
        "Linear warmup from 0, then linear decay to 0 at num_training_steps (the Trainer's default).",
        (WARMUP_STEPS, TRAINING_STEPS),
        ("lrcli transformers linear --num-warmup-steps 100 \\\n"
         "      --num-training-steps 1000 -f plot",
         "lrcli transformers linear --warmup-steps 0.1 --num-train-epochs 3 \\\n"
         "      --steps-per-epoch 500 --changes")),
    _transformers(
        "cosine", transformers.get_cosine_schedule_with_warmup,
        "Linear warmup from 0, then a cosine from the lr down to 0.",
        (WARMUP_STEPS, TRAINING_STEPS, COSINE_CYCLES),
        ("lrcli transformers cosine --num-warmup-steps 500 \\\n"
         "      --num-training-steps 10000 -f plot",
         "lrcli transformers cosine --warmup-steps 0.05 --max-steps 2000 \\\n"
         "      --lr 3e-4 -f csv")),
    _transformers(
        "cosine_with_restarts", transformers.get_cosine_with_hard_restarts_schedule_with_warmup,
        "Linear warmup, then num_cycles cosines down to 0, each restarting at the lr.",
        (WARMUP_STEPS, TRAINING_STEPS, Param("num_cycles", "int", "Hard restarts: cosines after the warmup.", 1)),
        ("lrcli transformers cosine_with_restarts --num-warmup-steps 10 \\\n"
         "      --num-training-steps 310 --num-cycles 3 -f plot",
         "lrcli transformers cosine_with_restarts --warmup-steps 0.1 --max-steps 40 \\\n"
         "      --lr-scheduler-kwargs '{\"num_cycles\": 2}' --every 4")),
    _transformers(
        "polynomial", transformers.get_polynomial_decay_schedule_with_warmup,
        "Linear warmup, then polynomial decay from the lr to lr_end.",
        (WARMUP_STEPS, TRAINING_STEPS,
         Param("lr_end", "float", "The lr at num_training_steps; below the optimizer's lr.", 1e-7),
         Param("power", "float", "Power of the polynomial.", 1.0)),
        ("lrcli transformers polynomial --num-warmup-steps 100 \\\n"
         "      --num-training-steps 1000 --power 2 --lr-end 1e-4 -f plot",
         "lrcli transformers polynomial --lr 1e-3 --num-training-steps 8 --lr-end 1e-4"),
        details="As in the library, the decay is computed in lrs, divided by the optimizer's default lr (the "
                "first --lr) for LambdaLR to multiply back."),
    _transformers(
        "constant", transformers.get_constant_schedule,
        "The lr, unchanged (the Trainer ignores its warmup for this type).",
        (),
        ("lrcli transformers constant --steps 5",
         "lrcli transformers constant --lr 3e-4 --num-train-epochs 2 \\\n"
         "      --steps-per-epoch 3")),
    _transformers(
        "constant_with_warmup", transformers.get_constant_schedule_with_warmup,
        "Linear warmup from 0, then the lr.",
        (WARMUP_STEPS,),
        ("lrcli transformers constant_with_warmup --num-warmup-steps 4 --steps 6",
         "lrcli transformers constant_with_warmup --warmup-steps 0.25 \\\n"
         "      --max-steps 400 -f plot")),
    _transformers(
        "inverse_sqrt", transformers.get_inverse_sqrt_schedule,
        "Linear warmup, then lr / sqrt((step + timescale - num_warmup_steps) / timescale).",
        (WARMUP_STEPS, Param("timescale", "int", "Time scale of the decay.", None, steps=True,
                             shown_default="num_warmup_steps, or 10000 without warmup")),
        ("lrcli transformers inverse_sqrt --num-warmup-steps 1000 \\\n"
         "      --steps 20000 -f plot",
         "lrcli transformers inverse_sqrt --num-warmup-steps 2 --timescale 4 --steps 8")),
    _transformers(
        "cosine_with_min_lr", transformers.get_cosine_with_min_lr_schedule_with_warmup,
        "Linear warmup from 0, then a cosine from the lr down to min_lr.",
        (WARMUP_STEPS, TRAINING_STEPS, COSINE_CYCLES, *MIN_LR),
        ("lrcli transformers cosine_with_min_lr --num-warmup-steps 100 \\\n"
         "      --num-training-steps 1000 --min-lr-rate 0.1 -f plot",
         "lrcli transformers cosine_with_min_lr --warmup-steps 0.1 --max-steps 1000 \\\n"
         "      --lr-scheduler-kwargs '{\"min_lr\": \"0.0001\"}' -f summary"),
        details="min_lr is divided by the optimizer's default lr (the first --lr), as in the library."),
    _transformers(
        "cosine_warmup_with_min_lr", transformers.get_cosine_with_min_lr_schedule_with_warmup_lr_rate,
        "Warmup reaching the lr at its last step, then a cosine down to min_lr.",
        (WARMUP_STEPS, TRAINING_STEPS, COSINE_CYCLES, *MIN_LR,
         Param("warmup_lr_rate", "float", "The warmup's first lr as a fraction of the lr.", None,
               shown_default="1/num_warmup_steps")),
        ("lrcli transformers cosine_warmup_with_min_lr --num-warmup-steps 100 \\\n"
         "      --num-training-steps 1000 --min-lr 1e-5 --lr 1e-3 -f plot",
         "lrcli transformers cosine_warmup_with_min_lr --num-warmup-steps 4 \\\n"
         "      --num-training-steps 12 --min-lr-rate 0.1 --warmup-lr-rate 0.01"),
        details="min_lr is divided by the optimizer's default lr (the first --lr), as in the library."),
    _transformers(
        "warmup_stable_decay", transformers.get_wsd_schedule,
        "Warm up, hold the lr, decay: each ramp linear, cosine or 1-sqrt.",
        (WARMUP_STEPS,
         Param("num_decay_steps", "int", "Optimizer steps of the final decay.", steps=True),
         Param("num_training_steps", "int", "Steps in all; the stable phase is what warmup and decay leave.", None,
               steps=True),
         Param("num_stable_steps", "int", "Steps at the full lr (instead of num_training_steps).", None, steps=True),
         Param("warmup_type", "choice", "Shape of the warmup.", "linear", choices=transformers.WSD_SHAPES),
         Param("decay_type", "choice", "Shape of the decay.", "cosine", choices=transformers.WSD_SHAPES),
         Param("min_lr_ratio", "float", "Where the warmup starts and the decay ends, as a fraction of the lr.", 0),
         Param("num_cycles", "float", "Cosine decay: waves over the decay (0.5: half a wave).", 0.5)),
        ("lrcli transformers warmup_stable_decay --num-warmup-steps 100 \\\n"
         "      --num-decay-steps 200 --num-training-steps 1000 -f plot",
         "lrcli transformers warmup_stable_decay --warmup-steps 0.1 --max-steps 100 \\\n"
         "      --lr-scheduler-kwargs '{\"num_decay_steps\": 20}' \\\n"
         "      --changes")),
    Description(
        "transformers.reduce_lr_on_plateau", "get_reduce_on_plateau_schedule", plateau.reduce_lr_on_plateau,
        "torch's ReduceLROnPlateau, as the Trainer builds it: cut the lr when the metric stops improving.",
        PLATEAU_PARAMS,
        ("printf '%s\\n' 1.0 0.8 0.7 0.7 0.7 | \\\n"
         "      lrcli transformers reduce_lr_on_plateau --metrics - --patience 2",
         "printf 'n,loss\\n1,5\\n2,5\\n' | lrcli transformers reduce_lr_on_plateau \\\n"
         "      --metrics - --column loss --patience 0 -f csv"),
        details="The Trainer steps it after each evaluation with the evaluation metric: row k is the lr after "
                "the k-th evaluation.",
        warmup=False, composable=False, default_rows=lambda params: len(params["metrics"]) + 1,
        default_rows_text="one more than the metrics", module="transformers", family="transformers",
        builder=GET_SCHEDULER,
    ),
    Description(
        "transformers.greedy", "get_greedy_schedule", transformers.get_greedy_schedule,
        "GreedyLR, as the Trainer builds it: raise the lr while the metric keeps improving, cut it when it stops.",
        (PLATEAU_PARAMS[0],
         Param("mode", "choice", "min: lower is better; max: higher is better.", "min", choices=("min", "max")),
         Param("factor", "float", "Divide the lr by this after improvements, multiply by it on a plateau (below 1).",
               0.95),
         Param("patience", "number", "Improvements (or steps without one) in a row before the lr changes.", 10),
         Param("threshold", "float", "Smallest change that counts as improvement.", 1e-6),
         Param("threshold_mode", "choice", "rel: relative; abs: absolute.", "abs", choices=("rel", "abs")),
         Param("cooldown", "number", "Steps to wait after a cut.", 0),
         Param("warmup", "number", "Steps to wait after a raise.", 0),
         Param("min_lr", "float", "Lowest lr; once or once per group.", 1e-3, per_group=True),
         Param("max_lr", "float", "Highest lr; once or once per group.", 1.0, per_group=True),
         Param("eps", "float", "Smaller changes are skipped.", 1e-8),
         Param("verbose", "bool", "The library prints each change; lrcli shows the rows instead.", False),
         Param("smooth", "bool", "Compare the mean of the last window_size metrics instead.", False),
         Param("window_size", "number", "Metrics averaged with smooth.", 50),
         Param("reset_start", "number", "Cuts at min_lr before the lr and the counts start over.", 500)),
        ("printf '%s\\n' 5 4 3 2 2 2 | \\\n"
         "      lrcli transformers greedy --metrics - --patience 1 --factor 0.5",
         "lrcli transformers greedy --metrics tests/data/metrics/metrics.csv \\\n"
         "      --column val_loss --patience 3 --changes"),
        details="The Trainer steps it after each evaluation with the evaluation metric: row k is the lr after the "
                "k-th evaluation. Replays transformers 5.23's GreedyLR; its reset after reset_start cuts depends on "
                "every param group at once, so with several groups lrcli refuses a run where one would reach it.",
        warmup=False, composable=False, default_rows=lambda params: len(params["metrics"]) + 1,
        default_rows_text="one more than the metrics", module="transformers", family="transformers",
        builder=GET_SCHEDULER,
    ),
)
"""transformers' schedules, one per ``SchedulerType`` the Trainer builds with ``get_scheduler``."""

DESCRIPTIONS = DESCRIPTIONS + TRANSFORMERS

TIMM_PARAMS = {param.name: param for param in (
    Param("epochs", "int", "Epochs of the schedule (train.py's --epochs).", 300),
    Param("decay_epochs", "float", "step: epochs between decays; wsd, rsqrt: epochs of the final decay (below 1: a "
                                   "fraction of the schedule).", 90),
    Param("decay_milestones", "ints", "multistep: epochs to decay at (each decay lands one epoch early, as in timm).",
          (90, 180, 270), shown_default="90,180,270"),
    Param("decay_rate", "float", "step, multistep: factor per decay; poly: the power.", 0.1),
    Param("warmup_epochs", "int", "Epochs of linear warmup from --warmup-lr.", 5),
    Param("warmup_lr", "float", "The lr the warmup starts at.", 1e-5),
    Param("warmup_prefix", "bool", "Put the warmup before the schedule instead of counting it in.", False),
    Param("cooldown_epochs", "int", "Epochs at the end of a cycle schedule (cosine, tanh, poly, wsd, rsqrt) added "
                                    "to the training.", 0),
    Param("min_lr", "float", "The lr the decaying schedules end at.", 0.0),
    Param("lr_cycle_mul", "float", "Each cycle this many times longer than the last.", 1.0),
    Param("lr_cycle_decay", "float", "Peak lr factor per cycle.", 0.5),
    Param("lr_cycle_limit", "int", "Cycles before the lr stays at --min-lr.", 1),
    Param("lr_k_decay", "float", "k-decay: the cosine (or poly) runs over t**k / T**k.", 1.0),
    Param("lr_decay_fn", "choice", "wsd, rsqrt: the shape of the final decay.", None, choices=timm.DECAY_FNS,
          shown_default="1-sqrt for wsd, linear for rsqrt"),
    Param("lr_stable_timescale", "float", "rsqrt: epochs of its time scale.", None, shown_default="--warmup-epochs"),
    Param("lr_noise", "floats", "Noise on from this fraction of the schedule (or between two fractions).", None),
    Param("lr_noise_pct", "float", "Noise is drawn again until it is below this.", 0.67),
    Param("lr_noise_std", "float", "Standard deviation of the noise (timm >= 1.0.31).", 1.0),
    Param("seed", "int", "The noise at step t is drawn from a torch generator seeded with seed + t.", 42),
    Param("sched_on_updates", "bool", "Step per optimizer update (train.py's --sched-on-updates): rows are updates.",
          False),
    Param("patience_epochs", "int", "plateau: epochs without improvement tolerated.", 10),
    Param("eval_metric", "text", "plateau: the metric's name; a name with 'loss' in it is minimized, others "
                                 "maximized.", "top1"),
    Param("metrics", "metrics", "plateau: the eval metric after each epoch, one number per line; - reads stdin.",
          constructor=False),
    Param("updates_per_epoch", "int", "With --sched-on-updates: optimizer updates per epoch (train.py: batches "
                                      "per epoch / --grad-accum-steps, rounded up).", 0),
)}
"""train.py's scheduler flags (argparse names and defaults), shared by every timm scheduler that
reads them."""
TIMM_DETAILS = ("Row 0 is what the scheduler's constructor leaves (--warmup-lr, or the base lr); row t is the lr "
                "after train.py's step(t) (or step_update(t)). Replays timm 1.0.31 exactly, noise included, "
                "without timm or torch.")


def _timm(sched: str, factory: Callable, class_name: str, summary: str, example: str = "",
          per_update: bool = True) -> Description:
    names = list(inspect.signature(factory).parameters)

    def rows(params: dict) -> int | None:
        epochs = timm.trained_epochs(sched, params)
        per = params.get("updates_per_epoch") if params.get("sched_on_updates") else 1
        return epochs * per if epochs is not None and isinstance(per, int) else None

    return Description(
        f"timm.{sched}", f"timm.{sched}", factory, f"{summary} ({class_name})", tuple(TIMM_PARAMS[name] for name in names),
        (f"lrcli timm --sched {sched} --epochs 100{example} -f plot",
         f"lrcli timm --sched {sched} --epochs 30{example} --warmup-epochs 3 \\\n"
         + ("      --sched-on-updates --updates-per-epoch 100 --every 300" if per_update
            else "      --patience-epochs 2 --changes -f csv")),
        details=TIMM_DETAILS, warmup=False, composable=False, default_rows=rows,
        default_rows_text="the epochs train.py trains", module="timm.scheduler", family="timm",
    )


TIMM = (
    _timm("cosine", timm.cosine, "CosineLRScheduler", "Cosine decay to --min-lr, with restarts and k-decay."),
    _timm("tanh", timm.tanh, "TanhLRScheduler", "Tanh-shaped decay to --min-lr, with restarts."),
    _timm("step", timm.step, "StepLRScheduler", "Multiply by --decay-rate every --decay-epochs."),
    _timm("multistep", timm.multistep, "MultiStepLRScheduler", "Multiply by --decay-rate at each milestone."),
    _timm("poly", timm.poly, "PolyLRScheduler", "Polynomial decay to --min-lr (--decay-rate is the power)."),
    _timm("wsd", timm.wsd, "WSDLRScheduler", "Warmup, stable, then a final decay to --min-lr.", " --decay-epochs 0.2"),
    _timm("rsqrt", timm.rsqrt, "WSDLRScheduler", "Warmup, inverse square root, then a final decay.",
          " --decay-epochs 0.2"),
    _timm("constant", timm.constant, "StepLRScheduler", "Warmup, then the lr."),
    _timm("plateau", timm.plateau, "PlateauLRScheduler", "Warmup, then cut the lr on a plateau of --metrics.",
          " --metrics tests/data/metrics/metrics.csv --column val_acc", per_update=False),
)
"""timm's schedulers, one per train.py --sched value."""

DESCRIPTIONS = DESCRIPTIONS + TIMM

BY_COMMAND = {description.command: description for description in DESCRIPTIONS}
BY_NAME = {**BY_COMMAND, **{description.name: description for description in DESCRIPTIONS}}
