"""Fresh networks trained against *frozen* samples: what a GAN's D, or a WGAN's critic, would say about them.

A GAN's own D is a moving, often regularised target; to ask "can G's samples still be told from the data?"
the lessons train a new network from scratch on the two sample sets, then score it on samples it never saw.
Both probes are variational estimates, so a weak probe under-estimates:

- `fit_discriminator`: the cross-entropy D of Goodfellow et al. Its held-out value gives
  JS(p_r‖p_g) ≥ log 2 − ½(BCE on real + BCE on fake), the bound C(G) = 2·JS − log 4 rests on.
- `fit_critic`: a gradient-penalty critic (Gulrajani et al. 2017). Its held-out gap E f(x) − E f(x̃)
  estimates W1(p_r, p_g). It is a bound from below only for a 1-Lipschitz f; the penalty λ·E(‖∇f‖ − 1)² is
  soft, so a trained critic's slope may exceed 1 and its gap overshoot W1 (for two parallel segments W1
  apart, the penalised optimum is W1 + W1²/(2λ): lesson 03, exercise 3). A weak critic still under-estimates.

Tracing a new compiled trainer costs 1–2 s on CPU, more than a short probe trains, and lessons run several
probes of one configuration. So each configuration's trainer is compiled once and kept (`_trainer_from`): a
probe still builds its fresh network, and gets the numbers a new trainer would give, without the trace.
"""

import collections
import math
import random

import keras
import numpy as np
from keras import ops

from . import backend, data, losses, models
from .checks import array, positive_float, positive_int


def _split(name_real, real, name_fake, fake, held_out, seed):
    """Equal-size real and fake sets, shuffled, cut into (train, test) pairs."""
    real = array(name_real, real, ndim=2).astype(np.float32)
    fake = array(name_fake, fake, ndim=2, last_dim=real.shape[1]).astype(np.float32)
    n = min(len(real), len(fake))
    rng = np.random.default_rng(seed)
    real, fake = real[rng.permutation(len(real))[:n]], fake[rng.permutation(len(fake))[:n]]
    n_test = int(round(held_out * n))
    if not 1 <= n_test < n:
        raise ValueError(f"`held_out` must leave at least one sample on each side, got {held_out} of {n}.")
    return (real[n_test:], fake[n_test:]), (real[:n_test], fake[:n_test])


def _schedule(learning_rate, steps):
    return keras.optimizers.schedules.CosineDecay(learning_rate, steps, alpha=0.02)


def _epochs(n_train, batch_size, steps):
    return max(1, math.ceil(steps / math.ceil(n_train / batch_size)))


_KEPT = 4                              # configurations whose compiled trainers are kept
_trainers = collections.OrderedDict()  # configuration -> (trainer, its network, its state before its first step)


def _trainer_from(config, build, start):
    """The compiled trainer for `config`, set to start from the weights of the network `start`.

    `build()` returns a new `(trainer, network)`, built before its first `fit` (so that `fit` draws nothing
    to build it); `config` holds everything the trainer's traced step depends on. A kept trainer gets back its
    optimizer and non-trainable state (the noise's seed) as they were before its first step, and its network
    `start`'s weights, so training it gives what a new trainer would. Past `_KEPT`, the least recently used
    trainer is dropped.
    """
    config = (*config, keras.config.floatx(), keras.config.dtype_policy().name)
    if config not in _trainers:
        state = random.getstate()   # Keras draws its initializers' default seeds here: leave the caller's draws alone
        try:
            trainer, network = build()
        finally:
            random.setstate(state)
        trainer.optimizer.build(trainer.trainable_variables)
        variables = trainer.optimizer.variables + trainer.non_trainable_variables
        _trainers[config] = trainer, network, [(v, ops.convert_to_numpy(v)) for v in variables]
        while len(_trainers) > _KEPT:
            _trainers.popitem(last=False)
    _trainers.move_to_end(config)
    trainer, network, before_first_step = _trainers[config]
    for variable, value in before_first_step:
        variable.assign(value)
    network.set_weights(start.get_weights())
    return trainer, network


