"""Compare lrcli's engine with real torch on random schedules, compositions included.

Run by hand, in an environment with torch (as for make_golden.py):

    /tmp/torch/bin/python scripts/fuzz_torch.py [--cases 600] [--seed 1234]

Each case draws a scheduler (or a ChainedScheduler or SequentialLR of up to three) with random
parameters and horizon, steps torch and lrcli side by side, and counts the cases where any lr
differs as a float, or where only one of them fails. It prints the first few mismatches.
"""

from __future__ import annotations

import argparse
import pathlib
import random
import sys
import warnings

import torch
from torch.optim import lr_scheduler as torch_schedulers

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from lrcli.engine import core  # noqa: E402  (the engine needs only the standard library)
from lrcli.engine.torch import annealing, compose, cyclic, multiplicative  # noqa: E402

ENGINE = {name: function for module in (annealing, cyclic, multiplicative) for name, function in vars(module).items()
          if name.endswith("_lr") or name == "cosine_annealing_warm_restarts"}

LAMBDAS = {
    "1 / (epoch + 1)": lambda epoch: 1 / (epoch + 1),
    "0.97 ** epoch": lambda epoch: 0.97**epoch,
    "min(1.0, (epoch + 1) / 10)": lambda epoch: min(1.0, (epoch + 1) / 10),
}
MULTIPLIERS = {"0.97": lambda epoch: 0.97, "0.5 every 7th": lambda epoch: 0.5 if epoch % 7 == 0 else 1.0}


def draw(rng: random.Random) -> tuple[str, str, dict]:
    """A scheduler: (torch class, engine function, keyword arguments common to both)."""
    choice = rng.choice
    options = {
        "StepLR": ("step_lr", dict(step_size=rng.randint(1, 20), gamma=choice([0.1, 0.5, 0.9, 1.0]))),
        "MultiStepLR": ("multistep_lr", dict(milestones=sorted(rng.choices(range(60), k=rng.randint(0, 4))),
                                             gamma=choice([0.1, 0.5, 0.7]))),
        "ConstantLR": ("constant_lr", dict(factor=choice([0.1, 0.25, 1 / 3, 0.5, 1.0]), total_iters=rng.randint(0, 30))),
        "LinearLR": ("linear_lr", dict(start_factor=choice([0.01, 0.1, 1 / 3, 1.0]), end_factor=choice([0.0, 0.3, 1.0]),
                                       total_iters=rng.randint(1, 40))),
        "ExponentialLR": ("exponential_lr", dict(gamma=choice([0.9, 0.95, 0.999, 1.01]))),
        "PolynomialLR": ("polynomial_lr", dict(total_iters=rng.randint(1, 50), power=choice([0.5, 1.0, 2.0, 3.0]))),
        "CosineAnnealingLR": ("cosine_annealing_lr", dict(T_max=rng.randint(1, 40), eta_min=choice([0.0, 0.001, 0.01]))),
        "CosineAnnealingWarmRestarts": ("cosine_annealing_warm_restarts",
                                        dict(T_0=rng.randint(1, 15), T_mult=rng.randint(1, 3), eta_min=choice([0.0, 0.001]))),
        "CyclicLR": ("cyclic_lr", dict(base_lr=0.001, max_lr=choice([0.01, 0.1]), step_size_up=rng.randint(1, 15),
                                       step_size_down=choice([None, 0, 3, 7]),
                                       mode=choice(["triangular", "triangular2", "exp_range"]), gamma=choice([1.0, 0.99]))),
        "OneCycleLR": ("one_cycle_lr", dict(max_lr=choice([0.1, 1.0]), total_steps=rng.randint(150, 300),
                                            pct_start=choice([0.1, 0.25, 0.3, 0.45, 0.6]),
                                            anneal_strategy=choice(["cos", "linear"]), div_factor=choice([25.0, 10.0]),
                                            final_div_factor=choice([1e4, 100.0]), three_phase=choice([False, True]))),
        "LambdaLR": ("lambda_lr", dict(lr_lambda=LAMBDAS[choice(sorted(LAMBDAS))])),
        "MultiplicativeLR": ("multiplicative_lr", dict(lr_lambda=MULTIPLIERS[choice(sorted(MULTIPLIERS))])),
    }
    torch_name = choice(sorted(options))
    engine_name, arguments = options[torch_name]
    return torch_name, engine_name, arguments


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


def outcome(compute):
    try:
        return compute(), None
    except Exception as error:  # a failure on both sides is agreement
        return None, type(error).__name__


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1234)
    arguments = parser.parse_args()
    warnings.simplefilter("ignore")
    rng = random.Random(arguments.seed)
    mismatches = 0
    for _ in range(arguments.cases):
        shape = rng.choice(["single", "single", "chained", "sequential"])
        children = [draw(rng) for _ in range(1 if shape == "single" else rng.randint(1, 3))]
        if [name for name, _, _ in children].count("OneCycleLR") > 1:
            children = children[:1]
        milestones = sorted(rng.choices(range(100), k=len(children) - 1))

        def build_torch(optimizer, children=children, shape=shape, milestones=milestones):
            built = [getattr(torch_schedulers, name)(optimizer, **args) for name, _, args in children]
            if shape == "chained":
                return torch_schedulers.ChainedScheduler(built)
            if shape == "sequential":
                return torch_schedulers.SequentialLR(optimizer, built, milestones=milestones)
            return built[0]

        engine = [ENGINE[function](**args) for _, function, args in children]
        scheduler = {"chained": lambda: compose.chained_scheduler(engine),
                     "sequential": lambda: compose.sequential_lr(engine, milestones)}.get(shape, lambda: engine[0])()
        lr, epochs = rng.choice([0.1, 0.05, 1.0]), rng.randint(1, 140)
        want, torch_error = outcome(lambda: torch_values(lr, build_torch, epochs))
        got, engine_error = outcome(lambda: core.lr_values(scheduler, lr, epochs))
        if (torch_error is None) != (engine_error is None) or got != want:
            mismatches += 1
            if mismatches <= 5:
                first = next((i for i, (a, b) in enumerate(zip(got or [], want or [])) if a != b), None)
                print(f"mismatch: {shape} {[name for name, _, _ in children]} epochs={epochs} "
                      f"torch error={torch_error} lrcli error={engine_error} first differing row={first}")
    print(f"{arguments.cases} cases, {mismatches} mismatches (torch {torch.__version__})")


if __name__ == "__main__":
    main()
