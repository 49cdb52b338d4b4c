"""diffusers (0.42): its training scripts' scheduler flags, one command (:mod:`lrcli.cli.diffusers`)
that does the scripts' arithmetic and replays ``get_scheduler`` as accelerate steps it, as
:data:`SCRIPT` describes it; no code is emitted for it."""

from __future__ import annotations

from lrcli.registry.description import INT, NUMBER, TEXT, Description, Family, OneCommand, Param

HELP = """Show the lr of a diffusers training script (train_text_to_image.py, train_dreambooth.py,
train_lora…) from its flags, at every optimizer update (global_step), as the script and
accelerate step it: the script builds get_scheduler(--lr_scheduler) with warmup and total steps
multiplied by the processes, and accelerate steps it once per process at every update.

\b
Examples:
  lrcli diffusers --lr_scheduler cosine --lr_warmup_steps 500 \\
      --max_train_steps 15000 --num_processes 8 --every 1000
  lrcli diffusers --lr_scheduler cosine_with_restarts --lr_num_cycles 3 \\
      --learning_rate 1e-6 --scale_lr --train_batch_size 4 --num_processes 4 \\
      --lr_warmup_steps 2 --max_train_steps 40 -f plot
  lrcli diffusers --lr_scheduler linear --num_train_epochs 4 \\
      --batches-per-epoch 50 --gradient_accumulation_steps 3 \\
      --num_processes 2 --lr_warmup_steps 3 --learning_rate 5e-6

Without --max_train_steps the script counts the updates from --num_train_epochs and
len(train_dataloader) (--batches-per-epoch, before accelerator.prepare shards it)."""


def _schedule(
    lr_scheduler: str,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: int,
    power: float,
    step_rules: str | None,
    steps_per_update: int,
    max_train_steps: int,
):
    """``get_scheduler`` seen after each update: row ``g`` is its row ``steps_per_update * g``
    (imported when replayed, not at start-up)."""
    from lrcli.engine.diffusers import get_scheduler
    from lrcli.loops import at_counts

    scheduler = get_scheduler(
        lr_scheduler,
        step_rules=step_rules,
        num_warmup_steps=num_warmup_steps,
        num_training_steps=num_training_steps,
        num_cycles=num_cycles,
        power=power,
    )
    return at_counts(scheduler, range(0, steps_per_update * (max_train_steps + 1), steps_per_update))


def _describe(schedule) -> str:
    params = schedule.params
    keywords = [f"num_warmup_steps={params['num_warmup_steps']}", f"num_training_steps={params['num_training_steps']}"]
    if params["lr_scheduler"] == "cosine_with_restarts":
        keywords.append(f"num_cycles={params['num_cycles']}")
    if params["lr_scheduler"] == "polynomial":
        keywords.append(f"power={params['power']!r}")
    if params["lr_scheduler"] == "piecewise_constant":
        keywords = [f"step_rules={params['step_rules']!r}"]
    per = params["steps_per_update"]
    stepped = f", stepped {per} times an update (accelerate, {per} processes)" if per > 1 else ""
    return f"get_scheduler({params['lr_scheduler']!r}, {', '.join(keywords)}){stepped}"


SCRIPT = Description(
    "diffusers",
    "get_scheduler",
    _schedule,
    "A diffusers training script's scheduler, at each optimizer update.",
    (
        Param("lr_scheduler", TEXT, "The SchedulerType."),
        Param("num_warmup_steps", INT, "Warmup steps passed to get_scheduler."),
        Param("num_training_steps", INT, "Total steps passed to get_scheduler."),
        Param("num_cycles", INT, "cosine_with_restarts' cycles.", 1),
        Param("power", NUMBER, "polynomial's power.", 1.0),
        Param("step_rules", TEXT, "piecewise_constant's rules.", None),
        Param("steps_per_update", INT, "Scheduler steps per optimizer update.", 1, constructor=False),
        Param("max_train_steps", INT, "Optimizer updates the loop runs.", constructor=False),
    ),
    (),
    warmup=False,
    composable=False,
    default_rows=lambda params: params["max_train_steps"] + 1,
    module="diffusers.optimization",
    unit="step",
    describe=_describe,
)
"""The script's scheduler as the command computes it; a row is an optimizer update."""


def _command(family: Family):
    """``lrcli diffusers``: the training scripts' flags (their own command line)."""
    from lrcli.cli.diffusers import make_diffusers_command

    return make_diffusers_command()


FAMILY = Family("diffusers", HELP, (), OneCommand(_command))
