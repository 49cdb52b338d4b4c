"""DeepSpeed config files (``ds_config.json``), read as DeepSpeed 0.19.8 or the HF Trainer reads them,
without running anything.

DeepSpeed reads the file with ``hjson`` (comments ``#``, ``//`` and ``/* */``, unquoted keys,
quoteless values, optional commas) and refuses a key given twice in one object. lrcli reads that
language with a small reader of its own: the same values as hjson 3.1 for every document it
accepts (``1.0`` and ``1e3`` are ints there, as hjson makes them), and an error for the few forms it
does not read (``'''`` strings, a top level without braces, a ``\\u`` escape other than four hex
digits); ``scripts/fuzz_hjson.py`` compares it with hjson on random documents. The HF Trainer
instead reads the file with Python's ``json`` (no comments; a key given twice keeps its last value), then fills the
``"auto"`` values from its arguments before DeepSpeed sees them (``transformers`` 5.23,
``HfTrainerDeepSpeedConfig``): ``optimizer.params.lr`` and ``scheduler.params.warmup_max_lr``
from ``learning_rate``, ``warmup_min_lr`` 0, ``total_num_steps`` from the number of training steps,
``warmup_num_steps`` from ``max(1, warmup steps)``; a value given that differs from the Trainer's
is its ValueError.

Files are read up to 1,000,000 characters and 64 levels deep. Every error is one line naming the
file, the line and the key.
"""

from __future__ import annotations

import builtins
import json
import math
import re
from dataclasses import dataclass, field

from lrcli.config import MAX_FILE_BYTES, ConfigError
from lrcli.engine.core import ScheduleError, Scheduler
from lrcli.engine.deepspeed import CLASSES, PER_GROUP, deepspeed_schedulers, deepspeed_warnings

MAX_DEPTH = 64

TORCH_SCHEDULERS = (
    "LambdaLR",
    "MultiplicativeLR",
    "StepLR",
    "MultiStepLR",
    "ConstantLR",
    "LinearLR",
    "ExponentialLR",
    "SequentialLR",
    "PolynomialLR",
    "CosineAnnealingLR",
    "ChainedScheduler",
    "ReduceLROnPlateau",
    "CyclicLR",
    "CosineAnnealingWarmRestarts",
    "OneCycleLR",
)
"""The ``torch.optim.lr_scheduler`` classes a ``"type"`` DeepSpeed does not have may name."""

BETAS_OPTIMIZERS = ("adam", "adamw", "lamb", "lion", "muadam", "muadamw", "onebitadam", "zerooneadam", "onebitlamb")
"""DeepSpeed's optimizers with ``betas`` (OneCycle cycles ``betas[0]``; for the others it cycles nothing)."""

_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?[\t ]*")
_PUNCTUATION = "{}[],:"
_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}

Path = tuple


