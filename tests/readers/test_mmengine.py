"""OpenMMLab configs: read as mmengine reads them (recorded from mmengine itself), never run; what
lrcli does not evaluate is opaque and refused only where the schedule needs it; code that could
reach outside the config, or that would take unbounded work, refused with the line it is on."""

import json
import pathlib
import subprocess
import sys

import pytest

from lrcli.config import MAX_ITEMS, MAX_STEPS, ConfigError, Opaque, read_config, setting
from scripts.golden import harness

CONFIGS = harness.CONFIGS
GOLDEN = harness.folder("mmengine")
READ_BY_MMENGINE = json.loads((GOLDEN / "mmengine_configs.json").read_text().replace("{configs}", str(CONFIGS)))
UNEVALUATED = {
    "unevaluated/helpers_and_loops.py": {
        "data_root",
        "img_scales",
        "tta_pipeline",
        "widths",
        "width",
        "train_dataloader",
    },
    "unevaluated/warmup_from_a_function.py": {"param_scheduler"},
}
"""The keys of a test config that hold what lrcli does not evaluate (mmengine runs that code)."""


def as_json(value):
    return json.loads(json.dumps(value))


def csv_rows(text: str) -> list[list[float]]:
    return [[float(field) for field in line.split(",")] for line in text.splitlines()[1:]]


def holds_opaque(value) -> bool:
    if isinstance(value, Opaque):
        return True
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    return any(holds_opaque(item) for item in items)


@pytest.mark.parametrize("name", sorted(READ_BY_MMENGINE))
def test_configs_read_as_mmengine_reads_them(name):
    config = read_config(str(CONFIGS / name))
    unevaluated = {key for key, value in config.items() if holds_opaque(value)}
    assert unevaluated == UNEVALUATED.get(name, set())
    assert sorted(config) == sorted(READ_BY_MMENGINE[name])
    assert as_json({key: value for key, value in config.items() if key not in unevaluated}) == {
        key: value for key, value in READ_BY_MMENGINE[name].items() if key not in unevaluated
    }


def test_every_test_config_was_read_by_mmengine():
    assert sorted(str(path.relative_to(CONFIGS)) for path in CONFIGS.rglob("*.py")) == sorted(READ_BY_MMENGINE)


def test_opaque_values_are_refused_only_where_they_are_read():
    path = CONFIGS / "unevaluated" / "helpers_and_loops.py"
    config = read_config(str(path))
    assert setting(config, "train_dataloader.batch_size") == 4
    assert setting(config, "train_cfg") == {"type": "EpochBasedTrainLoop", "max_epochs": 24, "val_interval": 1}
    with pytest.raises(ConfigError) as refused:
        setting(config, "train_dataloader")
    assert str(refused.value) == (
        f"{path}:7: train_dataloader['dataset']['data_root'] is osp.join('data', 'coco') "
        "(a call lrcli does not evaluate); lrcli needs it, and does not run configs"
    )
    with pytest.raises(ConfigError) as refused:
        setting(config, "widths")
    assert str(refused.value).startswith(f"{path}:18: widths is while width < 100: widths.append(width) width")


def write(folder, name, text):
    path = folder / name
    path.write_text(text)
    return str(path)


