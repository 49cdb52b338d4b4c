"""``lrcli check LOG SPEC``: logs written by real runs agree with their schedule (exit 0); logs with a
planted bug differ (exit 1) and the cause is named; bad input is one Error line (exit 2)."""

import io
import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

from lrcli import logs
from lrcli.cli.check import CHECK_HELP, LogFormat
from scripts.golden import harness

GOLDEN = harness.folder("logs")
MANIFEST = json.loads((GOLDEN / "manifest.json").read_text())["logs"]
CHECKED = sorted(name for name, log in MANIFEST.items() if "check" in log)
REAL = [name for name in CHECKED if "cause" not in MANIFEST[name]]
PLANTED = [name for name in CHECKED if "cause" in MANIFEST[name]]


def arguments(name: str) -> list[str]:
    """``lrcli check``'s arguments for a golden log: its path, then the manifest's (a config
    named there is a file beside the log)."""
    given = MANIFEST[name]["check"]
    config = MANIFEST[name].get("config")
    return [str(GOLDEN / name), *(str(GOLDEN / word) if word == config else word for word in given)]


def checked(lrcli, name: str, *more: str):
    result = lrcli("check", *arguments(name), *more)
    report = json.loads(result.out) if "json" in more else None
    return result, report


def test_the_golden_logs_checked_are_real_and_planted():
    assert len(REAL) >= 6 and len(PLANTED) == 4
    assert {MANIFEST[name]["format"] for name in REAL} >= {"transformers", "lightning", "mmengine", "ultralytics"}


def read(name: str) -> logs.Log:
    """A golden log as check reads it (with the batches per epoch its check gives)."""
    given = MANIFEST[name]["check"]
    nb = int(given[given.index("--steps-per-epoch") + 1]) if "--steps-per-epoch" in given else None
    column = given[given.index("--column") + 1] if "--column" in given else None
    return logs.read_log(GOLDEN / name, column=column, batches_per_epoch=nb)


@pytest.mark.parametrize("name", REAL)
def test_a_real_run_agrees_with_its_schedule(lrcli, name):
    result, report = checked(lrcli, name, "-f", "json")
    log = read(name)
    entries = log.entries
    assert (result.code, result.err.startswith("Note: optimizer=auto")) == (0, "auto" in name)
    assert report["agree"] and report["rows"] == report["equal"] == len(entries) >= (4 if log.rounded else 10)
    assert report["rounded"] == log.rounded == {"ultralytics": True, "tensorboard": "float32"}.get(log.format, False)
    assert report["exact"] == len(entries) or log.rounded and report["exact"] < len(entries)
    assert (report["first_divergence"], report["likely_causes"], report["format"]) == (
        None,
        [],
        MANIFEST[name]["format"],
    )
    text = checked(lrcli, name)[0]
    assert text.code == 0 and text.out.endswith("They agree: every logged lr is the schedule's.\n")
    equal = f"equal:    {len(entries)} of {len(entries)} " + (
        "as float32, the precision TensorBoard stores"
        if log.rounded == "float32"
        else "within the digits logged"
        if log.rounded
        else "(==)"
    )
    assert equal in text.out


@pytest.mark.parametrize("name", PLANTED)
def test_a_planted_bug_differs_and_its_cause_is_named(lrcli, name):
    result, report = checked(lrcli, name, "-f", "json")
    expected = MANIFEST[name]
    assert (result.code, result.err, report["agree"]) == (1, "", False)
    (cause,) = report["likely_causes"]
    first = report["first_divergence"]
    if expected["cause"] == "processes":
        assert cause.startswith(f"the scheduler stepped {expected['factor']} times per logged step: accelerate")
        assert report["equal"] == 0 and first["step"] == 1
    elif expected["cause"] == "accumulation":
        assert cause.startswith(f"the scheduler stepped once every {expected['factor']} logged steps")
        assert report["rounded"] and first["logged"] == "0.300000" and first["replayed"] == 0.288581929876693
    elif expected["cause"] == "ultralytics_warmup":
        assert cause.startswith("the run warmed up for max(round(warmup_epochs x nb), 100) = 100 batches, the ")
        assert cause.endswith("not 10: give --ultralytics-version 8.4.102 (the run's release)")
        assert report["equal"] == 0 and (first["step"], first["row"], first["logged"]) == (1, 4, "0.0004")
        assert checked(lrcli, name, "--ultralytics-version", expected["version"])[0].code == 0
    else:
        assert cause.startswith(f"from step {expected['at']} on, the log is the schedule started again")
        assert report["equal"] == first["step"] == first["row"] == expected["at"]
        assert (first["logged"], first["line"]) == ("0.0", expected["at"] + 2)
    text = checked(lrcli, name)[0]
    assert text.code == 1 and "cause:    " + cause[:40] in text.out and text.out.endswith("They differ.\n")


