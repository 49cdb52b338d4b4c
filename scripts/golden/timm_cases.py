"""Write tests/data/golden/timm/: the lrs timm's own schedulers set as its train.py steps them, for
``lrcli timm`` and timm specs; and torch's random draws behind timm's lr noise (torch_randn.json).

Run by hand from the repository's root, in the oracle environment (scripts/golden/requirements-torch.txt,
timm installed without its dependencies; the tests never import timm):

    /tmp/torch/bin/python -m scripts.golden.timm_cases [--only NAME…]

Each case pairs an lrcli command line with create_scheduler_v2 given the same train.py flags,
replayed on torch and written as scripts/golden/commands.py says.
"""

from __future__ import annotations

import json

import torch
from torch.optim import lr_scheduler as sched

from . import commands, harness
from .commands import Compare

TRAIN_PY_DEFAULTS = dict(
    sched="cosine",
    epochs=300,
    decay_epochs=90,
    decay_milestones=[90, 180, 270],
    warmup_epochs=5,
    cooldown_epochs=0,
    patience_epochs=10,
    decay_rate=0.1,
    min_lr=0,
    warmup_lr=1e-5,
    warmup_prefix=False,
    lr_noise=None,
    lr_noise_pct=0.67,
    lr_noise_std=1.0,
    seed=42,
    lr_cycle_mul=1.0,
    lr_cycle_decay=0.5,
    lr_cycle_limit=1,
    lr_k_decay=1.0,
    sched_on_updates=False,
    eval_metric="top1",
    lr_decay_fn=None,
    lr_stable_timescale=None,
)
"""The scheduler flags of timm's train.py with their argparse defaults (read from its source);
the last two are not in train.py as read, and scheduler_kwargs' own defaults stand in."""


