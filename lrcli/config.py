"""OpenMMLab config files, read as mmengine 0.10's ``Config.fromfile`` reads them, without running them.

A ``.py`` config is Python that mmengine executes. lrcli parses it with :mod:`ast` and interprets
the part of Python configs are written in: literals, names, ``dict(...)``, attribute, index and
slice reads, arithmetic, comparisons, ``and``/``or``/``not``, conditional expressions,
comprehensions, f-strings, ``if``, ``for`` and ``del`` statements, the builtins of
:data:`BUILTINS`, ``copy.deepcopy``, :mod:`math`, and the dict, list and str methods configs
call (``update``, ``merge``, ``pop``, ``append``, ``join``, ``format``…). The work is bounded: :data:`MAX_STEPS` evaluation
steps and :data:`MAX_ITEMS` items built, copied or compared per config (bases included), strings
and lists of :data:`MAX_SEQUENCE` items, integers as ``--lr-lambda`` bounds them; a config that
needs more is refused.

Anything else (a call of a function the file defines or of ``os.path``, a ``while`` loop, a
class…) is not run: its value is *opaque*, and so is whatever that code might have changed (the
names it assigns, everything reachable from the names it reads). A config may hold opaque values
where the schedule does not look; :func:`setting` refuses them where it does, naming the key and
the line. Code that could reach outside the config (``eval``, ``open``, ``__import__``, dunder
attributes, imports other than ``copy``, ``math`` and ``os.path``) is refused wherever it is.

Old-style configs (``_base_ = [...]``) follow mmengine's rules: the ``_base_`` files (relative to
the file) are read first and merged (the same key in two of them is an error); the file runs with
``_base_`` bound to them; its own names are then merged into them (dicts recursively, unless
``_delete_=True``; lists and scalars replace). ``{{_base_.name}}`` stands for a base's value,
``{{fileDirname}}`` (``fileBasename``, ``fileBasenameNoExtension``, ``fileExtname``) for the
file's path, ``{{$VAR:default}}`` for an environment variable. New-style configs (``with
read_base(): from .._base_.x import *``) are Python modules: a base module's names are imported
into the file (relative imports, or ``pkg.configs…`` found in a folder ``pkg`` above the file),
``.update()`` merges into them, and an imported class (``from mmengine.optim import LinearLR``)
stands for its dotted name, as ``Config.to_dict()`` writes it. ``--cfg-options key.path=value``
are merged last, list items addressed by their index. ``.json`` configs, and ``.yaml`` ones when
PyYAML is installed, follow the old-style rules.
"""

from __future__ import annotations

import ast
import builtins
import copy
import json
import math
import os
import re
import string
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from lrcli.engine.core import ScheduleError
from lrcli.expression import MAX_INT_BITS, Budget, ExpressionError

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 200_000
MAX_BASES_DEPTH = 32
MAX_SEQUENCE = 1_000_000
"""The most items (or characters) one string or list may have."""
MAX_STEPS = 100_000
"""The most expressions and statements evaluated (each loop iteration counts) reading one config."""
MAX_ITEMS = 2_000_000
"""The most items built, copied, compared or formatted, and characters of config text, per config."""

BASE_KEY, DELETE_KEY = "_base_", "_delete_"
RESERVED_KEYS = ("filename", "text", "pretty_text", "env_variables")
_BASE_REFERENCE = re.compile(r"\{\{\s*_base_\.([\w.]+)\s*\}\}")
_ENVIRONMENT = re.compile(r"\{\{['\"]?\s*\$(\w+)\s*:\s*(\S*?)\s*['\"]?\}\}")

BUILTINS = (
    "dict",
    "list",
    "tuple",
    "range",
    "len",
    "min",
    "max",
    "round",
    "int",
    "float",
    "abs",
    "sum",
    "enumerate",
    "zip",
    "reversed",
    "sorted",
    "bool",
    "str",
)
"""The Python builtins lrcli evaluates; the others give opaque values, or are refused (:data:`_HOSTILE`)."""
_HOSTILE = {
    "eval",
    "exec",
    "compile",
    "open",
    "input",
    "breakpoint",
    "__import__",
    "globals",
    "locals",
    "vars",
    "getattr",
    "setattr",
    "delattr",
    "exit",
    "quit",
    "help",
    "memoryview",
    "type",
    "object",
    "super",
}
_MODULES = ("copy", "math", "os.path")
"""The standard modules a config may import (mmengine imports them for real; lrcli knows them)."""
_SCALARS = (int, float, str, bool, type(None))


class ConfigError(ScheduleError):
    """A config lrcli will not read, or one mmengine would refuse."""

    def __init__(self, message: str) -> None:
        super().__init__(None, message)


class Opaque:
    """A value lrcli did not compute: ``where`` it comes from (file:line) and ``why``."""

    __slots__ = ("where", "why")

    def __init__(self, where: str, why: str) -> None:
        self.where, self.why = where, why

    def __repr__(self) -> str:
        return f"<not evaluated: {self.why}>"


class Lazy:
    """What a new-style config imports (mmengine's ``LazyObject``): ``Config.to_dict()`` writes it
    ``f"{module}.{text}"``, ``str()`` gives ``text``. Its attributes extend ``module`` by ``text``
    when ``named`` (``from m import C``, or an attribute), else keep it (``import m.n as k``)."""

    __slots__ = ("module", "text", "named")

    def __init__(self, module: str, text: str, named: bool) -> None:
        self.module, self.text, self.named = module, text, named

    def attribute(self, name: str) -> Lazy:
        return Lazy(f"{self.module}.{self.text}" if self.named else self.module, name, True)

    def __repr__(self) -> str:
        return f"{self.module}.{self.text}"


class CfgDict(dict):
    """mmengine's ``ConfigDict``: its keys read as attributes, ``update()`` merges dicts into dicts,
    and a dict or list stored into it is stored converted (a copy)."""


class _Module:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class _Callable:
    """Something a config calls: a builtin or method lrcli evaluates (``known``), one it does not
    but that changes nothing (``pure``), or code of the file, whose effects lrcli does not know."""

    __slots__ = ("name", "kind", "owner")

    def __init__(self, name: str, kind: str, owner: object = None) -> None:
        self.name, self.kind, self.owner = name, kind, owner

    def __repr__(self) -> str:
        return f"<function {self.name}>"


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _Work:
    """What reading one config (its bases included) may spend: ``steps`` (see :meth:`_Reader.tick`),
    ``items`` and the integer work of ``--lr-lambda``."""

    def __init__(self) -> None:
        self.steps, self.items, self.integers = MAX_STEPS, MAX_ITEMS, Budget()

    def spend(self, count: int, where: str) -> None:
        self.items -= count
        if self.items < 0:
            raise ConfigError(
                f"{where}: the config builds, copies or compares over {MAX_ITEMS:,} items; lrcli stops there"
            )


def read_config(path: str, options: Sequence[str] = ()) -> dict[str, Any]:
    """The config at ``path`` as one dict, bases merged and ``--cfg-options`` applied; what lrcli
    did not evaluate is :class:`Opaque`, an imported class its dotted name.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "base.py").write_text("lr = 0.02\\noptim_wrapper = dict(optimizer=dict(type='SGD', lr=lr))\\n")
    >>> _ = (folder / "child.py").write_text("_base_ = './base.py'\\nmax_epochs = max(12 // 2, 3)\\n")
    >>> config = read_config(str(folder / "child.py"), ["optim_wrapper.optimizer.lr=0.01"])
    >>> config["max_epochs"], config["optim_wrapper"]["optimizer"]
    (6, {'type': 'SGD', 'lr': 0.01})
    """
    work = _Work()
    try:
        config = _load(os.path.normpath(path), (), work)
        reserved = sorted(config.keys() & set(RESERVED_KEYS))
        if reserved:
            raise ConfigError(f"{path}: {', '.join(reserved)} is a name mmengine reserves; a config cannot set it")
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
        exported = _exported(config, {}, work)
        assert isinstance(exported, dict)  # a dict exports as a dict
        return exported
    except RecursionError:
        raise ConfigError(f"{path}: its values nest too deeply for lrcli") from None
    except MemoryError:
        raise ConfigError(f"{path}: reading it needs more memory than there is") from None


def setting(config: dict, key: str, deep: bool = True) -> object:
    """The value at ``key`` (``a.b.c``) of a config :func:`read_config` read, or None if it is not
    there; a value lrcli did not evaluate there (or, when ``deep``, inside it) is an error naming
    the key and the line it comes from.

    >>> setting({"a": {"b": [1, Opaque("c.py:3", "f() is not evaluated")]}}, "a.b")
    Traceback (most recent call last):
    ...
    lrcli.config.ConfigError: c.py:3: a.b[1] is f() is not evaluated; lrcli needs it, and does not run configs
    """
    found: object = config
    for depth, part in enumerate(key.split(".")):
        if isinstance(found, Opaque):
            _refuse_opaque(".".join(key.split(".")[:depth]), found)
        if not isinstance(found, dict) or part not in found:
            return None
        found = found[part]
    if isinstance(found, Opaque):
        _refuse_opaque(key, found)
    if deep:
        pending, seen = [(key, found)], set()
        while pending:
            name, value = pending.pop()
            if isinstance(value, Opaque):
                _refuse_opaque(name, value)
            if isinstance(value, (dict, list, tuple)) and id(value) not in seen:
                seen.add(id(value))
                items = value.items() if isinstance(value, dict) else enumerate(value)
                pending.extend(reversed([(f"{name}[{index!r}]", item) for index, item in items]))
    return found


