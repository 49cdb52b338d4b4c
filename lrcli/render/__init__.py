"""Renderers: each reads the chunks of a :class:`~lrcli.replay.Replay` once and turns them into
one output format.

``text`` (CSV, TSV, JSON) needs only orjson; ``table`` imports Rich, ``plot`` plotext and ``npz``
NumPy, so a command pays for those only when it shows a table, a plot or writes an archive.
"""


class ViewError(ValueError):
    """A view that cannot be drawn from this table (a plot of no rows, a log axis through 0)."""
