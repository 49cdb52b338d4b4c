"""What the fuzz scripts share: running one side of a comparison, and tallying the comparisons of
lrcli with a reference library."""

from __future__ import annotations

import math


def outcome(compute):
    """``(value, None)``, or ``(None, "Error: message")`` when ``compute`` fails."""
    try:
        return compute(), None
    except Exception as error:  # a failure on both sides is agreement
        return None, f"{type(error).__name__}: {error}"


def finite(values) -> bool:
    """Whether every value (of a list, or of a list of rows) is a finite number."""
    return all(math.isfinite(value) for item in values for value in (item if isinstance(item, list) else [item]))


class Tally:
    """Comparisons with ``reference``: values that differ, refusals of what it runs (not counted
    where ``excused``: lrcli refuses NaN and infinity on purpose) and runs of what it refuses; the
    first ``shown`` failures are printed."""

    def __init__(self, reference: str, shown: int = 5) -> None:
        self.reference, self.left, self.compared = reference, shown, 0
        self.counts = {
            "values differ": 0,
            f"lrcli refuses what {reference} runs": 0,
            f"lrcli runs what {reference} refuses": 0,
        }

    def add(self, label: str, want, theirs, got, ours, excused: bool = False) -> None:
        kinds = list(self.counts)
        self.compared += theirs is None and ours is None
        kind = None
        if theirs is None and ours is None and got != want:
            kind = kinds[0]
        elif theirs is None and ours is not None and not excused:
            kind = kinds[1]
        elif theirs is not None and ours is None:
            kind = kinds[2]
        if kind is None:
            return
        self.counts[kind] += 1
        if self.left:
            self.left -= 1
            first = next((i for i, (a, b) in enumerate(zip(got or [], want or [])) if a != b), None)
            print(
                f"{kind}: {label} {self.reference}={str(theirs)[:120]} lrcli={str(ours)[-160:]} "
                f"first differing row={first}"
            )

    def summary(self) -> str:
        return f"{self.compared} run by both: " + ", ".join(f"{count} {kind}" for kind, count in self.counts.items())
