"""Write tests/data/golden/deepspeed/: the lrs DeepSpeed's own schedulers set, update by update.

Run by hand from the repository's root, in an environment with DeepSpeed (the tests never import it):

    python -m venv /tmp/ds && /tmp/ds/bin/pip install torch==2.13.0
    DS_BUILD_OPS=0 /tmp/ds/bin/pip install -r scripts/golden/requirements-deepspeed.txt
    /tmp/ds/bin/python -m scripts.golden.deepspeed_cases [--only NAME…]

Each case builds a torch optimizer (SGD with momentum, or Adam, whose ``betas`` OneCycle cycles)
with one param group per lr, then the ``deepspeed.runtime.lr_schedules`` class with the case's
params, records every group's lr (and ``betas[0]`` for Adam) as the constructor left it (row 0),
then after each ``scheduler.step()`` (rows 1, 2, …; the optimizer's own step does not touch the
lr, so it is not called). A long case keeps a sample of its rows (``every`` K-th and its last).
``<case>.csv`` has the columns ``step,lr_0,lr_1,…[,momentum_0,…]``, floats as Python's repr;
``manifest.json`` names the versions and every case's parameters, and keeps the ``lrcli`` arguments
written by hand for each case (tests/golden/test_frameworks.py runs them).

The ``trainer_*`` cases first fill a config's ``"auto"`` values as the HF Trainer does
(``HfTrainerDeepSpeedConfig`` with ``TrainingArguments``), and record the params it passes on.
The ``file_*`` cases are ds_config files in hjson given to ``deepspeed.initialize`` itself (CPU,
one process), which reads the file and builds the optimizer and scheduler (torch's class for a
torch ``type``); tests/golden/test_frameworks.py gives each file to ``lrcli config``.
"""

from __future__ import annotations

import json
import logging
import pathlib
import tempfile

import torch
from deepspeed.runtime import lr_schedules

from . import harness

GOLDEN = harness.folder("deepspeed")

