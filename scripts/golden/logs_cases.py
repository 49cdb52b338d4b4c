"""Write tests/data/golden/logs/: learning-rate logs written by real training runs, for lrcli's log
readers and their comparison with a replay.

Each part runs from the repository's root, in an environment with its framework (the tests never
import them; the environments are pinned in scripts/golden/requirements-*.txt):

    /tmp/torch/bin/python -m scripts.golden.logs_cases transformers mmengine planted
    /tmp/light/bin/python -m scripts.golden.logs_cases lightning      # requirements-lightning.txt
    /tmp/ul/bin/python -m scripts.golden.logs_cases ultralytics ultralytics_planted  # as ultralytics_cases.py says
    # TensorBoard's writer needs the tensorboard package: installed in a venv of its own, put on the path
    python3 -m venv /tmp/tbv && /tmp/tbv/bin/pip install tensorboard==2.21.0
    PYTHONPATH=/tmp/tbv/lib/python3.11/site-packages /tmp/torch/bin/python -m scripts.golden.logs_cases tensorboard tensorboard_mmengine
    PYTHONPATH=/tmp/tbv/lib/python3.11/site-packages /tmp/light/bin/python -m scripts.golden.logs_cases tensorboard_lightning

- ``transformers``: a ``Trainer`` run of a one-parameter model (``logging_steps=1``), its
  ``trainer.save_state()`` ``trainer_state.json``.
- ``mmengine``: ``Runner`` runs (an iteration loop, and an epoch loop with an iteration warmup)
  of a one-parameter model with ``LoggerHook(interval=1)`` and a ``LocalVisBackend``: their
  ``vis_data/scalars.json``; each run's schedule is written as a config (``*_config.py``) that
  mmengine's ``Config.fromfile`` reads for the run.
- ``lightning``: a ``Trainer`` run with ``LearningRateMonitor(logging_interval="step")`` and a
  ``CSVLogger``: its ``metrics.csv``.
- ``tensorboard``: ``SummaryWriter`` in a loop of a real scheduler (two groups, tagged), and a
  ``Trainer`` run with ``report_to="tensorboard"``: their event files (``*.tfevents``).
- ``tensorboard_mmengine``: the mmengine iteration-loop run with a ``TensorboardVisBackend``.
- ``tensorboard_lightning``: the Lightning run above with a ``TensorBoardLogger`` and ``StepLR``.
- ``ultralytics``: ``yolov8n.yaml`` runs as in ``ultralytics_cases.py`` (SGD, and ``optimizer=auto``):
  their ``results.csv`` and ``args.yaml``.
- ``ultralytics_planted``: a real 8.4.102 run's per-batch lr (tests/data/golden/ultralytics) written
  as its ``results.csv``, against the 8.4.190 run's arguments: the 100-batch warmup minimum.
- ``planted``: plain step/lr files written by real torch/accelerate loops with a bug in the loop:
  a scheduler prepared by accelerate on 4 (mocked) processes that the config counted for one; a
  run resumed at update 12 with a new scheduler (its state not loaded); a log written at every
  batch of a loop that steps the scheduler every 3 batches (``"%.6f"``, so the log rounds).

``manifest.json`` names each file, what produced it (versions, the run's settings), how the
framework aligns its logged step with the scheduler (``row = step + offset``: the row being the
lr after that many ``scheduler.step()`` calls; Ultralytics' epoch ``e`` is batch row ``e * nb - 1``), and the lrcli engine call that replays the
intended schedule (``engine``, its ``params``, the optimizer ``lr``), and where a spec says it, the
arguments of ``lrcli check LOG`` (``check``; a config named there is a file beside the log).
"""

from __future__ import annotations

import argparse
import glob
import pathlib
import shutil
import tempfile
import warnings

from . import harness

GOLDEN = harness.folder("logs")


