"""General rules of the renderers, checked over generated inputs: every format writes the rows it is
given, whichever way it is built and however the rows are chunked."""

import csv
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from lrcli.engine.core import Group, GroupReplay, tabulated
from lrcli.render.plot import Points
from lrcli.render.table import shown_rows
from lrcli.render.text import delimited, json_document
from lrcli.replay import Replay, Selection

finite = st.floats(min_value=0, allow_nan=False, allow_infinity=False)


def given_values(
    groups: list[list[float]], selection: Selection = Selection(), steps_per_epoch: int | None = None
) -> Replay:
    """A replay whose groups take exactly these values: each a scheduler that tabulates them."""

    def scheduler(values):
        return lambda group: (Group(values[0]), tabulated(lambda first, stop: values[first:stop], update_lr_0=None))

    replays = [GroupReplay(scheduler(values), values[0]) for values in groups]
    return Replay(
        "Given",
        {},
        "Given()",
        "Given()",
        [values[0] for values in groups],
        len(groups[0]),
        steps_per_epoch is not None,
        steps_per_epoch,
        False,
        selection,
        replays,
    )


@settings(max_examples=200)
@given(
    st.lists(st.sampled_from([0.1, 0.05, 1e-7, 0.0]), min_size=1, max_size=400),
    st.integers(1, 60),
    st.none() | st.integers(1, 50),
    st.sampled_from([",", "\t"]),
)
def test_delimited_text_is_every_row_formatted_whichever_way_it_is_built(values, run, steps_per_epoch, separator):
    """Long runs of equal values are written run by run, others row by row: the text is the same."""
    from lrcli.render.floats import format_lr

    values = [value for value in values for _ in range(run)]  # runs long enough for the run path
    replay = given_values([values, values[::-1]], steps_per_epoch=steps_per_epoch)
    lines = b"".join(delimited(replay, separator)).decode().splitlines()
    expected = []
    for row, (first, second) in enumerate(zip(values, values[::-1])):
        index = [row, row // steps_per_epoch] if steps_per_epoch else [row]
        expected.append(separator.join([*map(str, index), format_lr(first), format_lr(second)]))
    assert lines[1:] == expected


@given(st.lists(st.lists(finite, min_size=3, max_size=3), min_size=1, max_size=3))
def test_csv_tsv_and_json_read_back_as_the_same_floats(groups):
    for separator in (",", "\t"):
        text = b"".join(delimited(given_values(groups), separator)).decode()
        rows = list(csv.reader(text.splitlines(), delimiter=separator))
        assert rows[0] == given_values(groups).columns
        assert [[float(v) for v in row[1:]] for row in rows[1:]] == [list(r) for r in zip(*groups)]
        assert [int(row[0]) for row in rows[1:]] == [0, 1, 2]
    document = json.loads(b"".join(json_document(given_values(groups))))
    assert [row[1:] for row in document["rows"]] == [list(r) for r in zip(*groups)]


@settings(max_examples=200)
@given(st.lists(st.sampled_from([1.0, 0.5, 0.25, 0.125]), min_size=1, max_size=300), st.integers(2, 60))
def test_table_rows_cover_every_epoch_once_in_order(values, max_rows):
    entries, count, merged = shown_rows(given_values([values]), max_rows)
    spans = [entry for entry in entries if entry is not None]
    assert count == len(values)
    assert len(entries) <= max_rows + 1
    if None not in entries:
        covered = [epoch for entry in spans for epoch in range(entry.first, entry.last + 1)]
        assert covered == list(range(len(values)))
    for entry in spans:
        assert set(values[entry.first : entry.last + 1]) == {entry.values[0]}


@given(st.lists(finite, min_size=1, max_size=2000), st.integers(5, 200), st.integers(1, 700))
def test_plot_points_stay_within_the_values_and_move_forward(values, columns, chunk):
    points = Points(range(len(values)), columns)
    for start in range(0, len(values), chunk):  # as the rows stream past, in chunks of any size
        points.add(range(start, min(start + chunk, len(values))), values[start : start + chunk])
    xs, ys = points.stairs()
    assert xs == sorted(xs) and xs[0] == 0 and xs[-1] <= len(values) - 1
    assert set(ys) <= set(values)
    assert len(xs) <= 4 * columns
    assert min(ys) == min(values) and max(ys) == max(values)
    rows, kept = points.kept()  # what the HTML chart's hover shows: rows and their exact values
    assert rows == sorted(set(rows)) and [values[row] for row in rows] == kept
    assert min(kept) == min(values) and max(kept) == max(values) and len(rows) <= 2 * columns


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from([0.1, 0.05, 0.0]), st.floats(0, 1e3)), min_size=1, max_size=300),
    st.integers(1, 40),
)
def test_summaries_are_exact_over_any_chunking(values, chunk_rows):
    import math
    from unittest import mock

    from lrcli.render.summary import summaries

    with mock.patch("lrcli.replay.CHUNK_ROWS", chunk_rows):
        summary = summaries(given_values([values]))["lr"]
    assert summary["sum"] == math.fsum(values) and summary["mean"] == math.fsum(values) / len(values)
    assert (summary["first"], summary["last"]) == (values[0], values[-1])
    assert (summary["min"], summary["min_at"]) == (min(values), values.index(min(values)))
    assert (summary["max"], summary["max_at"]) == (max(values), values.index(max(values)))
    assert summary["changes"] == sum(1 for before, after in zip(values, values[1:]) if before != after)
    drops = sorted(
        (
            (1 - after / before, -row)
            for row, (before, after) in enumerate(zip(values, values[1:]), 1)
            if after < before
        ),
        reverse=True,
    )[:3]
    assert [drop["at"] for drop in summary["largest_drops"]] == [-row for _, row in drops]
