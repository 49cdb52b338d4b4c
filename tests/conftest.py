import os
from dataclasses import dataclass

import pytest

from lrcli.cli import run


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", help="also run the tests marked slow (they run whenever CI is set)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: runs subprocesses or millions of rows; skipped unless --slow or CI is set"
    )


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow (CI runs every test)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def lrcli(capsys):
    """Run lrcli in-process: ``lrcli("step", "--step-size", "3")`` → Result. (The program's own
    entry point, which exits the process, is run as a subprocess in test_cli.)"""

    def invoke(*args: str) -> Result:
        code = run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