def one_parameter_model():
    import torch

    class One(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.w = torch.nn.Parameter(torch.ones(1))

        def forward(self, x, labels=None):
            return {"loss": ((self.w * x - labels) ** 2).mean()}

    return One()


def transformers_logs() -> dict:
    import torch
    import transformers
    from transformers import Trainer, TrainingArguments

    data = [{"x": torch.tensor([1.0]), "labels": torch.tensor([2.0])} for _ in range(8)]
    settings = {
        "max_steps": 12,
        "warmup_steps": 3,
        "learning_rate": 1e-3,
        "lr_scheduler_type": "cosine",
        "logging_steps": 1,
        "per_device_train_batch_size": 2,
    }
    with tempfile.TemporaryDirectory() as folder:
        args = TrainingArguments(
            output_dir=folder, report_to=[], save_strategy="no", use_cpu=True, disable_tqdm=True, **settings
        )
        trainer = Trainer(model=one_parameter_model(), args=args, train_dataset=data)
        trainer.train()
        trainer.save_state()
        shutil.copy(pathlib.Path(folder) / "trainer_state.json", GOLDEN / "transformers_trainer_state.json")
    return {
        "transformers_trainer_state.json": {
            "format": "transformers",
            "producer": {
                "transformers": transformers.__version__,
                "torch": torch.__version__,
                "TrainingArguments": settings,
            },
            "offset": -1,
            "engine": "transformers.get_cosine_schedule_with_warmup",
            "params": {"num_warmup_steps": 3, "num_training_steps": 12},
            "lr": 1e-3,
            "check": ["transformers.cosine(num_warmup_steps=3, num_training_steps=12)", "--lr", "0.001"],
        }
    }


def mmengine_train(config_name: str, folder: str, backend: str) -> None:
    """An mmengine ``Runner`` of a one-parameter model trained as the config in GOLDEN says
    (10 samples, batch 2), logging every iteration to ``backend``, its work_dir ``folder``."""
    import torch
    from mmengine.config import Config
    from mmengine.model import BaseModel
    from mmengine.runner import Runner

    class One(BaseModel):
        def __init__(self) -> None:
            super().__init__()
            self.w = torch.nn.Parameter(torch.ones(1))

        def forward(self, inputs, data_samples=None, mode="tensor"):
            return {"loss": ((self.w * inputs - 2) ** 2).mean()}

    config = Config.fromfile(GOLDEN / config_name)
    runner = Runner(
        model=One(),
        work_dir=folder,
        train_cfg=config.train_cfg,
        param_scheduler=config.param_scheduler,
        train_dataloader={
            "dataset": [{"inputs": torch.ones(1)} for _ in range(10)],
            "batch_size": 2,
            "sampler": {"type": "DefaultSampler", "shuffle": False},
            "collate_fn": {"type": "default_collate"},
        },
        optim_wrapper=config.optim_wrapper,
        default_hooks={
            "logger": {"type": "LoggerHook", "interval": 1},
            "checkpoint": {"type": "CheckpointHook", "interval": 1000},
        },
        visualizer={"type": "Visualizer", "vis_backends": [{"type": backend}]},
        log_level="WARNING",
    )
    runner.train()


def mmengine_logs() -> dict:
    import mmengine
    import torch

    runs = {
        "mmengine_iter_scalars.json": (
            {"by_epoch": False, "max_iters": 20},
            [
                {"type": "LinearLR", "start_factor": 0.001, "by_epoch": False, "begin": 0, "end": 5},
                {"type": "CosineAnnealingLR", "T_max": 15, "by_epoch": False, "begin": 5, "end": 20},
            ],
            {"epoch_length": 5, "max_epochs": None, "max_iters": 20},
        ),
        "mmengine_epoch_scalars.json": (
            {"by_epoch": True, "max_epochs": 4},
            [
                {"type": "LinearLR", "start_factor": 0.1, "by_epoch": False, "begin": 0, "end": 4},
                {"type": "MultiStepLR", "milestones": [2, 3], "gamma": 0.5, "by_epoch": True},
            ],
            {"epoch_length": 5, "max_epochs": 4, "max_iters": 20},
        ),
    }
    entries = {}
    for name, (train_cfg, param_scheduler, loop) in runs.items():
        # the run's schedule as a config file, which mmengine reads back for the run and lrcli check reads
        config_name = name.replace("_scalars.json", "_config.py")
        written = {
            "train_cfg": train_cfg,
            "param_scheduler": param_scheduler,
            "optim_wrapper": {"optimizer": {"type": "SGD", "lr": 0.1, "momentum": 0.9}},
        }
        (GOLDEN / config_name).write_text("".join(f"{key} = {value!r}\n" for key, value in written.items()))
        with tempfile.TemporaryDirectory() as folder:
            mmengine_train(config_name, folder, "LocalVisBackend")
            (scalars,) = glob.glob(f"{folder}/*/vis_data/scalars.json")
            shutil.copy(scalars, GOLDEN / name)
        entries[name] = {
            "format": "mmengine",
            "producer": {
                "mmengine": mmengine.__version__,
                "torch": torch.__version__,
                "train_cfg": train_cfg,
                "batches_per_epoch": 5,
            },
            "offset": -1,
            "engine": "mmengine.mmengine_schedule",
            "params": {"param_scheduler": param_scheduler, **loop},
            "lr": 0.1,
            "config": config_name,
            "check": [config_name, *(["--steps-per-epoch", "5"] if train_cfg["by_epoch"] else [])],
        }
    return entries


def lightning_logs() -> dict:
    import lightning
    import torch
    from lightning.pytorch.callbacks import LearningRateMonitor
    from lightning.pytorch.loggers import CSVLogger

    class One(lightning.LightningModule):
        def __init__(self) -> None:
            super().__init__()
            self.w = torch.nn.Parameter(torch.ones(1))

        def training_step(self, batch, index):
            loss = ((self.w * batch - 2) ** 2).mean()
            self.log("loss", loss)
            return loss

        def configure_optimizers(self):
            optimizer = torch.optim.SGD(self.parameters(), lr=0.1, momentum=0.9)
            scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=15)
            return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}

    with tempfile.TemporaryDirectory() as folder:
        trainer = lightning.Trainer(
            max_epochs=3,
            logger=CSVLogger(folder),
            log_every_n_steps=1,
            accelerator="cpu",
            callbacks=[LearningRateMonitor(logging_interval="step")],
            enable_progress_bar=False,
            enable_model_summary=False,
            enable_checkpointing=False,
        )
        trainer.fit(One(), torch.utils.data.DataLoader(torch.ones(10, 1), batch_size=2))
        (metrics,) = glob.glob(f"{folder}/**/metrics.csv", recursive=True)
        shutil.copy(metrics, GOLDEN / "lightning_metrics.csv")
    return {
        "lightning_metrics.csv": {
            "format": "lightning",
            "producer": {
                "lightning": lightning.__version__,
                "torch": torch.__version__,
                "scheduler": "OneCycleLR(max_lr=0.1, total_steps=15), interval step",
                "batches_per_epoch": 5,
                "max_epochs": 3,
            },
            "offset": 0,
            "engine": "torch.one_cycle_lr",
            "params": {"max_lr": 0.1, "total_steps": 15},
            "lr": 0.1,
            "check": ["onecycle(max_lr=0.1, total_steps=15)"],
        }
    }


