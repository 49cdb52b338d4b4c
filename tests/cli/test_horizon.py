"""Nothing grows with the horizon: every command at 10⁹ rows, piped into a reader that stops
after three lines, stays under 100 MB and ends at once; the views that cannot stream keep only
what they show; a refusal in the first chunk writes nothing; many param groups are refused by the
views that cannot show them; and the seed's trap is pointed out where it happens."""

import os
import pathlib
import sys

import pytest

from bench import horizon
from lrcli.output import stdout_watch
from lrcli.replay import compare, replay
from lrcli.schedules import Schedule, with_warmup

ROOT = pathlib.Path(__file__).resolve().parents[2]

BILLION = 1_000_000_000
PEAK_MB = 100
AFTER_CLOSE = 2.0  # seconds a run may take to notice its reader has gone and end
FIRST_OUTPUT = 10.0  # seconds the reader waits for its lines (a 21-scheduler chain computes a chunk first)
COMMANDS = horizon.commands(BILLION, str(ROOT / "tests" / "data" / "metrics" / "metrics.csv"))
SOME = [
    command
    for command in COMMANDS
    if command.name
    in (
        "step",
        "cosine-restarts",
        "cyclic",
        "transformers.warmup_stable_decay",
        "timm.step",
        "compare",
        "chained",
        "mmengine mmdet/schedule_1x.py",
    )
]


def test_the_walk_covers_every_description():
    from lrcli.registry import DESCRIPTIONS

    names = {command.name for command in COMMANDS}
    assert {description.command for description in DESCRIPTIONS} <= names
    assert any(name.startswith("mmengine") for name in names)
    every = next(command for command in COMMANDS if command.name == "compare").words
    assert sum("(" in word for word in every) == sum(description.composable for description in DESCRIPTIONS)


def _ends_quietly(command, run):
    if command.metrics:  # its rows are its metrics, of which lrcli holds 10,000,000: 10⁹ is refused at once
        assert run.status == 2 and run.out == b"", run.err
        assert run.err.startswith("Error: --metrics would need 999,999,999 values"), run.err
    else:
        assert run.status == -13, run.err  # SIGPIPE, as a write to the closed pipe ends it
        assert run.err == "", run.err
    assert run.peak_mb <= PEAK_MB
    assert run.after_close is not None and run.after_close <= AFTER_CLOSE


@pytest.mark.slow
@pytest.mark.parametrize(
    "options", [["-f", "csv"], ["-f", "json"], ["-f", "csv", "--changes"]], ids=["csv", "json", "changes"]
)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command.name)
def test_every_command_at_a_billion_rows_stops_with_its_reader(command, options):
    run = horizon.run_piped([*command.words, *options], patience=FIRST_OUTPUT)
    _ends_quietly(command, run)
    if not command.metrics:
        assert run.out.startswith(
            b'{"' if "json" in options else b"epoch," if command.name.startswith("timm") else b"step,"
        )


@pytest.mark.slow
@pytest.mark.parametrize(
    "options",
    [
        ["-f", "tsv"],
        ["-f", "json", "--summary"],
        ["--all-rows"],
        ["-f", "csv", "--every", "1000"],
        ["-f", "csv", "--start", "-5"],
    ],
    ids=["tsv", "summary", "all-rows", "every", "start"],
)
@pytest.mark.parametrize("command", SOME, ids=lambda command: command.name)
def test_every_streaming_format_at_a_billion_rows(command, options):
    _ends_quietly(command, horizon.run_piped([*command.words, *options], patience=FIRST_OUTPUT))


@pytest.mark.slow
def test_rows_of_a_sparse_selection_reach_the_reader_when_computed():
    """--at 0,1,LAST: the first two rows are written (and flushed) long before the last is computed."""
    run = horizon.run_piped(
        ["step", "--step-size", "1", "--steps", str(BILLION), "--at", f"0,1,{BILLION - 1}", "-f", "csv"], patience=20.0
    )
    assert run.out == b"step,lr\n0,0.1\n1,0.010000000000000002\n"
    assert run.status == -13 and run.after_close <= AFTER_CLOSE


@pytest.mark.slow
@pytest.mark.parametrize(
    "options",
    [[], ["-f", "plot"], ["-f", "markdown"], ["-f", "summary"], ["-f", "plot", "--log-y", "-o", "{folder}/plot.txt"]],
    ids=["table", "plot", "markdown", "summary", "plot-file"],
)
@pytest.mark.parametrize("name", ["step", "cosine-restarts", "mmengine mmdet/schedule_1x.py", "timm.cosine"])
def test_views_that_cannot_stream_keep_only_what_they_show(tmp_path, name, options):
    """A table or a plot of 2·10⁶ rows: the whole run is computed, only what is shown is kept."""
    command = next(command for command in horizon.commands(2_000_000, "") if command.name == name)
    run = horizon.run_piped(
        [*command.words, *(option.format(folder=tmp_path) for option in options)],
        patience=120.0,
        lines=10**6,
        bound=120.0,
    )
    assert run.status == 0, run.err
    assert run.peak_mb <= PEAK_MB


