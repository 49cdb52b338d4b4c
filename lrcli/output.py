"""Where a rendered result goes: standard output, or a file replaced atomically."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable


def write_atomic(path: str, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to ``path`` through a temporary file in the same folder, renamed over it.

    A failure or an interrupt leaves ``path`` as it was, and no temporary file behind. A new file
    gets the permissions the umask allows; a replaced one keeps its own.
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
            for chunk in chunks:
                file.write(chunk)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def emit(chunks: Iterable[bytes], path: str | None) -> None:
    """Send ``chunks`` to the file ``path``, or to standard output when ``path`` is None."""
    if path is None:
        stream = sys.stdout.buffer
        for chunk in chunks:
            stream.write(chunk)
        stream.flush()
    else:
        write_atomic(path, chunks)
