"""OpenMMLab's parameter schedulers (mmengine 0.10, and mmdet's QuadraticWarmup), as a training
loop runs the ``param_scheduler`` list of a config.

Each scheduler acts only inside its window ``[begin, end)`` of its own steps, on the value the
schedulers before it left (they are chainable): construction steps each once, in list order
(``_global_step`` 0); after every training iteration the ``by_epoch=False`` ones step, in list
order, and after every epoch the ``by_epoch=True`` ones (after the iteration ones). A scheduler's
``last_step`` counts the steps it took inside its window. One function per scheduler class gives
``value(current, last_step, base)`` for one param group, with mmengine's expressions as written.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from lrcli.engine.core import Group, ScheduleError, Scheduler, Stepper, running

INF = int(1e9)
"""mmengine's ``end`` when none is given and no training loop sets it."""

Value = Callable[[float, int, float], float]
"""``value(current, last_step, base)``: a scheduler's new value for one param group."""


@dataclass
class Window:
    """One built scheduler: its class's value function, when it steps and where it acts.
    ``setup(group)`` is what its constructor does to the param group before the initial step
    (OneCycleLR replaces ``initial_lr``), returning the base value it keeps; ``most_steps``, the
    last step it takes without failing (OneCycleLR's ``total_steps``)."""

    name: str
    value: Value
    by_epoch: bool
    begin: int
    end: int
    setup: Callable[[dict[str, float]], float] | None = None
    plateau: Plateau | None = None
    most_steps: int | None = None
    global_step: int = field(default=-1)
    last_step: int = field(default=-1)

    def __post_init__(self) -> None:
        if self.end <= self.begin:
            raise ScheduleError(
                None, f"{self.name}: end should be larger than begin, but got begin={self.begin}, end={self.end}"
            )


def _factor(name: str, value: float) -> None:
    if not 0 <= value <= 1:
        raise ScheduleError(None, f"{name} should be between 0 and 1 (mmengine refuses {value!r})")


def constant_lr(begin: int, end: int, factor: float = 1.0 / 3) -> Value:
    """``ConstantLR``: ``factor`` of the value at its first step, back up at ``end - 1``.

    >>> [constant_lr(0, 3, 0.5)(1.0, step, 1.0) for step in range(3)]
    [0.5, 1.0, 2.0]
    """
    _factor("factor", factor)
    total_iters = end - begin - 1

    def value(current: float, step: int, base: float) -> float:
        if step == 0:
            return current * factor
        if step > total_iters or step != total_iters:
            return current
        return current * (1.0 / factor)

    return value


def linear_lr(begin: int, end: int, start_factor: float = 1.0 / 3, end_factor: float = 1.0) -> Value:
    """``LinearLR``: from ``start_factor`` to ``end_factor`` of the value over the window.

    >>> v = linear_lr(0, 3, 0.5); v(v(0.5, 1, 1.0), 2, 1.0)
    1.0
    """
    _factor("start_factor", start_factor)
    _factor("end_factor", end_factor)
    total_iters = end - begin - 1

    def value(current: float, step: int, base: float) -> float:
        if step == 0:
            return current * start_factor
        return current * (
            1.0 + (end_factor - start_factor) / (total_iters * start_factor + (step - 1) * (end_factor - start_factor))
        )

    return value


def step_lr(begin: int, end: int, step_size: int, gamma: float = 0.1) -> Value:
    """``StepLR``: times ``gamma`` every ``step_size`` steps of the window."""

    def value(current: float, step: int, base: float) -> float:
        return current if step == 0 or step % step_size != 0 else current * gamma

    return value


def multistep_lr(begin: int, end: int, milestones: list[int], gamma: float = 0.1) -> Value:
    """``MultiStepLR``: times ``gamma`` (per listing) at each milestone step of the window."""
    counts = Counter(milestones)

    def value(current: float, step: int, base: float) -> float:
        return current * gamma ** counts[step] if step in counts else current

    return value


def exponential_lr(begin: int, end: int, gamma: float) -> Value:
    """``ExponentialLR``: times ``gamma`` at every step of the window after its first."""

    def value(current: float, step: int, base: float) -> float:
        return current if step == 0 else current * gamma

    return value


