"""gan_keras.gan.GAN: argument checks, a short fit on the ring, generate(), stopping on NaN."""

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import keras
import numpy as np
import pytest

from gan_keras.gan import GAN

# pytest resets warning filters per test; gan_keras silences this Keras notice for notebooks only.
pytestmark = pytest.mark.filterwarnings("ignore:`shuffle=True` was passed:UserWarning")

LATENT = 3  # differs from the data's 2 dimensions, so a mix-up of z and x would fail


def nets(d_activation="relu"):
    generator = gk.models.mlp(LATENT, 2, hidden=(16,))
    discriminator = gk.models.mlp(2, 1, hidden=(16,), activation=d_activation)
    return generator, discriminator


def adam():
    return keras.optimizers.Adam(1e-3, beta_1=0.5)


def ring_stream(batch=32):
    return gk.data.batches(gk.data.sample_ring(512, seed=0), batch, seed=0)


def compiled_gan(**kwargs):
    gan = GAN(*nets(), latent_dim=LATENT, seed=0, **kwargs)
    gan.compile(d_optimizer=adam(), g_optimizer=adam())
    return gan


@pytest.mark.parametrize("kwargs, exc, name", [
    ({"generator": lambda z: z}, TypeError, "generator"),
    ({"generator": keras.layers.Dense(2)}, TypeError, "generator"),
    ({"discriminator": "D"}, TypeError, "discriminator"),
    ({"latent_dim": 0}, ValueError, "latent_dim"),
    ({"d_steps": 0}, ValueError, "d_steps"),
    ({"d_steps": 1.0}, TypeError, "d_steps"),
    ({"r1_weight": -1.0}, ValueError, "r1_weight"),
    ({"latent": "gaussian"}, ValueError, "latent"),
])
def test_constructor_checks_name_the_argument(kwargs, exc, name):
    generator, discriminator = nets()
    args = {"generator": generator, "discriminator": discriminator, "latent_dim": LATENT, **kwargs}
    with pytest.raises(exc, match=f"`{name}`"):
        GAN(**args)


@pytest.mark.parametrize("kwargs, exc, name", [
    ({"d_optimizer": "adam"}, TypeError, "d_optimizer"),
    ({"g_optimizer": None}, TypeError, "g_optimizer"),
    ({"g_loss": "x"}, ValueError, "g_loss"),
])
def test_compile_checks_name_the_argument(kwargs, exc, name):
    gan = GAN(*nets(), latent_dim=LATENT)
    args = {"d_optimizer": adam(), "g_optimizer": adam(), **kwargs}
    with pytest.raises(exc, match=f"`{name}`"):
        gan.compile(**args)


def test_compile_picks_the_generator_loss():
    gan = GAN(*nets(), latent_dim=LATENT)
    gan.compile(d_optimizer=adam(), g_optimizer=adam(), g_loss="saturating")
    assert gan.g_loss_fn is gk.losses.saturating_generator_loss


def test_fit_counts_d_steps_per_generator_step():
    gan = compiled_gan(d_steps=2)
    history = gan.fit(ring_stream(), epochs=2, steps_per_epoch=30, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss"}
    assert len(history.history["d_loss"]) == 2
    assert np.all(np.isfinite(history.history["d_loss"] + history.history["g_loss"]))
    assert int(gan.g_optimizer.iterations.numpy()) == 60
    assert int(gan.d_optimizer.iterations.numpy()) == 2 * 60


def test_fit_with_r1_penalty_and_steps_per_execution():
    gan = GAN(*nets(), latent_dim=LATENT, r1_weight=10.0, seed=0)
    gan.compile(d_optimizer=adam(), g_optimizer=adam(), steps_per_execution=gk.backend.steps_per_execution(3))
    history = gan.fit(ring_stream(), epochs=1, steps_per_epoch=6, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])
    assert int(gan.g_optimizer.iterations.numpy()) == 6


def test_generate_shape_and_determinism():
    gan = compiled_gan()
    samples = gan.generate(7, seed=5)
    assert samples.shape == (7, 2) and samples.dtype == np.float32
    np.testing.assert_array_equal(samples, gan.generate(7, seed=5))
    assert not np.array_equal(samples, gan.generate(7, seed=6))
    with pytest.raises(ValueError, match="`n`"):
        gan.generate(0)


def test_uniform_latent_lies_in_the_unit_cube():
    gan = GAN(*nets(), latent_dim=LATENT, latent="uniform")
    z = keras.ops.convert_to_numpy(gan.sample_latent(100, seed=0))
    assert z.shape == (100, LATENT)
    assert z.min() >= 0.0 and z.max() <= 1.0


