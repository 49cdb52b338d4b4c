"""Write tests/data/golden/accelerate/: how accelerate's AcceleratedScheduler steps a scheduler in a
real loop, batch by batch, on a mocked number of processes.

Run by hand from the repository's root, in an environment with accelerate and diffusers (the tests
never import them):

    python -m venv /tmp/diff && /tmp/diff/bin/pip install torch==2.13.0
    /tmp/diff/bin/pip install -r scripts/golden/requirements-diffusers.txt
    /tmp/diff/bin/python -m scripts.golden.accelerate_cases [--only NAME…]

Each case makes an ``Accelerator`` (CPU) with the case's options, patches the number of processes
into accelerate's ``PartialState`` and ``AcceleratorState`` (this process is process 0 of P: the
dataloader is sharded so, and ``AcceleratedScheduler`` reads P), prepares a one-parameter model,
an SGD optimizer (momentum 0.9), a dataloader of ``batches × P`` ones (batch size 1, or P with
``split_batches``) and the case's scheduler, then runs the documented loop: each batch inside
``accelerator.accumulate(model)``, ``accelerator.backward``, ``optimizer.step()``,
``scheduler.step()``, ``optimizer.zero_grad()``. Cases with ``skipped`` updates give the
accelerator a CPU ``GradScaler`` and feed an infinite input at the synchronising batch of those
updates, so that the scaler really skips them. Row 0 is the prepared scheduler before the loop,
row b the state after batch b: ``sync`` (gradients synchronised), ``skipped``
(``optimizer.step_was_skipped``), the wrapped scheduler's ``last_epoch`` and ``_step_count``, the
lr and the momentum of the param group.
"""

from __future__ import annotations

import warnings

import torch

from . import harness

GOLDEN = harness.folder("accelerate")

# name: (scheduler, its keywords, loop options)
CASES: dict[str, tuple[str, dict, dict]] = {
    "step_8_processes": ("StepLR", {"step_size": 5, "gamma": 0.5}, {"processes": 8, "batches": 6, "epochs": 2}),
    "cosine_4_processes_split_batches": (
        "CosineAnnealingLR",
        {"T_max": 40, "eta_min": 1e-4},
        {"processes": 4, "batches": 7, "epochs": 3, "split_batches": True},
    ),
    "cosine_accumulation_uneven": (
        "CosineAnnealingLR",
        {"T_max": 25},
        {"processes": 2, "batches": 7, "epochs": 3, "accumulation": 3},
    ),
    "exponential_no_dataloader_sync": (
        "ExponentialLR",
        {"gamma": 0.9},
        {"processes": 4, "batches": 7, "epochs": 2, "accumulation": 3, "sync_with_dataloader": False},
    ),
    "step_skipped_updates": (
        "StepLR",
        {"step_size": 6, "gamma": 0.1},
        {"processes": 4, "batches": 8, "epochs": 2, "accumulation": 2, "skipped": [2, 5, 6]},
    ),
    "onecycle_cap": ("OneCycleLR", {"max_lr": 0.1, "total_steps": 30}, {"processes": 4, "batches": 5, "epochs": 3}),
    "onecycle_cap_adjust_scheduler": (
        "OneCycleLR",
        {"max_lr": 0.05, "total_steps": 20},
        {"processes": 3, "batches": 6, "epochs": 2, "accumulation": 2, "adjust_scheduler": True},
    ),
    "step_without_optimizer": (
        "StepLR",
        {"step_size": 3, "gamma": 0.5},
        {"processes": 4, "batches": 5, "epochs": 2, "accumulation": 2, "step_with_optimizer": False},
    ),
    "diffusers_cosine_uncompensated": (
        "get_scheduler",
        {"name": "cosine", "num_warmup_steps": 2, "num_training_steps": 20},
        {"processes": 8, "batches": 5, "epochs": 4},
    ),
    "diffusers_piecewise_accumulation": (
        "get_scheduler",
        {"name": "piecewise_constant", "step_rules": "1:6,0.5:12,0.1"},
        {"processes": 2, "batches": 5, "epochs": 2, "accumulation": 2},
    ),
}

