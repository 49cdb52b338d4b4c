"""Write tests/data/golden/transformers/: the lrs transformers' own schedulers set, and the Trainer's
arithmetic, for ``lrcli transformers`` and transformers specs.

Run by hand from the repository's root, in the oracle environment (scripts/golden/requirements-torch.txt;
the tests never import transformers):

    /tmp/torch/bin/python -m scripts.golden.transformers_cases [--only NAME…]

Each case pairs an lrcli command line with transformers' get_scheduler (its arguments from the
real TrainingArguments and Trainer where the case gives the Trainer's), replayed on torch and
written as scripts/golden/commands.py says.
"""

from __future__ import annotations

import json

import torch
from torch.optim import lr_scheduler as sched

from . import commands
from .commands import Compare


class Transformers(commands.Framework):
    """The reference for ``lrcli transformers``: transformers' own get_scheduler, its arguments
    computed by the real TrainingArguments and Trainer.set_initial_training_values when the case
    gives Trainer arguments (``batches`` stands for len(train_dataloader)). ``rows`` is how many
    rows lrcli shows by default (the training steps); ``per_epoch`` its optimizer steps per epoch."""

    in_steps = True

    def __init__(self, scheduler_type: str, batches: int | None = None, kwargs: dict | None = None, **arguments):
        self.scheduler_type, self.kwargs, self.per_epoch = scheduler_type, kwargs, None
        if "num_training_steps" in arguments or "num_warmup_steps" in arguments or not arguments:
            self.warmup, self.rows = arguments.get("num_warmup_steps"), arguments.get("num_training_steps")
            return
        from transformers import Trainer, TrainingArguments

        args = TrainingArguments(
            output_dir="/tmp/lrcli-golden",
            lr_scheduler_type=scheduler_type,
            report_to=[],
            lr_scheduler_kwargs=json.dumps(kwargs) if kwargs else None,
            **arguments,
        )

        class Sized:  # what set_initial_training_values asks of the Trainer besides the arguments
            def get_total_train_batch_size(self, args):
                return 1

            def get_sp_size(self):
                return 1

            def num_examples(self, dataloader):
                return len(dataloader)

        values = Trainer.set_initial_training_values(Sized(), args, list(range(batches)) if batches else None)
        self.per_epoch, self.rows = (values[1] if batches else None), values[-1]
        self.warmup, self.kwargs = args.get_warmup_steps(self.rows), args.lr_scheduler_kwargs

    def __call__(self, optimizer):
        from transformers import get_scheduler

        return get_scheduler(
            self.scheduler_type,
            optimizer,
            num_warmup_steps=self.warmup,
            num_training_steps=self.rows,
            scheduler_specific_kwargs=self.kwargs,
        )


