"""The ``lrcli`` program: a Typer app with one generated command per scheduler description, and
the entry point that turns every expected failure into one ``Error:`` line.

Only Typer, the registry and the engine load at start-up (every TAB press runs this module); Rich,
plotext and orjson load when a format needs them.
"""

import contextlib
import gc
import os
import signal
import sys
import warnings
from collections.abc import Callable, Sequence
from functools import partial
from typing import Annotated, Optional

import typer

from lrcli import __version__, registry
from lrcli.cli.check import CHECK_HELP, make_check_command
from lrcli.cli.commands import help_text, make_command
from lrcli.cli.compare import COMPARE_HELP, make_compare_command
from lrcli.cli.config import PASSED_ON, config_help, make_config_command
from lrcli.cli.options import with_signature
from lrcli.cli.show import Differs, Note, UsageProblem, WriteFailed
from lrcli.engine.core import ScheduleError
from lrcli.expression import ExpressionError
from lrcli.registry.description import Commands, Description, Family, OneCommand, flag
from lrcli.render import ViewError


def _show_version(value: bool) -> None:
    if value:
        print(f"lrcli {__version__}")
        raise typer.Exit()


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


def make_app(words: Sequence[str] = (), names_only: bool = False) -> typer.Typer:
    """The Typer app, with the commands ``words`` (a command line, or the words before the one a
    shell completes) can reach: when they start with a command's name, that command alone;
    otherwise every command (with ``names_only``, each without its options: enough to complete a
    command's name). Typer builds the options of every command it holds on each run, and every
    TAB press runs the app, so a run holds only what it can use. Each family's commands are
    mounted as it says: one per description (at the top, or in a group), or one of its own."""

    def made(build: Callable[[], Callable[..., None]]) -> Callable[..., None]:
        return with_signature(lambda: None, []) if names_only else build()

    app = typer.Typer(
        name="lrcli",
        help="Show the learning rate every epoch or step of a training run will use, before you train: torch's "
        "lr_scheduler, transformers, timm, OpenMMLab, DeepSpeed, Ultralytics and diffusers, replayed as they "
        "compute it.",
        epilog="Example: lrcli step --lr 0.1 --step-size 3",
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )
    app.callback(invoke_without_command=True)(_root)
    first = words[0] if words else None
    reached = {word: family for family in registry.FAMILIES for word in family.mount.first_words(family)}
    everything = first not in (*reached, "compare", "check", "config")
    # Commands of their own first (torch's), then compare, then the families' own commands and groups.
    top = [family for family in registry.FAMILIES if isinstance(family.mount, Commands) and not family.mount.grouped]
    for family in top:
        for description in family.descriptions:
            if everything or first == description.type:
                app.command(description.type, help=help_text(description))(made(partial(_command, family, description)))
    if everything or first == "compare":
        app.command("compare", help=COMPARE_HELP)(made(make_compare_command))
    if everything or first == "check":
        app.command("check", help=CHECK_HELP)(made(make_check_command))
    if everything or first == "config":
        app.command("config", help=config_help(), context_settings=PASSED_ON)(made(make_config_command))
    for family in sorted((family for family in registry.FAMILIES if family not in top), key=lambda family: family.name):
        if not (everything or first is not None and reached.get(first) is family):
            continue
        if isinstance(family.mount, OneCommand):
            app.command(family.name, help=family.help)(made(partial(family.mount.build, family)))
            continue
        if _names_file(family, words):
            assert isinstance(family.mount, Commands) and family.mount.file is not None  # as _names_file found
            app.command(family.name, help=family.help)(made(partial(family.mount.file, family)))
            continue
        group = typer.Typer(name=family.name, help=family.help, no_args_is_help=True, rich_markup_mode=None)
        named = [description for description in family.descriptions if len(words) > 1 and description.type == words[1]]
        for description in named or family.descriptions:
            group.command(description.type, help=help_text(description))(made(partial(_command, family, description)))
        app.add_typer(group, name=family.name)
    return app


