"""Write tests/golden/: what real torch leaves in optimizer.param_groups[i]["lr"], step by step.

Run by hand, in an environment with torch (the tests never import it):

    python -m venv /tmp/torch && /tmp/torch/bin/pip install torch==2.13.0
    /tmp/torch/bin/pip install transformers==5.23.0 accelerate   # the Trainer's arithmetic
    /tmp/torch/bin/pip install --no-deps timm==1.0.31
    /tmp/torch/bin/pip install mmengine==0.10.7 matplotlib      # and mmdet's wheel unzipped in /tmp/mmdet
    /tmp/torch/bin/python scripts/make_golden.py

Each case pairs an lrcli command line with the torch scheduler it stands for. The script builds an
SGD optimizer (momentum 0.9) with one param group per ``--lr``, records every group's lr (and
momentum, for ``--show-momentum``), then calls ``optimizer.step(); scheduler.step()`` (for
ReduceLROnPlateau ``scheduler.step(metric)``), ``--epochs`` times in all, and writes
``<case>.csv`` (header as lrcli's CSV, floats as Python's repr) plus ``cases.json`` (name → lrcli
arguments). It also writes the metric files the plateau cases read; ``{golden}`` in an argument
stands for the golden folder.
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import warnings

import torch
import torch.optim.swa_utils
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
    "multiplicative_constant_two_groups": (
        ["multiplicative", "--lr", "0.1", "--lr", "0.3", "--lr-lambda", "0.999", "--epochs", "3000"],
        lambda opt: sched.MultiplicativeLR(opt, lam("0.999")),
    ),
    "multiplicative_per_group": (
        ["multiplicative", "--lr", "0.1", "--lr", "0.05", "--lr-lambda", "1 - 1 / (epoch + 20)",
         "--lr-lambda", "0.9 if epoch % 100 == 0 else 1", "--epochs", "3000"],
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
        ["linear", "--lr", "0.3", "--lr", "0.01", "--start-factor", "0.001", "--end-factor", "1.0",
         "--total-iters", "2500", "--epochs", "3000"],
        lambda opt: sched.LinearLR(opt, start_factor=0.001, end_factor=1.0, total_iters=2500),
    ),
    "linear_decay": (
        ["linear", "--lr", "0.1", "--start-factor", "1.0", "--end-factor", "0.05", "--total-iters", "3000",
         "--epochs", "3200"],
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
        ["cyclic", "--base-lr", "0.001", "--max-lr", "0.1", "--step-size-up", "50", "--epochs", "3000",
         "--show-momentum"],
        lambda opt: sched.CyclicLR(opt, base_lr=0.001, max_lr=0.1, step_size_up=50),
    ),
    "cyclic_triangular2_uneven": (
        ["cyclic", "--base-lr", "0.001", "--max-lr", "0.1", "--step-size-up", "20", "--step-size-down", "30",
         "--mode", "triangular2", "--epochs", "3000"],
        lambda opt: sched.CyclicLR(opt, base_lr=0.001, max_lr=0.1, step_size_up=20, step_size_down=30,
                                   mode="triangular2"),
    ),
    "cyclic_exp_range_groups": (
        ["cyclic", "--lr", "0.5", "--lr", "0.5", "--base-lr", "0.001", "--base-lr", "0.002", "--max-lr", "0.1",
         "--max-lr", "0.05", "--step-size-up", "25", "--mode", "exp_range", "--gamma", "0.999",
         "--base-momentum", "0.7", "--max-momentum", "0.95", "--epochs", "3000", "--show-momentum"],
        lambda opt: sched.CyclicLR(opt, base_lr=[0.001, 0.002], max_lr=[0.1, 0.05], step_size_up=25,
                                   mode="exp_range", gamma=0.999, base_momentum=0.7, max_momentum=0.95),
    ),
    "onecycle_cos": (
        ["onecycle", "--max-lr", "0.1", "--total-steps", "3000", "--epochs", "3000", "--show-momentum"],
        lambda opt: sched.OneCycleLR(opt, max_lr=0.1, total_steps=3000),
    ),
    "onecycle_linear_to_the_last_step": (
        ["onecycle", "--max-lr", "0.2", "--total-steps", "3000", "--pct-start", "0.25", "--anneal-strategy", "linear",
         "--div-factor", "10", "--final-div-factor", "100", "--epochs", "3001"],
        lambda opt: sched.OneCycleLR(opt, max_lr=0.2, total_steps=3000, pct_start=0.25, anneal_strategy="linear",
                                     div_factor=10.0, final_div_factor=100.0),
    ),
    "onecycle_three_phase_groups": (
        ["onecycle", "--lr", "1", "--lr", "1", "--max-lr", "0.1", "--max-lr", "0.01", "--total-steps", "3000",
         "--three-phase", "--epochs", "3000", "--show-momentum"],
        lambda opt: sched.OneCycleLR(opt, max_lr=[0.1, 0.01], total_steps=3000, three_phase=True),
    ),
    "plateau_min_cooldown": (
        ["plateau", "--lr", "0.1", "--lr", "0.01", "--metrics", "{golden}/metrics_loss.txt", "--patience", "5",
         "--cooldown", "3", "--min-lr", "0.0001", "--epochs", "4001"],
        lambda opt: sched.ReduceLROnPlateau(opt, patience=5, cooldown=3, min_lr=0.0001),
    ),
    "plateau_max_abs_column": (
        ["plateau", "--lr", "0.1", "--lr", "0.2", "--metrics", "{golden}/metrics.csv", "--column", "val_acc",
         "--mode", "max", "--threshold-mode", "abs", "--threshold", "0.001", "--factor", "0.5", "--patience", "2",
         "--cooldown", "1", "--min-lr", "0.001", "--min-lr", "0.0", "--epochs", "4001"],
        lambda opt: sched.ReduceLROnPlateau(opt, mode="max", threshold_mode="abs", threshold=0.001, factor=0.5,
                                            patience=2, cooldown=1, min_lr=[0.001, 0.0]),
    ),
    "plateau_default": (
        ["plateau", "--lr", "1", "--metrics", "{golden}/metrics_loss.txt", "--epochs", "4001"],
        lambda opt: sched.ReduceLROnPlateau(opt),
    ),
    "sequential_warmup_cosine_exp": (
        ["sequential", "--lr", "0.1", "linear(start_factor=0.1, total_iters=50)", "cosine(T_max=2000, eta_min=0.001)",
         "ExponentialLR(gamma=0.999)", "--milestones", "50,2050", "--epochs", "4000"],
        lambda opt: sched.SequentialLR(opt, [sched.LinearLR(opt, start_factor=0.1, total_iters=50),
                                             sched.CosineAnnealingLR(opt, T_max=2000, eta_min=0.001),
                                             sched.ExponentialLR(opt, gamma=0.999)], milestones=[50, 2050]),
    ),
    "sequential_constant_multistep_zero": (
        ["sequential", "--lr", "0.2", "--lr", "0.02", "constant(factor=0.1, total_iters=10)",
         "multistep(milestones=[0, 100, 100, 900], gamma=0.5)", "--milestones", "20", "--epochs", "3000"],
        lambda opt: sched.SequentialLR(opt, [sched.ConstantLR(opt, factor=0.1, total_iters=10),
                                             sched.MultiStepLR(opt, milestones=[0, 100, 100, 900], gamma=0.5)],
                                       milestones=[20]),
    ),
    "sequential_cyclic_second": (
        ["sequential", "--lr", "0.3", "step(step_size=10, gamma=0.5)",
         "cyclic(base_lr=0.001, max_lr=0.01, step_size_up=30)", "--milestones", "100", "--epochs", "3000"],
        lambda opt: sched.SequentialLR(opt, [sched.StepLR(opt, step_size=10, gamma=0.5),
                                             sched.CyclicLR(opt, base_lr=0.001, max_lr=0.01, step_size_up=30)],
                                       milestones=[100]),
    ),
    "sequential_onecycle_restarts_lambda": (
        ["sequential", "--lr", "0.1", "onecycle(max_lr=0.05, total_steps=1000)", "cosine-restarts(T_0=100, T_mult=2)",
         "lambda(lr_lambda='0.5 ** (epoch / 200)')", "multiplicative(lr_lambda='0.999')", "poly(total_iters=500, power=2.0)",
         "--milestones", "1000,1700,2200,2500", "--epochs", "3500"],
        lambda opt: sched.SequentialLR(opt, [sched.OneCycleLR(opt, max_lr=0.05, total_steps=1000),
                                             sched.CosineAnnealingWarmRestarts(opt, T_0=100, T_mult=2),
                                             sched.LambdaLR(opt, lam("0.5 ** (epoch / 200)")),
                                             sched.MultiplicativeLR(opt, lam("0.999")),
                                             sched.PolynomialLR(opt, total_iters=500, power=2.0)],
                                       milestones=[1000, 1700, 2200, 2500]),
    ),
    "chained_constant_exp": (
        ["chained", "--lr", "0.1", "constant(factor=0.5, total_iters=30)", "exp(gamma=0.999)", "--epochs", "3000"],
        lambda opt: sched.ChainedScheduler([sched.ConstantLR(opt, factor=0.5, total_iters=30),
                                            sched.ExponentialLR(opt, gamma=0.999)]),
    ),
    "chained_three_with_cosine": (
        ["chained", "--lr", "0.1", "--lr", "0.4", "linear(start_factor=0.01, total_iters=100)",
         "cosine(T_max=500, eta_min=0.0001)", "StepLR(step_size=700, gamma=0.5)", "--epochs", "3000"],
        lambda opt: sched.ChainedScheduler([sched.LinearLR(opt, start_factor=0.01, total_iters=100),
                                            sched.CosineAnnealingLR(opt, T_max=500, eta_min=0.0001),
                                            sched.StepLR(opt, step_size=700, gamma=0.5)]),
    ),
    "chained_exp_then_cyclic": (
        ["chained", "--lr", "0.1", "exp(gamma=0.99)", "cyclic(base_lr=0.001, max_lr=0.01, step_size_up=40, mode='triangular2')",
         "--epochs", "3000"],
        lambda opt: sched.ChainedScheduler([sched.ExponentialLR(opt, gamma=0.99),
                                            sched.CyclicLR(opt, base_lr=0.001, max_lr=0.01, step_size_up=40,
                                                           mode="triangular2")]),
    ),
    "chained_lambda_multiplicative": (
        ["chained", "--lr", "0.1", "lambda(lr_lambda='1 / (1 + epoch / 100)')", "multiplicative(lr_lambda='0.998')",
         "--epochs", "3000"],
        lambda opt: sched.ChainedScheduler([sched.LambdaLR(opt, lam("1 / (1 + epoch / 100)")),
                                            sched.MultiplicativeLR(opt, lam("0.998"))]),
    ),
    "onecycle_epochs_steps_spec": (
        ["chained", "--lr", "0.1", "OneCycleLR(max_lr=0.1, epochs=4, steps_per_epoch=25)", "--epochs", "101"],
        lambda opt: sched.ChainedScheduler([sched.OneCycleLR(opt, max_lr=0.1, epochs=4, steps_per_epoch=25)]),
    ),
    "sequential_linear_onecycle_epochs_steps": (
        ["sequential", "--lr", "0.1", "--lr", "0.3", "linear(start_factor=0.5, total_iters=10)",
         "onecycle(max_lr=[0.2, 0.4], epochs=6, steps_per_epoch=50, anneal_strategy='linear')",
         "--milestones", "10", "--epochs", "301"],
        lambda opt: sched.SequentialLR(opt, [sched.LinearLR(opt, start_factor=0.5, total_iters=10),
                                             sched.OneCycleLR(opt, max_lr=[0.2, 0.4], epochs=6, steps_per_epoch=50,
                                                              anneal_strategy="linear")], milestones=[10]),
    ),
    "warmup_step": (
        ["step", "--lr", "0.1", "--step-size", "30", "--warmup", "5", "--epochs", "3000"],
        lambda opt: sched.SequentialLR(opt, [sched.LinearLR(opt, start_factor=1.0 / 3, end_factor=1.0, total_iters=5),
                                             sched.StepLR(opt, step_size=30)], milestones=[5]),
    ),
    "warmup_cosine_two_groups": (
        ["cosine", "--lr", "0.1", "--lr", "0.01", "--t-max", "2900", "--eta-min", "0.00001", "--warmup", "100",
         "--warmup-start-factor", "0.01", "--epochs", "3000"],
        lambda opt: sched.SequentialLR(opt, [sched.LinearLR(opt, start_factor=0.01, end_factor=1.0, total_iters=100),
                                             sched.CosineAnnealingLR(opt, T_max=2900, eta_min=0.00001)],
                                       milestones=[100]),
    ),
    "warmup_lambda": (
        ["lambda", "--lr", "0.1", "--lr-lambda", "0.99 ** epoch", "--warmup", "10", "--epochs", "3000"],
        lambda opt: sched.SequentialLR(opt, [sched.LinearLR(opt, start_factor=1.0 / 3, end_factor=1.0, total_iters=10),
                                             sched.LambdaLR(opt, lam("0.99 ** epoch"))], milestones=[10]),
    ),
    "warmup_multistep_zero": (
        ["multistep", "--lr", "0.1", "--milestones", "0,50", "--gamma", "0.5", "--warmup", "20", "--epochs", "3000"],
        lambda opt: sched.SequentialLR(opt, [sched.LinearLR(opt, start_factor=1.0 / 3, end_factor=1.0, total_iters=20),
                                             sched.MultiStepLR(opt, milestones=[0, 50], gamma=0.5)], milestones=[20]),
    ),
    # Per-iteration stepping: rows are optimizer steps (step,epoch,lr), the scheduler's counts in
    # steps, or given in epochs with --counts-in epochs (torch gets them times steps_per_epoch).
    "iter_step_trap": (
        ["step", "--lr", "0.1", "--step-size", "3", "--steps-per-epoch", "7", "--epochs", "12"],
        lambda opt: sched.StepLR(opt, step_size=3),
    ),
    "iter_step_in_epochs": (
        ["step", "--lr", "0.1", "--step-size", "3", "--steps-per-epoch", "7", "--epochs", "12", "--counts-in", "epochs"],
        lambda opt: sched.StepLR(opt, step_size=21),
    ),
    "iter_multistep_in_epochs_cifar": (
        ["multistep", "--lr", "0.1", "--milestones", "100,150", "--steps-per-epoch", "391", "--epochs", "200",
         "--counts-in", "epochs"],
        lambda opt: sched.MultiStepLR(opt, milestones=[39100, 58650]),
    ),
    "iter_constant_in_epochs": (
        ["constant", "--lr", "0.1", "--factor", "0.25", "--total-iters", "2.5", "--steps-per-epoch", "4",
         "--epochs", "6", "--counts-in", "epochs"],
        lambda opt: sched.ConstantLR(opt, factor=0.25, total_iters=10),
    ),
    "iter_linear_in_epochs": (
        ["linear", "--lr", "0.1", "--start-factor", "0.01", "--total-iters", "5", "--steps-per-epoch", "97",
         "--epochs", "20", "--counts-in", "epochs"],
        lambda opt: sched.LinearLR(opt, start_factor=0.01, total_iters=485),
    ),
    "iter_poly_in_epochs": (
        ["poly", "--lr", "0.1", "--total-iters", "30", "--power", "2", "--steps-per-epoch", "50", "--epochs", "32",
         "--counts-in", "epochs"],
        lambda opt: sched.PolynomialLR(opt, total_iters=1500, power=2.0),
    ),
    "iter_cosine_in_epochs": (
        ["cosine", "--lr", "0.1", "--lr", "0.02", "--t-max", "90", "--eta-min", "0.0001", "--steps-per-epoch", "53",
         "--epochs", "100", "--counts-in", "epochs"],
        lambda opt: sched.CosineAnnealingLR(opt, T_max=4770, eta_min=0.0001),
    ),
    "iter_restarts_in_epochs": (
        ["cosine-restarts", "--lr", "0.1", "--t-0", "2.5", "--t-mult", "2", "--steps-per-epoch", "40", "--epochs", "40",
         "--counts-in", "epochs"],
        lambda opt: sched.CosineAnnealingWarmRestarts(opt, T_0=100, T_mult=2),
    ),
    "iter_cyclic_in_epochs": (
        ["cyclic", "--base-lr", "0.001", "--max-lr", "0.1", "--step-size-up", "2", "--step-size-down", "3",
         "--steps-per-epoch", "25", "--epochs", "40", "--counts-in", "epochs", "--mode", "triangular2"],
        lambda opt: sched.CyclicLR(opt, base_lr=0.001, max_lr=0.1, step_size_up=50, step_size_down=75, mode="triangular2"),
    ),
    "iter_onecycle_torch_pair": (
        ["onecycle", "--max-lr", "0.1", "--steps-per-epoch", "37", "--epochs", "30"],
        lambda opt: sched.OneCycleLR(opt, max_lr=0.1, epochs=30, steps_per_epoch=37),
    ),
    "iter_onecycle_in_epochs": (
        ["onecycle", "--max-lr", "0.1", "--total-steps", "20", "--steps-per-epoch", "37", "--epochs", "20",
         "--counts-in", "epochs", "--show-momentum"],
        lambda opt: sched.OneCycleLR(opt, max_lr=0.1, total_steps=740),
    ),
    "iter_warmup_cosine_in_epochs": (
        ["cosine", "--lr", "0.1", "--t-max", "95", "--eta-min", "0.00001", "--warmup", "5", "--steps-per-epoch", "61",
         "--epochs", "100", "--counts-in", "epochs"],
        lambda opt: sched.SequentialLR(opt, [sched.LinearLR(opt, start_factor=1.0 / 3, end_factor=1.0, total_iters=305),
                                             sched.CosineAnnealingLR(opt, T_max=5795, eta_min=0.00001)],
                                       milestones=[305]),
    ),
    "iter_sequential_specs_in_epochs": (
        ["sequential", "--lr", "0.1", "linear(start_factor=0.1, total_iters=2)", "multistep(milestones=[3, 6])",
         "--milestones", "2", "--steps-per-epoch", "33", "--epochs", "10", "--counts-in", "epochs"],
        lambda opt: sched.SequentialLR(opt, [sched.LinearLR(opt, start_factor=0.1, total_iters=66),
                                             sched.MultiStepLR(opt, milestones=[99, 198])], milestones=[66]),
    ),
    "iter_chained_steps_total": (
        ["chained", "--lr", "0.1", "exp(gamma=0.999)", "step(step_size=250, gamma=0.5)", "--steps", "3000"],
        lambda opt: sched.ChainedScheduler([sched.ExponentialLR(opt, gamma=0.999), sched.StepLR(opt, step_size=250, gamma=0.5)]),
    ),
    "iter_lambda_steps_per_epoch": (
        ["lambda", "--lr", "0.1", "--lr-lambda", "0.9 ** (epoch // steps_per_epoch)", "--steps-per-epoch", "13",
         "--epochs", "50"],
        lambda opt: sched.LambdaLR(opt, lambda step: 0.9 ** (step // 13)),
    ),
    # Row selection: the rows of the whole run that each selection keeps (see select_rows).
    "select_window": (
        ["cosine", "--lr", "0.1", "--t-max", "500", "--eta-min", "0.001", "--steps", "3000", "--start", "1234",
         "--stop", "-17"],
        lambda opt: sched.CosineAnnealingLR(opt, T_max=500, eta_min=0.001),
    ),
    "select_every": (
        ["exp", "--lr", "0.1", "--gamma", "0.999", "--steps-per-epoch", "100", "--epochs", "30", "--every", "77"],
        lambda opt: sched.ExponentialLR(opt, gamma=0.999),
    ),
    "select_changes_imagenet": (
        ["step", "--lr", "0.1", "--lr", "0.2", "--step-size", "30", "--steps-per-epoch", "5005", "--epochs", "90",
         "--counts-in", "epochs", "--changes"],
        lambda opt: sched.StepLR(opt, step_size=150150),
    ),
    "select_changes_window": (
        ["multistep", "--lr", "0.1", "--milestones", "10,20,20,45", "--gamma", "0.5", "--steps", "60", "--start", "15",
         "--stop", "50", "--changes"],
        lambda opt: sched.MultiStepLR(opt, milestones=[10, 20, 20, 45], gamma=0.5),
    ),
    "select_at": (
        ["cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "--step-size-up", "100", "--steps", "2000", "--at",
         "1999,0,150,150,1000", "--show-momentum"],
        lambda opt: sched.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=100),
    ),
    "select_every_window": (
        ["poly", "--lr", "0.1", "--total-iters", "1000", "--power", "0.5", "--steps", "1200", "--start", "-500",
         "--every", "33"],
        lambda opt: sched.PolynomialLR(opt, total_iters=1000, power=0.5),
    ),
    # SWALR (torch.optim.swa_utils), alone and as SWA uses it: after another schedule.
    "swa_cos_groups": (
        ["swa", "--lr", "0.1", "--lr", "0.3", "--swa-lr", "0.01", "--swa-lr", "0.05", "--anneal-epochs", "37",
         "--epochs", "100"],
        lambda opt: torch.optim.swa_utils.SWALR(opt, swa_lr=[0.01, 0.05], anneal_epochs=37),
    ),
    "swa_linear": (
        ["swa", "--lr", "0.1", "--swa-lr", "0.003", "--anneal-epochs", "13", "--anneal-strategy", "linear",
         "--epochs", "40"],
        lambda opt: torch.optim.swa_utils.SWALR(opt, swa_lr=0.003, anneal_epochs=13, anneal_strategy="linear"),
    ),
    "swa_no_anneal": (
        ["swa", "--lr", "0.1", "--swa-lr", "0.02", "--anneal-epochs", "0", "--epochs", "5"],
        lambda opt: torch.optim.swa_utils.SWALR(opt, swa_lr=0.02, anneal_epochs=0),
    ),
    "swa_after_cosine": (
        ["sequential", "--lr", "0.1", "cosine(T_max=75, eta_min=0.001)", "SWALR(swa_lr=0.01, anneal_epochs=5)",
         "--milestones", "75", "--epochs", "100"],
        lambda opt: sched.SequentialLR(opt, [sched.CosineAnnealingLR(opt, T_max=75, eta_min=0.001),
                                             torch.optim.swa_utils.SWALR(opt, swa_lr=0.01, anneal_epochs=5)],
                                       milestones=[75]),
    ),
    "swa_per_step_in_epochs": (
        ["swa", "--lr", "0.1", "--swa-lr", "0.01", "--anneal-epochs", "2.5", "--steps-per-epoch", "8", "--epochs", "5",
         "--counts-in", "epochs"],
        lambda opt: torch.optim.swa_utils.SWALR(opt, swa_lr=0.01, anneal_epochs=20),
    ),
    "swa_chained_with_exp": (
        ["chained", "--lr", "0.1", "swa(swa_lr=0.01, anneal_epochs=9, anneal_strategy='linear')", "exp(gamma=0.97)",
         "--epochs", "30"],
        lambda opt: sched.ChainedScheduler([torch.optim.swa_utils.SWALR(opt, swa_lr=0.01, anneal_epochs=9,
                                                                        anneal_strategy="linear"),
                                            sched.ExponentialLR(opt, gamma=0.97)]),
    ),
    "swa_two_share_swa_lr": (
        ["sequential", "--lr", "0.1", "swa(swa_lr=0.001, anneal_epochs=9)", "swa(swa_lr=0.2, anneal_epochs=3,"
         " anneal_strategy='linear')", "--milestones", "10", "--epochs", "30"],
        lambda opt: sched.SequentialLR(opt, [torch.optim.swa_utils.SWALR(opt, swa_lr=0.001, anneal_epochs=9),
                                             torch.optim.swa_utils.SWALR(opt, swa_lr=0.2, anneal_epochs=3,
                                                                         anneal_strategy="linear")], milestones=[10]),
    ),
    "swa_two_chained": (
        ["chained", "--lr", "0.1", "swa(swa_lr=0.05, anneal_epochs=4)", "swa(swa_lr=0.001, anneal_epochs=7)",
         "--epochs", "20"],
        lambda opt: sched.ChainedScheduler([torch.optim.swa_utils.SWALR(opt, swa_lr=0.05, anneal_epochs=4),
                                            torch.optim.swa_utils.SWALR(opt, swa_lr=0.001, anneal_epochs=7)]),
    ),
    # What torch runs although an earlier lrcli refused it.
    "accept_linear_to_zero_negative": (
        ["linear", "--lr", "0.1", "--end-factor", "0", "--epochs", "8"],
        lambda opt: sched.LinearLR(opt, end_factor=0.0),
    ),
    "accept_linear_to_zero_groups": (
        ["linear", "--lr", "0.3", "--lr", "0.07", "--start-factor", "0.9", "--end-factor", "0", "--total-iters", "37",
         "--epochs", "40"],
        lambda opt: sched.LinearLR(opt, start_factor=0.9, end_factor=0.0, total_iters=37),
    ),
    "accept_onecycle_linear_last_step": (
        ["onecycle", "--max-lr", "0.1", "--total-steps", "50", "--anneal-strategy", "linear", "--final-div-factor", "1e9",
         "--epochs", "51"],
        lambda opt: sched.OneCycleLR(opt, max_lr=0.1, total_steps=50, anneal_strategy="linear", final_div_factor=1e9),
    ),
    "accept_chained_linear_zero_exp": (
        ["chained", "--lr", "0.1", "linear(start_factor=0.5, end_factor=0.0, total_iters=9)", "exp(gamma=0.9)",
         "--epochs", "12"],
        lambda opt: sched.ChainedScheduler([sched.LinearLR(opt, start_factor=0.5, end_factor=0.0, total_iters=9),
                                            sched.ExponentialLR(opt, gamma=0.9)]),
    ),
    "accept_cyclic_max_below_base": (
        ["cyclic", "--base-lr", "0.1", "--max-lr", "0.01", "--step-size-up", "3", "--mode", "triangular2",
         "--epochs", "30", "--show-momentum"],
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
        lambda opt: sched.SequentialLR(opt, [sched.ConstantLR(opt, factor=0.0), sched.CosineAnnealingLR(opt, T_max=10)],
                                       milestones=[4]),
    ),
    "accept_warmup_lambda_pole_never_reached": (
        ["lambda", "--lr", "0.1", "--lr-lambda", "1/(3-epoch)", "--warmup", "5", "--epochs", "8"],
        lambda opt: sched.SequentialLR(opt, [sched.LinearLR(opt, start_factor=1.0 / 3, end_factor=1.0, total_iters=5),
                                             sched.LambdaLR(opt, lam("1/(3-epoch)"))], milestones=[5]),
    ),
    "accept_unsorted_milestones": (
        ["sequential", "--lr", "0.1", "exp(gamma=0.5)", "linear(start_factor=0.2, total_iters=4)", "exp(gamma=0.9)",
         "--milestones", "6,2", "--epochs", "20"],
        lambda opt: sched.SequentialLR(opt, [sched.ExponentialLR(opt, gamma=0.5),
                                             sched.LinearLR(opt, start_factor=0.2, total_iters=4),
                                             sched.ExponentialLR(opt, gamma=0.9)], milestones=[6, 2]),
    ),
    "accept_unsorted_milestones_cosine": (
        ["sequential", "--lr", "0.1", "cosine(T_max=7, eta_min=0.01)", "step(step_size=3, gamma=0.5)",
         "cyclic(base_lr=0.01, max_lr=0.05, step_size_up=4)", "--milestones", "15,5", "--epochs", "40"],
        lambda opt: sched.SequentialLR(opt, [sched.CosineAnnealingLR(opt, T_max=7, eta_min=0.01),
                                             sched.StepLR(opt, step_size=3, gamma=0.5),
                                             sched.CyclicLR(opt, base_lr=0.01, max_lr=0.05, step_size_up=4)],
                                       milestones=[15, 5]),
    ),
    # Step counts torch's arithmetic takes as any number: fractions, negatives, whole floats.
    "accept_step_fraction": (
        ["step", "--lr", "0.1", "--step-size", "2.5", "--gamma", "0.5", "--epochs", "40"],
        lambda opt: sched.StepLR(opt, step_size=2.5, gamma=0.5),
    ),
    "accept_step_negative_spec": (
        ["chained", "--lr", "0.1", "step(step_size=-3, gamma=0.7)", "exp(gamma=0.99)", "--epochs", "30"],
        lambda opt: sched.ChainedScheduler([sched.StepLR(opt, step_size=-3, gamma=0.7), sched.ExponentialLR(opt, gamma=0.99)]),
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
        ["sequential", "--lr", "0.1", "exp(gamma=0.9)", "cosine(T_max=-4, eta_min=0.01)", "--milestones", "5",
         "--epochs", "40"],
        lambda opt: sched.SequentialLR(opt, [sched.ExponentialLR(opt, gamma=0.9),
                                             sched.CosineAnnealingLR(opt, T_max=-4, eta_min=0.01)], milestones=[5]),
    ),
    "accept_multistep_fractions_negative": (
        ["multistep", "--lr", "0.1", "--milestones", "2.5,4.0,-1,7,4", "--gamma", "0.5", "--epochs", "12"],
        lambda opt: sched.MultiStepLR(opt, milestones=[2.5, 4.0, -1, 7, 4], gamma=0.5),
    ),
    "accept_multistep_negative_restarted": (
        ["sequential", "--lr", "0.1", "exp(gamma=0.9)", "multistep(milestones=[-2, 0.0, 3.5, 6], gamma=0.5)",
         "--milestones", "4", "--epochs", "15"],
        lambda opt: sched.SequentialLR(opt, [sched.ExponentialLR(opt, gamma=0.9),
                                             sched.MultiStepLR(opt, milestones=[-2, 0.0, 3.5, 6], gamma=0.5)],
                                       milestones=[4]),
    ),
    "accept_constant_fraction": (
        ["constant", "--lr", "0.1", "--factor", "0.5", "--total-iters", "2.5", "--epochs", "8"],
        lambda opt: sched.ConstantLR(opt, factor=0.5, total_iters=2.5),
    ),
    "accept_linear_fraction": (
        ["linear", "--lr", "0.1", "--start-factor", "0.1", "--end-factor", "0.9", "--total-iters", "7.5",
         "--epochs", "12"],
        lambda opt: sched.LinearLR(opt, start_factor=0.1, end_factor=0.9, total_iters=7.5),
    ),
    "accept_poly_fraction_and_negative": (
        ["chained", "--lr", "0.1", "poly(total_iters=6.5, power=2.0)", "poly(total_iters=-2)", "--epochs", "10"],
        lambda opt: sched.ChainedScheduler([sched.PolynomialLR(opt, total_iters=6.5, power=2.0),
                                            sched.PolynomialLR(opt, total_iters=-2)]),
    ),
    "accept_cyclic_fractions": (
        ["cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "--step-size-up", "2.5", "--step-size-down", "4.25",
         "--mode", "triangular2", "--epochs", "60", "--show-momentum"],
        lambda opt: sched.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2.5, step_size_down=4.25,
                                   mode="triangular2"),
    ),
    "accept_cyclic_negative_down": (
        ["cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "--step-size-up", "3", "--step-size-down", "-1",
         "--epochs", "20"],
        lambda opt: sched.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=3, step_size_down=-1),
    ),
    "accept_plateau_fractional_patience": (
        ["plateau", "--lr", "0.1", "--metrics", "{golden}/metrics_loss.txt", "--patience", "2.5", "--cooldown", "1.5",
         "--epochs", "400"],
        lambda opt: sched.ReduceLROnPlateau(opt, patience=2.5, cooldown=1.5),
    ),
    # SequentialLR's milestones are numbers too: past one that no epoch equals, the next scheduler
    # takes plain steps from the count the constructor undid.
    "accept_sequential_fraction_milestone": (
        ["sequential", "--lr", "0.1", "linear(start_factor=0.5, total_iters=2.5)", "cosine(T_max=10)",
         "--milestones", "2.5", "--epochs", "25"],
        lambda opt: sched.SequentialLR(opt, [sched.LinearLR(opt, start_factor=0.5, total_iters=2.5),
                                             sched.CosineAnnealingLR(opt, T_max=10)], milestones=[2.5]),
    ),
    "accept_sequential_negative_and_fraction_milestones": (
        ["sequential", "--lr", "0.1", "exp(gamma=0.5)", "poly(total_iters=4)", "swa(swa_lr=0.01, anneal_epochs=3)",
         "chained(schedulers=[cosine(T_max=7), exp(gamma=0.99)])", "--milestones", "-1,2.7,9.5", "--epochs", "30"],
        lambda opt: sched.SequentialLR(opt, [sched.ExponentialLR(opt, gamma=0.5), sched.PolynomialLR(opt, total_iters=4),
                                             torch.optim.swa_utils.SWALR(opt, swa_lr=0.01, anneal_epochs=3),
                                             sched.ChainedScheduler([sched.CosineAnnealingLR(opt, T_max=7),
                                                                     sched.ExponentialLR(opt, gamma=0.99)])],
                                       milestones=[-1, 2.7, 9.5]),
    ),
    "accept_unsorted_milestones_plain_step": (
        ["sequential", "--lr", "0.1", "exp(gamma=0.5)", "exp(gamma=0.8)", "exp(gamma=0.9)", "cosine(T_max=7)",
         "--milestones", "2,5,1", "--epochs", "20"],
        lambda opt: sched.SequentialLR(opt, [sched.ExponentialLR(opt, gamma=0.5), sched.ExponentialLR(opt, gamma=0.8),
                                             sched.ExponentialLR(opt, gamma=0.9), sched.CosineAnnealingLR(opt, T_max=7)],
                                       milestones=[2, 5, 1]),
    ),
    "accept_warmup_fraction_of_epoch": (
        ["cosine", "--lr", "0.1", "--t-max", "9.5", "--warmup", "0.5", "--steps-per-epoch", "10", "--epochs", "10",
         "--counts-in", "epochs"],
        lambda opt: sched.SequentialLR(opt, [sched.LinearLR(opt, start_factor=1.0 / 3, end_factor=1.0, total_iters=5),
                                             sched.CosineAnnealingLR(opt, T_max=95)], milestones=[5]),
    ),
    "accept_warmup_fraction_of_steps": (
        ["step", "--lr", "0.1", "--step-size", "4", "--warmup", "2.5", "--epochs", "12"],
        lambda opt: sched.SequentialLR(opt, [sched.LinearLR(opt, start_factor=1.0 / 3, end_factor=1.0, total_iters=2.5),
                                             sched.StepLR(opt, step_size=4)], milestones=[2.5]),
    ),
    # Two OneCycleLR on one optimizer: the second overwrites the bounds both read from the group.
    "accept_two_onecycle_chained": (
        ["chained", "--lr", "0.1", "onecycle(max_lr=1.0, total_steps=30, pct_start=0.5)", "exp(gamma=0.9)",
         "onecycle(max_lr=0.3, total_steps=40, div_factor=5.0, anneal_strategy='linear')", "--epochs", "31"],
        lambda opt: sched.ChainedScheduler([sched.OneCycleLR(opt, max_lr=1.0, total_steps=30, pct_start=0.5),
                                            sched.ExponentialLR(opt, gamma=0.9),
                                            sched.OneCycleLR(opt, max_lr=0.3, total_steps=40, div_factor=5.0,
                                                             anneal_strategy="linear")]),
    ),
    "accept_two_onecycle_sequential": (
        ["sequential", "--lr", "0.1", "onecycle(max_lr=0.1, total_steps=20, three_phase=True)",
         "onecycle(max_lr=1.0, total_steps=12, final_div_factor=100.0)", "--milestones", "8", "--epochs", "20"],
        lambda opt: sched.SequentialLR(opt, [sched.OneCycleLR(opt, max_lr=0.1, total_steps=20, three_phase=True),
                                             sched.OneCycleLR(opt, max_lr=1.0, total_steps=12, final_div_factor=100.0)],
                                       milestones=[8]),
    ),
    "select_at_from_the_end": (
        ["cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "--step-size-up", "100", "--steps", "2000", "--at",
         "-1,0,-2000,150,-150"],
        lambda opt: sched.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=100),
    ),
}

class Transformers:
    """The reference for ``lrcli transformers``: transformers' own get_scheduler, its arguments
    computed by the real TrainingArguments and Trainer.set_initial_training_values when the case
    gives Trainer arguments (``batches`` stands for len(train_dataloader)). ``rows`` is how many
    rows lrcli shows by default (the training steps); ``per_epoch`` its optimizer steps per epoch."""

    def __init__(self, scheduler_type: str, batches: int | None = None, kwargs: dict | None = None, **arguments):
        self.scheduler_type, self.kwargs, self.per_epoch = scheduler_type, kwargs, None
        if "num_training_steps" in arguments or "num_warmup_steps" in arguments or not arguments:
            self.warmup, self.rows = arguments.get("num_warmup_steps"), arguments.get("num_training_steps")
            return
        from transformers import Trainer, TrainingArguments

        args = TrainingArguments(output_dir="/tmp/lrcli-golden", lr_scheduler_type=scheduler_type, report_to=[],
                                 lr_scheduler_kwargs=json.dumps(kwargs) if kwargs else None, **arguments)

        class Sized:  # what set_initial_training_values asks of the Trainer besides the arguments
            def get_total_train_batch_size(self, args):
                return 1

            def get_sp_size(self):
                return 1

            def num_examples(self, dataloader):
                return len(dataloader)

        values = Trainer.set_initial_training_values(Sized(), args, list(range(batches)) if batches else None)
        self.per_epoch, self.rows = (values[1] if batches else None), values[-1]
        self.warmup, self.kwargs = args.get_warmup_steps(self.rows), args.lr_scheduler_kwargs

    def __call__(self, optimizer):
        from transformers import get_scheduler

        return get_scheduler(self.scheduler_type, optimizer, num_warmup_steps=self.warmup,
                             num_training_steps=self.rows, scheduler_specific_kwargs=self.kwargs)


HF = Transformers
TRANSFORMERS_CASES = {
    "hf_cosine_done_when": (
        ["transformers", "cosine", "--num-warmup-steps", "500", "--num-training-steps", "10000"],
        HF("cosine", num_warmup_steps=500, num_training_steps=10000),
    ),
    "hf_linear_two_groups": (
        ["transformers", "linear", "--lr", "5e-5", "--lr", "1e-3", "--num-warmup-steps", "37",
         "--num-training-steps", "1234"],
        HF("linear", num_warmup_steps=37, num_training_steps=1234),
    ),
    "hf_cosine_cycles": (
        ["transformers", "cosine", "--lr", "3e-4", "--num-warmup-steps", "0", "--num-training-steps", "3001",
         "--num-cycles", "1.75"],
        HF("cosine", num_warmup_steps=0, num_training_steps=3001, kwargs={"num_cycles": 1.75}),
    ),
    "hf_cosine_with_restarts": (
        ["transformers", "cosine_with_restarts", "--lr", "2e-5", "--num-warmup-steps", "10",
         "--num-training-steps", "2011", "--num-cycles", "3", "--steps", "2100"],
        HF("cosine_with_restarts", num_warmup_steps=10, num_training_steps=2011, kwargs={"num_cycles": 3}),
    ),
    "hf_polynomial": (
        ["transformers", "polynomial", "--lr", "3e-4", "--num-warmup-steps", "100", "--num-training-steps", "5000",
         "--lr-end", "1e-5", "--power", "2", "--steps", "5100"],
        HF("polynomial", num_warmup_steps=100, num_training_steps=5000, kwargs={"lr_end": 1e-5, "power": 2.0}),
    ),
    "hf_polynomial_two_groups": (
        ["transformers", "polynomial", "--lr", "0.07", "--lr", "0.3", "--num-warmup-steps", "7",
         "--num-training-steps", "3000", "--power", "0.5", "--lr-end", "0.001"],
        HF("polynomial", num_warmup_steps=7, num_training_steps=3000, kwargs={"lr_end": 0.001, "power": 0.5}),
    ),
    "hf_constant": (
        ["transformers", "constant", "--lr", "0.3", "--steps", "20"],
        HF("constant"),
    ),
    "hf_constant_num_training_steps": (
        ["transformers", "constant", "--lr", "0.3", "--num-training-steps", "25"],
        HF("constant", num_training_steps=25),
    ),
    "hf_constant_with_warmup_num_training_steps": (
        ["transformers", "constant_with_warmup", "--lr", "1e-3", "--num-warmup-steps", "7", "--num-training-steps", "30"],
        HF("constant_with_warmup", num_warmup_steps=7, num_training_steps=30),
    ),
    "hf_inverse_sqrt_num_training_steps": (
        ["transformers", "inverse_sqrt", "--lr", "1e-3", "--num-warmup-steps", "10", "--num-training-steps", "60"],
        HF("inverse_sqrt", num_warmup_steps=10, num_training_steps=60),
    ),
    "hf_constant_with_warmup": (
        ["transformers", "constant_with_warmup", "--lr", "1e-4", "--num-warmup-steps", "333", "--steps", "1000"],
        HF("constant_with_warmup", num_warmup_steps=333),
    ),
    "hf_inverse_sqrt": (
        ["transformers", "inverse_sqrt", "--lr", "5e-4", "--num-warmup-steps", "4000", "--steps", "20000"],
        HF("inverse_sqrt", num_warmup_steps=4000),
    ),
    "hf_inverse_sqrt_no_warmup": (
        ["transformers", "inverse_sqrt", "--lr", "5e-4", "--num-warmup-steps", "0", "--steps", "3000"],
        HF("inverse_sqrt", num_warmup_steps=0),
    ),
    "hf_inverse_sqrt_timescale": (
        ["transformers", "inverse_sqrt", "--num-warmup-steps", "100", "--timescale", "37", "--steps", "3000"],
        HF("inverse_sqrt", num_warmup_steps=100, kwargs={"timescale": 37}),
    ),
    "hf_cosine_with_min_lr": (
        ["transformers", "cosine_with_min_lr", "--lr", "3e-4", "--num-warmup-steps", "50",
         "--num-training-steps", "2500", "--min-lr", "1e-5", "--steps", "2600"],
        HF("cosine_with_min_lr", num_warmup_steps=50, num_training_steps=2500, kwargs={"min_lr": 1e-5}),
    ),
    "hf_cosine_with_min_lr_rate": (
        ["transformers", "cosine_with_min_lr", "--lr", "0.1", "--lr", "0.02", "--num-warmup-steps", "10",
         "--num-training-steps", "999", "--min-lr-rate", "0.1", "--num-cycles", "0.75"],
        HF("cosine_with_min_lr", num_warmup_steps=10, num_training_steps=999,
           kwargs={"min_lr_rate": 0.1, "num_cycles": 0.75}),
    ),
    "hf_cosine_warmup_with_min_lr": (
        ["transformers", "cosine_warmup_with_min_lr", "--lr", "1e-3", "--num-warmup-steps", "100",
         "--num-training-steps", "1500", "--min-lr", "1e-5"],
        HF("cosine_warmup_with_min_lr", num_warmup_steps=100, num_training_steps=1500, kwargs={"min_lr": 1e-5}),
    ),
    "hf_cosine_warmup_with_min_lr_rate": (
        ["transformers", "cosine_warmup_with_min_lr", "--lr", "7e-4", "--num-warmup-steps", "33",
         "--num-training-steps", "800", "--min-lr-rate", "0.05", "--warmup-lr-rate", "0.01", "--steps", "850"],
        HF("cosine_warmup_with_min_lr", num_warmup_steps=33, num_training_steps=800,
           kwargs={"min_lr_rate": 0.05, "warmup_lr_rate": 0.01}),
    ),
    "hf_wsd": (
        ["transformers", "warmup_stable_decay", "--lr", "3e-4", "--num-warmup-steps", "100",
         "--num-decay-steps", "300", "--num-training-steps", "1000", "--steps", "1100"],
        HF("warmup_stable_decay", num_warmup_steps=100, num_training_steps=1000, kwargs={"num_decay_steps": 300}),
    ),
    "hf_wsd_shapes": (
        ["transformers", "warmup_stable_decay", "--lr", "0.01", "--num-warmup-steps", "77",
         "--num-decay-steps", "211", "--num-stable-steps", "500", "--warmup-type", "1-sqrt",
         "--decay-type", "linear", "--min-lr-ratio", "0.1", "--steps", "900"],
        HF("warmup_stable_decay", num_warmup_steps=77, num_training_steps=None,
           kwargs={"num_decay_steps": 211, "num_stable_steps": 500, "warmup_type": "1-sqrt", "decay_type": "linear",
                   "min_lr_ratio": 0.1}),
    ),
    "hf_wsd_cosine_warmup_sqrt_decay": (
        ["transformers", "warmup_stable_decay", "--lr", "0.01", "--num-warmup-steps", "64",
         "--num-decay-steps", "128", "--num-training-steps", "400", "--warmup-type", "cosine",
         "--decay-type", "1-sqrt"],
        HF("warmup_stable_decay", num_warmup_steps=64, num_training_steps=400,
           kwargs={"num_decay_steps": 128, "warmup_type": "cosine", "decay_type": "1-sqrt"}),
    ),
    # The Trainer's arguments, computed by the real TrainingArguments and Trainer.
    "hf_trainer_linear_epochs": (
        ["transformers", "linear", "--lr", "5e-5", "--warmup-steps", "0.1", "--num-train-epochs", "3",
         "--steps-per-epoch", "1000", "--gradient-accumulation-steps", "3"],
        HF("linear", batches=1000, learning_rate=5e-5, warmup_steps=0.1, num_train_epochs=3,
           gradient_accumulation_steps=3),
    ),
    "hf_trainer_cosine_fraction_of_epochs": (
        ["transformers", "cosine", "--lr", "2e-5", "--warmup-steps", "0.06", "--num-train-epochs", "2.5",
         "--steps-per-epoch", "333"],
        HF("cosine", batches=333, learning_rate=2e-5, warmup_steps=0.06, num_train_epochs=2.5),
    ),
    "hf_trainer_cosine_max_steps": (
        ["transformers", "cosine", "--lr", "3e-4", "--warmup-steps", "0.05", "--max-steps", "2000"],
        HF("cosine", learning_rate=3e-4, warmup_steps=0.05, max_steps=2000),
    ),
    "hf_trainer_default_epochs": (
        ["transformers", "cosine_with_min_lr", "--lr", "1e-4", "--warmup-steps", "25", "--steps-per-epoch", "101",
         "--lr-scheduler-kwargs", '{"min_lr_rate": "0.1"}'],
        HF("cosine_with_min_lr", batches=101, learning_rate=1e-4, warmup_steps=25, kwargs={"min_lr_rate": "0.1"}),
    ),
    "hf_trainer_wsd_kwargs": (
        ["transformers", "warmup_stable_decay", "--lr", "1e-3", "--warmup-steps", "0.1", "--max-steps", "1000",
         "--lr-scheduler-kwargs", '{"num_decay_steps": "200", "decay_type": "1-sqrt", "min_lr_ratio": "0.01"}'],
        HF("warmup_stable_decay", learning_rate=1e-3, warmup_steps=0.1, max_steps=1000,
           kwargs={"num_decay_steps": "200", "decay_type": "1-sqrt", "min_lr_ratio": "0.01"}),
    ),
    "hf_trainer_polynomial_accumulation": (
        ["transformers", "polynomial", "--lr", "1e-4", "--warmup-steps", "0.2", "--num-train-epochs", "4",
         "--steps-per-epoch", "250", "--gradient-accumulation-steps", "8",
         "--lr-scheduler-kwargs", '{"power": "3", "lr_end": "0.000001"}'],
        HF("polynomial", batches=250, learning_rate=1e-4, warmup_steps=0.2, num_train_epochs=4,
           gradient_accumulation_steps=8, kwargs={"power": "3", "lr_end": "0.000001"}),
    ),
    "hf_reduce_lr_on_plateau": (
        ["transformers", "reduce_lr_on_plateau", "--lr", "1e-3", "--metrics", "{golden}/metrics_loss.txt",
         "--patience", "3", "--factor", "0.5", "--epochs", "300"],
        lambda opt: __import__("transformers").get_scheduler(
            "reduce_lr_on_plateau", opt, scheduler_specific_kwargs={"patience": 3, "factor": 0.5}),
    ),
    "hf_greedy_loss": (
        ["transformers", "greedy", "--lr", "0.1", "--metrics", "{golden}/metrics.csv", "--column", "val_loss",
         "--patience", "3", "--epochs", "1000"],
        lambda opt: __import__("transformers").get_scheduler("greedy", opt, scheduler_specific_kwargs={"patience": 3}),
    ),
    "hf_greedy_smooth_max_two_groups": (
        ["transformers", "greedy", "--lr", "0.1", "--lr", "0.3", "--metrics", "{golden}/metrics.csv", "--column",
         "val_acc", "--mode", "max", "--threshold-mode", "rel", "--threshold", "0.001", "--patience", "2",
         "--cooldown", "2", "--warmup", "1.5", "--smooth", "--window-size", "7", "--min-lr", "0.01", "--min-lr", "0.02",
         "--max-lr", "0.5", "--factor", "0.9", "--epochs", "2000"],
        lambda opt: __import__("transformers").get_scheduler(
            "greedy", opt, scheduler_specific_kwargs={
                "mode": "max", "threshold_mode": "rel", "threshold": 0.001, "patience": 2, "cooldown": 2, "warmup": 1.5,
                "smooth": True, "window_size": 7, "min_lr": [0.01, 0.02], "max_lr": 0.5, "factor": 0.9}),
    ),
    "hf_greedy_resets": (
        ["transformers", "greedy", "--lr", "0.1", "--metrics", "{golden}/metrics_loss.txt", "--patience", "1",
         "--reset-start", "3", "--min-lr", "0.05", "--factor", "0.5", "--epochs", "600"],
        lambda opt: __import__("transformers").get_scheduler(
            "greedy", opt, scheduler_specific_kwargs={"patience": 1, "reset_start": 3, "min_lr": 0.05, "factor": 0.5}),
    ),
}
CASES.update(TRANSFORMERS_CASES)


TRAIN_PY_DEFAULTS = dict(
    sched="cosine", epochs=300, decay_epochs=90, decay_milestones=[90, 180, 270], warmup_epochs=5, cooldown_epochs=0,
    patience_epochs=10, decay_rate=0.1, min_lr=0, warmup_lr=1e-5, warmup_prefix=False, lr_noise=None, lr_noise_pct=0.67,
    lr_noise_std=1.0, seed=42, lr_cycle_mul=1.0, lr_cycle_decay=0.5, lr_cycle_limit=1, lr_k_decay=1.0,
    sched_on_updates=False, eval_metric="top1", lr_decay_fn=None, lr_stable_timescale=None,
)
"""The scheduler flags of timm's train.py with their argparse defaults (read from its source);
the last two are not in train.py as read, and scheduler_kwargs' own defaults stand in."""


