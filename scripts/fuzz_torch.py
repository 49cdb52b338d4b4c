"""Compare lrcli with real torch on random schedules, compositions included.

Run by hand, in an environment with torch (as for scripts/golden/torch_cases.py):

    /tmp/torch/bin/python scripts/fuzz_torch.py [--cases 600] [--seed 1234]

Each case draws a scheduler (or a ChainedScheduler or SequentialLR of up to three, nested up to
--nest deep) with random parameters (edge values included: end factors of 0, max_lr below base_lr, pct_start 0 and 1,
unordered milestones; step counts, milestones and patience as ints, whole floats, fractions,
negatives and 0, which torch's arithmetic takes as any number) and horizon, steps torch, and replays the same schedule through lrcli's
replay (its checks included, as the commands use it). It counts three kinds of failure: an lr
that differs as a float; lrcli refusing what torch runs (unless torch's values hold NaN or inf,
which lrcli refuses on purpose); and lrcli running what torch refuses. It prints the first few.
"""

from __future__ import annotations

import argparse
import pathlib
import random
import sys
import warnings

import torch
from torch.optim import lr_scheduler as torch_schedulers
from torch.optim import swa_utils

TORCH_CLASSES = {**vars(torch_schedulers), "SWALR": swa_utils.SWALR}

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from fuzzing import Tally, finite, outcome  # noqa: E402  (scripts/)

from lrcli.registry import BY_COMMAND, BY_NAME  # noqa: E402  (lrcli needs only the standard library here)
from lrcli.replay import replay  # noqa: E402
from lrcli.schedules import Schedule  # noqa: E402

LAMBDAS = {
    "1 / (epoch + 1)": lambda epoch: 1 / (epoch + 1),
    "0.97 ** epoch": lambda epoch: 0.97**epoch,
    "min(1.0, (epoch + 1) / 10)": lambda epoch: min(1.0, (epoch + 1) / 10),
}
MULTIPLIERS = {
    "0.97": lambda epoch: 0.97,
    "0.5 if epoch % 7 == 0 else 1.0": lambda epoch: 0.5 if epoch % 7 == 0 else 1.0,
}


def count(rng: random.Random, low: int, high: int) -> int | float:
    """A step count: mostly an int in [low, high], else the same as a float, a fraction (halves,
    quarters, thirds), a negative number or 0."""
    whole = rng.randint(low, high)
    return rng.choice([whole] * 6 + [float(whole), whole + rng.choice([0.25, 0.5, 1 / 3, 0.75]), -whole, 0])


def draw(rng: random.Random) -> tuple[str, dict, dict]:
    """A scheduler: (torch class, its keyword arguments for torch, the same for lrcli)."""
    choice = rng.choice
    options = {
        "StepLR": dict(step_size=count(rng, 1, 20), gamma=choice([0.1, 0.5, 0.9, 1.0])),
        "MultiStepLR": dict(
            milestones=sorted(count(rng, 0, 60) for _ in range(rng.randint(0, 4))), gamma=choice([0.1, 0.5, 0.7])
        ),
        "ConstantLR": dict(factor=choice([0.0, 0.1, 0.25, 1 / 3, 0.5, 1.0]), total_iters=count(rng, 0, 30)),
        "LinearLR": dict(
            start_factor=choice([0.01, 0.1, 1 / 3, 0.9, 1.0]),
            end_factor=choice([0.0, 0.0, 0.3, 1.0]),
            total_iters=count(rng, 1, 40),
        ),
        "ExponentialLR": dict(gamma=choice([0.9, 0.95, 0.999, 1.01])),
        "PolynomialLR": dict(total_iters=count(rng, 1, 50), power=choice([0.5, 1.0, 2.0, 3.0])),
        "CosineAnnealingLR": dict(T_max=count(rng, 1, 40), eta_min=choice([0.0, 0.001, 0.01])),
        "CosineAnnealingWarmRestarts": dict(
            T_0=choice([rng.randint(1, 15)] * 9 + [2.0]), T_mult=rng.randint(1, 3), eta_min=choice([0.0, 0.001])
        ),
        "CyclicLR": dict(
            base_lr=choice([0.001, 0.05]),
            max_lr=choice([0.01, 0.1]),
            step_size_up=count(rng, 1, 15),
            step_size_down=choice([None, 0, 3, 7, 2.5, -1]),
            mode=choice(["triangular", "triangular2", "exp_range"]),
            gamma=choice([1.0, 0.99]),
        ),
        "OneCycleLR": dict(
            max_lr=choice([0.1, 1.0]),
            total_steps=rng.randint(150, 300),
            pct_start=choice([0.0, 0.1, 0.25, 0.3, 0.45, 0.6, 1.0]),
            anneal_strategy=choice(["cos", "linear"]),
            div_factor=choice([25.0, 10.0]),
            final_div_factor=choice([1e4, 100.0]),
            three_phase=choice([False, True]),
        ),
        "LambdaLR": dict(lr_lambda=choice(sorted(LAMBDAS))),
        "SWALR": dict(
            swa_lr=choice([0.001, 0.01, 0.2]),
            anneal_epochs=choice([rng.randint(0, 30)] * 9 + [3.0]),
            anneal_strategy=choice(["cos", "linear"]),
        ),
        "MultiplicativeLR": dict(lr_lambda=choice(sorted(MULTIPLIERS))),
    }
    torch_name = choice(sorted(options))
    ours = options[torch_name]
    theirs = dict(ours)
    if "lr_lambda" in theirs:
        theirs["lr_lambda"] = {**LAMBDAS, **MULTIPLIERS}[theirs["lr_lambda"]]
    return torch_name, theirs, ours


