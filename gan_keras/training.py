"""GAN trainers as keras.Model subclasses: `compile(...)`, then plain `fit()`, on every Keras backend.

Two ways to train the two players:

- `GAN` (and `WGAN`, `WGANGP`, `CycleGAN` in the sibling modules) alternate: each player has its own
  loss method and its own optimizer, and `adversarial_step` updates them in their paper's order: D, then
  G, in `GAN`, `WGAN` and `WGANGP`; G, then D, in `CycleGAN`, as its authors' code does (D learns on the
  fakes G made in that step, drawn through the image pools).
  They share `TwoPlayerModel`, which hands both optimizers to `fit()`.
- `SingleLossGAN` writes the game as one loss, so Keras' own train step with one optimizer trains it:
  a `call` and a `compute_loss`, nothing else.

Nothing here is backend-specific: gradients and optimizer steps go through `gan_keras.backend`.
"""

import keras
from keras import ops

from . import backend, checks, losses, models
from .callbacks import with_stop_on_nan

LATENTS = {"normal", "uniform"}


def sample_latent(n, latent_dim, latent="normal", seed=None):
    """z of shape (n, latent_dim): N(0, I) for latent 'normal', U[0, 1]^d for 'uniform'.

    `seed` is an int or a `keras.random.SeedGenerator` (the trainers pass their own).
    """
    if latent == "uniform":
        return keras.random.uniform((n, latent_dim), seed=seed)
    return keras.random.normal((n, latent_dim), seed=seed)


def generate_samples(model, generator, z, batch_size=4096):
    """`generator(z)` as a NumPy array, with the weights `model.fit()` is training right now.

    Under `fit()` on JAX the weights live outside the variables until an epoch ends; a callback that
    draws samples mid-epoch (`Snapshots`) gets the current ones through `gan_keras.backend.sync`.
    """
    backend.sync(model)
    return models.apply(generator, z, batch_size)


class TwoPlayerModel(keras.Model):
    """Players that learn in turn, each with its own optimizer, through `fit()`, which stops on NaN.

    A subclass lists its networks in `discriminators` and `generators` (tuples of keras.Models) and
    writes one round of the game, its players' updates in its paper's order (D's update(s) then G's, or G's
    then D's in `CycleGAN`), in `adversarial_step(data)`, returning the logs.
    Each update is `self.descend(optimizer, loss_fn, variables)`.

    Keras' `fit()` knows one optimizer, `model.optimizer`. `compile` makes it a
    `keras.optimizers.MultiOptimizer` over both players, D's variables mapped to `d_optimizer` and G's to
    `g_optimizer`: the players still step through their own optimizers, and through the MultiOptimizer
    `fit()` sees both (on JAX it carries their slots in its state; at the end it finalizes both, e.g.
    copies their moving averages into the weights when made with `use_ema=True`).
    """

    discriminators = ()
    generators = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # The players come as built networks: nothing is left to build, and fit() must not try to on JAX and
        # PyTorch (by calling the model on a data batch, which is not what `call` takes).
        self.built = True

    def compile(self, d_optimizer, g_optimizer, **kwargs):
        """Args: the discriminator's (critic's) and the generator's optimizer, two distinct objects;
        kwargs go to keras.Model.compile (e.g. `steps_per_execution`, `jit_compile`)."""
        self.d_optimizer = checks.optimizer("d_optimizer", d_optimizer)
        self.g_optimizer = checks.optimizer("g_optimizer", g_optimizer)
        if d_optimizer is g_optimizer:
            raise ValueError("`g_optimizer` must be another optimizer object than `d_optimizer`: each player keeps "
                             "its own moments and step count.")
        d_variables, g_variables = self.d_variables(), self.g_variables()
        owner = {id(v): self.d_optimizer for v in d_variables} | {id(v): self.g_optimizer for v in g_variables}
        super().compile(optimizer=keras.optimizers.MultiOptimizer(lambda variable: owner[id(variable)]), **kwargs)
        self.optimizer.build(d_variables + g_variables)  # unbuilt, it would break fit() on TensorFlow

    def d_variables(self):
        """The trainable variables of every discriminator (critic), in order."""
        return [v for network in self.discriminators for v in network.trainable_variables]

    def g_variables(self):
        """The trainable variables of every generator, in order."""
        return [v for network in self.generators for v in network.trainable_variables]

    def descend(self, optimizer, loss_fn, variables, has_aux=False):
        """One step of `optimizer` on `variables` down the gradient of `loss_fn()`; returns what it returned.

        With `has_aux`, `loss_fn` returns (loss, anything else), as in `gan_keras.backend.gradients`.
        """
        out, grads = backend.gradients(loss_fn, variables, has_aux=has_aux)
        backend.apply_gradients(optimizer, grads, variables)
        return out

    def adversarial_step(self, data):
        """One round of the game on a batch; returns the logs. Subclasses write it."""
        raise NotImplementedError

    def train_step(self, *args):
        # fit() calls train_step(data) on TensorFlow and PyTorch, train_step(state, data) on JAX.
        return backend.train_step(self, self.adversarial_step, *args)

    def fit(self, *args, callbacks=None, **kwargs):
        """keras.Model.fit, with `StopOnNaN` added unless one is given."""
        return super().fit(*args, callbacks=with_stop_on_nan(callbacks), **kwargs)


