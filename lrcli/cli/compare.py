"""``lrcli compare``: several schedules over the same rows, side by side, each written as a
labelled spec."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

import typer

from lrcli.cli.options import option, shared_options, with_signature
from lrcli.cli.show import UsageProblem, records, show
from lrcli.registry import BY_NAME
from lrcli.schedule import Schedule

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
first. Labels default to the command's name, numbered when repeated."""


def labelled_specs(texts: list[str]) -> list[tuple[str, Schedule]]:
    """Each spec read (compositions and warmup allowed) with its label, given or made: the
    command's name, numbered from the second time it appears.

    >>> [label for label, _ in labelled_specs(["step(step_size=3)", "fast=exp(gamma=0.5)", "StepLR(step_size=9)"])]
    ['step', 'fast', 'step-2']
    """
    from lrcli.spec import parse_spec

    labelled, seen = [], {}
    for text in texts:
        match = LABEL.match(text) if "(" not in text.split("=", 1)[0] else None
        schedule = parse_spec(text[match.end():] if match else text, top=True)
        label = match.group(1) if match else None
        if label is None:  # the command the call names (not the SequentialLR a warmup=N makes of it)
            command = BY_NAME[text.split("(", 1)[0].strip()].command
            seen[command] = seen.get(command, 0) + 1
            label = command if seen[command] == 1 else f"{command}-{seen[command]}"
        labelled.append((label, schedule))
    labels = [label for label, _ in labelled]
    repeated = next((label for label in labels if labels.count(label) > 1), None)
    if repeated:
        raise UsageProblem(f"the label {repeated!r} is given to two schedules")
    return labelled


def make_compare_command() -> Callable[..., None]:
    """``lrcli compare SPEC SPEC…``: the shared options, and the specs."""
    shared = shared_options(None)
    specs = option("specs", Annotated[list[str], typer.Argument(metavar="SPEC", hidden=True, show_default=False)])

    def command(specs: list[str], **options) -> None:
        if len(specs) < 2:
            raise UsageProblem("compare needs two schedules or more")
        show(labelled_specs(specs), *records(options))

    return with_signature(command, [specs, *shared])
