"""Hostile input, class by class, through the real program (a subprocess): each case ends with
exit status 2 (1 for a failed write) and one ``Error:`` line, or succeeds; never a traceback, a
hang (every run has a timeout), more than 300 MB, or harm to an existing file."""

import os
import signal
import subprocess
import sys

import pytest

from scripts.golden import harness

pytestmark = pytest.mark.slow
BIG = "1" + "0" * 5000
HUGE_LITERAL = "1" + "0" * 4000  # a 13,000-bit integer, below Python's digit limit


def lrcli(*args, env=None, stdin=subprocess.DEVNULL, timeout=60, close=()):
    """Run the program; ``close`` names file descriptors to leave closed (1, 2)."""
    environment = {**os.environ, **(env or {})}
    command = [sys.executable, "-m", "lrcli", *args]
    if close:
        redirections = " ".join(f"{fd}<&-" if fd == 0 else f"{fd}>&-" for fd in close)
        command = ["bash", "-c", f'"$@" {redirections}', "bash", *command]
    run = subprocess.run(command, env=environment, stdin=stdin, capture_output=True, timeout=timeout)
    return run.returncode, (run.stdout or b"").decode(errors="replace"), (run.stderr or b"").decode(errors="replace")


def refused(code, err, status=2):
    assert code == status, err
    assert "Traceback" not in err
    assert err.startswith("Error: ") and err.count("Error:") == 1, err
    assert "\x1b" not in err and "\x07" not in err


BOMBS = [
    "9**9**9**9",
    "(10**4000)*(10**4000)*(10**4000)",
    "2**10000*2**10000",
    "factorial(10000)",
    "comb(10000, 5000) / comb(10000, 5000)",
    "round(epoch, -10**6)",
    "perm(10**6)",
    "((epoch+2)**9)**9**9",
]


@pytest.mark.parametrize("expression", BOMBS)
def test_computation_bombs_are_refused_in_bounded_time(expression):
    code, out, err = lrcli("lambda", "--lr-lambda", expression, "--epochs", "10000", "-f", "csv", timeout=30)
    refused(code, err)


@pytest.mark.parametrize(
    "spec",
    [
        "lambda(lr_lambda=5)",
        "multistep(milestones=5)",
        "multistep(milestones=1.5)",
        "exp(gamma=0.5, gamma=0.5)",
        f"step(step_size={BIG})",
        "cyclic(base_lr=[0.01], max_lr=0.1)",
        "step(step_size='3')",
        "onecycle(max_lr=0.1, three_phase='yes')",
        "chained(schedulers=[])",
    ],
)
def test_spec_values_of_the_wrong_type(spec):
    code, out, err = lrcli("chained", spec, "--lr", "0.1", "--lr", "0.2")
    refused(code, err)
    assert out == ""


def test_a_huge_literal_torch_would_take_is_shown_exactly():
    code, out, err = lrcli("chained", f"step(step_size={HUGE_LITERAL})", "--epochs", "2", "-f", "json")
    assert code == 0, err
    assert f'"step_size":{HUGE_LITERAL}' in out


def test_a_huge_literal_torch_cannot_use_fails_as_in_torch():
    code, out, err = lrcli("chained", f"cosine(T_max={HUGE_LITERAL})", "--epochs", "2", "-f", "json")
    refused(code, err)
    assert "too large for a float" in err


@pytest.mark.parametrize(
    "args",
    [
        ["lambda", "--lr-lambda", "\x1b]0;owned\x07"],
        ["lambda", "--lr-lambda", "epoch\x1b[2J"],
        ["chained", "step(step_size=\x1b[31m)"],
        ["step", "--\x1b[31mnope"],
        ["plateau", "--metrics", "/nonexistent/\x1b]0;x\x07"],
        ["\x1b[2Jstep"],
    ],
)
def test_control_characters_are_never_echoed(args):
    code, out, err = lrcli(*args)
    assert code == 2 and "Traceback" not in err
    assert "\x1b" not in err + out and "\x07" not in err + out
    assert "\\x1b" in err


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["cyclic", "--help"],
        ["step", "--step-size", "3"],
        ["step", "--step-size", "3", "-f", "plot"],
        ["exp", "--gamma", "2", "--epochs", "2000"],
    ],
)
def test_narrow_encodings(encoding, args):
    code, out, err = lrcli(*args, env={"PYTHONIOENCODING": encoding})
    assert "Traceback" not in err
    assert code in (0, 2), err


@pytest.mark.parametrize(
    "env", [{"COLUMNS": "99999999999999999999"}, {"COLUMNS": "-5"}, {"LINES": "100000"}, {"COLUMNS": "x", "LINES": "y"}]
)
@pytest.mark.parametrize("output_format", ["table", "plot"])
def test_terminal_sizes(env, output_format):
    code, out, err = lrcli("step", "--step-size", "3", "-f", output_format, env=env, timeout=30)
    assert code == 0 and "Traceback" not in err
    assert max(map(len, out.splitlines())) <= 1000 and len(out.splitlines()) <= 320


