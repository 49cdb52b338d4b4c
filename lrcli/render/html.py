"""The HTML view: one self-contained page (nothing fetched, so it opens offline) with the chart as
inline SVG, which lrcli writes itself, a small script that shows, under the pointer, the row and
each exact lr as the other views print it, and the table one click away.

The chart is the plot's :class:`~lrcli.render.plot.Drawing` at about two points per pixel column;
the table is the table view's (runs of equal lr merged), read from the same pass over the rows.
"""

from __future__ import annotations

import html
import math

import orjson

from lrcli.render import check_columns
from lrcli.render.floats import format_lrs
from lrcli.render.image import COLORS, DASHES
from lrcli.render.plot import Drawing, Panel, Sketch, ticks
from lrcli.render.table import shown_rows, table_cells
from lrcli.replay import Replay

WIDTH = 960
LEFT, RIGHT, TOP, BOTTOM, GAP = 76, 16, 10, 46, 28
"""The chart's width and margins, in SVG pixels (it scales with the page)."""
HEIGHTS = {"lr": 380, "momentum": 180}
TABLE_ROWS = 200
"""Rows in the page's table, at most (runs of equal lr merged, as in the table view)."""


def html_chart(replay: Replay, log_y: bool, x_unit: str | None) -> str:
    """The page (see the module's description).

    >>> from lrcli.schedules import Schedule
    >>> from lrcli.replay import replay
    >>> page = html_chart(replay(Schedule.of("step", step_size=3), [0.1], 10), False, "epoch")
    >>> page.count('<path class="series"'), "src=" in page or "href=" in page, "<td>0.010000000000000002</td>" in page
    (1, False, True)
    """
    check_columns("html", len(replay.value_columns))
    sketch = Sketch(replay, WIDTH - LEFT - RIGHT, log_y, x_unit)
    table = shown_rows(replay, TABLE_ROWS, sketch.tap(replay.chunks()))
    drawing = sketch.drawing()
    svg, data = _svg(drawing)
    data["unit"] = replay.unit
    data["perEpoch"] = replay.steps_per_epoch if replay.per_step else None
    header, cells, notes = table_cells(replay, *table)
    index_count = len(replay.index_columns)
    rows = "\n".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in cells)
    legend = ""
    if drawing.several:
        legend = (
            '<ul class="legend">'
            + "".join(
                f'<li><svg width="28" height="10"><line x1="0" y1="5" x2="28" y2="5" {_stroke(index)}/></svg>'
                f"{html.escape(line.label)}</li>"
                for index, line in enumerate(drawing.panels[0].lines)
            )
            + "</ul>"
        )
    script_data = orjson.dumps(data).decode().replace("</", "<\\/")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lrcli">
