"""completions/ must be what the app generates now, and complete what a user types."""

import os
import pathlib
import subprocess
import sys

import pytest

from scripts import make_completions

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("shell", sorted(make_completions.SHELLS))
def test_committed_completion_is_current(shell):
    committed = (ROOT / "completions" / make_completions.SHELLS[shell]).read_text()
    assert committed == make_completions.completion_script(shell), "run scripts/make_completions.py"


def bash_completions(words: str) -> list[str]:
    environment = {
        **os.environ,
        "_LRCLI_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    run = subprocess.run([sys.executable, "-m", "lrcli"], env=environment, capture_output=True, text=True)
    return run.stdout.split()


@pytest.mark.slow
def test_bash_completes_commands_options_and_formats():
    assert bash_completions("lrcli multis") == ["multistep"]
    assert bash_completions("lrcli cos") == ["cosine", "cosine-restarts"]
    assert "--step-size" in bash_completions("lrcli step --")
    assert bash_completions("lrcli exp --format ") == [
        "table",
        "plot",
        "csv",
        "tsv",
        "json",
        "npz",
        "markdown",
        "summary",
        "png",
        "svg",
        "pdf",
        "html",
    ]
    assert bash_completions("lrcli transformers cosine_with") == ["cosine_with_restarts", "cosine_with_min_lr"]
    assert "--num-warmup-steps" in bash_completions("lrcli transformers cosine --")
    assert bash_completions("lrcli timm --sched-on") == ["--sched-on-updates"]
    assert bash_completions("lrcli ti") == ["timm"]


@pytest.mark.slow
def test_zsh_completes_from_the_line_it_passes():
    environment = {**os.environ, "_LRCLI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "lrcli step --gam"}
    run = subprocess.run([sys.executable, "-m", "lrcli"], env=environment, capture_output=True, text=True)
    assert "--gamma" in run.stdout and "--step-size" not in run.stdout


def test_a_run_holds_only_the_command_its_words_reach():
    from lrcli.cli import make_app

    def names(app):
        return sorted(
            [command.name for command in app.registered_commands]
            + [
                f"{group.name}.{command.name}"
                for group in app.registered_groups
                for command in group.typer_instance.registered_commands
            ]
        )

    assert names(make_app(["step", "--step-size", "3"])) == ["step"]
    assert names(make_app(["transformers", "cosine"])) == ["transformers.cosine"]
    assert len(names(make_app(["transformers"]))) == 12
    assert names(make_app(["deepspeed", "one-cycle"])) == ["deepspeed.one-cycle"]
    assert names(make_app(["deepspeed", "ds_config.json"])) == ["deepspeed"]  # a file: the command that reads it
    assert names(make_app(["config", "ds_config.json"])) == ["config"]
    everything = names(make_app([]))
    assert names(make_app(["--version"])) == everything and len(everything) == 16 + 8 + 12 + 5
    stand_ins = make_app([], names_only=True)
    assert names(stand_ins) == everything
    assert all(not command.callback.__signature__.parameters for command in stand_ins.registered_commands)


def test_the_readme_install_lines_work_in_a_fresh_home(tmp_path):
    """Each shell's lines create the folder they copy into; the POSIX ones are run with an empty
    HOME, the PowerShell one (no pwsh here) is checked to create its profile's folder first."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- completion install -->\n```sh\n")[1].split("```")[0]
    lines = [line for line in block.splitlines() if line and not line.startswith("#")]
    posix = [line.split("   #")[0] for line in lines if line.startswith("mkdir -p ")]
    assert len(posix) == 3
    for line in posix:
        run = subprocess.run(
            ["bash", "-c", f"set -e; {line}"],
            cwd=ROOT,
            env={**os.environ, "HOME": str(tmp_path)},
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr
    installed = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*") if path.is_file())
    assert installed == [
        ".config/fish/completions/lrcli.fish",
        ".local/share/bash-completion/completions/lrcli",
        ".zfunc/_lrcli",
    ]
    (powershell,) = [line for line in lines if "$PROFILE" in line]
    assert powershell.startswith("New-Item -ItemType Directory -Force (Split-Path $PROFILE)")
