"""Write tests/data/golden/mmcv/: the lrs (and momentums) MMCV 1.7.2's own updater hooks set, iteration by iteration.

mmcv 1.x does not install on current Python, so this script imports the two files that hold the
arithmetic, ``mmcv/runner/hooks/lr_updater.py`` and ``momentum_updater.py`` from the 1.7.2 sdist,
unchanged, beside the smallest stubs they need to import (``mmcv.is_list_of``, and ``Hook`` and the
``HOOKS`` registry of ``mmcv/runner/hooks/hook.py``: a hook base class whose methods do nothing,
and a dict of classes), and drives a hook in the order mmcv's runners call it. Get the sdist with

    python -m venv /tmp/mmcvbuild && /tmp/mmcvbuild/bin/pip install "setuptools<70"
    /tmp/mmcvbuild/bin/pip download --no-deps --no-build-isolation --no-binary :all: \
        -r scripts/golden/requirements-mmcv.txt -d /tmp/mmcvdl
    tar xzf /tmp/mmcvdl/mmcv-1.7.2.tar.gz -C /tmp/mmcvdl

and run from the repository's root, with torch for the optimizer and mmengine for reading configs
(the oracle environment /tmp/torch; the tests never import either):

    /tmp/torch/bin/python -m scripts.golden.mmcv_cases [--mmcv /tmp/mmcvdl/mmcv-1.7.2] [--only NAME…]

The loop is ``EpochBasedRunner.run``/``train`` (``before_run``; each epoch ``before_train_epoch``,
then each iteration ``before_train_iter``, the values recorded, ``after_train_iter``,
``iter += 1``; ``after_train_epoch``, ``epoch += 1``) or ``IterBasedRunner.run``/``train``
(``before_run``, ``before_epoch``, then per iteration ``before_train_iter``…), the hook built as
``register_lr_hook`` (``register_momentum_hook``) builds it, a policy all in lower case
title-cased. The optimizer is torch's SGD with one param group per lr; a momentum case's is SGD
or Adam with one group per momentum, whose ``momentum`` or ``betas[0]`` is recorded. A long run
keeps its first 1,000 rows, every row where a value changes after a flat stretch, every epoch's
first row, every ``every``-th row and its last. ``<case>.csv`` has the columns ``step,lr_0,…``
(``step,momentum_0,…``), floats as Python's repr; ``manifest.json`` has every case's
``lr_config`` or ``momentum_config`` (a tuple written as ``{"tuple": [...]}``), runner and lrs or
momentums.

``COMMANDS`` are lrcli command lines (``lrcli mmcv CONFIG …``) over the configs in
tests/data/configs/: each config is read by mmengine's ``Config.fromfile`` (mmcv 1.x's ``Config``
is its ancestor and reads these configs alike; ``--cfg-options`` merged), its ``lr_config`` (or
``momentum_config``) built into mmcv's own hook as above, its runner read as mmdetection 2.x's
``train_detector`` reads it, and every iteration recorded; the rows lrcli's options select are
written as scripts/golden/commands.py writes a case. The manifest's ``commands`` maps each to its
arguments.
"""

from __future__ import annotations

import importlib
import pathlib
import sys
import tempfile
import types

import torch

from . import commands, harness

GOLDEN = harness.folder("mmcv")

MMDET_1X = {"policy": "step", "warmup": "linear", "warmup_iters": 500, "warmup_ratio": 0.001, "step": [8, 11]}

