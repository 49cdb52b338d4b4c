"""The --lr-lambda language: Python's own meaning for what it allows, a refusal for everything else."""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lrcli.expression import MAX_LENGTH, ExpressionError, compile_lambda

PYTHON_NAMESPACE = dict(vars(math))


def python_lambda(text):
    """The reference: what ``lambda epoch: TEXT`` means in Python after ``from math import *``."""
    return eval(f"lambda epoch: {text}", PYTHON_NAMESPACE)


leaves = st.one_of(
    st.just("epoch"),
    st.integers(min_value=0, max_value=1000).map(str),
    st.floats(min_value=0, max_value=1e6, allow_nan=False).map(repr),
    st.sampled_from(["pi", "e", "tau", "inf"]),
)


def combine(children):
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "//", "%"]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    power = st.tuples(children, st.sampled_from(["0", "1", "2", "3", "0.5", "-1", "epoch"])).map(
        lambda t: f"({t[0]} ** {t[1]})"
    )
    unary = st.tuples(st.sampled_from(["-", "+", "not "]), children).map(lambda t: f"({t[0]}{t[1]})")
    compare = st.tuples(children, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    boolean = st.tuples(children, st.sampled_from(["and", "or"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    ternary = st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})")
    unary_call = st.tuples(
        st.sampled_from(["sqrt", "exp", "log", "cos", "sin", "atan", "floor", "ceil", "fabs", "abs", "round"]),
        children,
    ).map(lambda t: f"{t[0]}({t[1]})")
    binary_call = st.tuples(st.sampled_from(["min", "max", "pow", "atan2", "round"]), children, children).map(
        lambda t: f"{t[0]}({t[1]}, {t[2]})"
    )
    return st.one_of(binary, power, unary, compare, boolean, ternary, unary_call, binary_call)


expressions = st.recursive(leaves, combine, max_leaves=12)


def outcome(function, epoch):
    try:
        return "value", function(epoch)
    except ExpressionError as error:
        return "refused", error.message
    except Exception as error:  # the reference's own errors
        return "error", type(error).__name__


@settings(max_examples=400, deadline=None)
@given(expressions, st.integers(min_value=0, max_value=50))
def test_allowed_expressions_mean_what_python_means(text, epoch):
    kind, ours = outcome(compile_lambda(text), epoch)
    reference_kind, reference = outcome(python_lambda(text), epoch)
    # the documented size guards: big integers, and round() to more digits than they may have
    assume(not (kind == "refused" and ("bits" in ours or "digits is refused" in ours)))
    if reference_kind == "error":
        assert kind == "refused", (text, epoch, ours)
        return
    assert kind == "value", (text, epoch, ours)
    assert type(ours) is type(reference)
    assert ours == reference or (ours != ours and reference != reference)


ATTACKS = [
    "__import__('os').system('echo pwned')",
    "open('/etc/passwd')",
    "epoch.__class__",
    "(1).__class__.__mro__[1].__subclasses__()",
    "().__class__.__bases__[0].__subclasses__()",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "eval('1')",
    "exec('1')",
    "globals()",
    "locals()",
    "vars()",
    "getattr(epoch, 'real')",
    "__builtins__",
    "lambda: 1",
    "(x := 1)",
    "'a' * 10",
    "b'x'",
    "f'{epoch}'",
    "[1, 2][0]",
    "{1: 2}",
    "{1, 2}",
    "(1, 2)",
    "math.cos(1)",
    "print(1)",
    "input()",
    "min(*[1, 2])",
    "round(2.5, ndigits=1)",
    "sin",
    "True",
    "None",
    "...",
    "1j",
    "epoch << 1",
    "epoch | 1",
    "~epoch",
    "epoch is 1",
    "epoch in 1",
    "import os",
    "epoch; 1",
    "",
    "   ",
    "(" * 10_000 + "1" + ")" * 10_000,
    "-" * 1_500 + "1",
    "1 +" * 40_000 + "1",
    "x" * 100_000,
]


@pytest.mark.parametrize("text", ATTACKS, ids=range(len(ATTACKS)))
def test_attacks_are_refused_before_evaluation(text):
    with pytest.raises(ExpressionError):
        compile_lambda(text)


EXPLOSIONS = [
    "9**9**9",
    "10**10**10",
    "2**2**2**2**2**2",
    "epoch ** epoch ** epoch",
    "factorial(10**6)",
    "comb(10**9, 10**5)",
    "perm(10**6)",
    "round(10**400, -10**9)",
    "(10**999) ** 11",
]


@pytest.mark.parametrize("text", EXPLOSIONS)
def test_huge_integers_are_refused_not_computed(text):
    function = compile_lambda(text)
    with pytest.raises(ExpressionError, match="at epoch 7"):
        function(7)


def test_long_input_is_refused_by_length():
    with pytest.raises(ExpressionError, match=f"at most {MAX_LENGTH}"):
        compile_lambda("1+" * MAX_LENGTH + "1")


def test_refusal_points_at_the_column():
    with pytest.raises(ExpressionError) as caught:
        compile_lambda("  1 / (epoch + x)")
    assert caught.value.message.startswith("the name 'x' is not allowed")
    assert caught.value.text == "1 / (epoch + x)"
    assert caught.value.text[caught.value.column - 1] == "x"


def test_evaluation_errors_name_the_epoch():
    function = compile_lambda("1 / (epoch - 3)")
    assert function(2) == -1.0
    with pytest.raises(ExpressionError, match="division by zero at epoch 3"):
        function(3)
    with pytest.raises(ExpressionError, match="math domain error at epoch 0"):
        compile_lambda("log(epoch)")(0)
