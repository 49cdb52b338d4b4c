"""Write tests/data/golden/mmengine/: the lrs (momentums, weight decays) a real mmengine Runner sets,
iteration by iteration, for ``lrcli mmengine``; and every test config as mmengine reads it
(mmengine_configs.json).

Run by hand from the repository's root, in the oracle environment (scripts/golden/requirements-torch.txt;
the tests never import mmengine), with mmdet 3.3.0's wheel unzipped in /tmp/mmdet as
requirements-torch.txt says, for its QuadraticWarmup schedulers (mmdet itself needs mmcv; only that
source file is read):

    /tmp/torch/bin/python -m scripts.golden.mmengine_cases [--only NAME…]

Each case pairs an lrcli command line with a Runner built from the same config in
tests/data/configs/ (``{configs}`` in the arguments), written as scripts/golden/commands.py says.
"""

from __future__ import annotations

import json
import os
import pathlib

import torch

from . import commands, harness
from .commands import Compare
from .harness import CONFIGS, METRICS

MMDET_QUADRATIC = "/tmp/mmdet/mmdet/engine/schedulers/quadratic_warmup.py"
MMDET_VERSION = "3.3.0"


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
        exec(
            compile(source, MMDET_QUADRATIC, "exec"),
            {
                "__name__": "mmdet_quadratic_warmup",  # noqa: S102
                "PARAM_SCHEDULERS": registry,
            },
        )


class MMEngine(commands.Framework):
    """The reference for ``lrcli mmengine``: a real mmengine Runner built from the config by
    mmengine's own Config.fromfile (cfg_options applied), training a model that does nothing on a
    loader of ``per_epoch`` batches; a hook records every param group's lr before each iteration.
    ``by_epoch`` keeps the first iteration of each epoch (and the rows have no step column).
    ``resume_epoch``: the run saves a checkpoint after every epoch (CheckpointHook), and rows from
    that epoch on are a second Runner's, built the same way with ``load_from`` that epoch's
    checkpoint and ``resume=True`` (epoch-based loops)."""

    def __init__(
        self,
        config: str,
        per_epoch: int,
        options: dict | None = None,
        by_epoch: bool = False,
        metrics: list[float] | None = None,
        param: str = "lr",
        resume_epoch: int | None = None,
    ):
        self.config, self.iterations, self.options, self.by_epoch = config, per_epoch, options, by_epoch
        self.resume_epoch = resume_epoch
        self.metrics, self.param, self.columns = metrics, param, [param]
        self.per_epoch = None if by_epoch else per_epoch

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
        rows: list[list[float]] = []
        param = self.param

        class Record(Hook):
            def __init__(self, into):
                self.into = into

            def before_train_iter(self, runner, batch_idx, data_batch=None):
                self.into.append([group[param] for group in runner.optim_wrapper.optimizer.param_groups])

        class Idle(BaseModel):
            def __init__(self):
                super().__init__()
                self.weight = torch.nn.Parameter(torch.zeros(1))

            def forward(self, inputs, data_samples=None, mode="tensor"):
                return {"loss": self.weight.sum() * 0.0} if mode == "loss" else [{}]

        validation = {}
        if self.metrics is not None:  # each validation reports the next metric, as `loss`
            from mmengine.evaluator import BaseMetric, Evaluator

            reported = iter(self.metrics)

            class Reported(BaseMetric):
                def process(self, data_batch, data_samples):
                    self.results.append(0)

                def compute_metrics(self, results):
                    return {"loss": next(reported)}

            validation = dict(
                val_dataloader=torch.utils.data.DataLoader(
                    [torch.zeros(1)], batch_size=1, collate_fn=lambda batch: {"inputs": batch}
                ),
                val_cfg=dict(type="ValLoop"),
                val_evaluator=Evaluator(Reported()),
            )
        loader = torch.utils.data.DataLoader(
            [torch.zeros(1)] * self.iterations, batch_size=1, collate_fn=lambda batch: {"inputs": batch}
        )
        saving = self.resume_epoch is not None
        with tempfile.TemporaryDirectory() as work_dir:

            def train(into, name, **resume):
                Runner(
                    model=Idle(),
                    work_dir=work_dir,
                    experiment_name=name,
                    train_dataloader=loader,
                    optim_wrapper=config.optim_wrapper.to_dict(),
                    param_scheduler=config.param_scheduler,
                    train_cfg=config.train_cfg.to_dict(),
                    default_hooks=dict(
                        checkpoint=dict(type="CheckpointHook", interval=1) if saving else None, logger=None
                    ),
                    custom_hooks=[Record(into)],
                    log_level="ERROR",
                    **validation,
                    **resume,
                ).train()

            train(rows, "interrupted")
            if saving:
                resumed: list[list[float]] = []
                checkpoint = f"{work_dir}/epoch_{self.resume_epoch}.pth"
                # mmengine 0.10.7 calls torch.load without weights_only, which torch >= 2.6 makes True:
                # its own checkpoint (a HistoryBuffer in the message hub) is refused unless the old default
                # is restored, as torch's variable does (the checkpoint is the one just written here)
                os.environ["TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"] = "1"
                train(resumed, "resumed", load_from=checkpoint, resume=True)
                rows = rows[: self.resume_epoch * self.iterations] + resumed
        if self.by_epoch:
            rows = rows[:: self.iterations]
        return rows


