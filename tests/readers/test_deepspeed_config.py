"""Reading DeepSpeed configs as DeepSpeed (hjson) and the HF Trainer (JSON, "auto" values) read them."""

import csv
import json

import pytest

from lrcli.config import ConfigError
from lrcli.deepspeed_config import MAX_DEPTH, TrainerArguments, parse_hjson, read_deepspeed_config
from lrcli.engine.core import GroupReplay
from scripts.golden import harness

GOLDEN = harness.folder("deepspeed")
MANIFEST = json.loads((GOLDEN / "manifest.json").read_text())

HJSON = """\
// DeepSpeed reads this with hjson
{
  train_batch_size: 32,   # a comment
  "optimizer": {
    type: Adam
    params: {lr: 3e-4, "betas": [0.8, 0.999]}
  },
  /* the schedule */
  scheduler: {
    'type': "WarmupDecayLR",
    params: {
      total_num_steps: 1000.0
      warmup_max_lr: 3e-4,
      warmup_num_steps: 100,
    }
  }
}
"""


def write(tmp_path, text: str, name: str = "ds_config.json") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_hjson_comments_unquoted_keys_and_quoteless_values(tmp_path):
    config = read_deepspeed_config(write(tmp_path, HJSON))
    assert (config.type, config.optimizer_type, config.optimizer_lr) == ("WarmupDecayLR", "Adam", 3e-4)
    assert config.params == {"total_num_steps": 1000, "warmup_max_lr": 3e-4, "warmup_num_steps": 100}
    assert type(config.params["total_num_steps"]) is int  # hjson makes 1000.0 an int
    assert config.lines[("scheduler", "params", "warmup_num_steps")] == 14
    assert config.has_betas and not config.torch and config.warnings() == []


def test_a_config_replays_as_deepspeed_runs_it(tmp_path):
    case = MANIFEST["cases"]["decay_log"]
    config = read_deepspeed_config(
        write(tmp_path, json.dumps({"scheduler": {"type": case["type"], "params": case["params"]}}))
    )
    rows = list(csv.reader((GOLDEN / "decay_log.csv").read_text().splitlines()))[1:]
    [first, _] = config.schedulers(2)
    values = [value for chunk in GroupReplay(first, case["lrs"][0]).chunks(case["rows"]) for value in chunk]
    assert [float(row[1]) for row in rows] == values


def test_duplicate_keys_are_refused_naming_line_and_key(tmp_path):
    text = '{\n "scheduler": {\n  "type": "WarmupLR",\n  "params": {},\n  "type": "WarmupDecayLR"\n }\n}\n'
    with pytest.raises(ConfigError, match=r"ds_config.json:5: scheduler.type: Duplicate keys in DeepSpeed config"):
        read_deepspeed_config(write(tmp_path, text))


@pytest.mark.parametrize(
    "text, message",
    [
        (
            '{"scheduler": {"type": "WarmupLR", "params": {"warmup_num_steps": 0}}}',
            "ds_config.json:1: scheduler.params.warmup_num_steps: warmup_num_steps must be a positive integer, got 0",
        ),
        (
            '{\n"scheduler": {\n"type": "WarmupLR",\n"params": {\n"warmup_max_lr": [0.1, 0.2]}}}',
            "ds_config.json:5: scheduler.params.warmup_max_lr: expected 1 value for max_lr, got 2",
        ),
        (
            '{\n"scheduler": {\n"type": "WarmupCosineLR",\n"params": {"total_num_steps": 10, "warmup_min_lr": 0}}}',
            "ds_config.json:4: scheduler.params.warmup_min_lr: WarmupCosineLR got an unexpected keyword argument",
        ),
        (
            '{\n"scheduler": {\n"type": "OneCycle",\n"params": {"cycle_min_lr": 0.1}}}',
            "ds_config.json:3: scheduler.type: OneCycle is missing the required argument 'cycle_max_lr'",
        ),
        (
            '{"scheduler": {"type": "WarmupLR", "params": {"warmup_max_lr": "auto"}}}',
            'ds_config.json:1: scheduler.params.warmup_max_lr: "auto" is filled by the HF Trainer',
        ),
        (
            '{"optimizer": {"params": {"lr": "auto"}}, "scheduler": {"type": "WarmupLR", "params": {}}}',
            'ds_config.json:1: optimizer.params.lr: "auto" is filled by the HF Trainer',
        ),
        (
            '{\n"scheduler": {\n"type": "CosineLR", "params": {}}}',
            "ds_config.json:3: scheduler.type: DeepSpeed does not recognize LR scheduler 'CosineLR'",
        ),
        ('{"scheduler": {"type": "WarmupLR"}}', "scheduler.params: DeepSpeed passes it as the scheduler's keywords"),
        ('{"optimizer": {"type": "Adam"}}', 'ds_config.json: no "scheduler" section: DeepSpeed then keeps'),
        ('{"scheduler": {"params": {}}}', 'a "scheduler" without a "type"'),
        ('{"scheduler": [1]}', "ds_config.json:1: scheduler: must be an object"),
        ("{\n  a: 1\n  b: '''text'''\n}", "ds_config.json:3: b: lrcli does not read ''' strings"),
        ("a: 1", "lrcli reads a config in braces"),
        ('{"a": 1}}', "ds_config.json:1: extra text after the config's closing brace"),
        ('{"a": {"b": 1}\n', "ds_config.json:2: the config ends inside { … }"),
        ('{"a": "\\q"}', "ds_config.json:1: a: an invalid escape \\q inside a string"),
        ('{"a": 1e999}', "ds_config.json:1: a: 1e999 is too large a number"),
        ("{a b: 1}", "ds_config.json:1: whitespace in the key 'a b'"),
        ('{"x": [1, 2\n', "ds_config.json:2: x: the config ends inside"),
    ],
)
def test_errors_are_one_line_naming_file_line_and_key(tmp_path, text, message):
    with pytest.raises(ConfigError) as error:
        read_deepspeed_config(write(tmp_path, text)).schedulers(1)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_torch_types_are_passed_on(tmp_path):
    config = read_deepspeed_config(write(tmp_path, '{"scheduler": {"type": "StepLR", "params": {"step_size": 3}}}'))
    assert config.torch and config.params == {"step_size": 3}


