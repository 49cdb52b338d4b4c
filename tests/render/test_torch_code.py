"""--emit torch and --verify as far as they can be checked without torch (scripts/prove_torch_code.py
runs every emitted script, and --verify, under real torch)."""

import sys

import pytest

from scripts.golden.harness import CONFIGS


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
    text = script(
        lrcli,
        "cosine",
        "--t-max",
        "2",
        "--warmup",
        "1",
        "--steps-per-epoch",
        "4",
        "--epochs",
        "3",
        "--counts-in",
        "epochs",
    )
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
    for args in (
        ["step", "--step-size", "3"],
        ["step", "--step-size", "3", "--emit", "torch"],
        ["cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "-f", "plot"],
    ):
        assert lrcli(*args).code == 0
    assert "torch" not in sys.modules


def test_frameworks_are_built_by_their_own_entry_points(lrcli):
    text = script(
        lrcli, "transformers", "cosine", "--num-warmup-steps", "2", "--num-training-steps", "6", "--num-cycles", "0.75"
    )
    assert "from transformers import get_scheduler" in text
    assert (
        "scheduler_1 = get_scheduler('cosine', optimizer, num_warmup_steps=2, num_training_steps=6, "
        "scheduler_specific_kwargs={'num_cycles': 0.75})"
    ) in text
    text = script(lrcli, "transformers", "constant", "--steps", "3")
    assert "get_scheduler('constant', optimizer)" in text
    text = script(
        lrcli,
        "timm",
        "--sched",
        "step",
        "--epochs",
        "4",
        "--decay-epochs",
        "2",
        "--sched-on-updates",
        "--updates-per-epoch",
        "3",
    )
    assert "from timm.scheduler import create_scheduler_v2, scheduler_kwargs" in text
    assert "args = SimpleNamespace(sched='step', epochs=4, decay_epochs=2.0" in text
    assert "create_scheduler_v2(optimizer, **scheduler_kwargs(args), updates_per_epoch=3)" in text
    assert "scheduler.step_update(row + 1)" in text and "for row in range(12):" in text
    assert "scheduler.step(row + 1)" in script(lrcli, "timm", "--epochs", "3", "--warmup-epochs", "1")


def test_configs_emit_no_code(lrcli):
    config = CONFIGS / "mmdet" / "schedule_1x.py"
    result = lrcli("mmengine", str(config), "--iters-per-epoch", "3", "--emit", "torch")
    assert result.code == 2 and "No such option: --emit" in result.err


def test_emitted_floats_are_written_as_lrclis_csv_writes_them():
    """So that ``diff <(lrcli … -f csv) <(python emitted.py)`` is empty (scripts/prove_torch_code.py
    runs that diff under real torch)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from lrcli.render.floats import format_lr
    from lrcli.torch_code import csv_float

    edges = [
        0.0,
        -0.0,
        1e-05,
        1.2344999999999998e-05,
        -1.5e-05,
        9.999999999999999e-06,
        9.99999999999999e-05,
        1e-4,
        1e-7,
        1e-20,
        5e-324,
        1e16,
        1.2345e16,
        9999999999999998.0,
        1.7976931348623157e308,
        0.1,
        0.010000000000000002,
    ]
    assert [csv_float(value) for value in edges] == [format_lr(value) for value in edges]

    @settings(max_examples=3000, deadline=None)
    @given(st.floats(allow_nan=False, allow_infinity=False))
    def same(value):
        assert csv_float(value) == format_lr(value)

    same()


def test_the_script_prints_through_csv_float(lrcli):
    import inspect

    from lrcli.torch_code import csv_float

    text = script(lrcli, "exp", "--lr", "0.001", "--gamma", "0.1", "--epochs", "3")
    assert inspect.getsource(csv_float) in text and "*map(csv_float, values)" in text and "map(repr" not in text


def args_line(text):
    return next(line for line in text.splitlines() if line.startswith("args = SimpleNamespace("))


def test_a_timm_spec_emits_every_flag_lrcli_used(lrcli):
    """train.py's defaults included: scheduler_kwargs' own defaults for a missing flag are not
    train.py's (decay_milestones: (30, 60), not 90,180,270)."""
    spec = script(lrcli, "compare", "a=timm.multistep(epochs=200)", "b=cosine(T_max=10)", "--epochs", "200")
    command = script(lrcli, "timm", "--sched", "multistep", "--epochs", "200")
    assert args_line(spec) == args_line(command)
    assert "decay_milestones=[90, 180, 270]" in args_line(spec) and "warmup_lr=1e-05" in args_line(spec)


def test_framework_keywords_beginning_with_warmup_reach_the_emitted_code(lrcli):
    text = script(
        lrcli,
        "compare",
        "a=timm.cosine(epochs=10, warmup_epochs=2, warmup_lr=0.001, warmup_prefix=True)",
        "b=timm.cosine(epochs=10)",
        "--epochs",
        "10",
    )
    first = args_line(text.split("# ---- b ----")[0])
    assert "warmup_epochs=2," in first and "warmup_lr=0.001," in first and "warmup_prefix=True," in first
    text = script(
        lrcli,
        "sequential",
        "transformers.cosine_warmup_with_min_lr(num_warmup_steps=4, "
        "num_training_steps=12, min_lr_rate=0.1, warmup_lr_rate=0.05)",
        "transformers.warmup_stable_decay(num_warmup_steps=4, num_decay_steps=4, num_training_steps=12, "
        'warmup_type="cosine")',
        "--milestones",
        "12",
        "--steps",
        "24",
    )
    assert "'warmup_lr_rate': 0.05" in text and "'warmup_type': 'cosine'" in text


WARMUP_SPECS = [
    (
        "transformers.warmup_stable_decay(num_warmup_steps=4, num_decay_steps=4, num_training_steps=12, "
        'warmup_type="cosine")',
        "warmup_type",
        "transformers",
        12,
    ),
    (
        "transformers.cosine_warmup_with_min_lr(num_warmup_steps=4, num_training_steps=12, min_lr_rate=0.1, "
        "warmup_lr_rate=0.05)",
        "warmup_lr_rate",
        "transformers",
        12,
    ),
    (
        "timm.cosine(epochs=10, warmup_epochs=2, warmup_lr=0.001, warmup_prefix=True)",
        "warmup_epochs",
        "timm.scheduler",
        12,
    ),
]


@pytest.mark.parametrize("spec, keyword, library, rows", WARMUP_SPECS)
def test_verify_builds_what_the_spec_says(spec, keyword, library, rows):
    """--verify agrees with the replay of the spec, and finds the difference when the replay
    leaves a keyword out (as lrcli did when it took warmup_* for its own warmup=N)."""
    pytest.importorskip("torch")
    pytest.importorskip(library)
    from lrcli.replay import replay
    from lrcli.schedules import Schedule
    from lrcli.spec import parse_spec
    from lrcli.torch_code import verify

    schedule = parse_spec(spec, top=True)
    assert verify(replay(schedule, [0.1], steps=rows), schedule) == (rows, None)
    without = Schedule(
        schedule.description, {name: value for name, value in schedule.params.items() if name != keyword}
    )
    compared, difference = verify(replay(without, [0.1], steps=rows), schedule)
    assert difference is not None and ": lrcli [" in difference and compared == rows
