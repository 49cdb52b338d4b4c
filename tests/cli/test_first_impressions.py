"""What a new user meets first: help, examples, plot titles, output files named by extension,
momentum in plots, specs checked against the descriptions."""

import csv
import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

from lrcli.registry import BY_COMMAND, DESCRIPTIONS
from lrcli.registry.description import METRICS, SCHEDULERS, flag
from tests.engine.test_more_schedulers import EVERY_COMMAND

COMMANDS = [description.command for description in DESCRIPTIONS]


def help_of(lrcli, monkeypatch, command, columns=80):
    monkeypatch.setenv("COLUMNS", str(columns))
    result = lrcli(*BY_COMMAND[command].words, "--help")
    assert result.code == 0, result.err
    return result.out


@pytest.mark.parametrize("description", DESCRIPTIONS, ids=COMMANDS)
def test_help_fits_80_columns_and_shows_every_default(lrcli, monkeypatch, description):
    text = help_of(lrcli, monkeypatch, description.command)
    assert max(map(len, text.splitlines())) <= 80
    assert "<bool>" not in text and "<list[" not in text and "…" not in text
    options = text[text.index("Options:") :]
    for param in description.params:
        if not param.command or param.type in (SCHEDULERS, METRICS):
            continue
        assert flag(param.name) in options
        entry = options[re.search(rf"\n  {flag(param.name)}[ \n]", options).start() + 3 :].split("\n  -")[0]
        if param.required and param.shown_default is None:
            assert "[required]" in entry
        elif param.default is not None or param.shown_default:
            shown = param.shown_default or (flag(param.name) if param.default is True else str(param.default))
            if param.default is not False:
                assert f"[default: {shown}]" in " ".join(entry.split()), entry
    for shared in ("--lr ", "--epochs ", "--format ", "--warmup-start-factor " if description.warmup else "--lr "):
        entry = options[options.index(shared) :].split("\n  -")[0]
        assert "[default: " in " ".join(entry.split())


@pytest.mark.parametrize("description", DESCRIPTIONS, ids=COMMANDS)
def test_help_puts_the_examples_before_the_options(lrcli, monkeypatch, description):
    text = help_of(lrcli, monkeypatch, description.command)
    assert text.index("Examples:") < text.index("Options:")
    if description.family.name == "timm":  # one command for every --sched: its help shows the family's examples
        assert f"  {description.type:<10} {description.summary.split(' (')[0]}" in text
        return
    for example in description.examples:
        assert example.replace("\n", "\n  ") in text