@pytest.mark.parametrize(
    "name, loop",
    [
        ("planted_processes.csv", ["--steps-per-epoch", "24", "--processes", "4"]),
        ("planted_accumulation.csv", ["--steps-per-epoch", "24", "--accumulation", "3"]),
    ],
)
def test_the_loop_named_as_the_cause_agrees_with_the_log(lrcli, name, loop):
    result, report = checked(lrcli, name, *loop, "-f", "json")
    assert result.code == 0 and report["agree"] and report["rows"] == 24
    assert result.err.startswith("Note: accelerate steps") == ("--processes" in loop)


def test_the_first_divergence_is_shown_with_the_logged_text_and_the_replayed_float(lrcli):
    result, _ = checked(lrcli, "planted_resume.tsv")
    assert "first:    step 12 (line 14, row 12): logged 0.0, replayed 0.0392016186682789\n" in result.out
    assert "equal:    12 of 30 (==)\n" in result.out


def test_a_rounded_log_is_equal_within_its_digits(lrcli, tmp_path):
    log = tmp_path / "lr.csv"
    log.write_text("step,lr\n0,0.100000\n1,0.0853553\n3,0.0146447\n")
    result = lrcli("check", str(log), "cosine(T_max=4)", "-f", "json")
    report = json.loads(result.out)
    assert result.code == 0 and report["rounded"] and report["equal"] == 3 and report["exact"] == 1
    text = lrcli("check", str(log), "cosine(T_max=4)")
    assert "equal:    3 of 3 within the digits logged (1 of them ==)" in text.out


def test_a_wrong_initial_lr_is_named(lrcli):
    name = "transformers_trainer_state.json"
    result = lrcli("check", str(GOLDEN / name), MANIFEST[name]["check"][0], "-f", "json")
    report = json.loads(result.out)
    assert result.code == 1 and report["likely_causes"] == [
        "the logged lr is the schedule from an initial lr of 0.001, not 0.1: give --lr 0.001"
    ]


def test_an_unrelated_schedule_has_no_cause(lrcli):
    result, _ = lrcli("check", str(GOLDEN / "lightning_metrics.csv"), "exp(gamma=0.5)"), None
    assert result.code == 1 and "cause:" not in result.out
    assert result.out.endswith("They differ (no cause lrcli knows explains every row).\n")


def test_standard_input_and_lrclis_own_csv(lrcli, monkeypatch):
    written = lrcli("cosine", "--t-max", "90", "--epochs", "90", "-f", "csv").out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(written.encode())))
    result = lrcli("check", "-", "cosine(T_max=90)", "-f", "json")
    report = json.loads(result.out)
    assert result.code == 0 and report["log"] == "<stdin>" and report["rows"] == report["exact"] == 90


def test_steps_per_epoch_aligns_ultralytics_and_counts_in_epochs(lrcli, tmp_path):
    log = tmp_path / "lr.csv"
    log.write_text(lrcli("step", "--step-size", "6", "--steps", "12", "-f", "csv").out)
    result = lrcli("check", str(log), "step(step_size=2)", "--steps-per-epoch", "3", "--counts-in", "epochs")
    assert result.code == 0, result.out
    refused = lrcli("check", str(GOLDEN / "ultralytics_results.csv"), "exp(gamma=0.5)")
    assert refused.code == 2 and "--steps-per-epoch" in refused.err
    aligned = lrcli("check", str(GOLDEN / "ultralytics_results.csv"), "exp(gamma=0.5)", "--steps-per-epoch", "5")
    assert aligned.code == 1 and "row 4)" in aligned.out


