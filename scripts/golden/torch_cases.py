"""Write tests/data/golden/torch/: what real torch leaves in optimizer.param_groups[i]["lr"], step by step.

Run by hand from the repository's root, in the oracle environment (scripts/golden/requirements-torch.txt;
the tests never import torch):

    /tmp/torch/bin/python -m scripts.golden.torch_cases [--only NAME…] [--long]

Each case pairs an lrcli command line with the torch scheduler it stands for, replayed and written
as scripts/golden/commands.py says; ``--long`` also writes the 10⁷-step case (it takes minutes).
"""

from __future__ import annotations

import copy
import math

import torch
import torch.optim.swa_utils
from torch.optim import lr_scheduler as sched

from . import commands


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
        [
            "multistep",
            "--lr",
            "0.1",
            "--lr",
            "0.02",
            "--milestones",
            "0,5,5,100,2000",
            "--gamma",
            "0.3",
            "--epochs",
            "5000",
        ],
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
        [
            "lambda",
            "--lr",
            "0.1",
            "--lr",
            "0.01",
            "--lr",
            "0.5",
            "--lr-lambda",
            "min(1.0, (epoch + 1) / 100) * 0.99 ** max(0, epoch - 100)",
            "--epochs",
            "5000",
        ],
        lambda opt: sched.LambdaLR(opt, lam("min(1.0, (epoch + 1) / 100) * 0.99 ** max(0, epoch - 100)")),
    ),
    "lambda_per_group": (
        [
            "lambda",
            "--lr",
            "0.1",
            "--lr",
            "0.2",
            "--lr-lambda",
            "1 / sqrt(epoch + 1)",
            "--lr-lambda",
            "exp(-epoch / 500) if epoch % 2 else 1 - epoch / 4000",
            "--epochs",
            "3000",
        ],
        lambda opt: sched.LambdaLR(
            opt, [lam("1 / sqrt(epoch + 1)"), lam("exp(-epoch / 500) if epoch % 2 else 1 - epoch / 4000")]
        ),
    ),
    "lambda_integer_steps": (
        ["lambda", "--lr", "0.01", "--lr-lambda", "epoch // 10 + 1", "--epochs", "3000"],
        lambda opt: sched.LambdaLR(opt, lam("epoch // 10 + 1")),
    ),
    "multiplicative_constant_two_groups": (
        ["multiplicative", "--lr", "0.1", "--lr", "0.3", "--lr-lambda", "0.999", "--epochs", "3000"],
        lambda opt: sched.MultiplicativeLR(opt, lam("0.999")),
    ),
    "multiplicative_per_group": (
        [
            "multiplicative",
            "--lr",
            "0.1",
            "--lr",
            "0.05",
            "--lr-lambda",
            "1 - 1 / (epoch + 20)",
            "--lr-lambda",
            "0.9 if epoch % 100 == 0 else 1",
            "--epochs",
            "3000",
        ],
        lambda opt: sched.MultiplicativeLR(opt, [lam("1 - 1 / (epoch + 20)"), lam("0.9 if epoch % 100 == 0 else 1")]),
    ),
    "constant_default": (
        ["constant", "--lr", "0.1", "--epochs", "20"],
        lambda opt: sched.ConstantLR(opt),
    ),
    "constant_half_two_groups": (
        ["constant", "--lr", "0.3", "--lr", "0.07", "--factor", "0.5", "--total-iters", "400", "--epochs", "3000"],
        lambda opt: sched.ConstantLR(opt, factor=0.5, total_iters=400),
    ),
    "constant_zero_iters": (
        ["constant", "--lr", "0.1", "--factor", "0.25", "--total-iters", "0", "--epochs", "10"],
        lambda opt: sched.ConstantLR(opt, factor=0.25, total_iters=0),
    ),
    "linear_default": (
        ["linear", "--lr", "0.1", "--epochs", "20"],
        lambda opt: sched.LinearLR(opt),
    ),
    "linear_long_warmup": (
        [
            "linear",
            "--lr",
            "0.3",
            "--lr",
            "0.01",
            "--start-factor",
            "0.001",
            "--end-factor",
            "1.0",
            "--total-iters",
            "2500",
            "--epochs",
            "3000",
        ],
        lambda opt: sched.LinearLR(opt, start_factor=0.001, end_factor=1.0, total_iters=2500),
    ),
    "linear_decay": (
        [
            "linear",
            "--lr",
            "0.1",
            "--start-factor",
            "1.0",
            "--end-factor",
            "0.05",
            "--total-iters",
            "3000",
            "--epochs",
            "3200",
        ],
        lambda opt: sched.LinearLR(opt, start_factor=1.0, end_factor=0.05, total_iters=3000),
    ),
    "poly_default": (
        ["poly", "--lr", "0.1", "--epochs", "10"],
        lambda opt: sched.PolynomialLR(opt),
    ),
    "poly_square": (
        ["poly", "--lr", "0.2", "--lr", "0.02", "--total-iters", "2800", "--power", "2.0", "--epochs", "3000"],
        lambda opt: sched.PolynomialLR(opt, total_iters=2800, power=2.0),
    ),
    "poly_root": (
        ["poly", "--lr", "0.1", "--total-iters", "3000", "--power", "0.5", "--epochs", "3000"],
        lambda opt: sched.PolynomialLR(opt, total_iters=3000, power=0.5),
    ),
    "cosine_periods": (
        ["cosine", "--lr", "0.1", "--t-max", "100", "--epochs", "3000"],
        lambda opt: sched.CosineAnnealingLR(opt, T_max=100),
    ),
    "cosine_eta_min_long": (
        ["cosine", "--lr", "0.1", "--t-max", "1000", "--eta-min", "0.001", "--epochs", "5000"],
        lambda opt: sched.CosineAnnealingLR(opt, T_max=1000, eta_min=0.001),
    ),
    "cosine_eta_min_two_groups": (
        ["cosine", "--lr", "0.5", "--lr", "0.05", "--t-max", "7", "--eta-min", "0.01", "--epochs", "3000"],
        lambda opt: sched.CosineAnnealingLR(opt, T_max=7, eta_min=0.01),
    ),
    "restarts_doubling": (
        ["cosine-restarts", "--lr", "0.1", "--t-0", "10", "--t-mult", "2", "--eta-min", "0.001", "--epochs", "3000"],
        lambda opt: sched.CosineAnnealingWarmRestarts(opt, T_0=10, T_mult=2, eta_min=0.001),
    ),
    "restarts_fixed_two_groups": (
        ["cosine-restarts", "--lr", "0.1", "--lr", "0.02", "--t-0", "50", "--epochs", "3000"],
        lambda opt: sched.CosineAnnealingWarmRestarts(opt, T_0=50),
    ),
    "restarts_tripling_from_one": (
        ["cosine-restarts", "--lr", "0.3", "--t-0", "1", "--t-mult", "3", "--epochs", "3000"],
        lambda opt: sched.CosineAnnealingWarmRestarts(opt, T_0=1, T_mult=3),
    ),
    "cyclic_triangular": (
        [
            "cyclic",
            "--base-lr",
            "0.001",
            "--max-lr",
            "0.1",
            "--step-size-up",
            "50",
            "--epochs",
            "3000",
            "--show-momentum",
        ],
        lambda opt: sched.CyclicLR(opt, base_lr=0.001, max_lr=0.1, step_size_up=50),
    ),
    "cyclic_triangular2_uneven": (
        [
            "cyclic",
            "--base-lr",
            "0.001",
            "--max-lr",
            "0.1",
            "--step-size-up",
            "20",
            "--step-size-down",
            "30",
            "--mode",
            "triangular2",
            "--epochs",
            "3000",
        ],
        lambda opt: sched.CyclicLR(
            opt, base_lr=0.001, max_lr=0.1, step_size_up=20, step_size_down=30, mode="triangular2"
        ),
    ),
    "cyclic_exp_range_groups": (
        [
            "cyclic",
            "--lr",
            "0.5",
            "--lr",
            "0.5",
            "--base-lr",
            "0.001",
            "--base-lr",
            "0.002",
            "--max-lr",
            "0.1",
            "--max-lr",
            "0.05",
            "--step-size-up",
            "25",
            "--mode",
            "exp_range",
            "--gamma",
            "0.999",
            "--base-momentum",
            "0.7",
            "--max-momentum",
            "0.95",
            "--epochs",
            "3000",
            "--show-momentum",
        ],
        lambda opt: sched.CyclicLR(
            opt,
            base_lr=[0.001, 0.002],
            max_lr=[0.1, 0.05],
            step_size_up=25,
            mode="exp_range",
            gamma=0.999,
            base_momentum=0.7,
            max_momentum=0.95,
        ),
    ),
    "onecycle_cos": (
        ["onecycle", "--max-lr", "0.1", "--total-steps", "3000", "--epochs", "3000", "--show-momentum"],
        lambda opt: sched.OneCycleLR(opt, max_lr=0.1, total_steps=3000),
    ),
    "onecycle_linear_to_the_last_step": (
        [
            "onecycle",
            "--max-lr",
            "0.2",
            "--total-steps",
            "3000",
            "--pct-start",
            "0.25",
            "--anneal-strategy",
            "linear",
            "--div-factor",
            "10",
            "--final-div-factor",
            "100",
            "--epochs",
            "3001",
        ],
        lambda opt: sched.OneCycleLR(
            opt,
            max_lr=0.2,
            total_steps=3000,
            pct_start=0.25,
            anneal_strategy="linear",
            div_factor=10.0,
            final_div_factor=100.0,
        ),
    ),
    "onecycle_three_phase_groups": (
        [
            "onecycle",
            "--lr",
            "1",
            "--lr",
            "1",
            "--max-lr",
            "0.1",
            "--max-lr",
            "0.01",
            "--total-steps",
            "3000",
            "--three-phase",
            "--epochs",
            "3000",
            "--show-momentum",
        ],
        lambda opt: sched.OneCycleLR(opt, max_lr=[0.1, 0.01], total_steps=3000, three_phase=True),
    ),
    "plateau_min_cooldown": (
        [
            "plateau",
            "--lr",
            "0.1",
            "--lr",
            "0.01",
            "--metrics",
            "{metrics}/metrics_loss.txt",
            "--patience",
            "5",
            "--cooldown",
            "3",
            "--min-lr",
            "0.0001",
            "--epochs",
            "4001",
        ],
        lambda opt: sched.ReduceLROnPlateau(opt, patience=5, cooldown=3, min_lr=0.0001),
    ),
    "plateau_max_abs_column": (
        [
            "plateau",
            "--lr",
            "0.1",
            "--lr",
            "0.2",
            "--metrics",
            "{metrics}/metrics.csv",
            "--column",
            "val_acc",
            "--mode",
            "max",
            "--threshold-mode",
            "abs",
            "--threshold",
            "0.001",
            "--factor",
            "0.5",
            "--patience",
            "2",
            "--cooldown",
            "1",
            "--min-lr",
            "0.001",
            "--min-lr",
            "0.0",
            "--epochs",
            "4001",
        ],
        lambda opt: sched.ReduceLROnPlateau(
            opt,
            mode="max",
            threshold_mode="abs",
            threshold=0.001,
            factor=0.5,
            patience=2,
            cooldown=1,
            min_lr=[0.001, 0.0],
        ),
    ),
    "plateau_default": (
        ["plateau", "--lr", "1", "--metrics", "{metrics}/metrics_loss.txt", "--epochs", "4001"],
        lambda opt: sched.ReduceLROnPlateau(opt),
    ),
    "sequential_warmup_cosine_exp": (
        [
            "sequential",
            "--lr",
            "0.1",
            "linear(start_factor=0.1, total_iters=50)",
            "cosine(T_max=2000, eta_min=0.001)",
            "ExponentialLR(gamma=0.999)",
            "--milestones",
            "50,2050",
            "--epochs",
            "4000",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.LinearLR(opt, start_factor=0.1, total_iters=50),
                sched.CosineAnnealingLR(opt, T_max=2000, eta_min=0.001),
                sched.ExponentialLR(opt, gamma=0.999),
            ],
            milestones=[50, 2050],
        ),
    ),
    "sequential_constant_multistep_zero": (
        [
            "sequential",
            "--lr",
            "0.2",
            "--lr",
            "0.02",
            "constant(factor=0.1, total_iters=10)",
            "multistep(milestones=[0, 100, 100, 900], gamma=0.5)",
            "--milestones",
            "20",
            "--epochs",
            "3000",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.ConstantLR(opt, factor=0.1, total_iters=10),
                sched.MultiStepLR(opt, milestones=[0, 100, 100, 900], gamma=0.5),
            ],
            milestones=[20],
        ),
    ),
    "sequential_cyclic_second": (
        [
            "sequential",
            "--lr",
            "0.3",
            "step(step_size=10, gamma=0.5)",
            "cyclic(base_lr=0.001, max_lr=0.01, step_size_up=30)",
            "--milestones",
            "100",
            "--epochs",
            "3000",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.StepLR(opt, step_size=10, gamma=0.5),
                sched.CyclicLR(opt, base_lr=0.001, max_lr=0.01, step_size_up=30),
            ],
            milestones=[100],
        ),
    ),
    "sequential_onecycle_restarts_lambda": (
        [
            "sequential",
            "--lr",
            "0.1",
            "onecycle(max_lr=0.05, total_steps=1000)",
            "cosine-restarts(T_0=100, T_mult=2)",
            "lambda(lr_lambda='0.5 ** (epoch / 200)')",
            "multiplicative(lr_lambda='0.999')",
            "poly(total_iters=500, power=2.0)",
            "--milestones",
            "1000,1700,2200,2500",
            "--epochs",
            "3500",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.OneCycleLR(opt, max_lr=0.05, total_steps=1000),
                sched.CosineAnnealingWarmRestarts(opt, T_0=100, T_mult=2),
                sched.LambdaLR(opt, lam("0.5 ** (epoch / 200)")),
                sched.MultiplicativeLR(opt, lam("0.999")),
                sched.PolynomialLR(opt, total_iters=500, power=2.0),
            ],
            milestones=[1000, 1700, 2200, 2500],
        ),
    ),
    "chained_constant_exp": (
        ["chained", "--lr", "0.1", "constant(factor=0.5, total_iters=30)", "exp(gamma=0.999)", "--epochs", "3000"],
        lambda opt: sched.ChainedScheduler(
            [sched.ConstantLR(opt, factor=0.5, total_iters=30), sched.ExponentialLR(opt, gamma=0.999)]
        ),
    ),
    "chained_three_with_cosine": (
        [
            "chained",
            "--lr",
            "0.1",
            "--lr",
            "0.4",
            "linear(start_factor=0.01, total_iters=100)",
            "cosine(T_max=500, eta_min=0.0001)",
            "StepLR(step_size=700, gamma=0.5)",
            "--epochs",
            "3000",
        ],
        lambda opt: sched.ChainedScheduler(
            [
                sched.LinearLR(opt, start_factor=0.01, total_iters=100),
                sched.CosineAnnealingLR(opt, T_max=500, eta_min=0.0001),
                sched.StepLR(opt, step_size=700, gamma=0.5),
            ]
        ),
    ),
    "chained_exp_then_cyclic": (
        [
            "chained",
            "--lr",
            "0.1",
            "exp(gamma=0.99)",
            "cyclic(base_lr=0.001, max_lr=0.01, step_size_up=40, mode='triangular2')",
            "--epochs",
            "3000",
        ],
        lambda opt: sched.ChainedScheduler(
            [
                sched.ExponentialLR(opt, gamma=0.99),
                sched.CyclicLR(opt, base_lr=0.001, max_lr=0.01, step_size_up=40, mode="triangular2"),
            ]
        ),
    ),
    "chained_lambda_multiplicative": (
        [
            "chained",
            "--lr",
            "0.1",
            "lambda(lr_lambda='1 / (1 + epoch / 100)')",
            "multiplicative(lr_lambda='0.998')",
            "--epochs",
            "3000",
        ],
        lambda opt: sched.ChainedScheduler(
            [sched.LambdaLR(opt, lam("1 / (1 + epoch / 100)")), sched.MultiplicativeLR(opt, lam("0.998"))]
        ),
    ),
    "onecycle_epochs_steps_spec": (
        ["chained", "--lr", "0.1", "OneCycleLR(max_lr=0.1, epochs=4, steps_per_epoch=25)", "--epochs", "101"],
        lambda opt: sched.ChainedScheduler([sched.OneCycleLR(opt, max_lr=0.1, epochs=4, steps_per_epoch=25)]),
    ),
    "sequential_linear_onecycle_epochs_steps": (
        [
            "sequential",
            "--lr",
            "0.1",
            "--lr",
            "0.3",
            "linear(start_factor=0.5, total_iters=10)",
            "onecycle(max_lr=[0.2, 0.4], epochs=6, steps_per_epoch=50, anneal_strategy='linear')",
            "--milestones",
            "10",
            "--epochs",
            "301",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.LinearLR(opt, start_factor=0.5, total_iters=10),
                sched.OneCycleLR(opt, max_lr=[0.2, 0.4], epochs=6, steps_per_epoch=50, anneal_strategy="linear"),
            ],
            milestones=[10],
        ),
    ),
    "warmup_step": (
        ["step", "--lr", "0.1", "--step-size", "30", "--warmup", "5", "--epochs", "3000"],
        lambda opt: sched.SequentialLR(
            opt,
            [sched.LinearLR(opt, start_factor=1.0 / 3, end_factor=1.0, total_iters=5), sched.StepLR(opt, step_size=30)],
            milestones=[5],
        ),
    ),
    "warmup_cosine_two_groups": (
        [
            "cosine",
            "--lr",
            "0.1",
            "--lr",
            "0.01",
            "--t-max",
            "2900",
            "--eta-min",
            "0.00001",
            "--warmup",
            "100",
            "--warmup-start-factor",
            "0.01",
            "--epochs",
            "3000",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.LinearLR(opt, start_factor=0.01, end_factor=1.0, total_iters=100),
                sched.CosineAnnealingLR(opt, T_max=2900, eta_min=0.00001),
            ],
            milestones=[100],
        ),
    ),
    "warmup_lambda": (
        ["lambda", "--lr", "0.1", "--lr-lambda", "0.99 ** epoch", "--warmup", "10", "--epochs", "3000"],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.LinearLR(opt, start_factor=1.0 / 3, end_factor=1.0, total_iters=10),
                sched.LambdaLR(opt, lam("0.99 ** epoch")),
            ],
            milestones=[10],
        ),
    ),
    "warmup_multistep_zero": (
        ["multistep", "--lr", "0.1", "--milestones", "0,50", "--gamma", "0.5", "--warmup", "20", "--epochs", "3000"],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.LinearLR(opt, start_factor=1.0 / 3, end_factor=1.0, total_iters=20),
                sched.MultiStepLR(opt, milestones=[0, 50], gamma=0.5),
            ],
            milestones=[20],
        ),
    ),
    # Per-iteration stepping: rows are optimizer steps (step,epoch,lr), the scheduler's counts in
    # steps, or given in epochs with --counts-in epochs (torch gets them times steps_per_epoch).
    "iter_step_trap": (
        ["step", "--lr", "0.1", "--step-size", "3", "--steps-per-epoch", "7", "--epochs", "12"],
        lambda opt: sched.StepLR(opt, step_size=3),
    ),
    "iter_step_in_epochs": (
        [
            "step",
            "--lr",
            "0.1",
            "--step-size",
            "3",
            "--steps-per-epoch",
            "7",
            "--epochs",
            "12",
            "--counts-in",
            "epochs",
        ],
        lambda opt: sched.StepLR(opt, step_size=21),
    ),
    "iter_multistep_in_epochs_cifar": (
        [
            "multistep",
            "--lr",
            "0.1",
            "--milestones",
            "100,150",
            "--steps-per-epoch",
            "391",
            "--epochs",
            "200",
            "--counts-in",
            "epochs",
        ],
        lambda opt: sched.MultiStepLR(opt, milestones=[39100, 58650]),
    ),
    "iter_constant_in_epochs": (
        [
            "constant",
            "--lr",
            "0.1",
            "--factor",
            "0.25",
            "--total-iters",
            "2.5",
            "--steps-per-epoch",
            "4",
            "--epochs",
            "6",
            "--counts-in",
            "epochs",
        ],
        lambda opt: sched.ConstantLR(opt, factor=0.25, total_iters=10),
    ),
    "iter_linear_in_epochs": (
        [
            "linear",
            "--lr",
            "0.1",
            "--start-factor",
            "0.01",
            "--total-iters",
            "5",
            "--steps-per-epoch",
            "97",
            "--epochs",
            "20",
            "--counts-in",
            "epochs",
        ],
        lambda opt: sched.LinearLR(opt, start_factor=0.01, total_iters=485),
    ),
    "iter_poly_in_epochs": (
        [
            "poly",
            "--lr",
            "0.1",
            "--total-iters",
            "30",
            "--power",
            "2",
            "--steps-per-epoch",
            "50",
            "--epochs",
            "32",
            "--counts-in",
            "epochs",
        ],
        lambda opt: sched.PolynomialLR(opt, total_iters=1500, power=2.0),
    ),
    "iter_cosine_in_epochs": (
        [
            "cosine",
            "--lr",
            "0.1",
            "--lr",
            "0.02",
            "--t-max",
            "90",
            "--eta-min",
            "0.0001",
            "--steps-per-epoch",
            "53",
            "--epochs",
            "100",
            "--counts-in",
            "epochs",
        ],
        lambda opt: sched.CosineAnnealingLR(opt, T_max=4770, eta_min=0.0001),
    ),
    "iter_restarts_in_epochs": (
        [
            "cosine-restarts",
            "--lr",
            "0.1",
            "--t-0",
            "2.5",
            "--t-mult",
            "2",
            "--steps-per-epoch",
            "40",
            "--epochs",
            "40",
            "--counts-in",
            "epochs",
        ],
        lambda opt: sched.CosineAnnealingWarmRestarts(opt, T_0=100, T_mult=2),
    ),
    "iter_cyclic_in_epochs": (
        [
            "cyclic",
            "--base-lr",
            "0.001",
            "--max-lr",
            "0.1",
            "--step-size-up",
            "2",
            "--step-size-down",
            "3",
            "--steps-per-epoch",
            "25",
            "--epochs",
            "40",
            "--counts-in",
            "epochs",
            "--mode",
            "triangular2",
        ],
        lambda opt: sched.CyclicLR(
            opt, base_lr=0.001, max_lr=0.1, step_size_up=50, step_size_down=75, mode="triangular2"
        ),
    ),
    "iter_onecycle_torch_pair": (
        ["onecycle", "--max-lr", "0.1", "--steps-per-epoch", "37", "--epochs", "30"],
        lambda opt: sched.OneCycleLR(opt, max_lr=0.1, epochs=30, steps_per_epoch=37),
    ),
    "iter_onecycle_in_epochs": (
        [
            "onecycle",
            "--max-lr",
            "0.1",
            "--total-steps",
            "20",
            "--steps-per-epoch",
            "37",
            "--epochs",
            "20",
            "--counts-in",
            "epochs",
            "--show-momentum",
        ],
        lambda opt: sched.OneCycleLR(opt, max_lr=0.1, total_steps=740),
    ),
    "iter_warmup_cosine_in_epochs": (
        [
            "cosine",
            "--lr",
            "0.1",
            "--t-max",
            "95",
            "--eta-min",
            "0.00001",
            "--warmup",
            "5",
            "--steps-per-epoch",
            "61",
            "--epochs",
            "100",
            "--counts-in",
            "epochs",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.LinearLR(opt, start_factor=1.0 / 3, end_factor=1.0, total_iters=305),
                sched.CosineAnnealingLR(opt, T_max=5795, eta_min=0.00001),
            ],
            milestones=[305],
        ),
    ),
    "iter_sequential_specs_in_epochs": (
        [
            "sequential",
            "--lr",
            "0.1",
            "linear(start_factor=0.1, total_iters=2)",
            "multistep(milestones=[3, 6])",
            "--milestones",
            "2",
            "--steps-per-epoch",
            "33",
            "--epochs",
            "10",
            "--counts-in",
            "epochs",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [sched.LinearLR(opt, start_factor=0.1, total_iters=66), sched.MultiStepLR(opt, milestones=[99, 198])],
            milestones=[66],
        ),
    ),
    "iter_chained_steps_total": (
        ["chained", "--lr", "0.1", "exp(gamma=0.999)", "step(step_size=250, gamma=0.5)", "--steps", "3000"],
        lambda opt: sched.ChainedScheduler(
            [sched.ExponentialLR(opt, gamma=0.999), sched.StepLR(opt, step_size=250, gamma=0.5)]
        ),
    ),
    "iter_lambda_steps_per_epoch": (
        [
            "lambda",
            "--lr",
            "0.1",
            "--lr-lambda",
            "0.9 ** (epoch // steps_per_epoch)",
            "--steps-per-epoch",
            "13",
            "--epochs",
            "50",
        ],
        lambda opt: sched.LambdaLR(opt, lambda step: 0.9 ** (step // 13)),
    ),
    # Row selection: the rows of the whole run that each selection keeps (see select_rows).
    "select_window": (
        [
            "cosine",
            "--lr",
            "0.1",
            "--t-max",
            "500",
            "--eta-min",
            "0.001",
            "--steps",
            "3000",
            "--start",
            "1234",
            "--stop",
            "-17",
        ],
        lambda opt: sched.CosineAnnealingLR(opt, T_max=500, eta_min=0.001),
    ),
    "select_every": (
        ["exp", "--lr", "0.1", "--gamma", "0.999", "--steps-per-epoch", "100", "--epochs", "30", "--every", "77"],
        lambda opt: sched.ExponentialLR(opt, gamma=0.999),
    ),
    "select_changes_imagenet": (
        [
            "step",
            "--lr",
            "0.1",
            "--lr",
            "0.2",
            "--step-size",
            "30",
            "--steps-per-epoch",
            "5005",
            "--epochs",
            "90",
            "--counts-in",
            "epochs",
            "--changes",
        ],
        lambda opt: sched.StepLR(opt, step_size=150150),
    ),
    "select_changes_window": (
        [
            "multistep",
            "--lr",
            "0.1",
            "--milestones",
            "10,20,20,45",
            "--gamma",
            "0.5",
            "--steps",
            "60",
            "--start",
            "15",
            "--stop",
            "50",
            "--changes",
        ],
        lambda opt: sched.MultiStepLR(opt, milestones=[10, 20, 20, 45], gamma=0.5),
    ),
    "select_at": (
        [
            "cyclic",
            "--base-lr",
            "0.01",
            "--max-lr",
            "0.1",
            "--step-size-up",
            "100",
            "--steps",
            "2000",
            "--at",
            "1999,0,150,150,1000",
            "--show-momentum",
        ],
        lambda opt: sched.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=100),
    ),
    "select_every_window": (
        [
            "poly",
            "--lr",
            "0.1",
            "--total-iters",
            "1000",
            "--power",
            "0.5",
            "--steps",
            "1200",
            "--start",
            "-500",
            "--every",
            "33",
        ],
        lambda opt: sched.PolynomialLR(opt, total_iters=1000, power=0.5),
    ),
    # SWALR (torch.optim.swa_utils), alone and as SWA uses it: after another schedule.
    "swa_cos_groups": (
        [
            "swa",
            "--lr",
            "0.1",
            "--lr",
            "0.3",
            "--swa-lr",
            "0.01",
            "--swa-lr",
            "0.05",
            "--anneal-epochs",
            "37",
            "--epochs",
            "100",
        ],
        lambda opt: torch.optim.swa_utils.SWALR(opt, swa_lr=[0.01, 0.05], anneal_epochs=37),
    ),
    "swa_linear": (
        [
            "swa",
            "--lr",
            "0.1",
            "--swa-lr",
            "0.003",
            "--anneal-epochs",
            "13",
            "--anneal-strategy",
            "linear",
            "--epochs",
            "40",
        ],
        lambda opt: torch.optim.swa_utils.SWALR(opt, swa_lr=0.003, anneal_epochs=13, anneal_strategy="linear"),
    ),
    "swa_no_anneal": (
        ["swa", "--lr", "0.1", "--swa-lr", "0.02", "--anneal-epochs", "0", "--epochs", "5"],
        lambda opt: torch.optim.swa_utils.SWALR(opt, swa_lr=0.02, anneal_epochs=0),
    ),
    "swa_after_cosine": (
        [
            "sequential",
            "--lr",
            "0.1",
            "cosine(T_max=75, eta_min=0.001)",
            "SWALR(swa_lr=0.01, anneal_epochs=5)",
            "--milestones",
            "75",
            "--epochs",
            "100",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.CosineAnnealingLR(opt, T_max=75, eta_min=0.001),
                torch.optim.swa_utils.SWALR(opt, swa_lr=0.01, anneal_epochs=5),
            ],
            milestones=[75],
        ),
    ),
    "swa_per_step_in_epochs": (
        [
            "swa",
            "--lr",
            "0.1",
            "--swa-lr",
            "0.01",
            "--anneal-epochs",
            "2.5",
            "--steps-per-epoch",
            "8",
            "--epochs",
            "5",
            "--counts-in",
            "epochs",
        ],
        lambda opt: torch.optim.swa_utils.SWALR(opt, swa_lr=0.01, anneal_epochs=20),
    ),
    "swa_chained_with_exp": (
        [
            "chained",
            "--lr",
            "0.1",
            "swa(swa_lr=0.01, anneal_epochs=9, anneal_strategy='linear')",
            "exp(gamma=0.97)",
            "--epochs",
            "30",
        ],
        lambda opt: sched.ChainedScheduler(
            [
                torch.optim.swa_utils.SWALR(opt, swa_lr=0.01, anneal_epochs=9, anneal_strategy="linear"),
                sched.ExponentialLR(opt, gamma=0.97),
            ]
        ),
    ),
    "swa_two_share_swa_lr": (
        [
            "sequential",
            "--lr",
            "0.1",
            "swa(swa_lr=0.001, anneal_epochs=9)",
            "swa(swa_lr=0.2, anneal_epochs=3, anneal_strategy='linear')",
            "--milestones",
            "10",
            "--epochs",
            "30",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                torch.optim.swa_utils.SWALR(opt, swa_lr=0.001, anneal_epochs=9),
                torch.optim.swa_utils.SWALR(opt, swa_lr=0.2, anneal_epochs=3, anneal_strategy="linear"),
            ],
            milestones=[10],
        ),
    ),
    "swa_two_chained": (
        [
            "chained",
            "--lr",
            "0.1",
            "swa(swa_lr=0.05, anneal_epochs=4)",
            "swa(swa_lr=0.001, anneal_epochs=7)",
            "--epochs",
            "20",
        ],
        lambda opt: sched.ChainedScheduler(
            [
                torch.optim.swa_utils.SWALR(opt, swa_lr=0.05, anneal_epochs=4),
                torch.optim.swa_utils.SWALR(opt, swa_lr=0.001, anneal_epochs=7),
            ]
        ),
    ),
    # What torch runs although an earlier lrcli refused it.
    "accept_linear_to_zero_negative": (
        ["linear", "--lr", "0.1", "--end-factor", "0", "--epochs", "8"],
        lambda opt: sched.LinearLR(opt, end_factor=0.0),
    ),
    "accept_linear_to_zero_groups": (
        [
            "linear",
            "--lr",
            "0.3",
            "--lr",
            "0.07",
            "--start-factor",
            "0.9",
            "--end-factor",
            "0",
            "--total-iters",
            "37",
            "--epochs",
            "40",
        ],
        lambda opt: sched.LinearLR(opt, start_factor=0.9, end_factor=0.0, total_iters=37),
    ),
    "accept_onecycle_linear_last_step": (
        [
            "onecycle",
            "--max-lr",
            "0.1",
            "--total-steps",
            "50",
            "--anneal-strategy",
            "linear",
            "--final-div-factor",
            "1e9",
            "--epochs",
            "51",
        ],
        lambda opt: sched.OneCycleLR(opt, max_lr=0.1, total_steps=50, anneal_strategy="linear", final_div_factor=1e9),
    ),
    "accept_chained_linear_zero_exp": (
        [
            "chained",
            "--lr",
            "0.1",
            "linear(start_factor=0.5, end_factor=0.0, total_iters=9)",
            "exp(gamma=0.9)",
            "--epochs",
            "12",
        ],
        lambda opt: sched.ChainedScheduler(
            [sched.LinearLR(opt, start_factor=0.5, end_factor=0.0, total_iters=9), sched.ExponentialLR(opt, gamma=0.9)]
        ),
    ),
    "accept_cyclic_max_below_base": (
        [
            "cyclic",
            "--base-lr",
            "0.1",
            "--max-lr",
            "0.01",
            "--step-size-up",
            "3",
            "--mode",
            "triangular2",
            "--epochs",
            "30",
            "--show-momentum",
        ],
        lambda opt: sched.CyclicLR(opt, base_lr=0.1, max_lr=0.01, step_size_up=3, mode="triangular2"),
    ),
    "accept_onecycle_pct_start_zero": (
        ["onecycle", "--max-lr", "0.1", "--total-steps", "40", "--pct-start", "0", "--epochs", "41", "--show-momentum"],
        lambda opt: sched.OneCycleLR(opt, max_lr=0.1, total_steps=40, pct_start=0.0),
    ),
    "accept_onecycle_pct_start_one": (
        ["onecycle", "--max-lr", "0.1", "--total-steps", "40", "--pct-start", "1", "--three-phase", "--epochs", "40"],
        lambda opt: sched.OneCycleLR(opt, max_lr=0.1, total_steps=40, pct_start=1.0, three_phase=True),
    ),
    "accept_child_never_run": (
        ["sequential", "--lr", "0.1", "constant(factor=0.0)", "cosine(T_max=10)", "--milestones", "4", "--epochs", "6"],
        lambda opt: sched.SequentialLR(
            opt, [sched.ConstantLR(opt, factor=0.0), sched.CosineAnnealingLR(opt, T_max=10)], milestones=[4]
        ),
    ),
    "accept_warmup_lambda_pole_never_reached": (
        ["lambda", "--lr", "0.1", "--lr-lambda", "1/(3-epoch)", "--warmup", "5", "--epochs", "8"],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.LinearLR(opt, start_factor=1.0 / 3, end_factor=1.0, total_iters=5),
                sched.LambdaLR(opt, lam("1/(3-epoch)")),
            ],
            milestones=[5],
        ),
    ),
    "accept_unsorted_milestones": (
        [
            "sequential",
            "--lr",
            "0.1",
            "exp(gamma=0.5)",
            "linear(start_factor=0.2, total_iters=4)",
            "exp(gamma=0.9)",
            "--milestones",
            "6,2",
            "--epochs",
            "20",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.ExponentialLR(opt, gamma=0.5),
                sched.LinearLR(opt, start_factor=0.2, total_iters=4),
                sched.ExponentialLR(opt, gamma=0.9),
            ],
            milestones=[6, 2],
        ),
    ),
    "accept_unsorted_milestones_cosine": (
        [
            "sequential",
            "--lr",
            "0.1",
            "cosine(T_max=7, eta_min=0.01)",
            "step(step_size=3, gamma=0.5)",
            "cyclic(base_lr=0.01, max_lr=0.05, step_size_up=4)",
            "--milestones",
            "15,5",
            "--epochs",
            "40",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.CosineAnnealingLR(opt, T_max=7, eta_min=0.01),
                sched.StepLR(opt, step_size=3, gamma=0.5),
                sched.CyclicLR(opt, base_lr=0.01, max_lr=0.05, step_size_up=4),
            ],
            milestones=[15, 5],
        ),
    ),
    # Step counts torch's arithmetic takes as any number: fractions, negatives, whole floats.
    "accept_step_fraction": (
        ["step", "--lr", "0.1", "--step-size", "2.5", "--gamma", "0.5", "--epochs", "40"],
        lambda opt: sched.StepLR(opt, step_size=2.5, gamma=0.5),
    ),
    "accept_step_negative_spec": (
        ["chained", "--lr", "0.1", "step(step_size=-3, gamma=0.7)", "exp(gamma=0.99)", "--epochs", "30"],
        lambda opt: sched.ChainedScheduler(
            [sched.StepLR(opt, step_size=-3, gamma=0.7), sched.ExponentialLR(opt, gamma=0.99)]
        ),
    ),
    "accept_cosine_float_t_max": (
        ["cosine", "--lr", "0.1", "--t-max", "95.0", "--epochs", "400"],
        lambda opt: sched.CosineAnnealingLR(opt, T_max=95.0),
    ),
    "accept_cosine_fraction": (
        ["cosine", "--lr", "0.1", "--t-max", "7.5", "--eta-min", "0.001", "--epochs", "100"],
        lambda opt: sched.CosineAnnealingLR(opt, T_max=7.5, eta_min=0.001),
    ),
    "accept_cosine_negative_spec": (
        [
            "sequential",
            "--lr",
            "0.1",
            "exp(gamma=0.9)",
            "cosine(T_max=-4, eta_min=0.01)",
            "--milestones",
            "5",
            "--epochs",
            "40",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [sched.ExponentialLR(opt, gamma=0.9), sched.CosineAnnealingLR(opt, T_max=-4, eta_min=0.01)],
            milestones=[5],
        ),
    ),
    "accept_multistep_fractions_negative": (
        ["multistep", "--lr", "0.1", "--milestones", "2.5,4.0,-1,7,4", "--gamma", "0.5", "--epochs", "12"],
        lambda opt: sched.MultiStepLR(opt, milestones=[2.5, 4.0, -1, 7, 4], gamma=0.5),
    ),
    "accept_multistep_negative_restarted": (
        [
            "sequential",
            "--lr",
            "0.1",
            "exp(gamma=0.9)",
            "multistep(milestones=[-2, 0.0, 3.5, 6], gamma=0.5)",
            "--milestones",
            "4",
            "--epochs",
            "15",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [sched.ExponentialLR(opt, gamma=0.9), sched.MultiStepLR(opt, milestones=[-2, 0.0, 3.5, 6], gamma=0.5)],
            milestones=[4],
        ),
    ),
    "accept_constant_fraction": (
        ["constant", "--lr", "0.1", "--factor", "0.5", "--total-iters", "2.5", "--epochs", "8"],
        lambda opt: sched.ConstantLR(opt, factor=0.5, total_iters=2.5),
    ),
    "accept_linear_fraction": (
        [
            "linear",
            "--lr",
            "0.1",
            "--start-factor",
            "0.1",
            "--end-factor",
            "0.9",
            "--total-iters",
            "7.5",
            "--epochs",
            "12",
        ],
        lambda opt: sched.LinearLR(opt, start_factor=0.1, end_factor=0.9, total_iters=7.5),
    ),
    "accept_poly_fraction_and_negative": (
        ["chained", "--lr", "0.1", "poly(total_iters=6.5, power=2.0)", "poly(total_iters=-2)", "--epochs", "10"],
        lambda opt: sched.ChainedScheduler(
            [sched.PolynomialLR(opt, total_iters=6.5, power=2.0), sched.PolynomialLR(opt, total_iters=-2)]
        ),
    ),
    "accept_cyclic_fractions": (
        [
            "cyclic",
            "--base-lr",
            "0.01",
            "--max-lr",
            "0.1",
            "--step-size-up",
            "2.5",
            "--step-size-down",
            "4.25",
            "--mode",
            "triangular2",
            "--epochs",
            "60",
            "--show-momentum",
        ],
        lambda opt: sched.CyclicLR(
            opt, base_lr=0.01, max_lr=0.1, step_size_up=2.5, step_size_down=4.25, mode="triangular2"
        ),
    ),
    "accept_cyclic_negative_down": (
        [
            "cyclic",
            "--base-lr",
            "0.01",
            "--max-lr",
            "0.1",
            "--step-size-up",
            "3",
            "--step-size-down",
            "-1",
            "--epochs",
            "20",
        ],
        lambda opt: sched.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=3, step_size_down=-1),
    ),
    "accept_plateau_fractional_patience": (
        [
            "plateau",
            "--lr",
            "0.1",
            "--metrics",
            "{metrics}/metrics_loss.txt",
            "--patience",
            "2.5",
            "--cooldown",
            "1.5",
            "--epochs",
            "400",
        ],
        lambda opt: sched.ReduceLROnPlateau(opt, patience=2.5, cooldown=1.5),
    ),
    # SequentialLR's milestones are numbers too: past one that no epoch equals, the next scheduler
    # takes plain steps from the count the constructor undid.
    "accept_sequential_fraction_milestone": (
        [
            "sequential",
            "--lr",
            "0.1",
            "linear(start_factor=0.5, total_iters=2.5)",
            "cosine(T_max=10)",
            "--milestones",
            "2.5",
            "--epochs",
            "25",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [sched.LinearLR(opt, start_factor=0.5, total_iters=2.5), sched.CosineAnnealingLR(opt, T_max=10)],
            milestones=[2.5],
        ),
    ),
    "accept_sequential_negative_and_fraction_milestones": (
        [
            "sequential",
            "--lr",
            "0.1",
            "exp(gamma=0.5)",
            "poly(total_iters=4)",
            "swa(swa_lr=0.01, anneal_epochs=3)",
            "chained(schedulers=[cosine(T_max=7), exp(gamma=0.99)])",
            "--milestones",
            "-1,2.7,9.5",
            "--epochs",
            "30",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.ExponentialLR(opt, gamma=0.5),
                sched.PolynomialLR(opt, total_iters=4),
                torch.optim.swa_utils.SWALR(opt, swa_lr=0.01, anneal_epochs=3),
                sched.ChainedScheduler([sched.CosineAnnealingLR(opt, T_max=7), sched.ExponentialLR(opt, gamma=0.99)]),
            ],
            milestones=[-1, 2.7, 9.5],
        ),
    ),
    "accept_unsorted_milestones_plain_step": (
        [
            "sequential",
            "--lr",
            "0.1",
            "exp(gamma=0.5)",
            "exp(gamma=0.8)",
            "exp(gamma=0.9)",
            "cosine(T_max=7)",
            "--milestones",
            "2,5,1",
            "--epochs",
            "20",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.ExponentialLR(opt, gamma=0.5),
                sched.ExponentialLR(opt, gamma=0.8),
                sched.ExponentialLR(opt, gamma=0.9),
                sched.CosineAnnealingLR(opt, T_max=7),
            ],
            milestones=[2, 5, 1],
        ),
    ),
    "accept_warmup_fraction_of_epoch": (
        [
            "cosine",
            "--lr",
            "0.1",
            "--t-max",
            "9.5",
            "--warmup",
            "0.5",
            "--steps-per-epoch",
            "10",
            "--epochs",
            "10",
            "--counts-in",
            "epochs",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.LinearLR(opt, start_factor=1.0 / 3, end_factor=1.0, total_iters=5),
                sched.CosineAnnealingLR(opt, T_max=95),
            ],
            milestones=[5],
        ),
    ),
    "accept_warmup_fraction_of_steps": (
        ["step", "--lr", "0.1", "--step-size", "4", "--warmup", "2.5", "--epochs", "12"],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.LinearLR(opt, start_factor=1.0 / 3, end_factor=1.0, total_iters=2.5),
                sched.StepLR(opt, step_size=4),
            ],
            milestones=[2.5],
        ),
    ),
    # Two OneCycleLR on one optimizer: the second overwrites the bounds both read from the group.
    "accept_two_onecycle_chained": (
        [
            "chained",
            "--lr",
            "0.1",
            "onecycle(max_lr=1.0, total_steps=30, pct_start=0.5)",
            "exp(gamma=0.9)",
            "onecycle(max_lr=0.3, total_steps=40, div_factor=5.0, anneal_strategy='linear')",
            "--epochs",
            "31",
        ],
        lambda opt: sched.ChainedScheduler(
            [
                sched.OneCycleLR(opt, max_lr=1.0, total_steps=30, pct_start=0.5),
                sched.ExponentialLR(opt, gamma=0.9),
                sched.OneCycleLR(opt, max_lr=0.3, total_steps=40, div_factor=5.0, anneal_strategy="linear"),
            ]
        ),
    ),
    "accept_two_onecycle_sequential": (
        [
            "sequential",
            "--lr",
            "0.1",
            "onecycle(max_lr=0.1, total_steps=20, three_phase=True)",
            "onecycle(max_lr=1.0, total_steps=12, final_div_factor=100.0)",
            "--milestones",
            "8",
            "--epochs",
            "20",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.OneCycleLR(opt, max_lr=0.1, total_steps=20, three_phase=True),
                sched.OneCycleLR(opt, max_lr=1.0, total_steps=12, final_div_factor=100.0),
            ],
            milestones=[8],
        ),
    ),
    "select_at_from_the_end": (
        [
            "cyclic",
            "--base-lr",
            "0.01",
            "--max-lr",
            "0.1",
            "--step-size-up",
            "100",
            "--steps",
            "2000",
            "--at",
            "-1,0,-2000,150,-150",
        ],
        lambda opt: sched.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=100),
    ),
}