class _Hjson:
    """A reader of DeepSpeed's hjson: ``document()`` gives the value and the line of every key."""

    def __init__(self, text: str, name: str, duplicates: bool) -> None:
        self.text, self.name, self.duplicates = text, name, duplicates
        self.at = 1 if text.startswith("\ufeff") else 0
        self.lines: dict[Path, int] = {}

    def fail(self, message: str, at: int | None = None, path: Path = ()) -> ConfigError:
        line = self.text.count("\n", 0, self.at if at is None else at) + 1
        key = f" {'.'.join(map(str, path))}:" if path else ""
        return ConfigError(f"{self.name}:{line}:{key} {message}")

    def peek(self, offset: int = 0) -> str:
        return self.text[self.at + offset : self.at + offset + 1]

    def skip(self) -> str:
        """Skip blanks and comments; the next character ('' at the end)."""
        text = self.text
        while True:
            while self.peek() in (" ", "\t", "\n", "\r") and self.peek():
                self.at += 1
            ch, after = self.peek(), self.peek(1)
            if ch == "#" or (ch == "/" and after == "/"):
                while self.peek() not in ("\n", "\r", ""):
                    self.at += 1
            elif ch == "/" and after == "*":
                end = text.find("*/", self.at + 2)
                if end < 0:
                    raise self.fail("a /* comment is not closed")
                self.at = end + 2
            else:
                return ch

    def document(self) -> dict:
        ch = self.skip()
        if ch == "":
            return {}
        if ch != "{":
            raise self.fail("lrcli reads a config in braces { … } (hjson's top level without braces is not read)")
        value = self.value((), 0)
        if self.skip() != "":
            raise self.fail("extra text after the config's closing brace")
        assert isinstance(value, dict)  # it starts with {
        return value

    def value(self, path: Path, depth: int) -> object:
        ch = self.peek()
        if ch in ('"', "'"):
            if self.text.startswith("'''", self.at):
                raise self.fail("lrcli does not read ''' strings", path=path)
            return self.string(path)
        if ch in ("{", "["):
            if depth >= MAX_DEPTH:
                raise self.fail(f"nested over {MAX_DEPTH} deep; lrcli reads shallower configs", path=path)
            return self.object(path, depth + 1) if ch == "{" else self.array(path, depth + 1)
        return self.bare(path)

    def object(self, path: Path, depth: int) -> dict:
        self.at += 1
        pairs: dict = {}
        if self.skip() == "}":
            self.at += 1
            return pairs
        while True:
            start = self.skip()
            if start == "":
                raise self.fail("the config ends inside { … }: a closing brace is missing", path=path)
            key_at = self.at
            key = self.key(path)
            if self.skip() != ":":
                raise self.fail(f"expected ':' after the key {key!r}", path=path + (key,))
            self.at += 1
            self.skip()
            if key in pairs and not self.duplicates:
                raise self.fail(
                    f"Duplicate keys in DeepSpeed config: [{key!r}] (DeepSpeed refuses a key given twice)",
                    key_at,
                    path + (key,),
                )
            self.lines[path + (key,)] = self.text.count("\n", 0, key_at) + 1
            pairs.pop(key, None)
            pairs[key] = self.value(path + (key,), depth)
            if self.skip() == ",":
                self.at += 1
                self.skip()
            if self.peek() == "}":
                self.at += 1
                return pairs

    def array(self, path: Path, depth: int) -> list:
        self.at += 1
        items: list = []
        if self.skip() == "]":
            self.at += 1
            return items
        while True:
            if self.skip() == "":
                raise self.fail("the config ends inside [ … ]: a closing bracket is missing", path=path)
            items.append(self.value(path, depth))
            if self.skip() == ",":
                self.at += 1
                self.skip()
            if self.peek() == "]":
                self.at += 1
                return items

    def key(self, path: Path) -> str:
        if self.peek() in ('"', "'"):
            return self.string(path)
        start, text = self.at, self.text
        end = start
        while end < len(text) and text[end] != ":":
            if text[end] in "{}[],":
                raise self.fail(f"found {text[end]!r} where a key was expected", end, path)
            end += 1
        if end == len(text):
            raise self.fail("the config ends inside a key", end, path)
        raw = text[start:end]
        if not raw:
            raise self.fail("found ':' but no key name", start, path)
        trimmed = raw.rstrip(" \t\n\r")
        if any(ch in " \t\n\r" for ch in trimmed):
            raise self.fail(f"whitespace in the key {trimmed!r} (quote it)", start, path)
        self.at = end
        return raw.rstrip() if trimmed != raw else raw  # hjson strips any trailing space after an ASCII one

    def string(self, path: Path) -> str:
        quote, start, text = self.peek(), self.at, self.text
        self.at += 1
        parts: list[str] = []
        while True:
            if self.at >= len(text):
                raise self.fail("a string is not closed", start, path)
            ch = text[self.at]
            self.at += 1
            if ch == quote:
                return "".join(parts)
            if ch < " ":
                raise self.fail("a control character inside a string", self.at - 1, path)
            if ch != "\\":
                parts.append(ch)
                continue
            escape = self.peek()
            self.at += 1
            if escape in _ESCAPES:
                parts.append(_ESCAPES[escape])
            elif escape == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", text[self.at : self.at + 4]):
                code = int(text[self.at : self.at + 4], 16)
                self.at += 4
                low = text[self.at + 2 : self.at + 6]
                if (
                    0xD800 <= code < 0xDC00
                    and text.startswith("\\u", self.at)
                    and re.fullmatch(r"[0-9a-fA-F]{4}", low)
                    and 0xDC00 <= int(low, 16) < 0xE000
                ):
                    code = 0x10000 + ((code - 0xD800) << 10 | (int(low, 16) - 0xDC00))
                    self.at += 6
                parts.append(chr(code))
            else:
                raise self.fail(f"an invalid escape \\{escape} inside a string", self.at - 2, path)

    def bare(self, path: Path) -> builtins.object:  # (object here is the method above)
        """A value without quotes: ``true``, ``false``, ``null`` or a number ending where a
        ``,``, ``}``, ``]`` or comment can end it, else the rest of the line as a string."""
        text, start = self.text, self.at
        if self.peek() in _PUNCTUATION or self.peek() == "":
            raise self.fail("expected a value", path=path)
        end = start
        while True:
            ch = text[end : end + 1]
            at_end = ch in ("\n", "\r", "")
            if at_end or ch in ",}]#" or (ch == "/" and text[end + 1 : end + 2] in ("/", "*")):
                word = text[start:end]
                literal = {"true": True, "false": False, "null": None}.get(word.strip(), ...)
                if literal is not ...:
                    self.at = end
                    return literal
                number = _NUMBER.fullmatch(word)
                if number is not None:
                    self.at = end
                    return self.number(number, path, start)
                if at_end:
                    self.at = end
                    return word.strip()
            end += 1

    def number(self, match: re.Match, path: Path, start: int) -> int | float:
        whole, fraction, exponent = match.groups()
        if not (fraction or exponent):
            return int(whole)
        value = float(whole + (fraction or "") + (exponent or ""))
        if math.isinf(value):
            raise self.fail(f"{match.group(0).strip()} is too large a number (hjson fails on it)", start, path)
        return int(value) if int(value) == value and abs(value) < 1e10 else value