def test_an_mmengine_config_is_read_as_lrcli_mmengine_reads_it(lrcli):
    log, config, *_ = arguments("mmengine_epoch_scalars.json")
    refused = lrcli("check", log, config)
    assert refused.code == 2 and refused.err.startswith("Error: an epoch-based config needs the iterations per epoch")
    log, config = arguments("mmengine_iter_scalars.json")
    result = lrcli("check", log, config, "--cfg-options", "optim_wrapper.optimizer.lr=0.2", "-f", "json")
    report = json.loads(result.out)
    assert result.code == 1 and report["lr"] == 0.2 and report["schedule"].startswith("mmengine_iter_config.py: ")
    assert report["likely_causes"] == [
        "the logged lr is the schedule from an initial lr of 0.1, not 0.2: give --lr 0.1"
    ]
    assert lrcli("check", log, config, "--lr", "0.1").code == 0
    counts = lrcli("check", log, config, "--steps-per-epoch", "5", "--counts-in", "epochs")
    assert counts.code == 2 and counts.err.startswith("Error: --counts-in is for a spec")
    looped = lrcli("check", log, config, "--steps-per-epoch", "5", "--processes", "2")
    assert (looped.code, looped.err) == (2, "Error: --processes, --accumulation and --split-batches are for a spec\n")
    spec = lrcli("check", log, "cosine(T_max=20)", "--cfg-options", "a=1")
    assert (spec.code, spec.err) == (2, "Error: --cfg-options is for a config; 'cosine(T_max=20)' is a spec\n")


def test_column_and_log_format(lrcli, tmp_path):
    log = tmp_path / "lr.txt"
    log.write_text("iter,lr,lr_head\n0,0.1,1.0\n1,0.1,0.5\n")
    assert lrcli("check", str(log), "exp(gamma=0.5)", "--column", "lr_head", "--lr", "1").code == 0
    json_log = tmp_path / "state.json"
    json_log.write_text('{"log_history": [{"step": 1, "learning_rate": 0.1}]}')
    assert lrcli("check", str(json_log), "exp(gamma=0.5)", "--log-format", "transformers").code == 0


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["missing.csv", "exp(gamma=0.5)"], "Error: missing.csv: cannot read it (No such file or directory)\n"),
        (["LOG", "exp(gamma=)"], "Error: 'exp(gamma=)' is not a call like cosine(T_max=95)\n"),
        (["LOG", "exp(gamma=0.5)", "--lr", "-1"], "Error: the initial lr (--lr) is -1.0;"),
        (["LOG", "exp(gamma=0.5)", "--steps-per-epoch", "0"], "Error: --steps-per-epoch must be a whole number >= 1"),
        (["LOG", "exp(gamma=0.5)", "--counts-in", "epochs"], "Error: --counts-in epochs needs --steps-per-epoch\n"),
        (["LOG", "exp(gamma=0.5)", "--column", "nope"], "Error: LOG:1: no 'nope' column"),
        (["LOG", "onecycle(max_lr=0.1, total_steps=3)"], "Error: 'onecycle(max_lr=0.1, total_steps=3)': OneCycleLR"),
        (["LOG", "exp(gamma=0.5)", "--log-format", "csv"], "Error: Invalid value for '--log-format'"),
    ],
)
def test_bad_input_is_one_error_line(lrcli, tmp_path, monkeypatch, arguments, message):
    monkeypatch.chdir(tmp_path)
    pathlib.Path("LOG").write_text("step,lr\n0,0.1\n1,0.05\n2,0.025\n3,0.0125\n4,0.00625\n")
    result = lrcli("check", *arguments)
    assert result.code == 2 and result.out == "" and result.err.startswith(message)
    assert result.err.count("\n") == 1


def test_the_log_formats_are_the_readers():
    assert tuple(member.value for member in LogFormat) == logs.FORMATS


