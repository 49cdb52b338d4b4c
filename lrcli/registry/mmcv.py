"""MMCV 1.x configs (mmcv 1.7.2's runner hooks): one command that reads a config
(:mod:`lrcli.cli.mmcv`) and replays its ``lr_config`` (or ``momentum_config``) hook as
:data:`CONFIG` describes it; no code is emitted for a config."""

from __future__ import annotations

from typing import Any, cast

from lrcli.registry.description import BOOL, ENTRIES, INT, Description, Family, OneCommand, Param, Reads
from lrcli.registry.mmengine import openmmlab

HELP = """Show the schedule of an MMCV 1.x config (mmdetection 2.x, mmcls, mmseg 0.x…): the
LrUpdaterHook its lr_config names, for the runner it describes, from the lr of its optimizer, one
row per iteration, as mmcv 1.7.2 computes it, without running the config or installing mmcv.

\b
For a config in the shape of mmdetection 2.x's schedule_1x.py:
  optimizer = dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=0.0001)
  lr_config = dict(policy='step', warmup='linear', warmup_iters=500,
                   warmup_ratio=0.001, step=[8, 11])
  runner = dict(type='EpochBasedRunner', max_epochs=12)
  data = dict(samples_per_gpu=2)

\b
Examples:
  lrcli mmcv faster_rcnn_r50_fpn_1x_coco.py --iters-per-epoch 7330 --changes --start 499
  lrcli mmcv faster_rcnn_r50_fpn_1x_coco.py --dataset-size 117266 --gpus 8 --by epoch
  lrcli mmcv schedule_1x.py --iters-per-epoch 7330 --cfg-options runner.max_epochs=24 \\
      --cfg-options 'lr_config.step=[16,22]' -f plot

CONFIG: an MMCV 1.x config, .py, .json or .yaml (read, never run).

Iterations per epoch: --iters-per-epoch, or ceil(ceil(dataset size / gpus) / samples_per_gpu)
as a DistributedSampler and the dataloader make them. The hook sets each iteration's lr from the
epoch (by_epoch=True, the default) or the iteration, and its warmup multiplies that value."""


def hook_schedulers(
    hook: dict,
    momentum: bool,
    groups: int,
    epoch_length: int | None,
    max_epochs: int | None,
    max_iters: int,
    rows_per: int = 1,
) -> list:
    """The schedulers of the ``groups`` param groups the hook sets, under an EpochBasedRunner of
    ``max_epochs`` (or, ``max_epochs`` None, an IterBasedRunner of ``max_iters``); imported when a
    config is replayed (not at start-up)."""
    from lrcli.engine.mmcv import Loop, mmcv_lr_schedulers, mmcv_momentum_schedulers

    if max_epochs is not None:
        loop = Loop.epochs(max_epochs, epoch_length or 0)  # (0 refused: an epoch needs its length)
    else:
        loop = Loop.iterations(max_iters, epoch_length)
    schedulers = mmcv_momentum_schedulers if momentum else mmcv_lr_schedulers
    return schedulers(hook, groups, loop, rows_per)


def _schedule(group: int, **params: Any):
    """Group ``group``'s scheduler of :func:`hook_schedulers`."""
    return hook_schedulers(**params)[group]


def _rows(params: dict) -> int:
    """The runner's iterations, or its epochs when a row is an epoch (``rows_per`` iterations)."""
    return params["max_iters"] // params["rows_per"]


def _call(hook: dict, momentum: bool) -> str:
    """The hook as its class call: ``StepLrUpdaterHook(warmup='linear', …, step=[8, 11])``."""
    from lrcli.engine.mmcv import hook_name

    arguments = ", ".join(f"{key}={value!r}" for key, value in hook.items() if key not in ("policy", "type"))
    kind = "MomentumUpdaterHook" if momentum else "LrUpdaterHook"
    return f"{hook_name(hook.get('policy'))}{kind}({arguments})"


CONFIG = Description(
    "mmcv",
    "lr_config",
    _schedule,
    "An MMCV 1.x config's lr_config (or momentum_config) hook.",
    (
        Param("hook", ENTRIES, "The config's lr_config or momentum_config."),
        Param("momentum", BOOL, "Whether the hook is a momentum hook.", False, constructor=False),
        Param("groups", INT, "Param groups.", 1, constructor=False),
        Param("group", INT, "This param group's index.", 0, per_group=True, constructor=False),
        Param("epoch_length", INT, "Iterations per epoch.", constructor=False),
        Param("max_epochs", INT, "Epochs of an EpochBasedRunner.", constructor=False),
        Param("max_iters", INT, "Iterations of the runner.", constructor=False),
        Param("rows_per", INT, "Iterations per row.", 1, constructor=False),
    ),
    (),
    warmup=False,
    composable=False,
    default_rows=_rows,
    module="mmcv.runner.hooks",
    describe=lambda schedule: (
        f"{schedule.name}: {_call(cast(dict, schedule.params['hook']), cast(bool, schedule.params['momentum']))}"
    ),
)
"""A config's hook, as the command reads it; the command names it after the config's file, and
says whether a row is an iteration (``unit`` step) or an epoch and which parameter the values are
(``value_name``)."""


def _command(family: Family):
    """``lrcli mmcv CONFIG``: a config read whole (its own command line)."""
    from lrcli.cli.mmcv import make_mmcv_command

    return make_mmcv_command()


def _recognises(path: str) -> bool:
    """An MMCV 1.x config: ``lr_config`` and no ``param_scheduler`` (mmengine's)."""
    config = openmmlab(path)
    return "lr_config" in config and "param_scheduler" not in config


READS = Reads(
    "MMCV 1.x config", "MMCV 1.x (an OpenMMLab config with lr_config and no param_scheduler)", ("mmcv",), _recognises
)

FAMILY = Family("mmcv", HELP, (), OneCommand(_command), reads=(READS,))