class Timm:
    """The reference for ``lrcli timm``: timm's own create_scheduler_v2(**scheduler_kwargs(args)),
    args being train.py's flags, stepped as train.py steps it (``step(epoch + 1)`` after each
    epoch, or ``step_update(num_updates)`` after each update). timm.scheduler is loaded without
    timm/__init__ (which would import torchvision, not needed by the schedulers)."""

    def __init__(self, flags: dict, groups: int, metrics: list[float] | None = None):
        self.flags, self.metrics = flags, metrics
        per = flags.get("updates_per_epoch", 0) if flags.get("sched_on_updates") else None
        self.per_epoch = per
        optimizer = torch.optim.SGD([{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": 0.1}
                                     for _ in range(groups)], lr=0.1)
        self.rows = self.build(optimizer)[1] * (per or 1)

    def build(self, optimizer):
        import importlib.util
        import sys
        import types
        from types import SimpleNamespace

        if "timm" not in sys.modules:
            root = importlib.util.find_spec("timm").submodule_search_locations[0]
            package = types.ModuleType("timm")
            package.__path__ = [root]
            sys.modules["timm"] = package
        from timm.scheduler import create_scheduler_v2, scheduler_kwargs

        given = {name: value for name, value in self.flags.items() if name != "updates_per_epoch"}
        args = SimpleNamespace(**{**TRAIN_PY_DEFAULTS, **given})
        return create_scheduler_v2(optimizer, **scheduler_kwargs(args), updates_per_epoch=self.flags.get("updates_per_epoch", 0))

    def __call__(self, optimizer):
        scheduler = self.build(optimizer)[0]
        on_updates = self.flags.get("sched_on_updates", False)
        metrics = self.metrics

        class Stepped:  # train.py's call after each row: the count of epochs (or updates) done
            count = 0

            def step(self, metric=None):  # (the metric replay_torch reads is the same as ours)
                Stepped.count += 1
                if on_updates:
                    scheduler.step_update(Stepped.count)
                else:  # with the epoch's eval metric, as train.py passes it
                    scheduler.step(Stepped.count, metrics[Stepped.count - 1] if metrics else None)

        return Stepped()


def timm_case(lrs: list[float], selection: list[str] = (), metrics: str | None = None,
              **flags) -> tuple[list[str], Timm]:
    """An lrcli timm command line and its reference, from the same train.py flags (``metrics``:
    a file of the golden folder, one number per line, for --sched plateau)."""
    arguments = ["timm"] + (["--metrics", "{golden}/" + metrics] if metrics else [])
    for lr in lrs:
        arguments += ["--lr", repr(lr)]
    for name, value in flags.items():
        option = "--" + name.replace("_", "-")
        if value is True:
            arguments.append(option)
        elif isinstance(value, list):
            arguments += [option, ",".join(map(repr, value))]
        else:
            arguments += [option, str(value)]
    values = [float(line) for line in (GOLDEN / metrics).read_text().split()] if metrics else None
    return arguments + list(selection), Timm(flags, len(lrs), values)


TIMM_CASES = {
    "timm_cosine_done_when_epochs": timm_case([0.1], sched="cosine", epochs=300, warmup_epochs=5),
    "timm_cosine_done_when_updates": timm_case([0.1], ["--every", "97"], sched="cosine", epochs=300, warmup_epochs=5,
                                               sched_on_updates=True, updates_per_epoch=1251),
    "timm_cosine_updates_whole": timm_case([0.5, 0.05], sched="cosine", epochs=12, warmup_epochs=2, warmup_lr=1e-4,
                                           min_lr=1e-6, cooldown_epochs=2, sched_on_updates=True,
                                           updates_per_epoch=97),
    "timm_cosine_prefix_cycles": timm_case([0.1], sched="cosine", epochs=40, warmup_epochs=3, warmup_prefix=True,
                                           lr_cycle_limit=3, lr_cycle_decay=0.5, cooldown_epochs=5, min_lr=1e-5),
    "timm_cosine_cycle_mul_k_decay": timm_case([0.2], sched="cosine", epochs=10, warmup_epochs=0, lr_cycle_mul=2.0,
                                               lr_cycle_limit=4, lr_k_decay=2.0, min_lr=0.001),
    "timm_tanh_warmup_to_curve": timm_case([0.1, 0.3], sched="tanh", epochs=100, warmup_epochs=10, warmup_lr=0.0,
                                           min_lr=1e-5),
    "timm_tanh_prefix": timm_case([0.1], sched="tanh", epochs=60, warmup_epochs=6, warmup_prefix=True,
                                  lr_cycle_limit=2, cooldown_epochs=3),
    "timm_step_efficientnet": timm_case([0.016], sched="step", epochs=450, decay_epochs=2.4, decay_rate=0.97,
                                        warmup_epochs=3, warmup_lr=1e-6),
    "timm_step_updates": timm_case([0.1], sched="step", epochs=20, decay_epochs=2.5, decay_rate=0.5, warmup_epochs=1,
                                   sched_on_updates=True, updates_per_epoch=40),
    "timm_multistep_early_decay": timm_case([0.1], sched="multistep", epochs=100, decay_milestones=[30, 60, 90],
                                            decay_rate=0.1, warmup_epochs=5, warmup_prefix=True),
    "timm_multistep_updates": timm_case([0.1, 0.2], sched="multistep", epochs=12, decay_milestones=[4, 8],
                                        decay_rate=0.2, warmup_epochs=1, sched_on_updates=True, updates_per_epoch=25),
    "timm_poly": timm_case([0.1], sched="poly", epochs=90, decay_rate=2.0, warmup_epochs=5, min_lr=1e-4,
                           lr_k_decay=0.5, cooldown_epochs=10),
    "timm_wsd_fraction": timm_case([3e-4], sched="wsd", epochs=100, decay_epochs=0.2, warmup_epochs=5, min_lr=1e-6),
    "timm_wsd_updates_shapes": timm_case([3e-4], sched="wsd", epochs=20, decay_epochs=6, warmup_epochs=2,
                                         lr_decay_fn="cosine", warmup_prefix=True, sched_on_updates=True,
                                         updates_per_epoch=33),
    "timm_wsd_exp": timm_case([0.01], sched="wsd", epochs=50, decay_epochs=20, warmup_epochs=4, lr_decay_fn="exp"),
    "timm_wsd_power_linear": timm_case([0.01], sched="wsd", epochs=50, decay_epochs=0.5, warmup_epochs=0,
                                       lr_decay_fn="power"),
    "timm_rsqrt": timm_case([1e-3], sched="rsqrt", epochs=200, decay_epochs=0.1, warmup_epochs=10,
                            cooldown_epochs=5),
    "timm_rsqrt_timescale": timm_case([1e-3], sched="rsqrt", epochs=30, decay_epochs=5, warmup_epochs=0,
                                      lr_stable_timescale=3, lr_decay_fn="1-sqrt", sched_on_updates=True,
                                      updates_per_epoch=10),
    "timm_constant": timm_case([0.05], sched="constant", epochs=20, warmup_epochs=3, warmup_lr=0.0),
    "timm_noise_range": timm_case([0.1], sched="cosine", epochs=100, warmup_epochs=5, lr_noise=[0.4, 0.9]),
    "timm_noise_from": timm_case([0.1, 0.02], sched="step", epochs=60, decay_epochs=10, warmup_epochs=0,
                                 lr_noise=[0.5], lr_noise_pct=0.3, lr_noise_std=0.5, seed=7),
    "timm_noise_updates": timm_case([0.1], sched="cosine", epochs=10, warmup_epochs=1, lr_noise=[0.2, 0.8],
                                    lr_noise_std=2.0, lr_noise_pct=0.5, seed=123456, sched_on_updates=True,
                                    updates_per_epoch=50),
    "timm_noise_tight_rejection": timm_case([0.1], sched="constant", epochs=40, warmup_epochs=0, lr_noise=[0.0],
                                            lr_noise_pct=0.05, seed=3),
    "timm_plateau": timm_case([0.1], metrics="metrics_loss.txt", sched="plateau", epochs=120, warmup_epochs=3,
                              patience_epochs=4, decay_rate=0.5, eval_metric="loss", min_lr=0.001),
    "timm_plateau_noise_max": timm_case([0.1, 0.2], metrics="metrics_loss.txt", sched="plateau", epochs=90,
                                        warmup_epochs=0, patience_epochs=2, lr_noise=[0.3, 0.8], seed=9),
    "timm_noise_long_rejection": timm_case([0.1], sched="cosine", epochs=60, warmup_epochs=0, lr_noise=[0.0],
                                           lr_noise_pct=0.004, seed=11),
}
CASES.update(TIMM_CASES)


# Compositions inside compositions, as torch runs them (a composition after a SequentialLR
# milestone is refused: torch raises NotImplementedError there).
NESTED_CASES = {
    "nested_chained_first_in_sequential": (
        ["sequential", "--lr", "0.1", "chained(schedulers=[exp(gamma=0.9), step(step_size=2)])", "cosine(T_max=5)",
         "--milestones", "3", "--epochs", "20"],
        lambda opt: sched.SequentialLR(opt, [sched.ChainedScheduler([sched.ExponentialLR(opt, gamma=0.9),
                                                                      sched.StepLR(opt, step_size=2)]),
                                             sched.CosineAnnealingLR(opt, T_max=5)], milestones=[3]),
    ),
    "nested_chained_warmup_groups": (
        ["sequential", "--lr", "0.1", "--lr", "0.05",
         "chained(schedulers=[linear(start_factor=0.01, total_iters=50), cosine(T_max=400, eta_min=0.001)])",
         "exp(gamma=0.999)", "--milestones", "400", "--steps", "600"],
        lambda opt: sched.SequentialLR(opt, [sched.ChainedScheduler([
            sched.LinearLR(opt, start_factor=0.01, total_iters=50),
            sched.CosineAnnealingLR(opt, T_max=400, eta_min=0.001)]), sched.ExponentialLR(opt, gamma=0.999)],
            milestones=[400]),
    ),
    "nested_sequential_in_chained": (
        ["chained", "--lr", "0.1", "sequential(schedulers=[linear(total_iters=3), exp(gamma=0.8)], milestones=[3])",
         "step(step_size=4)", "--epochs", "20"],
        lambda opt: sched.ChainedScheduler([sched.SequentialLR(opt, [sched.LinearLR(opt, total_iters=3),
                                                                     sched.ExponentialLR(opt, gamma=0.8)],
                                                               milestones=[3]),
                                            sched.StepLR(opt, step_size=4)]),
    ),
    "nested_sequential_cyclic_in_chained": (
        ["chained", "--lr", "0.1",
         "sequential(schedulers=[constant(factor=0.5, total_iters=4), CosineAnnealingWarmRestarts(T_0=7, T_mult=2)], "
         "milestones=[5])", "multistep(milestones=[12, 30], gamma=0.5)", "--epochs", "60"],
        lambda opt: sched.ChainedScheduler([
            sched.SequentialLR(opt, [sched.ConstantLR(opt, factor=0.5, total_iters=4),
                                     sched.CosineAnnealingWarmRestarts(opt, T_0=7, T_mult=2)], milestones=[5]),
            sched.MultiStepLR(opt, milestones=[12, 30], gamma=0.5)]),
    ),
    "nested_chained_in_chained": (
        ["chained", "--lr", "0.3", "chained(schedulers=[exp(gamma=0.95), constant(factor=0.5, total_iters=3)])",
         "multistep(milestones=[5, 8])", "--epochs", "12"],
        lambda opt: sched.ChainedScheduler([sched.ChainedScheduler([sched.ExponentialLR(opt, gamma=0.95),
                                                                    sched.ConstantLR(opt, factor=0.5, total_iters=3)]),
                                            sched.MultiStepLR(opt, milestones=[5, 8])]),
    ),
    "nested_three_deep": (
        ["sequential", "--lr", "0.2",
         "chained(schedulers=[sequential(schedulers=[linear(start_factor=0.2, total_iters=4), exp(gamma=0.9)], "
         "milestones=[4]), step(step_size=3, gamma=0.5)])", "poly(total_iters=10, power=2)",
         "--milestones", "9", "--epochs", "25"],
        lambda opt: sched.SequentialLR(opt, [sched.ChainedScheduler([
            sched.SequentialLR(opt, [sched.LinearLR(opt, start_factor=0.2, total_iters=4),
                                     sched.ExponentialLR(opt, gamma=0.9)], milestones=[4]),
            sched.StepLR(opt, step_size=3, gamma=0.5)]), sched.PolynomialLR(opt, total_iters=10, power=2)],
            milestones=[9]),
    ),
    "nested_sequential_first_in_sequential": (
        ["sequential", "--lr", "0.1", "sequential(schedulers=[linear(total_iters=3), exp(gamma=0.8)], milestones=[4])",
         "step(step_size=2)", "--milestones", "9", "--epochs", "16"],
        lambda opt: sched.SequentialLR(opt, [sched.SequentialLR(opt, [sched.LinearLR(opt, total_iters=3),
                                                                      sched.ExponentialLR(opt, gamma=0.8)],
                                                                milestones=[4]),
                                             sched.StepLR(opt, step_size=2)], milestones=[9]),
    ),
    "nested_sequential_milestone_one": (
        ["sequential", "--lr", "0.1",
         "sequential(schedulers=[linear(total_iters=3), CosineAnnealingLR(T_max=6)], milestones=[1])",
         "exp(gamma=0.9)", "--milestones", "8", "--epochs", "14"],
        lambda opt: sched.SequentialLR(opt, [sched.SequentialLR(opt, [sched.LinearLR(opt, total_iters=3),
                                                                      sched.CosineAnnealingLR(opt, T_max=6)],
                                                                milestones=[1]),
                                             sched.ExponentialLR(opt, gamma=0.9)], milestones=[8]),
    ),
    "nested_two_levels_of_sequential": (
        ["sequential", "--lr", "0.1", "--lr", "0.3",
         "chained(schedulers=[sequential(schedulers=[sequential(schedulers=[exp(gamma=0.9), "
         "poly(total_iters=6, power=0.5)], milestones=[3]), multiplicative(lr_lambda='0.99')], milestones=[7]), "
         "constant(factor=0.5, total_iters=5)])", "linear(start_factor=0.5, total_iters=4)", "--milestones", "12",
         "--epochs", "20"],
        lambda opt: sched.SequentialLR(opt, [sched.ChainedScheduler([
            sched.SequentialLR(opt, [sched.SequentialLR(opt, [sched.ExponentialLR(opt, gamma=0.9),
                                                              sched.PolynomialLR(opt, total_iters=6, power=0.5)],
                                                        milestones=[3]),
                                     sched.MultiplicativeLR(opt, lam("0.99"))], milestones=[7]),
            sched.ConstantLR(opt, factor=0.5, total_iters=5)]),
            sched.LinearLR(opt, start_factor=0.5, total_iters=4)], milestones=[12]),
    ),
    "nested_chained_first_per_step": (
        ["sequential", "--lr", "0.1", "chained(schedulers=[exp(gamma=0.99), multistep(milestones=[0, 40])])",
         "cosine(T_max=30)", "--milestones", "60", "--steps-per-epoch", "10", "--epochs", "10"],
        lambda opt: sched.SequentialLR(opt, [sched.ChainedScheduler([sched.ExponentialLR(opt, gamma=0.99),
                                                                      sched.MultiStepLR(opt, milestones=[0, 40])]),
                                             sched.CosineAnnealingLR(opt, T_max=30)], milestones=[60]),
    ),
}
CASES.update(NESTED_CASES)


class Compare:
    """The reference for ``lrcli compare``: each labelled reference on an optimizer of its own,
    over the rows the command line gives (``--epochs`` or ``--steps``); one column each."""

    def __init__(self, **labelled):
        self.labelled = labelled


def timm_spec(**flags) -> Timm:
    """The reference for a timm spec: train.py's flags, those the spec gives over train.py's defaults."""
    return Timm(flags, 1)


# Specs whose keywords are the framework's parameters, never taken for lrcli's warmup=N: timm's
# warmup_epochs, warmup_lr and warmup_prefix, transformers' warmup_type and warmup_lr_rate; and
# a timm spec that leaves train.py's defaults (decay_milestones) to lrcli.
SPEC_CASES = {
    "spec_timm_warmup_keywords": (
        ["compare", "plain=timm.cosine(epochs=12)", "warm=timm.cosine(epochs=12, warmup_epochs=3)",
         "warm_lr=timm.cosine(epochs=12, warmup_epochs=3, warmup_lr=0.001)",
         "prefix=timm.cosine(epochs=12, warmup_epochs=3, warmup_lr=0.0, warmup_prefix=True)",
         "multistep=timm.multistep(epochs=12, decay_milestones=[6, 9], warmup_epochs=2, warmup_prefix=True)",
         "--epochs", "15"],
        Compare(plain=timm_spec(sched="cosine", epochs=12),
                warm=timm_spec(sched="cosine", epochs=12, warmup_epochs=3),
                warm_lr=timm_spec(sched="cosine", epochs=12, warmup_epochs=3, warmup_lr=0.001),
                prefix=timm_spec(sched="cosine", epochs=12, warmup_epochs=3, warmup_lr=0.0, warmup_prefix=True),
                multistep=timm_spec(sched="multistep", epochs=12, decay_milestones=[6, 9], warmup_epochs=2,
                                    warmup_prefix=True)),
    ),
    "spec_timm_train_py_defaults": (
        ["compare", "timm.multistep(epochs=200)", "cosine(T_max=200)", "--epochs", "200"],
        Compare(**{"timm.multistep": timm_spec(sched="multistep", epochs=200),  # the labels lrcli makes
                   "cosine": lambda opt: sched.CosineAnnealingLR(opt, T_max=200)}),
    ),
    "spec_transformers_warmup_type": (
        ["sequential", "transformers.warmup_stable_decay(num_warmup_steps=4, num_decay_steps=4, num_training_steps=12, "
                       "warmup_type=\"cosine\")", "exp(gamma=0.9)", "--milestones", "10", "--steps", "12"],
        lambda opt: sched.SequentialLR(opt, [HF("warmup_stable_decay", kwargs={"num_decay_steps": 4, "warmup_type": "cosine"},
                                                num_warmup_steps=4, num_training_steps=12)(opt),
                                             sched.ExponentialLR(opt, gamma=0.9)], milestones=[10]),
    ),
    "spec_transformers_warmup_lr_rate": (
        ["sequential", "--lr", "0.01", "transformers.cosine_warmup_with_min_lr(num_warmup_steps=4, num_training_steps=12, "
                       "min_lr_rate=0.1, warmup_lr_rate=0.05)", "exp(gamma=0.9)", "--milestones", "12", "--steps", "16"],
        lambda opt: sched.SequentialLR(opt, [HF("cosine_warmup_with_min_lr", kwargs={"min_lr_rate": 0.1, "warmup_lr_rate": 0.05},
                                                num_warmup_steps=4, num_training_steps=12)(opt),
                                             sched.ExponentialLR(opt, gamma=0.9)], milestones=[12]),
    ),
    "spec_transformers_compare_warmups": (
        ["compare", "--lr", "0.01",
         "sqrt=transformers.warmup_stable_decay(num_warmup_steps=3, num_decay_steps=3, num_stable_steps=2, "
         "warmup_type=\"1-sqrt\", decay_type=\"linear\", min_lr_ratio=0.1)",
         "rate=transformers.cosine_warmup_with_min_lr(num_warmup_steps=3, num_training_steps=8, min_lr=0.001, "
         "warmup_lr_rate=0.2)", "--steps", "8"],
        Compare(sqrt=HF("warmup_stable_decay", kwargs={"num_decay_steps": 3, "num_stable_steps": 2, "warmup_type": "1-sqrt",
                                                       "decay_type": "linear", "min_lr_ratio": 0.1}, num_warmup_steps=3),
                rate=HF("cosine_warmup_with_min_lr", kwargs={"min_lr": 0.001, "warmup_lr_rate": 0.2}, num_warmup_steps=3,
                        num_training_steps=8)),
    ),
}
CASES.update(SPEC_CASES)


def mmengine_reads_test_packages() -> None:
    """Let mmengine find the test configs' package (``with read_base(): from mmposelike.configs…``)
    as it finds an installed one: its ``get_installed_path`` asks pkg_resources for a distribution
    first, then ``find_spec``. The test package is no distribution, so where pkg_resources is
    missing (no setuptools here) a stand-in that finds none answers as pkg_resources would."""
    import sys
    import types

    if str(CONFIGS / "mmpose_new") not in sys.path:
        sys.path.insert(0, str(CONFIGS / "mmpose_new"))
    try:
        import pkg_resources  # noqa: F401
    except ImportError:
        stand_in = types.ModuleType("pkg_resources")
        stand_in.DistributionNotFound = type("DistributionNotFound", (Exception,), {})

        def get_distribution(name):
            raise stand_in.DistributionNotFound(name)

        stand_in.get_distribution = get_distribution
        sys.modules["pkg_resources"] = stand_in


def register_mmdet_schedulers() -> None:
    """mmdet's QuadraticWarmup schedulers from mmdet's own source file (mmdet itself needs mmcv),
    registered as mmdet registers them: in mmdet's child registry (``mmdet.QuadraticWarmupLR``),
    and in mmengine's own for configs that name the class alone."""
    from mmengine.registry import PARAM_SCHEDULERS, Registry

    if "QuadraticWarmupLR" in PARAM_SCHEDULERS.module_dict:
        return
    source = pathlib.Path(MMDET_QUADRATIC).read_text().replace("from mmdet.registry import PARAM_SCHEDULERS", "")
    mmdet = Registry("parameter scheduler", parent=PARAM_SCHEDULERS, scope="mmdet")
    for registry in (PARAM_SCHEDULERS, mmdet):
        exec(compile(source, MMDET_QUADRATIC, "exec"), {"__name__": "mmdet_quadratic_warmup",  # noqa: S102
                                                        "PARAM_SCHEDULERS": registry})


class MMEngine:
    """The reference for ``lrcli mmengine``: a real mmengine Runner built from the config by
    mmengine's own Config.fromfile (cfg_options applied), training a model that does nothing on a
    loader of ``per_epoch`` batches; a hook records every param group's lr before each iteration.
    ``by_epoch`` keeps the first iteration of each epoch."""

    def __init__(self, config: str, per_epoch: int, options: dict | None = None, by_epoch: bool = False,
                 metrics: list[float] | None = None, param: str = "lr"):
        self.config, self.per_epoch, self.options, self.by_epoch = config, per_epoch, options, by_epoch
        self.metrics, self.param = metrics, param

    def run(self) -> list[list[float]]:
        import tempfile

        from mmengine.config import Config
        from mmengine.hooks import Hook
        from mmengine.model import BaseModel
        from mmengine.runner import Runner

        register_mmdet_schedulers()
        mmengine_reads_test_packages()
        config = Config.fromfile(str(CONFIGS / self.config))
        if self.options:
            config.merge_from_dict(self.options)
        rows = []
        param = self.param

        class Record(Hook):
            def before_train_iter(self, runner, batch_idx, data_batch=None):
                rows.append([group[param] for group in runner.optim_wrapper.optimizer.param_groups])

        class Idle(BaseModel):
            def __init__(self):
                super().__init__()
                self.weight = torch.nn.Parameter(torch.zeros(1))

            def forward(self, inputs, data_samples=None, mode="tensor"):
                return {"loss": self.weight.sum() * 0.0} if mode == "loss" else [{}]

        model = Idle()
        validation = {}
        if self.metrics is not None:  # each validation reports the next metric, as `loss`
            from mmengine.evaluator import BaseMetric, Evaluator

            reported = iter(self.metrics)

            class Reported(BaseMetric):
                def process(self, data_batch, data_samples):
                    self.results.append(0)

                def compute_metrics(self, results):
                    return {"loss": next(reported)}

            validation = dict(val_dataloader=torch.utils.data.DataLoader([torch.zeros(1)], batch_size=1,
                                                                         collate_fn=lambda batch: {"inputs": batch}),
                              val_cfg=dict(type="ValLoop"), val_evaluator=Evaluator(Reported()))
        loader = torch.utils.data.DataLoader([torch.zeros(1)] * self.per_epoch, batch_size=1,
                                             collate_fn=lambda batch: {"inputs": batch})
        with tempfile.TemporaryDirectory() as work_dir:
            runner = Runner(model=model, work_dir=work_dir, train_dataloader=loader,
                            optim_wrapper=config.optim_wrapper.to_dict(),
                            param_scheduler=config.param_scheduler, train_cfg=config.train_cfg.to_dict(),
                            default_hooks=dict(checkpoint=None, logger=None), custom_hooks=[Record()],
                            log_level="ERROR", **validation)
            runner.train()
        if self.by_epoch:
            rows = rows[:: self.per_epoch]
        return rows


MMDET_QUADRATIC = "/tmp/mmdet/mmdet/engine/schedulers/quadratic_warmup.py"
CONFIGS = GOLDEN.parent / "configs"
MMENGINE_CASES = {
    "mm_faster_rcnn_1x": (
        ["mmengine", "{configs}/mmdet/faster_rcnn_1x.py", "--dataset-size", "117266", "--gpus", "8", "--every", "29"],
        MMEngine("mmdet/faster_rcnn_1x.py", 7330),
    ),
    "mm_faster_rcnn_1x_changes": (
        ["mmengine", "{configs}/mmdet/faster_rcnn_1x.py", "--iters-per-epoch", "7330", "--changes", "--start", "490"],
        MMEngine("mmdet/faster_rcnn_1x.py", 7330),
    ),
    "mm_faster_rcnn_1x_by_epoch": (
        ["mmengine", "{configs}/mmdet/faster_rcnn_1x.py", "--iters-per-epoch", "7330", "--by", "epoch"],
        MMEngine("mmdet/faster_rcnn_1x.py", 7330, by_epoch=True),
    ),
    "mm_rtmdet_tiny": (
        ["mmengine", "{configs}/rtmdet/rtmdet_tiny.py", "--dataset-size", "117266", "--gpus", "8", "--every", "17"],
        MMEngine("rtmdet/rtmdet_tiny.py", 459),
    ),
    "mm_rtmdet_tiny_options": (
        ["mmengine", "{configs}/rtmdet/rtmdet_tiny.py", "--iters-per-epoch", "200", "--cfg-options",
         "train_cfg.max_epochs=40", "--cfg-options", "param_scheduler.1.eta_min=0.0001", "--every", "7"],
        MMEngine("rtmdet/rtmdet_tiny.py", 200, {"train_cfg.max_epochs": 40, "param_scheduler.1.eta_min": 0.0001}),
    ),
    "mm_vit_base": (
        ["mmengine", "{configs}/mmpretrain/vit_base.py", "--iters-per-epoch", "313", "--every", "31"],
        MMEngine("mmpretrain/vit_base.py", 313),
    ),
    "mm_vit_base_by_epoch": (
        ["mmengine", "{configs}/mmpretrain/vit_base.py", "--iters-per-epoch", "313", "--by", "epoch"],
        MMEngine("mmpretrain/vit_base.py", 313, by_epoch=True),
    ),
    "mm_overlapping": (
        ["mmengine", "{configs}/classes/overlapping.py", "--iters-per-epoch", "120"],
        MMEngine("classes/overlapping.py", 120),
    ),
    "mm_poly_restart": (
        ["mmengine", "{configs}/classes/poly_restart.py", "--iters-per-epoch", "97"],
        MMEngine("classes/poly_restart.py", 97),
    ),
    "mm_one_cycle_quadratic": (
        ["mmengine", "{configs}/classes/one_cycle_quadratic.py", "--iters-per-epoch", "150"],
        MMEngine("classes/one_cycle_quadratic.py", 150),
    ),
    "mm_iteration_loop": (
        ["mmengine", "{configs}/classes/cosine_ratio_iter_loop.py", "--iters-per-epoch", "250"],
        MMEngine("classes/cosine_ratio_iter_loop.py", 250),
    ),
    "mm_plateau": (
        ["mmengine", "{configs}/classes/plateau.py", "--iters-per-epoch", "50", "--metrics",
         "{golden}/metrics_loss.txt"],
        MMEngine("classes/plateau.py", 50, metrics=[float(line) for line in
                                                    (GOLDEN / "metrics_loss.txt").read_text().split()]),
    ),
    "mm_plateau_greater_abs": (
        ["mmengine", "{configs}/classes/plateau.py", "--iters-per-epoch", "20", "--metrics", "{golden}/metrics.csv",
         "--column", "val_acc", "--cfg-options", "param_scheduler.1.rule=greater",
         "--cfg-options", "param_scheduler.1.threshold_rule=abs", "--cfg-options", "param_scheduler.1.threshold=0.002",
         "--cfg-options", "param_scheduler.1.patience=0"],
        MMEngine("classes/plateau.py", 20, {"param_scheduler.1.rule": "greater", "param_scheduler.1.threshold_rule": "abs",
                                            "param_scheduler.1.threshold": 0.002, "param_scheduler.1.patience": 0},
                 metrics=[float(line.split(",")[2]) for line in
                          (GOLDEN / "metrics.csv").read_text().splitlines()[1:]]),
    ),
    "mm_momentum": (
        ["mmengine", "{configs}/classes/momentum.py", "--iters-per-epoch", "80", "--param", "momentum"],
        MMEngine("classes/momentum.py", 80, param="momentum"),
    ),
    "mm_weight_decay": (
        ["mmengine", "{configs}/classes/momentum.py", "--iters-per-epoch", "80", "--param", "weight_decay",
         "--by", "epoch"],
        MMEngine("classes/momentum.py", 80, by_epoch=True, param="weight_decay"),
    ),
    "mm_substitutions": (
        ["mmengine", "{configs}/classes/substitutions.py", "--iters-per-epoch", "150"],
        MMEngine("classes/substitutions.py", 150),
    ),
    "mm_rtmdet_l_tta_comprehension": (
        ["mmengine", "{configs}/mmdet3/rtmdet/rtmdet_l_8xb32-300e_coco.py", "--iters-per-epoch", "5", "--every", "7"],
        MMEngine("mmdet3/rtmdet/rtmdet_l_8xb32-300e_coco.py", 5),
    ),
    "mm_new_style_rtmdet_l": (
        ["mmengine", "{configs}/mmdet3_new/rtmdet/rtmdet_l_8xb32_300e_coco.py", "--iters-per-epoch", "7",
         "--every", "11"],
        MMEngine("mmdet3_new/rtmdet/rtmdet_l_8xb32_300e_coco.py", 7),
    ),
    "mm_new_style_rtmdet_s_changed_in_place": (
        ["mmengine", "{configs}/mmdet3_new/rtmdet/rtmdet_s_8xb32_300e_coco.py", "--iters-per-epoch", "9",
         "--every", "5"],
        MMEngine("mmdet3_new/rtmdet/rtmdet_s_8xb32_300e_coco.py", 9),
    ),
    "mm_new_style_package_base": (
        ["mmengine", "{configs}/mmpose_new/mmposelike/configs/body_2d_keypoint/edpose_res50_8xb2-50e_coco-800x1333.py",
         "--iters-per-epoch", "20", "--changes"],
        MMEngine("mmpose_new/mmposelike/configs/body_2d_keypoint/edpose_res50_8xb2-50e_coco-800x1333.py", 20),
    ),
    "mm_mask2former_iterations": (
        ["mmengine", "{configs}/mmdet3/mask2former/mask2former_swin-t-p4-w7-224_8xb2-lsj-50e_coco.py",
         "--iters-per-epoch", "100", "--cfg-options", "train_cfg.max_iters=3000", "--cfg-options",
         "param_scheduler.end=3000", "--cfg-options", "param_scheduler.milestones=[2000,2600]", "--changes"],
        MMEngine("mmdet3/mask2former/mask2former_swin-t-p4-w7-224_8xb2-lsj-50e_coco.py", 100,
                 {"train_cfg.max_iters": 3000, "param_scheduler.end": 3000, "param_scheduler.milestones": [2000, 2600]}),
    ),
    "mm_mobileone_deepcopy": (
        ["mmengine", "{configs}/mmpretrain/mobileone/mobileone-s1_8xb32_in1k.py", "--iters-per-epoch", "3",
         "--by", "epoch"],
        MMEngine("mmpretrain/mobileone/mobileone-s1_8xb32_in1k.py", 3, by_epoch=True),
    ),
    "mm_segformer_poly": (
        ["mmengine", "{configs}/mmseg/segformer/segformer_mit-b0_8xb2-160k_ade20k-512x512.py", "--iters-per-epoch",
         "100", "--cfg-options", "train_cfg.max_iters=4000", "--cfg-options", "param_scheduler.0.end=300",
         "--cfg-options", "param_scheduler.1.begin=300", "--cfg-options", "param_scheduler.1.end=4000", "--every",
         "37"],
        MMEngine("mmseg/segformer/segformer_mit-b0_8xb2-160k_ade20k-512x512.py", 100,
                 {"train_cfg.max_iters": 4000, "param_scheduler.0.end": 300, "param_scheduler.1.begin": 300,
                  "param_scheduler.1.end": 4000}),
    ),
    "mm_rtmpose_loops": (
        ["mmengine", "{configs}/mmpose/rtmpose/rtmpose-s_8xb256-420e_body8-256x192.py", "--iters-per-epoch", "4",
         "--every", "9"],
        MMEngine("mmpose/rtmpose/rtmpose-s_8xb256-420e_body8-256x192.py", 4),
    ),
    "mm_mmocr_sar": (
        ["mmengine", "{configs}/mmocr/textrecog/sar/sar_resnet31_parallel-decoder_5e_st-sub_mj-sub_sa_real.py",
         "--iters-per-epoch", "30"],
        MMEngine("mmocr/textrecog/sar/sar_resnet31_parallel-decoder_5e_st-sub_mj-sub_sa_real.py", 30),
    ),
    "mm_unevaluated_keys": (
        ["mmengine", "{configs}/unevaluated/helpers_and_loops.py", "--iters-per-epoch", "3", "--changes"],
        MMEngine("unevaluated/helpers_and_loops.py", 3),
    ),
    "mm_new_style_imports": (
        ["mmengine", "{configs}/semantics/new_style_imports.py", "--iters-per-epoch", "4", "--every", "3"],
        MMEngine("semantics/new_style_imports.py", 4),
    ),
    "mm_old_style_quirks": (
        ["mmengine", "{configs}/semantics/old_style_quirks.py", "--iters-per-epoch", "30", "--changes"],
        MMEngine("semantics/old_style_quirks.py", 30),
    ),
    "mm_yolox_mmdet_scope": (
        ["mmengine", "{configs}/mmyolo/yolox/yolox_s_fast_8xb8-300e_coco.py", "--iters-per-epoch", "6", "--every",
         "13"],
        MMEngine("mmyolo/yolox/yolox_s_fast_8xb8-300e_coco.py", 6),
    ),
}
CASES.update(MMENGINE_CASES)


# A run of 10⁷ steps, compared at every chunk boundary (lrcli computes 65,536 rows at a time)
# and at some rows between: warmup then cosine, recursive throughout.
LONG_ROWS = 10_000_000
LONG_CHUNK = 65536
LONG_SAMPLE = sorted({row for boundary in range(LONG_CHUNK, LONG_ROWS, LONG_CHUNK)
                      for row in (boundary - 1, boundary, boundary + 1)} | {0, 1, 2, 4095, 777777, LONG_ROWS - 1})
LONG_CASES = {
    "long_warmup_cosine_sampled": (
        ["cosine", "--lr", "0.1", "--t-max", "9990000", "--eta-min", "0.000001", "--warmup", "10000",
         "--warmup-start-factor", "0.001", "--steps", str(LONG_ROWS), "--at", ",".join(map(str, LONG_SAMPLE))],
        lambda opt: sched.SequentialLR(opt, [sched.LinearLR(opt, start_factor=0.001, end_factor=1.0, total_iters=10000),
                                             sched.CosineAnnealingLR(opt, T_max=9990000, eta_min=0.000001)],
                                       milestones=[10000]),
    ),
}


def torch_normal_draws() -> None:
    """torch's own randn(1) draws on fresh generators (timm's lr noise): 3 draws for each of 3,000
    seeds, small, 32-bit and beyond 32 bits, and 800 draws for 20 seeds, for lrcli's pure-Python
    generator to equal."""
    import random

    rng = random.Random(2026)
    seeds = list(range(100)) + [rng.randrange(2**32) for _ in range(2400)] + [rng.randrange(2**64) for _ in range(500)]
    draws = []
    for seed in seeds:
        generator = torch.Generator()
        generator.manual_seed(seed)
        draws.append([seed, *(torch.randn(1, generator=generator).item() for _ in range(3))])
    long_draws = []  # beyond the first twist of the generator's state: a long rejection loop
    for seed in [rng.randrange(2**32) for _ in range(20)]:
        generator = torch.Generator()
        generator.manual_seed(seed)
        long_draws.append([seed, *(torch.randn(1, generator=generator).item() for _ in range(800))])
    document = {"torch": torch.__version__, "draws": draws, "long_draws": long_draws}
    (GOLDEN / "torch_randn.json").write_text(json.dumps(document) + "\n")


def mmengine_configs() -> None:
    """Every test config as mmengine's own Config.fromfile reads it (``Config.to_dict()``), for
    lrcli's reader to equal; the configs' folder is written ``{configs}`` (``{{fileDirname}}``)."""
    from mmengine.config import Config

    mmengine_reads_test_packages()
    read = {}
    for path in sorted(CONFIGS.rglob("*.py")):
        read[str(path.relative_to(CONFIGS))] = Config.fromfile(str(path)).to_dict()
    text = json.dumps(read, indent=1, sort_keys=True).replace(str(CONFIGS), "{configs}")
    (GOLDEN / "mmengine_configs.json").write_text(text + "\n")


def metric_files() -> None:
    """Deterministic, noisy metrics for ReduceLROnPlateau: a falling loss and a rising accuracy."""
    loss = [1.0 / (1 + 0.01 * k) + 0.05 * math.sin(0.7 * k) for k in range(4000)]
    accuracy = [min(0.99, 0.5 + 0.0005 * k) + 0.01 * math.cos(1.3 * k) for k in range(4000)]
    (GOLDEN / "metrics_loss.txt").write_text("".join(f"{value!r}\n" for value in loss))
    rows = "".join(f"{k},{l!r},{a!r}\n" for k, (l, a) in enumerate(zip(loss, accuracy)))
    (GOLDEN / "metrics.csv").write_text("epoch,val_loss,val_acc\n" + rows)


def metrics_of(arguments: list[str]) -> list[float] | None:
    source = option_values(arguments, "--metrics")
    if not source:
        return None
    text = pathlib.Path(source[0].format(golden=GOLDEN)).read_text().splitlines()
    column = option_values(arguments, "--column")
    if not column:
        return [float(line) for line in text if line.strip()]
    index = text[0].split(",").index(column[0])
    return [float(line.split(",")[index]) for line in text[1:] if line.strip()]


def option_values(arguments: list[str], option: str) -> list[str]:
    return [arguments[i + 1] for i, word in enumerate(arguments) if word == option]


def replay_torch(arguments: list[str], factory) -> list[list[float]]:
    """Rows of every group's lr (then momentum, with --show-momentum), as torch sets them."""
    if isinstance(factory, MMEngine):
        return factory.run()
    lrs = [float(text) for text in option_values(arguments, "--lr")] or [0.1]
    groups = max(len(lrs), len(option_values(arguments, "--max-lr")), 1)
    lrs = lrs if len(lrs) == groups else [lrs[0]] * groups
    steps_per_epoch = int((option_values(arguments, "--steps-per-epoch") or ["1"])[0])
    steps = option_values(arguments, "--steps")
    epochs = int(steps[0]) if steps else int((option_values(arguments, "--epochs") or ["10"])[0]) * steps_per_epoch
    if getattr(factory, "rows", None) is not None and not steps and (
            isinstance(factory, Timm) or not option_values(arguments, "--epochs")):
        epochs = factory.rows  # the framework's own length (the Trainer's steps, what timm's train.py trains)
    momentum = "--show-momentum" in arguments
    metrics = metrics_of(arguments)
    if isinstance(factory, Compare):  # the parts side by side, each on its own optimizer
        parts = [stepped(each, lrs, epochs, momentum, metrics) for each in factory.labelled.values()]
        return [[value for part in row for value in part] for row in zip(*parts)]
    return stepped(factory, lrs, epochs, momentum, metrics)


def stepped(factory, lrs: list[float], epochs: int, momentum: bool, metrics: list[float] | None) -> list[list[float]]:
    """``epochs`` rows of the scheduler ``factory`` builds on an SGD optimizer, one group per lr."""
    param_groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in lrs]
    optimizer = torch.optim.SGD(param_groups, lr=lrs[0], momentum=0.9)
    scheduler = factory(optimizer)
    rows = []
    for epoch in range(epochs):
        row = [group["lr"] for group in optimizer.param_groups]
        if momentum:
            row += [group["momentum"] for group in optimizer.param_groups]
        rows.append(row)
        optimizer.step()
        if epoch < epochs - 1:  # the step after the last row may be one torch refuses (OneCycleLR)
            scheduler.step() if metrics is None else scheduler.step(metrics[epoch])
    return rows


