"""Compare lrcli's reader of DeepSpeed configs with hjson itself, on random documents.

Run by hand, where hjson is installed (DeepSpeed depends on it):

    /tmp/ds/bin/python scripts/fuzz_hjson.py [--cases 20000] [--seed 1]

Each case writes a random config in one of hjson's many spellings (comments of three kinds,
quoted, single-quoted and unquoted keys, quoteless values, numbers written as ints, floats and
exponents, commas present, missing or trailing, values across lines, keys given twice), half the
time with a few characters deleted, inserted or swapped, and reads it with ``hjson.loads`` under
DeepSpeed's duplicate-refusing hook and with ``lrcli.deepspeed_config.parse_hjson``. The values
(types included: hjson makes ``1.0`` an int) must be equal, or both must refuse; lrcli may also
refuse the forms it says it does not read (``'''`` strings, a top level without braces, a ``\\u``
escape that is not four hex digits, which hjson passes to ``int(…, 16)`` with its leniencies).
"""

from __future__ import annotations

import argparse
import pathlib
import random
import sys

import hjson

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from fuzzing import Tally, outcome  # noqa: E402  (scripts/)

from lrcli.deepspeed_config import parse_hjson  # noqa: E402

KEYS = ["type", "params", "lr", "warmup_num_steps", "scheduler", "a b", "x-y", "k#1", "é", "", "n/m", "total"]
WORDS = [
    "WarmupLR",
    "log",
    "auto",
    "true",
    "false",
    "null",
    "hello world",
    "a,b",
    "x}",
    "y]",
    "# not a comment",
    "1e",
    "01",
    "-",
    "+1",
    "1.",
    ".5",
    "0x10",
    "NaN",
    "Infinity",
    "tru",
    "nulls",
    "é",
    "a // b",
    "a /* b",
]
NUMBERS = [
    "0",
    "1",
    "-0",
    "12",
    "1.0",
    "1.5",
    "-2.25",
    "1e3",
    "1E-3",
    "2.5e+2",
    "1e10",
    "1e9",
    "123456789012.0",
    "3e-05",
    "0.001",
    "1e400",
    "-1e-400",
    "10000000000.0",
    "9999999999.0",
    "7.0e0",
]
STRINGS = [
    '"plain"',
    "'single'",
    '"esc\\"aped"',
    '"tab\\tnew\\nline"',
    '"\\u00e9\\ud83d\\ude00"',
    "'it''s'",
    '"bad \\x escape"',
    '"a\'b"',
    "'a\"b'",
    '"/\\/"',
    "'''ml'''",
    '"unterminated',
]


def space(rng: random.Random) -> str:
    return rng.choice(["", " ", "  ", "\n", "\n  ", "\t", " # c\n", " // c\n", " /* c */ ", "/*\nc*/", "\r\n"])


def key(rng: random.Random) -> str:
    name = rng.choice(KEYS)
    form = rng.random()
    if form < 0.4:
        return '"' + name.replace('"', '\\"') + '"'
    if form < 0.5:
        return "'" + name + "'"
    return name + rng.choice(["", " ", "\t"])


def value(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if depth < 3 and roll < 0.25:
        return obj(rng, depth + 1)
    if depth < 3 and roll < 0.35:
        items = [value(rng, depth + 1) for _ in range(rng.randrange(4))]
        return (
            "["
            + "".join(space(rng) + item + rng.choice([",", "", ",", "\n", " ,"]) for item in items)
            + space(rng)
            + "]"
        )
    if roll < 0.6:
        return rng.choice(NUMBERS) + rng.choice(["", " ", "\t", "  "])
    if roll < 0.8:
        return rng.choice(WORDS)
    return rng.choice(STRINGS)


def obj(rng: random.Random, depth: int) -> str:
    members = []
    for _ in range(rng.randrange(5)):
        separator = rng.choice([",", "\n", ",\n", "", " ", ",", "\n"])
        members.append(
            space(rng) + key(rng) + rng.choice([":", " :", ": ", ":\n"]) + space(rng) + value(rng, depth) + separator
        )
    return "{" + "".join(members) + space(rng) + "}"


def mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randrange(1, 4)):
        at = rng.randrange(len(text) + 1)
        action = rng.random()
        if action < 0.4 and text:
            text = text[:at] + text[at + 1 :]
        elif action < 0.8:
            text = text[:at] + rng.choice("{}[],:\"'#/*\n \\0a.-e") + text[at:]
        elif text:
            other = rng.randrange(len(text))
            text = text[:at] + text[other : other + 1] + text[at + 1 :]
    return text


def refuse_duplicates(pairs):
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("Duplicate keys in DeepSpeed config")
    return result


def canonical(value):
    """The value with its types: hjson's int and float, lrcli's int and float must agree."""
    if isinstance(value, dict):
        return [(key, canonical(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [canonical(item) for item in value]
    return (type(value).__name__, value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    tally = Tally("hjson")
    for case in range(arguments.cases):
        text = space(rng) + obj(rng, 0) + space(rng)
        if rng.random() < 0.5:
            text = mutate(rng, text)
        want, theirs = outcome(lambda: canonical(hjson.loads(text, object_pairs_hook=refuse_duplicates)))
        if theirs is None and not isinstance(hjson.loads(text), dict):
            want, theirs = None, "not an object"  # DeepSpeed reads keys of the top level: lrcli refuses the rest
        got, ours = outcome(lambda: canonical(parse_hjson(text)[0]))
        unread = ours is not None and any(form in ours for form in ("without braces", "''' strings", "escape \\u"))
        tally.add(f"case {case} {text!r}", want, theirs, got, ours, excused=unread)
    print(tally.summary())


if __name__ == "__main__":
    main()