# name: (class, params, group lrs, optimizer, rows, every)
CASES: dict[str, tuple[str, dict, list[float], str, int, int]] = {
    "warmup_log_facts": (
        "WarmupLR",
        {"warmup_min_lr": 0, "warmup_max_lr": 0.001, "warmup_num_steps": 5},
        [0.1],
        "SGD",
        7,
        1,
    ),
    "warmup_defaults": ("WarmupLR", {}, [0.1, 0.01], "SGD", 1200, 1),
    "warmup_linear": (
        "WarmupLR",
        {"warmup_min_lr": 1e-5, "warmup_max_lr": 3e-4, "warmup_num_steps": 97, "warmup_type": "linear"},
        [0.1],
        "SGD",
        130,
        1,
    ),
    "warmup_one_step": (
        "WarmupLR",
        {"warmup_min_lr": 0, "warmup_max_lr": 0.02, "warmup_num_steps": 1},
        [0.1],
        "SGD",
        6,
        1,
    ),
    "warmup_unknown_type": (
        "WarmupLR",
        {"warmup_max_lr": 0.5, "warmup_num_steps": 10, "warmup_type": "cosine"},
        [0.1],
        "SGD",
        14,
        1,
    ),
    "warmup_groups_lists": (
        "WarmupLR",
        {"warmup_min_lr": [0.0, 1e-4, 2e-5], "warmup_max_lr": [0.1, 0.01, 3e-3], "warmup_num_steps": 33},
        [0.5, 0.6, 0.7],
        "Adam",
        40,
        1,
    ),
    "warmup_resume": (
        "WarmupLR",
        {"warmup_max_lr": 0.01, "warmup_num_steps": 20, "last_batch_iteration": 9},
        [0.3],
        "SGD",
        15,
        1,
    ),
    "decay_log": (
        "WarmupDecayLR",
        {"total_num_steps": 1000, "warmup_min_lr": 0, "warmup_max_lr": 3e-5, "warmup_num_steps": 100},
        [0.1, 0.2],
        "Adam",
        1010,
        1,
    ),
    "decay_linear": (
        "WarmupDecayLR",
        {
            "total_num_steps": 333,
            "warmup_min_lr": 1e-6,
            "warmup_max_lr": 7e-4,
            "warmup_num_steps": 37,
            "warmup_type": "linear",
        },
        [0.1],
        "SGD",
        340,
        1,
    ),
    "decay_defaults_long": ("WarmupDecayLR", {"total_num_steps": 250_000}, [0.1], "SGD", 250_010, 997),
    "decay_short_total": (
        "WarmupDecayLR",
        {"total_num_steps": 3, "warmup_max_lr": 0.01, "warmup_num_steps": 6},
        [0.1],
        "SGD",
        12,
        1,
    ),
    "decay_float_total": (
        "WarmupDecayLR",
        {"total_num_steps": 50.5, "warmup_max_lr": 0.01, "warmup_num_steps": 5},
        [0.1],
        "SGD",
        60,
        1,
    ),
    "decay_groups": (
        "WarmupDecayLR",
        {"total_num_steps": 200, "warmup_min_lr": [0.0, 1e-3], "warmup_max_lr": [0.05, 0.002], "warmup_num_steps": 20},
        [0.1, 0.1],
        "SGD",
        205,
        1,
    ),
    "cosine_log": (
        "WarmupCosineLR",
        {"total_num_steps": 1000, "warmup_num_steps": 100},
        [0.1, 3e-4, 0.7],
        "Adam",
        1005,
        1,
    ),
    "cosine_linear_ratios": (
        "WarmupCosineLR",
        {
            "total_num_steps": 300,
            "warmup_min_ratio": 0.1,
            "warmup_num_steps": 30,
            "cos_min_ratio": 0.05,
            "warmup_type": "linear",
        },
        [2e-4, 0.01],
        "SGD",
        310,
        1,
    ),
    "cosine_short_total": ("WarmupCosineLR", {"total_num_steps": 4, "warmup_num_steps": 8}, [0.1], "SGD", 14, 1),
    "cosine_long": (
        "WarmupCosineLR",
        {"total_num_steps": 300_000, "warmup_num_steps": 2000, "cos_min_ratio": 0.0},
        [6e-4],
        "Adam",
        300_005,
        1009,
    ),
    "onecycle_adam": (
        "OneCycle",
        {"cycle_min_lr": 1e-4, "cycle_max_lr": 1e-3, "cycle_first_step_size": 50},
        [0.1, 0.2],
        "Adam",
        130,
        1,
    ),
    "onecycle_sgd": (
        "OneCycle",
        {"cycle_min_lr": 0.01, "cycle_max_lr": 0.1, "cycle_first_step_size": 20, "cycle_second_step_size": 30},
        [0.1],
        "SGD",
        60,
        1,
    ),
    "onecycle_decay": (
        "OneCycle",
        {
            "cycle_min_lr": [1e-4, 2e-4],
            "cycle_max_lr": [1e-3, 3e-3],
            "cycle_first_step_size": 40,
            "cycle_second_step_size": 25,
            "decay_step_size": 7,
            "decay_lr_rate": 0.3,
            "decay_mom_rate": 0.01,
            "cycle_min_mom": [0.85, 0.8],
            "cycle_max_mom": [0.95, 0.99],
        },
        [0.1, 0.1],
        "Adam",
        200,
        1,
    ),
    "onecycle_stairs": (
        "OneCycle",
        {
            "cycle_min_lr": 0.001,
            "cycle_max_lr": 0.01,
            "cycle_first_step_size": 30,
            "cycle_second_step_size": 45,
            "cycle_first_stair_count": 4,
            "cycle_second_stair_count": 7,
            "decay_step_size": 10,
            "decay_lr_rate": 0.5,
        },
        [0.1],
        "Adam",
        120,
        1,
    ),
    "onecycle_stairs_default_second": (
        "OneCycle",
        {"cycle_min_lr": 0.002, "cycle_max_lr": 0.02, "cycle_first_step_size": 21, "cycle_first_stair_count": 5},
        [0.1],
        "SGD",
        50,
        1,
    ),
    "onecycle_no_second": (
        "OneCycle",
        {
            "cycle_min_lr": 0.01,
            "cycle_max_lr": 0.1,
            "cycle_first_step_size": 10,
            "cycle_second_step_size": 0,
            "decay_step_size": 3,
            "decay_lr_rate": 1.0,
        },
        [0.1],
        "Adam",
        25,
        1,
    ),
    "onecycle_no_momentum": (
        "OneCycle",
        {"cycle_min_lr": 0.01, "cycle_max_lr": 0.1, "cycle_first_step_size": 10, "cycle_momentum": False},
        [0.1],
        "Adam",
        25,
        1,
    ),
    "onecycle_long": (
        "OneCycle",
        {
            "cycle_min_lr": 3e-5,
            "cycle_max_lr": 3e-4,
            "cycle_first_step_size": 40_000,
            "cycle_second_step_size": 60_000,
            "decay_step_size": 1000,
            "decay_lr_rate": 0.001,
            "decay_mom_rate": 0.0001,
        },
        [0.1],
        "Adam",
        150_000,
        991,
    ),
    "range_continuous": (
        "LRRangeTest",
        {"lr_range_test_min_lr": 1e-5, "lr_range_test_step_size": 7, "lr_range_test_step_rate": 0.37},
        [0.1],
        "SGD",
        100,
        1,
    ),
    "range_staircase": (
        "LRRangeTest",
        {
            "lr_range_test_min_lr": [1e-4, 3e-3],
            "lr_range_test_step_size": 5,
            "lr_range_test_step_rate": 2.5,
            "lr_range_test_staircase": True,
        },
        [0.1, 0.1],
        "SGD",
        60,
        1,
    ),
    "range_defaults_long": ("LRRangeTest", {}, [0.1], "SGD", 100_000, 499),
}