def parse_hjson(text: str, name: str = "<config>", duplicates: bool = False) -> tuple[dict, dict[Path, int]]:
    """The config in ``text`` as DeepSpeed's ``hjson.load`` reads it (a key given twice refused,
    unless ``duplicates``: then the last is kept), and the line of every key by its path.

    A value without quotes runs to the end of its line unless it is a number, true, false or null:

    >>> parse_hjson('{type: WarmupLR, steps: 10 # a comment\\n}')[0]
    {'type': 'WarmupLR, steps: 10 # a comment'}
    >>> config, lines = parse_hjson('{\\n  scheduler: {\\n    type: WarmupLR\\n    params: {warmup_max_lr: 1.0}\\n  }\\n}')
    >>> config, lines[("scheduler", "params", "warmup_max_lr")]
    ({'scheduler': {'type': 'WarmupLR', 'params': {'warmup_max_lr': 1}}}, 4)
    """
    reader = _Hjson(text, name, duplicates)
    return reader.document(), reader.lines


@dataclass(frozen=True)
class TrainerArguments:
    """The HF Trainer's arguments that fill a config's ``"auto"`` values: ``learning_rate`` (the
    Trainer's default 5e-5), the number of training steps (``max_steps``, or what the Trainer
    computes from epochs), and ``warmup_steps`` (a count from 1 up, below 1 a ratio of the
    training steps rounded up, as ``get_warmup_steps`` reads it)."""

    num_training_steps: int
    learning_rate: float = 5e-5
    warmup_steps: float = 0

    @property
    def warmup(self) -> int:
        """``args.get_warmup_steps(num_training_steps)``.

        >>> TrainerArguments(333, warmup_steps=0.1).warmup, TrainerArguments(333, warmup_steps=7.9).warmup
        (34, 7)
        """
        from lrcli.trainer import warmup_steps

        return warmup_steps(self.warmup_steps, self.num_training_steps)


