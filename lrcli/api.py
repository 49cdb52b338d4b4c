"""lrcli from Python: the same schedules, checks and floats as the command line, as NumPy arrays.

>>> import lrcli
>>> halving = lrcli.schedule("step", step_size=2, gamma=0.5)
>>> halving.lrs(epochs=5).ravel().tolist()
[0.1, 0.1, 0.05, 0.05, 0.025]
>>> lrcli.schedule("cosine(T_max=4)", lr=1.0).lrs().ravel().tolist()[:5]
[1.0, 0.8535533905932737, 0.5, 0.14644660940672627, 0.0]

A value the framework would refuse is a :class:`ScheduleError` naming it (``param``), worded as
the command line's ``Error:`` line:

>>> try:
...     lrcli.schedule("exp", gamma=-1).lrs()
... except lrcli.ScheduleError as error:
...     print(error.param, "|", error)
gamma | 'exp(gamma=-1)': gamma must be a finite number >= 0, got -1
"""

from __future__ import annotations

import copy
import numbers
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from lrcli.engine.core import ScheduleError
from lrcli.metrics import metrics_of
from lrcli.registry import BY_NAME
from lrcli.registry.description import METRICS
from lrcli.replay import Replay
from lrcli.schedules import Schedule
from lrcli.spec import parse_spec

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from matplotlib.axes import Axes

    from lrcli.cli.show import Rows, Shown
    from lrcli.engine.loop import Loop

__all__ = ["LRSchedule", "ScheduleError", "from_config", "schedule", "verify"]


def schedule(
    name: str,
    /,
    *,
    lr: float | Sequence[float] | None = None,
    metrics: Iterable[float] | None = None,
    **params: object,
) -> LRSchedule:
    """A scheduler by lrcli's name or torch's class name with the framework's keyword arguments,
    or a spec as ``lrcli compare`` reads one (``"cosine(T_max=90, warmup=5)"``); ``lr`` is each
    param group's initial lr (0.1, one group, by default). Both forms are read by the same
    checks: keyword values are literals (numbers, strings, booleans, lists of them, or other
    schedules inside a composition). ``metrics`` are what a plateau scheduler is stepped with
    (``lrcli plateau --metrics``): one number a step, row k following ``step(metrics[k-1])``;
    its rows are one more than them by default.

    >>> schedule("MultiStepLR", milestones=[2, 4]).title
    'MultiStepLR(milestones=[2, 4])'
    >>> schedule("sequential", schedulers=[schedule("linear", total_iters=2), schedule("exp", gamma=0.9)], milestones=[2]).title
    'SequentialLR(schedulers=[LinearLR(total_iters=2), ExponentialLR(gamma=0.9)], milestones=[2])'
    >>> schedule("step", step_size=lambda epoch: 3)
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: step_size must be a literal (a number, string, True/False or a list of them), got a function
    >>> schedule("plateau", metrics=[1.0, 0.8, 0.8, 0.8], patience=1).lrs().ravel().tolist()
    [0.1, 0.1, 0.1, 0.1, 0.010000000000000002]
    >>> schedule("plateau(patience=1)")
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: metrics is needed by ReduceLROnPlateau: the metric passed to each step(), as metrics=[…]
    """
    description = BY_NAME.get(name.partition("(")[0].strip())
    if metrics is None and description is not None and any(param.type is METRICS for param in description.params):
        raise ScheduleError(
            "metrics", f"is needed by {description.name}: the metric passed to each step(), as metrics=[…]"
        )
    given: dict[str, object] | None = None if metrics is None else {"metrics": metrics_of(metrics)}
    if "(" in name:
        if params:
            raise ScheduleError(None, f"{name!r} is a whole spec: give its parameters inside it, not as keywords")
        text = name
    else:
        keywords = ", ".join(f"{key}={_literal(key, value)}" for key, value in params.items())
        text = f"{name}({keywords})"
    return LRSchedule(parse_spec(text, top=True, given=given), _group_lrs(lr))


def from_config(path: str, /, **options: object) -> LRSchedule:
    """The schedule of a training config of any kind ``lrcli config`` reads (an OpenMMLab config,
    MMCV 1.x's, a DeepSpeed ``ds_config.json``, an Ultralytics ``args.yaml``), recognised from the
    file, with its command's options by their Python names (``steps=1000``,
    ``iters_per_epoch=7330``, ``cfg_options=["runner.max_epochs=24"]``; True for a flag). Its rows
    are the config's loop: :meth:`LRSchedule.lrs` takes no horizon for it.

    >>> faster_rcnn = from_config("tests/data/configs/mmdet2/faster_rcnn/faster_rcnn_r50_fpn_1x_coco.py", iters_per_epoch=7330)
    >>> lrs = faster_rcnn.lrs()
    >>> lrs.shape, lrs[[1, 500], 0].tolist()
    ((87960, 1), [5.996000000000113e-05, 0.02])
    """
    words = ["config", str(path)]
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        for each in value if isinstance(value, (list, tuple)) else [value]:
            if each is True:
                words.append(flag)
            elif each is not False and each is not None:
                words += [flag, str(each)]
    shown, rows = _command_line(words)
    if isinstance(shown, list):  # no config command compares
        raise ScheduleError(None, f"{path}: a comparison, not one schedule")
    return LRSchedule(shown, rows=rows)


