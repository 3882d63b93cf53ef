"""The single-loss GAN: both players trained by one scalar loss and one optimizer step, by stop-gradient.

With sg the stop-gradient (`ops.stop_gradient`, identity in value, zero derivative), L_D D's cross-entropy
and L_G G's loss (both as in `gan_keras.gan.GAN`):

    L = L_D(x, sg(G(z))) + L_G(D(G(z))) − L_G(D(sg(G(z))))

The last two terms are equal in value and in their gradient with respect to D's weights, so they cancel
there; only the middle one depends on G's weights. Hence

    ∇_D L = ∇_D L_D,    ∇_G L = ∇_G L_G,    L = L_D in value,

and one backward pass gives each player exactly its own gradient. The update is *simultaneous* (both
players step from the same state), not alternating as in Algorithm 1 of Goodfellow et al. (2014).
Lesson 07 derives it and measures what that changes.
"""

from keras import ops

from . import checks, losses
from .engine import LatentGenerator, Trainer
from .gan import r1_term


class SingleLossGAN(LatentGenerator, Trainer):
    """One scalar loss L and one optimizer step train both players (the equations above).

    Because it is one loss, this is an ordinary keras.Model: `call(x)` is the forward pass (D's logits on
    x, sg(G(z)) and G(z), stacked in one pass of D), `compute_loss` turns it into L, and Keras' own train
    step differentiates L and applies one optimizer, on every backend. Logged: `d_loss` (L_D, R1 included)
    and `g_loss` (L_G). `fit()` stops on NaN, as the other trainers' do.

    Args:
        generator, latent_dim, latent, seed: see `gan_keras.engine.LatentGenerator`.
        discriminator: keras.Model returning logits.
        r1_weight: γ >= 0; if > 0, L_D gets (γ/2)·E‖∇D(x)‖² on real x, as in `GAN`.

    Example:
        model = SingleLossGAN(gk.models.mlp(2, 2), gk.models.mlp(2, 1), latent_dim=2, seed=0)
        model.compile(optimizer=keras.optimizers.Adam(1e-3))     # one optimizer for both players
        model.fit(gk.data.batches(gk.data.sample_ring(10_000, seed=0), 256, seed=0), epochs=1, steps_per_epoch=500)
    """

    g_loss_fn = staticmethod(losses.non_saturating_generator_loss)  # until compile(g_loss=...) chooses

    def __init__(self, generator, discriminator, latent_dim, r1_weight=0.0, latent="normal", seed=None, **kwargs):
        super().__init__(generator, latent_dim, latent=latent, seed=seed, **kwargs)
        self.discriminator = checks.keras_model("discriminator", discriminator)
        self.r1_weight = checks.positive_float("r1_weight", r1_weight, allow_zero=True)
        self.track("d_loss", "g_loss")

    def compile(self, optimizer, g_loss="non_saturating", **kwargs):
        """Args: one optimizer for G's and D's weights together (a `keras.optimizers.MultiOptimizer` gives
        each player its own); g_loss as in `GAN.compile`; kwargs go to keras.Model.compile."""
        checks.optimizer("optimizer", optimizer)
        self.g_loss_fn = losses.generator_loss(g_loss)
        super().compile(optimizer=optimizer, **kwargs)
        self.optimizer.build(self.trainable_variables)

    def logits(self, real, z, training=False):
        """D's logits on real, sg(G(z)) and G(z), stacked in one pass of D: (3·batch, 1)."""
        fake = self.generator(z, training=training)
        return self.discriminator(ops.concatenate([real, ops.stop_gradient(fake), fake], axis=0), training=training)

    def call(self, real, training=False):
        return self.logits(real, self.sample_latent(ops.shape(real)[0]), training=training)

    def loss_from_logits(self, real, logits):
        """L from `logits`' three blocks (see `logits`), with what it logs.

        Returns:
            (L, {"d_loss": L_D (R1 included if r1_weight > 0), "g_loss": L_G}).
        """
        n = ops.shape(real)[0]
        real_logits, fake_logits_sg, fake_logits = logits[:n], logits[n:2 * n], logits[2 * n:]
        d_loss = losses.discriminator_loss(real_logits, fake_logits_sg)
        if self.r1_weight > 0:
            d_loss += r1_term(self.discriminator, real, self.r1_weight)
        g_loss = self.g_loss_fn(fake_logits)
        return d_loss + g_loss - self.g_loss_fn(fake_logits_sg), {"d_loss": d_loss, "g_loss": g_loss}

    def single_loss(self, real, z, training=True):
        """(L, logs) on a real batch and given noise z, for checking the trick by hand (see `loss_from_logits`)."""
        return self.loss_from_logits(real, self.logits(real, z, training=training))

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss, logs = self.loss_from_logits(x, y_pred)
        self.record(logs)
        return loss
