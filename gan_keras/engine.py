"""The engine under every GAN trainer here: players, their optimizers, one logging contract, `fit()`.

A trainer is a `keras.Model` that `fit()` trains. What they all share is here, and nothing else:

- `Trainer`: the networks come built; the losses it logs are declared by name (`track`), each loss method
  returns `(loss, logs)` and `record(logs)` updates the trackers from `logs` by name; `fit()` stops on NaN.
- `TwoPlayerModel(Trainer)`: players that learn in turn, each with its own optimizer (`compile`), one
  round of the game per batch (`adversarial_step`), each update a `descend`.
- `LatentGenerator`: the mixin for a generator G that maps latent noise z to samples (`sample_latent`,
  `generate`, `call(z)`, and the checks on its arguments).

A new alternating trainer (the vanilla GAN, `gan_keras.gan.GAN`, is one in full):

    class MyGAN(LatentGenerator, TwoPlayerModel):
        def __init__(self, generator, discriminator, latent_dim, seed=None):
            super().__init__(generator, latent_dim, seed=seed)
            self.discriminator = checks.keras_model("discriminator", discriminator)
            self.track("d_loss", "g_loss")                     # what fit() logs, in this order

        @property
        def discriminators(self):
            return (self.discriminator,)

        def discriminator_loss(self, real, z, training=True):  # -> (loss, logs)
            ...
        def generator_loss(self, z, training=True):            # -> (loss, logs)
            ...
        def adversarial_step(self, data):                      # one round; returns the logs
            real, _, _ = keras.utils.unpack_x_y_sample_weight(data)
            z = self.sample_latent(ops.shape(real)[0])
            _, d_logs = self.descend(self.d_optimizer, lambda: self.discriminator_loss(real, z),
                                     self.d_variables(), has_aux=True)
            _, g_logs = self.descend(self.g_optimizer, lambda: self.generator_loss(z),
                                     self.g_variables(), has_aux=True)
            return {**d_logs, **g_logs}

then `model.compile(d_optimizer=..., g_optimizer=...)` and `model.fit(batches, ...)` on every backend.
Nothing here is backend-specific: gradients, optimizer steps and the JAX `fit()` adapter are in
`gan_keras.autodiff`.
"""

import keras
from keras import ops

from . import autodiff, checks, models
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
    draws samples mid-epoch (`Snapshots`) gets the current ones through `gan_keras.autodiff.sync`.
    """
    autodiff.sync(model)
    return models.apply(generator, z, batch_size)


class Trainer(keras.Model):
    """A model over built networks that logs its losses by name and whose `fit()` stops on NaN.

    The logging contract. A trainer declares in `__init__` the scalars it logs, `self.track("d_loss",
    "g_loss")`: one `keras.metrics.Mean` each, in the order `fit()`'s history and progress lines show
    them (Keras resets them every epoch). Each loss method returns `(loss, logs)`, logs a dict
    {name: scalar} of what that loss measured; `record(logs)` updates every tracker from the entry of its
    name and returns the means so far, which is what a train step returns to `fit()`.

    `fit()` is `keras.Model.fit` with `gan_keras.callbacks.StopOnNaN` added unless one is given.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.loss_trackers = []
        # The players come as built networks: nothing is left to build, and fit() must not try to on JAX and
        # PyTorch (by calling the model on a data batch, which is not what `call` takes).
        self.built = True

    def track(self, *names):
        """Log each of `names` (strs) from now on: a running mean per epoch, after those tracked already."""
        self.loss_trackers = list(self.loss_trackers) + [keras.metrics.Mean(name=name) for name in names]

    @property
    def metrics(self):
        return list(self.loss_trackers)

    def record(self, logs):
        """Update each tracker with `logs[its name]` (one step's scalar); return {name: mean so far}."""
        for tracker in self.loss_trackers:
            tracker.update_state(logs[tracker.name])
        return {tracker.name: tracker.result() for tracker in self.loss_trackers}

    def fit(self, *args, callbacks=None, **kwargs):
        """keras.Model.fit, with `StopOnNaN` added unless one is given."""
        return super().fit(*args, callbacks=with_stop_on_nan(callbacks), **kwargs)