HOSTILE = [
    ("import os\nlr = 1\n", ":1: an import of os could reach outside the config"),
    ("from os import system\nsystem('touch /tmp/lrcli-pwned')\n", ":1: an import of os could reach outside"),
    ("import subprocess\n", ":1: an import of subprocess could reach outside"),
    ("import os.path\n", ":1: an import of os.path could reach outside"),  # binds os itself
    ("x = __import__('os').system('touch /tmp/lrcli-pwned')\n", ":1: the name __import__ could reach outside"),
    ("x = open('/etc/passwd').read()\n", ":1: Python's open() could reach outside"),
    ("def f():\n    return eval('1')\n", ":2: Python's eval() could reach outside"),
    ("x = ().__class__.__bases__[0].__subclasses__()\n", ":1: the attribute __subclasses__ could reach outside"),
    ("x = [c for c in ().__class__.__mro__]\n", "the attribute __mro__ could reach outside"),
    ("x = __builtins__\n", ":1: the name __builtins__ could reach outside"),
    ("x = f'{1:99999999}'\n", ":1: the format '99999999' is 99,999,999 characters wide"),
    ("w = 99999999\nx = f'{1.5:.{w}f}'\n", ":2: the format '.99999999f' is 99,999,999 characters wide"),
    ("x = '{:99999999}'.format(1)\n", "this builds a sequence of 100,000,011 items"),
    ("x = 'a' * 10 ** 9\n", "this builds a sequence of 1,000,000,000 items; lrcli stops at 1,000,000"),
    ("x = [0] * 1000 * 1000 * 1000\n", "lrcli stops at 1,000,000"),
    ("x = sum(range(10 ** 12))\n", "this builds a sequence of 1,000,000,000,000 items"),
    ("x = [i for i in range(10 ** 9)]\n", "this builds a sequence of 1,000,000,000 items"),
    ("x = [[i * j for j in range(1000)] for i in range(1000)]\n", f"over {MAX_STEPS:,} evaluation steps"),
    ("x = [[[0 for k in range(50)] for j in range(50)] for i in range(50)]\n", f"over {MAX_STEPS:,} evaluation"),
    ("a = [0] * 10 ** 6\nb = [a] * 10 ** 6\nc = str(b)\n", f"over {MAX_ITEMS:,} items"),
    ("a = [1]\na.append(a)\nb = str(a)\n", f"over {MAX_ITEMS:,} items"),
    ("a = []\nfor i in range(10 ** 6):\n    a = [a]\n", f"over {MAX_STEPS:,} evaluation steps"),
    ("x = 2 ** 2 ** 2 ** 2 ** 2\n", "wider than 10000 bits"),
    ("x = 1 << 10 ** 9\n", "<< gives an integer wider than 10000 bits"),
    ("x = y + 1\n", "'y' is not assigned before it is used"),
    ("x = dict(a=1).b\n", "names nothing (a dict has no attribute b)"),
    ("x = 1 / 0\n", "fails (division by zero)"),
    ("x = (\n", "not valid Python"),
    ("x = [1][5]\n", "names nothing"),
    ("_base_ = 1\n", "_base_ must be a path or a list of paths"),
    ("x = 1\n" * 200_000, "lrcli reads configs up to that"),
    ("x = " + "[" * 100_000 + "]" * 100_000 + "\n", "not valid Python"),
    ("raise ValueError('no')\n", ":1: the config raises an exception"),
    ("x = 1\nbreak\n", ":2: not valid Python ('break' outside loop)"),
    ("return 3\n", ":1: not valid Python ('return' outside function)"),
    ("text = 1\n", "text is a name mmengine reserves"),
    ("with x:\n    pass\n", "only with read_base(): may be used"),
    (
        "from mmdet.models import RetinaNet\nmodel = RetinaNet(depth=50)\n",
        ":2: RetinaNet(depth=50) calls RetinaNet, an imported object; mmengine refuses that",
    ),
    (
        "from mmengine.config import read_base\nwith read_base():\n    from .missing import *\n",
        "the base module .missing is not a file",
    ),
    ("with read_base():\n    from mmfake.configs.x import *\n", "cannot find the base module mmfake.configs.x"),
    ("import mmengine\n_base_ = []\n", "_base_ = … in a new-style config"),
]


@pytest.mark.parametrize("text, message", HOSTILE)
def test_hostile_and_broken_configs_are_refused_without_running_them(tmp_path, text, message):
    with pytest.raises(ConfigError) as refused:
        read_config(write(tmp_path, "config.py", text))
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)
    assert not pathlib.Path("/tmp/lrcli-pwned").exists()


