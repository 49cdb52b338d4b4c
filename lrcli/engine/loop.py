"""How a training loop steps its scheduler, where it is not ``train; scheduler.step()`` from row 0:
a run interrupted and resumed, ``scheduler.step()`` called before ``optimizer.step()``, and the
explicit-epoch form ``scheduler.step(epoch)``. Each takes a
:data:`~lrcli.engine.core.Scheduler` and gives the one whose rows the loop produces, replaying
torch's operation order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lrcli.engine.core import Group, ScheduleError, Scheduler, Stepper, run_stepper, running

RESUME_BY = ("state-dict", "last-epoch", "fresh")
FRAMEWORK_RESUMES = {
    "trainer": "the Trainer's resume_from_checkpoint (the scheduler's load_state_dict: the same values)",
    "runner": "the Runner's resume (each param scheduler's load_state_dict: the same values)",
    "train.py": "train.py's --resume (a new scheduler, then step(start_epoch) or step_update: the same values)",
}
"""The frameworks' own resume paths, by the ``resume`` of their :class:`~lrcli.registry.Family`:
each gives the uninterrupted run's values (transformers' and mmengine's restore the scheduler's
state; timm's schedulers are closed forms in the epoch, which ``step(start_epoch)`` evaluates, noise
seeded by the epoch as well)."""
ORDERS = ("optimizer-first", "scheduler-first")

SCHEDULER_FIRST_WARNING = (
    "Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
    "In PyTorch 1.1.0 and later, you should call them in the opposite order: "
    "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this "
    "will result in PyTorch skipping the first value of the learning rate schedule. "
    "See more details at "
    "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate"
)
"""What torch 2.13's ``LRScheduler.step`` warns when it is called before ``optimizer.step()``."""

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being "
    "deprecated where possible. Please use `scheduler.step()` to step the "
    "scheduler. During the deprecation, if epoch is different from None, the "
    "closed form is used instead of the new chainable form, where available. "
    "Please open an issue if you are unable to replicate your use case: "
    "https://github.com/pytorch/pytorch/issues/new/choose."
)
"""What torch 2.13 warns when ``step()`` is passed an epoch (CosineAnnealingWarmRestarts, whose own
``step(epoch)`` is documented, does not)."""
STEP_WITH = ("count", "epoch", "fraction")
"""How a run is continued: ``load_state_dict`` of optimizer and scheduler; the optimizer's state
loaded and the scheduler constructed with ``last_epoch``; a fresh optimizer whose ``initial_lr``
is set by hand and the scheduler constructed with ``last_epoch``."""


def resumed(scheduler: Scheduler, at: int, by: str, name: str) -> Scheduler:
    """``scheduler`` run up to row ``at - 1``, saved at the end of that epoch (after its
    ``scheduler.step()``: the optimizer holds row ``at``'s lr) and continued ``by`` one of
    :data:`RESUME_BY` (or a framework's own path, :data:`FRAMEWORK_RESUMES`). ``state-dict`` (and
    a framework's path) restores every value, so it is ``scheduler`` itself; the
    other two construct it again with ``last_epoch=at-1``, on the lr the checkpoint holds
    (``last-epoch``) or on the initial lr (``fresh``), and torch's constructor takes its initial
    step at epoch ``at`` from there (:attr:`Stepper.resume`). ``name`` names it in errors.

    >>> from lrcli.engine.core import lr_values
    >>> from lrcli.engine.torch.annealing import cosine_annealing_lr
    >>> [round(lr, 4) for lr in lr_values(resumed(cosine_annealing_lr(T_max=4), 2, "fresh", "cos"), 1.0, 4)]
    [1.0, 0.8536, 1.0, 0.2929]
    """
    if by not in RESUME_BY and by not in FRAMEWORK_RESUMES:
        raise ScheduleError("resume_by", f"must be one of {', '.join(RESUME_BY)}; got {by!r}")
    if isinstance(at, bool) or not isinstance(at, int) or at < 1:
        raise ScheduleError(
            "resume_at", f"must be a whole number >= 1 (the first row after the interruption), got {at!r}"
        )
    if by == "state-dict" or by in FRAMEWORK_RESUMES:
        return scheduler

    def construct(group: Group) -> tuple[Group, Stepper]:
        started, before = scheduler(group)
        # the initial_lr the new scheduler finds: the checkpoint's, or the fresh optimizer's lr
        base = group.lr if started.initial_lr is None or by == "fresh" else started.initial_lr
        _, again = scheduler(group.at(base, base))
        if again.resume is None:
            raise ScheduleError(
                None,
                f"{name} constructed with last_epoch={at - 1}: lrcli does not replay that (a run resumed by "
                "load_state_dict it does: --resume-by state-dict)",
            )
        resume = again.resume
        after: list[Stepper] = []  # the stepper from row at + 1 on, once row at is reached

        def run(lr: float, first: int, stop: int) -> list[float]:
            values = run_stepper(before, lr, first, min(stop, at + 1)) if first <= at else []
            if first <= at < stop:
                value, later = resume(base if by == "fresh" else values[-1], at, by == "fresh")
                values[-1] = value
                after.append(later)
            if stop > at + 1:
                values += run_stepper(after[-1], values[-1] if values else lr, max(first, at + 1), stop)
            return values

        return started, running(run, check_rows=before.check_rows)

    return construct


