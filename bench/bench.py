"""Speed figures for the README, as ratios taken in one run (these machines are shared and noisy).

    python bench/bench.py [--runs 15] [--large-runs 5] [--torch /path/to/python-with-torch]

Run it with the Python of an environment where lrcli is installed as the README says (``pip
install .``, so its modules are byte-compiled like a user's). Each command is run several times,
interleaved with the others; the tables show the minimum and median wall time and the median's
ratio to the floor, a minimal Typer app that prints one number. The second table runs every
scheduler for 10⁶ epochs to a CSV file. With --torch, it also times real torch stepping
ExponentialLR 10⁶ times (one run: it takes a while).
"""

from __future__ import annotations

import argparse
import math
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
LRCLI = str(pathlib.Path(sys.executable).parent / "lrcli")
MILLION = "1000000"

TORCH_LOOP = """
import warnings, torch
warnings.simplefilter("ignore")
parameter = torch.nn.Parameter(torch.zeros(1))
optimizer = torch.optim.SGD([parameter], lr=0.1)
scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.999999)
rows = []
for _ in range(1_000_000):
    rows.append(optimizer.param_groups[0]["lr"])
    optimizer.step()
    scheduler.step()
"""


def startup_commands() -> dict[str, list[str]]:
    return {
        "floor: minimal Typer app": [sys.executable, str(HERE / "minimal_typer.py")],
        "lrcli step --step-size 3 -f csv": [LRCLI, "step", "--lr", "0.1", "--step-size", "3", "--format", "csv"],
        "lrcli step --step-size 3 (table)": [LRCLI, "step", "--lr", "0.1", "--step-size", "3"],
        "lrcli step --step-size 3 -f plot": [LRCLI, "step", "--lr", "0.1", "--step-size", "3", "-f", "plot"],
        "TAB: complete 'lrcli st'": [LRCLI],
    }


def large_commands(folder: str) -> dict[str, list[str]]:
    """Every scheduler, 10⁶ epochs, CSV to a file; then the table and plot views."""
    metrics = os.path.join(folder, "metrics.txt")
    with open(metrics, "w") as file:
        file.writelines(f"{1 / (1 + k / 1000) + 0.01 * math.sin(k)!r}\n" for k in range(1_000_000))
    to_csv = ["--epochs", MILLION, "-f", "csv", "-o", os.path.join(folder, "lr.csv")]
    schedules = {
        "exp --gamma 0.999999": ["exp", "--gamma", "0.999999"],
        "step --step-size 1000": ["step", "--step-size", "1000"],
        "multistep --milestones 3e5,6e5,9e5": ["multistep", "--milestones", "300000,600000,900000"],
        "constant": ["constant"],
        "linear --total-iters 100000": ["linear", "--total-iters", "100000"],
        "poly --total-iters 1000000 --power 2": ["poly", "--total-iters", MILLION, "--power", "2"],
        "lambda '1/(epoch+1)'": ["lambda", "--lr-lambda", "1/(epoch+1)"],
        "multiplicative '0.999999'": ["multiplicative", "--lr-lambda", "0.999999"],
        "cosine --t-max 1000000": ["cosine", "--t-max", MILLION],
        "cosine --t-max 1000000 --eta-min 1e-5": ["cosine", "--t-max", MILLION, "--eta-min", "1e-5"],
        "cosine-restarts --t-0 1000 --t-mult 2": ["cosine-restarts", "--t-0", "1000", "--t-mult", "2"],
        "cyclic --step-size-up 2000": ["cyclic", "--base-lr", "0.001", "--max-lr", "0.1"],
        "onecycle --total-steps 1000000": ["onecycle", "--max-lr", "0.1", "--total-steps", MILLION],
        "plateau (10⁶ metrics)": ["plateau", "--metrics", metrics, "--patience", "5"],
        "step --step-size 1000 --warmup 1000": ["step", "--step-size", "1000", "--warmup", "1000"],
        "sequential linear, cosine": ["sequential", "linear(start_factor=0.1, total_iters=1000)",
                                      "cosine(T_max=999000)", "--milestones", "1000"],
        "chained constant, exp": ["chained", "constant(factor=0.5, total_iters=1000)", "exp(gamma=0.999999)"],
    }
    commands = {f"csv 10⁶: {name}": [LRCLI, *args, *to_csv] for name, args in schedules.items()}
    commands["table 10⁶: exp"] = [LRCLI, "exp", "--gamma", "0.999999", "--epochs", MILLION]
    commands["plot 10⁶: exp"] = [LRCLI, "exp", "--gamma", "0.999999", "--epochs", MILLION, "-f", "plot"]
    commands["plot 10⁶: cosine-restarts"] = [LRCLI, "cosine-restarts", "--t-0", "1000", "--t-mult", "2",
                                            "--epochs", MILLION, "-f", "plot"]
    return commands


def wall(command: list[str], environment: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=environment)
    return time.perf_counter() - start


def measure(plan: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    completion = {**os.environ, "_LRCLI_COMPLETE": "complete_bash", "COMP_WORDS": "lrcli st", "COMP_CWORD": "1"}
    environments = {name: completion if name.startswith("TAB") else None for name in plan}
    times: dict[str, list[float]] = {name: [] for name in plan}
    for name, command in plan.items():  # warm the file cache
        wall(command, environments[name])
    for _ in range(runs):
        for name, command in plan.items():
            times[name].append(wall(command, environments[name]))
    return times


def report(times: dict[str, list[float]], floor: float) -> None:
    print(f"{'command':48} {'min s':>7} {'median s':>9} {'× floor':>8}")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:48} {min(samples):7.3f} {median:9.3f} {median / floor:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each start-up command")
    parser.add_argument("--large-runs", type=int, default=5, help="runs of each 10⁶-epoch command")
    parser.add_argument("--torch", help="a Python interpreter that has torch installed")
    arguments = parser.parse_args()
    startup = measure(startup_commands(), arguments.runs)
    floor = statistics.median(startup["floor: minimal Typer app"])
    report(startup, floor)
    print()
    with tempfile.TemporaryDirectory() as folder:
        large = measure(large_commands(folder), arguments.large_runs)
    report(large, floor)
    if arguments.torch:
        start = time.perf_counter()
        subprocess.run([arguments.torch, "-c", TORCH_LOOP], check=True, stderr=subprocess.DEVNULL)
        torch_time = time.perf_counter() - start
        lrcli_time = statistics.median(large["csv 10⁶: exp --gamma 0.999999"])
        print(f"\ntorch, import + 10⁶ ExponentialLR steps: {torch_time:.1f} s, "
              f"{torch_time / lrcli_time:.0f}× lrcli's exp to CSV ({lrcli_time:.2f} s)")


if __name__ == "__main__":
    main()
