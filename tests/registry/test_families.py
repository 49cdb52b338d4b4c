"""A framework is a family in the registry: its descriptions, an engine function for each, how its
commands are mounted and how its code is written. A made-up family, built here from those records
alone and added to the registry for the test, gets its commands, its specs and its help, without
any other module knowing its name."""

import csv
import json

import pytest

from lrcli import registry
from lrcli.engine.core import Scheduler, from_initial_lr, lr_values, tabulated, whole
from lrcli.registry.description import CHOICE, INT, Commands, Description, Family, Param


def halving(period: int = 2, shape: str = "step") -> Scheduler:
    """The lr halved every ``period`` steps (``shape`` "step"), or smoothly (``"smooth"``)."""
    whole("period", period, 1)

    def make(base_lr: float):
        def table(first: int, stop: int) -> list[float]:
            exponent = (lambda step: step // period) if shape == "step" else (lambda step: step / period)
            return [base_lr * 0.5 ** exponent(step) for step in range(first, stop)]

        return tabulated(table)

    return from_initial_lr(make)


def fake_family(mount: Commands) -> Family:
    halve = Description(
        "fake.halve",
        "Halving",
        halving,
        "Halve the lr every few steps.",
        (
            Param("period", INT, "Steps between halvings.", 2, steps=True),
            Param("shape", CHOICE, "step: at once; smooth: a little each step.", "step", choices=("step", "smooth")),
        ),
        ("lrcli fake halve --period 3", "lrcli fake halve --period 3 --shape smooth -f plot"),
        details="A framework made up for a test.",
        warmup=False,
        composable=False,
        module="fake",
    )
    return Family("fake", "A made-up framework's schedules.", (halve,), mount)


@pytest.fixture(params=[Commands(grouped=True), Commands()], ids=["grouped", "top-level"])
def fake(request, monkeypatch):
    """The made-up family, in the registry for one test: under ``lrcli fake``, or at the top."""
    family = fake_family(request.param)
    [halve] = family.descriptions
    monkeypatch.setattr(registry, "FAMILIES", (*registry.FAMILIES, family))
    for name in (halve.command, halve.name):
        monkeypatch.setitem(registry.BY_NAME, name, halve)
    monkeypatch.setitem(registry.BY_COMMAND, halve.command, halve)
    return halve


def test_its_command_replays_its_engine_function(lrcli, fake):
    result = lrcli(*fake.words, "--period", "3", "--shape", "smooth", "--steps", "7", "-f", "csv")
    assert result.code == 0, result.err
    rows = list(csv.reader(result.out.splitlines()))
    assert rows[0] == ["step", "lr"] and [int(row[0]) for row in rows[1:]] == list(range(7))
    assert [float(row[1]) for row in rows[1:]] == lr_values(halving(3, "smooth"), 0.1, 7)


def test_its_options_are_checked_as_their_types_say(lrcli, fake):
    refused = lrcli(*fake.words, "--shape", "ramp")
    assert refused.code == 2 and "'ramp' is not one of 'step', 'smooth'" in refused.err
    refused = lrcli(*fake.words, "--period", "0")
    assert refused.code == 2 and refused.err == "Error: --period must be a whole number >= 1, got 0\n"


def test_its_help_shows_its_summary_examples_and_options(lrcli, fake):
    text = lrcli(*fake.words, "--help").out
    assert "Halve the lr every few steps." in text and "lrcli fake halve --period 3 --shape smooth -f plot" in text
    assert "--period N" in text and "[default: 2]" in text and "--shape <step|smooth>" in text
    assert "--emit" not in text and "--verify" not in text  # it has no code to write
    listing = lrcli(*fake.words[:-1], "--help").out
    assert "halve" in listing and "Halve the lr every few steps." in listing


def test_its_specs_are_read_checked_and_compared(lrcli, fake):
    both = lrcli("compare", "fake.halve(period=3)", "step(step_size=3, gamma=0.5)", "--epochs", "7", "-f", "json")
    assert both.code == 0, both.err
    document = json.loads(both.out)
    assert [schedule["call"] for schedule in document["schedules"]] == [
        "Halving(period=3)",
        "StepLR(step_size=3, gamma=0.5)",
    ]
    assert [row[1] for row in document["rows"]] == lr_values(halving(3), 0.1, 7)
    refused = lrcli("compare", "fake.halve(period='3')", "step(step_size=3)")
    assert refused.err == (
        "Error: \"fake.halve(period='3')\": period must be a number of steps (or epochs, with "
        "--counts-in epochs), got '3'\n"
    )
    refused = lrcli("chained", "Halving(period=3)")
    assert (
        refused.err == "Error: 'Halving(period=3)': Halving is not a torch LRScheduler, so torch's compositions "
        "cannot hold it\n"
    )
    no_code = lrcli("compare", "fake.halve(period=3)", "step(step_size=3)", "--emit", "torch")
    assert no_code.code == 2 and no_code.err == (
        "Error: lrcli writes no code for fake's schedules (Halving): --emit and --verify do not apply\n"
    )


GENERIC = [
    "registry/description.py",
    "registry/__init__.py",
    "cli/app.py",
    "cli/commands.py",
    "cli/options.py",
    "cli/show.py",
    "cli/compare.py",
    "cli/check.py",
    "torch_code.py",
    "schedules.py",
    "spec.py",
    "replay.py",
    "render/__init__.py",
    "output.py",
]
"""The modules that serve every family: none may know one by name."""


@pytest.mark.parametrize("module", GENERIC)
def test_no_generic_module_tests_a_family_or_command_by_name(module):
    import pathlib
    import re

    names = {family.name for family in registry.FAMILIES}
    names |= {name for description in registry.DESCRIPTIONS for name in (description.command, description.type)}
    quoted = "[\"'](" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + ")[\"']"
    compared = re.compile(rf"(==|!=|\bin\b|\bis\b)\s*[(\[]?\s*{quoted}|{quoted}\s*(==|!=|\bin\b)")
    source = pathlib.Path(registry.__file__).parent.parent / module
    found = [
        line.strip() for line in source.read_text().splitlines() if compared.search(line.replace('.unit == "step"', ""))
    ]  # a row's unit, not StepLR's command
    assert found == []
