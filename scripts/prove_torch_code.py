"""Prove lrcli's PyTorch code under real torch: for every golden case (tests/golden/cases.json),
run the script `lrcli … --emit torch` prints and compare the rows it prints with lrcli's CSV, as
floats; and run `lrcli … --verify`. Run by hand, in an environment with torch and lrcli:

    /tmp/torch/bin/pip install torch==2.13.0 transformers==5.23.0 -e .
    /tmp/torch/bin/python scripts/prove_torch_code.py [NAME_PREFIX ...]

Cases that pick rows (--start, --stop, --every, --changes, --at) are left out: --emit writes the
whole run.
"""

from __future__ import annotations

import csv
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
PICKS = {"--start", "--stop", "--every", "--changes", "--at"}


TIMM_WITHOUT_TORCHVISION = """
import importlib.util, sys, types
if importlib.util.find_spec("torchvision") is None and importlib.util.find_spec("timm") is not None:
    _timm = types.ModuleType("timm")  # timm/__init__ imports torchvision; timm.scheduler needs only torch
    _timm.__path__ = importlib.util.find_spec("timm").submodule_search_locations
    sys.modules["timm"] = _timm
"""
"""Run before each emitted script: where torchvision cannot be installed (no wheel for this torch
build here), timm.scheduler is imported without timm's package init."""


def lrcli(*arguments: str) -> subprocess.CompletedProcess:
    program = TIMM_WITHOUT_TORCHVISION + "from lrcli.cli import main\nmain()"
    return subprocess.run([sys.executable, "-c", program, *arguments], capture_output=True, text=True, cwd=ROOT)


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(text.splitlines()))


def main() -> None:
    cases = json.loads((GOLDEN / "cases.json").read_text())["cases"]
    prefixes = tuple(sys.argv[1:])  # only the cases whose names start so, when given
    cases = {name: arguments for name, arguments in cases.items() if name.startswith(prefixes or "")}
    proven = verified = 0
    failures = []
    for name, arguments in sorted(cases.items()):
        arguments = [argument.replace("{golden}", str(GOLDEN)) for argument in arguments]
        if PICKS & set(arguments) or name.startswith("long_") or arguments[0] == "mmengine":
            continue  # (a config's schedule has no PyTorch code of its own: mmengine builds it)
        ours = rows(lrcli(*arguments, "-f", "csv").stdout)
        script = lrcli(*arguments, "--emit", "torch").stdout
        run = subprocess.run([sys.executable, "-c", TIMM_WITHOUT_TORCHVISION + script], capture_output=True, text=True)
        theirs = rows(run.stdout)
        same = bool(theirs) and ours[0] == theirs[0] and [[float(v) for v in row] for row in ours[1:]] == [
            [float(v) for v in row] for row in theirs[1:]]
        proven += same
        if not same:
            failures.append(f"{name}: emitted script {'failed: ' + run.stderr[-200:] if run.returncode else 'differs'}")
        check = lrcli(*arguments, "--verify")
        verified += check.returncode == 0
        if check.returncode:
            failures.append(f"{name}: --verify: {check.stderr.strip()[-200:]}")
    total = sum(1 for name, arguments in cases.items()
                if not (PICKS & set(arguments) or name.startswith("long_") or arguments[0] == "mmengine"))
    print(f"{total} cases: {proven} emitted scripts print lrcli's rows under torch, {verified} pass --verify")
    for failure in failures[:10]:
        print(" ", failure)


if __name__ == "__main__":
    main()