<title>{html.escape(replay.title)}</title>
<style>{STYLE}</style></head><body>
<h1>{html.escape(replay.title)}</h1>
{legend}<figure id="chart">{svg}<div id="tip" hidden></div></figure>
{"".join(f'<p class="note">{html.escape(note)}</p>' for note in drawing.notes)}
<details><summary>Table ({html.escape(", ".join(header))})</summary>
<table><thead><tr>{"".join(f"<th>{html.escape(name)}</th>" for name in header)}</tr></thead>
<tbody class="index-{index_count}">
{rows}
</tbody></table>
{"".join(f'<p class="note">{html.escape(note)}</p>' for note in notes)}
</details>
<script type="application/json" id="lrcli-data">{script_data}</script>
<script>{SCRIPT}</script>
</body></html>
"""


def _stroke(index: int) -> str:
    dash = {
        "-": "",
        "--": ' stroke-dasharray="6 4"',
        ":": ' stroke-dasharray="2 3"',
        "-.": ' stroke-dasharray="6 3 2 3"',
    }
    return f'stroke="{COLORS[index % len(COLORS)]}"{dash[DASHES[index // len(COLORS) % len(DASHES)]]}'


class _Scale:
    """A panel's lr axis: from its values to SVG pixels, padded by 5 % at each end (by a factor
    on a log axis), linear or logarithmic."""

    def __init__(self, panel: Panel, top: float, height: float) -> None:
        self.log = panel.log
        low, high = (math.log10(panel.low), math.log10(panel.high)) if self.log else (panel.low, panel.high)
        pad = (high - low) * 0.05 or (0.3 if self.log else abs(low) * 0.1 or 1.0)
        self.low, self.high = low - pad, high + pad
        self.top, self.height = top, height

    def __call__(self, value: float) -> float:
        position = math.log10(value) if self.log else value
        return self.top + (self.high - position) / (self.high - self.low) * self.height


def _svg(drawing: Drawing) -> tuple[str, dict[str, object]]:
    """The chart as SVG, and what the hover script needs: the plot area's left and width, and for
    each series its kept rows, their values as text, and their points in SVG pixels."""
    plot_width = WIDTH - LEFT - RIGHT
    low_x, high_x = drawing.x_range
    if not high_x > low_x:
        high_x = low_x + 1

    def x_of(x: float) -> float:
        return LEFT + (x - low_x) / (high_x - low_x) * plot_width

    parts: list[str] = []
    series: list[dict[str, object]] = []
    top = TOP
    for number, panel in enumerate(drawing.panels):
        height = HEIGHTS[panel.name]
        y_of = _Scale(panel, top, height)
        parts.append(f'<g class="panel" data-name="{panel.name}">')
        parts.append(f'<rect class="frame" x="{LEFT}" y="{top}" width="{plot_width}" height="{height}"/>')
        for value, label in zip(*ticks(panel.low, panel.high, max(3, height // 50), panel.log)):
            y = y_of(value)
            parts.append(f'<line class="grid" x1="{LEFT}" x2="{LEFT + plot_width}" y1="{y:.2f}" y2="{y:.2f}"/>')
            parts.append(f'<text class="tick" x="{LEFT - 6}" y="{y:.2f}" text-anchor="end" dy="0.32em">{label}</text>')
        x_ticks = ticks(drawing.x_range[0], drawing.x_range[1], 10, False)
        for value, label in zip(*x_ticks):
            x = x_of(value)
            parts.append(f'<line class="grid" x1="{x:.2f}" x2="{x:.2f}" y1="{top}" y2="{top + height}"/>')
            if number == len(drawing.panels) - 1:
                parts.append(
                    f'<text class="tick" x="{x:.2f}" y="{top + height + 18}" text-anchor="middle">{label}</text>'
                )
        for event in drawing.events:
            x = x_of(event)
            parts.append(f'<line class="event" x1="{x:.2f}" x2="{x:.2f}" y1="{top}" y2="{top + height}"/>')
        for index, line in enumerate(panel.lines):
            points = [f"{x_of(x):.2f},{y_of(y):.2f}" for x, y in zip(line.xs, line.ys)]
            parts.append(
                f'<path class="series" data-label="{html.escape(line.label)}" {_stroke(index)} '
                f'd="M{"L".join(points)}"/>'
            )
            series.append(
                {
                    "label": line.label,
                    "panel": number,
                    "color": COLORS[index % len(COLORS)],
                    "rows": line.rows,
                    "text": format_lrs(line.values),
                    "x": [round(x_of(row / drawing.scale), 2) for row in line.rows],
                    "y": [round(y_of(value), 2) for value in line.values],
                }
            )
        middle = top + height / 2
        parts.append(
            f'<text class="label" transform="translate(16,{middle:.2f}) rotate(-90)" text-anchor="middle">'
            f"{panel.name}</text>"
        )
        parts.append("</g>")
        top += height + GAP
    bottom = top - GAP + BOTTOM
    parts.append(
        f'<text class="label" x="{LEFT + plot_width / 2:.2f}" y="{bottom - 6}" text-anchor="middle">'
        f"{drawing.x_name}</text>"
    )
    parts.append('<line id="cursor" class="cursor" x1="0" x2="0" y1="0" y2="0" visibility="hidden"/>')
    svg = (
        f'<svg viewBox="0 0 {WIDTH} {bottom}" role="img" '
        f'aria-label="{html.escape(drawing.title)}">' + "".join(parts) + "</svg>"
    )
    data = {"left": LEFT, "width": plot_width, "top": TOP, "bottom": top - GAP, "series": series}
    return svg, data


STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em auto; max-width: 1000px; padding: 0 1em; color: #222; }
h1 { font-size: 15px; font-weight: 600; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
figure { position: relative; margin: 0; }
svg { display: block; width: 100%; height: auto; font: 12px system-ui, sans-serif; }
.frame { fill: none; stroke: #444; }
.grid { stroke: #e6e6e6; }
.event { stroke: #999; stroke-dasharray: 4 3; }
.series { fill: none; stroke-width: 1.6; }
.cursor { stroke: #555; stroke-width: 0.8; }
.tick { fill: #333; }
.label { fill: #222; font-size: 13px; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4em 1.2em; }
.legend svg { display: inline; width: 28px; margin-right: 0.4em; }
#tip { position: absolute; pointer-events: none; background: #fff; border: 1px solid #888; padding: 4px 8px;
       font: 12px ui-monospace, monospace; white-space: pre; box-shadow: 1px 1px 3px #0003; }
.note { color: #555; font-size: 13px; }
table { border-collapse: collapse; font: 13px ui-monospace, monospace; }
th, td { padding: 2px 12px; border-bottom: 1px solid #eee; text-align: left; }
.index-1 td:nth-child(-n+1), .index-2 td:nth-child(-n+2) { text-align: right; }
"""

