"""timm's schedulers (``timm.scheduler``, as of 1.0.31), as ``train.py`` builds and steps them.

Each function takes ``train.py``'s flags (under their argparse names) and does what
``create_scheduler_v2(**scheduler_kwargs(args))`` does with them: epochs become updates with
``sched_on_updates`` (times ``updates_per_epoch``), noise ranges become steps, then the scheduler's
constructor sets each group's lr to ``warmup_lr`` (with warmup) or leaves its raw base lr.
``train.py`` then calls ``step(epoch + 1)`` after each epoch, or ``step_update(num_updates)``
after each optimizer update: row ``t`` (from 1) is the scheduler's closed form at ``t`` (its
``_get_lr``), with noise ``lr + lr * noise(t)`` where the noise range covers ``t``. Row 0 is
what the constructor left, not ``_get_lr(0)``.

timm's own expressions are kept as written (ints where timm has ints, ``x ** k`` with a float
``k``, Python's ``round`` and ``math.log(x, base)``), and so are its quirks: ``multistep``
decays one step before each milestone (``bisect_right(milestones, t + 1)``), and without
``warmup_prefix`` the warmup counts towards the schedule, which then starts part-way along its
curve (``tanh`` even ramps its warmup to that point of the curve instead of to the base lr).
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from lrcli.engine.core import Group, ScheduleError, Scheduler, Stepper, choice, number, running, tabulated, whole
from lrcli.engine.torch.plateau import reduce_lr_on_plateau

DECAY_FNS = ("linear", "1-sqrt", "cosine", "power", "exp")
MAX_EXPECTED_DRAWS = 1000
"""Noise whose rejection loop takes more draws a step on average is refused (bounded work)."""
MAX_NOISE_DRAWS = 1_000_000
"""And a step that still takes more draws stops the run."""
"""The decay shapes of timm's WSD scheduler (``--lr-decay-fn``)."""


Length = TypeVar("Length", int, float)

NoiseArgs = tuple[Sequence[float] | None, float, float, int]
"""``(lr_noise, lr_noise_pct, lr_noise_std, seed)``, as :func:`noise_of` takes them."""


@dataclass(frozen=True)
class Timing:
    """The steps a schedule counts in: epochs, or optimizer updates with ``sched_on_updates``
    (``create_scheduler_v2`` multiplies every length in epochs by ``updates_per_epoch``)."""

    per: int

    def __call__(self, epochs: Length) -> Length:
        return epochs * self.per


def timing(sched_on_updates: bool, updates_per_epoch: int) -> Timing:
    if not sched_on_updates:
        return Timing(1)
    whole("updates_per_epoch", updates_per_epoch, 1)
    return Timing(updates_per_epoch)


@dataclass(frozen=True)
class Noise:
    """timm's lr noise: where it applies (``range_t``: from a step on, or ``[start, stop)``),
    and the normal draw it makes at step ``t``, from a torch generator seeded ``seed + t``,
    redrawn until ``abs(noise) < pct``."""

    range_t: float | list[float] | None
    pct: float
    std: float
    seed: int

    def applies(self, t: int) -> bool:
        if self.range_t is None:
            return False
        if isinstance(self.range_t, list):
            return self.range_t[0] <= t < self.range_t[1]
        return t >= self.range_t

    def __call__(self, t: int) -> float:
        from lrcli.engine.torch_random import TorchNormal  # only where noise is drawn

        normal = TorchNormal(self.seed + t)
        for _ in range(MAX_NOISE_DRAWS):
            noise = normal.draw() * self.std
            if abs(noise) < self.pct:
                return noise
        raise ScheduleError(
            "lr_noise_pct",
            f"timm draws more than {MAX_NOISE_DRAWS:,} normals at step {t} before one is within it; lrcli stops there",
        )