# Compositions inside compositions, as torch runs them (a composition after a SequentialLR
# milestone is refused: torch raises NotImplementedError there).
NESTED_CASES = {
    "nested_chained_first_in_sequential": (
        [
            "sequential",
            "--lr",
            "0.1",
            "chained(schedulers=[exp(gamma=0.9), step(step_size=2)])",
            "cosine(T_max=5)",
            "--milestones",
            "3",
            "--epochs",
            "20",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.ChainedScheduler([sched.ExponentialLR(opt, gamma=0.9), sched.StepLR(opt, step_size=2)]),
                sched.CosineAnnealingLR(opt, T_max=5),
            ],
            milestones=[3],
        ),
    ),
    "nested_chained_warmup_groups": (
        [
            "sequential",
            "--lr",
            "0.1",
            "--lr",
            "0.05",
            "chained(schedulers=[linear(start_factor=0.01, total_iters=50), cosine(T_max=400, eta_min=0.001)])",
            "exp(gamma=0.999)",
            "--milestones",
            "400",
            "--steps",
            "600",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.ChainedScheduler(
                    [
                        sched.LinearLR(opt, start_factor=0.01, total_iters=50),
                        sched.CosineAnnealingLR(opt, T_max=400, eta_min=0.001),
                    ]
                ),
                sched.ExponentialLR(opt, gamma=0.999),
            ],
            milestones=[400],
        ),
    ),
    "nested_sequential_in_chained": (
        [
            "chained",
            "--lr",
            "0.1",
            "sequential(schedulers=[linear(total_iters=3), exp(gamma=0.8)], milestones=[3])",
            "step(step_size=4)",
            "--epochs",
            "20",
        ],
        lambda opt: sched.ChainedScheduler(
            [
                sched.SequentialLR(
                    opt, [sched.LinearLR(opt, total_iters=3), sched.ExponentialLR(opt, gamma=0.8)], milestones=[3]
                ),
                sched.StepLR(opt, step_size=4),
            ]
        ),
    ),
    "nested_sequential_cyclic_in_chained": (
        [
            "chained",
            "--lr",
            "0.1",
            "sequential(schedulers=[constant(factor=0.5, total_iters=4), CosineAnnealingWarmRestarts(T_0=7, T_mult=2)], "
            "milestones=[5])",
            "multistep(milestones=[12, 30], gamma=0.5)",
            "--epochs",
            "60",
        ],
        lambda opt: sched.ChainedScheduler(
            [
                sched.SequentialLR(
                    opt,
                    [
                        sched.ConstantLR(opt, factor=0.5, total_iters=4),
                        sched.CosineAnnealingWarmRestarts(opt, T_0=7, T_mult=2),
                    ],
                    milestones=[5],
                ),
                sched.MultiStepLR(opt, milestones=[12, 30], gamma=0.5),
            ]
        ),
    ),
    "nested_chained_in_chained": (
        [
            "chained",
            "--lr",
            "0.3",
            "chained(schedulers=[exp(gamma=0.95), constant(factor=0.5, total_iters=3)])",
            "multistep(milestones=[5, 8])",
            "--epochs",
            "12",
        ],
        lambda opt: sched.ChainedScheduler(
            [
                sched.ChainedScheduler(
                    [sched.ExponentialLR(opt, gamma=0.95), sched.ConstantLR(opt, factor=0.5, total_iters=3)]
                ),
                sched.MultiStepLR(opt, milestones=[5, 8]),
            ]
        ),
    ),
    "nested_three_deep": (
        [
            "sequential",
            "--lr",
            "0.2",
            "chained(schedulers=[sequential(schedulers=[linear(start_factor=0.2, total_iters=4), exp(gamma=0.9)], "
            "milestones=[4]), step(step_size=3, gamma=0.5)])",
            "poly(total_iters=10, power=2)",
            "--milestones",
            "9",
            "--epochs",
            "25",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.ChainedScheduler(
                    [
                        sched.SequentialLR(
                            opt,
                            [sched.LinearLR(opt, start_factor=0.2, total_iters=4), sched.ExponentialLR(opt, gamma=0.9)],
                            milestones=[4],
                        ),
                        sched.StepLR(opt, step_size=3, gamma=0.5),
                    ]
                ),
                sched.PolynomialLR(opt, total_iters=10, power=2),
            ],
            milestones=[9],
        ),
    ),
    "nested_sequential_first_in_sequential": (
        [
            "sequential",
            "--lr",
            "0.1",
            "sequential(schedulers=[linear(total_iters=3), exp(gamma=0.8)], milestones=[4])",
            "step(step_size=2)",
            "--milestones",
            "9",
            "--epochs",
            "16",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.SequentialLR(
                    opt, [sched.LinearLR(opt, total_iters=3), sched.ExponentialLR(opt, gamma=0.8)], milestones=[4]
                ),
                sched.StepLR(opt, step_size=2),
            ],
            milestones=[9],
        ),
    ),
    "nested_sequential_milestone_one": (
        [
            "sequential",
            "--lr",
            "0.1",
            "sequential(schedulers=[linear(total_iters=3), CosineAnnealingLR(T_max=6)], milestones=[1])",
            "exp(gamma=0.9)",
            "--milestones",
            "8",
            "--epochs",
            "14",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.SequentialLR(
                    opt, [sched.LinearLR(opt, total_iters=3), sched.CosineAnnealingLR(opt, T_max=6)], milestones=[1]
                ),
                sched.ExponentialLR(opt, gamma=0.9),
            ],
            milestones=[8],
        ),
    ),
    "nested_two_levels_of_sequential": (
        [
            "sequential",
            "--lr",
            "0.1",
            "--lr",
            "0.3",
            "chained(schedulers=[sequential(schedulers=[sequential(schedulers=[exp(gamma=0.9), "
            "poly(total_iters=6, power=0.5)], milestones=[3]), multiplicative(lr_lambda='0.99')], milestones=[7]), "
            "constant(factor=0.5, total_iters=5)])",
            "linear(start_factor=0.5, total_iters=4)",
            "--milestones",
            "12",
            "--epochs",
            "20",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.ChainedScheduler(
                    [
                        sched.SequentialLR(
                            opt,
                            [
                                sched.SequentialLR(
                                    opt,
                                    [
                                        sched.ExponentialLR(opt, gamma=0.9),
                                        sched.PolynomialLR(opt, total_iters=6, power=0.5),
                                    ],
                                    milestones=[3],
                                ),
                                sched.MultiplicativeLR(opt, lam("0.99")),
                            ],
                            milestones=[7],
                        ),
                        sched.ConstantLR(opt, factor=0.5, total_iters=5),
                    ]
                ),
                sched.LinearLR(opt, start_factor=0.5, total_iters=4),
            ],
            milestones=[12],
        ),
    ),
    "nested_chained_first_per_step": (
        [
            "sequential",
            "--lr",
            "0.1",
            "chained(schedulers=[exp(gamma=0.99), multistep(milestones=[0, 40])])",
            "cosine(T_max=30)",
            "--milestones",
            "60",
            "--steps-per-epoch",
            "10",
            "--epochs",
            "10",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.ChainedScheduler(
                    [sched.ExponentialLR(opt, gamma=0.99), sched.MultiStepLR(opt, milestones=[0, 40])]
                ),
                sched.CosineAnnealingLR(opt, T_max=30),
            ],
            milestones=[60],
        ),
    ),
}
CASES.update(NESTED_CASES)


