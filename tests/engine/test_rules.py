"""General rules of the engine, checked over generated inputs.

Each recurrence below is torch's ``get_lr`` (torch 2.13, torch/optim/lr_scheduler.py) restated for
one step; the golden files check the same schedules against torch itself.
"""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

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
    assert ours == torch_plateau_steps(
        0.1, metrics, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, 1e-8
    )
