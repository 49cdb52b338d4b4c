"""Write tests/data/golden/diffusers/: the lrs diffusers' own schedules set, and what its training
scripts' loop logs under accelerate on several processes.

Run by hand from the repository's root, in an environment with diffusers (the tests never import it):

    python -m venv /tmp/diff && /tmp/diff/bin/pip install torch==2.13.0
    /tmp/diff/bin/pip install -r scripts/golden/requirements-diffusers.txt
    /tmp/diff/bin/python -m scripts.golden.diffusers_cases [--only NAME…]

``SCHEDULES``: a torch SGD optimizer (default lr the first group's) with one param group per lr,
``diffusers.optimization.get_scheduler`` (or the named function) with the case's keywords; row 0 is
what the constructor left, row k the lrs after k ``scheduler.step()`` calls.

``REFUSALS``: what diffusers raises for each bad call (exception class and message).

``SCRIPTS``: the scheduler arithmetic of diffusers' training scripts (``train_text_to_image.py``,
``train_dreambooth.py`` since PR 8312, written out here from their source) around the real
``get_scheduler``, ``Accelerator.prepare`` and ``accelerator.accumulate``, with the number of
processes patched into accelerate's ``PartialState`` after the ``Accelerator`` is made (so the
dataloader is sharded as process 0 of P and ``AcceleratedScheduler`` steps P times): a
one-parameter model, a dataset of zeros, the script's loop (``optimizer.step()``,
``lr_scheduler.step()`` inside ``accumulate``; ``global_step`` counted when gradients sync; stop at
``max_train_steps``). Row ``global_step`` is ``lr_scheduler.get_last_lr()[0]`` after that update,
as the scripts log it, and the wrapped scheduler's ``last_epoch``.

``<case>.csv`` has the columns ``step,lr_0,…`` (scripts: ``global_step,lr,last_epoch``), floats as
Python's repr; ``manifest.json`` names the versions and every case's parameters.
"""

from __future__ import annotations

import argparse
import math

import torch
from diffusers import optimization

from . import harness

GOLDEN = harness.folder("diffusers")

# name: (function, keywords, group lrs, rows)
SCHEDULES: dict[str, tuple[str, dict, list[float], int]] = {
    "linear": ("get_scheduler", {"name": "linear", "num_warmup_steps": 10, "num_training_steps": 100}, [1e-4], 110),
    "linear_no_warmup_groups": (
        "get_scheduler",
        {"name": "linear", "num_warmup_steps": 0, "num_training_steps": 37},
        [3e-4, 0.01],
        40,
    ),
    "linear_floor_peak": (
        "get_linear_schedule_with_warmup",
        {"num_warmup_steps": 13, "num_training_steps": 90, "f_min": 0.1, "f_max": 2.5},
        [7e-5],
        100,
    ),
    "linear_floor_only": (
        "get_linear_schedule_with_warmup",
        {"num_warmup_steps": 0, "num_training_steps": 333, "f_min": 0.03},
        [0.1],
        340,
    ),
    "cosine": (
        "get_scheduler",
        {"name": "cosine", "num_warmup_steps": 50, "num_training_steps": 1000},
        [1e-4, 2e-5],
        1010,
    ),
    "cosine_cycles_ignored": (
        "get_scheduler",
        {"name": "cosine", "num_warmup_steps": 3, "num_training_steps": 77, "num_cycles": 3},
        [5e-6],
        80,
    ),
    "cosine_half_wave_direct": (
        "get_cosine_schedule_with_warmup",
        {"num_warmup_steps": 7, "num_training_steps": 211, "num_cycles": 1.25},
        [0.3],
        215,
    ),
    "cosine_short_total": (
        "get_scheduler",
        {"name": "cosine", "num_warmup_steps": 5, "num_training_steps": 3},
        [0.1],
        10,
    ),
    "cosine_with_restarts": (
        "get_scheduler",
        {"name": "cosine_with_restarts", "num_warmup_steps": 10, "num_training_steps": 210, "num_cycles": 4},
        [1e-4],
        220,
    ),
    "cosine_with_restarts_default": (
        "get_scheduler",
        {"name": "cosine_with_restarts", "num_warmup_steps": 0, "num_training_steps": 101},
        [2e-4],
        105,
    ),
    "polynomial": (
        "get_scheduler",
        {"name": "polynomial", "num_warmup_steps": 20, "num_training_steps": 200, "power": 2.0},
        [1e-4],
        220,
    ),
    "polynomial_groups": (
        "get_scheduler",
        {"name": "polynomial", "num_warmup_steps": 0, "num_training_steps": 97, "power": 0.5},
        [1e-3, 5e-4, 3e-3],
        100,
    ),
    "polynomial_default_power": (
        "get_scheduler",
        {"name": "polynomial", "num_warmup_steps": 9, "num_training_steps": 300},
        [6e-5],
        305,
    ),
    "constant": ("get_scheduler", {"name": "constant", "num_warmup_steps": 10}, [1e-4], 12),
    "constant_with_warmup": ("get_scheduler", {"name": "constant_with_warmup", "num_warmup_steps": 7}, [1e-4, 0.3], 12),
    "piecewise": (
        "get_scheduler",
        {"name": "piecewise_constant", "step_rules": "1:10,0.1:20,0.01:30,0.005"},
        [1e-3],
        40,
    ),
    "piecewise_spaces_unsorted": (
        "get_scheduler",
        {"name": "piecewise_constant", "step_rules": " 0.5:15 , 1: 4,0.25 "},
        [0.2],
        20,
    ),
    "piecewise_repeated_step": (
        "get_scheduler",
        {"name": "piecewise_constant", "step_rules": "2:3,0.3:3,0.7:6,1"},
        [0.1],
        10,
    ),
    "piecewise_negative_underscore": (
        "get_scheduler",
        {"name": "piecewise_constant", "step_rules": "1:-2,0.5:1_0,1e-1:+12,0.05"},
        [0.1],
        15,
    ),
    "piecewise_last_only": ("get_scheduler", {"name": "piecewise_constant", "step_rules": "0.125"}, [0.1], 4),
}

