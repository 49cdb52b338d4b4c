"""Per-iteration stepping, counts in epochs, row selection, npz, streaming: what the golden files
(torch's values) do not show by themselves."""

import csv
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrcli.output import _write


def rows(text):
    return list(csv.reader(text.splitlines()))


def test_the_seeds_trap_in_one_command(lrcli):
    """StepLR(step_size=3) meant per epoch, but stepped per batch (7 batches): it decays 7 times too early."""
    per_batch = rows(
        lrcli(
            "step",
            "--lr",
            "0.1",
            "--step-size",
            "3",
            "--steps-per-epoch",
            "7",
            "--epochs",
            "9",
            "--changes",
            "-f",
            "csv",
        ).out
    )
    per_epoch = rows(
        lrcli(
            "step",
            "--lr",
            "0.1",
            "--step-size",
            "3",
            "--steps-per-epoch",
            "7",
            "--epochs",
            "9",
            "--counts-in",
            "epochs",
            "--changes",
            "-f",
            "csv",
        ).out
    )
    assert [row[0] for row in per_batch[1:4]] == ["0", "3", "6"]
    assert [row[0] for row in per_epoch[1:]] == ["0", "21", "42", "62"]
    assert per_epoch[2][2] == per_batch[2][2] == "0.010000000000000002"


def test_columns_name_steps_and_epochs_in_every_format(lrcli, tmp_path):
    args = ["exp", "--gamma", "0.9", "--lr", "0.1", "--lr", "0.2", "--steps-per-epoch", "3", "--epochs", "2"]
    table = rows(lrcli(*args, "-f", "csv").out)
    assert table[0] == ["step", "epoch", "lr_0", "lr_1"]
    assert [row[:2] for row in table[1:]] == [["0", "0"], ["1", "0"], ["2", "0"], ["3", "1"], ["4", "1"], ["5", "1"]]
    assert lrcli(*args, "-f", "tsv").out.splitlines()[0] == "step\tepoch\tlr_0\tlr_1"
    document = json.loads(lrcli(*args, "-f", "json").out)
    assert document["columns"] == table[0] and document["steps_per_epoch"] == 3
    assert document["rows"] == [[int(row[0]), int(row[1]), float(row[2]), float(row[3])] for row in table[1:]]
    view = lrcli(*args).out
    assert "┃ step ┃ epoch ┃ lr_0" in view
    assert rows(lrcli("exp", "--gamma", "0.9", "--steps", "4", "-f", "csv").out)[0] == ["step", "lr"]


def test_npz_holds_the_csv_rows(lrcli, tmp_path):
    args = [
        "onecycle",
        "--max-lr",
        "0.1",
        "--lr",
        "1",
        "--lr",
        "1",
        "--total-steps",
        "90",
        "--steps-per-epoch",
        "9",
        "--epochs",
        "10",
        "--show-momentum",
    ]
    target = tmp_path / "lr.npz"
    assert lrcli(*args, "-o", str(target)).code == 0
    table = rows(lrcli(*args, "-f", "csv").out)
    with np.load(target) as archive:
        assert sorted(archive.files) == ["epoch", "lr", "momentum", "step"]
        assert archive["lr"].shape == (90, 2) and archive["lr"].dtype == np.float64
        assert archive["step"].tolist() == [int(row[0]) for row in table[1:]]
        assert archive["epoch"].tolist() == [int(row[1]) for row in table[1:]]
        assert archive["lr"].tolist() == [[float(row[2]), float(row[3])] for row in table[1:]]
        assert archive["momentum"].tolist() == [[float(row[4]), float(row[5])] for row in table[1:]]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["lr.npz"]


def test_npz_of_a_selection_and_of_epochs(lrcli, tmp_path):
    target = tmp_path / "lr.npz"
    assert lrcli("step", "--step-size", "3", "--epochs", "20", "--changes", "-o", str(target)).code == 0
    with np.load(target) as archive:
        assert sorted(archive.files) == ["epoch", "lr"]
        assert archive["epoch"].tolist() == [0, 3, 6, 9, 12, 15, 18, 19]
    result = lrcli("step", "--step-size", "3", "-f", "npz")
    assert result.code == 2 and "--format npz writes a file" in result.err


