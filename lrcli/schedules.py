"""A scheduler as configured (its description and parameter values), and what follows from it: one
engine scheduler per param group, the JSON ``params``, the title, the rows to show by default.

The same :class:`Schedule` comes from a command's options, from a spec such as
``"cosine(T_max=95)"`` (``lrcli.spec``), or from ``--warmup`` wrapping another.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass, replace
from fractions import Fraction

from lrcli.engine.core import Group, ScheduleError, Scheduler, Stepper
from lrcli.engine.loop import resumed
from lrcli.expression import ExpressionError
from lrcli.registry import BY_COMMAND
from lrcli.registry.description import Description


@dataclass(frozen=True)
class Schedule:
    """``description`` configured with ``params`` (the framework's names; a per-group parameter
    may be a list of one value per group; a composition's ``schedulers`` are Schedules).
    ``text`` is the spec it was read from, if any, so that errors can name it.
    ``steps_per_epoch`` is known when the scheduler steps per iteration (see :meth:`per_step`).
    ``last_epoch`` (torch's, -1 by default) >= 0 is the scheduler constructed with it on a fresh
    optimizer whose ``initial_lr`` is set by hand to its lr: rows up to ``last_epoch`` are the run
    it continues (the same scheduler from row 0), rows from ``last_epoch + 1`` the constructed one's
    (:func:`lrcli.engine.loop.resumed`, ``fresh``)."""

    description: Description
    params: dict[str, object]
    text: str | None = None
    steps_per_epoch: int | None = None
    last_epoch: int = -1

    @classmethod
    def of(cls, command: str, **params: object) -> Schedule:
        """The scheduler of an lrcli command with these parameters.

        >>> Schedule.of("exp", gamma=0.5).title
        'ExponentialLR(gamma=0.5)'
        """
        return cls(BY_COMMAND[command], params)

    @property
    def name(self) -> str:
        return self.description.name

    @property
    def json_params(self) -> dict[str, object]:
        """The constructor's arguments as JSON holds them: children as ``{"scheduler", "params"}``.

        >>> Schedule(BY_COMMAND["step"], {"step_size": 3, "gamma": 0.1}).json_params
        {'step_size': 3, 'gamma': 0.1}
        """
        json = {}
        for param in self.description.params:
            if param.constructor and param.name in self.params:
                json[param.name] = param.type.each_child(
                    self.params[param.name], lambda child: {"scheduler": child.name, "params": child.json_params}
                )
        if self.last_epoch != -1:
            json["last_epoch"] = self.last_epoch
        return json

    @property
    def title(self) -> str:
        """The scheduler as a call, children included.

        >>> child = Schedule(BY_COMMAND["exp"], {"gamma": 0.9})
        >>> Schedule(BY_COMMAND["chained"], {"schedulers": [child]}).title
        'ChainedScheduler(schedulers=[ExponentialLR(gamma=0.9)])'
        """
        return self._call(brief=False)

    @property
    def brief_title(self) -> str:
        """:attr:`title` without the parameters that equal their defaults.

        >>> Schedule(BY_COMMAND["step"], {"step_size": 3, "gamma": 0.1}).brief_title
        'StepLR(step_size=3)'
        """
        return self._call(brief=True)

    def _call(self, brief: bool) -> str:
        if self.description.describe is not None:
            return self.description.describe(self)

        def text(value: object) -> str:
            if isinstance(value, Schedule):
                return value._call(brief)
            if isinstance(value, list):
                return "[" + ", ".join(map(text, value)) + "]"
            return repr(value)

        shown = [
            param.name
            for param in self.description.params
            if param.constructor
            and param.name in self.params
            and not (brief and self.params[param.name] == param.default)
        ]
        arguments = [f"{name}={text(self.params[name])}" for name in shown]
        arguments += [f"last_epoch={self.last_epoch}"] if self.last_epoch != -1 else []
        return f"{self.name}({', '.join(arguments)})"

    @property
    def groups(self) -> int:
        """The param groups the parameters imply when no ``--lr`` is given: for a scheduler that
        sets the lr itself, the longest per-group list; for a composition, its children's most."""
        if self.children:
            return max(child.groups for child in self.children)
        if not self.description.sets_lr:
            return 1
        lengths = [
            len(value)
            for param in self.description.params
            if param.per_group and isinstance(value := self.params.get(param.name), list)
        ]
        return max(lengths, default=1)

    @property
    def children(self) -> list[Schedule]:
        """The schedules a composition holds."""
        found: list[Schedule] = []
        for param in self.description.params:
            if param.name in self.params:
                param.type.each_child(self.params[param.name], found.append)
        return found

    def events(self, window: range, most: int) -> list[int]:
        """The first ``most`` rows strictly inside ``window`` (after its start, before its stop)
        where the schedule changes course: its own milestones, restarts or ramp ends, and a
        composition's switches and its children's events. Never more than ``most`` per
        scheduler are looked at, however long the run.

        >>> with_warmup(Schedule.of("multistep", milestones=[3, 6]), 2, 0.5).events(range(10), 24)
        [2, 5, 8]
        >>> Schedule.of("step", step_size=1).events(range(500_000_000, 10**9), 3)
        [500000001, 500000002, 500000003]
        """
        if self.description.window_events is not None:
            return self.description.window_events(self.params, window, most)
        events = self.description.events
        found = events(self.params, window.stop) if events is not None else []
        after = bisect_right(found, window.start)
        return list(found[after : after + most])

    @property
    def default_rows(self) -> int | None:
        rows = self.description.default_rows
        return rows(self.params) if rows is not None else None

    def schedulers(self, groups: int) -> list[Scheduler]:
        """One engine scheduler per param group; errors in a spec name the spec, whenever they
        happen (also while its steps are replayed)."""
        if self.text is None:
            return self._schedulers(groups)
        return [_named(scheduler, self.text) for scheduler in _in_spec(self.text, self._schedulers)(groups)]

    def _schedulers(self, groups: int) -> list[Scheduler]:
        columns = {
            param.name: param.type.group_values(param, self.params[param.name], groups, self.steps_per_epoch or 1)
            for param in self.description.params
            if param.name in self.params
        }
        factory = self.description.factory
        schedulers = [factory(**{name: values[group] for name, values in columns.items()}) for group in range(groups)]
        if self.last_epoch == -1:
            return schedulers
        return [resumed(scheduler, self.last_epoch + 1, "fresh", self.name) for scheduler in schedulers]

    def per_step(self, steps_per_epoch: int, counts_in_epochs: bool) -> Schedule:
        """This schedule stepped ``steps_per_epoch`` times an epoch: its expressions see
        ``steps_per_epoch``, and with ``counts_in_epochs`` every parameter that counts scheduler
        steps was given in epochs and becomes that many steps (a whole number, or an error).

        >>> Schedule.of("step", step_size=2.5, gamma=0.5).per_step(4, counts_in_epochs=True).title
        'StepLR(step_size=10, gamma=0.5)'
        """
        params = {}
        for name, value in self.params.items():
            param = self.description.param(name)
            value = param.type.each_child(value, lambda child: child.per_step(steps_per_epoch, counts_in_epochs))
            if counts_in_epochs and param.steps and value is not None:
                try:
                    value = (
                        [in_steps(item, steps_per_epoch, name) for item in value]
                        if isinstance(value, list)
                        else in_steps(value, steps_per_epoch, name)
                    )
                except ScheduleError as error:
                    if self.text is None:
                        raise
                    raise ScheduleError(None, f"{self.text!r}: {error}") from None
            params[name] = value
        return Schedule(self.description, params, self.text, steps_per_epoch, self.last_epoch)


def _in_spec(text: str, function: Callable) -> Callable:
    """``function``, its errors restated as errors of the spec ``text``."""

    def call(*args):
        try:
            return function(*args)
        except ScheduleError as error:  # the parameter at fault kept, for lrcli.ScheduleError's readers
            where = repr(text) if error.where is None else f"{text!r}: {error.where}"
            raise ScheduleError(error.param, error.message, where) from None
        except ExpressionError as error:
            column = f" (column {error.column} of {error.text!r})" if error.column else ""
            raise ScheduleError(None, f"{text!r}: lr_lambda: {error.message}{column}") from None

    return call


def _named(scheduler: Scheduler, text: str) -> Scheduler:
    """``scheduler``, every error its construction or steps raise naming the spec ``text``."""

    def construct(group: Group) -> tuple[Group, Stepper]:
        group, stepper = _in_spec(text, scheduler)(group)
        return group, _stepper_named(stepper, text)

    return construct


def _stepper_named(holder, text: str):
    """A stepper, every error its forms raise naming the spec ``text``: each callable field, at
    any depth of the dataclasses it holds (its bulk form, its SequentialLR hooks), and the stepper
    a form gives back (a composition's after a plain step)."""
    named = {}
    for field in fields(holder):
        value = getattr(holder, field.name)
        if is_dataclass(value):
            named[field.name] = _stepper_named(value, text)
        elif callable(value):
            named[field.name] = _form_named(value, text)
    return replace(holder, **named)


def _form_named(form: Callable, text: str) -> Callable:
    """``form``, its errors naming the spec ``text``, and so the stepper it may give back."""

    def call(*args):
        result = _in_spec(text, form)(*args)
        if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], Stepper):
            return result[0], _stepper_named(result[1], text)
        return result

    return call


