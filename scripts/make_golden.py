"""Write tests/golden/: what real torch leaves in optimizer.param_groups[i]["lr"], step by step.

Run by hand, in an environment with torch (the tests never import it):

    python -m venv /tmp/torch && /tmp/torch/bin/pip install torch==2.13.0
    /tmp/torch/bin/python scripts/make_golden.py

Each case pairs an lrcli command line with the torch scheduler it stands for. The script builds an
SGD optimizer with one param group per ``--lr``, records every group's lr, then calls
``optimizer.step(); scheduler.step()``, ``--epochs`` times in all, and writes ``<case>.csv``
(header as lrcli's CSV, floats as Python's repr) plus ``cases.json`` (name → lrcli arguments).
"""

from __future__ import annotations

import json
import math
import pathlib
import warnings

import torch
from torch.optim import lr_scheduler as sched

GOLDEN = pathlib.Path(__file__).resolve().parent.parent / "tests" / "golden"


def lam(text: str):
    """The Python function ``lambda epoch: TEXT`` under ``from math import *``: the reference
    meaning of an lrcli --lr-lambda expression. (The texts are this script's own.)"""
    return eval(f"lambda epoch: {text}", dict(vars(math)))  # noqa: S307


# name: (lrcli arguments without --format, torch scheduler factory taking the optimizer)
CASES = {
    "seed_lambda": (
        ["lambda", "--lr", "0.1", "--lr-lambda", "1/(epoch+1)"],
        lambda opt: sched.LambdaLR(opt, lam("1/(epoch+1)")),
    ),
    "seed_step": (
        ["step", "--lr", "0.1", "--step-size", "3", "--gamma", "0.1"],
        lambda opt: sched.StepLR(opt, step_size=3, gamma=0.1),
    ),
    "seed_multistep": (
        ["multistep", "--lr", "0.1", "--milestones", "3,7", "--gamma", "0.1"],
        lambda opt: sched.MultiStepLR(opt, milestones=[3, 7], gamma=0.1),
    ),
    "seed_exp": (
        ["exp", "--lr", "0.1", "--gamma", "0.1"],
        lambda opt: sched.ExponentialLR(opt, gamma=0.1),
    ),
    "exp_long": (
        ["exp", "--lr", "0.1", "--gamma", "0.95", "--epochs", "5000"],
        lambda opt: sched.ExponentialLR(opt, gamma=0.95),
    ),
    "exp_slow_three_groups": (
        ["exp", "--lr", "0.3", "--lr", "0.01", "--lr", "7", "--gamma", "0.999", "--epochs", "10000"],
        lambda opt: sched.ExponentialLR(opt, gamma=0.999),
    ),
    "exp_growth": (
        ["exp", "--lr", "0.001", "--gamma", "1.01", "--epochs", "5000"],
        lambda opt: sched.ExponentialLR(opt, gamma=1.01),
    ),
    "exp_underflow": (
        ["exp", "--lr", "1", "--gamma", "0.5", "--epochs", "3000"],
        lambda opt: sched.ExponentialLR(opt, gamma=0.5),
    ),
    "step_long": (
        ["step", "--lr", "1", "--step-size", "7", "--gamma", "0.5", "--epochs", "6000"],
        lambda opt: sched.StepLR(opt, step_size=7, gamma=0.5),
    ),
    "step_every_epoch_two_groups": (
        ["step", "--lr", "0.05", "--lr", "0.2", "--step-size", "1", "--gamma", "0.9", "--epochs", "5000"],
        lambda opt: sched.StepLR(opt, step_size=1, gamma=0.9),
    ),
    "step_default_gamma": (
        ["step", "--lr", "0.4", "--step-size", "30", "--epochs", "5000"],
        lambda opt: sched.StepLR(opt, step_size=30),
    ),
    "step_gamma_zero": (
        ["step", "--lr", "0.1", "--step-size", "4", "--gamma", "0", "--epochs", "12"],
        lambda opt: sched.StepLR(opt, step_size=4, gamma=0.0),
    ),
    "multistep_repeated_and_zero": (
        ["multistep", "--lr", "0.1", "--lr", "0.02", "--milestones", "0,5,5,100,2000", "--gamma", "0.3",
         "--epochs", "5000"],
        lambda opt: sched.MultiStepLR(opt, milestones=[0, 5, 5, 100, 2000], gamma=0.3),
    ),
    "multistep_unsorted": (
        ["multistep", "--lr", "0.9", "--milestones", "50,10,30,4000", "--gamma", "0.7", "--epochs", "5000"],
        lambda opt: sched.MultiStepLR(opt, milestones=[50, 10, 30, 4000], gamma=0.7),
    ),
    "multistep_default_gamma": (
        ["multistep", "--lr", "0.1", "--milestones", "30,80", "--epochs", "100"],
        lambda opt: sched.MultiStepLR(opt, milestones=[30, 80]),
    ),
    "lambda_power": (
        ["lambda", "--lr", "0.1", "--lr-lambda", "0.95 ** epoch", "--epochs", "5000"],
        lambda opt: sched.LambdaLR(opt, lam("0.95 ** epoch")),
    ),
    "lambda_cosine": (
        ["lambda", "--lr", "0.3", "--lr-lambda", "0.5 * (1 + cos(pi * epoch / 6000))", "--epochs", "5000"],
        lambda opt: sched.LambdaLR(opt, lam("0.5 * (1 + cos(pi * epoch / 6000))")),
    ),
    "lambda_warmup_three_groups": (
        ["lambda", "--lr", "0.1", "--lr", "0.01", "--lr", "0.5",
         "--lr-lambda", "min(1.0, (epoch + 1) / 100) * 0.99 ** max(0, epoch - 100)", "--epochs", "5000"],
        lambda opt: sched.LambdaLR(opt, lam("min(1.0, (epoch + 1) / 100) * 0.99 ** max(0, epoch - 100)")),
    ),
    "lambda_per_group": (
        ["lambda", "--lr", "0.1", "--lr", "0.2", "--lr-lambda", "1 / sqrt(epoch + 1)",
         "--lr-lambda", "exp(-epoch / 500) if epoch % 2 else 1 - epoch / 4000", "--epochs", "3000"],
        lambda opt: sched.LambdaLR(
            opt, [lam("1 / sqrt(epoch + 1)"), lam("exp(-epoch / 500) if epoch % 2 else 1 - epoch / 4000")]
        ),
    ),
    "lambda_integer_steps": (
        ["lambda", "--lr", "0.01", "--lr-lambda", "epoch // 10 + 1", "--epochs", "3000"],
        lambda opt: sched.LambdaLR(opt, lam("epoch // 10 + 1")),
    ),
}


