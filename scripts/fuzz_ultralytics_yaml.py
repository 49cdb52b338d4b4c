"""Compare lrcli's reader of Ultralytics' args.yaml with PyYAML's safe loader, on random documents.

Run by hand, where PyYAML is installed (Ultralytics depends on it):

    /tmp/ul/bin/python scripts/fuzz_ultralytics_yaml.py [--cases 20000] [--seed 1]

Each case writes a flat mapping as ``yaml.safe_dump`` writes one and as people edit one: keys with
scalars in YAML 1.1's many spellings (booleans, nulls, ints and floats with and without signs,
dots and exponents, quoted strings with their escapes, words), one-line and ``- item`` lists,
comments, blank lines; half the time with a few characters deleted, inserted or swapped. The values
(types included) read by ``yaml.safe_load`` and by ``lrcli.ultralytics_args.read_args_yaml`` must be
equal, or both must refuse; lrcli may also refuse the forms it says it does not read (tags,
anchors and aliases, octal, hex, base-60 and ``_`` numbers, nested mappings, block scalars,
double-quoted escapes other than ``\\" \\\\ \\/ \\n \\t``, ``[`` lists across lines or of
quoted items, list items at several indentations).
"""

from __future__ import annotations

import argparse
import math
import pathlib
import random
import sys
import tempfile

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from fuzzing import Tally, outcome  # noqa: E402  (scripts/)

from lrcli.ultralytics_args import read_args_yaml  # noqa: E402

SCALARS = [
    "True", "true", "TRUE", "False", "no", "No", "yes", "on", "OFF", "y", "n", "~", "null", "Null", "", "0", "-3",
    "+7", "017", "0x1F", "0o7", "1_000", "1:30", "3.", ".5", "0.01", "1.0e-05", "1e-05", "1.0e5", "-2.5E+3",
    ".inf", "-.Inf", ".nan", ".NaN", ".iNf", "SGD", "auto", "'a''b'", "'x # y'", '"a\\tb"', '"q\\"r"', '"\\x41"',
    "a b", "8.4.190", "!!float 1", "&a 1", "*a", "{a: 1}", "|", "yolov8n.yaml", "/tmp/x/data.yaml", "- 1",
]  # fmt: skip
UNREAD = (
    "YAML tags",
    "octal, hex",
    "flat mapping",
    "at the top level",
    "quoted strings that end",
    "value continued",
    "no 'key: value' line",
    "lists of plain scalars",
    "at one indentation",
)


def value(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.1:
        return "[" + ", ".join(rng.choice(SCALARS[:40]) for _ in range(rng.randint(0, 3))) + "]"
    return rng.choice(SCALARS)


def document(rng: random.Random) -> str:
    lines, keys = [], [f"k{i}" for i in range(rng.randint(1, 8))]
    for key in keys:
        if rng.random() < 0.15:
            lines.append("# " + rng.choice(SCALARS))
        if rng.random() < 0.1:
            lines.append(f"{key}:")
            lines.extend(f"{rng.choice(['', '  '])}- {rng.choice(SCALARS[:40])}" for _ in range(rng.randint(1, 3)))
            continue
        comment = f" # {rng.choice(SCALARS)}" if rng.random() < 0.2 else ""
        lines.append(f"{key}: {value(rng)}{comment}".rstrip())
    if rng.random() < 0.05:
        lines.append(rng.choice(keys) + ": 1")  # a key given twice
    return "\n".join(lines) + "\n"


def mutate(rng: random.Random, text: str) -> str:
    characters = list(text)
    for _ in range(rng.randint(1, 3)):
        if not characters:
            break
        at = rng.randrange(len(characters))
        kind = rng.random()
        if kind < 0.33:
            del characters[at]
        elif kind < 0.66:
            characters.insert(at, rng.choice(" :#-'\"[],!&*.e0\n"))
        else:
            other = rng.randrange(len(characters))
            characters[at], characters[other] = characters[other], characters[at]
    return "".join(characters)


def canonical(value: object) -> object:
    """A value with NaN comparable, its type kept (``1`` and ``1.0`` and ``True`` differ)."""
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    return (type(value).__name__, value)


def theirs_of(text: str) -> object:
    loaded = yaml.safe_load(text)
    if not isinstance(loaded, dict):
        raise ValueError("not a mapping")
    keys = [line.split(":")[0].strip() for line in text.splitlines() if line[:1].isalpha()]
    if len(keys) != len(set(keys)):
        raise ValueError("a key given twice")  # PyYAML keeps the last silently; lrcli refuses
    return canonical(loaded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    tally = Tally("PyYAML")
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "args.yaml"
        for case in range(arguments.cases):
            text = document(rng)
            if rng.random() < 0.5:
                text = mutate(rng, text)
            path.write_text(text)
            want, theirs = outcome(lambda text=text: theirs_of(text))
            got, ours = outcome(lambda: canonical({key: item for key, (item, _) in read_args_yaml(str(path)).items()}))
            unread = ours is not None and any(form in ours for form in UNREAD)
            tally.add(f"case {case} {text!r}", want, theirs, got, ours, excused=unread)
    print(tally.summary())


if __name__ == "__main__":
    main()