# name: (ds_config scheduler and optimizer sections, TrainingArguments keywords, group lrs, optimizer, rows)
TRAINER_CASES: dict[str, tuple[dict, dict, list[float], str, int]] = {
    "trainer_decay_auto": (
        {
            "optimizer": {"type": "AdamW", "params": {"lr": "auto"}},
            "scheduler": {
                "type": "WarmupDecayLR",
                "params": {
                    "warmup_min_lr": "auto",
                    "warmup_max_lr": "auto",
                    "warmup_num_steps": "auto",
                    "total_num_steps": "auto",
                },
            },
        },
        {"learning_rate": 3e-5, "max_steps": 500, "warmup_steps": 50},
        [3e-5],
        "Adam",
        505,
    ),
    "trainer_warmup_no_warmup": (
        {
            "scheduler": {
                "type": "WarmupLR",
                "params": {"warmup_min_lr": "auto", "warmup_max_lr": "auto", "warmup_num_steps": "auto"},
            }
        },
        {"learning_rate": 2e-4, "max_steps": 40, "warmup_steps": 0},
        [2e-4],
        "Adam",
        12,
    ),
    "trainer_decay_ratio": (
        {
            "scheduler": {
                "type": "WarmupDecayLR",
                "params": {
                    "warmup_min_lr": "auto",
                    "warmup_max_lr": "auto",
                    "warmup_num_steps": "auto",
                    "total_num_steps": "auto",
                },
            }
        },
        {"learning_rate": 1e-4, "max_steps": 333, "warmup_steps": 0.1},
        [1e-4],
        "Adam",
        340,
    ),
    "trainer_cosine_auto": (
        {"scheduler": {"type": "WarmupCosineLR", "params": {"warmup_num_steps": "auto", "total_num_steps": "auto"}}},
        {"learning_rate": 5e-5, "max_steps": 120, "warmup_steps": 12},
        [5e-5],
        "Adam",
        125,
    ),
}


def _file(optimizer: str, scheduler: str) -> str:
    """A ds_config in hjson (comments, unquoted keys and values, no commas at line ends)."""
    return (
        "{\n  # written as DeepSpeed users write hjson\n  train_batch_size: 1\n"
        f"  optimizer: {{\n    type: {optimizer}\n  }}\n  scheduler: {{\n    type: {scheduler}\n  }}\n}}\n"
    )


# name: (the ds_config's text, rows, whether the momentum is recorded)
FILE_CASES: dict[str, tuple[str, int, bool]] = {
    "file_onecycle_adam": (
        _file(
            "Adam\n    params: {lr: 0.001, torch_adam: true}",
            "OneCycle\n    params: {\n      cycle_min_lr: 0.01\n      cycle_max_lr: 0.1\n"
            "      cycle_first_step_size: 7\n      decay_step_size: 2\n      decay_lr_rate: 0.1\n    }",
        ),
        30,
        True,
    ),
    "file_onecycle_sgd": (
        _file(
            "SGD\n    params: {lr: 0.1, momentum: 0.9}",
            "OneCycle\n    params: {cycle_min_lr: 0.01, cycle_max_lr: 0.1, cycle_first_step_size: 5}",
        ),
        14,
        False,
    ),
    "file_warmup_group_lr": (
        _file(
            "AdamW\n    params: {lr: 0.0003, torch_adam: true}",
            'WarmupLR\n    params: {warmup_num_steps: 10, warmup_type: "linear"}',
        ),
        14,
        False,
    ),
    "file_cosine": (
        _file(
            "Adam\n    params: {lr: 6e-4, torch_adam: true}",
            "WarmupCosineLR\n    params: {total_num_steps: 50, warmup_num_steps: 5, cos_min_ratio: 0.1}",
        ),
        55,
        False,
    ),
    "file_torch_step": (
        _file("SGD\n    params: {lr: 0.1}", "StepLR\n    params: {step_size: 3, gamma: 0.5}"),
        10,
        False,
    ),
    "file_torch_cosine": (
        _file("SGD\n    params: {lr: 0.1}", "CosineAnnealingLR\n    params: {T_max: 8, eta_min: 0.001}"),
        12,
        False,
    ),
}
"""Configs run through ``deepspeed.initialize`` itself (one process, CPU, gloo): DeepSpeed reads
the file, builds the optimizer and the scheduler it names; one param group."""