@pytest.mark.slow
@pytest.mark.parametrize("example", [example for description in DESCRIPTIONS for example in description.examples])
def test_every_example_runs_as_shown(example):
    environment = {
        **os.environ,
        "PATH": f"{pathlib.Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "COLUMNS": "80",
        "LINES": "24",
    }
    run = subprocess.run(["bash", "-c", example], capture_output=True, text=True, env=environment, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert run.stdout.count("\n") >= 3


@pytest.mark.parametrize("command", sorted(EVERY_COMMAND))
def test_every_plot_has_its_title(lrcli, monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "72")
    monkeypatch.setenv("LINES", "15")
    arguments = [*BY_COMMAND[command].words, *EVERY_COMMAND[command]]
    lines = lrcli(*arguments, "-f", "plot").out.splitlines()
    document = json.loads(lrcli(*arguments, "-f", "json").out)
    name = document["scheduler"]
    header = lines[: next(index for index, line in enumerate(lines) if line.lstrip().startswith("┌"))]
    if header[-1].strip() == "lr":  # the lr panel's own title, above the momentum panel
        header.pop()
    title = " ".join(line.strip() for line in header)
    assert 1 <= len(header) <= 2 and title.startswith(name + "(")
    assert title.endswith(")") or title.endswith("…")
    assert max(map(len, lines)) <= 72
    assert not any(line.endswith(" ") for line in lines)


def test_a_long_title_wraps_and_drops_defaults_rather_than_vanish(lrcli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "72")
    monkeypatch.setenv("LINES", "15")
    lines = lrcli(
        "onecycle", "--max-lr", "0.1", "--total-steps", "100", "--pct-start", "0.25", "-f", "plot"
    ).out.splitlines()
    assert lines[0].strip() == "OneCycleLR(max_lr=0.1, total_steps=100, pct_start=0.25)"
    lines = lrcli(
        "sequential",
        "linear(start_factor=0.1, total_iters=10)",
        "cosine(T_max=90, eta_min=0.001)",
        "--milestones",
        "10",
        "--epochs",
        "100",
        "-f",
        "plot",
    ).out.splitlines()
    assert " ".join(line.strip() for line in lines[:2]) == (
        "SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=10), "
        "CosineAnnealingLR(T_max=90, eta_min=0.001)], milestones=[10])"
    )


def test_momentum_is_plotted_in_a_second_panel(lrcli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "72")
    monkeypatch.setenv("LINES", "30")
    args = ["onecycle", "--max-lr", "0.1", "--total-steps", "50", "--base-momentum", "0.8", "--max-momentum", "0.9"]
    with_momentum = lrcli(*args, "--show-momentum", "-f", "plot").out.splitlines()
    without = lrcli(*args, "-f", "plot").out.splitlines()
    panels = [index for index, line in enumerate(with_momentum) if line.lstrip().startswith("┌")]
    assert len(panels) == 2 and sum(line.lstrip().startswith("┌") for line in without) == 1
    momentum_panel = "\n".join(with_momentum[panels[1] - 1 :])
    assert with_momentum[panels[1] - 1].strip() == "momentum"
    assert "0.9┤" in momentum_panel and "0.8┤" in momentum_panel
    assert "0.1┤" in "\n".join(with_momentum[: panels[1]])


@pytest.mark.parametrize(
    "extension, first_line",
    [
        ("csv", "epoch,lr"),
        ("tsv", "epoch\tlr"),
        ("json", '{"scheduler":"StepLR"'),
        ("txt", "StepLR(step_size=3, gamma=0.1)"),
    ],
)
def test_output_format_follows_the_extension(lrcli, tmp_path, extension, first_line):
    target = tmp_path / f"lr.{extension.upper() if extension == 'csv' else extension}"
    assert lrcli("step", "--step-size", "3", "-o", str(target)).code == 0
    text = target.read_text()
    assert text.startswith(first_line)
    assert "┃" not in text or extension == "txt"


def test_csv_file_holds_the_same_rows_as_csv_on_stdout(lrcli, tmp_path):
    target = tmp_path / "lr.csv"
    lrcli("exp", "--gamma", "0.9", "--epochs", "50", "-o", str(target))
    assert target.read_text() == lrcli("exp", "--gamma", "0.9", "--epochs", "50", "-f", "csv").out
    assert len(list(csv.reader(target.read_text().splitlines()))) == 51


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["-f", "csv", "-o", "lr.json"], "--format csv does not fit"),
        (["-f", "table", "-o", "lr.csv"], "--format table does not fit"),
        (["-o", "lr.dat"], "cannot tell a format from"),
    ],
)
def test_conflicting_or_unknown_extension_is_an_error(lrcli, tmp_path, monkeypatch, arguments, message):
    monkeypatch.chdir(tmp_path)
    result = lrcli("step", "--step-size", "3", *arguments)
    assert result.code == 2 and message in result.err and result.err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_an_explicit_format_writes_any_file_name(lrcli, tmp_path):
    target = tmp_path / "lr.dat"
    assert lrcli("step", "--step-size", "3", "-f", "tsv", "-o", str(target)).code == 0
    assert target.read_text().startswith("epoch\tlr\n0\t0.1\n")
    assert lrcli("step", "--step-size", "3", "-f", "plot", "-o", str(tmp_path / "plot.txt")).code == 0
    assert "StepLR" in (tmp_path / "plot.txt").read_text() and "┤" in (tmp_path / "plot.txt").read_text()


