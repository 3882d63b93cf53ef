"""gan_keras.data: toy samplers, centres, the shipped digits and the batch stream."""

import itertools
import shutil

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import numpy as np
import pytest

from gan_keras import data

SAMPLERS = {
    "gaussian_1d": lambda n, seed: data.sample_gaussian_1d(n, seed),
    "ring": data.sample_ring,
    "grid": data.sample_grid,
    "swiss_roll": data.sample_swiss_roll,
}
DIMS = {"gaussian_1d": 1, "ring": 2, "grid": 2, "swiss_roll": 2}


def test_ring_centres_are_eight_distinct_points_on_the_unit_circle():
    centers = data.ring_centers()
    assert centers.shape == (8, 2) and centers.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 1.0, atol=1e-6)
    # linspace(0, 2π, 8) would repeat angle 0 and leave only 7 distinct centres.
    assert len(np.unique(np.round(centers, 5), axis=0)) == 8
    gaps = np.linalg.norm(centers - np.roll(centers, 1, axis=0), axis=1)
    np.testing.assert_allclose(gaps, 2 * np.sin(np.pi / 8), atol=1e-6)
    np.testing.assert_allclose(centers[0], [1.0, 0.0], atol=1e-7)


def test_ring_centres_follow_modes_and_radius():
    centers = data.ring_centers(modes=3, radius=2.0)
    assert centers.shape == (3, 2)
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 2.0, atol=1e-6)


def test_grid_has_25_centres_on_the_even_lattice():
    centers = data.grid_centers()
    assert centers.shape == (25, 2) and centers.dtype == np.float32
    expected = set(itertools.product([-4, -2, 0, 2, 4], repeat=2))
    assert {tuple(c) for c in centers.astype(int).tolist()} == expected
    np.testing.assert_array_equal(centers, np.round(centers))


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_samplers_shape_dtype_and_reproducibility(name):
    sample = SAMPLERS[name]
    a = sample(50, 7)
    assert a.shape == (50, DIMS[name]) and a.dtype == np.float32
    np.testing.assert_array_equal(a, sample(50, 7))
    assert not np.array_equal(a, sample(50, 8))


def test_gaussian_1d_moments():
    x = data.sample_gaussian_1d(20_000, seed=0, mean=2.0, std=3.0)
    assert x.mean() == pytest.approx(2.0, abs=0.1)
    assert x.std() == pytest.approx(3.0, rel=0.03)


@pytest.mark.parametrize("sampler, centers, std", [
    (data.sample_ring, data.ring_centers(), data.RING_STD),
    (data.sample_grid, data.grid_centers(), data.GRID_STD),
])
def test_toy_samples_scatter_around_centres_with_the_protocol_std(sampler, centers, std):
    x = sampler(20_000, seed=0)
    nearest = np.linalg.norm(x[:, None] - centers[None], axis=-1).argmin(axis=1)
    offsets = x - centers[nearest]
    np.testing.assert_allclose(offsets.std(axis=0), std, rtol=0.05)
    assert len(np.unique(nearest)) == len(centers)


@pytest.mark.parametrize("call, exc, name", [
    (lambda: data.sample_gaussian_1d(0, 0), ValueError, "n"),
    (lambda: data.sample_gaussian_1d(-1, 0), ValueError, "n"),
    (lambda: data.sample_gaussian_1d(2.5, 0), TypeError, "n"),
    (lambda: data.sample_gaussian_1d(True, 0), TypeError, "n"),
    (lambda: data.sample_gaussian_1d(10, 0, std=-1.0), ValueError, "std"),
    (lambda: data.sample_gaussian_1d(10, -1), ValueError, "seed"),
    (lambda: data.sample_gaussian_1d(10, None), TypeError, "seed"),
    (lambda: data.sample_ring(0, 0), ValueError, "n"),
    (lambda: data.sample_ring(10, -1), ValueError, "seed"),
    (lambda: data.sample_ring(10, 0, std=-0.1), ValueError, "std"),
    (lambda: data.sample_ring(10, 0, modes=0), ValueError, "modes"),
    (lambda: data.sample_grid(10, 0, side=2.5), TypeError, "side"),
    (lambda: data.sample_grid(10, 0, spacing=0.0), ValueError, "spacing"),
    (lambda: data.sample_swiss_roll(10, 0, noise=-1.0), ValueError, "noise"),
    (lambda: data.sample_around([[0.0, 0.0]], 2.5, 0, 0.1), TypeError, "n"),
    (lambda: data.sample_around([0.0, 0.0], 5, 0, 0.1), ValueError, "centers"),
])
def test_bad_arguments_raise_naming_the_argument(call, exc, name):
    with pytest.raises(exc, match=f"`{name}`"):
        call()