@dataclass(frozen=True)
class DeepSpeedConfig:
    """A config's scheduler as DeepSpeed builds it: ``type`` (one of DeepSpeed's five classes,
    or, when ``torch``, a ``torch.optim.lr_scheduler`` class) and ``params``, the keywords its
    constructor receives (``"auto"`` values filled when read for the Trainer); the optimizer's
    ``type`` and ``lr`` (the Trainer's ``learning_rate`` when it builds the optimizer itself), and
    the line of every key, for errors."""

    path: str
    type: str
    params: dict
    optimizer_type: str | None = None
    optimizer_lr: float | None = None
    trainer: bool = False
    lines: dict[Path, int] = field(default_factory=dict, repr=False)

    @property
    def torch(self) -> bool:
        return self.type not in CLASSES

    @property
    def has_betas(self) -> bool:
        """Whether the optimizer has ``betas`` (the Trainer's own optimizer is AdamW)."""
        if self.optimizer_type is None:
            return self.trainer
        return self.optimizer_type.lower() in BETAS_OPTIMIZERS

    def error(self, key: Path, message: str) -> ConfigError:
        """An error at ``key`` (its nearest enclosing key that the file has)."""
        while key and key not in self.lines:
            key = key[:-1]
        line = f"{self.lines[key]}:" if key else ""
        return ConfigError(
            f"{self.path}:{line} {'.'.join(map(str, key))}: {message}" if key else f"{self.path}: {message}"
        )

    def schedulers(self, groups: int) -> list[Scheduler]:
        """DeepSpeed's scheduler on an optimizer of ``groups`` param groups, one per group (the five
        classes only; a torch type is lrcli's torch replay). OneCycle cycles no momentum when the
        optimizer has no ``betas``, as DeepSpeed."""
        params = dict(self.params)
        if self.type == "OneCycle" and not self.has_betas:
            params["cycle_momentum"] = False
        try:
            return deepspeed_schedulers(self.type, params, groups)
        except ScheduleError as error:
            raise self.error(self._key_of(error), str(error)) from None

    def warnings(self) -> list[str]:
        """What DeepSpeed logs but runs anyway."""
        return deepspeed_warnings(self.type, self.params, self.has_betas)

    def _key_of(self, error: ScheduleError) -> Path:
        """The parameter an engine error is about: the one it names, else the type."""
        if error.param is not None:
            return ("scheduler", "params", error.param)
        text = str(error).split(" (it takes")[0]
        labels = {label: key for key, label in PER_GROUP.get(self.type, {}).items()}
        named = (
            [key for key in self.params if f"'{key}'" in text]
            or [key for key in self.params if re.search(rf"\b{re.escape(str(key))}\b", text)]
            or [labels[label] for label in labels if re.search(rf"\bfor {re.escape(label)}\b", text)]
        )
        return ("scheduler", "params", named[0]) if named else ("scheduler", "type")