def located(path: str, key: str, options: Sequence[str] = ()) -> str:
    """Where the config at ``path`` sets ``key`` (``a.b.c``), for an error to name: the file and
    the ``--cfg-options`` that sets it or a part of it, else ``file:line`` of the last top-level
    assignment that writes it (in ``dict(…)`` or ``{…}`` literals, key by key), in the file and
    then its ``_base_`` files, child first; the line of the key above it that is written when
    none writes it all, or the file alone.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "base.py").write_text("optimizer = dict(\\n    type='SGD',\\n    lr=0.02)\\n")
    >>> _ = (folder / "child.py").write_text("_base_ = './base.py'\\noptimizer = dict(momentum=0.9)\\n")
    >>> [located(str(folder / "child.py"), key).split("/")[-1] for key in ("optimizer.lr", "optimizer.betas", "runner")]
    ['base.py:3', 'child.py:2', 'child.py']
    >>> located(str(folder / "child.py"), "optimizer.lr", ["optimizer.lr=0.1"]).split("/")[-1]
    'child.py (--cfg-options optimizer.lr=0.1)'
    """
    parts = key.split(".")
    for option in reversed(options):
        given = option.partition("=")[0].split(".")
        if given[: len(parts)] == parts[: len(given)]:
            return f"{path} (--cfg-options {option})"
    best: tuple[int, str] = (0, path)
    pending, seen = [os.path.normpath(path)], set[str]()
    while pending and len(seen) <= MAX_BASES_DEPTH:
        file = pending.pop(0)
        if file in seen or not file.endswith(".py"):
            continue
        seen.add(file)
        try:
            with open(file, encoding="utf-8") as handle:
                tree = ast.parse(handle.read(MAX_FILE_BYTES))
            bases = _base_files(file, tree)
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError, ConfigError):
            continue
        depth, line, replaced = _written(tree, parts)
        if depth > best[0]:
            best = (depth, f"{file}:{line}")
        if depth == len(parts) or replaced:
            break
        pending += [os.path.normpath(os.path.join(os.path.dirname(file), base)) for base in bases]
    return best[1]


def _written(tree: ast.Module, parts: list[str]) -> tuple[int, int, bool]:
    """How many of ``parts`` the last top-level assignment of ``parts[0]`` in ``tree`` writes in
    literals, the line of the deepest (0 and 0 when none assigns it), and whether a dict on the
    way replaces the bases' (``_delete_=True``, or not a dict)."""
    found: tuple[int, int, bool] = (0, 0, False)
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == parts[0] for target in statement.targets
        ):
            depth, node, line, replaced = 1, statement.value, statement.lineno, False
            while depth < len(parts):
                items: list[tuple[object, ast.expr]] = []
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
                    items = [(keyword.arg, keyword.value) for keyword in node.keywords if keyword.arg]
                elif isinstance(node, ast.Dict):
                    items = [
                        (item.value, value)
                        for item, value in zip(node.keys, node.values)
                        if isinstance(item, ast.Constant)
                    ]
                replaced = replaced or not items or any(name == DELETE_KEY for name, _ in items)
                match = [value for name, value in items if name == parts[depth]]
                if not match:
                    break
                depth, node, line = depth + 1, match[-1], match[-1].lineno
            found = (depth, line, replaced)
    return found


def _refuse_opaque(key: str, value: Opaque) -> None:
    raise ConfigError(f"{value.where}: {key} is {value.why}; lrcli needs it, and does not run configs")


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
    """``child`` merged into a copy of ``base`` by mmengine's rules (``_delete_`` is taken out of a
    child's dict only where the base has its key, as mmengine does).

    >>> merge({"a": {"x": 1, "_delete_": True}, "b": [3]}, {"a": {"y": 2}, "b": [1, 2], "c": 0})
    {'a': {'x': 1}, 'b': [3], 'c': 0}
    """
    if isinstance(base, Opaque):
        return base  # what merging into a value lrcli did not compute gives is not known either
    merged = base.copy()
    for key, value in child.items():
        if allow_list_keys and isinstance(key, str) and key.isdigit() and isinstance(merged, list):
            index = int(key)
            if index >= len(merged):
                raise ConfigError(f"index {index} is beyond the list {merged!r}")
            merged[index] = merge(value, merged[index], allow_list_keys) if isinstance(value, dict) else value
        elif isinstance(value, dict):
            if key in merged and not value.pop(DELETE_KEY, False):
                allowed = (dict, list, Opaque) if allow_list_keys else (dict, Opaque)
                if not isinstance(merged[key], allowed):
                    raise ConfigError(
                        f"{key}={value!r} in the child config cannot inherit from its base, where "
                        f"{key} is a {type(merged[key]).__name__}; set {DELETE_KEY}=True to replace it"
                    )
                merged[key] = merge(value, merged[key], allow_list_keys)
            else:
                merged[key] = _hooked(value, None)
        else:
            merged[key] = value
    return merged


def _hooked(value: object, work: _Work | None, where: str = "") -> object:
    """``value`` as a ConfigDict stores it: a plain dict becomes a CfgDict, lists and tuples are
    copied with their items converted; anything else (a CfgDict too) is stored as it is."""
    if type(value) is dict:
        if work:
            work.spend(len(value), where)
        return CfgDict((key, _hooked(item, work, where)) for key, item in value.items())
    if isinstance(value, (list, tuple)) and type(value) in (list, tuple):
        if work:
            work.spend(len(value), where)
        return type(value)(_hooked(item, work, where) for item in value)
    return value


def _converted(value: object, work: _Work, where: str) -> object:
    """``value`` as mmengine's ``_dict_to_config_dict_lazy`` gives it: every dict a new CfgDict."""
    if isinstance(value, dict):
        return _converted_dict(value, work, where)
    if isinstance(value, (list, tuple)) and type(value) in (list, tuple):
        work.spend(len(value), where)
        return type(value)(_converted(item, work, where) for item in value)
    return value


def _converted_dict(value: dict[str, object], work: _Work, where: str) -> CfgDict:
    """A dict as :func:`_converted` gives it."""
    work.spend(len(value), where)
    return CfgDict((key, _hooked(_converted(item, work, where), work, where)) for key, item in value.items())


def _exported(value: object, memo: dict, work: _Work) -> object:
    """``value`` with imported classes as their dotted names, as ``Config.to_dict()`` gives them."""
    if isinstance(value, Lazy):
        return repr(value)
    if not isinstance(value, (dict, list, tuple)):
        return value
    if id(value) in memo:
        return memo[id(value)]
    work.spend(len(value), "the config")
    if isinstance(value, dict):
        mapping = memo[id(value)] = type(value)()
        mapping.update((key, _exported(item, memo, work)) for key, item in value.items())
        return mapping
    if isinstance(value, list):
        items: list[object] = []
        memo[id(value)] = items
        items.extend(_exported(item, memo, work) for item in value)
        return items
    result = memo[id(value)] = tuple(_exported(item, memo, work) for item in value)
    return result


def _read_text(path: str, work: _Work) -> str:
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read(MAX_FILE_BYTES + 1)  # a device or a pipe may never end
    except OSError as error:
        raise ConfigError(f"cannot read the config {path!r}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    if len(text) > MAX_FILE_BYTES:
        raise ConfigError(f"{path}: over {MAX_FILE_BYTES:,} characters; lrcli reads configs up to that")
    work.spend(len(text), path)
    return text


def _load(path: str, chain: tuple[str, ...], work: _Work) -> dict:
    """The config at ``path``: an old-style one merged with its bases, or a new-style module's names."""
    if path in chain or len(chain) > MAX_BASES_DEPTH:
        raise ConfigError(f"{path}: its bases include it again, or nest over {MAX_BASES_DEPTH} deep")
    text = _read_text(path, work)
    if path.endswith(".py"):
        tree = _parse(path, text)
        if _is_new_style(path, tree):
            if chain:
                raise ConfigError(
                    f"{path}: a new-style config (imports, with read_base()) cannot be the _base_ of "
                    "an old-style one (mmengine refuses it too)"
                )
            names, imported = _load_module(path, tree, (), work)
            return {
                key: value
                for key, value in names.items()
                if key not in imported and not key.startswith("__") and not isinstance(value, _Module)
            }
    text = _substituted_text(path, text)
    references: dict[str, str] = {}
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
    base: dict[str, object] = CfgDict()
    for name in bases:
        if "::" in name:
            raise ConfigError(
                f"{path}: _base_ {name!r} is a config of the installed package {name.split('::')[0]}; "
                "lrcli reads files: point _base_ at a copy of it"
            )
        loaded = _load(os.path.normpath(os.path.join(os.path.dirname(path), name)), (*chain, path), work)
        duplicates = sorted(base.keys() & loaded.keys())
        if duplicates:
            raise ConfigError(
                f"{path}: the same key in two _base_ files is not allowed (mmengine refuses it too): "
                f"{', '.join(duplicates)}"
            )
        base.update(_converted_dict(loaded, work, path))
    if path.endswith(".py"):
        reader = _Reader(path, work, new_style=False)
        reader.names[BASE_KEY] = base
        reader.run(tree.body)
        rebound = reader.names.get(BASE_KEY, base)
        if not isinstance(rebound, dict):
            raise ConfigError(
                f"{path}: _base_ is rebound to {rebound!r}; lrcli reads configs that keep it the bases' dict"
            )
        base = rebound
        own = {
            key: value
            for key, value in reader.names.items()
            if key != BASE_KEY
            and not key.startswith("__")
            and not isinstance(value, _Module)
            and not _is_python_function(value)
        }
    own = _with_references(own, references, base, path, work)
    return merge(own, base)


def _is_python_function(value: object) -> bool:
    """Whether mmengine drops ``value`` from an old-style config's keys (it drops functions written
    in Python: the file's own, ``copy``'s and ``os.path``'s; a builtin such as ``math.sqrt`` stays)."""
    return isinstance(value, _Callable) and (value.kind == "code" or value.name.startswith(("copy.", "os.path.")))


def _substituted_text(path: str, text: str) -> str:
    """mmengine's ``{{fileDirname}}``… and ``{{$VARIABLE:default}}`` replaced in the text."""
    stem, extension = os.path.splitext(os.path.basename(path))
    for name, value in (
        ("fileDirname", os.path.dirname(os.path.abspath(path))),
        ("fileBasename", os.path.basename(path)),
        ("fileBasenameNoExtension", stem),
        ("fileExtname", extension),
    ):
        # with no backslash left, re.sub takes the replacement literally
        text = re.sub(r"\{\{\s*" + name + r"\s*\}\}", value.replace("\\", "/"), text)

    def variable(match: re.Match[str]) -> str:
        value = os.environ.get(match.group(1), match.group(2))
        if not value:
            raise ConfigError(f"{path}: the environment variable {match.group(1)} is not set, and has no default")
        return value

    return _ENVIRONMENT.sub(variable, text)


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
    """The syntax tree of a ``.py`` config, refused if it is too big or reaches outside the config."""
    try:
        tree = ast.parse(text, filename=path)
        compile(
            tree, path, "exec", dont_inherit=True
        )  # what only compiling finds ('break' outside a loop…); runs nothing
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        line = getattr(error, "lineno", None)
        raise ConfigError(
            f"{path}{f':{line}' if line else ''}: not valid Python ({getattr(error, 'msg', error)})"
        ) from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise ConfigError(f"{path}: over {MAX_NODES:,} syntax nodes; lrcli reads smaller configs")
    bound = {node.id for node in nodes if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)}
    for node in nodes:
        why = None
        if isinstance(node, ast.Attribute) and node.attr.startswith("__"):
            why = f"the attribute {node.attr}"
        elif isinstance(node, ast.Name) and node.id.startswith("__") and node.id not in ("__name__", "__file__"):
            why = f"the name {node.id}"
        elif isinstance(node, ast.Name) and node.id in _HOSTILE and node.id not in bound:
            why = f"Python's {node.id}()"
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            why = _refused_import(node)
        if why:
            assert isinstance(node, (ast.expr, ast.stmt))  # names, attributes and imports have lines
            raise ConfigError(
                f"{path}:{node.lineno}: {why} could reach outside the config; lrcli reads configs "
                "without running them, and refuses this one"
            )
    return tree


