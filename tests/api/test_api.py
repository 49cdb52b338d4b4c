"""lrcli from Python: the same floats as the command line for every golden case, the same
refusals, and verify() against a scheduler object."""

import csv
import importlib
import io
import pkgutil
import sys
from array import array

import pytest

import lrcli
from lrcli.cli import run
from lrcli.schedules import Schedule
from scripts.golden.harness import COMMAND_FAMILIES, expand, folder, manifest

CASES = {
    name: (family, arguments) for family in COMMAND_FAMILIES for name, arguments in manifest(family)["cases"].items()
}


def handed_to_show(monkeypatch, arguments):
    """What the command line hands its show pipeline for ``arguments``: the schedule (or the
    labelled schedules of a comparison) and the rows."""
    import lrcli.cli

    calls = []
    for found in pkgutil.iter_modules(lrcli.cli.__path__, "lrcli.cli."):  # each command module, imported now
        module = importlib.import_module(found.name)
        if found.name != "lrcli.cli.show" and hasattr(module, "show"):
            monkeypatch.setattr(module, "show", lambda shown, rows, output: calls.append((shown, rows)))
    assert run(list(arguments)) == 0
    assert len(calls) == 1
    return calls[0]


def by_keywords(schedule: Schedule) -> bool:
    """Whether lrcli.schedule() takes this schedule as keywords (a plateau's metrics as
    ``metrics=``): not one whose values only a config file gives (an OpenMMLab config's entries
    and validation)."""
    return not any(
        param.type.name == "entries" or (param.type.name == "metrics" and param.name != "metrics")
        for param in schedule.description.params
    )


def rebuilt(schedule: Schedule, lr: list[float] | None = None) -> lrcli.LRSchedule:
    """``schedule`` through the public API, by its command's name and keyword arguments (children
    too); a schedule no spec can name (an OpenMMLab config's) as it is."""

    def value(item):
        if isinstance(item, Schedule):
            return rebuilt(item)
        if isinstance(item, list):
            return [value(each) for each in item]
        return item

    if not by_keywords(schedule):
        return lrcli.LRSchedule(schedule, lr)
    keywords = {key: value(item) for key, item in schedule.params.items()}
    if schedule.last_epoch != -1:  # a spec's last_epoch=L: the run it continues
        keywords["last_epoch"] = schedule.last_epoch
    return lrcli.schedule(schedule.description.command, lr=lr, **keywords)


def golden(family: str, name: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader((folder(family) / f"{name}.csv").read_text().splitlines()))
    return rows[0], rows[1:]


@pytest.mark.filterwarnings("ignore:.*(below 0|not in increasing order):UserWarning")  # the CLI's Warning: lines
@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=pytest.mark.slow) if name.startswith("long_") else name for name in sorted(CASES)]
)
def test_every_golden_case_through_the_api(monkeypatch, capsys, name):
    family, arguments = CASES[name]
    shown, rows = handed_to_show(monkeypatch, [expand(argument) for argument in arguments])
    loop = dict(
        resume_at=rows.loop.resume_at,
        resume_by=rows.loop.resume_by,
        order=rows.loop.order,
        step_with=rows.loop.step_with,
        processes=rows.processes,
        accumulation=rows.accumulation,
        split_batches=rows.split_batches,
        compare_resume=rows.compare_resume,
    )
    labelled = shown if isinstance(shown, list) else [(None, shown)]
    header, golden_rows = golden(family, name)
    indices = [int(row[0]) for row in golden_rows]
    counts_in = "epochs" if rows.counts_in_epochs else "steps"
    columns = {}
    for label, each in labelled:
        api = rebuilt(each, rows.lr)
        horizon = (rows.epochs, rows.steps, rows.steps_per_epoch, counts_in)
        values = api.lrs(*horizon, **loop)
        names = api.replay(*horizon, **loop).value_columns
        if label is not None:  # a comparison's columns: its labels, numbered per group
            names = [label] if values.shape[1] == 1 else [f"{label}_{group}" for group in range(values.shape[1])]
        for column, column_name in enumerate(names):
            columns[column_name] = [values[row, column] for row in indices]
    compared = [column for column in header if column in columns]
    assert compared, header
    for column in compared:
        position = header.index(column)
        assert columns[column] == [float(row[position]) for row in golden_rows], column


def test_the_api_takes_most_golden_cases_as_keywords(monkeypatch, capsys):
    """Only what a config file alone gives goes around lrcli.schedule(): OpenMMLab configs' entries."""
    around, through = set(), set()
    for name, (_, arguments) in CASES.items():
        shown, _ = handed_to_show(monkeypatch, [expand(argument) for argument in arguments])
        for _, each in shown if isinstance(shown, list) else [(None, shown)]:
            (through if by_keywords(each) else around).add(name)
    capsys.readouterr()
    assert len(through - around) > 0.75 * len(CASES)
    assert {"plateau_default", "hf_greedy_loss", "hf_reduce_lr_on_plateau"} <= through - around