def test_help_fits_80_columns(lrcli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = lrcli("check", "--help")
    assert result.code == 0 and max(map(len, result.out.splitlines())) <= 80
    assert result.out.index("Examples:") < result.out.index("Options:")


EXAMPLES = CHECK_HELP.split("Examples:")[1].split("\n\n")[0].replace("\\\n", " ").strip().splitlines()


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_runs_as_shown(example):
    environment = {**os.environ, "PATH": f"{pathlib.Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    run = subprocess.run(["bash", "-c", example], capture_output=True, text=True, env=environment, timeout=60)
    assert run.returncode in (0, 1) and run.stderr == "" and run.stdout.count("\n") >= 5
    assert re.search(r"They (agree|differ)|\"agree\"", run.stdout)


@pytest.mark.slow
def test_start_up_builds_check_alone_and_loads_no_reader():
    code = (
        "import sys; from lrcli.cli.app import make_app; app = make_app(['check']); "
        "print(len(app.registered_commands), 'lrcli.logs' in sys.modules, 'numpy' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout == "1 False False\n", run.stderr


@pytest.mark.parametrize("name", ["lightning_metrics.csv", "planted_resume.tsv"])
def test_the_overlay_holds_the_logged_and_the_replayed_lr_at_the_logged_rows(name):
    log = logs.read_log(GOLDEN / name)
    lr = MANIFEST[name]["lr"]
    spec = MANIFEST[name]["check"][0]
    from lrcli.spec import parse_spec

    scheduler = parse_spec(spec, top=True).schedulers(1)[0]
    chart = logs.overlay(log, scheduler, lr, spec)
    (chunk,) = chart.chunks()
    rows = [entry.row for entry in log.entries]
    assert chart.value_columns == ["logged", "replayed"] and list(chunk.rows) == rows
    assert chunk.series == [[entry.value for entry in log.entries], logs.replayer(scheduler, lr, lr)(rows)]
    assert (chunk.series[0] == chunk.series[1]) == (name == "lightning_metrics.csv")


def test_a_plot_draws_both_lrs_above_the_report_and_keeps_the_exit_code(lrcli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    agreed = checked(lrcli, "lightning_metrics.csv", "-f", "plot")[0]
    differ = checked(lrcli, "planted_resume.tsv", "-f", "plot")[0]
    for result, code, last in ((agreed, 0, "They agree"), (differ, 1, "They differ.")):
        chart, report = result.out.split("\nlog:      ")
        assert (result.code, result.err) == (code, "") and report.splitlines()[-1].startswith(last)
        assert "logged" in chart and "replayed" in chart and chart.count("\n") > 10
    assert "row 12" in differ.out and differ.out != agreed.out


@pytest.mark.parametrize("suffix, start", [("png", b"\x89PNG"), ("svg", b"<?xml"), ("html", b"<!doctype html>")])
def test_o_writes_the_chart_and_the_report_is_still_printed(lrcli, tmp_path, suffix, start):
    path = tmp_path / f"chart.{suffix}"
    result, report = checked(lrcli, "planted_resume.tsv", "-o", str(path), "-f", "json")
    assert (result.code, report["equal"]) == (1, 12) and path.read_bytes().startswith(start)
    if suffix != "png":
        assert b"replayed" in path.read_bytes() and b"logged" in path.read_bytes()


def test_o_takes_only_a_chart(lrcli, tmp_path):
    result = checked(lrcli, "planted_resume.tsv", "-o", str(tmp_path / "x.csv"))[0]
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("Error: -o writes the chart of both lrs: name a .png, .svg, .pdf or .html file")
    assert not (tmp_path / "x.csv").exists()


def test_an_ultralytics_run_checked_against_other_args_names_optimizer_auto(lrcli):
    auto_log, sgd_args = str(GOLDEN / "ultralytics_auto_results.csv"), str(GOLDEN / "ultralytics_args.yaml")
    result = lrcli("check", auto_log, sgd_args, "--steps-per-epoch", "5", "-f", "json")
    report = json.loads(result.out)
    assert (result.code, report["equal"], report["rows"]) == (1, 0, 4)
    assert report["likely_causes"] == [
        "the log is optimizer=auto's: AdamW at lr0=0.002 (round(0.002 * 5 / (4 + nc), 6) for nc=1), which "
        "ignores lr0=0.01 and sets warmup_bias_lr to 0; the run chose its optimizer (optimizer=auto), not "
        "optimizer=SGD"
    ]
    auto_args = str(GOLDEN / "ultralytics_auto_args.yaml")
    wrong = lrcli("check", auto_log, auto_args, "--steps-per-epoch", "5", "--nc", "3", "-f", "json")
    assert wrong.code == 1 and json.loads(wrong.out)["likely_causes"] == [
        "optimizer=auto sets lr0 from the dataset's class count: the log is AdamW at lr0=0.002, "
        "round(0.002 * 5 / (4 + nc), 6) for nc=1, not nc=3: give --nc 1"
    ]
    assert wrong.err.startswith("Note: optimizer=auto: AdamW with lr0=0.001429") and wrong.err.count("\n") == 1
    sgd_log = str(GOLDEN / "ultralytics_results.csv")
    unexplained = lrcli("check", sgd_log, auto_args, "--steps-per-epoch", "5", "--nc", "1")
    assert unexplained.code == 1 and "cause:" not in unexplained.out


def test_each_ultralytics_group_is_its_lr_column_and_the_plot_counts_epochs(lrcli):
    log, args = str(GOLDEN / "ultralytics_results.csv"), str(GOLDEN / "ultralytics_args.yaml")
    for group in range(3):
        result = lrcli("check", log, args, "--steps-per-epoch", "5", "--column", f"lr/pg{group}", "-f", "json")
        assert result.code == 0 and json.loads(result.out)["column"] == f"lr/pg{group}"
    bias_as_weights = lrcli("check", log, args, "--steps-per-epoch", "5", "--column", "lr/pg2", "--lr", "0.01")
    assert bias_as_weights.code == 0
    plot = lrcli("check", log, args, "--steps-per-epoch", "5", "-f", "plot")
    assert plot.code == 0 and "epoch" in plot.out and "replayed" in plot.out


@pytest.mark.parametrize(
    "more, message",
    [
        ([], "Error: an Ultralytics run needs its batches per epoch: give --steps-per-epoch M"),
        (["--steps-per-epoch", "5", "--cfg-options", "a=1"], "Error: --cfg-options is for an OpenMMLab config"),
        (["--steps-per-epoch", "5", "--ultralytics-version", "8.0.239"], "Error: --ultralytics-version 8.0.239: lrcli"),
    ],
)
def test_bad_input_for_an_ultralytics_run_is_one_error_line(lrcli, more, message):
    log = str(GOLDEN / "ultralytics_results.csv")
    result = lrcli("check", log, str(GOLDEN / "ultralytics_args.yaml"), *more)
    assert (result.code, result.out) == (2, "") and result.err.startswith(message.format(log=log))
    assert result.err.count("\n") == 1


def test_an_ultralytics_log_must_fit_the_run(lrcli, tmp_path):
    log = str(GOLDEN / "ultralytics_results.csv")
    longer = lrcli("check", log, str(GOLDEN / "planted_ultralytics_warmup_args.yaml"), "--steps-per-epoch", "5")
    assert (
        longer.code == 2
        and longer.err
        == f"Error: {log}:5: epoch 4 is past the 3 epochs {GOLDEN / 'planted_ultralytics_warmup_args.yaml'} trains\n"
    )
    four = tmp_path / "results.csv"
    four.write_text("epoch,lr/pg0,lr/pg3\n1,0.00266667,0.1\n")
    groups = lrcli(
        "check", str(four), str(GOLDEN / "ultralytics_args.yaml"), "--steps-per-epoch", "5", "--column", "lr/pg3"
    )
    assert groups.code == 2 and groups.err == f"Error: {four}: lr/pg3, but the run has param groups lr/pg0 to lr/pg2\n"
    spec = lrcli("check", log, "exp(gamma=0.5)", "--steps-per-epoch", "5", "--nc", "1")
    assert (spec.code, spec.err) == (2, "Error: --nc and --ultralytics-version are for an Ultralytics args.yaml\n")
