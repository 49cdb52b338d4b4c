"""Ultralytics training arguments (``args.yaml``, ``yolo train key=value …``), read as Ultralytics
8.4 reads them, without running anything.

A run's ``args.yaml`` is a flat YAML mapping that ``yaml.safe_dump`` wrote; lrcli reads that form
with a small reader of its own (PyYAML's YAML 1.1 rules for plain scalars: ``True``/``yes``/``on``
are booleans, ``1e-05`` without a dot is a string, ``1.0e-05`` a float, ``~``/``null``/nothing is
None; quoted strings; ``[…]`` lists and ``- item`` lists of scalars) and refuses the rest: tags
(``!…``), anchors and aliases, nested mappings, several documents. A ``key=value`` word is read as
``yolo`` reads it (``cfg.smart_value``): ``none``/``true``/``false`` in any case, else a Python
literal (``ast.literal_eval``, never ``eval``), else the text. Files are read up to 1,000,000
characters, values up to 1,000; every error is one line naming the file (or the word), the line
and the key.

The keys the schedule needs are checked as ``cfg.check_cfg`` checks them (fractions in [0, 1],
counts whole, flags boolean); the defaults are ``cfg/default.yaml``'s.
"""

from __future__ import annotations

import ast
import math
import re

from lrcli.config import MAX_FILE_BYTES, ConfigError

MAX_VALUE = 1000

DEFAULTS: dict[str, object] = {
    "epochs": 100,
    "time": None,
    "batch": 16,
    "optimizer": "auto",
    "cos_lr": False,
    "resume": False,
    "compile": False,
    "fraction": 1.0,
    "lr0": 0.01,
    "lrf": 0.01,
    "momentum": 0.937,
    "weight_decay": 0.0005,
    "warmup_epochs": 3.0,
    "warmup_momentum": 0.8,
    "warmup_bias_lr": 0.1,
    "nbs": 64,
}
"""``cfg/default.yaml``'s values of the keys the schedule reads (8.4.190)."""

KEYS = frozenset(
    [
        "task",
        "mode",
        "model",
        "data",
        "epochs",
        "time",
        "patience",
        "batch",
        "imgsz",
        "save",
        "save_period",
        "cache",
        "device",
        "workers",
        "project",
        "name",
        "exist_ok",
        "pretrained",
        "cls_remap",
        "optimizer",
        "verbose",
        "seed",
        "deterministic",
        "single_cls",
        "rect",
        "cos_lr",
        "close_mosaic",
        "resume",
        "amp",
        "fraction",
        "profile",
        "freeze",
        "multi_scale",
        "compile",
        "channels_last",
        "overlap_mask",
        "mask_ratio",
        "dropout",
        "val",
        "split",
        "save_json",
        "conf",
        "iou",
        "max_det",
        "quantize",
        "dnn",
        "plots",
        "nms",
        "source",
        "vid_stride",
        "stream_buffer",
        "visualize",
        "augment",
        "agnostic_nms",
        "classes",
        "retina_masks",
        "embed",
        "show",
        "save_frames",
        "save_txt",
        "save_conf",
        "save_crop",
        "show_labels",
        "show_conf",
        "show_boxes",
        "line_width",
        "format",
        "optimize",
        "dynamic",
        "simplify",
        "opset",
        "workspace",
        "lr0",
        "lrf",
        "momentum",
        "weight_decay",
        "warmup_epochs",
        "warmup_momentum",
        "warmup_bias_lr",
        "distill_model",
        "dis",
        "box",
        "cls",
        "cls_pw",
        "dfl",
        "pose",
        "kobj",
        "rle",
        "angle",
        "dlog",
        "dgrad",
        "dlam",
        "nbs",
        "hsv_h",
        "hsv_s",
        "hsv_v",
        "degrees",
        "translate",
        "scale",
        "shear",
        "perspective",
        "flipud",
        "fliplr",
        "bgr",
        "mosaic",
        "mixup",
        "cutmix",
        "copy_paste",
        "copy_paste_mode",
        "auto_augment",
        "erasing",
        "cfg",
        "tracker",
    ]
)
"""Every key of 8.4.190's ``cfg/default.yaml``: what ``yolo train key=value`` accepts (an args.yaml
also holds keys the trainer adds, such as ``save_dir``, and those of other versions)."""

TASKS = ("detect", "segment", "semantic", "depth", "classify", "pose", "obb")
MODES = ("train", "val", "predict", "export", "track", "benchmark")

FRACTIONS = ("lr0", "lrf", "momentum", "weight_decay", "warmup_momentum", "warmup_bias_lr")
OPTIMIZERS = ("Adam", "Adamax", "AdamW", "NAdam", "RAdam", "RMSprop", "SGD", "MuSGD", "auto")

