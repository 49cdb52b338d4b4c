"""Compare lrcli with real transformers and timm on random schedules.

Run by hand, in an environment with torch, transformers and timm (as for scripts/golden/timm_cases.py):

    /tmp/torch/bin/python scripts/fuzz_frameworks.py [--cases 1000] [--seed 1]

Each case draws a transformers ``SchedulerType`` with random ``get_*`` arguments, or timm's
``train.py`` flags with a random ``--sched`` (cycles, k-decay, warmup with and without prefix,
per epoch or per update, noise), builds the library's own scheduler (``get_scheduler``;
``create_scheduler_v2(**scheduler_kwargs(args))``), steps it as the Trainer or ``train.py`` does,
and compares every value with lrcli's. It counts values that differ, refusals of what the library
runs and runs of what it refuses (errors on both sides agree).
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import random
import sys
import types
import warnings
from types import SimpleNamespace

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from fuzzing import Tally, finite, outcome  # noqa: E402  (scripts/)

from lrcli.registry import BY_COMMAND  # noqa: E402
from lrcli.replay import replay  # noqa: E402
from lrcli.schedules import Schedule  # noqa: E402

if importlib.util.find_spec("torchvision") is None:  # timm.scheduler needs only torch
    _timm = types.ModuleType("timm")
    _timm.__path__ = importlib.util.find_spec("timm").submodule_search_locations
    sys.modules["timm"] = _timm


def draw_transformers(rng: random.Random) -> tuple[str, dict, int]:
    kind = rng.choice(
        [
            "linear",
            "cosine",
            "cosine_with_restarts",
            "polynomial",
            "constant",
            "constant_with_warmup",
            "inverse_sqrt",
            "cosine_with_min_lr",
            "cosine_warmup_with_min_lr",
            "warmup_stable_decay",
        ]
    )
    training = rng.randint(1, 400)
    warmup = rng.choice([0, 1, rng.randint(0, training)])
    params: dict = {}
    names = BY_COMMAND[f"transformers.{kind}"].names
    if "num_warmup_steps" in names:
        params["num_warmup_steps"] = warmup
    if "num_training_steps" in names and kind != "warmup_stable_decay":
        params["num_training_steps"] = training
    if kind in ("cosine", "cosine_with_min_lr", "cosine_warmup_with_min_lr"):
        params["num_cycles"] = rng.choice([0.5, 0.25, 1.5, 2.0])
    if kind == "cosine_with_restarts":
        params["num_cycles"] = rng.randint(1, 5)
    if kind == "polynomial":
        params.update(lr_end=rng.choice([1e-7, 1e-4, 0.05]), power=rng.choice([1.0, 2.0, 0.5, 3.0]))
    if kind == "inverse_sqrt" and rng.random() < 0.5:
        params["timescale"] = rng.randint(1, 300)
    if kind in ("cosine_with_min_lr", "cosine_warmup_with_min_lr"):
        if rng.random() < 0.5:
            params["min_lr"] = rng.choice([1e-5, 1e-3])
        else:
            params["min_lr_rate"] = rng.choice([0.0, 0.1, 0.05])
    if kind == "cosine_warmup_with_min_lr" and rng.random() < 0.5:
        params["warmup_lr_rate"] = rng.choice([0.0, 0.01, 0.3])
    if kind == "warmup_stable_decay":
        params["num_decay_steps"] = rng.randint(1, 200)
        if rng.random() < 0.5:
            params["num_stable_steps"] = rng.randint(0, 200)
        else:
            params["num_training_steps"] = training
        params.update(
            warmup_type=rng.choice(["linear", "cosine", "1-sqrt"]),
            decay_type=rng.choice(["linear", "cosine", "1-sqrt"]),
            min_lr_ratio=rng.choice([0, 0.1]),
            num_cycles=rng.choice([0.5, 1.0]),
        )
    return kind, params, rng.randint(1, 450)


def transformers_values(kind: str, params: dict, lrs: list[float], rows: int) -> list[list[float]]:
    from transformers import get_scheduler

    own = {key: value for key, value in params.items() if key in ("num_warmup_steps", "num_training_steps")}
    rest = {key: value for key, value in params.items() if key not in own}
    optimizer = torch.optim.SGD([{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in lrs], lr=lrs[0])
    scheduler = get_scheduler(kind, optimizer, **own, scheduler_specific_kwargs=rest or None)
    values = []
    for _ in range(rows):
        values.append([group["lr"] for group in optimizer.param_groups])
        optimizer.step()
        scheduler.step()
    return values


TIMM_DEFAULTS = dict(
    sched="cosine",
    epochs=300,
    decay_epochs=90,
    decay_milestones=[90, 180, 270],
    warmup_epochs=5,
    cooldown_epochs=0,
    patience_epochs=10,
    decay_rate=0.1,
    min_lr=0,
    warmup_lr=1e-5,
    warmup_prefix=False,
    lr_noise=None,
    lr_noise_pct=0.67,
    lr_noise_std=1.0,
    seed=42,
    lr_cycle_mul=1.0,
    lr_cycle_decay=0.5,
    lr_cycle_limit=1,
    lr_k_decay=1.0,
    sched_on_updates=False,
    eval_metric="top1",
    lr_decay_fn=None,
    lr_stable_timescale=None,
)
"""train.py's scheduler flags and defaults (as scripts/golden/timm_cases.py takes them)."""


