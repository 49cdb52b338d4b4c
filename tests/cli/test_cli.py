"""The command line as a user and a shell script meet it: formats, errors, files, colour, pipes."""

import csv
import json
import os
import subprocess
import sys

import pytest

from lrcli import __version__
from lrcli.output import write_atomic
from scripts.golden.harness import METRICS

BAD_INPUTS = [
    (["step", "--step-size", "0"], "--step-size 0 makes torch divide by zero (last_epoch % step_size) at epoch 1"),
    (["step", "--step-size", "inf"], "'inf' is not a finite number"),
    (["step"], "Missing option '--step-size'"),
    (["exp", "--gamma", "nan"], "--gamma must be a finite number >= 0"),
    (["exp", "--gamma", "inf"], "--gamma must be a finite number >= 0"),
    (["exp", "--gamma", "-0.5"], "--gamma must be a finite number >= 0"),
    (["multistep", "--milestones", "3,x"], "--milestones must be numbers separated by commas, got '3,x'"),
    (["exp", "--gamma", "0.5", "--epochs", "-1"], "--epochs must give from 0 to 1,000,000,000 rows, got -1"),
    (
        ["exp", "--gamma", "0.5", "--epochs", "1000000001"],
        "--epochs must give from 0 to 1,000,000,000 rows, got 1000000001",
    ),
    (
        ["exp", "--gamma", "0.5", "--epochs", "100000", "--steps-per-epoch", "100000"],
        "--epochs must give from 0 to 1,000,000,000 rows, got 100000 x 100000 steps = 10,000,000,000 rows",
    ),
    (["exp", "--gamma", "0.5", "--steps", "-5"], "--steps must give from 0 to 1,000,000,000 rows, got -5"),
    (["exp", "--gamma", "0.5", "--format", "xml"], "'xml' is not one of"),
    (["exp", "--gamma", "0.5", "--lr", "-0.1"], "the initial lr is -0.1; torch's optimizers refuse"),
    (["exp", "--gamma", "0.5", "--lr", "0.1", "--lr", "nan"], "the initial lr of group 1 is nan"),
    (["exp", "--gamma", "0.5", "--lr", "inf"], "the initial lr is inf"),
    (["exp", "--gamma", "10", "--epochs", "1000"], "the lr at epoch 310 is inf"),
    (["lambda", "--lr-lambda", "1 / epoch"], "--lr-lambda: division by zero at epoch 0"),
    (["lambda", "--lr-lambda", "nan"], "the lr at epoch 0 is nan"),
    (["lambda", "--lr-lambda", "(-1) ** 0.5"], "not a number"),
    (
        ["lambda", "--lr-lambda", "1", "--lr-lambda", "2"],
        "--lr-lambda has 2 values for 1 param group; torch takes one, or a list of one per group",
    ),
    (["lambda", "--lr-lambda", "9**9**9"], "--lr-lambda: ** gives an integer wider than 10000 bits at epoch 0"),
    (["exp", "--gamma", "0.5", "--log-y"], "--log-y applies to --format plot"),
    (["exp", "--gamma", "0.5", "--all-rows", "-f", "csv"], "--all-rows applies to --format table"),
    (["lambda", "--lr-lambda", "0", "-f", "plot", "--log-y"], "--log-y has nothing to draw: every lr is 0 or below"),
    (["exp", "--gamma", "0.5", "--epochs", "0", "-f", "plot"], "no epochs to plot"),
    (["exp", "--gamma", "0.5", "--bogus"], "No such option: --bogus"),
    (
        ["cosine", "--t-max", "0"],
        "--t-max 0 makes torch divide by zero ((last_epoch - 1 - T_max) % (2 * T_max)) at the first step",
    ),
    (
        ["cosine", "--t-max", "0.3333333333333333"],
        "--t-max 0.3333333333333333 makes torch divide by zero at epoch 2: 1 + cos(pi * 1 / T_max) is 0.0",
    ),
    (["cosine-restarts", "--t-0", "5", "--t-mult", "0"], "--t-mult must be a whole number >= 1, got 0"),
    (
        ["cyclic", "--base-lr", "0.1", "--max-lr", "0.2", "--step-size-up", "0"],
        "--step-size-up 0 makes torch's constructor divide by zero (step_size_up + step_size_down is 0)",
    ),
    (
        ["cyclic", "--base-lr", "0.1", "--max-lr", "0.2", "--step-size-up", "2", "--step-size-down", "-2"],
        "--step-size-up 2 (with step_size_down=-2) makes torch's constructor divide by zero",
    ),
    (["cyclic", "--base-lr", "0.1", "--max-lr", "0.2", "--mode", "sawtooth"], "'sawtooth' is not one of"),
    (
        ["onecycle", "--max-lr", "0.1", "--total-steps", "100", "--pct-start", "1.01"],
        "--pct-start must be a finite number >= 0 and <= 1",
    ),
    (
        ["onecycle", "--max-lr", "0.1", "--total-steps", "100", "--pct-start", "1", "--epochs", "101"],
        "OneCycleLR(pct_start=1.0, total_steps=100) fails at step 100, as torch does: float division by zero",
    ),
    (
        ["chained", "onecycle(max_lr=0.1, total_steps=100, pct_start=1)"],
        "pct_start must be a float, as torch requires, got 1",
    ),
    (
        ["onecycle", "--max-lr", "0.1", "--total-steps", "100", "--epochs", "102"],
        "OneCycleLR(total_steps=100) refuses step 101, as torch does: at most 101 rows",
    ),
    (["onecycle", "--max-lr", "0.1", "--total-steps", "0"], "--total-steps must be a whole number >= 1"),
    (
        ["onecycle", "--max-lr", "0.1", "--max-lr", "0.2", "--total-steps", "9", "--lr", "1", "--lr", "1", "--lr", "1"],
        "--max-lr has 2 values for 3 param groups",
    ),
    (["constant", "--factor", "1.5"], "--factor must be a finite number >= 0 and <= 1, got 1.5"),
    (["constant", "--factor", "0", "--total-iters", "3"], "--factor 0 makes torch divide by zero at epoch 3"),
    (["linear", "--start-factor", "0"], "--start-factor must be a finite number > 0 and <= 1"),
    (["poly", "--total-iters", "4", "--power", "-1"], "--power -1.0 makes torch divide by zero at epoch 4"),
    (["sequential", "nosuch(x=1)", "exp(gamma=0.5)", "--milestones", "3"], "'nosuch(x=1)': unknown scheduler 'nosuch'"),
    (
        ["sequential", "cosine(T_max=5, gamma=1)", "exp(gamma=0.5)", "--milestones", "3"],
        "'cosine(T_max=5, gamma=1)': CosineAnnealingLR has no parameter 'gamma' (it takes T_max, eta_min, last_epoch)",
    ),
    (
        ["sequential", "cosine(T_max=__import__('os'))", "exp(gamma=0.5)", "--milestones", "3"],
        "T_max must be a literal",
    ),
    (["sequential", "cosine(T_max=5 + 1)", "exp(gamma=0.5)", "--milestones", "3"], "T_max must be a literal"),
    (
        ["sequential", "cosine(T_max=5)", "exp(gamma=0.5)", "--milestones", "3,4"],
        "--milestones must be one fewer than the schedulers (2), got 2",
    ),
    (["sequential", "exp(gamma=0.5)", "--milestones", "x"], "--milestones must be numbers separated by commas"),
    (["chained", "exp(0.5)"], "'exp(0.5)': give parameters as keywords"),
    (["chained", "exp(gamma=0.5"], "'exp(gamma=0.5' is not a call like cosine(T_max=95)"),
    (["chained", "cosine(T_max=0)"], "'cosine(T_max=0)': T_max 0 makes torch divide by zero"),
    (["cosine-restarts", "--t-0", "2.5"], "--t-0 must be a whole number >= 1, got 2.5"),
    (["onecycle", "--max-lr", "0.1", "--total-steps", "10.0"], "--total-steps must be a whole number >= 1, got 10.0"),
    (["swa", "--swa-lr", "0.01", "--anneal-epochs", "2.5"], "--anneal-epochs must be a whole number >= 0, got 2.5"),
    (["chained", "plateau(factor=0.5)"], "torch's SequentialLR and ChainedScheduler refuse ReduceLROnPlateau"),
    (["chained", "chained(x=1)"], "ChainedScheduler has no parameter 'x'"),
    (
        ["chained", "sequential(schedulers=[exp(gamma=0.9)], milestones=[])", "timm.cosine(epochs=5)"],
        "not a torch LRScheduler",
    ),
    (
        ["sequential", "cosine(T_max=5)", "chained(schedulers=[exp(gamma=0.9)])", "--milestones", "3"],
        "torch's SequentialLR fails at milestone 3",
    ),
    (
        ["chained", "lambda(lr_lambda='epoch.real')"],
        "lr_lambda: attribute access is not allowed (column 1 of 'epoch.real')",
    ),
    (["chained", "lambda(lr_lambda=open)"], "lr_lambda must be a literal"),
    (
        ["cyclic", "--base-lr", "0.1", "--max-lr", "0.2", "--no-cycle-momentum", "--show-momentum"],
        "CyclicLR does not cycle momentum here",
    ),
    (
        ["onecycle", "--max-lr", "0.1", "--total-steps", "9", "--show-momentum", "--warmup", "2"],
        "cannot follow --warmup",
    ),
    (["step", "--step-size", "2", "--warmup", "-1"], "--warmup must be a number >= 0, got -1"),
    (
        ["step", "--step-size", "2", "--warmup", "3", "--warmup-start-factor", "0"],
        "--warmup-start-factor must be a finite number > 0 and <= 1, got 0.0",
    ),
    (
        ["step", "--step-size", "2", "--warmup-start-factor", "0.5"],
        "--warmup-start-factor is where --warmup starts; give --warmup too",
    ),
    (["plateau", "--metrics", "/nonexistent/metrics.txt"], "--metrics cannot read '/nonexistent/metrics.txt'"),
    (
        ["plateau", "--metrics", str(METRICS / "metrics_loss.txt"), "--factor", "1.0"],
        "--factor must be a finite number < 1",
    ),
    (["nosuch"], "No such command 'nosuch'"),
    (
        ["sequential", "constant(factor=0.0, total_iters=2)", "exp(gamma=0.5)", "--milestones", "5", "--epochs", "6"],
        "'constant(factor=0.0, total_iters=2)': factor 0 makes torch divide by zero at epoch 2",
    ),
    (
        ["chained", "lambda(lr_lambda='1/(3-epoch)')", "--epochs", "5"],
        "\"lambda(lr_lambda='1/(3-epoch)')\": lr_lambda: division by zero at epoch 3",
    ),
    (
        ["chained", "lambda(lr_lambda=['0.9 ** epoch'])", "--lr", "1", "--lr", "1"],
        "lr_lambda has 1 value for 2 param groups; torch takes one, or a list of one per group",
    ),
    (
        ["poly", "--power", "-1e308", "--total-iters", "3"],
        "--power -1e+308 makes the ratio of consecutive terms, raised to it, too large for a float at epoch 1",
    ),
    (["cosine", "--t-max", "1" + "0" * 400, "--epochs", "3"], "a value grows too large for a float"),
]