def lrs_of(optimizer) -> list[float]:
    return [group["lr"] for group in optimizer.param_groups]


class Resumed(commands.Loop):
    """``make(optimizer, -1)`` interrupted after row ``at - 1``, saved at the end of that epoch
    (after its ``scheduler.step()``), and resumed ``by``: ``state-dict`` (a new optimizer and
    scheduler, then both ``load_state_dict``), ``last-epoch`` (a new optimizer that loads the saved
    state, and ``make(optimizer, at - 1)``) or ``fresh`` (a new optimizer whose groups get
    ``initial_lr`` = their lr by hand, and ``make(optimizer, at - 1)``)."""

    def __init__(self, make, at: int, by: str):
        self.make, self.at, self.by = make, at, by

    def rows(self, lrs, count):
        optimizer = commands.optimizer_of(lrs)
        scheduler = self.make(optimizer, -1)
        rows = []
        for _ in range(self.at):
            rows.append(lrs_of(optimizer))
            optimizer.step()
            scheduler.step()
        saved_optimizer = copy.deepcopy(optimizer.state_dict())
        saved_scheduler = copy.deepcopy(scheduler.state_dict())
        optimizer = commands.optimizer_of(lrs)
        if self.by == "state-dict":
            scheduler = self.make(optimizer, -1)
            optimizer.load_state_dict(saved_optimizer)
            scheduler.load_state_dict(saved_scheduler)
        else:
            if self.by == "last-epoch":
                optimizer.load_state_dict(saved_optimizer)
            else:
                for group in optimizer.param_groups:
                    group["initial_lr"] = group["lr"]
            scheduler = self.make(optimizer, self.at - 1)
        for row in range(self.at, count):
            rows.append(lrs_of(optimizer))
            optimizer.step()
            if row < count - 1:
                scheduler.step()
        return rows


