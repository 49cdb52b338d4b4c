"""``lrcli deepspeed FILE`` and ``lrcli config FILE``: a ds_config read as DeepSpeed (or the HF
Trainer) reads it, and any config lrcli reads recognised by its content, named in the title and
run by its family's command; an unknown or unreadable file is one line."""

import json
import textwrap

import pytest

from lrcli.cli.config import recognised
from lrcli.cli.show import UsageProblem
from tests.golden.test_frameworks import columns

CONFIGS = "tests/data/configs"


def write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def lrs(text):
    return [value for _, value in columns(text)["lr_0"]]


HJSON = """\
{
  # DeepSpeed reads hjson: comments, unquoted keys and values (which run to the end of the line)
  train_batch_size: 16
  optimizer: {
    type: AdamW
    params: {lr: 3e-4}
  }
  scheduler: {
    type: WarmupDecayLR
    params: {total_num_steps: 10, warmup_max_lr: 0.0003, warmup_num_steps: 3}
  }
}
"""


def test_a_ds_config_is_read_as_deepspeed_reads_it(lrcli, tmp_path):
    path = write(tmp_path, "ds_config.hjson", HJSON)
    flags = lrcli(
        "deepspeed", "warmup-decay-lr", "--total-num-steps", "10", "--warmup-max-lr", "0.0003",
        "--warmup-num-steps", "3", "-f", "csv",
    )  # fmt: skip
    result = lrcli("deepspeed", path, "-f", "csv")
    assert result.code == 0, result.err
    assert result.out == flags.out and result.out.splitlines()[0] == "step,lr"
    assert lrs(result.out)[:4] == [0.0, 0.0, 0.00018927892607143717, 0.0003]
    table = lrcli("deepspeed", path, "--stop", "1")
    assert table.out.splitlines()[0] == (
        "ds_config.hjson: WarmupDecayLR(total_num_steps=10, warmup_max_lr=0.0003, warmup_num_steps=3)"
    )


def test_config_says_which_kind_in_the_title(lrcli, tmp_path):
    path = write(tmp_path, "ds_config.hjson", HJSON)
    shown = lrcli("config", path, "--stop", "1")
    assert shown.code == 0, shown.err
    assert shown.out.splitlines()[0].startswith("[DeepSpeed config] ds_config.hjson: WarmupDecayLR(")
    mm = lrcli("config", f"{CONFIGS}/mmdet/faster_rcnn_1x.py", "--iters-per-epoch", "7330", "--at", "1,500")
    assert mm.code == 0, mm.err
    assert mm.out.splitlines()[0].startswith("[mmengine config] faster_rcnn_1x.py: LinearLR(start_factor=0.001")
    direct = lrcli("mmengine", f"{CONFIGS}/mmdet/faster_rcnn_1x.py", "--iters-per-epoch", "7330", "--at", "1,500")
    assert mm.out.splitlines()[1:] == direct.out.splitlines()[1:]


def test_the_options_after_the_file_are_the_commands(lrcli, tmp_path):
    path = write(tmp_path, "ds.json", HJSON)
    assert (
        lrcli("config", path, "--steps", "3", "-f", "csv").out
        == lrcli("deepspeed", path, "--steps", "3", "-f", "csv").out
    )
    helped = lrcli("config", path, "--help")
    assert helped.code == 0 and "Usage: lrcli deepspeed [OPTIONS] {FILE}" in helped.out and "--max-steps" in helped.out


def test_the_hf_trainer_fills_auto(lrcli, tmp_path):
    auto = {"warmup_min_lr": "auto", "warmup_max_lr": "auto", "warmup_num_steps": "auto", "total_num_steps": "auto"}
    config = {
        "optimizer": {"type": "AdamW", "params": {"lr": "auto"}},
        "scheduler": {"type": "WarmupDecayLR", "params": auto},
    }
    path = write(tmp_path, "ds_config.json", json.dumps(config))
    filled = lrcli(
        "deepspeed", path, "--learning-rate", "1e-3", "--max-steps", "10", "--warmup-steps", "0.3", "-f", "csv"
    )
    given = lrcli(
        "deepspeed", "warmup-decay-lr", "--warmup-min-lr", "0", "--warmup-max-lr", "1e-3", "--warmup-num-steps", "3",
        "--total-num-steps", "10", "-f", "csv",
    )  # fmt: skip
    assert filled.code == 0, filled.err
    assert lrs(filled.out) == lrs(given.out) and len(lrs(filled.out)) == 12


