"""``lrcli ultralytics … --emit torch`` (the trainer call, with callbacks writing its lrs) and
``--verify`` (Ultralytics' own build_optimizer, LambdaLR and lf, checked against lrcli's rows)."""

import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

from scripts.golden.harness import CONFIGS

AUTO = str(CONFIGS / "ultralytics" / "auto" / "args.yaml")
ROOT = pathlib.Path(__file__).resolve().parents[2]
SITE = pathlib.Path(
    os.environ.get(
        "LRCLI_ULTRALYTICS_SITE", f"/tmp/ul/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages"
    )
)
"""Where an Ultralytics 8.4.190 with torch is installed (the golden venv's), for the slow tests."""
PYTHON = SITE.parents[2] / "bin" / "python"


def call_line(script: str) -> str:
    return next(line for line in script.splitlines() if line.startswith("model.train("))


def test_the_call_has_the_keys_given_and_those_that_differ_from_the_defaults(lrcli):
    result = lrcli(
        "ultralytics",
        "optimizer=sgd",
        "lr0=0.01",
        "epochs=6",
        "device=cpu",
        "--iters-per-epoch",
        "5",
        "--gpus",
        "2",
        "--emit",
        "torch",
    )
    assert result.code == 0 and result.err == ""
    # lr0=0.01 is default.yaml's but given as a word; the two GPUs become a device
    assert call_line(result.out) == "model.train(data='coco8.yaml', optimizer='sgd', lr0=0.01, epochs=6, device='cpu')"
    assert "model = YOLO('yolov8n.yaml')" in result.out and "BATCHES = 5" in result.out
    compile(result.out, "emitted.py", "exec")
    two = lrcli("ultralytics", "optimizer=SGD", "--iters-per-epoch", "5", "--gpus", "2", "--emit", "torch").out
    assert call_line(two) == "model.train(data='coco8.yaml', optimizer='SGD', device='0,1')"


def test_an_args_yaml_gives_its_data_model_and_the_schedule_keys_that_differ(lrcli):
    result = lrcli("ultralytics", AUTO, "--iters-per-epoch", "5", "--nc", "1", "--show-momentum", "--emit", "torch")
    assert result.code == 0
    assert call_line(result.out) == "model.train(data='/tmp/ultralytics-golden/data/data.yaml', epochs=5, batch=4)"
    assert "(optimizer=auto also reads its class count)" in result.out
    assert 'group["betas"][0]' in result.out  # --show-momentum: Adam's beta1 where there is no momentum
    assert "rows.write('step,epoch,lr_0,lr_1,lr_2,momentum_0,momentum_1,momentum_2\\n')" in result.out


def test_emit_takes_the_whole_run(lrcli):
    result = lrcli("ultralytics", "optimizer=SGD", "--iters-per-epoch", "5", "--emit", "torch", "--every", "2")
    assert result.code == 2
    assert result.err == "Error: --emit writes the whole run as code: it takes no --format, --verify or row selection\n"


def test_verify_without_ultralytics_is_one_error_line(lrcli):
    if importlib.util.find_spec("ultralytics") is not None:
        pytest.skip("ultralytics is installed here")
    result = lrcli("ultralytics", "optimizer=SGD", "--iters-per-epoch", "5", "--verify")
    assert result.code == 2
    assert result.err == (
        "Error: --verify needs ultralytics, and it cannot be imported here (No module named 'ultralytics'); "
        "pip install ultralytics\n"
    )


def test_verify_checks_the_releases_whose_functions_it_calls(lrcli):
    result = lrcli(
        "ultralytics", "optimizer=SGD", "--iters-per-epoch", "5", "--ultralytics-version", "8.4.102", "--verify"
    )
    assert result.code == 2
    assert result.err == (
        "Error: --verify calls the trainer's functions of 8.4.103 and later (_get_warmup_iterations); "
        "8.4.102's are not checked this way\n"
    )


def with_ultralytics(*args: str, python: str = sys.executable) -> subprocess.CompletedProcess:
    if not (SITE / "ultralytics").is_dir():
        pytest.skip(f"no Ultralytics at {SITE} (set LRCLI_ULTRALYTICS_SITE)")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(SITE)])}
    return subprocess.run([python, *args], capture_output=True, text=True, env=environment, cwd=ROOT, timeout=600)


