"""Samplers with nothing learned that fake a `G` covering a toy's modes: the baselines of the coverage claims.

A check cell scores each of them with `metrics.mode_coverage`, exactly as it scores `G`. `degenerate` gives the
cheap fakes a claim about covering modes must rule out (a Gaussian smear, point masses, whole or half the mass,
tight blobs, jittered pairs, a collapse with strays, dropped modes with strays, every 8th sample of each mode
piled on its centre); `handmade` gives continuous modes placed by hand near the centres, which pass any test of
samples and are printed, not asserted, to say so. Every sampler is `(n, 2)` float64; the same `seed` gives the same
draws.
"""

import numpy as np

from .checks import array, positive_float, positive_int

DEGENERATE = {
    "Gaussian": "one Gaussian with the data's mean and covariance",
    "point masses": "every sample exactly on a centre, as many on each (to one)",
    "50 % points": "half the samples such point masses, half data: a G that piles half its mass on the centres",
    "tight blobs beside": "a blob 0.05 std wide 1 std to the right of each centre",
    "jittered pairs": "two points per mode, 1 std either side of its centre, jittered by 0.01 std",
    "one mode + strays": "one mode drawn like the data and one stray sample on each other centre",
    "modes dropped": "the last mode(s) left one stray sample each, the others drawn like the data",
    "an eighth piled": "every 8th sample of each mode exactly on its centre, the rest drawn like the data",
}
HANDMADE = {
    "half-std Gaussians": "a Gaussian at each centre with half the data's std",
    "Gaussians beside": "a Gaussian 0.35 std wide 1 std to the right of each centre",
    "circles": "points evenly spaced on a circle 2 std around each centre: a curve, not an area",
}


def _arguments(centers, std, n, seed):
    centers = array("centers", centers, ndim=2, last_dim=2, min_len=2)
    n = positive_int("n", n)
    if n < 2 * len(centers):
        raise ValueError(f"`n` must be at least twice the number of centres, {2 * len(centers)}, got {n}.")
    return centers, positive_float("std", std), n, positive_int("seed", seed, allow_zero=True)


def _at_centres(centers, n):
    """Row i is centre i mod K: `(n, 2)`, each centre on ⌊n/K⌋ or ⌈n/K⌉ rows."""
    return centers[np.arange(n) % len(centers)]


def _around(centers, n, std, rng):
    """n draws like the data: a centre taken in turn, plus N(0, std²) per coordinate. `(n, 2)`"""
    return _at_centres(centers, n) + std * rng.standard_normal((n, 2))


def degenerate(data, centers, std, n=2500, seed=0, dropped=1):
    """The samplers of `DEGENERATE` (its keys, in order) for modes of width `std` at `centers` `(K, 2)`, K ≥ 2.

    `data` `(m, 2)` gives the Gaussian's moments and the half of "50 % points" (its first rows: m ≥ n/2);
    "modes dropped" leaves the last `dropped` centres (1 ≤ dropped < K) one stray sample each."""
    centers, std, n, seed = _arguments(centers, std, n, seed)
    data = array("data", data, ndim=2, last_dim=2, min_len=2)
    if len(data) < n - n // 2:
        raise ValueError(f"`data` must hold at least {n - n // 2} rows (half of n = {n}), got {len(data)}.")
    dropped = positive_int("dropped", dropped)
    if dropped >= len(centers):
        raise ValueError(f"`dropped` must be less than the number of centres, {len(centers)}, got {dropped}.")
    rng = np.random.default_rng(seed)
    at_centres, right = _at_centres(centers, n), np.array([std, 0.0])
    sides = np.where((np.arange(n) // len(centers)) % 2, 1.0, -1.0)[:, None]   # each centre gets both sides
    kept = centers[:-dropped]
    return {
        "Gaussian": rng.multivariate_normal(data.mean(axis=0), np.cov(data.T), n),
        "point masses": at_centres,
        "50 % points": np.concatenate([_at_centres(centers, n // 2), data[:n - n // 2]]),
        "tight blobs beside": at_centres + right + 0.05 * std * rng.standard_normal((n, 2)),
        "jittered pairs": at_centres + sides * right + 0.01 * std * rng.standard_normal((n, 2)),
        "one mode + strays": np.concatenate([_around(centers[:1], n - len(centers) + 1, std, rng), centers[1:]]),
        "modes dropped": np.concatenate([_around(kept, n - dropped, std, rng), centers[-dropped:]]),
        "an eighth piled": np.where((np.arange(n) // len(centers) % 8 == 0)[:, None], at_centres,
                                    _around(centers, n, std, rng)),
    }


def handmade(centers, std, n=2500, seed=0):
    """The samplers of `HANDMADE` (its keys, in order) for modes of width `std` at `centers` `(K, 2)`, K ≥ 2."""
    centers, std, n, seed = _arguments(centers, std, n, seed)
    rng = np.random.default_rng(seed)
    at_centres, k = _at_centres(centers, n), np.arange(n) % len(centers)
    turn = 2 * np.pi * (np.arange(n) // len(centers)) / np.bincount(k)[k]   # even steps round each centre's circle
    return {
        "half-std Gaussians": at_centres + 0.5 * std * rng.standard_normal((n, 2)),
        "Gaussians beside": at_centres + [std, 0.0] + 0.35 * std * rng.standard_normal((n, 2)),
        "circles": at_centres + 2 * std * np.stack([np.cos(turn), np.sin(turn)], axis=1),
    }