def _low(eta_min: float | None, eta_min_ratio: float | None) -> Callable[[float], float]:
    """What a cosine anneals down to from the base value: ``eta_min``, or ``base * eta_min_ratio``
    (exactly one of them given)."""
    if eta_min_ratio is not None:
        return lambda base: base * eta_min_ratio
    assert eta_min is not None
    return lambda base: eta_min


def cosine_annealing_lr(
    begin: int,
    end: int,
    T_max: int | None = None,
    eta_min: float | None = None,  # noqa: N803
    eta_min_ratio: float | None = None,
) -> Value:
    """``CosineAnnealingLR``: half a cosine over ``T_max`` (the window's length by default) down
    to ``eta_min`` (or ``eta_min_ratio`` of the base value), recursively as torch's.

    >>> v = cosine_annealing_lr(0, 2); [v(1.0, 1, 1.0), v(0.5, 2, 1.0)]
    [0.5, 0.0]
    """
    if eta_min is None and eta_min_ratio is None:
        eta_min = 0.0
    low_of = _low(eta_min, eta_min_ratio)
    if (eta_min is None) == (eta_min_ratio is None):
        raise ScheduleError(None, "CosineAnnealingLR: either eta_min or eta_min_ratio should be specified")
    T_max = T_max or (end - begin)  # noqa: N806

    def value(current: float, step: int, base: float) -> float:
        low = low_of(base)
        if step == 0:
            return current
        if (step - 1 - T_max) % (2 * T_max) == 0:
            return current + (base - low) * (1 - math.cos(math.pi / T_max)) / 2
        return (1 + math.cos(math.pi * step / T_max)) / (1 + math.cos(math.pi * (step - 1) / T_max)) * (
            current - low
        ) + low

    return value


def poly_lr(begin: int, end: int, eta_min: float = 0, power: float = 1.0) -> Value:
    """``PolyLR`` (not torch's PolynomialLR): ``(v - eta_min) * (1 - 1 / (T - k + 1)) ** power +
    eta_min`` at step ``k``, ``T = end - begin - 1``."""
    total_iters = end - begin - 1

    def value(current: float, step: int, base: float) -> float:
        if step == 0:
            return current
        decayed: float = (current - eta_min) * (1 - 1 / (total_iters - step + 1)) ** power
        return decayed + eta_min

    return value


def quadratic_warmup_lr(begin: int, end: int) -> Value:
    """mmdet's ``QuadraticWarmupLR``: adds ``base * (2k + 1) / T²`` at step ``k``, ``T`` the window.

    >>> v = quadratic_warmup_lr(0, 2); [v(0.0, 0, 1.0), v(0.25, 1, 1.0)]
    [0.25, 1.0]
    """
    if end >= INF:
        raise ScheduleError(
            None,
            "QuadraticWarmupLR: end must be less than infinity: set it to where the warmup ends "
            "(mmdet refuses it without)",
        )
    total_iters = end - begin

    def value(current: float, step: int, base: float) -> float:
        if step == 0:
            return base * (2 * step + 1) / total_iters**2
        return current + base * (2 * step + 1) / total_iters**2

    return value


def cosine_restart_lr(
    begin: int,
    end: int,
    periods: list[int],
    restart_weights: list[float] | tuple[float, ...] = (1,),
    eta_min: float | None = None,
    eta_min_ratio: float | None = None,
) -> Value:
    """``CosineRestartLR``: a cosine per period, each restarting at ``base * weight``."""
    if (eta_min is None) == (eta_min_ratio is None):
        raise ScheduleError(
            None, "CosineRestartLR: give exactly one of eta_min and eta_min_ratio (mmengine asserts it)"
        )
    if len(periods) != len(restart_weights):
        raise ScheduleError(None, "CosineRestartLR: periods and restart_weights should have the same length")
    cumulative = [sum(periods[0 : i + 1]) for i in range(0, len(periods))]
    low_of = _low(eta_min, eta_min_ratio)

    def value(current: float, step: int, base: float) -> float:
        index = next((i for i, period in enumerate(cumulative) if step < period), None)
        if index is None:
            return current
        nearest_restart = 0 if index == 0 else cumulative[index - 1]
        period, into = periods[index], step - nearest_restart
        high = base * restart_weights[index]
        low = low_of(base)
        if into == 0:
            return high
        return (1 + math.cos(math.pi * into / period)) / (1 + math.cos(math.pi * (into - 1) / period)) * (
            current - low
        ) + low

    return value