# name: (lr_config, group lrs, runner, max epochs or iterations, iterations per epoch, every)
CASES: dict[str, tuple[dict, list[float], str, int, int, int]] = {
    "mmdet_1x": (MMDET_1X, [0.02, 0.002], "EpochBasedRunner", 12, 7330, 1000),
    "mmdet_2x_short": ({**MMDET_1X, "step": [16, 22]}, [0.01], "EpochBasedRunner", 24, 37, 1),
    "step_int_by_epoch": ({"policy": "step", "step": 3, "gamma": 0.5}, [0.1, 0.05], "EpochBasedRunner", 10, 7, 1),
    "step_int_by_iter_min_lr": (
        {
            "policy": "step",
            "by_epoch": False,
            "step": 40,
            "gamma": 0.3,
            "min_lr": 1e-3,
            "warmup": "exp",
            "warmup_iters": 25,
            "warmup_ratio": 0.01,
        },
        [0.1],
        "EpochBasedRunner",
        5,
        60,
        1,
    ),
    "step_list_by_iter": (
        {
            "policy": "Step",
            "by_epoch": False,
            "step": [100, 250, 251],
            "warmup": "constant",
            "warmup_iters": 30,
            "warmup_ratio": 0.25,
        },
        [0.3, 0.003],
        "IterBasedRunner",
        300,
        50,
        1,
    ),
    "step_warmup_by_epoch": (
        {
            "policy": "step",
            "step": [5, 8],
            "warmup": "linear",
            "warmup_iters": 2,
            "warmup_ratio": 1.0 / 3,
            "warmup_by_epoch": True,
        },
        [0.1],
        "EpochBasedRunner",
        10,
        13,
        1,
    ),
    "step_warmup_longer_than_epoch": (
        {**MMDET_1X, "warmup_iters": 45, "step": [1, 3]},
        [0.02],
        "EpochBasedRunner",
        4,
        20,
        1,
    ),
    "step_warmup_exp_by_epoch": (
        {"policy": "step", "step": [2], "warmup": "exp", "warmup_iters": 17, "warmup_ratio": 0.1},
        [0.05],
        "EpochBasedRunner",
        4,
        10,
        1,
    ),
    "fixed_warmup": (
        {"policy": "fixed", "warmup": "linear", "warmup_iters": 33, "warmup_ratio": 0.1},
        [0.01],
        "EpochBasedRunner",
        3,
        20,
        1,
    ),
    "exp_by_epoch": ({"policy": "exp", "gamma": 0.9}, [0.1, 0.2], "EpochBasedRunner", 30, 5, 1),
    "exp_by_iter": ({"policy": "exp", "gamma": 0.999, "by_epoch": False}, [0.1], "EpochBasedRunner", 20, 150, 1),
    "poly_mmseg_80k": (
        {"policy": "poly", "power": 0.9, "min_lr": 1e-4, "by_epoch": False},
        [0.01],
        "IterBasedRunner",
        80000,
        1000,
        397,
    ),
    "poly_by_epoch_warmup": (
        {"policy": "poly", "power": 2.0, "min_lr": 0.0, "warmup": "linear", "warmup_iters": 40, "warmup_ratio": 0.1},
        [0.1],
        "EpochBasedRunner",
        8,
        25,
        1,
    ),
    "poly_default": ({"policy": "poly"}, [0.1], "EpochBasedRunner", 12, 9, 1),
    "inv_by_iter": (
        {"policy": "inv", "gamma": 1e-3, "power": 0.75, "by_epoch": False},
        [0.05, 0.5],
        "EpochBasedRunner",
        10,
        40,
        1,
    ),
    "inv_by_epoch": ({"policy": "inv", "gamma": 0.1}, [0.05], "EpochBasedRunner", 15, 3, 1),
    "cosine_mmcls": (
        {
            "policy": "CosineAnnealing",
            "min_lr": 0,
            "warmup": "linear",
            "warmup_iters": 5,
            "warmup_ratio": 0.01,
            "warmup_by_epoch": True,
        },
        [0.5, 0.05],
        "EpochBasedRunner",
        100,
        11,
        1,
    ),
    "cosine_by_iter_ratio": (
        {
            "policy": "CosineAnnealing",
            "min_lr_ratio": 1e-3,
            "by_epoch": False,
            "warmup": "exp",
            "warmup_iters": 100,
            "warmup_ratio": 0.1,
        },
        [0.01],
        "EpochBasedRunner",
        12,
        97,
        1,
    ),
    "cosine_iter_runner": (
        {"policy": "CosineAnnealing", "min_lr": 1e-5, "by_epoch": False},
        [2e-3],
        "IterBasedRunner",
        40000,
        500,
        191,
    ),
    "flat_cosine_by_epoch": (
        {
            "policy": "FlatCosineAnnealing",
            "start_percent": 0.72,
            "min_lr_ratio": 0.01,
            "warmup": "linear",
            "warmup_iters": 30,
            "warmup_ratio": 0.1,
        },
        [0.1],
        "EpochBasedRunner",
        25,
        12,
        1,
    ),
    "flat_cosine_by_iter": (
        {"policy": "FlatCosineAnnealing", "start_percent": 0.5, "min_lr": 0.0, "by_epoch": False},
        [0.1, 0.3],
        "EpochBasedRunner",
        7,
        33,
        1,
    ),
    "cosine_restart_by_epoch": (
        {"policy": "CosineRestart", "periods": [4, 6, 10], "restart_weights": [1, 0.7, 0.3], "min_lr": 1e-4},
        [0.1],
        "EpochBasedRunner",
        20,
        6,
        1,
    ),
    "cosine_restart_by_iter": (
        {
            "policy": "CosineRestart",
            "periods": [37, 50, 80],
            "restart_weights": [1, 1, 0.5],
            "min_lr_ratio": 0.05,
            "by_epoch": False,
            "warmup": "linear",
            "warmup_iters": 10,
            "warmup_ratio": 0.2,
        },
        [0.02],
        "EpochBasedRunner",
        10,
        16,
        1,
    ),
    "cyclic_mmdet3d": (
        {"policy": "cyclic", "target_ratio": (10, 1e-4), "cyclic_times": 1, "step_ratio_up": 0.4},
        [0.0018],
        "EpochBasedRunner",
        40,
        29,
        1,
    ),
    "cyclic_gamma_linear": (
        {
            "policy": "cyclic",
            "target_ratio": (5, 0.01),
            "cyclic_times": 3,
            "step_ratio_up": 0.3,
            "anneal_strategy": "linear",
            "gamma": 0.8,
        },
        [0.01, 0.02],
        "IterBasedRunner",
        1000,
        10,
        1,
    ),
    "cyclic_float_ratio_warmup": (
        {
            "policy": "cyclic",
            "target_ratio": 4.0,
            "cyclic_times": 2,
            "step_ratio_up": 0.0,
            "warmup": "linear",
            "warmup_iters": 20,
            "warmup_ratio": 0.5,
        },
        [0.01],
        "EpochBasedRunner",
        10,
        17,
        1,
    ),
    "cyclic_one_ratio": (
        {"policy": "cyclic", "target_ratio": (8,), "cyclic_times": 4},
        [0.001],
        "EpochBasedRunner",
        7,
        23,
        1,
    ),
    "onecycle_default": ({"policy": "OneCycle", "max_lr": 0.01}, [0.1], "EpochBasedRunner", 5, 40, 1),
    "onecycle_groups_three_phase": (
        {
            "policy": "OneCycle",
            "max_lr": [0.01, 0.004],
            "three_phase": True,
            "pct_start": 0.25,
            "div_factor": 10,
            "final_div_factor": 100,
        },
        [0.1, 0.1],
        "IterBasedRunner",
        300,
        30,
        1,
    ),
    "onecycle_linear_total": (
        {"policy": "OneCycle", "max_lr": 0.02, "total_steps": 500, "anneal_strategy": "linear", "pct_start": 0.4},
        [0.1],
        "EpochBasedRunner",
        4,
        100,
        1,
    ),
    "onecycle_warmup": (
        {"policy": "OneCycle", "max_lr": 0.05, "warmup": "exp", "warmup_iters": 25, "warmup_ratio": 0.3},
        [0.1],
        "EpochBasedRunner",
        3,
        50,
        1,
    ),
    "linear_annealing_by_epoch": (
        {
            "policy": "LinearAnnealing",
            "min_lr_ratio": 0.01,
            "warmup": "linear",
            "warmup_iters": 15,
            "warmup_ratio": 0.001,
        },
        [0.1],
        "EpochBasedRunner",
        12,
        10,
        1,
    ),
    "linear_annealing_by_iter": (
        {"policy": "LinearAnnealing", "min_lr": 1e-6, "by_epoch": False},
        [3e-4, 1e-3],
        "IterBasedRunner",
        777,
        100,
        1,
    ),
    "iter_runner_by_epoch_idle": (
        {"policy": "step", "step": [1], "warmup": "linear", "warmup_iters": 5},
        [0.1, 0.2],
        "IterBasedRunner",
        30,
        10,
        1,
    ),
}