def _text(path: str) -> str:
    """The file's text, up to :data:`MAX_FILE_BYTES` characters."""
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ConfigError(f"{path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    if len(text) > MAX_FILE_BYTES:
        raise ConfigError(f"{path}: over {MAX_FILE_BYTES:,} characters; lrcli reads configs up to that")
    return text


def read_hjson(path: str, duplicates: bool = False) -> tuple[dict, dict[Path, int]]:
    """The file at ``path`` read by :func:`parse_hjson`."""
    return parse_hjson(_text(path), path, duplicates)


def read_deepspeed_config(path: str, trainer: TrainerArguments | None = None) -> DeepSpeedConfig:
    """The scheduler of the DeepSpeed config at ``path``: read as DeepSpeed reads it, or, with
    ``trainer``, as the HF Trainer reads it and fills its ``"auto"`` values."""
    text = _text(path)
    if trainer is None:
        config, lines = parse_hjson(text, path)
    else:
        try:
            config = json.loads(text)
        except json.JSONDecodeError as error:
            raise ConfigError(f"{path}:{error.lineno}: {error.msg} (the HF Trainer reads the file as JSON)") from None
        except RecursionError:
            raise ConfigError(f"{path}: nested too deep") from None
        if not isinstance(config, dict):
            raise ConfigError(f"{path}:1: the config must be a JSON object")
        try:
            lines = parse_hjson(text, path, duplicates=True)[1]
        except ConfigError:
            lines = {}
    return _scheduler(path, config, lines, trainer)


def _section(path: str, config: dict, lines: dict, key: str) -> dict | None:
    section = config.get(key)
    if section is not None and not isinstance(section, dict):
        raise ConfigError(f"{path}:{lines.get((key,), 1)}: {key}: must be an object, got {section!r}")
    return section


def _scheduler(path: str, config: dict, lines: dict[Path, int], trainer: TrainerArguments | None) -> DeepSpeedConfig:
    optimizer = _section(path, config, lines, "optimizer")
    scheduler = _section(path, config, lines, "scheduler")
    if scheduler is None or "type" not in scheduler:
        where = 'no "scheduler" section' if scheduler is None else 'a "scheduler" without a "type"'
        then = (
            "the HF Trainer then builds its own (--lr_scheduler_type: lrcli transformers)"
            if trainer is not None
            else "DeepSpeed then keeps the optimizer's lr"
        )
        raise ConfigError(f"{path}: {where}: {then}")
    kind, params = scheduler["type"], scheduler.get("params")
    if not isinstance(kind, str) or (kind not in CLASSES and kind not in TORCH_SCHEDULERS):
        raise ConfigError(
            f"{path}:{lines.get(('scheduler', 'type'), 1)}: scheduler.type: DeepSpeed does not recognize LR "
            f"scheduler {kind!r} (it has {', '.join(CLASSES)}, and torch.optim.lr_scheduler's)"
        )
    if not isinstance(params, dict):
        raise ConfigError(
            f"{path}:{lines.get(('scheduler', 'params'), lines.get(('scheduler',), 1))}: scheduler.params: "
            f"DeepSpeed passes it as the scheduler's keywords: an object is needed, got {params!r}"
        )
    optimizer_params = optimizer.get("params") if optimizer is not None else None
    optimizer_params = optimizer_params if isinstance(optimizer_params, dict) else {}
    params, optimizer_lr = dict(params), optimizer_params.get("lr")
    if trainer is not None:
        optimizer_lr = _fill(path, lines, trainer, params, optimizer_params)
        if optimizer is None:  # the Trainer builds its own optimizer, at learning_rate
            optimizer_lr = trainer.learning_rate
    result = DeepSpeedConfig(
        path,
        kind,
        params,
        optimizer.get("type") if optimizer is not None else None,
        optimizer_lr,
        trainer is not None,
        lines,
    )
    for key, value in [(("optimizer", "params", "lr"), optimizer_lr)] + [
        (("scheduler", "params", name), value) for name, value in params.items()
    ]:
        if value == "auto":
            raise result.error(key, '"auto" is filled by the HF Trainer: give its learning rate, steps and warmup')
    return result


def _fill(path: str, lines: dict, trainer: TrainerArguments, params: dict, optimizer_params: dict) -> object:
    """``HfTrainerDeepSpeedConfig``'s fills of the lr's keys, its mismatches refused; the optimizer's lr."""
    mismatches = []

    def fill(where: dict, key: Path, value: object, name: str | None) -> object:
        held = where.get(key[-1])
        if held == "auto":
            where[key[-1]] = value
        elif name is not None and held is not None and held != value:
            mismatches.append((key, f"- ds {'.'.join(key)}={held} vs hf {name}={value}"))
        return where.get(key[-1])

    lr = fill(optimizer_params, ("optimizer", "params", "lr"), trainer.learning_rate, "learning_rate")
    fill(params, ("scheduler", "params", "warmup_min_lr"), 0, None)
    fill(params, ("scheduler", "params", "warmup_max_lr"), trainer.learning_rate, "learning_rate")
    fill(
        params,
        ("scheduler", "params", "total_num_steps"),
        trainer.num_training_steps,
        "num_training_steps (calculated)",
    )
    fill(params, ("scheduler", "params", "warmup_num_steps"), max(1, trainer.warmup), "warmup_steps")
    if mismatches:
        key, text = mismatches[0]
        more = f" (and {len(mismatches) - 1} more)" if len(mismatches) > 1 else ""
        raise ConfigError(
            f"{path}:{lines.get(key, 1)}: {'.'.join(key)}: the HF Trainer refuses a value that "
            f'mismatches its arguments: {text.removeprefix("- ")}{more}; set it to "auto"'
        )
    return lr
