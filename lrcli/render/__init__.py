"""Renderers: each turns an :class:`~lrcli.replay.LRTable` into the text of one output format.

``text`` (CSV, TSV, JSON) needs only orjson; ``table`` imports Rich and ``plot`` imports plotext, so
a command pays for those only when it shows a table or a plot.
"""


class ViewError(ValueError):
    """A view that cannot be drawn from this table (a plot of no rows, a log axis through 0)."""