def test_load_digits():
    images, labels = data.load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8
    assert labels.shape == (1797,) and labels.dtype == np.uint8
    assert images.min() == 0 and images.max() == 16
    assert set(np.unique(labels).tolist()) == set(range(10))


def test_load_digits_rejects_a_changed_file(tmp_path):
    copy = tmp_path / "digits.npz"
    shutil.copyfile(data.DIGITS_PATH, copy)
    data.load_digits(copy)  # an unchanged copy loads
    raw = bytearray(copy.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    copy.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="SHA-256"):
        data.load_digits(copy)


def test_load_digits_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="`path`"):
        data.load_digits(tmp_path / "nope.npz")


def take(stream, k):
    """The first k batches of a stream as NumPy arrays (a tuple of arrays per batch where the stream pairs them)."""
    def as_numpy(batch):
        return tuple(np.asarray(b) for b in batch) if isinstance(batch, tuple) else np.asarray(batch)
    return [as_numpy(b) for b in itertools.islice(iter(stream), k)]


def single(batch):
    """A one-array batch: tf.data yields the array, ShuffledBatches a 1-tuple (what fit() takes as x)."""
    return batch[0] if isinstance(batch, tuple) else batch


def test_batches_yield_float32_rows_of_x():
    x = np.arange(20, dtype=np.float64).reshape(10, 2)
    rows = {tuple(r) for r in x.astype(np.float32).tolist()}
    for batch in take(data.batches(x, 4, seed=0), 5):  # past one pass: the stream repeats
        batch = single(batch)
        assert batch.shape == (4, 2) and batch.dtype == np.float32
        assert {tuple(r) for r in batch.tolist()} <= rows


def test_batches_are_seeded():
    x = np.arange(40, dtype=np.float32).reshape(20, 2)
    first = np.stack([single(b) for b in take(data.batches(x, 5, seed=3), 4)])
    again = np.stack([single(b) for b in take(data.batches(x, 5, seed=3), 4)])
    other = np.stack([single(b) for b in take(data.batches(x, 5, seed=4), 4)])
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_batches_use_tf_data_on_tensorflow_and_numpy_elsewhere():
    stream = data.batches(np.zeros((10, 2)), 5, seed=0)
    if gk.backend.name() == "tensorflow":
        import tensorflow as tf

        assert isinstance(stream, tf.data.Dataset)
    else:
        assert isinstance(stream, data.ShuffledBatches)


@pytest.mark.parametrize("batch_size, exc", [(11, ValueError), (0, ValueError), (2.0, TypeError)])
def test_batches_reject_bad_batch_size(batch_size, exc):
    with pytest.raises(exc, match="`batch_size`"):
        data.batches(np.zeros((10, 2)), batch_size, seed=0)


def test_shuffled_batches_visit_every_sample_once_per_pass_and_reshuffle():
    x = np.arange(12, dtype=np.float32)[:, None]
    stream = data.ShuffledBatches([x], 4, seed=0)
    passes = [np.concatenate([stream[3 * p + i][0][:, 0] for i in range(3)]) for p in range(3)]
    for seen in passes:
        assert sorted(seen.tolist()) == list(range(12))
    assert not np.array_equal(passes[0], passes[1])  # a new order each pass
    assert stream.num_batches is None  # endless