# name: (momentum_config, the optimizer ("SGD" with these momentums, or "Adam" with these betas[0]), runner,
# max epochs or iterations, iterations per epoch, every)
MOMENTUM_CASES: dict[str, tuple[dict, str, list[float], str, int, int, int]] = {
    "momentum_step_by_epoch": (
        {"policy": "step", "step": [2, 4], "gamma": 0.7, "min_momentum": 0.5},
        "SGD",
        [0.9, 0.95],
        "EpochBasedRunner",
        6,
        5,
        1,
    ),
    "momentum_step_warmup_linear": (
        {"policy": "step", "step": 30, "by_epoch": False, "warmup": "linear", "warmup_iters": 20, "warmup_ratio": 0.8},
        "SGD",
        [0.9],
        "EpochBasedRunner",
        4,
        25,
        1,
    ),
    "momentum_cosine_warmup_exp": (
        {"policy": "CosineAnnealing", "min_momentum_ratio": 0.5, "warmup": "exp", "warmup_iters": 13},
        "Adam",
        [0.9],
        "EpochBasedRunner",
        10,
        7,
        1,
    ),
    "momentum_linear_constant": (
        {
            "policy": "LinearAnnealing",
            "min_momentum": 0.8,
            "by_epoch": False,
            "warmup": "constant",
            "warmup_iters": 9,
            "warmup_ratio": 0.95,
        },
        "SGD",
        [0.99, 0.9],
        "IterBasedRunner",
        120,
        10,
        1,
    ),
    "momentum_cyclic_mmdet3d": (
        {"policy": "cyclic", "target_ratio": (0.85 / 0.95, 1), "cyclic_times": 1, "step_ratio_up": 0.4},
        "Adam",
        [0.95],
        "EpochBasedRunner",
        40,
        29,
        1,
    ),
    "momentum_cyclic_gamma": (
        {"policy": "cyclic", "target_ratio": 0.8, "cyclic_times": 3, "gamma": 0.5, "anneal_strategy": "linear"},
        "SGD",
        [0.9],
        "IterBasedRunner",
        300,
        10,
        1,
    ),
    "momentum_onecycle": ({"policy": "OneCycle"}, "SGD", [0.9], "EpochBasedRunner", 5, 40, 1),
    "momentum_onecycle_groups_three_phase": (
        {
            "policy": "OneCycle",
            "base_momentum": [0.8, 0.85],
            "max_momentum": [0.9, 0.99],
            "three_phase": True,
            "pct_start": 0.25,
            "anneal_strategy": "linear",
        },
        "Adam",
        [0.9, 0.9],
        "IterBasedRunner",
        203,
        30,
        1,
    ),
}