def _command_line(words: list[str]) -> tuple[Shown, Rows]:
    """What the command ``words`` would show (its schedule and rows), read as the command line
    reads them; its refusals as :class:`ScheduleError`."""
    import typer

    from lrcli.cli.app import make_app
    from lrcli.cli.show import CAPTURED, UsageProblem

    captured: list[tuple[Shown, Rows]] = []
    token = CAPTURED.set(captured)
    try:
        make_app(words)(args=words, standalone_mode=False, prog_name="lrcli")
    except typer.TyperException as error:
        raise ScheduleError(None, error.format_message()) from None
    except UsageProblem as error:
        raise ScheduleError(None, str(error)) from None
    finally:
        CAPTURED.reset(token)
    if len(captured) != 1:
        raise ScheduleError(None, f"lrcli {' '.join(words)} shows no schedule")
    return captured[0]


def _loop(
    resume_at: int | None = None,
    resume_by: str = "state-dict",
    order: str = "optimizer-first",
    step_with: str = "count",
) -> Loop:
    """The training loop the keywords describe (a keyword it does not take is a TypeError, as Python's)."""
    from lrcli.engine.loop import Loop

    return Loop(resume_at, resume_by, order, step_with)


def _group_lrs(lr: float | Sequence[float] | None) -> list[float] | None:
    """Each param group's initial lr: one number is one group."""
    # (int and float named too: mypy does not count them as numbers.Real)
    return (
        None
        if lr is None
        else [float(lr)]
        if isinstance(lr, (int, float, numbers.Real))
        else [float(each) for each in lr]
    )


def _literal(key: str, value: object) -> str:
    """``value`` as spec text: the shortest text that reads back as the same number."""
    if isinstance(value, LRSchedule):
        return value.spec
    if isinstance(value, (bool, str)) or value is None:
        return repr(value)
    if isinstance(value, numbers.Integral):
        return repr(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_literal(key, each) for each in value) + "]"
    kind = "a function" if callable(value) else f"a {type(value).__name__}"
    raise ScheduleError(key, f"must be a literal (a number, string, True/False or a list of them), got {kind}")


