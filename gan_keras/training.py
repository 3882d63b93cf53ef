"""GAN trainers as keras.Model subclasses: ``compile(d_optimizer=..., g_optimizer=...)`` then ``fit()``.

The gradient steps are the only place in the package that uses TensorFlow directly
(``tf.GradientTape``); everything else goes through ``keras.ops`` and ``keras.random``.
"""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from . import losses
from ._checks import one_of, positive_float, positive_int
from .callbacks import StopOnNaN

LATENTS = {"normal", "uniform"}


def _check_model(name, value):
    if not isinstance(value, keras.Model):
        raise TypeError(f"`{name}` must be a keras.Model, got {type(value).__name__}.")
    return value


def _check_optimizer(name, value):
    if not isinstance(value, keras.optimizers.Optimizer):
        raise TypeError(f"`{name}` must be a keras.optimizers.Optimizer, got {type(value).__name__}.")
    return value


class Trainer(keras.Model):
    """A keras.Model trained by its own ``train_step`` with several optimizers; ``fit()`` stops on NaN.

    Subclasses list their optimizers in :meth:`optimized_networks`, so that after ``fit()`` those made
    with ``use_ema=True`` copy their moving averages into the weights, as Keras does for ``model.optimizer``.
    """

    def optimized_networks(self):
        """[(optimizer, (network, ...))]: each optimizer with the networks whose weights it updates."""
        raise NotImplementedError

    def fit(self, *args, callbacks=None, **kwargs):
        """keras.Model.fit, with :class:`StopOnNaN` added unless one is given."""
        callbacks = list(callbacks or [])
        if not any(isinstance(c, StopOnNaN) for c in callbacks):
            callbacks.append(StopOnNaN())
        history = super().fit(*args, callbacks=callbacks, **kwargs)
        for optimizer, networks in self.optimized_networks():
            optimizer.finalize_variable_values([v for network in networks for v in network.trainable_variables])
        return history


class AdversarialModel(Trainer):
    """What every trainer here shares: a generator G, a latent sampler, and ``fit()`` that stops on NaN.

    Args:
        generator: keras.Model, (batch, latent_dim) -> samples.
        latent_dim: int >= 1, size of z.
        latent: 'normal' (z ~ N(0, I)) or 'uniform' (z ~ U[0, 1]^d).
        seed: int or None, for the latent noise drawn inside the train step.
    """

    def __init__(self, generator, latent_dim, latent="normal", seed=None, **kwargs):
        super().__init__(**kwargs)
        self.generator = _check_model("generator", generator)
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.latent = one_of("latent", latent, LATENTS)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def sample_latent(self, n, seed=None):
        """z of shape (n, latent_dim), from the model's own seed generator unless ``seed`` is given."""
        seed = self.seed_generator if seed is None else seed
        if self.latent == "uniform":
            return keras.random.uniform((n, self.latent_dim), seed=seed)
        return keras.random.normal((n, self.latent_dim), seed=seed)

    def call(self, z, training=False):
        return self.generator(z, training=training)

    def generate(self, n, seed=0, batch_size=4096):
        """n samples of G as a NumPy array, from fixed noise (``seed``) so snapshots are comparable."""
        n = positive_int("n", n)
        z = self.sample_latent(n, seed=seed)
        return np.asarray(self.generator.predict(z, batch_size=batch_size, verbose=0))


