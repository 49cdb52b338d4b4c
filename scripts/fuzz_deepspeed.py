"""Compare lrcli with DeepSpeed's own lr schedules on random parameters.

Run by hand, in the environment of scripts/golden/deepspeed_cases.py:

    /tmp/ds/bin/python scripts/fuzz_deepspeed.py [--cases 3000] [--seed 1]

Each case draws one of the five classes, random parameters under DeepSpeed's names (edge values,
ints where floats go and the reverse, per-group lists of the right and wrong length, a name it
does not take, a required one left out), one to three param groups on SGD or Adam, and up to 400
updates; it runs DeepSpeed's class (row 0 as its constructor leaves the groups, then one
``step()`` per row) and lrcli's replay, and compares every group's lr (and, for Adam,
``betas[0]``). It counts values that differ, refusals of what DeepSpeed runs and runs of what it
refuses.
"""

from __future__ import annotations

import argparse
import logging
import pathlib
import random
import sys

import torch
from deepspeed.runtime import lr_schedules

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from fuzzing import Tally, outcome  # noqa: E402  (scripts/)

from lrcli.engine.core import GroupReplay  # noqa: E402
from lrcli.engine.deepspeed import deepspeed_schedulers  # noqa: E402


def some_lr(rng: random.Random) -> float:
    return rng.choice([0, 0.0, 1e-3, 3e-4, 0.1, 1, rng.uniform(0, 0.1), 10 ** rng.uniform(-7, 0)])


def some_steps(rng: random.Random) -> object:
    return rng.choice([1, 2, 3, 5, 10, 37, 100, 0, -1, 10.0, rng.randrange(1, 300)])


def per_group(rng: random.Random, groups: int, draw) -> object:
    roll = rng.random()
    if roll < 0.2:
        return [draw(rng) for _ in range(groups)]
    if roll < 0.25:
        return [draw(rng) for _ in range(groups + rng.choice([-1, 1]) or 1)]
    return draw(rng)


def draw(rng: random.Random, groups: int) -> tuple[str, dict]:
    name = rng.choice(["WarmupLR", "WarmupDecayLR", "WarmupCosineLR", "OneCycle", "LRRangeTest"])
    params: dict = {}
    maybe = rng.random
    if name in ("WarmupLR", "WarmupDecayLR"):
        if maybe() < 0.7:
            params["warmup_min_lr"] = per_group(rng, groups, some_lr)
        if maybe() < 0.7:
            params["warmup_max_lr"] = per_group(rng, groups, some_lr)
        if maybe() < 0.8:
            params["warmup_num_steps"] = some_steps(rng)
        if maybe() < 0.6:
            params["warmup_type"] = rng.choice(["log", "linear", "linear", "cosine"])
        if name == "WarmupDecayLR" and maybe() < 0.95:
            params["total_num_steps"] = rng.choice([rng.randrange(1, 400), 50.5, 0, 3])
    elif name == "WarmupCosineLR":
        if maybe() < 0.95:
            params["total_num_steps"] = rng.choice([rng.randrange(1, 400), 120.0, 2])
        for key, values in (("warmup_min_ratio", [0, 0.0, 0.1, 0.5]), ("cos_min_ratio", [0.0, 1e-4, 0.05, 1.0])):
            if maybe() < 0.6:
                params[key] = rng.choice(values)
        if maybe() < 0.8:
            params["warmup_num_steps"] = some_steps(rng)
        if maybe() < 0.5:
            params["warmup_type"] = rng.choice(["log", "linear"])
    elif name == "OneCycle":
        if maybe() < 0.97:
            params["cycle_min_lr"] = per_group(rng, groups, some_lr)
        if maybe() < 0.97:
            params["cycle_max_lr"] = per_group(rng, groups, some_lr)
        if maybe() < 0.8:
            params["cycle_first_step_size"] = rng.choice([1, 2, 7, 30, 100, 0, 12.5])
        if maybe() < 0.5:
            params["cycle_second_step_size"] = rng.choice([0, 1, 5, 40, -1, 9.5])
        if maybe() < 0.4:
            params["cycle_first_stair_count"] = rng.choice([0, 1, 3, 4])
        if maybe() < 0.3:
            params["cycle_second_stair_count"] = rng.choice([0, 2, 5])
        if maybe() < 0.5:
            params["decay_step_size"] = rng.choice([0, 1, 3, 10])
        for key in ("decay_lr_rate", "decay_mom_rate"):
            if maybe() < 0.4:
                params[key] = rng.choice([0.0, 0.001, 0.5, 1.0])
        if maybe() < 0.3:
            params["cycle_momentum"] = rng.random() < 0.5
        for key, values in (("cycle_min_mom", [0.8, 0.85]), ("cycle_max_mom", [0.9, 0.99])):
            if maybe() < 0.3:
                params[key] = per_group(rng, groups, lambda rng: rng.choice(values))
    else:
        if maybe() < 0.7:
            params["lr_range_test_min_lr"] = per_group(rng, groups, some_lr)
        if maybe() < 0.7:
            params["lr_range_test_step_size"] = some_steps(rng)
        if maybe() < 0.6:
            params["lr_range_test_step_rate"] = rng.choice([0.5, 1.0, 2.5, 0])
        if maybe() < 0.5:
            params["lr_range_test_staircase"] = rng.random() < 0.5
    if maybe() < 0.1:
        params["last_batch_iteration"] = rng.choice([-1, 0, 5])
    if maybe() < 0.03:
        params["warmup_steps"] = 10
    return name, params


