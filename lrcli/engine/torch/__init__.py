"""``torch.optim.lr_scheduler``, replayed: one function per scheduler, named after it, with torch's
parameter names and defaults, each returning a :data:`~lrcli.engine.core.Scheduler`.

- :mod:`.multiplicative`: the schedules torch computes by multiplying the lr held (StepLR,
  MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR, MultiplicativeLR) and LambdaLR.
- :mod:`.annealing`: CosineAnnealingLR and CosineAnnealingWarmRestarts.
- :mod:`.cyclic`: CyclicLR and OneCycleLR, which set the lr (and momentum) themselves.
- :mod:`.plateau`: ReduceLROnPlateau, stepped by a metric.
- :mod:`.compose`: ChainedScheduler and SequentialLR.

Each function checks its parameters as torch accepts them and raises
:class:`~lrcli.engine.core.ScheduleError` naming the parameter.
"""