def scheduler_first(scheduler: Scheduler) -> Scheduler:
    """``scheduler`` stepped before the optimizer (``scheduler.step(); train``): row ``k`` is the lr
    epoch ``k`` trains with, the one after ``k + 1`` steps, so the constructor's value is never
    used.

    >>> from lrcli.engine.core import lr_values
    >>> from lrcli.engine.torch.multiplicative import step_lr
    >>> lr_values(scheduler_first(step_lr(step_size=2, gamma=0.5)), 1.0, 4)
    [1.0, 0.5, 0.5, 0.25]
    """

    def construct(group: Group) -> tuple[Group, Stepper]:
        started, stepper = scheduler(group)
        first = run_stepper(stepper, started.lr, 1, 2)[0]
        check, momentum = stepper.check_rows, stepper.momentum
        return started.at(first, started.initial_lr), running(
            lambda lr, first, stop: run_stepper(stepper, lr, first + 1, stop + 1),
            check_rows=None if check is None else lambda rows: check(rows + 1),
            momentum=None if momentum is None else lambda first, stop: momentum(first + 1, stop + 1),
        )

    return construct


def explicit_epochs(scheduler: Scheduler, epoch_of: Callable[[int], float], name: str) -> Scheduler:
    """``scheduler`` stepped as ``scheduler.step(epoch_of(k))`` at its ``k``-th step: torch's
    deprecated explicit-epoch form (:attr:`Stepper.update_lr`), the closed form where torch has
    one. ``name`` names it in errors.

    >>> from lrcli.engine.core import lr_values
    >>> from lrcli.engine.torch.annealing import cosine_annealing_warm_restarts
    >>> lr_values(explicit_epochs(cosine_annealing_warm_restarts(T_0=1), lambda k: (k - 1) / 2, "w"), 1.0, 4)
    [1.0, 1.0, 0.5, 1.0]
    """

    def construct(group: Group) -> tuple[Group, Stepper]:
        started, stepper = scheduler(group)
        update_lr = stepper.update_lr
        if update_lr is None:
            raise ScheduleError(None, f"{name}.step(epoch): lrcli does not replay the explicit-epoch form for it")
        return started, Stepper(rule=lambda lr, k: update_lr(lr, epoch_of(k)), check_rows=stepper.check_rows)

    return construct


def fraction_of_epoch(steps_per_epoch: int) -> Callable[[int], float]:
    """The epoch torch's documented per-batch form passes at step ``k`` (after batch ``i`` of
    epoch ``e``, ``k - 1 = e * steps_per_epoch + i``): ``e + i / steps_per_epoch``, computed so.

    >>> [fraction_of_epoch(4)(k) for k in (1, 2, 5, 6)]
    [0.0, 0.25, 1.0, 1.25]
    """

    def epoch_of(k: int) -> float:
        epoch, batch = divmod(k - 1, steps_per_epoch)
        return epoch + batch / steps_per_epoch

    return epoch_of


@dataclass(frozen=True)
class Loop:
    """How the loop steps: resumed at row ``resume_at`` (None: never interrupted) ``resume_by`` one
    of :data:`RESUME_BY`; ``order`` one of :data:`ORDERS`; ``step_with`` one of :data:`STEP_WITH`:
    ``scheduler.step()`` (``count``), ``scheduler.step(k)`` at the ``k``-th step (``epoch``), or
    ``scheduler.step(epoch + i / steps_per_epoch)`` after each batch (``fraction``)."""

    resume_at: int | None = None
    resume_by: str = "state-dict"
    order: str = "optimizer-first"
    step_with: str = "count"

    @property
    def plain(self) -> bool:
        """The usual loop: nothing to apply."""
        return self == Loop()

    @property
    def uninterrupted(self) -> Loop:
        """The same loop, never interrupted."""
        return Loop(order=self.order, step_with=self.step_with)

    def words(self, unit: str) -> str:
        """What the loop does, to follow a schedule's title ("" for the usual loop).

        >>> Loop(37, "fresh").words("epoch")
        'resumed at epoch 37 by last_epoch=36 on a fresh optimizer (initial_lr set by hand)'
        """
        parts = []
        if self.step_with == "epoch":
            parts.append(f"stepped as step({unit})")
        elif self.step_with == "fraction":
            parts.append("stepped as step(epoch + i / iters)")
        if self.order == "scheduler-first":
            parts.append("scheduler.step() before optimizer.step(): each row is what that " + unit + " trains with")
        if self.resume_at is not None:
            how = {
                "state-dict": "load_state_dict",
                "last-epoch": f"last_epoch={self.resume_at - 1} on the loaded optimizer",
                "fresh": f"last_epoch={self.resume_at - 1} on a fresh optimizer (initial_lr set by hand)",
                **FRAMEWORK_RESUMES,
            }[self.resume_by]
            parts.append(f"resumed at {unit} {self.resume_at} by {how}")
        return "; ".join(parts)

    def applied(self, scheduler: Scheduler, name: str, steps_per_epoch: int | None = None) -> Scheduler:
        """``scheduler`` as this loop steps it (the explicit form first, then the order, then the
        resume: a resumed run is the same loop continued)."""
        if self.step_with == "fraction":
            if not steps_per_epoch:
                raise ScheduleError(
                    None, "--step-with fraction passes epoch + i / steps per epoch: give --steps-per-epoch"
                )
            scheduler = explicit_epochs(scheduler, fraction_of_epoch(steps_per_epoch), name)
        elif self.step_with == "epoch":
            scheduler = explicit_epochs(scheduler, lambda k: k, name)
        if self.order == "scheduler-first":
            scheduler = scheduler_first(scheduler)
        if self.resume_at is not None:
            scheduler = resumed(scheduler, self.resume_at, self.resume_by, name)
        return scheduler