# name: (function, keywords, group lrs)
REFUSALS: dict[str, tuple[str, dict, list[float]]] = {
    "unknown_name": ("get_scheduler", {"name": "cosine_annealing"}, [0.1]),
    "linear_without_warmup": ("get_scheduler", {"name": "linear", "num_training_steps": 10}, [0.1]),
    "cosine_without_total": ("get_scheduler", {"name": "cosine", "num_warmup_steps": 1}, [0.1]),
    "warmup_without_warmup": ("get_scheduler", {"name": "constant_with_warmup"}, [0.1]),
    "polynomial_lr_below_end": (
        "get_scheduler",
        {"name": "polynomial", "num_warmup_steps": 0, "num_training_steps": 10},
        [1e-7],
    ),
    "piecewise_without_rules": ("get_scheduler", {"name": "piecewise_constant"}, [0.1]),
    "piecewise_two_colons": ("get_scheduler", {"name": "piecewise_constant", "step_rules": "1:10:2,0.1"}, [0.1]),
    "piecewise_no_colon": ("get_scheduler", {"name": "piecewise_constant", "step_rules": "1,0.1"}, [0.1]),
    "piecewise_float_steps": ("get_scheduler", {"name": "piecewise_constant", "step_rules": "1:1.5,0.1"}, [0.1]),
    "piecewise_bad_value": ("get_scheduler", {"name": "piecewise_constant", "step_rules": "one:10,0.1"}, [0.1]),
    "piecewise_trailing_comma": ("get_scheduler", {"name": "piecewise_constant", "step_rules": "1:10,"}, [0.1]),
    "piecewise_empty": ("get_scheduler", {"name": "piecewise_constant", "step_rules": ""}, [0.1]),
}

