"""lrcli compare: several schedules side by side, each column the very values of its own command."""

import csv
import json

import numpy as np
import pytest


def rows(text):
    return list(csv.reader(text.splitlines()))


def column(text, index=1):
    return [row[index] for row in rows(text)[1:]]


def test_each_column_is_its_own_commands_values(lrcli):
    both = rows(
        lrcli(
            "compare",
            "step(step_size=30)",
            "cos=cosine(T_max=85, eta_min=0.001, warmup=5)",
            "--epochs",
            "90",
            "-f",
            "csv",
        ).out
    )
    assert both[0] == ["epoch", "step", "cos"]
    assert [row[1] for row in both[1:]] == column(lrcli("step", "--step-size", "30", "--epochs", "90", "-f", "csv").out)
    assert [row[2] for row in both[1:]] == column(
        lrcli("cosine", "--t-max", "85", "--eta-min", "0.001", "--warmup", "5", "--epochs", "90", "-f", "csv").out
    )


def test_compositions_are_specs_and_groups_get_suffixes(lrcli):
    text = lrcli(
        "compare",
        "sequential(schedulers=[linear(start_factor=0.1, total_iters=5), cosine(T_max=95)], milestones=[5])",
        "step(step_size=10)",
        "step(step_size=20)",
        "--lr",
        "0.1",
        "--lr",
        "0.2",
        "--epochs",
        "100",
        "-f",
        "csv",
    ).out
    table = rows(text)
    assert table[0] == ["epoch", "sequential_0", "sequential_1", "step_0", "step_1", "step-2_0", "step-2_1"]
    sequential = rows(
        lrcli(
            "sequential",
            "linear(start_factor=0.1, total_iters=5)",
            "cosine(T_max=95)",
            "--milestones",
            "5",
            "--lr",
            "0.1",
            "--lr",
            "0.2",
            "--epochs",
            "100",
            "-f",
            "csv",
        ).out
    )
    assert [row[1:3] for row in table[1:]] == [row[1:3] for row in sequential[1:]]


@pytest.mark.parametrize("output_format", ["table", "plot", "tsv", "json", "summary", "markdown", "npz"])
def test_compare_in_every_format(lrcli, tmp_path, output_format):
    args = [
        "compare",
        "fast=exp(gamma=0.9)",
        "slow=exp(gamma=0.99)",
        "--steps-per-epoch",
        "4",
        "--epochs",
        "5",
        "--every",
        "3",
    ]
    wanted = rows(lrcli(*args, "-f", "csv").out)
    if output_format == "npz":
        target = tmp_path / "lr.npz"
        assert lrcli(*args, "-o", str(target)).code == 0
        with np.load(target) as archive:
            assert archive["lr"].tolist() == [[float(row[2]), float(row[3])] for row in wanted[1:]]
        return
    result = lrcli(*args, "-f", output_format)
    assert result.code == 0, result.err
    if output_format == "tsv":
        assert result.out.splitlines() == ["\t".join(row) for row in wanted]
    if output_format == "json":
        document = json.loads(result.out)
        assert [schedule["label"] for schedule in document["schedules"]] == ["fast", "slow"]
        assert document["schedules"][0]["call"] == "ExponentialLR(gamma=0.9)"
        assert document["rows"] == [[int(row[0]), int(row[1]), float(row[2]), float(row[3])] for row in wanted[1:]]
    if output_format in ("table", "markdown"):
        assert "fast" in result.out and "slow" in result.out and wanted[-1][2] in result.out
    if output_format == "plot":
        assert "fast" in result.out and "slow" in result.out  # the legend
    if output_format == "summary":
        assert result.out.count("largest drops") == 2 and "fast\n" in result.out and "slow\n" in result.out