@pytest.mark.parametrize(
    "option, value, torch_value",
    [
        ("--step-size", "2.5", 10),
        ("--total-iters", "0.75", 3),
        ("--t-max", "1.5", 6),
        ("--t-0", "0.25", 1),
    ],
)
def test_counts_in_epochs_become_torchs_steps(lrcli, option, value, torch_value):
    command = {"--step-size": "step", "--total-iters": "linear", "--t-max": "cosine", "--t-0": "cosine-restarts"}[
        option
    ]
    result = lrcli(command, option, value, "--steps-per-epoch", "4", "--counts-in", "epochs", "-f", "json")
    assert result.code == 0, result.err
    name = {"--step-size": "step_size", "--total-iters": "total_iters", "--t-max": "T_max", "--t-0": "T_0"}[option]
    assert json.loads(result.out)["params"][name] == torch_value


def test_counts_in_epochs_reach_specs_milestones_and_warmup(lrcli):
    document = json.loads(
        lrcli(
            "sequential",
            "linear(total_iters=0.5)",
            "multistep(milestones=[1, 2.5])",
            "--milestones",
            "0.5",
            "--steps-per-epoch",
            "10",
            "--counts-in",
            "epochs",
            "-f",
            "json",
        ).out
    )
    children = document["params"]["schedulers"]
    assert children[0]["params"]["total_iters"] == 5 and children[1]["params"]["milestones"] == [10, 25]
    assert document["params"]["milestones"] == [5]
    warm = json.loads(
        lrcli(
            "step",
            "--step-size",
            "3",
            "--warmup",
            "2",
            "--steps-per-epoch",
            "10",
            "--counts-in",
            "epochs",
            "-f",
            "json",
        ).out
    )
    assert warm["params"]["milestones"] == [20]
    assert warm["params"]["schedulers"][0]["params"]["total_iters"] == 20
    assert warm["params"]["schedulers"][1]["params"]["step_size"] == 30


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["step", "--step-size", "0.3", "--steps-per-epoch", "4", "--counts-in", "epochs"],
            "--step-size is 0.3 epochs, 1.2 steps at 4 steps per epoch: not a whole number of steps",
        ),
        (["cosine-restarts", "--t-0", "2.5", "--steps-per-epoch", "4"], "--t-0 must be a whole number >= 1, got 2.5"),
        (["step", "--step-size", "3", "--counts-in", "epochs"], "--counts-in epochs needs --steps-per-epoch"),
        (
            ["step", "--step-size", "3", "--steps-per-epoch", "0"],
            "--steps-per-epoch must be a whole number >= 1, got 0",
        ),
        (["step", "--step-size", "3", "--steps", "5", "--epochs", "5"], "give --epochs or --steps, not both"),
        (
            ["sequential", "cosine(T_max=0.3)", "--milestones", "", "--steps-per-epoch", "4", "--counts-in", "epochs"],
            "'cosine(T_max=0.3)': T_max is 0.3 epochs, 1.2 steps",
        ),
        (["step", "--step-size", "3", "--every", "0"], "--every must be a whole number >= 1, got 0"),
        (["step", "--step-size", "3", "--every", "2", "--changes"], "give one of them"),
        (["step", "--step-size", "3", "--at", "1", "--start", "2"], "--at names its rows"),
        (["step", "--step-size", "3", "--at", "10"], "--at names row 10, but the rows are 0 to 9"),
        (["step", "--step-size", "3", "--at", "x"], "--at must be whole numbers separated by commas"),
    ],
)
def test_training_scale_errors(lrcli, args, message):
    result = lrcli(*args)
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and message in result.err, result.err


def test_lambda_sees_steps_per_epoch(lrcli):
    per_step = rows(
        lrcli(
            "lambda",
            "--lr",
            "1",
            "--lr-lambda",
            "0.5 ** (epoch // steps_per_epoch)",
            "--steps-per-epoch",
            "3",
            "--epochs",
            "3",
            "-f",
            "csv",
        ).out
    )
    assert [row[2] for row in per_step[1:]] == ["1.0"] * 3 + ["0.5"] * 3 + ["0.25"] * 3
    per_epoch = rows(
        lrcli(
            "lambda", "--lr", "1", "--lr-lambda", "0.5 ** (epoch // steps_per_epoch)", "--epochs", "3", "-f", "csv"
        ).out
    )
    assert [row[1] for row in per_epoch[1:]] == ["1.0", "0.5", "0.25"]


def test_onecycle_takes_torchs_epochs_and_steps_per_epoch(lrcli):
    by_pair = lrcli("onecycle", "--max-lr", "0.1", "--epochs", "4", "--steps-per-epoch", "25", "-f", "json")
    by_total = lrcli("onecycle", "--max-lr", "0.1", "--total-steps", "100", "--steps-per-epoch", "25", "-f", "json")
    pair, total = json.loads(by_pair.out), json.loads(by_total.out)
    assert pair["params"]["epochs"] == 4 and pair["params"]["steps_per_epoch"] == 25
    assert len(pair["rows"]) == len(total["rows"]) == 100
    assert [row[2] for row in pair["rows"]] == [row[2] for row in total["rows"]]