_BOOL = re.compile(r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?|\.[0-9]+(?:[eE][-+][0-9]+)?")
_INF = re.compile(r"([-+]?)\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
_ODD = re.compile(
    r"[-+]?(?:0b[01_]+|0[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[0-9.]*_[0-9_.]*)"
)
_ESCAPED = re.compile(r'(?:[^"\\]|\\["\\/nt])*')
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*:(?:\s+|$)(.*)")


def yaml_scalar(text: str, where: str) -> object:
    """A plain or quoted YAML scalar as PyYAML's safe loader reads it.

    >>> [yaml_scalar(text, "") for text in ("True", "off", "1e-05", "1.0e-05", "3.", "~", "'it''s'", "0.01")]
    [True, False, '1e-05', 1e-05, 3.0, None, "it's", 0.01]
    """
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text[0] in "!&*":
        raise ConfigError(f"{where}: {text!r}: YAML tags, anchors and aliases are not read (lrcli runs nothing)")
    if text[0] == "'":
        if len(text) < 2 or text[-1] != "'" or re.search(r"(?<!')'(?!')", text[1:-1].replace("''", "")):
            raise ConfigError(f"{where}: {text!r}: lrcli reads quoted strings that end on their line")
        return text[1:-1].replace("''", "'")
    if text[0] == '"':
        if len(text) < 2 or text[-1] != '"' or not _ESCAPED.fullmatch(text[1:-1]):
            raise ConfigError(
                f'{where}: {text!r}: lrcli reads quoted strings that end on their line (escapes \\" \\\\ \\/ \\n \\t)'
            )
        escapes = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "t": "\t"}
        return re.sub(r"\\(.)", lambda match: escapes[match.group(1)], text[1:-1])
    if text[0] in "{}[],#|>%@`" or text == "-" or text.startswith(("? ", "- ")) or ": " in text or text.endswith(":"):
        raise ConfigError(f"{where}: {text!r}: lrcli reads a flat mapping of scalars and lists")
    if _BOOL.fullmatch(text):
        return text.lower() in ("yes", "true", "on")
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    infinity = _INF.fullmatch(text)
    if infinity:
        return -math.inf if infinity.group(1) == "-" else math.inf
    if _NAN.fullmatch(text):
        return math.nan
    if _ODD.fullmatch(text):
        raise ConfigError(f"{where}: {text!r}: YAML 1.1's octal, hex, binary, base-60 and _ numbers are not read")
    return text


def _value(text: str, where: str) -> object:
    """A value after ``key:``: a scalar or a ``[…]`` list of plain scalars (one trailing comma allowed)."""
    if not text.startswith("["):
        return yaml_scalar(text, where)
    if not text.endswith("]") or any(char in text[1:-1] for char in "[]{}'\":"):
        raise ConfigError(f"{where}: {text!r}: lrcli reads [ lists of plain scalars that end on their line")
    items = [item.strip() for item in text[1:-1].split(",")]
    if text[1:-1].strip() == "":
        return []
    if items[-1] == "" and len(items) > 1:
        items.pop()  # [a, b, ]
    if "" in items:
        raise ConfigError(f"{where}: {text!r}: a [ list with an empty item (YAML refuses it)")
    return [yaml_scalar(item, where) for item in items]


def _without_comment(line: str) -> str:
    """``line`` without a ``#`` comment: after the value's closing quote where it starts with one,
    else the first ``#`` after a space."""
    match = re.match(r"\s*(?:[A-Za-z_][A-Za-z0-9_]*\s*:\s+|-\s+)?(['\"])", line)
    start = 0
    if match:
        quote, i = match.group(1), match.end()
        while i < len(line):
            if line[i] == "\\" and quote == '"':
                i += 2
                continue
            if line[i] == quote:
                if quote == "'" and line[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                break
            i += 1
        start = i + 1
        if line[start : start + 1] == "#":
            return line[:start].rstrip()
    found = line.find(" #", start)
    tab = line.find("\t#", start)
    cut = min((at for at in (found, tab) if at >= 0), default=-1)
    if line.startswith("#"):
        return ""
    return (line[:cut] if cut >= 0 else line).rstrip()


def read_args_yaml(path: str) -> dict[str, tuple[object, str]]:
    """``args.yaml``: each key's value, and where it is (``path:line``)."""
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read(MAX_FILE_BYTES + 1)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read the arguments {path!r}: {getattr(error, 'strerror', None) or error}") from None
    if len(text) > MAX_FILE_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_FILE_BYTES:,} characters")
    found: dict[str, tuple[object, str]] = {}
    listing: str | None = None  # the key whose value is empty so far: a block list may follow
    item_indent = 0
    for number, raw in enumerate(text.splitlines(), 1):
        where = f"{path}:{number}"
        line = _without_comment(raw)
        if not line.strip() or (number == 1 and line == "---"):
            continue
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise ConfigError(f"{where}: a tab in the indentation (YAML refuses it)")
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if stripped == "-" or stripped.startswith("- "):
            if listing is None:
                raise ConfigError(f"{where}: a list item outside a key's list (or a value continued there)")
            items = found[listing][0]
            if not isinstance(items, list):
                items, item_indent = [], indent
                found[listing] = (items, found[listing][1])
            if indent != item_indent:
                raise ConfigError(f"{where}: {listing}: lrcli reads the items of a list at one indentation")
            items.append(yaml_scalar(stripped[1:].strip(), f"{where}: {listing}"))
            continue
        match = _KEY.fullmatch(line)
        if match is None:
            raise ConfigError(f"{where}: {stripped[:60]!r}: lrcli reads lines 'key: value' at the top level")
        key, rest = match.groups()
        if len(rest) > MAX_VALUE:
            raise ConfigError(f"{where}: {key}: a value longer than {MAX_VALUE} characters")
        if key in found:
            raise ConfigError(f"{where}: {key} is given twice")
        found[key] = (_value(rest.strip(), f"{where}: {key}"), where)
        listing = key if rest.strip() == "" else None
    if not found:
        raise ConfigError(f"{path}: no 'key: value' line (a run's args.yaml is a mapping of its arguments)")
    return found


def smart_value(text: str) -> object:
    """``cfg.smart_value``: a ``key=value`` word's value.

    >>> smart_value("TRUE"), smart_value("0.01"), smart_value("[1, 2]"), smart_value("SGD")
    (True, 0.01, [1, 2], 'SGD')
    """
    lower = text.lower()
    if lower in ("none", "true", "false"):
        return {"none": None, "true": True, "false": False}[lower]
    if len(text) > MAX_VALUE:
        raise ConfigError(f"a value longer than {MAX_VALUE} characters: {text[:40]}…")
    try:
        return ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return text


def read_words(words: list[str], known: bool = True) -> dict[str, tuple[object, str]]:
    """``yolo train`` words: ``key=value`` (with ``known``, a key of 8.4.190's; else any name),
    and a task or ``train`` alone."""
    found: dict[str, tuple[object, str]] = {}
    for word in words:
        if "=" not in word:
            if word in TASKS or word == "train":
                continue
            hint = " (lrcli replays training: mode train)" if word in MODES else ""
            raise ConfigError(f"{word!r} is not a key=value argument, a task or train{hint}")
        key, _, text = word.partition("=")
        key = key.strip()
        if (key not in KEYS) if known else not key.isidentifier():
            raise ConfigError(f"{word!r}: '{key}' is not a valid YOLO argument (Ultralytics 8.4's default.yaml)")
        found[key] = (smart_value(text.strip()), "")  # the word itself names the key and the value
    return found


def checked(given: dict[str, tuple[object, str]]) -> dict[str, object]:
    """The schedule's keys, from ``given`` over :data:`DEFAULTS`, checked as ``check_cfg`` checks
    them (``hard``: a value of the wrong type is refused, an integral float taken as a count)."""
    args = dict(DEFAULTS)
    for key, (value, where) in given.items():
        if key not in DEFAULTS:
            continue
        if value is None and DEFAULTS[key] is not None:
            raise ConfigError(f"{where}{': ' if where else ''}'{key}=None' is invalid. '{key}' must not be None.")
        args[key] = _checked(key, value, where)
    return args


def _checked(key: str, value: object, where: str) -> object:
    def refuse(what: str) -> ConfigError:
        return ConfigError(f"{where}{': ' if where else ''}'{key}={value}' {what}")

    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if key in FRACTIONS:
        if not number:
            raise refuse(f"is of invalid type {type(value).__name__}; '{key}' is a number")
        if not 0.0 <= value <= 1.0:  # type: ignore[operator]
            raise refuse(f"is an invalid value. Valid '{key}' values are between 0.0 and 1.0.")
        return value
    if key == "warmup_epochs":
        if not number or not math.isfinite(value):  # type: ignore[arg-type]
            raise refuse(f"is of invalid type {type(value).__name__}; '{key}' is a number")
        return value
    if key in ("epochs", "nbs"):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise refuse(f"is of invalid type {type(value).__name__}. '{key}' must be an int (i.e. '{key}=8')")
        if value < 1:
            raise refuse(f"is an invalid value. '{key}' must be >= 1.")
        return value
    if key == "cos_lr":
        if not isinstance(value, bool):
            raise refuse(f"is of invalid type {type(value).__name__}. '{key}' must be a bool (i.e. '{key}=True')")
        return value
    if key == "time" and value is not None:
        raise refuse(
            "trains for hours: Ultralytics sets the epochs from the first epoch's duration, which lrcli cannot know"
        )
    if key == "batch":
        if number and value < 1:  # type: ignore[operator]
            raise refuse(
                "asks for AutoBatch (the batch that fits the GPU's memory), which lrcli cannot know; give a batch size"
            )
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise refuse(f"is of invalid type {type(value).__name__}; 'batch' is a whole number")
        return value
    if key == "fraction":
        share = value[0] if isinstance(value, list) and value else value  # [train, val, test]: the train split's
        if (
            isinstance(share, bool)
            or not isinstance(share, (int, float))
            or not (0 < share <= 1 or isinstance(share, int))
        ):
            raise refuse("is invalid. Use integer count >1 or ratio (0, 1] for fraction.")
        return float(share) if share == 1 else share
    if key == "optimizer":
        name = {option.lower(): option for option in OPTIMIZERS}.get(str(value).lower())
        if name is None:
            raise refuse(f"is not an optimizer Ultralytics builds ({', '.join(OPTIMIZERS)})")
        return name
    return value
