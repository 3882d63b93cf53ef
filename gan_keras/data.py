"""Toy distributions and the shipped digits, all seeded and offline.

Samplers return float32 NumPy arrays, ready for ``fit()``. Toy protocol (PacGAN, Lin et al. 2018):
ring of 8 Gaussians of radius 1 and std 0.01; grid of 25 Gaussians on {-4,-2,0,2,4}^2, std 0.05.
"""

import hashlib
import pathlib

import numpy as np

from ._checks import array, positive_float, positive_int

RING_STD = 0.01
GRID_STD = 0.05
DIGITS_PATH = pathlib.Path(__file__).resolve().parent.parent / "data" / "digits.npz"
DIGITS_SHA256 = "b2dab7b501728c22e9119ad76740b2e17c77a231e42d1e592380d90886f1a05e"


def _rng(seed):
    return np.random.default_rng(positive_int("seed", seed, allow_zero=True))


def sample_gaussian_1d(n, seed, mean=0.0, std=1.0):
    """n draws of N(mean, std^2). Returns (n, 1) float32."""
    n = positive_int("n", n)
    std = positive_float("std", std)
    return (mean + std * _rng(seed).standard_normal((n, 1))).astype(np.float32)


def sample_mixture_1d(n, seed, means, stds, weights=None):
    """n draws of a 1-D Gaussian mixture. Returns (n, 1) float32.

    Args:
        means, stds: (K,) component means and standard deviations (> 0).
        weights: (K,) non-negative, normalised here; uniform if None.
    """
    n = positive_int("n", n)
    means = array("means", means, ndim=1)
    stds = array("stds", stds, ndim=1)
    if stds.shape != means.shape or np.any(stds <= 0):
        raise ValueError(f"`stds` must be {len(means)} positive numbers, one per mean; got {stds.tolist()}.")
    weights = np.ones_like(means) if weights is None else array("weights", weights, ndim=1)
    if weights.shape != means.shape or np.any(weights < 0) or weights.sum() == 0:
        raise ValueError(f"`weights` must be {len(means)} non-negative numbers, not all 0; got {weights.tolist()}.")
    rng = _rng(seed)
    k = rng.choice(len(means), size=n, p=weights / weights.sum())
    return (means[k] + stds[k] * rng.standard_normal(n)).astype(np.float32)[:, None]


def ring_centers(modes=8, radius=1.0):
    """Centres (cos 2πi/K, sin 2πi/K)·radius, i = 0..K-1. Returns (K, 2) float32.

    ``2πi/K`` and not ``linspace(0, 2π, K)``: the latter repeats angle 0 and leaves K-1 modes.
    """
    modes = positive_int("modes", modes)
    radius = positive_float("radius", radius)
    angles = 2 * np.pi * np.arange(modes) / modes
    return (radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)).astype(np.float32)


def grid_centers(side=5, spacing=2.0):
    """Centres of a side×side grid with the given spacing, centred at 0. Returns (side², 2) float32."""
    side = positive_int("side", side)
    spacing = positive_float("spacing", spacing)
    ticks = spacing * (np.arange(side) - (side - 1) / 2)
    xx, yy = np.meshgrid(ticks, ticks, indexing="ij")
    return np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32)


def sample_around(centers, n, seed, std):
    """n draws from an equal-weight mixture of isotropic Gaussians at ``centers`` (K, 2). Returns (n, 2)."""
    centers = array("centers", centers, ndim=2)
    n = positive_int("n", n)
    std = positive_float("std", std)
    rng = _rng(seed)
    k = rng.integers(len(centers), size=n)
    return (centers[k] + std * rng.standard_normal((n, centers.shape[1]))).astype(np.float32)


def sample_ring(n, seed, modes=8, radius=1.0, std=RING_STD):
    """n draws from the ring of Gaussians (protocol above). Returns (n, 2) float32."""
    return sample_around(ring_centers(modes, radius), n, seed, std)


def sample_grid(n, seed, side=5, spacing=2.0, std=GRID_STD):
    """n draws from the grid of Gaussians (protocol above). Returns (n, 2) float32."""
    return sample_around(grid_centers(side, spacing), n, seed, std)


def sample_swiss_roll(n, seed, noise=0.25, scale=7.5):
    """n draws from the 2-D Swiss roll (as in the WGAN-GP toy script), divided by ``scale``. Returns (n, 2)."""
    n = positive_int("n", n)
    noise = positive_float("noise", noise, allow_zero=True)
    scale = positive_float("scale", scale)
    rng = _rng(seed)
    t = 1.5 * np.pi * (1 + 2 * rng.random(n))
    xy = np.stack([t * np.cos(t), t * np.sin(t)], axis=1) + noise * rng.standard_normal((n, 2))
    return (xy / scale).astype(np.float32)


def load_digits(path=DIGITS_PATH):
    """The 1,797 UCI 8×8 handwritten digits, checked against the shipped SHA-256.

    Returns:
        images: (1797, 8, 8) uint8 in 0..16; labels: (1797,) uint8 in 0..9.
    """
    path = pathlib.Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"`path` {path} does not exist; the digits ship in data/digits.npz.")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != DIGITS_SHA256:
        raise ValueError(f"`path` {path} has SHA-256 {digest}, expected {DIGITS_SHA256}: the file changed.")
    with np.load(path, allow_pickle=False) as f:
        return f["images"], f["labels"]


def batches(x, batch_size, seed):
    """An endless stream of shuffled (batch_size, ...) batches of ``x`` for ``fit(steps_per_epoch=...)``.

    Keras 3 reads a tf.data.Dataset on every backend, so this is the input pipeline for all of them.
    """
    import tensorflow as tf

    x = np.asarray(x, dtype=np.float32)
    batch_size = positive_int("batch_size", batch_size)
    if batch_size > len(x):
        raise ValueError(f"`batch_size` ({batch_size}) must not exceed the number of samples ({len(x)}).")
    seed = positive_int("seed", seed, allow_zero=True)
    ds = tf.data.Dataset.from_tensor_slices(x).shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return ds.repeat().batch(batch_size, drop_remainder=True).prefetch(2)