@pytest.mark.parametrize(
    "args, message",
    [
        (["compare", "step(step_size=3)"], "compare needs two schedules or more"),
        (["compare", "a=step(step_size=3)", "a=exp(gamma=0.5)"], "the label 'a' is given to two schedules"),
        (["compare", "step(step_size=3)", "onecycle(max_lr=0.1, total_steps=20)"], "lengths differ (10, 20 rows)"),
        (["compare", "step(step_size=3)", "plateau(factor=0.5)"], "refuse ReduceLROnPlateau"),
        (
            ["compare", "step(step_size=3)", "transformers.reduce_lr_on_plateau(metrics=[1.0])"],
            "metrics must be read from a file with --metrics (a spec cannot give them), got [1.0]",
        ),
        (
            ["compare", "step(step_size=3)", "sequential(schedulers=[chained(schedulers=[])], milestones=[])"],
            "schedulers must be a list of calls",
        ),
        (
            ["compare", "step(step_size=3)", "sequential(schedulers=[timm.cosine(epochs=9)], milestones=[])"],
            "not a torch LRScheduler",
        ),
        (["compare", "step(step_size=3)", "cosine(T_max=9, warmup=2, warmup_start_factor=0)"], "warmup_start_factor"),
        # lrcli's own keywords are exact names, only where lrcli offers a warmup
        (
            ["compare", "step(step_size=3)", "cosine(T_max=95, warmup=-2.0)"],
            "'cosine(T_max=95, warmup=-2.0)': warmup must be a number >= 0, got -2.0",
        ),
        (["compare", "step(step_size=3)", 'cosine(T_max=95, warmup="x")'], "warmup must be a number >= 0, got 'x'"),
        (["compare", "step(step_size=3)", "cosine(T_max=95, warmup=[1])"], "warmup must be a number >= 0, got [1]"),
        (
            ["compare", "step(step_size=3)", "cosine(T_max=9, warmup_start_factor=0.5)"],
            "warmup_start_factor is where warmup=N starts; give warmup too",
        ),
        (["compare", "step(step_size=3)", "cosine(T_max=9, warmup_steps=2)"], "has no parameter 'warmup_steps'"),
        (["compare", "timm.cosine(epochs=9)", "timm.cosine(epochs=9, warmup=2)"], "has no parameter 'warmup'"),
        (
            [
                "compare",
                "step(step_size=3)",
                "transformers.linear(num_warmup_steps=2, num_training_steps=10, warmup=2)",
            ],
            "has no parameter 'warmup'",
        ),
        (
            ["sequential", "cosine(T_max=9, warmup=2)", "exp(gamma=0.9)", "--milestones", "3"],
            "has no parameter 'warmup'",
        ),
        # every column has its own name
        (
            ["compare", "step=step(step_size=3)", "cosine(T_max=9)", "--steps-per-epoch", "2"],
            "the label 'step' is the name of an index column (step, epoch); give another",
        ),
        (["compare", "epoch=step(step_size=3)", "cosine(T_max=9)"], "the label 'epoch' is the name of an index column"),
        (
            ["compare", "c=cyclic(base_lr=[0.01, 0.02], max_lr=0.1)", "c_1=exp(gamma=0.9)"],
            "the labels 'c' and 'c_1' both give a column named 'c_1'",
        ),
        (
            ["compare", "cyclic(base_lr=[0.01, 0.02], max_lr=0.1)", "cyclic_0=exp(gamma=0.9)"],
            "the labels 'cyclic' and 'cyclic_0' both give a column named 'cyclic_0'",
        ),
    ],
)
def test_compare_errors(lrcli, args, message):
    result = lrcli(*args)
    assert result.code == 2 and result.err.count("\n") == 1 and message in result.err, result.err


def test_emit_on_compare_writes_a_script_per_schedule(lrcli):
    result = lrcli("compare", "fast=exp(gamma=0.9)", "slow=step(step_size=3)", "--emit", "torch")
    assert result.code == 0
    assert result.out.startswith("# ---- fast ----\n") and "\n# ---- slow ----\n" in result.out
    assert "lr_scheduler.ExponentialLR(optimizer, gamma=0.9)" in result.out
    assert "lr_scheduler.StepLR(optimizer, step_size=3)" in result.out  # torch's default gamma, as the spec says
    for script in result.out.split("# ---- ")[1:]:
        compile(script.split("\n", 1)[1], "<emitted>", "exec")