def _command(family: Family, description: Description) -> Callable[..., None]:
    """The command of one of ``family``'s descriptions, with the options its command line adds."""
    assert isinstance(family.mount, Commands)  # a family with one command builds it itself
    return make_command(description, family.mount.extra(description) if family.mount.extra else None)


def _names_file(family: Family, words: Sequence[str]) -> bool:
    """Whether ``words`` (``FAMILY WORD …``) give a file to a grouped family that reads files: the
    word after its name is none of its types and no option."""
    if not (isinstance(family.mount, Commands) and family.mount.file is not None):
        return False
    if len(words) < 2 or words[0] != family.name or words[1].startswith("-"):
        return False
    return all(description.type != words[1] for description in family.descriptions)


def _grouped(word: str) -> bool:
    """Whether ``word`` names a group of commands (a family's, ``lrcli transformers TYPE``)."""
    return any(
        family.name == word and isinstance(family.mount, Commands) and family.mount.grouped
        for family in registry.FAMILIES
    )


def shown(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (escape sequences that could
    retitle or rewrite the terminal) written as Python escapes; line breaks kept.

    >>> shown("bad \\x1b]0;title\\x07 name")
    'bad \\\\x1b]0;title\\\\x07 name'
    """
    return "".join(char if char.isprintable() or char == "\n" else repr(char)[1:-1] for char in text)


def _say(line: str) -> None:
    if sys.stderr is not None:  # with stderr closed there is nowhere to say it; the status still tells
        with contextlib.suppress(OSError):
            print(shown(line), file=sys.stderr)


def _error(message: str, code: int = 2) -> int:
    _say(f"Error: {message}")
    return code


def _expression_message(error: ExpressionError) -> str:
    message = f"--lr-lambda: {error.message}"
    if error.column is None or error.text is None:
        return message
    return f"{message} (column {error.column})\n  {error.text}\n  {' ' * (error.column - 1)}^"


def _completed_words() -> list[str]:
    """The words a shell asking for completions has finished typing after ``lrcli`` (bash says
    which word it completes; zsh, fish and PowerShell pass the line, its last word unfinished
    unless a space follows)."""
    if "COMP_WORDS" in os.environ:
        return os.environ["COMP_WORDS"].split()[1 : int(os.environ.get("COMP_CWORD", "0"))]
    line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
    words = line.split()[1:]
    return words if line.endswith(" ") or "_TYPER_COMPLETE_WORD_TO_COMPLETE" in os.environ else words[:-1]


def run(args: Optional[list[str]] = None) -> int:
    """Run the app on ``args`` (the command line's, by default) and return the exit status; every
    expected failure becomes ``Error: …`` on stderr and status 2 (1 for a failed write), and
    warnings (Python's, as the engine raises them like torch does) become ``Warning: …`` lines
    (``Note: …`` for a :class:`Note`), each said once."""
    if "_LRCLI_COMPLETE" in os.environ:
        # Shell completion (completions/ scripts call back with this variable set): register
        # Typer's shell classes, which add_completion=False leaves out. A shell that calls with
        # its variables missing or malformed gets no completions, quietly.
        from typer.completion import completion_init

        completion_init()
        try:
            words = _completed_words()
            # Completing the command's name (or a family's type) needs names, not options.
            names_only = not words or (len(words) == 1 and _grouped(words[0]))
            return make_app(words, names_only)(args=args, standalone_mode=False, prog_name="lrcli") or 0
        except Exception:
            return 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = _run(args)
    said = set()
    for warning in caught:  # each once: a framework that warns per param group says it once
        line = f"{'Note' if issubclass(warning.category, Note) else 'Warning'}: {warning.message}"
        if line not in said:
            said.add(line)
            _say(line)
    return code


def _run(args: Optional[list[str]]) -> int:
    try:
        words = sys.argv[1:] if args is None else args
        return make_app(words)(args=args, standalone_mode=False, prog_name="lrcli") or 0
    except typer.TyperException as error:
        return _error(error.format_message())
    except ExpressionError as error:
        return _error(_expression_message(error))
    except ScheduleError as error:
        return _error(f"{flag(error.param)} {error.message}" if error.param and error.where is None else str(error))
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