def _refused_import(node: ast.Import | ast.ImportFrom) -> str | None:
    """Why an import of a standard module is refused (lrcli knows only :data:`_MODULES`)."""
    if isinstance(node, ast.ImportFrom):
        if node.level or not node.module or not _is_standard(node.module) or node.module.startswith("mmengine"):
            return None
        if node.module in _MODULES or (node.module == "os" and all(alias.name == "path" for alias in node.names)):
            return None
        return f"an import of {node.module}"
    for alias in node.names:
        if (
            _is_standard(alias.name)
            and alias.name not in _MODULES[:2]
            and not (alias.name == "os.path" and alias.asname)
        ):
            return f"an import of {alias.name}"
    return None


def _is_standard(module: str) -> bool:
    """Whether mmengine imports ``module`` for real (a standard module, or mmengine.config)."""
    return module.startswith("mmengine.config") or module.split(".")[0] in sys.stdlib_module_names


def _is_new_style(path: str, tree: ast.Module) -> bool:
    """mmengine's test for a new-style (lazy import) config: the first of a ``_base_`` assignment,
    a ``with`` (which must be ``read_base()``), a relative import or an import of a module not of
    Python's own, in breadth-first order, decides."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and node.targets[0].id == BASE_KEY:
            return False
        if isinstance(node, ast.With):
            if not _is_read_base(node):
                raise ConfigError(
                    f"{path}:{node.lineno}: only with read_base(): may be used in a config "
                    "(mmengine refuses other with statements)"
                )
            return True
        if isinstance(node, ast.ImportFrom):
            if node.level:
                return True
            if (
                node.module
                and not _is_standard(node.module)
                and not (node.module == "mmengine" and [alias.name for alias in node.names] == ["Config"])
            ):
                return True
        if isinstance(node, ast.Import) and not all(_is_standard(alias.name) for alias in node.names):
            return True
    return False


def _is_read_base(node: ast.With) -> bool:
    call = node.items[0].context_expr
    return (
        len(node.items) == 1
        and isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "read_base"
    )


def _base_files(path: str, tree: ast.Module) -> list[str]:
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == BASE_KEY for target in statement.targets
        ):
            try:
                value = ast.literal_eval(statement.value)
            except (ValueError, TypeError, SyntaxError, RecursionError):
                value = None
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
                raise ConfigError(f"{path}:{statement.lineno}: _base_ must be a path or a list of paths")
            return list(value)
    return []


def _load_module(path: str, tree: ast.Module, chain: tuple[str, ...], work: _Work) -> tuple[dict, set]:
    """A new-style config run as mmengine's lazy import runs it: its base modules' names first
    (``from .base import *`` or named ones), then the file; its own imports bind :class:`Lazy`
    values. The names it ends with, and those that came from imports."""
    if path in chain or len(chain) > MAX_BASES_DEPTH:
        raise ConfigError(f"{path}: its base modules import it again, or nest over {MAX_BASES_DEPTH} deep")
    body = list(tree.body)
    modules: list[str] = []
    for index, statement in enumerate(body):
        if (
            isinstance(statement, ast.Assign)
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id == BASE_KEY
        ):
            raise ConfigError(
                f"{path}:{statement.lineno}: _base_ = … in a new-style config (mmengine refuses "
                "mixing the two; use with read_base())"
            )
        if isinstance(statement, ast.With):
            if not _is_read_base(statement):
                raise ConfigError(f"{path}:{statement.lineno}: only with read_base(): may be used in a config")
            for imported in statement.body:
                if not isinstance(imported, ast.ImportFrom) or imported.module is None:
                    raise ConfigError(
                        f"{path}:{imported.lineno}: with read_base(): holds only from … import … of config modules"
                    )
                modules.append("." * imported.level + imported.module)
            body[index : index + 1] = statement.body
            break
    bases: dict[str, CfgDict] = {}
    imported_names: set[str] = set()
    for module in modules:
        base_path = _module_path(path, module, tree)
        base_tree = _parse(base_path, _read_text(base_path, work))
        names, names_imported = _load_module(base_path, base_tree, (*chain, path), work)
        imported_names |= names_imported
        bases[module] = _converted_dict(
            {key: value for key, value in names.items() if not key.startswith("__")}, work, base_path
        )
    reader = _Reader(path, work, new_style=True)
    reader.bases = bases
    for node in _depth_first(tree):  # mmengine takes the base modules' names before it runs the file
        if isinstance(node, ast.ImportFrom) and "." * node.level + str(node.module) in bases:
            values = bases["." * node.level + str(node.module)]
            for alias in node.names:
                if alias.name == "*":
                    reader.names.update(values)
                    break
                if alias.name not in values:
                    raise ConfigError(f"{path}:{node.lineno}: {alias.name} is not a name of {node.module}")
                reader.names[alias.asname or alias.name] = values[alias.name]
    for statement in body:  # `import a.b` of modules not Python's own: bound first, as mmengine does
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if not alias.asname and not _is_standard(alias.name):
                    top = alias.name.split(".")[0]
                    reader.names[top] = Lazy(top, top, False)
                    reader.imported.add(top)
    reader.run(body)
    return reader.names, reader.imported | imported_names


def _module_path(path: str, module: str, tree: ast.Module) -> str:
    """The file of a base module: relative to the config, or ``pkg.configs.x`` found as
    ``pkg/configs/x.py`` in a folder above it (mmengine looks in the installed package ``pkg``)."""
    level = len(module) - len(module.lstrip("."))
    parts = module[level:].split(".")
    if level:
        found = os.path.join(os.path.dirname(path), *[".."] * (level - 1), *parts[:-1], parts[-1] + ".py")
    elif len(parts) == 1:
        raise ConfigError(f"{path}: with read_base() imports {module}, a package, not a config module")
    else:
        found = ""
        folder = os.path.dirname(os.path.abspath(path))
        while True:
            if os.path.basename(folder) == parts[0] and os.path.isfile(os.path.join(folder, *parts[1:]) + ".py"):
                found = os.path.join(folder, *parts[1:]) + ".py"
                break
            if os.path.dirname(folder) == folder:
                raise ConfigError(
                    f"{path}: cannot find the base module {module}: lrcli looks for "
                    f"{parts[0]}/{'/'.join(parts[1:])}.py in the folders above the config"
                )
            folder = os.path.dirname(folder)
    found = os.path.normpath(found)
    if not os.path.isfile(found):
        raise ConfigError(f"{path}: the base module {module} is not a file ({found})")
    return found


def _depth_first(tree: ast.AST) -> Iterator[ast.AST]:
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _with_references(own: dict, references: dict[str, str], base: dict, path: str, work: _Work) -> dict:
    """``own`` copied as a tree (mmengine's ``_substitute_base_vars`` deep-copies at every level, so
    no two keys share a dict or list), ``{{_base_.name}}`` placeholders replaced by the bases' values."""

    def copied(value: object) -> object:
        if isinstance(value, str) and value in references:
            found: object = base
            for key in references[value].split("."):
                if not isinstance(found, dict) or key not in found:
                    raise ConfigError(f"{path}: {{{{_base_.{references[value]}}}}} names nothing in its _base_ files")
                found = found[key]
            return found
        return value

    tree = _deepcopy(own, None, work, path, copied)
    assert isinstance(tree, dict)  # a dict copies as a dict
    return tree