@pytest.mark.parametrize(
    "config, options, message",
    [
        (
            '{"scheduler": {"type": "WarmupLR", "type": "WarmupLR"}}',
            [],
            "ds_config.json:1: scheduler.type: Duplicate keys in DeepSpeed config: ['type']",
        ),
        (
            '{"optimizer": {"type": "AdamW", "params": {"lr": "auto"}},\n "scheduler": {"type": "WarmupLR", "params": {}}}',
            [],
            'ds_config.json:1: optimizer.params.lr: "auto" is filled by the HF Trainer',
        ),
        (
            '{"scheduler": {"type": "WarmupDecayLR",\n "params": {"total_num_steps": 100, "warmup_max_lr": "auto"}}}',
            ["--max-steps", "10"],
            "ds_config.json:2: scheduler.params.total_num_steps: the HF Trainer refuses a value that mismatches its "
            "arguments: ds scheduler.params.total_num_steps=100 vs hf num_training_steps (calculated)=10",
        ),
        (
            '{"scheduler": {"type": "WarmupLR", "params": {}}}',
            ["--learning-rate", "1e-3"],
            "the HF Trainer's options need its training steps: --max-steps N, or --num-train-epochs E and --iters-per-epoch L",
        ),
        (
            '{"scheduler": {"type": "WarmupLR",\n "params": {"warmup_num_steps": 2.5}}}',
            [],
            "ds_config.json:2: scheduler.params.warmup_num_steps: warmup_num_steps must be a positive integer, got 2.5",
        ),
        (
            '{"scheduler": {"type": "WarmupCosineLR", "params": {"total_num_steps": 10}}}',
            [],
            "WarmupCosineLR starts from the optimizer's lr, and the config has no optimizer.params.lr: give --lr",
        ),
        (
            '{"optimizer": {"type": "SGD", "params": {"lr": 0.1}},\n "scheduler": {"type": "LambdaLR", "params": {}}}',
            [],
            "ds_config.json:2: scheduler.type: DeepSpeed builds LambdaLR from the params alone",
        ),
        ('{"scheduler": {"type": "Cosine", "params": {}}}', [], "DeepSpeed does not recognize LR scheduler 'Cosine'"),
    ],
)
def test_a_ds_config_deepspeed_refuses_is_one_line(lrcli, tmp_path, config, options, message):
    path = write(tmp_path, "ds_config.json", config)
    for command in ("deepspeed", "config"):
        result = lrcli(command, path, *options)
        assert result.code == 2 and result.out == ""
        assert result.err.count("\n") == 1 and message in result.err, result.err


def test_a_torch_type_is_torchs_replay(lrcli, tmp_path):
    config = {
        "optimizer": {"type": "SGD", "params": {"lr": 0.1}},
        "scheduler": {"type": "StepLR", "params": {"step_size": 2}},
    }
    path = write(tmp_path, "ds_config.json", json.dumps(config))
    result = lrcli("deepspeed", path, "--steps", "5", "-f", "csv")
    assert result.code == 0, result.err
    assert result.out == lrcli("step", "--step-size", "2", "--steps", "5", "-f", "csv").out


def test_one_cycle_without_betas_cycles_no_momentum(lrcli, tmp_path):
    params = {"cycle_min_lr": 0.01, "cycle_max_lr": 0.1, "cycle_first_step_size": 3}
    config = {"optimizer": {"type": "SGD", "params": {"lr": 0.1}}, "scheduler": {"type": "OneCycle", "params": params}}
    path = write(tmp_path, "ds_config.json", json.dumps(config))
    result = lrcli("deepspeed", path, "-f", "csv")
    assert result.code == 0 and result.out.splitlines()[0] == "step,lr"
    assert result.err == (
        "Warning: cycle_momentum is disabled because the optimizer does not support momentum, no betas attribute "
        "in defaults\n"
    )
    with_betas = lrcli("deepspeed", write(tmp_path, "adam.json", HJSON.replace("WarmupDecayLR", "OneCycle").replace(
        "total_num_steps: 10, warmup_max_lr: 0.0003, warmup_num_steps: 3",
        "cycle_min_lr: 0.01, cycle_max_lr: 0.1, cycle_first_step_size: 3")), "--show-momentum", "-f", "csv")  # fmt: skip
    assert with_betas.code == 0, with_betas.err
    flags = ["--cycle-min-lr", "0.01", "--cycle-max-lr", "0.1", "--cycle-first-step-size", "3", "--show-momentum"]
    assert with_betas.out == lrcli("deepspeed", "one-cycle", *flags, "-f", "csv").out
    assert with_betas.out.splitlines()[0] == "step,lr,momentum"


