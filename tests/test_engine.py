"""General rules of the engine and renderers, checked over generated inputs.

Each recurrence below is torch's ``get_lr`` (torch 2.13, torch/optim/lr_scheduler.py) restated for
one step; the golden files check the same schedules against torch itself.
"""

import csv
import json
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from lrcli.engine.core import Group, GroupReplay, tabulated
from lrcli.render.plot import Points
from lrcli.render.table import shown_rows
from lrcli.render.text import delimited, json_document
from lrcli.replay import Replay, Selection
from lrcli.engine.core import lr_values
from lrcli.engine.torch.multiplicative import exponential_lr, multistep_lr, step_lr
from lrcli.engine.torch.plateau import reduce_lr_on_plateau

lrs = st.floats(min_value=0, max_value=10, allow_nan=False)
gammas = st.floats(min_value=0, max_value=1.5, allow_nan=False)
horizons = st.integers(min_value=0, max_value=400)


@given(lrs, st.integers(min_value=1, max_value=50), gammas, horizons)
def test_step_lr_multiplies_the_current_lr_at_multiples_of_step_size(base_lr, step_size, gamma, epochs):
    values = lr_values(step_lr(step_size, gamma), base_lr, epochs)
    assert values[:1] == [base_lr][:epochs]
    for epoch in range(1, epochs):
        previous = values[epoch - 1]
        assert values[epoch] == (previous * gamma if epoch % step_size == 0 else previous)


@given(lrs, st.lists(st.integers(min_value=0, max_value=60), max_size=8), gammas, horizons)
def test_multistep_lr_decays_by_gamma_to_the_count_of_each_milestone(base_lr, milestones, gamma, epochs):
    counts = Counter(milestones)
    values = lr_values(multistep_lr(milestones, gamma), base_lr, epochs)
    previous = base_lr
    for epoch, value in enumerate(values):
        assert value == (previous * gamma ** counts[epoch] if epoch in counts else previous)
        previous = value


@given(lrs, gammas, horizons)
def test_exponential_lr_multiplies_the_current_lr_every_step(base_lr, gamma, epochs):
    values = lr_values(exponential_lr(gamma), base_lr, epochs)
    assert len(values) == epochs
    for epoch in range(1, epochs):
        assert values[epoch] == values[epoch - 1] * gamma


finite = st.floats(min_value=0, allow_nan=False, allow_infinity=False)


def given_values(groups: list[list[float]], selection: Selection = Selection(), steps_per_epoch: int | None = None) -> Replay:
    """A replay whose groups take exactly these values: each a scheduler that tabulates them."""

    def scheduler(values):
        return lambda group: (Group(values[0]), tabulated(lambda first, stop: values[first:stop], update_lr_0=None))

    replays = [GroupReplay(scheduler(values), values[0]) for values in groups]
    return Replay("Given", {}, "Given()", "Given()", [values[0] for values in groups], len(groups[0]),
                  steps_per_epoch is not None, steps_per_epoch, False, selection, replays)


@settings(max_examples=200)
@given(st.lists(st.sampled_from([0.1, 0.05, 1e-7, 0.0]), min_size=1, max_size=400), st.integers(1, 60),
       st.none() | st.integers(1, 50), st.sampled_from([",", "\t"]))
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


def torch_plateau_steps(lr, metrics, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps):
    """torch 2.13's ReduceLROnPlateau.step, line for line, for one param group: the model the
    engine's faster loop must agree with."""

    def is_better(a, best):
        if mode == "min" and threshold_mode == "rel":
            return a < best * (1.0 - threshold)
        if mode == "min" and threshold_mode == "abs":
            return a < best - threshold
        if mode == "max" and threshold_mode == "rel":
            return a > best * (threshold + 1.0)
        return a > best + threshold

    best = float("inf") if mode == "min" else float("-inf")
    bad_epochs = cooldown_counter = 0
    rows = [lr]
    for metric in metrics:
        current = float(metric)
        if is_better(current, best):
            best, bad_epochs = current, 0
        else:
            bad_epochs += 1
        if cooldown_counter > 0:
            cooldown_counter -= 1
            bad_epochs = 0
        if bad_epochs > patience:
            new_lr = max(lr * factor, min_lr)
            if lr - new_lr > eps:
                lr = new_lr
            cooldown_counter, bad_epochs = cooldown, 0
        rows.append(lr)
    return rows


metric_values = st.one_of(st.floats(-10, 10), st.sampled_from([0.0, -0.0, 1.0, float("nan"), float("inf")]))


@settings(max_examples=300)
@given(
    st.lists(metric_values, max_size=60),
    st.sampled_from(["min", "max"]),
    st.floats(0, 0.99),
    st.integers(0, 4),
    st.floats(0, 1.5),
    st.sampled_from(["rel", "abs"]),
    st.integers(0, 3),
    st.sampled_from([0.0, 1e-4]),
)
def test_plateau_agrees_with_torchs_step(metrics, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr):
    scheduler = reduce_lr_on_plateau(metrics, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr)
    ours = lr_values(scheduler, 0.1, len(metrics) + 1)
    assert ours == torch_plateau_steps(0.1, metrics, mode, factor, patience, threshold, threshold_mode, cooldown,
                                       min_lr, 1e-8)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from([0.1, 0.05, 0.0]), st.floats(0, 1e3)), min_size=1, max_size=300),
       st.integers(1, 40))
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
    drops = sorted(((1 - after / before, -row) for row, (before, after) in enumerate(zip(values, values[1:]), 1)
                    if after < before), reverse=True)[:3]
    assert [drop["at"] for drop in summary["largest_drops"]] == [-row for _, row in drops]