class Config(commands.Framework):
    """The reference for ``lrcli mmcv``: mmcv's hook built from the config's ``lr_config`` (or,
    ``param`` "momentum", ``momentum_config``) by ``register_lr_hook``'s rule, on an optimizer
    with one group per ``lrs`` (None: the config's ``optimizer`` lr) run for the config's
    runner at ``per_epoch`` iterations an epoch (None: an IterBasedRunner's, not given); ``by_epoch`` keeps each epoch's first row."""

    module: types.ModuleType | None = None
    """mmcv's hooks, loaded by :func:`main`."""

    def __init__(
        self,
        config: str,
        per_epoch: int | None,
        options: dict | None = None,
        by_epoch: bool = False,
        param: str = "lr",
        lrs: list[float] | None = None,
    ):
        self.config, self.iterations, self.options, self.by_epoch = config, per_epoch or 1, options, by_epoch
        self.param, self.lrs, self.columns = param, lrs, [param]
        self.per_epoch, self.in_steps = None if by_epoch else per_epoch, not by_epoch

    def run(self) -> list[list[float]]:
        from mmengine.config import Config as Read

        config = Read.fromfile(str(harness.CONFIGS / self.config))
        if self.options:
            config.merge_from_dict(self.options)
        runner = config.get("runner") or {"type": "EpochBasedRunner", "max_epochs": config.total_epochs}
        epoch_based = runner["type"] == "EpochBasedRunner"
        horizon = runner["max_epochs"] if epoch_based else runner["max_iters"]
        optimizer = config.optimizer
        kind = "Adam" if "Adam" in optimizer["type"] else "SGD"
        if self.param == "momentum":
            hook = build(self.module, config.momentum_config.to_dict(), "Momentum")
            first = optimizer["betas"][0] if kind == "Adam" else optimizer["momentum"]
            values = self.lrs or [first]
            rows = run(hook, runner["type"], horizon, self.iterations, 1, kind, momentums=values)
        else:
            hook = build(self.module, config.lr_config.to_dict())
            rows = run(hook, runner["type"], horizon, self.iterations, 1, lrs=self.lrs or [optimizer["lr"]])
        rows = [row[1:] for row in rows]
        return rows[:: self.iterations] if self.by_epoch else rows