def test_metrics_from_python_give_the_command_lines_rows(monkeypatch, capsys):
    metrics = [1.0, 0.8, 0.8, 0.8, 0.9, 0.5]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("\n".join(map(repr, metrics)).encode())))
    assert run(["plateau", "--metrics", "-", "--patience", "1", "--lr", "1", "--lr", "0.3", "-f", "csv"]) == 0
    printed = [row[1:] for row in csv.reader(capsys.readouterr().out.splitlines()[1:])]
    for given in (metrics, tuple(metrics), array("d", metrics)):
        api = lrcli.schedule("plateau", metrics=given, patience=1, lr=[1, 0.3]).lrs()
        assert api.tolist() == [[float(value) for value in row] for row in printed]
    by_spec = lrcli.schedule("plateau(patience=1)", metrics=metrics, lr=[1, 0.3])
    assert by_spec.lrs().tolist() == [[float(value) for value in row] for row in printed]


METRICS_REFUSED = [
    ("plateau", {}, "metrics is needed by ReduceLROnPlateau: the metric passed to each step(), as metrics=[…]"),
    ("timm.plateau", {}, "metrics is needed by timm.plateau: the metric passed to each step(), as metrics=[…]"),
    ("plateau", {"metrics": "0.9"}, "metrics must be a sequence of numbers, one per step, got str"),
    ("plateau", {"metrics": 0.9}, "metrics must be a sequence of numbers, one per step, got float"),
    ("plateau", {"metrics": [0.9, None]}, "metrics value 2: 'None' is not a number"),
    ("plateau", {"metrics": [True]}, "metrics value 1: 'True' is not a number"),
    ("step", {"step_size": 2, "metrics": [0.9]}, "'step(step_size=2)': metrics is no parameter of StepLR"),
]


@pytest.mark.parametrize(("name", "keywords", "message"), METRICS_REFUSED)
def test_metrics_refused_name_the_parameter(name, keywords, message):
    with pytest.raises(lrcli.ScheduleError) as raised:
        lrcli.schedule(name, **keywords).lrs()
    assert (raised.value.param, str(raised.value)) == ("metrics", message)


def test_too_few_metrics_are_refused_in_the_command_lines_words(monkeypatch, capsys):
    with pytest.raises(lrcli.ScheduleError) as raised:
        lrcli.schedule("plateau", metrics=[1.0, 2.0]).lrs(epochs=5)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"1.0\n2.0\n")))
    assert run(["plateau", "--metrics", "-", "--epochs", "5"]) == 2
    assert (raised.value.param, raised.value.where) == ("metrics", "'plateau()'")
    assert capsys.readouterr().err == f"Error: --metrics {raised.value.message}\n"


def test_a_schedule_with_metrics_says_so():
    assert repr(lrcli.schedule("plateau", metrics=[0.5] * 7)) == "lrcli.schedule('plateau()', metrics=[… 7 values])"


def test_compare_resume_gives_both_runs_and_the_command_lines_note(capsys):
    cosine = lrcli.schedule("cosine", T_max=100)
    both = cosine.lrs(epochs=60, resume_at=37, resume_by="fresh", compare_resume=True)
    assert both.shape == (60, 2)
    assert both[:, 0].tolist() == cosine.lrs(epochs=60, resume_at=37, resume_by="fresh").ravel().tolist()
    assert both[:, 1].tolist() == cosine.lrs(epochs=60).ravel().tolist()
    frame_columns = cosine.replay(epochs=60, resume_at=37, compare_resume=True).value_columns
    assert frame_columns == ["resumed", "uninterrupted"]
    row, resumed, uninterrupted = cosine.resume_difference(epochs=60, resume_at=37, resume_by="fresh")
    assert run(["cosine", "--t-max", "100", "--epochs", "60", "--resume-at", "37", "--resume-by", "fresh",
                "--compare-resume", "-f", "csv"]) == 0  # fmt: skip
    note = f"Note: the resumed run first differs from the uninterrupted one at epoch {row}: {resumed!r} against {uninterrupted!r}\n"
    assert capsys.readouterr().err == note
    assert cosine.resume_difference(epochs=60, resume_at=37) is None


def test_compare_resume_refuses_as_the_command_line():
    with pytest.raises(lrcli.ScheduleError, match=r"^--compare-resume puts the uninterrupted run beside a resumed one"):
        lrcli.schedule("cosine", T_max=100).lrs(epochs=60, compare_resume=True)


