"""The HTML chart: one page that fetches nothing, the chart as SVG lrcli writes, the exact lrs
under the pointer, the table one click away; opened in headless Chromium when one is installed."""

import io
import re

import pytest

from lrcli.render.floats import format_lrs
from lrcli.render.html import html_chart
from lrcli.replay import replay
from lrcli.schedules import Schedule
from tests.render.browser import Browser, browser_path


def page(lrcli, tmp_path, *args) -> str:
    target = tmp_path / "lr.html"
    result = lrcli(*args, "-o", str(target))
    assert result.code == 0, result.err
    return target.read_text()


def paths(text: str) -> list[str]:
    return re.findall(r'<path class="series"[^>]* d="([^"]*)"', text)


def test_the_page_fetches_nothing_and_draws_one_stair_per_change(lrcli, tmp_path):
    text = page(lrcli, tmp_path, "step", "--step-size", "3")
    assert text.startswith("<!doctype html>") and text.rstrip().endswith("</html>")
    assert not re.search(r"\b(src|href|action)\s*=|@import|url\(|<link|<iframe|fetch\(|XMLHttpRequest", text)
    assert text.count("<script") == 2 and "<svg viewBox=" in text
    # 10 epochs, 3 decays: 13 points, 12 segments
    assert [path.count("L") for path in paths(text)] == [12]
    assert "<title>StepLR(step_size=3, gamma=0.1)</title>" in text


def test_the_table_is_one_click_away_with_every_lr_as_lrcli_prints_it(lrcli, tmp_path):
    text = page(lrcli, tmp_path, "step", "--step-size", "3")
    table = text.split("<details>")[1].split("</details>")[0]
    assert "<th>epoch</th><th>lr</th>" in table
    cells = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td></tr>", table)
    csv = lrcli("step", "--step-size", "3", "-f", "csv").out.split()[1:]
    assert cells == [tuple(line.split(",")) for line in csv] and len(cells) == 10


def test_the_hover_data_holds_each_row_and_its_exact_lr():
    run = replay(Schedule.of("exp", gamma=0.9), [0.1, 0.3], 50)
    text = html_chart(run, False, "epoch")
    import json

    data = json.loads(text.split('id="lrcli-data">')[1].split("</script>")[0])
    expected = replay(Schedule.of("exp", gamma=0.9), [0.1, 0.3], 50)
    columns = (
        [value for chunk in expected.chunks() for value in chunk.series[0]],
        [value for chunk in expected.chunks() for value in chunk.series[1]],
    )
    assert [series["label"] for series in data["series"]] == ["lr_0", "lr_1"]
    assert [series["rows"] for series in data["series"]] == [list(range(50))] * 2
    assert [series["text"] for series in data["series"]] == [format_lrs(column) for column in columns]
    assert data["unit"] == "epoch" and data["perEpoch"] is None
    assert '<ul class="legend">' in text and text.count('<path class="series"') == 2


def test_a_long_run_is_drawn_from_few_points(lrcli, tmp_path):
    text = page(lrcli, tmp_path, "cosine-restarts", "--t-0", "97", "--steps", "1000000")
    (path,) = paths(text)
    assert path.count("L") < 2 * 960
    assert len(text) < 200_000


def test_page_options_are_checked(lrcli, tmp_path):
    result = lrcli("step", "--step-size", "3", "-f", "table", "-o", str(tmp_path / "lr.html"))
    assert result.code == 2 and result.err == (
        f"Error: --format table does not fit {str(tmp_path / 'lr.html')!r}, a html file\n"
    )
    assert lrcli("step", "--step-size", "3", "-f", "html", "--size", "8x4").err == (
        "Error: --size applies to --format plot, png, svg, pdf\n"
    )
    assert "<!doctype html>" in lrcli("step", "--step-size", "3", "-f", "html", "--log-y").out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    path = browser_path()
    if path is None:
        pytest.skip("no Chromium on PATH: the HTML chart is not opened in a browser (apt-get install chromium)")
    opened = Browser(path, str(tmp_path_factory.mktemp("profile")))
    yield opened
    opened.close()


@pytest.mark.slow
def test_chromium_draws_the_chart_and_shows_exact_lrs_under_the_pointer(lrcli, tmp_path, browser):
    target = tmp_path / "lr.html"
    assert lrcli("multistep", "--milestones", "3,7", "--epochs", "10", "-o", str(target)).code == 0
    browser.open(target.as_uri())
    # 10 epochs, 2 decays: 12 points, 11 segments, as drawn (the SVG's own count of the path)
    assert browser.evaluate('document.querySelector("path.series").getAttribute("d").split("L").length - 1') == 11
    box = browser.evaluate('JSON.stringify(document.querySelector("#chart > svg").getBoundingClientRect())')
    assert '"width":' in box and browser.evaluate('document.querySelector("path.series").getTotalLength() > 500')
    assert browser.evaluate('document.getElementById("tip").hidden') is True

    def hover(row: int) -> str:
        x, y = browser.evaluate(
            "(() => { const svg = document.querySelector('#chart > svg');"
            " const data = JSON.parse(document.getElementById('lrcli-data').textContent);"
            f" const p = new DOMPoint(data.series[0].x[{row}], data.series[0].y[{row}]).matrixTransform(svg.getScreenCTM());"
            " return [p.x, p.y]; })()"
        )
        browser.hover(x, y)
        return browser.evaluate('(tip => tip.hidden ? null : tip.textContent)(document.getElementById("tip"))')

    assert hover(3) == "epoch 3\nlr 0.010000000000000002"
    assert hover(9) == "epoch 9\nlr 0.0010000000000000002"
    assert hover(0) == "epoch 0\nlr 0.1"
    from PIL import Image

    screenshot = Image.open(io.BytesIO(browser.screenshot()))
    assert screenshot.format == "PNG" and screenshot.size == (1100, 900)
    colours = {colour for _, colour in screenshot.convert("RGB").getcolors(1_000_000)}
    assert (0x1F, 0x77, 0xB4) in colours and len(colours) > 20  # the lr's line, anti-aliased on white
    assert browser.problems == []


@pytest.mark.slow
def test_chromium_reports_the_page_script_s_errors(tmp_path, browser):
    """The check above can fail: a page whose script throws is caught."""
    target = tmp_path / "broken.html"
    target.write_text("<!doctype html><script>undefinedFunction()</script><p>x</p>")
    browser.problems.clear()
    browser.open(target.as_uri())
    assert any("undefinedFunction" in problem for problem in browser.problems)
    browser.problems.clear()
