"""Files whose commands are written on another branch (``lrcli mmcv CONFIG``, ``lrcli ultralytics
ARGS_YAML``): ``lrcli config`` already recognises them and names the command; each record moves
to its family's ``reads`` when that family is merged, and this module goes."""

from __future__ import annotations

import re

from lrcli.registry.description import Reads
from lrcli.registry.mmengine import openmmlab

_KEY = re.compile(r"([A-Za-z_]\w*)[ \t]*:(?:[ \t]|$)")


def _mmcv(path: str) -> bool:
    """An MMCV 1.x config: ``lr_config`` and no ``param_scheduler`` (mmengine's)."""
    config = openmmlab(path)
    return "lr_config" in config and "param_scheduler" not in config


def _yaml_keys(path: str) -> set[str]:
    """The keys at the start of a line of a YAML file (a flat mapping's keys; PyYAML is not
    needed to tell the file apart).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as file:
    ...     _ = file.write("lr0: 0.01\\nlrf: 0.01  # final\\n  nested: 1\\nname: 'a: b'\\n")
    >>> sorted(_yaml_keys(file.name))
    ['lr0', 'lrf', 'name']
    """
    from lrcli.config import MAX_FILE_BYTES, ConfigError

    try:
        with open(path, encoding="utf-8") as file:
            text = file.read(MAX_FILE_BYTES + 1)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {getattr(error, 'strerror', None) or error}") from None
    return {match.group(1) for match in map(_KEY.match, text[:MAX_FILE_BYTES].splitlines()) if match}


def _ultralytics(path: str) -> bool:
    """Ultralytics' training args (an ``args.yaml``, or a ``yolo train`` cfg): a YAML file with
    ``lr0`` or ``lrf``."""
    return path.endswith((".yaml", ".yml")) and bool({"lr0", "lrf"} & _yaml_keys(path))


MMCV = Reads(
    "MMCV 1.x config", "MMCV 1.x (an OpenMMLab config with lr_config and no param_scheduler)", ("mmcv",), _mmcv
)
ULTRALYTICS = Reads(
    "Ultralytics args", "Ultralytics (a YAML of training args with lr0 or lrf)", ("ultralytics",), _ultralytics
)
