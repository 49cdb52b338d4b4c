"""``lrcli ultralytics [ARGS_YAML] [key=value …]``: a YOLO run's schedule at the command line (the
golden data, from real Ultralytics training runs, is in tests/golden); notes and refusals."""

import pytest

from lrcli.cli.ultralytics import batches_per_epoch
from scripts.golden.harness import CONFIGS

AUTO = str(CONFIGS / "ultralytics" / "auto" / "args.yaml")


def test_words_override_the_file(lrcli):
    options = ("--iters-per-epoch", "5", "--show-momentum", "-f", "csv")
    from_file = lrcli("ultralytics", AUTO, "optimizer=SGD", "lr0=0.02", *options)
    from_words = lrcli("ultralytics", "epochs=5", "batch=4", "optimizer=SGD", "lr0=0.02", *options)
    assert from_file.code == 0 and from_file.err == "" and from_file.out == from_words.out
    assert from_file.out.splitlines()[1] == "0,0,0.0,0.0,0.1,0.8,0.8,0.8"  # default.yaml's warmup starts


def test_auto_says_what_it_chose(lrcli):
    result = lrcli("ultralytics", "epochs=10", "--dataset-size", "1000", "--nc", "80", "--stop", "1", "-f", "csv")
    assert result.code == 0
    assert result.err == (
        "Note: optimizer=auto: AdamW with lr0=0.000119 (round(0.002 * 5 / (4 + nc), 6), nc=80) and momentum "
        "0.9; lr0=0.01 and warmup_bias_lr=0.1 are ignored\n"
    )


def test_auto_past_ten_thousand_iterations_is_musgd_whatever_the_classes(lrcli):
    result = lrcli("ultralytics", "epochs=100", "--dataset-size", "118287", "--stop", "1", "-f", "csv")
    assert result.code == 0 and result.out.splitlines()[0] == "step,epoch," + ",".join(f"lr_{i}" for i in range(8))
    assert result.err.startswith("Note: optimizer=auto: MuSGD with lr0=0.01 (184,900 iterations > 10,000)")


def test_dataset_size_as_the_dataloader_counts_it(lrcli):
    # 1000 images, fraction 0.5: 500; 4 GPUs of batch 32 // 4 = 8: ceil(125 / 8) = 16 batches an epoch
    result = lrcli(
        "ultralytics",
        "optimizer=SGD",
        "epochs=2",
        "batch=32",
        "fraction=0.5",
        "--dataset-size",
        "1000",
        "--gpus",
        "4",
        "--at",
        "-1",
        "-f",
        "csv",
    )
    assert result.out.splitlines()[1].split(",")[:2] == ["31", "1"]
    assert batches_per_epoch(500, 32, 4, drop_last=True) == 15


@pytest.mark.parametrize(
    "arguments, message",
    [
        (
            ["epochs=10", "--iters-per-epoch", "5"],
            "optimizer=auto sets the lr from the dataset's class count: give --nc K",
        ),
        (
            ["epochs=100", "batch=48", "--iters-per-epoch", "134", "--nc", "3"],
            "which --iters-per-epoch does not settle here",
        ),
        (["optimizer=SGD"], "give the batches per epoch"),
        (["optimizer=SGD", "--iters-per-epoch", "5", "--dataset-size", "9"], "give the batches per epoch"),
        (
            ["optimizer=SGD", "batch=2", "--dataset-size", "9", "--gpus", "4"],
            "batch=2 on 4 GPUs leaves no image per GPU",
        ),
        (["optimizer=SGD", "time=3", "--iters-per-epoch", "5"], "'time=3' trains for hours"),
        (["--iters-per-epoch", "5", "--ultralytics-version", "8.0.239"], "8.0 is older than lrcli's replays"),
        (
            ["optimizer=SGD", "--iters-per-epoch", "5", "--ultralytics-version", "8.1.41", "--resume-at", "5"],
            "resume in 8.1.41: up to 8.1.41 the resumed run's first epoch trains with the lr saved in last.pt",
        ),
        (["--iters-per-epoch", "5", "--ultralytics-version", "8.4.191"], "newer than 8.4.190, the latest lrcli knows"),
        (["--iters-per-epoch", "5", "--ultralytics-version", "8.4"], "must be a release such as 8.4.190"),
        (["optimizer=MuSGD", "--iters-per-epoch", "5", "--ultralytics-version", "8.3.0"], "8.3.0 has no MuSGD"),
        (
            ["optimizer=SGD", "fraction=300", "--dataset-size", "1000", "--ultralytics-version", "8.4.50"],
            "8.4.190 keeps 300, but releases up to at least 8.4.103 read fraction as a share only (1000)",
        ),
        (
            ["optimizer=SGD", "fraction=300", "--dataset-size", "1000", "--ultralytics-version", "8.3.253"],
            "lrcli does not know which rule 8.3.253 follows",
        ),
        (["val", "--iters-per-epoch", "5"], "'val' is not a key=value argument"),
        ([str(CONFIGS / "ultralytics" / "missing.yaml"), "--iters-per-epoch", "5"], "cannot read the arguments"),
        (
            ["optimizer=SGD", "epochs=2", "--iters-per-epoch", "5", "--at", "10"],
            "--at names row 10, but the rows are 0 to 9",
        ),
    ],
)
def test_refusals_are_one_line(lrcli, arguments, message):
    result = lrcli("ultralytics", *arguments)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("Error: ") and message in result.err and result.err.count("\n") == 1