@pytest.mark.slow
def test_a_thousand_groups_stream_in_flat_memory():
    run = horizon.run_piped(["exp", "--gamma", "0.999999", *["--lr", "0.1"] * 1000, "--steps", "1000000", "-f", "csv"])
    assert run.status == -13 and run.peak_mb <= PEAK_MB


def test_a_closed_reader_is_noticed_without_a_write(monkeypatch):
    reader, writer = os.pipe()
    with open(writer, "w") as stream:
        monkeypatch.setattr(sys, "stdout", stream)
        watch = stdout_watch()
        watch()  # the reader is there: nothing happens
        os.close(reader)
        with pytest.raises(BrokenPipeError):  # pytest ignores SIGPIPE, so the watch raises what a write would
            watch()


def test_no_watch_without_a_descriptor(capsys):
    assert stdout_watch() is None


def test_markers_are_asked_for_in_the_plotted_window_a_few_at_a_time():
    step = Schedule.of("step", step_size=1)
    assert step.events(range(BILLION), 25) == list(range(1, 26))
    assert step.events(range(BILLION - 10, BILLION), 25) == list(range(BILLION - 9, BILLION))
    restarts = Schedule.of("cosine-restarts", T_0=3, T_mult=2)
    assert restarts.events(range(100), 25) == [3, 9, 21, 45, 93]
    warm = with_warmup(Schedule.of("cosine-restarts", T_0=1), 5, 0.5)
    assert warm.events(range(BILLION), 4) == [5, 6, 7, 8]
    assert warm.events(range(2, 7), 4) == [5, 6]
    chained = Schedule.of("chained", schedulers=[Schedule.of("multistep", milestones=[7, 3]), step])
    assert chained.events(range(BILLION), 4) == [1, 2, 3, 4]
    both = compare(
        [Schedule.of("multistep", milestones=[5]), Schedule.of("step", step_size=2)], ["a", "b"], None, steps=BILLION
    )
    assert both.events(range(BILLION), 3) == [2, 4, 5]
    assert replay(step, None, steps=BILLION).events(range(3, BILLION), 2) == [4, 5]


REFUSED_FIRST = [
    ["lambda", "--lr-lambda", "nan"],
    ["lambda", "--lr-lambda", "(-1)**0.5"],
    ["lambda", "--lr-lambda", "1e308*10"],
    ["lambda", "--lr-lambda", "1/(epoch-5)"],
    ["lambda", "--lr-lambda", "comb(10000, 5000)"],
    ["sequential", "poly(power=-1e308)", "exp(gamma=0.5)", "--milestones", "3"],
    ["compare", "a=poly(power=-1e308)", "b=exp(gamma=0.5)"],
    ["lambda", "--lr-lambda", "1/(epoch-5)", "--steps-per-epoch", "2", "--start", "3"],
]


@pytest.mark.parametrize(
    "options",
    [
        ["-f", "csv"],
        ["-f", "tsv"],
        ["-f", "json"],
        ["-f", "json", "--summary"],
        ["--all-rows"],
        [],
        ["-f", "markdown"],
        ["-f", "summary"],
        ["-f", "plot"],
    ],
    ids=lambda options: " ".join(options) or "table",
)
@pytest.mark.parametrize("args", REFUSED_FIRST, ids=lambda args: " ".join(args[:3]))
def test_a_refusal_in_the_first_chunk_writes_nothing(lrcli, args, options):
    result = lrcli(*args, *options)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("Error: ") and result.err.count("\n") == 1


@pytest.mark.slow
def test_a_budget_spent_in_the_first_chunk_writes_nothing(lrcli, tmp_path):
    """comb(10000, 5000) at every epoch runs out of its big-integer budget at epoch 1583 (some seconds)."""
    result = lrcli("lambda", "--lr-lambda", "comb(10000, 5000) * 0 + 1", "--epochs", "5000", "-f", "csv")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("Error: --lr-lambda: the expression does too much big-integer arithmetic")


@pytest.mark.parametrize("args", REFUSED_FIRST, ids=lambda args: " ".join(args[:3]))
def test_a_refusal_in_the_first_chunk_leaves_no_file(lrcli, tmp_path, args):
    target = tmp_path / "lr.csv"
    assert lrcli(*args, "-o", str(target)).code == 2
    assert list(tmp_path.iterdir()) == []


def test_a_refusal_in_a_later_chunk_follows_the_rows_before_it(lrcli):
    """Rows of earlier chunks are already written to stdout (as the README says); the file is not."""
    result = lrcli("lambda", "--lr-lambda", "1/(epoch-100000)", "--epochs", "200000", "-f", "csv")
    assert result.code == 2 and result.out.startswith("epoch,lr\n0,") and result.out.count("\n") == 65537