SPECS_REFUSED = [
    "exp(gamma=-1)",
    "cosine(T_max=0)",
    "step(step_size=3, gama=0.5)",
    "onecycle(max_lr=0.1)",
    "sequential(schedulers=[exp(gamma=2.0), step(step_size=0)], milestones=[3])",
    "cosine(T_max=__import__('os'))",
]


@pytest.mark.parametrize("spec", SPECS_REFUSED)
def test_the_api_refuses_what_the_command_line_refuses_in_its_words(capsys, spec):
    with pytest.raises(lrcli.ScheduleError) as raised:
        lrcli.schedule(spec).lrs(epochs=5)
    assert run(["compare", spec, "step(step_size=1)", "--epochs", "5"]) == 2
    assert capsys.readouterr().err == f"Error: {raised.value}\n"


def test_keywords_read_as_the_spec_they_spell():
    assert (
        lrcli.schedule("MultiStepLR", milestones=[2, 4], gamma=0.5).title == "MultiStepLR(milestones=[2, 4], gamma=0.5)"
    )
    with pytest.raises(lrcli.ScheduleError, match="step_size must be a literal .* got a function"):
        lrcli.schedule("step", step_size=lambda epoch: 3)
    with pytest.raises(lrcli.ScheduleError, match="a whole spec"):
        lrcli.schedule("step(step_size=3)", gamma=0.5)
    with pytest.raises(lrcli.ScheduleError) as raised:
        lrcli.schedule("exp", gamma=-1.0).lrs()
    assert raised.value.param == "gamma"


def test_numpy_numbers_read_as_the_floats_they_hold():
    import numpy as np

    by_numpy = lrcli.schedule("exp", gamma=np.float64(0.9), lr=np.float32(0.5)).lrs(epochs=50)
    assert by_numpy.tolist() == lrcli.schedule("exp", gamma=0.9, lr=0.5).lrs(epochs=50).tolist()


def test_rows_stream_in_bounded_chunks_at_any_horizon():
    stream = lrcli.schedule("step", step_size=1000).rows(steps=10**9)
    rows, values = next(stream)
    assert rows[0] == 0 and 1_000 < len(rows) <= 100_000 and values.shape == (len(rows), 1)
    rows, _ = next(stream)
    assert rows[0] == len(values)


def test_counts_in_epochs_as_on_the_command_line():
    api = lrcli.schedule("step", step_size=2, gamma=0.5).lrs(epochs=4, steps_per_epoch=3, counts_in="epochs")
    assert api.ravel().tolist() == [0.1] * 6 + [0.05] * 6
    with pytest.raises(lrcli.ScheduleError, match="counts_in 'epochs' needs steps_per_epoch"):
        lrcli.schedule("step", step_size=2).lrs(counts_in="epochs")


def test_to_pandas_has_the_csv_columns():
    pd = pytest.importorskip("pandas")
    frame = lrcli.schedule("step", step_size=1, lr=[1.0, 0.5]).to_pandas(steps=4, steps_per_epoch=2)
    assert isinstance(frame, pd.DataFrame) and frame.index.name == "step"
    assert list(frame.columns) == ["epoch", "lr_0", "lr_1"] and frame["epoch"].tolist() == [0, 0, 1, 1]


def test_to_pandas_without_pandas_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        lrcli.schedule("step", step_size=1).to_pandas()


def test_a_notebook_gets_a_png():
    pytest.importorskip("matplotlib")
    png = lrcli.schedule("cosine", T_max=10)._repr_png_()
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n")


def test_importing_lrcli_loads_no_numpy():
    import subprocess

    code = "import lrcli, sys; lrcli.schedule('plateau', metrics=[1.0], patience=2); print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "False\n"


class _Optimizer:
    def __init__(self, lrs):
        self.param_groups = [{"lr": lr, "initial_lr": lr} for lr in lrs]


class _Halving:
    """A scheduler object shaped like torch's: StepLR(step_size=2, gamma=0.5)'s recursion, or a
    planted difference after ``wrong_from`` steps."""

    def __init__(self, optimizer, wrong_from=None):
        self.optimizer, self.last_epoch, self.wrong_from = optimizer, 0, wrong_from

    def step(self):
        self.last_epoch += 1
        for group in self.optimizer.param_groups:
            if self.last_epoch % 2 == 0:
                group["lr"] = group["lr"] * (0.4 if self.last_epoch == self.wrong_from else 0.5)


