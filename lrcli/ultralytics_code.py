"""An Ultralytics run as Ultralytics' own code (``lrcli ultralytics … --emit torch``) and checked
against the installed Ultralytics (``--verify``).

The script is the trainer call the run's arguments make, ``YOLO(model).train(data=…, key=value…)``
with the keys that set the schedule where they differ from ``default.yaml`` (and every ``key=value``
word given), and two callbacks: one that checks the batches per epoch lrcli was given, one that
writes each group's lr (and momentum) at the end of every batch, the lr that batch trained with, in
lrcli's CSV form (:func:`lrcli.torch_code.csv_float`) to ``ultralytics_lr.csv``.

``--verify`` does not train (a real run takes minutes to hours): it builds the optimizer with
Ultralytics' own ``BaseTrainer.build_optimizer`` (its param groups in its order, ``optimizer=auto``'s
choice from the class count and the iterations) on a small model with a weight, a norm layer, biases
and a detection head's ``cv3``, its ``LambdaLR`` with ``BaseTrainer._setup_scheduler`` (the trainer's
own ``lf``), the warmup length with ``_get_warmup_iterations``, and steps them as ``_do_train``
does: ``scheduler.step()`` at the start of each epoch, and over the warmup batches each group's lr
and momentum set by ``np.interp`` as ``_do_train`` sets them (those few lines of the loop are
written here, since the loop cannot run without a model and data). Every value is compared with
lrcli's, as floats.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from lrcli.cli.show import Code, Differs, Rows, UsageProblem
from lrcli.torch_code import csv_float
from lrcli.ultralytics_args import DEFAULTS

if TYPE_CHECKING:
    from lrcli.cli.ultralytics import Run
    from lrcli.replay import Replay

ROWS_FILE = "ultralytics_lr.csv"
"""Where the emitted script writes its rows (the trainer itself prints to standard output)."""


def train_keywords(run: Run, gpus: int) -> list[tuple[str, object]]:
    """``train()``'s keyword arguments: ``data``, then each schedule key whose value differs from
    ``default.yaml``'s and every other key of a ``key=value`` word, in the order given, then
    ``device`` for ``gpus`` > 1 when none is given.

    ``model``, ``task`` and ``mode`` are not ``train()``'s (the model is ``YOLO()``'s)."""
    keywords: list[tuple[str, object]] = [("data", run.given.get("data", ("coco8.yaml", ""))[0])]
    for key, (value, where) in run.given.items():
        if key in ("data", "model", "task", "mode"):
            continue
        if not where or (  # a key=value word; a key of args.yaml when it sets the schedule otherwise
            key in DEFAULTS and (run.args[key] != DEFAULTS[key] or type(run.args[key]) is not type(DEFAULTS[key]))
        ):
            keywords.append((key, value))
    if gpus > 1 and "device" not in run.given:
        keywords.append(("device", ",".join(map(str, range(gpus)))))
    return keywords


def ultralytics_script(replay: Replay, run: Run, gpus: int) -> str:
    """A runnable script that trains the run with Ultralytics and writes the rows of ``replay``
    (every batch, from the first) as lrcli's CSV to :data:`ROWS_FILE`."""
    model = run.given.get("model", ("yolov8n.yaml", ""))[0]
    call = ", ".join(f"{key}={value!r}" for key, value in train_keywords(run, gpus))
    columns = ",".join(replay.columns)
    lines = [
        f"# {replay.brief_title}",
        f"# as lrcli shows it, computed by Ultralytics {run.version} itself: the trainer writes each param",
        f"# group's lr at the end of every batch (the lr it trained with) to {ROWS_FILE}, as lrcli's CSV.",
        f"# data= must be a dataset of {run.length} batches per epoch"
        + (" (optimizer=auto also reads its class count)." if run.iterations is not None else "."),
        "from ultralytics import YOLO",
        "",
        "",
        inspect.getsource(csv_float),
        "",
        f"BATCHES = {run.length}",
        f"rows = open({ROWS_FILE!r}, 'w')",
        f"rows.write({columns + chr(10)!r})",
        "",
        "",
        "def started(trainer):",
        "    if len(trainer.train_loader) != BATCHES:",
        "        raise SystemExit(f'the dataset gives {len(trainer.train_loader)} batches per epoch, not {BATCHES}')",
        "    trainer.batches_done = 0",
        "",
        "",
        "def batch_end(trainer):",
        "    groups = trainer.optimizer.param_groups",
        '    values = [group["lr"] for group in groups]',
    ]
    if replay.momentum:
        lines.append(
            '    values += [group["momentum"] if "momentum" in group else group["betas"][0] for group in groups]'
        )
    lines += [
        "    step = trainer.batches_done",
        "    trainer.batches_done += 1",
        '    rows.write(",".join([str(step), str(trainer.epoch), *map(csv_float, map(float, values))]) + "\\n")',
        "",
        "",
        f"model = YOLO({model!r})",
        'model.add_callback("on_train_start", started)',
        'model.add_callback("on_train_batch_end", batch_end)',
        f"model.train({call})",
        "rows.close()",
    ]
    return "\n".join(lines) + "\n"


