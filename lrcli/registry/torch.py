"""torch's schedulers (``torch.optim.lr_scheduler``, and ``torch.optim.swa_utils``' SWALR): one
description per class, each a command of its own (``lrcli step``), its code the class called with
the optimizer.

Adding one: its factory in ``lrcli/engine/torch/`` and one :class:`Description` here. A test
checks every name, default and choice against the factory's signature.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from lrcli.engine.torch import annealing, compose, cyclic, multiplicative, plateau, swa
from lrcli.registry.description import (
    BOOL,
    CHOICE,
    EXPRESSION,
    FLOAT,
    INT,
    INTS,
    METRICS,
    NUMBER,
    SCHEDULERS,
    Builder,
    Commands,
    Description,
    Family,
    Param,
)

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
    Param(
        "metrics", METRICS, "The metric passed to each step(): one number per line; - reads stdin.", constructor=False
    ),
    Param("mode", CHOICE, "min: lower is better; max: higher is better.", "min", choices=("min", "max")),
    Param("factor", FLOAT, "Multiply the lr by this on a plateau (below 1).", 0.1),
    Param("patience", NUMBER, "Steps without improvement tolerated.", 10),
    Param("threshold", FLOAT, "Smallest change that counts as improvement.", 1e-4),
    Param("threshold_mode", CHOICE, "rel: relative; abs: absolute.", "rel", choices=("rel", "abs")),
    Param("cooldown", NUMBER, "Steps to wait after a reduction.", 0),
    Param("min_lr", FLOAT, "Lowest lr; once or once per group.", 0, per_group=True),
    Param("eps", FLOAT, "Smaller reductions are skipped.", 1e-8),
)
"""ReduceLROnPlateau's parameters (torch's, which transformers passes on)."""


def _end_of(name: str) -> Callable[[dict, int], list[int]]:
    """The row where a ramp of ``params[name]`` steps ends."""
    return lambda params, rows: [params[name]] if isinstance(params.get(name), int) and 0 < params[name] < rows else []


def _restarts(params: dict, rows: int) -> Sequence[int]:
    """CosineAnnealingWarmRestarts' restarts: T_0, then each period T_mult times the last (a
    ``range`` when T_mult is 1; else each period at least doubles, so there are few).

    >>> _restarts({"T_0": 2}, 9), _restarts({"T_0": 2, "T_mult": 3}, 30)
    (range(2, 9, 2), [2, 8, 26])
    """
    period, mult = params.get("T_0"), params.get("T_mult", 1)
    if not isinstance(period, int) or period <= 0:
        return []
    if not isinstance(mult, int) or mult <= 1:
        return range(period, rows, period)
    starts, start = [], period
    while start < rows:
        starts.append(start)
        period *= mult
        start += period
    return starts


def _step_decays(params: dict, steps: int) -> tuple[str, int] | None:
    """StepLR's decays in its first ``steps`` steps (a whole step_size; others are not counted)."""
    size = params.get("step_size")
    return ("step_size", (steps - 1) // size) if isinstance(size, int) and size > 0 else None


def _multistep_decays(params: dict, steps: int) -> tuple[str, int] | None:
    """MultiStepLR's decays in its first ``steps`` steps (whole milestones)."""
    milestones = params.get("milestones")
    if not isinstance(milestones, list):
        return None
    return "milestones", sum(isinstance(milestone, int) and 0 <= milestone < steps for milestone in milestones)


def _sequential_events(params: dict, window: range, most: int) -> list[int]:
    """SequentialLR's switches inside ``window``, and each child's events while it runs (from
    its milestone); the first ``most``."""
    # each child takes over at the first epoch its milestone does not exceed
    milestones = [max(math.ceil(milestone), 0) for milestone in params.get("milestones", [])]
    marks = {milestone for milestone in milestones if window.start < milestone < window.stop}
    for child, start, end in zip(params["schedulers"], [0, *milestones], [*milestones, window.stop]):
        inner = range(window.start - start, min(end, window.stop) - start)
        marks.update(start + event for event in child.events(inner, most))
    return sorted(marks)[:most]


def _chained_events(params: dict, window: range, most: int) -> list[int]:
    """ChainedScheduler's: every child's events inside ``window``; the first ``most``."""
    return sorted({event for child in params["schedulers"] for event in child.events(window, most)})[:most]


def _one_cycle_rows(params: dict) -> int | None:
    if params.get("total_steps") is not None:
        return params["total_steps"] if isinstance(params["total_steps"], int) else None
    epochs, steps_per_epoch = params.get("epochs"), params.get("steps_per_epoch")
    return epochs * steps_per_epoch if isinstance(epochs, int) and isinstance(steps_per_epoch, int) else None


DESCRIPTIONS: tuple[Description, ...] = (
    Description(
        "lambda",
        "LambdaLR",
        multiplicative.lambda_lr,
        "LambdaLR: lr = initial_lr * lr_lambda(epoch).",
        (Param("lr_lambda", EXPRESSION, "Factor of the initial lr. " + LAMBDA, per_group=True),),
        (
            "lrcli lambda --lr 0.1 --lr-lambda '1/(epoch+1)'",
            "lrcli lambda --lr-lambda 'min(1, (epoch + 1) / 5) * 0.9 ** epoch' -f plot",
        ),
    ),
    Description(
        "multiplicative",
        "MultiplicativeLR",
        multiplicative.multiplicative_lr,
        "MultiplicativeLR: lr = lr * lr_lambda(epoch) at every step after the first.",
        (Param("lr_lambda", EXPRESSION, "Factor of the current lr. " + LAMBDA, per_group=True),),
        (
            "lrcli multiplicative --lr 0.1 --lr-lambda 0.95",
            "lrcli multiplicative --lr-lambda '0.5 if epoch % 20 == 0 else 0.99' -f csv",
        ),
    ),
    Description(
        "step",
        "StepLR",
        multiplicative.step_lr,
        "StepLR: multiply the lr by gamma every step_size epochs.",
        (Param("step_size", INT, "Decay every this many epochs.", steps=True), Param("gamma", FLOAT, GAMMA, 0.1)),
        (
            "lrcli step --lr 0.1 --step-size 3",
            "lrcli step --step-size 30 --gamma 0.5 --epochs 100 -f plot",
            "lrcli step --step-size 30 --warmup 5 --epochs 90 -f csv",
        ),
        early_decays=_step_decays,
        events=lambda params, rows: (
            range(period, rows, period) if (period := multiplicative.decay_period(params["step_size"])) else []
        ),
    ),
    Description(
        "multistep",
        "MultiStepLR",
        multiplicative.multistep_lr,
        "MultiStepLR: multiply the lr by gamma at each milestone epoch.",
        (
            Param(
                "milestones",
                INTS,
                "Epochs at which to decay. As in torch, an epoch listed twice decays twice, and 0 decays at the start.",
                steps=True,
            ),
            Param("gamma", FLOAT, GAMMA, 0.1),
        ),
        ("lrcli multistep --lr 0.1 --milestones 3,7", "lrcli multistep --milestones 30,60,80 --epochs 90 -f plot"),
        early_decays=_multistep_decays,
        events=lambda params, rows: sorted({int(m) for m in params["milestones"] if 0 < m < rows and m == int(m)}),
    ),
    Description(
        "constant",
        "ConstantLR",
        multiplicative.constant_lr,
        "ConstantLR: lr * factor until epoch total_iters, then lr.",
        (
            Param(
                "factor", FLOAT, "Multiply the lr by this until total_iters, in [0, 1].", 1.0 / 3, shown_default="1/3"
            ),
            Param("total_iters", INT, "Epoch at which the lr is restored.", 5, steps=True),
        ),
        (
            "lrcli constant --lr 0.1 --factor 0.5 --total-iters 4",
            "lrcli constant --factor 0.25 --total-iters 10 --epochs 30 -f plot",
        ),
        events=_end_of("total_iters"),
    ),
    Description(
        "linear",
        "LinearLR",
        multiplicative.linear_lr,
        "LinearLR: the lr factor moves linearly from start_factor to end_factor.",
        (
            Param("start_factor", FLOAT, "Factor of the lr at epoch 0, in (0, 1].", 1.0 / 3, shown_default="1/3"),
            Param("end_factor", FLOAT, "Factor of the lr from total_iters on, in [0, 1].", 1.0),
            Param("total_iters", INT, "Epochs the change takes.", 5, steps=True),
        ),
        (
            "lrcli linear --lr 0.1 --start-factor 0.1 --total-iters 5",
            "lrcli linear --start-factor 1 --end-factor 0.1 --total-iters 20 -f plot",
        ),
        events=_end_of("total_iters"),
    ),
    Description(
        "exp",
        "ExponentialLR",
        multiplicative.exponential_lr,
        "ExponentialLR: multiply the lr by gamma every epoch.",
        (Param("gamma", FLOAT, GAMMA),),
        ("lrcli exp --lr 0.1 --gamma 0.95", "lrcli exp --gamma 0.95 --epochs 100 -f plot --log-y"),
    ),
    Description(
        "poly",
        "PolynomialLR",
        multiplicative.polynomial_lr,
        "PolynomialLR: lr = initial_lr * (1 - epoch / total_iters) ** power, to 0 at total_iters.",
        (
            Param("total_iters", INT, "Epochs to decay to 0 in.", 5, steps=True),
            Param("power", FLOAT, "Power of the polynomial.", 1.0),
        ),
        (
            "lrcli poly --lr 0.1 --total-iters 100 --power 2 --epochs 100 -f plot",
            "lrcli poly --total-iters 8 --power 0.5",
        ),
        events=_end_of("total_iters"),
    ),
    Description(
        "cosine",
        "CosineAnnealingLR",
        annealing.cosine_annealing_lr,
        "CosineAnnealingLR: half a cosine from the initial lr to eta_min over T_max epochs.",
        (
            Param("T_max", INT, "Epochs from the initial lr down to eta_min.", steps=True),
            Param("eta_min", FLOAT, "Lowest lr.", 0.0),
        ),
        (
            "lrcli cosine --lr 0.1 --t-max 100 --eta-min 0.001 --epochs 100 -f plot",
            "lrcli cosine --t-max 95 --warmup 5 --epochs 100 -f csv",
        ),
    ),
    Description(
        "cosine-restarts",
        "CosineAnnealingWarmRestarts",
        annealing.cosine_annealing_warm_restarts,
        "CosineAnnealingWarmRestarts: cosine annealing that restarts, each period T_mult times longer.",
        (
            Param("T_0", INT, "Epochs to the first restart.", steps=True),
            Param("T_mult", INT, "Each period is this many times the last.", 1),
            Param("eta_min", FLOAT, "Lowest lr.", 0.0),
        ),
        (
            "lrcli cosine-restarts --lr 0.1 --t-0 10 --t-mult 2 --epochs 70 -f plot",
            "lrcli cosine-restarts --t-0 5 --epochs 12",
        ),
        events=_restarts,
        epoch_warning=False,
    ),
    Description(
        "cyclic",
        "CyclicLR",
        cyclic.cyclic_lr,
        "CyclicLR: the lr cycles between base_lr and max_lr.",
        (
            Param("base_lr", FLOAT, "Lower lr of the cycle; once or once per group.", per_group=True),
            Param("max_lr", FLOAT, "Upper lr of the cycle; once or once per group.", per_group=True),
            Param("step_size_up", INT, "Steps from base_lr up to max_lr.", 2000, steps=True),
            Param("step_size_down", INT, "Steps back down.", None, steps=True, shown_default="step_size_up"),
            Param(
                "mode", CHOICE, "Amplitude policy.", "triangular", choices=("triangular", "triangular2", "exp_range")
            ),
            Param("gamma", FLOAT, "exp_range: the amplitude is scaled by gamma ** step.", 1.0),
            Param(
                "scale_mode",
                CHOICE,
                "Kept for torch's signature: the three modes fix it.",
                "cycle",
                choices=("cycle", "iterations"),
            ),
            Param("cycle_momentum", BOOL, "Cycle momentum inversely to the lr.", True),
            Param("base_momentum", FLOAT, "Lower momentum; once or once per group.", 0.8, per_group=True),
            Param("max_momentum", FLOAT, "Upper momentum; once or once per group.", 0.9, per_group=True),
        ),
        (
            "lrcli cyclic --base-lr 0.001 --max-lr 0.1 --step-size-up 4 --epochs 20",
            "lrcli cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 5 -f plot \\\n"
            "      --mode triangular2 --epochs 40 --show-momentum",
        ),
        details="Torch sets each group's lr to base_lr, so --lr only gives the number of param groups "
        "(and, after other schedulers, the initial_lr they saw).",
        sets_lr=True,
        cycles_momentum=True,
    ),
    Description(
        "onecycle",
        "OneCycleLR",
        cyclic.one_cycle_lr,
        "OneCycleLR: up to max_lr and down to far below the start, once.",
        (
            Param("max_lr", FLOAT, "Peak lr; once or once per group.", per_group=True),
            Param(
                "total_steps",
                INT,
                "Steps in the cycle; also the default --epochs.",
                None,
                steps=True,
                shown_default="epochs x steps per epoch",
            ),
            Param(
                "epochs",
                INT,
                "With steps_per_epoch, the cycle's length when total_steps is not given.",
                None,
                command=False,
            ),
            Param(
                "steps_per_epoch",
                INT,
                "With epochs, the cycle's length when total_steps is not given.",
                None,
                command=False,
            ),
            Param("pct_start", FLOAT, "Fraction of the steps spent rising, in (0, 1).", 0.3),
            Param("anneal_strategy", CHOICE, "Annealing shape.", "cos", choices=("cos", "linear")),
            Param("cycle_momentum", BOOL, "Cycle momentum inversely to the lr.", True),
            Param("base_momentum", FLOAT, "Lower momentum; once or once per group.", 0.85, per_group=True),
            Param("max_momentum", FLOAT, "Upper momentum; once or once per group.", 0.95, per_group=True),
            Param("div_factor", FLOAT, "Initial lr = max_lr / div_factor.", 25.0),
            Param("final_div_factor", FLOAT, "Final lr = initial lr / final_div_factor.", 1e4),
            Param("three_phase", BOOL, "Come back to the initial lr before the final descent.", False),
        ),
        (
            "lrcli onecycle --max-lr 0.1 --total-steps 100 -f plot",
            "lrcli onecycle --max-lr 0.1 --total-steps 50 --show-momentum -f csv",
        ),
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
        "swa",
        "SWALR",
        swa.swalr,
        "SWALR: anneal the lr to swa_lr over anneal_epochs, then keep it (torch.optim.swa_utils).",
        (
            Param("swa_lr", FLOAT, "The lr to anneal to; once or once per group.", per_group=True),
            Param("anneal_epochs", INT, "Steps the anneal takes.", 10, steps=True),
            Param("anneal_strategy", CHOICE, "Annealing shape.", "cos", choices=("cos", "linear")),
        ),
        (
            "lrcli swa --lr 0.1 --swa-lr 0.01 --anneal-epochs 5",
            "lrcli sequential 'cosine(T_max=75)' 'swa(swa_lr=0.01, anneal_epochs=5)' \\\n"
            "      --milestones 75 --epochs 100 -f plot",
        ),
        events=_end_of("anneal_epochs"),
        module="torch.optim.swa_utils",
    ),
    Description(
        "plateau",
        "ReduceLROnPlateau",
        plateau.reduce_lr_on_plateau,
        "ReduceLROnPlateau: cut the lr when the metric stops improving.",
        PLATEAU_PARAMS,
        (
            "printf '%s\\n' 1.0 0.8 0.7 0.7 0.7 | lrcli plateau --metrics - --patience 2",
            "printf 'n,loss\\n1,5\\n2,5\\n' | lrcli plateau --metrics - --column loss -f csv",
        ),
        details="Row k is the lr after k calls step(metrics[k-1]); --epochs defaults to one more than the "
        "number of metrics.",
        warmup=False,
        composable=False,
        spec_refusal="torch's SequentialLR and ChainedScheduler refuse ReduceLROnPlateau",
        default_rows=lambda params: len(params["metrics"]) + 1,
        default_rows_text="one more than the metrics",
    ),
    Description(
        "sequential",
        "SequentialLR",
        compose.sequential_lr,
        "SequentialLR: each scheduler in turn, switching at the milestones.",
        (
            Param("schedulers", SCHEDULERS, SPECS),
            Param("milestones", INTS, "Epochs at which the next scheduler takes over.", steps=True),
        ),
        (
            "lrcli sequential 'linear(start_factor=0.1, total_iters=5)' \\\n"
            "      'cosine(T_max=95)' --milestones 5 --epochs 100 -f plot",
            "lrcli sequential 'constant(factor=0.1, total_iters=2)' 'exp(gamma=0.9)' \\\n      --milestones 2",
        ),
        warmup=False,
        composable=False,
        window_events=_sequential_events,
    ),
    Description(
        "chained",
        "ChainedScheduler",
        compose.chained_scheduler,
        "ChainedScheduler: every scheduler steps at every epoch, each acting on the lr the last left.",
        (Param("schedulers", SCHEDULERS, SPECS),),
        (
            "lrcli chained 'constant(factor=0.5, total_iters=3)' 'exp(gamma=0.9)'",
            "lrcli chained 'cosine-restarts(T_0=10)' 'exp(gamma=0.97)' --epochs 60 -f csv",
        ),
        warmup=False,
        composable=False,
        takes_optimizer=False,
        window_events=_chained_events,
    ),
)
"""torch's schedulers, one per class."""

FAMILY = Family(
    "torch", "torch.optim.lr_scheduler's schedulers, a command each.", DESCRIPTIONS, Commands(), Builder(), loop=True
)
