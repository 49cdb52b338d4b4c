"""The ``lrcli`` program: a Typer app with one generated command per scheduler description, and
the entry point that turns every expected failure into one ``Error:`` line.

Only Typer, the registry and the engine load at start-up (every TAB press runs this module); Rich,
plotext and orjson load when a format needs them.
"""

import gc
import os
import signal
import sys
import warnings
from typing import Annotated, Optional

import typer

from lrcli import __version__
from lrcli.cli.commands import Differs, UsageProblem, WriteFailed, help_text, make_command, show, with_signature
from lrcli.cli.compare import COMPARE_HELP, make_compare_command
from lrcli.cli.options import flag
from lrcli.cli.timm import make_timm_command, timm_help
from lrcli.engine.core import ScheduleError
from lrcli.expression import ExpressionError
from lrcli.registry import DESCRIPTIONS
from lrcli.render import ViewError

app = typer.Typer(
    name="lrcli",
    help="Show the learning rate a torch.optim.lr_scheduler sets at every epoch, before you train.",
    epilog="Example: lrcli step --lr 0.1 --step-size 3",
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _show_version(value: bool) -> None:
    if value:
        print(f"lrcli {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    context: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Show the learning rate a torch.optim.lr_scheduler sets at every epoch, before you train.

    Row k is each param group's lr after k calls to scheduler.step(), equal as a float to what
    torch leaves in optimizer.param_groups[i]["lr"].
    """
    if context.invoked_subcommand is None:
        print(context.get_help())


FAMILY_HELP = {
    "transformers": "Hugging Face transformers' schedules (the Trainer's --lr_scheduler_type), replayed exactly "
                    "without transformers: one row per optimizer step.",
}
_families = {family: typer.Typer(name=family, help=text, no_args_is_help=True, rich_markup_mode=None)
             for family, text in FAMILY_HELP.items()}
for _family, _group in _families.items():
    app.add_typer(_group, name=_family)
for _description in DESCRIPTIONS:
    if _description.family == "timm":
        continue  # one command for every --sched, as train.py has (below)
    _where = _families[_description.family] if _description.family else app
    _where.command(_description.type, help=help_text(_description))(make_command(_description))
_timm = [description for description in DESCRIPTIONS if description.family == "timm"]
app.command("timm", help=timm_help(_timm))(make_timm_command(_timm, show, with_signature))
app.command("compare", help=COMPARE_HELP)(make_compare_command())


def shown(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (escape sequences that could
    retitle or rewrite the terminal) written as Python escapes; line breaks kept.

    >>> shown("bad \\x1b]0;title\\x07 name")
    'bad \\\\x1b]0;title\\\\x07 name'
    """
    return "".join(char if char.isprintable() or char == "\n" else repr(char)[1:-1] for char in text)


def _say(line: str) -> None:
    if sys.stderr is not None:  # with stderr closed there is nowhere to say it; the status still tells
        try:
            print(shown(line), file=sys.stderr)
        except OSError:
            pass


def _error(message: str, code: int = 2) -> int:
    _say(f"Error: {message}")
    return code


def _expression_message(error: ExpressionError) -> str:
    message = f"--lr-lambda: {error.message}"
    if error.column is None or error.text is None:
        return message
    return f"{message} (column {error.column})\n  {error.text}\n  {' ' * (error.column - 1)}^"


def run(args: Optional[list[str]] = None) -> int:
    """Run the app on ``args`` (the command line's, by default) and return the exit status; every
    expected failure becomes ``Error: …`` on stderr and status 2 (1 for a failed write), and
    warnings (Python's, as the engine raises them like torch does) become ``Warning: …`` lines."""
    if "_LRCLI_COMPLETE" in os.environ:
        # Shell completion (completions/ scripts call back with this variable set): register
        # Typer's shell classes, which add_completion=False leaves out. A shell that calls with
        # its variables missing or malformed gets no completions, quietly.
        from typer.completion import completion_init

        completion_init()
        try:
            return app(args=args, standalone_mode=False, prog_name="lrcli") or 0
        except Exception:
            return 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = _run(args)
    for warning in caught:
        _say(f"Warning: {warning.message}")
    return code


def _run(args: Optional[list[str]]) -> int:
    try:
        return app(args=args, standalone_mode=False, prog_name="lrcli") or 0
    except typer.TyperException as error:
        return _error(error.format_message())
    except ExpressionError as error:
        return _error(_expression_message(error))
    except ScheduleError as error:
        return _error(f"{flag(error.param)} {error.message}" if error.param else error.message)
    except (UsageProblem, ViewError) as error:
        return _error(str(error))
    except (WriteFailed, Differs) as error:
        return _error(str(error), 1)
    except KeyboardInterrupt:
        # Ctrl-C: a file being written was left as it was (its temporary file removed); no traceback.
        return 130
    except Stopped as stop:
        return stop.status


class Stopped(BaseException):
    """SIGTERM or SIGHUP: unwinds like Ctrl-C (a file being written is left as it was), then exits
    with the shell's status for that signal."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.status = 128 + number


def _stop(number: int, frame) -> None:
    raise Stopped(number)


def main() -> None:
    """The ``lrcli`` program: :func:`run`, as a short-lived process."""
    if hasattr(signal, "SIGPIPE"):
        # A closed pipe (lrcli … | head) ends the process quietly, as it does cat or seq.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # A short run that builds millions of small objects spends more time in the cycle collector
    # than in anything else; nothing here makes cycles worth collecting.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    gc.disable()
    try:
        code = run()
    except Exception as error:  # a bug: still one line, never a traceback
        code = _error(f"lrcli failed unexpectedly ({type(error).__name__}: {error}); please report it", 1)
    # Everything is written; leave without freeing millions of floats one at a time.
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except OSError:
            code = code or 1
    os._exit(code)
