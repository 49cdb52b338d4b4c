"""pyproject.toml's lower bounds are the versions .ci/run tests as the oldest."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_lower_bounds_are_the_versions_ci_tests():
    pyproject = (ROOT / "pyproject.toml").read_text()
    dependencies = re.search(r"^dependencies = \[(.*?)^\]", pyproject, re.DOTALL | re.MULTILINE).group(1)
    plot = re.search(r"^plot = \[(.*?)\]", pyproject, re.MULTILINE).group(1)  # the images' extra
    bounds = dict(re.findall(r'"([a-z]+)>=([0-9.]+)', dependencies + plot))
    pins = dict(re.findall(r"^([a-z]+)==([0-9.]+)$", (ROOT / ".ci" / "lowest.txt").read_text(), re.MULTILINE))
    assert set(bounds) == {"typer", "rich", "plotext", "orjson", "numpy", "matplotlib"}
    assert {name: release(version) for name, version in bounds.items()} == {
        name: release(v) for name, v in pins.items()
    }


def release(version: str) -> tuple[int, ...]:
    """``0.28`` and ``0.28.0`` are the same release."""
    numbers = [int(part) for part in version.split(".")]
    while numbers and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def test_license_file_is_packaged():
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert 'license-files = ["LICENSE"]' in (ROOT / "pyproject.toml").read_text()


def test_the_version_is_written_once():
    """pyproject.toml reads lrcli.__version__ (the wheel's, and so ``pip show``'s) instead of a copy."""
    project = re.search(r"^\[project\]\n(.*?)^\[", (ROOT / "pyproject.toml").read_text(), re.DOTALL | re.MULTILINE)
    assert not re.search(r"^version\s*=", project.group(1), re.MULTILINE)
    assert re.search(r'^dynamic = \["version"\]', project.group(1), re.MULTILINE)
    assert 'version = { attr = "lrcli.__version__" }' in (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^__version__ = "[0-9.]+"$', (ROOT / "lrcli" / "__init__.py").read_text(), re.MULTILINE)
