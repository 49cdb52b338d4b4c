"""The golden cases that are lrcli command lines (torch, transformers, timm and mmengine): each pairs
lrcli's arguments (without --format) with the reference it stands for, replayed here on real
torch, and is written as ``<case>.csv`` with lrcli's CSV header, floats as Python's repr. The
family's manifest.json maps every case to its arguments and names the versions.

A reference is a torch scheduler factory (``optimizer → scheduler``): an SGD optimizer (momentum
0.9) with one param group per ``--lr`` is built, every group's lr (and momentum, for
``--show-momentum``) recorded, then ``optimizer.step(); scheduler.step()`` called (for
ReduceLROnPlateau ``scheduler.step(metric)``), for as many rows as lrcli shows. A
:class:`Framework` reference also says how its framework counts, or runs the framework's own loop;
a :class:`Compare` holds labelled references, side by side. The metric files the plateau cases read
are written first (``{metrics}`` in an argument).
"""

from __future__ import annotations

import math
import pathlib
import warnings
from collections.abc import Callable

import torch

from . import harness


class Framework:
    """A reference made by a framework's own entry point (called as a factory, ``optimizer →
    scheduler``, unless :meth:`run` gives the rows), and how the framework counts."""

    rows: int | None = None
    """How many rows lrcli shows by default: the framework's own length (None: lrcli's default)."""
    per_epoch: int | None = None
    """Optimizer steps per epoch as the framework counts them: the index's epoch column."""
    own_length = False
    """Whether ``rows`` holds even when the command line gives --epochs (timm's train.py)."""
    in_steps = False
    """Whether the index counts steps whatever the options (the Trainer's)."""
    columns: list[str] | None = None
    """The names of the values (None: lr, and momentum with --show-momentum)."""

    def run(self) -> list[list[float]] | None:
        """The rows, where the framework runs its own loop (None: torch steps the factory here)."""
        return None


class FrameworkResume(Framework):
    """``framework``'s run (a factory, ``optimizer → scheduler``) on an optimizer with these
    ``lrs``, interrupted after row ``at - 1`` (the optimizer's and the scheduler's state saved
    then) and resumed as the framework does it: ``resume(optimizer, saved_optimizer,
    saved_scheduler)`` on a new optimizer gives the scheduler that steps from row ``at`` on."""

    def __init__(self, framework: Framework, lrs: list[float], at: int, resume: Callable):
        self.framework, self.lrs, self.at, self.resume = framework, lrs, at, resume
        for name in ("rows", "per_epoch", "own_length", "in_steps", "columns"):
            setattr(self, name, getattr(framework, name))

    def run(self) -> list[list[float]]:
        import copy

        optimizer = optimizer_of(self.lrs)
        scheduler = self.framework(optimizer)
        rows = []
        for _ in range(self.at):
            rows.append([group["lr"] for group in optimizer.param_groups])
            optimizer.step()
            scheduler.step()
        saved_optimizer = copy.deepcopy(optimizer.state_dict())
        saved_scheduler = copy.deepcopy(scheduler.state_dict()) if hasattr(scheduler, "state_dict") else None
        optimizer = optimizer_of(self.lrs)
        scheduler = self.resume(optimizer, saved_optimizer, saved_scheduler)
        for row in range(self.at, self.rows):
            rows.append([group["lr"] for group in optimizer.param_groups])
            optimizer.step()
            if row < self.rows - 1:
                scheduler.step()
        return rows


class Loop:
    """A reference that runs a training loop of its own over torch schedulers (resumed, stepped
    in another order or with an epoch): :meth:`rows` gives every group's lr for ``count`` rows,
    each group's initial lr one of ``lrs``."""

    def rows(self, lrs: list[float], count: int) -> list[list[float]]:
        raise NotImplementedError


def optimizer_of(lrs: list[float]) -> torch.optim.Optimizer:
    """An SGD optimizer (momentum 0.9) with one param group per lr."""
    param_groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in lrs]
    return torch.optim.SGD(param_groups, lr=lrs[0], momentum=0.9)


