"""DeepSpeed's lr schedules (``deepspeed/runtime/lr_schedules.py``, 0.19.8), replayed.

DeepSpeed counts optimizer updates in ``last_batch_iteration`` (``k``): -1 when a scheduler is
built, then one ``step()`` after each update (at a gradient-accumulation boundary; skipped on an
fp16 overflow). Row ``u`` of a run is the lr update ``u`` trains with: row 0 is what the
constructor leaves in the param group, row ``u`` the lr ``step()`` sets when ``k`` becomes
``last_batch_iteration + u``. Every one of the five classes computes its lr from ``k`` and its own
parameters, never from the lr held, so each is a table.

DeepSpeed's quirks are kept: ``warmup_num_steps`` is raised to at least 2; the warmup is
logarithmic by default (``log(k + 1) / log(warmup_num_steps)``), and an unknown ``warmup_type``
means log (DeepSpeed only logs a warning); WarmupLR's constructor sets ``warmup_min_lr``, and
``k = 0`` gives it again, so the first two updates run at it; WarmupCosineLR scales the lr each
group holds when it is built, by 0.0 before its first step; OneCycle replaces the optimizer's
``betas`` by ``(momentum, 0.99)`` (only for an optimizer with ``betas``; for any other DeepSpeed
turns ``cycle_momentum`` off, so pass ``cycle_momentum=False`` for it).

One function per class, named after it, with DeepSpeed's parameter names and defaults, each for
one param group (a per-group list is split by :func:`deepspeed_schedulers`).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable

from lrcli.engine.core import Group, ScheduleError, Scheduler, Stepper, tabulated

LOG, LINEAR = "log", "linear"


def _real(name: str, value: object) -> None:
    """A finite real number (DeepSpeed does arithmetic with it; a string or ``None`` fails there)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ScheduleError(name, f"must be a finite number, got {value!r}")


def _positive_int(name: str, value: object) -> None:
    """DeepSpeed's check: ``isinstance(value, int)`` and ``value > 0`` (lrcli refuses a bool too)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ScheduleError(None, f"{name} must be a positive integer, got {value!r}")


def _resume(last_batch_iteration: object) -> int:
    if isinstance(last_batch_iteration, bool) or not isinstance(last_batch_iteration, int):
        raise ScheduleError("last_batch_iteration", f"must be a whole number, got {last_batch_iteration!r}")
    return last_batch_iteration


def _warmup_type(warmup_type: object) -> str:
    """DeepSpeed's two warmup shapes; anything else is log, with a warning (see :func:`deepspeed_warnings`)."""
    return warmup_type if warmup_type in (LOG, LINEAR) else LOG


Span = Callable[[range], list[float]]
"""``values(ks)``: a schedule's value at each ``k`` of a range, computed in bulk."""


def _table(
    k0: int, lrs: Span, first_lr: Callable[[Group], float], momentum: Callable[[int, int], list[float]] | None = None
) -> Scheduler:
    """A scheduler whose row ``u >= 1`` is ``lrs`` at ``k0 + u`` and whose constructor leaves
    ``first_lr(group)``."""

    def table(first: int, stop: int) -> list[float]:
        return lrs(range(k0 + first, k0 + stop))

    def construct(group: Group) -> tuple[Group, Stepper]:
        stepper = tabulated(table, momentum=momentum)
        return group.at(first_lr(group), group.initial_lr), stepper

    return construct


def _pointwise(value: Callable[[int], float]) -> Span:
    return lambda ks: [value(k) for k in ks]


def _pieces(ks: range, steps: int) -> tuple[range, range, range]:
    """The ``k`` before the first step, in the warmup and after it.

    >>> _pieces(range(-1, 5), 2)
    (range(-1, 0), range(0, 2), range(2, 5))
    """
    return (
        range(ks.start, min(ks.stop, 0)),
        range(max(ks.start, 0), min(ks.stop, steps)),
        range(max(ks.start, steps), max(ks.stop, steps)),
    )


