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
from collections.abc import Sequence

from lrcli.expression import compile_lambda
from lrcli.replay import Replay
from lrcli.schedule import Schedule


def csv_float(value):
    """``value`` as lrcli's CSV writes it: repr's digits, plain decimals from 1e-5, no zero padding the exponent."""
    digits, _, exponent = repr(value).partition("e")
    if not exponent:
        return digits
    if int(exponent) != -5:
        return f"{digits}e{int(exponent):+d}"
    sign, digits = ("-", digits[1:]) if digits.startswith("-") else ("", digits)
    return sign + "0.0000" + digits.replace(".", "")


def _arguments(schedule: Schedule, render) -> list[tuple[str, object]]:
    """The constructor's keyword arguments, each value passed through ``render(param, value)``."""
    return [(param.name, render(param, schedule.params[param.name])) for param in schedule.description.params
            if param.constructor and param.name in schedule.params]


class _Script:
    """Lines of Python that build the schedulers, each bound to a name."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.imports: set[str] = set()
        self.count = 0

    def build(self, schedule: Schedule) -> str:
        """Lines that construct ``schedule`` on ``optimizer``; the name it is bound to."""

        def render(param, value) -> str:
            if param.type == "schedulers":
                return "[" + ", ".join(self.build(child) for child in value) + "]"
            if param.type == "expression":
                texts = value if isinstance(value, list) else [value]
                lambdas = [f"lambda epoch: ({text})" for text in texts]
                return "[" + ", ".join(lambdas) + "]" if isinstance(value, list) else lambdas[0]
            return repr(value)

        description = schedule.description
        if description.family == "timm":
            self.count += 1
            name = f"scheduler_{self.count}"
            self.imports.add("from types import SimpleNamespace")
            self.imports.add("from timm.scheduler import create_scheduler_v2, scheduler_kwargs")
            flags, per = _train_py_flags(schedule)
            args = ", ".join(f"{flag}={value!r}" for flag, value in flags.items())
            self.lines.append(f"args = SimpleNamespace({args})  # train.py's flags")
            self.lines.append(f"{name}, num_epochs = create_scheduler_v2(optimizer, **scheduler_kwargs(args), "
                              f"updates_per_epoch={per})")
            return name
        function, positional, keywords, extra = _call(schedule, _arguments(schedule, render))
        arguments = [*positional, *(f"{name}={text}" for name, text in keywords)]
        if extra:
            arguments.append("scheduler_specific_kwargs={" + ", ".join(f"{name!r}: {text}" for name, text in extra) + "}")
        self.count += 1  # after the children, which are built first
        name = f"scheduler_{self.count}"
        if description.module == "torch.optim.lr_scheduler":
            call = f"lr_scheduler.{function}"
        else:
            call = function
            self.imports.add(f"from {description.module} import {function}")
        self.lines.append(f"{name} = {call}({', '.join(arguments)})")
        return name


def _train_py_flags(schedule: Schedule) -> tuple[dict[str, object], int]:
    """A timm schedule as train.py's flags (``sched`` first) for ``scheduler_kwargs``, and the
    ``updates_per_epoch`` train.py passes beside them (the metrics are stepped, not flags). Every
    flag the scheduler reads is given, train.py's default where a spec leaves it out:
    ``scheduler_kwargs`` has defaults of its own for a missing flag, which are not train.py's.

    >>> from lrcli.registry import BY_COMMAND
    >>> _train_py_flags(Schedule(BY_COMMAND["timm.multistep"], {"epochs": 200}))[0]["decay_milestones"]
    [90, 180, 270]
    """
    params = {}
    for param in schedule.description.params:
        if param.name != "metrics":
            value = schedule.params.get(param.name, param.default)
            params[param.name] = list(value) if isinstance(value, tuple) else value
    per = params.pop("updates_per_epoch", 0)
    return {"sched": schedule.description.type, **params}, per


def _stepping(schedule: Schedule, metrics: bool) -> tuple[str, tuple[str, ...]]:
    """How the training loop steps the scheduler after row ``row``: the method and what it is
    passed, each ``"count"`` (``row + 1``) or ``"metric"`` (``metrics[row]``). Torch's ``step()``
    (with the metric for ReduceLROnPlateau); timm's ``step(epochs done[, metric])`` or
    ``step_update(updates done)``."""
    if schedule.description.family == "timm":
        if schedule.params.get("sched_on_updates"):
            return "step_update", ("count",)
        return "step", ("count", "metric") if metrics else ("count",)
    return "step", ("metric",) if metrics else ()


_STEP_ARGUMENTS = {"count": "row + 1", "metric": "metrics[row]"}


def _call(schedule: Schedule, arguments: list[tuple[str, object]]):
    """How the framework's users build ``schedule``: the function, its positional arguments
    (the optimizer stands as ``"optimizer"``), its keywords, and the keywords it passes on in
    ``scheduler_specific_kwargs`` (transformers' get_scheduler)."""
    description = schedule.description
    if description.builder is None:
        return schedule.name, ["optimizer"] if description.takes_optimizer else [], arguments, []
    function, own = description.builder
    return (function, [repr(description.type), "optimizer"], [(name, value) for name, value in arguments if name in own],
            [(name, value) for name, value in arguments if name not in own])


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
    lines += ["from torch.optim import lr_scheduler", *sorted(script.imports), "", "",
              inspect.getsource(csv_float), ""]
    if uses_lambda:
        lines.append(f"steps_per_epoch = {per_epoch or 1}")
    lines += [
        f"parameters = [torch.nn.Parameter(torch.zeros(1)) for _ in range({replay.groups})]",
        "optimizer = torch.optim.SGD([{\"params\": [p], \"lr\": lr} for p, lr in zip(parameters, "
        f"{replay.base_lrs!r})], lr={replay.base_lrs[0]!r}, momentum=0.9)",
        *script.lines,
        f"scheduler = {top}",
    ]
    if metrics is not None:
        lines.append(f"metrics = {list(metrics[: max(replay.limit - 1, 0)])!r}")
    lines += ["", f"print({','.join(replay.columns)!r})", f"for row in range({replay.limit}):"]
    values = '[group["lr"] for group in optimizer.param_groups]'
    if replay.momentum:
        values += ' + [group["momentum"] for group in optimizer.param_groups]'
    index = "str(row)" + (f", str(row // {per_epoch})" if per_epoch else "")
    method, passed = _stepping(schedule, metrics is not None)
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


def framework_module(name: str):
    """The module ``name`` (``torch.optim.lr_scheduler``, ``transformers``, ``timm.scheduler``),
    imported; or :class:`LibraryMissing`, naming the library. Where torchvision is missing, timm's
    scheduler package is imported without timm's own ``__init__`` (which imports torchvision; the
    schedulers need only torch), as scripts/golden/timm_cases.py does.

    >>> framework_module("no_such_library.scheduler")
    Traceback (most recent call last):
    ...
    lrcli.torch_code.LibraryMissing: --verify needs no_such_library, and it cannot be imported here (No module named 'no_such_library'); pip install no_such_library
    """
    import importlib
    import importlib.util
    import sys
    import types

    library = name.partition(".")[0]

    def found(module: str) -> bool:
        try:
            return importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # a parent that is not a package, or a None in sys.modules
            return False

    if library == "timm" and "timm" not in sys.modules and found("timm") and not found("torchvision"):
        package = types.ModuleType("timm")
        package.__path__ = list(importlib.util.find_spec("timm").submodule_search_locations)
        sys.modules["timm"] = package
    try:
        return importlib.import_module(name)
    except Exception as error:  # importing a library can fail in any way: name the library
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise LibraryMissing(f"--verify needs {library}, and it cannot be imported here ({detail}); "
                             f"pip install {library}") from None


def _modules(schedule: Schedule) -> set[str]:
    """The modules that define ``schedule`` and the schedulers it holds."""
    children = schedule.params.get("schedulers")
    below = set().union(*map(_modules, children)) if isinstance(children, list) else set()
    return {schedule.description.module} | below


def torch_scheduler(schedule: Schedule, optimizer):
    """``schedule`` as a real torch scheduler on ``optimizer``: the same arguments, lambdas
    compiled by lrcli's expression language (never Python's eval of the text)."""
    names = {"steps_per_epoch": schedule.steps_per_epoch or 1}

    def render(param, value):
        if param.type == "schedulers":
            return [torch_scheduler(child, optimizer) for child in value]
        if param.type == "expression":
            texts = value if isinstance(value, list) else [value]
            functions = [compile_lambda(text, names) for text in texts]
            return functions if isinstance(value, list) else functions[0]
        return value

    module = framework_module(schedule.description.module)
    if schedule.description.family == "timm":
        from types import SimpleNamespace

        flags, per = _train_py_flags(schedule)
        return module.create_scheduler_v2(optimizer, **module.scheduler_kwargs(SimpleNamespace(**flags)),
                                          updates_per_epoch=per)[0]
    function, positional, keywords, extra = _call(schedule, _arguments(schedule, render))
    positional = [optimizer if text == "optimizer" else schedule.description.type for text in positional]
    extra = {"scheduler_specific_kwargs": dict(extra)} if extra else {}
    return getattr(module, function)(*positional, **dict(keywords), **extra)


def verify(replay: Replay, schedule: Schedule, metrics: Sequence[float] | None = None) -> tuple[int, str | None]:
    """Step real torch through the rows of ``replay`` (from row 0 to the last shown) and compare
    every value with lrcli's as floats: the number of rows compared and the first difference."""
    import warnings

    for module in sorted(_modules(schedule)):  # every library needed, before anything is run
        framework_module(module)
    import torch

    ours = {}
    for chunk in replay.chunks():
        for offset, row in enumerate(chunk.rows):
            ours[row] = [values[offset] for values in chunk.series]
    parameters = [torch.nn.Parameter(torch.zeros(1)) for _ in range(replay.groups)]
    optimizer = torch.optim.SGD([{"params": [p], "lr": lr} for p, lr in zip(parameters, replay.base_lrs)],
                                lr=replay.base_lrs[0], momentum=0.9)
    method, passed = _stepping(schedule, metrics is not None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scheduler = torch_scheduler(schedule, optimizer)
        for row in range(replay.limit):
            theirs = [group["lr"] for group in optimizer.param_groups]
            if replay.momentum:
                theirs += [group["momentum"] for group in optimizer.param_groups]
            if row in ours and ours[row] != theirs:
                return len(ours), f"{replay.unit} {row}: lrcli {ours[row]!r}, torch {theirs!r}"
            optimizer.step()
            if row < replay.limit - 1:
                getattr(scheduler, method)(*[row + 1 if argument == "count" else metrics[row] for argument in passed])
    return len(ours), None