class Compare:
    """The reference for ``lrcli compare``: each labelled reference on an optimizer of its own,
    over the rows the command line gives (``--epochs`` or ``--steps``); one column each."""

    def __init__(self, **labelled):
        self.labelled = labelled


def metric_files() -> None:
    """Deterministic, noisy metrics for ReduceLROnPlateau: a falling loss and a rising accuracy."""
    loss = [1.0 / (1 + 0.01 * k) + 0.05 * math.sin(0.7 * k) for k in range(4000)]
    accuracy = [min(0.99, 0.5 + 0.0005 * k) + 0.01 * math.cos(1.3 * k) for k in range(4000)]
    harness.METRICS.mkdir(parents=True, exist_ok=True)
    (harness.METRICS / "metrics_loss.txt").write_text("".join(f"{value!r}\n" for value in loss))
    rows = "".join(f"{k},{value!r},{a!r}\n" for k, (value, a) in enumerate(zip(loss, accuracy)))
    (harness.METRICS / "metrics.csv").write_text("epoch,val_loss,val_acc\n" + rows)


def metrics_of(arguments: list[str]) -> list[float] | None:
    source = option_values(arguments, "--metrics")
    if not source:
        return None
    text = pathlib.Path(harness.expand(source[0])).read_text().splitlines()
    column = option_values(arguments, "--column")
    if not column:
        return [float(line) for line in text if line.strip()]
    index = text[0].split(",").index(column[0])
    return [float(line.split(",")[index]) for line in text[1:] if line.strip()]


def option_values(arguments: list[str], option: str) -> list[str]:
    return [arguments[i + 1] for i, word in enumerate(arguments) if word == option]


def replay_torch(arguments: list[str], factory) -> list[list[float]]:
    """Rows of every group's lr (then momentum, with --show-momentum), as torch sets them."""
    rows = own_rows(factory)
    if rows is not None:
        return rows
    lrs = [float(text) for text in option_values(arguments, "--lr")] or [0.1]
    groups = max(len(lrs), len(option_values(arguments, "--max-lr")), 1)
    lrs = lrs if len(lrs) == groups else [lrs[0]] * groups
    steps_per_epoch = int((option_values(arguments, "--steps-per-epoch") or ["1"])[0])
    steps = option_values(arguments, "--steps")
    epochs = int(steps[0]) if steps else int((option_values(arguments, "--epochs") or ["10"])[0]) * steps_per_epoch
    first = next(iter(factory.labelled.values())) if isinstance(factory, Compare) else factory
    if (
        isinstance(first, Framework)
        and first.rows is not None
        and not steps
        and (first.own_length or not option_values(arguments, "--epochs"))
    ):
        epochs = first.rows  # the framework's own length (the Trainer's steps, what timm's train.py trains)
    momentum = "--show-momentum" in arguments
    metrics = metrics_of(arguments)
    if isinstance(factory, Compare):  # the parts side by side, each on its own optimizer
        parts = [own_rows(each) or stepped(each, lrs, epochs, momentum, metrics) for each in factory.labelled.values()]
        return [[value for part in row for value in part] for row in zip(*parts)]
    return stepped(factory, lrs, epochs, momentum, metrics)


def own_rows(factory) -> list[list[float]] | None:
    """The rows of a :class:`Framework` that runs its own loop (None: torch steps it here)."""
    return factory.run() if isinstance(factory, Framework) else None


def stepped(factory, lrs: list[float], epochs: int, momentum: bool, metrics: list[float] | None) -> list[list[float]]:
    """``epochs`` rows of the scheduler ``factory`` builds on an SGD optimizer, one group per lr
    (or of the loop a :class:`Loop` runs)."""
    if isinstance(factory, Loop):
        return factory.rows(lrs, epochs)
    optimizer = optimizer_of(lrs)
    scheduler = factory(optimizer)
    rows = []
    for epoch in range(epochs):
        row = [group["lr"] for group in optimizer.param_groups]
        if momentum:
            row += [group["momentum"] for group in optimizer.param_groups]
        rows.append(row)
        optimizer.step()
        if epoch < epochs - 1:  # the step after the last row may be one torch refuses (OneCycleLR)
            scheduler.step() if metrics is None else scheduler.step(metrics[epoch])
    return rows