def _warmup_gammas(warmup_num_steps: int, warmup_type: str) -> Span:
    """The warmup's fraction at each ``k < warmup_num_steps``, as ``_get_gamma`` computes it."""
    inverse_log_warm_up = 1.0 / math.log(warmup_num_steps)
    log = math.log
    if warmup_type == LOG:
        return lambda ks: [inverse_log_warm_up * log(k + 1) for k in ks]
    return lambda ks: [k / warmup_num_steps for k in ks]


def _warmup(
    warmup_min_lr: float,
    warmup_max_lr: float | None,
    warmup_num_steps: int,
    warmup_type: str,
    last_batch_iteration: int,
    after: Callable[[int], Span],
) -> Scheduler:
    """WarmupLR and WarmupDecayLR: ``min + delta * gamma(k)``, ``gamma`` the warmup's fraction
    below ``warmup_num_steps`` and ``after(steps)`` from there; ``min`` before the first step."""
    _positive_int("warmup_num_steps", warmup_num_steps)
    _real("warmup_min_lr", warmup_min_lr)
    if warmup_max_lr is not None:
        _real("warmup_max_lr", warmup_max_lr)
    k0 = _resume(last_batch_iteration)
    steps = max(2, warmup_num_steps)
    warming, later = _warmup_gammas(steps, _warmup_type(warmup_type)), after(steps)

    def construct(group: Group) -> tuple[Group, Stepper]:
        max_lr = group.lr if warmup_max_lr is None else warmup_max_lr  # WarmupLR's default: the group's lr
        delta_lr = max_lr - warmup_min_lr

        def lrs(ks: range) -> list[float]:
            before, warm, rest = _pieces(ks, steps)
            gammas = warming(warm) + later(rest)
            return [warmup_min_lr] * len(before) + [warmup_min_lr + (delta_lr * gamma) for gamma in gammas]

        return _table(k0, lrs, lambda group: lrs(range(k0, k0 + 1))[0] if k0 == -1 else group.lr)(group)

    return construct


def warmup_lr(
    warmup_min_lr: float = 0.0,
    warmup_max_lr: float | None = None,
    warmup_num_steps: int = 1000,
    warmup_type: str = LOG,
    last_batch_iteration: int = -1,
) -> Scheduler:
    """``WarmupLR``: from ``warmup_min_lr`` up to ``warmup_max_lr`` (by default the group's lr)
    over ``warmup_num_steps`` updates (at least 2), then there.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(warmup_lr(warmup_max_lr=0.001, warmup_num_steps=5), 0.1, 7)
    [0.0, 0.0, 0.00043067655807339306, 0.0006826061944859854, 0.0008613531161467861, 0.001, 0.001]
    """
    return _warmup(
        warmup_min_lr,
        warmup_max_lr,
        warmup_num_steps,
        warmup_type,
        last_batch_iteration,
        after=lambda steps: lambda ks: [1.0] * len(ks),
    )


def warmup_decay_lr(
    total_num_steps: int,
    warmup_min_lr: float = 0.0,
    warmup_max_lr: float = 0.001,
    warmup_num_steps: int = 1000,
    warmup_type: str = LOG,
    last_batch_iteration: int = -1,
) -> Scheduler:
    """``WarmupDecayLR``: WarmupLR's warmup (to 0.001 by default, not the group's lr), then down in
    a straight line to ``warmup_min_lr`` at ``total_num_steps``, and there.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(warmup_decay_lr(4, warmup_max_lr=1.0, warmup_num_steps=2, warmup_type="linear"), 0.1, 6)
    [0.0, 0.0, 0.5, 1.0, 0.5, 0.0]
    """
    _real("total_num_steps", total_num_steps)

    def after(steps: int) -> Span:
        span = float(max(1.0, total_num_steps - steps))

        def gammas(ks: range) -> list[float]:
            """``max(0.0, float(total_num_steps - k) / span)``: the quotient itself up to
            ``total_num_steps`` (where it is >= 0), 0.0 after."""
            down = range(ks.start, max(ks.start, min(ks.stop, math.floor(total_num_steps) + 1)))
            return [float(total_num_steps - k) / span for k in down] + [0.0] * (len(ks) - len(down))

        return gammas

    return _warmup(warmup_min_lr, warmup_max_lr, warmup_num_steps, warmup_type, last_batch_iteration, after)


