"""``lrcli deepspeed COMMAND``: DeepSpeed's five classes under DeepSpeed's parameter names, its quirks
shown, its refusals one line each, its specs by class name, and its code DeepSpeed's own class."""

import pytest


def csv_rows(text):
    return [line.split(",") for line in text.splitlines()[1:]]


def test_the_log_warmup_of_the_facts(lrcli):
    result = lrcli("deepspeed", "warmup-lr", "--warmup-max-lr", "0.001", "--warmup-num-steps", "5", "-f", "csv")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "step,lr"
    assert [float(lr) for _, lr in csv_rows(result.out)] == [
        0.0,
        0.0,
        0.00043067655807339306,
        0.0006826061944859854,
        0.0008613531161467861,
        0.001,
        0.001,
    ]  # rows default to the warmup and one more


def test_what_deepspeed_only_logs_is_said_once(lrcli):
    result = lrcli("deepspeed", "warmup-lr", "--warmup-type", "cosine", "--lr", "0.1", "--lr", "0.2", "-f", "csv")
    assert result.code == 0
    assert result.err == (
        "Warning: Using unknown warmup_type: cosine. The increasing function is set to default (log)\n"
    )


def test_per_group_values_give_the_groups(lrcli):
    result = lrcli(
        "deepspeed", "one-cycle", "--cycle-min-lr", "0.1", "--cycle-min-lr", "0.2", "--cycle-max-lr", "1", "-f", "csv"
    )
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "step,lr_0,lr_1"
    assert csv_rows(result.out)[0][1:] == ["0.1", "0.2"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["warmup-lr", "--warmup-num-steps", "0"], "warmup_num_steps must be a positive integer, got 0"),
        (["warmup-lr", "--warmup-num-steps", "2.5"], "warmup_num_steps must be a positive integer, got 2.5"),
        (["warmup-decay-lr"], "Missing option '--total-num-steps'."),
        (
            ["one-cycle", "--cycle-min-lr", "0.1", "--cycle-max-lr", "1", "--cycle-first-step-size", "0"],
            "cycle_first_step_size must be positive, got 0.0",
        ),
        (
            ["one-cycle", "--cycle-min-lr", "0.1", "--cycle-max-lr", "1", "--no-cycle-momentum", "--show-momentum"],
            "OneCycle does not cycle momentum here (--no-cycle-momentum?)",
        ),
        (
            ["lr-range-test", "--lr-range-test-min-lr", "0.1", "--lr-range-test-min-lr", "0.2", "--lr", "0.1"],
            "--lr-range-test-min-lr has 2 values for 1 param group; torch takes one, or a list of one per group",
        ),
        (["lr-range-test", "--lr-range-test-step-size", "-3"], "lr_range_test_step_size must be a positive integer"),
    ],
)
def test_refuses_what_deepspeed_refuses_in_one_line(lrcli, args, message):
    result = lrcli("deepspeed", *args)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith(f"Error: {message}") and result.err.count("\n") == 1


def test_specs_take_the_class_name_or_the_command(lrcli):
    result = lrcli(
        "compare",
        "a=WarmupDecayLR(total_num_steps=10, warmup_num_steps=3, warmup_type='linear')",
        "b=deepspeed.warmup-decay-lr(total_num_steps=10, warmup_num_steps=3, warmup_type='linear')",
        "--steps",
        "12",
        "-f",
        "csv",
    )
    assert result.code == 0, result.err
    assert all(a == b for _, a, b in csv_rows(result.out)) and csv_rows(result.out)[4] == ["4", "0.001", "0.001"]
    refused = lrcli("compare", "WarmupLR(warmup_num_steps='5')", "exp(gamma=0.5)")
    assert refused.err == (
        "Error: \"WarmupLR(warmup_num_steps='5')\": warmup_num_steps must be a number of steps (or epochs, "
        "with --counts-in epochs), got '5'\n"
    )


def test_the_code_is_deepspeeds_class_on_adam(lrcli):
    script = lrcli(
        "deepspeed",
        "one-cycle",
        "--cycle-min-lr",
        "0.01",
        "--cycle-max-lr",
        "0.1",
        "--show-momentum",
        "--emit",
        "torch",
    ).out
    assert "from deepspeed.runtime.lr_schedules import OneCycle" in script
    assert "scheduler_1 = OneCycle(optimizer, cycle_min_lr=0.01, cycle_max_lr=0.1," in script
    assert "optimizer = torch.optim.Adam(" in script and 'group["betas"][0]' in script
    compile(script, "emitted.py", "exec")
