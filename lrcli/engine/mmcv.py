"""MMCV 1.x's lr updater hooks (``mmcv/runner/hooks/lr_updater.py``, 1.7.2), as its runners call them.

A config's ``lr_config=dict(policy=…)`` names a hook class (``'step'`` → ``StepLrUpdaterHook``: a
policy all in lower case is title-cased, any other is kept). The hook sets each param group's lr
from its ``initial_lr`` (``base_lr``; OneCycle's is ``max_lr / div_factor``) with a closed form in
the epoch (``by_epoch=True``, the default) or the iteration, never from the lr held:

- ``before_run`` stores the base lrs (Cyclic and OneCycle lay out their phases);
- ``before_train_epoch`` (EpochBasedRunner only) turns ``warmup_iters`` epochs into iterations
  with ``warmup_by_epoch`` and, ``by_epoch``, sets ``regular_lr = get_lr(epoch)``;
- ``before_train_iter``, at every iteration: ``by_epoch=False`` sets ``get_lr(iter)``, or its
  warmup while ``iter < warmup_iters``; ``by_epoch`` sets the warmup of the epoch's regular lr
  while ``iter < warmup_iters``, the regular lr at ``iter == warmup_iters``, and else leaves it.

Row ``i`` is the lr iteration ``i`` trains with. The warmup multiplies the regular lr: ``constant``
by ``warmup_ratio``; ``linear`` by ``1 - (1 - i / warmup_iters) * (1 - warmup_ratio)``; ``exp`` by
``warmup_ratio ** (1 - i / warmup_iters)``. (mmengine's port of the same config computes
differently: iteration 1 of mmdet's 1x warmup is 5.996000000000113e-05 here, 6.004…e-05 there.)

IterBasedRunner never calls ``before_train_epoch``: a ``by_epoch`` hook under it never changes
the lr, and ``warmup_by_epoch`` fails at the first iteration; both are as mmcv runs them.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lrcli.engine.core import Group, ScheduleError, Scheduler, Stepper, tabulated

GetLr = Callable[[int, Any], float]
"""``get_lr(progress, base_lr)``: a hook's regular lr (or momentum) at an epoch or iteration (the
base a float, or a OneCycle momentum hook's ``(base_momentum, max_momentum)``)."""

Bases = Callable[[int], list[Any]]
"""``bases(groups)``: what a OneCycle hook uses as each group's base, instead of its initial value."""

WARMUPS = ("constant", "linear", "exp")


@dataclass(frozen=True)
class Loop:
    """The runner: an EpochBasedRunner of ``max_epochs`` epochs of ``iters_per_epoch`` iterations
    (``max_iters`` is their product), or, ``max_epochs`` None, an IterBasedRunner of ``max_iters``."""

    max_iters: int
    iters_per_epoch: int | None = None
    max_epochs: int | None = None

    @classmethod
    def epochs(cls, max_epochs: int, iters_per_epoch: int) -> Loop:
        _whole("max_epochs", max_epochs, 1)
        _whole("iters_per_epoch", iters_per_epoch, 1)
        return cls(max_epochs * iters_per_epoch, iters_per_epoch, max_epochs)

    @classmethod
    def iterations(cls, max_iters: int, iters_per_epoch: int | None = None) -> Loop:
        _whole("max_iters", max_iters, 1)
        return cls(max_iters, iters_per_epoch)

    @property
    def epoch_based(self) -> bool:
        return self.max_epochs is not None

    @property
    def epoch_length(self) -> int:
        """An EpochBasedRunner's ``iters_per_epoch``."""
        if self.iters_per_epoch is None:
            raise AssertionError("the runner has no epochs")
        return self.iters_per_epoch