@pytest.mark.parametrize("args, message", BAD_INPUTS, ids=[" ".join(a) for a, _ in BAD_INPUTS])
def test_bad_input_is_one_error_line_and_exit_2(lrcli, args, message):
    result = lrcli(*args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("Error: ") and result.err.count("\n") == 1, result.err
    assert message in result.err


def test_refused_expression_shows_a_caret(lrcli):
    result = lrcli("lambda", "--lr-lambda", "0.5 ** epoch.real")
    assert result.code == 2
    assert result.err.splitlines() == [
        "Error: --lr-lambda: attribute access is not allowed (column 8)",
        "  0.5 ** epoch.real",
        "         ^",
    ]


def test_unwritable_output_is_one_error_line_and_no_file(lrcli, tmp_path):
    target = tmp_path / "missing" / "lr.csv"
    result = lrcli("exp", "--gamma", "0.5", "-f", "csv", "-o", str(target))
    assert result.code == 1
    assert result.err == f"Error: cannot write {str(target)!r}: No such file or directory\n"
    assert not target.parent.exists()


def test_output_file_replaces_atomically_and_keeps_its_mode(lrcli, tmp_path):
    target = tmp_path / "lr.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    assert lrcli("step", "--step-size", "2", "--epochs", "3", "-f", "csv", "-o", str(target)).code == 0
    assert target.read_text() == "epoch,lr\n0,0.1\n1,0.1\n2,0.010000000000000002\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(path.name for path in tmp_path.iterdir()) == ["lr.csv"]


def test_failed_run_leaves_existing_output_alone(lrcli, tmp_path):
    target = tmp_path / "lr.csv"
    target.write_text("old\n")
    assert lrcli("exp", "--gamma", "nan", "-f", "csv", "-o", str(target)).code == 2
    assert target.read_text() == "old\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["lr.csv"]


def test_interrupted_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "lr.csv"
    target.write_text("old\n")

    def interrupted(source, destination):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(str(target), [b"new\n"])
    assert target.read_text() == "old\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["lr.csv"]


def test_csv_and_tsv_headers_name_each_group(lrcli):
    csv_out = lrcli("exp", "--gamma", "0.5", "--lr", "1", "--lr", "2", "--epochs", "2", "-f", "csv").out
    tsv_out = lrcli("exp", "--gamma", "0.5", "--lr", "1", "--lr", "2", "--epochs", "2", "-f", "tsv").out
    assert csv_out == "epoch,lr_0,lr_1\n0,1.0,2.0\n1,0.5,1.0\n"
    assert tsv_out == csv_out.replace(",", "\t")


def test_zero_epochs_is_a_header_alone(lrcli):
    assert lrcli("exp", "--gamma", "0.5", "--epochs", "0", "-f", "csv").out == "epoch,lr\n"


def test_json_holds_class_params_and_the_csv_rows(lrcli):
    args = ["multistep", "--lr", "0.1", "--lr", "0.3", "--milestones", "2,2,5", "--gamma", "0.5", "--epochs", "8"]
    document = json.loads(lrcli(*args, "-f", "json").out)
    rows = list(csv.reader(lrcli(*args, "-f", "csv").out.splitlines()))
    assert document["scheduler"] == "MultiStepLR"
    assert document["params"] == {"milestones": [2, 2, 5], "gamma": 0.5}
    assert document["base_lrs"] == [0.1, 0.3]
    assert document["columns"] == rows[0]
    assert document["rows"] == [[int(row[0])] + [float(v) for v in row[1:]] for row in rows[1:]]


def test_json_and_csv_agree_across_chunks(lrcli):
    args = ["exp", "--gamma", "0.9999", "--lr", "0.1", "--lr", "0.2", "--epochs", "20000"]
    document = json.loads(lrcli(*args, "-f", "json").out)
    rows = list(csv.reader(lrcli(*args, "-f", "csv").out.splitlines()))[1:]
    assert len(rows) == 20000
    assert document["rows"] == [[int(row[0])] + [float(v) for v in row[1:]] for row in rows]
    assert [int(row[0]) for row in rows] == list(range(20000))


def test_lambda_json_keeps_the_expression(lrcli):
    document = json.loads(lrcli("lambda", "--lr-lambda", "1/(epoch+1)", "--epochs", "2", "-f", "json").out)
    assert document["scheduler"] == "LambdaLR"
    assert document["params"] == {"lr_lambda": "1/(epoch+1)"}


def test_short_table_shows_every_epoch(lrcli):
    out = lrcli("step", "--step-size", "3").out
    assert "StepLR(step_size=3, gamma=0.1)" in out
    for epoch in range(10):
        assert f"│ {epoch:>5} │" in out
    assert "\x1b" not in out


@pytest.mark.slow
def test_long_step_table_merges_equal_epochs(lrcli):
    out = lrcli("step", "--step-size", "250000", "--epochs", "1000000").out
    assert "0–249999" in out and "750000–999999" in out
    assert "1,000,000 epochs; runs of equal lr merged" in out
    assert len(out.splitlines()) < 20


@pytest.mark.slow
def test_long_smooth_table_shows_head_and_tail(lrcli):
    out = lrcli("exp", "--gamma", "0.999999", "--epochs", "1000000").out
    lines = out.splitlines()
    assert "│      … │ … 999,960 epochs not shown … │" in lines
    assert lines[-1] == "1,000,000 epochs; runs of equal lr merged; --all-rows lists every epoch"
    assert "│ 999999 │" in out
    assert len(lines) < 60


def test_all_rows_lists_every_epoch_plainly(lrcli):
    out = lrcli("exp", "--gamma", "0.5", "--lr", "1", "--lr", "2", "--epochs", "1000", "--all-rows").out
    lines = out.splitlines()
    assert [line.split() for line in lines[:3]] == [["epoch", "lr_0", "lr_1"], ["0", "1.0", "2.0"], ["1", "0.5", "1.0"]]
    assert len(lines) == 1001


def test_plot_draws_stairs_without_colour_when_piped(lrcli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "70")
    monkeypatch.setenv("LINES", "20")
    out = lrcli("step", "--step-size", "3", "-f", "plot").out
    lines = out.splitlines()
    assert "StepLR(step_size=3, gamma=0.1)" in lines[0]
    assert len(lines) <= 20 and max(map(len, lines)) <= 70
    assert "\x1b" not in out


@pytest.mark.slow
def test_plot_of_a_million_epochs_with_log_axis(lrcli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "20")
    result = lrcli("exp", "--gamma", "0.99999", "--epochs", "1000000", "-f", "plot", "--log-y")
    lines = result.out.splitlines()
    assert result.code == 0 and lines[0].strip() == "ExponentialLR(gamma=0.99999)"
    ticks = [line.split("┤")[0].strip() for line in lines if "┤" in line]
    lowest = 0.1 * 0.99999**999999  # about 4.5e-6
    assert ticks[0] == "0.1" and all(float(tick) in (10.0**-k for k in range(1, 7)) for tick in ticks)
    assert lowest <= float(ticks[-1]) < 10 * lowest
    assert lines[-2].split() == ["0", "200000", "400000", "600000", "800000"]  # round x ticks


def test_colour_only_on_a_terminal_and_never_with_no_color(lrcli, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert "\x1b[" in lrcli("step", "--step-size", "3").out
    assert "\x1b[" in lrcli("step", "--step-size", "3", "-f", "plot").out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in lrcli("step", "--step-size", "3").out
    assert "\x1b" not in lrcli("step", "--step-size", "3", "-f", "plot").out


def test_version(lrcli):
    assert lrcli("--version").out == f"lrcli {__version__}\n"


@pytest.mark.slow
def test_closed_pipe_exits_quietly():
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    process = subprocess.Popen(
        [sys.executable, "-m", "lrcli", "exp", "--gamma", "0.999999", "--epochs", "1000000", "-f", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    )
    assert process.stdout.readline() == b"epoch,lr\n"
    process.stdout.close()
    assert process.wait(timeout=60) in (0, -13)  # -13: ended by SIGPIPE, like cat or seq
    assert process.stderr.read() == b""


@pytest.mark.slow
def test_the_program_exits_with_its_status_and_flushes_everything():
    good = subprocess.run(
        [sys.executable, "-m", "lrcli", "exp", "--gamma", "0.5", "--epochs", "20000", "-f", "csv"], capture_output=True
    )
    assert good.returncode == 0 and good.stderr == b""
    assert good.stdout.count(b"\n") == 20001 and good.stdout.endswith(b"19999,0.0\n")
    bad = subprocess.run([sys.executable, "-m", "lrcli", "exp", "--gamma", "nan"], capture_output=True)
    assert bad.returncode == 2 and bad.stdout == b""
    assert bad.stderr == b"Error: --gamma must be a finite number >= 0, got nan\n"


def test_what_torch_computes_below_zero_is_shown_with_one_warning(lrcli):
    result = lrcli("linear", "--end-factor", "0", "--epochs", "8", "-f", "csv")
    assert result.code == 0
    assert result.out.splitlines()[6] == "5,-1.480297366166875e-18"
    assert result.err == (
        "Warning: the lr at epoch 5 is -1.480297366166875e-18, below 0; torch computes it too, "
        "and its optimizers step with it (only their constructors check lr)\n"
    )


def test_unordered_milestones_run_with_a_warning(lrcli):
    result = lrcli(
        "sequential", "exp(gamma=0.5)", "exp(gamma=0.5)", "exp(gamma=0.9)", "--milestones", "4,2", "-f", "csv"
    )
    assert result.code == 0 and len(result.out.splitlines()) == 11
    assert result.err.startswith("Warning: SequentialLR milestones [4, 2] are not in increasing order")


def test_a_log_axis_leaves_out_zeros_and_says_how_many(lrcli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "72")
    monkeypatch.setenv("LINES", "15")
    result = lrcli("cosine", "--t-max", "10", "--epochs", "30", "-f", "plot", "--log-y")  # 0 at epoch 10 only
    assert result.code == 0
    assert result.out.splitlines()[-1] == "--log-y: 1 lr value of 0 or below left out"
    result = lrcli("step", "--step-size", "2", "--gamma", "0", "-f", "plot", "--log-y")
    assert result.out.splitlines()[-1] == "--log-y: 8 lr values of 0 or below left out"
