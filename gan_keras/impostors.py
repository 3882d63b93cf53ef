"""Samplers with nothing learned that fake a `G` covering a toy's modes: the baselines of the coverage claims.

A check cell scores each of them with `metrics.mode_coverage`, exactly as it scores `G`. `degenerate` gives the
cheap fakes a claim about covering modes must rule out (a smear, point masses, tight blobs, a collapse with
strays); `handmade` gives continuous modes placed by hand near the centres, which pass any test of samples and
are printed, not asserted, to say so. Every sampler is `(n, 2)` float64; the same `seed` gives the same draws.
"""

import numpy as np

from .checks import array, positive_float, positive_int

DEGENERATE = {
    "Gaussian": "one Gaussian with the data's mean and covariance",
    "point masses": "every sample exactly on a centre, as many on each",
    "70 % points": "70 % of those point masses with 30 % data: a G collapsed on most of its mass",
    "tight blobs beside": "a blob 0.05 std wide 1 std to the right of each centre",
    "jittered pairs": "two points per mode, 1 std either side of its centre, jittered by 0.01 std",
    "one mode + strays": "one mode drawn like the data and one stray sample on each other centre",
}
HANDMADE = {
    "half-std Gaussians": "a Gaussian at each centre with half the data's std",
    "Gaussians beside": "a Gaussian 0.35 std wide 1 std to the right of each centre",
    "circles": "points evenly spaced on a circle 2 std around each centre: a curve, not an area",
}


def _arguments(centers, std, n, seed):
    centers = array("centers", centers, ndim=2, last_dim=2)
    return centers, positive_float("std", std), positive_int("n", n), positive_int("seed", seed, allow_zero=True)


def _at_centres(centers, n):
    """Row i is centre i mod K: `(n, 2)`, each centre on ⌊n/K⌋ or ⌈n/K⌉ rows."""
    return centers[np.arange(n) % len(centers)]


def degenerate(data, centers, std, n=2500, seed=0):
    """The samplers of `DEGENERATE` (its keys, in order) for modes of width `std` at `centers` `(K, 2)`.

    `data` `(m, 2)` gives the Gaussian's moments and the 30 % of "70 % points" (its first rows: m ≥ 0.3·n)."""
    centers, std, n, seed = _arguments(centers, std, n, seed)
    data = array("data", data, ndim=2, last_dim=2, min_len=2)
    n_points = int(round(0.7 * n))
    if len(data) < n - n_points:
        raise ValueError(f"`data` must hold at least {n - n_points} rows (30 % of n = {n}), got {len(data)}.")
    rng = np.random.default_rng(seed)
    at_centres, right = _at_centres(centers, n), np.array([std, 0.0])
    sides = np.where((np.arange(n) // len(centers)) % 2, 1.0, -1.0)[:, None]   # each centre gets both sides
    one_mode = centers[0] + std * rng.standard_normal((n - len(centers) + 1, 2))
    return {
        "Gaussian": rng.multivariate_normal(data.mean(axis=0), np.cov(data.T), n),
        "point masses": at_centres,
        "70 % points": np.concatenate([_at_centres(centers, n_points), data[:n - n_points]]),
        "tight blobs beside": at_centres + right + 0.05 * std * rng.standard_normal((n, 2)),
        "jittered pairs": at_centres + sides * right + 0.01 * std * rng.standard_normal((n, 2)),
        "one mode + strays": np.concatenate([one_mode, centers[1:]]),
    }


def handmade(centers, std, n=2500, seed=0):
    """The samplers of `HANDMADE` (its keys, in order) for modes of width `std` at `centers` `(K, 2)`."""
    centers, std, n, seed = _arguments(centers, std, n, seed)
    rng = np.random.default_rng(seed)
    at_centres = _at_centres(centers, n)
    turn = 2 * np.pi * (np.arange(n) // len(centers)) / -(-n // len(centers))
    return {
        "half-std Gaussians": at_centres + 0.5 * std * rng.standard_normal((n, 2)),
        "Gaussians beside": at_centres + [std, 0.0] + 0.35 * std * rng.standard_normal((n, 2)),
        "circles": at_centres + 2 * std * np.stack([np.cos(turn), np.sin(turn)], axis=1),
    }
