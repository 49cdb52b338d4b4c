"""OpenMMLab configs: read as mmengine reads them (recorded from mmengine itself), never run, and
every construct outside the safe language refused with the line it is on."""

import json
import pathlib

import pytest

from lrcli.config import ConfigError, read_config

CONFIGS = pathlib.Path(__file__).parent / "configs"
READ_BY_MMENGINE = json.loads((pathlib.Path(__file__).parent / "golden" / "mmengine_configs.json").read_text())


def as_json(value):
    return json.loads(json.dumps(value))


@pytest.mark.parametrize("name", sorted(READ_BY_MMENGINE))
def test_configs_read_as_mmengine_reads_them(name):
    assert as_json(read_config(str(CONFIGS / name))) == READ_BY_MMENGINE[name]


def test_every_test_config_was_read_by_mmengine():
    assert sorted(str(path.relative_to(CONFIGS)) for path in CONFIGS.rglob("*.py")) == sorted(READ_BY_MMENGINE)


def write(folder, name, text):
    path = folder / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("text, message", [
    ("import os\nlr = 1\n", ":1: an import is not supported"),
    ("from os import system\n", ":1: an import is not supported"),
    ("x = __import__('os').system('touch /tmp/lrcli-pwned')\n", ":1: calling __import__('os').system()"),
    ("x = open('/etc/passwd').read()\n", "calling open('/etc/passwd').read()"),
    ("x = (lambda: 1)()\n", "is not supported"),
    ("x = [i for i in range(10)]\n", ":1: a comprehension"),
    ("x = f'{1}'\n", "an f-string"),
    ("def f():\n    pass\n", ":1: a functiondef statement"),
    ("with read_base():\n    from .a import *\n", "new-style configs"),
    ("x = 2 ** 2 ** 2 ** 2 ** 2\n", "wider than 10000 bits"),
    ("x = 'a' * 10 ** 9\n", "lrcli stops at 1,000,000"),
    ("x = [0] * 1000 * 1000 * 1000\n", "lrcli stops at 1,000,000"),
    ("x = y + 1\n", "'y' is not assigned before it is used"),
    ("x = dict(a=1).b\n", "names nothing"),
    ("x = ().__class__\n", "names nothing"),
    ("x = 1 / 0\n", "fails (division by zero)"),
    ("x = (\n", "not valid Python"),
    ("x = 1\nif x:\n    y = 2\n", ":2: a if statement"),
    ("x = {1, 2}\n", "a set"),
    ("x = [1][5]\n", "names nothing"),
    ("_base_ = 1\n", "_base_ must be a path or a list of paths"),
    ("x = 1\n" * 200_000, "lrcli reads configs up to that"),
    ("x = " + "[" * 100_000 + "]" * 100_000 + "\n", "not valid Python"),
])
def test_configs_never_run(tmp_path, text, message):
    with pytest.raises(ConfigError) as refused:
        read_config(write(tmp_path, "config.py", text))
    assert message in str(refused.value)
    assert not pathlib.Path("/tmp/lrcli-pwned").exists()


def test_bases_merge_as_mmengine_merges(tmp_path):
    write(tmp_path, "a.py", "x = dict(p=1, q=dict(r=2))\nitems = [1, 2]\n")
    write(tmp_path, "b.py", "y = 3\n")
    child = write(tmp_path, "child.py", "_base_ = ['./a.py', './b.py']\nx = dict(q=dict(s=4))\nitems = [3]\n"
                                        "z = {{_base_.y}}\n")
    assert read_config(child) == {"x": {"p": 1, "q": {"r": 2, "s": 4}}, "items": [3], "y": 3, "z": 3}
    deleted = write(tmp_path, "deleted.py", "_base_ = './a.py'\nx = dict(_delete_=True, q=5)\n")
    assert read_config(deleted)["x"] == {"q": 5}
    options = read_config(child, ["items.0=7", "x.q.r=[1,2]", "w=a,b", "v=None"])
    assert options["items"] == [7] and options["x"]["q"]["r"] == [1, 2] and options["w"] == ["a", "b"]
    assert options["v"] is None


