"""Toy distributions and the shipped digits, all seeded and offline.

Samplers return float32 NumPy arrays; `batches` and `unpaired_batches` stream them into `fit()` on any
backend. Toy protocol (PacGAN, Lin et al. 2018):
ring of 8 Gaussians of radius 1 and std 0.01; grid of 25 Gaussians on {-4,-2,0,2,4}^2, std 0.05.
"""

import hashlib
import pathlib

import keras
import numpy as np

from . import backend
from .checks import array, positive_float, positive_int

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


def ring_centers(modes=8, radius=1.0):
    """Centres (cos 2πi/K, sin 2πi/K)·radius, i = 0..K-1. Returns (K, 2) float32.

    `2πi/K` and not `linspace(0, 2π, K)`: the latter repeats angle 0 and leaves K-1 modes.
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
    """n draws from an equal-weight mixture of isotropic Gaussians at `centers` (K, 2). Returns (n, 2)."""
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
    """n draws from the 2-D Swiss roll (as in the WGAN-GP toy script), divided by `scale`. Returns (n, 2)."""
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


class ShuffledBatches(keras.utils.PyDataset):
    """An endless stream of shuffled batches of one array, or of several arrays shuffled independently.

    The stream is the data in a fresh random order, pass after pass, cut into batches of `batch_size`
    (a batch may straddle two passes, so no sample is ever dropped); array k's order comes from
    `seed + k`. Batch i is a function of i alone, so the stream is the same every time `fit()` reads it.
    Give `fit()` `steps_per_epoch`: the stream never ends.

    Args:
        arrays: list of (n_k, ...) arrays; the stream yields one float32 batch of each, as a tuple.
        batch_size: int, 1 <= batch_size <= every n_k.
        seed: int >= 0.
    """

    def __init__(self, arrays, batch_size, seed):
        super().__init__()
        self.arrays = [np.asarray(x, dtype=np.float32) for x in arrays]
        self.batch_size = _batch_size(batch_size, self.arrays)
        self.seed = positive_int("seed", seed, allow_zero=True)
        self._orders = {}

    @property
    def num_batches(self):
        return None  # endless

    def _order(self, k, n_pass):
        key = (k, n_pass)
        if key not in self._orders:
            if len(self._orders) > 8 * len(self.arrays):
                self._orders.clear()
            self._orders[key] = np.random.default_rng([self.seed + k, n_pass]).permutation(len(self.arrays[k]))
        return self._orders[key]

    def _batch(self, k, index):
        n = len(self.arrays[k])
        start = index * self.batch_size
        positions = np.arange(start, start + self.batch_size)
        rows = np.empty(self.batch_size, dtype=np.int64)
        for n_pass in np.unique(positions // n):
            here = positions // n == n_pass
            rows[here] = self._order(k, int(n_pass))[positions[here] % n]
        return self.arrays[k][rows]

    def __getitem__(self, index):
        return tuple(self._batch(k, index) for k in range(len(self.arrays)))


def _batch_size(batch_size, arrays):
    batch_size = positive_int("batch_size", batch_size)
    smallest = min(len(x) for x in arrays)
    if batch_size > smallest:
        raise ValueError(f"`batch_size` ({batch_size}) must not exceed the number of samples ({smallest}).")
    return batch_size


def _stream(arrays, batch_size, seed, together=False):
    """The one backend branch of the data streams: what `fit()` reads, per backend.

    On TensorFlow a `tf.data.Dataset` (shuffle, repeat, batch, prefetch; what the committed lessons' numbers
    come from); on JAX and PyTorch a `ShuffledBatches` of NumPy arrays. `arrays` holds 1 or 2 arrays; with
    two, `together=True` shuffles their rows in one order (images with their labels), `False` gives each its
    own order (array k's from `seed + k`).
    """
    if backend.name() != "tensorflow":
        return (_PairedBatches if together else ShuffledBatches)(arrays, batch_size, seed)
    import tensorflow as tf

    def shuffled(x, n, seed):
        ds = tf.data.Dataset.from_tensor_slices(x).shuffle(n, seed=seed, reshuffle_each_iteration=True)
        return ds.repeat().batch(batch_size, drop_remainder=True).prefetch(2)

    if together:
        return _untuned(shuffled(tuple(arrays), len(arrays[0]), seed))
    if len(arrays) == 1:
        return _untuned(shuffled(arrays[0], len(arrays[0]), seed))
    return _untuned(tf.data.Dataset.zip(tuple(shuffled(x, len(x), seed + k) for k, x in enumerate(arrays))))


def _untuned(ds):
    """`ds` without tf.data's autotuner: an in-memory shuffle has nothing to tune, and the tuner's thread
    held every long `fit()` at its end (about 6 s per 2,000 steps, measured on a 2-core CPU)."""
    import tensorflow as tf

    options = tf.data.Options()
    options.autotune.enabled = False
    return ds.with_options(options)


def batches(x, batch_size, seed):
    """An endless stream of shuffled (batch_size, ...) float32 batches of `x`, for `fit(steps_per_epoch=...)`.

    On TensorFlow it is a `tf.data.Dataset` (shuffle, repeat, batch, prefetch), which is what the
    committed lessons' numbers come from; on JAX and PyTorch, a `ShuffledBatches` of NumPy arrays. Either
    way each pass over `x` is a new random order, fixed by `seed`.
    """
    x = np.asarray(x, dtype=np.float32)
    batch_size = _batch_size(batch_size, [x])
    seed = positive_int("seed", seed, allow_zero=True)
    return _stream([x], batch_size, seed)


def unpaired_batches(a, b, batch_size, seed):
    """An endless stream of (a_batch, b_batch) pairs from two independently shuffled streams, for CycleGAN.

    Batch i of `a` and batch i of `b` are unrelated: `a`'s order comes from `seed`, `b`'s from `seed + 1`.
    On TensorFlow the two `batches` streams zipped; on JAX and PyTorch a two-array `ShuffledBatches`.
    """
    a, b = np.asarray(a, dtype=np.float32), np.asarray(b, dtype=np.float32)
    batch_size = _batch_size(batch_size, [a, b])
    seed = positive_int("seed", seed, allow_zero=True)
    return _stream([a, b], batch_size, seed)


DIGIT_MAX = 16  # the shipped digits take values 0..16


def _check_digit_images(name, images):
    """`images` as a float32 (n, h, w) array of values in [0, 16], else raise."""
    out = array(name, images, ndim=3).astype(np.float32)
    if out.min() < 0 or out.max() > DIGIT_MAX:
        raise ValueError(f"`{name}` must hold values in [0, {DIGIT_MAX}], got [{out.min()}, {out.max()}].")
    return out


def digit_style_b(images):
    """Domain B's style of 0..16 digit images: a half-strength one-pixel halo around the strokes, inverted.

    b = 16 - max(x, ½·x⁺), where x⁺ is the largest value among a pixel's four neighbours (up, down, left,
    right; zero outside the image). The halo makes the strokes look bolder and soft-edged; the inversion
    puts dark ink on a white background. Each output pixel depends on its 3×3 neighbourhood only, and
    the original value survives wherever it is at least half its brightest neighbour, so the digit stays
    readable (a full-strength 3×3 thickening fills the 1-pixel holes of 0, 6, 8, 9 at this size).

    Args:
        images: (n, h, w) values in [0, 16].
    Returns:
        (n, h, w) float32 in [0, 16].
    """
    x = _check_digit_images("images", images)
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    h, w = x.shape[1:]
    neighbours = np.max([padded[:, 1 + dy:1 + dy + h, 1 + dx:1 + dx + w]
                         for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1))], axis=0)
    return (DIGIT_MAX - np.maximum(x, 0.5 * neighbours)).astype(np.float32)


def digits_to_unit(images):
    """0..16 digit images (n, h, w) -> (n, h, w, 1) float32 in [-1, 1] (0 -> -1, 16 -> +1), as tanh outputs."""
    x = _check_digit_images("images", images)
    return (2.0 * x / DIGIT_MAX - 1.0)[..., None].astype(np.float32)


def digit_domains(seed, test_fraction=0.2, path=DIGITS_PATH):
    """Two *unpaired* image domains from the shipped digits, for CycleGAN (lesson 06).

    The 1,797 digits are shuffled (`seed`) and split into train and test; each split is halved, and
    the first half becomes domain A (the digits as they are) and the second half domain B (the same kind
    of digits in `digit_style_b`'s style). No image appears in both domains, so no training pair
    (a, its own B-version) exists. Because the style is known, the B-version of every A test image and
    the A-version of every B test image can be computed: they are for evaluation only.

    Args:
        seed: int >= 0, for the shuffle.
        test_fraction: float in (0, 1), the share of images held out (split evenly between A and B).
        path: the digits file (see `load_digits`).
    Returns:
        dict of NumPy arrays; images are (n, 8, 8, 1) float32 in [-1, 1], labels (n,) uint8:
        `a_train`, `a_train_labels`, `b_train`, `b_train_labels`, `a_test`, `a_test_labels`,
        `a_test_as_b` (the true B-version of each `a_test` image), `b_test`, `b_test_labels`,
        `b_test_as_a` (the A image each `b_test` image was made from).
    """
    seed = positive_int("seed", seed, allow_zero=True)
    test_fraction = positive_float("test_fraction", test_fraction)
    if test_fraction >= 1:
        raise ValueError(f"`test_fraction` must be in (0, 1), got {test_fraction}.")
    images, labels = load_digits(path)
    n_test = int(round(test_fraction * len(images)))
    if not 2 <= n_test <= len(images) - 2:
        raise ValueError(f"`test_fraction` {test_fraction} leaves {n_test} test images of {len(images)}; "
                         "each domain needs at least one train and one test image.")
    order = np.random.default_rng(seed).permutation(len(images))
    test, train = order[:n_test], order[n_test:]
    parts = {"a_train": train[:len(train) // 2], "b_train": train[len(train) // 2:],
             "a_test": test[:n_test // 2], "b_test": test[n_test // 2:]}
    as_a, as_b = digits_to_unit(images), digits_to_unit(digit_style_b(images))
    out = {}
    for name, index in parts.items():
        out[name] = (as_a if name.startswith("a") else as_b)[index]
        out[name + "_labels"] = labels[index]
    out["a_test_as_b"] = as_b[parts["a_test"]]
    out["b_test_as_a"] = as_a[parts["b_test"]]
    return out


class _PairedBatches(ShuffledBatches):
    """A `ShuffledBatches` whose arrays share one order: row i of each array stays together."""

    def _order(self, k, n_pass):
        return super()._order(0, n_pass)


def labelled_batches(x, y, batch_size, seed):
    """An endless stream of shuffled (images, labels) batches, each image with its own label, for `fit()`.

    As `batches`, but the rows of `x` and `y` are shuffled together (one order, from `seed`). On TensorFlow
    a `tf.data.Dataset` of (float32 images, int32 labels); on JAX and PyTorch a `ShuffledBatches`-like stream
    of NumPy arrays (its labels come as float32: cast them to int where used).

    Args:
        x: (n, ...) array of samples; y: (n,) array of integer labels.
        batch_size: int, 1 <= batch_size <= n.
        seed: int >= 0.
    """
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != len(x):
        raise ValueError(f"`y` must hold one label per row of `x` ({len(x)}), got shape {y.shape}.")
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"`y` must hold integer labels, got dtype {y.dtype}.")
    batch_size = _batch_size(batch_size, [x])
    seed = positive_int("seed", seed, allow_zero=True)
    return _stream([x, y.astype(np.int32)], batch_size, seed, together=True)
