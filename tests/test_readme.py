"""The README's console examples are the output of the code as it stands."""

import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("readme_examples", ROOT / "scripts" / "readme_examples.py")
readme_examples = importlib.util.module_from_spec(spec)
spec.loader.exec_module(readme_examples)
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