def noise_of(
    lr_noise: Sequence[float] | None, lr_noise_pct: float, lr_noise_std: float, seed: int, t_initial: int
) -> Noise:
    """The noise ``create_scheduler_v2`` sets up: ``lr_noise`` as fractions of ``t_initial``."""
    range_t: float | list[float] | None = None
    if lr_noise is not None:
        range_t = [fraction * t_initial for fraction in lr_noise]
        if len(range_t) == 1:
            range_t = range_t[0]
        elif not range_t:
            raise ScheduleError("lr_noise", "must hold one or two fractions of the schedule, got none")
    if range_t is not None:
        number("lr_noise_pct", lr_noise_pct)
        number("lr_noise_std", lr_noise_std)
        # timm redraws until |noise| < pct: 1 / P(|N(0, std)| < pct) draws a step on average
        accepted = (
            1.0
            if lr_noise_std == 0 and lr_noise_pct > 0
            else (
                math.erf(lr_noise_pct / (abs(lr_noise_std) * math.sqrt(2)))
                if lr_noise_pct > 0 and lr_noise_std
                else 0.0
            )
        )
        if accepted < 1 / MAX_EXPECTED_DRAWS:
            draws = "forever" if accepted == 0 else f"about {1 / accepted:,.3g} normals a step"
            raise ScheduleError(
                "lr_noise_pct",
                f"{lr_noise_pct!r} with lr_noise_std {lr_noise_std!r}: timm would draw "
                f"{draws} until one is within it; lrcli takes at most "
                f"{MAX_EXPECTED_DRAWS:,} on average",
            )
    whole("seed", seed, 0)
    return Noise(range_t, lr_noise_pct, lr_noise_std, seed)


def _closed_form(
    get_lr: Callable[[float, int], float],
    warmup_t: int,
    warmup_lr_init: float,
    noise: Noise,
    warmup_target: Callable[[float], float] | None = None,
) -> Scheduler:
    """A timm scheduler on one param group: the constructor's lr, then ``get_lr(base_lr, t)`` after
    a linear warmup from ``warmup_lr_init`` over ``warmup_t`` steps (towards ``base_lr``, or
    ``warmup_target(base_lr)``), with the noise."""

    def construct(group: Group) -> tuple[Group, Stepper]:
        base = group.lr if group.initial_lr is None else group.initial_lr
        if warmup_t:
            target = base if warmup_target is None else warmup_target(base)
            step = (target - warmup_lr_init) / warmup_t
            first = warmup_lr_init
        else:
            first = base

        def value(t: int) -> float:
            lr = warmup_lr_init + t * step if t < warmup_t else get_lr(base, t)
            return lr + lr * noise(t) if noise.applies(t) else lr

        def table(start: int, stop: int) -> list[float]:
            return [value(t) for t in range(start, stop)]

        return group.at(first, base), tabulated(table, update_lr_0=None)

    return construct


def _cycle(t: int, t_initial: int, cycle_mul: float) -> tuple[int, float, float]:
    """The cycle ``i`` step ``t`` falls in, the cycle's length and the steps into it."""
    if cycle_mul != 1:
        try:
            i = math.floor(math.log(1 - t / t_initial * (1 - cycle_mul), cycle_mul))
        except ValueError:  # math domain error: timm fails at this step too
            raise ScheduleError(
                "lr_cycle_mul", f"{cycle_mul!r} puts step {t} outside every cycle (a math domain error in timm too)"
            ) from None
        return i, cycle_mul**i * t_initial, t - (1 - cycle_mul**i) / (1 - cycle_mul) * t_initial
    i = t // t_initial
    return i, t_initial, t - (t_initial * i)


def _cycle_length(t_initial: int, cycle_mul: float, cycle_limit: int, warmup_t: int, warmup_prefix: bool) -> int:
    cycles = max(1, cycle_limit)
    if cycle_mul == 1.0:
        t = t_initial * cycles
    else:
        t = int(math.floor(-t_initial * (cycle_mul**cycles - 1) / (1 - cycle_mul)))
    return t + warmup_t if warmup_prefix else t


