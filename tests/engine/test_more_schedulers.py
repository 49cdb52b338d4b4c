"""What the golden files do not show: defaults, metric input, momentum columns, composition JSON."""

import csv
import io
import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrcli.engine.core import Group, GroupReplay, ScheduleError, lr_values, run_stepper
from lrcli.engine.torch.annealing import cosine_annealing_lr, cosine_annealing_warm_restarts
from lrcli.engine.torch.compose import chained_scheduler, sequential_lr
from lrcli.engine.torch.cyclic import cyclic_lr, one_cycle_lr
from lrcli.engine.torch.multiplicative import (
    constant_lr,
    exponential_lr,
    lambda_lr,
    linear_lr,
    multiplicative_lr,
    multistep_lr,
    polynomial_lr,
    step_lr,
)
from lrcli.registry import BY_COMMAND, DESCRIPTIONS
from scripts.golden import harness


def rows(text):
    return list(csv.reader(text.splitlines()))


def test_onecycle_rows_default_to_total_steps_and_may_reach_one_more(lrcli):
    assert len(rows(lrcli("onecycle", "--max-lr", "0.1", "--total-steps", "50", "-f", "csv").out)) == 51
    assert (
        len(rows(lrcli("onecycle", "--max-lr", "0.1", "--total-steps", "50", "--epochs", "51", "-f", "csv").out)) == 52
    )


def test_onecycle_ignores_lr_as_torch_does(lrcli):
    plain = lrcli("onecycle", "--max-lr", "0.1", "--total-steps", "20", "-f", "csv").out
    assert lrcli("onecycle", "--lr", "7", "--max-lr", "0.1", "--total-steps", "20", "-f", "csv").out == plain
    assert rows(plain)[1] == ["0", "0.0040000000000000036"]  # torch's first lr for max_lr 0.1


def test_plateau_reads_stdin_and_defaults_to_one_row_per_metric_plus_one(lrcli, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"1.0\n0.9\n0.9\n0.9\n0.9\n")))
    result = lrcli("plateau", "--metrics", "-", "--patience", "1", "-f", "csv")
    assert result.code == 0, result.err
    assert [row[1] for row in rows(result.out)[1:]] == [
        "0.1",
        "0.1",
        "0.1",
        "0.1",
        "0.010000000000000002",
        "0.010000000000000002",
    ]


def test_plateau_names_the_line_of_a_bad_metric(lrcli, tmp_path):
    metrics = tmp_path / "loss.txt"
    metrics.write_text("1\n2\n3\n4\n5\n6\nloss went up\n")
    result = lrcli("plateau", "--metrics", str(metrics))
    assert result.err == "Error: --metrics line 7: 'loss went up' is not a number\n"


def test_plateau_needs_a_metric_per_row(lrcli, tmp_path):
    metrics = tmp_path / "loss.txt"
    metrics.write_text("1\n2\n3\n")
    result = lrcli("plateau", "--metrics", str(metrics), "--epochs", "10")
    assert result.err == "Error: --metrics has 3 values; 10 rows need 9 (row k follows step(metrics[k-1]))\n"


def test_plateau_column_by_position(lrcli, tmp_path):
    metrics = tmp_path / "log.csv"
    metrics.write_text("epoch,loss\n1,5\n2,4\n")
    by_name = lrcli("plateau", "--metrics", str(metrics), "--column", "loss", "-f", "csv").out
    assert lrcli("plateau", "--metrics", str(metrics), "--column", "2", "-f", "csv").out == by_name
    assert len(rows(by_name)) == 4


def test_momentum_columns_follow_the_lr_columns(lrcli):
    args = ["onecycle", "--lr", "1", "--lr", "1", "--max-lr", "0.1", "--total-steps", "10", "--show-momentum"]
    table = rows(lrcli(*args, "-f", "csv").out)
    assert table[0] == ["epoch", "lr_0", "lr_1", "momentum_0", "momentum_1"]
    assert table[1][3:] == ["0.95", "0.95"]
    document = json.loads(lrcli(*args, "-f", "json").out)
    assert document["columns"] == table[0]


