"""``lrcli compare``: several schedules over the same rows, side by side, each written as a
labelled spec."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Annotated

import typer

from lrcli.cli.options import LOOP_OPTIONS, option, shared_options, with_signature
from lrcli.cli.show import UsageProblem, records, show
from lrcli.registry import BY_NAME
from lrcli.schedules import Schedule

LABEL = re.compile(r"^\s*([A-Za-z_][\w.-]*)\s*=(?![=])")

COMPARE_HELP = """Several schedules side by side: one column (or series) each.

\b
Examples:
  lrcli compare 'step(step_size=30)' 'cosine(T_max=90)' --epochs 90 -f plot
  lrcli compare steps='multistep(milestones=[30, 60, 80])' \\
      cos='cosine(T_max=85, warmup=5)' --epochs 90 -f summary

SPEC: a scheduler as a call with the framework's keywords, optionally labelled (label=call);
compositions are specs here too (sequential(schedulers=[linear(total_iters=5),
cosine(T_max=95)], milestones=[5])), and warmup=N (with warmup_start_factor=W) puts a warmup
first. Labels default to the command's name, numbered (-2, -3, ...) when it is
taken: by another schedule, or by an index column (step, epoch)."""


def labelled_specs(
    texts: list[str], steps: int | None = None, steps_per_epoch: int | None = None
) -> list[tuple[str, Schedule]]:
    """Each spec read (compositions and warmup allowed) with its label, given or made, so that
    every column has its own name. A label given must differ from the other labels and from the
    index columns (``epoch``, ``step``) the rows will have; a label made is the command's name,
    or when that is taken (by an index column, a label given or an earlier one), the command's
    name numbered -2, -3, …: the first that is free.

    >>> [label for label, _ in labelled_specs(["step(step_size=3)", "fast=exp(gamma=0.5)", "StepLR(step_size=9)"])]
    ['step', 'fast', 'step-2']
    >>> [label for label, _ in labelled_specs(["step(step_size=3)", "exp(gamma=0.5)"], steps=20)]
    ['step-2', 'exp']
    """
    from lrcli.replay import index_columns, rows_are_steps
    from lrcli.spec import parse_spec

    read = []
    for text in texts:
        match = LABEL.match(text) if "(" not in text.split("=", 1)[0] else None
        call = text[match.end() :] if match else text
        # the label made is the command the call names (not the SequentialLR a warmup=N makes of it)
        read.append((match.group(1) if match else None, call, parse_spec(call, top=True)))
    index = index_columns(rows_are_steps(read[0][2], steps, steps_per_epoch), steps_per_epoch)  # as compare's
    given = [label for label, _, _ in read if label is not None]
    repeated = next((label for label in given if given.count(label) > 1), None)
    if repeated:
        raise UsageProblem(f"the label {repeated!r} is given to two schedules")
    clash = next((label for label in given if label in index), None)
    if clash:
        raise UsageProblem(f"the label {clash!r} is the name of an index column ({', '.join(index)}); give another")
    taken, labelled = {*index, *given}, []
    for label, call, schedule in read:
        if label is None:
            command = BY_NAME[call.split("(", 1)[0].strip()].command
            label = next(
                name
                for number in itertools.count(1)
                if (name := command if number == 1 else f"{command}-{number}") not in taken
            )
            taken.add(label)
        labelled.append((label, schedule))
    return labelled


def make_compare_command() -> Callable[..., None]:
    """``lrcli compare SPEC SPEC…``: the shared options, and the specs."""
    shared = shared_options(None) + LOOP_OPTIONS
    specs = option("specs", Annotated[list[str], typer.Argument(metavar="SPEC", hidden=True, show_default=False)])

    def command(specs: list[str], **options) -> None:
        if len(specs) < 2:
            raise UsageProblem("compare needs two schedules or more")
        show(labelled_specs(specs, options["steps"], options["steps_per_epoch"]), *records(options))

    return with_signature(command, [specs, *shared])