class GAN(AdversarialModel):
    """The GAN of Goodfellow et al. (2014): ``d_steps`` discriminator updates per generator update.

    D outputs logits, (batch, ...) -> (batch, 1). Each D step draws fresh z against the same real batch.

    Args:
        generator, latent_dim, latent, seed: see :class:`AdversarialModel`.
        discriminator: keras.Model returning logits.
        d_steps: int >= 1, the k of Algorithm 1.
        r1_weight: γ >= 0; if > 0, D's loss gets (γ/2)·E‖∇D(x)‖² on real x (Mescheder et al. 2018).
    """

    def __init__(self, generator, discriminator, latent_dim, d_steps=1, r1_weight=0.0, latent="normal",
                 seed=None, **kwargs):
        super().__init__(generator, latent_dim, latent=latent, seed=seed, **kwargs)
        self.discriminator = _check_model("discriminator", discriminator)
        self.d_steps = positive_int("d_steps", d_steps)
        self.r1_weight = positive_float("r1_weight", r1_weight, allow_zero=True)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    def compile(self, d_optimizer, g_optimizer, g_loss="non_saturating", **kwargs):
        """Args: two optimizers; g_loss 'non_saturating' (-log D) or 'saturating' (log(1-D));
        kwargs go to keras.Model.compile (e.g. ``steps_per_execution``, ``jit_compile``)."""
        super().compile(**kwargs)
        self.d_optimizer = _check_optimizer("d_optimizer", d_optimizer)
        self.g_optimizer = _check_optimizer("g_optimizer", g_optimizer)
        self.g_loss_name = g_loss
        self.g_loss_fn = losses.generator_loss(g_loss)
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def optimized_networks(self):
        return [(self.d_optimizer, (self.discriminator,)), (self.g_optimizer, (self.generator,))]

    def d_step(self, real):
        """One discriminator update on a real batch and fresh fakes; returns D's loss."""
        fake = self.generator(self.sample_latent(ops.shape(real)[0]), training=True)
        with tf.GradientTape() as tape:
            d_loss = losses.discriminator_loss(
                self.discriminator(real, training=True), self.discriminator(fake, training=True)
            )
            if self.r1_weight > 0:
                d_loss += 0.5 * self.r1_weight * losses.r1_penalty(self.discriminator, real)
        grads = tape.gradient(d_loss, self.discriminator.trainable_variables)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_variables))
        return d_loss

    def g_step(self, batch_size):
        """One generator update against the current D; returns G's loss."""
        z = self.sample_latent(batch_size)
        with tf.GradientTape() as tape:
            g_loss = self.g_loss_fn(self.discriminator(self.generator(z, training=True), training=True))
        grads = tape.gradient(g_loss, self.generator.trainable_variables)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))
        return g_loss

    def train_step(self, real):
        if isinstance(real, tuple):
            real = real[0]
        for _ in range(self.d_steps):
            d_loss = self.d_step(real)
        g_loss = self.g_step(ops.shape(real)[0])
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {m.name: m.result() for m in self.metrics}


class SingleLossGAN(AdversarialModel):
    """One scalar loss and one optimizer step train both players, by stop-gradient (sg):

        L = L_D(x, sg(G(z))) + L_G(D(G(z))) − L_G(D(sg(G(z))))

    The last two terms are equal in value and in their gradient with respect to D's weights, so they
    cancel there; only the middle one depends on G's weights. Hence ∇_D L = ∇L_D and ∇_G L = ∇L_G.
    The update is *simultaneous* (both players step from the same state), not alternating.

    Args:
        generator, latent_dim, latent, seed: see :class:`AdversarialModel`.
        discriminator: keras.Model returning logits.
        g_loss: 'non_saturating' or 'saturating'.
        r1_weight: γ >= 0; if > 0, L_D gets (γ/2)·E‖∇D(x)‖² on real x, as in :class:`GAN`.
    """

    def __init__(self, generator, discriminator, latent_dim, g_loss="non_saturating", r1_weight=0.0,
                 latent="normal", seed=None, **kwargs):
        super().__init__(generator, latent_dim, latent=latent, seed=seed, **kwargs)
        self.discriminator = _check_model("discriminator", discriminator)
        self.r1_weight = positive_float("r1_weight", r1_weight, allow_zero=True)
        self.g_loss_fn = losses.generator_loss(g_loss)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    def compile(self, optimizer, **kwargs):
        """Args: one optimizer for G's and D's weights together; kwargs go to keras.Model.compile."""
        _check_optimizer("optimizer", optimizer)
        super().compile(optimizer=optimizer, **kwargs)
        self.optimizer.build(self.trainable_variables)

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def optimized_networks(self):
        return []  # keras.Model.fit already finalizes ``self.optimizer``

    def single_loss(self, real, z):
        """The total loss and its two readable parts (L_D, L_G); D sees real, sg(fake) and fake in one pass."""
        fake = self.generator(z, training=True)
        n = ops.shape(real)[0]
        logits = self.discriminator(ops.concatenate([real, ops.stop_gradient(fake), fake], axis=0), training=True)
        real_logits, fake_logits_sg, fake_logits = logits[:n], logits[n:2 * n], logits[2 * n:]
        d_loss = losses.discriminator_loss(real_logits, fake_logits_sg)
        if self.r1_weight > 0:
            d_loss += 0.5 * self.r1_weight * losses.r1_penalty(self.discriminator, real)
        g_loss = self.g_loss_fn(fake_logits)
        return d_loss + g_loss - self.g_loss_fn(fake_logits_sg), d_loss, g_loss

    def train_step(self, real):
        if isinstance(real, tuple):
            real = real[0]
        z = self.sample_latent(ops.shape(real)[0])
        with tf.GradientTape() as tape:
            total, d_loss, g_loss = self.single_loss(real, z)
        grads = tape.gradient(total, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {m.name: m.result() for m in self.metrics}
