"""OpenMMLab config files (mmengine 0.10's ``Config.fromfile``), read without running them.

A ``.py`` config is Python that mmengine executes. lrcli parses it with :mod:`ast` and evaluates
only a small language: literals, lists, tuples, dicts and ``dict(...)`` (with ``**`` of a dict),
names assigned earlier in the file, ``_base_.name`` reads of the bases, attribute and index reads
of dicts and lists, and arithmetic (``+ - * / // % **``, with the ``--lr-lambda`` language's
bounds on big integers and a bound on the size of repeated strings and lists). Anything else
(imports, other calls, comprehensions, lambdas, ``with read_base()``) is an error naming the line.
mmengine's rules are kept: ``_base_`` (a path or a list, relative to the file) is read first,
its files merged (the same key in two bases is an error); the file's own names are merged into
them (dicts recursively, unless ``_delete_=True``; lists and scalars replace);
``{{_base_.name}}`` stands for a base's value; ``--cfg-options key.path=value`` are merged last,
list items addressed by their index. ``.json`` configs, and ``.yaml`` ones when PyYAML is
installed, follow the same rules.
"""

from __future__ import annotations

import ast
import json
import os
import re

from lrcli.engine.core import ScheduleError
from lrcli.expression import Budget, ExpressionError

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 200_000
MAX_BASES_DEPTH = 32
MAX_SEQUENCE = 1_000_000
"""The most items (or characters) a string or list built by ``*`` or ``+`` may have."""

BASE_KEY, DELETE_KEY = "_base_", "_delete_"
_BASE_REFERENCE = re.compile(r"\{\{\s*_base_\.([\w.]+)\s*\}\}")


class ConfigError(ScheduleError):
    """A config lrcli will not read, or one mmengine would refuse."""

    def __init__(self, message: str) -> None:
        super().__init__(None, message)


def read_config(path: str, options: list[str] = ()) -> dict:
    """The config at ``path`` as one dict, bases merged and ``--cfg-options`` applied.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "base.py").write_text("lr = 0.02\\noptim_wrapper = dict(optimizer=dict(type='SGD', lr=lr))\\n")
    >>> _ = (folder / "child.py").write_text("_base_ = './base.py'\\nmax_epochs = 12 // 2\\n")
    >>> config = read_config(str(folder / "child.py"), ["optim_wrapper.optimizer.lr=0.01"])
    >>> config["max_epochs"], config["optim_wrapper"]["optimizer"]
    (6, {'type': 'SGD', 'lr': 0.01})
    """
    config = _load(os.path.abspath(path), ())
    for option in options:
        key, equals, text = option.partition("=")
        if not equals or not key:
            raise ConfigError(f"--cfg-options takes key.path=value, got {option!r}")
        nested: dict = {}
        inner = nested
        parts = key.split(".")
        for part in parts[:-1]:
            inner = inner.setdefault(part, {})
        inner[parts[-1]] = _option_value(text)
        config = merge(nested, config, allow_list_keys=True)
    return config