class TimesNaN(keras.layers.Layer):
    def call(self, x):
        return x * float("nan")


def test_nan_loss_stops_fit(capsys):
    generator = keras.Sequential([keras.Input((LATENT,)), keras.layers.Dense(2), TimesNaN()])
    # A tanh D passes the NaN on to the losses (a ReLU layer can turn NaN inputs into 0).
    _, discriminator = nets(d_activation="tanh")
    gan = GAN(generator, discriminator, latent_dim=LATENT, seed=0)
    gan.compile(d_optimizer=adam(), g_optimizer=adam())
    history = gan.fit(ring_stream(), epochs=5, steps_per_epoch=3, verbose=0)
    assert len(history.history["d_loss"]) < 5
    assert "stopped" in capsys.readouterr().out


def test_nan_behind_relu_stops_fit_in_the_first_epoch(capsys):
    # With a ReLU D the NaN fakes may vanish from the losses (a fused Dense+ReLU kernel maps NaN to 0 on
    # some CPUs, not on others) while D's weights turn NaN. Either way fit() must stop, with a message,
    # within the first epoch: at a batch (a NaN loss) or at the epoch's end (a NaN weight).
    generator = keras.Sequential([keras.Input((LATENT,)), keras.layers.Dense(2), TimesNaN()])
    _, discriminator = nets()
    gan = GAN(generator, discriminator, latent_dim=LATENT, seed=0)
    gan.compile(d_optimizer=adam(), g_optimizer=adam())
    history = gan.fit(ring_stream(), epochs=5, steps_per_epoch=3, verbose=0)
    out = capsys.readouterr().out
    assert len(history.history["d_loss"]) == 1
    assert "Training stopped at generator step" in out
    assert "is not finite" in out or "= nan" in out


# --- both optimizers under fit() -------------------------------------------------------------------------

def test_compile_hands_fit_one_multioptimizer_over_both_players():
    gan = compiled_gan()
    assert isinstance(gan.optimizer, keras.optimizers.MultiOptimizer)
    assert gan.optimizer.optimizers == [gan.d_optimizer, gan.g_optimizer]
    held = {id(v) for v in gan.optimizer.variables}
    assert all(id(v) in held for v in gan.d_optimizer.variables + gan.g_optimizer.variables)


def test_compile_refuses_one_optimizer_for_both_players():
    gan = GAN(*nets(), latent_dim=LATENT)
    shared = adam()
    with pytest.raises(ValueError, match="`g_optimizer`"):
        gan.compile(d_optimizer=shared, g_optimizer=shared)


def test_fit_copies_a_players_moving_average_into_its_weights():
    # Keras starts the average at the weights after the first step; with momentum ~1 it stays there. So once
    # fit() finalizes the optimizers, G holds its weights after step 1 of 5, while D (no EMA) has moved on.
    def fitted(steps, use_ema):
        keras.utils.set_random_seed(0)
        gan = GAN(*nets(), latent_dim=LATENT, seed=0)
        gan.compile(d_optimizer=adam(), g_optimizer=keras.optimizers.Adam(1e-2, use_ema=use_ema, ema_momentum=1 - 1e-9))
        gan.fit(ring_stream(), epochs=1, steps_per_epoch=steps, verbose=0)
        return [keras.ops.convert_to_numpy(v) for v in gan.generator.trainable_variables]

    averaged, after_one_step, plain = fitted(5, True), fitted(1, False), fitted(5, False)
    for a, b in zip(averaged, after_one_step):
        np.testing.assert_allclose(a, b, atol=1e-6)
    assert any(not np.allclose(a, b, atol=1e-3) for a, b in zip(averaged, plain))


def test_snapshots_mid_epoch_see_the_weights_of_that_step():
    """A snapshot at step 4 of an 8-step epoch equals the samples of the same model fitted for 4 steps: callbacks
    read current weights mid-epoch on every backend (on JAX, fit() keeps them outside the variables)."""
    def fitted(steps, callbacks=()):
        keras.utils.set_random_seed(0)
        gan = compiled_gan()
        gan.fit(ring_stream(), epochs=1, steps_per_epoch=steps, verbose=0, callbacks=list(callbacks))
        return gan

    snaps = gk.callbacks.Snapshots(every=4, fn=lambda m: m.generate(16, seed=1))
    fitted(8, [snaps])
    assert snaps.steps == [0, 4, 8]
    np.testing.assert_allclose(snaps.values[1], fitted(4).generate(16, seed=1), rtol=1e-5, atol=1e-6)
    assert not np.allclose(snaps.values[1], snaps.values[2])