def one_cycle_lr(
    begin: int,
    end: int,
    eta_max: float = 0,
    total_steps: int | None = None,
    pct_start: float = 0.3,
    anneal_strategy: str = "cos",
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
    three_phase: bool = False,
) -> tuple[Value, Callable[[dict[str, float]], float]]:
    """``OneCycleLR``: torch's one cycle over ``total_steps`` (the window's length by default),
    setting the group's ``initial_lr`` to ``eta_max / div_factor`` when it is built."""
    if isinstance(eta_max, bool) or not isinstance(eta_max, (int, float)):
        raise ScheduleError(None, f"OneCycleLR: eta_max must be one number for every param group here, got {eta_max!r}")
    if total_steps is not None:
        if isinstance(total_steps, bool) or not isinstance(total_steps, int) or total_steps <= 0:
            raise ScheduleError(None, f"OneCycleLR: total_steps must be a positive integer, got {total_steps!r}")
    else:
        total_steps = end - begin
    if not isinstance(pct_start, float) or pct_start < 0 or pct_start > 1:
        raise ScheduleError(None, f"OneCycleLR: pct_start must be a float between 0 and 1, got {pct_start!r}")
    if anneal_strategy not in ("cos", "linear"):
        raise ScheduleError(None, f'OneCycleLR: anneal_strategy must be "cos" or "linear", got {anneal_strategy!r}')

    def anneal(start: float, stop: float, pct: float) -> float:
        if anneal_strategy == "cos":
            return stop + (start - stop) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (stop - start) * pct + start

    if three_phase:
        phases = [
            (float(pct_start * total_steps) - 1, "initial", "max"),
            (float(2 * pct_start * total_steps) - 2, "max", "initial"),
            (total_steps - 1, "initial", "min"),
        ]
    else:
        phases = [(float(pct_start * total_steps) - 1, "initial", "max"), (total_steps - 1, "max", "min")]
    held: dict[str, dict[str, float]] = {}

    def setup(group: dict[str, float]) -> float:
        # The levels are keys of the param group (initial_lr, max_lr, min_lr), read at every step:
        # a later OneCycleLR on the same group changes what this one anneals between.
        group["initial"] = eta_max / div_factor
        group["max"] = eta_max
        group["min"] = group["initial"] / final_div_factor
        held["group"] = group
        return group["initial"]

    def value(current: float, step: int, base: float) -> float:
        if step > total_steps:
            raise ScheduleError(
                None,
                f"OneCycleLR: tried to step {step + 1} times; the specified number of total steps is {total_steps}",
            )
        levels = held["group"]
        start_step: float = 0
        for i, (end_step, start, stop) in enumerate(phases):
            if step <= end_step or i == len(phases) - 1:
                return anneal(levels[start], levels[stop], (step - start_step) / (end_step - start_step))
            start_step = end_step
        raise AssertionError("unreachable")

    return value, setup


