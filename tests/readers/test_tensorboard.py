"""TensorBoard event files: lrcli's own reader gives every scalar TensorBoard's reader gives (event
files written by real SummaryWriter, Trainer and Lightning runs), checks both checksums, and refuses
a malformed file with one line."""

import json
import struct

import pytest

from lrcli import logs, tensorboard
from scripts.golden import harness

GOLDEN = harness.folder("logs")
MANIFEST = json.loads((GOLDEN / "manifest.json").read_text())["logs"]
EVENT_FILES = sorted(name for name, log in MANIFEST.items() if log["format"] == "tensorboard")


def test_four_real_event_files():
    assert EVENT_FILES == [
        "tensorboard_lightning.tfevents",
        "tensorboard_mmengine.tfevents",
        "tensorboard_summarywriter.tfevents",
        "tensorboard_transformers.tfevents",
    ]


@pytest.mark.parametrize("name", EVENT_FILES)
def test_every_scalar_is_tensorboards(name):
    read: dict[str, list[list[float]]] = {}
    for _, tag, step, value in tensorboard.scalars((GOLDEN / name).read_bytes()):
        read.setdefault(tag, []).append([step, value])
    assert read == MANIFEST[name]["scalars"]


def test_crc32c_is_castagnolis():
    assert tensorboard.crc32c(b"") == 0
    assert tensorboard.crc32c(b"123456789") == 0xE3069283
    assert tensorboard.crc32c(bytes(32)) == 0x8A9136AA  # RFC 3720, B.4: 32 bytes of zeros


@pytest.mark.parametrize(
    "name, column, aligned, offset",
    [
        ("tensorboard_transformers.tfevents", "train/learning_rate", "tensorboard-transformers", -1),
        ("tensorboard_lightning.tfevents", "lr-SGD", "tensorboard-lightning", 0),
        ("tensorboard_mmengine.tfevents", "lr", "tensorboard-mmengine", -1),
    ],
)
def test_a_frameworks_lr_tag_is_found_and_aligned_as_it_logs(name, column, aligned, offset):
    log = logs.read_log(GOLDEN / name)
    assert (log.format, log.column, log.aligned, log.rounded) == ("tensorboard", column, aligned, "float32")
    assert [[entry.step, entry.value] for entry in log.entries] == MANIFEST[name]["scalars"][column]
    assert all(entry.row == entry.step + offset for entry in log.entries)


def test_several_lr_tags_are_refused_naming_them_and_a_tag_picks_one():
    path = GOLDEN / "tensorboard_summarywriter.tfevents"
    with pytest.raises(logs.LogError) as refused:
        logs.read_log(path)
    assert str(refused.value) == (
        f"{path}: several lr tags (lr/backbone, lr/head): name one with --column (or --logged-column); "
        "its tags are loss, lr/backbone, lr/head"
    )
    head = logs.read_log(path, column="lr/head")
    assert [entry.row for entry in head.entries] == list(range(12)) and head.entries[0].value == logs.as_float32(0.01)
    with pytest.raises(logs.LogError, match=r"no 'lr/tail' tag \(its tags are loss, lr/backbone, lr/head\)"):
        logs.read_log(path, column="lr/tail")


def test_a_float32_log_is_equal_only_to_the_lr_that_rounds_to_it():
    log = logs.read_log(GOLDEN / "tensorboard_lightning.tfevents")
    from lrcli.engine.torch.multiplicative import step_lr

    scheduler = step_lr(step_size=4, gamma=0.5)
    agreed = logs.compare(log, logs.replayer(scheduler, 0.1))
    assert (agreed.equal, agreed.exact, agreed.agree) == (15, 0, True)
    off = logs.compare(log, logs.replayer(scheduler, 0.1000001))  # another float32
    assert (off.equal, off.agree) == (0, False)


def frame(data: bytes) -> bytes:
    """``data`` as one TFRecord."""
    length = struct.pack("<Q", len(data))
    return (
        length
        + struct.pack("<I", tensorboard.masked_crc(length))
        + data
        + struct.pack("<I", tensorboard.masked_crc(data))
    )


def damaged(kind: str) -> bytes:
    data = bytearray((GOLDEN / "tensorboard_lightning.tfevents").read_bytes())
    if kind == "data crc":
        data[20] ^= 1  # inside the first record's data
    elif kind == "length crc":
        data[9] ^= 1
    elif kind == "truncated":
        del data[-3:]
    elif kind == "short header":
        data += b"\x00" * 5
    elif kind == "oversized":
        length = struct.pack("<Q", 2**40)
        data += length + struct.pack("<I", tensorboard.masked_crc(length))
    elif kind == "not an event":
        data = bytearray(frame(b"\x0b\x00"))  # wire type 3 (a group): no event field has it
    return bytes(data)


@pytest.mark.parametrize(
    "kind, message",
    [
        ("data crc", "byte 0: the record's data checksum does not match (a corrupt record)"),
        ("length crc", "byte 0: the record length's checksum does not match (not an event file?)"),
        ("truncated", "a truncated record"),
        ("short header", "a truncated record header (5 bytes)"),
        ("oversized", "a record of 1,099,511,627,776 bytes; lrcli reads records up to 16,777,216"),
        ("not an event", "byte 0: not an Event (field 1 has wire type 3, which no event field has)"),
    ],
)
def test_a_malformed_event_file_is_one_line(kind, message):
    with pytest.raises(logs.LogError) as refused:
        logs.parse_log("run.tfevents", damaged(kind))
    text = str(refused.value)
    assert text.startswith("run.tfevents: ") and message in text and "\n" not in text


def test_a_bad_event_file_on_the_command_line_is_one_error_line(lrcli, tmp_path):
    path = tmp_path / "events.out.tfevents.1.host"
    path.write_bytes(damaged("data crc"))
    result = lrcli("check", str(path), "step(step_size=4, gamma=0.5)")
    assert (result.code, result.out) == (2, "")
    assert result.err == f"Error: {path}: byte 0: the record's data checksum does not match (a corrupt record)\n"
    logged = lrcli("step", "--step-size", "4", "--logged", str(path))
    assert (logged.code, logged.err) == (2, result.err)


def test_an_event_file_is_told_by_its_header_on_standard_input(lrcli, monkeypatch):
    import io
    import sys

    data = (GOLDEN / "tensorboard_lightning.tfevents").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = lrcli("step", "--step-size", "4", "--gamma", "0.5", "--logged", "-", "-f", "json")
    report = json.loads(result.out)
    assert (result.code, report["format"], report["column"], report["equal"]) == (0, "tensorboard", "lr-SGD", 15)