def in_steps(epochs: object, steps_per_epoch: int, name: str) -> object:
    """``epochs`` epochs as a whole number of steps (a value that is not a number is left for the
    engine to refuse).

    >>> in_steps(0.5, 10, "T_max"), in_steps(3, 10, "T_max")
    (5, 30)
    >>> in_steps(0.25, 10, "T_max")
    Traceback (most recent call last):
    ...
    lrcli.engine.core.ScheduleError: T_max is 0.25 epochs, 2.5 steps at 10 steps per epoch: not a whole number of steps
    """
    if (
        isinstance(epochs, bool)
        or not isinstance(epochs, (int, float))
        or isinstance(epochs, float)
        and not math.isfinite(epochs)
    ):
        return epochs
    steps = Fraction(repr(epochs)) * steps_per_epoch
    if steps.denominator != 1:
        raise ScheduleError(
            name,
            f"is {epochs!r} epochs, {float(steps)!r} steps at {steps_per_epoch} steps per epoch: "
            "not a whole number of steps",
        )
    return int(steps)


def with_warmup(schedule: Schedule, warmup: object, start_factor: object = None) -> Schedule:
    """``schedule`` after ``warmup`` epochs of LinearLR from ``start_factor`` (LinearLR's own default,
    1/3, when None) to 1, as
    ``SequentialLR([LinearLR(...), schedule], milestones=[warmup])`` composes them. A whole
    ``warmup`` given as a float (``2.0``) is that int; a fraction stays one (torch runs it, and
    ``--counts-in epochs`` turns it into steps).

    >>> with_warmup(Schedule(BY_COMMAND["exp"], {"gamma": 0.5}), 2, 0.5).title
    'SequentialLR(schedulers=[LinearLR(start_factor=0.5, end_factor=1.0, total_iters=2), ExponentialLR(gamma=0.5)], milestones=[2])'
    """
    if isinstance(warmup, bool) or not isinstance(warmup, (int, float)) or not 0 <= warmup < math.inf:
        raise ScheduleError("warmup", f"must be a number >= 0, got {warmup!r}")
    warmup = int(warmup) if warmup == int(warmup) else warmup
    linear = BY_COMMAND["linear"]
    if start_factor is None:
        start_factor = linear.param("start_factor").default
    params = {"start_factor": start_factor, "end_factor": 1.0, "total_iters": warmup}
    try:
        linear.factory(**params)
    except ScheduleError as error:  # LinearLR's total_iters is the warmup, its start_factor the start
        raise ScheduleError(
            "warmup" if error.param == "total_iters" else "warmup_start_factor", error.message
        ) from None
    return Schedule(
        BY_COMMAND["sequential"], {"schedulers": [Schedule(linear, params), schedule], "milestones": [warmup]}
    )


