"""Logged runs read from the frameworks' own files and compared with lrcli's replay: logs written by real
transformers, mmengine, Lightning and Ultralytics runs, and by real loops with a planted bug
(scripts/golden_logs.py)."""

import dataclasses
import json
import pathlib

import pytest

from lrcli.engine import mmengine, transformers
from lrcli.engine.torch.annealing import cosine_annealing_lr
from lrcli.engine.torch.cyclic import one_cycle_lr
from lrcli.engine.torch.multiplicative import exponential_lr, step_lr
from lrcli.engine.ultralytics import Training
from lrcli.logs import LogError, compare, detect_format, likely_causes, read_log, replayer, within
from scripts.golden import harness

GOLDEN = harness.folder("logs")
MANIFEST = json.loads((GOLDEN / "manifest.json").read_text())["logs"]
REAL = sorted(name for name, log in MANIFEST.items() if "cause" not in log)
PLANTED = sorted(name for name, log in MANIFEST.items() if "cause" in log and log["format"] != "ultralytics")
"""The planted logs whose cause the engine names (an Ultralytics run's: lrcli check, tests/cli/test_check.py)."""


def schedule(log: dict):
    engine, params = log["engine"], log["params"]
    if engine.startswith("transformers."):
        return getattr(transformers, engine.split(".")[1])(**params)
    if engine == "mmengine.mmengine_schedule":
        return mmengine.mmengine_schedule(**params)
    if engine == "ultralytics.Training":
        return Training(**params).scheduler()
    return {
        "torch.one_cycle_lr": one_cycle_lr,
        "torch.cosine_annealing_lr": cosine_annealing_lr,
        "torch.step_lr": step_lr,
    }[engine](**params)


def read(name: str):
    check = MANIFEST[name].get("check", [])
    column = check[check.index("--column") + 1] if "--column" in check else None
    return read_log(GOLDEN / name, column=column, batches_per_epoch=MANIFEST[name]["params"].get("nb"))


def test_golden_logs_come_from_every_framework():
    assert {log["format"] for log in MANIFEST.values()} == {
        "transformers",
        "mmengine",
        "lightning",
        "ultralytics",
        "tensorboard",
        "plain",
    }
    assert MANIFEST["transformers_trainer_state.json"]["producer"]["transformers"] == "5.23.0"
    assert MANIFEST["mmengine_iter_scalars.json"]["producer"]["mmengine"] == "0.10.7"
    assert MANIFEST["lightning_metrics.csv"]["producer"]["lightning"].startswith("2.")
    assert MANIFEST["ultralytics_results.csv"]["producer"]["ultralytics"] == "8.4.190"


@pytest.mark.parametrize("name", REAL)
def test_real_logs_equal_the_replay(name):
    log, expected = read(name), MANIFEST[name]
    assert log.format == expected["format"]
    if expected["offset"] is not None:
        assert [entry.row for entry in log.entries] == [entry.step + expected["offset"] for entry in log.entries]
    result = compare(log, replayer(schedule(expected), expected["lr"]))
    assert (result.agree, result.rows, result.first, result.causes) == (True, len(log.entries), None, ())


def test_full_precision_logs_are_equal_bit_for_bit():
    for name in REAL:
        if MANIFEST[name]["format"] not in ("ultralytics", "tensorboard"):  # %.6g; float32
            result = compare(read(name), replayer(schedule(MANIFEST[name]), MANIFEST[name]["lr"]))
            assert not result.rounded and result.exact == result.rows > 10, name


def test_ultralytics_rounds_to_six_digits_and_is_equal_within_them():
    log = read("ultralytics_results.csv")
    nb = MANIFEST["ultralytics_results.csv"]["params"]["nb"]
    assert log.rounded and [entry.row for entry in log.entries] == [epoch * nb - 1 for epoch in (1, 2, 3, 4)]
    result = compare(
        log, replayer(schedule(MANIFEST["ultralytics_results.csv"]), MANIFEST["ultralytics_results.csv"]["lr"])
    )
    assert result.agree and result.exact < result.equal
    exact = compare(log, replayer(schedule(MANIFEST["ultralytics_results.csv"]), 0.01), rounded=False)
    assert not exact.agree and exact.first.entry.text == "0.00266667"


def test_other_columns_are_read_on_request():
    bias = read_log(GOLDEN / "ultralytics_results.csv", column="lr/pg2", batches_per_epoch=5)
    assert bias.entries[0].text == "0.076"
    params = MANIFEST["ultralytics_results.csv"]["params"]
    result = compare(bias, replayer(Training(**params).scheduler(bias=True), 0.01))
    assert result.agree


@pytest.mark.parametrize("name", PLANTED)
def test_planted_bugs_differ_and_are_named(name):
    log, expected = read(name), MANIFEST[name]
    result = compare(log, replayer(schedule(expected), expected["lr"]))
    assert not result.agree and len(result.causes) == 1
    cause = result.causes[0]
    if expected["cause"] == "processes":
        assert result.equal == 0 and cause.startswith(
            f"the scheduler stepped {expected['factor']} times per logged step"
        )
    elif expected["cause"] == "accumulation":
        assert log.rounded and cause.startswith(f"the scheduler stepped once every {expected['factor']} logged steps")
    else:
        assert result.equal == expected["at"] == result.first.entry.step
        assert cause.startswith(f"from step {expected['at']} on, the log is the schedule started again")


