"""The ``--lr-lambda`` language: a whitelisted subset of Python expressions in ``epoch``.

An expression means what ``lambda epoch: EXPR`` means in Python after ``from math import *``, with
the names the caller binds (lrcli binds ``steps_per_epoch``):
int and float literals; ``+ - * / // % **`` and unary ``-``/``+``; comparisons, ``and``/``or``/``not``
and ``a if c else b``; the names and functions of :mod:`math`, and ``abs``, ``min``, ``max``,
``round``. Nothing else parses: no attribute access, subscripts, strings, other names, keyword
arguments, comprehensions, lambdas or walrus. The text is parsed with :mod:`ast`, every node is
checked against that whitelist, and only the checked tree is compiled.

To keep evaluation finite, an expression is at most :data:`MAX_LENGTH` characters; integer
results of ``**``, ``*``, ``factorial``, ``comb``, ``perm`` and ``round`` wider than
:data:`MAX_INT_BITS` bits are refused (they could only overflow a float lr anyway), and all the
big integers one expression computes, over every epoch, add up to at most :data:`MAX_INT_WORK`
bits.

>>> f = compile_lambda("0.5 ** (epoch // 2)")
>>> [f(epoch) for epoch in range(5)]
[1.0, 1.0, 0.5, 0.5, 0.25]
>>> compile_lambda("epoch.__class__")
Traceback (most recent call last):
...
lrcli.expression.ExpressionError: attribute access is not allowed
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable

MAX_LENGTH = 2000
MAX_INT_BITS = 10_000
MAX_INT_WORK = 10**11
FREE_INT_BITS = 2048

_BINARY = {ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow}
_UNARY = {ast.USub, ast.UAdd, ast.Not}
_COMPARE = {ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE}
_SYMBOLS = {
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.MatMult: "@",
    ast.Invert: "~",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
_ALLOWED = {ast.BoolOp, ast.IfExp, ast.Load, ast.And, ast.Or} | _BINARY | _UNARY | _COMPARE
_CONSTANTS = {name: value for name, value in vars(math).items() if isinstance(value, float)}
_REFUSED = {
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "subscripts are not allowed",
    ast.Slice: "slices are not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.NamedExpr: "assignment (:=) is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.Starred: "* unpacking is not allowed",
    ast.JoinedStr: "strings are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Set: "sets are not allowed",
    ast.Dict: "dicts are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
}


class ExpressionError(ValueError):
    """An expression outside the language, or one that fails at some epoch.

    ``column`` is the 1-based column of the fault in ``text`` (the expression, stripped), when
    there is one.
    """

    def __init__(self, message: str, column: int | None = None, text: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.text = text


class Budget:
    """The integer work one compiled expression may do, over all the epochs it is evaluated at.

    A result of ``**``, ``*``, ``factorial``, ``comb``, ``perm`` or ``round`` wider than
    :data:`MAX_INT_BITS` is refused (before it is computed, where its width can be foreseen); a
    narrower one wider than :data:`FREE_INT_BITS` spends the square of its excess width (the cost
    of big-integer arithmetic grows about so) from :data:`MAX_INT_WORK`: ``comb(10000, 5000)`` at
    every one of 2,000 epochs is refused (each call takes over a millisecond), ``factorial(170)``
    at every step of any run is free.
    """

    def __init__(self) -> None:
        self.left = MAX_INT_WORK

    def spend(self, value: object, what: str) -> object:
        if isinstance(value, int) and value.bit_length() > FREE_INT_BITS:
            if value.bit_length() > MAX_INT_BITS:
                raise ExpressionError(f"{what} gives an integer wider than {MAX_INT_BITS} bits")
            self.left -= (value.bit_length() - FREE_INT_BITS) ** 2
            if self.left < 0:
                raise ExpressionError(
                    "the expression does too much big-integer arithmetic over the run; "
                    "use floats for large values (2.0 ** n, not 2 ** n)"
                )
        return value

    def power(self, base, exponent):
        if (
            isinstance(base, int)
            and isinstance(exponent, int)
            and exponent > 0
            and abs(base) > 1
            and (abs(base).bit_length() - 1) * exponent > MAX_INT_BITS
        ):
            raise ExpressionError(f"** gives an integer wider than {MAX_INT_BITS} bits")
        return self.spend(base**exponent, "**")

    def times(self, left, right):
        if (
            isinstance(left, int)
            and isinstance(right, int)
            and left.bit_length() + right.bit_length() > MAX_INT_BITS + 1
        ):
            raise ExpressionError(f"* gives an integer wider than {MAX_INT_BITS} bits")
        return self.spend(left * right, "*")

    def bounded(self, function: Callable, name: str) -> Callable:
        """``function`` with integer arguments above MAX_INT_BITS refused before it is called."""

        def call(*args):
            for arg in args:
                if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_INT_BITS:
                    raise ExpressionError(f"{name}() of an argument above {MAX_INT_BITS} is refused")
            return self.spend(function(*args), f"{name}()")

        return call

    def round(self, number, ndigits=None):
        # Rounding an integer to -n digits computes 10 ** n; other roundings are cheap.
        if isinstance(number, int) and isinstance(ndigits, int) and ndigits < -MAX_INT_BITS:
            raise ExpressionError(f"round() to {ndigits} digits is refused")
        return self.spend(round(number, ndigits), "round()")

    def functions(self) -> dict[str, Callable]:
        guarded = {name: self.bounded(getattr(math, name), name) for name in ("factorial", "comb", "perm")}
        return {**_FUNCTIONS, **guarded, "round": self.round, "_power": self.power, "_times": self.times}


_FUNCTIONS: dict[str, Callable] = {
    name: value for name, value in vars(math).items() if callable(value) and not name.startswith("_")
}
_FUNCTIONS.update(abs=abs, min=min, max=max, round=round)


def _column(text: str, offset: int) -> int:
    """1-based character column of a node at ``offset`` (ast counts UTF-8 bytes)."""
    return len(text.encode()[:offset].decode(errors="ignore")) + 1


def _refusal(node: ast.AST, called: set[int], names: dict[str, float]) -> str | None:
    """Why ``node`` is outside the language, or None when it is allowed."""
    kind = type(node)
    if kind in _REFUSED:
        return _REFUSED[kind]
    if type(node) is ast.Constant:
        if type(node.value) not in (int, float):
            return f"the literal {node.value!r} is not allowed (only int and float literals)"
    elif type(node) is ast.Name:
        if node.id in _FUNCTIONS:
            if id(node) not in called:
                return f"the function {node.id!r} must be called"
        elif node.id != "epoch" and node.id not in _CONSTANTS and node.id not in names:
            allowed = ", ".join(["epoch", *names])
            return f"the name {node.id!r} is not allowed (use {allowed}, math's names, abs, min, max, round)"
    elif type(node) is ast.BinOp:
        if type(node.op) not in _BINARY:
            return f"the operator {_SYMBOLS[type(node.op)]} is not allowed"
    elif type(node) is ast.UnaryOp:
        if type(node.op) not in _UNARY:
            return f"the operator {_SYMBOLS[type(node.op)]} is not allowed"
    elif type(node) is ast.Compare:
        refused = [op for op in node.ops if type(op) not in _COMPARE]
        if refused:
            return f"the comparison {_SYMBOLS[type(refused[0])]!r} is not allowed"
    elif type(node) is ast.Call:
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            return "only math's functions, abs, min, max and round may be called"
        if node.keywords:
            return "keyword arguments are not allowed"
    elif kind not in _ALLOWED:
        return f"{kind.__name__} is not allowed"
    return None


def _check(text: str, tree: ast.Expression, names: dict[str, float]) -> None:
    nodes = list(ast.walk(tree.body))
    called = {id(node.func) for node in nodes if isinstance(node, ast.Call)}
    for node in nodes:
        refused = _refusal(node, called, names)
        if refused:
            column = _column(text, node.col_offset) if hasattr(node, "col_offset") else None
            raise ExpressionError(refused, column, text)


_GUARDED = {ast.Pow: "_power", ast.Mult: "_times"}


def _guard_arithmetic(tree: ast.Expression) -> None:
    """Replace every ``a ** b`` by ``_power(a, b)`` and ``a * b`` by ``_times(a, b)``, in place and
    without recursion; children before parents, so that a guarded call is never left holding an
    unguarded operation."""
    for node in reversed(list(ast.walk(tree))):
        for field, value in ast.iter_fields(node):
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                if isinstance(item, ast.BinOp) and type(item.op) in _GUARDED:
                    guard = ast.copy_location(ast.Name(_GUARDED[type(item.op)], ast.Load()), item)
                    call = ast.copy_location(ast.Call(guard, [item.left, item.right], []), item)
                    if isinstance(value, list):
                        value[index] = call
                    else:
                        setattr(node, field, call)


def undecodable(text: str) -> str | None:
    """What is wrong with ``text`` if a byte of it was not UTF-8 (the shell's argument, decoded
    with ``surrogateescape``), else None.

    >>> undecodable("0.9 ** epoch"), undecodable("0.9" + chr(0xDCFF))
    (None, 'byte 0xff at column 4 is not UTF-8 text')
    """
    for column, character in enumerate(text, 1):
        if "\ud800" <= character <= "\udfff":
            code = ord(character)
            byte = f"byte 0x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"character U+{code:04X}"
            return f"{byte} at column {column} is not UTF-8 text"
    return None


def compile_lambda(text: str, names: dict[str, float] | None = None) -> Callable[[int], float]:
    """Check ``text`` against the language and return ``f(epoch)``, equal to Python's
    ``lambda epoch: TEXT`` under ``from math import *``, with ``names`` (such as
    ``steps_per_epoch``) bound too. Columns in errors count in the text with surrounding white
    space stripped.

    Errors while evaluating (division by zero, overflow, a math domain error) are raised as
    :class:`ExpressionError` naming the epoch.

    >>> compile_lambda("1 / (epoch + 1)")(3)
    0.25
    >>> compile_lambda("0.5 ** (epoch // steps_per_epoch)", {"steps_per_epoch": 4})(9)
    0.25
    >>> compile_lambda("1 / epoch")(0)
    Traceback (most recent call last):
    ...
    lrcli.expression.ExpressionError: division by zero at epoch 0
    """
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(text)} characters long; at most {MAX_LENGTH} are allowed")
    text = text.strip()
    if not text:
        raise ExpressionError("the expression is empty")
    problem = undecodable(text)
    if problem:
        raise ExpressionError(problem)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        message = "invalid syntax" if error.msg == "invalid syntax" else f"invalid syntax: {error.msg}"
        raise ExpressionError(message, min(max(error.offset or 1, 1), len(text) + 1), text) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("the expression is nested too deeply or is too large") from None
    names = names or {}
    _check(text, tree, names)
    _guard_arithmetic(tree)
    body = tree.body
    parameter = ast.copy_location(ast.arg("epoch"), body)
    arguments = ast.arguments(posonlyargs=[], args=[parameter], kwonlyargs=[], kw_defaults=[], defaults=[])
    function = ast.Expression(ast.copy_location(ast.Lambda(arguments, body), body))
    namespace = {"__builtins__": {}, **_CONSTANTS, **Budget().functions(), **names}
    try:
        # Only the whitelisted tree checked above reaches the compiler.
        evaluate = eval(compile(function, "<lr-lambda>", "eval"), namespace)
    except (RecursionError, MemoryError):
        raise ExpressionError("the expression is nested too deeply") from None

    def lr_lambda(epoch: int) -> float:
        try:
            return evaluate(epoch)
        except ExpressionError as error:
            raise ExpressionError(f"{error.message} at epoch {epoch}") from None
        except (ArithmeticError, ValueError, TypeError, RecursionError) as error:
            raise ExpressionError(f"{error} at epoch {epoch}") from None

    return lr_lambda
