"""The README's console examples are the output of the code as it stands."""

import pytest

from scripts import readme_examples

EXAMPLES = readme_examples.examples(readme_examples.README.read_text())


def test_the_readme_has_examples_of_every_kind():
    commands = " ".join(command for command, _ in EXAMPLES)
    assert len(EXAMPLES) >= 20
    for needed in ("-f plot", "--format csv", "--show-momentum", "sequential", "plateau", "Error"):
        assert needed in commands or any(needed in output for _, output in EXAMPLES), needed


@pytest.mark.slow
@pytest.mark.parametrize("command, output", EXAMPLES, ids=[command[:60] for command, _ in EXAMPLES])
def test_readme_example_prints_what_the_readme_shows(command, output):
    assert readme_examples.run(command) == readme_examples.trimmed(output), "run scripts/readme_examples.py"


def test_the_adding_a_scheduler_example_is_the_code():
    """CONTRIBUTING.md shows exponential_lr as it is in the engine (comments aside)."""
    import inspect

    from lrcli.engine.torch import multiplicative

    def code(text):
        return [line.split("#")[0].rstrip() for line in text.splitlines() if line.split("#")[0].strip()]

    contributing = (readme_examples.README.parent / "CONTRIBUTING.md").read_text()
    shown = contributing[contributing.index("def exponential_lr(gamma: float) -> Scheduler:") :]
    shown = shown[: shown.index("```")]
    source = inspect.getsource(multiplicative.exponential_lr)
    head, _, rest = source.partition('"""')
    _, _, body = rest.partition('"""')
    assert code(shown) == code(head + body)


def test_the_adding_a_framework_walk_through_is_the_tests_code():
    """CONTRIBUTING.md's made-up family is the one tests/registry/test_families.py builds."""
    import inspect
    import textwrap

    from tests.registry import test_families

    contributing = (readme_examples.README.parent / "CONTRIBUTING.md").read_text()
    for function in (test_families.halving, test_families.fake_family):
        start = contributing.index(f"   def {function.__name__}(")
        shown = textwrap.dedent(contributing[start : contributing.index("```", start)])
        assert shown.strip() == inspect.getsource(function).strip()


def test_the_readmes_python_examples_print_what_it_shows():
    """Every ```pycon block of the README, run as a doctest in one namespace (blocks follow on)."""
    import doctest
    import re

    text = readme_examples.README.read_text()
    blocks = re.findall(r"```pycon\n(.*?)```", text, re.DOTALL)
    assert len(blocks) >= 2
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, "README.md", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_the_golden_count_in_the_summary_is_the_manifests():
    import json

    from scripts.golden import harness

    families = ("torch", "transformers", "timm", "mmengine")
    count = sum(len(json.loads((harness.folder(family) / "manifest.json").read_text())["cases"]) for family in families)
    assert f"{count} golden cases recorded from" in readme_examples.README.read_text()