# name: (script flags, samples in the dataset, processes)
SCRIPTS: dict[str, tuple[dict, int, int]] = {
    "script_cosine_8_processes": (
        {
            "lr_scheduler": "cosine",
            "learning_rate": 1e-4,
            "lr_warmup_steps": 5,
            "max_train_steps": 60,
            "train_batch_size": 2,
        },
        400,
        8,
    ),
    "script_linear_epochs_accumulation": (
        {
            "lr_scheduler": "linear",
            "learning_rate": 5e-6,
            "lr_warmup_steps": 3,
            "num_train_epochs": 4,
            "gradient_accumulation_steps": 3,
            "train_batch_size": 1,
        },
        50,
        2,
    ),
    "script_restarts_scale_lr": (
        {
            "lr_scheduler": "cosine_with_restarts",
            "learning_rate": 1e-6,
            "scale_lr": True,
            "lr_warmup_steps": 2,
            "lr_num_cycles": 3,
            "max_train_steps": 40,
            "gradient_accumulation_steps": 2,
            "train_batch_size": 4,
        },
        64,
        4,
    ),
    "script_polynomial_uneven_shards": (
        {
            "lr_scheduler": "polynomial",
            "learning_rate": 2e-4,
            "lr_power": 2.0,
            "lr_warmup_steps": 4,
            "num_train_epochs": 3,
            "train_batch_size": 3,
        },
        70,
        3,
    ),
    "script_drop_last_mismatch": (
        {
            "lr_scheduler": "cosine",
            "learning_rate": 1e-4,
            "lr_warmup_steps": 0,
            "num_train_epochs": 2,
            "train_batch_size": 4,
            "drop_last": True,
        },
        42,
        4,
    ),
    "script_one_process": (
        {
            "lr_scheduler": "constant_with_warmup",
            "learning_rate": 3e-5,
            "lr_warmup_steps": 10,
            "max_train_steps": 25,
            "train_batch_size": 1,
        },
        9,
        1,
    ),
}

SCRIPT_DEFAULTS = {
    "lr_warmup_steps": 500,
    "max_train_steps": None,
    "num_train_epochs": 1,
    "gradient_accumulation_steps": 1,
    "lr_num_cycles": 1,
    "lr_power": 1.0,
    "scale_lr": False,
    "drop_last": False,
}


def optimizer_for(lrs: list[float]) -> torch.optim.Optimizer:
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in lrs]
    return torch.optim.SGD(groups, lr=lrs[0])


def schedule(function: str, keywords: dict, lrs: list[float], rows: int) -> dict:
    optimizer = optimizer_for(lrs)
    scheduler = getattr(optimization, function)(optimizer=optimizer, **keywords)
    table = []
    for row in range(rows):
        if row:
            scheduler.step()
        table.append([row, *(group["lr"] for group in optimizer.param_groups)])
    return {"columns": ["step"] + [f"lr_{i}" for i in range(len(lrs))], "rows": table}


def refusal(function: str, keywords: dict, lrs: list[float]) -> dict:
    try:
        getattr(optimization, function)(optimizer=optimizer_for(lrs), **keywords)
    except Exception as error:  # noqa: BLE001 - recording whatever diffusers raises
        return {"error": type(error).__name__, "message": str(error)}
    raise SystemExit(f"diffusers accepted {function}({keywords})")