full_run = [
    "cyclic",
    "--base-lr",
    "0.01",
    "--max-lr",
    "0.1",
    "--step-size-up",
    "7",
    "--mode",
    "exp_range",
    "--gamma",
    "0.99",
    "--lr",
    "1",
    "--lr",
    "1",
    "--steps",
    "300",
]


@settings(max_examples=60, deadline=None)
@given(
    st.none() | st.integers(-320, 320),
    st.none() | st.integers(-320, 320),
    st.sampled_from(["", "every", "changes"]),
    st.integers(1, 40),
)
def test_selections_are_rows_of_the_whole_run(start, stop, pick, every):
    import io

    from lrcli.cli.app import run

    def csv_of(*extra):
        saved, sys.stdout = sys.stdout, io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        try:
            code = run([*full_run, "-f", "csv", *extra])
            sys.stdout.flush()
            text = sys.stdout.buffer.getvalue().decode()
        finally:
            sys.stdout = saved
        return code, rows(text) if not code else None

    _, table = csv_of()
    window = table[1:][slice(start, stop)]
    extra = [
        *(["--start", str(start)] if start is not None else []),
        *(["--stop", str(stop)] if stop is not None else []),
    ]
    if pick == "every":
        extra += ["--every", str(every)]
        wanted = window[::every] + window[-1:] * bool(window and window[::every][-1] != window[-1])
    elif pick == "changes":
        extra += ["--changes"]
        wanted = [
            row for index, row in enumerate(window) if index == 0 or row[1:] != table[1:][int(row[0]) - 1][1:]
        ] + window[-1:]
        wanted = [row for index, row in enumerate(wanted) if index == 0 or row != wanted[index - 1]]
    else:
        wanted = window
    code, picked = csv_of(*extra)
    assert code == 0 and picked[0] == table[0] and picked[1:] == wanted


def test_at_picks_rows_in_order_once(lrcli):
    table = rows(lrcli(*full_run, "-f", "csv").out)
    picked = rows(lrcli(*full_run, "--at", "299,5,5,0", "-f", "csv").out)
    assert picked[1:] == [table[1], table[6], table[300]]


def test_a_window_far_into_a_long_run_computes_only_what_it_needs(lrcli):
    result = lrcli("exp", "--gamma", "0.9", "--steps", "1000000000", "--stop", "3", "-f", "csv")
    assert result.out == "step,lr\n0,0.1\n1,0.09000000000000001\n2,0.08100000000000002\n"


def test_views_say_their_unit_and_show_selections(lrcli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "20")
    table = lrcli(
        "step", "--step-size", "30", "--steps-per-epoch", "5005", "--epochs", "90", "--counts-in", "epochs"
    ).out
    assert "step ┃ epoch ┃ lr" in table
    assert "150150–300299 │ 30–59 │" in table
    assert "450,450 steps; runs of equal lr merged" in table
    changes = lrcli(
        "step", "--step-size", "30", "--steps-per-epoch", "5005", "--epochs", "90", "--counts-in", "epochs", "--changes"
    ).out
    assert "4 of 450,450 steps selected" in changes
    plot = lrcli(
        "step",
        "--step-size",
        "30",
        "--steps-per-epoch",
        "5005",
        "--epochs",
        "90",
        "--counts-in",
        "epochs",
        "-f",
        "plot",
    ).out.splitlines()
    assert plot[-1].split() == ["lr", "epoch"] and plot[-2].split() == [str(epoch) for epoch in range(0, 91, 10)]
    by_step = lrcli(
        "step",
        "--step-size",
        "30",
        "--steps-per-epoch",
        "5005",
        "--epochs",
        "90",
        "--counts-in",
        "epochs",
        "-f",
        "plot",
        "--plot-x",
        "step",
    ).out.splitlines()
    assert by_step[-1].split() == ["lr", "step"] and by_step[-2].split() == [
        "0",
        "100000",
        "200000",
        "300000",
        "400000",
    ]


