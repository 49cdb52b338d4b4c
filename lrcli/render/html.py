"""A text view (the plot, the table) as a small HTML page: the text in a ``<pre>``, escaped."""

from __future__ import annotations

import html


def html_page(text: str, title: str) -> str:
    """A page that shows ``text`` as it is, in a monospace block.

    >>> print(html_page("a < b", "StepLR(step_size=3)"))  # doctest: +ELLIPSIS
    <!doctype html>
    <html><head><meta charset="utf-8"><title>StepLR(step_size=3)</title>...
    <pre>a &lt; b</pre>
    </body></html>
    """
    return (
        "<!doctype html>\n"
        f'<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        "<style>pre { font-family: monospace; line-height: 1.1; }</style></head><body>\n"
        f"<pre>{html.escape(text.rstrip())}</pre>\n"
        "</body></html>"
    )
