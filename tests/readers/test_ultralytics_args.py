"""Ultralytics arguments: args.yaml read as PyYAML's safe loader reads the flat mapping Ultralytics
writes (the values below are PyYAML 6's), never run; yolo train words read as cfg.smart_value
reads them; the schedule's keys checked as cfg.check_cfg checks them."""

import math

import pytest

from lrcli.config import ConfigError
from lrcli.ultralytics_args import DEFAULTS, checked, read_args_yaml, read_words, smart_value, yaml_scalar
from scripts.golden.harness import CONFIGS


@pytest.mark.parametrize(
    "text, value",
    [
        ("True", True),
        ("off", False),
        ("NO", False),
        ("y", "y"),
        ("1e-05", "1e-05"),  # no dot: a string to YAML 1.1
        ("1.0e-05", 1e-05),
        ("1.0e5", "1.0e5"),  # the exponent's sign is required
        ("3.", 3.0),
        (".5", 0.5),
        ("~", None),
        ("", None),
        ("-3", -3),
        ("+7", 7),
        ("0o7", "0o7"),
        (".inf", math.inf),
        ("-.Inf", -math.inf),
        ("'it''s'", "it's"),
        ('"a\\tb"', "a\tb"),
        ("SGD", "SGD"),
    ],
)
def test_scalars_as_pyyaml_reads_them(text, value):
    assert yaml_scalar(text, "f:1: k") == value and type(yaml_scalar(text, "f:1: k")) is type(value)


@pytest.mark.parametrize(
    "text, message",
    [
        ("!!python/object/apply:os.system ['echo hi']", "YAML tags, anchors and aliases are not read"),
        ("&anchor 3", "YAML tags, anchors and aliases are not read"),
        ("*anchor", "YAML tags, anchors and aliases are not read"),
        ("017", "octal, hex, binary, base-60 and _ numbers are not read"),  # PyYAML: 15
        ("1_000", "octal, hex, binary, base-60 and _ numbers are not read"),  # PyYAML: 1000
        ("1:30", "octal, hex, binary, base-60 and _ numbers are not read"),  # PyYAML: 90
        ("{a: 1}", "lrcli reads a flat mapping of scalars and lists"),
    ],
)
def test_what_lrcli_does_not_read_is_refused(text, message):
    with pytest.raises(ConfigError, match=message):
        yaml_scalar(text, "f:1: k")


def test_the_args_yaml_ultralytics_saved(tmp_path):
    read = read_args_yaml(str(CONFIGS / "ultralytics" / "sgd_cos_half_warmup" / "args.yaml"))
    assert {key: read[key][0] for key in ("epochs", "batch", "optimizer", "lr0", "lrf", "cos_lr", "time")} == {
        "epochs": 8,
        "batch": 4,
        "optimizer": "SGD",
        "lr0": 0.02,
        "lrf": 0.05,
        "cos_lr": True,
        "time": None,
    }
    assert read["warmup_epochs"][1].endswith("args.yaml:" + str(list(read).index("warmup_epochs") + 1))


def test_lists_comments_and_lines(tmp_path):
    path = tmp_path / "args.yaml"
    path.write_text("# a run\nclasses:\n- 1\n- two\nimgsz: [640, 480] # h, w\nname: 'a # b'\nsave:\nlr0: 0.02\n")
    read = read_args_yaml(str(path))
    assert {key: value for key, (value, _) in read.items()} == {
        "classes": [1, "two"],
        "imgsz": [640, 480],
        "name": "a # b",
        "save": None,
        "lr0": 0.02,
    }
    assert read["lr0"][1] == f"{path}:8"


@pytest.mark.parametrize(
    "text, message",
    [
        ("lr0: 0.01\nlr0: 0.02\n", ":2: lr0 is given twice"),
        ("lr0: !!float 1\n", ":1: lr0: '!!float 1': YAML tags"),
        ("a:\n  b: 1\n", ":2: 'b: 1': lrcli reads lines 'key: value' at the top level"),
        ("- 1\n", ":1: a list item outside a key's list"),
        ("lr0: [0.01\n", ":1: lr0: '[0.01': lrcli reads [ lists of plain scalars that end on their line"),
        ("# nothing\n", ": no 'key: value' line"),
        ('name: "a\\"\n', ":1: name: '\"a\\\\\"': lrcli reads quoted strings that end on their line"),
        ("lr0: " + "1" * 1001 + "\n", ":1: lr0: a value longer than 1000 characters"),
    ],
)
def test_file_errors_name_the_line_and_key(tmp_path, text, message):
    path = tmp_path / "args.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as refused:
        read_args_yaml(str(path))
    assert str(refused.value).startswith(str(path)) and message in str(refused.value)


def test_a_file_too_large_is_refused(tmp_path):
    path = tmp_path / "args.yaml"
    path.write_text("# x\n" * 300_000)
    with pytest.raises(ConfigError, match="larger than 1,000,000 characters"):
        read_args_yaml(str(path))


def test_words_as_yolo_reads_them():
    assert smart_value("None") is None and smart_value("FALSE") is False and smart_value("1e-3") == 0.001
    assert smart_value("__import__('os').system('true')") == "__import__('os').system('true')"  # text, never run
    read = read_words(["detect", "train", "lr0=0.02", "cos_lr=true", "optimizer=sgd"])
    assert {key: value for key, (value, _) in read.items()} == {"lr0": 0.02, "cos_lr": True, "optimizer": "sgd"}
    assert checked(read)["optimizer"] == "SGD"
    with pytest.raises(ConfigError, match="'lr' is not a valid YOLO argument"):
        read_words(["lr=0.1"])


def test_defaults_are_default_yamls():
    assert checked({}) == DEFAULTS


@pytest.mark.parametrize(
    "word, message",
    [
        ("lr0=1.5", "'lr0=1.5' is an invalid value. Valid 'lr0' values are between 0.0 and 1.0."),
        ("momentum=fast", "'momentum=fast' is of invalid type str"),
        ("epochs=1e2", None),  # an integral float is a count
        ("epochs=0", "'epochs=0' is an invalid value. 'epochs' must be >= 1."),
        ("epochs=None", "'epochs=None' is invalid. 'epochs' must not be None."),
        ("optimizer=Lion", "'optimizer=Lion' is not an optimizer Ultralytics builds"),
        ("time=1.5", "'time=1.5' trains for hours"),
        ("batch=-1", "'batch=-1' asks for AutoBatch"),
        ("batch=0.6", "'batch=0.6' asks for AutoBatch"),
        ("resume=True", None),  # read; the command asks for --resume-at
        ("fraction=1.5", "'fraction=1.5' is invalid."),
    ],
)
def test_checks_as_check_cfg(word, message):
    if message is None:
        assert checked(read_words([word]))["epochs"] == 100
        return
    with pytest.raises(ConfigError) as refused:
        checked(read_words([word]))
    assert str(refused.value).startswith(message)