def test_shuffled_batches_straddle_passes_without_dropping_samples():
    x = np.arange(10, dtype=np.float32)[:, None]
    stream = data.ShuffledBatches([x], 4, seed=1)
    seen = np.concatenate([stream[i][0][:, 0] for i in range(5)])  # 20 samples: exactly two passes
    assert sorted(seen[:10].tolist()) == list(range(10)) and sorted(seen[10:].tolist()) == list(range(10))


def test_shuffled_batches_are_a_function_of_the_index():
    x = np.random.default_rng(0).normal(size=(50, 3)).astype(np.float32)
    a, b = data.ShuffledBatches([x], 8, seed=2), data.ShuffledBatches([x], 8, seed=2)
    np.testing.assert_array_equal(a[17][0], b[17][0])
    np.testing.assert_array_equal(a[3][0], a[3][0])


def test_unpaired_batches_pair_two_independent_streams():
    a = np.arange(24, dtype=np.float32).reshape(12, 2)
    b = -np.arange(40, dtype=np.float32).reshape(20, 2)
    batches = take(data.unpaired_batches(a, b, 4, seed=0), 6)
    rows_a, rows_b = {tuple(r) for r in a.tolist()}, {tuple(r) for r in b.tolist()}
    for batch_a, batch_b in batches:
        assert batch_a.shape == batch_b.shape == (4, 2) and batch_a.dtype == batch_b.dtype == np.float32
        assert {tuple(r) for r in batch_a.tolist()} <= rows_a and {tuple(r) for r in batch_b.tolist()} <= rows_b
    # b streams in its own order: not the order a's seed would give it.
    same_seed_b = take(data.batches(b, 4, seed=0), 6)
    assert not np.array_equal(np.stack([bb for _, bb in batches]), np.stack([single(x) for x in same_seed_b]))


@pytest.mark.parametrize("batch_size, exc", [(13, ValueError), (0, ValueError), (1.5, TypeError)])
def test_unpaired_batches_reject_a_batch_larger_than_either_domain(batch_size, exc):
    with pytest.raises(exc, match="`batch_size`"):
        data.unpaired_batches(np.zeros((12, 2)), np.zeros((20, 2)), batch_size, seed=0)


# --- the unpaired digit domains of lesson 06 ----------------------------------------------------------

def test_digit_style_b_halo_and_inversion_on_a_hand_made_image():
    x = np.array([[[0, 0, 0, 0],
                   [0, 16, 0, 0],
                   [0, 0, 0, 6],
                   [0, 0, 0, 2]]])
    # halo: max(x, ½·brightest of the 4 neighbours); diagonal neighbours do not count; then 16 - that.
    expected = 16 - np.array([[[0, 8, 0, 0],
                               [8, 16, 8, 3],
                               [0, 8, 3, 6],
                               [0, 0, 1, 3]]])
    out = data.digit_style_b(x)
    assert out.dtype == np.float32 and out.shape == (1, 4, 4)
    np.testing.assert_array_equal(out, expected)


def test_digit_style_b_of_a_blank_image_is_white():
    np.testing.assert_array_equal(data.digit_style_b(np.zeros((2, 8, 8))), np.full((2, 8, 8), 16.0))


def test_digits_to_unit_maps_0_to_minus_1_and_16_to_plus_1():
    out = data.digits_to_unit(np.array([[[0, 8, 16]]]))
    assert out.shape == (1, 1, 3, 1) and out.dtype == np.float32
    np.testing.assert_array_equal(out[0, 0, :, 0], [-1.0, 0.0, 1.0])


@pytest.mark.parametrize("images", [np.full((1, 8, 8), 17.0), np.full((1, 8, 8), -1.0), np.zeros((8, 8))])
@pytest.mark.parametrize("fn", [data.digit_style_b, data.digits_to_unit])
def test_digit_transforms_reject_bad_images(fn, images):
    with pytest.raises(ValueError, match="`images`"):
        fn(images)


def _to_digits(unit_images):
    """[-1, 1] (n, 8, 8, 1) -> 0..16 (n, 8, 8), the inverse of digits_to_unit."""
    return (unit_images[..., 0] + 1.0) * 8.0


