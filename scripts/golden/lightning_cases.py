"""Write tests/data/golden/lightning/: the lr of each batch in a real Lightning fit, its scheduler
stepped as the lr scheduler config's ``interval`` and ``frequency`` say.

Run by hand from the repository's root, in the environment of requirements-lightning.txt (the
tests never import Lightning):

    /tmp/light/bin/python -m scripts.golden.lightning_cases [--only NAME…]

Each case is an lrcli command line and the Lightning run it stands for: a one-parameter
``LightningModule`` whose ``configure_optimizers`` returns SGD (lr 0.1) and the case's torch
scheduler with its ``interval`` and ``frequency``, fitted on CPU by a ``Trainer`` with
``accumulate_grad_batches`` over ``batches`` batches an epoch for ``epochs`` epochs. A callback
records the param group's lr at each ``on_train_batch_start``: row b is the lr batch b trains
with, the ``step`` a ``Trainer`` logs beside it counting the optimizer steps done before it.
"""

from __future__ import annotations

import logging
import warnings

import torch

from . import harness

GOLDEN = harness.folder("lightning")

# name: (lrcli arguments, the torch scheduler, its keywords, the Lightning loop)
CASES: dict[str, tuple[list[str], str, dict, dict]] = {
    "step_frequency_1_accumulation_2_uneven": (
        ["step", "--step-size", "2", "--gamma", "0.5", "--steps-per-epoch", "5", "--epochs", "3"]
        + ["--lightning-interval", "step", "--accumulation", "2"],
        "StepLR",
        {"step_size": 2, "gamma": 0.5},
        {"interval": "step", "frequency": 1, "accumulation": 2, "batches": 5, "epochs": 3},
    ),
    "cosine_frequency_2_accumulation_2": (
        ["cosine", "--t-max", "12", "--steps-per-epoch", "6", "--epochs", "3"]
        + ["--lightning-interval", "step", "--lightning-frequency", "2", "--accumulation", "2"],
        "CosineAnnealingLR",
        {"T_max": 12},
        {"interval": "step", "frequency": 2, "accumulation": 2, "batches": 6, "epochs": 3},
    ),
    "exponential_frequency_3_accumulation_2": (
        ["exp", "--gamma", "0.8", "--steps-per-epoch", "7", "--epochs", "3"]
        + ["--lightning-interval", "step", "--lightning-frequency", "3", "--accumulation", "2"],
        "ExponentialLR",
        {"gamma": 0.8},
        {"interval": "step", "frequency": 3, "accumulation": 2, "batches": 7, "epochs": 3},
    ),
    "multistep_frequency_3_last_batch": (
        ["multistep", "--milestones", "2,3,5", "--gamma", "0.5", "--steps-per-epoch", "9", "--epochs", "3"]
        + ["--lightning-interval", "step", "--lightning-frequency", "3", "--accumulation", "2"],
        "MultiStepLR",
        {"milestones": [2, 3, 5], "gamma": 0.5},
        {"interval": "step", "frequency": 3, "accumulation": 2, "batches": 9, "epochs": 3},
    ),
    "cosine_frequency_4_no_accumulation": (
        ["cosine", "--t-max", "5", "--eta-min", "0.001", "--steps-per-epoch", "10", "--epochs", "2"]
        + ["--lightning-interval", "step", "--lightning-frequency", "4"],
        "CosineAnnealingLR",
        {"T_max": 5, "eta_min": 0.001},
        {"interval": "step", "frequency": 4, "accumulation": 1, "batches": 10, "epochs": 2},
    ),
    "step_epoch_interval_accumulation_2": (
        ["step", "--step-size", "2", "--gamma", "0.5", "--steps-per-epoch", "3", "--epochs", "6"]
        + ["--lightning-interval", "epoch", "--accumulation", "2"],
        "StepLR",
        {"step_size": 2, "gamma": 0.5},
        {"interval": "epoch", "frequency": 1, "accumulation": 2, "batches": 3, "epochs": 6},
    ),
    "exponential_epoch_interval_frequency_2": (
        ["exp", "--gamma", "0.5", "--steps-per-epoch", "4", "--epochs", "5"]
        + ["--lightning-interval", "epoch", "--lightning-frequency", "2"],
        "ExponentialLR",
        {"gamma": 0.5},
        {"interval": "epoch", "frequency": 2, "accumulation": 1, "batches": 4, "epochs": 5},
    ),
}


def run(name: str, keywords: dict, loop: dict) -> dict:
    import lightning

    lrs: list[list] = []

    class One(lightning.LightningModule):
        def __init__(self) -> None:
            super().__init__()
            self.weight = torch.nn.Parameter(torch.ones(1))

        def training_step(self, batch, batch_idx):
            return (self.weight * batch).sum()

        def train_dataloader(self):
            return torch.utils.data.DataLoader(torch.ones(loop["batches"], 1), batch_size=1)

        def configure_optimizers(self):
            optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
            scheduler = getattr(torch.optim.lr_scheduler, name)(optimizer, **keywords)
            config = {"scheduler": scheduler, "interval": loop["interval"], "frequency": loop["frequency"]}
            return {"optimizer": optimizer, "lr_scheduler": config}

    class Record(lightning.Callback):
        def on_train_batch_start(self, trainer, module, batch, batch_idx):
            group = trainer.optimizers[0].param_groups[0]
            lrs.append([len(lrs), trainer.current_epoch, batch_idx, trainer.global_step, group["lr"]])

    trainer = lightning.Trainer(
        accelerator="cpu",
        devices=1,
        max_epochs=loop["epochs"],
        accumulate_grad_batches=loop["accumulation"],
        callbacks=[Record()],
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
    )
    trainer.fit(One())
    assert len(lrs) == loop["batches"] * loop["epochs"], len(lrs)
    return {"columns": ["batch", "epoch", "batch_idx", "step", "lr"], "rows": lrs}


def main() -> None:
    [cases] = harness.chosen(harness.parser(__doc__).parse_args().only, CASES)
    warnings.filterwarnings("ignore")
    logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    manifest = harness.read_manifest("lightning")
    import lightning

    manifest["versions"] = {"lightning": lightning.__version__, "torch": torch.__version__}
    for case, (arguments, name, keywords, loop) in cases.items():
        result = run(name, keywords, loop)
        harness.write_csv(GOLDEN / f"{case}.csv", result["columns"], result["rows"], index=4)
        manifest["cases"][case] = {"lrcli": arguments, "scheduler": name, "keywords": keywords, "loop": loop}
    harness.write_manifest("lightning", manifest)


if __name__ == "__main__":
    main()