SCRIPT = """
(function () {
  const data = JSON.parse(document.getElementById("lrcli-data").textContent);
  const svg = document.querySelector("#chart > svg"), tip = document.getElementById("tip");
  const cursor = document.getElementById("cursor"), unit = data.unit;
  const dots = data.series.map(function (series) {
    const dot = document.createElementNS("http://www.w3.org/2000/svg", "circle");
    dot.setAttribute("r", "3.5"); dot.setAttribute("fill", series.color); dot.setAttribute("visibility", "hidden");
    svg.appendChild(dot); return dot;
  });
  function nearest(xs, x) {  // the index of the point nearest x (xs ascending)
    let low = 0, high = xs.length - 1;
    while (high - low > 1) { const middle = (low + high) >> 1; if (xs[middle] <= x) low = middle; else high = middle; }
    return Math.abs(xs[high] - x) < Math.abs(xs[low] - x) ? high : low;
  }
  function row(number) {
    return data.perEpoch ? unit + " " + number + " (epoch " + Math.floor(number / data.perEpoch) + ")" : unit + " " + number;
  }
  function hide() { tip.hidden = true; cursor.setAttribute("visibility", "hidden");
    dots.forEach(function (dot) { dot.setAttribute("visibility", "hidden"); }); }
  svg.addEventListener("mouseleave", hide);
  svg.addEventListener("mousemove", function (event) {
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse());
    if (point.x < data.left - 8 || point.x > data.left + data.width + 8) { hide(); return; }
    const first = data.series[0], at = nearest(first.x, point.x), shown = first.rows[at];
    const lines = [row(shown)];
    data.series.forEach(function (series, index) {
      const i = series === first ? at : nearest(series.x, point.x);
      lines.push(series.label + " " + series.text[i] + (series.rows[i] !== shown ? "  (" + row(series.rows[i]) + ")" : ""));
      dots[index].setAttribute("cx", series.x[i]); dots[index].setAttribute("cy", series.y[i]);
      dots[index].setAttribute("visibility", "visible");
    });
    cursor.setAttribute("x1", first.x[at]); cursor.setAttribute("x2", first.x[at]);
    cursor.setAttribute("y1", data.top); cursor.setAttribute("y2", data.bottom);
    cursor.setAttribute("visibility", "visible");
    tip.textContent = lines.join("\\n"); tip.hidden = false;
    const box = svg.getBoundingClientRect(), left = event.clientX - box.left, top = event.clientY - box.top;
    tip.style.left = (left + 14 + tip.offsetWidth > box.width ? left - 14 - tip.offsetWidth : left + 14) + "px";
    tip.style.top = (top + 14) + "px";
  });
})();
"""
