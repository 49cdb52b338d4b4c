"""Schedules written as calls, ``"cosine(T_max=95)"``, for ``sequential`` and ``chained``.

The name is an lrcli command or the framework's class name; the arguments are keywords with
literal values, read with :mod:`ast` (never evaluated) and checked against the scheduler's
description: each value must have its parameter's type.
"""

from __future__ import annotations

import ast
import re
from keyword import iskeyword

from lrcli.engine.core import ScheduleError
from lrcli.expression import undecodable
from lrcli.registry import BY_COMMAND, BY_NAME
from lrcli.registry.description import literal
from lrcli.schedules import Schedule, with_warmup

WARMUP_KEYWORDS = ("warmup", "warmup_start_factor")
"""lrcli's own keywords in a spec of its own (``--warmup``, ``--warmup-start-factor``)."""
LAST_EPOCH = "last_epoch"
"""torch's keyword for a scheduler constructed to resume (see :attr:`Schedule.last_epoch`)."""


def parse_spec(
    text: str, top: bool = False, parent: str | None = None, given: dict[str, object] | None = None
) -> Schedule:
    """Read ``name(keyword=literal, …)`` into a :class:`~lrcli.schedules.Schedule`.

    With ``top`` (a schedule of its own, as ``compare`` takes), compositions are specs too, their
    children calls (``sequential(schedulers=[linear(total_iters=5), cosine(T_max=95)],
    milestones=[5])``), and lrcli's ``warmup=N`` (with ``warmup_start_factor=W``) puts a warmup
    first: exact names, taken only where lrcli offers a warmup; every other keyword (timm's
    ``warmup_epochs``, transformers' ``warmup_type``) is the framework's parameter.
    ``parent`` is the composition the spec is a child of (``lrcli sequential SPEC…`` passes its
    own): compositions nest inside compositions as torch runs them. ``given`` are values no spec
    can write, read already (a plateau's metrics, given to :func:`lrcli.schedule`), for a
    schedule of its own.

    >>> parse_spec("multistep(milestones=[30, 60], gamma=0.1)").title
    'MultiStepLR(milestones=[30, 60], gamma=0.1)'
    >>> parse_spec("timm.cosine(epochs=10, warmup_epochs=2)", top=True).params
    {'epochs': 10, 'warmup_epochs': 2}
    >>> parse_spec("cosine(T_max=__import__('os'))")
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: "cosine(T_max=__import__('os'))": T_max must be a literal (a number, string, True/False or a list of them)
    """
    where = repr(text)
    if undecodable(text):
        raise ScheduleError(None, f"{where}: {undecodable(text)}")
    # The name is read apart: some of lrcli's names are not names to Python ("lambda", a keyword;
    # "cosine-restarts").
    name, parenthesis, arguments = text.strip().partition("(")
    # Inside a composition's list the children are Python calls: lrcli's names that are not
    # Python names are read as the class names they stand for.
    unreadable = sorted((command for command in BY_COMMAND if not _python_name(command)), key=len, reverse=True)
    if unreadable:
        arguments = re.sub(
            r"(?<![\w.'\"-])(" + "|".join(map(re.escape, unreadable)) + r")(?=\s*\()",
            lambda match: BY_COMMAND[match.group(1)].name,
            arguments,
        )
    try:
        tree = ast.parse("_(" + arguments, mode="eval").body if parenthesis else None
    except ValueError as error:  # an integer literal beyond Python's 4,300 digits
        raise ScheduleError(None, f"{where}: a number in it is too long to read ({str(error).split(';')[0]})") from None
    except (SyntaxError, RecursionError, MemoryError):
        tree = None
    if not isinstance(tree, ast.Call) or not isinstance(tree.func, ast.Name) or tree.func.id != "_":
        raise ScheduleError(None, f"{where} is not a call like cosine(T_max=95)")
    description = BY_NAME.get(name.strip())
    if description is None:
        known_names = ", ".join(command for command, known in BY_COMMAND.items() if known.composable)
        raise ScheduleError(
            None, f"{where}: unknown scheduler {name.strip()!r} (use one of {known_names}, or torch's class name)"
        )
    if (description.spec_refusal and not given) or not (
        description.composable or top or description.composition and parent
    ):
        reason = description.spec_refusal or (
            "compositions cannot be nested here"
            if description.composition
            else f"{description.name} is not a torch LRScheduler, so torch's compositions cannot hold it"
        )
        raise ScheduleError(None, f"{where}: {reason}")
    # lrcli's own keywords, exact names, only where lrcli offers a warmup and the framework has no
    # parameter of that name: every other keyword is the framework's parameter.
    own = [name for name in WARMUP_KEYWORDS if top and description.warmup and name not in description.names]
    if (
        description.family is not None and description.family.loop and description.takes_optimizer
    ):  # torch's LRScheduler takes it
        own.append(LAST_EPOCH)
    names = description.names + own
    if tree.args or any(keyword.arg is None for keyword in tree.keywords):
        raise ScheduleError(None, f"{where}: give parameters as keywords, e.g. {description.command}({names[0]}=…)")
    params: dict[str, object] = {}
    warmup: dict[str, object] = {}
    for keyword in tree.keywords:
        assert keyword.arg is not None  # a **mapping is refused above
        if keyword.arg not in names:
            raise ScheduleError(
                None, f"{where}: {description.name} has no parameter {keyword.arg!r} (it takes {', '.join(names)})"
            )
        if keyword.arg in params or keyword.arg in warmup:
            raise ScheduleError(None, f"{where}: {keyword.arg} is given twice")
        if keyword.arg in own:
            warmup[keyword.arg] = literal(keyword.value, f"{where}: {keyword.arg}")
            continue
        param = description.param(keyword.arg)
        params[keyword.arg] = param.type.from_spec(
            param, keyword.value, where, lambda child: parse_spec(child, parent=description.command)
        )
    for name, value in (given or {}).items():
        if name not in description.names:
            raise ScheduleError(name, f"is no parameter of {description.name}", where=where)
        params[name] = value
    missing = [param.name for param in description.params if param.required and param.name not in params]
    if missing:
        raise ScheduleError(None, f"{where}: {description.name} needs {', '.join(missing)}")
    last_epoch = warmup.pop(LAST_EPOCH, -1)
    if last_epoch != -1:
        if isinstance(last_epoch, bool) or not isinstance(last_epoch, int) or last_epoch < -1:
            raise ScheduleError(None, f"{where}: last_epoch must be a whole number >= -1, got {last_epoch!r}")
        if parent is not None or warmup:
            raise ScheduleError(
                None, f"{where}: last_epoch inside a composition (or after warmup=N): lrcli does not replay that"
            )
    schedule = Schedule(description, params, text, last_epoch=last_epoch)
    if warmup:
        if "warmup" not in warmup:
            raise ScheduleError(None, f"{where}: warmup_start_factor is where warmup=N starts; give warmup too")
        try:
            return with_warmup(schedule, warmup["warmup"], warmup.get("warmup_start_factor"))
        except ScheduleError as error:
            raise ScheduleError(None, f"{where}: {error}") from None
    return schedule


def _python_name(command: str) -> bool:
    """Whether Python reads ``command`` as a (dotted) name.

    >>> _python_name("transformers.cosine"), _python_name("cosine-restarts"), _python_name("lambda")
    (True, False, False)
    """
    return all(part.isidentifier() and not iskeyword(part) for part in command.split("."))
