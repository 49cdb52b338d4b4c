"""Hugging Face transformers' schedules: one description per ``SchedulerType`` the Trainer builds
with ``get_scheduler``, each ``lrcli transformers TYPE``, which also takes the Trainer's own
arguments (:mod:`lrcli.cli.transformers`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lrcli.engine import transformers
from lrcli.engine.torch import plateau
from lrcli.registry.description import BOOL, CHOICE, FLOAT, INT, NUMBER, Builder, Commands, Description, Family, Param
from lrcli.registry.torch import PLATEAU_PARAMS

WARMUP_STEPS = Param(
    "num_warmup_steps", INT, "Optimizer steps of linear warmup from 0.", steps=True, shown_default="0, the Trainer's"
)
TRAINING_STEPS = Param(
    "num_training_steps",
    INT,
    "Optimizer steps in the whole training.",
    steps=True,
    shown_default="the Trainer's options",
)
COSINE_CYCLES = Param(
    "num_cycles", FLOAT, "Cosine waves after the warmup: 0.5 is half a wave, down to the minimum.", 0.5
)
MIN_LR = (
    Param("min_lr", FLOAT, "The lr the cosine ends at (one of min_lr, min_lr_rate is needed).", None),
    Param("min_lr_rate", FLOAT, "The lr the cosine ends at, as a fraction of the optimizer's lr.", None),
)
TRANSFORMERS_DETAILS = (
    "Row k is the lr of optimizer step k: the Trainer calls scheduler.step() after each "
    "optimizer.step(). Replays transformers 5.23's lambdas exactly, without transformers."
)


def _transformers_events(params: dict, rows: int) -> list[int]:
    """The end of the warmup, and a warmup-stable-decay schedule's phase ends."""
    ends = [params.get("num_warmup_steps")]
    if params.get("num_decay_steps") is not None:
        stable = params.get("num_stable_steps")
        if stable is None and isinstance(params.get("num_training_steps"), int):
            stable = params["num_training_steps"] - params["num_warmup_steps"] - params["num_decay_steps"]
        if isinstance(stable, int) and isinstance(params.get("num_warmup_steps"), int):
            ends += [
                params["num_warmup_steps"] + stable,
                params["num_warmup_steps"] + stable + params["num_decay_steps"],
            ]
    return sorted({end for end in ends if isinstance(end, int) and 0 < end < rows})


def _training_rows(params: dict) -> int | None:
    """transformers' schedules run for num_training_steps (warmup-stable-decay: its three phases),
    when that is a whole number (the library's arithmetic takes a fraction too)."""
    if params.get("num_training_steps") is not None:
        return params["num_training_steps"] if isinstance(params["num_training_steps"], int) else None
    phases = [params.get(name) for name in ("num_warmup_steps", "num_stable_steps", "num_decay_steps")]
    whole = [phase for phase in phases if isinstance(phase, int)]
    return sum(whole) if len(whole) == len(phases) else None


def _transformers(
    scheduler_type: str,
    factory: Callable,
    summary: str,
    params: tuple[Param, ...],
    examples: tuple[str, ...],
    details: str = "",
) -> Description:
    return Description(
        f"transformers.{scheduler_type}",
        factory.__name__,
        factory,
        summary,
        params,
        examples,
        details=" ".join(filter(None, [details, TRANSFORMERS_DETAILS])),
        warmup=False,
        default_rows=_training_rows,
        default_rows_text="num_training_steps",
        events=_transformers_events,
        module="transformers",
        unit="step",
    )


