"""Ultralytics YOLO's training schedule (``ultralytics/engine/trainer.py``, 8.4.190), replayed per batch.

``BaseTrainer`` builds a torch ``LambdaLR`` whose lambda ``lf`` is linear
(``max(1 - x / epochs, 0) * (1 - lrf) + lrf``) or, with ``cos_lr``, ``one_cycle(1, lrf, epochs)``,
and calls ``scheduler.step()`` at the start of every epoch: in epoch ``e`` each group's lr is
``initial_lr * lf(e)``. Over the first ``nw`` batches it overrides that, at every batch
``ni = i + nb * e`` up to and including ``nw``: the lr is ``np.interp(ni, [0, nw], [start,
initial_lr * lf(e)])`` (``start`` is ``warmup_bias_lr`` for the bias group and 0 for the others; the
end moves with the epoch), and an optimizer with ``momentum`` (SGD, MuSGD, RMSprop; not Adam's
``betas``) goes from ``warmup_momentum`` to ``momentum`` the same way. ``nw`` is
``round(min(warmup_epochs, max(epochs - 1, 0)) * nb)`` (Python's round), 0 without warmup.
``np.interp`` there is numpy's ``slope * (ni - 0) + start``, ``slope = (end - start) / (nw - 0)``,
and exactly ``end`` at ``nw``; it is computed so here, without numpy.

Row ``ni`` is the lr batch ``ni`` trains with. Up to 8.4.102 (``legacy_warmup``) ``nw`` was
``max(round(warmup_epochs * nb), 100)``, not capped by the epochs, and -1 (no warmup) without
warmup epochs; before 8.4 the optimizer was built on the biases first (:func:`param_groups`).
Up to 8.1.41 (``late_step``) the scheduler stepped at the end of each epoch, from
``last_epoch = -1``: epoch ``e`` trains with ``initial_lr * lf(max(e - 1, 0))``, except after the
warmup's last batch in the epoch it ends in, which keeps the warmup's end, ``initial_lr * lf(e)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from lrcli.engine.core import Group, ScheduleError, Scheduler, Stepper, tabulated


def linear_lf(epochs: int, lrf: float) -> Callable[[int], float]:
    """The trainer's linear lambda: from 1 at epoch 0 down to ``lrf`` at ``epochs``.

    >>> linear_lf(4, 0.01)(2)
    0.505
    """
    return lambda x: max(1 - x / epochs, 0) * (1.0 - lrf) + lrf


def one_cycle(y1: float = 0.0, y2: float = 1.0, steps: int = 100) -> Callable[[int], float]:
    """``ultralytics.utils.torch_utils.one_cycle``: a half cosine from ``y1`` to ``y2`` over ``steps``.

    >>> one_cycle(1, 0.01, 4)(2)
    0.5050000000000001
    """
    return lambda x: max((1 - math.cos(x * math.pi / steps)) / 2, 0) * (y2 - y1) + y1


def warmup_iterations(warmup_epochs: float, epochs: int, nb: int) -> int:
    """``_get_warmup_iterations``: the warmup's batches, leaving at least the last epoch out.

    >>> warmup_iterations(3.0, 100, 5), warmup_iterations(3.0, 2, 5), warmup_iterations(2.5, 10, 5)
    (15, 5, 12)
    """
    warmup = min(warmup_epochs, max(epochs - 1, 0))
    return round(warmup * nb) if warmup > 0 else 0


def interp(x: int, x1: int, y0: float, y1: float) -> float:
    """``float(np.interp(x, [0, x1], [y0, y1]))`` for ``0 <= x <= x1``, as numpy computes it.

    >>> interp(1, 3, 0.0, 0.1), interp(3, 3, 0.0, 0.1)
    (0.03333333333333333, 0.1)
    """
    if x >= x1:
        return y1
    if x == 0:
        return y0
    slope = (y1 - y0) / (x1 - 0)
    return slope * (x - 0) + y0


def auto_optimizer(nc: int, iterations: int, large: str = "MuSGD", small: str = "AdamW") -> tuple[str, float, float]:
    """``optimizer=auto``: ``(name, lr0, momentum)``, MuSGD (before 8.4, ``large`` SGD) at 0.01 past
    10,000 iterations (``ceil(dataset size / max(batch, nbs)) * epochs``), else AdamW (8.4.3 to
    8.4.7, ``small`` MuSGD) at ``round(0.002 * 5 / (4 + nc), 6)``; either ignores ``lr0`` and
    ``momentum`` and sets ``warmup_bias_lr`` to 0.

    >>> auto_optimizer(80, 1000), auto_optimizer(80, 10001), auto_optimizer(80, 10001, "SGD")
    (('AdamW', 0.000119, 0.9), ('MuSGD', 0.01, 0.9), ('SGD', 0.01, 0.9))
    >>> auto_optimizer(80, 1000, small="MuSGD")
    ('MuSGD', 0.000119, 0.9)
    """
    lr_fit = round(0.002 * 5 / (4 + nc), 6)
    return (large, 0.01, 0.9) if iterations > 10000 else (small, lr_fit, 0.9)


def legacy_warmup_iterations(warmup_epochs: float, nb: int) -> int:
    """Up to 8.4.102: ``max(round(warmup_epochs * nb), 100)`` batches, not capped by the epochs,
    and -1 (none) without warmup epochs.

    >>> legacy_warmup_iterations(3.0, 5), legacy_warmup_iterations(3.0, 1000), legacy_warmup_iterations(0, 5)
    (100, 3000, -1)
    """
    return max(round(warmup_epochs * nb), 100) if warmup_epochs > 0 else -1


@dataclass(frozen=True)
class Training:
    """A run of ``epochs`` epochs of ``nb`` batches, with the trainer's arguments (``default.yaml``'s
    defaults) and the ``momentum`` the optimizer was built with (``args.momentum``; 0.9 under
    ``optimizer=auto``, whose warmup still ends at ``args.momentum``)."""

    epochs: int
    nb: int
    lrf: float = 0.01
    cos_lr: bool = False
    warmup_epochs: float = 3.0
    warmup_bias_lr: float = 0.1
    warmup_momentum: float = 0.8
    momentum: float = 0.937
    optimizer_momentum: float | None = None
    legacy_warmup: bool = False
    late_step: bool = False

    def __post_init__(self) -> None:
        for name in ("epochs", "nb"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ScheduleError(name, f"must be a whole number >= 1, got {value!r}")
        for name in ("lrf", "warmup_epochs", "warmup_bias_lr", "warmup_momentum", "momentum"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ScheduleError(name, f"must be a finite number, got {value!r}")

    @property
    def lf(self) -> Callable[[int], float]:
        return one_cycle(1, self.lrf, self.epochs) if self.cos_lr else linear_lf(self.epochs, self.lrf)

    @property
    def nw(self) -> int:
        if self.legacy_warmup:
            return legacy_warmup_iterations(self.warmup_epochs, self.nb)
        return warmup_iterations(self.warmup_epochs, self.epochs, self.nb)

    def check_rows(self, rows: int) -> None:
        if rows > self.epochs * self.nb:
            raise ScheduleError(
                None,
                f"training ends after {self.epochs} epochs of {self.nb} batches "
                f"({self.epochs * self.nb} rows); {rows} go past it",
            )

    def momentum_rows(self, first: int, stop: int) -> list[float]:
        """The momentum of an optimizer with ``momentum`` (not ``betas``) at batches ``first…stop - 1``."""
        nw = self.nw
        after = (
            self.momentum if nw > 0 else (self.momentum if self.optimizer_momentum is None else self.optimizer_momentum)
        )
        return [
            interp(ni, nw, self.warmup_momentum, self.momentum) if nw > 0 and ni <= nw else after
            for ni in range(first, stop)
        ]

    def beta1_rows(self, first: int, stop: int) -> list[float]:
        """Adam's ``betas[0]`` (the optimizer's ``momentum`` argument), which the warmup leaves alone."""
        return [self.momentum if self.optimizer_momentum is None else self.optimizer_momentum] * (stop - first)

    def scheduler(self, bias: bool = False, has_momentum: bool = True) -> Scheduler:
        """One param group (the bias group warms up from ``warmup_bias_lr``), its lr when the
        optimizer was built being its ``initial_lr``; its momentum, or (not ``has_momentum``)
        its constant ``betas[0]``."""
        lf, nw, nb, late = self.lf, self.nw, self.nb, self.late_step
        start = self.warmup_bias_lr if bias else 0.0

        def construct(group: Group) -> tuple[Group, Stepper]:
            initial_lr = group.lr if group.initial_lr is None else group.initial_lr

            def table(first: int, stop: int) -> list[float]:
                values: list[float] = []
                epoch, regular, stepped = None, math.nan, math.nan  # set at the first step
                for ni in range(first, stop):
                    if ni // nb != epoch:
                        epoch = ni // nb
                        regular = initial_lr * lf(epoch)  # LambdaLR: base_lr * lmbda(last_epoch)
                        stepped = initial_lr * lf(max(epoch - 1, 0)) if late and epoch * nb > nw else regular
                    values.append(interp(ni, nw, start, regular) if nw > 0 and ni <= nw else stepped)
                return values

            stepper = tabulated(
                table, check_rows=self.check_rows, momentum=self.momentum_rows if has_momentum else self.beta1_rows
            )
            return group.at(table(0, 1)[0], initial_lr), stepper

        return construct


GROUPS = ("weight", "bn", "bias")
"""The param groups of ``build_optimizer`` (pg0, pg1, pg2) for every optimizer but MuSGD; the
``bias`` one warms up from ``warmup_bias_lr``."""


def param_groups(optimizer: str, lr0: float, bias_first: bool = False) -> list[tuple[str, float]]:
    """``build_optimizer``'s param groups in order, each ``(param_group, initial lr)``: the three of
    :data:`GROUPS` (before 8.4, ``bias_first``: the optimizer was built on the biases, then the
    other two added), or MuSGD's eight (``muon`` holds the matrices and conv filters; each group
    split in two, the head's ``cv3`` parameters first at ``lr * 3``).

    >>> param_groups("SGD", 0.01)
    [('weight', 0.01), ('bn', 0.01), ('bias', 0.01)]
    >>> param_groups("MuSGD", 0.01)[:2], param_groups("SGD", 0.01, bias_first=True)[0]
    ([('weight', 0.03), ('weight', 0.01)], ('bias', 0.01))
    """
    if bias_first:
        return [(group, lr0) for group in ("bias", "weight", "bn")]
    if optimizer != "MuSGD":
        return [(group, lr0) for group in GROUPS]
    return [(group, lr) for group in (*GROUPS, "muon") for lr in (lr0 * 3, lr0)]
