"""Compare lrcli with real mmengine on random param_scheduler lists.

Run by hand, in an environment with torch and mmengine (as for scripts/golden/mmengine_cases.py):

    /tmp/torch/bin/python scripts/fuzz_mmengine.py [--cases 1000] [--seed 1]

Each case draws one to four schedulers (every class lrcli replays, random windows and parameters,
by epoch or by iteration, some converted to iterations) for an epoch loop or (a quarter of the
cases) an iteration loop, builds them with mmengine's registry as its Runner does (``end``
defaulting to the loop's length, ``epoch_length`` for the conversion), steps them in the
ParamSchedulerHook's order (iteration schedulers after each iteration, epoch schedulers after each
epoch, or once after an iteration loop), and compares every iteration's lr with lrcli's replay. It
counts values that differ, refusals of what mmengine runs and runs of what it refuses.
"""

from __future__ import annotations

import argparse
import copy
import pathlib
import random
import sys
import warnings

import torch
from mmengine.registry import PARAM_SCHEDULERS

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from fuzzing import Tally, outcome  # noqa: E402  (scripts/)

from lrcli.engine.core import lr_values  # noqa: E402
from lrcli.engine.mmengine import mmengine_schedule  # noqa: E402


def draw(rng: random.Random, epochs: int, length: int) -> dict:
    kind = rng.choice(
        [
            "ConstantLR",
            "LinearLR",
            "StepLR",
            "MultiStepLR",
            "ExponentialLR",
            "CosineAnnealingLR",
            "PolyLR",
            "OneCycleLR",
            "CosineRestartLR",
        ]
    )
    by_epoch = rng.random() < 0.5
    span = epochs if by_epoch else epochs * length
    begin = rng.choice([0, 0, rng.randrange(span)])
    entry = {"type": kind, "by_epoch": by_epoch, "begin": begin}
    if rng.random() < 0.7:
        entry["end"] = rng.randrange(begin + 1, span + 3)
    if by_epoch and rng.random() < 0.3:
        entry["convert_to_iter_based"] = True
    if kind == "ConstantLR":
        entry["factor"] = rng.choice([0.1, 0.5, 1.0 / 3, 1.0])
    elif kind == "LinearLR":
        entry.update(start_factor=rng.choice([0.001, 0.1, 1.0 / 3]), end_factor=rng.choice([1.0, 0.5, 0.0]))
    elif kind == "StepLR":
        entry.update(step_size=rng.randrange(1, 6), gamma=rng.choice([0.1, 0.5, 0.9]))
    elif kind == "MultiStepLR":
        entry.update(milestones=sorted(rng.choices(range(span + 2), k=rng.randint(1, 3))), gamma=0.5)
    elif kind == "ExponentialLR":
        entry["gamma"] = rng.choice([0.9, 0.99, 1.01])
    elif kind == "CosineAnnealingLR":
        if rng.random() < 0.5:
            entry["T_max"] = rng.randrange(1, 20)
        if rng.random() < 0.5:
            entry["eta_min_ratio"] = 0.05
        else:
            entry["eta_min"] = rng.choice([0.0, 1e-4])
    elif kind == "PolyLR":
        entry.update(eta_min=rng.choice([0, 1e-5]), power=rng.choice([0.9, 1.0, 2.0]))
    elif kind == "OneCycleLR":
        entry.update(
            eta_max=rng.choice([0.1, 0.5]),
            pct_start=rng.choice([0.25, 0.3, 0.5]),
            anneal_strategy=rng.choice(["cos", "linear"]),
            three_phase=rng.random() < 0.3,
        )
        if rng.random() < 0.5:
            entry["total_steps"] = rng.randrange(5, 40)
    else:
        count = rng.randint(1, 3)
        entry.update(
            periods=[rng.randrange(1, 15) for _ in range(count)],
            restart_weights=[rng.choice([1, 0.5]) for _ in range(count)],
            eta_min=0.0,
        )
    return entry


def mmengine_values(entries: list[dict], lr: float, epochs: int, length: int, iteration_loop: bool) -> list[float]:
    """The lr of every iteration, the schedulers built as the Runner builds them (an iteration
    loop has max_epochs 1) and stepped as the hook steps them (an iteration loop ends its one
    epoch after its last iteration)."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)
    schedulers = []
    for entry in entries:
        config = copy.deepcopy(entry)
        config.setdefault("end", (1 if iteration_loop else epochs) if config.get("by_epoch", True) else epochs * length)
        schedulers.append(PARAM_SCHEDULERS.build(config, default_args={"optimizer": optimizer, "epoch_length": length}))
    values = []
    for iteration in range(epochs * length):
        values.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        for scheduler in schedulers:
            if not scheduler.by_epoch:
                scheduler.step()
        if (iteration + 1) % length == 0 if not iteration_loop else iteration == epochs * length - 1:
            for scheduler in schedulers:
                if scheduler.by_epoch:
                    scheduler.step()
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    warnings.simplefilter("ignore")
    import mmengine.optim  # noqa: F401  (registers the schedulers)

    rng = random.Random(arguments.seed)
    tally = Tally("mmengine")
    for _ in range(arguments.cases):
        epochs, length = rng.randint(1, 8), rng.randint(1, 40)
        entries = [draw(rng, epochs, length) for _ in range(rng.randint(1, 4))]
        lr = rng.choice([0.1, 0.02, 1.0])
        iteration_loop = rng.random() < 0.25
        want, theirs = outcome(lambda: mmengine_values(entries, lr, epochs, length, iteration_loop))
        got, ours = outcome(
            lambda: lr_values(
                mmengine_schedule(entries, length, None if iteration_loop else epochs, epochs * length),
                lr,
                epochs * length,
            )
        )
        tally.add(f"{entries} epochs={epochs} length={length} iteration loop={iteration_loop}", want, theirs, got, ours)
    print(f"{arguments.cases} cases (seed {arguments.seed}, {tally.summary()})")


if __name__ == "__main__":
    main()