def _deepcopy(
    value: object,
    memo: dict[int, object] | None,
    work: _Work,
    where: str,
    leaf: Callable[[object], object] = lambda value: value,
) -> object:
    """``copy.deepcopy`` of a config value (with a ``memo``, shared parts stay shared; without,
    the copy is a tree), ``leaf`` applied to what is not a dict, list or tuple."""
    if not isinstance(value, (dict, list, tuple)):
        return leaf(value)
    if memo is not None and id(value) in memo:
        return memo[id(value)]
    work.spend(len(value) + 1, where)
    if isinstance(value, dict):
        mapping = type(value)()
        if memo is not None:
            memo[id(value)] = mapping
        for key, item in value.items():
            mapping[key] = _deepcopy(item, memo, work, where, leaf)
        return mapping
    items: list[object] = []
    if memo is not None:
        memo[id(value)] = items
    items.extend(_deepcopy(item, memo, work, where, leaf) for item in value)
    if isinstance(value, tuple):
        result = tuple(items)
        if memo is not None:
            memo[id(value)] = result
        return result
    return items


_OPERATORS = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
}
_COMPARISONS = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}
_DICT_METHODS = frozenset(name for name in dir(dict) if not name.startswith("_")) | {"merge", "to_dict"}
_LIST_METHODS = frozenset(name for name in dir(list) if not name.startswith("_"))
_PYTHON_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))


def _scan(value: object, limit: int) -> tuple[int, object]:
    """How many items ``value`` holds, counting shared parts each time (as ``==`` and ``str()``
    walk them), up to ``limit``; and the first thing in it that is not plain data (an opaque
    value, an imported object, a function), or None."""
    count, pending, odd = 0, [value], None
    while pending and count <= limit:
        item = pending.pop()
        count += 1
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
        elif isinstance(item, str):
            count += len(item)
        elif not isinstance(item, (int, float, type(None), range)) and not isinstance(odd, Opaque):
            odd = item
    return count, odd


