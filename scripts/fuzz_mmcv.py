"""Compare lrcli with MMCV 1.7.2's own updater hooks on random lr_config and momentum_config dicts.

Run by hand, as scripts/golden/mmcv_cases.py (whose loader of mmcv's hook files and runner loop it uses):

    /tmp/torch/bin/python scripts/fuzz_mmcv.py [--cases 3000] [--seed 1] [--mmcv /tmp/mmcvdl/mmcv-1.7.2]

Each case draws a policy (every lr hook and momentum hook, some spelled in lower case, some
unknown), its parameters with edge values, ``by_epoch``, a warmup (valid or not), one to three
param groups, and an EpochBasedRunner (1–6 epochs of 1–20 iterations) or an IterBasedRunner (1–200
iterations); runs mmcv's hook in the runner's order and lrcli's replay, and compares every
iteration's value. It counts values that differ, refusals of what mmcv runs and runs of what it
refuses.
"""

from __future__ import annotations

import argparse
import pathlib
import random
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from fuzzing import Tally, outcome  # noqa: E402  (scripts/)

from lrcli.engine.core import GroupReplay  # noqa: E402
from lrcli.engine.mmcv import Loop, mmcv_lr_schedulers, mmcv_momentum_schedulers  # noqa: E402
from scripts.golden.mmcv_cases import build, load_hooks, run  # noqa: E402


def draw(rng: random.Random, momentum: bool) -> dict:
    policies = (
        ["step", "CosineAnnealing", "LinearAnnealing", "cyclic", "OneCycle"]
        if momentum
        else [
            "fixed",
            "step",
            "exp",
            "poly",
            "inv",
            "CosineAnnealing",
            "FlatCosineAnnealing",
            "CosineRestart",
            "cyclic",
            "OneCycle",
            "LinearAnnealing",
        ]
    )
    policy = rng.choice(policies + ["Step", "cosineannealing", "Poly" if momentum else "Nope"])
    config: dict = {"policy": policy}
    kind = policy.title() if policy == policy.lower() else policy
    floor, ratio = ("min_momentum", "min_momentum_ratio") if momentum else ("min_lr", "min_lr_ratio")
    if kind == "Step":
        config["step"] = rng.choice([1, 2, 3, [1, 3], [2, 2, 5], [0, 2], 2.5, [7]])
        if rng.random() < 0.5:
            config["gamma"] = rng.choice([0.1, 0.5, 0.9])
        if rng.random() < 0.3:
            config[floor] = rng.choice([0.0, 1e-3, 0.05])
    elif kind in ("Exp", "Inv"):
        if rng.random() < 0.95:
            config["gamma"] = rng.choice([0.9, 0.5, 1e-3, 0.1])
        if kind == "Inv" and rng.random() < 0.5:
            config["power"] = rng.choice([0.75, 1.0, 2])
    elif kind == "Poly":
        for key, values in (("power", [0.9, 1.0, 2]), ("min_lr", [0.0, 1e-4])):
            if rng.random() < 0.5:
                config[key] = rng.choice(values)
    elif kind in ("CosineAnnealing", "LinearAnnealing", "FlatCosineAnnealing", "CosineRestart"):
        roll = rng.random()
        if roll < 0.45:
            config[floor] = rng.choice([0, 0.0, 1e-5, 0.01])
        elif roll < 0.9:
            config[ratio] = rng.choice([0.0, 1e-3, 0.1, 0.5])
        elif roll < 0.95:
            config[floor], config[ratio] = 0.0, 0.1
        if kind == "FlatCosineAnnealing" and rng.random() < 0.7:
            config["start_percent"] = rng.choice([0.0, 0.5, 0.72, 0.75, 1.0, 1, 0.99])
        if kind == "CosineRestart":
            periods = [rng.randrange(1, 40) for _ in range(rng.randrange(1, 4))]
            config["periods"] = periods
            config["restart_weights"] = [
                rng.choice([1, 0.5, 0.8]) for _ in periods[: len(periods) - (rng.random() < 0.05)]
            ]
    elif kind == "Cyclic":
        if rng.random() < 0.8:
            config["target_ratio"] = rng.choice([(10, 1e-4), (5.0, 0.1), 4.0, (8,), [10, 1e-4], 10, (0.85 / 0.95, 1)])
        for key, values in (
            ("cyclic_times", [1, 2, 3]),
            ("step_ratio_up", [0.0, 0.3, 0.4, 0.99, 1.0]),
            ("anneal_strategy", ["cos", "linear", "cosine"]),
            ("gamma", [1, 0.8, 0.5, 0]),
        ):
            if rng.random() < 0.4:
                config[key] = rng.choice(values)
    elif kind == "OneCycle":
        if momentum:
            for key, values in (
                ("base_momentum", [0.85, 0.8, [0.8, 0.85], 1]),
                ("max_momentum", [0.95, 0.99, [0.9, 0.9]]),
            ):
                if rng.random() < 0.4:
                    config[key] = rng.choice(values)
        else:
            config["max_lr"] = rng.choice([0.01, 0.1, [0.01, 0.02], 1, "0.1"])
            for key, values in (
                ("total_steps", [None, 300, 1000, 5, 100.0]),
                ("div_factor", [25, 10, 4.0]),
                ("final_div_factor", [1e4, 100]),
            ):
                if rng.random() < 0.3:
                    config[key] = rng.choice(values)
        for key, values in (
            ("pct_start", [0.3, 0.25, 0.5, 0.0, 1.0, 1]),
            ("anneal_strategy", ["cos", "linear"]),
            ("three_phase", [True, False]),
        ):
            if rng.random() < 0.4:
                config[key] = rng.choice(values)
    if rng.random() < 0.5:
        config["by_epoch"] = rng.random() < 0.5
    if rng.random() < 0.5:
        config["warmup"] = rng.choice(["linear", "constant", "exp", "linear", "cosine"])
        config["warmup_iters"] = rng.choice([1, 3, 10, 25, 0, 5.0])
        if rng.random() < 0.7:
            config["warmup_ratio"] = rng.choice([0.001, 0.1, 1.0 / 3, 0.5, 0.9, 1.0, 0, 1.5])
        if not momentum and rng.random() < 0.3:
            config["warmup_by_epoch"] = True
    return config