@pytest.mark.parametrize("files, message", [
    ({"a.py": "x = 1\n", "b.py": "x = 2\n", "c.py": "_base_ = ['./a.py', './b.py']\n"}, "the same key in two"),
    ({"c.py": "_base_ = './c.py'\n"}, "include it again"),
    ({"c.py": "_base_ = './missing.py'\n"}, "cannot read the config"),
    ({"a.py": "x = 1\n", "c.py": "_base_ = './a.py'\nx = dict(y=1)\n"}, "cannot inherit from its base"),
    ({"c.py": "_base_ = []\nz = {{_base_.nothing}}\n"}, "names nothing in its _base_ files"),
])
def test_bad_bases_are_refused(tmp_path, files, message):
    for name, text in files.items():
        write(tmp_path, name, text)
    with pytest.raises(ConfigError) as refused:
        read_config(str(tmp_path / "c.py"))
    assert message in str(refused.value)


def test_a_device_is_not_read_forever():
    with pytest.raises(ConfigError) as refused:
        read_config("/dev/zero")
    assert "lrcli reads configs up to" in str(refused.value)


def test_json_configs_and_their_bases(tmp_path):
    write(tmp_path, "base.py", "train_cfg = dict(max_epochs=3)\n")
    config = write(tmp_path, "c.json", json.dumps({"_base_": "./base.py", "train_cfg": {"val_interval": 1}}))
    assert read_config(config) == {"train_cfg": {"max_epochs": 3, "val_interval": 1}}


def test_the_command_reads_a_config_and_says_what_is_wrong(lrcli):
    faster = str(CONFIGS / "mmdet" / "faster_rcnn_1x.py")
    result = lrcli("mmengine", faster, "--iters-per-epoch", "7330", "--changes", "--start", "499", "-f", "csv")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "step,epoch,lr" and len(result.out.splitlines()) == 5
    assert result.out.splitlines()[1] == "499,0,0.019999999999999952"
    assert lrcli("mmengine", faster).err.startswith("Error: an epoch-based loop needs the iterations per epoch")
    unknown = lrcli("mmengine", faster, "--iters-per-epoch", "3", "--cfg-options", "param_scheduler.0.type=WarmupLR")
    assert unknown.code == 2 and "unknown param_scheduler type WarmupLR" in unknown.err
    assert lrcli("mmengine", faster, "--dataset-size", "117266", "--gpus", "8", "--stop", "1", "-f", "csv").out \
        == "step,epoch,lr\n0,0,0.00002\n"


def test_auto_scale_lr_and_other_parameters(lrcli):
    vit = str(CONFIGS / "mmpretrain" / "vit_base.py")
    scaled = lrcli("mmengine", vit, "--iters-per-epoch", "313", "--gpus", "8", "--auto-scale-lr", "--at", "9390",
                   "-f", "csv")
    plain = lrcli("mmengine", vit, "--iters-per-epoch", "313", "--at", "9390", "-f", "csv")
    # 8 GPUs x 128 = 1024 of a base 4096: a quarter of the lr, reached at the end of the warmup
    assert float(scaled.out.split(",")[-1]) * 4 == pytest.approx(float(plain.out.split(",")[-1]))
    decay = lrcli("mmengine", str(CONFIGS / "classes" / "overlapping.py"), "--iters-per-epoch", "10", "--param",
                  "momentum")
    assert decay.code == 2 and "no param_scheduler entry schedules momentum" in decay.err
    adam = lrcli("mmengine", vit, "--iters-per-epoch", "3", "--param", "momentum", "--cfg-options",
                 "param_scheduler.0.type=LinearMomentum")
    assert adam.code == 2 and "betas" in adam.err
    lists = lrcli("mmengine", str(CONFIGS / "classes" / "one_cycle_quadratic.py"), "--iters-per-epoch", "10",
                  "--cfg-options", "param_scheduler.1.eta_max=[0.1,0.2]")
    assert lists.code == 2 and "eta_max must be one number" in lists.err


@pytest.mark.parametrize("command", [["mmengine"], ["timm"], ["transformers"], []])
def test_help_fits_80_columns(lrcli, monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "80")
    result = lrcli(*command, "--help")
    assert result.code == 0 and max(map(len, result.out.splitlines())) <= 80


def test_the_help_examples_run(lrcli, monkeypatch):
    import shlex

    from lrcli.cli.mmengine import MMENGINE_HELP

    monkeypatch.chdir(pathlib.Path(__file__).parent.parent)
    block = MMENGINE_HELP.split("Examples:\n")[1].split("\n\n")[0].replace("\\\n", " ")
    examples = [shlex.split(line)[1:] for line in block.splitlines()]
    assert len(examples) == 3
    for words in examples:
        result = lrcli(*words)
        assert result.code == 0 and result.err == "" and result.out.count("\n") >= 3, (words, result.err)