class _Reader:
    """The statements of one ``.py`` config, interpreted as the module docstring describes.

    Code lrcli does not run (a call of the file's own functions, a method it does not know…)
    sets ``unknown_effects`` (to what it is); the statement it is in is then given up: the names
    it assigns, and all that the names it reads hold, become opaque (:meth:`give_up`)."""

    def __init__(self, path: str, work: _Work, new_style: bool) -> None:
        self.path, self.work, self.new_style = path, work, new_style
        self.names: dict[str, object] = {}
        self.imported: set[str] = set()
        self.bases: dict[str, CfgDict] = {}
        self.local: dict[str, object] | None = None  # a comprehension's variables
        self.unknown_effects: str | None = None
        self.reach: set[str] = set()  # names the file's functions read
        self.declared: set[str] = set()  # names the file's functions declare global

    def where(self, node: ast.AST) -> str:
        return f"{self.path}:{getattr(node, 'lineno', '?')}"

    def tick(self, node: ast.AST) -> None:
        self.work.steps -= 1
        if self.work.steps < 0:
            raise self.fail(node, f"the config takes over {MAX_STEPS:,} evaluation steps; lrcli stops there")

    def effects(self, what: str) -> None:
        """Code lrcli does not run ran in this statement: ``what``, unless something already did."""
        self.unknown_effects = self.unknown_effects or what

    def fail(self, node: ast.AST, message: str) -> ConfigError:
        return ConfigError(f"{self.where(node)}: {message}")

    def opaque(self, node: ast.AST, why: str) -> Opaque:
        return Opaque(self.where(node), f"{_text(node)} ({why})")

    # statements

    def run(self, body: list[ast.stmt]) -> None:
        for statement in body:
            self.statement(statement)

    def statement(self, node: ast.stmt) -> None:
        self.tick(node)
        handler = _STATEMENTS.get(type(node))
        if handler is None:
            self.give_up(node, f"a {type(node).__name__.lower()} statement, which lrcli does not run")
            return
        self.unknown_effects = None
        try:
            handler(self, node)
        except _Unknown:
            self.effects("changes or depends on values lrcli did not compute")
        if self.unknown_effects:
            self.give_up(node, f"it {self.unknown_effects}")

    def give_up(self, node: ast.AST, why: str) -> None:
        """What ``node`` may assign, and all it could change, made opaque."""
        opaque = self.opaque(node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value else node, why)
        stored, loaded, effects = _names(node)
        if effects:
            loaded |= self.reach
            stored |= self.declared
        pending = [self.names[name] for name in loaded if effects and name in self.names]
        for name in stored:
            self.names[name] = opaque
        tainted: dict[int, object] = {}
        while pending:
            item = pending.pop()
            if isinstance(item, (dict, list, tuple)) and id(item) not in tainted:
                self.work.spend(len(item) + 1, opaque.where)
                tainted[id(item)] = item
                pending.extend(item.values() if isinstance(item, dict) else item)
        self.unknown_effects = None
        if tainted:
            self.settle(tainted, opaque)

    def settle(self, tainted: dict[int, object], opaque: Opaque) -> None:
        """Every tainted value replaced by ``opaque`` wherever the file's names hold it."""
        done: dict[int, object] = {}

        def fixed(value: object) -> object:
            if not isinstance(value, (dict, list, tuple)):
                return value
            if id(value) in tainted:
                return opaque
            if id(value) not in done:
                done[id(value)] = value
                self.work.spend(len(value), self.path)
                if isinstance(value, dict):
                    for key, item in value.items():
                        value[key] = fixed(item)
                elif isinstance(value, list):
                    value[:] = [fixed(item) for item in value]
                else:
                    done[id(value)] = tuple(fixed(item) for item in value)
            return done[id(value)]

        for name, value in self.names.items():
            self.names[name] = fixed(value)

    def do_Expr(self, node: ast.Expr) -> None:
        self.value(node.value)

    def do_Assign(self, node: ast.Assign) -> None:
        if not self.new_style and any(
            isinstance(target, ast.Name) and target.id == BASE_KEY for target in node.targets
        ):
            return  # read before the rest; mmengine takes it out of the code
        value = self.value(node.value)
        for target in node.targets:
            self.assign(target, value)

    def do_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.value(node.annotation)
        if node.value is not None:
            self.assign(node.target, self.value(node.value))

    def do_AugAssign(self, node: ast.AugAssign) -> None:
        target = node.target
        if isinstance(target, ast.Name):
            current = self.name(target)
        else:
            holder = self.value(target.value)
            key: object
            if isinstance(target, ast.Attribute):
                key = target.attr
                current = self.attribute(target, holder, target.attr)
            else:
                key = self.value(target.slice)
                current = self.item(target, holder, key)
        right = self.value(node.value)
        if isinstance(current, (list, dict)) and isinstance(node.op, (ast.Add, ast.Mult, ast.BitOr)):
            if isinstance(right, Opaque):
                raise _Unknown  # the list or dict itself changes
            if isinstance(current, list) and not isinstance(node.op, ast.BitOr):
                self.in_place(node, current, node.op, right)
                return
            if isinstance(current, dict) and isinstance(node.op, ast.BitOr) and isinstance(right, dict):
                self.update(node, current, [right], {})
                return
        result = self.operation(node, type(node.op), current, right)
        if isinstance(target, ast.Name):
            self.assign(target, result)
        else:
            self.store(target, holder, key, result)

    def in_place(self, node: ast.AST, current: list, op: ast.operator, right: object) -> None:
        if isinstance(op, ast.Add):
            items = self.iterate(node, right)
            self.check_size(node, len(current) + len(items))
            current.extend(items)
        elif isinstance(right, bool) or not isinstance(right, int):
            raise self.fail(node, f"a list times a {type(right).__name__}")
        else:
            self.check_size(node, len(current) * right)
            self.work.spend(len(current) * right, self.where(node))
            current *= right

    def do_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                if target.id not in self.names:
                    raise self.fail(target, f"del {target.id}: {target.id!r} is not assigned")
                del self.names[target.id]
                continue
            if not isinstance(target, (ast.Attribute, ast.Subscript)):
                raise _Unknown
            holder = self.value(target.value)
            key = target.attr if isinstance(target, ast.Attribute) else self.value(target.slice)
            if isinstance(holder, Opaque) or isinstance(key, Opaque):
                raise _Unknown
            if isinstance(target, ast.Attribute) and not isinstance(holder, CfgDict):
                raise self.fail(target, f"del {_text(target)}: a {type(holder).__name__} has no attribute {key}")
            container: Any = holder  # any value: Python's TypeError for one without items is the refusal
            try:
                del container[key]
            except (KeyError, IndexError, TypeError) as error:
                raise self.fail(target, f"del {_text(target)} fails ({error!r})") from None

    def do_If(self, node: ast.If) -> None:
        test = self.truth(self.value(node.test))
        if isinstance(test, Opaque) or self.unknown_effects:
            self.effects("depends on a condition lrcli did not compute")
            raise _Unknown
        self.run(node.body if test else node.orelse)

    def do_For(self, node: ast.For) -> None:
        source = self.value(node.iter)
        if isinstance(source, Opaque) or self.unknown_effects:
            self.effects("loops over values lrcli did not compute")
            raise _Unknown
        items = source if isinstance(source, list) else self.iterate(node.iter, source)
        size = len(source) if isinstance(source, dict) else None
        index = 0
        while index < len(items):  # a list is walked as it grows, as Python does
            self.tick(node)
            self.assign(node.target, items[index])
            index += 1
            try:
                self.run(node.body)
            except _Break:
                return
            except _Continue:
                pass
            if isinstance(source, dict) and len(source) != size:
                raise self.fail(node, "the dict it loops over changes size during the loop (Python stops there)")
        self.run(node.orelse)

    def do_Break(self, node: ast.Break) -> None:
        raise _Break

    def do_Continue(self, node: ast.Continue) -> None:
        raise _Continue

    def do_Pass(self, node: ast.Pass) -> None:
        pass

    def do_Global(self, node: ast.Global) -> None:
        pass

    def do_Assert(self, node: ast.Assert) -> None:
        if self.truth(self.value(node.test)) is False:
            raise self.fail(node, "the assert fails (mmengine stops there too)")

    def do_Raise(self, node: ast.Raise) -> None:
        raise self.fail(node, "the config raises an exception (mmengine stops there too)")

    def do_FunctionDef(self, node: ast.FunctionDef) -> None:
        for expression in [*node.decorator_list, *node.args.defaults, *filter(None, node.args.kw_defaults)]:
            self.value(expression)
        self.define(node)
        self.names[node.name] = _Callable(node.name, "code")
        if node.decorator_list:
            self.effects(f"calls the decorator {_text(node.decorator_list[0])}, code lrcli does not run")

    def define(self, node: ast.AST) -> None:
        """Remember what a function may read and assign, for when it is called."""
        for inner in ast.walk(node):
            if isinstance(inner, ast.Name):
                self.reach.add(inner.id)
            elif isinstance(inner, ast.Global):
                self.declared.update(inner.names)

    def do_Import(self, node: ast.Import) -> None:
        if self.new_style and len(node.names) > 1:
            raise self.fail(node, "import a, b in a new-style config (mmengine refuses it: one module an import)")
        for alias in node.names:
            bound = alias.asname or alias.name.split(".")[0]
            if _is_standard(alias.name):
                self.names[bound] = _Module(alias.name if alias.asname else bound)
            elif not self.new_style:
                raise self.fail(node, f"imports {alias.name}, which mmengine would run; lrcli does not")
            elif alias.asname:
                self.names[bound] = Lazy(alias.name, alias.name, False)
            else:
                continue  # `import a.b` is bound before the file runs (see _load_module)
            self.imported.add(bound)

    def do_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = "." * node.level + str(node.module)
        if module in self.bases:
            return  # the base module's names were taken before the file ran
        standard = node.module and not node.level and _is_standard(module)
        if not standard and not self.new_style:
            raise self.fail(node, f"imports {module}, which mmengine would run; lrcli does not")
        for alias in node.names:
            if alias.name == "*":
                if not standard or self.new_style or module not in ("math", "copy"):
                    raise self.fail(
                        node, f"from {module} import * (mmengine refuses it here, or lrcli does not know the module)"
                    )
                for name in dir(math if module == "math" else copy):
                    if not name.startswith("_"):
                        self.names[name] = self.attribute(node, _Module(module), name)
                continue
            value: object
            if not standard:
                value = Lazy(module, alias.name, True)
            elif (module, alias.name) == ("os", "path"):
                value = _Module("os.path")
            else:
                value = self.attribute(node, _Module(module), alias.name)
            self.names[alias.asname or alias.name] = value
            self.imported.add(alias.asname or alias.name)

    # assignment

    def assign(self, target: ast.AST, value: object) -> None:
        if isinstance(target, ast.Name):
            scope = self.local if self.local is not None and target.id in self.local else self.names
            scope[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(value, Opaque) or any(isinstance(item, ast.Starred) for item in target.elts):
                raise _Unknown
            items = self.iterate(target, value)
            if len(items) != len(target.elts):
                raise self.fail(target, f"unpacks {len(items)} values into {len(target.elts)} names")
            for inner, item in zip(target.elts, items):
                self.assign(inner, item)
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            holder = self.value(target.value)
            key = target.attr if isinstance(target, ast.Attribute) else self.value(target.slice)
            self.store(target, holder, key, value)
        else:
            raise _Unknown

    def store(self, target: ast.AST, holder: object, key: object, value: object) -> None:
        if isinstance(holder, Opaque) or isinstance(key, Opaque):
            raise _Unknown  # which value changes is not known
        if isinstance(target, ast.Attribute) and not isinstance(holder, CfgDict):
            raise self.fail(target, f"cannot set the attribute {key} of a {type(holder).__name__}")
        if isinstance(holder, dict):
            self.check_key(target, key)
            holder[key] = _hooked(value, self.work, self.where(target)) if isinstance(holder, CfgDict) else value
        elif isinstance(holder, list) and isinstance(key, slice):
            raise _Unknown
        elif isinstance(holder, list) and isinstance(key, int) and not isinstance(key, bool):
            if not -len(holder) <= key < len(holder):
                raise self.fail(target, f"{_text(target)}: the index is out of range")
            holder[key] = value
        else:
            raise self.fail(target, f"cannot assign to {_text(target)}: a {type(holder).__name__} item")

    def check_key(self, node: ast.AST, key: object) -> None:
        if (
            not isinstance(key, (*_SCALARS, tuple))
            or isinstance(key, tuple)
            and not all(isinstance(item, _SCALARS) for item in key)
        ):
            raise self.fail(node, f"a dict key must be a number, a string or a tuple of them, not {type(key).__name__}")

    # expressions

    def value(self, node: ast.AST) -> object:
        self.tick(node)
        handler = _EXPRESSIONS.get(type(node))
        if handler is None:
            return self.skip(node, f"{_described(node)} is not evaluated by lrcli")
        try:
            return handler(self, node)
        except _Unknown as unknown:
            return unknown.value or self.skip(node, "it depends on values lrcli did not compute")

    def skip(self, node: ast.AST, why: str) -> Opaque:
        """``node`` not evaluated: an opaque value; code in it that would have run may have changed
        values (unless all it calls are Python's builtins, given no functions)."""
        if self.has_effects(node):
            self.effects(f"runs {_text(node)}, which lrcli does not evaluate")
        return self.opaque(node, why)

    def has_effects(self, node: ast.AST) -> bool:
        for inner in ast.walk(node):
            if (
                isinstance(inner, (ast.NamedExpr, ast.Delete, ast.AugAssign, ast.Lambda))
                or isinstance(inner, (ast.Attribute, ast.Subscript))
                and not isinstance(inner.ctx, ast.Load)
            ):
                return True
            if isinstance(inner, ast.Call) and not (
                isinstance(inner.func, ast.Name)
                and inner.func.id not in self.names
                and inner.func.id in _PYTHON_BUILTINS
                and not any(
                    isinstance(self.names.get(argument.id), (_Callable, Opaque))
                    for argument in ast.walk(inner)
                    if isinstance(argument, ast.Name)
                )
            ):
                return True
        return False

    def plain(self, node: ast.AST, *values: object) -> Opaque | None:
        """Walking ``values`` whole (as ``==``, ``str()`` and ``format()`` do) paid for; an opaque
        value when one holds something not plain data."""
        for value in values:
            count, odd = _scan(value, self.work.items)
            self.work.spend(count, self.where(node))
            if isinstance(odd, Opaque):
                return odd
            if odd is not None:
                return self.opaque(node, f"lrcli does not evaluate this of {odd!r}")
        return None

    def v_Constant(self, node: ast.Constant) -> object:
        if isinstance(node.value, _SCALARS):
            return node.value
        return self.opaque(node, f"a {type(node.value).__name__} literal is not evaluated by lrcli")

    def v_Name(self, node: ast.Name) -> object:
        return self.name(node)

    def name(self, node: ast.Name) -> object:
        if self.local is not None and node.id in self.local:
            return self.local[node.id]
        if node.id in self.names:
            return self.names[node.id]
        if node.id == "__name__":
            return "builtins"  # a config runs with the builtins module's globals
        if node.id == "__file__" and self.new_style:
            return self.path
        if node.id in BUILTINS:
            return _Callable(node.id, "known")
        if node.id in _PYTHON_BUILTINS:
            return _Callable(node.id, "pure")
        raise self.fail(node, f"{node.id!r} is not assigned before it is used")

    def v_NamedExpr(self, node: ast.NamedExpr) -> object:
        value = self.value(node.value)
        self.names[node.target.id] = value
        return value

    def v_List(self, node: ast.List) -> object:
        return self.sequence(node)

    def v_Tuple(self, node: ast.Tuple) -> object:
        return tuple(self.sequence(node))

    def sequence(self, node: ast.List | ast.Tuple) -> list:
        items: list = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                items.extend(self.iterate(element, self.value(element.value)))
            else:
                items.append(self.value(element))
        self.check_size(node, len(items))
        return items

    def v_Dict(self, node: ast.Dict) -> object:
        result: dict = {}
        for key, item in zip(node.keys, node.values):
            if key is None:
                result.update(self.mapping(item, self.value(item)))
            else:
                name = self.value(key)
                if isinstance(name, Opaque):
                    raise _Unknown(name)
                self.check_key(key, name)
                result[name] = self.value(item)
        return result

    def mapping(self, node: ast.AST, value: object) -> dict:
        if isinstance(value, Opaque):
            raise _Unknown(value)
        if not isinstance(value, dict):
            raise self.fail(node, f"** needs a dict, not a {type(value).__name__}")
        self.work.spend(len(value), self.where(node))
        return value

    def v_JoinedStr(self, node: ast.JoinedStr) -> object:
        text = "".join(map(self.text, node.values))
        self.check_size(node, len(text))
        return text

    def text(self, node: ast.AST) -> str:
        text = self.value(node)
        if isinstance(text, Opaque):
            raise _Unknown(text)
        assert isinstance(text, str)  # an f-string's parts and its format spec evaluate to text
        return text

    def v_FormattedValue(self, node: ast.FormattedValue) -> object:
        value = self.value(node.value)
        spec = self.text(node.format_spec) if node.format_spec else ""
        if isinstance(value, Lazy) and not spec:
            return ascii(value.text) if node.conversion == ord("a") else value.text  # a LazyObject's str and repr
        odd = self.plain(node, value)
        if odd:
            raise _Unknown(odd)
        width = max(map(int, re.findall(r"\d+", spec)), default=0)
        if width > MAX_SEQUENCE:
            raise self.fail(
                node, f"the format {spec[:20]!r} is {width:,} characters wide; lrcli stops at {MAX_SEQUENCE:,}"
            )
        try:
            if node.conversion != -1:
                conversions: dict[int, Callable[[object], str]] = {ord("r"): repr, ord("s"): str, ord("a"): ascii}
                value = conversions[node.conversion](value)
            return format(value, spec)
        except ConfigError:
            raise
        except (ValueError, TypeError) as error:
            raise self.fail(node, f"{_text(node)} fails ({error})") from None

    def v_Attribute(self, node: ast.Attribute) -> object:
        return self.attribute(node, self.value(node.value), node.attr)

    def attribute(self, node: ast.AST, holder: object, name: str) -> object:
        if isinstance(holder, Opaque):
            return holder
        if isinstance(holder, Lazy):
            return holder.attribute(name)
        if isinstance(holder, _Module):
            return self.module_attribute(node, holder, name)
        if (
            isinstance(holder, dict)
            and name in _DICT_METHODS
            and (isinstance(holder, CfgDict) or name not in ("merge", "to_dict"))
        ):
            return _Callable(name, "method", holder)
        if isinstance(holder, list) and name in _LIST_METHODS:
            return _Callable(name, "method", holder)
        if isinstance(holder, str) and name in _STRING_METHODS:
            return _Callable(name, "method", holder)
        if isinstance(holder, (str, tuple, int, float)) and hasattr(holder, name):
            return _Callable(name, "pure", holder)  # their methods change nothing
        if isinstance(holder, CfgDict) and name in holder:
            return holder[name]
        raise self.fail(node, f"{_text(node)} names nothing (a {type(holder).__name__} has no attribute {name})")

    def module_attribute(self, node: ast.AST, module: _Module, name: str) -> object:
        if module.name == "math":
            if not hasattr(math, name):
                raise self.fail(node, f"math has no {name}")
            value = getattr(math, name)
            return value if isinstance(value, float) else _Callable(f"math.{name}", "known")
        if module.name == "copy" and name in ("copy", "deepcopy"):
            return _Callable(f"copy.{name}", "known")
        if module.name in ("os.path", "mmengine.config") or module.name == "copy":
            return _Callable(f"{module.name}.{name}", "pure")
        return Opaque(self.where(node), f"{module.name}.{name} (lrcli does not evaluate {module.name})")

    def v_Subscript(self, node: ast.Subscript) -> object:
        holder = self.value(node.value)
        key = self.value(node.slice)
        if isinstance(holder, Opaque) or isinstance(key, Opaque):
            return holder if isinstance(holder, Opaque) else key
        return self.item(node, holder, key)

    def v_Slice(self, node: ast.Slice) -> object:
        parts = [self.value(part) if part else None for part in (node.lower, node.upper, node.step)]
        for part in parts:
            if isinstance(part, Opaque):
                raise _Unknown(part)
            if part is not None and (isinstance(part, bool) or not isinstance(part, int)):
                raise self.fail(node, "slice bounds must be whole numbers")
        return slice(*parts)

    def item(self, node: ast.AST, holder: object, key: object) -> object:
        """``holder[key]`` of a value lrcli computed."""
        if isinstance(holder, Opaque):
            return holder
        if isinstance(key, slice) and isinstance(holder, (list, tuple, str, range)):
            result = holder[key]
            self.work.spend(len(result), self.where(node))
            return result
        if not isinstance(holder, (dict, list, tuple, str, range)):
            raise self.fail(node, f"{_text(node)}: a {type(holder).__name__} cannot be indexed")
        if isinstance(holder, dict):
            self.check_key(node, key)
        container: Any = holder  # Python's TypeError for a key of the wrong type is the refusal
        try:
            return container[key]
        except (KeyError, IndexError, TypeError):
            raise self.fail(node, f"{_text(node)} names nothing") from None

    def v_UnaryOp(self, node: ast.UnaryOp) -> object:
        operand = self.value(node.operand)
        if isinstance(node.op, ast.Not):
            truth = self.truth(operand)
            return truth if isinstance(truth, Opaque) else not truth
        if isinstance(operand, Opaque):
            return operand
        if (
            isinstance(operand, bool)
            or not isinstance(operand, (int, float))
            or (isinstance(node.op, ast.Invert) and not isinstance(operand, int))
        ):
            raise self.fail(node, f"{_text(node)}: a sign before a {type(operand).__name__}")
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return +operand
        assert isinstance(operand, int)  # ~ of a float is refused above
        return ~operand

    def v_BinOp(self, node: ast.BinOp) -> object:
        return self.operation(node, type(node.op), self.value(node.left), self.value(node.right))

    def operation(self, node: ast.AST, operator: type[ast.operator], left: object, right: object) -> object:
        for side in (left, right):
            if isinstance(side, Opaque):
                return side
        symbol = _OPERATORS.get(operator)
        if symbol is None or symbol == "%" and isinstance(left, str):
            return self.opaque(node, f"{symbol or 'this operator'} is not evaluated by lrcli here")
        numbers = isinstance(left, (int, float)) and isinstance(right, (int, float))
        sized = [] if numbers else [len(side) for side in (left, right) if isinstance(side, (str, list, tuple))]
        try:
            if numbers and symbol == "**":
                return self.work.integers.power(left, right)
            if numbers and symbol == "*":
                return self.work.integers.times(left, right)
            if (
                numbers
                and symbol == "<<"
                and isinstance(left, int)
                and isinstance(right, int)
                and left
                and left.bit_length() + right > MAX_INT_BITS
            ):
                raise ExpressionError(f"<< gives an integer wider than {MAX_INT_BITS} bits")
            if numbers:
                return self.work.integers.spend(_ARITHMETIC[symbol](left, right), symbol)
            if sized and symbol in ("+", "*"):
                count = next((side for side in (left, right) if isinstance(side, int)), 1)
                total = sum(sized) if symbol == "+" else sized[0] * count
                self.check_size(node, total)
                self.work.spend(total, self.where(node))
                return _ARITHMETIC[symbol](left, right)
            if symbol == "|" and isinstance(left, dict) and isinstance(right, dict):
                self.work.spend(len(left) + len(right), self.where(node))
                return left | right
        except ExpressionError as error:
            raise self.fail(node, error.message) from None
        except ConfigError:
            raise
        except (ArithmeticError, TypeError, ValueError) as error:
            raise self.fail(node, f"{_text(node)} fails ({error})") from None
        raise self.fail(node, f"{symbol} of a {type(left).__name__} and a {type(right).__name__}")

    def check_size(self, node: ast.AST, total: int) -> None:
        if total > MAX_SEQUENCE:
            raise self.fail(node, f"this builds a sequence of {total:,} items; lrcli stops at {MAX_SEQUENCE:,}")

    def v_BoolOp(self, node: ast.BoolOp) -> object:
        for operand in node.values[:-1]:
            value = self.value(operand)
            truth = self.truth(value)
            if isinstance(truth, Opaque):
                return self.skip(node, "which side it takes is not known")
            if truth == isinstance(node.op, ast.Or):
                return value
        return self.value(node.values[-1])

    def v_IfExp(self, node: ast.IfExp) -> object:
        test = self.truth(self.value(node.test))
        if isinstance(test, Opaque):
            return self.skip(node, "its condition is not known")
        return self.value(node.body if test else node.orelse)

    @staticmethod
    def truth(value: object) -> bool | Opaque:
        if isinstance(value, Opaque):
            return value
        return True if isinstance(value, (Lazy, _Callable, _Module)) else bool(value)

    def v_Compare(self, node: ast.Compare) -> object:
        left = self.value(node.left)
        for operator, right_node in zip(node.ops, node.comparators):
            right = self.value(right_node)
            result = self.compare(node, _COMPARISONS[type(operator)], left, right)
            if result is not True:
                return result
            left = right
        return True

    def compare(self, node: ast.AST, symbol: str, left: object, right: object) -> bool | Opaque:
        if symbol in ("is", "is not") and not any(side is None or isinstance(side, bool) for side in (left, right)):
            return self.opaque(node, f"{symbol} is evaluated by lrcli only with None, True or False")
        odd = self.plain(node, left, right)
        if odd:
            return odd
        if symbol in ("in", "not in") and isinstance(right, (list, tuple)):
            self.work.spend(len(right) * _scan(left, self.work.items)[0], self.where(node))
        try:
            return _COMPARE[symbol](left, right)
        except TypeError as error:
            raise self.fail(node, f"{_text(node)} fails ({error})") from None

    def v_ListComp(self, node: ast.ListComp) -> object:
        items: list = []
        self.comprehension(node, lambda: items.append(self.value(node.elt)))
        self.check_size(node, len(items))
        return items

    v_GeneratorExp = v_ListComp

    def v_DictComp(self, node: ast.DictComp) -> object:
        items: dict = {}

        def add() -> None:
            key = self.value(node.key)
            if isinstance(key, Opaque):
                raise _Unknown(key)
            self.check_key(node.key, key)
            items[key] = self.value(node.value)

        self.comprehension(node, add)
        self.check_size(node, len(items))
        return items

    def comprehension(self, node: ast.ListComp | ast.GeneratorExp | ast.DictComp, add: Callable[[], None]) -> None:
        """Runs a comprehension's loops, its variables in a scope of their own, ``add`` at each item."""
        outer = self.local
        scope = dict(outer or {})

        def loop(index: int) -> None:
            if index == len(node.generators):
                add()
                return
            generator = node.generators[index]
            self.local = outer if index == 0 else scope  # the first source is read outside the comprehension
            source = self.value(generator.iter)
            if isinstance(source, Opaque):
                raise _Unknown(source)
            for name in _names(generator.target)[0]:
                scope.setdefault(name, None)
            for item in self.iterate(generator.iter, source):
                self.tick(node)
                self.local = scope
                self.assign(generator.target, item)
                truths = (self.truth(self.value(condition)) for condition in generator.ifs)
                for truth in truths:
                    if isinstance(truth, Opaque):
                        raise _Unknown(truth)
                    if not truth:
                        break
                else:
                    loop(index + 1)

        try:
            loop(0)
        except _Unknown as unknown:
            if self.has_effects(node):
                self.effects(f"runs {_text(node)}, which lrcli does not evaluate")
            raise _Unknown(
                self.opaque(
                    node,
                    f"it depends on {unknown.value.why}"
                    if unknown.value
                    else "it depends on values lrcli did not compute",
                )
            ) from None
        finally:
            self.local = outer

    def iterate(self, node: ast.AST, value: object) -> list:
        """The items of ``value``, as ``for`` would give them."""
        if isinstance(value, Opaque):
            raise _Unknown(value)
        if not isinstance(value, (list, tuple, str, dict, range)):
            raise self.fail(node, f"{_text(node)}: a {type(value).__name__} cannot be iterated")
        self.check_size(node, len(value))
        self.work.spend(len(value), self.where(node))
        return list(value)

    def v_Lambda(self, node: ast.Lambda) -> object:
        self.define(node)
        return _Callable("<lambda>", "code")

    # calls

    def v_Call(self, node: ast.Call) -> object:
        function = self.value(node.func)
        arguments: list = []
        keywords: dict = {}
        try:
            for argument in node.args:
                if isinstance(argument, ast.Starred):
                    arguments.extend(self.iterate(argument, self.value(argument.value)))
                else:
                    arguments.append(self.value(argument))
            for keyword in node.keywords:
                pairs = (
                    self.mapping(keyword, self.value(keyword.value)).items()
                    if keyword.arg is None
                    else [(keyword.arg, self.value(keyword.value))]
                )
                for key, value in pairs:
                    if key in keywords or not isinstance(key, str):
                        raise self.fail(node, f"{_text(node.func)}() gets the keyword {key} twice, or one not a string")
                    keywords[key] = value
        except _Unknown as unknown:  # what it is given is not known
            if not isinstance(function, _Callable) or function.kind != "known":
                self.effects(f"calls {_text(node.func)}() with values lrcli did not compute")
            return unknown.value or self.opaque(node, "a call of values lrcli did not compute")
        given = [*arguments, *keywords.values()]
        if isinstance(function, Lazy):
            raise self.fail(
                node,
                f"{_text(node)} calls {function.text}, an imported object; mmengine refuses that "
                "in a config too (what a config imports is only named there, not built)",
            )
        if not isinstance(function, (_Callable, Opaque)):
            raise self.fail(node, f"{_text(node)} fails (a {type(function).__name__} is not callable)")
        if isinstance(function, Opaque) or function.kind == "code":
            self.effects(f"calls {_text(node.func)}(), code lrcli does not run")
            return self.opaque(node, "a call lrcli does not evaluate")
        if function.kind == "pure":
            if any(isinstance(item, (_Callable, Opaque)) for item in given):
                self.effects(f"passes a function to {_text(node.func)}(), which may call it")
            return self.opaque(node, "a call lrcli does not evaluate")
        if function.kind == "method":
            return self.method(node, function, arguments, keywords)
        opaque = next((item for item in given if isinstance(item, Opaque)), None)
        if opaque and function.name != "dict":
            return opaque
        return self.builtin(node, function.name, arguments, keywords)

    def builtin(self, node: ast.Call, name: str, arguments: list, keywords: dict) -> object:
        where = self.where(node)
        try:
            if name == "dict":
                if len(arguments) > 1:
                    raise TypeError(f"dict expected at most 1 argument, got {len(arguments)}")
                result = {}
                if arguments and isinstance(arguments[0], Opaque):
                    raise _Unknown(arguments[0])
                pairs = (
                    arguments[0].items()
                    if arguments and isinstance(arguments[0], dict)
                    else self.iterate(node, arguments[0])
                    if arguments
                    else []
                )
                self.work.spend(len(pairs), where)
                for pair in pairs:
                    pair = tuple(pair) if isinstance(pair, (list, tuple)) else pair
                    if not isinstance(pair, tuple) or len(pair) != 2 or isinstance(pair[0], Opaque):
                        raise (
                            _Unknown(pair[0])
                            if isinstance(pair, tuple) and isinstance(pair[0], Opaque)
                            else TypeError("dict() takes pairs")
                        )
                    self.check_key(node, pair[0])
                    result[pair[0]] = pair[1]
                result.update(keywords)
                return result
            if keywords.keys() - _KEYWORDS.get(name, set()):
                return self.opaque(node, f"{name}() with these keywords is not evaluated by lrcli")
            if name in ("list", "tuple"):
                items = self.iterate(node, arguments[0]) if arguments else []
                return items if name == "list" else tuple(items)
            if name == "range":
                if not all(isinstance(item, int) for item in arguments):
                    raise TypeError("range() takes whole numbers")
                return range(*arguments)
            if name == "len":
                (value,) = arguments
                if not isinstance(value, (list, tuple, str, dict, range)):
                    raise TypeError(f"a {type(value).__name__} has no len()")
                return len(value)
            if name == "enumerate":
                start = keywords.get("start", arguments[1] if len(arguments) > 1 else 0)
                if isinstance(start, bool) or not isinstance(start, int):
                    raise TypeError("enumerate() starts at a whole number")
                return [(start + index, item) for index, item in enumerate(self.iterate(node, arguments[0]))]
            if name == "zip":
                return list(zip(*(self.iterate(node, argument) for argument in arguments)))
            if name in ("reversed", "sorted", "min", "max", "sum"):
                items = self.iterate(node, arguments[0]) if len(arguments) == 1 or name == "sum" else list(arguments)
                start = arguments[1] if name == "sum" and len(arguments) == 2 else keywords.get("start", 0)
                if name == "reversed":
                    return items[::-1]
                kinds = (int, float) if name == "sum" else (int, float, str)
                if not all(isinstance(item, kinds) for item in [*items, start]) or (
                    name != "sum" and len({isinstance(item, str) for item in items}) > 1
                ):
                    return self.opaque(node, f"{name}() of these is not evaluated by lrcli")
                self.work.spend(len(items) * max(1, len(items).bit_length()), where)
                if name == "sorted":
                    return sorted(items, reverse=bool(keywords.get("reverse")))
                if name == "sum":
                    return self.work.integers.spend(sum(items, start), "sum()")
                if not items and "default" in keywords:
                    return keywords["default"]
                return (min if name == "min" else max)(items)
            if name == "round":
                return self.work.integers.round(*arguments, **keywords)
            if name in ("int", "float", "abs", "bool", "str"):
                if name == "str" and len(arguments) == 1 and isinstance(arguments[0], Lazy):
                    return arguments[0].text
                odd = self.plain(node, *arguments)
                if odd:
                    return odd
                if name in ("int", "float", "abs") and arguments and not isinstance(arguments[0], (int, float, str)):
                    raise TypeError(f"{name}() of a {type(arguments[0]).__name__}")
                functions: dict[str, Callable[..., object]] = {
                    "int": int,
                    "float": float,
                    "abs": abs,
                    "bool": bool,
                    "str": str,
                }
                return self.work.integers.spend(functions[name](*arguments), f"{name}()")
            if name == "copy.deepcopy":
                (value,) = arguments
                return _deepcopy(value, {}, self.work, where)
            if name == "copy.copy":
                (value,) = arguments
                if isinstance(value, (dict, list)):
                    self.work.spend(len(value), where)
                    return CfgDict(value) if isinstance(value, CfgDict) else value.copy()
                return value
            if not all(isinstance(item, (int, float)) for item in arguments):
                raise TypeError(f"{name}() takes numbers")
            return self.work.integers.functions()[name[5:]](*arguments)  # math.name
        except ExpressionError as error:
            raise self.fail(node, error.message) from None
        except ConfigError:
            raise
        except (ArithmeticError, TypeError, ValueError) as error:
            raise self.fail(node, f"{_text(node)} fails ({error})") from None

    def method(self, node: ast.Call, function: _Callable, arguments: list, keywords: dict) -> object:
        """A dict's or list's method, on what lrcli computed. What lrcli does not know it for (an
        opaque key, another method) may change the dict or list in ways lrcli does not follow."""
        owner, name, where = function.owner, function.name, self.where(node)
        if isinstance(owner, str):
            return self.string_method(node, owner, name, arguments, keywords)
        assert isinstance(owner, (dict, list))  # the methods attribute() makes are of dicts, lists and strs
        known = _METHODS.get((type(owner) is list, name))
        keys = (
            arguments
            if name not in ("update", "append", "extend", "insert", "setdefault")
            else arguments[:1]
            if name in ("insert", "setdefault")
            else []
        )
        if (
            known is None
            or keywords
            and name != "update"
            or not known[0] <= len(arguments) <= known[1]
            or any(isinstance(item, Opaque) for item in keys)
            or name == "update"
            and arguments
            and not isinstance(arguments[0], dict)
            or name == "merge"
            and not isinstance(arguments[0], dict)
        ):
            self.effects(f"calls {_text(node.func)}(), which lrcli does not follow")
            return self.opaque(node, f"{name}() is not evaluated by lrcli here")
        try:
            if name == "update" and isinstance(owner, dict):  # _METHODS has update, merge for dicts only
                self.update(node, owner, arguments, keywords)
            elif name == "merge" and isinstance(owner, CfgDict):
                self.merge_into(node, owner, arguments[0])
            elif name in ("get", "pop", "setdefault") and isinstance(owner, dict):
                self.check_key(node, arguments[0])
                default = arguments[1] if len(arguments) == 2 else None
                if name == "pop" and len(arguments) == 1 and not isinstance(owner, CfgDict):
                    return owner.pop(arguments[0])  # a ConfigDict's pop defaults to None
                if name == "setdefault" and arguments[0] not in owner:
                    owner[arguments[0]] = _hooked(default, self.work, where) if isinstance(owner, CfgDict) else default
                    return default
                return getattr(owner, name if name != "setdefault" else "get")(arguments[0], default)
            elif name == "extend" and isinstance(owner, list):  # a list's only
                self.in_place(node, owner, ast.Add(), arguments[0])
            else:
                if name in ("append", "insert"):
                    self.check_size(node, len(owner) + 1)
                if name == "insert" and (isinstance(arguments[0], bool) or not isinstance(arguments[0], int)):
                    raise TypeError("insert() takes a whole number")
                odd = self.plain(node, *arguments) if name in ("index", "count", "remove") else None
                if odd:
                    if name == "remove":
                        self.effects(f"calls {_text(node.func)}() with values lrcli did not compute")
                    return odd
                self.work.spend(len(owner), where)
                result = getattr(owner, name)(*arguments)
                return result if name not in ("keys", "values", "items") else list(result)
        except ConfigError:
            raise
        except (KeyError, IndexError, TypeError, ValueError) as error:
            raise self.fail(node, f"{_text(node)} fails ({error!r})") from None
        return None

    def string_method(self, node: ast.Call, owner: str, name: str, arguments: list, keywords: dict) -> object:
        """A str method of :data:`_STRING_METHODS`, its result's size checked before it is made."""
        odd = self.plain(node, *arguments, *keywords.values())
        if odd:
            return odd
        items = self.iterate(node, arguments[0]) if name == "join" and len(arguments) == 1 else []
        if name == "format":
            fields = [part for part in _FORMATTER.parse(owner) if part[1] is not None]
            if keywords or any(
                not (field or "").isdigit() and field != "" or "{" in (spec or "") for _, field, spec, _ in fields
            ):
                return self.opaque(
                    node, "format() with named fields, or formats inside formats, is not evaluated by lrcli"
                )
            width = max(
                (int(digits) for _, _, spec, _ in fields for digits in re.findall(r"\d+", spec or "")), default=0
            )
            size = len(owner) + width + sum(_scan(item, self.work.items)[0] for item in arguments)
        elif name == "replace" and len(arguments) >= 2 and all(isinstance(item, str) for item in arguments[:2]):
            old, new = arguments[:2]
            size = len(owner) + (owner.count(old) if old else len(owner) + 1) * len(new)
        elif name == "join":
            size = sum(len(item) if isinstance(item, str) else 0 for item in items) + len(owner) * len(items)
        else:
            size = len(owner)
        self.check_size(node, size)
        self.work.spend(size, self.where(node))
        try:
            result = owner.join(items) if name == "join" else getattr(owner, name)(*arguments, **keywords)
        except (TypeError, ValueError, IndexError, KeyError) as error:
            raise self.fail(node, f"{_text(node)} fails ({error})") from None
        self.check_size(node, len(result) if isinstance(result, (str, list)) else 0)
        return result

    def update(self, node: ast.AST, owner: dict, arguments: list, keywords: dict) -> None:
        """``owner.update(...)``; a ConfigDict's merges a dict into a dict it holds under the same key."""
        other = {**(arguments[0] if arguments else {}), **keywords}
        where = self.where(node)
        self.work.spend(len(other), where)
        for key, value in other.items():
            self.check_key(node, key)
            current = owner.get(key)
            if not isinstance(owner, CfgDict):
                owner[key] = value
            elif key in owner and (
                isinstance(current, Opaque) or isinstance(value, Opaque) and isinstance(current, dict)
            ):
                owner[key] = value if isinstance(value, Opaque) else current  # merged or replaced: not known
            elif isinstance(current, dict) and isinstance(value, dict):
                self.update(node, current, [value], {})
            else:
                owner[key] = _hooked(value, self.work, where)

    def merge_into(self, node: ast.AST, owner: CfgDict, other: dict) -> None:
        """``ConfigDict.merge``: ``other`` merged into copies of ``owner``'s values, a ``_delete_``
        clearing the dict it is merged into."""
        where, missing = self.where(node), object()

        def merged(a: object, b: object) -> object:
            if isinstance(a, dict):
                if not isinstance(b, dict):
                    a.pop(DELETE_KEY, None)
                    return a
                if a.pop(DELETE_KEY, False):
                    b.clear()
                self.work.spend(len(a) + len(b), where)
                return {key: merged(a.get(key, missing), b.get(key, missing)) for key in [*b, *a] if key != DELETE_KEY}
            return a if a is not missing else b

        result = merged(_deepcopy(other, {}, self.work, where), _deepcopy(owner, {}, self.work, where))
        assert isinstance(result, dict)  # a dict merged into a dict
        owner.clear()
        for key, value in result.items():
            owner[key] = _hooked(value, self.work, where)


_ARITHMETIC = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "//": lambda a, b: a // b,
    "%": lambda a, b: a % b,
    "<<": lambda a, b: a << b,
    ">>": lambda a, b: a >> b,
    "&": lambda a, b: a & b,
    "|": lambda a, b: a | b,
    "^": lambda a, b: a ^ b,
}
_COMPARE = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b,
    "is": lambda a, b: a is b,
    "is not": lambda a, b: a is not b,
}
_KEYWORDS = {
    "enumerate": {"start"},
    "sorted": {"reverse"},
    "min": {"default"},
    "max": {"default"},
    "sum": {"start"},
    "round": {"ndigits"},
}
_METHODS = {
    **{
        (False, name): bounds
        for name, bounds in {
            "update": (0, 1),
            "merge": (1, 1),
            "get": (1, 2),
            "pop": (1, 2),
            "setdefault": (1, 2),
            "keys": (0, 0),
            "values": (0, 0),
            "items": (0, 0),
            "copy": (0, 0),
            "clear": (0, 0),
        }.items()
    },
    **{
        (True, name): bounds
        for name, bounds in {
            "append": (1, 1),
            "extend": (1, 1),
            "insert": (2, 2),
            "pop": (0, 1),
            "remove": (1, 1),
            "index": (1, 1),
            "count": (1, 1),
            "copy": (0, 0),
            "clear": (0, 0),
            "reverse": (0, 0),
        }.items()
    },
}
"""The dict (False) and list (True) methods lrcli follows, with how many arguments they take."""
_STRING_METHODS = frozenset(
    {
        "capitalize",
        "lower",
        "upper",
        "title",
        "strip",
        "lstrip",
        "rstrip",
        "startswith",
        "endswith",
        "replace",
        "join",
        "split",
        "rsplit",
        "format",
    }
)
_FORMATTER = string.Formatter()


