"""gan_keras.engine: the logging contract every trainer follows, a trainer written on the engine, siblings alike."""

import inspect

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import keras
import numpy as np
import pytest
from keras import ops

from gan_keras import losses
from gan_keras.engine import LatentGenerator, TwoPlayerModel

LATENT = 3
SHAPE = (8, 8, 1)


def nets():
    return gk.models.mlp(LATENT, 2, hidden=(8,)), gk.models.mlp(2, 1, hidden=(8,))


def adam():
    return keras.optimizers.Adam(1e-3, beta_1=0.5)


def ring_stream(batch=32):
    return gk.data.batches(gk.data.sample_ring(512, seed=0), batch, seed=0)


def cyclegan():
    nets_ = [gk.models.cyclegan_generator(SHAPE, filters=4, res_blocks=1) for _ in "GF"]
    nets_ += [gk.models.patchgan_discriminator(SHAPE, filters=4) for _ in "AB"]
    return gk.cyclegan.CycleGAN(*nets_, identity_weight=1.0, seed=0)


def images(n, seed):
    return np.random.default_rng(seed).uniform(-1, 1, (n,) + SHAPE).astype(np.float32)


REAL = gk.data.sample_ring(16, seed=1)
Z = np.random.default_rng(2).normal(size=(16, LATENT)).astype(np.float32)
A, B = images(4, 0), images(4, 1)
# (trainer, {loss method: its arguments}) for every trainer of the package
LOSS_METHODS = {
    "GAN": (lambda: gk.gan.GAN(*nets(), latent_dim=LATENT, r1_weight=1.0, seed=0),
            {"discriminator_loss": (REAL, Z), "generator_loss": (Z,)}),
    "WGAN": (lambda: gk.wgan.WGAN(*nets(), latent_dim=LATENT, seed=0),
             {"discriminator_loss": (REAL, Z), "generator_loss": (Z,)}),
    "WGANGP": (lambda: gk.wgan.WGANGP(*nets(), latent_dim=LATENT, seed=0),
               {"discriminator_loss": (REAL, Z), "generator_loss": (Z,)}),
    "CycleGAN": (cyclegan, {"discriminator_loss": (A, B, B, A), "generator_loss": (A, B)}),
    "SingleLossGAN": (lambda: gk.single_loss.SingleLossGAN(*nets(), latent_dim=LATENT, r1_weight=1.0, seed=0),
                      {"single_loss": (REAL, Z)}),
}


@pytest.mark.parametrize("name", sorted(LOSS_METHODS))
def test_every_loss_method_returns_loss_and_logs_named_as_the_trackers(name):
    make, methods = LOSS_METHODS[name]
    model = make()
    tracked = [t.name for t in model.metrics]
    logged = set()
    for method, args in methods.items():
        assert inspect.signature(getattr(model, method)).parameters["training"].default is True, method
        loss, logs = getattr(model, method)(*args)
        assert ops.convert_to_numpy(loss).shape == () and isinstance(logs, dict)
        assert set(logs) <= set(tracked), (method, set(logs), tracked)
        assert all(ops.convert_to_numpy(v).shape == () for v in logs.values())
        logged |= set(logs)
    assert logged == set(tracked)  # every tracker is fed by some loss method


@pytest.mark.parametrize("cls", [gk.gan.GAN, gk.wgan.WGAN, gk.wgan.WGANGP, gk.cyclegan.CycleGAN])
def test_two_player_trainers_compile_alike_with_named_optimizers(cls):
    parameters = inspect.signature(cls.compile).parameters
    assert parameters["d_optimizer"].kind is inspect.Parameter.KEYWORD_ONLY
    assert parameters["g_optimizer"].kind is inspect.Parameter.KEYWORD_ONLY


class TinyGAN(LatentGenerator, TwoPlayerModel):
    """The trainer of gan_keras.engine's docstring, written on the engine: the vanilla GAN with k = 1."""

    def __init__(self, generator, discriminator, latent_dim, seed=None):
        super().__init__(generator, latent_dim, seed=seed)
        self.discriminator = discriminator
        self.track("d_loss", "g_loss")

    @property
    def discriminators(self):
        return (self.discriminator,)

    def discriminator_loss(self, real, z, training=True):
        fake = ops.stop_gradient(self.generator(z, training=training))
        loss = losses.discriminator_loss(self.discriminator(real, training=training),
                                         self.discriminator(fake, training=training))
        return loss, {"d_loss": loss}

    def generator_loss(self, z, training=True):
        loss = losses.non_saturating_generator_loss(self.discriminator(self.generator(z, training=training),
                                                                       training=training))
        return loss, {"g_loss": loss}

    def adversarial_step(self, data):
        real, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        return self.alternate(real, 1)


class OwnTrackers(TwoPlayerModel):
    """Lesson 02's hand-written trainer: players as instance attributes, trackers of its own, results returned."""

    def __init__(self, generator, discriminator, seed=None):
        super().__init__()
        self.generator, self.discriminator = generator, discriminator
        self.generators, self.discriminators = (generator,), (discriminator,)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def adversarial_step(self, data):
        real, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        G, D = self.generator, self.discriminator
        z = keras.random.normal((ops.shape(real)[0], LATENT), seed=self.seed_generator)
        d_loss = self.descend(self.d_optimizer, lambda: losses.discriminator_loss(
            D(real, training=True), D(ops.stop_gradient(G(z, training=True)), training=True)), self.d_variables())
        z = keras.random.normal((ops.shape(real)[0], LATENT), seed=self.seed_generator)
        g_loss = self.descend(self.g_optimizer, lambda: losses.non_saturating_generator_loss(
            D(G(z, training=True), training=True)), self.g_variables())
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {m.name: m.result() for m in self.metrics}


def fitted(cls):
    keras.utils.set_random_seed(0)
    G, D = nets()
    model = cls(G, D, latent_dim=LATENT, seed=0) if cls is not OwnTrackers else cls(G, D, seed=0)
    model.compile(d_optimizer=adam(), g_optimizer=adam())
    history = model.fit(ring_stream(), epochs=2, steps_per_epoch=3, verbose=0).history
    return history, [ops.convert_to_numpy(w) for w in G.weights + D.weights]


def test_a_trainer_written_on_the_engine_and_one_with_its_own_trackers_match_the_packaged_gan():
    reference_history, reference_weights = fitted(gk.gan.GAN)
    assert list(reference_history) == ["d_loss", "g_loss"]
    for cls in (TinyGAN, OwnTrackers):
        history, weights = fitted(cls)
        assert list(history) == ["d_loss", "g_loss"]
        for key in history:  # per-epoch means, each step counted once
            np.testing.assert_allclose(history[key], reference_history[key], rtol=1e-6)
        for ours, theirs in zip(weights, reference_weights):
            np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)