def _cyclic(
    shape: Callable[[float, float, float], float],
    epochs: int,
    warmup_epochs: int,
    warmup_lr: float,
    warmup_prefix: bool,
    min_lr: float,
    lr_cycle_mul: float,
    lr_cycle_decay: float,
    lr_cycle_limit: int,
    noise: NoiseArgs,
    sched_on_updates: bool,
    updates_per_epoch: int,
    warmup_to_curve: bool = False,
) -> Scheduler:
    """cosine, tanh and poly: ``shape(lr_max, t_curr, t_i)`` in each cycle, ``min_lr`` after the last."""
    scale = timing(sched_on_updates, updates_per_epoch)
    t_initial, warmup_t = scale(epochs), scale(warmup_epochs)
    if not t_initial > 0:
        raise ScheduleError("epochs", f"must be > 0 (timm asserts t_initial > 0), got {epochs!r}")
    number("min_lr", min_lr, 0)

    def get_lr(base: float, t: int) -> float:
        if warmup_prefix:
            t = t - warmup_t
        i, t_i, t_curr = _cycle(t, t_initial, lr_cycle_mul)
        if i < lr_cycle_limit:
            return shape(base * lr_cycle_decay**i, t_curr, t_i)
        return min_lr

    target = (lambda base: get_lr(base, warmup_t)) if warmup_to_curve and not warmup_prefix else None
    return _closed_form(get_lr, warmup_t, warmup_lr, noise_of(*noise, t_initial), target)


def cosine(
    epochs: int = 300,
    warmup_epochs: int = 5,
    warmup_lr: float = 1e-5,
    warmup_prefix: bool = False,
    cooldown_epochs: int = 0,
    min_lr: float = 0.0,
    lr_cycle_mul: float = 1.0,
    lr_cycle_decay: float = 0.5,
    lr_cycle_limit: int = 1,
    lr_k_decay: float = 1.0,
    lr_noise: list[float] | None = None,
    lr_noise_pct: float = 0.67,
    lr_noise_std: float = 1.0,
    seed: int = 42,
    sched_on_updates: bool = False,
    updates_per_epoch: int = 0,
) -> Scheduler:
    """``--sched cosine`` (``CosineLRScheduler``): ``min_lr + (lr_max - min_lr) * (1 + cos(π t^k /
    T^k)) / 2`` within each cycle, ``lr_max`` the base lr times ``lr_cycle_decay`` per cycle.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(cosine(epochs=4, warmup_epochs=1, warmup_lr=0.0, warmup_prefix=True), 1.0, 5)
    [0.0, 1.0, 0.8535533905932737, 0.5, 0.14644660940672627]
    """

    def shape(lr_max: float, t_curr: float, t_i: float) -> float:
        k = lr_k_decay
        return min_lr + 0.5 * (lr_max - min_lr) * (1 + math.cos(math.pi * t_curr**k / t_i**k))

    return _cyclic(
        shape,
        epochs,
        warmup_epochs,
        warmup_lr,
        warmup_prefix,
        min_lr,
        lr_cycle_mul,
        lr_cycle_decay,
        lr_cycle_limit,
        (lr_noise, lr_noise_pct, lr_noise_std, seed),
        sched_on_updates,
        updates_per_epoch,
    )


def tanh(
    epochs: int = 300,
    warmup_epochs: int = 5,
    warmup_lr: float = 1e-5,
    warmup_prefix: bool = False,
    cooldown_epochs: int = 0,
    min_lr: float = 0.0,
    lr_cycle_mul: float = 1.0,
    lr_cycle_decay: float = 0.5,
    lr_cycle_limit: int = 1,
    lr_noise: list[float] | None = None,
    lr_noise_pct: float = 0.67,
    lr_noise_std: float = 1.0,
    seed: int = 42,
    sched_on_updates: bool = False,
    updates_per_epoch: int = 0,
) -> Scheduler:
    """``--sched tanh`` (``TanhLRScheduler``, bounds -7 and 3): ``min_lr + (lr_max - min_lr) *
    (1 - tanh(-7 (1 - r) + 3 r)) / 2``, ``r`` the fraction of the cycle done.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(tanh(epochs=2, warmup_epochs=0), 1.0, 3)
    [1.0, 0.9820137900379085, 0.0]
    """
    if lr_cycle_limit < 0 or warmup_epochs < 0 or warmup_lr < 0:
        raise ScheduleError(None, "timm's TanhLRScheduler asserts cycle_limit, warmup_t and warmup_lr_init >= 0")

    def shape(lr_max: float, t_curr: float, t_i: float) -> float:
        tr = t_curr / t_i
        return min_lr + 0.5 * (lr_max - min_lr) * (1 - math.tanh(-7.0 * (1.0 - tr) + 3.0 * tr))

    return _cyclic(
        shape,
        epochs,
        warmup_epochs,
        warmup_lr,
        warmup_prefix,
        min_lr,
        lr_cycle_mul,
        lr_cycle_decay,
        lr_cycle_limit,
        (lr_noise, lr_noise_pct, lr_noise_std, seed),
        sched_on_updates,
        updates_per_epoch,
        warmup_to_curve=True,
    )