@dataclass
class Plateau:
    """``ReduceOnPlateauLR``'s state: stepped with a metric after each validation, it cuts the
    value by ``factor`` (not below ``min_value``, not by less than ``eps``) once the metric has
    not improved for more than ``patience`` validations, then waits ``cooldown`` of them."""

    rule: str = "less"
    factor: float = 0.1
    patience: int = 10
    threshold: float = 1e-4
    threshold_rule: str = "rel"
    cooldown: int = 0
    min_value: float = 0.0
    eps: float = 1e-8
    monitor: str = "loss"

    def __post_init__(self) -> None:
        if self.factor >= 1.0:
            raise ScheduleError(None, "ReduceOnPlateauLR: factor should be < 1.0")
        if self.threshold < 0:
            raise ScheduleError(None, f"ReduceOnPlateauLR: threshold {self.threshold} should be >= 0")
        if self.rule not in ("less", "greater"):
            raise ScheduleError(None, f"ReduceOnPlateauLR: mode {self.rule} is unknown")
        if self.threshold_rule not in ("rel", "abs"):
            raise ScheduleError(None, f"ReduceOnPlateauLR: threshold mode {self.threshold_rule} is unknown")
        self.best: float = INF if self.rule == "less" else -INF  # mmengine's INF is int(1e9)
        self.bad = 0
        self.cooling = 0

    def better(self, metric: float) -> bool:
        if self.rule == "less":
            return (
                metric < self.best * (1.0 - self.threshold)
                if self.threshold_rule == "rel"
                else metric < self.best - self.threshold
            )
        return (
            metric > self.best * (self.threshold + 1.0)
            if self.threshold_rule == "rel"
            else metric > self.best + self.threshold
        )

    def validated(self, current: float, metric: float) -> float:
        if self.better(metric):
            self.best = metric
            self.bad = 0
        else:
            self.bad += 1
        if self.cooling > 0:
            self.cooling -= 1
            self.bad = 0
        if self.bad > self.patience:
            value = max(float(current) * self.factor, self.min_value)
            if current - value > self.eps:
                current = value
            self.cooling = self.cooldown
            self.bad = 0
        return current


@dataclass(frozen=True)
class Cls:
    """A scheduler class: its value factory, what ``convert_to_iter_based`` multiplies by the
    epoch length besides ``begin`` and ``end``, and whether that conversion truncates them."""

    factory: Callable[..., Any]
    scaled: tuple[str, ...] = ()
    truncates: bool = True


CLASSES = {
    "ConstantLR": Cls(constant_lr),
    "LinearLR": Cls(linear_lr),
    "StepLR": Cls(step_lr, ("step_size",)),
    "MultiStepLR": Cls(multistep_lr, ("milestones",)),
    "ExponentialLR": Cls(exponential_lr),
    "CosineAnnealingLR": Cls(cosine_annealing_lr, ("T_max",)),
    "PolyLR": Cls(poly_lr),
    "OneCycleLR": Cls(one_cycle_lr, ("total_steps",)),
    "CosineRestartLR": Cls(cosine_restart_lr, ("periods",)),
    "QuadraticWarmupLR": Cls(quadratic_warmup_lr, truncates=False),
    "ReduceOnPlateauLR": Cls(Plateau),
}
"""The LR scheduler classes by config ``type``; the momentum and weight decay ones
(``…Momentum``, ``…ParamScheduler``) share them."""


def build_window(config: dict[str, Any], epoch_length: int, default_end: Callable[[bool], int]) -> Window:
    """One ``param_scheduler`` entry built as the runner builds it: ``end`` defaulting to the
    loop's length, ``convert_to_iter_based`` multiplying by the epoch length."""
    config = dict(config)
    kind = config.pop("type", None)
    name = kind if isinstance(kind, str) else repr(kind)
    for suffix in ("Momentum", "ParamScheduler"):
        if isinstance(kind, str) and kind.endswith(suffix) and kind[: -len(suffix)] + "LR" in CLASSES:
            kind = kind[: -len(suffix)] + "LR"
    cls = CLASSES.get(kind)
    if cls is None:
        raise ScheduleError(
            None,
            f"unknown param_scheduler type {name} (lrcli knows {', '.join(CLASSES)}, their "
            "Momentum and ParamScheduler forms)",
        )
    for key in ("param_name", "last_step", "verbose", "_scope_"):
        config.pop(key, None)
    by_epoch = config.pop("by_epoch", True)
    convert = config.pop("convert_to_iter_based", False)
    config.setdefault("end", default_end(by_epoch))
    begin, end = config.pop("begin", 0), config.pop("end")
    if convert:
        if not by_epoch:
            raise ScheduleError(None, f"{name}: only by_epoch=True schedulers can be converted to iter-based")
        begin = int(begin * epoch_length) if cls.truncates else begin * epoch_length
        if end != INF:
            end = int(end * epoch_length) if cls.truncates else end * epoch_length
        for key in cls.scaled:
            if config.get(key) is not None:
                config[key] = (
                    [item * epoch_length for item in config[key]]
                    if isinstance(config[key], list)
                    else config[key] * epoch_length
                )
        by_epoch = False
    if cls.factory is Plateau:
        if convert or not by_epoch:
            raise ScheduleError(
                None, f"{name}: mmengine steps ReduceOnPlateauLR by epoch only (and cannot convert it to iterations)"
            )
        try:
            plateau = Plateau(**config)
        except TypeError as error:
            raise ScheduleError(None, f"{name}: {str(error).split(') ', 1)[-1]}") from None
        window = Window(name, lambda current, step, base: current, by_epoch, begin, end, plateau=plateau)
        window.global_step = 0  # its constructor does not step
        return window
    try:
        made = cls.factory(begin, end, **config)
    except TypeError as error:
        raise ScheduleError(None, f"{name}: {str(error).split(') ', 1)[-1]}") from None
    value, setup = made if isinstance(made, tuple) else (made, None)
    most = (config.get("total_steps") or end - begin) if cls.factory is one_cycle_lr else None
    return Window(name, value, by_epoch, begin, end, setup, most_steps=most)


