"""The registry: every framework lrcli replays, as a :class:`~lrcli.registry.description.Family`
of scheduler descriptions (names, parameters with their types, defaults, choices and help,
examples, the factory in the engine), and how its commands are mounted and its code written.

Everything else is generated from these: each command and its options and help (``lrcli.cli``),
spec parsing (``lrcli.spec``), the JSON ``params`` and titles (``lrcli.schedules``), the emitted
code (``lrcli.torch_code``). A test checks every default and choice against the engine's own.
Adding a scheduler means writing its factory and one description in its family's module; adding
a framework, its engine module, one family module here, listed in :data:`FAMILIES`, and a cli
module only if its command line is unusual.
"""

from __future__ import annotations

from lrcli.registry import deepspeed, diffusers, mmcv, mmengine, timm, torch, transformers, ultralytics
from lrcli.registry.description import Description, Family, Reads

FAMILIES: tuple[Family, ...] = (
    torch.FAMILY,
    transformers.FAMILY,
    timm.FAMILY,
    mmengine.FAMILY,
    deepspeed.FAMILY,
    mmcv.FAMILY,
    ultralytics.FAMILY,
    diffusers.FAMILY,
)
"""Every framework; :data:`DESCRIPTIONS` lists their descriptions in this order."""

DESCRIPTIONS: tuple[Description, ...] = tuple(description for family in FAMILIES for description in family.descriptions)
BY_COMMAND = {description.command: description for description in DESCRIPTIONS}
BY_NAME = {**BY_COMMAND, **{description.name: description for description in DESCRIPTIONS}}

READS: tuple[Reads, ...] = tuple(reads for family in FAMILIES for reads in family.reads)
"""Every kind of file a command reads, as ``lrcli config`` tries them."""