@pytest.mark.slow
@pytest.mark.parametrize(
    "words, rows, groups",
    [
        (["optimizer=SGD", "epochs=6", "batch=4", "--iters-per-epoch", "5"], 30, 3),
        (["epochs=5", "--iters-per-epoch", "5", "--nc", "1"], 25, 3),  # auto: AdamW, warmup_bias_lr 0
        (["optimizer=MuSGD", "epochs=4", "warmup_epochs=1.5", "--iters-per-epoch", "5"], 20, 8),
        (["optimizer=Adam", "momentum=0.9", "cos_lr=True", "epochs=5", "--iters-per-epoch", "7"], 35, 3),
        (["optimizer=RMSprop", "warmup_epochs=0", "epochs=3", "--iters-per-epoch", "4"], 12, 3),
        (["epochs=6", "batch=16", "--dataset-size", "118287", "--every", "997"], 46, 8),  # auto: MuSGD
    ],
)
def test_verify_agrees_with_the_real_library(words, rows, groups):
    result = with_ultralytics("-m", "lrcli", "ultralytics", *words, "--show-momentum", "--verify")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "verified against Ultralytics 8.4.190 (its build_optimizer, LambdaLR and lf; the warmup's np.interp as "
        f"_do_train calls it): {rows:,} steps x {groups} groups, every value equal\n"
    )


@pytest.mark.slow
def test_verify_finds_a_schedule_that_is_not_the_arguments():
    """The run's arguments say lrf=0.01; rows replayed with lrf=0.02 differ from Ultralytics' from
    epoch 1 (lf(0) is 1 whatever lrf)."""
    script = (
        "from dataclasses import replace\n"
        "from lrcli.cli.show import Rows\n"
        "from lrcli.cli.ultralytics import read\n"
        "from lrcli.ultralytics_code import verify\n"
        "options = dict(nc=None, ultralytics_version='8.4.190', iters_per_epoch=5, dataset_size=None, gpus=1)\n"
        "run = read(['optimizer=SGD', 'epochs=4'], options)\n"
        "wrong = replace(run.schedule, params={**run.schedule.params, 'lrf': 0.02})\n"
        "rows = Rows.of(lr=run.lrs, steps_per_epoch=5)\n"
        "print(verify(rows.replay(run.schedule), run))\n"
        "print(verify(rows.replay(wrong), run))\n"
    )
    result = with_ultralytics("-c", script)
    assert result.returncode == 0, result.stderr
    same, different = result.stdout.splitlines()
    assert same == "(20, None)"
    assert different == (
        "(6, 'step 5: lrcli [0.002516666666666667, 0.002516666666666667, 0.06918333333333333], "
        "Ultralytics [0.0025083333333333333, 0.0025083333333333333, 0.069175]')"
    )


@pytest.mark.slow
def test_the_emitted_script_trained_by_ultralytics_writes_lrclis_csv(lrcli, tmp_path):
    """The script, run by the real trainer (the golden script's synthetic dataset of 20 images,
    batch 4: 5 batches an epoch), writes exactly ``lrcli … -f csv``."""
    if not PYTHON.exists():
        pytest.skip(f"no {PYTHON}")
    words = ["optimizer=SGD", "lr0=0.02", "lrf=0.05", "cos_lr=True", "epochs=4", "batch=4", "warmup_epochs=2.5"]
    rest = ["imgsz=32", "device=cpu", "workers=0", "val=False", "plots=False", "amp=False"]
    common = ["--iters-per-epoch", "5", "--show-momentum"]
    script = lrcli("ultralytics", *words, *rest, *common, "--emit", "torch").out
    expected = lrcli("ultralytics", *words, *common, "-f", "csv").out
    (tmp_path / "emitted.py").write_text(script)
    runner = (
        "import pathlib, scripts.golden.ultralytics_cases as golden\n"  # the torchvision stand-ins first
        f"data = golden.dataset(pathlib.Path({str(tmp_path)!r}) / 'data')\n"
        "text = open('emitted.py').read().replace(\"data='coco8.yaml'\", f'data={data!r}, project=\"runs\"')\n"
        "exec(compile(text, 'emitted.py', 'exec'))\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [str(PYTHON), "-c", runner], capture_output=True, text=True, env=environment, cwd=tmp_path, timeout=600
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "ultralytics_lr.csv").read_text() == expected