def lrcli_rows(config: dict, momentum: bool, values: list[float], loop: Loop) -> list[list[float]]:
    make = mmcv_momentum_schedulers if momentum else mmcv_lr_schedulers
    schedulers = make(config, len(values), loop)
    columns = []
    for scheduler, value in zip(schedulers, values):
        replay = GroupReplay(scheduler, value)
        replay.stepper.check_rows(loop.max_iters)
        columns.append([item for chunk in replay.chunks(loop.max_iters, size=50) for item in chunk])
    return [list(row) for row in zip(*columns)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mmcv", type=pathlib.Path, default=pathlib.Path("/tmp/mmcvdl/mmcv-1.7.2"))
    arguments = parser.parse_args()
    module = load_hooks(arguments.mmcv)
    rng = random.Random(arguments.seed)
    tally = Tally("mmcv")
    for case in range(arguments.cases):
        momentum = rng.random() < 0.3
        config = draw(rng, momentum)
        groups = rng.choice([1, 1, 2, 3])
        values = [rng.choice([0.9, 0.95, 0.85]) if momentum else rng.choice([0.1, 0.02, 1e-3]) for _ in range(groups)]
        optimizer = rng.choice(["SGD", "Adam"]) if momentum else "SGD"
        if rng.random() < 0.6:
            runner, horizon, length = "EpochBasedRunner", rng.randrange(1, 7), rng.randrange(1, 21)
            loop = Loop.epochs(horizon, length)
        else:
            runner, horizon, length = "IterBasedRunner", rng.randrange(1, 201), rng.randrange(1, 21)
            loop = Loop.iterations(horizon, length)

        def theirs_rows():
            hook = build(module, config, "Momentum" if momentum else "Lr")
            rows = run(hook, runner, horizon, length, 1, optimizer, lrs=values, momentums=values if momentum else None)
            return [row[1:] for row in rows]

        want, theirs = outcome(theirs_rows)
        got, ours = outcome(lambda: lrcli_rows(config, momentum, values, loop))
        tally.add(
            f"case {case} {'momentum' if momentum else 'lr'}_config={config} values={values} {runner} "
            f"{horizon}x{length}",
            want,
            theirs,
            got,
            ours,
        )
    print(tally.summary())


if __name__ == "__main__":
    main()