def select_rows(arguments: list[str], rows: list[list[float]], groups: int) -> list[int]:
    """The row numbers lrcli's selection options keep, computed here on the whole run."""
    numbers = list(range(len(rows)))
    at = option_values(arguments, "--at")
    if at:  # negative rows count from the end
        return sorted({int(text) + len(rows) * (int(text) < 0) for text in at[0].split(",")})
    start, stop = (option_values(arguments, option) for option in ("--start", "--stop"))
    window = numbers[slice(int(start[0]) if start else None, int(stop[0]) if stop else None)]
    every = option_values(arguments, "--every")
    if every:
        kept = window[:: int(every[0])]
        return kept + [window[-1]] * (kept[-1] != window[-1])
    if "--changes" in arguments:
        kept = [row for row in window if row == window[0] or rows[row][:groups] != rows[row - 1][:groups]]
        return kept + [window[-1]] * (kept[-1] != window[-1])
    return window


def write_case(folder: pathlib.Path, name: str, arguments: list[str], factory) -> None:
    rows = replay_torch(arguments, factory)
    names = ["lr", "momentum"] if "--show-momentum" in arguments else ["lr"]
    if isinstance(factory, Framework) and factory.columns:
        names = factory.columns
    groups = len(rows[0]) // len(names)
    values = [f"{n}_{g}" if groups > 1 else n for n in names for g in range(groups)]
    if isinstance(factory, Compare):
        groups = len(rows[0]) // len(factory.labelled)
        values = [f"{n}_{g}" if groups > 1 else n for n in factory.labelled for g in range(groups)]
        factory = next(iter(factory.labelled.values()))  # the first schedule's rows are the index's
    steps_per_epoch = option_values(arguments, "--steps-per-epoch")
    if isinstance(factory, Framework):  # optimizer steps per epoch as the framework counts them
        steps_per_epoch = [str(factory.per_epoch)] if factory.per_epoch else []
    per_step = bool(
        steps_per_epoch or option_values(arguments, "--steps") or (isinstance(factory, Framework) and factory.in_steps)
    )
    index = (["step", "epoch"] if steps_per_epoch else ["step"]) if per_step else ["epoch"]
    per = int(steps_per_epoch[0]) if steps_per_epoch else None
    kept = (
        [k, k // per, *map(float, rows[k])] if per else [k, *map(float, rows[k])]
        for k in select_rows(arguments, rows, groups)
    )
    harness.write_csv(folder / f"{name}.csv", index + values, kept, len(index))


def main(
    family: str,
    description: str,
    cases: dict,
    versions: Callable[[], dict],
    long: dict | None = None,
    also: tuple[Callable[[], None], ...] = (),
) -> None:
    """Write ``family``'s cases (with --long, also the ``long`` ones; --only names any), the
    metric files, what ``also`` writes, and the manifest of every case with ``versions()``."""
    parser = harness.parser(description)
    if long:
        parser.add_argument("--long", action="store_true", help=f"also {', '.join(long)} (takes minutes)")
    options = parser.parse_args()
    warnings.simplefilter("ignore")
    folder = harness.folder(family)
    folder.mkdir(parents=True, exist_ok=True)
    metric_files()
    for write in also:
        write()
    everything = {**cases, **(long or {})}
    [picked] = harness.chosen(options.only, everything if options.only or getattr(options, "long", False) else cases)
    for name, (arguments, factory) in picked.items():
        write_case(folder, name, arguments, factory)
    document = {"cases": {name: arguments for name, (arguments, _) in everything.items()}, "versions": versions()}
    harness.write_manifest(family, document)
    print(f"wrote {len(picked)} cases with torch {torch.__version__} to {folder}")
