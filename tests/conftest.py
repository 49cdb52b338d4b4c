from dataclasses import dataclass

import pytest

from lrcli.cli import run


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
