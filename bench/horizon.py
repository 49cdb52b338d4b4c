"""Every lrcli command at a long horizon, and its peak memory.

The command lines are built from the scheduler descriptions (``lrcli.registry``), so that a new
scheduler is covered without being named here: each with its smallest legal parameters that
count steps (1, so that markers, milestones and restarts are as many as they can be), the
others at their defaults; every torch scheduler, transformers type and timm ``--sched``, the
composable ones together in ``compare``, ``sequential`` and ``chained``, OpenMMLab and MMCV 1.x
configs, an Ultralytics run and a diffusers script.
tests/test_horizon.py runs them at 10⁹ rows into a reader that stops after three lines;

    python bench/horizon.py [--rows 100000000] [--only NAME…]

writes each one's rows to a CSV file and prints its peak resident memory (bench.py reports the
largest).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from lrcli.config import read_config
from lrcli.registry import DESCRIPTIONS, Description
from lrcli.registry.description import flag

ROOT = pathlib.Path(__file__).resolve().parent.parent
LRCLI = str(pathlib.Path(sys.executable).parent / "lrcli")

SAMPLES = {"int": 1, "float": 0.5, "ints": [1], "expression": "1 / (epoch + 1)"}
"""A legal value of each type, for a parameter that must be given."""
NEEDS = {
    "transformers.cosine_with_min_lr": {"min_lr_rate": 0.1},
    "transformers.cosine_warmup_with_min_lr": {"min_lr_rate": 0.1},
    "timm.step": {"decay_epochs": 1},
    "timm.multistep": {"decay_milestones": [1]},
    "timm.wsd": {"decay_epochs": 1},
    "timm.rsqrt": {"decay_epochs": 1},
}
"""What a description cannot say: one of two optional parameters that is needed, and timm's
decay periods, counted in epochs (train.py's flags do not say they count steps)."""
HORIZON = ("total_steps", "num_training_steps", "total_num_steps")
"""Parameters that are the run's length: given the horizon itself."""
CONFIGS = ("mmdet/schedule_1x.py", "classes/poly_restart.py", "classes/one_cycle_quadratic.py")
"""OpenMMLab configs from tests/data/configs, each run for the horizon's iterations."""


def _params(description: Description, rows: int) -> dict[str, object]:
    """The parameters given: the required ones, and 1 for each that counts steps."""
    params = {}
    for param in description.params:
        if param.name in HORIZON and (param.required or param.steps):
            params[param.name] = rows
        elif param.required and param.type.name in SAMPLES:
            params[param.name] = SAMPLES[param.type.name]
        elif param.steps and param.type.name == "int" and isinstance(param.default, int):
            params[param.name] = 1
    return {**params, **NEEDS.get(description.command, {})}


def _option_words(params: dict[str, object]) -> list[str]:
    words = []
    for name, value in params.items():
        words += [flag(name), ",".join(map(str, value)) if isinstance(value, list) else str(value)]
    return words


def _spec(description: Description, rows: int) -> str:
    """The description as a spec with the same parameters: ``step(step_size=1)``."""
    return (
        f"{description.command}({', '.join(f'{name}={value!r}' for name, value in _params(description, rows).items())})"
    )


@dataclass(frozen=True)
class Command:
    name: str
    words: list[str]
    metrics: bool = False  # reads --metrics: its horizon is the metrics' (bounded, so refused at 10⁹)


def commands(rows: int, metrics_file: str) -> list[Command]:
    """Every command lrcli has, at ``rows`` rows (plateaus: stepped by ``metrics_file``)."""
    found = []
    composable = []
    for description in DESCRIPTIONS:
        plateau = any(param.type.name == "metrics" for param in description.params)
        words = list(description.words)
        if plateau:
            words += ["--metrics", metrics_file]
            if description.family.name == "timm":
                words += ["--epochs", str(rows)]
            else:
                words += ["--steps", str(rows)]
            found.append(Command(description.command, words, metrics=True))
            continue
        if description.composition:
            continue
        words += _option_words(_params(description, rows))
        words += ["--epochs", str(rows)] if description.family.name == "timm" else ["--steps", str(rows)]
        found.append(Command(description.command, words))
        if description.composable:
            composable.append(_spec(description, rows))
    found.append(Command("compare", ["compare", *composable, "--steps", str(rows)]))
    once = [spec for spec in composable if not spec.startswith("onecycle")]  # torch takes one OneCycleLR
    found.append(
        Command(
            "sequential",
            ["sequential", *once, "--milestones", ",".join(map(str, range(1, len(once)))), "--steps", str(rows)],
        )
    )
    found.append(Command("chained", ["chained", *once, "--steps", str(rows)]))
    for config in CONFIGS:
        path = str(ROOT / "tests" / "data" / "configs" / config)
        epochs = read_config(path)["train_cfg"]["max_epochs"]
        found.append(
            Command(f"mmengine {config}", ["mmengine", path, "--iters-per-epoch", str(max(rows // epochs, 1))])
        )
    faster_rcnn = str(ROOT / "tests" / "data" / "configs" / "mmdet2" / "faster_rcnn" / "faster_rcnn_r50_fpn_1x_coco.py")
    found.append(Command("mmcv faster_rcnn_1x", ["mmcv", faster_rcnn, "--iters-per-epoch", str(max(rows // 12, 1))]))
    found.append(
        Command(
            "ultralytics",
            [
                "ultralytics",
                "optimizer=SGD",
                "cos_lr=True",
                "epochs=100",
                "--iters-per-epoch",
                str(max(rows // 100, 1)),
            ],
        )
    )
    found.append(
        Command(
            "diffusers",
            ["diffusers", "--lr_scheduler", "cosine", "--lr_warmup_steps", "1", "--max_train_steps", str(rows - 1)],
        )
    )
    return found


@dataclass(frozen=True)
class Run:
    peak_mb: float  # peak resident memory (VmHWM), as wait4 reports it to a small parent
    after_close: float | None  # seconds from the reader's close to the process's end; None: killed after the bound
    status: int  # exit status, or minus the signal that ended it (-13: SIGPIPE, a closed pipe)
    out: bytes
    err: str


MEASURED = """
import os, signal, sys
pid = os.fork()
if pid == 0:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # as a shell starts it
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""
"""A small process that runs a command and reports its peak memory and exit status. The peak is
measured from a parent this small because the kernel counts, in a child's peak, the memory of
the process it was forked from (a test runner: 150 MB) until it executes the command."""


def _start(words: list[str], report: str, **streams) -> subprocess.Popen:
    environment = {**os.environ}
    environment.pop("PYTHONUNBUFFERED", None)  # a write to a closed pipe must fail, as it does for users
    return subprocess.Popen(
        [sys.executable, "-S", "-c", MEASURED, report, LRCLI, *words],
        env=environment,
        start_new_session=True,
        **streams,
    )


def _reported(report: str) -> tuple[float, int]:
    """Peak memory (MB) and exit status (minus the signal that ended it) of the measured command."""
    peak, status = pathlib.Path(report).read_text().split()
    return int(peak) / 1024, int(status)


def run_piped(words: list[str], lines: int = 3, patience: float = 5.0, most: int = 1 << 16, bound: float = 30.0) -> Run:
    """Run ``lrcli WORDS`` into a reader that closes the pipe after ``lines`` lines (or ``most``
    bytes, or ``patience`` seconds without them), then gives it ``bound`` seconds to end (killing
    it after that)."""
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryFile() as errors:
        report = os.path.join(folder, "report")
        process = _start(words, report, stdout=subprocess.PIPE, stderr=errors)
        descriptor = process.stdout.fileno()
        os.set_blocking(descriptor, False)
        out = b""
        start = time.monotonic()
        while out.count(b"\n") < lines and len(out) < most and time.monotonic() - start < patience:
            try:
                piece = os.read(descriptor, 1 << 16)
            except BlockingIOError:
                time.sleep(0.005)
                continue
            if not piece:
                break
            out += piece
        process.stdout.close()
        closed = time.monotonic()
        after = None
        try:
            process.wait(bound)
            after = time.monotonic() - closed
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
        peak, status = _reported(report)
        errors.seek(0)
        return Run(peak, after, status, out, errors.read().decode(errors="replace"))


def run_to_file(words: list[str], folder: str) -> tuple[float, float, int]:
    """Peak memory (MB), seconds and exit status of ``lrcli WORDS -o FOLDER/lr.csv``."""
    report = os.path.join(folder, "report")
    start = time.monotonic()
    _start([*words, "-o", os.path.join(folder, "lr.csv")], report, stdout=subprocess.DEVNULL).wait()
    seconds = time.monotonic() - start
    peak, status = _reported(report)
    return peak, seconds, status


def metrics_file(folder: str, count: int) -> str:
    """A metrics file of ``count`` values that plateau a while, then improve, in turn."""
    path = os.path.join(folder, "metrics.txt")
    with open(path, "w") as file:
        file.writelines(f"{1.0 / (1 + k // 50)!r}\n" for k in range(count))
    return path


def commands_with_metrics(rows: int, folder: str) -> list[Command]:
    """:func:`commands` at ``rows`` rows, the plateaus at as many as lrcli holds metrics for,
    written to a file in ``folder``."""
    from lrcli.metrics import MAX_METRICS

    metrics_rows = min(rows, MAX_METRICS + 1)
    metrics = metrics_file(folder, metrics_rows - 1)
    return [
        Command(command.name, [str(metrics_rows) if word == str(rows) else word for word in command.words], True)
        if command.metrics
        else command
        for command in commands(rows, metrics)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000_000, help="rows of each command")
    parser.add_argument("--only", nargs="*", help="only the commands with these names")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for command in commands_with_metrics(arguments.rows, folder):
            if arguments.only and command.name not in arguments.only:
                continue
            peak, seconds, status = run_to_file(command.words, folder)
            print(f"{command.name:40} {peak:7.0f} MB {seconds:8.1f} s  exit {status}", flush=True)


if __name__ == "__main__":
    main()