def script(flags: dict, samples: int, processes: int) -> dict:
    """The training script's scheduler arithmetic and loop, on a mocked number of processes."""
    from accelerate import Accelerator
    from accelerate.state import AcceleratorState, GradientState, PartialState

    args = argparse.Namespace(**{**SCRIPT_DEFAULTS, **flags})
    AcceleratorState._reset_state(True)
    GradientState._reset_state()
    accelerator = Accelerator(gradient_accumulation_steps=args.gradient_accumulation_steps, cpu=True)
    for state in (PartialState, AcceleratorState):  # the mock: this process is process 0 of P
        state._shared_state["num_processes"] = processes
    assert accelerator.num_processes == processes
    model = torch.nn.Linear(1, 1, bias=False)
    if args.scale_lr:
        args.learning_rate = (
            args.learning_rate * args.gradient_accumulation_steps * args.train_batch_size * accelerator.num_processes
        )
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.learning_rate)
    train_dataloader = torch.utils.data.DataLoader(
        torch.zeros(samples, 1), batch_size=args.train_batch_size, drop_last=args.drop_last
    )
    batches = len(train_dataloader)

    # The scripts' arithmetic (diffusers PR 8312), before accelerator.prepare
    num_warmup_steps_for_scheduler = args.lr_warmup_steps * accelerator.num_processes
    if args.max_train_steps is None:
        len_train_dataloader_after_sharding = math.ceil(len(train_dataloader) / accelerator.num_processes)
        num_update_steps_per_epoch = math.ceil(len_train_dataloader_after_sharding / args.gradient_accumulation_steps)
        num_training_steps_for_scheduler = (
            args.num_train_epochs * num_update_steps_per_epoch * accelerator.num_processes
        )
    else:
        num_training_steps_for_scheduler = args.max_train_steps * accelerator.num_processes
    lr_scheduler = optimization.get_scheduler(
        args.lr_scheduler,
        optimizer=optimizer,
        num_warmup_steps=num_warmup_steps_for_scheduler,
        num_training_steps=num_training_steps_for_scheduler,
        num_cycles=args.lr_num_cycles,
        power=args.lr_power,
    )
    model, optimizer, train_dataloader, lr_scheduler = accelerator.prepare(
        model, optimizer, train_dataloader, lr_scheduler
    )
    num_update_steps_per_epoch = math.ceil(len(train_dataloader) / args.gradient_accumulation_steps)
    warned = False
    if args.max_train_steps is None:
        args.max_train_steps = args.num_train_epochs * num_update_steps_per_epoch
        warned = num_training_steps_for_scheduler != args.max_train_steps * accelerator.num_processes
    args.num_train_epochs = math.ceil(args.max_train_steps / num_update_steps_per_epoch)

    rows = [[0, lr_scheduler.get_last_lr()[0], lr_scheduler.scheduler.last_epoch]]
    global_step = 0
    for _epoch in range(args.num_train_epochs):
        for batch in train_dataloader:
            with accelerator.accumulate(model):
                accelerator.backward(model(batch).sum())
                optimizer.step()
                lr_scheduler.step()
                optimizer.zero_grad()
            if accelerator.sync_gradients:
                global_step += 1
                rows.append([global_step, lr_scheduler.get_last_lr()[0], lr_scheduler.scheduler.last_epoch])
            if global_step >= args.max_train_steps:
                break
    for state in (PartialState, AcceleratorState):
        state._shared_state["num_processes"] = 1
    return {
        "columns": ["global_step", "lr", "last_epoch"],
        "rows": rows,
        "seen": {
            "learning_rate": args.learning_rate,
            "num_warmup_steps": num_warmup_steps_for_scheduler,
            "num_training_steps": num_training_steps_for_scheduler,
            "batches_per_epoch": batches,
            "prepared_batches": len(train_dataloader),
            "max_train_steps": args.max_train_steps,
            "num_train_epochs": args.num_train_epochs,
            "warning": warned,
        },
    }


def main() -> None:
    schedules, refusals, scripts = harness.chosen(
        harness.parser(__doc__).parse_args().only, SCHEDULES, REFUSALS, SCRIPTS
    )
    GOLDEN.mkdir(parents=True, exist_ok=True)
    manifest = harness.read_manifest("diffusers", "cases", "refusals")
    import accelerate
    import diffusers

    manifest["versions"] = {
        "diffusers": diffusers.__version__,
        "accelerate": accelerate.__version__,
        "torch": torch.__version__,
    }
    for case, (function, keywords, lrs, rows) in schedules.items():
        result = schedule(function, keywords, lrs, rows)
        harness.write_csv(GOLDEN / f"{case}.csv", result["columns"], result["rows"])
        manifest["cases"][case] = {"function": function, "keywords": keywords, "lrs": lrs, "rows": rows}
    for case, (function, keywords, lrs) in refusals.items():
        manifest["refusals"][case] = {
            "function": function,
            "keywords": keywords,
            "lrs": lrs,
            **refusal(function, keywords, lrs),
        }
    for case, (flags, samples, processes) in scripts.items():
        result = script(flags, samples, processes)
        harness.write_csv(GOLDEN / f"{case}.csv", result["columns"], result["rows"])
        manifest["cases"][case] = {
            "script": flags,
            "samples": samples,
            "num_processes": processes,
            "seen": result["seen"],
        }
    harness.write_manifest("diffusers", manifest)


if __name__ == "__main__":
    main()
