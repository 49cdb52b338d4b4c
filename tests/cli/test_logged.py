"""``--logged LOG`` on a schedule command: the same report and exit code as ``lrcli check LOG`` with
the schedule the command reads; without it a command shows its rows as before."""

import json
import subprocess
import sys

import pytest

from scripts.golden import harness

GOLDEN = harness.folder("logs")

# a golden log, the command that reads its run's schedule, and the lrcli check arguments for the same
SAME = [
    (
        "transformers_trainer_state.json",
        ["transformers", "cosine", "--num-warmup-steps", "3", "--num-training-steps", "12", "--lr", "0.001"],
        ["transformers.cosine(num_warmup_steps=3, num_training_steps=12)", "--lr", "0.001"],
    ),
    (
        "lightning_metrics.csv",
        ["onecycle", "--max-lr", "0.1", "--total-steps", "15"],
        ["onecycle(max_lr=0.1, total_steps=15)"],
    ),
    (
        "mmengine_iter_scalars.json",
        ["mmengine", str(GOLDEN / "mmengine_iter_config.py")],
        [str(GOLDEN / "mmengine_iter_config.py")],
    ),
    (
        "mmengine_epoch_scalars.json",
        ["mmengine", str(GOLDEN / "mmengine_epoch_config.py"), "--iters-per-epoch", "5"],
        [str(GOLDEN / "mmengine_epoch_config.py"), "--steps-per-epoch", "5"],
    ),
    (
        "planted_resume.tsv",
        ["transformers", "cosine", "--num-warmup-steps", "4", "--num-training-steps", "30", "--lr", "0.05"],
        ["transformers.cosine(num_warmup_steps=4, num_training_steps=30)", "--lr", "0.05"],
    ),
    (
        "planted_processes.csv",
        ["transformers", "cosine", "--num-warmup-steps", "3", "--num-training-steps", "24", "--lr", "0.0002"],
        ["transformers.cosine(num_warmup_steps=3, num_training_steps=24)", "--lr", "0.0002"],
    ),
    ("planted_accumulation.csv", ["cosine", "--t-max", "8", "--lr", "0.3"], ["cosine(T_max=8)", "--lr", "0.3"]),
    (
        "planted_accumulation.csv",
        ["config", str(GOLDEN / "mmengine_iter_config.py")],
        [str(GOLDEN / "mmengine_iter_config.py")],
    ),
]


def without_schedule(out: str, report: list[str]) -> object:
    """A report without its schedule's title (a command's and a spec's name it differently)."""
    if report:
        return {key: value for key, value in json.loads(out).items() if key != "schedule"}
    return out[: out.index("\nschedule: ")] + out[out.index("\ncompared: ") :]


@pytest.mark.parametrize("name, command, check", SAME, ids=[f"{name}-{command[0]}" for name, command, _ in SAME])
@pytest.mark.parametrize("report", [[], ["-f", "json"]])
def test_logged_gives_checks_report_and_exit_code(lrcli, monkeypatch, name, command, check, report):
    monkeypatch.setenv("COLUMNS", "80")
    logged = lrcli(*command, "--logged", str(GOLDEN / name), *report)
    checked = lrcli("check", str(GOLDEN / name), *check, *report)
    assert (logged.code, logged.err) == (checked.code, checked.err)
    assert without_schedule(logged.out, report) == without_schedule(checked.out, report)
    assert logged.code == (1 if name.startswith("planted") else 0) and logged.out.count("\n") >= 5


def test_a_planted_resume_is_named_on_the_command(lrcli):
    command = ["transformers", "cosine", "--num-warmup-steps", "4", "--num-training-steps", "30", "--lr", "0.05"]
    result = lrcli(*command, "--logged", str(GOLDEN / "planted_resume.tsv"), "-f", "json")
    report = json.loads(result.out)
    assert (result.code, report["agree"], report["equal"], report["first_divergence"]["step"]) == (1, False, 12, 12)
    (cause,) = report["likely_causes"]
    assert cause.startswith("from step 12 on, the log is the schedule started again from its first row")


def test_the_commands_stepping_options_are_the_replays(lrcli):
    """accelerate's 4 processes, given on the command, are the loop the planted log was written by."""
    planted = str(GOLDEN / "planted_processes.csv")
    command = ["transformers", "cosine", "--num-warmup-steps", "3", "--num-training-steps", "24", "--lr", "0.0002"]
    bare = lrcli(*command, "--logged", planted)
    looped = lrcli(*command, "--steps-per-epoch", "96", "--processes", "4", "--logged", planted)
    assert bare.code == 1 and "stepped 4 times per logged step" in bare.out
    assert looped.code == 0 and looped.out.endswith("They agree: every logged lr is the schedule's.\n")


def test_ultralytics_groups_are_their_lr_columns(lrcli):
    run = ["ultralytics", str(GOLDEN / "ultralytics_args.yaml"), "--iters-per-epoch", "5"]
    results = str(GOLDEN / "ultralytics_results.csv")
    for group in range(3):
        result = lrcli(*run, "--logged", results, "--logged-column", f"lr/pg{group}", "-f", "json")
        assert (result.code, json.loads(result.out)["column"]) == (0, f"lr/pg{group}")
    wrong = lrcli("ultralytics", str(GOLDEN / "ultralytics_args.yaml"), "--iters-per-epoch", "4", "--logged", results)
    assert wrong.code == 1