@pytest.mark.parametrize(
    "text",
    [
        "def f():\n    return f()\nx = f()\n",  # recursion, never run
        "x = (lambda: 1)()\n",
        "import math\nx = 1\nwhile True:\n    x += 1\n",
        "class C:\n    y = print('run')\n",
        "x = {1, 2}\n",
        "x = '%s' % 1\n",
    ],
)
def test_code_lrcli_does_not_run_gives_opaque_values(tmp_path, text, capsys):
    config = read_config(write(tmp_path, "config.py", text))
    assert any(isinstance(value, Opaque) for value in config.values())
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "text, opaque",
    [
        ("x = {1}\nif isinstance(x, set):\n    y = 1\nelse:\n    z = 2\n", {"x", "y", "z"}),
        ("x = {1}\nfor i in x:\n    y = i\n", {"x", "i", "y"}),
        ("x = {1}\np, q = x\n", {"x", "p", "q"}),
        ("x = {1}\nd = dict(a=1)\nd[x] = 2\n", {"x", "d"}),
        ("x = {1}\nd = dict(a=1)\nx.y = 2\nx[0] = 1\n", {"x"}),
        ("x = {1}\nd = dict(a=1)\ndel d[x]\n", {"x", "d"}),
        ("x = {1}\nl = [1]\nalias = l\nl += x\n", {"x", "l", "alias"}),
        ("x = {1}\nl = [1]\nl.extend(x)\nl.remove(x)\n", {"x", "l"}),
        ("x = {1}\nd = dict(a=1)\ne = d.get(x)\nf = d.pop(x)\n", {"x", "d", "e", "f"}),
        ("x = {1}\nd = dict(a=1)\nd |= x\n", {"x", "d"}),
    ],
)
def test_statements_on_values_lrcli_did_not_compute(tmp_path, text, opaque):
    config = read_config(write(tmp_path, "config.py", text))
    assert {key for key, value in config.items() if holds_opaque(value)} == opaque
    assert all(not holds_opaque(value) for key, value in config.items() if key not in opaque)


def test_what_unknown_code_may_change_is_opaque_too(tmp_path):
    path = write(
        tmp_path,
        "config.py",
        "lr = 0.1\nsteps = [8, 11]\nalias = steps\n"
        "def shift(values):\n    values.append(12)\n"
        "param_scheduler = [dict(type='MultiStepLR', milestones=alias)]\n"
        "shift(steps)\nsorted(steps)\nfirst = steps[0]\n",
    )
    config = read_config(path)
    assert config["lr"] == 0.1
    for key in ("steps", "alias", "first"):
        assert isinstance(config[key], Opaque), key
    with pytest.raises(ConfigError) as refused:
        setting(config, "param_scheduler")
    assert str(refused.value).startswith(
        f"{path}:7: param_scheduler[0]['milestones'] is shift(steps) (it calls shift(), code lrcli does not run)"
    )


def test_bases_merge_as_mmengine_merges(tmp_path):
    write(tmp_path, "a.py", "x = dict(p=1, q=dict(r=2))\nitems = [1, 2]\n")
    write(tmp_path, "b.py", "y = 3\n")
    child = write(
        tmp_path, "child.py", "_base_ = ['./a.py', './b.py']\nx = dict(q=dict(s=4))\nitems = [3]\nz = {{_base_.y}}\n"
    )
    assert read_config(child) == {"x": {"p": 1, "q": {"r": 2, "s": 4}}, "items": [3], "y": 3, "z": 3}
    deleted = write(tmp_path, "deleted.py", "_base_ = './a.py'\nx = dict(_delete_=True, q=5)\n")
    assert read_config(deleted)["x"] == {"q": 5}
    options = read_config(child, ["items.0=7", "x.q.r=[1,2]", "w=a,b", "v=None"])
    assert options["items"] == [7] and options["x"]["q"]["r"] == [1, 2] and options["w"] == ["a", "b"]
    assert options["v"] is None


@pytest.mark.parametrize(
    "files, message",
    [
        ({"a.py": "x = 1\n", "b.py": "x = 2\n", "c.py": "_base_ = ['./a.py', './b.py']\n"}, "the same key in two"),
        ({"c.py": "_base_ = './c.py'\n"}, "include it again"),
        ({"c.py": "_base_ = './missing.py'\n"}, "cannot read the config"),
        ({"a.py": "x = 1\n", "c.py": "_base_ = './a.py'\nx = dict(y=1)\n"}, "cannot inherit from its base"),
        ({"c.py": "_base_ = []\nz = {{_base_.nothing}}\n"}, "names nothing in its _base_ files"),
    ],
)
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
    assert (
        lrcli("mmengine", faster, "--dataset-size", "117266", "--gpus", "8", "--stop", "1", "-f", "csv").out
        == "step,epoch,lr\n0,0,0.00002\n"
    )


