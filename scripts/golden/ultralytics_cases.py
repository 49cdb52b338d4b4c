"""Write tests/data/golden/ultralytics/: the lr and momentum of every param group at every batch
of real Ultralytics 8.4.190 training runs.

Run by hand from the repository's root (the tests never import ultralytics):

    python -m venv /tmp/ul && /tmp/ul/bin/pip install torch==2.13.0
    /tmp/ul/bin/pip install --no-deps -r scripts/golden/requirements-ultralytics-nodeps.txt   # ultralytics, torchvision
    /tmp/ul/bin/pip install -r scripts/golden/requirements-ultralytics.txt
    /tmp/ul/bin/python -m scripts.golden.ultralytics_cases [--only NAME…]

Each case trains a ``yolov8n.yaml`` model (no weights) on CPU, for a few epochs, on a synthetic
dataset of 20 random 32×32 images with one box each, with the case's ``yolo train`` arguments, and
records from an ``on_train_batch_end`` callback each group's ``lr`` and its ``momentum`` (or
``betas[0]``), which the batch trained with. PyPI's torchvision is built for the CUDA torch: its
C++ ops do not load beside the CPU one, so this script defines the two operators its import
registers (``nms``, with a plain torch implementation that only the final validation calls, and
``qnms``) before importing it. ``<case>.csv`` has the columns ``step,epoch,lr_0,…,momentum_0,…``;
``manifest.json`` has each case's arguments and what the trainer made of them (batches per epoch,
warmup batches, optimizer, each group's name and initial lr, the arguments after ``optimizer=auto``),
and ``commands``: each case as an lrcli command line (``lrcli ultralytics key=value … --iters-per-epoch
nb --show-momentum``) whose CSV is the case's. The ``args.yaml`` the trainer saved for the cases in
``SAVED`` is kept in tests/data/configs/ultralytics/CASE/ (its temporary folder written
``/tmp/ultralytics-golden``), and read by a command line of its own.
"""

from __future__ import annotations

import pathlib
import tempfile

import numpy as np
import torch

from . import harness

LIB = torch.library.Library("torchvision", "DEF")
LIB.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
LIB.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")


