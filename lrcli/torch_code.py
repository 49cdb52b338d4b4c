"""The same schedule in PyTorch: as a script to paste into a training script (``--emit torch``),
and as real torch objects to check lrcli against (``--verify``).

Both take a scheduler's arguments from its description, so that the call is torch's own: the
class, the keyword arguments lrcli was given (in steps), lambdas as Python lambdas of the same
expression, compositions built from their children. The script prints lrcli's CSV (header and
rows, floats in lrcli's text form, :func:`csv_float`), stepping where the schedule steps: once per
epoch, or once per optimizer step in the batch loop. Torch itself is imported only by
:func:`verify`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import TypeVar

from lrcli.registry.description import Builder, Param
from lrcli.replay import Replay
from lrcli.schedules import Schedule


def csv_float(value):
    """``value`` as lrcli's CSV writes it: repr's digits, plain decimals from 1e-5, no zero padding the exponent."""
    digits, _, exponent = repr(value).partition("e")
    if not exponent:
        return digits
    if int(exponent) != -5:
        return f"{digits}e{int(exponent):+d}"
    sign, digits = ("-", digits[1:]) if digits.startswith("-") else ("", digits)
    return sign + "0.0000" + digits.replace(".", "")


_Rendered = TypeVar("_Rendered")


def _code(schedule: Schedule) -> Builder:
    """How ``schedule``'s family builds and steps it (the command line refuses --emit and --verify
    for a family that writes no code)."""
    family = schedule.description.family
    assert family is not None and family.code is not None
    return family.code


def _arguments(schedule: Schedule, render: Callable[[Param, object], _Rendered]) -> list[tuple[str, _Rendered]]:
    """The constructor's keyword arguments, each value passed through ``render(param, value)``."""
    return [
        (param.name, render(param, schedule.params[param.name]))
        for param in schedule.description.params
        if param.constructor and param.name in schedule.params
    ]