def deepspeed_rows(name: str, params: dict, lrs: list[float], adam: bool, rows: int) -> list[list[float]]:
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in lrs]
    optimizer = torch.optim.Adam(groups) if adam else torch.optim.SGD(groups, lr=lrs[0], momentum=0.9)
    scheduler = getattr(lr_schedules, name)(optimizer, **params)
    table = []
    for row in range(rows):
        if row:
            scheduler.step()
        table.append(
            [group["lr"] for group in optimizer.param_groups]
            + ([group["betas"][0] for group in optimizer.param_groups] if adam else [])
        )
    return table


def lrcli_rows(name: str, params: dict, lrs: list[float], adam: bool, rows: int) -> list[list[float]]:
    params = dict(params)
    if name == "OneCycle" and not adam:
        params["cycle_momentum"] = False
    replays = [GroupReplay(scheduler, lr) for scheduler, lr in zip(deepspeed_schedulers(name, params, len(lrs)), lrs)]
    columns = [[value for chunk in replay.chunks(rows, size=64) for value in chunk] for replay in replays]
    if adam:
        for replay in replays:
            moving = replay.stepper.momentum
            columns.append(moving(0, rows) if moving is not None else [0.9] * rows)
    return [list(row) for row in zip(*columns)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    logging.getLogger("DeepSpeed").setLevel(logging.ERROR)
    rng = random.Random(arguments.seed)
    tally = Tally("DeepSpeed")
    for case in range(arguments.cases):
        groups = rng.choice([1, 1, 2, 3])
        name, params = draw(rng, groups)
        lrs = [rng.choice([0.1, 1e-3, 0.5]) for _ in range(groups)]
        adam, rows = rng.random() < 0.5, rng.randrange(1, 400)
        want, theirs = outcome(lambda: deepspeed_rows(name, params, lrs, adam, rows))
        got, ours = outcome(lambda: lrcli_rows(name, params, lrs, adam, rows))
        resumed = params.get("last_batch_iteration", -1) != -1 and name == "OneCycle" and adam
        tally.add(
            f"case {case} {name}({params}) lrs={lrs} adam={adam} rows={rows}",
            want,
            theirs,
            got,
            ours,
            excused=resumed or isinstance(params.get("warmup_num_steps"), bool),
        )
    print(tally.summary())


if __name__ == "__main__":
    main()