@pytest.mark.parametrize("options, view", [([], "table"), (["-f", "plot"], "plot")])
def test_twenty_thousand_groups_are_refused_before_they_are_replayed(lrcli, monkeypatch, options, view):
    import lrcli.cli.show as show

    def never(*args, **kwargs):
        raise AssertionError("replayed")

    monkeypatch.setattr(show, "replay", never)
    monkeypatch.setattr(show, "compare", never)
    most = {"table": "lays out at most 100 value columns", "plot": "draws at most 32 series"}[view]
    result = lrcli("step", "--step-size", "3", *["--lr", "0.1"] * 20_000, *options)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"Error: a {view} {most}; this one has 20,000 (use -f csv, or fewer --lr)\n"
    result = lrcli("compare", "step(step_size=3)", "exp(gamma=0.5)", *["--lr", "0.1"] * 60, *options)
    assert result.err == f"Error: a {view} {most}; this one has 120 (use -f csv, or fewer --lr)\n"


def test_many_groups_that_fit_or_stream_are_shown(lrcli):
    assert "lr_99" in lrcli("step", "--step-size", "3", *["--lr", "0.1"] * 100).out
    result = lrcli("cyclic", "--base-lr", "0.01", "--max-lr", "0.1", *["--lr", "0.1"] * 60, "--show-momentum")
    assert (
        result.err
        == "Error: a table lays out at most 100 value columns; this one has 120 (use -f csv, or fewer --lr)\n"
    )
    header = lrcli("step", "--step-size", "3", *["--lr", "0.1"] * 2000, "-f", "csv", "--stop", "2").out.splitlines()
    assert len(header) == 3 and header[0].split(",")[-1] == "lr_1999"
    assert lrcli("step", "--step-size", "3", *["--lr", "0.1"] * 2000, "--all-rows", "--stop", "2").code == 0


def note(result):
    return [line for line in result.err.splitlines() if line.startswith("Note:")]


@pytest.mark.parametrize(
    "args, call, name",
    [
        (
            ["step", "--step-size", "30", "--steps-per-epoch", "391", "--epochs", "90"],
            "StepLR(step_size=30)",
            "step_size",
        ),
        (
            ["multistep", "--milestones", "1,2,3,4,5,6,7", "--steps-per-epoch", "10"],
            "MultiStepLR(milestones=[1, 2, 3, 4, 5, 6, 7])",
            "milestones",
        ),
        (
            ["step", "--step-size", "30", "--warmup", "5", "--steps-per-epoch", "391", "--epochs", "90"],
            "StepLR(step_size=30)",
            "step_size",
        ),
        (
            [
                "compare",
                "step(step_size=10)",
                "multistep(milestones=[1, 1, 1, 1, 1, 1, 1])",
                "--steps-per-epoch",
                "100",
            ],
            "StepLR(step_size=10)",
            "step_size",
        ),
        (
            ["step", "--step-size", "1", "--steps-per-epoch", str(BILLION), "--steps", "3"],
            "StepLR(step_size=1)",
            "step_size",
        ),
    ],
)
def test_a_per_batch_decay_that_looks_like_epochs_gets_one_note(lrcli, args, call, name):
    result = lrcli(*args, "-f", "csv", "--stop", "1")
    assert result.code == 0
    spe = args[args.index("--steps-per-epoch") + 1]
    assert note(result) == [
        f"Note: stepped {int(spe):,} times an epoch, {call} takes the lr below a millionth of its "
        f"start within the first epoch; if {name} counts epochs, give --counts-in epochs"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["step", "--step-size", "30", "--steps-per-epoch", "391", "--epochs", "90", "--counts-in", "epochs"],
        ["step", "--step-size", "2000", "--steps-per-epoch", "500", "--epochs", "90"],
        ["step", "--step-size", "1", "--gamma", "0.99", "--steps-per-epoch", "100"],
        ["step", "--step-size", "3", "--steps-per-epoch", "5"],  # three decays: 1e-3, not the trap's scale
        ["multistep", "--milestones", "30,60,80", "--steps-per-epoch", "391", "--epochs", "90"],
        ["multistep", "--milestones", "1,2,3,4,5,6", "--steps-per-epoch", "10"],  # 0.1 ** 6 is just above 1e-6
        ["multistep", "--milestones", "10,20,30,40,50,60,70", "--steps-per-epoch", "10"],
        ["step", "--step-size", "1", "--gamma", "0.5", "--steps", "1000"],  # no epochs to compare with
        ["step", "--step-size", "1", "--epochs", "100"],
        ["exp", "--gamma", "0.01", "--steps-per-epoch", "100"],
        ["timm", "--sched", "step", "--decay-epochs", "1", "--sched-on-updates", "--updates-per-epoch", "100"],
        ["transformers", "linear", "--num-train-epochs", "1", "--steps-per-epoch", "100"],
    ],
)
def test_no_note_where_the_counts_are_fine(lrcli, args):
    result = lrcli(*args, "-f", "csv", "--stop", "1")
    assert result.code == 0, result.err
    assert note(result) == []
