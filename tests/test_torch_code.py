"""--emit torch and --verify as far as they can be checked without torch (scripts/prove_torch_code.py
runs every emitted script, and --verify, under real torch)."""

import sys

import pytest


def script(lrcli, *args):
    result = lrcli(*args, "--emit", "torch")
    assert result.code == 0, result.err
    compile(result.out, "<emitted>", "exec")  # valid Python (compiled, never run here)
    return result.out


def test_a_scheduler_is_built_with_torchs_arguments(lrcli):
    text = script(lrcli, "step", "--lr", "0.1", "--lr", "0.01", "--step-size", "3", "--epochs", "7")
    assert "scheduler_1 = lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.1)" in text
    assert "zip(parameters, [0.1, 0.01])" in text and "range(2)" in text
    assert "print('epoch,lr_0,lr_1')" in text and "for row in range(7):" in text and "if row < 6:" in text


def test_compositions_lambdas_and_per_step_loops(lrcli):
    text = script(lrcli, "cosine", "--t-max", "2", "--warmup", "1", "--steps-per-epoch", "4", "--epochs", "3",
                  "--counts-in", "epochs")
    assert "lr_scheduler.LinearLR(optimizer, start_factor=0.3333333333333333, end_factor=1.0, total_iters=4)" in text
    assert "lr_scheduler.CosineAnnealingLR(optimizer, T_max=8, eta_min=0.0)" in text
    assert "lr_scheduler.SequentialLR(optimizer, schedulers=[scheduler_1, scheduler_2], milestones=[4])" in text
    assert "str(row // 4)" in text and "for row in range(12):" in text
    text = script(lrcli, "chained", "lambda(lr_lambda='0.9 ** epoch')", "exp(gamma=0.5)")
    assert "lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda epoch: (0.9 ** epoch))" in text
    assert "lr_scheduler.ChainedScheduler(schedulers=[scheduler_1, scheduler_2])" in text
    assert "from math import *" in text


def test_plateau_is_fed_the_same_metrics(lrcli, tmp_path):
    metrics = tmp_path / "loss.txt"
    metrics.write_text("1.0\n0.9\n0.9\n0.9\n")
    text = script(lrcli, "plateau", "--metrics", str(metrics), "--patience", "1")
    assert "metrics = [1.0, 0.9, 0.9, 0.9]" in text and "scheduler.step(metrics[row])" in text
    assert "mode='min'" in text and "metrics=" not in text.split("ReduceLROnPlateau(")[1].split(")")[0]


def test_momentum_columns_are_printed_too(lrcli):
    text = script(lrcli, "onecycle", "--max-lr", "0.1", "--total-steps", "20", "--show-momentum")
    assert '+ [group["momentum"] for group in optimizer.param_groups]' in text


def test_emit_writes_the_whole_run(lrcli):
    result = lrcli("step", "--step-size", "3", "--emit", "torch", "--changes")
    assert result.code == 2 and "--emit writes the whole run as code" in result.err


def test_verify_without_torch_is_one_error_line(lrcli):
    if "torch" in sys.modules or __import__("importlib").util.find_spec("torch") is not None:
        pytest.skip("torch is installed here")
    result = lrcli("step", "--step-size", "3", "--verify")
    assert result.code == 2
    assert result.err == "Error: --verify needs torch, and it cannot be imported here (pip install torch)\n"


def test_no_other_command_imports_torch(lrcli):
    for args in (["step", "--step-size", "3"], ["step", "--step-size", "3", "--emit", "torch"],
                 ["cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "-f", "plot"]):
        assert lrcli(*args).code == 0
    assert "torch" not in sys.modules


def test_frameworks_are_built_by_their_own_entry_points(lrcli):
    text = script(lrcli, "transformers", "cosine", "--num-warmup-steps", "2", "--num-training-steps", "6",
                  "--num-cycles", "0.75")
    assert "from transformers import get_scheduler" in text
    assert ("scheduler_1 = get_scheduler('cosine', optimizer, num_warmup_steps=2, num_training_steps=6, "
            "scheduler_specific_kwargs={'num_cycles': 0.75})") in text
    text = script(lrcli, "transformers", "constant", "--steps", "3")
    assert "get_scheduler('constant', optimizer)" in text
    text = script(lrcli, "timm", "--sched", "step", "--epochs", "4", "--decay-epochs", "2", "--sched-on-updates",
                  "--updates-per-epoch", "3")
    assert "from timm.scheduler import create_scheduler_v2, scheduler_kwargs" in text
    assert "args = SimpleNamespace(sched='step', epochs=4, decay_epochs=2.0" in text
    assert "create_scheduler_v2(optimizer, **scheduler_kwargs(args), updates_per_epoch=3)" in text
    assert "scheduler.step_update(row + 1)" in text and "for row in range(12):" in text
    assert "scheduler.step(row + 1)" in script(lrcli, "timm", "--epochs", "3", "--warmup-epochs", "1")


def test_configs_emit_no_code(lrcli):
    import pathlib

    config = pathlib.Path(__file__).parent / "configs" / "mmdet" / "schedule_1x.py"
    result = lrcli("mmengine", str(config), "--iters-per-epoch", "3", "--emit", "torch")
    assert result.code == 2 and "No such option: --emit" in result.err