FASTER_RCNN = "mmdet2/faster_rcnn/faster_rcnn_r50_fpn_1x_coco.py"

COMMANDS = {
    "mmcv_faster_rcnn_1x": (
        ["mmcv", "{configs}/" + FASTER_RCNN, "--iters-per-epoch", "7330", "--every", "97"],
        Config(FASTER_RCNN, 7330),
    ),
    "mmcv_faster_rcnn_1x_changes": (
        ["mmcv", "{configs}/" + FASTER_RCNN, "--iters-per-epoch", "7330", "--changes"],
        Config(FASTER_RCNN, 7330),
    ),
    "mmcv_faster_rcnn_1x_warmup": (
        ["mmcv", "{configs}/" + FASTER_RCNN, "--dataset-size", "117266", "--gpus", "8", "--stop", "1200"],
        Config(FASTER_RCNN, 7330),
    ),
    "mmcv_faster_rcnn_1x_by_epoch": (
        ["mmcv", "{configs}/" + FASTER_RCNN, "--iters-per-epoch", "7330", "--by", "epoch"],
        Config(FASTER_RCNN, 7330, by_epoch=True),
    ),
    "mmcv_faster_rcnn_2x_options": (
        [
            "mmcv",
            "{configs}/" + FASTER_RCNN,
            "--iters-per-epoch",
            "211",
            "--cfg-options",
            "runner.max_epochs=24",
            "--cfg-options",
            "lr_config.step=[16,22]",
            "--cfg-options",
            "lr_config.warmup=exp",
            "--lr",
            "0.01",
            "--lr",
            "0.02",
        ],
        Config(
            FASTER_RCNN,
            211,
            {"runner.max_epochs": 24, "lr_config.step": [16, 22], "lr_config.warmup": "exp"},
            lrs=[0.01, 0.02],
        ),
    ),
    "mmcv_total_epochs_2x": (
        ["mmcv", "{configs}/mmcv1/total_epochs_2x.py", "--dataset-size", "5000", "--gpus", "3", "--every", "7"],
        Config("mmcv1/total_epochs_2x.py", 834),
    ),
    "mmcv_swin_cosine": (
        ["mmcv", "{configs}/mmcv1/swin_tiny_cosine.py", "--dataset-size", "12811", "--gpus", "8", "--every", "11"],
        Config("mmcv1/swin_tiny_cosine.py", 13),
    ),
    "mmcv_poly_80k": (
        ["mmcv", "{configs}/mmcv1/poly_80k.py", "--every", "53"],
        Config("mmcv1/poly_80k.py", None),
    ),
    "mmcv_cyclic_40e": (
        ["mmcv", "{configs}/mmcv1/cyclic_40e.py", "--iters-per-epoch", "29"],
        Config("mmcv1/cyclic_40e.py", 29),
    ),
    "mmcv_cyclic_40e_momentum": (
        ["mmcv", "{configs}/mmcv1/cyclic_40e.py", "--iters-per-epoch", "29", "--param", "momentum"],
        Config("mmcv1/cyclic_40e.py", 29, param="momentum"),
    ),
}
"""Cases that are lrcli command lines: name: (arguments, reference)."""