def tree(rng: random.Random, depth: int, nest: int):
    """A random scheduler: a leaf, or (above depth ``nest``) a ChainedScheduler or SequentialLR of
    one to three random schedulers (two OneCycleLR among them too). Returns torch's builder and
    lrcli's Schedule."""
    shape = rng.choice(["single", "single", "chained", "sequential"] if depth <= nest else ["single"])
    if shape == "single":
        name, torch_args, lrcli_args = draw(rng)
        return (lambda optimizer: TORCH_CLASSES[name](optimizer, **torch_args)), Schedule(BY_NAME[name], lrcli_args)
    children = [tree(rng, depth + 1, nest) for _ in range(rng.randint(1, 3))]
    milestones = [count(rng, 0, 99) for _ in children[1:]]
    if rng.random() < 0.8:
        milestones.sort()
    specs = [schedule for _, schedule in children]

    def build(optimizer):
        built = [child(optimizer) for child, _ in children]
        if shape == "chained":
            return torch_schedulers.ChainedScheduler(built)
        return torch_schedulers.SequentialLR(optimizer, built, milestones=milestones)

    params = {"schedulers": specs} if shape == "chained" else {"schedulers": specs, "milestones": milestones}
    return build, Schedule(BY_COMMAND[shape], params)


def torch_values(lr: float, build, epochs: int) -> list[float]:
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr, momentum=0.9)
    scheduler = build(optimizer)
    values = []
    for epoch in range(epochs):
        values.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        if epoch < epochs - 1:
            scheduler.step()
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--nest", type=int, default=2, help="compositions nest this deep at most (0: none)")
    arguments = parser.parse_args()
    warnings.simplefilter("ignore")
    rng = random.Random(arguments.seed)
    tally = Tally("torch")
    limitations = 0
    for _ in range(arguments.cases):
        build_torch, schedule = tree(rng, depth=0, nest=arguments.nest)
        lr, epochs = rng.choice([0.1, 0.05, 1.0]), rng.randint(1, 140)
        want, torch_error = outcome(lambda: torch_values(lr, build_torch, epochs))
        got, lrcli_error = outcome(
            lambda: [value for chunk in replay(schedule, [lr], epochs).chunks() for value in chunk.series[0]]
        )
        if torch_error is None and lrcli_error is not None and "not replayed by lrcli" in lrcli_error:
            limitations += 1  # a nesting lrcli says it does not replay (counted apart)
            continue
        tally.add(
            f"{schedule.title} epochs={epochs}",
            want,
            torch_error,
            got,
            lrcli_error,
            excused=torch_error is None and not finite(want),
        )
    print(
        f"{arguments.cases} cases (seed {arguments.seed}, torch {torch.__version__}, nesting up to {arguments.nest}, "
        f"{tally.summary()}); {limitations} refused as nestings lrcli does not replay"
    )


if __name__ == "__main__":
    main()