class LRSchedule:
    """A schedule and each param group's initial lr, replayed on demand over a horizon: ``epochs``
    (rows are epochs), or ``steps`` optimizer steps, with ``steps_per_epoch`` when the scheduler
    steps every iteration (``counts_in="epochs"``: its step counts were given in epochs). Without
    a horizon: the schedule's own length, or 10 epochs, as on the command line."""

    def __init__(self, schedule: Schedule, lr: list[float] | None = None, rows: Rows | None = None) -> None:
        self._schedule = schedule
        self.lr = lr if lr is not None or rows is None else rows.lr
        self._rows = rows  # a config's: the rows its command would show (its loop, its stepping)

    @property
    def title(self) -> str:
        """The scheduler as the framework's call."""
        return self._schedule.title

    @property
    def spec(self) -> str:
        """Text :func:`schedule` reads back as this schedule.

        >>> schedule("step", step_size=3).spec
        'step(step_size=3)'
        """
        return self._schedule.text if self._schedule.text is not None else self.title

    def __repr__(self) -> str:
        metrics = self._schedule.params.get("metrics")
        given = "" if metrics is None else f", metrics=[… {len(cast('Sequence[float]', metrics))} values]"
        return f"lrcli.schedule({self.spec!r}{given})"

    def replay(
        self,
        epochs: int | None = None,
        steps: int | None = None,
        steps_per_epoch: int | None = None,
        counts_in: str = "steps",
        **loop: Any,
    ) -> Replay:
        """The rows as the command line streams them (see :class:`lrcli.replay.Replay`). ``loop``:
        how the training loop steps the scheduler, the command line's loop options by their Python
        names: ``resume_at``, ``resume_by`` (``"state-dict"``, ``"last-epoch"``, ``"fresh"``),
        ``order`` (``"scheduler-first"``), ``step_with`` (``"epoch"``, ``"fraction"``),
        ``processes``, ``accumulation``, ``split_batches``, and ``compare_resume=True``: the
        resumed run's columns, then the uninterrupted run's (see :meth:`resume_difference`). A
        config's rows (:func:`from_config`) are its loop's, given to ``from_config``.

        >>> cosine = schedule("cosine", T_max=100)
        >>> [float(cosine.lrs(epochs=38, resume_at=37, resume_by=by)[37, 0]) for by in ("state-dict", "fresh")]
        [0.06985739453173906, 0.1]
        >>> cosine.lrs(epochs=39, resume_at=37, resume_by="fresh", compare_resume=True)[37:].tolist()
        [[0.1, 0.06985739453173906], [0.09792267245689246, 0.06840622763423394]]
        """
        from lrcli.cli.show import Rows, UsageProblem

        if self._rows is not None:
            if (epochs, steps, steps_per_epoch, counts_in) != (None, None, None, "steps") or loop:
                raise ScheduleError(None, "a config's rows are its loop's: give from_config its command's options")
            rows = replace(self._rows, lr=self.lr)
            return rows.replay(rows.stepped(self._schedule))
        if counts_in not in ("steps", "epochs"):
            raise ScheduleError("counts_in", f"must be 'steps' or 'epochs', got {counts_in!r}")
        if steps_per_epoch is not None:
            if isinstance(steps_per_epoch, bool) or not isinstance(steps_per_epoch, int) or steps_per_epoch < 1:
                raise ScheduleError("steps_per_epoch", f"must be a whole number >= 1, got {steps_per_epoch!r}")
        elif counts_in == "epochs":
            raise ScheduleError("counts_in", "'epochs' needs steps_per_epoch")
        accelerate = {
            name: loop.pop(name)
            for name in ("processes", "accumulation", "split_batches", "compare_resume")
            if name in loop
        }
        try:
            rows = Rows.of(self.lr, epochs, steps, steps_per_epoch, counts_in, **accelerate, loop=_loop(**loop))
            return rows.replay(rows.stepped(self._schedule))
        except UsageProblem as error:
            raise ScheduleError(None, str(error)) from None

    def rows(
        self,
        epochs: int | None = None,
        steps: int | None = None,
        steps_per_epoch: int | None = None,
        counts_in: str = "steps",
        **loop: Any,
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The rows a chunk at a time, in bounded memory at any horizon: each chunk's row numbers,
        and its lrs with one column per param group (``loop``: as :meth:`replay` takes it).

        >>> [values.ravel().tolist() for _, values in schedule("exp", gamma=0.5).rows(epochs=3)]
        [[0.1, 0.05, 0.025]]
        """
        import numpy as np

        result = self.replay(epochs, steps, steps_per_epoch, counts_in, **loop)
        for chunk in result.chunks():
            yield np.asarray(chunk.rows, dtype=np.int64), np.array(chunk.series, dtype=np.float64).T
        for warning in result.warnings:
            warnings.warn(warning, stacklevel=2)

    def lrs(
        self,
        epochs: int | None = None,
        steps: int | None = None,
        steps_per_epoch: int | None = None,
        counts_in: str = "steps",
        lr: float | Sequence[float] | None = None,
        **loop: Any,
    ) -> np.ndarray:
        """Every row's lr, one column per param group (``lr`` replaces the initial lrs; ``loop``:
        as :meth:`replay` takes it).

        >>> schedule("step", step_size=1, lr=[1.0, 0.5]).lrs(epochs=2).tolist()
        [[1.0, 0.5], [0.1, 0.05]]
        """
        import numpy as np

        source = self if lr is None else LRSchedule(self._schedule, _group_lrs(lr), self._rows)
        chunks = [values for _, values in source.rows(epochs, steps, steps_per_epoch, counts_in, **loop)]
        groups = len(source.lr or []) or self._schedule.groups
        return np.concatenate(chunks) if chunks else np.empty((0, groups))

    def resume_difference(
        self,
        epochs: int | None = None,
        steps: int | None = None,
        steps_per_epoch: int | None = None,
        counts_in: str = "steps",
        **loop: Any,
    ) -> tuple[int, float, float] | None:
        """Where the run resumed as ``loop`` says (``resume_at``, ``resume_by``) first differs
        from the uninterrupted run, as ``--compare-resume`` says it: the row, the resumed lr, the
        uninterrupted lr (the first group that differs); None when no row differs.

        >>> cosine = schedule("cosine", T_max=100)
        >>> cosine.resume_difference(epochs=60, resume_at=37, resume_by="fresh")
        (37, 0.1, 0.06985739453173906)
        >>> print(cosine.resume_difference(epochs=60, resume_at=37))
        None
        """
        result = self.replay(epochs, steps, steps_per_epoch, counts_in, compare_resume=True, **loop)
        for _ in result.chunks():
            if result.first_difference is not None:
                break
        return result.first_difference

    def to_pandas(
        self,
        epochs: int | None = None,
        steps: int | None = None,
        steps_per_epoch: int | None = None,
        counts_in: str = "steps",
        **loop: Any,
    ) -> pd.DataFrame:
        """The rows as a DataFrame with the command line's CSV columns (``epoch``, or ``step`` and
        ``epoch``; ``lr`` or ``lr_0, lr_1, …``), indexed by the first."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("to_pandas needs pandas (pip install pandas)") from None
        result = self.replay(epochs, steps, steps_per_epoch, counts_in, **loop)
        values = self.lrs(epochs, steps, steps_per_epoch, counts_in, **loop)
        rows = list(range(values.shape[0]))
        frame = pd.DataFrame(values, columns=result.value_columns)
        for name, column in reversed(list(zip(result.index_columns, result.index_values(rows)))):
            frame.insert(0, name, list(column))
        return frame.set_index(result.index_columns[0])

    def plot(
        self,
        ax: Axes | None = None,
        epochs: int | None = None,
        steps: int | None = None,
        steps_per_epoch: int | None = None,
        counts_in: str = "steps",
        **loop: Any,
    ) -> Axes:
        """Draw the lr of each param group on ``ax`` (a new figure's when None) with matplotlib."""
        try:
            import matplotlib.pyplot as plt
        except ImportError:
            raise ImportError("plot needs matplotlib (pip install 'lrcli[plot]')") from None
        result = self.replay(epochs, steps, steps_per_epoch, counts_in, **loop)
        values = self.lrs(epochs, steps, steps_per_epoch, counts_in, **loop)
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 3.5))
        for column, name in enumerate(result.value_columns):
            ax.plot(range(values.shape[0]), values[:, column], label=name, drawstyle="steps-post")
        ax.set_title(result.brief_title)
        ax.set_xlabel(result.unit)
        ax.set_ylabel("lr")
        if values.shape[1] > 1:
            ax.legend()
        return ax

    def _repr_png_(self) -> bytes | None:
        """A notebook's picture: the ``-o lr.png`` image of the default horizon (None without
        matplotlib, so that the notebook shows the HTML chart or the text)."""
        from lrcli.render import ViewError
        from lrcli.render.image import image

        try:
            return image(self.replay(), "png", (8, 4.5), 100, False, None)
        except ViewError:
            return None

    def _repr_html_(self) -> str:
        """A notebook's chart: the ``-o lr.html`` page of the default horizon (inline SVG, the
        exact lr on hover, the table one click away)."""
        from lrcli.render.html import html_chart

        return html_chart(self.replay(), False, None)