def load_hooks(source: pathlib.Path) -> types.ModuleType:
    """mmcv 1.7.2's lr_updater.py, imported beside stubs of the two modules it imports."""
    folder = pathlib.Path(tempfile.mkdtemp())
    hooks = folder / "mmcv" / "runner" / "hooks"
    hooks.mkdir(parents=True)
    (folder / "mmcv" / "__init__.py").write_text(
        "def is_list_of(seq, expected_type):\n"
        "    return isinstance(seq, list) and all(isinstance(item, expected_type) for item in seq)\n"
    )
    (folder / "mmcv" / "runner" / "__init__.py").write_text("")
    (hooks / "__init__.py").write_text("")
    (hooks / "hook.py").write_text(
        "class _Registry(dict):\n"
        "    def register_module(self):\n"
        "        def register(cls):\n"
        "            self[cls.__name__] = cls\n"
        "            return cls\n"
        "        return register\n"
        "HOOKS = _Registry()\n"
        "class Hook:\n"
        "    def __getattr__(self, name):\n"
        "        if name.startswith(('before_', 'after_')):\n"
        "            return lambda runner: None\n"
        "        raise AttributeError(name)\n"
    )
    for name in ("lr_updater.py", "momentum_updater.py"):
        (hooks / name).write_bytes((source / "mmcv" / "runner" / "hooks" / name).read_bytes())
    sys.path.insert(0, str(folder))
    importlib.import_module("mmcv.runner.hooks.lr_updater")
    return importlib.import_module("mmcv.runner.hooks.momentum_updater")


def to_json(value):
    """A value for the manifest: a tuple as ``{"tuple": [...]}`` (mmcv tells tuples from lists)."""
    if isinstance(value, tuple):
        return {"tuple": list(value)}
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_json(item) for item in value]
    return value


def build(module: types.ModuleType, config: dict, kind: str = "Lr"):
    """``register_lr_hook(lr_config)``, or (``kind`` "Momentum") ``register_momentum_hook``."""
    config = dict(config)
    policy = config.pop("policy")
    if policy == policy.lower():
        policy = policy.title()
    return module.HOOKS[f"{policy}{kind}UpdaterHook"](**config)


class Runner:
    """What the hooks read of a runner."""

    def __init__(
        self,
        lrs: list[float],
        iters_per_epoch: int,
        max_epochs: int | None,
        max_iters: int,
        optimizer: str = "SGD",
        momentums: list[float] | None = None,
    ) -> None:
        params = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in lrs]
        for group, momentum in zip(params, momentums or []):
            group.update({"betas": (momentum, 0.999)} if optimizer == "Adam" else {"momentum": momentum})
        if optimizer == "Adam":
            self.optimizer = torch.optim.Adam(params, lr=lrs[0])
        else:
            self.optimizer = torch.optim.SGD(params, lr=lrs[0], momentum=0.9)
        self.data_loader = range(iters_per_epoch)
        self.max_epochs, self.max_iters = max_epochs, max_iters
        self.epoch = self.iter = self.inner_iter = 0