def ultralytics_logs() -> dict:
    from . import ultralytics_cases

    runs = {
        "ultralytics": ({"optimizer": "SGD", "lr0": 0.01, "epochs": 4, "batch": 4}, []),
        "ultralytics_auto": ({"epochs": 4, "batch": 4}, ["--nc", "1"]),  # optimizer=auto; the dataset has 1 class
    }
    written = {}
    with tempfile.TemporaryDirectory() as folder:
        data = ultralytics_cases.dataset(pathlib.Path(folder) / "data")
        for name, (arguments, more) in runs.items():
            info, _, args_yaml = ultralytics_cases.train(data, str(pathlib.Path(folder) / "runs"), arguments)
            shutil.copy(pathlib.Path(folder) / "runs" / "run" / "results.csv", GOLDEN / f"{name}_results.csv")
            (GOLDEN / f"{name}_args.yaml").write_text(args_yaml)
            written[f"{name}_results.csv"] = {
                "format": "ultralytics",
                "producer": {
                    "ultralytics": ultralytics_cases.ultralytics.__version__,
                    "arguments": arguments,
                    "trainer": info,
                },
                "offset": None,
                "engine": "ultralytics.Training",
                "lr": info["initial_lrs"][0],
                "params": {
                    "nb": info["nb"],
                    **{
                        key: info["args"][key]
                        for key in (
                            "epochs",
                            "lrf",
                            "cos_lr",
                            "warmup_epochs",
                            "warmup_bias_lr",
                            "warmup_momentum",
                            "momentum",
                        )
                    },
                },
                "config": f"{name}_args.yaml",
                "check": [f"{name}_args.yaml", "--steps-per-epoch", str(info["nb"]), *more],
            }
    return written