def test_all_rows_streams_every_selected_row(lrcli):
    lines = lrcli("step", "--step-size", "2", "--steps-per-epoch", "2", "--epochs", "3", "--all-rows").out.splitlines()
    assert [line.split() for line in lines] == [
        ["step", "epoch", "lr"],
        ["0", "0", "0.1"],
        ["1", "0", "0.1"],
        ["2", "1", "0.010000000000000002"],
        ["3", "1", "0.010000000000000002"],
        ["4", "2", "0.0010000000000000002"],
        ["5", "2", "0.0010000000000000002"],
    ]
    assert not any(line.endswith(" ") for line in lines)


def test_progress_appears_only_for_long_writes_and_reports_the_fraction(monkeypatch):
    import lrcli.output as output

    shown = []

    class Bar:
        def update(self, fraction):
            shown.append(fraction)

        def stop(self):
            shown.append("stopped")

    monkeypatch.setattr(output, "_ProgressBar", Bar)
    monkeypatch.setattr(output, "PROGRESS_AFTER", 0.0)
    done = iter([0.25, 0.5, 1.0])
    sink = open(os.devnull, "wb")  # noqa: SIM115 (written to again below; closed with the process)
    _write([b"a", b"b", b"c"], sink, lambda: next(done))
    assert shown == [0.25, 0.5, 1.0, "stopped"]
    shown.clear()
    monkeypatch.setattr(output, "PROGRESS_AFTER", 60.0)
    _write([b"a", b"b"], sink, lambda: 0.5)
    assert shown == []


@pytest.mark.slow
def test_ctrl_c_leaves_no_file_and_no_traceback(tmp_path):
    target = tmp_path / "lr.csv"
    process = subprocess.Popen(
        [sys.executable, "-m", "lrcli", "cosine", "--t-max", "100000000", "--steps", "100000000", "-o", str(target)],
        stderr=subprocess.PIPE,
    )
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 130
    assert process.stderr.read() == b""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_a_hundred_million_rows_stream_in_flat_memory(tmp_path):
    target = tmp_path / "lr.csv"
    run = subprocess.run(
        [
            "/usr/bin/time",
            "-v",
            sys.executable,
            "-m",
            "lrcli",
            "step",
            "--step-size",
            "30000000",
            "--steps",
            "100000000",
            "-o",
            str(target),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    peak_kb = int(next(line for line in run.stderr.splitlines() if "Maximum resident" in line).split()[-1])
    assert peak_kb < 200 * 1024
    with open(target, "rb") as file:
        file.seek(-40, os.SEEK_END)
        assert file.read().endswith(b"\n99999999,0.00010000000000000003\n")


SELECTIONS = {
    "window": ["--start", "5", "--stop", "-3"],
    "every": ["--every", "4"],
    "changes": ["--changes"],
    "at": ["--at", "0,7,29"],
}


@pytest.mark.parametrize("output_format", ["table", "plot", "csv", "tsv", "json", "npz"])
@pytest.mark.parametrize("selection", sorted(SELECTIONS))
def test_every_selection_in_every_format(lrcli, tmp_path, selection, output_format):
    base = [
        "multistep",
        "--milestones",
        "3,7",
        "--steps-per-epoch",
        "3",
        "--epochs",
        "10",
        "--counts-in",
        "epochs",
        *SELECTIONS[selection],
    ]
    wanted = rows(lrcli(*base, "-f", "csv").out)
    assert len(wanted) > 2
    if output_format == "npz":
        target = tmp_path / "lr.npz"
        assert lrcli(*base, "-o", str(target)).code == 0
        with np.load(target) as archive:
            assert archive["step"].tolist() == [int(row[0]) for row in wanted[1:]]
            assert archive["lr"][:, 0].tolist() == [float(row[2]) for row in wanted[1:]]
        return
    result = lrcli(*base, "-f", output_format)
    assert result.code == 0, result.err
    if output_format == "tsv":
        assert result.out.splitlines() == ["\t".join(row) for row in wanted]
    elif output_format == "json":
        assert json.loads(result.out)["rows"] == [[int(row[0]), int(row[1]), float(row[2])] for row in wanted[1:]]
    elif output_format == "table":
        for row in wanted[1:]:
            assert f"│ {row[0]:>4} │" in result.out or f"{row[0]} │" in result.out
        assert f"{len(wanted) - 1} of 30 steps selected" in result.out
    elif output_format == "plot":
        assert "┤" in result.out and result.out.splitlines()[-1].split() == ["lr", "epoch"]
    else:  # csv: the rows of the whole run that the selection names
        whole = rows(lrcli(*base[:9], "-f", "csv").out)
        assert wanted[1:] == [row for row in whole[1:] if row in wanted[1:]] and wanted[0] == whole[0]