def test_off_by_one_logging_is_named_both_ways():
    """The Trainer's log read as if it showed the lr after each step (a row too far), and the other way."""
    expected = MANIFEST["transformers_trainer_state.json"]
    replay = replayer(schedule(expected), expected["lr"])
    log = read("transformers_trainer_state.json")
    late = [dataclasses.replace(entry, row=entry.row + 1) for entry in log.entries]
    early = [dataclasses.replace(entry, row=entry.row - 1) for entry in log.entries if entry.row >= 1]
    assert likely_causes(late, replay)[0].startswith("the log is one step behind the replay")
    assert likely_causes(early, replay)[0].startswith("the log is one step ahead of the replay")


def test_an_unrelated_schedule_has_no_cause():
    log = read("transformers_trainer_state.json")
    result = compare(log, replayer(exponential_lr(gamma=0.5), 1e-3))
    assert not result.agree and result.causes == () and result.first.entry.step == 1


def test_alignments_are_described():
    assert read("mmengine_iter_scalars.json").alignment.startswith("row = step - 1")
    assert read("lightning_metrics.csv").alignment.startswith("row = step:")


def test_detect_format():
    assert detect_format("logs/trainer_state.json", "{\n") == "transformers"
    assert detect_format("a/vis_data/scalars.json", '{"lr": 0.1, "step": 1}') == "mmengine"
    assert detect_format("metrics.csv", "epoch,loss,lr-SGD,step") == "lightning"
    assert detect_format("r.csv", "epoch,time,lr/pg0,lr/pg1") == "ultralytics"
    assert detect_format("lr.tsv", "step\tlr") == "plain"


def test_within_the_digits_shown():
    assert within("0.3", 0.29999999999999999) and within("1.00000e-04", 0.0001000004)
    assert not within("1.00000e-04", 0.000100000500001) and not within("abc", 0.1)
    assert within("nan", float("nan")) is False and within("inf", float("inf"))


def write(tmp_path, name: str, text: str | bytes) -> pathlib.Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_plain_logs_with_and_without_header(tmp_path):
    bare = read_log(write(tmp_path, "a.csv", "0,0.1\n1,0.05\n\n2,0.025\n"))
    assert [(entry.step, entry.row, entry.value, entry.line) for entry in bare.entries] == [
        (0, 0, 0.1, 1),
        (1, 1, 0.05, 2),
        (2, 2, 0.025, 4),
    ]
    assert not bare.rounded
    named = read_log(write(tmp_path, "b.tsv", "Wall time\tStep\tValue\n1.5\t10\t0.100000\n"))
    assert (named.column, named.entries[0].step, named.rounded) == ("Value", 10, True)


@pytest.mark.parametrize(
    "name, text, kwargs, message",
    [
        (
            "trainer_state.json",
            '{"log_history": [\n{"step": 1,\n "learning_rate": "x"}]}',
            {},
            "trainer_state.json:3: learning_rate is 'x', not a number",
        ),
        (
            "trainer_state.json",
            '{"log_history": [\n{"learning_rate": 0.1}]}',
            {},
            "trainer_state.json:2: a log_history record has 'learning_rate' but no 'step'",
        ),
        (
            "trainer_state.json",
            '{"log_history": [{"step": 0, "learning_rate": 0.1}]}',
            {},
            "trainer_state.json:1: step 0 is before the first scheduler step (row -1)",
        ),
        ("trainer_state.json", '{"log_history": 3}', {}, "trainer_state.json: no log_history list"),
        (
            "scalars.json",
            '{"lr": 0.1, "step": 1}\n{"lr": 0.1, "step": 1.5}\n',
            {},
            "scalars.json:2: step is '1.5', not a whole number",
        ),
        ("scalars.json", '{"lr": 0.1, "step": 1}\n{"lr": 0.1,\n', {}, "scalars.json:2: not JSON"),
        ("scalars.json", "[1]\n", {}, "scalars.json:1: not a JSON object"),
        ("scalars.json", '{"loss": 1, "step": 1}\n', {}, "scalars.json: no 'lr' value in it"),
        ("results.csv", "epoch,time,lr/pg0\n1,2,0.1\n", {}, "give the batches per epoch"),
        ("results.csv", "epoch,time,lr/pg0\n1,2,0.1\n", {"batches_per_epoch": 0}, "batches per epoch must be"),
        ("metrics.csv", "epoch,loss,step\n0,1,0\n", {"format": "lightning"}, "metrics.csv:1: no lr-<Optimizer> column"),
        ("lr.csv", "0.1\n0.2\n", {}, "lr.csv:1: a plain log has two columns"),
        ("lr.csv", "step,lr\n1,0.1\n2\n", {}, "lr.csv:3: 1 fields"),
        ("lr.csv", "time,loss\n1,0.1\n", {}, "lr.csv:1: no step and lr columns in the header"),
        ("lr.csv", "step,lr\n1,0.1\n", {"column": "lr-Adam"}, "lr.csv:1: no 'lr-Adam' column"),
        ("lr.csv", "", {}, "lr.csv: empty"),
        ("lr.csv", b"step,lr\n1,0.1\n\xff\n", {}, "lr.csv:3: not UTF-8 text"),
        ("lr.csv", "step,lr\n" + "1,0.1\n" * 100, {"max_bytes": 64}, "lr.csv: larger than 64 bytes"),
        ("lr.csv", "step,lr\n1,0.1\n", {"format": "wandb"}, "unknown log format 'wandb'"),
    ],
)
def test_bad_logs_are_one_line_errors(tmp_path, name, text, kwargs, message):
    with pytest.raises(LogError) as raised:
        read_log(write(tmp_path, name, text), **kwargs)
    assert message in str(raised.value) and "\n" not in str(raised.value)
    assert str(raised.value).startswith(str(tmp_path))


def test_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(LogError, match="cannot read it"):
        read_log(tmp_path / "none.csv")
