"""Run the README's console examples and write their output back into it.

    python scripts/readme_examples.py

In a ```console block, a line ``$ COMMAND`` is followed by what COMMAND prints (stdout, then
stderr) when bash runs it with lrcli on PATH, at COLUMNS=80 LINES=24 unless the command sets them,
no colour. tests/test_readme.py fails when the README shows anything else; trailing spaces are
ignored on both sides.
"""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)


def examples(text: str) -> list[tuple[str, str]]:
    """``(command, output)`` for every ``$`` line of every console block, in order."""
    found = []
    for block in BLOCK.findall(text):
        command, output = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            found.append((command, "\n".join(output)))
    return found


def trimmed(text: str) -> str:
    """``text`` without trailing spaces on any line, nor trailing blank lines."""
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip("\n")


def run(command: str) -> str:
    """What ``command`` prints, as the README shows it."""
    bin_folder = str(pathlib.Path(sys.executable).parent)
    environment = {
        **os.environ,
        "PATH": bin_folder + os.pathsep + os.environ.get("PATH", ""),
        "COLUMNS": "80",
        "LINES": "24",
        "NO_COLOR": "1",
    }
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=environment, timeout=120)
    return trimmed(result.stdout + result.stderr)


def main() -> None:
    text = README.read_text()

    def refreshed(match: re.Match) -> str:
        lines = []
        for command, _ in examples(match.group(0)):
            lines += [f"$ {command}", run(command)]
        return "```console\n" + "\n".join(lines) + "\n```"

    README.write_text(BLOCK.sub(refreshed, text))
    print(f"ran {len(examples(text))} examples into {README}")


if __name__ == "__main__":
    main()