HF = Transformers
CASES = {
    "hf_cosine_done_when": (
        ["transformers", "cosine", "--num-warmup-steps", "500", "--num-training-steps", "10000"],
        HF("cosine", num_warmup_steps=500, num_training_steps=10000),
    ),
    "hf_linear_two_groups": (
        [
            "transformers",
            "linear",
            "--lr",
            "5e-5",
            "--lr",
            "1e-3",
            "--num-warmup-steps",
            "37",
            "--num-training-steps",
            "1234",
        ],
        HF("linear", num_warmup_steps=37, num_training_steps=1234),
    ),
    "hf_cosine_cycles": (
        [
            "transformers",
            "cosine",
            "--lr",
            "3e-4",
            "--num-warmup-steps",
            "0",
            "--num-training-steps",
            "3001",
            "--num-cycles",
            "1.75",
        ],
        HF("cosine", num_warmup_steps=0, num_training_steps=3001, kwargs={"num_cycles": 1.75}),
    ),
    "hf_cosine_with_restarts": (
        [
            "transformers",
            "cosine_with_restarts",
            "--lr",
            "2e-5",
            "--num-warmup-steps",
            "10",
            "--num-training-steps",
            "2011",
            "--num-cycles",
            "3",
            "--steps",
            "2100",
        ],
        HF("cosine_with_restarts", num_warmup_steps=10, num_training_steps=2011, kwargs={"num_cycles": 3}),
    ),
    "hf_polynomial": (
        [
            "transformers",
            "polynomial",
            "--lr",
            "3e-4",
            "--num-warmup-steps",
            "100",
            "--num-training-steps",
            "5000",
            "--lr-end",
            "1e-5",
            "--power",
            "2",
            "--steps",
            "5100",
        ],
        HF("polynomial", num_warmup_steps=100, num_training_steps=5000, kwargs={"lr_end": 1e-5, "power": 2.0}),
    ),
    "hf_polynomial_two_groups": (
        [
            "transformers",
            "polynomial",
            "--lr",
            "0.07",
            "--lr",
            "0.3",
            "--num-warmup-steps",
            "7",
            "--num-training-steps",
            "3000",
            "--power",
            "0.5",
            "--lr-end",
            "0.001",
        ],
        HF("polynomial", num_warmup_steps=7, num_training_steps=3000, kwargs={"lr_end": 0.001, "power": 0.5}),
    ),
    "hf_constant": (
        ["transformers", "constant", "--lr", "0.3", "--steps", "20"],
        HF("constant"),
    ),
    "hf_constant_num_training_steps": (
        ["transformers", "constant", "--lr", "0.3", "--num-training-steps", "25"],
        HF("constant", num_training_steps=25),
    ),
    "hf_constant_with_warmup_num_training_steps": (
        [
            "transformers",
            "constant_with_warmup",
            "--lr",
            "1e-3",
            "--num-warmup-steps",
            "7",
            "--num-training-steps",
            "30",
        ],
        HF("constant_with_warmup", num_warmup_steps=7, num_training_steps=30),
    ),
    "hf_inverse_sqrt_num_training_steps": (
        ["transformers", "inverse_sqrt", "--lr", "1e-3", "--num-warmup-steps", "10", "--num-training-steps", "60"],
        HF("inverse_sqrt", num_warmup_steps=10, num_training_steps=60),
    ),
    "hf_constant_with_warmup": (
        ["transformers", "constant_with_warmup", "--lr", "1e-4", "--num-warmup-steps", "333", "--steps", "1000"],
        HF("constant_with_warmup", num_warmup_steps=333),
    ),
    "hf_inverse_sqrt": (
        ["transformers", "inverse_sqrt", "--lr", "5e-4", "--num-warmup-steps", "4000", "--steps", "20000"],
        HF("inverse_sqrt", num_warmup_steps=4000),
    ),
    "hf_inverse_sqrt_no_warmup": (
        ["transformers", "inverse_sqrt", "--lr", "5e-4", "--num-warmup-steps", "0", "--steps", "3000"],
        HF("inverse_sqrt", num_warmup_steps=0),
    ),
    "hf_inverse_sqrt_timescale": (
        ["transformers", "inverse_sqrt", "--num-warmup-steps", "100", "--timescale", "37", "--steps", "3000"],
        HF("inverse_sqrt", num_warmup_steps=100, kwargs={"timescale": 37}),
    ),
    "hf_cosine_with_min_lr": (
        [
            "transformers",
            "cosine_with_min_lr",
            "--lr",
            "3e-4",
            "--num-warmup-steps",
            "50",
            "--num-training-steps",
            "2500",
            "--min-lr",
            "1e-5",
            "--steps",
            "2600",
        ],
        HF("cosine_with_min_lr", num_warmup_steps=50, num_training_steps=2500, kwargs={"min_lr": 1e-5}),
    ),
    "hf_cosine_with_min_lr_rate": (
        [
            "transformers",
            "cosine_with_min_lr",
            "--lr",
            "0.1",
            "--lr",
            "0.02",
            "--num-warmup-steps",
            "10",
            "--num-training-steps",
            "999",
            "--min-lr-rate",
            "0.1",
            "--num-cycles",
            "0.75",
        ],
        HF(
            "cosine_with_min_lr",
            num_warmup_steps=10,
            num_training_steps=999,
            kwargs={"min_lr_rate": 0.1, "num_cycles": 0.75},
        ),
    ),
    "hf_cosine_warmup_with_min_lr": (
        [
            "transformers",
            "cosine_warmup_with_min_lr",
            "--lr",
            "1e-3",
            "--num-warmup-steps",
            "100",
            "--num-training-steps",
            "1500",
            "--min-lr",
            "1e-5",
        ],
        HF("cosine_warmup_with_min_lr", num_warmup_steps=100, num_training_steps=1500, kwargs={"min_lr": 1e-5}),
    ),
    "hf_cosine_warmup_with_min_lr_rate": (
        [
            "transformers",
            "cosine_warmup_with_min_lr",
            "--lr",
            "7e-4",
            "--num-warmup-steps",
            "33",
            "--num-training-steps",
            "800",
            "--min-lr-rate",
            "0.05",
            "--warmup-lr-rate",
            "0.01",
            "--steps",
            "850",
        ],
        HF(
            "cosine_warmup_with_min_lr",
            num_warmup_steps=33,
            num_training_steps=800,
            kwargs={"min_lr_rate": 0.05, "warmup_lr_rate": 0.01},
        ),
    ),
    "hf_wsd": (
        [
            "transformers",
            "warmup_stable_decay",
            "--lr",
            "3e-4",
            "--num-warmup-steps",
            "100",
            "--num-decay-steps",
            "300",
            "--num-training-steps",
            "1000",
            "--steps",
            "1100",
        ],
        HF("warmup_stable_decay", num_warmup_steps=100, num_training_steps=1000, kwargs={"num_decay_steps": 300}),
    ),
    "hf_wsd_shapes": (
        [
            "transformers",
            "warmup_stable_decay",
            "--lr",
            "0.01",
            "--num-warmup-steps",
            "77",
            "--num-decay-steps",
            "211",
            "--num-stable-steps",
            "500",
            "--warmup-type",
            "1-sqrt",
            "--decay-type",
            "linear",
            "--min-lr-ratio",
            "0.1",
            "--steps",
            "900",
        ],
        HF(
            "warmup_stable_decay",
            num_warmup_steps=77,
            num_training_steps=None,
            kwargs={
                "num_decay_steps": 211,
                "num_stable_steps": 500,
                "warmup_type": "1-sqrt",
                "decay_type": "linear",
                "min_lr_ratio": 0.1,
            },
        ),
    ),
    "hf_wsd_cosine_warmup_sqrt_decay": (
        [
            "transformers",
            "warmup_stable_decay",
            "--lr",
            "0.01",
            "--num-warmup-steps",
            "64",
            "--num-decay-steps",
            "128",
            "--num-training-steps",
            "400",
            "--warmup-type",
            "cosine",
            "--decay-type",
            "1-sqrt",
        ],
        HF(
            "warmup_stable_decay",
            num_warmup_steps=64,
            num_training_steps=400,
            kwargs={"num_decay_steps": 128, "warmup_type": "cosine", "decay_type": "1-sqrt"},
        ),
    ),
    # The Trainer's arguments, computed by the real TrainingArguments and Trainer.
    "hf_trainer_linear_epochs": (
        [
            "transformers",
            "linear",
            "--lr",
            "5e-5",
            "--warmup-steps",
            "0.1",
            "--num-train-epochs",
            "3",
            "--steps-per-epoch",
            "1000",
            "--gradient-accumulation-steps",
            "3",
        ],
        HF(
            "linear",
            batches=1000,
            learning_rate=5e-5,
            warmup_steps=0.1,
            num_train_epochs=3,
            gradient_accumulation_steps=3,
        ),
    ),
    "hf_trainer_cosine_fraction_of_epochs": (
        [
            "transformers",
            "cosine",
            "--lr",
            "2e-5",
            "--warmup-steps",
            "0.06",
            "--num-train-epochs",
            "2.5",
            "--steps-per-epoch",
            "333",
        ],
        HF("cosine", batches=333, learning_rate=2e-5, warmup_steps=0.06, num_train_epochs=2.5),
    ),
    "hf_trainer_cosine_max_steps": (
        ["transformers", "cosine", "--lr", "3e-4", "--warmup-steps", "0.05", "--max-steps", "2000"],
        HF("cosine", learning_rate=3e-4, warmup_steps=0.05, max_steps=2000),
    ),
    "hf_trainer_default_epochs": (
        [
            "transformers",
            "cosine_with_min_lr",
            "--lr",
            "1e-4",
            "--warmup-steps",
            "25",
            "--steps-per-epoch",
            "101",
            "--lr-scheduler-kwargs",
            '{"min_lr_rate": "0.1"}',
        ],
        HF("cosine_with_min_lr", batches=101, learning_rate=1e-4, warmup_steps=25, kwargs={"min_lr_rate": "0.1"}),
    ),
    "hf_trainer_wsd_kwargs": (
        [
            "transformers",
            "warmup_stable_decay",
            "--lr",
            "1e-3",
            "--warmup-steps",
            "0.1",
            "--max-steps",
            "1000",
            "--lr-scheduler-kwargs",
            '{"num_decay_steps": "200", "decay_type": "1-sqrt", "min_lr_ratio": "0.01"}',
        ],
        HF(
            "warmup_stable_decay",
            learning_rate=1e-3,
            warmup_steps=0.1,
            max_steps=1000,
            kwargs={"num_decay_steps": "200", "decay_type": "1-sqrt", "min_lr_ratio": "0.01"},
        ),
    ),
    "hf_trainer_polynomial_accumulation": (
        [
            "transformers",
            "polynomial",
            "--lr",
            "1e-4",
            "--warmup-steps",
            "0.2",
            "--num-train-epochs",
            "4",
            "--steps-per-epoch",
            "250",
            "--gradient-accumulation-steps",
            "8",
            "--lr-scheduler-kwargs",
            '{"power": "3", "lr_end": "0.000001"}',
        ],
        HF(
            "polynomial",
            batches=250,
            learning_rate=1e-4,
            warmup_steps=0.2,
            num_train_epochs=4,
            gradient_accumulation_steps=8,
            kwargs={"power": "3", "lr_end": "0.000001"},
        ),
    ),
    "hf_reduce_lr_on_plateau": (
        [
            "transformers",
            "reduce_lr_on_plateau",
            "--lr",
            "1e-3",
            "--metrics",
            "{metrics}/metrics_loss.txt",
            "--patience",
            "3",
            "--factor",
            "0.5",
            "--epochs",
            "300",
        ],
        lambda opt: __import__("transformers").get_scheduler(
            "reduce_lr_on_plateau", opt, scheduler_specific_kwargs={"patience": 3, "factor": 0.5}
        ),
    ),
    "hf_greedy_loss": (
        [
            "transformers",
            "greedy",
            "--lr",
            "0.1",
            "--metrics",
            "{metrics}/metrics.csv",
            "--column",
            "val_loss",
            "--patience",
            "3",
            "--epochs",
            "1000",
        ],
        lambda opt: __import__("transformers").get_scheduler("greedy", opt, scheduler_specific_kwargs={"patience": 3}),
    ),
    "hf_greedy_smooth_max_two_groups": (
        [
            "transformers",
            "greedy",
            "--lr",
            "0.1",
            "--lr",
            "0.3",
            "--metrics",
            "{metrics}/metrics.csv",
            "--column",
            "val_acc",
            "--mode",
            "max",
            "--threshold-mode",
            "rel",
            "--threshold",
            "0.001",
            "--patience",
            "2",
            "--cooldown",
            "2",
            "--warmup",
            "1.5",
            "--smooth",
            "--window-size",
            "7",
            "--min-lr",
            "0.01",
            "--min-lr",
            "0.02",
            "--max-lr",
            "0.5",
            "--factor",
            "0.9",
            "--epochs",
            "2000",
        ],
        lambda opt: __import__("transformers").get_scheduler(
            "greedy",
            opt,
            scheduler_specific_kwargs={
                "mode": "max",
                "threshold_mode": "rel",
                "threshold": 0.001,
                "patience": 2,
                "cooldown": 2,
                "warmup": 1.5,
                "smooth": True,
                "window_size": 7,
                "min_lr": [0.01, 0.02],
                "max_lr": 0.5,
                "factor": 0.9,
            },
        ),
    ),
    "hf_greedy_resets": (
        [
            "transformers",
            "greedy",
            "--lr",
            "0.1",
            "--metrics",
            "{metrics}/metrics_loss.txt",
            "--patience",
            "1",
            "--reset-start",
            "3",
            "--min-lr",
            "0.05",
            "--factor",
            "0.5",
            "--epochs",
            "600",
        ],
        lambda opt: __import__("transformers").get_scheduler(
            "greedy", opt, scheduler_specific_kwargs={"patience": 1, "reset_start": 3, "min_lr": 0.05, "factor": 0.5}
        ),
    ),
}


