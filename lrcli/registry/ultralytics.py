"""Ultralytics YOLO training (8.4.103 to 8.4.190): one command that reads a run's arguments
(:mod:`lrcli.cli.ultralytics`, :mod:`lrcli.ultralytics_args`) and replays the trainer's schedule
of each param group as :data:`RUN` describes it; its code (``--emit``, ``--verify``) is the trainer's
own (:mod:`lrcli.ultralytics_code`), not a torch scheduler's."""

from __future__ import annotations

import re
from typing import Any

from lrcli.registry.description import BOOL, FLOAT, INT, TEXT, Description, Family, OneCommand, Param, Reads

HELP = """Show the lr of each param group of an Ultralytics YOLO training run at every batch: the
trainer's LambdaLR (linear, or cos_lr's one_cycle) stepped every epoch, and its per-batch warmup,
as Ultralytics 8.4.190 computes them, from a run's args.yaml or yolo train's key=value words,
without training or installing Ultralytics.

\b
Examples:
  lrcli ultralytics runs/detect/train/args.yaml --iters-per-epoch 5
  lrcli ultralytics lr0=0.01 lrf=0.01 cos_lr=True epochs=100 batch=16 optimizer=SGD \\
      --dataset-size 118287 --every 500
  lrcli ultralytics epochs=50 batch=32 --nc 80 --dataset-size 5000 --gpus 2 --show-momentum

ARGS_YAML: a run's args.yaml (optional; read, never run), then key=value words as yolo train
takes them (they override the file); defaults are Ultralytics' default.yaml.

Columns lr_0, lr_1, lr_2 are the param groups pg0 (weights with decay), pg1 (norm weights) and
pg2 (biases, warmed up from warmup_bias_lr), as Ultralytics logs lr/pg0..2 (MuSGD: eight groups,
each of those and muon's split in two, the head's at 3 x lr0 first). optimizer=auto (the
default) ignores lr0 and momentum: AdamW at round(0.002 * 5 / (4 + nc), 6), or MuSGD past
10,000 iterations, and warmup_bias_lr 0."""


def _schedule(bias: bool, has_momentum: bool, optimizer: str, **training: Any):
    """One param group's scheduler (:meth:`lrcli.engine.ultralytics.Training.scheduler`; the
    ``optimizer``'s name is for the title), imported when a run is replayed (not at start-up)."""
    from lrcli.engine.ultralytics import Training

    return Training(**training).scheduler(bias=bias, has_momentum=has_momentum)


def _describe(schedule: Any) -> str:
    params = schedule.params
    lf = "one_cycle" if params["cos_lr"] else "linear"
    return (
        f"{schedule.name}: {params['optimizer']}, LambdaLR({lf}, epochs={params['epochs']}, lrf={params['lrf']}), "
        f"warmup_epochs={params['warmup_epochs']}, {params['nb']} batches an epoch"
    )


RUN = Description(
    "ultralytics",
    "BaseTrainer",
    _schedule,
    "An Ultralytics YOLO training run's schedule.",
    (
        Param("epochs", INT, "Epochs."),
        Param("nb", INT, "Batches per epoch."),
        Param("lrf", FLOAT, "Final lr fraction."),
        Param("cos_lr", BOOL, "The one_cycle lambda."),
        Param("warmup_epochs", FLOAT, "Warmup epochs."),
        Param("warmup_bias_lr", FLOAT, "The bias group's lr at batch 0."),
        Param("warmup_momentum", FLOAT, "The momentum at batch 0."),
        Param("momentum", FLOAT, "The momentum the warmup ends at."),
        Param("optimizer_momentum", FLOAT, "The momentum the optimizer was built with.", None),
        Param("bias", BOOL, "This param group is the bias group.", False, per_group=True, constructor=False),
        Param("has_momentum", BOOL, "The optimizer has momentum (not betas).", True, constructor=False),
        Param("optimizer", TEXT, "The optimizer's name.", constructor=False),
        Param("legacy_warmup", BOOL, "At least 100 warmup batches, not capped (up to 8.4.102).", False),
        Param("late_step", BOOL, "The scheduler stepped at the end of each epoch (up to 8.1.41).", False),
    ),
    (),
    warmup=False,
    composable=False,
    default_rows=lambda params: params["epochs"] * params["nb"],
    module="ultralytics.engine.trainer",
    unit="step",
    describe=_describe,
)
"""A run as the command reads it; the command names it after its args file (or ``yolo train``)."""


def _command(family: Family):
    """``lrcli ultralytics [ARGS_YAML] [key=value …]``: a run's arguments (its own command line)."""
    from lrcli.cli.ultralytics import make_ultralytics_command

    return make_ultralytics_command()


_KEY = re.compile(r"([A-Za-z_]\w*)[ \t]*:(?:[ \t]|$)")


def _yaml_keys(path: str) -> set[str]:
    """The keys at the start of a line of a YAML file (a flat mapping's keys; PyYAML is not
    needed to tell the file apart).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as file:
    ...     _ = file.write("lr0: 0.01\\nlrf: 0.01  # final\\n  nested: 1\\nname: 'a: b'\\n")
    >>> sorted(_yaml_keys(file.name))
    ['lr0', 'lrf', 'name']
    """
    from lrcli.config import MAX_FILE_BYTES, ConfigError

    try:
        with open(path, encoding="utf-8") as file:
            text = file.read(MAX_FILE_BYTES + 1)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {getattr(error, 'strerror', None) or error}") from None
    return {match.group(1) for match in map(_KEY.match, text[:MAX_FILE_BYTES].splitlines()) if match}


def _ultralytics(path: str) -> bool:
    """Ultralytics' training args (an ``args.yaml``, or a ``yolo train`` cfg): a YAML file with
    ``lr0`` or ``lrf``."""
    return path.endswith((".yaml", ".yml")) and bool({"lr0", "lrf"} & _yaml_keys(path))


READS = Reads(
    "Ultralytics args", "Ultralytics (a YAML of training args with lr0 or lrf)", ("ultralytics",), _ultralytics
)

FAMILY = Family("ultralytics", HELP, (), OneCommand(_command), reads=(READS,))