def fresh(make):
    """The scheduler ``make`` builds, constructed as usual (``last_epoch=-1``)."""
    return lambda optimizer: make(optimizer, -1)


class SchedulerFirst(commands.Loop):
    """``scheduler.step()`` before ``optimizer.step()``: each row is the lr its epoch trains with."""

    def __init__(self, factory):
        self.factory = factory

    def rows(self, lrs, count):
        optimizer = commands.optimizer_of(lrs)
        scheduler = self.factory(optimizer)
        rows = []
        for _ in range(count):
            scheduler.step()
            rows.append(lrs_of(optimizer))
            optimizer.step()
        return rows


class Explicit(commands.Loop):
    """``scheduler.step(k)`` at the k-th step, or, given ``iters`` batches an epoch, torch's documented
    ``scheduler.step(epoch + i / iters)`` after batch ``i``."""

    def __init__(self, factory, iters: int | None = None):
        self.factory, self.iters = factory, iters

    def rows(self, lrs, count):
        optimizer = commands.optimizer_of(lrs)
        scheduler = self.factory(optimizer)
        rows = []
        for k in range(count):
            rows.append(lrs_of(optimizer))
            optimizer.step()
            if k < count - 1:
                if self.iters:
                    epoch, i = divmod(k, self.iters)
                    scheduler.step(epoch + i / self.iters)
                else:
                    scheduler.step(k + 1)
        return rows