def _option_value(text: str) -> object:
    """A ``--cfg-options`` value as mmengine's DictAction reads it: a number, True/False/None, a
    list or tuple (``[a,b]``, ``(a,b)``, or ``a,b``), else the string."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        if "," in text and not text.startswith(("[", "(")):
            return [_option_value(part) for part in text.split(",")]
        return text
    return value


def merge(child: dict, base: dict, allow_list_keys: bool = False) -> dict:
    """``child`` merged into a copy of ``base`` by mmengine's rules.

    >>> merge({"a": {"x": 1, "_delete_": True}, "b": [3]}, {"a": {"y": 2}, "b": [1, 2], "c": 0})
    {'a': {'x': 1}, 'b': [3], 'c': 0}
    """
    merged = base.copy() if isinstance(base, dict) else list(base)
    for key, value in child.items():
        if allow_list_keys and isinstance(key, str) and key.isdigit() and isinstance(merged, list):
            index = int(key)
            if index >= len(merged):
                raise ConfigError(f"index {index} is beyond the list {merged!r}")
            merged[index] = merge(value, merged[index], allow_list_keys) if isinstance(value, dict) else value
        elif isinstance(value, dict):
            value = dict(value)
            replace = value.pop(DELETE_KEY, False)
            if key in merged and not replace:
                allowed = (dict, list) if allow_list_keys else dict
                if not isinstance(merged[key], allowed):
                    raise ConfigError(f"{key}={value!r} in the child config cannot inherit from its base, where "
                                      f"{key} is a {type(merged[key]).__name__}; set {DELETE_KEY}=True to replace it")
                merged[key] = merge(value, merged[key], allow_list_keys)
            else:
                merged[key] = _without_delete(value)
        else:
            merged[key] = value
    return merged


def _without_delete(value: object) -> object:
    if isinstance(value, dict):
        return {key: _without_delete(item) for key, item in value.items() if key != DELETE_KEY}
    return value


def _load(path: str, chain: tuple[str, ...]) -> dict:
    if path in chain or len(chain) > MAX_BASES_DEPTH:
        raise ConfigError(f"{path}: its _base_ files include it again, or nest over {MAX_BASES_DEPTH} deep")
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read(MAX_FILE_BYTES + 1)  # a device or a pipe may never end
        if len(text) > MAX_FILE_BYTES:
            raise ConfigError(f"{path}: over {MAX_FILE_BYTES:,} characters; lrcli reads configs up to that")
    except OSError as error:
        raise ConfigError(f"cannot read the config {path!r}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    references = {}
    for name in sorted(set(_BASE_REFERENCE.findall(text))):  # mmengine's placeholders, then their values
        placeholder = f"_lrcli_base_{len(references)}_{name.replace('.', '_')}"
        references[placeholder] = name
        text = re.sub(r"\{\{\s*_base_\." + re.escape(name) + r"\s*\}\}", f'"{placeholder}"', text)
    if path.endswith(".py"):
        tree = _parse(path, text)
        bases = _base_files(path, tree)
    else:
        own = _data(path, text)
        bases = own.pop(BASE_KEY, [])
        bases = [bases] if isinstance(bases, str) else bases
        if not isinstance(bases, list) or not all(isinstance(base, str) for base in bases):
            raise ConfigError(f"{path}: _base_ must be a path or a list of paths")
    base: dict = {}
    for name in bases:
        loaded = _load(os.path.normpath(os.path.join(os.path.dirname(path), name)), (*chain, path))
        duplicates = sorted(base.keys() & loaded.keys())
        if duplicates:
            raise ConfigError(f"{path}: the same key in two _base_ files is not allowed (mmengine refuses it too): "
                              f"{', '.join(duplicates)}")
        base.update(loaded)
    if path.endswith(".py"):
        own = _Evaluator(path, base).run(tree)
    own = _substituted(own, references, base, path)
    return merge(own, base)


def _data(path: str, text: str) -> dict:
    if path.endswith(".json"):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as error:
            raise ConfigError(f"{path}: not valid JSON: {error}") from None
    elif path.endswith((".yaml", ".yml")):
        try:
            import yaml
        except ImportError:
            raise ConfigError(f"{path}: reading YAML needs PyYAML (pip install pyyaml)") from None
        try:
            data = yaml.safe_load(text)
        except (yaml.YAMLError, RecursionError) as error:
            raise ConfigError(f"{path}: not valid YAML: {error}") from None
    else:
        raise ConfigError(f"{path}: lrcli reads .py, .json and .yaml configs")
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a config is a mapping of names to values")
    return data


def _parse(path: str, text: str) -> ast.Module:
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        line = getattr(error, "lineno", None)
        raise ConfigError(f"{path}{f':{line}' if line else ''}: not valid Python ({getattr(error, 'msg', error)})") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise ConfigError(f"{path}: over {MAX_NODES:,} syntax nodes; lrcli reads smaller configs")
    return tree


def _base_files(path: str, tree: ast.Module) -> list[str]:
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(isinstance(target, ast.Name) and target.id == BASE_KEY
                                                     for target in statement.targets):
            try:
                value = ast.literal_eval(statement.value)
            except (ValueError, TypeError, SyntaxError, RecursionError):
                value = None
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
                raise ConfigError(f"{path}:{statement.lineno}: _base_ must be a path or a list of paths")
            return list(value)
    return []


def _substituted(value: object, references: dict[str, str], base: dict, path: str) -> object:
    """``{{_base_.name}}`` placeholders replaced by the bases' values, as mmengine does."""
    if isinstance(value, str) and value in references:
        found: object = base
        for key in references[value].split("."):
            if not isinstance(found, dict) or key not in found:
                raise ConfigError(f"{path}: {{{{_base_.{references[value]}}}}} names nothing in its _base_ files")
            found = found[key]
        return found
    if isinstance(value, dict):
        return {key: _substituted(item, references, base, path) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_substituted(item, references, base, path) for item in value)
    return value