def test_warmup_is_a_sequential_lr_in_json(lrcli):
    document = json.loads(lrcli("step", "--step-size", "3", "--warmup", "2", "-f", "json").out)
    assert document["scheduler"] == "SequentialLR"
    assert document["params"] == {
        "schedulers": [
            {"scheduler": "LinearLR", "params": {"start_factor": 1 / 3, "end_factor": 1.0, "total_iters": 2}},
            {"scheduler": "StepLR", "params": {"step_size": 3, "gamma": 0.1}},
        ],
        "milestones": [2],
    }


def test_specs_accept_torch_class_names(lrcli):
    by_command = lrcli("chained", "cosine-restarts(T_0=3)", "exp(gamma=0.9)", "-f", "csv").out
    by_class = lrcli("chained", "CosineAnnealingWarmRestarts(T_0=3)", "ExponentialLR(gamma=0.9)", "-f", "csv").out
    assert by_command == by_class


multiplicative = st.one_of(
    st.builds(step_lr, st.integers(1, 20), st.floats(0, 1)),
    st.builds(multistep_lr, st.lists(st.integers(0, 40), max_size=5), st.floats(0, 1)),
    st.builds(exponential_lr, st.floats(0.5, 1)),
    st.builds(constant_lr, st.floats(0.01, 1), st.integers(0, 20)),
    st.builds(linear_lr, st.floats(0.01, 1), st.floats(0, 1), st.integers(1, 20)),
    st.builds(polynomial_lr, st.integers(1, 20), st.floats(0, 3)),
)


@given(multiplicative, st.floats(0, 1), st.integers(0, 60))
def test_a_chain_of_one_is_the_scheduler_itself(scheduler, lr, epochs):
    assert lr_values(chained_scheduler([scheduler]), lr, epochs) == lr_values(scheduler, lr, epochs)