LOOP_DEFAULTS = {
    "split_batches": False,
    "accumulation": 1,
    "sync_with_dataloader": True,
    "skipped": [],
    "adjust_scheduler": None,
    "step_with_optimizer": True,
}


def make_scheduler(name: str, keywords: dict, optimizer: torch.optim.Optimizer):
    if name == "get_scheduler":
        from diffusers.optimization import get_scheduler

        return get_scheduler(optimizer=optimizer, **keywords)
    return getattr(torch.optim.lr_scheduler, name)(optimizer, **keywords)


def run(name: str, keywords: dict, loop: dict) -> dict:
    from accelerate import Accelerator
    from accelerate.state import AcceleratorState, GradientState, PartialState
    from accelerate.utils import DataLoaderConfiguration, GradientAccumulationPlugin

    loop = {**LOOP_DEFAULTS, **loop}
    processes = loop["processes"]
    AcceleratorState._reset_state(True)
    GradientState._reset_state()
    plugin = {"num_steps": loop["accumulation"], "sync_with_dataloader": loop["sync_with_dataloader"]}
    if loop["adjust_scheduler"] is not None:
        plugin["adjust_scheduler"] = loop["adjust_scheduler"]
    accelerator = Accelerator(
        cpu=True,
        gradient_accumulation_plugin=GradientAccumulationPlugin(**plugin),
        dataloader_config=DataLoaderConfiguration(split_batches=loop["split_batches"]),
        step_scheduler_with_optimizer=loop["step_with_optimizer"],
    )
    for state in (PartialState, AcceleratorState):  # the mock: this process is process 0 of P
        state._shared_state["num_processes"] = processes
    if loop["skipped"]:
        accelerator.scaler = torch.amp.GradScaler("cpu")
    model = torch.nn.Linear(1, 1, bias=False)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = make_scheduler(name, keywords, optimizer)
    batch_size = processes if loop["split_batches"] else 1
    dataloader = torch.utils.data.DataLoader(torch.ones(loop["batches"] * processes, 1), batch_size=batch_size)
    model, optimizer, dataloader, scheduler = accelerator.prepare(model, optimizer, dataloader, scheduler)
    assert len(dataloader) == loop["batches"], len(dataloader)
    assert accelerator.gradient_state.adjust_scheduler is False  # never passed on (see lrcli/loops.py)

    def state(sync: bool, skipped: bool) -> list:
        inner = scheduler.scheduler
        group = optimizer.param_groups[0]
        return [sync, skipped, inner.last_epoch, inner._step_count, group["lr"], group["momentum"]]

    rows, update = [[0, *state(True, False)]], 0
    for _ in range(loop["epochs"]):
        for batch in dataloader:
            with accelerator.accumulate(model):
                sync = accelerator.sync_gradients
                update += sync
                planted = sync and update in loop["skipped"]
                accelerator.backward(model(batch * (float("inf") if planted else 1.0)).sum())
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
            rows.append([len(rows), *state(sync, bool(sync and optimizer.step_was_skipped))])
            assert planted == rows[-1][2], (update, planted)
    for state_class in (PartialState, AcceleratorState):
        state_class._shared_state["num_processes"] = 1
    return {"columns": ["batch", "sync", "skipped", "last_epoch", "step_count", "lr", "momentum"], "rows": rows}


def main() -> None:
    [cases] = harness.chosen(harness.parser(__doc__).parse_args().only, CASES)
    warnings.filterwarnings("ignore")
    GOLDEN.mkdir(parents=True, exist_ok=True)
    manifest = harness.read_manifest("accelerate")
    import accelerate
    import diffusers

    manifest["versions"] = {
        "accelerate": accelerate.__version__,
        "diffusers": diffusers.__version__,
        "torch": torch.__version__,
    }
    for case, (name, keywords, loop) in cases.items():
        result = run(name, keywords, loop)  # (counts and flags as numbers, then the lr and momentum)
        rows = ([batch, int(sync), int(skipped), *rest] for batch, sync, skipped, *rest in result["rows"])
        harness.write_csv(GOLDEN / f"{case}.csv", result["columns"], rows, index=5)
        manifest["cases"][case] = {"scheduler": name, "keywords": keywords, "loop": loop}
    harness.write_manifest("accelerate", manifest)


if __name__ == "__main__":
    main()