def _sorted_rows(images):
    flat = np.round(np.asarray(images).reshape(len(images), -1), 4)
    return flat[np.lexsort(flat.T[::-1])]


def test_digit_domains_shapes_ranges_and_sizes():
    d = data.digit_domains(seed=0)
    n_a, n_b = len(d["a_train"]) + len(d["a_test"]), len(d["b_train"]) + len(d["b_test"])
    assert n_a + n_b == 1797 and abs(n_a - n_b) <= 1
    assert len(d["a_test"]) + len(d["b_test"]) == round(0.2 * 1797)
    for name in ("a_train", "b_train", "a_test", "b_test", "a_test_as_b", "b_test_as_a"):
        assert d[name].shape[1:] == (8, 8, 1) and d[name].dtype == np.float32
        assert d[name].min() >= -1.0 and d[name].max() <= 1.0
    for name in ("a_train", "b_train", "a_test", "b_test"):
        assert d[name + "_labels"].shape == (len(d[name]),)
    assert d["a_test_as_b"].shape == d["a_test"].shape and d["b_test_as_a"].shape == d["b_test"].shape


def test_digit_domains_use_each_digit_once_a_as_is_and_b_in_style_b():
    """Every shipped image lands in exactly one domain: styling A's images and adding B's gives the styled set."""
    d = data.digit_domains(seed=3)
    images, labels = data.load_digits()
    a = np.concatenate([_to_digits(d["a_train"]), _to_digits(d["a_test"])])
    b = np.concatenate([d["b_train"], d["b_test"]])
    everything = np.concatenate([data.digits_to_unit(data.digit_style_b(a)), b])
    np.testing.assert_allclose(_sorted_rows(everything), _sorted_rows(data.digits_to_unit(data.digit_style_b(images))))
    all_labels = np.concatenate([d[k + "_labels"] for k in ("a_train", "a_test", "b_train", "b_test")])
    np.testing.assert_array_equal(np.bincount(all_labels), np.bincount(labels))


def test_digit_domains_true_versions_are_the_style_map_of_the_test_images():
    d = data.digit_domains(seed=1)
    np.testing.assert_allclose(d["a_test_as_b"], data.digits_to_unit(data.digit_style_b(_to_digits(d["a_test"]))),
                               atol=1e-6)
    np.testing.assert_allclose(data.digits_to_unit(data.digit_style_b(_to_digits(d["b_test_as_a"]))), d["b_test"],
                               atol=1e-6)
    # A is light ink on a dark background, B dark ink on a light one: the corner pixels tell them apart.
    assert d["a_train"][:, 0, 0].mean() < -0.9 and d["b_train"][:, 0, 0].mean() > 0.9


def test_digit_domains_are_seeded():
    first, again, other = data.digit_domains(seed=5), data.digit_domains(seed=5), data.digit_domains(seed=6)
    for name in first:
        np.testing.assert_array_equal(first[name], again[name])
    assert not np.array_equal(first["a_train_labels"], other["a_train_labels"])


def test_digit_domains_test_fraction():
    d = data.digit_domains(seed=0, test_fraction=0.5)
    assert len(d["a_test"]) + len(d["b_test"]) == round(0.5 * 1797)


@pytest.mark.parametrize("kwargs, exc, name", [
    ({"seed": -1}, ValueError, "seed"),
    ({"seed": 1.5}, TypeError, "seed"),
    ({"seed": 0, "test_fraction": 0.0}, ValueError, "test_fraction"),
    ({"seed": 0, "test_fraction": 1.0}, ValueError, "test_fraction"),
    ({"seed": 0, "test_fraction": 1e-4}, ValueError, "test_fraction"),
    ({"seed": 0, "test_fraction": 0.9995}, ValueError, "test_fraction"),
    ({"seed": 0, "test_fraction": "0.2"}, TypeError, "test_fraction"),
])
def test_digit_domains_reject_bad_arguments(kwargs, exc, name):
    with pytest.raises(exc, match=f"`{name}`"):
        data.digit_domains(**kwargs)
