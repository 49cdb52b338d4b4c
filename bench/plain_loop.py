"""What a user would write instead of lrcli: step torch's recurrence in plain Python and print one
``f"{k},{lr!r}\\n"`` line per step. bench.py times it against lrcli on the same schedules.

    python bench/plain_loop.py OUTPUT.csv step|warmup-cosine
"""

import math
import sys

STEPS = 10_000_000


def step_lr(file):
    """StepLR(step_size=1_000_000, gamma=0.5) from lr 0.1."""
    lr = 0.1
    for k in range(STEPS):
        if k and k % 1_000_000 == 0:
            lr = lr * 0.5
        file.write(f"{k},{lr!r}\n")


def warmup_cosine(file):
    """SequentialLR([LinearLR(start_factor=0.001, total_iters=10_000),
    CosineAnnealingLR(T_max=9_990_000, eta_min=1e-6)], milestones=[10_000]) from lr 0.1."""
    base, start, warmup, t_max, eta_min = 0.1, 0.001, 10_000, 9_990_000, 1e-6
    lr = base * start
    for k in range(STEPS):
        if 0 < k < warmup:
            lr = lr * (1.0 + (1.0 - start) / (warmup * start + (k - 1) * (1.0 - start)))
        elif k == warmup:
            lr = eta_min + (base - eta_min) * (1 + math.cos(0)) / 2
        elif k > warmup:
            epoch = k - warmup
            lr = (1 + math.cos(math.pi * epoch / t_max)) / (1 + math.cos(math.pi * (epoch - 1) / t_max)) * (
                lr - eta_min
            ) + eta_min
        file.write(f"{k},{lr!r}\n")


if __name__ == "__main__":
    with open(sys.argv[1], "w") as output:
        output.write("step,lr\n")
        {"step": step_lr, "warmup-cosine": warmup_cosine}[sys.argv[2]](output)