@given(multiplicative, multiplicative, st.floats(0, 1), st.integers(0, 60))
def test_sequential_runs_the_first_scheduler_until_the_milestone(first, then, lr, epochs):
    milestone = max(epochs // 2, 1)
    together = lr_values(sequential_lr([first, then], [milestone]), lr, epochs)
    # Torch's SequentialLR reruns the first scheduler's initial step from initial_lr = lr.
    assert together[:milestone] == lr_values(first, lr, milestone)[:epochs]


any_scheduler = st.one_of(
    multiplicative,
    st.builds(cosine_annealing_lr, st.integers(1, 30), st.floats(0, 0.01)),
    st.builds(cosine_annealing_warm_restarts, st.integers(1, 10), st.integers(1, 3), st.floats(0, 0.01)),
    st.builds(
        cyclic_lr,
        st.just(0.01),
        st.floats(0.01, 1),
        st.integers(1, 10),
        st.none() | st.integers(0, 10),
        st.sampled_from(["triangular", "triangular2", "exp_range"]),
        st.floats(0.9, 1),
    ),
    st.builds(
        one_cycle_lr,
        st.floats(0.01, 1),
        st.integers(80, 200),
        st.floats(0.05, 0.95),
        st.sampled_from(["cos", "linear"]),
        three_phase=st.booleans(),
    ),
    st.builds(lambda_lr, st.just(lambda epoch: 1 / (epoch + 1))),
    st.builds(multiplicative_lr, st.just(lambda epoch: 0.99)),
)
compositions = st.one_of(
    any_scheduler,
    st.lists(any_scheduler, min_size=1, max_size=3).map(chained_scheduler),
    st.lists(any_scheduler, min_size=2, max_size=3).flatmap(
        lambda children: (
            st.lists(st.integers(1, 60), min_size=len(children) - 1, max_size=len(children) - 1)
            .map(sorted)
            .map(lambda milestones: sequential_lr(children, milestones))
        )
    ),
)


@settings(max_examples=300)
@given(compositions, st.floats(0.001, 1), st.integers(2, 80))
def test_bulk_forms_step_exactly_as_the_rule(scheduler, lr, epochs):
    """factors, tables and runs are shortcuts: stepping the rule one call at a time agrees."""
    group, stepper = scheduler(Group(lr))
    by_rule = run_stepper(replace(stepper, bulk=None), group.lr, 1, epochs)
    assert run_stepper(stepper, group.lr, 1, epochs) == by_rule


METRICS = str(harness.METRICS / "metrics_loss.txt")
EVERY_COMMAND = {
    "lambda": ["--lr-lambda", "0.9 ** epoch"],
    "multiplicative": ["--lr-lambda", "0.9"],
    "step": ["--step-size", "3"],
    "multistep": ["--milestones", "2,5"],
    "constant": [],
    "linear": [],
    "exp": ["--gamma", "0.9"],
    "poly": [],
    "cosine": ["--t-max", "5", "--eta-min", "0.01"],
    "cosine-restarts": ["--t-0", "3", "--t-mult", "2"],
    "cyclic": ["--base-lr", "0.01", "--max-lr", "0.1", "--step-size-up", "3", "--show-momentum"],
    "onecycle": ["--max-lr", "0.1", "--total-steps", "10", "--show-momentum"],
    "plateau": ["--metrics", METRICS, "--patience", "1", "--epochs", "10"],
    "sequential": ["linear(total_iters=3)", "exp(gamma=0.9)", "--milestones", "3"],
    "chained": ["constant(total_iters=3)", "exp(gamma=0.9)"],
    "swa": ["--swa-lr", "0.01", "--anneal-epochs", "4"],
    "transformers.linear": ["--num-warmup-steps", "3", "--num-training-steps", "10"],
    "transformers.cosine": ["--warmup-steps", "0.2", "--max-steps", "10"],
    "transformers.cosine_with_restarts": ["--num-training-steps", "10", "--num-cycles", "2"],
    "transformers.polynomial": [
        "--num-warmup-steps",
        "2",
        "--num-training-steps",
        "8",
        "--lr-end",
        "0.01",
        "--power",
        "2",
        "--steps",
        "10",
    ],
    "transformers.constant": [],
    "transformers.constant_with_warmup": ["--num-warmup-steps", "4"],
    "transformers.inverse_sqrt": ["--num-warmup-steps", "3"],
    "transformers.cosine_with_min_lr": ["--num-training-steps", "10", "--min-lr-rate", "0.1"],
    "transformers.cosine_warmup_with_min_lr": ["--num-warmup-steps", "3", "--max-steps", "10", "--min-lr", "0.001"],
    "transformers.warmup_stable_decay": [
        "--num-warmup-steps",
        "2",
        "--num-decay-steps",
        "3",
        "--num-stable-steps",
        "4",
        "--steps",
        "10",
    ],
    "transformers.reduce_lr_on_plateau": ["--metrics", METRICS, "--patience", "1", "--epochs", "10"],
    "transformers.greedy": ["--metrics", METRICS, "--patience", "1", "--epochs", "10"],
    "timm.cosine": ["--epochs", "8", "--warmup-epochs", "2", "--cooldown-epochs", "2"],
    "timm.tanh": ["--epochs", "10", "--warmup-epochs", "2"],
    "timm.step": ["--epochs", "10", "--decay-epochs", "3", "--warmup-epochs", "1", "--lr-noise", "0.5"],
    "timm.multistep": ["--epochs", "10", "--decay-milestones", "3,6", "--warmup-epochs", "0"],
    "timm.poly": ["--epochs", "10", "--decay-rate", "2"],
    "timm.wsd": ["--epochs", "10", "--decay-epochs", "3", "--warmup-epochs", "2"],
    "timm.rsqrt": ["--epochs", "10", "--decay-epochs", "3", "--warmup-epochs", "2"],
    "timm.constant": ["--epochs", "10", "--warmup-epochs", "3"],
    "timm.plateau": [
        "--epochs",
        "10",
        "--warmup-epochs",
        "2",
        "--metrics",
        METRICS,
        "--patience-epochs",
        "1",
        "--eval-metric",
        "loss",
    ],
    "deepspeed.warmup-lr": ["--warmup-num-steps", "5", "--steps", "10"],
    "deepspeed.warmup-decay-lr": ["--total-num-steps", "8", "--warmup-num-steps", "3", "--warmup-type", "linear"],
    "deepspeed.warmup-cosine-lr": ["--total-num-steps", "8", "--warmup-num-steps", "3"],
    "deepspeed.one-cycle": [
        "--cycle-min-lr",
        "0.01",
        "--cycle-max-lr",
        "0.1",
        "--cycle-first-step-size",
        "4.5",
        "--show-momentum",
        "--steps",
        "10",
    ],
    "deepspeed.lr-range-test": ["--lr-range-test-step-size", "3", "--lr-range-test-staircase", "--steps", "10"],
}
"""Arguments that make each command show ten rows (a family's command: family.type)."""


@pytest.mark.parametrize("output_format", ["table", "plot", "csv", "tsv", "json"])
@pytest.mark.parametrize("command", sorted(EVERY_COMMAND))
def test_every_command_in_every_format(lrcli, command, output_format):
    arguments = command_line(command)
    result = lrcli(*arguments, "-f", output_format)
    assert result.code == 0, result.err
    assert "\x1b" not in result.out
    table = rows(lrcli(*arguments, "-f", "csv").out)
    assert len(table) == 11 and table[0][:3] == [BY_COMMAND[command].unit, "lr_0", "lr_1"]
    if output_format == "tsv":
        assert result.out.splitlines() == ["\t".join(row) for row in table]
    if output_format == "json":
        document = json.loads(result.out)
        assert document["columns"] == table[0]
        assert document["rows"] == [[int(row[0]), *map(float, row[1:])] for row in table[1:]]
    if output_format == "table":
        lines = result.out.splitlines()
        assert lines[0].startswith(json.loads(lrcli(*arguments, "-f", "json").out)["scheduler"] + "(")
        for row in table[1:]:  # ten rows: every one is shown, every value as CSV writes it
            shown = next(line for line in lines if line.startswith("│") and line.split("│")[1].strip() == row[0])
            assert [cell.strip() for cell in shown.strip("│").split("│")] == row
    if output_format == "plot":
        assert "┤" in result.out and "lr_0" in result.out and "lr_1" in result.out


def command_line(command: str) -> list[str]:
    """The command's words, its arguments in EVERY_COMMAND, and two param groups."""
    return [*BY_COMMAND[command].words, *EVERY_COMMAND[command], "--lr", "0.1", "--lr", "0.2"]


def test_every_command_is_covered():
    from lrcli.cli import make_app

    app = make_app()
    commands = [command.name for command in app.registered_commands]
    commands += [
        f"{group.name}.{command.name}"
        for group in app.registered_groups
        for command in group.typer_instance.registered_commands
    ]
    timm = sorted(command for command in EVERY_COMMAND if command.startswith("timm."))
    assert timm == sorted(description.command for description in DESCRIPTIONS if description.family.name == "timm")
    # mmengine, mmcv and ultralytics read a file: tests/readers and tests/cli run them; check reads a log:
    # tests/cli/test_check.py; diffusers takes its scripts' flags: tests/cli/test_diffusers.py; config:
    # tests/cli/test_config.py
    assert sorted(commands) == sorted(
        [
            *(set(EVERY_COMMAND) - set(timm)),
            *("compare", "check", "config", "timm", "mmengine", "mmcv", "ultralytics", "diffusers"),
        ]
    )


@settings(max_examples=300)
@given(compositions, st.floats(0.001, 1), st.integers(1, 200), st.integers(1, 37))
def test_chunks_of_any_size_replay_the_same_run(scheduler, lr, rows, size):
    """Each chunk starts from the lr the last one left: the chunk size never shows in the values."""
    try:
        whole = lr_values(scheduler, lr, rows)
    except ScheduleError:  # a OneCycleLR stepped past its cycle is refused however it is chunked
        with pytest.raises(ScheduleError):
            list(GroupReplay(scheduler, lr).chunks(rows, size=size))
        return
    chunked = list(GroupReplay(scheduler, lr).chunks(rows, size=size))
    assert [len(chunk) for chunk in chunked] == [min(size, rows - start) for start in range(0, rows, size)]
    assert [value for chunk in chunked for value in chunk] == whole


@given(st.lists(st.floats(0, 2), max_size=80), st.integers(1, 9), st.integers(0, 3))
def test_plateau_chunks_carry_its_state(metrics, size, patience):
    from lrcli.engine.torch.plateau import reduce_lr_on_plateau

    scheduler = reduce_lr_on_plateau(metrics, patience=patience)
    chunked = [value for chunk in GroupReplay(scheduler, 0.1).chunks(len(metrics) + 1, size=size) for value in chunk]
    assert chunked == lr_values(scheduler, 0.1, len(metrics) + 1)
