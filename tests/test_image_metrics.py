"""gan_keras.metrics' image-generator scores: the Fréchet distance and nearest-neighbour distances."""

import numpy as np
import pytest

from gan_keras.metrics import frechet_distance, nearest_distances


def test_frechet_distance_of_a_set_with_itself_is_zero_and_of_a_shift_its_squared_length():
    a = np.random.default_rng(0).normal(size=(300, 5))
    assert abs(frechet_distance(a, a)) < 1e-8
    shift = np.array([1.0, -2.0, 0.0, 0.5, 0.0])
    assert frechet_distance(a, a + shift) == pytest.approx(float(shift @ shift), rel=1e-8)


def test_frechet_distance_of_scaled_sets_is_the_gaussian_formula():
    # Same mean, covariance Σ and 4Σ: tr(Σ + 4Σ - 2·2Σ) = tr(Σ).
    a = np.random.default_rng(1).normal(size=(500, 3)) @ np.array([[1.0, 0.3, 0.0], [0.0, 1.0, 0.2], [0.0, 0.0, 2.0]])
    a -= a.mean(axis=0)
    assert frechet_distance(a, 2.0 * a) == pytest.approx(np.trace(np.cov(a, rowvar=False)), rel=1e-6)


def test_frechet_distance_matches_diagonal_gaussians_by_hand():
    # Exact sample moments: points ±σ along each axis around μ (np.cov's n - 1 scaled away).
    def sample(mean, variances):
        d = len(mean)
        points = np.concatenate([np.eye(d), -np.eye(d)]) * np.sqrt(np.asarray(variances) * (2 * d - 1) / 2)
        return points + np.asarray(mean)
    a, b = sample([0.0, 0.0], [1.0, 4.0]), sample([1.0, 2.0], [4.0, 1.0])
    assert frechet_distance(a, b) == pytest.approx(5.0 + (1 + 4 - 4) + (4 + 1 - 4), rel=1e-9)


def test_frechet_distance_checks_its_arguments():
    with pytest.raises(ValueError, match="`b`"):
        frechet_distance(np.zeros((5, 3)), np.zeros((5, 2)))
    with pytest.raises(ValueError, match="`a`"):
        frechet_distance(np.zeros((1, 3)), np.zeros((5, 3)))


def test_nearest_distances_find_the_nearest_row_and_flatten_images():
    b = np.array([[0.0, 0.0], [3.0, 4.0]])
    np.testing.assert_allclose(nearest_distances(np.array([[0.0, 1.0], [3.0, 4.0], [6.0, 8.0]]), b), [1.0, 0.0, 5.0])
    images = np.random.default_rng(2).uniform(-1, 1, (4, 8, 8, 1))
    np.testing.assert_allclose(nearest_distances(images, images), 0.0, atol=1e-6)
    with pytest.raises(ValueError, match="`a` and `b`"):
        nearest_distances(np.zeros((2, 8, 8, 1)), np.zeros((2, 64)))