def test_auto_scale_lr_and_other_parameters(lrcli):
    vit = str(CONFIGS / "mmpretrain" / "vit_base.py")
    scaled = lrcli(
        "mmengine", vit, "--iters-per-epoch", "313", "--gpus", "8", "--auto-scale-lr", "--at", "9390", "-f", "csv"
    )
    plain = lrcli("mmengine", vit, "--iters-per-epoch", "313", "--at", "9390", "-f", "csv")
    # 8 GPUs x 128 = 1024 of a base 4096: a quarter of the lr, reached at the end of the warmup
    assert float(scaled.out.split(",")[-1]) * 4 == pytest.approx(float(plain.out.split(",")[-1]))
    decay = lrcli(
        "mmengine", str(CONFIGS / "classes" / "overlapping.py"), "--iters-per-epoch", "10", "--param", "momentum"
    )
    assert decay.code == 2 and "no param_scheduler entry schedules momentum" in decay.err
    adam = lrcli(
        "mmengine",
        vit,
        "--iters-per-epoch",
        "3",
        "--param",
        "momentum",
        "--cfg-options",
        "param_scheduler.0.type=LinearMomentum",
    )
    assert adam.code == 2 and "betas" in adam.err
    lists = lrcli(
        "mmengine",
        str(CONFIGS / "classes" / "one_cycle_quadratic.py"),
        "--iters-per-epoch",
        "10",
        "--cfg-options",
        "param_scheduler.1.eta_max=[0.1,0.2]",
    )
    assert lists.code == 2 and "eta_max must be one number" in lists.err


@pytest.mark.parametrize("command", [["mmengine"], ["timm"], ["transformers"], []])
def test_help_fits_80_columns(lrcli, monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "80")
    result = lrcli(*command, "--help")
    assert result.code == 0 and max(map(len, result.out.splitlines())) <= 80


def test_the_help_examples_run_on_the_config_it_shows(lrcli, monkeypatch, tmp_path):
    import shlex

    from lrcli.registry.mmengine import HELP as MMENGINE_HELP

    shown = MMENGINE_HELP.split("saved as schedule_1x.py (mmdetection's 1x schedule):\n")[1].split("\n\n")[0]
    (tmp_path / "schedule_1x.py").write_text("".join(line[2:] + "\n" for line in shown.splitlines()))
    monkeypatch.chdir(tmp_path)
    block = MMENGINE_HELP.split("Examples:\n")[1].split("\n\n")[0].replace("\\\n", " ")
    examples = [shlex.split(line)[1:] for line in block.splitlines()]
    assert len(examples) == 3
    for words in examples:
        result = lrcli(*words)
        assert result.code == 0 and result.err == "" and result.out.count("\n") >= 3, (words, result.err)
    # the config is mmdetection's 1x: the golden case's rows
    rows = lrcli("mmengine", "schedule_1x.py", "--iters-per-epoch", "7330", "--changes", "--start", "490", "-f", "csv")
    assert csv_rows(rows.out) == csv_rows((GOLDEN / "mm_faster_rcnn_1x_changes.csv").read_text())


@pytest.mark.parametrize(
    "kind, name",
    [
        ("LinearLR", "LinearLR"),
        ("mmengine.LinearLR", "LinearLR"),
        ("mmengine.optim.LinearLR", "LinearLR"),
        ("mmengine.optim.scheduler.CosineRestartLR", "CosineRestartLR"),
        ("mmengine.optim.scheduler.lr_scheduler.PolyLR", "PolyLR"),
        ("mmengine.optim.scheduler.momentum_scheduler.CosineAnnealingMomentum", "CosineAnnealingMomentum"),
        ("mmengine.optim.scheduler.param_scheduler.LinearParamScheduler", "LinearParamScheduler"),
        ("mmdet.QuadraticWarmupLR", "QuadraticWarmupLR"),
        ("mmdet.engine.schedulers.QuadraticWarmupLR", "QuadraticWarmupLR"),
        ("mmdet.engine.schedulers.quadratic_warmup.QuadraticWarmupMomentum", "QuadraticWarmupMomentum"),
    ],
)
def test_scheduler_types_as_mmengine_names_them(kind, name):
    from lrcli.cli.mmengine import registered_name

    assert registered_name(kind) == name