def fit_discriminator(real, fake, hidden=(64, 64), activation="tanh", steps=1000, batch_size=1024,
                      learning_rate=3e-3, held_out=0.2, seed=0):
    """Train a fresh, unregularised D (logits) to tell `real` from `fake`; score it on held-out samples.

    Args:
        real, fake: (n, d) sample arrays (the larger one is cut to the smaller's size).
        hidden, activation: D's MLP (see `gk.models.mlp`).
        steps: about how many Adam steps (cosine-decayed `learning_rate`), `batch_size` samples each.
        held_out: fraction of each set kept for scoring.
        seed: for the split and the first order of the training samples (Keras reshuffles them each epoch
            from NumPy's global random state, which `gk.set_seed` seeds).
    Returns:
        `(D, scores)`: D, not compiled, maps (batch, d) to (batch, 1) logits; `scores` holds `accuracy` (held-out
        fraction classified right; ½ is chance) and `js` (log 2 − mean held-out cross-entropy, a lower
        bound on JS(p_r‖p_g) in nats: 0 at chance, log 2 for a perfect D).
    """
    steps, batch_size = positive_int("steps", steps), positive_int("batch_size", batch_size)
    learning_rate = positive_float("learning_rate", learning_rate)
    (real_train, fake_train), (real_test, fake_test) = _split("real", real, "fake", fake, held_out, seed)
    x = np.concatenate([real_train, fake_train])
    y = np.concatenate([np.full((len(real_train), 1), losses.REAL), np.full((len(fake_train), 1), losses.FAKE)])
    D = models.mlp(x.shape[1], 1, hidden=hidden, activation=activation, name="fresh_D")

    def build():
        trainer = models.mlp(x.shape[1], 1, hidden=hidden, activation=activation, name="fresh_D")
        trainer.compile(optimizer=keras.optimizers.Adam(_schedule(learning_rate, steps)),
                        loss=keras.losses.BinaryCrossentropy(from_logits=True),
                        steps_per_execution=backend.steps_per_execution(25))
        # Build the compiled loss now: else a first fit builds it on a peeked batch, and on JAX and PyTorch that
        # peek draws one more shuffle from NumPy's global state than a later fit does.
        trainer.compute_loss(x=x[:1], y=y[:1].astype(np.float32), y_pred=trainer(x[:1]))
        return trainer, trainer

    config = ("D", x.shape[1], tuple(hidden), activation, learning_rate, steps, batch_size)
    trainer, _ = _trainer_from(config, build, D)
    order = np.random.default_rng(seed).permutation(len(x))
    trainer.fit(x[order], y[order].astype(np.float32), batch_size=batch_size,
                epochs=_epochs(len(x), batch_size, steps), verbose=0)
    D.set_weights(trainer.get_weights())
    real_logits, fake_logits = models.apply(D, real_test).ravel(), models.apply(D, fake_test).ravel()
    accuracy = 0.5 * (np.mean(real_logits > 0) + np.mean(fake_logits <= 0))
    cross_entropy = 0.5 * (np.mean(np.logaddexp(0.0, -real_logits)) + np.mean(np.logaddexp(0.0, fake_logits)))
    return D, {"accuracy": float(accuracy), "js": float(math.log(2) - cross_entropy)}


class _PenalisedCritic(keras.Model):
    """`fit(real, fake)` trains `critic` on E f(x̃) − E f(x) + λ·gradient penalty, by Keras' own train step."""

    def __init__(self, critic, gp_weight, seed):
        super().__init__(name="penalised_critic")
        self.critic = critic
        self.gp_weight = gp_weight
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, x, training=False):
        return self.critic(x, training=training)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss = losses.wasserstein_critic_loss(y_pred, self.critic(y, training=training))
        if self.gp_weight == 0:   # a clipped (or unconstrained) critic: no second-order gradient to pay for
            return loss
        return loss + self.gp_weight * losses.gradient_penalty(self.critic, x, y, seed=self.seed_generator)[0]