def test_earlier_releases_take_their_own_keys_and_pick_sgd(lrcli):
    words = ("half=True", "epochs=100", "--dataset-size", "118287", "--stop", "1", "-f", "csv")
    assert lrcli("ultralytics", *words).err.startswith("Error: 'half=True': 'half' is not a valid YOLO argument")
    result = lrcli("ultralytics", *words, "--ultralytics-version", "8.3.253")
    assert result.code == 0 and result.err.startswith("Note: optimizer=auto: SGD with lr0=0.01")
    assert result.out.splitlines()[1] == "0,0,0.0,0.0,0.0"


def test_an_args_file_error_names_its_line(lrcli, tmp_path):
    path = tmp_path / "args.yaml"
    path.write_text("epochs: 10\nbatch: -1\n")
    result = lrcli("ultralytics", str(path), "--iters-per-epoch", "5")
    assert (
        result.err
        == f"Error: {path}:2: 'batch=-1' asks for AutoBatch (the batch that fits the GPU's memory), which lrcli cannot know; give a batch size\n"
    )


def test_a_resumed_run_says_what_the_trainer_does(lrcli):
    words = ("ultralytics", "optimizer=SGD", "epochs=5", "batch=4", "--iters-per-epoch", "5", "-f", "csv")
    resumed = lrcli(*words, "resume=True", "--resume-at", "10")
    assert resumed.code == 0 and resumed.out == lrcli(*words).out  # the golden cases hold the real trainer's
    assert resumed.err == (
        "Note: resume at epoch 2 (batch 10): the trainer sets scheduler.last_epoch = 1 and steps it at the "
        "epoch's start; the warmup continues to batch 15; every row from 10 is the uninterrupted run's\n"
    )
    after = lrcli(*words, "--resume-at", "20", "--ultralytics-version", "8.4.102", "--stop", "1")
    assert after.err.endswith("the warmup continues to batch 100; every row from 20 is the uninterrupted run's\n")


@pytest.mark.parametrize(
    "given, message",
    [
        (
            ["resume=True"],
            "resume continues from last.pt, whose epoch lrcli cannot read: give --resume-at K, the first batch it "
            "trains (epoch x 5 batches per epoch)",
        ),
        (
            ["--resume-at", "7"],
            "--resume-at 7: Ultralytics saves last.pt at the end of each epoch and resumes at the next one's first "
            "batch, a multiple of the 5 batches per epoch",
        ),
        (["--resume-at", "0"], "--resume-at 0 is epoch 0, a new run; Ultralytics resumes at epochs 1 to 4"),
        (
            ["--resume-at", "25"],
            "--resume-at 25 is epoch 5, past the end: training to 5 epochs is finished, nothing to resume; "
            "Ultralytics resumes at epochs 1 to 4",
        ),
        (["--resume-at", "10", "--emit", "torch"], "--emit and --verify write a whole run: they take no resume"),
    ],
)
def test_resumes_the_trainer_cannot_make_are_refused(lrcli, given, message):
    result = lrcli("ultralytics", "optimizer=SGD", "epochs=5", "--iters-per-epoch", "5", *given)
    assert result.code == 2 and result.err == f"Error: {message}\n"