def ultralytics_planted_logs() -> dict:
    """A ``results.csv`` of a real Ultralytics 8.4.102 run (each epoch's last batch of
    tests/data/golden/ultralytics/v8_4_102_sgd.csv, written as Ultralytics writes it, ``%.6g``),
    checked against its arguments (the 8.4.190 run's ``args.yaml`` with that run's 3 epochs): the
    100-batch warmup minimum of 8.4.8 to 8.4.102. Needs no framework."""
    import csv
    import json

    folder = harness.folder("ultralytics")
    run = json.loads((folder / "manifest.json").read_text())["older"]["v8_4_102_sgd"]
    nb, epochs = run["nb"], run["args"]["epochs"]
    with open(folder / "v8_4_102_sgd.csv", newline="") as file:
        batches = list(csv.DictReader(file))
    header = "epoch,time,lr/pg0,lr/pg1,lr/pg2"
    rows = []
    for epoch in range(1, epochs + 1):
        last = batches[epoch * nb - 1]  # the epoch's last batch
        rows.append(",".join([str(epoch), "0", *(format(float(last[f"lr_{group}"]), ".6g") for group in range(3))]))
    (GOLDEN / "planted_ultralytics_warmup.csv").write_text(header + "\n" + "\n".join(rows) + "\n")
    args_yaml = (GOLDEN / "ultralytics_args.yaml").read_text()
    assert "\nepochs: 4\n" in args_yaml
    (GOLDEN / "planted_ultralytics_warmup_args.yaml").write_text(
        args_yaml.replace("\nepochs: 4\n", f"\nepochs: {epochs}\n")
    )
    return {
        "planted_ultralytics_warmup.csv": {
            "format": "ultralytics",
            "producer": {"ultralytics": run["ultralytics"], "from": "tests/data/golden/ultralytics/v8_4_102_sgd.csv"},
            "offset": None,
            "engine": "ultralytics.Training",
            "lr": run["initial_lrs"][0],
            "cause": "ultralytics_warmup",
            "version": run["ultralytics"],
            "config": "planted_ultralytics_warmup_args.yaml",
            "check": ["planted_ultralytics_warmup_args.yaml", "--steps-per-epoch", str(nb)],
        }
    }