# Specs whose keywords are transformers' parameters, never taken for lrcli's warmup=N: its
# warmup_type and warmup_lr_rate.
SPEC_CASES = {
    "spec_transformers_warmup_type": (
        [
            "sequential",
            "transformers.warmup_stable_decay(num_warmup_steps=4, num_decay_steps=4, num_training_steps=12, "
            'warmup_type="cosine")',
            "exp(gamma=0.9)",
            "--milestones",
            "10",
            "--steps",
            "12",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                HF(
                    "warmup_stable_decay",
                    kwargs={"num_decay_steps": 4, "warmup_type": "cosine"},
                    num_warmup_steps=4,
                    num_training_steps=12,
                )(opt),
                sched.ExponentialLR(opt, gamma=0.9),
            ],
            milestones=[10],
        ),
    ),
    "spec_transformers_warmup_lr_rate": (
        [
            "sequential",
            "--lr",
            "0.01",
            "transformers.cosine_warmup_with_min_lr(num_warmup_steps=4, num_training_steps=12, "
            "min_lr_rate=0.1, warmup_lr_rate=0.05)",
            "exp(gamma=0.9)",
            "--milestones",
            "12",
            "--steps",
            "16",
        ],
        lambda opt: sched.SequentialLR(
            opt,
            [
                HF(
                    "cosine_warmup_with_min_lr",
                    kwargs={"min_lr_rate": 0.1, "warmup_lr_rate": 0.05},
                    num_warmup_steps=4,
                    num_training_steps=12,
                )(opt),
                sched.ExponentialLR(opt, gamma=0.9),
            ],
            milestones=[12],
        ),
    ),
    "spec_transformers_compare_warmups": (
        [
            "compare",
            "--lr",
            "0.01",
            "sqrt=transformers.warmup_stable_decay(num_warmup_steps=3, num_decay_steps=3, num_stable_steps=2, "
            'warmup_type="1-sqrt", decay_type="linear", min_lr_ratio=0.1)',
            "rate=transformers.cosine_warmup_with_min_lr(num_warmup_steps=3, num_training_steps=8, min_lr=0.001, "
            "warmup_lr_rate=0.2)",
            "--steps",
            "8",
        ],
        Compare(
            sqrt=HF(
                "warmup_stable_decay",
                kwargs={
                    "num_decay_steps": 3,
                    "num_stable_steps": 2,
                    "warmup_type": "1-sqrt",
                    "decay_type": "linear",
                    "min_lr_ratio": 0.1,
                },
                num_warmup_steps=3,
            ),
            rate=HF(
                "cosine_warmup_with_min_lr",
                kwargs={"min_lr": 0.001, "warmup_lr_rate": 0.2},
                num_warmup_steps=3,
                num_training_steps=8,
            ),
        ),
    ),
}
CASES.update(SPEC_CASES)


