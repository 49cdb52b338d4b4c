"""lrcli: the learning rate a PyTorch scheduler will set at every epoch, before you train.

From Python: :func:`schedule` and :func:`from_config` (an :class:`LRSchedule`), :func:`verify`
and :class:`ScheduleError`, loaded on first use so that the command line starts without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

__all__ = ["LRSchedule", "ScheduleError", "from_config", "schedule", "verify"]

if TYPE_CHECKING:
    from lrcli.api import LRSchedule, ScheduleError, from_config, schedule, verify


def __getattr__(name: str) -> object:
    if name in __all__:
        from lrcli import api

        return getattr(api, name)
    raise AttributeError(f"module 'lrcli' has no attribute {name!r}")
