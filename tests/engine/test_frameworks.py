"""transformers and timm beyond the golden runs: torch's random draws behind timm's noise, the
Trainer's arithmetic, and refusals the libraries make."""

import json

import pytest

from lrcli.engine.torch_random import TorchNormal
from lrcli.trainer import scheduler_kwargs, training_steps, updates_per_epoch, warmup_steps
from scripts.golden import harness

GOLDEN = harness.folder("timm")


@pytest.mark.parametrize("key, seeds", [("draws", 3000), ("long_draws", 20)])
def test_pure_python_randn_equals_torchs_draws(key, seeds):
    """Each seed's first three randn(1) draws (the third starts a new pair), and 800 draws of some
    (past the generator's first twist), recorded from torch."""
    recorded = json.loads((GOLDEN / "torch_randn.json").read_text())[key]
    assert len(recorded) == seeds
    mismatches = []
    for seed, *draws in recorded:
        normal = TorchNormal(seed)
        ours = [normal.draw() for _ in draws]
        if ours != draws:
            mismatches.append((seed, ours, draws))
    assert mismatches == []


@pytest.mark.parametrize(
    "arguments, message",
    [
        (
            ["polynomial", "--num-training-steps", "10", "--lr-end", "0.2"],
            "lr_end (0.2) must be smaller than initial lr (0.1)",
        ),
        (["cosine_with_min_lr", "--num-training-steps", "10"], "One of min_lr or min_lr_rate should be set"),
        (
            ["cosine_with_min_lr", "--num-training-steps", "10", "--min-lr", "0.01", "--min-lr-rate", "0.1"],
            "Only one of min_lr or min_lr_rate should be set",
        ),
        (["warmup_stable_decay", "--num-decay-steps", "3"], "Either num_training_steps or num_stable_steps"),
        (["cosine", "--num-training-steps", "10", "--max-steps", "10"], "not both"),
        (["cosine", "--num-warmup-steps", "2", "--warmup-steps", "0.1", "--max-steps", "10"], "not both"),
        (["cosine", "--warmup-steps", "0.1"], "a fraction of the training steps"),
        (["cosine", "--warmup-steps", "5"], "needs --num-training-steps"),
        (["cosine", "--max-steps", "10", "--lr-scheduler-kwargs", '{"num_warmup_steps": 3}'], "passes it itself"),
        (["cosine", "--max-steps", "10", "--lr-scheduler-kwargs", '{"power": 3}'], "does not take"),
        (
            ["cosine", "--max-steps", "10", "--num-cycles", "1", "--lr-scheduler-kwargs", '{"num_cycles": 2}'],
            "given twice",
        ),
        (["cosine", "--max-steps", "10", "--lr-scheduler-kwargs", '{"num_cycles": "2e-1"}'], "must be a number"),
        (["cosine", "--max-steps", "10", "--lr-scheduler-kwargs", "[1]"], "JSON object"),
        (["linear", "--num-train-epochs", "2"], "--steps-per-epoch"),
        (["inverse_sqrt", "--timescale", "-2", "--steps", "10"], "a division by zero"),
    ],
)
def test_transformers_refuses_what_the_library_refuses(lrcli, arguments, message):
    result = lrcli("transformers", *arguments)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("Error: ") and message in result.err and result.err.count("\n") == 1


def test_the_trainer_ignores_kwargs_and_warmup_for_constant(lrcli):
    result = lrcli(
        "transformers",
        "constant",
        "--warmup-steps",
        "5",
        "--max-steps",
        "3",
        "--lr-scheduler-kwargs",
        '{"x": 1}',
        "-f",
        "csv",
    )
    assert result.code == 0 and result.out.splitlines() == ["step,lr", "0,0.1", "1,0.1", "2,0.1"]
    assert "ignores --lr-scheduler-kwargs" in result.err and "ignores the warmup" in result.err


def test_trainer_arithmetic():
    assert updates_per_epoch(1000, 3) == 334 and updates_per_epoch(999, 3) == 333 and updates_per_epoch(1, 8) == 1
    assert training_steps(None, 2.5, 333) == 833 and training_steps(7, 2.5, None) == 7
    assert warmup_steps(0.06, 833) == 50 and warmup_steps(1.9, 833) == 1 and warmup_steps(0, 833) == 0
    assert scheduler_kwargs('{"a": "True", "b": "12", "c": "1.5", "d": "1.5.1", "e": {"f": "3"}}') == {
        "a": True,
        "b": 12,
        "c": 1.5,
        "d": "1.5.1",
        "e": {"f": 3},
    }


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--sched", "wsd", "--epochs", "10"], "requires 0 < decay_epochs <= epochs - warmup_epochs"),
        (["--sched", "rsqrt", "--warmup-epochs", "0", "--decay-epochs", "0.2"], "requires a positive stable_timescale"),
        (["--updates-per-epoch", "10"], "give both"),
        (["--sched-on-updates"], "--updates-per-epoch must be a whole number >= 1"),
        (["--sched", "cosine", "--epochs", "0"], "epochs must be > 0"),
        (
            [
                "--sched",
                "cosine",
                "--lr-cycle-mul",
                "3",
                "--lr-cycle-limit",
                "9",
                "--epochs",
                "5",
                "--lr-cycle-mul",
                "-2",
            ],
            "outside every cycle",
        ),
        (["--sched", "wsd", "--decay-epochs", "0.2", "--lr-decay-fn", "sqrt"], "lr-decay-fn"),
        (["--lr-noise", "0.5", "--lr-noise-pct", "0"], "draw forever"),
        (["--lr-noise", "0.5", "--lr-noise-pct", "1e-5"], "about 1.25e+05 normals a step"),
        (["--steps-per-epoch", "10"], "No such option"),
    ],
)
def test_timm_refuses_what_timm_refuses(lrcli, arguments, message):
    result = lrcli("timm", *arguments)
    assert result.code == 2 and result.out == ""
    assert message in result.err


def test_timm_warns_of_flags_its_scheduler_does_not_read(lrcli):
    result = lrcli(
        "timm", "--sched", "cosine", "--epochs", "3", "--warmup-epochs", "0", "--decay-milestones", "1", "-f", "csv"
    )
    assert result.code == 0 and len(result.out.splitlines()) == 4
    assert result.err == "Warning: --sched cosine does not read --decay-milestones (train.py ignores it too)\n"
