"""gan_keras.losses against closed forms computed with NumPy."""

import math

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import keras
import numpy as np
import pytest

from gan_keras import losses

REAL_LOGITS = np.array([[-2.0], [-0.5], [0.0], [1.5], [3.0]], dtype=np.float32)
FAKE_LOGITS = np.array([[-3.0], [-1.0], [0.25], [2.0]], dtype=np.float32)


def sigmoid(t):
    return 1.0 / (1.0 + np.exp(-t.astype(np.float64)))


def value(x):
    return float(keras.ops.convert_to_numpy(x))


def test_discriminator_loss_is_the_cross_entropy():
    expected = -np.mean(np.log(sigmoid(REAL_LOGITS))) - np.mean(np.log(1 - sigmoid(FAKE_LOGITS)))
    assert value(losses.discriminator_loss(REAL_LOGITS, FAKE_LOGITS)) == pytest.approx(expected, rel=1e-5)


def test_discriminator_loss_at_zero_logits_is_2_log_2():
    zeros = np.zeros((6, 1), dtype=np.float32)
    assert value(losses.discriminator_loss(zeros, zeros)) == pytest.approx(2 * math.log(2), rel=1e-6)


def test_saturating_generator_loss_is_log_one_minus_d():
    expected = np.mean(np.log(1 - sigmoid(FAKE_LOGITS)))
    assert value(losses.saturating_generator_loss(FAKE_LOGITS)) == pytest.approx(expected, rel=1e-5)


def test_non_saturating_generator_loss_is_minus_log_d():
    expected = -np.mean(np.log(sigmoid(FAKE_LOGITS)))
    assert value(losses.non_saturating_generator_loss(FAKE_LOGITS)) == pytest.approx(expected, rel=1e-5)


def test_losses_stay_finite_for_large_logits():
    big = np.array([[-200.0], [200.0]], dtype=np.float32)
    assert math.isfinite(value(losses.discriminator_loss(big, big)))
    assert value(losses.non_saturating_generator_loss(big)) == pytest.approx(100.0)


def test_lsgan_losses():
    real = np.array([1.0, 0.0], dtype=np.float32)
    fake = np.array([0.0, 1.0], dtype=np.float32)
    # ½·mean([0, 1]) + ½·mean([0, 1])
    assert value(losses.lsgan_discriminator_loss(real, fake)) == pytest.approx(0.5)
    assert value(losses.lsgan_discriminator_loss(np.ones(3, np.float32), np.zeros(3, np.float32))) == 0.0
    # mean([(1-1)², (3-1)²])
    assert value(losses.lsgan_generator_loss(np.array([1.0, 3.0], dtype=np.float32))) == pytest.approx(2.0)


def test_wasserstein_losses():
    real = np.array([1.0, 2.0, 3.0], dtype=np.float32)
    fake = np.array([0.0, 0.0, 3.0], dtype=np.float32)
    assert value(losses.wasserstein_critic_loss(real, fake)) == pytest.approx(1.0 - 2.0)
    assert value(losses.wasserstein_generator_loss(fake)) == pytest.approx(-1.0)


def test_cycle_and_identity_losses_are_mean_absolute_errors():
    a = np.array([[0.0, 1.0], [2.0, 3.0]], dtype=np.float32)
    b = np.array([[0.0, 2.0], [2.0, 0.0]], dtype=np.float32)  # |diff| = 0, 1, 0, 3
    assert value(losses.cycle_loss(a, b)) == pytest.approx(1.0)
    assert value(losses.identity_loss(a, b)) == pytest.approx(1.0)
    assert value(losses.cycle_loss(a, a)) == 0.0


def test_generator_loss_by_name():
    assert losses.generator_loss("saturating") is losses.saturating_generator_loss
    assert losses.generator_loss("non_saturating") is losses.non_saturating_generator_loss
    with pytest.raises(ValueError, match="`g_loss`"):
        losses.generator_loss("bogus")


def unit_dense_critic():
    critic = keras.layers.Dense(1)
    critic.build((None, 2))
    critic.set_weights([np.array([[0.6], [0.8]], dtype=np.float32), np.array([0.3], dtype=np.float32)])
    return critic


def batch(seed, n=16):
    return np.random.default_rng(seed).normal(size=(n, 2)).astype(np.float32)


def test_gradient_penalty_vanishes_for_a_1_lipschitz_dense_critic():
    penalty, norms = losses.gradient_penalty(unit_dense_critic(), batch(0), batch(1), seed=0)
    assert value(penalty) <= 1e-6
    np.testing.assert_allclose(keras.ops.convert_to_numpy(norms), 1.0, atol=1e-6)
    assert tuple(norms.shape) == (16,)


def test_gradient_penalty_of_a_3_lipschitz_linear_critic_is_4():
    w = np.array([[1.8], [2.4]], dtype=np.float32)  # ‖w‖ = 3
    penalty, norms = losses.gradient_penalty(lambda x: keras.ops.matmul(x, w), batch(0), batch(1), seed=0)
    assert value(penalty) == pytest.approx(4.0, rel=1e-5)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(norms), 3.0, rtol=1e-6)


def test_gradient_penalty_flattens_image_shaped_inputs():
    real = np.random.default_rng(0).normal(size=(4, 3, 3, 1)).astype(np.float32)
    w = np.zeros((9, 1), dtype=np.float32)
    w[0, 0] = 1.0
    critic = lambda x: keras.ops.matmul(keras.ops.reshape(x, (-1, 9)), w)  # noqa: E731
    penalty, norms = losses.gradient_penalty(critic, real, real[::-1].copy(), seed=1)
    assert value(penalty) <= 1e-6 and tuple(norms.shape) == (4,)


def test_gradient_penalty_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        losses.gradient_penalty(unit_dense_critic(), batch(0, n=8), batch(1, n=4))


def test_r1_penalty_of_a_linear_discriminator_is_the_squared_weight_norm():
    w = np.array([[1.8], [2.4]], dtype=np.float32)
    assert value(losses.r1_penalty(lambda x: keras.ops.matmul(x, w), batch(0))) == pytest.approx(9.0, rel=1e-5)