def test_each_kind_is_recognised_by_content(tmp_path):
    mmcv = write(
        tmp_path,
        "faster_rcnn_r50_fpn_1x_coco.py",
        """\
        optimizer = dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=0.0001)
        lr_config = dict(policy='step', warmup='linear', warmup_iters=500, warmup_ratio=0.001, step=[8, 11])
        runner = dict(type='EpochBasedRunner', max_epochs=12)
        """,
    )
    as_json = write(
        tmp_path, "mmcv.json", '{"optimizer": {"type": "SGD", "lr": 0.02}, "lr_config": {"policy": "step"}}'
    )
    args = write(tmp_path, "args.yaml", "task: detect\nepochs: 100\nlr0: 0.01\nlrf: 0.01\nwarmup_epochs: 3.0\n")
    ds = write(tmp_path, "ds.json", '{"train_batch_size": 8, "optimizer": {"type": "Adam", "params": {"lr": 1e-3}}}')
    kinds = {
        path: recognised(path).command
        for path in (mmcv, as_json, args, ds, f"{CONFIGS}/mmdet/faster_rcnn_1x.py", f"{CONFIGS}/mmdet/schedule_1x.py")
    }
    assert list(kinds.values()) == [
        ("mmcv",),
        ("mmcv",),
        ("ultralytics",),
        ("deepspeed",),
        ("mmengine",),
        ("mmengine",),
    ]


@pytest.mark.parametrize(
    "name, text, why",
    [
        ("notes.txt", "lr0: 0.01\n", "(mmengine config: {path}: lrcli reads .py, .json and .yaml configs)"),
        ("other.json", '{"model": "resnet"}', ""),
        ("broken.py", "lr = (\n", "(mmengine config: {path}:"),
        ("data.yaml", "epochs: 10\nbatch: 16\n", "(mmengine config: {path}: reading YAML needs PyYAML"),
    ],
)
def test_an_unknown_file_is_one_line_listing_what_lrcli_reads(lrcli, tmp_path, name, text, why):
    path = write(tmp_path, name, text)
    result = lrcli("config", path)
    assert result.code == 2 and result.out == "" and result.err.count("\n") == 1
    assert result.err.startswith(f"Error: {path} is no config lrcli reads; it reads mmengine (")
    assert "DeepSpeed (" in result.err and "MMCV 1.x (" in result.err and "Ultralytics (" in result.err
    assert why.format(path=path) in result.err
    with pytest.raises(UsageProblem):
        recognised(path)


def test_a_missing_file_is_said_so(lrcli, tmp_path):
    result = lrcli("config", str(tmp_path / "nothere.json"))
    assert result.code == 2 and result.err == f"Error: {tmp_path / 'nothere.json'}: no such file\n"


def test_the_trainers_epochs_count_its_steps(lrcli, tmp_path):
    auto = {"warmup_num_steps": "auto", "total_num_steps": "auto"}
    config = {
        "optimizer": {"type": "AdamW", "params": {"lr": 1e-3}},
        "scheduler": {"type": "WarmupCosineLR", "params": auto},
    }
    path = write(tmp_path, "ds_config.json", json.dumps(config))
    epochs = ["--num-train-epochs", "2.5", "--iters-per-epoch", "7", "--gradient-accumulation-steps", "2"]
    counted = lrcli("deepspeed", path, "--learning-rate", "1e-3", *epochs, "--warmup-steps", "0.2", "-f", "csv")
    given = lrcli("deepspeed", path, "--learning-rate", "1e-3", "--max-steps", "10", "--warmup-steps", "2", "-f", "csv")
    assert counted.code == 0, counted.err
    assert counted.out == given.out and len(lrs(counted.out)) == 12  # total_num_steps ceil(2.5 * ceil(7 / 2)) = 10


def test_a_folder_or_a_huge_file_is_one_line(lrcli, tmp_path):
    assert lrcli("config", str(tmp_path)).err == f"Error: {tmp_path}: not a file\n"
    huge = write(
        tmp_path, "huge.json", '{"scheduler": {"type": "WarmupLR", "params": {}}, "pad": "' + "x" * 1_000_001 + '"}'
    )
    result = lrcli("config", huge)
    assert result.code == 2 and result.err.count("\n") == 1
    assert "over 1,000,000 characters; lrcli reads configs up to that" in result.err
