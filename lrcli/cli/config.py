"""``lrcli config FILE …``: a training config of any kind lrcli reads, recognised by the families'
:class:`~lrcli.registry.description.Reads` records in turn, then run by that family's own command
with the file and the remaining options; the title starts with the kind of file."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Annotated

import typer

from lrcli.cli.options import option, with_signature

PASSED_ON = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []}
"""Every option after the file is the recognised command's (its --help too)."""


def config_help() -> str:
    from lrcli.registry import READS

    kinds = "\n".join(f"  {' '.join(reads.command)}: {reads.what}" for reads in READS)
    return (
        "Show the schedule of a training config of any kind lrcli reads: the kind is recognised from the "
        "file's content (OpenMMLab configs with their bases merged), said in the title, and the file "
        "is run by that command with the options that follow it (lrcli config FILE --help lists them).\n\n"
        f"\b\nKinds, tried in this order:\n{kinds}\n\n"
        "\b\nExamples:\n  lrcli config ds_config.json --steps 1000\n"
        "  lrcli config schedule_1x.py --iters-per-epoch 7330 --by epoch"
    )


def recognised(path: str):
    """The first kind of file (:data:`lrcli.registry.READS`) that ``path`` is; or one error listing
    them, with why the first reader that could not read the file failed."""
    from lrcli.cli.show import UsageProblem
    from lrcli.engine.core import ScheduleError
    from lrcli.registry import READS

    if not os.path.isfile(path):
        raise UsageProblem(f"{path}: no such file" if not os.path.exists(path) else f"{path}: not a file")
    failed = None
    for reads in READS:
        try:
            if reads.recognises(path):
                return reads
        except ScheduleError as error:
            failed = failed or (reads.kind, str(error))
    why = f" ({failed[0]}: {failed[1]})" if failed else ""
    raise UsageProblem(f"{path} is no config lrcli reads; it reads {'; '.join(reads.what for reads in READS)}{why}")


def make_config_command() -> Callable[..., None]:
    parameters = [
        option("context", typer.Context),
        option("file", Annotated[str, typer.Argument(metavar="FILE", show_default=False)], "--help"),
    ]

    def command(context: typer.Context, file: str) -> None:
        if file in ("-h", "--help"):
            print(context.get_help())
            return
        reads = recognised(file)
        from lrcli.cli.app import make_app
        from lrcli.cli.show import READ_AS

        words = [*reads.command, file, *context.args]
        token = READ_AS.set(f"[{reads.kind}]")
        try:
            status = make_app(words)(args=words, standalone_mode=False, prog_name="lrcli")
        finally:
            READ_AS.reset(token)
        if status:  # the command's own exit status (--logged: 1 when the log differs)
            raise typer.Exit(status)

    return with_signature(command, parameters)