class _Unknown(Exception):
    """A comprehension's source or condition is opaque."""

    def __init__(self, value: Opaque | None = None) -> None:
        super().__init__()
        self.value = value


def _names(node: ast.AST) -> tuple[set[str], set[str], bool]:
    """The names ``node`` may assign (not a comprehension's or a function's own), the names it
    reads, and whether running it may change values (a call, an assignment into something, del)."""
    stored: set[str] = set()
    loaded: set[str] = set()
    effects = False
    pending = [(node, False)]
    while pending:
        item, inner = pending.pop()
        if isinstance(item, ast.Name):
            (loaded if isinstance(item.ctx, ast.Load) else stored if not inner else set()).add(item.id)
        elif isinstance(item, ast.NamedExpr):
            stored.add(item.target.id)
            effects = True
        elif isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stored.add(item.name)
        elif isinstance(item, ast.Global):
            stored.update(item.names)
        elif isinstance(item, (ast.Call, ast.Delete, ast.AugAssign)) or (
            isinstance(item, (ast.Attribute, ast.Subscript)) and not isinstance(item.ctx, ast.Load)
        ):
            effects = True
            if isinstance(item, ast.AugAssign) and isinstance(item.target, ast.Name):
                loaded.add(item.target.id)  # `l += x` changes the list l holds
        scoped = inner or isinstance(
            item, (ast.comprehension, ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        )
        pending.extend(
            (child, scoped if not isinstance(item, ast.comprehension) or child is item.target else inner)
            for child in ast.iter_child_nodes(item)
        )
    return stored, loaded, effects


def _text(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _described(node: ast.AST) -> str:
    words = {
        ast.SetComp: "a set comprehension",
        ast.Set: "a set",
        ast.Await: "await",
        ast.Yield: "yield",
        ast.YieldFrom: "yield",
    }
    return words.get(type(node), f"a {type(node).__name__} expression")


_STATEMENTS = {getattr(ast, name[3:]): method for name, method in vars(_Reader).items() if name.startswith("do_")}
_EXPRESSIONS = {getattr(ast, name[2:]): method for name, method in vars(_Reader).items() if name.startswith("v_")}
