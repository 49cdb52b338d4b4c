"""Renderers: each reads the chunks of a :class:`~lrcli.replay.Replay` once and turns them into
one output format.

``text`` (CSV, TSV, JSON) needs only orjson; ``table`` imports Rich, ``plot`` plotext and ``npz``
NumPy, so a command pays for those only when it shows a table, a plot or writes an archive.
"""


class ViewError(ValueError):
    """A view that cannot be drawn from this table (a plot of no rows, a log axis through 0)."""


MOST_COLUMNS = {"plot": (32, "draws at most 32 series"), "table": (100, "lays out at most 100 value columns")}
"""The most value columns a view takes: a plot's series must be told apart, and Rich takes
seconds over a table of thousands of columns, which no one could read anyway."""


def check_columns(view: str, count: int) -> None:
    """Refuse ``count`` value columns in ``view`` (``plot``, ``table``) when there are too many.

    >>> check_columns("table", 20_000)
    Traceback (most recent call last):
    ...
    lrcli.render.ViewError: a table lays out at most 100 value columns; this one has 20,000 (use -f csv, or fewer --lr)
    """
    most, what = MOST_COLUMNS.get(view, (None, ""))
    if most is not None and count > most:
        raise ViewError(f"a {view} {what}; this one has {count:,} (use -f csv, or fewer --lr)")
