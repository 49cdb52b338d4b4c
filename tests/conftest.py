import gc
import sys
from dataclasses import dataclass

import pytest

from lrcli.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def lrcli(capsys, monkeypatch):
    """Run lrcli's entry point in-process: ``lrcli("step", "--step-size", "3")`` → Result."""

    def run(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["lrcli", *args])
        try:
            main()
        except SystemExit as exit:
            code = exit.code
        finally:
            gc.enable()
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