def cosine_100(optimizer, last_epoch):
    return sched.CosineAnnealingLR(optimizer, T_max=100, last_epoch=last_epoch)


def warm_restarts_3_2(optimizer, last_epoch):
    return sched.CosineAnnealingWarmRestarts(optimizer, T_0=3, T_mult=2, last_epoch=last_epoch)


SEQUENTIAL_WARMUP_COSINE = lambda opt: sched.SequentialLR(  # noqa: E731
    opt,
    [sched.LinearLR(opt, start_factor=0.1, total_iters=5), sched.CosineAnnealingLR(opt, T_max=20)],
    milestones=[5],
)

LOOP_CASES = {
    "resume_user_example_cosine_fresh": (
        ["cosine", "--lr", "0.1", "--t-max", "100", "--epochs", "60"]
        + ["--resume-at", "37", "--resume-by", "fresh", "--compare-resume"],
        commands.Compare(resumed=Resumed(cosine_100, 37, "fresh"), uninterrupted=fresh(cosine_100)),
    ),
    "spec_last_epoch_cosine": (
        ["compare", "--lr", "0.1", "cosine(T_max=100)", "cosine(T_max=100, last_epoch=36)", "--epochs", "60"],
        commands.Compare(cosine=fresh(cosine_100), **{"cosine-2": Resumed(cosine_100, 37, "fresh")}),
    ),
    "spec_last_epoch_two_groups_step": (
        ["compare", "--lr", "0.1", "--lr", "0.4", "a=step(step_size=3, gamma=0.5)"]
        + ["b=step(step_size=3, gamma=0.5, last_epoch=5)", "--epochs", "14"],
        commands.Compare(
            a=lambda opt: sched.StepLR(opt, step_size=3, gamma=0.5),
            b=Resumed(lambda opt, last: sched.StepLR(opt, step_size=3, gamma=0.5, last_epoch=last), 6, "fresh"),
        ),
    ),
    "resume_step_last_epoch_twice_decayed": (
        ["step", "--lr", "0.1", "--lr", "0.3", "--step-size", "3", "--gamma", "0.5", "--epochs", "15"]
        + ["--resume-at", "6", "--resume-by", "last-epoch"],
        Resumed(lambda opt, last: sched.StepLR(opt, step_size=3, gamma=0.5, last_epoch=last), 6, "last-epoch"),
    ),
    "resume_exp_last_epoch": (
        ["exp", "--lr", "0.1", "--gamma", "0.9", "--epochs", "30", "--resume-at", "11", "--resume-by", "last-epoch"],
        Resumed(lambda opt, last: sched.ExponentialLR(opt, gamma=0.9, last_epoch=last), 11, "last-epoch"),
    ),
    "resume_exp_fresh": (
        ["exp", "--lr", "0.1", "--gamma", "0.9", "--epochs", "30", "--resume-at", "11", "--resume-by", "fresh"],
        Resumed(lambda opt, last: sched.ExponentialLR(opt, gamma=0.9, last_epoch=last), 11, "fresh"),
    ),
    "resume_multistep_last_epoch_at_milestone": (
        ["multistep", "--lr", "0.1", "--milestones", "4,8,8", "--gamma", "0.5", "--epochs", "12"]
        + ["--resume-at", "8", "--resume-by", "last-epoch"],
        Resumed(
            lambda opt, last: sched.MultiStepLR(opt, milestones=[4, 8, 8], gamma=0.5, last_epoch=last), 8, "last-epoch"
        ),
    ),
    "resume_constant_last_epoch_at_total_iters": (
        ["constant", "--lr", "0.1", "--factor", "0.5", "--total-iters", "4", "--epochs", "10"]
        + ["--resume-at", "4", "--resume-by", "last-epoch"],
        Resumed(lambda opt, last: sched.ConstantLR(opt, factor=0.5, total_iters=4, last_epoch=last), 4, "last-epoch"),
    ),
    "resume_linear_last_epoch_in_ramp": (
        ["linear", "--lr", "0.1", "--start-factor", "0.1", "--total-iters", "10", "--epochs", "16"]
        + ["--resume-at", "4", "--resume-by", "last-epoch"],
        Resumed(
            lambda opt, last: sched.LinearLR(opt, start_factor=0.1, total_iters=10, last_epoch=last), 4, "last-epoch"
        ),
    ),
    "resume_linear_fresh_in_ramp": (
        ["linear", "--lr", "0.1", "--start-factor", "0.1", "--total-iters", "10", "--epochs", "16"]
        + ["--resume-at", "4", "--resume-by", "fresh"],
        Resumed(lambda opt, last: sched.LinearLR(opt, start_factor=0.1, total_iters=10, last_epoch=last), 4, "fresh"),
    ),
    "resume_poly_fresh": (
        ["poly", "--lr", "0.1", "--total-iters", "20", "--power", "2", "--epochs", "25"]
        + ["--resume-at", "7", "--resume-by", "fresh"],
        Resumed(lambda opt, last: sched.PolynomialLR(opt, total_iters=20, power=2, last_epoch=last), 7, "fresh"),
    ),
    "resume_lambda_last_epoch": (
        ["lambda", "--lr", "0.1", "--lr-lambda", "0.95 ** epoch", "--epochs", "20"]
        + ["--resume-at", "5", "--resume-by", "last-epoch"],
        Resumed(lambda opt, last: sched.LambdaLR(opt, lam("0.95 ** epoch"), last_epoch=last), 5, "last-epoch"),
    ),
    "resume_multiplicative_fresh": (
        ["multiplicative", "--lr", "0.1", "--lr-lambda", "0.9", "--epochs", "20"]
        + ["--resume-at", "5", "--resume-by", "fresh"],
        Resumed(lambda opt, last: sched.MultiplicativeLR(opt, lam("0.9"), last_epoch=last), 5, "fresh"),
    ),
    "resume_warm_restarts_last_epoch": (
        ["cosine-restarts", "--lr", "0.1", "--t-0", "3", "--t-mult", "2", "--epochs", "50"]
        + ["--resume-at", "11", "--resume-by", "last-epoch", "--compare-resume"],
        commands.Compare(resumed=Resumed(warm_restarts_3_2, 11, "last-epoch"), uninterrupted=fresh(warm_restarts_3_2)),
    ),
    "resume_warm_restarts_fresh_early": (
        ["cosine-restarts", "--lr", "0.1", "--t-0", "3", "--t-mult", "2", "--epochs", "30"]
        + ["--resume-at", "2", "--resume-by", "fresh"],
        Resumed(warm_restarts_3_2, 2, "fresh"),
    ),
    "resume_cosine_last_epoch_per_step": (
        ["cosine", "--lr", "0.1", "--t-max", "50", "--steps-per-epoch", "4", "--epochs", "20"]
        + ["--resume-at", "30", "--resume-by", "last-epoch"],
        Resumed(lambda opt, last: sched.CosineAnnealingLR(opt, T_max=50, last_epoch=last), 30, "last-epoch"),
    ),
    "resume_state_dict_sequential": (
        ["sequential", "--lr", "0.1", "linear(start_factor=0.1, total_iters=5)", "cosine(T_max=20)"]
        + ["--milestones", "5", "--epochs", "30", "--resume-at", "12", "--compare-resume"],
        commands.Compare(
            resumed=Resumed(lambda opt, last: SEQUENTIAL_WARMUP_COSINE(opt), 12, "state-dict"),
            uninterrupted=SEQUENTIAL_WARMUP_COSINE,
        ),
    ),
    "resume_state_dict_chained": (
        ["chained", "--lr", "0.1", "exp(gamma=0.9)", "step(step_size=4)", "--epochs", "15"]
        + ["--resume-at", "6", "--resume-by", "state-dict"],
        Resumed(
            lambda opt, last: sched.ChainedScheduler(
                [sched.ExponentialLR(opt, gamma=0.9), sched.StepLR(opt, step_size=4)]
            ),
            6,
            "state-dict",
        ),
    ),
    "resume_state_dict_onecycle": (
        ["onecycle", "--max-lr", "0.1", "--total-steps", "50", "--epochs", "50", "--resume-at", "20"],
        Resumed(lambda opt, last: sched.OneCycleLR(opt, max_lr=0.1, total_steps=50), 20, "state-dict"),
    ),
    "resume_onecycle_last_epoch": (
        ["onecycle", "--max-lr", "0.1", "--total-steps", "50", "--epochs", "50"]
        + ["--resume-at", "20", "--resume-by", "last-epoch"],
        Resumed(lambda opt, last: sched.OneCycleLR(opt, max_lr=0.1, total_steps=50, last_epoch=last), 20, "last-epoch"),
    ),
    "resume_cyclic_last_epoch": (
        ["cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "--step-size-up", "4", "--mode", "exp_range"]
        + ["--gamma", "0.99", "--epochs", "30", "--resume-at", "5", "--resume-by", "last-epoch"],
        Resumed(
            lambda opt, last: sched.CyclicLR(
                opt, base_lr=0.01, max_lr=0.1, step_size_up=4, mode="exp_range", gamma=0.99, last_epoch=last
            ),
            5,
            "last-epoch",
        ),
    ),
    "resume_cyclic_fresh_two_groups": (
        ["cyclic", "--lr", "0.3", "--lr", "0.05", "--base-lr", "0.01", "--max-lr", "0.1", "--step-size-up", "4"]
        + ["--mode", "triangular2", "--epochs", "30", "--resume-at", "7", "--resume-by", "fresh"],
        Resumed(
            lambda opt, last: sched.CyclicLR(
                opt, base_lr=0.01, max_lr=0.1, step_size_up=4, mode="triangular2", last_epoch=last
            ),
            7,
            "fresh",
        ),
    ),
    "scheduler_first_step": (
        ["step", "--lr", "0.1", "--step-size", "3", "--epochs", "12", "--order", "scheduler-first"],
        SchedulerFirst(lambda opt: sched.StepLR(opt, step_size=3)),
    ),
    "scheduler_first_warmup_cosine": (
        ["cosine", "--lr", "0.1", "--t-max", "20", "--warmup", "3", "--epochs", "25", "--order", "scheduler-first"],
        SchedulerFirst(
            lambda opt: sched.SequentialLR(
                opt,
                [
                    sched.LinearLR(opt, start_factor=1 / 3, end_factor=1.0, total_iters=3),
                    sched.CosineAnnealingLR(opt, T_max=20),
                ],
                milestones=[3],
            )
        ),
    ),
    "scheduler_first_onecycle_to_the_end": (
        ["onecycle", "--max-lr", "0.1", "--total-steps", "30", "--epochs", "30", "--order", "scheduler-first"],
        SchedulerFirst(lambda opt: sched.OneCycleLR(opt, max_lr=0.1, total_steps=30)),
    ),
    "step_epoch_cosine_closed_form": (
        ["cosine", "--lr", "0.1", "--t-max", "30", "--eta-min", "0.001", "--epochs", "80", "--step-with", "epoch"],
        Explicit(lambda opt: sched.CosineAnnealingLR(opt, T_max=30, eta_min=0.001)),
    ),
    "step_epoch_step": (
        ["step", "--lr", "0.1", "--step-size", "3", "--gamma", "0.7", "--epochs", "40", "--step-with", "epoch"],
        Explicit(lambda opt: sched.StepLR(opt, step_size=3, gamma=0.7)),
    ),
    "step_epoch_multistep": (
        ["multistep", "--lr", "0.1", "--milestones", "5,5,12", "--epochs", "20", "--step-with", "epoch"],
        Explicit(lambda opt: sched.MultiStepLR(opt, milestones=[5, 5, 12])),
    ),
    "step_epoch_constant": (
        ["constant", "--lr", "0.1", "--factor", "0.3", "--total-iters", "4", "--epochs", "8", "--step-with", "epoch"],
        Explicit(lambda opt: sched.ConstantLR(opt, factor=0.3, total_iters=4)),
    ),
    "step_epoch_linear": (
        ["linear", "--lr", "0.1", "--start-factor", "0.1", "--total-iters", "13", "--epochs", "20"]
        + ["--step-with", "epoch"],
        Explicit(lambda opt: sched.LinearLR(opt, start_factor=0.1, total_iters=13)),
    ),
    "step_epoch_exp": (
        ["exp", "--lr", "0.1", "--gamma", "0.95", "--epochs", "300", "--step-with", "epoch"],
        Explicit(lambda opt: sched.ExponentialLR(opt, gamma=0.95)),
    ),
    "step_epoch_poly": (
        ["poly", "--lr", "0.1", "--total-iters", "30", "--power", "1.5", "--epochs", "40", "--step-with", "epoch"],
        Explicit(lambda opt: sched.PolynomialLR(opt, total_iters=30, power=1.5)),
    ),
    "step_epoch_lambda": (
        ["lambda", "--lr", "0.1", "--lr-lambda", "1 / (epoch + 1)", "--epochs", "20", "--step-with", "epoch"],
        Explicit(lambda opt: sched.LambdaLR(opt, lam("1 / (epoch + 1)"))),
    ),
    "step_epoch_multiplicative": (
        ["multiplicative", "--lr", "0.1", "--lr-lambda", "0.9", "--epochs", "20", "--step-with", "epoch"],
        Explicit(lambda opt: sched.MultiplicativeLR(opt, lam("0.9"))),
    ),
    "step_epoch_warm_restarts": (
        ["cosine-restarts", "--lr", "0.1", "--t-0", "3", "--t-mult", "2", "--epochs", "50", "--step-with", "epoch"],
        Explicit(lambda opt: warm_restarts_3_2(opt, -1)),
    ),
    "fraction_warm_restarts_documented": (
        ["cosine-restarts", "--lr", "0.1", "--t-0", "10", "--t-mult", "2", "--steps-per-epoch", "100"]
        + ["--epochs", "30", "--step-with", "fraction"],
        Explicit(lambda opt: sched.CosineAnnealingWarmRestarts(opt, T_0=10, T_mult=2), iters=100),
    ),
    "fraction_warm_restarts_t_mult_1": (
        ["cosine-restarts", "--lr", "0.1", "--lr", "0.02", "--t-0", "3", "--eta-min", "0.001"]
        + ["--steps-per-epoch", "7", "--epochs", "20", "--step-with", "fraction"],
        Explicit(lambda opt: sched.CosineAnnealingWarmRestarts(opt, T_0=3, eta_min=0.001), iters=7),
    ),
    "fraction_cosine_closed_form": (
        [
            "cosine",
            "--lr",
            "0.1",
            "--t-max",
            "10",
            "--steps-per-epoch",
            "9",
            "--epochs",
            "12",
            "--step-with",
            "fraction",
        ],
        Explicit(lambda opt: sched.CosineAnnealingLR(opt, T_max=10), iters=9),
    ),
    "fraction_step": (
        [
            "step",
            "--lr",
            "0.1",
            "--step-size",
            "2",
            "--steps-per-epoch",
            "5",
            "--epochs",
            "8",
            "--step-with",
            "fraction",
        ],
        Explicit(lambda opt: sched.StepLR(opt, step_size=2), iters=5),
    ),
}
CASES.update(LOOP_CASES)


def swa(optimizer, last, **kwargs):
    return torch.optim.swa_utils.SWALR(optimizer, last_epoch=last, **kwargs)


def warmup_cosine(optimizer, last):
    """LinearLR warmup then cosine, every scheduler and the SequentialLR constructed with ``last``."""
    return sched.SequentialLR(
        optimizer,
        [
            sched.LinearLR(optimizer, start_factor=0.1, total_iters=5, last_epoch=last),
            sched.CosineAnnealingLR(optimizer, T_max=20, last_epoch=last),
        ],
        milestones=[5],
        last_epoch=last,
    )


def step_exp_cosine(optimizer, last):
    return sched.SequentialLR(
        optimizer,
        [
            sched.StepLR(optimizer, step_size=2, gamma=0.5, last_epoch=last),
            sched.ExponentialLR(optimizer, gamma=0.9, last_epoch=last),
            sched.CosineAnnealingLR(optimizer, T_max=8, eta_min=0.001, last_epoch=last),
        ],
        milestones=[4, 10],
        last_epoch=last,
    )


def cosine_then_swa(optimizer, last):
    """SWA as a SequentialLR: cosine, then SWALR from epoch 6."""
    return sched.SequentialLR(
        optimizer,
        [
            sched.CosineAnnealingLR(optimizer, T_max=10, last_epoch=last),
            swa(optimizer, last, swa_lr=0.02, anneal_epochs=4),
        ],
        milestones=[6],
        last_epoch=last,
    )


def chained_exp_step(optimizer, last):
    return sched.ChainedScheduler(
        [
            sched.ExponentialLR(optimizer, gamma=0.9, last_epoch=last),
            sched.StepLR(optimizer, step_size=4, last_epoch=last),
        ]
    )


def chained_over_sequential(optimizer, last):
    """A ChainedScheduler over a SequentialLR (whose constructor resets the lr) and a MultiStepLR."""
    return sched.ChainedScheduler(
        [
            warmup_cosine(optimizer, last),
            sched.MultiStepLR(optimizer, milestones=[8, 14], gamma=0.5, last_epoch=last),
        ]
    )


WARMUP_COSINE = ["sequential", "--lr", "0.1", "linear(start_factor=0.1, total_iters=5)", "cosine(T_max=20)"]
STEP_EXP_COSINE = ["sequential", "--lr", "0.1", "step(step_size=2, gamma=0.5)", "exp(gamma=0.9)"]
STEP_EXP_COSINE += ["cosine(T_max=8, eta_min=0.001)", "--milestones", "4,10", "--epochs", "20"]
COMPOSED_RESUME_CASES = {
    # SWALR, SequentialLR and ChainedScheduler constructed with last_epoch=K-1 (every scheduler in
    # them too): what torch's constructors do then, quirks and all.
    "resume_swa_last_epoch": (
        ["swa", "--lr", "0.1", "--swa-lr", "0.01", "--anneal-epochs", "5", "--epochs", "14"]
        + ["--resume-at", "3", "--resume-by", "last-epoch", "--compare-resume"],
        commands.Compare(
            resumed=Resumed(lambda opt, last: swa(opt, last, swa_lr=0.01, anneal_epochs=5), 3, "last-epoch"),
            uninterrupted=lambda opt: swa(opt, -1, swa_lr=0.01, anneal_epochs=5),
        ),
    ),
    "resume_swa_fresh_linear_groups": (
        ["swa", "--lr", "0.1", "--lr", "0.3", "--swa-lr", "0.01", "--anneal-epochs", "6"]
        + ["--anneal-strategy", "linear", "--epochs", "15", "--resume-at", "4", "--resume-by", "fresh"],
        Resumed(lambda opt, last: swa(opt, last, swa_lr=0.01, anneal_epochs=6, anneal_strategy="linear"), 4, "fresh"),
    ),
    "resume_swa_no_anneal_last_epoch": (
        ["swa", "--lr", "0.1", "--swa-lr", "0.02", "--anneal-epochs", "0", "--epochs", "6"]
        + ["--resume-at", "2", "--resume-by", "last-epoch"],
        Resumed(lambda opt, last: swa(opt, last, swa_lr=0.02, anneal_epochs=0), 2, "last-epoch"),
    ),
    "resume_sequential_last_epoch_after_milestone": (
        WARMUP_COSINE
        + ["--milestones", "5", "--epochs", "30", "--resume-at", "12", "--resume-by", "last-epoch"]
        + ["--compare-resume"],
        commands.Compare(resumed=Resumed(warmup_cosine, 12, "last-epoch"), uninterrupted=fresh(warmup_cosine)),
    ),
    "resume_sequential_last_epoch_in_warmup": (
        WARMUP_COSINE + ["--milestones", "5", "--epochs", "30", "--resume-at", "3", "--resume-by", "last-epoch"],
        Resumed(warmup_cosine, 3, "last-epoch"),
    ),
    "resume_sequential_fresh_at_milestone": (
        WARMUP_COSINE + ["--milestones", "5", "--epochs", "30", "--resume-at", "5", "--resume-by", "fresh"],
        Resumed(warmup_cosine, 5, "fresh"),
    ),
    "resume_sequential_last_epoch_before_milestone": (
        WARMUP_COSINE + ["--milestones", "5", "--epochs", "30", "--resume-at", "4", "--resume-by", "last-epoch"],
        Resumed(warmup_cosine, 4, "last-epoch"),
    ),
    "resume_sequential_three_between_milestones": (
        STEP_EXP_COSINE + ["--resume-at", "7", "--resume-by", "last-epoch"],
        Resumed(step_exp_cosine, 7, "last-epoch"),
    ),
    "resume_sequential_three_fresh_last_stage": (
        STEP_EXP_COSINE + ["--lr", "0.05", "--resume-at", "13", "--resume-by", "fresh"],
        Resumed(step_exp_cosine, 13, "fresh"),
    ),
    "resume_sequential_swa_last_epoch": (
        ["sequential", "--lr", "0.1", "cosine(T_max=10)", "swa(swa_lr=0.02, anneal_epochs=4)", "--milestones", "6"]
        + ["--epochs", "16", "--resume-at", "8", "--resume-by", "last-epoch"],
        Resumed(cosine_then_swa, 8, "last-epoch"),
    ),
    "resume_sequential_swa_before_swa": (
        ["sequential", "--lr", "0.1", "cosine(T_max=10)", "swa(swa_lr=0.02, anneal_epochs=4)", "--milestones", "6"]
        + ["--epochs", "16", "--resume-at", "3", "--resume-by", "fresh"],
        Resumed(cosine_then_swa, 3, "fresh"),
    ),
    "resume_chained_last_epoch": (
        ["chained", "--lr", "0.1", "exp(gamma=0.9)", "step(step_size=4)", "--epochs", "15"]
        + ["--resume-at", "6", "--resume-by", "last-epoch"],
        Resumed(chained_exp_step, 6, "last-epoch"),
    ),
    "resume_chained_fresh": (
        ["chained", "--lr", "0.1", "exp(gamma=0.9)", "step(step_size=4)", "--epochs", "15"]
        + ["--resume-at", "6", "--resume-by", "fresh"],
        Resumed(chained_exp_step, 6, "fresh"),
    ),
    "resume_chained_over_sequential_last_epoch": (
        ["chained", "--lr", "0.1"]
        + ["sequential(schedulers=[linear(start_factor=0.1, total_iters=5), cosine(T_max=20)], milestones=[5])"]
        + [
            "multistep(milestones=[8, 14], gamma=0.5)",
            "--epochs",
            "20",
            "--resume-at",
            "10",
            "--resume-by",
            "last-epoch",
        ],
        Resumed(chained_over_sequential, 10, "last-epoch"),
    ),
    "resume_chained_over_sequential_fresh_early": (
        ["chained", "--lr", "0.1"]
        + ["sequential(schedulers=[linear(start_factor=0.1, total_iters=5), cosine(T_max=20)], milestones=[5])"]
        + ["multistep(milestones=[8, 14], gamma=0.5)", "--epochs", "20", "--resume-at", "2", "--resume-by", "fresh"],
        Resumed(chained_over_sequential, 2, "fresh"),
    ),
    "resume_sequential_cyclic_first_fresh": (
        ["sequential", "--lr", "0.1", "cyclic(base_lr=0.01, max_lr=0.1, step_size_up=3)"]
        + ["step(step_size=3, gamma=0.5)", "--milestones", "12", "--epochs", "20", "--resume-at", "5"]
        + ["--resume-by", "fresh"],
        Resumed(
            lambda opt, last: sched.SequentialLR(
                opt,
                [
                    sched.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=3, last_epoch=last),
                    sched.StepLR(opt, step_size=3, gamma=0.5, last_epoch=last),
                ],
                milestones=[12],
                last_epoch=last,
            ),
            5,
            "fresh",
        ),
    ),
}
CASES.update(COMPOSED_RESUME_CASES)