def _whole(name: str, value: object, least: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ScheduleError(name, f"must be a whole number >= {least}, got {value!r}")


def _number(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ScheduleError(None, f"{name} must be a finite number, got {value!r}")


def _target(min_lr: float | None, min_lr_ratio: float | None, name: str = "min_lr") -> Callable[[float], float]:
    """The lr a schedule ends at: ``min_lr``, or ``base_lr * min_lr_ratio``; exactly one is given
    (``name`` is ``min_momentum`` for a momentum hook)."""
    if (min_lr is None) == (min_lr_ratio is None):
        raise ScheduleError(
            None,
            f"give exactly one of {name} and {name}_ratio (mmcv asserts ({name} is None) ^ ({name}_ratio is None))",
        )
    if min_lr_ratio is not None:
        _number(f"{name}_ratio", min_lr_ratio)
        return lambda base_lr: base_lr * min_lr_ratio
    _number(name, min_lr)
    floor = min_lr
    assert floor is not None  # exactly one is given
    return lambda base_lr: floor


def annealing_cos(start: float, end: float, factor: float, weight: float = 1.0) -> float:
    """A cosine from ``weight * start + (1 - weight) * end`` at ``factor`` 0 to ``end`` at 1.

    >>> annealing_cos(1.0, 0.0, 0.5), annealing_cos(1.0, 0.0, 0.25)
    (0.5, 0.8535533905932737)
    """
    cos_out = math.cos(math.pi * factor) + 1
    return end + 0.5 * weight * (start - end) * cos_out


def annealing_linear(start: float, end: float, factor: float) -> float:
    """A straight line from ``start`` at ``factor`` 0 to ``end`` at 1."""
    return start + (end - start) * factor


def _anneal(strategy: object) -> Callable[[float, float, float], float]:
    if strategy not in ("cos", "linear"):
        raise ScheduleError(None, f'anneal_strategy must be one of "cos" or "linear", instead got {strategy}')
    return annealing_cos if strategy == "cos" else annealing_linear


def _progress_limit(loop: Loop, by_epoch: bool) -> int | None:
    """``max_epochs`` (``by_epoch``) or ``max_iters``: None for a ``by_epoch`` hook under an
    IterBasedRunner, which never computes an lr (see :func:`_schedulers`)."""
    return loop.max_epochs if by_epoch else loop.max_iters


def _span(loop: Loop, by_epoch: bool) -> float:
    """The progress a hook's ``get_lr`` divides by: :func:`_progress_limit`, or, where that is
    None and ``get_lr`` never runs, NaN."""
    limit = _progress_limit(loop, by_epoch)
    return math.nan if limit is None else limit


def fixed(loop: Loop, by_epoch: bool) -> GetLr:
    """``FixedLrUpdaterHook``: the base lr."""
    return lambda progress, base_lr: base_lr


def step(loop: Loop, by_epoch: bool, step: int | list[int], gamma: float = 0.1, min_lr: float | None = None) -> GetLr:
    """``StepLrUpdaterHook``: ``base_lr * gamma ** n``, ``n`` the steps passed (every ``step``, or
    the listed ones), not below ``min_lr``.

    >>> [step(Loop(10), False, [2, 3], gamma=0.5)(i, 1.0) for i in range(4)]
    [1.0, 1.0, 0.5, 0.25]
    """
    return _stepped(step, gamma, min_lr, "min_lr")


def _stepped(step: int | list[int], gamma: float, min_lr: float | None, name: str) -> GetLr:
    """The step lr and momentum hooks' arithmetic (``name`` names their floor)."""
    if isinstance(step, list):
        if not all(isinstance(s, int) for s in step) or not all(s > 0 for s in step):
            raise ScheduleError(None, f"step must list positive whole numbers, got {step!r}")
    elif isinstance(step, int):
        if step <= 0:
            raise ScheduleError(None, f"step must be positive, got {step!r}")
    else:
        raise ScheduleError(None, '"step" must be a list or integer')
    _number("gamma", gamma)
    if min_lr is not None:
        _number(name, min_lr)

    def get_lr(progress: int, base_lr: float) -> float:
        if isinstance(step, int):
            exp = progress // step
        else:
            exp = len(step)
            for i, s in enumerate(step):
                if progress < s:
                    exp = i
                    break
        lr = base_lr * (gamma**exp)
        if min_lr is not None:
            lr = max(lr, min_lr)
        return lr

    return get_lr


def exp(loop: Loop, by_epoch: bool, gamma: float) -> GetLr:
    """``ExpLrUpdaterHook``: ``base_lr * gamma ** progress``."""
    _number("gamma", gamma)
    return lambda progress, base_lr: base_lr * gamma**progress


def poly(loop: Loop, by_epoch: bool, power: float = 1.0, min_lr: float = 0.0) -> GetLr:
    """``PolyLrUpdaterHook``: ``(base_lr - min_lr) * (1 - progress / max) ** power + min_lr``."""
    _number("power", power)
    _number("min_lr", min_lr)
    max_progress = _span(loop, by_epoch)

    def get_lr(progress: int, base_lr: float) -> float:
        coeff: float = (1 - progress / max_progress) ** power
        return (base_lr - min_lr) * coeff + min_lr

    return get_lr


def inv(loop: Loop, by_epoch: bool, gamma: float, power: float = 1.0) -> GetLr:
    """``InvLrUpdaterHook``: ``base_lr * (1 + gamma * progress) ** -power``."""
    _number("gamma", gamma)
    _number("power", power)
    return lambda progress, base_lr: base_lr * (1 + gamma * progress) ** (-power)


def cosine_annealing(
    loop: Loop, by_epoch: bool, min_lr: float | None = None, min_lr_ratio: float | None = None
) -> GetLr:
    """``CosineAnnealingLrUpdaterHook``: half a cosine from the base lr to the target over training."""
    target = _target(min_lr, min_lr_ratio)
    max_progress = _span(loop, by_epoch)
    return lambda progress, base_lr: annealing_cos(base_lr, target(base_lr), progress / max_progress)


def flat_cosine_annealing(
    loop: Loop,
    by_epoch: bool,
    start_percent: float = 0.75,
    min_lr: float | None = None,
    min_lr_ratio: float | None = None,
) -> GetLr:
    """``FlatCosineAnnealingLrUpdaterHook``: the base lr until ``round(max * start_percent)``, then
    half a cosine to the target."""
    target = _target(min_lr, min_lr_ratio)
    if not isinstance(start_percent, float) or start_percent < 0 or start_percent > 1:
        raise ScheduleError(None, f"expected float between 0 and 1 start_percent, but got {start_percent}")
    max_progress = _span(loop, by_epoch)

    def get_lr(progress: int, base_lr: float) -> float:
        start = round(max_progress * start_percent)
        if progress - start < 0:
            return base_lr
        return annealing_cos(base_lr, target(base_lr), (progress - start) / (max_progress - start))

    return get_lr


def cosine_restart(
    loop: Loop,
    by_epoch: bool,
    periods: list[int],
    restart_weights: list[float] | tuple[float, ...] = (1,),
    min_lr: float | None = None,
    min_lr_ratio: float | None = None,
) -> GetLr:
    """``CosineRestartLrUpdaterHook``: a cosine per period, from ``weight * base_lr`` (plus the
    rest of the target) to the target; past the last period mmcv fails."""
    target = _target(min_lr, min_lr_ratio)
    if not isinstance(periods, (list, tuple)) or not all(
        isinstance(p, (int, float)) and not isinstance(p, bool) for p in periods
    ):
        raise ScheduleError(None, f"periods must list numbers, got {periods!r}")
    if not isinstance(restart_weights, (list, tuple)) or len(periods) != len(restart_weights):
        raise ScheduleError(None, "periods and restart_weights should have the same length.")
    cumulative = [sum(periods[0 : i + 1]) for i in range(0, len(periods))]
    limit = _progress_limit(loop, by_epoch)
    if limit is not None and limit - 1 >= (cumulative[-1] if cumulative else 0):
        raise ScheduleError(
            None,
            f"Current iteration {limit - 1} exceeds cumulative_periods {cumulative}: mmcv fails "
            "there (the periods must cover training)",
        )

    def get_lr(progress: int, base_lr: float) -> float:
        idx = next(i for i, period in enumerate(cumulative) if progress < period)
        nearest_restart = 0 if idx == 0 else cumulative[idx - 1]
        alpha = min((progress - nearest_restart) / periods[idx], 1)
        return annealing_cos(base_lr, target(base_lr), alpha, restart_weights[idx])

    return get_lr


def cyclic(
    loop: Loop,
    by_epoch: bool,
    target_ratio: float | tuple[float, ...] = (10, 1e-4),
    cyclic_times: int = 1,
    step_ratio_up: float = 0.4,
    anneal_strategy: str = "cos",
    gamma: float = 1,
) -> GetLr:
    """``CyclicLrUpdaterHook``: ``cyclic_times`` cycles over training, each up from the base lr to
    ``target_ratio[0]`` of it for ``step_ratio_up`` of the cycle, then down to ``target_ratio[1]``
    of it; each cycle's height scaled by ``gamma`` once more. A ``target_ratio`` must be a float or
    a tuple (mmcv refuses a list)."""
    _number("gamma", gamma)
    if not 0 < gamma <= 1:
        raise ScheduleError(None, '"gamma" must be in range (0, 1]')
    return _cyclic(loop, by_epoch, target_ratio, cyclic_times, step_ratio_up, anneal_strategy, gamma)


def _cyclic(
    loop: Loop,
    by_epoch: bool,
    target_ratio: float | tuple[float, ...],
    cyclic_times: int,
    step_ratio_up: float,
    anneal_strategy: str,
    gamma: float,
) -> GetLr:
    """The cyclic lr and momentum hooks' arithmetic (the momentum hook does not check ``gamma``)."""
    if isinstance(target_ratio, float):
        target_ratio = (target_ratio, target_ratio / 1e5)
    elif isinstance(target_ratio, tuple):
        target_ratio = (target_ratio[0], target_ratio[0] / 1e5) if len(target_ratio) == 1 else target_ratio
    else:
        raise ScheduleError(None, f"target_ratio should be either float or tuple, got {type(target_ratio)}")
    if len(target_ratio) != 2:
        raise ScheduleError(None, '"target_ratio" must be list or tuple of two floats')
    for ratio in target_ratio:
        _number("target_ratio", ratio)
    _number("step_ratio_up", step_ratio_up)
    if not 0 <= step_ratio_up < 1.0:
        raise ScheduleError(None, '"step_ratio_up" must be in range [0,1)')
    _number("gamma", gamma)
    anneal = _anneal(anneal_strategy)
    if by_epoch:
        raise ScheduleError(None, 'currently only support "by_epoch" = False')
    _whole("cyclic_times", cyclic_times, 1)
    max_iter_per_phase = loop.max_iters // cyclic_times
    if max_iter_per_phase == 0:
        raise ScheduleError(
            None, f"cyclic_times {cyclic_times} is more than the {loop.max_iters} iterations: mmcv divides by zero"
        )
    iter_up_phase = int(step_ratio_up * max_iter_per_phase)
    lr_phases = [
        [0, iter_up_phase, 1, target_ratio[0]],
        [iter_up_phase, max_iter_per_phase, target_ratio[0], target_ratio[1]],
    ]

    def get_lr(progress: int, base_lr: float) -> float:
        curr_iter = progress % max_iter_per_phase
        curr_cycle = progress // max_iter_per_phase
        scale = gamma**curr_cycle
        for start_iter, end_iter, start_ratio, end_ratio in lr_phases:
            if start_iter <= curr_iter < end_iter:
                if start_iter == 0:
                    end_ratio = 1 - scale + end_ratio * scale
                else:
                    start_ratio = 1 - scale + start_ratio * scale
                return anneal(
                    base_lr * start_ratio, base_lr * end_ratio, (curr_iter - start_iter) / (end_iter - start_iter)
                )
        raise AssertionError("unreachable: the phases cover a cycle")

    return get_lr


def _per_group(name: str, value: object) -> Bases:
    """mmcv's ``format_param``: one number for every group, or a list of one per group."""

    def values(groups: int) -> list[Any]:
        if not isinstance(value, list):
            return [value] * groups
        if len(value) != groups:
            raise ScheduleError(None, f"expected {groups} values for {name}, got {len(value)}")
        return value

    return values


def one_cycle(
    loop: Loop,
    by_epoch: bool,
    max_lr: float | list[float],
    total_steps: int | None = None,
    pct_start: float = 0.3,
    anneal_strategy: str = "cos",
    div_factor: float = 25,
    final_div_factor: float = 1e4,
    three_phase: bool = False,
) -> tuple[GetLr, Bases]:
    """``OneCycleLrUpdaterHook``: torch's one cycle over ``total_steps`` (``max_iters`` by default;
    not fewer) from ``max_lr / div_factor`` (each group's base lr), in two phases or three."""
    if by_epoch:
        raise ScheduleError(None, 'currently only support "by_epoch" = False')
    if not isinstance(max_lr, (numbers.Number, list)):
        raise ScheduleError(
            None,
            f"the type of max_lr must be the one of list or dict, but got {type(max_lr)} (lrcli "
            "reads one optimizer, not a dict of them)",
        )
    if total_steps is not None and not isinstance(total_steps, int):
        raise ScheduleError(None, f"the type of total_steps must be int, butgot {type(total_steps)}")
    if not isinstance(pct_start, float) or pct_start < 0 or pct_start > 1:
        raise ScheduleError(None, f"expected float between 0 and 1 pct_start, but got {pct_start}")
    anneal = _anneal(anneal_strategy)
    _number("div_factor", div_factor)
    _number("final_div_factor", final_div_factor)
    total = loop.max_iters if total_steps is None else total_steps
    if total < loop.max_iters:
        raise ScheduleError(
            None,
            f"The total steps must be greater than or equal to max iterations {loop.max_iters} "
            f"of runner, but total steps is {total}.",
        )
    if three_phase:
        lr_phases = [
            [float(pct_start * total) - 1, 1, div_factor],
            [float(2 * pct_start * total) - 2, div_factor, 1],
            [total - 1, 1, 1 / final_div_factor],
        ]
    else:
        lr_phases = [[float(pct_start * total) - 1, 1, div_factor], [total - 1, div_factor, 1 / final_div_factor]]

    def get_lr(progress: int, base_lr: float) -> float:
        start_iter: float = 0
        for end_iter, start_lr, end_lr in lr_phases:
            if progress <= end_iter:
                return anneal(base_lr * start_lr, base_lr * end_lr, (progress - start_iter) / (end_iter - start_iter))
            start_iter = end_iter
        raise AssertionError("unreachable: total_steps covers training")

    max_lrs = _per_group("max_lr", max_lr)
    return get_lr, lambda groups: [lr / div_factor for lr in max_lrs(groups)]


def linear_annealing(
    loop: Loop, by_epoch: bool, min_lr: float | None = None, min_lr_ratio: float | None = None
) -> GetLr:
    """``LinearAnnealingLrUpdaterHook``: a straight line from the base lr to the target over training."""
    target = _target(min_lr, min_lr_ratio)
    max_progress = _span(loop, by_epoch)
    return lambda progress, base_lr: annealing_linear(base_lr, target(base_lr), progress / max_progress)


def step_momentum(
    loop: Loop, by_epoch: bool, step: int | list[int], gamma: float = 0.5, min_momentum: float | None = None
) -> GetLr:
    """``StepMomentumUpdaterHook``: the step lr hook's arithmetic on the momentum."""
    return _stepped(step, gamma, min_momentum, "min_momentum")


def cosine_annealing_momentum(
    loop: Loop, by_epoch: bool, min_momentum: float | None = None, min_momentum_ratio: float | None = None
) -> GetLr:
    """``CosineAnnealingMomentumUpdaterHook``: half a cosine from the base momentum to the target."""
    target = _target(min_momentum, min_momentum_ratio, "min_momentum")
    max_progress = _span(loop, by_epoch)
    return lambda progress, base: annealing_cos(base, target(base), progress / max_progress)


def linear_annealing_momentum(
    loop: Loop, by_epoch: bool, min_momentum: float | None = None, min_momentum_ratio: float | None = None
) -> GetLr:
    """``LinearAnnealingMomentumUpdaterHook``: a straight line from the base momentum to the target."""
    target = _target(min_momentum, min_momentum_ratio, "min_momentum")
    max_progress = _span(loop, by_epoch)
    return lambda progress, base: annealing_linear(base, target(base), progress / max_progress)


def cyclic_momentum(
    loop: Loop,
    by_epoch: bool,
    target_ratio: float | tuple[float, ...] = (0.85 / 0.95, 1.0),
    cyclic_times: int = 1,
    step_ratio_up: float = 0.4,
    anneal_strategy: str = "cos",
    gamma: float = 1.0,
) -> GetLr:
    """``CyclicMomentumUpdaterHook``: the cyclic lr hook's arithmetic on the momentum (down to
    ``target_ratio[0]`` of it, back to ``target_ratio[1]``), ``gamma`` unchecked."""
    return _cyclic(loop, by_epoch, target_ratio, cyclic_times, step_ratio_up, anneal_strategy, gamma)


def one_cycle_momentum(
    loop: Loop,
    by_epoch: bool,
    base_momentum: float | list[float] = 0.85,
    max_momentum: float | list[float] = 0.95,
    pct_start: float = 0.3,
    anneal_strategy: str = "cos",
    three_phase: bool = False,
) -> tuple[GetLr, Bases]:
    """``OneCycleMomentumUpdaterHook``: from ``max_momentum`` down to ``base_momentum`` over
    ``pct_start`` of ``max_iters`` (not the lr hook's ``total_steps``) and back up (three phases:
    down, up, then flat); its base is each group's ``(base_momentum, max_momentum)``."""
    if by_epoch:
        raise ScheduleError(None, 'currently only support "by_epoch" = False')
    for name, value in (("base_momentum", base_momentum), ("max_momentum", max_momentum)):
        if not isinstance(value, (float, list)):
            raise ScheduleError(
                None,
                f"{name} must be the type among of float,list or dict. (got {value!r}; lrcli "
                "reads one optimizer, not a dict of them)",
            )
    if not isinstance(pct_start, float) or pct_start < 0 or pct_start > 1:
        raise ScheduleError(None, f"Expected float between 0 and 1 pct_start, but got {pct_start}")
    anneal = _anneal(anneal_strategy)
    total = loop.max_iters
    if three_phase:
        phases = [(float(pct_start * total) - 1, 1, 0), (float(2 * pct_start * total) - 2, 0, 1), (total - 1, 1, 1)]
    else:
        phases = [(float(pct_start * total) - 1, 1, 0), (total - 1, 0, 1)]

    def get_momentum(progress: int, base: tuple[float, float]) -> float:
        start_iter: float = 0
        for i, (end_iter, start, end) in enumerate(phases):  # 0 is base_momentum, 1 max_momentum
            if progress <= end_iter or i == len(phases) - 1:
                return anneal(base[start], base[end], (progress - start_iter) / (end_iter - start_iter))
            start_iter = end_iter
        raise AssertionError("unreachable: the last phase takes the rest")

    bases, maxima = _per_group("base_momentum", base_momentum), _per_group("max_momentum", max_momentum)
    return get_momentum, lambda groups: list(zip(bases(groups), maxima(groups)))


MOMENTUM_POLICIES: dict[str, Callable[..., GetLr | tuple[GetLr, Bases]]] = {
    "Step": step_momentum,
    "CosineAnnealing": cosine_annealing_momentum,
    "LinearAnnealing": linear_annealing_momentum,
    "Cyclic": cyclic_momentum,
    "OneCycle": one_cycle_momentum,
}
"""The momentum hooks by policy (the class name without ``MomentumUpdaterHook``)."""

POLICIES: dict[str, Callable[..., GetLr | tuple[GetLr, Bases]]] = {
    "Fixed": fixed,
    "Step": step,
    "Exp": exp,
    "Poly": poly,
    "Inv": inv,
    "CosineAnnealing": cosine_annealing,
    "FlatCosineAnnealing": flat_cosine_annealing,
    "CosineRestart": cosine_restart,
    "Cyclic": cyclic,
    "OneCycle": one_cycle,
    "LinearAnnealing": linear_annealing,
}
"""The hooks by policy (the class name without ``LrUpdaterHook``)."""

BY_ITERATION = ("Cyclic", "OneCycle")
"""The hooks whose ``by_epoch`` defaults to False (and must be)."""


def hook_name(policy: object) -> str:
    """The hook class a ``policy`` names, as ``register_lr_hook`` spells it.

    >>> hook_name("step"), hook_name("CosineAnnealing"), hook_name("cosineannealing")
    ('Step', 'CosineAnnealing', 'Cosineannealing')
    """
    if not isinstance(policy, str):
        raise ScheduleError(None, f"lr_config's policy must be a string, got {policy!r}")
    return policy.title() if policy == policy.lower() else policy


@dataclass(frozen=True)
class Hook:
    """An ``LrUpdaterHook`` (or, ``momentum``, a ``MomentumUpdaterHook``) as built from its config:
    its policy's ``get_lr``, its warmup, and a OneCycle hook's ``bases``."""

    policy: str
    get_lr: GetLr
    by_epoch: bool
    warmup: str | None
    warmup_iters: int
    warmup_ratio: float
    warmup_by_epoch: bool = False
    bases: Bases | None = None
    momentum: bool = False

    @property
    def name(self) -> str:
        return f"{self.policy}{'Momentum' if self.momentum else 'Lr'}UpdaterHook"

    def warmup_length(self, loop: Loop) -> int:
        """``warmup_iters`` in iterations (``warmup_by_epoch``: epochs times the epoch's length, as
        the first ``before_train_epoch`` sets it)."""
        if not self.warmup_by_epoch:
            return self.warmup_iters
        if not loop.epoch_based:
            raise ScheduleError(
                None,
                "warmup_by_epoch under an IterBasedRunner: mmcv never converts the warmup's "
                "epochs to iterations there and fails at the first iteration",
            )
        return self.warmup_iters * loop.epoch_length

    def warming(self, loop: Loop) -> Callable[[int, float], float] | None:
        """``get_warmup_lr`` (``get_warmup_momentum``): the warmup's value at iteration ``i`` from
        the regular one; the lr is multiplied, the momentum divided."""
        if self.warmup is None:
            return None
        ratio, length = self.warmup_ratio, self.warmup_length(loop)
        if self.momentum:
            if self.warmup == "constant":
                return lambda i, momentum: momentum / ratio
            if self.warmup == "linear":
                return lambda i, momentum: momentum / (1 - (1 - i / length) * (1 - ratio))
            return lambda i, momentum: momentum / ratio ** (1 - i / length)
        if self.warmup == "constant":
            return lambda i, lr: lr * ratio
        if self.warmup == "linear":
            return lambda i, lr: lr * (1 - (1 - i / length) * (1 - ratio))
        return lambda i, lr: lr * ratio ** (1 - i / length)


def build_hook(config: dict[str, Any], loop: Loop, momentum: bool = False) -> Hook:
    """``register_lr_hook(lr_config)`` (``register_momentum_hook(momentum_config)``) and the hook's
    ``before_run``: the policy's class, built with the config's other keys, checked as mmcv checks them.

    >>> build_hook({"policy": "step", "step": [8, 11]}, Loop.epochs(12, 100)).name
    'StepLrUpdaterHook'
    """
    section = "momentum_config" if momentum else "lr_config"
    if not isinstance(config, dict):
        raise ScheduleError(None, f"{section} must be a dict, got {config!r}")
    config = dict(config)
    if "policy" not in config:
        raise ScheduleError(None, f"{section} needs a policy (mmcv asserts 'policy' in {section})")
    config.pop("type", None)
    policies = MOMENTUM_POLICIES if momentum else POLICIES
    name = hook_name(config.pop("policy"))
    kind = "MomentumUpdaterHook" if momentum else "LrUpdaterHook"
    factory = policies.get(name)
    if factory is None:
        raise ScheduleError(
            None,
            f"{name}{kind} is not in the hook registry (lrcli knows the policies "
            f"{', '.join(policies)}; one all in lower case is title-cased)",
        )
    by_epoch = config.pop("by_epoch", name not in BY_ITERATION)
    warmup = config.pop("warmup", None)
    warmup_iters = config.pop("warmup_iters", 0)
    warmup_ratio = config.pop("warmup_ratio", 0.9 if momentum else 0.1)
    warmup_by_epoch = False if momentum else config.pop("warmup_by_epoch", False)
    if warmup is not None:
        if warmup not in WARMUPS:
            valid = '"constant" and "linear"' if momentum else '"constant", "linear" and "exp"'
            raise ScheduleError(None, f'"{warmup}" is not a supported type for warming up, valid types are {valid}')
        _number("warmup_iters", warmup_iters)
        if not warmup_iters > 0:
            raise ScheduleError(None, '"warmup_iters" must be a positive integer')
        _number("warmup_ratio", warmup_ratio)
        if not 0 < warmup_ratio <= 1.0:
            raise ScheduleError(None, f'"{"warmup_momentum" if momentum else "warmup_ratio"}" must be in range (0,1]')
    if not momentum and (isinstance(warmup_iters, bool) or not isinstance(warmup_iters, int)):
        raise ScheduleError(
            None, f"warmup_iters must be a whole number (mmcv asserts it at every iteration), got {warmup_iters!r}"
        )
    try:
        made = factory(loop, bool(by_epoch), **config)
    except TypeError as error:
        raise ScheduleError(None, f"{name}{kind}: {str(error).split(') ', 1)[-1]}") from None
    get_lr, bases = made if isinstance(made, tuple) else (made, None)
    return Hook(
        name, get_lr, bool(by_epoch), warmup, warmup_iters, warmup_ratio, bool(warmup_by_epoch), bases, momentum
    )


def mmcv_lr_schedulers(lr_config: dict[str, Any], groups: int, loop: Loop, rows_per: int = 1) -> list[Scheduler]:
    """The hook ``lr_config`` builds, on each of ``groups`` param groups, in ``loop``'s runner:
    row ``k`` is the lr iteration ``k * rows_per`` trains with (``rows_per`` the epoch's length for
    a row per epoch). Rows stop where training does.

    >>> from lrcli.engine.core import lr_values
    >>> [scheduler] = mmcv_lr_schedulers({"policy": "step", "step": [1], "warmup": "linear",
    ...                                   "warmup_iters": 2, "warmup_ratio": 0.5}, 1, Loop.epochs(2, 3))
    >>> lr_values(scheduler, 1.0, 6)
    [0.5, 0.75, 1.0, 0.1, 0.1, 0.1]
    """
    return _schedulers(build_hook(lr_config, loop), groups, loop, rows_per)


def mmcv_momentum_schedulers(
    momentum_config: dict[str, Any], groups: int, loop: Loop, rows_per: int = 1
) -> list[Scheduler]:
    """The hook ``momentum_config`` builds, as :func:`mmcv_lr_schedulers`: each scheduler's value
    is the group's momentum (SGD's ``momentum``, or Adam's ``betas[0]``), starting from the one the
    optimizer was built with.

    >>> from lrcli.engine.core import lr_values
    >>> [scheduler] = mmcv_momentum_schedulers({"policy": "step", "step": [1]}, 1, Loop.epochs(2, 2))
    >>> lr_values(scheduler, 0.9, 4)
    [0.9, 0.9, 0.45, 0.45]
    """
    return _schedulers(build_hook(momentum_config, loop, momentum=True), groups, loop, rows_per)


def _schedulers(hook: Hook, groups: int, loop: Loop, rows_per: int) -> list[Scheduler]:
    """One scheduler per group: the value each iteration trains with, as the hook sets it."""
    _whole("rows_per", rows_per, 1)
    warmup_iters = hook.warmup_length(loop)
    warming = hook.warming(loop)
    by_epoch = hook.by_epoch and loop.epoch_based  # the regular value of the epoch, from before_train_epoch
    idle = hook.by_epoch and not loop.epoch_based  # IterBasedRunner: a by_epoch hook never sets the value
    get_lr, length = hook.get_lr, loop.epoch_length if by_epoch else 0

    def check_rows(rows: int) -> None:
        if (rows - 1) * rows_per >= loop.max_iters:
            raise ScheduleError(
                None,
                f"training ends after {loop.max_iters} iterations; {rows} rows "
                f"{'of ' + str(rows_per) + ' iterations ' if rows_per > 1 else ''}go past it",
            )

    def scheduler(base: float | tuple[float, float] | None) -> Scheduler:
        def construct(group: Group) -> tuple[Group, Stepper]:
            initial_lr = group.lr if group.initial_lr is None else group.initial_lr
            base_lr = initial_lr if base is None else base

            def table(first: int, stop: int) -> list[float]:
                if idle:
                    return [group.lr] * (stop - first)
                values: list[float] = []
                epoch, regular = None, math.nan  # both set at the first iteration
                i = first * rows_per
                try:
                    for i in range(first * rows_per, stop * rows_per, rows_per):
                        if not by_epoch:
                            regular = get_lr(i, base_lr)
                        elif i // length != epoch:
                            epoch = i // length
                            regular = get_lr(epoch, base_lr)
                        values.append(regular if warming is None or i >= warmup_iters else warming(i, regular))
                except (ZeroDivisionError, OverflowError) as error:
                    raise ScheduleError(None, f"{hook.name} fails at iteration {i} ({error})") from None
                return values

            stepper = tabulated(table, check_rows=check_rows)
            return group.at(table(0, 1)[0], initial_lr if base is None else group.initial_lr), stepper

        return construct

    return [scheduler(base) for base in (hook.bases(groups) if hook.bases is not None else [None] * groups)]


def mmdet_runner(config: dict[str, Any]) -> tuple[str, int]:
    """The runner of a 2.x config, as mmdetection's ``train_detector`` reads it: ``runner=dict(type=…,
    max_epochs=…)`` (or ``max_iters``), or the older ``total_epochs`` alone (an EpochBasedRunner),
    which must agree with ``runner.max_epochs`` when both are given.

    >>> mmdet_runner({"total_epochs": 12}), mmdet_runner({"runner": {"type": "IterBasedRunner", "max_iters": 80000}})
    (('EpochBasedRunner', 12), ('IterBasedRunner', 80000))
    """
    runner = config.get("runner")
    total_epochs = config.get("total_epochs")
    if runner is None:
        if total_epochs is None:
            raise ScheduleError(
                None, "the config names no runner (runner=dict(type=..., max_epochs=...)) and no total_epochs"
            )
        return "EpochBasedRunner", total_epochs
    if not isinstance(runner, dict) or runner.get("type") not in ("EpochBasedRunner", "IterBasedRunner"):
        raise ScheduleError(
            None, f"runner must be dict(type='EpochBasedRunner' or 'IterBasedRunner', ...), got {runner!r}"
        )
    key = "max_epochs" if runner["type"] == "EpochBasedRunner" else "max_iters"
    if key not in runner:
        raise ScheduleError(None, f"runner {runner['type']} needs {key}")
    if total_epochs is not None and runner["type"] == "EpochBasedRunner" and total_epochs != runner[key]:
        raise ScheduleError(
            None, f"total_epochs {total_epochs} and runner.max_epochs {runner[key]} differ (mmdet asserts they agree)"
        )
    return runner["type"], runner[key]
