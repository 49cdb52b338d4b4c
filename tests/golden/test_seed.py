"""The first acceptance test: the four 10-epoch tables of the post lrcli was born from.

tests/data/seed/*.txt are the post's printed lines, verbatim: epoch k (from 1) shows the lr before the
k-th scheduler.step(), printed with %f, so lrcli's row k-1 must print the same.
"""

import csv

import pytest

from scripts.golden.harness import DATA

SEED_COMMANDS = {
    "lambda": ["lambda", "--lr", "0.1", "--lr-lambda", "1/(epoch+1)"],
    "step": ["step", "--lr", "0.1", "--step-size", "3", "--gamma", "0.1"],
    "multistep": ["multistep", "--lr", "0.1", "--milestones", "3,7", "--gamma", "0.1"],
    "exp": ["exp", "--lr", "0.1", "--gamma", "0.1"],
}


@pytest.mark.parametrize("name", sorted(SEED_COMMANDS))
def test_seed_table(lrcli, name):
    expected = (DATA / "seed" / f"{name}.txt").read_text().splitlines()
    result = lrcli(*SEED_COMMANDS[name], "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.reader(result.out.splitlines()))[1:]
    printed = ["第%d个epoch的学习率：%f" % (int(epoch) + 1, float(lr)) for epoch, lr in rows]  # noqa: UP031 (the post's own print)
    assert printed == expected