_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
              ast.Pow: "**"}


class _Evaluator:
    """The top-level statements of a ``.py`` config, in the small language the module describes."""

    def __init__(self, path: str, base: dict) -> None:
        self.path = path
        self.names: dict[str, object] = {BASE_KEY: base}
        self.budget = Budget()

    def refuse(self, node: ast.AST, what: str) -> ConfigError:
        return ConfigError(f"{self.path}:{getattr(node, 'lineno', '?')}: {what} is not supported: lrcli reads "
                           "configs without running them (literals, dict(), names, _base_, arithmetic)")

    def run(self, tree: ast.Module) -> dict:
        own = []
        for statement in tree.body:
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                continue  # a docstring
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                raise self.refuse(statement, "an import")
            if isinstance(statement, ast.With):
                raise self.refuse(statement, "a with statement (new-style configs: with read_base())")
            if isinstance(statement, ast.Assign) and all(isinstance(target, ast.Name) for target in statement.targets):
                names = [target.id for target in statement.targets]
                if BASE_KEY in names:
                    continue  # read before the rest, as mmengine does
                value = self.value(statement.value)
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value:
                names, value = [statement.target.id], self.value(statement.value)
            elif isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
                names = [statement.target.id]
                value = self.arithmetic(statement, type(statement.op), self.name(statement.target),
                                        self.value(statement.value))
            else:
                raise self.refuse(statement, f"a {type(statement).__name__.lower()} statement")
            for name in names:
                self.names[name] = value
                own.append(name)
        return {name: self.names[name] for name in dict.fromkeys(own) if not name.startswith("__")}

    def name(self, node: ast.Name) -> object:
        if node.id not in self.names:
            raise ConfigError(f"{self.path}:{node.lineno}: {node.id!r} is not assigned before it is used")
        return self.names[node.id]

    def value(self, node: ast.AST) -> object:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool, type(None))):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            if any(isinstance(item, ast.Starred) for item in node.elts):
                raise self.refuse(node, "* unpacking")
            items = [self.value(item) for item in node.elts]
            return items if isinstance(node, ast.List) else tuple(items)
        if isinstance(node, ast.Dict):
            result = {}
            for key, item in zip(node.keys, node.values):
                if key is None:
                    result.update(self.mapping(item))
                else:
                    result[self.key(key)] = self.value(item)
            return result
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id == "dict") or node.args:
                raise self.refuse(node, f"calling {ast.unparse(node.func)[:40]}() (only dict(key=value, ...))")
            result = {}
            for keyword in node.keywords:
                if keyword.arg is None:
                    result.update(self.mapping(keyword.value))
                else:
                    result[keyword.arg] = self.value(keyword.value)
            return result
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Attribute):
            holder = self.value(node.value)
            if not isinstance(holder, dict) or node.attr not in holder:
                raise ConfigError(f"{self.path}:{node.lineno}: {ast.unparse(node)[:60]} names nothing")
            return holder[node.attr]
        if isinstance(node, ast.Subscript):
            holder, index = self.value(node.value), self.value(node.slice)
            if not isinstance(holder, (dict, list, tuple)) or isinstance(index, (list, dict)):
                raise self.refuse(node, "this index")
            try:
                return holder[index]
            except (KeyError, IndexError, TypeError):
                raise ConfigError(f"{self.path}:{node.lineno}: {ast.unparse(node)[:60]} names nothing") from None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.value(node.operand)
            if not isinstance(operand, (int, float)) or isinstance(operand, bool):
                raise ConfigError(f"{self.path}:{node.lineno}: a sign before a {type(operand).__name__}")
            return -operand if isinstance(node.op, ast.USub) else +operand
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return self.arithmetic(node, type(node.op), self.value(node.left), self.value(node.right))
        raise self.refuse(node, _described(node))

    def key(self, node: ast.AST) -> object:
        key = self.value(node)
        if isinstance(key, (list, dict)):
            raise ConfigError(f"{self.path}:{node.lineno}: a dict key must be a number or a string")
        return key

    def mapping(self, node: ast.AST) -> dict:
        value = self.value(node)
        if not isinstance(value, dict):
            raise ConfigError(f"{self.path}:{node.lineno}: ** needs a dict")
        return value

    def arithmetic(self, node: ast.AST, operator: type, left: object, right: object) -> object:
        symbol = _OPERATORS.get(operator)
        if symbol is None:
            raise self.refuse(node, "this operator")
        numbers = all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in (left, right))
        sequences = isinstance(left, (str, list, tuple)) or isinstance(right, (str, list, tuple))
        try:
            if numbers and symbol == "**":
                return self.budget.power(left, right)
            if numbers and symbol == "*":
                return self.budget.times(left, right)
            if numbers:
                result = {"+": lambda: left + right, "-": lambda: left - right, "/": lambda: left / right,
                          "//": lambda: left // right, "%": lambda: left % right}[symbol]()
                return self.budget.spend(result, symbol)
            if sequences and symbol in "+*":
                count = right if isinstance(right, int) else left if isinstance(left, int) else None
                sized = len(left) if isinstance(left, (str, list, tuple)) else len(right)
                total = sized * count if symbol == "*" and isinstance(count, int) else sized + (
                    len(right) if symbol == "+" and isinstance(right, (str, list, tuple)) else 0)
                if total > MAX_SEQUENCE:
                    raise ConfigError(f"{self.path}:{node.lineno}: {symbol} builds a sequence of {total:,} items; "
                                      f"lrcli stops at {MAX_SEQUENCE:,}")
                return {"+": lambda: left + right, "*": lambda: left * right}[symbol]()
        except ExpressionError as error:
            raise ConfigError(f"{self.path}:{node.lineno}: {error.message}") from None
        except (ArithmeticError, TypeError, ValueError) as error:
            raise ConfigError(f"{self.path}:{node.lineno}: {ast.unparse(node)[:60]} fails ({error})") from None
        raise ConfigError(f"{self.path}:{node.lineno}: {symbol} of a {type(left).__name__} and a "
                          f"{type(right).__name__}")


def _described(node: ast.AST) -> str:
    words = {ast.Lambda: "a lambda", ast.ListComp: "a comprehension", ast.DictComp: "a comprehension",
             ast.SetComp: "a comprehension", ast.GeneratorExp: "a generator", ast.JoinedStr: "an f-string",
             ast.IfExp: "a conditional expression", ast.Compare: "a comparison", ast.BoolOp: "and/or",
             ast.Set: "a set", ast.NamedExpr: ":=", ast.Await: "await", ast.Yield: "yield"}
    return words.get(type(node), f"a {type(node).__name__} expression")

