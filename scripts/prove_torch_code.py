"""Prove lrcli's PyTorch code under real torch: for every golden case of the command-line families
(their manifests in tests/data/golden/), run the script `lrcli … --emit torch` prints and compare
what it prints with lrcli's CSV as text (what `diff <(lrcli … -f csv) <(python emitted.py)`
compares; for `compare`, each schedule's script, their value columns side by side); and run
`lrcli … --verify`. Run by hand from the repository's root, in an environment with torch and lrcli:

    /tmp/torch/bin/pip install torch==2.13.0 transformers==5.23.0 -e .
    /tmp/torch/bin/python -m scripts.prove_torch_code [NAME_PREFIX ...]

Cases that pick rows (--start, --stop, --every, --changes, --at) are left out: --emit writes the
whole run.
"""

from __future__ import annotations

import csv
import subprocess
import sys

from scripts.golden.harness import COMMAND_FAMILIES, ROOT, expand, manifest

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


def run_script(script: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", TIMM_WITHOUT_TORCHVISION + script], capture_output=True, text=True)


def side_by_side(outputs: list[str], header: str) -> str:
    """The CSV of a comparison made of its scripts' outputs (each one schedule's CSV): the first's
    index columns, then every script's value columns; the header is lrcli's (its labels)."""
    tables = [list(csv.reader(text.splitlines())) for text in outputs]
    index = sum(name in ("step", "epoch") for name in tables[0][0]) if tables[0] else 0
    lines = [header]
    for row in list(zip(*tables))[1:]:  # (as many rows as the shortest: a shorter one differs)
        lines.append(",".join(row[0][:index] + [value for fields in row for value in fields[index:]]))
    return "\n".join(lines) + "\n"


def main() -> None:
    cases = {name: arguments for family in COMMAND_FAMILIES for name, arguments in manifest(family)["cases"].items()}
    prefixes = tuple(sys.argv[1:])  # only the cases whose names start so, when given
    cases = {name: arguments for name, arguments in cases.items() if name.startswith(prefixes or "")}
    proven = verified = 0
    failures = []
    for name, arguments in sorted(cases.items()):
        arguments = [expand(argument) for argument in arguments]
        if PICKS & set(arguments) or name.startswith("long_") or arguments[0] == "mmengine":
            continue  # (a config's schedule has no PyTorch code of its own: mmengine builds it)
        ours = lrcli(*arguments, "-f", "csv").stdout
        script = lrcli(*arguments, "--emit", "torch").stdout
        if arguments[0] == "compare":  # one script per schedule, each under "# ---- label ----"
            runs = [run_script(part.split("\n", 1)[1]) for part in script.split("# ---- ")[1:]]
            theirs = side_by_side([run.stdout for run in runs], ours.split("\n", 1)[0])
        else:
            runs = [run_script(script)]
            theirs = runs[0].stdout
        failed = next((run for run in runs if run.returncode), None)
        same = failed is None and theirs == ours
        proven += same
        if not same:
            failures.append(f"{name}: emitted script {'failed: ' + failed.stderr[-200:] if failed else 'differs'}")
        check = lrcli(*arguments, "--verify")
        verified += check.returncode == 0
        if check.returncode:
            failures.append(f"{name}: --verify: {check.stderr.strip()[-200:]}")
    total = sum(
        1
        for name, arguments in cases.items()
        if not (PICKS & set(arguments) or name.startswith("long_") or arguments[0] == "mmengine")
    )
    print(f"{total} cases: {proven} emitted scripts print lrcli's CSV under torch, {verified} pass --verify")
    for failure in failures[:10]:
        print(" ", failure)


if __name__ == "__main__":
    main()