def planted_logs() -> dict:
    import accelerate
    import torch
    import transformers
    from accelerate import Accelerator
    from accelerate.state import AcceleratorState, GradientState, PartialState
    from transformers import get_cosine_schedule_with_warmup

    versions = {
        "torch": torch.__version__,
        "accelerate": accelerate.__version__,
        "transformers": transformers.__version__,
    }
    model = torch.nn.Linear(1, 1, bias=False)

    # 1. Prepared by accelerate on 4 processes, counted for one: 24 updates, the cosine over 24 steps.
    AcceleratorState._reset_state(True)
    GradientState._reset_state()
    accelerator = Accelerator(cpu=True)
    for state in (PartialState, AcceleratorState):
        state._shared_state["num_processes"] = 4
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-4)
    scheduler = get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=3, num_training_steps=24)
    model, optimizer, loader, scheduler = accelerator.prepare(
        model, optimizer, torch.utils.data.DataLoader(torch.ones(96, 1), batch_size=1), scheduler
    )
    rows = []
    for step, batch in enumerate(loader, start=1):
        with accelerator.accumulate(model):
            accelerator.backward(model(batch).sum())
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
        rows.append(f"{step},{scheduler.get_last_lr()[0]!r}")
    for state in (PartialState, AcceleratorState):
        state._shared_state["num_processes"] = 1
    (GOLDEN / "planted_processes.csv").write_text("step,lr\n" + "\n".join(rows) + "\n")

    # 2. Resumed at update 12 with a new optimizer and scheduler (the scheduler's state not loaded).
    def fresh() -> tuple:
        optimizer = torch.optim.SGD(torch.nn.Linear(1, 1).parameters(), lr=0.05)
        return optimizer, get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=4, num_training_steps=30)

    optimizer, scheduler = fresh()
    rows = []
    for update in range(30):
        if update == 12:
            optimizer, scheduler = fresh()
        rows.append(f"{update}\t{optimizer.param_groups[0]['lr']!r}")
        optimizer.step()
        scheduler.step()
    (GOLDEN / "planted_resume.tsv").write_text("step\tlr\n" + "\n".join(rows) + "\n")

    # 3. Logged at every batch, "%.6f"; the scheduler steps at every third batch (accumulation).
    optimizer = torch.optim.SGD(torch.nn.Linear(1, 1).parameters(), lr=0.3)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=8)
    rows = []
    for batch in range(24):
        rows.append(f"{batch},{optimizer.param_groups[0]['lr']:.6f}")
        if batch % 3 == 2:
            optimizer.step()
            scheduler.step()
    (GOLDEN / "planted_accumulation.csv").write_text("\n".join(rows) + "\n")

    return {
        "planted_processes.csv": {
            "format": "plain",
            "producer": {**versions, "loop": "accelerate, 4 mocked processes, 24 updates, get_last_lr()[0] after each"},
            "offset": 0,
            "engine": "transformers.get_cosine_schedule_with_warmup",
            "params": {"num_warmup_steps": 3, "num_training_steps": 24},
            "lr": 2e-4,
            "cause": "processes",
            "factor": 4,
            "check": ["transformers.cosine(num_warmup_steps=3, num_training_steps=24)", "--lr", "0.0002"],
        },
        "planted_resume.tsv": {
            "format": "plain",
            "producer": {
                **versions,
                "loop": "30 updates, a new optimizer and scheduler at update 12, the lr each update trains with",
            },
            "offset": 0,
            "engine": "transformers.get_cosine_schedule_with_warmup",
            "params": {"num_warmup_steps": 4, "num_training_steps": 30},
            "lr": 0.05,
            "cause": "resume",
            "at": 12,
            "check": ["transformers.cosine(num_warmup_steps=4, num_training_steps=30)", "--lr", "0.05"],
        },
        "planted_accumulation.csv": {
            "format": "plain",
            "producer": {**versions, "loop": "24 batches, scheduler.step() every 3rd, '%.6f'"},
            "offset": 0,
            "engine": "torch.cosine_annealing_lr",
            "params": {"T_max": 8},
            "lr": 0.3,
            "cause": "accumulation",
            "factor": 3,
            "check": ["cosine(T_max=8)", "--lr", "0.3"],
        },
    }


