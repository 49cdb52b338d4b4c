"""Speed and memory figures for the README: one table of ratios, every figure from one run (these
machines are shared and noisy, so only ratios taken side by side mean much).

    python bench/bench.py [--runs 15] [--large-runs 3] [--torch /path/to/python-with-torch]

Run it with the Python of an environment where lrcli is installed as the README says (``pip
install .``, byte-compiled like a user's install). Commands are run several times, interleaved
with what they are compared to, and each figure is a median of wall times. Goals are in brackets.

- start-up: the usage example and a TAB completion, against a one-command Typer app [≤ 1.25×];
- 10⁷ per-iteration rows to a CSV file, StepLR and warmup + CosineAnnealingLR (eta_min ≠ 0),
  against the loop a user would write in plain Python, the same recurrence and one
  ``f"{k},{lr!r}\\n"`` per row (bench/plain_loop.py) [lrcli ≥ 4× and ≥ 2× faster];
- the table and plot views of 10⁷ steps, against the usage example [≤ 5×];
- the peak memory of 10⁸ rows to a CSV file, by ``/usr/bin/time -v`` [≤ 200 MB]; with
  --every-command, of every command (bench/horizon.py) at 10⁸ rows, the largest [≤ 200 MB];
- 10⁶ rows of transformers' cosine (the Trainer's), timm's cosine per update, DeepSpeed's
  WarmupCosineLR, an MMCV 1.x config (mmdetection's 1x) and Ultralytics' trainer (SGD, three
  param groups) to a CSV file, against a LambdaLR of the same length and shape (the same columns:
  epochs where the command has them, three groups for Ultralytics) [≤ 1.25×];
- with --torch, real torch stepping the StepLR for 10⁵ steps, scaled to 10⁷, against lrcli's
  10⁷ rows to CSV [lrcli ≥ 30× faster].
"""

from __future__ import annotations

import argparse
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
LRCLI = str(pathlib.Path(sys.executable).parent / "lrcli")
TEN_MILLION = 10_000_000
STEP = ["step", "--step-size", "1000000", "--gamma", "0.5"]
WARMUP_COSINE = [
    "cosine",
    "--t-max",
    "9990000",
    "--eta-min",
    "0.000001",
    "--warmup",
    "10000",
    "--warmup-start-factor",
    "0.001",
]

MMDET_1X = str(HERE.parent / "tests/data/configs/mmdet2/faster_rcnn/faster_rcnn_r50_fpn_1x_coco.py")
"""12 epochs: 83,334 iterations an epoch make 1,000,008 rows."""
COSINE_LAMBDA = ["lambda", "--lr-lambda", "0.5 * (1 + cos(pi * epoch / 1000000))"]
"""A LambdaLR stepped 10⁶ times, the shape every framework's 10⁶ rows are compared to."""

TORCH_STEPS = 100_000
TORCH_LOOP = f"""
import time, warnings, torch
warnings.simplefilter("ignore")
parameter = torch.nn.Parameter(torch.zeros(1))
optimizer = torch.optim.SGD([parameter], lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1000000, gamma=0.5)
start = time.perf_counter()
with open({os.devnull!r}, "w") as file:
    for step in range({TORCH_STEPS}):
        file.write(f"{{step}},{{optimizer.param_groups[0]['lr']!r}}\\n")
        optimizer.step()
        scheduler.step()
print(time.perf_counter() - start)
"""


def wall(command: list[str], environment: dict[str, str] | None = None) -> float:
    """Seconds ``command`` takes, starting with no other file's data waiting to be written (lrcli
    syncs its output file, which could otherwise wait for the large files written before it)."""
    os.sync()
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=environment)
    return time.perf_counter() - start


def medians(plan: dict[str, tuple[list[str], dict | None]], runs: int) -> dict[str, float]:
    """Median wall time of each command, runs interleaved, after one warm-up run each."""
    times: dict[str, list[float]] = {name: [] for name in plan}
    for command, environment in plan.values():
        wall(command, environment)
    for _ in range(runs):
        for name, (command, environment) in plan.items():
            times[name].append(wall(command, environment))
    return {name: statistics.median(samples) for name, samples in times.items()}


