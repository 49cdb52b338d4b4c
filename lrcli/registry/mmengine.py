"""OpenMMLab configs (mmengine 0.10): no description per scheduler, but one command that reads a
config (:mod:`lrcli.cli.mmengine`) and replays its ``param_scheduler`` list as :data:`CONFIG`
describes it; no code is emitted for a config."""

from __future__ import annotations

from typing import Any, cast

from lrcli.registry.description import ENTRIES, INT, METRICS, Description, Family, OneCommand, Param, Reads

HELP = """Show the schedule of an OpenMMLab (mmengine 0.10) config: its param_scheduler list, for the
loop of its train_cfg, from the lr of its optim_wrapper, one row per iteration, without running
the config or installing anything of OpenMMLab.

\b
For a config saved as schedule_1x.py (mmdetection's 1x schedule):
  optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.02, momentum=0.9))
  param_scheduler = [
      dict(type='LinearLR', start_factor=0.001, by_epoch=False, end=500),
      dict(type='MultiStepLR', by_epoch=True, milestones=[8, 11])]
  train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=12)
  train_dataloader = dict(batch_size=2)

\b
Examples:
  lrcli mmengine schedule_1x.py --dataset-size 117266 --gpus 8 \\
      --changes --start 499
  lrcli mmengine schedule_1x.py --iters-per-epoch 7330 --by epoch -f plot
  lrcli mmengine schedule_1x.py --iters-per-epoch 7330 --changes --start 499 \\
      --cfg-options train_cfg.max_epochs=24 \\
      --cfg-options 'param_scheduler.1.milestones=[16,22]'

CONFIG: an mmengine config, .py (old or new style), .json or .yaml (read, never run).

Iterations per epoch: --iters-per-epoch, or ceil(ceil(dataset size / gpus) / batch size) as
the DefaultSampler and the dataloader make them. Each scheduler acts inside [begin, end) of its
own steps (iterations, or epochs with by_epoch=True), on the value the ones before it left."""


def _schedule(**params: Any):
    """:func:`lrcli.engine.mmengine.mmengine_schedule`, imported when a config is replayed (not at
    start-up)."""
    from lrcli.engine.mmengine import mmengine_schedule

    return mmengine_schedule(**params)


def _rows(params: dict) -> int:
    """The loop's iterations, or its epochs when a row is an epoch (``rows_per`` iterations)."""
    return params["max_iters"] // params["rows_per"]


def _events(params: dict, count: int) -> list[int]:
    """Where each scheduler's window begins and ends, in rows."""
    from lrcli.engine.mmengine import INF, build_window

    length, max_epochs, max_iters = params["epoch_length"], params["max_epochs"], params["max_iters"]
    per_epoch = params["rows_per"] != 1  # (an epoch of one iteration is a row either way)
    marks: set[int] = set()
    for entry in params["param_scheduler"]:
        window = build_window(entry, length or 1, lambda by_epoch: (max_epochs or 1) if by_epoch else max_iters)
        scale = (length or 1) if window.by_epoch and not per_epoch else 1
        shrink = length if per_epoch and not window.by_epoch else 1
        marks.update(edge * scale // shrink for edge in (window.begin, window.end) if edge != INF)
    return sorted(mark for mark in marks if 0 < mark < count)


def _call(entry: dict) -> str:
    """A ``param_scheduler`` entry as a call: ``LinearLR(start_factor=0.001, end=500)``."""
    arguments = ", ".join(f"{key}={value!r}" for key, value in entry.items() if key != "type")
    return f"{entry.get('type')}({arguments})"


CONFIG = Description(
    "mmengine",
    "param_scheduler",
    _schedule,
    "An OpenMMLab config's param_scheduler.",
    (
        Param("param_scheduler", ENTRIES, "The config's schedulers."),
        Param("epoch_length", INT, "Iterations per epoch.", constructor=False),
        Param("max_epochs", INT, "Epochs of the loop.", constructor=False),
        Param("max_iters", INT, "Iterations of the loop.", constructor=False),
        Param("rows_per", INT, "Iterations per row.", 1, constructor=False),
        Param("validation", METRICS, "When the loop validates, and the metrics.", None, constructor=False),
    ),
    (),
    warmup=False,
    composable=False,
    default_rows=_rows,
    events=_events,
    module="mmengine",
    describe=lambda schedule: (
        f"{schedule.name}: " + ", ".join(map(_call, cast("list[dict]", schedule.params["param_scheduler"])))
    ),
)
"""A config's schedulers for one parameter, as the command reads them; the command names it after
the config's file, and says whether a row is an iteration (``unit`` step) or an epoch and which
parameter the values are (``value_name``)."""


def _command(family: Family):
    """``lrcli mmengine CONFIG``: a config read whole (its own command line)."""
    from lrcli.cli.mmengine import make_mmengine_command

    return make_mmengine_command()


def openmmlab(path: str) -> dict:
    """The OpenMMLab config at ``path``, bases merged (:func:`lrcli.config.read_config`)."""
    from lrcli.config import read_config

    return read_config(path)


def _recognises(path: str) -> bool:
    """An mmengine config: a ``param_scheduler`` once its bases are merged."""
    return "param_scheduler" in openmmlab(path)


FAMILY = Family(
    "mmengine",
    HELP,
    (),
    OneCommand(_command),
    resume="runner",
    reads=(
        Reads(
            "mmengine config",
            "mmengine (an OpenMMLab .py/.json/.yaml config with param_scheduler)",
            ("mmengine",),
            _recognises,
        ),
    ),
)