def resumed_case(arguments: list[str], hf: Transformers, at: int, compare: bool = False) -> tuple:
    """A case resumed as the Trainer's resume_from_checkpoint does it at step ``at``: a new
    scheduler from get_scheduler on a new optimizer (create_optimizer_and_scheduler), then both
    load_state_dict (_load_optimizer_and_scheduler); the rows before ``at`` are the interrupted run's."""
    lrs = [float(arguments[i + 1]) for i, word in enumerate(arguments) if word == "--lr"] or [0.1]

    def resume(optimizer, saved_optimizer, saved_scheduler):
        scheduler = hf(optimizer)
        optimizer.load_state_dict(saved_optimizer)
        scheduler.load_state_dict(saved_scheduler)
        return scheduler

    extra = ["--resume-at", str(at)] + (["--compare-resume"] if compare else [])
    resumed = commands.FrameworkResume(hf, lrs, at, resume)
    return arguments + extra, Compare(resumed=resumed, uninterrupted=hf) if compare else resumed


RESUME_CASES = {
    "hf_resume_cosine_in_warmup": resumed_case(
        ["transformers", "cosine", "--num-warmup-steps", "10", "--num-training-steps", "60"],
        HF("cosine", num_warmup_steps=10, num_training_steps=60),
        4,
        True,
    ),
    "hf_resume_linear_two_groups": resumed_case(
        ["transformers", "linear", "--lr", "0.1", "--lr", "0.03", "--num-warmup-steps", "5"]
        + ["--num-training-steps", "40"],
        HF("linear", num_warmup_steps=5, num_training_steps=40),
        23,
    ),
    "hf_resume_polynomial": resumed_case(
        ["transformers", "polynomial", "--num-warmup-steps", "3", "--num-training-steps", "50", "--power", "2"],
        HF("polynomial", num_warmup_steps=3, num_training_steps=50, kwargs={"power": 2.0}),
        30,
        True,
    ),
    "hf_resume_cosine_with_restarts": resumed_case(
        ["transformers", "cosine_with_restarts", "--num-warmup-steps", "4", "--num-training-steps", "80"]
        + ["--num-cycles", "3"],
        HF("cosine_with_restarts", num_warmup_steps=4, num_training_steps=80, kwargs={"num_cycles": 3}),
        41,
    ),
    "hf_resume_warmup_stable_decay": resumed_case(
        ["transformers", "warmup_stable_decay", "--num-warmup-steps", "5", "--num-training-steps", "50"]
        + ["--num-decay-steps", "20"],
        HF("warmup_stable_decay", num_warmup_steps=5, num_training_steps=50, kwargs={"num_decay_steps": 20}),
        35,
    ),
}
CASES.update(RESUME_CASES)


def versions() -> dict:
    import transformers

    return {"torch": torch.__version__, "transformers": transformers.__version__}


if __name__ == "__main__":
    commands.main("transformers", __doc__, CASES, versions)
