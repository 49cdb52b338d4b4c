"""completions/ must be what the app generates now, and complete what a user types."""

import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("make_completions", ROOT / "scripts" / "make_completions.py")
make_completions = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_completions)


@pytest.mark.parametrize("shell", sorted(make_completions.SHELLS))
def test_committed_completion_is_current(shell):
    committed = (ROOT / "completions" / make_completions.SHELLS[shell]).read_text()
    assert committed == make_completions.completion_script(shell), "run scripts/make_completions.py"


def bash_completions(words: str) -> list[str]:
    environment = {
        **os.environ,
        "_LRCLI_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    run = subprocess.run([sys.executable, "-m", "lrcli"], env=environment, capture_output=True, text=True)
    return run.stdout.split()


@pytest.mark.slow
def test_bash_completes_commands_options_and_formats():
    assert bash_completions("lrcli multis") == ["multistep"]
    assert bash_completions("lrcli cos") == ["cosine", "cosine-restarts"]
    assert "--step-size" in bash_completions("lrcli step --")
    assert bash_completions("lrcli exp --format ") == ["table", "plot", "csv", "tsv", "json", "npz", "markdown", "summary"]
