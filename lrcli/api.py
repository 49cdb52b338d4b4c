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
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from lrcli.engine.core import ScheduleError
from lrcli.replay import Replay, replay
from lrcli.schedules import Schedule
from lrcli.spec import parse_spec

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["LRSchedule", "ScheduleError", "schedule", "verify"]


def schedule(name: str, /, *, lr: float | Sequence[float] | None = None, **params: object) -> LRSchedule:
    """A scheduler by lrcli's name or torch's class name with the framework's keyword arguments,
    or a spec as ``lrcli compare`` reads one (``"cosine(T_max=90, warmup=5)"``); ``lr`` is each
    param group's initial lr (0.1, one group, by default). Both forms are read by the same
    checks: keyword values are literals (numbers, strings, booleans, lists of them, or other
    schedules inside a composition).

    >>> schedule("MultiStepLR", milestones=[2, 4]).title
    'MultiStepLR(milestones=[2, 4])'
    >>> schedule("sequential", schedulers=[schedule("linear", total_iters=2), schedule("exp", gamma=0.9)], milestones=[2]).title
    'SequentialLR(schedulers=[LinearLR(total_iters=2), ExponentialLR(gamma=0.9)], milestones=[2])'
    >>> schedule("step", step_size=lambda epoch: 3)
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: step_size must be a literal (a number, string, True/False or a list of them), got a function
    """
    if "(" in name:
        if params:
            raise ScheduleError(None, f"{name!r} is a whole spec: give its parameters inside it, not as keywords")
        text = name
    else:
        keywords = ", ".join(f"{key}={_literal(key, value)}" for key, value in params.items())
        text = f"{name}({keywords})"
    return LRSchedule(parse_spec(text, top=True), _group_lrs(lr))


def _group_lrs(lr: float | Sequence[float] | None) -> list[float] | None:
    """Each param group's initial lr: one number is one group."""
    return None if lr is None else [float(lr)] if isinstance(lr, numbers.Real) else [float(each) for each in lr]


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

    def __init__(self, schedule: Schedule, lr: list[float] | None = None) -> None:
        self._schedule = schedule
        self.lr = lr

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
        return f"lrcli.schedule({self.spec!r})"

    def replay(
        self,
        epochs: int | None = None,
        steps: int | None = None,
        steps_per_epoch: int | None = None,
        counts_in: str = "steps",
    ) -> Replay:
        """The rows as the command line streams them (see :class:`lrcli.replay.Replay`)."""
        if counts_in not in ("steps", "epochs"):
            raise ScheduleError("counts_in", f"must be 'steps' or 'epochs', got {counts_in!r}")
        stepped = self._schedule
        if steps_per_epoch is not None:
            if isinstance(steps_per_epoch, bool) or not isinstance(steps_per_epoch, int) or steps_per_epoch < 1:
                raise ScheduleError("steps_per_epoch", f"must be a whole number >= 1, got {steps_per_epoch!r}")
            stepped = stepped.per_step(steps_per_epoch, counts_in == "epochs")
        elif counts_in == "epochs":
            raise ScheduleError("counts_in", "'epochs' needs steps_per_epoch")
        return replay(stepped, self.lr, epochs, steps, steps_per_epoch)

    def rows(
        self,
        epochs: int | None = None,
        steps: int | None = None,
        steps_per_epoch: int | None = None,
        counts_in: str = "steps",
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The rows a chunk at a time, in bounded memory at any horizon: each chunk's row numbers,
        and its lrs with one column per param group.

        >>> [values.ravel().tolist() for _, values in schedule("exp", gamma=0.5).rows(epochs=3)]
        [[0.1, 0.05, 0.025]]
        """
        import numpy as np

        result = self.replay(epochs, steps, steps_per_epoch, counts_in)
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
    ) -> np.ndarray:
        """Every row's lr, one column per param group (``lr`` replaces the initial lrs).

        >>> schedule("step", step_size=1, lr=[1.0, 0.5]).lrs(epochs=2).tolist()
        [[1.0, 0.5], [0.1, 0.05]]
        """
        import numpy as np

        source = self if lr is None else LRSchedule(self._schedule, _group_lrs(lr))
        chunks = [values for _, values in source.rows(epochs, steps, steps_per_epoch, counts_in)]
        groups = len(source.lr or []) or self._schedule.groups
        return np.concatenate(chunks) if chunks else np.empty((0, groups))

    def to_pandas(
        self,
        epochs: int | None = None,
        steps: int | None = None,
        steps_per_epoch: int | None = None,
        counts_in: str = "steps",
    ) -> pd.DataFrame:
        """The rows as a DataFrame with the command line's CSV columns (``epoch``, or ``step`` and
        ``epoch``; ``lr`` or ``lr_0, lr_1, …``), indexed by the first."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("to_pandas needs pandas (pip install pandas)") from None
        result = self.replay(epochs, steps, steps_per_epoch, counts_in)
        values = self.lrs(epochs, steps, steps_per_epoch, counts_in)
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
    ) -> Axes:
        """Draw the lr of each param group on ``ax`` (a new figure's when None) with matplotlib."""
        try:
            import matplotlib.pyplot as plt
        except ImportError:
            raise ImportError("plot needs matplotlib (pip install 'lrcli[plot]')") from None
        result = self.replay(epochs, steps, steps_per_epoch, counts_in)
        values = self.lrs(epochs, steps, steps_per_epoch, counts_in)
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
        """A notebook's picture of the schedule (None without matplotlib: the text is shown)."""
        try:
            import matplotlib

            matplotlib.use("Agg", force=False)
            import matplotlib.pyplot as plt
        except ImportError:
            return None
        import io

        ax = self.plot()
        buffer = io.BytesIO()
        ax.figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        plt.close(ax.figure)
        return buffer.getvalue()


def verify(lrcli_schedule: LRSchedule, scheduler: Any, steps: int, metrics: Sequence[float] | None = None) -> int:
    """Step a deep copy of a real torch ``scheduler`` (its optimizer copied with it) ``steps``
    times from where it stands, comparing each param group's lr with lrcli's replay of
    ``lrcli_schedule`` at the same rows; ``metrics`` are passed to ``step()`` for
    ReduceLROnPlateau. Returns the rows compared; a difference raises :class:`ScheduleError`
    naming the first row and both values. For a test of one's own training script::

        assert lrcli.verify(lrcli.schedule("cosine", T_max=90), scheduler, steps=90) == 90
    """
    copied = copy.deepcopy(scheduler)
    optimizer = copied.optimizer
    first = max(int(getattr(copied, "last_epoch", 0)), 0)
    initial = [group.get("initial_lr", group["lr"]) for group in optimizer.param_groups]
    ours = schedule(lrcli_schedule.spec, lr=lrcli_schedule.lr or initial).lrs(steps=first + steps)
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