def warmup_cosine_lr(
    total_num_steps: int,
    warmup_min_ratio: float = 0.0,
    warmup_num_steps: int = 1000,
    cos_min_ratio: float = 0.0001,
    warmup_type: str = LOG,
    last_batch_iteration: int = -1,
) -> Scheduler:
    """``WarmupCosineLR``: a ratio of the lr the group holds when it is built (0.0 before the first
    step): from ``warmup_min_ratio`` up to 1 over ``warmup_num_steps`` updates (at least 2), then a
    half cosine down to ``cos_min_ratio`` at ``total_num_steps``, and there.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(warmup_cosine_lr(4, warmup_num_steps=2, cos_min_ratio=0.0, warmup_type="linear"), 2.0, 6)
    [0.0, 0.0, 1.0, 1.0, 0.0, 0.0]
    """
    _positive_int("warmup_num_steps", warmup_num_steps)
    _real("total_num_steps", total_num_steps)
    _real("warmup_min_ratio", warmup_min_ratio)
    _real("cos_min_ratio", cos_min_ratio)
    k0 = _resume(last_batch_iteration)
    steps = max(2, warmup_num_steps)
    warming = _warmup_gammas(steps, _warmup_type(warmup_type))
    warmup_delta = 1.0 - warmup_min_ratio
    real_total_steps = max(1, total_num_steps - steps)
    cos_delta = 1.0 - cos_min_ratio
    cos, pi = math.cos, math.pi

    last = math.floor(real_total_steps) + steps - 1
    """The last ``k`` whose progress ``(k - steps + 1) / real_total_steps`` is at most 1 (``min``
    leaves it as it is; after it, the progress is 1.0)."""

    def construct(group: Group) -> tuple[Group, Stepper]:
        org_lr = group.lr
        end = org_lr * max(0.0, cos_min_ratio + cos_delta * ((1 + cos(pi * 1.0)) / 2))

        def lrs(ks: range) -> list[float]:
            """``org_lr * get_lr_ratio(k)``: 0.0 before the first step."""
            before, warm, rest = _pieces(ks, steps)
            falling = range(rest.start, max(rest.start, min(rest.stop, last + 1)))
            if 0.0 <= cos_min_ratio <= 1.0:  # the ratio is >= 0 there: max(0.0, ·) leaves it
                cosine = [
                    org_lr * (cos_min_ratio + cos_delta * ((1 + cos(pi * ((k - steps + 1) / real_total_steps))) / 2))
                    for k in falling
                ]
            else:
                cosine = [
                    org_lr
                    * max(0.0, cos_min_ratio + cos_delta * ((1 + cos(pi * ((k - steps + 1) / real_total_steps))) / 2))
                    for k in falling
                ]
            return (
                [0.0] * len(before)
                + [org_lr * (warmup_min_ratio + ratio * warmup_delta) for ratio in warming(warm)]
                + cosine
                + [end] * (len(rest) - len(falling))
            )

        return _table(k0, lrs, lambda group: lrs(range(k0, k0 + 1))[0] if k0 == -1 else group.lr)(group)

    return construct


