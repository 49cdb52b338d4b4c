"""timm's schedulers as its ``train.py`` builds them: one description per ``--sched`` value, all
under one command, ``lrcli timm --sched NAME`` with train.py's flags (:mod:`lrcli.cli.timm`), its
code ``create_scheduler_v2`` on train.py's flags."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from lrcli.engine import timm
from lrcli.registry.description import (
    BOOL,
    CHOICE,
    FLOAT,
    FLOATS,
    INT,
    INTS,
    METRICS,
    TEXT,
    Builder,
    Description,
    Family,
    OneCommand,
    Param,
)

TIMM_PARAMS = {
    param.name: param
    for param in (
        Param("epochs", INT, "Epochs of the schedule (train.py's --epochs).", 300),
        Param(
            "decay_epochs",
            FLOAT,
            "step: epochs between decays; wsd, rsqrt: epochs of the final decay (below 1: a fraction of the schedule).",
            90,
        ),
        Param(
            "decay_milestones",
            INTS,
            "multistep: epochs to decay at (each decay lands one epoch early, as in timm).",
            (90, 180, 270),
            shown_default="90,180,270",
        ),
        Param("decay_rate", FLOAT, "step, multistep: factor per decay; poly: the power.", 0.1),
        Param("warmup_epochs", INT, "Epochs of linear warmup from --warmup-lr.", 5),
        Param("warmup_lr", FLOAT, "The lr the warmup starts at.", 1e-5),
        Param("warmup_prefix", BOOL, "Put the warmup before the schedule instead of counting it in.", False),
        Param(
            "cooldown_epochs",
            INT,
            "Epochs at the end of a cycle schedule (cosine, tanh, poly, wsd, rsqrt) added to the training.",
            0,
        ),
        Param("min_lr", FLOAT, "The lr the decaying schedules end at.", 0.0),
        Param("lr_cycle_mul", FLOAT, "Each cycle this many times longer than the last.", 1.0),
        Param("lr_cycle_decay", FLOAT, "Peak lr factor per cycle.", 0.5),
        Param("lr_cycle_limit", INT, "Cycles before the lr stays at --min-lr.", 1),
        Param("lr_k_decay", FLOAT, "k-decay: the cosine (or poly) runs over t**k / T**k.", 1.0),
        Param(
            "lr_decay_fn",
            CHOICE,
            "wsd, rsqrt: the shape of the final decay.",
            None,
            choices=timm.DECAY_FNS,
            shown_default="1-sqrt for wsd, linear for rsqrt",
        ),
        Param("lr_stable_timescale", FLOAT, "rsqrt: epochs of its time scale.", None, shown_default="--warmup-epochs"),
        Param("lr_noise", FLOATS, "Noise on from this fraction of the schedule (or between two fractions).", None),
        Param("lr_noise_pct", FLOAT, "Noise is drawn again until it is below this.", 0.67),
        Param("lr_noise_std", FLOAT, "Standard deviation of the noise (timm >= 1.0.31).", 1.0),
        Param("seed", INT, "The noise at step t is drawn from a torch generator seeded with seed + t.", 42),
        Param(
            "sched_on_updates",
            BOOL,
            "Step per optimizer update (train.py's --sched-on-updates): rows are updates.",
            False,
        ),
        Param("patience_epochs", INT, "plateau: epochs without improvement tolerated.", 10),
        Param(
            "eval_metric",
            TEXT,
            "plateau: the metric's name; a name with 'loss' in it is minimized, others maximized.",
            "top1",
        ),
        Param(
            "metrics",
            METRICS,
            "plateau: the eval metric after each epoch, one number per line; - reads stdin.",
            constructor=False,
        ),
        Param(
            "updates_per_epoch",
            INT,
            "With --sched-on-updates: optimizer updates per epoch (train.py: batches "
            "per epoch / --grad-accum-steps, rounded up).",
            0,
        ),
    )
}
"""train.py's scheduler flags (argparse names and defaults), shared by every timm scheduler that
reads them."""
TIMM_DETAILS = (
    "Row 0 is what the scheduler's constructor leaves (--warmup-lr, or the base lr); row t is the lr "
    "after train.py's step(t) (or step_update(t)). Replays timm 1.0.31 exactly, noise included, "
    "without timm or torch."
)


def _timm(
    sched: str, factory: Callable, class_name: str, summary: str, example: str = "", per_update: bool = True
) -> Description:
    names = list(inspect.signature(factory).parameters)

    def rows(params: dict) -> int | None:
        epochs = timm.trained_epochs(sched, params)
        per = params.get("updates_per_epoch") if params.get("sched_on_updates") else 1
        return epochs * per if epochs is not None and isinstance(per, int) else None

    return Description(
        f"timm.{sched}",
        f"timm.{sched}",
        factory,
        f"{summary} ({class_name})",
        tuple(TIMM_PARAMS[name] for name in names),
        (
            f"lrcli timm --sched {sched} --epochs 100{example} -f plot",
            f"lrcli timm --sched {sched} --epochs 30{example} --warmup-epochs 3 \\\n"
            + (
                "      --sched-on-updates --updates-per-epoch 100 --every 300"
                if per_update
                else "      --patience-epochs 2 --changes -f csv"
            ),
        ),
        details=TIMM_DETAILS,
        warmup=False,
        composable=False,
        default_rows=rows,
        default_rows_text="the epochs train.py trains",
        module="timm.scheduler",
    )


TIMM = (
    _timm("cosine", timm.cosine, "CosineLRScheduler", "Cosine decay to --min-lr, with restarts and k-decay."),
    _timm("tanh", timm.tanh, "TanhLRScheduler", "Tanh-shaped decay to --min-lr, with restarts."),
    _timm("step", timm.step, "StepLRScheduler", "Multiply by --decay-rate every --decay-epochs."),
    _timm("multistep", timm.multistep, "MultiStepLRScheduler", "Multiply by --decay-rate at each milestone."),
    _timm("poly", timm.poly, "PolyLRScheduler", "Polynomial decay to --min-lr (--decay-rate is the power)."),
    _timm("wsd", timm.wsd, "WSDLRScheduler", "Warmup, stable, then a final decay to --min-lr.", " --decay-epochs 0.2"),
    _timm(
        "rsqrt", timm.rsqrt, "WSDLRScheduler", "Warmup, inverse square root, then a final decay.", " --decay-epochs 0.2"
    ),
    _timm("constant", timm.constant, "StepLRScheduler", "Warmup, then the lr."),
    _timm(
        "plateau",
        timm.plateau,
        "PlateauLRScheduler",
        "Warmup, then cut the lr on a plateau of --metrics.",
        " --metrics tests/data/metrics/metrics.csv --column val_acc",
        per_update=False,
    ),
)
"""timm's schedulers, one per train.py --sched value."""


