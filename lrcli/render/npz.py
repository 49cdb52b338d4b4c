"""NumPy's ``.npz``: ``np.load(path)`` gives the index columns (``epoch``, or ``step`` and
``epoch``), ``lr`` of shape (rows, groups) and, when shown, ``momentum`` likewise; a comparison's
``lr`` has one column per schedule (and group), named in order by ``labels``, an array of
strings. Plain arrays, so ``allow_pickle`` is never needed.

The rows stream once: each array's data goes to a temporary file beside the output as it comes,
and the archive is assembled from those when the row count is known, in flat memory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from typing import BinaryIO

from lrcli.replay import Replay


def npz_writer(replay: Replay, folder: str) -> Callable[[BinaryIO], None]:
    """A function that writes the archive of ``replay`` to a binary file; temporary files go to
    ``folder`` and are removed however it ends."""
    import numpy as np

    def write(file: BinaryIO) -> None:
        names = list(replay.index_columns) + [replay.value_name] + (["momentum"] if replay.momentum else [])
        with tempfile.TemporaryDirectory(dir=folder, prefix=".lrcli-") as scratch:
            parts = {name: open(os.path.join(scratch, name), "wb") for name in names}  # noqa: SIM115 (closed below)
            rows = 0
            try:
                for chunk in replay.chunks():
                    for name, values in zip(replay.index_columns, replay.index_values(chunk.rows)):
                        np.asarray(values, dtype=np.int64).tofile(parts[name])
                    groups = replay.groups
                    np.column_stack(chunk.series[:groups]).astype(np.float64).tofile(parts[replay.value_name])
                    if replay.momentum:
                        np.column_stack(chunk.series[groups:]).astype(np.float64).tofile(parts["momentum"])
                    rows += len(chunk.rows)
            finally:
                for part in parts.values():
                    part.close()
            with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
                for name in names:
                    shape = (rows,) if name in replay.index_columns else (rows, replay.groups)
                    dtype = "<i8" if name in replay.index_columns else "<f8"
                    with archive.open(f"{name}.npy", "w", force_zip64=True) as entry:
                        header = {"descr": dtype, "fortran_order": False, "shape": shape}
                        np.lib.format.write_array_header_1_0(entry, header)
                        with open(os.path.join(scratch, name), "rb") as data:
                            shutil.copyfileobj(data, entry, 1 << 20)
                if replay.labels is not None:  # which column of lr is which schedule
                    with archive.open("labels.npy", "w") as entry:
                        np.lib.format.write_array(entry, np.array(replay.labels, dtype=str))

    return write