def one_cycle(
    cycle_min_lr: float,
    cycle_max_lr: float,
    decay_lr_rate: float = 0.0,
    cycle_first_step_size: int = 2000,
    cycle_second_step_size: int | None = None,
    cycle_first_stair_count: int = 0,
    cycle_second_stair_count: int | None = None,
    decay_step_size: int = 0,
    cycle_momentum: bool = True,
    cycle_min_mom: float = 0.8,
    cycle_max_mom: float = 0.9,
    decay_mom_rate: float = 0.0,
    last_batch_iteration: int = -1,
) -> Scheduler:
    """``OneCycle``: up from ``cycle_min_lr`` to ``cycle_max_lr`` in ``cycle_first_step_size``
    updates, down again in ``cycle_second_step_size`` (in stairs with the stair counts), then
    ``cycle_min_lr / (1 + decay_lr_rate * n / decay_step_size)`` ``n`` updates after the cycle
    (``cycle_min_lr`` without decay). ``cycle_momentum`` moves ``betas[0]`` the other way, from
    ``cycle_min_mom`` (set by the constructor) through ``cycle_max_mom`` and back, then
    ``cycle_max_mom * (1 + decay_mom_rate * n / decay_step_size)``.

    >>> from lrcli.engine.core import GroupReplay
    >>> replay = GroupReplay(one_cycle(0.1, 0.5, cycle_first_step_size=2), 9.0)
    >>> list(replay.chunks(6)), replay.stepper.momentum(0, 6)
    ([[0.1, 0.30000000000000004, 0.5, 0.30000000000000004, 0.1, 0.1]], [0.8, 0.8500000000000001, 0.8, 0.8500000000000001, 0.9, 0.9])
    """
    momentum_params = (
        (("cycle_min_mom", cycle_min_mom), ("cycle_max_mom", cycle_max_mom), ("decay_mom_rate", decay_mom_rate))
        if cycle_momentum
        else ()
    )  # else DeepSpeed never reads them
    for name, value in (
        ("cycle_min_lr", cycle_min_lr),
        ("cycle_max_lr", cycle_max_lr),
        ("decay_lr_rate", decay_lr_rate),
        ("cycle_first_step_size", cycle_first_step_size),
        ("cycle_first_stair_count", cycle_first_stair_count),
        ("decay_step_size", decay_step_size),
        *momentum_params,
    ):
        _real(name, value)
    for name, value in (
        ("cycle_second_step_size", cycle_second_step_size),
        ("cycle_second_stair_count", cycle_second_stair_count),
    ):
        if value is not None:
            _real(name, value)
    k0 = _resume(last_batch_iteration)
    first_step_size = float(cycle_first_step_size)
    second_step_size = float(cycle_second_step_size) if cycle_second_step_size is not None else first_step_size
    if first_step_size <= 0:
        raise ScheduleError(None, f"cycle_first_step_size must be positive, got {first_step_size}")
    if second_step_size < 0:
        raise ScheduleError(None, f"cycle_second_step_size must be non-negative, got {second_step_size}")
    total_size = first_step_size + second_step_size
    step_ratio = first_step_size / total_size
    first_stair_count = cycle_first_stair_count
    second_stair_count = cycle_first_stair_count if cycle_second_stair_count is None else cycle_second_stair_count
    no_decay = math.isclose(decay_step_size, 0)
    skip_lr_decay = no_decay or math.isclose(decay_lr_rate, 0)
    skip_mom_decay = no_decay or not cycle_momentum or math.isclose(decay_mom_rate, 0)

    def scale_factor(k: int) -> float:
        batch_iteration = k + 1
        cycle = math.floor(1 + batch_iteration / total_size)
        x = 1.0 + batch_iteration / total_size - cycle
        if x <= step_ratio:
            scale = x / step_ratio
            stair_count = first_stair_count
        else:
            scale = (x - 1) / (step_ratio - 1)
            stair_count = second_stair_count
        if stair_count > 0:
            cycle_iteration = batch_iteration % total_size
            if cycle_iteration <= first_step_size:
                stair_position = cycle_iteration * stair_count / first_step_size
            else:
                stair_position = (total_size - cycle_iteration) * stair_count / second_step_size
            scale = math.floor(stair_position) / stair_count
        return scale

    def lr_at(k: int) -> float:
        if k < total_size:
            base_height = (cycle_max_lr - cycle_min_lr) * scale_factor(k)
            return cycle_min_lr + base_height
        if skip_lr_decay:
            return cycle_min_lr
        decay_interval = (k - total_size + 1) / decay_step_size
        return cycle_min_lr / (1 + decay_lr_rate * decay_interval)

    def momentum_at(k: int) -> float:
        if k < total_size:
            base_height = (cycle_max_mom - cycle_min_mom) * scale_factor(k)
            return cycle_max_mom - base_height
        if skip_mom_decay:
            return cycle_max_mom
        decay_interval = (k - total_size + 1) / decay_step_size
        return cycle_max_mom * (1 + decay_mom_rate * decay_interval)

    def momentum(first: int, stop: int) -> list[float]:
        if first == 0 < stop and k0 != -1:
            raise ScheduleError(
                None,
                "OneCycle built with last_batch_iteration leaves the optimizer's own betas "
                "until its first step; lrcli does not know them",
            )
        return [cycle_min_mom] * (first == 0 < stop) + [momentum_at(k) for k in range(k0 + max(first, 1), k0 + stop)]

    return _table(
        k0,
        _pointwise(lr_at),
        lambda group: cycle_min_lr if k0 == -1 else group.lr,
        momentum if cycle_momentum else None,
    )