def test_verify_steps_a_copy_and_names_the_first_difference():
    scheduler = _Halving(_Optimizer([0.1, 0.3]))
    halving = lrcli.schedule("step", step_size=2, gamma=0.5)
    assert lrcli.verify(halving, scheduler, steps=9) == 9
    assert scheduler.last_epoch == 0 and scheduler.optimizer.param_groups[0]["lr"] == 0.1  # a copy was stepped
    with pytest.raises(lrcli.ScheduleError, match=r"^row 6: the scheduler's lr is \[0.010000000000000002"):
        lrcli.verify(halving, _Halving(_Optimizer([0.1, 0.3]), wrong_from=6), steps=9)


def test_verify_a_real_torch_scheduler_mid_run():
    torch = pytest.importorskip("torch")
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=7, T_mult=2, eta_min=0.001)
    for _ in range(5):
        optimizer.step()
        scheduler.step()
    assert lrcli.verify(lrcli.schedule("cosine-restarts", T_0=7, T_mult=2, eta_min=0.001), scheduler, steps=200) == 200
    with pytest.raises(lrcli.ScheduleError, match="^row 5: "):
        lrcli.verify(lrcli.schedule("cosine-restarts", T_0=7, T_mult=2, eta_min=0.002), scheduler, steps=200)


def test_verify_a_real_plateau_with_the_schedules_own_metrics():
    torch = pytest.importorskip("torch")
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=1, factor=0.5)
    metrics = [1.0, 0.9, 0.9, 0.9, 0.95, 0.5, 0.5, 0.5, 0.5]
    assert lrcli.verify(lrcli.schedule("plateau", metrics=metrics, patience=1, factor=0.5), scheduler, steps=9) == 9
    with pytest.raises(lrcli.ScheduleError, match="^row 4: "):
        lrcli.verify(lrcli.schedule("plateau", metrics=metrics, patience=2, factor=0.5), scheduler, steps=9)


def test_a_notebook_gets_the_html_chart():
    page = lrcli.schedule("step", step_size=3)._repr_html_()
    assert page.count('<path class="series"') == 1 and "<td>0.010000000000000002</td>" in page


def keywords_of(words: list[str]) -> dict[str, object] | None:
    """Command-line options as from_config's keywords (``--iters-per-epoch 7330`` is
    ``iters_per_epoch="7330"``, a flag True, a repeated option a list); None for a positional word."""
    keywords: dict[str, object] = {}
    position = 0
    while position < len(words):
        word = words[position]
        if not word.startswith("--"):
            return None
        name = word[2:].replace("-", "_")
        if position + 1 < len(words) and not words[position + 1].startswith("--"):
            value: object = words[position + 1]
            position += 2
        else:
            value, position = True, position + 1
        if name in keywords:
            held = keywords[name]
            keywords[name] = [*(held if isinstance(held, list) else [held]), value]
        else:
            keywords[name] = value
    return keywords


CONFIG_CASES = {
    name: (family, arguments)
    for family in (*COMMAND_FAMILIES, "mmcv", "ultralytics")
    for name, arguments in manifest(family)["commands" if family in ("mmcv", "ultralytics") else "cases"].items()
    if len(arguments) > 1 and arguments[1].startswith("{configs}") and keywords_of(arguments[2:]) is not None
}


@pytest.mark.filterwarnings("ignore:optimizer=auto")  # the command line's Note: line
@pytest.mark.parametrize("name", sorted(CONFIG_CASES))
def test_from_config_gives_the_librarys_values(name):
    family, arguments = CONFIG_CASES[name]
    keywords = keywords_of([expand(argument) for argument in arguments[2:]])
    assert keywords is not None
    schedule = lrcli.from_config(expand(arguments[1]), **keywords)
    header, golden_rows = golden(family, name)
    indices, values = [], []
    for rows, chunk in schedule.rows():
        indices += rows.tolist()
        values += chunk.tolist()
    assert indices == [int(row[0]) for row in golden_rows]
    width = len(values[0])
    assert values == [[float(field) for field in row[-width:]] for row in golden_rows]


def test_from_config_covers_every_kind_and_refuses_as_the_command_line():
    assert {CONFIG_CASES[name][1][0] for name in CONFIG_CASES} == {"mmengine", "mmcv", "ultralytics"}
    ds = lrcli.from_config("tests/data/deepspeed/ds_config.json", steps=1000)
    assert ds.lrs().shape == (1000, 1)
    with pytest.raises(lrcli.ScheduleError, match="a config's rows are its loop's"):
        ds.lrs(steps=5)
    with pytest.raises(lrcli.ScheduleError, match="^No such option: --stepz"):
        lrcli.from_config("tests/data/deepspeed/ds_config.json", stepz=3)
    with pytest.raises(lrcli.ScheduleError, match="is no config lrcli reads"):
        lrcli.from_config("pyproject.toml")