def peak_rss_mb(command: list[str]) -> float:
    run = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True, check=True)
    line = next(line for line in run.stderr.splitlines() if "Maximum resident set size" in line)
    return int(line.split()[-1]) / 1024


def every_command_peaks(folder: str, rows: int = 100_000_000) -> dict[str, float]:
    """Peak memory (MB) of each command bench/horizon.py walks, ``rows`` rows of it to a CSV file
    (a plateau: as many as lrcli holds metrics for)."""
    sys.path.insert(0, str(HERE))
    import horizon

    peaks = {}
    for command in horizon.commands_with_metrics(rows, folder):
        peak, _, status = horizon.run_to_file(command.words, folder)
        if status != 0:
            raise SystemExit(f"lrcli {' '.join(command.words)[:200]} failed (exit {status})")
        peaks[command.name] = peak
    return peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each start-up command")
    parser.add_argument("--large-runs", type=int, default=3, help="runs of each 10⁷-row command")
    parser.add_argument("--torch", help="a Python interpreter that has torch installed")
    parser.add_argument(
        "--every-command",
        action="store_true",
        help="also 10⁸ rows of every command to a CSV file, for the largest peak memory (an hour)",
    )
    arguments = parser.parse_args()
    completion = {**os.environ, "_LRCLI_COMPLETE": "complete_bash", "COMP_WORDS": "lrcli st", "COMP_CWORD": "1"}
    startup = medians(
        {
            "floor": ([sys.executable, str(HERE / "minimal_typer.py")], None),
            "usage": ([LRCLI, "step", "--lr", "0.1", "--step-size", "3"], None),
            "tab": ([LRCLI], completion),
        },
        arguments.runs,
    )
    rows = ["--steps", str(TEN_MILLION)]
    with tempfile.TemporaryDirectory() as folder:
        csv = ["-o", os.path.join(folder, "lr.csv")]
        plain = [sys.executable, str(HERE / "plain_loop.py"), os.path.join(folder, "plain.csv")]
        large = medians(
            {
                "step csv": ([LRCLI, *STEP, *rows, *csv], None),
                "step plain": ([*plain, "step"], None),
                "cosine csv": ([LRCLI, *WARMUP_COSINE, *rows, *csv], None),
                "cosine plain": ([*plain, "warmup-cosine"], None),
                "table": ([LRCLI, *STEP, *rows], None),
                "plot": ([LRCLI, *STEP, *rows, "-f", "plot"], None),
                "usage": ([LRCLI, "step", "--lr", "0.1", "--step-size", "3"], None),
            },
            arguments.large_runs,
        )
        frameworks = medians(
            {
                "lambda csv": ([LRCLI, *COSINE_LAMBDA, "--steps", "1000000", *csv], None),
                "transformers csv": (
                    [
                        LRCLI,
                        "transformers",
                        "cosine",
                        "--num-warmup-steps",
                        "10000",
                        "--num-training-steps",
                        "1000000",
                        *csv,
                    ],
                    None,
                ),
                "timm csv": (
                    [
                        LRCLI,
                        "timm",
                        "--sched",
                        "cosine",
                        "--epochs",
                        "100",
                        "--warmup-epochs",
                        "1",
                        "--sched-on-updates",
                        "--updates-per-epoch",
                        "10000",
                        *csv,
                    ],
                    None,
                ),
                "deepspeed csv": (
                    [
                        LRCLI,
                        "deepspeed",
                        "warmup-cosine-lr",
                        "--total-num-steps",
                        "1000000",
                        "--warmup-num-steps",
                        "10000",
                        *csv,
                    ],
                    None,
                ),
                "lambda epochs csv": (
                    [LRCLI, *COSINE_LAMBDA, "--epochs", "12", "--steps-per-epoch", "83334", *csv],
                    None,
                ),
                "mmcv csv": ([LRCLI, "mmcv", MMDET_1X, "--iters-per-epoch", "83334", *csv], None),
                "lambda 3 groups csv": (
                    [
                        LRCLI,
                        *COSINE_LAMBDA,
                        *("--lr", "0.01") * 3,
                        "--epochs",
                        "100",
                        "--steps-per-epoch",
                        "10000",
                        *csv,
                    ],
                    None,
                ),
                "ultralytics csv": (
                    [LRCLI, "ultralytics", "epochs=100", "optimizer=SGD", "--iters-per-epoch", "10000", *csv],
                    None,
                ),
            },
            arguments.large_runs + 2,
        )
        rss = peak_rss_mb([LRCLI, *STEP, "--steps", "100000000", *csv])
        every = every_command_peaks(folder) if arguments.every_command else None
    table = [
        (
            "usage example (lrcli step --lr 0.1 --step-size 3) / bare Typer app",
            startup["usage"] / startup["floor"],
            "≤ 1.25×",
        ),
        ("TAB completion / bare Typer app", startup["tab"] / startup["floor"], "≤ 1.25×"),
        ("10⁷ rows StepLR to CSV: plain Python loop / lrcli", large["step plain"] / large["step csv"], "≥ 4×"),
        (
            "10⁷ rows warmup + cosine to CSV: plain Python loop / lrcli",
            large["cosine plain"] / large["cosine csv"],
            "≥ 2×",
        ),
        ("table view of 10⁷ steps / usage example", large["table"] / large["usage"], "≤ 5×"),
        ("plot view of 10⁷ steps / usage example", large["plot"] / large["usage"], "≤ 5×"),
        (
            "10⁶ rows transformers cosine to CSV / LambdaLR of the same length",
            frameworks["transformers csv"] / frameworks["lambda csv"],
            "≤ 1.25×",
        ),
        (
            "10⁶ rows timm cosine per update to CSV / LambdaLR of the same length",
            frameworks["timm csv"] / frameworks["lambda csv"],
            "≤ 1.25×",
        ),
        (
            "10⁶ rows DeepSpeed WarmupCosineLR to CSV / LambdaLR of the same length",
            frameworks["deepspeed csv"] / frameworks["lambda csv"],
            "≤ 1.25×",
        ),
        (
            "10⁶ rows MMCV 1.x mmdet 1x to CSV / LambdaLR of the same shape",
            frameworks["mmcv csv"] / frameworks["lambda epochs csv"],
            "≤ 1.25×",
        ),
        (
            "10⁶ rows Ultralytics, 3 groups, to CSV / LambdaLR of the same shape",
            frameworks["ultralytics csv"] / frameworks["lambda 3 groups csv"],
            "≤ 1.25×",
        ),
    ]
    print(
        f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"{'measure':72} {'value':>9}  goal")
    for name, ratio, goal in table:
        print(f"{name:72} {ratio:8.2f}×  {goal}")
    print(f"{'peak RSS, 10⁸ rows StepLR to CSV (MB)':72} {rss:9.0f}  ≤ 200")
    if every is not None:
        name, peak = max(every.items(), key=lambda item: item[1])
        print(f"{f'peak RSS, 10⁸ rows of every command to CSV, the largest: {name} (MB)':72} {peak:9.0f}  ≤ 200")
    else:
        print("every command at 10⁸ rows: not measured (--every-command)")
    if arguments.torch:
        run = subprocess.run([arguments.torch, "-c", TORCH_LOOP], capture_output=True, text=True, check=True)
        scaled = float(run.stdout) * TEN_MILLION / TORCH_STEPS
        print(
            f"{'torch StepLR, 10⁵ steps scaled to 10⁷ / lrcli 10⁷ rows to CSV':72} {scaled / large['step csv']:8.1f}×  ≥ 30×"
        )
    else:
        print("torch: not measured (no --torch interpreter given)")
    print()
    print(
        "seconds (medians): "
        + ", ".join(f"{name} {value:.3f}" for name, value in {**startup, **large, **frameworks}.items())
    )
    if every is not None:
        print("peak MB, 10⁸ rows to CSV: " + ", ".join(f"{name} {peak:.0f}" for name, peak in every.items()))


if __name__ == "__main__":
    main()