def test_onecycle_spec_takes_epochs_and_steps_per_epoch_as_torch_does(lrcli):
    by_total = lrcli("chained", "onecycle(max_lr=0.1, total_steps=60)", "--epochs", "61", "-f", "csv")
    by_pair = lrcli("chained", "onecycle(max_lr=0.1, epochs=3, steps_per_epoch=20)", "--epochs", "61", "-f", "csv")
    assert by_pair.code == 0 and by_pair.out == by_total.out
    missing = lrcli("chained", "onecycle(max_lr=0.1, epochs=3)")
    assert "total_steps must be given, or else epochs and steps_per_epoch" in missing.err


@pytest.mark.parametrize(
    "spec, message",
    [
        ("lambda(lr_lambda=5)", "lr_lambda must be an expression in quotes"),
        (
            "multistep(milestones=5)",
            "milestones must be a list of numbers of steps (or epochs, with --counts-in epochs), got 5",
        ),
        ("multistep(milestones=1.5)", "milestones must be a list of numbers of steps"),
        ("multistep(milestones=[1, 'x'])", "milestones must be a list of numbers of steps"),
        ("multistep(milestones=[1, 1e400])", "milestones must be a finite number, got inf"),
        ("exp(gamma=0.5, gamma=0.6)", "gamma is given twice"),
        ("cosine(T_max=True)", "T_max must be a number of steps (or epochs, with --counts-in epochs), got True"),
        ("cosine-restarts(T_0=10.0)", "T_0 must be a whole number >= 1, got 10.0"),
        ("cosine(T_max='10')", "T_max must be a number of steps"),
        ("cyclic(base_lr=0.1, max_lr='high')", "max_lr must be a number, or a list of one per param group"),
        ("cyclic(base_lr=0.1, max_lr=0.2, mode='sawtooth')", "mode must be one of triangular, triangular2, exp_range"),
        ("onecycle(max_lr=0.1, total_steps=10, three_phase=1)", "three_phase must be True or False"),
        ("step(gamma=0.5)", "StepLR needs step_size"),
    ],
)
def test_spec_values_must_have_their_parameters_types(lrcli, spec, message):
    result = lrcli("chained", spec)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith(f"Error: {spec!r}: ") and message in result.err, result.err


def test_markdown_shows_the_tables_rows(lrcli, tmp_path):
    args = ["multistep", "--lr", "0.1", "--lr", "0.2", "--milestones", "30,60", "--epochs", "90"]
    text = lrcli(*args, "-f", "markdown").out
    lines = text.splitlines()
    assert lines[0] == "**MultiStepLR(milestones=[30, 60], gamma=0.1)**"
    assert lines[2:5] == ["| epoch | lr_0 | lr_1 |", "|---:|:---|:---|", "| 0–29 | 0.1 | 0.2 |"]
    assert lines[-1] == "*90 epochs; runs of equal lr merged*"
    target = tmp_path / "lr.md"
    assert lrcli(*args, "-o", str(target)).code == 0 and target.read_text() == text


def test_plot_size_is_an_option(lrcli):
    lines = lrcli("exp", "--gamma", "0.9", "-f", "plot", "--size", "50x12").out.splitlines()
    assert max(map(len, lines)) <= 50 and len(lines) == 12
    result = lrcli("exp", "--gamma", "0.9", "-f", "plot", "--size", "big")
    assert result.code == 2 and "--size must be columns x lines, like 100x30" in result.err
    assert "--size applies to --format plot" in lrcli("exp", "--gamma", "0.9", "--size", "50x12").err


def test_plots_mark_milestones_restarts_and_switches(lrcli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "72")
    monkeypatch.setenv("LINES", "15")

    def rules(*args):
        border = next(line for line in lrcli(*args, "-f", "plot").out.splitlines() if line.lstrip().startswith("┌"))
        return border.count("┬")

    assert rules("exp", "--gamma", "0.95", "--epochs", "90") == 0
    assert rules("multistep", "--milestones", "30,60", "--warmup", "5", "--epochs", "90") == 3  # 5, 35, 65
    assert rules("cosine-restarts", "--t-0", "10", "--t-mult", "2", "--epochs", "70") == 2  # 10, 30
    assert rules("step", "--step-size", "1", "--epochs", "90") == 0  # too many to mark