def test_bounded_size_and_depth(tmp_path):
    with pytest.raises(ConfigError, match="over 1,000,000 characters"):
        read_deepspeed_config(write(tmp_path, "{" + " " * 1_000_001 + "}"))
    deep = "{a:" * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)
    with pytest.raises(ConfigError, match=f"nested over {MAX_DEPTH} deep"):
        parse_hjson(deep)
    with pytest.raises(ConfigError, match="No such file"):
        read_deepspeed_config(str(tmp_path / "missing.json"))
    (tmp_path / "latin.json").write_bytes(b'{"a": "\xe9"}')
    with pytest.raises(ConfigError, match="not UTF-8"):
        read_deepspeed_config(str(tmp_path / "latin.json"))


@pytest.mark.parametrize("name", sorted(name for name, case in MANIFEST["cases"].items() if "trainer" in case))
def test_auto_values_filled_as_the_trainer_fills_them(tmp_path, name):
    case = MANIFEST["cases"][name]
    arguments = case["trainer"]
    trainer = TrainerArguments(arguments["max_steps"], arguments["learning_rate"], arguments["warmup_steps"])
    config = read_deepspeed_config(write(tmp_path, json.dumps(case["config"])), trainer)
    assert (config.type, config.params) == (case["filled"]["type"], case["filled"]["params"])
    expected_lr = case["filled"]["optimizer_lr"] if "optimizer" in case["config"] else arguments["learning_rate"]
    assert config.optimizer_lr == expected_lr


def test_the_trainer_reads_json_not_hjson(tmp_path):
    trainer = TrainerArguments(100)
    with pytest.raises(
        ConfigError, match=r"ds_config.json:1: Expecting value \(the HF Trainer reads the file as JSON\)"
    ):
        read_deepspeed_config(write(tmp_path, HJSON), trainer)
    text = '{"scheduler": {"type": "WarmupLR", "params": {"warmup_num_steps": 7, "warmup_num_steps": "auto"}}}'
    config = read_deepspeed_config(write(tmp_path, text), trainer)  # json keeps the last of a key given twice
    assert config.params == {"warmup_num_steps": 1}


def test_the_trainer_refuses_a_value_that_mismatches_its_arguments(tmp_path):
    text = '{\n"scheduler": {"type": "WarmupDecayLR",\n"params": {\n"warmup_max_lr": 0.001, "total_num_steps": 500}}}'
    with pytest.raises(
        ConfigError,
        match=r"ds_config.json:4: scheduler.params.warmup_max_lr: the HF Trainer refuses "
        r".*ds scheduler.params.warmup_max_lr=0.001 vs hf learning_rate=5e-05 "
        r"\(and 1 more\)",
    ):
        read_deepspeed_config(write(tmp_path, text), TrainerArguments(400))
    assert read_deepspeed_config(write(tmp_path, text), TrainerArguments(500, 0.001)).params["warmup_max_lr"] == 0.001


def test_one_cycle_cycles_no_momentum_without_betas(tmp_path):
    text = (
        '{"optimizer": {"type": "%s", "params": {"lr": 0.1}}, "scheduler": {"type": "OneCycle", '
        '"params": {"cycle_min_lr": 0.01, "cycle_max_lr": 0.1}}}'
    )
    sgd = read_deepspeed_config(write(tmp_path, text % "SGD"))
    adam = read_deepspeed_config(write(tmp_path, text % "AdamW"))
    assert GroupReplay(sgd.schedulers(1)[0], 0.1).stepper.momentum is None
    assert GroupReplay(adam.schedulers(1)[0], 0.1).stepper.momentum(0, 1) == [0.8]  # cycle_min_mom
    assert sgd.warnings()[0].startswith("cycle_momentum is disabled")