def draw_timm(rng: random.Random) -> tuple[str, dict, int]:
    sched = rng.choice(["cosine", "tanh", "step", "multistep", "poly", "wsd", "rsqrt", "constant"])
    flags: dict = {
        "epochs": rng.randint(1, 60),
        "warmup_epochs": rng.choice([0, 0, 1, 3, 7]),
        "warmup_lr": rng.choice([0.0, 1e-5, 1e-3]),
        "warmup_prefix": rng.random() < 0.4,
        "cooldown_epochs": rng.choice([0, 0, 4]),
        "seed": rng.randint(0, 10**6),
    }
    if sched in ("cosine", "tanh", "poly", "wsd", "rsqrt"):
        flags["min_lr"] = rng.choice([0.0, 1e-5, 1e-3])
    if sched in ("cosine", "tanh", "poly"):
        flags.update(
            lr_cycle_mul=rng.choice([1.0, 1.0, 2.0, 1.5]),
            lr_cycle_decay=rng.choice([0.5, 0.1, 1.0]),
            lr_cycle_limit=rng.choice([1, 2, 3]),
        )
    if sched in ("cosine", "poly"):
        flags["lr_k_decay"] = rng.choice([1.0, 0.5, 2.0])
    if sched == "poly":
        flags["decay_rate"] = rng.choice([0.5, 1.0, 2.0])
    if sched == "step":
        flags.update(decay_epochs=rng.choice([1, 2.4, 3, 10]), decay_rate=rng.choice([0.97, 0.5, 0.1]))
    if sched == "multistep":
        flags.update(
            decay_milestones=sorted(rng.sample(range(1, 60), rng.randint(1, 3))), decay_rate=rng.choice([0.1, 0.5])
        )
    if sched in ("wsd", "rsqrt"):
        flags.update(
            decay_epochs=rng.choice([0.2, 0.5, 1, 5]),
            lr_decay_fn=rng.choice([None, "linear", "1-sqrt", "cosine", "power", "exp"]),
        )
    if sched == "rsqrt" and rng.random() < 0.5:
        flags["lr_stable_timescale"] = rng.choice([1, 3, 10])
    if rng.random() < 0.3:
        flags.update(
            lr_noise=rng.choice([[0.5], [0.2, 0.8], [0.0]]),
            lr_noise_pct=rng.choice([0.67, 0.2]),
            lr_noise_std=rng.choice([1.0, 0.5]),
        )
    if rng.random() < 0.3:
        flags.update(sched_on_updates=True, updates_per_epoch=rng.randint(1, 30))
    return sched, flags, 0


def timm_values(sched: str, flags: dict, lrs: list[float]) -> list[list[float]]:
    from timm.scheduler import create_scheduler_v2, scheduler_kwargs

    optimizer = torch.optim.SGD([{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in lrs], lr=lrs[0])
    given = {key: value for key, value in flags.items() if key != "updates_per_epoch"}
    args = SimpleNamespace(**{**TIMM_DEFAULTS, **given, "sched": sched})
    per = flags.get("updates_per_epoch", 0)
    scheduler, epochs = create_scheduler_v2(optimizer, **scheduler_kwargs(args), updates_per_epoch=per)
    rows = epochs * (per if flags.get("sched_on_updates") else 1)
    values = []
    for row in range(rows):
        values.append([group["lr"] for group in optimizer.param_groups])
        if flags.get("sched_on_updates"):
            scheduler.step_update(row + 1)
        else:
            scheduler.step(row + 1)
    return values


def lrcli_values(command: str, params: dict, lrs: list[float], rows: int | None, per: int | None):
    schedule = Schedule(BY_COMMAND[command], params)
    result = replay(schedule, lrs, steps=rows, steps_per_epoch=per)
    values = [list(row) for chunk in result.chunks() for row in zip(*chunk.series)]
    if not finite(values):
        raise ValueError("not finite")
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    warnings.simplefilter("ignore")
    rng = random.Random(arguments.seed)
    tally = Tally("the library", shown=6)
    for case in range(arguments.cases):
        lrs = rng.choice([[0.1], [3e-4], [0.1, 0.02]])
        if case % 2:
            kind, params, rows = draw_transformers(rng)
            want, theirs = outcome(lambda: transformers_values(kind, params, lrs, rows))
            description = BY_COMMAND[f"transformers.{kind}"]
            full = {**{param.name: param.default for param in description.params if not param.required}, **params}
            got, ours = outcome(lambda: lrcli_values(description.command, full, lrs, rows, None))
            label = f"transformers {kind} {params} rows={rows}"
        else:
            sched, flags, _ = draw_timm(rng)
            want, theirs = outcome(lambda: timm_values(sched, flags, lrs))
            description = BY_COMMAND[f"timm.{sched}"]
            full = {name: flags.get(name, description.param(name).default) for name in description.names}
            full = {name: list(value) if isinstance(value, tuple) else value for name, value in full.items()}
            per = flags.get("updates_per_epoch") if flags.get("sched_on_updates") else None
            got, ours = outcome(lambda: lrcli_values(description.command, full, lrs, None, per))
            label = f"timm {sched} {flags}"
        tally.add(label, want, theirs, got, ours, excused=theirs is None and not finite(want))
    print(f"{arguments.cases} cases (seed {arguments.seed}, {tally.summary()})")


if __name__ == "__main__":
    main()