@pytest.mark.parametrize(
    "kind",
    [
        "torch.optim.lr_scheduler.StepLR",  # torch's own class: the runner cannot build it from a config
        "mmengine.optim.CosineRestartLR",  # mmengine.optim does not export it (mmengine.optim.scheduler does)
        "mmengine.optim.scheduler.lr_scheduler.LinearMomentum",
        "mmengine.QuadraticWarmupLR",  # registered by mmdet, in its own registry
        "mmengine.optim.scheduler.QuadraticWarmupLR",
    ],
)
def test_scheduler_types_mmengine_cannot_build_are_refused(lrcli, kind):
    faster = str(CONFIGS / "mmdet" / "faster_rcnn_1x.py")
    result = lrcli("mmengine", faster, "--iters-per-epoch", "3", "--cfg-options", f"param_scheduler.0.type={kind}")
    assert result.code == 2 and result.err.count("\n") == 1
    assert result.err.startswith(f"Error: param_scheduler type {kind} is not one of mmengine's schedulers")


def test_a_new_style_config_gives_the_old_style_ones_rows(lrcli):
    """mmyolo's YOLOX-S written both ways (mmdet's QuadraticWarmupLR imported in one, named by
    scope in the other): the real runner's rows for the old-style one."""
    case = json.loads((GOLDEN / "manifest.json").read_text())["cases"]["mm_yolox_mmdet_scope"]
    arguments = [argument.replace("{configs}", str(CONFIGS)) for argument in case[1:]]
    arguments[0] = str(CONFIGS / "mmyolo_new" / "yolox" / "yolox_s_fast_8xb8_300e_coco.py")
    result = lrcli("mmengine", *arguments, "-f", "csv")
    assert result.code == 0, result.err
    assert csv_rows(result.out) == csv_rows((GOLDEN / "mm_yolox_mmdet_scope.csv").read_text())


def test_a_value_the_schedule_needs_that_lrcli_did_not_evaluate_is_one_error(lrcli, tmp_path):
    path = write(
        tmp_path,
        "config.py",
        "_base_ = ['"
        + str(CONFIGS / "mmdet3" / "_base_" / "schedules" / "schedule_1x.py")
        + "']\ndef epochs():\n    return 12\n"
        + "param_scheduler = [dict(type='MultiStepLR', milestones=[8, epochs() - 1])]\n",
    )
    result = lrcli("mmengine", path, "--iters-per-epoch", "10")
    assert result.code == 2 and result.out == ""
    assert result.err == (
        f"Error: {path}:4: param_scheduler is [dict(type='MultiStepLR', milestones=[8, "
        "epochs() - 1])] (it calls epochs(), code lrcli does not run); "
        "lrcli needs it, and does not run configs\n"
    )
    fine = lrcli(
        "mmengine",
        str(CONFIGS / "unevaluated" / "helpers_and_loops.py"),
        "--dataset-size",
        "12",
        "--stop",
        "2",
        "-f",
        "csv",
    )
    assert fine.code == 0 and fine.out == "step,epoch,lr\n0,0,0.00002\n1,0,0.00006004008016032065\n"


HOSTILE_PROGRAM = [
    "import os\nos.system('touch /tmp/lrcli-pwned')\n",
    "x = __import__('os').system('touch /tmp/lrcli-pwned')\n",
    "x = ().__class__.__base__.__subclasses__()\n",
    "x = [[[i * j * k for k in range(1000)] for j in range(1000)] for i in range(1000)]\n",
    "x = f'{1:99999999}'\n",
    "a = [0] * 10 ** 6\nb = [a] * 10 ** 6\nc = str(b)\n",
    "a = []\nfor i in range(10 ** 6):\n    a = [a]\nb = str(a)\n",
    "def f(n):\n    return f(n + 1)\nparam_scheduler = [dict(type='LinearLR', end=f(0))]\n",
]


@pytest.mark.slow
@pytest.mark.parametrize("text", HOSTILE_PROGRAM)
def test_hostile_configs_end_in_one_error_line_in_bounded_memory(tmp_path, text):
    path = write(tmp_path, "hostile.py", text + "train_cfg = dict(max_epochs=2)\n")
    run = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-m", "lrcli", "mmengine", path, "--iters-per-epoch", "3"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = run.stderr.splitlines()
    peak_mb = int(next(line for line in lines if "Maximum resident" in line).split()[-1]) / 1024
    errors = [line for line in lines if line.startswith("Error: ")]
    assert run.returncode == 2 and run.stdout == "" and len(errors) == 1 and "Traceback" not in run.stderr
    assert peak_mb < 300
    assert not pathlib.Path("/tmp/lrcli-pwned").exists()
