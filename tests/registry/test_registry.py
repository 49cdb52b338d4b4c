"""The descriptions in lrcli.registry against the engine: names, defaults and choices must be the
engine's own, and each command's help must show them."""

import inspect

import pytest

from lrcli.engine.core import ScheduleError
from lrcli.registry import DESCRIPTIONS
from lrcli.registry.description import CHOICE, REQUIRED, SCHEDULERS
from lrcli.schedules import Schedule

SAMPLE_VALUES = {"int": 3, "float": 0.5, "ints": [2, 4], "expression": "0.9 ** epoch", "metrics": [1.0, 0.5]}
NEEDS = {
    "cyclic": {"base_lr": 0.01, "max_lr": 0.1},
    "onecycle": {"max_lr": 0.1, "total_steps": 20},
    "transformers.warmup_stable_decay": {"num_training_steps": 20},
}


def required_arguments(description):
    """Values for every required parameter (a composition gets one child)."""
    arguments = {}
    for param in description.params:
        if param.required:
            if param.type is SCHEDULERS:
                arguments[param.name] = [Schedule(_exp(), {"gamma": 0.5})]
            else:
                arguments[param.name] = SAMPLE_VALUES[param.type.name]
    arguments.update(NEEDS.get(description.command, {}))
    if description.command == "sequential":
        arguments["milestones"] = []
    return arguments


def _exp():
    return next(description for description in DESCRIPTIONS if description.command == "exp")


@pytest.mark.parametrize("description", DESCRIPTIONS, ids=lambda description: description.command)
def test_parameters_are_the_engines_with_its_defaults(description):
    engine = inspect.signature(description.factory).parameters
    assert description.names == list(engine)
    for param in description.params:
        assert param.default == engine[param.name].default
        assert type(param.default) is type(engine[param.name].default)
        assert param.required == (engine[param.name].default is REQUIRED)


CHOICES = [(description, param) for description in DESCRIPTIONS for param in description.params if param.type is CHOICE]


@pytest.mark.parametrize("description, param", CHOICES, ids=[f"{d.command}-{p.name}" for d, p in CHOICES])
def test_choices_are_exactly_what_the_engine_accepts(description, param):
    arguments = required_arguments(description)
    for choice in param.choices:
        Schedule(description, {**arguments, param.name: choice}).schedulers(1)
    with pytest.raises(ScheduleError) as refused:
        Schedule(description, {**arguments, param.name: "not-a-choice"}).schedulers(1)
    assert refused.value.param == param.name
    # The engine's refusal lists what it accepts: exactly the description's choices.
    assert refused.value.message == f"must be one of {', '.join(param.choices)}; got 'not-a-choice'"


def test_every_type_is_known_and_every_command_has_examples():
    from lrcli.registry.description import TYPES

    for description in DESCRIPTIONS:
        assert 2 <= len(description.examples) <= 3
        # torch's summaries name the class; a family's list its types under the family's command
        assert description.summary.startswith(description.name + ":") == (description.family.name == "torch")
        for param in description.params:
            assert param.type in TYPES
            assert bool(param.choices) == (param.type is CHOICE)
            assert param.type is SCHEDULERS or param.help.endswith(".")