@dataclass(frozen=True)
class Validation:
    """When an epoch-based loop validates (after epoch ``e``, counting from 1: from ``begin`` on,
    every ``interval`` epochs as ``dynamic`` changes it, and after the last) and the metric each
    validation reports, in order."""

    metrics: list[float]
    max_epochs: int
    interval: int = 1
    begin: int = 1
    dynamic: tuple[tuple[int, int], ...] = ()

    def after(self, epoch: int) -> bool:
        milestones = [0, *(milestone for milestone, _ in self.dynamic)]
        intervals = [self.interval, *(interval for _, interval in self.dynamic)]
        interval = intervals[bisect_right(milestones, epoch + 1) - 1]
        return epoch >= self.begin and (epoch % interval == 0 or epoch == self.max_epochs)


def param_schedule(
    windows: list[Callable[[], Window]],
    epoch_length: int | None,
    rows_per: int = 1,
    validation: Validation | None = None,
) -> Scheduler:
    """The schedulers of a config on one param group, as the training loop steps them: row
    ``k`` is the value in iteration ``k * rows_per`` (``rows_per`` is the epoch length for one
    row per epoch). ``windows`` builds fresh schedulers (each group has its own); ReduceOnPlateauLR
    takes the metrics of ``validation``."""

    def construct(group: Group) -> tuple[Group, Stepper]:
        built = [make() for make in windows]
        state = {"lr": group.lr, "initial": group.lr if group.initial_lr is None else group.initial_lr}
        bases = []
        for window in built:  # each constructor steps once, in list order (ReduceOnPlateauLR's does not)
            base = window.setup(state) if window.setup is not None else state["initial"]
            bases.append(base)
            if window.plateau is None:
                state["lr"] = _step(window, state["lr"], base)
        by_iter = [(window, base) for window, base in zip(built, bases) if not window.by_epoch]
        by_epoch = [(window, base) for window, base in zip(built, bases) if window.by_epoch]
        plateaus = [window for window in built if window.plateau is not None]
        done = {"iterations": 0, "epochs": 0, "validations": 0}

        def run(lr: float, first: int, stop: int) -> list[float]:
            values = []
            for _ in range(first, stop):
                for _ in range(rows_per):
                    for window, base in by_iter:
                        lr = _step(window, lr, base)
                    done["iterations"] += 1
                    if epoch_length and done["iterations"] % epoch_length == 0:
                        for window, base in by_epoch:
                            lr = _step(window, lr, base)
                        done["epochs"] += 1
                        if plateaus and validation is not None and validation.after(done["epochs"]):
                            lr = _validate(plateaus, lr, validation, done)
                values.append(lr)
            return values

        return group.at(state["lr"], state["initial"]), running(run)

    return construct