class TwoPlayerModel(Trainer):
    """Players that learn in turn, each with its own optimizer, through `fit()`.

    A subclass lists its networks in `discriminators` and `generators` (tuples of keras.Models; class
    attributes, properties or instance attributes) and writes one round of the game in
    `adversarial_step(data)`: its players' updates in its paper's order, each
    `self.descend(optimizer, loss_fn, variables)`, returning the step's logs. `train_step` passes them to
    `record` (a subclass that keeps trackers of its own and tracks none returns their results itself).

    Keras' `fit()` knows one optimizer, `model.optimizer`. `compile` makes it a
    `keras.optimizers.MultiOptimizer` over both players, D's variables mapped to `d_optimizer` and G's to
    `g_optimizer`: the players still step through their own optimizers, and through the MultiOptimizer
    `fit()` sees both (on JAX it carries their slots in its state; at the end it finalizes both, e.g.
    copies their moving averages into the weights when made with `use_ema=True`).
    """

    discriminators = ()
    generators = ()

    def compile(self, *, d_optimizer, g_optimizer, **kwargs):
        """Args (by keyword: which player comes first is not a thing to guess): the discriminator's (critic's)
        and the generator's optimizer, two distinct objects; kwargs go to keras.Model.compile (e.g.
        `steps_per_execution`, `jit_compile`)."""
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

        With `has_aux`, `loss_fn` returns (loss, anything else), e.g. a loss method's (loss, logs), as in
        `gan_keras.autodiff.gradients`.
        """
        out, grads = autodiff.gradients(loss_fn, variables, has_aux=has_aux)
        autodiff.apply_gradients(optimizer, grads, variables)
        return out

    def adversarial_step(self, data):
        """One round of the game on a batch; returns the logs {name: scalar}. Subclasses write it."""
        raise NotImplementedError

    def train_step(self, *args):
        # fit() calls train_step(data) on TensorFlow and PyTorch, train_step(state, data) on JAX.
        return autodiff.train_step(self, self._logged_step, *args)

    def _logged_step(self, data):
        logs = self.adversarial_step(data)
        return self.record(logs) if self.loss_trackers else logs


class LatentGenerator:
    """Mixin for a trainer whose generator G maps latent noise z to samples; put it first among the bases.

    Args:
        generator: keras.Model, (batch, latent_dim) -> samples.
        latent_dim: int >= 1, size of z.
        latent: 'normal' (z ~ N(0, I)) or 'uniform' (z ~ U[0, 1]^d).
        seed: int or None, for the noise drawn inside the train step.
        kwargs: for the next base (keras.Model's `name`, say).
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

    def alternate(self, real, d_steps):
        """One round of the alternating game: `d_steps` updates of D, each on fresh z against the same `real`
        batch, then one update of G on fresh z (Goodfellow et al. 2014, Algorithm 1; WGAN's n_critic).

        Uses the subclass's `discriminator_loss(real, z)` and `generator_loss(z)`; returns both players' logs.
        """
        n = ops.shape(real)[0]
        for _ in range(d_steps):
            z = self.sample_latent(n)
            _, d_logs = self.descend(self.d_optimizer, lambda: self.discriminator_loss(real, z), self.d_variables(),
                                     has_aux=True)
        z = self.sample_latent(n)
        _, g_logs = self.descend(self.g_optimizer, lambda: self.generator_loss(z), self.g_variables(), has_aux=True)
        return {**d_logs, **g_logs}

    def generate(self, n, seed=0, batch_size=4096):
        """n samples of G as a NumPy array, from fixed noise (`seed`) so snapshots are comparable."""
        z = self.sample_latent(checks.positive_int("n", n), seed=seed)
        return generate_samples(self, self.generator, z, batch_size)