def select_rows(arguments: list[str], rows: list[list[float]], groups: int) -> list[int]:
    """The row numbers lrcli's selection options keep, computed here on the whole run."""
    numbers = list(range(len(rows)))
    at = option_values(arguments, "--at")
    if at:  # negative rows count from the end
        return sorted({int(text) + len(rows) * (int(text) < 0) for text in at[0].split(",")})
    start, stop = (option_values(arguments, option) for option in ("--start", "--stop"))
    window = numbers[slice(int(start[0]) if start else None, int(stop[0]) if stop else None)]
    every = option_values(arguments, "--every")
    if every:
        kept = window[:: int(every[0])]
        return kept + [window[-1]] * (kept[-1] != window[-1])
    if "--changes" in arguments:
        kept = [row for row in window if row == window[0] or rows[row][:groups] != rows[row - 1][:groups]]
        return kept + [window[-1]] * (kept[-1] != window[-1])
    return window


def write_case(name: str, arguments: list[str], factory) -> None:
    rows = replay_torch(arguments, factory)
    names = ["lr", "momentum"] if "--show-momentum" in arguments else ["lr"]
    if isinstance(factory, MMEngine):
        names = [factory.param]
    groups = len(rows[0]) // len(names)
    values = [f"{n}_{g}" if groups > 1 else n for n in names for g in range(groups)]
    if isinstance(factory, Compare):
        groups = len(rows[0]) // len(factory.labelled)
        values = [f"{n}_{g}" if groups > 1 else n for n in factory.labelled for g in range(groups)]
        factory = next(iter(factory.labelled.values()))  # the first schedule's rows are the index's
    steps_per_epoch = option_values(arguments, "--steps-per-epoch")
    if isinstance(factory, MMEngine) and not factory.by_epoch:
        steps_per_epoch = [str(factory.per_epoch)]
    if isinstance(factory, (Transformers, Timm)):
        # optimizer steps per epoch as the framework counts them (the Trainer's updates, timm's --updates-per-epoch)
        steps_per_epoch = [str(factory.per_epoch)] if factory.per_epoch else []
    per_step = bool(steps_per_epoch or option_values(arguments, "--steps") or isinstance(factory, Transformers))
    index = (["step", "epoch"] if steps_per_epoch else ["step"]) if per_step else ["epoch"]
    lines = [",".join(index + values)]
    for k in select_rows(arguments, rows, groups):
        numbers = [k, k // int(steps_per_epoch[0])] if steps_per_epoch else [k]
        lines.append(",".join([*map(str, numbers), *(repr(float(v)) for v in rows[k])]))
    (GOLDEN / f"{name}.csv").write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help=f"also the {LONG_ROWS:,}-step case (takes minutes)")
    parser.add_argument("--only", nargs="*", help="write only these cases")
    options = parser.parse_args()
    warnings.simplefilter("ignore")
    GOLDEN.mkdir(parents=True, exist_ok=True)
    metric_files()
    torch_normal_draws()
    mmengine_configs()
    cases = {**CASES, **LONG_CASES} if options.long else dict(CASES)
    cases = {name: case for name, case in cases.items() if not options.only or name in options.only}
    for name, (arguments, factory) in cases.items():
        write_case(name, arguments, factory)
    everything = {**CASES, **LONG_CASES}
    import transformers
    from importlib.metadata import version

    manifest = {"torch": torch.__version__, "transformers": transformers.__version__, "timm": version("timm"),
                "mmengine": version("mmengine"),
                "cases": {name: arguments for name, (arguments, _) in everything.items()}}
    (GOLDEN / "cases.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {len(cases)} cases with torch {torch.__version__} to {GOLDEN}")


if __name__ == "__main__":
    main()