class Timm(commands.Framework):
    """The reference for ``lrcli timm``: timm's own create_scheduler_v2(**scheduler_kwargs(args)),
    args being train.py's flags, stepped as train.py steps it (``step(epoch + 1)`` after each
    epoch, or ``step_update(num_updates)`` after each update). timm.scheduler is loaded without
    timm/__init__ (which would import torchvision, not needed by the schedulers)."""

    own_length = True

    def __init__(self, flags: dict, groups: int, metrics: list[float] | None = None):
        self.flags, self.metrics = flags, metrics
        per = flags.get("updates_per_epoch", 0) if flags.get("sched_on_updates") else None
        self.per_epoch = per
        optimizer = torch.optim.SGD(
            [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": 0.1} for _ in range(groups)], lr=0.1
        )
        self.rows = self.build(optimizer)[1] * (per or 1)

    def build(self, optimizer):
        import importlib.util
        import sys
        import types
        from types import SimpleNamespace

        if "timm" not in sys.modules:
            root = importlib.util.find_spec("timm").submodule_search_locations[0]
            package = types.ModuleType("timm")
            package.__path__ = [root]
            sys.modules["timm"] = package
        from timm.scheduler import create_scheduler_v2, scheduler_kwargs

        given = {name: value for name, value in self.flags.items() if name != "updates_per_epoch"}
        args = SimpleNamespace(**{**TRAIN_PY_DEFAULTS, **given})
        return create_scheduler_v2(
            optimizer, **scheduler_kwargs(args), updates_per_epoch=self.flags.get("updates_per_epoch", 0)
        )

    def __call__(self, optimizer):
        scheduler = self.build(optimizer)[0]
        on_updates = self.flags.get("sched_on_updates", False)
        metrics = self.metrics

        class Stepped:  # train.py's call after each row: the count of epochs (or updates) done
            count = 0

            def step(self, metric=None):  # (the metric replay_torch reads is the same as ours)
                Stepped.count += 1
                if on_updates:
                    scheduler.step_update(Stepped.count)
                else:  # with the epoch's eval metric, as train.py passes it
                    scheduler.step(Stepped.count, metrics[Stepped.count - 1] if metrics else None)

            def start(self, count):  # after --resume: step(start_epoch), or step_update(start_epoch * updates)
                Stepped.count = count - 1
                self.step()

        return Stepped()


def timm_case(
    lrs: list[float], selection: list[str] = (), metrics: str | None = None, **flags
) -> tuple[list[str], Timm]:
    """An lrcli timm command line and its reference, from the same train.py flags (``metrics``:
    a file of the metrics folder, one number per line, for --sched plateau)."""
    arguments = ["timm"] + (["--metrics", "{metrics}/" + metrics] if metrics else [])
    for lr in lrs:
        arguments += ["--lr", repr(lr)]
    for name, value in flags.items():
        option = "--" + name.replace("_", "-")
        if value is True:
            arguments.append(option)
        elif isinstance(value, list):
            arguments += [option, ",".join(map(repr, value))]
        else:
            arguments += [option, str(value)]
    values = [float(line) for line in (harness.METRICS / metrics).read_text().split()] if metrics else None
    return arguments + list(selection), Timm(flags, len(lrs), values)


CASES = {
    "timm_cosine_done_when_epochs": timm_case([0.1], sched="cosine", epochs=300, warmup_epochs=5),
    "timm_cosine_done_when_updates": timm_case(
        [0.1],
        ["--every", "97"],
        sched="cosine",
        epochs=300,
        warmup_epochs=5,
        sched_on_updates=True,
        updates_per_epoch=1251,
    ),
    "timm_cosine_updates_whole": timm_case(
        [0.5, 0.05],
        sched="cosine",
        epochs=12,
        warmup_epochs=2,
        warmup_lr=1e-4,
        min_lr=1e-6,
        cooldown_epochs=2,
        sched_on_updates=True,
        updates_per_epoch=97,
    ),
    "timm_cosine_prefix_cycles": timm_case(
        [0.1],
        sched="cosine",
        epochs=40,
        warmup_epochs=3,
        warmup_prefix=True,
        lr_cycle_limit=3,
        lr_cycle_decay=0.5,
        cooldown_epochs=5,
        min_lr=1e-5,
    ),
    "timm_cosine_cycle_mul_k_decay": timm_case(
        [0.2],
        sched="cosine",
        epochs=10,
        warmup_epochs=0,
        lr_cycle_mul=2.0,
        lr_cycle_limit=4,
        lr_k_decay=2.0,
        min_lr=0.001,
    ),
    "timm_tanh_warmup_to_curve": timm_case(
        [0.1, 0.3], sched="tanh", epochs=100, warmup_epochs=10, warmup_lr=0.0, min_lr=1e-5
    ),
    "timm_tanh_prefix": timm_case(
        [0.1], sched="tanh", epochs=60, warmup_epochs=6, warmup_prefix=True, lr_cycle_limit=2, cooldown_epochs=3
    ),
    "timm_step_efficientnet": timm_case(
        [0.016], sched="step", epochs=450, decay_epochs=2.4, decay_rate=0.97, warmup_epochs=3, warmup_lr=1e-6
    ),
    "timm_step_updates": timm_case(
        [0.1],
        sched="step",
        epochs=20,
        decay_epochs=2.5,
        decay_rate=0.5,
        warmup_epochs=1,
        sched_on_updates=True,
        updates_per_epoch=40,
    ),
    "timm_multistep_early_decay": timm_case(
        [0.1],
        sched="multistep",
        epochs=100,
        decay_milestones=[30, 60, 90],
        decay_rate=0.1,
        warmup_epochs=5,
        warmup_prefix=True,
    ),
    "timm_multistep_updates": timm_case(
        [0.1, 0.2],
        sched="multistep",
        epochs=12,
        decay_milestones=[4, 8],
        decay_rate=0.2,
        warmup_epochs=1,
        sched_on_updates=True,
        updates_per_epoch=25,
    ),
    "timm_poly": timm_case(
        [0.1], sched="poly", epochs=90, decay_rate=2.0, warmup_epochs=5, min_lr=1e-4, lr_k_decay=0.5, cooldown_epochs=10
    ),
    "timm_wsd_fraction": timm_case([3e-4], sched="wsd", epochs=100, decay_epochs=0.2, warmup_epochs=5, min_lr=1e-6),
    "timm_wsd_updates_shapes": timm_case(
        [3e-4],
        sched="wsd",
        epochs=20,
        decay_epochs=6,
        warmup_epochs=2,
        lr_decay_fn="cosine",
        warmup_prefix=True,
        sched_on_updates=True,
        updates_per_epoch=33,
    ),
    "timm_wsd_exp": timm_case([0.01], sched="wsd", epochs=50, decay_epochs=20, warmup_epochs=4, lr_decay_fn="exp"),
    "timm_wsd_power_linear": timm_case(
        [0.01], sched="wsd", epochs=50, decay_epochs=0.5, warmup_epochs=0, lr_decay_fn="power"
    ),
    "timm_rsqrt": timm_case([1e-3], sched="rsqrt", epochs=200, decay_epochs=0.1, warmup_epochs=10, cooldown_epochs=5),
    "timm_rsqrt_timescale": timm_case(
        [1e-3],
        sched="rsqrt",
        epochs=30,
        decay_epochs=5,
        warmup_epochs=0,
        lr_stable_timescale=3,
        lr_decay_fn="1-sqrt",
        sched_on_updates=True,
        updates_per_epoch=10,
    ),
    "timm_constant": timm_case([0.05], sched="constant", epochs=20, warmup_epochs=3, warmup_lr=0.0),
    "timm_noise_range": timm_case([0.1], sched="cosine", epochs=100, warmup_epochs=5, lr_noise=[0.4, 0.9]),
    "timm_noise_from": timm_case(
        [0.1, 0.02],
        sched="step",
        epochs=60,
        decay_epochs=10,
        warmup_epochs=0,
        lr_noise=[0.5],
        lr_noise_pct=0.3,
        lr_noise_std=0.5,
        seed=7,
    ),
    "timm_noise_updates": timm_case(
        [0.1],
        sched="cosine",
        epochs=10,
        warmup_epochs=1,
        lr_noise=[0.2, 0.8],
        lr_noise_std=2.0,
        lr_noise_pct=0.5,
        seed=123456,
        sched_on_updates=True,
        updates_per_epoch=50,
    ),
    "timm_noise_tight_rejection": timm_case(
        [0.1], sched="constant", epochs=40, warmup_epochs=0, lr_noise=[0.0], lr_noise_pct=0.05, seed=3
    ),
    "timm_plateau": timm_case(
        [0.1],
        metrics="metrics_loss.txt",
        sched="plateau",
        epochs=120,
        warmup_epochs=3,
        patience_epochs=4,
        decay_rate=0.5,
        eval_metric="loss",
        min_lr=0.001,
    ),
    "timm_plateau_noise_max": timm_case(
        [0.1, 0.2],
        metrics="metrics_loss.txt",
        sched="plateau",
        epochs=90,
        warmup_epochs=0,
        patience_epochs=2,
        lr_noise=[0.3, 0.8],
        seed=9,
    ),
    "timm_noise_long_rejection": timm_case(
        [0.1], sched="cosine", epochs=60, warmup_epochs=0, lr_noise=[0.0], lr_noise_pct=0.004, seed=11
    ),
}


def timm_spec(**flags) -> Timm:
    """The reference for a timm spec: train.py's flags, those the spec gives over train.py's defaults."""
    return Timm(flags, 1)


# Specs whose keywords are timm's parameters, never taken for lrcli's warmup=N (warmup_epochs,
# warmup_lr and warmup_prefix); and a timm spec that leaves train.py's defaults (decay_milestones)
# to lrcli.
SPEC_CASES = {
    "spec_timm_warmup_keywords": (
        [
            "compare",
            "plain=timm.cosine(epochs=12)",
            "warm=timm.cosine(epochs=12, warmup_epochs=3)",
            "warm_lr=timm.cosine(epochs=12, warmup_epochs=3, warmup_lr=0.001)",
            "prefix=timm.cosine(epochs=12, warmup_epochs=3, warmup_lr=0.0, warmup_prefix=True)",
            "multistep=timm.multistep(epochs=12, decay_milestones=[6, 9], warmup_epochs=2, warmup_prefix=True)",
            "--epochs",
            "15",
        ],
        Compare(
            plain=timm_spec(sched="cosine", epochs=12),
            warm=timm_spec(sched="cosine", epochs=12, warmup_epochs=3),
            warm_lr=timm_spec(sched="cosine", epochs=12, warmup_epochs=3, warmup_lr=0.001),
            prefix=timm_spec(sched="cosine", epochs=12, warmup_epochs=3, warmup_lr=0.0, warmup_prefix=True),
            multistep=timm_spec(
                sched="multistep", epochs=12, decay_milestones=[6, 9], warmup_epochs=2, warmup_prefix=True
            ),
        ),
    ),
    "spec_timm_train_py_defaults": (
        ["compare", "timm.multistep(epochs=200)", "cosine(T_max=200)", "--epochs", "200"],
        Compare(
            **{
                "timm.multistep": timm_spec(sched="multistep", epochs=200),  # the labels lrcli makes
                "cosine": lambda opt: sched.CosineAnnealingLR(opt, T_max=200),
            }
        ),
    ),
}
CASES.update(SPEC_CASES)


def resumed_case(lrs: list[float], start_epoch: int, compare: bool = False, **flags) -> tuple[list[str], Timm]:
    """:func:`timm_case` resumed as train.py does with --resume at ``start_epoch``: the optimizer's
    state loaded (resume_checkpoint), then a new scheduler (create_scheduler_v2) on it, then
    ``step(start_epoch)``, or ``step_update(start_epoch * updates_per_epoch)``; the rows before
    ``start_epoch`` are the interrupted run's."""
    arguments, timm = timm_case(lrs, **flags)
    at = start_epoch * (flags.get("updates_per_epoch", 1) if flags.get("sched_on_updates") else 1)

    def resume(optimizer, saved_optimizer, saved_scheduler):
        optimizer.load_state_dict(saved_optimizer)
        stepped = timm(optimizer)
        stepped.start(at)
        return stepped

    extra = ["--resume-at", str(start_epoch)] + (["--compare-resume"] if compare else [])
    resumed = commands.FrameworkResume(timm, lrs, at, resume)
    return arguments + extra, Compare(resumed=resumed, uninterrupted=timm) if compare else resumed


RESUME_CASES = {
    "timm_resume_cosine_in_warmup": resumed_case([0.1], 3, True, sched="cosine", epochs=30, warmup_epochs=5),
    "timm_resume_cosine_prefix_cycles": resumed_case(
        [0.1, 0.02],
        13,
        sched="cosine",
        epochs=10,
        warmup_epochs=3,
        warmup_prefix=True,
        lr_cycle_limit=3,
        lr_cycle_decay=0.5,
    ),
    "timm_resume_step_noise": resumed_case(
        [0.1], 12, True, sched="step", epochs=40, decay_epochs=5, warmup_epochs=2, lr_noise=[0.2, 0.9], seed=7
    ),
    "timm_resume_cosine_on_updates": resumed_case(
        [0.1], 4, sched="cosine", epochs=10, warmup_epochs=2, sched_on_updates=True, updates_per_epoch=7
    ),
    "timm_resume_tanh_noise_on_updates": resumed_case(
        [0.05],
        3,
        sched="tanh",
        epochs=8,
        warmup_epochs=1,
        lr_noise=[0.1, 0.7],
        seed=3,
        sched_on_updates=True,
        updates_per_epoch=5,
    ),
}
CASES.update(RESUME_CASES)


def torch_normal_draws() -> None:
    """torch's own randn(1) draws on fresh generators (timm's lr noise): 3 draws for each of 3,000
    seeds, small, 32-bit and beyond 32 bits, and 800 draws for 20 seeds, for lrcli's pure-Python
    generator to equal."""
    import random

    rng = random.Random(2026)
    seeds = list(range(100)) + [rng.randrange(2**32) for _ in range(2400)] + [rng.randrange(2**64) for _ in range(500)]
    draws = []
    for seed in seeds:
        generator = torch.Generator()
        generator.manual_seed(seed)
        draws.append([seed, *(torch.randn(1, generator=generator).item() for _ in range(3))])
    long_draws = []  # beyond the first twist of the generator's state: a long rejection loop
    for seed in [rng.randrange(2**32) for _ in range(20)]:
        generator = torch.Generator()
        generator.manual_seed(seed)
        long_draws.append([seed, *(torch.randn(1, generator=generator).item() for _ in range(800))])
    document = {"torch": torch.__version__, "draws": draws, "long_draws": long_draws}
    (harness.folder("timm") / "torch_randn.json").write_text(json.dumps(document) + "\n")


def versions() -> dict:
    from importlib.metadata import version

    return {"torch": torch.__version__, "timm": version("timm")}


if __name__ == "__main__":
    commands.main("timm", __doc__, CASES, versions, also=(torch_normal_draws,))