def _validate(plateaus: list[Window], lr: float, validation: Validation, done: dict[str, int]) -> float:
    """After a validation: each ReduceOnPlateauLR inside its window takes the metric."""
    index = done["validations"]
    if index >= len(validation.metrics):
        raise ScheduleError(
            "metrics",
            f"has {len(validation.metrics)} values; validation {index + 1} needs "
            "another (one per validation, in order)",
        )
    done["validations"] += 1
    for window in plateaus:
        plateau = window.plateau
        assert plateau is not None  # plateaus holds the ReduceOnPlateauLR windows
        if window.begin <= window.global_step < window.end:
            window.last_step += 1
            lr = plateau.validated(lr, validation.metrics[index])
    return lr


def _step(window: Window, lr: float, base: float) -> float:
    """``_ParamScheduler.step()``: count the step; inside the window, take it (ReduceOnPlateauLR
    only counts: it acts after validations)."""
    if window.plateau is not None:
        window.global_step += 1
        return lr
    window.global_step += 1
    if window.begin <= window.global_step < window.end:
        window.last_step += 1
        return window.value(lr, window.last_step, base)
    return lr


def param_name_of(config: dict[str, Any]) -> str:
    """The optimizer parameter a ``param_scheduler`` entry schedules.

    >>> param_name_of({"type": "LinearLR"}), param_name_of({"type": "CosineAnnealingMomentum"})
    ('lr', 'momentum')
    """
    kind = str(config.get("type", ""))
    if kind.endswith("Momentum"):
        return "momentum"
    if kind.endswith("ParamScheduler"):
        return str(config.get("param_name", ""))
    return "lr"


def mmengine_schedule(
    param_scheduler: list[dict[str, Any]],
    epoch_length: int | None,
    max_epochs: int | None,
    max_iters: int,
    rows_per: int = 1,
    validation: Validation | None = None,
) -> Scheduler:
    """The ``param_scheduler`` entries of a config (those of one parameter) as one scheduler on a
    param group: built as the runner builds them for a loop of ``max_epochs`` epochs of
    ``epoch_length`` iterations (or, ``max_epochs`` None, an iteration loop of ``max_iters``),
    stepped as its hooks step them.

    >>> from lrcli.engine.core import lr_values
    >>> warmup = {"type": "LinearLR", "start_factor": 0.5, "by_epoch": False, "begin": 0, "end": 2}
    >>> decay = {"type": "MultiStepLR", "milestones": [1], "by_epoch": True}
    >>> lr_values(mmengine_schedule([warmup, decay], 2, 2, 4), 1.0, 4)
    [0.5, 1.0, 0.1, 0.1]
    """
    for entry in param_scheduler:
        if not isinstance(entry, dict):
            raise ScheduleError(None, f"a param_scheduler entry is a dict with a type, got {entry!r}")
    needs_length = any(entry.get("convert_to_iter_based") for entry in param_scheduler)
    if needs_length and not epoch_length:
        raise ScheduleError(
            None, "convert_to_iter_based needs the iterations per epoch: give --iters-per-epoch, or --dataset-size"
        )

    def default_end(by_epoch: bool) -> int:
        if by_epoch:
            return max_epochs if max_epochs is not None else 1  # an iteration loop counts one epoch
        return max_iters

    def windows() -> list[Callable[[], Window]]:
        return [partial(build_window, entry, epoch_length or 1, default_end) for entry in param_scheduler]

    made = [make() for make in windows()]  # refuse a bad entry before any row is written
    if validation is None and any(window.plateau is not None for window in made):
        raise ScheduleError(None, "ReduceOnPlateauLR needs the metric of each validation: give --metrics")
    for window in made:
        # Training steps every scheduler after its last iteration and epoch too (an iteration
        # loop steps the epoch ones once, at its end): one stepped too far fails there.
        taken = max_iters if not window.by_epoch else max_epochs if max_epochs is not None else 1
        last = len(range(max(window.begin, 0), min(window.end, taken + 1))) - 1
        if window.most_steps is not None and last > window.most_steps:
            raise ScheduleError(
                None,
                f"{window.name}: mmengine fails when it is stepped the {last + 1}th time (the "
                f"specified number of total steps is {window.most_steps}), by the end of "
                "training",
            )
    # An iteration-based loop runs no epochs: its epoch schedulers step only after training.
    return param_schedule(windows(), epoch_length if max_epochs is not None else None, rows_per, validation)