TRANSFORMERS = (
    _transformers(
        "linear",
        transformers.get_linear_schedule_with_warmup,
        "Linear warmup from 0, then linear decay to 0 at num_training_steps (the Trainer's default).",
        (WARMUP_STEPS, TRAINING_STEPS),
        (
            "lrcli transformers linear --num-warmup-steps 100 \\\n      --num-training-steps 1000 -f plot",
            "lrcli transformers linear --warmup-steps 0.1 --num-train-epochs 3 \\\n"
            "      --steps-per-epoch 500 --changes",
        ),
    ),
    _transformers(
        "cosine",
        transformers.get_cosine_schedule_with_warmup,
        "Linear warmup from 0, then a cosine from the lr down to 0.",
        (WARMUP_STEPS, TRAINING_STEPS, COSINE_CYCLES),
        (
            "lrcli transformers cosine --num-warmup-steps 500 \\\n      --num-training-steps 10000 -f plot",
            "lrcli transformers cosine --warmup-steps 0.05 --max-steps 2000 \\\n      --lr 3e-4 -f csv",
        ),
    ),
    _transformers(
        "cosine_with_restarts",
        transformers.get_cosine_with_hard_restarts_schedule_with_warmup,
        "Linear warmup, then num_cycles cosines down to 0, each restarting at the lr.",
        (WARMUP_STEPS, TRAINING_STEPS, Param("num_cycles", INT, "Hard restarts: cosines after the warmup.", 1)),
        (
            "lrcli transformers cosine_with_restarts --num-warmup-steps 10 \\\n"
            "      --num-training-steps 310 --num-cycles 3 -f plot",
            "lrcli transformers cosine_with_restarts --warmup-steps 0.1 --max-steps 40 \\\n"
            "      --lr-scheduler-kwargs '{\"num_cycles\": 2}' --every 4",
        ),
    ),
    _transformers(
        "polynomial",
        transformers.get_polynomial_decay_schedule_with_warmup,
        "Linear warmup, then polynomial decay from the lr to lr_end.",
        (
            WARMUP_STEPS,
            TRAINING_STEPS,
            Param("lr_end", FLOAT, "The lr at num_training_steps; below the optimizer's lr.", 1e-7),
            Param("power", FLOAT, "Power of the polynomial.", 1.0),
        ),
        (
            "lrcli transformers polynomial --num-warmup-steps 100 \\\n"
            "      --num-training-steps 1000 --power 2 --lr-end 1e-4 -f plot",
            "lrcli transformers polynomial --lr 1e-3 --num-training-steps 8 --lr-end 1e-4",
        ),
        details="As in the library, the decay is computed in lrs, divided by the optimizer's default lr (the "
        "first --lr) for LambdaLR to multiply back.",
    ),
    _transformers(
        "constant",
        transformers.get_constant_schedule,
        "The lr, unchanged (the Trainer ignores its warmup for this type).",
        (),
        (
            "lrcli transformers constant --steps 5",
            "lrcli transformers constant --lr 3e-4 --num-train-epochs 2 \\\n      --steps-per-epoch 3",
        ),
    ),
    _transformers(
        "constant_with_warmup",
        transformers.get_constant_schedule_with_warmup,
        "Linear warmup from 0, then the lr.",
        (WARMUP_STEPS,),
        (
            "lrcli transformers constant_with_warmup --num-warmup-steps 4 --steps 6",
            "lrcli transformers constant_with_warmup --warmup-steps 0.25 \\\n      --max-steps 400 -f plot",
        ),
    ),
    _transformers(
        "inverse_sqrt",
        transformers.get_inverse_sqrt_schedule,
        "Linear warmup, then lr / sqrt((step + timescale - num_warmup_steps) / timescale).",
        (
            WARMUP_STEPS,
            Param(
                "timescale",
                INT,
                "Time scale of the decay.",
                None,
                steps=True,
                shown_default="num_warmup_steps, or 10000 without warmup",
            ),
        ),
        (
            "lrcli transformers inverse_sqrt --num-warmup-steps 1000 \\\n      --steps 20000 -f plot",
            "lrcli transformers inverse_sqrt --num-warmup-steps 2 --timescale 4 --steps 8",
        ),
    ),
    _transformers(
        "cosine_with_min_lr",
        transformers.get_cosine_with_min_lr_schedule_with_warmup,
        "Linear warmup from 0, then a cosine from the lr down to min_lr.",
        (WARMUP_STEPS, TRAINING_STEPS, COSINE_CYCLES, *MIN_LR),
        (
            "lrcli transformers cosine_with_min_lr --num-warmup-steps 100 \\\n"
            "      --num-training-steps 1000 --min-lr-rate 0.1 -f plot",
            "lrcli transformers cosine_with_min_lr --warmup-steps 0.1 --max-steps 1000 \\\n"
            '      --lr-scheduler-kwargs \'{"min_lr": "0.0001"}\' -f summary',
        ),
        details="min_lr is divided by the optimizer's default lr (the first --lr), as in the library.",
    ),
    _transformers(
        "cosine_warmup_with_min_lr",
        transformers.get_cosine_with_min_lr_schedule_with_warmup_lr_rate,
        "Warmup reaching the lr at its last step, then a cosine down to min_lr.",
        (
            WARMUP_STEPS,
            TRAINING_STEPS,
            COSINE_CYCLES,
            *MIN_LR,
            Param(
                "warmup_lr_rate",
                FLOAT,
                "The warmup's first lr as a fraction of the lr.",
                None,
                shown_default="1/num_warmup_steps",
            ),
        ),
        (
            "lrcli transformers cosine_warmup_with_min_lr --num-warmup-steps 100 \\\n"
            "      --num-training-steps 1000 --min-lr 1e-5 --lr 1e-3 -f plot",
            "lrcli transformers cosine_warmup_with_min_lr --num-warmup-steps 4 \\\n"
            "      --num-training-steps 12 --min-lr-rate 0.1 --warmup-lr-rate 0.01",
        ),
        details="min_lr is divided by the optimizer's default lr (the first --lr), as in the library.",
    ),
    _transformers(
        "warmup_stable_decay",
        transformers.get_wsd_schedule,
        "Warm up, hold the lr, decay: each ramp linear, cosine or 1-sqrt.",
        (
            WARMUP_STEPS,
            Param("num_decay_steps", INT, "Optimizer steps of the final decay.", steps=True),
            Param(
                "num_training_steps",
                INT,
                "Steps in all; the stable phase is what warmup and decay leave.",
                None,
                steps=True,
            ),
            Param("num_stable_steps", INT, "Steps at the full lr (instead of num_training_steps).", None, steps=True),
            Param("warmup_type", CHOICE, "Shape of the warmup.", "linear", choices=transformers.WSD_SHAPES),
            Param("decay_type", CHOICE, "Shape of the decay.", "cosine", choices=transformers.WSD_SHAPES),
            Param("min_lr_ratio", FLOAT, "Where the warmup starts and the decay ends, as a fraction of the lr.", 0),
            Param("num_cycles", FLOAT, "Cosine decay: waves over the decay (0.5: half a wave).", 0.5),
        ),
        (
            "lrcli transformers warmup_stable_decay --num-warmup-steps 100 \\\n"
            "      --num-decay-steps 200 --num-training-steps 1000 -f plot",
            "lrcli transformers warmup_stable_decay --warmup-steps 0.1 --max-steps 100 \\\n"
            "      --lr-scheduler-kwargs '{\"num_decay_steps\": 20}' \\\n"
            "      --changes",
        ),
    ),
    Description(
        "transformers.reduce_lr_on_plateau",
        "get_reduce_on_plateau_schedule",
        plateau.reduce_lr_on_plateau,
        "torch's ReduceLROnPlateau, as the Trainer builds it: cut the lr when the metric stops improving.",
        PLATEAU_PARAMS,
        (
            "printf '%s\\n' 1.0 0.8 0.7 0.7 0.7 | \\\n"
            "      lrcli transformers reduce_lr_on_plateau --metrics - --patience 2",
            "printf 'n,loss\\n1,5\\n2,5\\n' | lrcli transformers reduce_lr_on_plateau \\\n"
            "      --metrics - --column loss --patience 0 -f csv",
        ),
        details="The Trainer steps it after each evaluation with the evaluation metric: row k is the lr after "
        "the k-th evaluation.",
        warmup=False,
        composable=False,
        default_rows=lambda params: len(params["metrics"]) + 1,
        default_rows_text="one more than the metrics",
        module="transformers",
    ),
    Description(
        "transformers.greedy",
        "get_greedy_schedule",
        transformers.get_greedy_schedule,
        "GreedyLR, as the Trainer builds it: raise the lr while the metric keeps improving, cut it when it stops.",
        (
            PLATEAU_PARAMS[0],
            Param("mode", CHOICE, "min: lower is better; max: higher is better.", "min", choices=("min", "max")),
            Param(
                "factor",
                FLOAT,
                "Divide the lr by this after improvements, multiply by it on a plateau (below 1).",
                0.95,
            ),
            Param("patience", NUMBER, "Improvements (or steps without one) in a row before the lr changes.", 10),
            Param("threshold", FLOAT, "Smallest change that counts as improvement.", 1e-6),
            Param("threshold_mode", CHOICE, "rel: relative; abs: absolute.", "abs", choices=("rel", "abs")),
            Param("cooldown", NUMBER, "Steps to wait after a cut.", 0),
            Param("warmup", NUMBER, "Steps to wait after a raise.", 0),
            Param("min_lr", FLOAT, "Lowest lr; once or once per group.", 1e-3, per_group=True),
            Param("max_lr", FLOAT, "Highest lr; once or once per group.", 1.0, per_group=True),
            Param("eps", FLOAT, "Smaller changes are skipped.", 1e-8),
            Param("verbose", BOOL, "The library prints each change; lrcli shows the rows instead.", False),
            Param("smooth", BOOL, "Compare the mean of the last window_size metrics instead.", False),
            Param("window_size", NUMBER, "Metrics averaged with smooth.", 50),
            Param("reset_start", NUMBER, "Cuts at min_lr before the lr and the counts start over.", 500),
        ),
        (
            "printf '%s\\n' 5 4 3 2 2 2 | \\\n      lrcli transformers greedy --metrics - --patience 1 --factor 0.5",
            "lrcli transformers greedy --metrics tests/data/metrics/metrics.csv \\\n"
            "      --column val_loss --patience 3 --changes",
        ),
        details="The Trainer steps it after each evaluation with the evaluation metric: row k is the lr after the "
        "k-th evaluation. Replays transformers 5.23's GreedyLR; its reset after reset_start cuts depends on "
        "every param group at once, so with several groups lrcli refuses a run where one would reach it.",
        warmup=False,
        composable=False,
        default_rows=lambda params: len(params["metrics"]) + 1,
        default_rows_text="one more than the metrics",
        module="transformers",
    ),
)
"""transformers' schedules, one per ``SchedulerType`` the Trainer builds with ``get_scheduler``."""