class AdversarialModel(TwoPlayerModel):
    """A `TwoPlayerModel` whose generator G maps latent noise z to samples.

    Args:
        generator: keras.Model, (batch, latent_dim) -> samples.
        latent_dim: int >= 1, size of z.
        latent: 'normal' (z ~ N(0, I)) or 'uniform' (z ~ U[0, 1]^d).
        seed: int or None, for the noise drawn inside the train step.
    """

    def __init__(self, generator, latent_dim, latent="normal", seed=None, **kwargs):
        super().__init__(**kwargs)
        self.generator = checks.keras_model("generator", generator)
        self.latent_dim = checks.positive_int("latent_dim", latent_dim)
        self.latent = checks.one_of("latent", latent, LATENTS)
        self.seed_generator = keras.random.SeedGenerator(seed)

    @property
    def generators(self):
        return (self.generator,)

    def sample_latent(self, n, seed=None):
        """z of shape (n, latent_dim), from the model's own seed generator unless `seed` is given."""
        return sample_latent(n, self.latent_dim, self.latent, self.seed_generator if seed is None else seed)

    def call(self, z, training=False):
        return self.generator(z, training=training)

    def generate(self, n, seed=0, batch_size=4096):
        """n samples of G as a NumPy array, from fixed noise (`seed`) so snapshots are comparable."""
        z = self.sample_latent(checks.positive_int("n", n), seed=seed)
        return generate_samples(self, self.generator, z, batch_size)


class GAN(AdversarialModel):
    """The GAN of Goodfellow et al. (2014): `d_steps` discriminator updates per generator update.

    D outputs logits, (batch, ...) -> (batch, 1). Each D step draws fresh z against the same real batch.

    Args:
        generator, latent_dim, latent, seed: see `AdversarialModel`.
        discriminator: keras.Model returning logits.
        d_steps: int >= 1, the k of Algorithm 1.
        r1_weight: γ >= 0; if > 0, D's loss gets (γ/2)·E‖∇D(x)‖² on real x (Mescheder et al. 2018).
    """

    def __init__(self, generator, discriminator, latent_dim, d_steps=1, r1_weight=0.0, latent="normal",
                 seed=None, **kwargs):
        super().__init__(generator, latent_dim, latent=latent, seed=seed, **kwargs)
        self.discriminator = checks.keras_model("discriminator", discriminator)
        self.d_steps = checks.positive_int("d_steps", d_steps)
        self.r1_weight = checks.positive_float("r1_weight", r1_weight, allow_zero=True)
        self.g_loss_fn = losses.non_saturating_generator_loss
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    @property
    def discriminators(self):
        return (self.discriminator,)

    def compile(self, d_optimizer, g_optimizer, g_loss="non_saturating", **kwargs):
        """Args: two optimizers; g_loss 'non_saturating' (-log D) or 'saturating' (log(1-D));
        kwargs go to keras.Model.compile (e.g. `steps_per_execution`, `jit_compile`)."""
        g_loss_fn = losses.generator_loss(g_loss)
        super().compile(d_optimizer, g_optimizer, **kwargs)
        self.g_loss_fn = g_loss_fn

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def discriminator_loss(self, real, z):
        """D's cross-entropy on a real batch and the fakes G(z), plus the R1 penalty if r1_weight > 0.

        The fakes are cut from G's graph (`stop_gradient`): D's step must not reach G's weights.
        """
        fake = ops.stop_gradient(self.generator(z, training=True))
        d_loss = losses.discriminator_loss(self.discriminator(real, training=True),
                                           self.discriminator(fake, training=True))
        if self.r1_weight > 0:
            d_loss += 0.5 * self.r1_weight * losses.r1_penalty(self.discriminator, real)
        return d_loss

    def generator_loss(self, z):
        """G's loss (`compile`'s g_loss) on its samples G(z) as the current D judges them."""
        return self.g_loss_fn(self.discriminator(self.generator(z, training=True), training=True))

    def adversarial_step(self, data):
        real, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        n = ops.shape(real)[0]
        for _ in range(self.d_steps):  # Algorithm 1: k steps of D, each on fresh noise ...
            z = self.sample_latent(n)
            d_loss = self.descend(self.d_optimizer, lambda: self.discriminator_loss(real, z), self.d_variables())
        z = self.sample_latent(n)  # ... then one step of G
        g_loss = self.descend(self.g_optimizer, lambda: self.generator_loss(z), self.g_variables())
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {m.name: m.result() for m in self.metrics}