def lr_range_test(
    lr_range_test_min_lr: float = 1e-3,
    lr_range_test_step_size: int = 2000,
    lr_range_test_step_rate: float = 1.0,
    lr_range_test_staircase: bool = False,
    last_batch_iteration: int = -1,
) -> Scheduler:
    """``LRRangeTest``: ``lr_range_test_min_lr * (1 + lr_range_test_step_rate * interval)``,
    ``interval`` the updates taken over ``lr_range_test_step_size`` (whole intervals with
    ``lr_range_test_staircase``); ``lr_range_test_min_lr`` before the first step.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(lr_range_test(1.0, 2, lr_range_test_staircase=True), 0.1, 5)
    [1.0, 1.0, 2.0, 2.0, 3.0]
    """
    _real("lr_range_test_min_lr", lr_range_test_min_lr)
    _positive_int("lr_range_test_step_size", lr_range_test_step_size)
    _real("lr_range_test_step_rate", lr_range_test_step_rate)
    k0 = _resume(last_batch_iteration)

    def interval(k: int) -> float:
        if lr_range_test_staircase:
            return math.floor(float(k + 1) / lr_range_test_step_size)
        return float(k + 1) / lr_range_test_step_size

    def lr_at(k: int) -> float:
        return lr_range_test_min_lr * (1 + lr_range_test_step_rate * interval(k))

    return _table(k0, _pointwise(lr_at), lambda group: lr_range_test_min_lr if k0 == -1 else group.lr)


CLASSES: dict[str, Callable[..., Scheduler]] = {
    "WarmupLR": warmup_lr,
    "WarmupDecayLR": warmup_decay_lr,
    "WarmupCosineLR": warmup_cosine_lr,
    "OneCycle": one_cycle,
    "LRRangeTest": lr_range_test,
}
"""The five classes by the name a config's ``"scheduler": {"type": …}`` gives them."""

PER_GROUP: dict[str, dict[str, str]] = {
    "WarmupLR": {"warmup_min_lr": "min_lr", "warmup_max_lr": "max_lr"},
    "WarmupDecayLR": {"warmup_min_lr": "min_lr", "warmup_max_lr": "max_lr"},
    "WarmupCosineLR": {},
    "OneCycle": {
        "cycle_min_lr": "cycle_min_lr",
        "cycle_max_lr": "cycle_max_lr",
        "cycle_min_mom": "cycle_min_mom",
        "cycle_max_mom": "cycle_max_mom",
    },
    "LRRangeTest": {"lr_range_test_min_lr": "lr_range_test_min_lr"},
}
"""The parameters each class takes as one value or a list of one per param group, and the name
DeepSpeed's length check gives each."""