class GetScheduler(Builder):
    """As the Trainer builds every type: ``get_scheduler(type, optimizer, num_warmup_steps=…,
    num_training_steps=…, scheduler_specific_kwargs={the others})``, stepped as torch's."""

    OWN = ("num_warmup_steps", "num_training_steps")
    """The keywords ``get_scheduler`` takes itself."""

    def _split(
        self, arguments: Sequence[tuple[str, object]]
    ) -> tuple[list[tuple[str, object]], list[tuple[str, object]]]:
        return (
            [(name, value) for name, value in arguments if name in self.OWN],
            [(name, value) for name, value in arguments if name not in self.OWN],
        )

    def source(self, schedule, arguments: list[tuple[str, str]], name: str) -> tuple[list[str], list[str]]:
        own, extra = self._split(arguments)
        passed = [repr(schedule.description.type), "optimizer", *(f"{keyword}={text}" for keyword, text in own)]
        if extra:
            passed.append(
                "scheduler_specific_kwargs={" + ", ".join(f"{keyword!r}: {text}" for keyword, text in extra) + "}"
            )
        return [f"from {schedule.description.module} import get_scheduler"], [
            f"{name} = get_scheduler({', '.join(passed)})"
        ]

    def build(self, module, schedule, arguments: list[tuple[str, object]], optimizer) -> object:
        own, extra = self._split(arguments)
        kwargs = {"scheduler_specific_kwargs": dict(extra)} if extra else {}
        return module.get_scheduler(schedule.description.type, optimizer, **dict(own), **kwargs)


def _trainer(description: Description):
    """The Trainer's options, which ``lrcli transformers TYPE`` also takes (its own command line)."""
    from lrcli.cli.transformers import Trainer

    return Trainer(description)


FAMILY = Family(
    "transformers",
    "Hugging Face transformers' schedules (the Trainer's --lr_scheduler_type), replayed exactly without "
    "transformers: one row per optimizer step.",
    TRANSFORMERS,
    Commands(grouped=True, extra=_trainer),
    GetScheduler(),
    resume="trainer",
)