class SingleLossGAN(keras.Model):
    """One scalar loss and one optimizer step train both players, by stop-gradient (sg):

        L = L_D(x, sg(G(z))) + L_G(D(G(z))) − L_G(D(sg(G(z))))

    The last two terms are equal in value and in their gradient with respect to D's weights, so they
    cancel there; only the middle one depends on G's weights. Hence ∇_D L = ∇L_D and ∇_G L = ∇L_G.
    The update is *simultaneous* (both players step from the same state), not alternating.

    Because it is one loss, this is an ordinary keras.Model: `call(x)` is the forward pass (D's logits on
    x, sg(G(z)) and G(z)), `compute_loss` turns it into L, and Keras' own train step differentiates L and
    applies one optimizer, on every backend. `fit()` stops on NaN, as the other trainers' do.

    Args:
        generator: keras.Model, (batch, latent_dim) -> samples.
        discriminator: keras.Model returning logits.
        latent_dim: int >= 1, size of z.
        r1_weight: γ >= 0; if > 0, L_D gets (γ/2)·E‖∇D(x)‖² on real x, as in `GAN`.
        latent: 'normal' or 'uniform', as in `GAN`.
        seed: int or None, for the noise drawn inside the train step.
    """

    def __init__(self, generator, discriminator, latent_dim, r1_weight=0.0, latent="normal", seed=None, **kwargs):
        super().__init__(**kwargs)
        self.generator = checks.keras_model("generator", generator)
        self.discriminator = checks.keras_model("discriminator", discriminator)
        self.latent_dim = checks.positive_int("latent_dim", latent_dim)
        self.latent = checks.one_of("latent", latent, LATENTS)
        self.r1_weight = checks.positive_float("r1_weight", r1_weight, allow_zero=True)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.g_loss_fn = losses.non_saturating_generator_loss
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.built = True  # G and D come built

    def compile(self, optimizer, g_loss="non_saturating", **kwargs):
        """Args: one optimizer for G's and D's weights together; g_loss as in `GAN.compile`;
        kwargs go to keras.Model.compile."""
        checks.optimizer("optimizer", optimizer)
        self.g_loss_fn = losses.generator_loss(g_loss)
        super().compile(optimizer=optimizer, **kwargs)
        self.optimizer.build(self.trainable_variables)

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def sample_latent(self, n, seed=None):
        """z of shape (n, latent_dim), from the model's own seed generator unless `seed` is given."""
        return sample_latent(n, self.latent_dim, self.latent, self.seed_generator if seed is None else seed)

    def generate(self, n, seed=0, batch_size=4096):
        """n samples of G as a NumPy array, from fixed noise (`seed`) so snapshots are comparable."""
        z = self.sample_latent(checks.positive_int("n", n), seed=seed)
        return generate_samples(self, self.generator, z, batch_size)

    def logits(self, real, z, training=False):
        """D's logits on real, sg(G(z)) and G(z), stacked in one pass of D: (3·batch, 1)."""
        fake = self.generator(z, training=training)
        return self.discriminator(ops.concatenate([real, ops.stop_gradient(fake), fake], axis=0), training=training)

    def call(self, real, training=False):
        return self.logits(real, self.sample_latent(ops.shape(real)[0]), training=training)

    def loss_terms(self, real, logits):
        """(L, L_D, L_G) from `logits`' three blocks; L_D includes the R1 penalty if r1_weight > 0."""
        n = ops.shape(real)[0]
        real_logits, fake_logits_sg, fake_logits = logits[:n], logits[n:2 * n], logits[2 * n:]
        d_loss = losses.discriminator_loss(real_logits, fake_logits_sg)
        if self.r1_weight > 0:
            d_loss += 0.5 * self.r1_weight * losses.r1_penalty(self.discriminator, real)
        g_loss = self.g_loss_fn(fake_logits)
        return d_loss + g_loss - self.g_loss_fn(fake_logits_sg), d_loss, g_loss

    def single_loss(self, real, z):
        """(L, L_D, L_G) on a real batch and given noise z, for checking the trick by hand."""
        return self.loss_terms(real, self.logits(real, z, training=True))

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        total, d_loss, g_loss = self.loss_terms(x, y_pred)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return total

    def fit(self, *args, callbacks=None, **kwargs):
        """keras.Model.fit, with `StopOnNaN` added unless one is given."""
        return super().fit(*args, callbacks=with_stop_on_nan(callbacks), **kwargs)