def _help(descriptions: tuple[Description, ...]) -> str:
    """``lrcli timm``'s help: its examples, then each ``--sched`` and its class."""
    scheds = "\n".join(
        f"  {description.type:<10} {description.summary.replace(' (', chr(10) + ' ' * 13 + '(')}"
        for description in descriptions
    )
    examples = (
        "lrcli timm --sched cosine --epochs 300 --warmup-epochs 5 -f plot",
        "lrcli timm --sched cosine --epochs 300 --warmup-epochs 5 \\\n"
        "      --sched-on-updates --updates-per-epoch 1251 --changes --stop 20",
        "lrcli timm --sched step --decay-epochs 2.4 --decay-rate 0.97 --epochs 450 \\\n      --lr-noise 0.4,0.9 -f csv",
    )
    return "\n\n".join(
        [
            "timm's schedulers as train.py builds and steps them (create_scheduler_v2), replayed exactly "
            "without timm: one row per epoch, or per update with --sched-on-updates.",
            "\b\nExamples:\n" + "\n".join(f"  {example}" for example in examples),
            "\b\n--sched:\n" + scheds,
            descriptions[0].details,
        ]
    )


class TrainPy(Builder):
    """As timm's train.py builds and steps the scheduler: ``create_scheduler_v2(optimizer,
    **scheduler_kwargs(args), updates_per_epoch=…)`` from its flags, then ``step(epochs done[,
    metric])``, or ``step_update(updates done)`` with ``--sched-on-updates``."""

    def flags(self, schedule) -> tuple[dict[str, object], int]:
        """``schedule`` as train.py's flags (``sched`` first) for ``scheduler_kwargs``, and the
        ``updates_per_epoch`` train.py passes beside them (the metrics are stepped, not flags).
        Every flag the scheduler reads is given, train.py's default where a spec leaves it out:
        ``scheduler_kwargs`` has defaults of its own for a missing flag, which are not train.py's.

        >>> from lrcli.schedules import Schedule
        >>> TrainPy().flags(Schedule.of("timm.multistep", epochs=200))[0]["decay_milestones"]
        [90, 180, 270]
        """
        params = {}
        for param in schedule.description.params:
            if param.name != "metrics":
                value = schedule.params.get(param.name, param.default)
                params[param.name] = list(value) if isinstance(value, tuple) else value
        per = params.pop("updates_per_epoch", 0)
        return {"sched": schedule.description.type, **params}, per

    def source(self, schedule, arguments: list[tuple[str, str]], name: str) -> tuple[list[str], list[str]]:
        flags, per = self.flags(schedule)
        args = ", ".join(f"{flag}={value!r}" for flag, value in flags.items())
        return (
            ["from types import SimpleNamespace", "from timm.scheduler import create_scheduler_v2, scheduler_kwargs"],
            [
                f"args = SimpleNamespace({args})  # train.py's flags",
                f"{name}, num_epochs = create_scheduler_v2(optimizer, **scheduler_kwargs(args), updates_per_epoch={per})",
            ],
        )

    def build(self, module, schedule, arguments: list[tuple[str, object]], optimizer) -> object:
        from types import SimpleNamespace

        flags, per = self.flags(schedule)
        return module.create_scheduler_v2(
            optimizer, **module.scheduler_kwargs(SimpleNamespace(**flags)), updates_per_epoch=per
        )[0]

    def stepping(self, schedule, metrics: bool) -> tuple[str, tuple[str, ...]]:
        if schedule.params.get("sched_on_updates"):
            return "step_update", ("count",)
        return "step", ("count", "metric") if metrics else ("count",)

    def module(self, name: str):
        """Where torchvision is missing, timm's scheduler package is imported without timm's own
        ``__init__`` (which imports torchvision; the schedulers need only torch), as
        scripts/golden/timm_cases.py does."""
        import importlib.util
        import sys
        import types

        def found(module: str) -> bool:
            try:
                return importlib.util.find_spec(module) is not None
            except (ImportError, ValueError):  # a parent that is not a package, or a None in sys.modules
                return False

        if "timm" not in sys.modules and found("timm") and not found("torchvision"):
            package = types.ModuleType("timm")
            package.__path__ = list(importlib.util.find_spec("timm").submodule_search_locations)
            sys.modules["timm"] = package
        return super().module(name)


def _command(family: Family):
    """``lrcli timm``: one command for every --sched, as train.py has (its own command line)."""
    from lrcli.cli.timm import make_timm_command

    return make_timm_command(family.descriptions)


FAMILY = Family("timm", _help(TIMM), TIMM, OneCommand(_command, selector="--sched"), TrainPy())
