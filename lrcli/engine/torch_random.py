"""torch's CPU random numbers, as far as timm's lr noise draws them: a fresh ``torch.Generator``
seeded with ``manual_seed(seed)``, then ``torch.randn(1, generator=g).item()`` (and again, for
timm's rejection loop).

torch's CPU generator is MT19937 seeded by the standard ``init_genrand`` with the seed's low 32
bits. A double uniform takes two 32-bit outputs ``a, b``, keeps the low 53 bits of ``a << 32 | b``
and scales them by 2⁻⁵³. A normal value is Box–Muller on two uniforms ``u1, u2``: ``r =
sqrt(-2 log1p(-u2))``, ``θ = 2π u1``; ``r cos θ`` is returned and ``r sin θ`` kept for the next draw
on the same generator. ``randn`` of a float32 tensor rounds the double to float32.

Only the first few outputs of a freshly seeded generator are ever needed, so the twisted state is
computed only as far as they need (a whole twist per seed would cost 624 steps).
"""

from __future__ import annotations

import math
import struct

_MASK32 = 0xFFFFFFFF
_N, _M = 624, 397
_UPPER, _LOWER, _MATRIX = 0x80000000, 0x7FFFFFFF, 0x9908B0DF


class FreshMT19937:
    """The 32-bit outputs of an MT19937 seeded with ``init_genrand(seed)``, in order.

    The first 227 outputs need only the part of the first twist they read; beyond them the whole
    state is twisted, as the reference implementation does.

    >>> [FreshMT19937(5489).next() for _ in range(1)]  # the reference implementation's first output
    [3499211612]
    >>> engine = FreshMT19937(5489)
    >>> [engine.next() for _ in range(1000)][-1]  # the reference implementation's 1000th output
    1341017984
    """

    def __init__(self, seed: int) -> None:
        self.initial = [seed & _MASK32]
        self.index = 0
        self.state: list[int] | None = None

    def _initial(self, i: int) -> int:
        state = self.initial
        while len(state) <= i:
            previous = state[-1]
            state.append((1812433253 * (previous ^ (previous >> 30)) + len(state)) & _MASK32)
        return state[i]

    @staticmethod
    def _twist(mt: list[int]) -> list[int]:
        mt = list(mt)
        for i in range(_N):
            y = (mt[i] & _UPPER) | (mt[(i + 1) % _N] & _LOWER)
            mt[i] = mt[(i + _M) % _N] ^ (y >> 1) ^ (_MATRIX if y & 1 else 0)
        return mt

    def _raw(self, i: int) -> int:
        if i < _N - _M and self.state is None:  # a partial first twist is enough
            y = (self._initial(i) & _UPPER) | (self._initial(i + 1) & _LOWER)
            return self._initial(i + _M) ^ (y >> 1) ^ (_MATRIX if y & 1 else 0)
        if self.state is None:
            self._initial(_N - 1)
            self.state = self._twist(self.initial)
            self.twists = 1
        while i >= _N * self.twists:
            self.state = self._twist(self.state)
            self.twists += 1
        return self.state[i % _N]

    def next(self) -> int:
        y = self._raw(self.index)
        self.index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        return y ^ (y >> 18)


class TorchNormal:
    """``torch.randn(1, generator=g).item()``, draw after draw, for ``g.manual_seed(seed)``.

    >>> TorchNormal(42).draw()
    0.33669036626815796
    """

    def __init__(self, seed: int) -> None:
        self.engine = FreshMT19937(seed)
        self.cached: float | None = None

    def _uniform(self) -> float:
        bits = (self.engine.next() << 32) | self.engine.next()
        return (bits & ((1 << 53) - 1)) * 2.0**-53

    def draw(self) -> float:
        if self.cached is not None:
            value, self.cached = self.cached, None
        else:
            u1 = self._uniform()
            u2 = self._uniform()
            r = math.sqrt(-2.0 * math.log1p(-u2))
            theta = 2.0 * math.pi * u1
            self.cached = r * math.sin(theta)
            value = r * math.cos(theta)
        single: float = struct.unpack("f", struct.pack("f", value))[0]
        return single