def test_a_plot_overlays_both_and_o_writes_the_chart(lrcli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    command = ["cosine", "--t-max", "8", "--lr", "0.3", "--logged", str(GOLDEN / "planted_accumulation.csv")]
    plot = lrcli(*command, "-f", "plot")
    chart, report = plot.out.split("\nlog:      ")
    assert plot.code == 1 and "logged" in chart and "replayed" in chart and chart.count("\n") > 10
    path = tmp_path / "both.svg"
    written = lrcli(*command, "-o", str(path))
    assert written.code == 1 and written.out.startswith("log:      ") and b"replayed" in path.read_bytes()


@pytest.mark.parametrize(
    "more, message",
    [
        (["--at", "3"], "--logged compares the rows the log has: it takes no --at"),
        (["--every", "2"], "--logged compares the rows the log has: it takes no --every"),
        (["--verify"], "--logged compares the rows the log has: it takes no --verify"),
        (["--plot-x", "step"], "--logged compares the rows the log has: it takes no --plot-x"),
        (["-f", "csv"], "--logged reports as text (the default), -f json or -f plot, not -f csv"),
        (["-o", "x.csv"], "-o writes the chart of both lrs: name a .png, .svg, .pdf or .html file, not 'x.csv'"),
        (["--resume-at", "3"], "--logged compares the usual loop: it takes no --resume-at, --order or --step-with"),
        (["--logged-column", "lr-Adam"], "no 'lr-Adam' column"),
    ],
)
def test_bad_combinations_are_one_error_line(lrcli, more, message):
    result = lrcli("step", "--step-size", "2", "--logged", str(GOLDEN / "lightning_metrics.csv"), *more)
    assert (result.code, result.out) == (2, "") and result.err.count("\n") == 1 and message in result.err


def test_logged_column_needs_logged_and_compare_needs_one_spec(lrcli):
    alone = lrcli("step", "--step-size", "2", "--logged-column", "lr")
    assert (alone.code, alone.err) == (
        2,
        "Error: --logged-column names a value in the log --logged reads: give --logged LOG\n",
    )
    two = lrcli("compare", "step(step_size=2)", "exp(gamma=0.9)", "--logged", str(GOLDEN / "lightning_metrics.csv"))
    assert (two.code, two.err) == (
        2,
        "Error: --logged compares a log with one schedule; check each spec with lrcli check LOG SPEC\n",
    )
    missing = lrcli("step", "--step-size", "2", "--logged", "/nonexistent/log.csv")
    assert missing.code == 2 and missing.err.startswith("Error: /nonexistent/log.csv: cannot read it")


def test_without_logged_a_command_shows_its_rows(lrcli):
    result = lrcli("step", "--step-size", "2", "-f", "csv", "--epochs", "4")
    assert (result.code, result.out) == (0, "epoch,lr\n0,0.1\n1,0.1\n2,0.010000000000000002\n3,0.010000000000000002\n")


@pytest.mark.slow
def test_start_up_loads_no_reader_for_a_command_with_or_without_logged():
    code = (
        "import sys; from lrcli.cli.app import make_app; app = make_app(['step']); "
        "print(len(app.registered_commands), 'lrcli.logs' in sys.modules, 'numpy' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout == "1 False False\n", run.stderr


FAMILIES = [
    (["timm", "--sched", "cosine", "--epochs", "30", "--warmup-epochs", "5"], ["--warmup-epochs", "4"]),
    (
        ["diffusers", "--lr_scheduler", "cosine", "--lr_warmup_steps", "50", "--max_train_steps", "300"],
        ["--lr_warmup_steps", "40"],
    ),
    (
        ["mmcv", "tests/data/configs/mmdet2/faster_rcnn/faster_rcnn_r50_fpn_1x_coco.py", "--iters-per-epoch", "73"],
        ["--iters-per-epoch", "74"],
    ),
    (
        [
            "deepspeed",
            "tests/data/deepspeed/trainer_ds_config.json",
            "--learning-rate",
            "2e-5",
            "--num-train-epochs",
            "3",
        ]
        + ["--iters-per-epoch", "1250", "--gradient-accumulation-steps", "4", "--warmup-steps", "0.03"],
        ["--warmup-steps", "0.05"],
    ),
]


@pytest.mark.parametrize("command, other", FAMILIES, ids=[command[0] for command, _ in FAMILIES])
def test_each_family_checks_its_own_csv_and_a_changed_run_differs(lrcli, tmp_path, command, other):
    written = lrcli(*command, "-f", "csv")
    path = tmp_path / "lr.csv"
    path.write_text(written.out)
    rows = written.out.count("\n") - 1
    same = lrcli(*command, "--logged", str(path), "-f", "json")
    assert (same.code, json.loads(same.out)["equal"], json.loads(same.out)["rows"]) == (0, rows, rows)
    changed = lrcli(*command, *other, "--logged", str(path), "-f", "json")
    assert changed.code == 1 and json.loads(changed.out)["equal"] < rows