def fit_critic(real, fake, hidden=(64, 64), steps=1000, batch_size=512, learning_rate=1e-3, gp_weight=10.0,
               clip_value=None, held_out=0.2, seed=0, optimizer="adam"):
    """Train a fresh WGAN critic between `real` and `fake`; return it and its held-out W1 estimate.

    Args:
        real, fake: (n, d) sample arrays (the larger one is cut to the smaller's size).
        hidden: the critic's ReLU MLP.
        steps, batch_size, learning_rate: the optimizer's steps, batch and starting rate (cosine-decayed).
        gp_weight: λ of the penalty E(‖∇f(x̂)‖ − 1)² on random interpolates (WGAN-GP; 0 for none).
        clip_value: c > 0 to clip every weight to [−c, c] after each update (WGAN), or None.
        held_out, seed: as in `fit_discriminator`.
        optimizer: "adam" (β = 0.5, 0.9, as WGAN-GP uses) or "rmsprop" (as WGAN uses with clipping).
    Returns:
        `(critic, scores)`: critic maps (batch, d) to (batch, 1) scores; `scores["w1"]` is the held-out
        E f(x) − E f(x̃).
    """
    steps, batch_size = positive_int("steps", steps), positive_int("batch_size", batch_size)
    learning_rate = positive_float("learning_rate", learning_rate)
    gp_weight = positive_float("gp_weight", gp_weight, allow_zero=True)
    if optimizer not in ("adam", "rmsprop"):
        raise ValueError(f"`optimizer` must be 'adam' or 'rmsprop', got {optimizer!r}.")
    (real_train, fake_train), (real_test, fake_test) = _split("real", real, "fake", fake, held_out, seed)
    critic = models.mlp(real_train.shape[1], 1, hidden=hidden, name="fresh_critic")
    # Start flat (a zero output layer): with a random output layer the penalty quickly fixes |∇f| ≈ 1 in
    # whatever direction the initial weights happened to point, and at λ = 10 a critic that starts upside
    # down can stay there (a barrier of λ·E(|∇f| − 1)² to pass through |∇f| = 0). From f = 0 the first
    # steps follow the data's E f(x) − E f(x̃) alone.
    for variable in critic.layers[-1].weights:
        variable.assign(ops.zeros(variable.shape, dtype=variable.dtype))
    if clip_value is not None:   # clipped now, and by the optimizer after each update
        models.clip_weights(critic, positive_float("clip_value", clip_value))
    batch_size = min(batch_size, len(real_train))

    def build():
        network = models.mlp(real_train.shape[1], 1, hidden=hidden, name="fresh_critic")
        if clip_value is not None:
            models.clip_weights(network, clip_value, now=False)
        trainer = _PenalisedCritic(network, gp_weight, seed)
        if optimizer == "adam":
            trainer_optimizer = keras.optimizers.Adam(_schedule(learning_rate, steps), beta_1=0.5, beta_2=0.9)
        else:
            trainer_optimizer = keras.optimizers.RMSprop(_schedule(learning_rate, steps))
        trainer.compile(optimizer=trainer_optimizer, steps_per_execution=backend.steps_per_execution(min(25, steps)))
        return trainer, network

    config = ("critic", real_train.shape[1], tuple(hidden), gp_weight, clip_value, optimizer, learning_rate, steps,
              batch_size, seed)
    trainer, network = _trainer_from(config, build, critic)
    # One epoch of `steps` batches from an endless stream: one trace and one iterator, where epochs over
    # NumPy arrays cost a new iterator each and a retrace for the last, partial execution.
    trainer.fit(data.unpaired_batches(real_train, fake_train, batch_size, seed), epochs=1, steps_per_epoch=steps,
                verbose=0)
    critic.set_weights(network.get_weights())
    gap = np.mean(models.apply(critic, real_test)) - np.mean(models.apply(critic, fake_test))
    return critic, {"w1": float(gap)}
