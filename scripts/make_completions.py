"""Regenerate completions/ from the app itself (Typer's ``_LRCLI_COMPLETE=source_<shell>``).

    python scripts/make_completions.py

tests/test_completions.py fails when a committed script differs from what this writes.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

COMPLETIONS = pathlib.Path(__file__).resolve().parent.parent / "completions"
SHELLS = {"bash": "lrcli.bash", "zsh": "_lrcli", "fish": "lrcli.fish", "powershell": "lrcli.ps1"}


def completion_script(shell: str) -> str:
    environment = {**os.environ, "_LRCLI_COMPLETE": f"source_{shell}"}
    run = subprocess.run([sys.executable, "-m", "lrcli"], env=environment, capture_output=True, text=True, check=True)
    return run.stdout


def main() -> None:
    COMPLETIONS.mkdir(exist_ok=True)
    for shell, name in SHELLS.items():
        (COMPLETIONS / name).write_text(completion_script(shell))
    print(f"wrote {', '.join(SHELLS.values())} to {COMPLETIONS}")


if __name__ == "__main__":
    main()