def tensorboard_scalars(path: pathlib.Path) -> dict:
    """Every scalar in an event file as TensorBoard's own reader reads it: tag -> [[step, value], ...]."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(path), size_guidance={"scalars": 0})
    events.Reload()
    return {tag: [[event.step, event.value] for event in events.Scalars(tag)] for tag in events.Tags()["scalars"]}


def tensorboard_logs() -> dict:
    """TensorBoard event files: ``torch.utils.tensorboard.SummaryWriter`` in a loop of a real
    scheduler (two param groups, the lr each step trains with, tagged ``lr/backbone`` and
    ``lr/head``, and a loss), and a transformers ``Trainer`` run with ``report_to="tensorboard"``."""
    import tensorboard
    import torch
    import transformers
    from torch.utils.tensorboard import SummaryWriter
    from transformers import Trainer, TrainingArguments

    versions = {"torch": torch.__version__, "tensorboard": tensorboard.__version__}
    written = {}
    with tempfile.TemporaryDirectory() as folder:
        model = torch.nn.Linear(1, 1)
        optimizer = torch.optim.SGD([{"params": [model.weight]}, {"params": [model.bias], "lr": 0.01}], lr=0.1)
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10)
        writer = SummaryWriter(folder)
        for step in range(12):
            writer.add_scalar("loss", 1.0 / (step + 1), step)
            writer.add_scalar("lr/backbone", optimizer.param_groups[0]["lr"], step)
            writer.add_scalar("lr/head", optimizer.param_groups[1]["lr"], step)
            optimizer.step()
            scheduler.step()
        writer.close()
        (events,) = glob.glob(f"{folder}/events.out.tfevents.*")
        shutil.copy(events, GOLDEN / "tensorboard_summarywriter.tfevents")
    written["tensorboard_summarywriter.tfevents"] = {
        "format": "tensorboard",
        "producer": {**versions, "loop": "12 steps, add_scalar of each group's lr before scheduler.step()"},
        "offset": 0,
        "engine": "torch.cosine_annealing_lr",
        "params": {"T_max": 10},
        "lr": 0.01,
        "scalars": tensorboard_scalars(GOLDEN / "tensorboard_summarywriter.tfevents"),
        "check": ["cosine(T_max=10)", "--lr", "0.01", "--column", "lr/head"],
    }

    data = [{"x": torch.tensor([1.0]), "labels": torch.tensor([2.0])} for _ in range(8)]
    settings = {
        "max_steps": 10,
        "warmup_steps": 2,
        "learning_rate": 3e-4,
        "lr_scheduler_type": "linear",
        "logging_steps": 1,
        "per_device_train_batch_size": 2,
    }
    with tempfile.TemporaryDirectory() as folder:
        args = TrainingArguments(
            output_dir=folder,
            report_to=["tensorboard"],
            save_strategy="no",
            use_cpu=True,
            disable_tqdm=True,
            **settings,
        )
        Trainer(model=one_parameter_model(), args=args, train_dataset=data).train()
        (events,) = glob.glob(f"{folder}/**/events.out.tfevents.*", recursive=True)
        shutil.copy(events, GOLDEN / "tensorboard_transformers.tfevents")
    written["tensorboard_transformers.tfevents"] = {
        "format": "tensorboard",
        "producer": {**versions, "transformers": transformers.__version__, "TrainingArguments": settings},
        "offset": -1,
        "engine": "transformers.get_linear_schedule_with_warmup",
        "params": {"num_warmup_steps": 2, "num_training_steps": 10},
        "lr": 3e-4,
        "scalars": tensorboard_scalars(GOLDEN / "tensorboard_transformers.tfevents"),
        "check": ["transformers.linear(num_warmup_steps=2, num_training_steps=10)", "--lr", "0.0003"],
    }
    return written


def tensorboard_mmengine_logs() -> dict:
    """The mmengine iteration-loop run of ``mmengine_iter_config.py`` (written by the ``mmengine``
    part) with a ``TensorboardVisBackend``: its event file."""
    import mmengine
    import tensorboard
    import torch

    name = "tensorboard_mmengine.tfevents"
    with tempfile.TemporaryDirectory() as folder:
        mmengine_train("mmengine_iter_config.py", folder, "TensorboardVisBackend")
        (events,) = glob.glob(f"{folder}/**/events.out.tfevents.*", recursive=True)
        shutil.copy(events, GOLDEN / name)
    iter_run = harness.read_manifest("logs", "logs")["logs"]["mmengine_iter_scalars.json"]
    return {
        name: {
            "format": "tensorboard",
            "producer": {
                "mmengine": mmengine.__version__,
                "torch": torch.__version__,
                "tensorboard": tensorboard.__version__,
                "train_cfg": iter_run["producer"]["train_cfg"],
            },
            "offset": -1,
            "engine": "mmengine.mmengine_schedule",
            "params": iter_run["params"],
            "lr": 0.1,
            "config": "mmengine_iter_config.py",
            "scalars": tensorboard_scalars(GOLDEN / name),
            "check": ["mmengine_iter_config.py"],
        }
    }


def tensorboard_lightning_logs() -> dict:
    """A Lightning ``Trainer`` run with ``LearningRateMonitor(logging_interval="step")`` and a
    ``TensorBoardLogger``: its event file."""
    import lightning
    import tensorboard
    import torch
    from lightning.pytorch.callbacks import LearningRateMonitor
    from lightning.pytorch.loggers import TensorBoardLogger

    class One(lightning.LightningModule):
        def __init__(self) -> None:
            super().__init__()
            self.w = torch.nn.Parameter(torch.ones(1))

        def training_step(self, batch, index):
            return ((self.w * batch - 2) ** 2).mean()

        def configure_optimizers(self):
            optimizer = torch.optim.SGD(self.parameters(), lr=0.1, momentum=0.9)
            scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5)
            return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}

    with tempfile.TemporaryDirectory() as folder:
        trainer = lightning.Trainer(
            max_epochs=3,
            logger=TensorBoardLogger(folder),
            log_every_n_steps=1,
            accelerator="cpu",
            callbacks=[LearningRateMonitor(logging_interval="step")],
            enable_progress_bar=False,
            enable_model_summary=False,
            enable_checkpointing=False,
        )
        trainer.fit(One(), torch.utils.data.DataLoader(torch.ones(10, 1), batch_size=2))
        (events,) = glob.glob(f"{folder}/**/events.out.tfevents.*", recursive=True)
        shutil.copy(events, GOLDEN / "tensorboard_lightning.tfevents")
    return {
        "tensorboard_lightning.tfevents": {
            "format": "tensorboard",
            "producer": {
                "lightning": lightning.__version__,
                "torch": torch.__version__,
                "tensorboard": tensorboard.__version__,
                "scheduler": "StepLR(step_size=4, gamma=0.5), interval step",
                "batches_per_epoch": 5,
                "max_epochs": 3,
            },
            "offset": 0,
            "engine": "torch.step_lr",
            "params": {"step_size": 4, "gamma": 0.5},
            "lr": 0.1,
            "scalars": tensorboard_scalars(GOLDEN / "tensorboard_lightning.tfevents"),
            "check": ["step(step_size=4, gamma=0.5)"],
        }
    }


PARTS = {
    "tensorboard": tensorboard_logs,
    "tensorboard_mmengine": tensorboard_mmengine_logs,
    "tensorboard_lightning": tensorboard_lightning_logs,
    "transformers": transformers_logs,
    "mmengine": mmengine_logs,
    "lightning": lightning_logs,
    "ultralytics": ultralytics_logs,
    "ultralytics_planted": ultralytics_planted_logs,
    "planted": planted_logs,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="+", choices=sorted(PARTS))
    warnings.filterwarnings("ignore")
    GOLDEN.mkdir(parents=True, exist_ok=True)
    manifest = harness.read_manifest("logs", "logs")
    for part in parser.parse_args().parts:
        manifest["logs"].update(PARTS[part]())
    harness.write_manifest("logs", manifest)


if __name__ == "__main__":
    main()