class _Script:
    """Lines of Python that build the schedulers, each bound to a name."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.imports: set[str] = set()
        self.count = 0

    def build(self, schedule: Schedule) -> str:
        """Lines that construct ``schedule`` on ``optimizer``, as its family's users build it; the
        name it is bound to."""
        arguments = _arguments(schedule, lambda param, value: param.type.code(value, self.build))
        self.count += 1  # after the children, which are built first
        name = f"scheduler_{self.count}"
        imports, lines = _code(schedule).source(schedule, arguments, name)
        self.imports.update(imports)
        self.lines += lines
        return name


_STEP_ARGUMENTS = {"count": "row + 1", "metric": "metrics[row]"}
_MOMENTUM = {False: 'group["momentum"]', True: 'group["betas"][0]'}
"""Where the optimizer holds the momentum a scheduler cycles: SGD's ``momentum``, Adam's ``betas[0]``."""


def torch_script(replay: Replay, schedule: Schedule, metrics: Sequence[float] | None = None) -> str:
    """A runnable script that builds the param groups and the scheduler in PyTorch and prints the
    rows of ``replay`` (all of them, from row 0) in lrcli's CSV form.

    >>> from lrcli.replay import replay
    >>> schedule = Schedule.of("step", step_size=3, gamma=0.1)
    >>> print(torch_script(replay(schedule, [0.1], 5), schedule), end="")  # doctest: +ELLIPSIS
    # StepLR(step_size=3) as lrcli shows it, computed by PyTorch itself.
    import torch
    from torch.optim import lr_scheduler
    <BLANKLINE>
    <BLANKLINE>
    def csv_float(value):...
    <BLANKLINE>
    parameters = [torch.nn.Parameter(torch.zeros(1)) for _ in range(1)]
    optimizer = torch.optim.SGD([{"params": [p], "lr": lr} for p, lr in zip(parameters, [0.1])], lr=0.1, momentum=0.9)
    scheduler_1 = lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.1)
    scheduler = scheduler_1
    <BLANKLINE>
    print('epoch,lr')
    for row in range(5):
        values = [group["lr"] for group in optimizer.param_groups]
        print(",".join([str(row), *map(csv_float, values)]))
        optimizer.step()
        if row < 4:  # no step after the last row: it may be one torch refuses
            scheduler.step()
    """
    per_epoch = replay.steps_per_epoch if replay.per_step else None
    script = _Script()
    top = script.build(schedule)
    uses_lambda = any(line for line in script.lines if "lambda epoch" in line)
    lines = [f"# {replay.brief_title} as lrcli shows it, computed by PyTorch itself.", "import torch"]
    if uses_lambda:
        lines.append("from math import *  # lr_lambda expressions mean what they mean after this")
    lines += ["from torch.optim import lr_scheduler", *sorted(script.imports), "", "", inspect.getsource(csv_float), ""]
    if uses_lambda:
        lines.append(f"steps_per_epoch = {per_epoch or 1}")
    code = _code(schedule)
    optimizer, keywords = ("Adam", "") if code.betas else ("SGD", ", momentum=0.9")
    lines += [
        f"parameters = [torch.nn.Parameter(torch.zeros(1)) for _ in range({replay.groups})]",
        f'optimizer = torch.optim.{optimizer}([{{"params": [p], "lr": lr}} for p, lr in zip(parameters, '
        f"{replay.base_lrs!r})], lr={replay.base_lrs[0]!r}{keywords})",
        *script.lines,
        f"scheduler = {top}",
    ]
    if metrics is not None:
        lines.append(f"metrics = {list(metrics[: max(replay.limit - 1, 0)])!r}")
    lines += ["", f"print({','.join(replay.columns)!r})", f"for row in range({replay.limit}):"]
    values = '[group["lr"] for group in optimizer.param_groups]'
    if replay.momentum:
        values += f" + [{_MOMENTUM[code.betas]} for group in optimizer.param_groups]"
    index = "str(row)" + (f", str(row // {per_epoch})" if per_epoch else "")
    method, passed = code.stepping(schedule, metrics is not None)
    step = f"scheduler.{method}({', '.join(_STEP_ARGUMENTS[argument] for argument in passed)})"
    lines += [
        f"    values = {values}",
        f'    print(",".join([{index}, *map(csv_float, values)]))',
        "    optimizer.step()",
        f"    if row < {replay.limit - 1}:  # no step after the last row: it may be one torch refuses",
        f"        {step}",
    ]
    return "\n".join(lines) + "\n"


class LibraryMissing(Exception):
    """A library ``--verify`` needs cannot be imported."""


def framework_module(name: str, code: Builder):
    """The module ``name`` (``torch.optim.lr_scheduler``, ``transformers``, ``timm.scheduler``),
    imported as the family's ``code`` imports it; or :class:`LibraryMissing`, naming the library.

    >>> framework_module("no_such_library.scheduler", Builder())
    Traceback (most recent call last):
    ...
    lrcli.torch_code.LibraryMissing: --verify needs no_such_library, and it cannot be imported here (No module named 'no_such_library'); pip install no_such_library
    """
    library = name.partition(".")[0]
    try:
        return code.module(name)
    except Exception as error:  # importing a library can fail in any way: name the library
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise LibraryMissing(
            f"--verify needs {library}, and it cannot be imported here ({detail}); pip install {library}"
        ) from None


def _modules(schedule: Schedule) -> dict[str, Builder]:
    """The modules that define ``schedule`` and the schedulers it holds, and how each is imported."""
    return {schedule.description.module: _code(schedule)} | {
        module: code for child in schedule.children for module, code in _modules(child).items()
    }


def torch_scheduler(schedule: Schedule, optimizer):
    """``schedule`` as a real torch scheduler on ``optimizer``: the same arguments, lambdas
    compiled by lrcli's expression language (never Python's eval of the text)."""
    names = {"steps_per_epoch": schedule.steps_per_epoch or 1}

    def render(param, value):
        return param.type.torch(value, lambda child: torch_scheduler(child, optimizer), names)

    code = _code(schedule)
    module = framework_module(schedule.description.module, code)
    return code.build(module, schedule, _arguments(schedule, render), optimizer)


def verify(replay: Replay, schedule: Schedule, metrics: Sequence[float] | None = None) -> tuple[int, str | None]:
    """Step real torch through the rows of ``replay`` (from row 0 to the last shown) and compare
    every value with lrcli's as floats, a chunk at a time (so any horizon is checked in flat
    memory): the number of rows compared and the first difference."""
    import warnings

    for module, code in sorted(_modules(schedule).items()):  # every library needed, before anything is run
        framework_module(module, code)
    import torch

    code = _code(schedule)
    parameters = [torch.nn.Parameter(torch.zeros(1)) for _ in range(replay.groups)]
    groups = [{"params": [p], "lr": lr} for p, lr in zip(parameters, replay.base_lrs)]
    if code.betas:
        optimizer = torch.optim.Adam(groups, lr=replay.base_lrs[0])
    else:
        optimizer = torch.optim.SGD(groups, lr=replay.base_lrs[0], momentum=0.9)
    method, passed = code.stepping(schedule, metrics is not None)
    metric_values: Sequence[float] = () if metrics is None else metrics  # read only when stepping() passes them
    compared = row = 0  # torch's lrs are those of row `row`
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scheduler = torch_scheduler(schedule, optimizer)
        for chunk in replay.chunks():
            for offset, shown in enumerate(chunk.rows):
                while row < shown:
                    optimizer.step()
                    getattr(scheduler, method)(
                        *[row + 1 if argument == "count" else metric_values[row] for argument in passed]
                    )
                    row += 1
                theirs = [group["lr"] for group in optimizer.param_groups]
                if replay.momentum:
                    theirs += [
                        group["betas"][0] if code.betas else group["momentum"] for group in optimizer.param_groups
                    ]
                ours = [values[offset] for values in chunk.series]
                compared += 1
                if ours != theirs:
                    return compared, f"{replay.unit} {shown}: lrcli {ours!r}, torch {theirs!r}"
    return compared, None
