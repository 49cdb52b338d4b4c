"""PNG, SVG and PDF images (matplotlib, the ``plot`` extra): what they show, their size, the same
bytes for the same command, long runs drawn from few points, and matplotlib kept out of every
other command."""

import io
import re
import subprocess
import sys

import pytest

from lrcli.render.plot import sketch
from lrcli.replay import replay
from lrcli.schedules import Schedule

pytest.importorskip("matplotlib", reason="the image tests need matplotlib (pip install -e '.[test]')")


def image(lrcli, tmp_path, name, *args):
    target = tmp_path / name
    result = lrcli(*args, "-o", str(target))
    assert result.code == 0, result.err
    return target.read_bytes()


def texts(svg: bytes) -> list[str]:
    """The texts of an SVG drawn by matplotlib: it writes each as paths after a comment."""
    return re.findall(r"<!-- (.*?) -->", svg.decode())


def test_an_svg_shows_the_call_the_axes_round_ticks_and_a_rule_at_each_milestone(lrcli, tmp_path):
    svg = image(lrcli, tmp_path, "lr.svg", "multistep", "--milestones", "30,60", "--epochs", "90")
    assert texts(svg) == [
        *map(str, range(0, 90, 10)),
        "epoch",
        "0",  # the axis reaches 0 below the last lr (0.001), and its tick is shown
        "0.02",
        "0.04",
        "0.06",
        "0.08",
        "0.1",
        "lr",
        "MultiStepLR(milestones=[30, 60], gamma=0.1)",
    ]
    assert svg.decode().count("stroke: #999999") == 2  # the rules at epochs 30 and 60
    assert "<dc:title>MultiStepLR(milestones=[30, 60], gamma=0.1)</dc:title>" in svg.decode()


def test_the_same_command_gives_the_same_bytes(lrcli, tmp_path):
    import matplotlib

    args = ("cosine-restarts", "--t-0", "10", "--epochs", "50", "--lr", "0.1", "--lr", "0.01")
    first = {kind: image(lrcli, tmp_path, f"a.{kind}", *args) for kind in ("svg", "pdf", "png")}
    with matplotlib.rc_context({"svg.hashsalt": None}):  # a random id salt around it changes nothing
        second = {kind: image(lrcli, tmp_path, f"b.{kind}", *args) for kind in ("svg", "pdf", "png")}
    assert first == second
    assert b"<dc:date>" not in first["svg"]
    assert b"/Creator (lrcli) /Producer (lrcli)" in first["pdf"] and b"CreationDate" not in first["pdf"]
    assert first["pdf"].startswith(b"%PDF-")


def test_a_png_has_the_size_asked_for(lrcli, tmp_path):
    from PIL import Image

    def opened(*size):
        data = image(lrcli, tmp_path, "lr.png", "step", "--step-size", "3", *size)
        picture = Image.open(io.BytesIO(data))
        picture.load()
        return picture

    default = opened()
    assert default.size == (1200, 675) and default.format == "PNG"  # 8 x 4.5 inches at 150 dpi
    assert opened("--size", "600x300px", "--dpi", "100").size == (600, 300)
    assert opened("--size", "4x3in", "--dpi", "50").size == (200, 150)
    assert opened("--size", "5x2.5").size == (750, 375)
    colours = {colour for _, colour in default.convert("RGB").getcolors(1_000_000)}
    assert (0x1F, 0x77, 0xB4) in colours  # the lr's line, in the first series' colour


def test_groups_and_compared_schedules_each_get_a_colour_and_a_legend(lrcli, tmp_path):
    svg = image(
        lrcli,
        tmp_path,
        "lr.svg",
        "compare",
        "cos=cosine(T_max=20)",
        "step=step(step_size=5)",
        "--lr",
        "0.1",
        "--lr",
        "0.01",
        "--epochs",
        "20",
    )
    text = svg.decode()
    for colour in ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"):
        assert f"stroke: {colour}" in text
    assert {"cos_0", "cos_1", "step_0", "step_1"} <= set(texts(svg))
    single = image(lrcli, tmp_path, "one.svg", "step", "--step-size", "3").decode()
    assert "#ff7f0e" not in single and "legend" not in single