def option_values(arguments: list[str], option: str) -> list[str]:
    return [arguments[i + 1] for i, word in enumerate(arguments) if word == option]


def replay_torch(arguments: list[str], factory) -> list[list[float]]:
    """Rows of every group's lr, as torch sets them."""
    lrs = [float(text) for text in option_values(arguments, "--lr")] or [0.1]
    epochs = int((option_values(arguments, "--epochs") or ["10"])[0])
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in lrs]
    optimizer = torch.optim.SGD(groups, lr=lrs[0], momentum=0.9)
    scheduler = factory(optimizer)
    rows = []
    for _ in range(epochs):
        rows.append([group["lr"] for group in optimizer.param_groups])
        optimizer.step()
        scheduler.step()
    return rows


def main() -> None:
    warnings.simplefilter("ignore")
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, (arguments, factory) in CASES.items():
        rows = replay_torch(arguments, factory)
        groups = len(rows[0]) if rows else 1
        header = ["epoch", "lr"] if groups == 1 else ["epoch"] + [f"lr_{g}" for g in range(groups)]
        lines = [",".join(header)] + [",".join([str(k)] + [repr(float(v)) for v in row]) for k, row in enumerate(rows)]
        (GOLDEN / f"{name}.csv").write_text("\n".join(lines) + "\n")
    manifest = {"torch": torch.__version__, "cases": {name: arguments for name, (arguments, _) in CASES.items()}}
    (GOLDEN / "cases.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {len(CASES)} cases with torch {torch.__version__} to {GOLDEN}")


if __name__ == "__main__":
    main()