@pytest.mark.parametrize(
    "env",
    [
        {"_LRCLI_COMPLETE": "complete_bash"},
        {"_LRCLI_COMPLETE": "complete_bash", "COMP_WORDS": "lrcli st", "COMP_CWORD": "x"},
        {"_LRCLI_COMPLETE": "complete_zsh"},
        {"_LRCLI_COMPLETE": "nonsense"},
    ],
)
def test_completion_called_badly_exits_quietly(env):
    code, out, err = lrcli(env=env)
    assert "Traceback" not in err and err.count("\n") <= 1  # at most Typer's own "Invalid completion instruction."


@pytest.mark.parametrize(
    "args",
    [
        ["step", "--step-size", "18446744073709551616", "-f", "json"],
        ["multistep", "--milestones", "100000000000000000000", "-f", "json"],
        ["step", "--step-size", "3", "--warmup", "100000000000000000000", "-f", "json"],
        ["chained", "cosine(T_max=1000000000000000000000000000000)", "-f", "json"],
    ],
)
def test_integers_beyond_64_bits(args):
    code, out, err = lrcli(*args)
    assert code == 0, err
    assert out.startswith('{"scheduler"')


@pytest.mark.parametrize(
    "args",
    [
        ["step", "--step-size", BIG],
        ["multistep", "--milestones", BIG],
        ["step", "--step-size", "3", "--at", BIG],
        ["step", "--step-size", "3", "--epochs", BIG],
        ["lambda", "--lr-lambda", f"round(epoch, -{'9' * 1900})"],
    ],
)
def test_numbers_too_long_to_read(args):
    code, out, err = lrcli(*args)
    refused(code, err)
    assert "set_int_max_str_digits" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["exp", "--gamma", "0.5", "--lr", "1e308", "-f", "plot"],
        ["lambda", "--lr", "1", "--lr-lambda", "1e-300 if epoch % 2 else 1e300", "-f", "plot", "--log-y"],
        ["lambda", "--lr", "1", "--lr-lambda", "1e-300 if epoch % 2 else 1e300", "-f", "plot"],
        ["exp", "--gamma", "0.9", *["--lr", "0.1"] * 40, "-f", "plot"],
    ],
)
def test_extreme_plots(args):
    code, out, err = lrcli(*args, timeout=30)
    assert "Traceback" not in err
    if code:
        refused(code, err)


def test_twenty_thousand_groups_as_a_plot_are_refused_quickly():
    code, out, err = lrcli("exp", "--gamma", "0.9", *["--lr", "0.1"] * 20000, "-f", "plot", timeout=60)
    refused(code, err)


@pytest.mark.parametrize(
    "content, args",
    [
        (b"\xef\xbb\xbf1\n0.5\n", []),
        (b"\xef\xbb\xbfa,b\n1,2\n", ["--column", "a"]),
        (b"a,b\n1,2\n", ["--column", "\u00b2"]),
        (b"a,b\n1,2\n", ["--column", "\u2460"]),
        (b"a,b\n1,2\n", ["--column", BIG]),
        (b"a,b\n1," + b"x" * 200_000 + b"\n", ["--column", "b"]),
        (b"a,b\n1," + b"7" * 200_000 + b"\n", ["--column", "b"]),
        (b"\xff\xfe1\n", []),
        (b"1\n" + b"2" * (2 << 20) + b"\n", []),
    ],
)
def test_metrics_files(tmp_path, content, args):
    metrics = tmp_path / "metrics"
    metrics.write_bytes(content)
    code, out, err = lrcli("plateau", "--metrics", str(metrics), *args, "-f", "csv")
    assert "Traceback" not in err
    if code:
        refused(code, err)
    else:
        assert out.startswith("epoch,lr\n")


def test_metrics_from_a_closed_stdin():
    code, out, err = lrcli("plateau", "--metrics", "-", stdin=None, close=(0,))
    refused(code, err)
    assert "standard input is closed" in err


def test_endless_metrics_are_read_only_as_far_as_needed():
    yes = subprocess.Popen(["yes", "0.5"], stdout=subprocess.PIPE)
    try:
        code, out, err = lrcli(
            "plateau", "--metrics", "-", "--epochs", "1000", "-f", "csv", stdin=yes.stdout, timeout=30
        )
    finally:
        yes.kill()
    assert code == 0 and out.count("\n") == 1001


def test_an_endless_line_is_refused():
    with open("/dev/zero", "rb") as zero:
        code, out, err = lrcli("plateau", "--metrics", "-", stdin=zero, timeout=30)
    refused(code, err)
    assert "longer than" in err


def test_closed_stdout_and_closed_stderr():
    code, _, _ = lrcli("step", "--step-size", "3", close=(1,))
    assert code == 1
    code, _, _ = lrcli("step", "--step-size", "0", close=(2,))
    assert code == 2