def _parameters(function: Callable[..., object]) -> tuple[list[str], list[str]]:
    """A class's parameter names, and those without a default."""
    parameters = inspect.signature(function).parameters.values()
    return [p.name for p in parameters], [p.name for p in parameters if p.default is inspect.Parameter.empty]


def deepspeed_schedulers(name: str, params: dict[str, object], groups: int) -> list[Scheduler]:
    """DeepSpeed's ``scheduler(optimizer, **params)`` on an optimizer of ``groups`` param groups:
    one scheduler per group, a per-group list split as DeepSpeed's ``_format_param`` does (a list
    or tuple of exactly one value per group; anything else is the same for every group).

    >>> from lrcli.engine.core import lr_values
    >>> first, second = deepspeed_schedulers("LRRangeTest", {"lr_range_test_min_lr": [1.0, 2.0]}, 2)
    >>> lr_values(first, 0.1, 2), lr_values(second, 0.1, 2)
    ([1.0, 1.0005], [2.0, 2.001])
    >>> deepspeed_schedulers("WarmupLR", {"warmup_min_lr": [0.0]}, 2)
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: expected 2 value for min_lr, got 1
    """
    function = CLASSES.get(name)
    if function is None:
        raise ScheduleError(None, f"DeepSpeed has no lr schedule {name!r} (it has {', '.join(CLASSES)})")
    names, required = _parameters(function)
    unknown = [key for key in params if key not in names]
    if unknown:
        raise ScheduleError(
            None, f"{name} got an unexpected keyword argument {unknown[0]!r} (it takes {', '.join(names)})"
        )
    missing = [key for key in required if key not in params]
    if missing:
        raise ScheduleError(None, f"{name} is missing the required argument {missing[0]!r}")
    columns = {}
    unread = ("cycle_min_mom", "cycle_max_mom") if name == "OneCycle" and not params.get("cycle_momentum", True) else ()
    for key, value in params.items():
        if key in PER_GROUP[name] and key not in unread and isinstance(value, (list, tuple)):
            if len(value) != groups:
                label = PER_GROUP[name][key]
                if name == "LRRangeTest":
                    raise ScheduleError(None, f"expected {groups} {label}, got {len(value)}")
                raise ScheduleError(None, f"expected {groups} value for {label}, got {len(value)}")
            columns[key] = list(value)
        else:
            columns[key] = [value] * groups
    return [function(**{key: values[group] for key, values in columns.items()}) for group in range(groups)]


def deepspeed_warnings(name: str, params: dict[str, object], has_betas: bool = True) -> list[str]:
    """What DeepSpeed only logs about a schedule it runs anyway (``has_betas``: whether the
    optimizer has ``betas``, which OneCycle's momentum needs).

    >>> deepspeed_warnings("WarmupLR", {"warmup_type": "cosine"})
    ['Using unknown warmup_type: cosine. The increasing function is set to default (log)']
    """
    notes = []
    warmup_type = params.get("warmup_type", LOG)
    if name in ("WarmupLR", "WarmupDecayLR", "WarmupCosineLR") and warmup_type not in (LOG, LINEAR):
        notes.append(f"Using unknown warmup_type: {warmup_type}. The increasing function is set to default (log)")
    if name in ("WarmupDecayLR", "WarmupCosineLR"):
        total, warmup = params.get("total_num_steps"), params.get("warmup_num_steps", 1000)
        if isinstance(total, (int, float)) and isinstance(warmup, int) and total < max(2, warmup):
            notes.append(f"total_num_steps {total} is less than warmup_num_steps {warmup}")
    if name == "OneCycle" and params.get("cycle_momentum", True) and not has_betas:
        notes.append(
            "cycle_momentum is disabled because the optimizer does not support momentum, no betas attribute in defaults"
        )
    return notes