def poly(
    epochs: int = 300,
    warmup_epochs: int = 5,
    warmup_lr: float = 1e-5,
    warmup_prefix: bool = False,
    cooldown_epochs: int = 0,
    min_lr: float = 0.0,
    decay_rate: float = 0.1,
    lr_cycle_mul: float = 1.0,
    lr_cycle_decay: float = 0.5,
    lr_cycle_limit: int = 1,
    lr_k_decay: float = 1.0,
    lr_noise: list[float] | None = None,
    lr_noise_pct: float = 0.67,
    lr_noise_std: float = 1.0,
    seed: int = 42,
    sched_on_updates: bool = False,
    updates_per_epoch: int = 0,
) -> Scheduler:
    """``--sched poly`` (``PolyLRScheduler``, ``decay_rate`` as the power): ``min_lr + (lr_max -
    min_lr) * (1 - t^k / T^k) ** decay_rate`` within each cycle.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(poly(epochs=4, warmup_epochs=0, decay_rate=2.0), 1.0, 5)
    [1.0, 0.5625, 0.25, 0.0625, 0.0]
    """

    def shape(lr_max: float, t_curr: float, t_i: float) -> float:
        k = lr_k_decay
        remaining: float = (1 - t_curr**k / t_i**k) ** decay_rate
        return min_lr + (lr_max - min_lr) * remaining

    return _cyclic(
        shape,
        epochs,
        warmup_epochs,
        warmup_lr,
        warmup_prefix,
        min_lr,
        lr_cycle_mul,
        lr_cycle_decay,
        lr_cycle_limit,
        (lr_noise, lr_noise_pct, lr_noise_std, seed),
        sched_on_updates,
        updates_per_epoch,
    )


