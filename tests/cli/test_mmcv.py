"""``lrcli mmcv CONFIG``: an MMCV 1.x config's lr_config hook, read from its file (the golden data,
from mmcv 1.7.2's own hooks, is in tests/golden); its values and refusals at the command line."""

import pytest

from scripts.golden.harness import CONFIGS

FASTER_RCNN = str(CONFIGS / "mmdet2" / "faster_rcnn" / "faster_rcnn_r50_fpn_1x_coco.py")
CYCLIC = str(CONFIGS / "mmcv1" / "cyclic_40e.py")


def rows(text: str) -> list[list[str]]:
    return [line.split(",") for line in text.splitlines()]


def test_mmdet_1x_as_mmcv_computes_it(lrcli):
    result = lrcli("mmcv", FASTER_RCNN, "--iters-per-epoch", "7330", "--at", "0,1,499,500,58640,80630", "-f", "csv")
    assert result.code == 0, result.err
    assert [[int(step), int(epoch), float(lr)] for step, epoch, lr in rows(result.out)[1:]] == [
        [0, 0, 2.000000000000002e-05],
        [1, 0, 5.996000000000113e-05],  # mmengine's port of the same config: 6.004008016032065e-05
        [499, 0, 0.01996004],
        [500, 0, 0.02],  # mmengine's: 0.019999999999999952
        [58640, 8, 0.002],
        [80630, 11, 0.00020000000000000004],
    ]


def test_dataset_size_gives_the_epoch_with_samples_per_gpu(lrcli):
    by_size = lrcli("mmcv", FASTER_RCNN, "--dataset-size", "117266", "--gpus", "8", "--by", "epoch", "-f", "csv")
    by_length = lrcli("mmcv", FASTER_RCNN, "--iters-per-epoch", "7330", "--by", "epoch", "-f", "csv")
    assert by_size.out == by_length.out and rows(by_size.out)[0] == ["epoch", "lr"] and len(rows(by_size.out)) == 13


def test_title_names_the_file_and_the_hook(lrcli):
    result = lrcli("mmcv", FASTER_RCNN, "--iters-per-epoch", "7330", "--stop", "1")
    assert result.out.splitlines()[0] == (
        "faster_rcnn_r50_fpn_1x_coco.py: StepLrUpdaterHook(warmup='linear', warmup_iters=500, "
        "warmup_ratio=0.001, step=[8, 11])"
    )


def test_momentum_config_starts_from_adams_first_beta(lrcli):
    result = lrcli("mmcv", CYCLIC, "--iters-per-epoch", "29", "--param", "momentum", "--stop", "1", "-f", "csv")
    assert rows(result.out) == [["step", "epoch", "momentum"], ["0", "0", "0.95"]]


@pytest.mark.parametrize(
    "arguments, message",
    [
        ([FASTER_RCNN], "an EpochBasedRunner needs the iterations per epoch"),
        ([FASTER_RCNN, "--iters-per-epoch", "5", "--dataset-size", "9"], "give --iters-per-epoch or --dataset-size"),
        (
            [FASTER_RCNN, "--iters-per-epoch", "5", "--cfg-options", "lr_config.policy=cosine"],
            f"{FASTER_RCNN} (--cfg-options lr_config.policy=cosine): lr_config: CosineLrUpdaterHook is not in the hook registry",
        ),
        (
            [FASTER_RCNN, "--iters-per-epoch", "5", "--cfg-options", "lr_config.warmup_ratio=0"],
            f'{FASTER_RCNN} (--cfg-options lr_config.warmup_ratio=0): lr_config: "warmup_ratio" must be in range (0,1]',
        ),
        ([FASTER_RCNN, "--iters-per-epoch", "5", "--param", "momentum"], f"{FASTER_RCNN}: has no momentum_config"),
        (
            [FASTER_RCNN, "--iters-per-epoch", "5", "--cfg-options", "runner.type=Runner"],
            f"{FASTER_RCNN} (--cfg-options runner.type=Runner): runner must be dict(type='EpochBasedRunner' or 'IterBasedRunner', ...)",
        ),
        (
            [str(CONFIGS / "mmdet" / "faster_rcnn_1x.py"), "--iters-per-epoch", "5"],
            "has no lr_config (it has a param_scheduler: lrcli mmengine reads it)",
        ),
        ([str(CONFIGS / "mmcv1" / "poly_80k.py"), "--by", "epoch"], "--by epoch needs an epoch-based loop"),
        (
            [CYCLIC, "--dataset-size", "100", "--cfg-options", "data.samples_per_gpu=None"],
            "--dataset-size needs a batch size",
        ),
        ([str(CONFIGS / "mmcv1" / "missing.py")], "cannot read the config"),
    ],
)
def test_refusals_are_one_line_naming_the_file_or_key(lrcli, arguments, message):
    result = lrcli("mmcv", *arguments)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("Error: ") and message in result.err and result.err.count("\n") == 1


BASE = """optimizer = dict(type='SGD', lr=0.02, momentum=0.9)
lr_config = dict(
    policy='step',
    warmup='linear',
    warmup_iters=500,
    warmup_ratio=0.001,
    step=[8, 11])
runner = dict(type='EpochBasedRunner', max_epochs=12)
"""


@pytest.mark.parametrize(
    "base_change, child, where, message",
    [
        (None, "optimizer = dict(lr='0.02')", "child.py:2", "optimizer.lr is '0.02', not a number (give --lr)"),
        (None, "optimizer = 0.1", "child.py:2", "optimizer is 0.1, not a dict (give --lr)"),
        (None, "optimizer = dict(_delete_=True, type='SGD')", "child.py:2", "has no optimizer.lr number"),
        (None, "lr_config = 'step'", "child.py:2", "lr_config is 'step', not a dict with a policy"),
        (("warmup_ratio=0.001", "warmup_ratio=0"), "", "base.py:6", 'lr_config: "warmup_ratio" must be in range (0,1]'),
        (("warmup_iters=500", "warmup_iters=-5"), "", "base.py:5", 'lr_config: "warmup_iters" must be a positive'),
        (("step=[8, 11]", "step=[8, -1]"), "", "base.py:7", "lr_config: step must list positive whole numbers"),
        (("max_epochs=12", "max_epochs=0"), "", "base.py:8", "runner.max_epochs must be a whole number >= 1, got 0"),
        (None, "runner = dict(type='Runner')", "child.py:2", "runner must be dict(type='EpochBasedRunner' or"),
        (
            None,
            "lr_config = dict(\n    policy='Nope')",
            "child.py:2",
            "lr_config: NopeLrUpdaterHook is not in the hook",
        ),
    ],
)
def test_refusals_name_the_file_and_line_that_set_the_key(lrcli, tmp_path, base_change, child, where, message):
    base = BASE if base_change is None else BASE.replace(*base_change)
    (tmp_path / "base.py").write_text(base)
    (tmp_path / "child.py").write_text(f"_base_ = './base.py'\n{child}\n")
    result = lrcli("mmcv", str(tmp_path / "child.py"), "--iters-per-epoch", "5")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith(f"Error: {tmp_path / where}: {message}") and result.err.count("\n") == 1


def test_a_key_set_by_cfg_options_is_named_with_the_option(lrcli, tmp_path):
    (tmp_path / "base.py").write_text(BASE)
    result = lrcli("mmcv", str(tmp_path / "base.py"), "--iters-per-epoch", "5", "--cfg-options", "optimizer.lr=abc")
    assert result.err == (
        f"Error: {tmp_path / 'base.py'} (--cfg-options optimizer.lr=abc): optimizer.lr is 'abc', not a number (give --lr)\n"
    )