def run_file(text: str, rows: int, momentum: bool) -> dict:
    """The lrs (and ``betas[0]``) of the optimizer ``deepspeed.initialize`` builds from ``text``,
    as the scheduler leaves them, then after each ``lr_scheduler.step()``."""
    import os

    import deepspeed

    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT="29517", RANK="0", LOCAL_RANK="0", WORLD_SIZE="1")
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "ds_config.hjson"
        path.write_text(text)
        model = torch.nn.Linear(2, 1)
        _, optimizer, _, scheduler = deepspeed.initialize(
            model=model, model_parameters=model.parameters(), config=str(path)
        )
    columns = ["step", "lr_0"] + (["momentum_0"] if momentum else [])
    table = []
    for row in range(rows):
        if row:
            scheduler.step()
        group = optimizer.param_groups[0]
        table.append([row, group["lr"], *([group["betas"][0]] if momentum else [])])
    return {
        "columns": columns,
        "rows": table,
        "optimizer": type(optimizer).__name__,
        "scheduler": type(scheduler).__name__,
    }


def optimizer_for(kind: str, lrs: list[float]) -> torch.optim.Optimizer:
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in lrs]
    if kind == "Adam":
        return torch.optim.Adam(groups, lr=lrs[0])
    return torch.optim.SGD(groups, lr=lrs[0], momentum=0.9)


def record(optimizer: torch.optim.Optimizer, kind: str) -> list[float]:
    lrs = [group["lr"] for group in optimizer.param_groups]
    if kind == "Adam":
        return lrs + [group["betas"][0] for group in optimizer.param_groups]
    return lrs


def run(name: str, params: dict, lrs: list[float], kind: str, rows: int, every: int) -> dict:
    optimizer = optimizer_for(kind, lrs)
    scheduler = getattr(lr_schedules, name)(optimizer, **params)
    columns = ["step"] + [f"lr_{i}" for i in range(len(lrs))]
    if kind == "Adam":
        columns += [f"momentum_{i}" for i in range(len(lrs))]
    table = []
    for row in range(rows):
        if row:
            scheduler.step()
        if row % every == 0 or row == rows - 1:
            table.append([row, *record(optimizer, kind)])
    return {"columns": columns, "rows": table}


def trainer_params(config: dict, arguments: dict) -> dict:
    """The params the HF Trainer passes DeepSpeed for ``config`` under ``TrainingArguments(**arguments)``."""
    from transformers import TrainingArguments

    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "ds_config.json"
        path.write_text(json.dumps({"zero_optimization": {"stage": 0}, **config}))  # accelerate needs a stage
        args = TrainingArguments(output_dir=folder, deepspeed=str(path), report_to=[], **arguments)
        hf = args.hf_deepspeed_config
        hf.trainer_config_finalize(args, model=None, num_training_steps=arguments["max_steps"])
        return {
            "type": hf.config["scheduler"]["type"],
            "params": hf.config["scheduler"]["params"],
            "optimizer_lr": hf.get_value("optimizer.params.lr"),
        }


def main() -> None:
    cases, trainer_cases, file_cases = harness.chosen(
        harness.parser(__doc__).parse_args().only, CASES, TRAINER_CASES, FILE_CASES
    )
    logging.getLogger("DeepSpeed").setLevel(logging.ERROR)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    manifest = harness.read_manifest("deepspeed")
    import deepspeed
    import transformers

    manifest["versions"] = {
        "deepspeed": deepspeed.__version__,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
    }
    for case, (name, params, lrs, kind, rows, every) in cases.items():
        result = run(name, params, lrs, kind, rows, every)
        harness.write_csv(GOLDEN / f"{case}.csv", result["columns"], result["rows"])
        manifest["cases"][case] = {
            "type": name,
            "params": params,
            "lrs": lrs,
            "optimizer": kind,
            "rows": rows,
            "every": every,
            **harness.by_hand(manifest, case),
        }
    for case, (config, arguments, lrs, kind, rows) in trainer_cases.items():
        filled = trainer_params(config, arguments)
        result = run(filled["type"], filled["params"], lrs, kind, rows, 1)
        harness.write_csv(GOLDEN / f"{case}.csv", result["columns"], result["rows"])
        manifest["cases"][case] = {
            "config": config,
            "trainer": arguments,
            "filled": filled,
            "type": filled["type"],
            "params": filled["params"],
            "lrs": lrs,
            "optimizer": kind,
            "rows": rows,
            "every": 1,
            **harness.by_hand(manifest, case),
        }
    for case, (text, rows, momentum) in file_cases.items():
        result = run_file(text, rows, momentum)
        harness.write_csv(GOLDEN / f"{case}.csv", result["columns"], result["rows"])
        manifest["cases"][case] = {
            "file": text,
            "built": {"optimizer": result["optimizer"], "scheduler": result["scheduler"]},
            "rows": rows,
            "momentum": momentum,
        }
    harness.write_manifest("deepspeed", manifest)


if __name__ == "__main__":
    main()