def verify(lrcli_schedule: LRSchedule, scheduler: Any, steps: int, metrics: Sequence[float] | None = None) -> int:
    """Step a deep copy of a real torch ``scheduler`` (its optimizer copied with it) ``steps``
    times from where it stands, comparing each param group's lr with lrcli's replay of
    ``lrcli_schedule`` at the same rows; ``metrics`` are passed to ``step()`` for
    ReduceLROnPlateau (by default the schedule's own). Returns the rows compared; a difference raises :class:`ScheduleError`
    naming the first row and both values. For a test of one's own training script::

        assert lrcli.verify(lrcli.schedule("cosine", T_max=90), scheduler, steps=90) == 90
    """
    copied = copy.deepcopy(scheduler)
    optimizer = copied.optimizer
    first = max(int(getattr(copied, "last_epoch", 0)), 0)
    initial = [group.get("initial_lr", group["lr"]) for group in optimizer.param_groups]
    ours = LRSchedule(lrcli_schedule._schedule, _group_lrs(lrcli_schedule.lr or initial)).lrs(steps=first + steps)
    if metrics is None:
        metrics = cast("Sequence[float] | None", lrcli_schedule._schedule.params.get("metrics"))
    if ours.shape[1] != len(optimizer.param_groups):
        raise ScheduleError(
            None, f"the scheduler's optimizer has {len(optimizer.param_groups)} param groups, lrcli's {ours.shape[1]}"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for row in range(first, first + steps):
            theirs = [group["lr"] for group in optimizer.param_groups]
            if theirs != ours[row].tolist():
                raise ScheduleError(
                    None,
                    f"row {row}: the scheduler's lr is {theirs}, lrcli's {ours[row].tolist()} ({lrcli_schedule.spec})",
                )
            if metrics is not None:
                copied.step(metrics[row])
            else:
                copied.step()
    return steps
