"""gan_keras.wgan: argument checks, clipping, the gradient penalty on known critics, n_critic, short fits."""

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import keras
import numpy as np
import pytest

from gan_keras.wgan import WGAN, WGANGP

LATENT = 3  # differs from the data's 2 dimensions, so a mix-up of z and x would fail
CLIP = 0.01


def nets():
    return gk.models.mlp(LATENT, 2, hidden=(16,)), gk.models.mlp(2, 1, hidden=(16,))


def adam():
    return keras.optimizers.Adam(1e-3, beta_1=0.5, beta_2=0.9)


def ring_stream(batch=32):
    return gk.data.batches(gk.data.sample_ring(512, seed=0), batch, seed=0)


def linear_critic(kernel):
    """f(x) = x·kernel with zero bias, a Lipschitz-‖kernel‖ critic."""
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    critic.set_weights([np.asarray(kernel, np.float32).reshape(2, 1), np.zeros(1, np.float32)])
    return critic


def batch(seed, n=16):
    return np.random.default_rng(seed).normal(size=(n, 2)).astype(np.float32)


def value(x):
    return float(keras.ops.convert_to_numpy(x))


def critic_weights(model):
    return np.concatenate([np.ravel(w) for w in model.critic.get_weights()])


@pytest.mark.parametrize("cls, kwargs, exc, name", [
    (WGAN, {"generator": "G"}, TypeError, "generator"),
    (WGAN, {"critic": lambda x: x}, TypeError, "critic"),
    (WGAN, {"latent_dim": 0}, ValueError, "latent_dim"),
    (WGAN, {"n_critic": 0}, ValueError, "n_critic"),
    (WGAN, {"n_critic": 2.0}, TypeError, "n_critic"),
    (WGAN, {"clip_value": -0.01}, ValueError, "clip_value"),
    (WGAN, {"clip_value": 0.0}, ValueError, "clip_value"),
    (WGAN, {"clip_value": "0.01"}, TypeError, "clip_value"),
    (WGANGP, {"n_critic": 0}, ValueError, "n_critic"),
    (WGANGP, {"gp_weight": -1.0}, ValueError, "gp_weight"),
    (WGANGP, {"critic": keras.layers.Dense(1)}, TypeError, "critic"),
])
def test_constructor_checks_name_the_argument(cls, kwargs, exc, name):
    generator, critic = nets()
    args = {"generator": generator, "critic": critic, "latent_dim": LATENT, **kwargs}
    with pytest.raises(exc, match=f"`{name}`"):
        cls(**args)


@pytest.mark.parametrize("kwargs, name", [({"d_optimizer": "rmsprop"}, "d_optimizer"), ({"g_optimizer": None}, "g_optimizer")])
def test_compile_checks_name_the_argument(kwargs, name):
    wgan = WGAN(*nets(), latent_dim=LATENT)
    with pytest.raises(TypeError, match=f"`{name}`"):
        wgan.compile(**{"d_optimizer": adam(), "g_optimizer": adam(), **kwargs})


def test_clipping_keeps_every_critic_weight_within_c():
    wgan = WGAN(*nets(), latent_dim=LATENT, n_critic=2, clip_value=CLIP, seed=0)
    wgan.compile(d_optimizer=adam(), g_optimizer=adam())
    assert np.abs(critic_weights(wgan)).max() > CLIP  # Glorot's start lies far outside: the test bites
    history = wgan.fit(ring_stream(), epochs=1, steps_per_epoch=2, verbose=0)
    weights = critic_weights(wgan)
    assert np.abs(weights).max() <= CLIP
    assert np.mean(np.abs(weights) == np.float32(CLIP)) > 0.25  # clipping acted: many sit exactly at ±c
    assert set(history.history) == {"d_loss", "g_loss", "w_estimate"}
    assert np.all(np.isfinite([v[0] for v in history.history.values()]))


def test_no_clip_value_leaves_the_critic_unconstrained():
    wgan = WGAN(*nets(), latent_dim=LATENT, n_critic=2, clip_value=None, seed=0)
    wgan.compile(d_optimizer=adam(), g_optimizer=adam())
    wgan.fit(ring_stream(), epochs=1, steps_per_epoch=2, verbose=0)
    assert np.abs(critic_weights(wgan)).max() > 10 * CLIP


def test_wgan_d_loss_is_minus_the_w_estimate():
    wgan = WGAN(*nets(), latent_dim=LATENT, n_critic=1, seed=0)
    wgan.compile(d_optimizer=adam(), g_optimizer=adam(), jit_compile=False)
    logs = wgan.fit(ring_stream(), epochs=1, steps_per_epoch=1, verbose=0).history
    assert logs["d_loss"][0] == pytest.approx(-logs["w_estimate"][0], rel=1e-6)


@pytest.mark.parametrize("cls", [WGAN, WGANGP])
def test_fit_counts_n_critic_steps_per_generator_step(cls):
    model = cls(*nets(), latent_dim=LATENT, n_critic=3, seed=0)
    model.compile(d_optimizer=adam(), g_optimizer=adam())
    model.fit(ring_stream(), epochs=1, steps_per_epoch=4, verbose=0)
    assert int(model.g_optimizer.iterations.numpy()) == 4
    assert int(model.d_optimizer.iterations.numpy()) == 3 * 4


def test_gradient_penalty_is_zero_for_a_1_lipschitz_linear_critic_and_positive_at_norm_3():
    unit, _ = gk.losses.gradient_penalty(linear_critic([0.6, 0.8]), batch(0), batch(1), seed=0)
    steep, norms = gk.losses.gradient_penalty(linear_critic([1.8, 2.4]), batch(0), batch(1), seed=0)
    assert value(unit) <= 1e-6
    assert value(steep) == pytest.approx(4.0, rel=1e-5)  # (3 - 1)²
    np.testing.assert_allclose(keras.ops.convert_to_numpy(norms), 3.0, rtol=1e-5)


def test_wgangp_critic_penalty_is_gp_weight_times_the_gradient_penalty():
    generator, _ = nets()
    steep = WGANGP(generator, linear_critic([1.8, 2.4]), latent_dim=LATENT, gp_weight=10.0, seed=0)
    assert value(steep.penalty(batch(0), batch(1))[0]) == pytest.approx(40.0, rel=1e-5)
    unit = WGANGP(generator, linear_critic([0.6, 0.8]), latent_dim=LATENT, seed=0)
    assert value(unit.penalty(batch(0), batch(1))[0]) <= 1e-5
    assert value(WGAN(generator, linear_critic([1.8, 2.4]), latent_dim=LATENT).penalty(batch(0), batch(1))[0]) == 0


def test_wgangp_fit_logs_finite_losses_and_gradient_norms_without_clipping():
    wgan = WGANGP(*nets(), latent_dim=LATENT, n_critic=2, seed=0)
    assert wgan.clip_value is None
    wgan.compile(d_optimizer=adam(), g_optimizer=adam())
    history = wgan.fit(ring_stream(), epochs=1, steps_per_epoch=3, verbose=0).history
    assert set(history) == {"d_loss", "g_loss", "w_estimate", "grad_norm"}
    assert np.all(np.isfinite([v[0] for v in history.values()]))
    assert history["grad_norm"][0] > 0
    assert np.abs(critic_weights(wgan)).max() > CLIP
