"""Where a rendered result goes: standard output, or a file replaced atomically, with a progress
bar on a terminal's stderr while a long file is written."""

from __future__ import annotations

import errno
import os
import select
import signal
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from typing import BinaryIO

Content = Iterable[bytes | memoryview] | Callable[[BinaryIO], None]
"""Byte chunks (or views of them), or a function that writes to a binary file (for formats that are not a stream)."""

PROGRESS_AFTER = 1.0
"""Seconds a write to a file may take before a progress bar appears (on a terminal only)."""


def _write(content: Content, file: BinaryIO, progress: Callable[[], float] | None, flush: bool = False) -> None:
    """Write ``content`` to ``file``; with ``flush``, each piece is passed on as it comes (a
    reader such as ``head`` then gets the rows of a sparse selection when they are computed)."""
    if callable(content):
        content(file)
        return
    bar = None
    started = time.monotonic()
    try:
        for chunk in content:
            file.write(chunk)
            if flush:
                file.flush()
            if progress is not None and bar is None and time.monotonic() - started > PROGRESS_AFTER:
                bar = _ProgressBar()
            if bar is not None and progress is not None:
                bar.update(progress())
    finally:
        if bar is not None:
            bar.stop()


class _ProgressBar:
    """A Rich progress bar on stderr, removed when done."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeRemainingColumn

        self.progress = Progress(
            BarColumn(), TaskProgressColumn(), TimeRemainingColumn(), console=Console(file=sys.stderr), transient=True
        )
        self.task = self.progress.add_task("rows", total=1.0)
        self.progress.start()

    def update(self, fraction: float) -> None:
        self.progress.update(self.task, completed=fraction)

    def stop(self) -> None:
        self.progress.stop()


def write_atomic(path: str, content: Content, progress: Callable[[], float] | None = None) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder, renamed over it.

    A failure or an interrupt leaves ``path`` as it was, and no temporary file behind. A new file
    gets the permissions the umask allows; a replaced one keeps its own. ``progress()`` (the
    fraction done) feeds a progress bar when stderr is a terminal and the write takes a while.
    """
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".lrcli-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            _write(content, file, progress if sys.stderr.isatty() else None)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def emit(content: Content, path: str | None, progress: Callable[[], float] | None = None) -> None:
    """Send ``content`` to the file ``path``, or to standard output when ``path`` is None.

    A path that names something other than a regular file (a FIFO, a device, ``/dev/stdout``)
    is written through, as a shell redirection would; a symbolic link to a regular file has its
    target replaced, and stays a link.
    """
    if path is None:
        if sys.stdout is None:
            raise OSError(errno.EBADF, "standard output is closed")
        stream = sys.stdout.buffer
        _write(content, stream, None, flush=True)
        stream.flush()
        return
    target = os.path.realpath(path)
    if os.path.exists(target) and not stat.S_ISREG(os.stat(target).st_mode):
        with open(target, "wb") as file:
            _write(content, file, None)
        return
    write_atomic(target, content, progress)


def stdout_watch() -> Callable[[], None] | None:
    """A check that stops the program, as a write would, once the reader of standard output (a
    pipe: ``lrcli … | head``) has closed it: a run that selects few rows may go a long time
    without writing, so it asks the pipe instead (one ``poll``, no write). None when standard
    output is not a file descriptor that can be polled."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return None
    if not hasattr(select, "poll"):
        return None
    poller = select.poll()
    poller.register(descriptor, 0)  # no events asked for: poll still reports an error or a hang-up

    def watch() -> None:
        if any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0)):
            if hasattr(signal, "SIGPIPE") and signal.getsignal(signal.SIGPIPE) == signal.SIG_DFL:
                signal.raise_signal(signal.SIGPIPE)  # ends the process as the next write would
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    return watch