@pytest.mark.slow
def test_compare_help_fits_and_its_examples_run(lrcli, monkeypatch):
    import os
    import pathlib
    import subprocess
    import sys

    from lrcli.cli.compare import COMPARE_HELP

    monkeypatch.setenv("COLUMNS", "80")
    text = lrcli("compare", "--help").out
    assert max(map(len, text.splitlines())) <= 80 and text.index("Examples:") < text.index("Options:")
    examples = COMPARE_HELP.split("Examples:\n")[1].split("\n\n")[0].replace("\\\n", "").splitlines()
    environment = {**os.environ, "PATH": f"{pathlib.Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for example in examples:
        run = subprocess.run(
            ["bash", "-c", example.strip()], capture_output=True, text=True, env=environment, timeout=60
        )
        assert run.returncode == 0 and run.stderr == "" and run.stdout.count("\n") > 5, (example, run.stderr)


@pytest.mark.parametrize(
    "args, header",
    [
        (["step(step_size=3)", "cosine(T_max=10)", "--steps-per-epoch", "3"], ["step", "epoch", "step-2", "cosine"]),
        (["step(step_size=3)", "cosine(T_max=10)", "--steps", "30"], ["step", "step-2", "cosine"]),
        (["step(step_size=3)", "step(step_size=2)", "step-2=exp(gamma=0.9)"], ["epoch", "step", "step-3", "step-2"]),
        (
            ["step(step_size=3)", "step(step_size=2)", "step-2=exp(gamma=0.9)", "--steps", "30"],
            ["step", "step-3", "step-4", "step-2"],
        ),
        (
            ["transformers.linear(num_warmup_steps=2, num_training_steps=10)", "step(step_size=3)"],
            ["step", "transformers.linear", "step-2"],
        ),
        (["step=step(step_size=3)", "cosine(T_max=10)"], ["epoch", "step", "cosine"]),
    ],
)
def test_column_names_are_unique(lrcli, args, header):
    """A label lrcli makes is the command's name, or that name numbered past every name taken."""
    result = lrcli("compare", *args, "-f", "csv")
    assert result.code == 0, result.err
    assert rows(result.out)[0] == header


def test_timm_and_transformers_keywords_that_begin_with_warmup_are_theirs(lrcli):
    """Not lrcli's warmup=N: each is the framework's own parameter, in the values and the JSON."""
    result = lrcli(
        "compare",
        "a=timm.cosine(epochs=10, warmup_epochs=2, warmup_lr=0.001, warmup_prefix=True)",
        "b=timm.cosine(epochs=10)",
        "--epochs",
        "10",
        "-f",
        "json",
    )
    document = json.loads(result.out)
    assert document["schedules"][0]["params"] == {
        "epochs": 10,
        "warmup_epochs": 2,
        "warmup_lr": 0.001,
        "warmup_prefix": True,
    }
    assert document["rows"][1][1] != document["rows"][1][2]
    result = lrcli(
        "compare",
        "transformers.warmup_stable_decay(num_warmup_steps=4, num_decay_steps=4, "
        'num_training_steps=12, warmup_type="cosine")',
        "transformers.cosine_warmup_with_min_lr(num_warmup_steps=4, num_training_steps=12, min_lr=0.0, "
        "warmup_lr_rate=0.5)",
        "-f",
        "json",
    )
    schedules = json.loads(result.out)["schedules"]
    assert schedules[0]["params"]["warmup_type"] == "cosine" and schedules[1]["params"]["warmup_lr_rate"] == 0.5


def test_a_compare_npz_names_its_columns(lrcli, tmp_path):
    target = tmp_path / "lr.npz"
    args = ["compare", "fast=exp(gamma=0.9)", "slow=step(step_size=3)", "cosine(T_max=5)", "--lr", "0.1", "--lr", "0.2"]
    assert lrcli(*args, "-o", str(target)).code == 0
    header = rows(lrcli(*args, "-f", "csv").out)[0]
    with np.load(target) as archive:  # allow_pickle is False by default: plain arrays only
        assert archive["labels"].dtype.kind == "U"
        assert (
            archive["labels"].tolist() == header[1:] == ["fast_0", "fast_1", "slow_0", "slow_1", "cosine_0", "cosine_1"]
        )
        assert archive["lr"].shape == (10, 6)
    single = tmp_path / "one.npz"
    assert lrcli("exp", "--gamma", "0.9", "-o", str(single)).code == 0
    with np.load(single) as archive:
        assert sorted(archive.files) == ["epoch", "lr"]