def test_a_full_disk_is_one_line():
    with open("/dev/full", "wb") as full:
        run = subprocess.run(
            [sys.executable, "-m", "lrcli", "step", "--step-size", "3", "-f", "csv"],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=30,
        )
    assert run.returncode == 1
    assert run.stderr.decode() == "Error: cannot write to standard output: No space left on device\n"


def test_output_through_a_fifo_a_device_and_a_symlink(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    code, _, err = lrcli("step", "--step-size", "3", "-f", "csv", "-o", str(fifo))
    assert code == 0 and reader.communicate(timeout=30)[0].startswith(b"epoch,lr\n0,0.1\n")
    assert fifo.is_fifo()
    assert lrcli("step", "--step-size", "3", "-f", "csv", "-o", "/dev/null")[0] == 0
    target, link = tmp_path / "target.csv", tmp_path / "link.csv"
    target.write_text("old\n")
    link.symlink_to(target)
    assert lrcli("step", "--step-size", "3", "-o", str(link))[0] == 0
    assert link.is_symlink() and target.read_text().startswith("epoch,lr\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["fifo", "link.csv", "target.csv"]


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_during_a_write_leaves_the_old_file(tmp_path, signal_number):
    target = tmp_path / "lr.csv"
    target.write_text("old\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "lrcli", "cosine", "--t-max", "100000000", "--steps", "100000000", "-o", str(target)],
        stderr=subprocess.PIPE,
    )
    import time

    time.sleep(1.5)
    process.send_signal(signal_number)
    assert process.wait(timeout=60) == 128 + signal_number
    assert process.stderr.read() == b""
    assert target.read_text() == "old\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["lr.csv"]


def peak_mb(*args, stdin=subprocess.DEVNULL):
    run = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-m", "lrcli", *args],
        stdin=stdin,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-500:]
    return int(next(line for line in run.stderr.splitlines() if "Maximum resident" in line).split()[-1]) / 1024


@pytest.mark.parametrize(
    "args",
    [
        ["exp", "--gamma", "0.9999999", "--steps", "10000000", "--all-rows"],
        ["onecycle", "--max-lr", "0.1", "--total-steps", "10000000", "--show-momentum", "-f", "csv"],
        ["exp", "--gamma", "0.9999999", "--steps", "10000000", *["--lr", "0.1"] * 4, "-f", "csv"],
        ["chained", *["exp(gamma=0.9999999)"] * 5, "--steps", "10000000", "-f", "csv"],
        ["chained", *["exp(gamma=0.9999)"] * 2000, "--steps", "20000", "-f", "csv"],
        [
            "sequential",
            *["exp(gamma=0.9999)"] * 2000,
            "--milestones",
            ",".join(map(str, range(1, 2000))),
            "--steps",
            "20000",
        ],
    ],
)
def test_memory_stays_flat(args):
    assert peak_mb(*args) < 300


def test_ten_million_plateau_metrics_in_bounded_memory(tmp_path):
    metrics = tmp_path / "metrics.txt"
    with open(metrics, "w") as file:
        file.writelines(f"{1 / (1 + k / 1000)!r}\n" for k in range(10_000_000))
    assert peak_mb("plateau", "--metrics", str(metrics), "-f", "csv") < 300


CONFIGS = str(harness.CONFIGS)


@pytest.mark.parametrize(
    "args",
    [
        ["mmengine", "/dev/zero", "--iters-per-epoch", "3"],
        ["mmengine", "/dev/urandom", "--iters-per-epoch", "3"],
        [
            "mmengine",
            os.path.join(CONFIGS, "classes", "plateau.py"),
            "--iters-per-epoch",
            "3",
            "--metrics",
            "/dev/zero",
        ],
        ["mmengine", "-", "--iters-per-epoch", "3"],
        ["transformers", "cosine", "--max-steps", "10", "--lr-scheduler-kwargs", "{" + '"a":[' * 20_000],
        [
            "transformers",
            "cosine",
            "--max-steps",
            "10",
            "--lr-scheduler-kwargs",
            '{"num_cycles": "' + "9" * 5000 + '"}',
        ],
        ["timm", "--lr-noise", "0", "--lr-noise-pct", "1e-300"],
        ["timm", "--epochs", "1000000000", "--sched-on-updates", "--updates-per-epoch", "1000000000"],
    ],
)
def test_framework_inputs_that_would_never_end(args):
    code, out, err = lrcli(*args, timeout=20)
    refused(code, err)


def test_endless_plateau_metrics_are_read_only_as_far_as_validations_need():
    yes = subprocess.Popen(["yes", "0.5"], stdout=subprocess.PIPE)
    try:
        code, out, err = lrcli(
            "mmengine",
            os.path.join(CONFIGS, "classes", "plateau.py"),
            "--iters-per-epoch",
            "3",
            "--metrics",
            "-",
            "-f",
            "csv",
            stdin=yes.stdout,
            timeout=30,
        )
    finally:
        yes.kill()
    assert code == 0, err
    assert len(out.splitlines()) == 1 + 40 * 3