def run(
    hook,
    runner_type: str,
    horizon: int,
    iters_per_epoch: int,
    every: int,
    optimizer: str = "SGD",
    lrs: list[float] = (0.1,),
    momentums: list[float] | None = None,
) -> list[list]:
    """The rows of a run: each group's lr, or with ``momentums`` its momentum (SGD) or betas[0] (Adam)."""
    epoch_based = runner_type == "EpochBasedRunner"
    max_iters = horizon * iters_per_epoch if epoch_based else horizon
    runner = Runner(
        lrs if momentums is None else [0.1] * len(momentums),
        iters_per_epoch,
        horizon if epoch_based else None,
        max_iters,
        optimizer,
        momentums,
    )

    def read(group: dict) -> float:
        if momentums is None:
            return group["lr"]
        return group["betas"][0] if optimizer == "Adam" else group["momentum"]

    rows, previous, before = [], None, None

    def train_iter() -> None:
        nonlocal previous, before
        hook.before_train_iter(runner)
        values = [read(group) for group in runner.optimizer.param_groups]
        i = runner.iter
        jump = values != previous and previous == before  # a change after a flat stretch
        if jump or i < 1000 or i % every == 0 or i % iters_per_epoch == 0 or i == max_iters - 1:
            rows.append([i, *values])
        previous, before = values, previous
        hook.after_train_iter(runner)
        runner.iter += 1

    hook.before_run(runner)
    if epoch_based:
        while runner.epoch < horizon:
            hook.before_train_epoch(runner)
            for i in range(iters_per_epoch):
                runner.inner_iter = i
                train_iter()
            hook.after_train_epoch(runner)
            runner.epoch += 1
    else:
        hook.before_epoch(runner)
        while runner.iter < max_iters:
            train_iter()
    return rows


def write(name: str, column: str, groups: int, rows: list[list]) -> None:
    harness.write_csv(GOLDEN / f"{name}.csv", ["step", *(f"{column}_{i}" for i in range(groups))], rows)


def main() -> None:
    parser = harness.parser(__doc__)
    parser.add_argument(
        "--mmcv",
        type=pathlib.Path,
        default=pathlib.Path("/tmp/mmcvdl/mmcv-1.7.2"),
        help="the extracted mmcv 1.7.2 sdist",
    )
    arguments = parser.parse_args()
    cases, momentum_cases, command_cases = harness.chosen(arguments.only, CASES, MOMENTUM_CASES, COMMANDS)
    version = (arguments.mmcv / "mmcv" / "version.py").read_text()
    if "__version__ = '1.7.2'" not in version:
        raise SystemExit(f"{arguments.mmcv} is not mmcv 1.7.2")
    module = load_hooks(arguments.mmcv)
    Config.module = module
    GOLDEN.mkdir(parents=True, exist_ok=True)
    manifest = harness.read_manifest("mmcv")
    manifest["versions"] = {"mmcv": "1.7.2 (runner/hooks/lr_updater.py)", "torch": torch.__version__}
    for name, (lr_config, lrs, runner_type, horizon, iters_per_epoch, every) in cases.items():
        rows = run(build(module, lr_config), runner_type, horizon, iters_per_epoch, every, lrs=lrs)
        write(name, "lr", len(lrs), rows)
        manifest["cases"][name] = {
            "lr_config": to_json(lr_config),
            "lrs": lrs,
            "runner": runner_type,
            "max_epochs" if runner_type == "EpochBasedRunner" else "max_iters": horizon,
            "iters_per_epoch": iters_per_epoch,
            "every": every,
        }
    for name, (config, optimizer, momentums, runner_type, horizon, iters_per_epoch, every) in momentum_cases.items():
        rows = run(
            build(module, config, "Momentum"),
            runner_type,
            horizon,
            iters_per_epoch,
            every,
            optimizer,
            momentums=momentums,
        )
        write(name, "momentum", len(momentums), rows)
        manifest["cases"][name] = {
            "momentum_config": to_json(config),
            "optimizer": optimizer,
            "momentums": momentums,
            "runner": runner_type,
            "max_epochs" if runner_type == "EpochBasedRunner" else "max_iters": horizon,
            "iters_per_epoch": iters_per_epoch,
            "every": every,
        }
    for name, (command, reference) in command_cases.items():
        commands.write_case(GOLDEN, name, command, reference)
    manifest["commands"] = {name: command for name, (command, _) in COMMANDS.items()}
    harness.write_manifest("mmcv", manifest)


if __name__ == "__main__":
    main()