EPOCH_LIKE = 1e-6
"""A StepLR or MultiStepLR stepped per batch that takes the lr below this fraction (a millionth)
of its start within the first epoch was almost surely given its counts in epochs."""


def epoch_like_counts(schedule: Schedule, steps_per_epoch: int) -> tuple[str, str] | None:
    """The call and the parameter of a StepLR or MultiStepLR in ``schedule`` (or among a
    composition's children) that, stepped ``steps_per_epoch`` times an epoch, decays the lr
    below :data:`EPOCH_LIKE` of its start within the first epoch: the seed's trap, a count meant
    in epochs and taken in steps. From the parameters alone: ``gamma ** decays``.

    >>> epoch_like_counts(Schedule.of("step", step_size=3), 50)
    ('StepLR(step_size=3)', 'step_size')
    >>> epoch_like_counts(Schedule.of("multistep", milestones=[10, 20, 30, 40, 50, 60, 70]), 391)[1]
    'milestones'
    >>> epoch_like_counts(Schedule.of("multistep", milestones=[30, 60, 80]), 391) is None  # 1e-3: maybe meant
    True
    >>> epoch_like_counts(Schedule.of("step", step_size=2000), 500), epoch_like_counts(Schedule.of("step", step_size=1, gamma=0.99), 100)
    (None, None)
    """
    children = schedule.children
    if children:
        return next(filter(None, (epoch_like_counts(child, steps_per_epoch) for child in children)), None)
    gamma = schedule.params.get("gamma", 0.1)
    early = schedule.description.early_decays
    if early is None or isinstance(gamma, bool) or not isinstance(gamma, (int, float)) or not 0 <= gamma < 1:
        return None
    counted = early(schedule.params, steps_per_epoch)
    if counted is None:
        return None
    name, decays = counted
    return (schedule.brief_title, name) if gamma**decays < EPOCH_LIKE else None
