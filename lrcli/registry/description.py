"""What the registry is made of: a :class:`Family` (a framework: its commands, how they are
mounted on the command line, how its code is written) holding one :class:`Description` per
scheduler, whose :class:`Param` each have a :class:`ParamType` that owns everything its values
need (options, parsing, spec literals and their errors, code).

Nothing here names a framework: the family modules beside this one (``torch``, ``transformers``,
``timm``, ``mmengine``) describe theirs with these records, and the generic modules (the command
line, specs, schedules, emitted code) read only the records.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from types import GenericAlias
from typing import TYPE_CHECKING, Literal, Optional, cast, overload

from lrcli.engine.core import ScheduleError, unwritable

if TYPE_CHECKING:
    from lrcli.schedules import Schedule

REQUIRED = inspect.Parameter.empty
"""The default of a parameter that must be given."""


def flag(name: str) -> str:
    """A parameter's option name: the framework's name in kebab-case.

    >>> flag("T_max"), flag("step_size")
    ('--t-max', '--step-size')
    """
    return "--" + name.replace("_", "-").lower()


def with_default(help: str, default: str) -> str:
    """Help text that ends by showing the default (Typer's own rendering of defaults varies by
    version; this one is the same everywhere)."""
    return f"{help}  [default: {default}]"


def count(text: str) -> int | float:
    """A count of steps or epochs as typed: a whole number (an int), or a decimal one (torch's
    arithmetic takes most counts as any number; epochs, with ``--counts-in epochs``, may be
    fractions of one).

    >>> count("30"), count("2.5")
    (30, 2.5)
    """
    try:
        return int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{text[:40]!r} is not a number") from None
        if not math.isfinite(value):
            raise ValueError(f"{text[:40]!r} is not a finite number") from None
        return value


@overload
def whole_numbers(name: str, text: str, fractions: Literal[False] = False) -> list[int]: ...
@overload
def whole_numbers(name: str, text: str, fractions: bool) -> list[int | float]: ...
def whole_numbers(name: str, text: str, fractions: bool = False) -> list[int] | list[int | float]:
    """A comma-separated list of whole numbers (or, with ``fractions``, of numbers).

    >>> whole_numbers("milestones", "30, 60"), whole_numbers("milestones", "2.5,5", fractions=True), whole_numbers("m", "")
    ([30, 60], [2.5, 5], [])
    """
    try:
        return [count(part) if fractions else int(part) for part in text.split(",")] if text.strip() else []
    except ValueError:
        kind = "numbers" if fractions else "whole numbers"
        raise ScheduleError(name, f"must be {kind} separated by commas, got {text!r}") from None


def numbers(name: str, text: str) -> list[float]:
    """A comma-separated list of numbers.

    >>> numbers("lr_noise", "0.4, 0.9")
    [0.4, 0.9]
    """
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        values = []
    if not values or not all(map(math.isfinite, values)):
        raise ScheduleError(name, f"must be numbers separated by commas, got {text[:60]!r}")
    return values


def literal(node, where: str) -> object:
    """A spec's value (an :mod:`ast` node): a number, string, bool or list of them, as
    ``ast.literal_eval`` reads them, minus the rest."""
    import ast

    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        value = None
    items = value if isinstance(value, list) else [value]
    if value is None or not all(isinstance(item, (int, float, str, bool)) for item in items):
        raise ScheduleError(None, f"{where} must be a literal (a number, string, True/False or a list of them)")
    large = next(filter(None, map(unwritable, items)), None)  # a hexadecimal or binary literal
    if large:
        raise ScheduleError(None, f"{where} is {large}")
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class Option:
    """One command-line option of a parameter, as the command line builds it (with Typer):
    ``decls`` its names (none: a positional argument, described in the command's help), ``python``
    the type Typer reads it as, ``parse`` a parser of its text that raises ValueError with the
    message to show."""

    name: str
    python: object
    decls: tuple[str, ...] = ()
    default: object = REQUIRED
    help: str | None = None
    metavar: str | None = None
    parse: Callable[[str], object] | None = None


class ParamType:
    """What a parameter's values are, and all that follows from it: its option on the command
    line and how the text given there is read (:meth:`options`, :meth:`read`), which literal a
    spec may give it and the words of the error when it is not one (:meth:`fits`,
    :meth:`wanted`), and how a value is written in PyTorch code (:meth:`code`, :meth:`torch`).
    One value of each type serves every parameter of that type (``param`` says the rest:
    ``steps``, ``per_group``, ``choices``)."""

    name = "text"
    metavar: str | None = "TEXT"
    words = "a string"
    python: type = str
    listed = False
    """A value is itself a list (so a per-group list of them cannot be told from one)."""
    holds_schedules = False
    """A value holds schedules (a composition's children)."""

    def __repr__(self) -> str:
        return self.name.upper()

    # The command line.

    def shown(self, param: Param) -> str | None:
        """The default as help shows it (None: not shown)."""
        if param.shown_default is not None:
            return param.shown_default
        return None if param.required or param.default is None else str(param.default)

    def help(self, param: Param, optional: bool) -> str:
        shown = self.shown(param)
        text = param.help if shown is None else with_default(param.help, shown)
        if optional and param.required and shown is None:
            text += "  [required]"  # checked once the options that may also give it are read
        return text

    def parser(self, param: Param) -> Callable[[str], object] | None:
        return None

    def options(self, param: Param, optional: bool = False) -> list[Option]:
        """The command-line options of ``param``; with ``optional``, an option not given reads
        as None (its default, shown in help, is filled in later)."""
        required = param.required and not optional
        default = None if param.required else param.default
        python: object = object if self.parser(param) else self.python
        if param.per_group:
            python, default = (
                GenericAlias(list, (python,)),
                None if required or default is None else [default],
            )  # list[python]
            if default is None and not required:  # the framework's own default, not one value per group
                python = Optional[python]
        elif (default is None or optional) and not required:
            python = Optional[python]
        return [
            Option(
                param.name,
                python,
                (flag(param.name),),
                REQUIRED if required else None if optional else default,
                self.help(param, optional),
                self.metavar,
                self.parser(param),
            )
        ]

    def read(
        self,
        param: Param,
        value: object,
        options: dict[str, object],
        rows: int | None = None,
        parent: str | None = None,
    ) -> object:
        """The value the engine takes, from the option as Typer read it (``options``, the
        command's other options, it may consume; ``rows`` are the rows shown, when known;
        ``parent`` the command a spec is a child of): a per-group option given once is one
        value, else a list."""
        if param.per_group and isinstance(value, list):
            return value[0] if len(value) == 1 else list(value)
        return value

    # Specs.

    def fits(self, param: Param, value: object) -> bool:
        """Whether one value (not a per-group list) of a spec has this type."""
        return isinstance(value, str)

    def wanted(self, param: Param) -> str:
        """What a value must be, in an error's words."""
        return self.words

    def from_spec(self, param: Param, node, where: str, child: Callable[[str], object]) -> object:
        """The value a keyword (an :mod:`ast` node) of the spec ``where`` names gives ``param``,
        checked; ``child`` reads a spec held inside it. ``None`` is a value where it is the
        framework's default (CyclicLR's ``step_size_down=None``), as the command line passes it."""
        import ast

        if param.default is None and isinstance(node, ast.Constant) and node.value is None:
            return None
        at = f"{where}: {param.name}"
        return param.checked(literal(node, at), at)

    # Values.

    def each_child(self, value: object, function: Callable) -> object:
        """``value`` with ``function`` applied to each schedule it holds (none, but for a
        composition's children)."""
        return value

    def group_values(self, param: Param, value: object, groups: int, steps_per_epoch: int) -> list:
        """The value of each param group, as the engine's factory takes it (expressions see
        ``steps_per_epoch``)."""
        if param.per_group and isinstance(value, list):
            values, listed = value, True
        else:
            values, listed = [value], False
        if listed and len(values) != groups:  # torch takes one value, or a list of exactly one per group
            raise ScheduleError(
                param.name,
                f"has {len(values)} value{'s' if len(values) != 1 else ''} for "
                f"{groups} param group{'s' if groups != 1 else ''}; torch takes one, "
                "or a list of one per group",
            )
        values = [self.engine(each, steps_per_epoch) for each in values]
        return values * groups if len(values) == 1 else values

    def engine(self, value: object, steps_per_epoch: int) -> object:
        """One group's value as the engine's factory takes it."""
        return value

    def described(self, param: Param) -> str | None:
        """A paragraph of the command's help for a parameter its options do not describe."""
        return None

    # Code.

    def code(self, value: object, child: Callable) -> str:
        """``value`` as Python source in the emitted script (``child`` builds a schedule it holds
        and names it)."""
        return repr(value)

    def torch(self, value: object, child: Callable, names: dict[str, float]) -> object:
        """``value`` as the real library takes it (``child`` builds a schedule it holds;
        ``names`` are the names expressions see)."""
        return value


class _Int(ParamType):
    name, metavar, words, python = "int", "N", "a whole number", int

    def parser(self, param: Param) -> Callable[[str], object] | None:
        return count if param.steps else None  # epochs may be fractional (--counts-in epochs)

    def fits(self, param: Param, value: object) -> bool:
        # a count of epochs may be fractional (--counts-in epochs)
        return _is_number(value) if param.steps else isinstance(value, int) and not isinstance(value, bool)

    def wanted(self, param: Param) -> str:
        return "a number of steps (or epochs, with --counts-in epochs)" if param.steps else self.words


class _Number(ParamType):
    """A count the framework's arithmetic also takes as a float (kept as given: 3 stays an int,
    2.5 a float)."""

    name, metavar, words = "number", "N", "a number"

    def parser(self, param: Param) -> Callable[[str], object] | None:
        return count

    def fits(self, param: Param, value: object) -> bool:
        return _is_number(value)


class _Float(ParamType):
    name, metavar, words, python = "float", "X", "a number", float

    def fits(self, param: Param, value: object) -> bool:
        return _is_number(value)


class _Bool(ParamType):
    name, metavar, words, python = "bool", None, "True or False", bool

    def shown(self, param: Param) -> str | None:
        if param.shown_default is not None:
            return param.shown_default
        return flag(param.name) if param.default is True else None

    def options(self, param: Param, optional: bool = False) -> list[Option]:
        names = f"{flag(param.name)}/--no-{flag(param.name)[2:]}" if param.default else flag(param.name)
        return [Option(param.name, bool, (names,), param.default, self.help(param, optional))]

    def fits(self, param: Param, value: object) -> bool:
        return isinstance(value, bool)


class _Choice(ParamType):
    name, metavar, words = "choice", None, "one of {choices}"

    def options(self, param: Param, optional: bool = False) -> list[Option]:
        # mypy types an Enum() call only with literal members; these come from the description
        choices = Enum(param.name, {choice: choice for choice in param.choices}, type=str)  # type: ignore[misc]
        if optional:
            return [Option(param.name, Optional[choices], (flag(param.name),), None, self.help(param, optional))]
        return [Option(param.name, choices, (flag(param.name),), choices(param.default), self.help(param, optional))]

    def read(
        self,
        param: Param,
        value: object,
        options: dict[str, object],
        rows: int | None = None,
        parent: str | None = None,
    ) -> object:
        return value.value if isinstance(value, Enum) else value

    def fits(self, param: Param, value: object) -> bool:
        return value in param.choices

    def wanted(self, param: Param) -> str:
        return self.words.format(choices=", ".join(param.choices))


class _Ints(ParamType):
    name, metavar, words, listed = "ints", "N[,N...]", "a list of whole numbers", True

    def wanted(self, param: Param) -> str:
        return "a list of numbers of steps (or epochs, with --counts-in epochs)" if param.steps else self.words

    def read(
        self,
        param: Param,
        value: object,
        options: dict[str, object],
        rows: int | None = None,
        parent: str | None = None,
    ) -> object:
        return None if value is None else whole_numbers(param.name, cast(str, value), fractions=param.steps)

    def fits(self, param: Param, value: object) -> bool:
        numbers = (int, float) if param.steps else int
        return isinstance(value, list) and all(
            isinstance(item, numbers) and not isinstance(item, bool) for item in value
        )


class _Floats(ParamType):
    name, metavar, words, listed = "floats", "X[,X...]", "a list of numbers", True

    def read(
        self,
        param: Param,
        value: object,
        options: dict[str, object],
        rows: int | None = None,
        parent: str | None = None,
    ) -> object:
        return None if value is None else numbers(param.name, cast(str, value))

    def fits(self, param: Param, value: object) -> bool:
        return isinstance(value, list) and all(map(_is_number, value))


class _Expression(ParamType):
    name, metavar, words = "expression", "EXPR", "an expression in quotes"

    def engine(self, value: object, steps_per_epoch: int) -> object:
        from lrcli.expression import compile_lambda

        return compile_lambda(cast(str, value), {"steps_per_epoch": steps_per_epoch})  # it fits: text

    def code(self, value: object, child: Callable) -> str:
        texts = value if isinstance(value, list) else [value]
        lambdas = [f"lambda epoch: ({text})" for text in texts]
        return "[" + ", ".join(lambdas) + "]" if isinstance(value, list) else lambdas[0]

    def torch(self, value: object, child: Callable, names: dict[str, float]) -> object:
        from lrcli.expression import compile_lambda  # lrcli's expression language, never Python's eval

        texts = cast(list[str], value if isinstance(value, list) else [value])  # it fits: text, or a list of it
        functions = [compile_lambda(text, names) for text in texts]
        return functions if isinstance(value, list) else functions[0]


class _Schedulers(ParamType):
    name, metavar, words, listed = "schedulers", "SPEC", "a list of calls like [cosine(T_max=95)]", True
    holds_schedules = True

    def options(self, param: Param, optional: bool = False) -> list[Option]:
        # Described in the command's help ("SPEC: …"): Typer would show the argument as a list type.
        return [Option(param.name, list[str], (), metavar=self.metavar)]

    def read(
        self,
        param: Param,
        value: object,
        options: dict[str, object],
        rows: int | None = None,
        parent: str | None = None,
    ) -> object:
        from lrcli.spec import parse_spec

        return [parse_spec(text, parent=parent) for text in cast(list[str], value)]  # as Typer read it

    def from_spec(self, param: Param, node, where: str, child: Callable[[str], object]) -> object:
        import ast

        calls = node.elts if isinstance(node, ast.List) else None
        if not calls or not all(isinstance(call, ast.Call) for call in calls):
            raise ScheduleError(None, f"{where}: {param.name} must be {self.words}")
        return [child(ast.unparse(call)) for call in calls]

    def each_child(self, value: object, function: Callable) -> object:
        return [function(child) for child in cast("list[Schedule]", value)]

    def group_values(self, param: Param, value: object, groups: int, steps_per_epoch: int) -> list:
        # each group's schedulers: one of each child's
        return [list(each) for each in zip(*(child.schedulers(groups) for child in cast("list[Schedule]", value)))]

    def described(self, param: Param) -> str | None:
        return f"SPEC: {param.help}"

    def code(self, value: object, child: Callable) -> str:
        return "[" + ", ".join(map(child, cast("list[Schedule]", value))) + "]"

    def torch(self, value: object, child: Callable, names: dict[str, float]) -> object:
        return [child(schedule) for schedule in cast("list[Schedule]", value)]


class _Metrics(ParamType):
    name, metavar, words = "metrics", "FILE", "read from a file with --metrics (a spec cannot give them)"

    def options(self, param: Param, optional: bool = False) -> list[Option]:
        return [
            Option(
                param.name,
                Optional[str] if optional else str,
                (flag(param.name),),
                None if optional else REQUIRED,
                param.help,
                self.metavar,
            ),
            Option(
                "column",
                Optional[str],
                ("--column",),
                None,
                "Read --metrics as CSV with a header and take this column (a name, or a number from 1).",
                "NAME|N",
            ),
        ]

    def read(
        self,
        param: Param,
        value: object,
        options: dict[str, object],
        rows: int | None = None,
        parent: str | None = None,
    ) -> object:
        from lrcli.metrics import read_metrics

        column = cast("str | None", options.pop("column"))  # as Typer read them
        return read_metrics(cast(str, value), column, None if rows is None else max(rows - 1, 0))

    def fits(self, param: Param, value: object) -> bool:
        return False


class _Entries(ParamType):
    name, metavar, words = "entries", None, "a config's entries, read from its file (a spec cannot give them)"

    def fits(self, param: Param, value: object) -> bool:
        return False


INT, NUMBER, FLOAT, BOOL, CHOICE, TEXT = _Int(), _Number(), _Float(), _Bool(), _Choice(), ParamType()
INTS, FLOATS, EXPRESSION, SCHEDULERS, METRICS, ENTRIES = (
    _Ints(),
    _Floats(),
    _Expression(),
    _Schedulers(),
    _Metrics(),
    _Entries(),
)
TYPES = (INT, NUMBER, FLOAT, BOOL, CHOICE, TEXT, INTS, FLOATS, EXPRESSION, SCHEDULERS, METRICS, ENTRIES)
"""Every parameter type: ``NUMBER`` is a count the framework's arithmetic also takes as a float,
``TEXT`` is any string (timm's eval metric name), ``INTS`` a list of whole numbers (milestones),
``FLOATS`` a list of numbers (timm's noise range), ``EXPRESSION`` an ``--lr-lambda`` text,
``SCHEDULERS`` a list of specs (a composition's children), ``METRICS`` the numbers
ReduceLROnPlateau is stepped with, ``ENTRIES`` a config's list of scheduler dicts."""


@dataclass(frozen=True)
class Param:
    """One parameter under the framework's name.

    ``per_group``: the framework takes one value or a list of one per param group.
    ``steps``: it counts scheduler steps (epochs when stepped per epoch).
    ``shown_default``: how help shows the default where its repr would mislead (``1/3``).
    ``constructor``: it is an argument of the framework's constructor (metrics are not: they are
    passed to ``step()``), so it appears in JSON params and titles.
    ``command``: it is an option of the scheduler's own command (else specs only).
    """

    name: str
    type: ParamType
    help: str
    default: object = REQUIRED
    choices: tuple[str, ...] = ()
    per_group: bool = False
    steps: bool = False
    shown_default: str | None = None
    constructor: bool = True
    command: bool = True

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def options(self, optional: bool = False) -> list[Option]:
        """Its command-line options (see :meth:`ParamType.options`)."""
        return self.type.options(self, optional)

    def read(self, options: dict[str, object], rows: int | None = None, parent: str | None = None) -> object:
        """Its value from a command's parsed options, which it consumes (see :meth:`ParamType.read`)."""
        return self.type.read(self, options.pop(self.name), options, rows, parent)

    def checked(self, value: object, where: str) -> object:
        """``value`` if it has the parameter's type (a per-group parameter may be a list of them).

        >>> Param("gamma", FLOAT, "").checked(True, "'exp(gamma=True)': gamma")
        Traceback (most recent call last):
        ...
        lrcli.engine.core.ScheduleError: 'exp(gamma=True)': gamma must be a number, got True
        """
        values = value if self.per_group and isinstance(value, list) and not self.type.listed else [value]
        if not values or not all(
            self.default is None if item is None else self.type.fits(self, item) for item in values
        ):
            wanted = self.type.wanted(self)
            if self.per_group:
                wanted += ", or a list of one per param group"
            raise ScheduleError(None, f"{where} must be {wanted}, got {value!r}")
        return value


@dataclass(frozen=True)
class Description:
    """One scheduler: its lrcli command, the framework's class name, its factory in the engine,
    a one-line summary, its parameters, two or three runnable examples and more help.

    ``command`` is the name specs and the registry know it by: the type alone for torch's
    (``step``), ``family.type`` for another framework's (``transformers.cosine``), ``type`` being
    the name the framework's own configuration takes (the Trainer's ``--lr_scheduler_type``).
    ``sets_lr``: it replaces the group's lr itself, so ``--lr`` only counts the param groups.
    ``cycles_momentum``: it sets momentum too (``--show-momentum``). ``warmup``: ``--warmup`` may
    precede it. ``composable``: it may be a child of a composition. ``spec_refusal``: why no spec
    may name it at all (torch's compositions refuse ReduceLROnPlateau). ``default_rows(params)``:
    the rows to show when ``--epochs`` is not given (None for the usual 10), which help calls
    ``default_rows_text``. ``takes_optimizer``: the framework's constructor takes the optimizer
    first (torch's ChainedScheduler does not). ``events(params, rows)``: the rows in ``1 … rows - 1``
    where the scheduler changes course (milestones, restarts, the end of a ramp, a composition's
    switches), marked in plots, in increasing order, as a sequence that need not hold them all (a
    ``range`` when periodic). ``window_events(params, window, most)``: a composition's instead,
    the first ``most`` inside ``window``, found from its children's.
    ``early_decays(params, steps)``: for a scheduler that multiplies the lr by ``gamma`` at counts
    of steps, the parameter that counts them and how many times it decays in the first ``steps``
    (a per-batch run whose counts look like epochs gets a note). ``module``: where the framework defines the class (or function). ``unit``:
    what a row is when no ``--steps-per-epoch`` is given (``step`` for schedules stepped per
    optimizer step by design). ``value_name``: what the values are (``lr``). ``describe(schedule)``:
    its title, where the call with its parameters would not do. ``epoch_warning``: torch warns
    that ``step(epoch)`` is deprecated when it is given one (a class whose own ``step`` takes
    an epoch does not). ``family``: the :class:`Family`
    that holds it (set by the family).
    """

    command: str
    name: str
    factory: Callable
    summary: str
    params: tuple[Param, ...]
    examples: tuple[str, ...]
    details: str = ""
    sets_lr: bool = False
    cycles_momentum: bool = False
    warmup: bool = True
    composable: bool = True
    spec_refusal: str | None = None
    default_rows: Callable[[dict], int | None] | None = None
    default_rows_text: str | None = None
    takes_optimizer: bool = True
    events: Callable[[dict, int], Sequence[int]] | None = None
    window_events: Callable[[dict, range, int], list[int]] | None = None
    early_decays: Callable[[dict, int], tuple[str, int] | None] | None = None
    module: str = "torch.optim.lr_scheduler"
    unit: str = "epoch"
    value_name: str = "lr"
    describe: Callable[[Schedule], str] | None = None
    epoch_warning: bool = True
    family: Family | None = field(default=None, compare=False, repr=False)

    @property
    def words(self) -> tuple[str, ...]:
        """The command as typed: ``("step",)``, ``("transformers", "cosine")``, ``("timm",
        "--sched", "cosine")``, as its family mounts it."""
        assert self.family is not None  # set by the Family that holds it
        return self.family.mount.words(self.family, self)

    @property
    def type(self) -> str:
        """The command's name within its family (the whole command for torch's)."""
        return self.command.rpartition(".")[2]

    @property
    def composition(self) -> bool:
        """It holds schedules (SequentialLR, ChainedScheduler)."""
        return any(param.type.holds_schedules for param in self.params)

    def param(self, name: str) -> Param:
        return next(param for param in self.params if param.name == name)

    @property
    def names(self) -> list[str]:
        return [param.name for param in self.params]


@dataclass(frozen=True)
class Commands:
    """A family's commands, one per description: ``lrcli TYPE`` (torch's), or with ``grouped``
    ``lrcli FAMILY TYPE`` (transformers'). ``extra(description)``, where a family's command line
    adds options of its own (the Trainer's), gives them for one command (None: none): an object
    of the family's cli module, imported only when a command is built, with ``optional`` (the
    scheduler's own options may be left out, as the extra ones can give them), ``options`` (Typer
    parameters) and ``arguments(params, options, show_options)``, which reads them into the
    scheduler's arguments. ``file(family)``, for a grouped family that also reads its framework's
    config file, builds ``lrcli FAMILY FILE …`` (mounted when the word after the family's name
    is none of its types and no option)."""

    grouped: bool = False
    extra: Callable[[Description], object | None] | None = None
    file: Callable[[Family], Callable[..., None]] | None = None

    def first_words(self, family: Family) -> tuple[str, ...]:
        """The words that start the family's command lines."""
        return (family.name,) if self.grouped else tuple(description.type for description in family.descriptions)

    def words(self, family: Family, description: Description) -> tuple[str, ...]:
        return (family.name, description.type) if self.grouped else (description.type,)


@dataclass(frozen=True)
class OneCommand:
    """One command for the whole family, ``lrcli FAMILY …``, as ``build(family)`` makes it (a
    function that imports the family's cli module when the command is built): timm's train.py
    flags, its scheduler chosen by the option ``selector`` (``--sched``), or an OpenMMLab config
    read whole."""

    build: Callable[[Family], Callable[..., None]]
    selector: str | None = None

    def first_words(self, family: Family) -> tuple[str, ...]:
        return (family.name,)

    def words(self, family: Family, description: Description) -> tuple[str, ...]:
        return (family.name, self.selector, description.type) if self.selector else (family.name,)


class Builder:
    """How a framework's users build a scheduler and step it, for the emitted script (``--emit
    torch``) and for ``--verify``: torch's way here (the class called with the optimizer and the
    keywords, ``step()`` passed the metric where there is one); a family whose users go through
    an entry point of their own says so in a subclass."""

    betas = False
    """Whether the param groups are built in an optimizer with ``betas`` (Adam, whose ``betas[0]``
    is the momentum a scheduler cycles) instead of SGD with momentum 0.9."""

    def source(self, schedule, arguments: list[tuple[str, str]], name: str) -> tuple[list[str], list[str]]:
        """The imports, and the lines that bind ``name`` to the scheduler: ``arguments`` are the
        constructor's keywords as source text; the script holds ``optimizer`` and has imported
        torch's ``lr_scheduler``."""
        description = schedule.description
        passed = ", ".join(
            [
                *(["optimizer"] if description.takes_optimizer else []),
                *(f"{keyword}={text}" for keyword, text in arguments),
            ]
        )
        if description.module == "torch.optim.lr_scheduler":
            return [], [f"{name} = lr_scheduler.{description.name}({passed})"]
        return [f"from {description.module} import {description.name}"], [f"{name} = {description.name}({passed})"]

    def build(self, module, schedule, arguments: list[tuple[str, object]], optimizer) -> object:
        """The real scheduler on ``optimizer``, from the framework's ``module``."""
        positional = [optimizer] if schedule.description.takes_optimizer else []
        return getattr(module, schedule.description.name)(*positional, **dict(arguments))

    def stepping(self, schedule, metrics: bool) -> tuple[str, tuple[str, ...]]:
        """How the training loop steps the scheduler after row ``row``: the method and what it
        is passed, each ``"count"`` (``row + 1``) or ``"metric"`` (``metrics[row]``)."""
        return "step", ("metric",) if metrics else ()

    def module(self, name: str):
        """The framework's module ``name`` (``description.module``), imported for ``--verify``."""
        import importlib

        return importlib.import_module(name)


@dataclass(frozen=True)
class Reads:
    """A kind of file a command reads, as ``lrcli config FILE`` recognises it: ``kind`` (said in
    the title, ``DeepSpeed config``), ``what`` (how the file is told apart, listed when no kind
    fits), ``command`` (the words that run the command on the file: ``("deepspeed",)`` for
    ``lrcli deepspeed FILE …``) and ``recognises(path)``, which reads the file as that command
    would (importing its reader only when called) and says whether it is of this kind; it raises
    :class:`~lrcli.engine.core.ScheduleError` when the file cannot be read that way."""

    kind: str
    what: str
    command: tuple[str, ...]
    recognises: Callable[[str], bool]


@dataclass(frozen=True, eq=False)
class Family:
    """A framework whose schedules lrcli replays, and all a generic module asks of it: ``name``
    (its command, the prefix of its specs' names, ``transformers.cosine``), ``help`` (its
    command's or its group's), its ``descriptions``, ``mount`` (how its commands are put on the
    command line: :class:`Commands` or :class:`OneCommand`) and ``code`` (how its users build and
    step a scheduler, for ``--emit torch`` and ``--verify``: a :class:`Builder`, or None where
    lrcli writes no code, as for a config), ``reads`` (the files its command reads, which
    ``lrcli config`` recognises; a family may read several kinds) and ``loop``: its users step the
    scheduler in a training loop of their own, so its commands take the loop's options
    (``--resume-at``, ``--order``, ``--step-with``) and its specs ``last_epoch``; ``resume``: the
    framework's own resume path, a key of :data:`lrcli.engine.loop.FRAMEWORK_RESUMES` (its commands
    then take ``--resume-at`` and ``--compare-resume``; None: it has none that lrcli replays)."""

    name: str
    help: str
    descriptions: tuple[Description, ...]
    mount: Commands | OneCommand
    code: Builder | None = None
    reads: tuple[Reads, ...] = ()
    loop: bool = False
    resume: str | None = None

    def __post_init__(self) -> None:
        for description in self.descriptions:
            object.__setattr__(description, "family", self)