CASES = {
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
        [
            "mmengine",
            "{configs}/rtmdet/rtmdet_tiny.py",
            "--iters-per-epoch",
            "200",
            "--cfg-options",
            "train_cfg.max_epochs=40",
            "--cfg-options",
            "param_scheduler.1.eta_min=0.0001",
            "--every",
            "7",
        ],
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
        [
            "mmengine",
            "{configs}/classes/plateau.py",
            "--iters-per-epoch",
            "50",
            "--metrics",
            "{metrics}/metrics_loss.txt",
        ],
        MMEngine(
            "classes/plateau.py",
            50,
            metrics=[float(line) for line in (METRICS / "metrics_loss.txt").read_text().split()],
        ),
    ),
    "mm_plateau_greater_abs": (
        [
            "mmengine",
            "{configs}/classes/plateau.py",
            "--iters-per-epoch",
            "20",
            "--metrics",
            "{metrics}/metrics.csv",
            "--column",
            "val_acc",
            "--cfg-options",
            "param_scheduler.1.rule=greater",
            "--cfg-options",
            "param_scheduler.1.threshold_rule=abs",
            "--cfg-options",
            "param_scheduler.1.threshold=0.002",
            "--cfg-options",
            "param_scheduler.1.patience=0",
        ],
        MMEngine(
            "classes/plateau.py",
            20,
            {
                "param_scheduler.1.rule": "greater",
                "param_scheduler.1.threshold_rule": "abs",
                "param_scheduler.1.threshold": 0.002,
                "param_scheduler.1.patience": 0,
            },
            metrics=[float(line.split(",")[2]) for line in (METRICS / "metrics.csv").read_text().splitlines()[1:]],
        ),
    ),
    "mm_momentum": (
        ["mmengine", "{configs}/classes/momentum.py", "--iters-per-epoch", "80", "--param", "momentum"],
        MMEngine("classes/momentum.py", 80, param="momentum"),
    ),
    "mm_weight_decay": (
        [
            "mmengine",
            "{configs}/classes/momentum.py",
            "--iters-per-epoch",
            "80",
            "--param",
            "weight_decay",
            "--by",
            "epoch",
        ],
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
        [
            "mmengine",
            "{configs}/mmdet3_new/rtmdet/rtmdet_l_8xb32_300e_coco.py",
            "--iters-per-epoch",
            "7",
            "--every",
            "11",
        ],
        MMEngine("mmdet3_new/rtmdet/rtmdet_l_8xb32_300e_coco.py", 7),
    ),
    "mm_new_style_rtmdet_s_changed_in_place": (
        [
            "mmengine",
            "{configs}/mmdet3_new/rtmdet/rtmdet_s_8xb32_300e_coco.py",
            "--iters-per-epoch",
            "9",
            "--every",
            "5",
        ],
        MMEngine("mmdet3_new/rtmdet/rtmdet_s_8xb32_300e_coco.py", 9),
    ),
    "mm_new_style_package_base": (
        [
            "mmengine",
            "{configs}/mmpose_new/mmposelike/configs/body_2d_keypoint/edpose_res50_8xb2-50e_coco-800x1333.py",
            "--iters-per-epoch",
            "20",
            "--changes",
        ],
        MMEngine("mmpose_new/mmposelike/configs/body_2d_keypoint/edpose_res50_8xb2-50e_coco-800x1333.py", 20),
    ),
    "mm_mask2former_iterations": (
        [
            "mmengine",
            "{configs}/mmdet3/mask2former/mask2former_swin-t-p4-w7-224_8xb2-lsj-50e_coco.py",
            "--iters-per-epoch",
            "100",
            "--cfg-options",
            "train_cfg.max_iters=3000",
            "--cfg-options",
            "param_scheduler.end=3000",
            "--cfg-options",
            "param_scheduler.milestones=[2000,2600]",
            "--changes",
        ],
        MMEngine(
            "mmdet3/mask2former/mask2former_swin-t-p4-w7-224_8xb2-lsj-50e_coco.py",
            100,
            {"train_cfg.max_iters": 3000, "param_scheduler.end": 3000, "param_scheduler.milestones": [2000, 2600]},
        ),
    ),
    "mm_mobileone_deepcopy": (
        [
            "mmengine",
            "{configs}/mmpretrain/mobileone/mobileone-s1_8xb32_in1k.py",
            "--iters-per-epoch",
            "3",
            "--by",
            "epoch",
        ],
        MMEngine("mmpretrain/mobileone/mobileone-s1_8xb32_in1k.py", 3, by_epoch=True),
    ),
    "mm_segformer_poly": (
        [
            "mmengine",
            "{configs}/mmseg/segformer/segformer_mit-b0_8xb2-160k_ade20k-512x512.py",
            "--iters-per-epoch",
            "100",
            "--cfg-options",
            "train_cfg.max_iters=4000",
            "--cfg-options",
            "param_scheduler.0.end=300",
            "--cfg-options",
            "param_scheduler.1.begin=300",
            "--cfg-options",
            "param_scheduler.1.end=4000",
            "--every",
            "37",
        ],
        MMEngine(
            "mmseg/segformer/segformer_mit-b0_8xb2-160k_ade20k-512x512.py",
            100,
            {
                "train_cfg.max_iters": 4000,
                "param_scheduler.0.end": 300,
                "param_scheduler.1.begin": 300,
                "param_scheduler.1.end": 4000,
            },
        ),
    ),
    "mm_rtmpose_loops": (
        [
            "mmengine",
            "{configs}/mmpose/rtmpose/rtmpose-s_8xb256-420e_body8-256x192.py",
            "--iters-per-epoch",
            "4",
            "--every",
            "9",
        ],
        MMEngine("mmpose/rtmpose/rtmpose-s_8xb256-420e_body8-256x192.py", 4),
    ),
    "mm_mmocr_sar": (
        [
            "mmengine",
            "{configs}/mmocr/textrecog/sar/sar_resnet31_parallel-decoder_5e_st-sub_mj-sub_sa_real.py",
            "--iters-per-epoch",
            "30",
        ],
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
        [
            "mmengine",
            "{configs}/mmyolo/yolox/yolox_s_fast_8xb8-300e_coco.py",
            "--iters-per-epoch",
            "6",
            "--every",
            "13",
        ],
        MMEngine("mmyolo/yolox/yolox_s_fast_8xb8-300e_coco.py", 6),
    ),
}

