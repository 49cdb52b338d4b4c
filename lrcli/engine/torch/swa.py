"""SWALR (``torch.optim.swa_utils``): anneal the lr held towards ``swa_lr``."""

from __future__ import annotations

import math

from lrcli.engine.core import Group, Scheduler, SequentialHooks, Stepper, choice, from_initial_lr, number, whole
from lrcli.engine.torch.cyclic import ANNEAL_STRATEGIES


def swalr(swa_lr: float, anneal_epochs: int = 10, anneal_strategy: str = "cos") -> Scheduler:
    """``SWALR``: over ``anneal_epochs`` steps, move the lr held to ``swa_lr`` by cosine or linear
    annealing, then keep it there. Torch recovers the lr the anneal started from out of the lr
    held at every step, and mixes it with ``swa_lr``; its expressions are kept as written (ints
    where it has ints) so that every float comes out the same.

    >>> from lrcli.engine.core import lr_values
    >>> lr_values(swalr(swa_lr=0.01, anneal_epochs=2, anneal_strategy="linear"), 0.1, 4)
    [0.1, 0.055, 0.01, 0.01]
    """
    number("swa_lr", swa_lr, 0)
    whole("anneal_epochs", anneal_epochs, 0)
    choice("anneal_strategy", anneal_strategy, ANNEAL_STRATEGIES)

    def anneal(t: float) -> float:
        return (1 - math.cos(math.pi * t)) / 2 if anneal_strategy == "cos" else t

    def construct(group: Group) -> tuple[Group, Stepper]:
        # torch keeps swa_lr in the param group and reads it at every step: a second SWALR on
        # the same optimizer changes what the first one anneals to from then on.
        shared = group.shared
        shared["swa_lr"] = swa_lr

        def stepper(ahead: int) -> Stepper:
            # SWALR counts its steps in _step_count, which a SequentialLR's reset never undoes: each
            # plain step it gets there puts it one step further ahead of its epochs.
            def rule(lr: float, epoch: int) -> float:
                target = shared["swa_lr"]
                step = epoch + ahead
                step = max(1, step) if anneal_epochs == 0 else step
                prev_alpha = anneal(max(0, min(1, (step - 1) / max(1, anneal_epochs))))
                prev_lr = target if prev_alpha == 1 else (lr - prev_alpha * target) / (1 - prev_alpha)
                alpha = anneal(max(0, min(1, step / max(1, anneal_epochs))))
                return target * alpha + prev_lr * (1 - alpha)

            def resume(lr: float, epoch: int, fresh: bool) -> tuple[float, Stepper]:
                # constructed with last_epoch, its _initial_step sets _step_count to 0 and steps once:
                # the anneal starts again at step 0, from the lr it finds, whatever the epoch
                later = stepper(-epoch)
                return later.rule(lr, epoch), later

            return Stepper(
                rule=rule,
                sequential=SequentialHooks(
                    update_lr_0=lambda lr: rule(lr, 0),
                    step=lambda lr: (rule(lr, 1), stepper(ahead + 1)),
                    resumed_undo=0,
                ),
                resume=resume,
            )

        return from_initial_lr(lambda base_lr: stepper(0))(group)

    return construct