def test_momentum_is_a_second_panel_and_log_y_a_log_axis(lrcli, tmp_path):
    svg = image(
        lrcli, tmp_path, "lr.svg", "onecycle", "--max-lr", "0.1", "--total-steps", "100", "--show-momentum", "--log-y"
    )
    assert texts(svg) == [
        *("1e-06", "0.0001", "0.01", "lr"),  # powers of ten on the log axis
        *("0", "20", "40", "60", "80", "epoch"),
        *("0.85", "0.9", "0.95", "momentum"),  # the second panel, under the first
        "OneCycleLR(max_lr=0.1, total_steps=100)",
    ]
    steps = image(
        lrcli,
        tmp_path,
        "steps.svg",
        "step",
        "--step-size",
        "10",
        "--steps-per-epoch",
        "10",
        "--epochs",
        "20",
        "--plot-x",
        "step",
    )
    assert "step" in texts(steps) and "200" not in texts(steps) and "150" in texts(steps)


def test_image_options_are_checked(lrcli):
    def error(*args):
        result = lrcli("step", "--step-size", "3", *args)
        assert result.code == 2 and result.out == ""
        return result.err

    assert error("-f", "svg", "--size", "1x1") == (
        "Error: --size must be at least 2 inches and at most 10,000 pixels a side (at --dpi 150), got '1x1'\n"
    )
    assert "got 'ax3'" in error("-f", "svg", "--size", "ax3")
    assert "got 'nanx3'" in error("-f", "svg", "--size", "nanx3")
    assert "10,000 pixels" in error("-f", "png", "--size", "100x3")
    assert error("-f", "csv", "--dpi", "100") == "Error: --dpi applies to --format png, svg, pdf\n"
    assert "--dpi must be from 10 to 1000, got 0" in error("-f", "svg", "--dpi", "0")
    assert error("-f", "csv", "-o", "lr.png") == "Error: --format csv does not fit 'lr.png', a png file\n"


def test_a_binary_image_is_not_written_to_a_terminal(lrcli, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    result = lrcli("step", "--step-size", "3", "-f", "png")
    assert result.code == 2
    assert result.err == "Error: --format png is binary: give -o PATH.png, or redirect stdout\n"


def test_without_matplotlib_one_line_says_what_to_install(lrcli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    result = lrcli("step", "--step-size", "3", "-o", str(tmp_path / "lr.pdf"))
    assert result.code == 2 and not (tmp_path / "lr.pdf").exists()
    assert result.err == (
        "Error: --format pdf draws with matplotlib, which is not installed: pip install 'lrcli[plot]'\n"
    )


def test_a_long_run_is_drawn_from_few_points_that_keep_every_extreme():
    """10⁶ steps of warm restarts, a restart every 97 steps: each of 1,200 pixel columns keeps its
    lowest and highest lr, so that every peak and trough stays in the picture."""

    def run():
        return replay(Schedule.of("cosine-restarts", T_0=97, eta_min=0.001), [0.1], steps=1_000_000)

    line = sketch(run(), 1200, False, "epoch").panels[0].lines[0]
    assert len(line.xs) <= 2 * 1200 and len(line.rows) <= 2 * 1200
    lowest = min(min(chunk.series[0]) for chunk in run().chunks())
    assert sum(value == 0.1 for value in line.ys) == 1200  # each column's peak, at a restart
    assert sum(value == lowest for value in line.ys) >= 1100  # and its trough, one step before one


@pytest.mark.slow
def test_memory_stays_flat_however_long_the_run(tmp_path):
    """The peak memory drawing 10⁷ steps is about that of 10⁵: the rows stream past."""

    def peak(steps: int) -> int:
        code = (
            "import resource, sys; from lrcli.cli import run; "
            f"assert run(['exp', '--gamma', '0.9999999', '--steps', '{steps}', '-o', sys.argv[1]]) == 0; "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
        )
        done = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / "lr.png")], capture_output=True, text=True, check=True
        )
        return int(done.stdout)  # kilobytes

    assert peak(10_000_000) - peak(100_000) < 30_000


@pytest.mark.slow
def test_matplotlib_is_imported_only_for_images(tmp_path):
    """Start-up is unchanged: a table, a plot or CSV never imports matplotlib; an image does."""

    def imported(*args: str) -> bool:
        code = (
            "import sys; from lrcli.cli import run; "
            f"assert run({list(args)!r}) == 0; "
            "print(any(name.split('.')[0] == 'matplotlib' for name in sys.modules))"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
        return done.stdout.split()[-1] == "True"

    assert not imported("step", "--step-size", "3")
    assert not imported("step", "--step-size", "3", "-f", "plot")
    assert not imported("step", "--step-size", "3", "-f", "csv")
    assert not imported("step", "--step-size", "3", "-o", "lr.html")
    assert imported("step", "--step-size", "3", "-o", "lr.svg")
