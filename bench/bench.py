"""Speed figures for the README, as ratios taken in one run (these machines are shared and noisy).

    python bench/bench.py [--runs 15] [--torch /path/to/python-with-torch]

Each command is run --runs times, interleaved with the others, in the current environment's
Python; the table shows the minimum and median wall time and the median's ratio to the floor, a
minimal Typer app that prints one number. With --torch, it also times real torch stepping
ExponentialLR 10⁶ times (one run: it takes a while).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
BIN = pathlib.Path(sys.executable).parent
LRCLI = str(BIN / "lrcli")
MILLION = "1000000"

TORCH_LOOP = """
import time, warnings, torch
warnings.simplefilter("ignore")
start = time.perf_counter()
parameter = torch.nn.Parameter(torch.zeros(1))
optimizer = torch.optim.SGD([parameter], lr=0.1)
scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.999999)
rows = []
for _ in range(1_000_000):
    rows.append(optimizer.param_groups[0]["lr"])
    optimizer.step()
    scheduler.step()
"""


def commands(folder: str) -> dict[str, list[str]]:
    output = os.path.join(folder, "lr.csv")
    return {
        "floor: minimal Typer app": [sys.executable, str(HERE / "minimal_typer.py")],
        "lrcli step --step-size 3 -f csv": [LRCLI, "step", "--lr", "0.1", "--step-size", "3", "--format", "csv"],
        "lrcli step --step-size 3 (table)": [LRCLI, "step", "--lr", "0.1", "--step-size", "3"],
        "lrcli exp, 10⁶ epochs, -f csv -o file": [LRCLI, "exp", "--gamma", "0.999999", "--epochs", MILLION, "-f", "csv", "-o", output],
        "lrcli step, 10⁶ epochs, -f csv -o file": [LRCLI, "step", "--step-size", "1000", "--epochs", MILLION, "-f", "csv", "-o", output],
        "lrcli lambda 1/(epoch+1), 10⁶ epochs, csv": [LRCLI, "lambda", "--lr-lambda", "1/(epoch+1)", "--epochs", MILLION, "-f", "csv", "-o", output],
        "lrcli exp, 10⁶ epochs, table": [LRCLI, "exp", "--gamma", "0.999999", "--epochs", MILLION],
        "lrcli exp, 10⁶ epochs, plot": [LRCLI, "exp", "--gamma", "0.999999", "--epochs", MILLION, "-f", "plot"],
    }


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--torch", help="a Python interpreter that has torch installed")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        plan = commands(folder)
        times: dict[str, list[float]] = {name: [] for name in plan}
        for name, command in plan.items():  # warm the file cache
            wall(command)
        for _ in range(arguments.runs):
            for name, command in plan.items():
                times[name].append(wall(command))
    floor = statistics.median(times["floor: minimal Typer app"])
    print(f"{'command':44} {'min s':>7} {'median s':>9} {'× floor':>8}")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:44} {min(samples):7.3f} {median:9.3f} {median / floor:8.2f}")
    if arguments.torch:
        start = time.perf_counter()
        subprocess.run([arguments.torch, "-c", TORCH_LOOP], check=True, stderr=subprocess.DEVNULL)
        torch_time = time.perf_counter() - start
        lrcli_time = statistics.median(times["lrcli exp, 10⁶ epochs, -f csv -o file"])
        print(f"{'torch: import + 10⁶ ExponentialLR steps':44} {torch_time:7.3f} {torch_time:9.3f} {torch_time / floor:8.2f}")
        print(f"torch takes {torch_time / lrcli_time:.0f}× as long as lrcli exp for 10⁶ epochs to CSV")


if __name__ == "__main__":
    main()