def verify(replay: Replay, run: Run) -> tuple[int, str | None]:
    """Step Ultralytics' own optimizer, ``LambdaLR`` and warmup through the rows of ``replay``
    and compare every value with lrcli's: the rows compared and the first difference."""
    import logging
    import warnings
    from types import SimpleNamespace

    import numpy as np
    from torch import nn
    from ultralytics.engine.trainer import BaseTrainer

    class Head(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.cv3 = nn.Sequential(nn.Conv2d(1, 1, 1), nn.BatchNorm2d(1))

    class Model(nn.Module):  # a weight, a norm layer, biases, and a head whose cv3 MuSGD boosts
        def __init__(self) -> None:
            super().__init__()
            self.model = nn.ModuleList([nn.Conv2d(1, 1, 1), nn.BatchNorm2d(1), Head()])

    args = SimpleNamespace(**{key: run.args[key] for key in DEFAULTS})
    trainer: Any = SimpleNamespace(args=args, epochs=args.epochs, data={"nc": 10 if run.nc is None else run.nc})
    logger = logging.getLogger("ultralytics")
    level = logger.level
    logger.setLevel(logging.WARNING)  # build_optimizer logs its choice on standard output
    try:
        trainer.optimizer = BaseTrainer.build_optimizer(
            trainer,
            model=Model(),
            name=args.optimizer,
            lr=args.lr0,
            momentum=args.momentum,
            decay=args.weight_decay,
            iterations=1 if run.iterations is None else run.iterations,
        )
    finally:
        logger.setLevel(level)
    groups = trainer.optimizer.param_groups
    if len(groups) != replay.groups:
        return 0, f"Ultralytics builds {len(groups)} param groups, lrcli {replay.groups}"
    nb = run.length
    nw = BaseTrainer._get_warmup_iterations(trainer, nb)
    compared, ni, epoch = 0, -1, -1  # Ultralytics' values are those of batch `ni`
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch: lr_scheduler.step() before optimizer.step()
        BaseTrainer._setup_scheduler(trainer)
        trainer.scheduler.last_epoch = -1  # _setup_train: start_epoch - 1
        for chunk in replay.chunks():
            for offset, shown in enumerate(chunk.rows):
                while ni < shown:
                    ni += 1
                    if ni // nb != epoch:
                        epoch = ni // nb
                        trainer.scheduler.step()
                    if nw and ni <= nw:  # _do_train's warmup
                        xi = [0, nw]
                        for group in groups:
                            start = args.warmup_bias_lr if group.get("param_group") == "bias" else 0.0
                            group["lr"] = float(np.interp(ni, xi, [start, group["initial_lr"] * trainer.lf(epoch)]))
                            if "momentum" in group:
                                group["momentum"] = float(np.interp(ni, xi, [args.warmup_momentum, args.momentum]))
                theirs = [group["lr"] for group in groups]
                if replay.momentum:
                    theirs += [group["momentum"] if "momentum" in group else group["betas"][0] for group in groups]
                ours = [values[offset] for values in chunk.series]
                compared += 1
                if ours != theirs:
                    return compared, f"{replay.unit} {shown}: lrcli {ours!r}, Ultralytics {theirs!r}"
    return compared, None


def write_or_verify(run: Run, rows: Rows, code: Code, gpus: int) -> None:
    """``--emit``: write the script; ``--verify``: compare with the installed Ultralytics."""
    replay = rows.replay(run.schedule)
    if code.emit is not None:
        from lrcli.output import emit

        emit([ultralytics_script(replay, run, gpus).encode()], code.path)
        return
    from lrcli.cli.ultralytics import release

    if not release(run.version).keys:
        raise UsageProblem(
            f"--verify calls the trainer's functions of 8.4.103 and later (_get_warmup_iterations); "
            f"{run.version}'s are not checked this way"
        )
    try:
        import ultralytics
    except Exception as error:  # importing a library can fail in any way: name the library
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise UsageProblem(
            f"--verify needs ultralytics, and it cannot be imported here ({detail}); pip install ultralytics"
        ) from None
    if ultralytics.__version__ != run.version:
        raise UsageProblem(
            f"--verify runs the installed Ultralytics {ultralytics.__version__}: give --ultralytics-version "
            f"{ultralytics.__version__} (lrcli replays {run.version} here)"
        )
    compared, difference = verify(replay, run)
    if difference is not None:
        raise Differs(
            f"Ultralytics {ultralytics.__version__} differs from lrcli at {difference} ({compared:,} rows compared)"
        )
    print(
        f"verified against Ultralytics {ultralytics.__version__} (its build_optimizer, LambdaLR and lf; the "
        f"warmup's np.interp as _do_train calls it): {compared:,} {replay.unit}s x {replay.groups} groups, "
        "every value equal"
    )
