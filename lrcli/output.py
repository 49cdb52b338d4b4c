"""Where a rendered result goes: standard output, or a file replaced atomically, with a progress
bar on a terminal's stderr while a long file is written."""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from typing import BinaryIO, Union

Content = Union[Iterable[bytes], Callable[[BinaryIO], None]]
"""Byte chunks, or a function that writes to a binary file (for formats that are not a stream)."""

PROGRESS_AFTER = 1.0
"""Seconds a write to a file may take before a progress bar appears (on a terminal only)."""


def _write(content: Content, file: BinaryIO, progress: Callable[[], float] | None) -> None:
    if callable(content):
        content(file)
        return
    bar = None
    started = time.monotonic()
    try:
        for chunk in content:
            file.write(chunk)
            if progress is not None and bar is None and time.monotonic() - started > PROGRESS_AFTER:
                bar = _ProgressBar()
            if bar is not None:
                bar.update(progress())
    finally:
        if bar is not None:
            bar.stop()


class _ProgressBar:
    """A Rich progress bar on stderr, removed when done."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeRemainingColumn

        self.progress = Progress(BarColumn(), TaskProgressColumn(), TimeRemainingColumn(),
                                 console=Console(file=sys.stderr), transient=True)
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
        _write(content, stream, None)
        stream.flush()
        return
    target = os.path.realpath(path)
    if os.path.exists(target) and not stat.S_ISREG(os.stat(target).st_mode):
        with open(target, "wb") as file:
            _write(content, file, None)
        return
    write_atomic(target, content, progress)