def write_warnings() -> None:
    """What torch warns, verbatim, of a scheduler stepped before the optimizer and of step(epoch):
    tests/data/golden/torch/warnings.json, which lrcli's messages quote."""
    import json
    import warnings

    said = {}
    for name, call in (
        ("scheduler_first", lambda scheduler: scheduler.step()),
        ("epoch_deprecation", lambda scheduler: scheduler.step(1)),
    ):
        optimizer = commands.optimizer_of([0.1])
        scheduler = sched.StepLR(optimizer, step_size=2)
        if name == "epoch_deprecation":
            optimizer.step()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call(scheduler)
        said[name] = [str(warning.message) for warning in caught]
    path = commands.harness.folder("torch") / "warnings.json"
    path.write_text(json.dumps(said, indent=1) + "\n")


# A run of 10⁷ steps, compared at every chunk boundary (lrcli computes 65,536 rows at a time)
# and at some rows between: warmup then cosine, recursive throughout.
LONG_ROWS = 10_000_000
LONG_CHUNK = 65536
LONG_SAMPLE = sorted(
    {row for boundary in range(LONG_CHUNK, LONG_ROWS, LONG_CHUNK) for row in (boundary - 1, boundary, boundary + 1)}
    | {0, 1, 2, 4095, 777777, LONG_ROWS - 1}
)
LONG_CASES = {
    "long_warmup_cosine_sampled": (
        [
            "cosine",
            "--lr",
            "0.1",
            "--t-max",
            "9990000",
            "--eta-min",
            "0.000001",
            "--warmup",
            "10000",
            "--warmup-start-factor",
            "0.001",
            "--steps",
            str(LONG_ROWS),
            "--at",
            ",".join(map(str, LONG_SAMPLE)),
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                sched.LinearLR(opt, start_factor=0.001, end_factor=1.0, total_iters=10000),
                sched.CosineAnnealingLR(opt, T_max=9990000, eta_min=0.000001),
            ],
            milestones=[10000],
        ),
    ),
}


def versions() -> dict:
    return {"torch": torch.__version__}


if __name__ == "__main__":
    commands.main("torch", __doc__, CASES, versions, long=LONG_CASES, also=(write_warnings,))