def step(
    epochs: int = 300,
    decay_epochs: float = 90,
    decay_rate: float = 0.1,
    warmup_epochs: int = 5,
    warmup_lr: float = 1e-5,
    warmup_prefix: bool = False,
    cooldown_epochs: int = 0,
    lr_noise: list[float] | None = None,
    lr_noise_pct: float = 0.67,
    lr_noise_std: float = 1.0,
    seed: int = 42,
    sched_on_updates: bool = False,
    updates_per_epoch: int = 0,
) -> Scheduler:
    """``--sched step`` (``StepLRScheduler``): ``base_lr * decay_rate ** (t // decay_epochs)``.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(step(decay_epochs=2, decay_rate=0.5, warmup_epochs=0), 1.0, 5)
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """
    scale = timing(sched_on_updates, updates_per_epoch)
    warmup_t, decay_t = scale(warmup_epochs), scale(decay_epochs)

    def get_lr(base: float, t: int) -> float:
        if warmup_prefix:
            t = t - warmup_t
        decayed: float = decay_rate ** (t // decay_t)
        return base * decayed

    return _closed_form(
        get_lr, warmup_t, warmup_lr, noise_of(lr_noise, lr_noise_pct, lr_noise_std, seed, scale(epochs))
    )


def constant(
    epochs: int = 300,
    warmup_epochs: int = 5,
    warmup_lr: float = 1e-5,
    warmup_prefix: bool = False,
    cooldown_epochs: int = 0,
    lr_noise: list[float] | None = None,
    lr_noise_pct: float = 0.67,
    lr_noise_std: float = 1.0,
    seed: int = 42,
    sched_on_updates: bool = False,
    updates_per_epoch: int = 0,
) -> Scheduler:
    """``--sched constant``: the warmup, then the base lr (a ``StepLRScheduler`` that never decays:
    ``base_lr * 1.0 ** (t // 1)``).

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(constant(warmup_epochs=2, warmup_lr=0.0), 1.0, 4)
    [0.0, 0.5, 1.0, 1.0]
    """
    scale = timing(sched_on_updates, updates_per_epoch)
    warmup_t = scale(warmup_epochs)

    def get_lr(base: float, t: int) -> float:
        if warmup_prefix:
            t = t - warmup_t
        return base * (1.0 ** (t // 1))

    return _closed_form(
        get_lr, warmup_t, warmup_lr, noise_of(lr_noise, lr_noise_pct, lr_noise_std, seed, scale(epochs))
    )


def multistep(
    epochs: int = 300,
    decay_milestones: Sequence[int] = (90, 180, 270),
    decay_rate: float = 0.1,
    warmup_epochs: int = 5,
    warmup_lr: float = 1e-5,
    warmup_prefix: bool = False,
    cooldown_epochs: int = 0,
    lr_noise: list[float] | None = None,
    lr_noise_pct: float = 0.67,
    lr_noise_std: float = 1.0,
    seed: int = 42,
    sched_on_updates: bool = False,
    updates_per_epoch: int = 0,
) -> Scheduler:
    """``--sched multistep`` (``MultiStepLRScheduler``): ``base_lr * decay_rate ** n``, ``n`` the
    milestones at or before ``t + 1``: each decay comes one step before its milestone, as in timm.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(multistep(decay_milestones=[3], decay_rate=0.5, warmup_epochs=0), 1.0, 5)
    [1.0, 1.0, 0.5, 0.5, 0.5]
    """
    scale = timing(sched_on_updates, updates_per_epoch)
    warmup_t = scale(warmup_epochs)
    milestones = [scale(milestone) for milestone in decay_milestones]

    def get_lr(base: float, t: int) -> float:
        if warmup_prefix:
            t = t - warmup_t
        return base * (decay_rate ** bisect_right(milestones, t + 1))

    return _closed_form(
        get_lr, warmup_t, warmup_lr, noise_of(lr_noise, lr_noise_pct, lr_noise_std, seed, scale(epochs))
    )


def _wsd(
    rsqrt: bool,
    epochs: int,
    decay_epochs: float,
    warmup_epochs: int,
    warmup_lr: float,
    warmup_prefix: bool,
    min_lr: float,
    lr_decay_fn: str | None,
    lr_stable_timescale: float | None,
    noise: NoiseArgs,
    sched_on_updates: bool,
    updates_per_epoch: int,
) -> Scheduler:
    scale = timing(sched_on_updates, updates_per_epoch)
    t_initial, warmup_t, decay_t = scale(epochs), scale(warmup_epochs), scale(decay_epochs)
    timescale_t = None if lr_stable_timescale is None else scale(lr_stable_timescale)
    name = "rsqrt" if rsqrt else "wsd"
    number("decay_epochs", decay_epochs)  # timm's int(round(...)) fails on NaN and infinity
    t_sched = t_initial if warmup_prefix else t_initial - warmup_t
    if 0 < decay_epochs < 1:
        decay_t = decay_epochs * t_sched
    decay_t = int(round(decay_t))
    if not 0 < decay_t <= t_sched:
        raise ScheduleError(
            None,
            f"{name} schedule requires 0 < decay_epochs <= epochs"
            f"{'' if warmup_prefix else ' - warmup_epochs'}, got decay {decay_t} and "
            f"stable + decay length {t_sched}.",
        )
    number("min_lr", min_lr, 0)
    decay_fn = lr_decay_fn or ("linear" if rsqrt else "1-sqrt")
    choice("lr_decay_fn", decay_fn, DECAY_FNS)
    timescale = warmup_t if timescale_t is None else timescale_t
    if rsqrt and timescale <= 0:
        raise ScheduleError(
            "lr_stable_timescale",
            f"stable_fn=rsqrt requires a positive stable_timescale, it "
            f"defaults to warmup_t ({warmup_t}), set it explicitly when "
            "there is no warmup.",
        )

    def stable(t_s: int) -> float:
        if not rsqrt:
            return 1.0
        factor: float = (1.0 + t_s / timescale) ** -0.5
        return factor

    def decay(frac: float) -> float:
        if decay_fn == "linear":
            return 1.0 - frac
        if decay_fn == "1-sqrt":
            return 1.0 - math.sqrt(frac)
        if decay_fn == "cosine":
            return 0.5 * (1.0 + math.cos(math.pi * frac))
        if decay_fn == "power":
            root: float = frac**0.5
            return 1.0 - root
        r = 0.1
        power: float = r**frac
        return (power - r) / (1.0 - r)

    def get_lr(base: float, t: int) -> float:
        t_s = t - warmup_t
        stable_lr = max(base * stable(t_s), min_lr)
        t_decay = t_s - (t_sched - decay_t)
        if t_decay <= 0:
            return stable_lr
        return min_lr + (stable_lr - min_lr) * decay(min(t_decay / decay_t, 1.0))

    return _closed_form(get_lr, warmup_t, warmup_lr, noise_of(*noise, t_initial))


def wsd(
    epochs: int = 300,
    decay_epochs: float = 90,
    warmup_epochs: int = 5,
    warmup_lr: float = 1e-5,
    warmup_prefix: bool = False,
    cooldown_epochs: int = 0,
    min_lr: float = 0.0,
    lr_decay_fn: str | None = None,
    lr_noise: list[float] | None = None,
    lr_noise_pct: float = 0.67,
    lr_noise_std: float = 1.0,
    seed: int = 42,
    sched_on_updates: bool = False,
    updates_per_epoch: int = 0,
) -> Scheduler:
    """``--sched wsd`` (``WSDLRScheduler``): warmup, the base lr, then a decay to ``min_lr`` over the
    last ``decay_epochs`` (a fraction of the schedule when below 1), shaped by ``lr_decay_fn``
    (1-sqrt by default). Without ``warmup_prefix`` the stable and decay phases fit in ``epochs``.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(wsd(epochs=5, decay_epochs=2, warmup_epochs=1, warmup_lr=0.0, lr_decay_fn="linear"), 1.0, 6)
    [0.0, 1.0, 1.0, 1.0, 0.5, 0.0]
    """
    return _wsd(
        False,
        epochs,
        decay_epochs,
        warmup_epochs,
        warmup_lr,
        warmup_prefix,
        min_lr,
        lr_decay_fn,
        None,
        (lr_noise, lr_noise_pct, lr_noise_std, seed),
        sched_on_updates,
        updates_per_epoch,
    )


def rsqrt(
    epochs: int = 300,
    decay_epochs: float = 90,
    warmup_epochs: int = 5,
    warmup_lr: float = 1e-5,
    warmup_prefix: bool = False,
    cooldown_epochs: int = 0,
    min_lr: float = 0.0,
    lr_decay_fn: str | None = None,
    lr_stable_timescale: float | None = None,
    lr_noise: list[float] | None = None,
    lr_noise_pct: float = 0.67,
    lr_noise_std: float = 1.0,
    seed: int = 42,
    sched_on_updates: bool = False,
    updates_per_epoch: int = 0,
) -> Scheduler:
    """``--sched rsqrt`` (``WSDLRScheduler`` with an inverse square root stable phase): after the
    warmup ``base_lr / sqrt(1 + t / timescale)``, then a (linear by default) decay to ``min_lr``.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(rsqrt(epochs=5, decay_epochs=1, warmup_epochs=1, warmup_lr=0.0), 1.0, 6)
    [0.0, 1.0, 0.7071067811865476, 0.5773502691896257, 0.5, 0.0]
    """
    return _wsd(
        True,
        epochs,
        decay_epochs,
        warmup_epochs,
        warmup_lr,
        warmup_prefix,
        min_lr,
        lr_decay_fn,
        lr_stable_timescale,
        (lr_noise, lr_noise_pct, lr_noise_std, seed),
        sched_on_updates,
        updates_per_epoch,
    )


def trained_epochs(sched: str, params: dict[str, Any]) -> int | None:
    """The epochs ``train.py`` trains (what ``create_scheduler_v2`` returns): the schedule's cycles
    and ``cooldown_epochs`` where the scheduler has a cycle length, else ``epochs`` (plus the
    warmup with ``warmup_prefix``). None while a parameter it needs is not a number.

    >>> trained_epochs("cosine", {"epochs": 300, "warmup_epochs": 5, "cooldown_epochs": 10})
    310
    """
    get: dict[str, Any] = {
        "epochs": 300,
        "warmup_epochs": 5,
        "warmup_prefix": False,
        "cooldown_epochs": 0,
        "lr_cycle_mul": 1.0,
        "lr_cycle_limit": 1,
        "decay_epochs": 90,
        "sched_on_updates": False,
        "updates_per_epoch": 0,
        **params,
    }
    try:
        scale = timing(get["sched_on_updates"], get["updates_per_epoch"])
        t_initial, warmup_t, cooldown_t = (
            scale(get["epochs"]),
            scale(get["warmup_epochs"]),
            scale(get["cooldown_epochs"]),
        )
        if sched in ("cosine", "tanh", "poly"):
            length = _cycle_length(
                t_initial, get["lr_cycle_mul"], get["lr_cycle_limit"], warmup_t, get["warmup_prefix"]
            )
        elif sched in ("wsd", "rsqrt"):
            length = warmup_t + (t_initial if get["warmup_prefix"] else t_initial - warmup_t)
        else:
            epochs: int = get["epochs"] + (get["warmup_epochs"] if get["warmup_prefix"] else 0)
            return epochs
        trained: int = (length + cooldown_t) // scale.per
        return trained
    except (TypeError, ValueError, ArithmeticError, ScheduleError):
        return None


def plateau(
    metrics: Sequence[float],
    epochs: int = 300,
    decay_rate: float = 0.1,
    patience_epochs: int = 10,
    warmup_epochs: int = 5,
    warmup_lr: float = 1e-5,
    warmup_prefix: bool = False,
    min_lr: float = 0.0,
    eval_metric: str = "top1",
    lr_noise: list[float] | None = None,
    lr_noise_pct: float = 0.67,
    lr_noise_std: float = 1.0,
    seed: int = 42,
    sched_on_updates: bool = False,
    updates_per_epoch: int = 0,
) -> Scheduler:
    """``--sched plateau`` (``PlateauLRScheduler``, deprecated in timm): the warmup (to the base lr
    at ``warmup_epochs`` itself), then torch's ReduceLROnPlateau stepped with the metric of each
    epoch (``metrics[t - 1]`` at step ``t``; mode max unless ``eval_metric`` names a loss). Noise
    is added to the lr after the step and taken off again before the next.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(plateau([0.5, 0.5, 0.5, 0.5], warmup_epochs=1, warmup_lr=0.0, patience_epochs=1), 1.0, 5)
    [0.0, 1.0, 1.0, 1.0, 0.1]
    """
    if sched_on_updates:
        raise ScheduleError("sched_on_updates", "timm's plateau scheduler steps per epoch only (timm asserts it)")
    whole("warmup_epochs", warmup_epochs, 0)
    mode = "min" if "loss" in eval_metric else "max"
    noise = noise_of(lr_noise, lr_noise_pct, lr_noise_std, seed, epochs)
    # A view of an array('d') (millions of metrics from --metrics), not a copy of it.
    after = memoryview(metrics)[warmup_epochs:] if isinstance(metrics, array) else metrics[warmup_epochs:]
    after_warmup = reduce_lr_on_plateau(after, mode=mode, factor=decay_rate, patience=patience_epochs, min_lr=min_lr)

    def construct(group: Group) -> tuple[Group, Stepper]:
        base = group.lr if group.initial_lr is None else group.initial_lr
        step = (base - warmup_lr) / warmup_epochs if warmup_epochs else 1
        first = warmup_lr if warmup_epochs else base
        _, reducing = after_warmup(group.at(first, base))
        state: dict[str, float | None] = {"restore": None}

        def run(lr: float, start: int, stop: int) -> list[float]:
            if stop - 1 > len(metrics):
                raise ScheduleError(
                    "metrics", f"has {len(metrics)} values; {stop} epochs need {stop - 1} (the metric of each epoch)"
                )
            values = []
            for t in range(start, stop):
                if t <= warmup_epochs:
                    lr = warmup_lr + t * step
                else:
                    if state["restore"] is not None:
                        lr, state["restore"] = state["restore"], None
                    lr = reducing.rule(lr, t - warmup_epochs)
                    if noise.applies(t):
                        state["restore"] = lr
                        lr = lr + lr * noise(t)
                values.append(lr)
            return values

        return group.at(first, base), running(run)

    return construct