def nms(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """Greedy non-maximum suppression (validation only: it does not touch the schedule)."""

    def area(box: torch.Tensor) -> torch.Tensor:
        return (box[..., 2] - box[..., 0]) * (box[..., 3] - box[..., 1])

    order, keep = scores.argsort(descending=True), []
    while order.numel():
        best, rest = order[0], order[1:]
        keep.append(int(best))
        low = torch.maximum(boxes[best, :2], boxes[rest, :2])
        high = torch.minimum(boxes[best, 2:], boxes[rest, 2:])
        inter = (high - low).clamp(min=0).prod(dim=-1)
        order = rest[inter / (area(boxes[best]) + area(boxes[rest]) - inter) <= iou_threshold]
    return torch.tensor(keep, dtype=torch.long)


LIB.impl("nms", nms, "CPU")

import torchvision.extension  # noqa: E402

torchvision.extension._has_ops = lambda: True  # nms is defined above; no other op is called

import ultralytics  # noqa: E402
from ultralytics import YOLO  # noqa: E402

GOLDEN = harness.folder("ultralytics")

COMMON = {
    "imgsz": 32,
    "device": "cpu",
    "workers": 0,
    "val": False,
    "plots": False,
    "amp": False,
    "verbose": False,
    "seed": 0,
}

CASES: dict[str, dict] = {
    "sgd_linear": {"optimizer": "SGD", "lr0": 0.01, "epochs": 6, "batch": 4},
    "sgd_cos_half_warmup": {
        "optimizer": "SGD",
        "lr0": 0.02,
        "lrf": 0.05,
        "cos_lr": True,
        "epochs": 8,
        "batch": 4,
        "warmup_epochs": 2.5,
    },
    "sgd_warmup_capped": {"optimizer": "SGD", "lr0": 0.01, "epochs": 2, "batch": 3},
    "sgd_no_warmup": {"optimizer": "SGD", "lr0": 0.01, "epochs": 4, "batch": 4, "warmup_epochs": 0},
    "sgd_one_epoch": {"optimizer": "SGD", "lr0": 0.01, "epochs": 1, "batch": 4},
    "sgd_custom_warmup": {
        "optimizer": "SGD",
        "lr0": 0.005,
        "epochs": 5,
        "batch": 8,
        "warmup_epochs": 1.7,
        "warmup_bias_lr": 0.2,
        "warmup_momentum": 0.5,
        "momentum": 0.95,
        "lrf": 0.1,
    },
    "sgd_cos_long": {"optimizer": "SGD", "lr0": 0.01, "cos_lr": True, "epochs": 20, "batch": 8},
    "adam": {"optimizer": "Adam", "lr0": 0.001, "momentum": 0.9, "epochs": 5, "batch": 4},
    "rmsprop": {"optimizer": "RMSprop", "lr0": 0.001, "epochs": 4, "batch": 4, "warmup_epochs": 1},
    "auto": {"epochs": 5, "batch": 4},
    "musgd": {"optimizer": "MuSGD", "lr0": 0.01, "epochs": 4, "batch": 4, "warmup_epochs": 1.5},
}

LATEST = "8.4.190"

OLDER: dict[str, tuple[str, dict]] = {
    "v8_4_102_sgd": ("8.4.102", {"optimizer": "SGD", "lr0": 0.01, "epochs": 3, "batch": 4}),
    "v8_4_102_no_warmup": ("8.4.102", {"optimizer": "SGD", "lr0": 0.01, "epochs": 3, "batch": 4, "warmup_epochs": 0}),
    "v8_4_102_cos_long_warmup": (
        "8.4.102",
        {"optimizer": "SGD", "lr0": 0.02, "cos_lr": True, "epochs": 25, "batch": 4, "warmup_epochs": 21},
    ),
    "v8_4_7_auto": ("8.4.7", {"epochs": 3, "batch": 4}),
    "v8_4_1_sgd": ("8.4.1", {"optimizer": "SGD", "lr0": 0.01, "epochs": 3, "batch": 4, "warmup_bias_lr": 0.05}),
    "v8_4_0_auto": ("8.4.0", {"epochs": 3, "batch": 4}),
    "v8_4_3_auto_cos": ("8.4.3", {"epochs": 4, "batch": 4, "cos_lr": True, "warmup_epochs": 1.5}),
    "v8_3_253_sgd": ("8.3.253", {"optimizer": "SGD", "lr0": 0.01, "epochs": 3, "batch": 4}),
    "v8_1_41_warmup_mid_epoch": (
        "8.1.41",
        {"optimizer": "SGD", "lr0": 0.01, "epochs": 17, "batch": 3, "warmup_bias_lr": 0.05, "momentum": 0.9},
    ),
    "v8_1_0_no_warmup": (
        "8.1.0",
        {"optimizer": "SGD", "lr0": 0.01, "cos_lr": True, "epochs": 4, "batch": 4, "warmup_epochs": 0},
    ),
    "v8_1_42_adam": ("8.1.42", {"optimizer": "Adam", "lr0": 0.002, "epochs": 3, "batch": 4, "warmup_epochs": 1}),
    "v8_1_47_sgd_cos": (
        "8.1.47",
        {"optimizer": "SGD", "lr0": 0.01, "cos_lr": True, "epochs": 4, "batch": 4, "warmup_bias_lr": 0.05},
    ),
    "v8_3_253_adamw": (
        "8.3.253",
        {"optimizer": "AdamW", "lr0": 0.002, "epochs": 3, "batch": 4, "warmup_bias_lr": 0.05},
    ),
}
"""Cases of earlier releases (name: (version, arguments)), each run by that release's trainer (its
wheel unpacked first on PYTHONPATH; 8.1 also imports tqdm, py-cpuinfo and pandas, which 8.4 does
not need: put them on PYTHONPATH after it; 8.1.0 also hub_sdk, whose ``HUBClient`` must not be
signed in: the cases were run with a stub package of ``HUB_WEB_ROOT``, ``HUB_API_ROOT`` and a
``HUBClient`` whose ``authenticated`` is False); their command lines give --ultralytics-version, their
information is the manifest's ``older``."""


RESUMED: dict[str, tuple[dict, int]] = {
    "resumed_in_warmup": ({"optimizer": "SGD", "lr0": 0.01, "epochs": 5, "batch": 4}, 2),
    "resumed_after_warmup": ({"optimizer": "SGD", "lr0": 0.02, "cos_lr": True, "epochs": 6, "batch": 4}, 4),
}
"""Runs stopped at the start of an epoch (name: (arguments, epoch)), their ``last.pt`` (saved at the
end of the epoch before) then trained on with ``YOLO(last.pt).train(resume=True)``: each CSV holds
the resumed run's batches, numbered from the epoch's first; their command lines give ``resume=True
--resume-at STEP --start STEP``; their information is the manifest's ``resumed``."""


class Stop(Exception):
    """Raised from a callback to interrupt a run."""


SAVED = ("sgd_cos_half_warmup", "auto")
"""The cases whose args.yaml is kept as test data."""

NC = 1
"""The synthetic dataset's class count (``--nc`` for ``optimizer=auto``)."""


def command(name: str, arguments: dict, nb: int, version: str = LATEST) -> list[str]:
    """The lrcli command line of a case: its arguments as ``yolo train`` words (or, for a case in
    ``SAVED``, its args.yaml), the batches per epoch, the momentum, the class count for auto, and
    the release if it is not the latest."""
    words = (
        [f"{{configs}}/ultralytics/{name}/args.yaml"]
        if name in SAVED
        else [f"{key}={value}" for key, value in arguments.items()]
    )
    auto = arguments.get("optimizer", "auto") == "auto"
    return [
        "ultralytics",
        *words,
        "--iters-per-epoch",
        str(nb),
        "--show-momentum",
        *(["--nc", str(NC)] if auto else []),
        *(["--ultralytics-version", version] if version != LATEST else []),
    ]


def dataset(folder: pathlib.Path) -> str:
    from PIL import Image

    rng = np.random.default_rng(0)
    for split, count in (("train", 20), ("val", 4)):
        (folder / "images" / split).mkdir(parents=True)
        (folder / "labels" / split).mkdir(parents=True)
        for i in range(count):
            image = rng.integers(0, 255, (32, 32, 3), dtype=np.uint8)
            Image.fromarray(image).save(folder / "images" / split / f"{i}.jpg")
            (folder / "labels" / split / f"{i}.txt").write_text("0 0.5 0.5 0.4 0.4\n")
    (folder / "data.yaml").write_text(f"path: {folder}\ntrain: images/train\nval: images/val\nnames:\n  0: thing\n")
    return str(folder / "data.yaml")


def train(data: str, project: str, arguments: dict, stop_at: int | None = None) -> tuple[dict, list[list], str]:
    """A run's information, its rows and its args.yaml; with ``stop_at``, the run stopped at the
    start of that epoch and resumed from its ``last.pt``, the resumed run's rows and information."""
    rows, info = [], {}

    def started(trainer) -> None:
        nb = len(trainer.train_loader)
        info.update(
            nb=nb,
            nw=trainer._get_warmup_iterations(nb) if hasattr(trainer, "_get_warmup_iterations") else None,
            optimizer=type(trainer.optimizer).__name__,
            groups=[group.get("param_group") for group in trainer.optimizer.param_groups],
            initial_lrs=[group["initial_lr"] for group in trainer.optimizer.param_groups],
            args={
                key: getattr(trainer.args, key)
                for key in (
                    "epochs",
                    "lr0",
                    "lrf",
                    "cos_lr",
                    "warmup_epochs",
                    "warmup_bias_lr",
                    "warmup_momentum",
                    "momentum",
                    "optimizer",
                )
            },
        )

    def batch_end(trainer) -> None:
        groups = trainer.optimizer.param_groups
        momentum = [group["momentum"] if "momentum" in group else group["betas"][0] for group in groups]
        # (before 8.4 the warmup left numpy floats in the groups: the same values, written as floats)
        rows.append([trainer.epoch, *(float(group["lr"]) for group in groups), *map(float, momentum)])

    def stop(trainer) -> None:
        if trainer.epoch == stop_at:
            raise Stop

    model = YOLO("yolov8n.yaml")
    if stop_at is None:
        model.add_callback("on_train_start", started)
        model.add_callback("on_train_batch_end", batch_end)
    else:
        model.add_callback("on_train_epoch_start", stop)
    try:
        model.train(data=data, project=project, name="run", exist_ok=True, **COMMON, **arguments)
    except Stop:
        resumed = YOLO(str(pathlib.Path(project) / "run" / "weights" / "last.pt"))
        resumed.add_callback("on_train_start", started)
        resumed.add_callback("on_train_batch_end", batch_end)
        resumed.train(resume=True)
    return info, rows, (pathlib.Path(project) / "run" / "args.yaml").read_text()


def main() -> None:
    version = ultralytics.__version__
    if version.startswith("8.1."):  # its final validation loads best.pt as torch < 2.6 did (not weights only)
        load = torch.load
        torch.load = lambda *args, **kwargs: load(*args, **{"weights_only": False, **kwargs})
    here = CASES if version == LATEST else {name: case for name, (at, case) in OLDER.items() if at == version}
    resumed = RESUMED if version == LATEST else {}
    [cases, resumes] = harness.chosen(harness.parser(__doc__).parse_args().only, here, resumed)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    manifest = harness.read_manifest("ultralytics")
    manifest.setdefault("older", {})
    manifest.setdefault("resumed", {})
    if version == LATEST:
        manifest["versions"] = {"ultralytics": version, "torch": torch.__version__}
    with tempfile.TemporaryDirectory() as folder:
        data = dataset(pathlib.Path(folder) / "data")
        for name, arguments in cases.items():
            info, rows, saved = train(data, str(pathlib.Path(folder) / "runs"), arguments)
            if name in SAVED:
                kept = harness.CONFIGS / "ultralytics" / name / "args.yaml"
                kept.parent.mkdir(parents=True, exist_ok=True)
                kept.write_text(saved.replace(folder, "/tmp/ultralytics-golden"))
            groups = len(info["groups"])
            harness.write_csv(
                GOLDEN / f"{name}.csv",
                ["step", "epoch", *(f"lr_{i}" for i in range(groups)), *(f"momentum_{i}" for i in range(groups))],
                ([step, *row] for step, row in enumerate(rows)),
                index=2,
            )
            entry = {"arguments": arguments, **info}
            if version == LATEST:
                manifest["cases"][name] = entry
            else:
                manifest["older"][name] = {"ultralytics": version, "torch": torch.__version__, **entry}
        for name, (arguments, epoch) in resumes.items():
            info, rows, _ = train(data, str(pathlib.Path(folder) / "runs"), arguments, epoch)
            groups = len(info["groups"])
            first = epoch * info["nb"]
            harness.write_csv(
                GOLDEN / f"{name}.csv",
                ["step", "epoch", *(f"lr_{i}" for i in range(groups)), *(f"momentum_{i}" for i in range(groups))],
                ([first + step, *row] for step, row in enumerate(rows)),
                index=2,
            )
            manifest["resumed"][name] = {"arguments": arguments, "epoch": epoch, **info}
    manifest["commands"] = {
        **{name: command(name, arguments, manifest["cases"][name]["nb"]) for name, arguments in CASES.items()},
        **{
            name: command(name, arguments, manifest["older"][name]["nb"], at)
            for name, (at, arguments) in OLDER.items()
            if name in manifest["older"]
        },
        **{
            name: [
                *command(name, {**arguments, "resume": True}, manifest["resumed"][name]["nb"]),
                *("--resume-at", str(epoch * manifest["resumed"][name]["nb"])),
                *("--start", str(epoch * manifest["resumed"][name]["nb"])),
            ]
            for name, (arguments, epoch) in RESUMED.items()
            if name in manifest["resumed"]
        },
    }
    harness.write_manifest("ultralytics", manifest)


if __name__ == "__main__":
    main()