RESUME_CASES = {
    "mm_resume_overlapping": (
        ["mmengine", "{configs}/classes/overlapping.py", "--iters-per-epoch", "30", "--resume-at", "90"]
        + ["--compare-resume"],
        Compare(
            resumed=MMEngine("classes/overlapping.py", 30, resume_epoch=3),
            uninterrupted=MMEngine("classes/overlapping.py", 30),
        ),
    ),
    "mm_resume_poly_restart": (
        ["mmengine", "{configs}/classes/poly_restart.py", "--iters-per-epoch", "97", "--resume-at", "388"],
        MMEngine("classes/poly_restart.py", 97, resume_epoch=4),
    ),
    "mm_resume_rtmdet_by_epoch": (
        ["mmengine", "{configs}/rtmdet/rtmdet_tiny.py", "--iters-per-epoch", "20", "--by", "epoch"]
        + ["--cfg-options", "train_cfg.max_epochs=40", "--resume-at", "23"],
        MMEngine("rtmdet/rtmdet_tiny.py", 20, {"train_cfg.max_epochs": 40}, by_epoch=True, resume_epoch=23),
    ),
}
CASES.update(RESUME_CASES)


def mmengine_configs() -> None:
    """Every test config as mmengine's own Config.fromfile reads it (``Config.to_dict()``), for
    lrcli's reader to equal; the configs' folder is written ``{configs}`` (``{{fileDirname}}``)."""
    from mmengine.config import Config

    mmengine_reads_test_packages()
    read = {}
    for path in sorted(CONFIGS.rglob("*.py")):
        read[str(path.relative_to(CONFIGS))] = Config.fromfile(str(path)).to_dict()
    text = json.dumps(read, indent=1, sort_keys=True).replace(str(CONFIGS), "{configs}")
    (harness.folder("mmengine") / "mmengine_configs.json").write_text(text + "\n")


def versions() -> dict:
    from importlib.metadata import version

    return {
        "torch": torch.__version__,
        "mmengine": version("mmengine"),
        "mmdet": f"{MMDET_VERSION} (engine/schedulers/quadratic_warmup.py)",
    }


if __name__ == "__main__":
    commands.main("mmengine", __doc__, CASES, versions, also=(mmengine_configs,))
