"""Every torch scheduler lrcli knows, under its command name and torch's class name, and the
parsing of schedules written as calls (``"cosine(T_max=95)"``) for ``sequential`` and ``chained``.

Parameters travel under torch's names everywhere: the commands' options are those names in
kebab-case, specs use them as keywords, and JSON output lists them.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

from lrcli import schedules
from lrcli.expression import compile_lambda
from lrcli.schedules import Scheduler, ScheduleError


@dataclass(frozen=True)
class Kind:
    """One torch scheduler: its lrcli command, torch class, engine function, the parameters
    torch takes once per param group, those that are ``--lr-lambda`` expressions, and whether
    it sets the group's lr itself (so that the optimizer's lr does not matter)."""

    command: str
    torch_name: str
    build: Callable[..., Scheduler]
    per_group: frozenset[str] = field(default_factory=frozenset)
    expressions: frozenset[str] = field(default_factory=frozenset)
    ignores_lr: bool = False

    def parameters(self) -> list[str]:
        return list(inspect.signature(self.build).parameters)


KINDS = {
    kind.command: kind
    for kind in [
        Kind("lambda", "LambdaLR", schedules.lambda_lr, frozenset({"lr_lambda"}), frozenset({"lr_lambda"})),
        Kind("multiplicative", "MultiplicativeLR", schedules.multiplicative_lr, frozenset({"lr_lambda"}),
             frozenset({"lr_lambda"})),
        Kind("step", "StepLR", schedules.step_lr),
        Kind("multistep", "MultiStepLR", schedules.multistep_lr),
        Kind("constant", "ConstantLR", schedules.constant_lr),
        Kind("linear", "LinearLR", schedules.linear_lr),
        Kind("exp", "ExponentialLR", schedules.exponential_lr),
        Kind("poly", "PolynomialLR", schedules.polynomial_lr),
        Kind("cosine", "CosineAnnealingLR", schedules.cosine_annealing_lr),
        Kind("cosine-restarts", "CosineAnnealingWarmRestarts", schedules.cosine_annealing_warm_restarts),
        Kind("cyclic", "CyclicLR", schedules.cyclic_lr,
             frozenset({"base_lr", "max_lr", "base_momentum", "max_momentum"}), ignores_lr=True),
        Kind("onecycle", "OneCycleLR", schedules.one_cycle_lr,
             frozenset({"max_lr", "base_momentum", "max_momentum"}), ignores_lr=True),
    ]
}
_BY_NAME = {**KINDS, **{kind.torch_name: kind for kind in KINDS.values()}}
_UNCOMPOSABLE = {
    **dict.fromkeys(["plateau", "ReduceLROnPlateau"], "torch's SequentialLR and ChainedScheduler refuse ReduceLROnPlateau"),
    **dict.fromkeys(["sequential", "SequentialLR", "chained", "ChainedScheduler"], "compositions cannot be nested here"),
}


def groups_implied(kind: Kind, params: dict[str, object]) -> int:
    """How many param groups a scheduler that sets the lr itself implies by the per-group
    parameters given as lists (1 if none, and for every other scheduler: --lr counts those)."""
    lengths = [len(value) for name, value in params.items() if name in kind.per_group and isinstance(value, list)]
    return max(lengths) if kind.ignores_lr and lengths else 1


def configure(kind: Kind, params: dict[str, object], groups: int) -> list[Scheduler]:
    """One scheduler per param group from torch-named ``params``; a per-group parameter may be a
    list with one value per group. Expressions are compiled once."""
    unknown = [name for name in params if name not in kind.parameters()]
    if unknown:
        raise ScheduleError(None, f"{kind.torch_name} has no parameter {unknown[0]!r} "
                                  f"(it takes {', '.join(kind.parameters())})")
    columns = {}
    for name, value in params.items():
        values = value if name in kind.per_group and isinstance(value, list) else [value]
        if len(values) not in (1, groups):
            raise ScheduleError(name, f"was given {len(values)} values for {groups} param "
                                      f"group{'s' if groups != 1 else ''}; give one, or one per group")
        if name in kind.expressions:
            values = [compile_lambda(text) for text in values]
        columns[name] = values * groups if len(values) == 1 else values
    return [kind.build(**{name: values[group] for name, values in columns.items()}) for group in range(groups)]


@dataclass(frozen=True)
class Spec:
    """A schedule written as a call: which scheduler, and its parameters as given."""

    kind: Kind
    params: dict[str, object]


def parse_spec(text: str) -> Spec:
    """Read ``name(keyword=literal, …)``; ``name`` is an lrcli command or a torch class name.

    >>> parse_spec("multistep(milestones=[30, 60], gamma=0.1)")  # doctest: +ELLIPSIS
    Spec(kind=Kind(command='multistep', ...), params={'milestones': [30, 60], 'gamma': 0.1})
    >>> parse_spec("cosine(T_max=__import__('os'))")
    Traceback (most recent call last):
    ...
    lrcli.schedules.ScheduleError: "cosine(T_max=__import__('os'))": T_max must be a literal (a number, string, True/False or a list of them)
    """
    where = repr(text)
    # The name is read apart: lrcli's names include "lambda" (a Python keyword) and
    # "cosine-restarts", which Python would not read as one name.
    name, parenthesis, arguments = text.strip().partition("(")
    try:
        tree = ast.parse("_(" + arguments, mode="eval").body if parenthesis else None
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        tree = None
    if not isinstance(tree, ast.Call) or not isinstance(tree.func, ast.Name) or tree.func.id != "_":
        raise ScheduleError(None, f"{where} is not a call like cosine(T_max=95)")
    name = name.strip()
    if name in _UNCOMPOSABLE:
        raise ScheduleError(None, f"{where}: {_UNCOMPOSABLE[name]}")
    kind = _BY_NAME.get(name)
    if kind is None:
        names = ", ".join(KINDS)
        raise ScheduleError(None, f"{where}: unknown scheduler {name!r} (use one of {names}, or torch's class name)")
    if tree.args or any(keyword.arg is None for keyword in tree.keywords):
        raise ScheduleError(None, f"{where}: give parameters as keywords, e.g. {kind.command}({kind.parameters()[0]}=…)")
    params = {}
    for keyword in tree.keywords:
        if keyword.arg not in kind.parameters():
            raise ScheduleError(None, f"{where}: {kind.torch_name} has no parameter {keyword.arg!r} "
                                      f"(it takes {', '.join(kind.parameters())})")
        params[keyword.arg] = _literal(keyword.value, f"{where}: {keyword.arg}")
    return Spec(kind, params)


def _literal(node: ast.expr, where: str) -> object:
    """A number, string, bool or list of them: ``ast.literal_eval``'s values, minus the rest."""
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        value = None
    items = value if isinstance(value, list) else [value]
    if value is None or not all(isinstance(item, (int, float, str, bool)) for item in items):
        raise ScheduleError(None, f"{where} must be a literal (a number, string, True/False or a list of them)")
    return value
