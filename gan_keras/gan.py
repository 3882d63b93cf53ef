"""The GAN of Goodfellow et al. (2014), "Generative Adversarial Nets", with the R1 penalty of Mescheder et al. (2018).

The game (their Eq. 1), D outputting the probability D(x) = σ(ℓ(x)) of a logit ℓ:

    min_G max_D V(D, G) = E_x[log D(x)] + E_z[log(1 − D(G(z)))]

Algorithm 1 trains it by turns on each minibatch: k steps of D up V, each on fresh noise, then one step
of G. D's step minimises the cross-entropy −V (`gan_keras.losses.discriminator_loss`). G's step, as the
paper advises in section 3, maximises log D(G(z)) instead of minimising log(1 − D(G(z))): the same fixed
point, strong gradients early on, when D rejects every fake (`compile(g_loss="non_saturating")`, the
default; `"saturating"` is Eq. 1's own term, for lesson 03).

R1 (Mescheder et al. 2018, their Eq. 9) adds (γ/2)·E_x‖∇_x D(x)‖² on real x to D's loss: it flattens D
around the data and damps the circling of plain GAN training (`r1_weight` = γ; 0 leaves it out).
"""

import keras
from keras import ops

from . import checks, losses
from .engine import LatentGenerator, TwoPlayerModel


def r1_term(discriminator, real, r1_weight):
    """(γ/2)·E‖∇_x D(x)‖² at the real batch (Mescheder et al. 2018): what R1 adds to D's loss; γ = `r1_weight`."""
    return 0.5 * r1_weight * losses.r1_penalty(discriminator, real)


class GAN(LatentGenerator, TwoPlayerModel):
    """The GAN of Goodfellow et al. (2014): `d_steps` discriminator updates per generator update.

    D outputs logits, (batch, ...) -> (batch, 1). Each D step draws fresh z against the same real batch.
    Logged: `d_loss` (D's loss at its last step of the round, R1 included) and `g_loss`.

    Args:
        generator, latent_dim, latent, seed: see `gan_keras.engine.LatentGenerator`.
        discriminator: keras.Model returning logits.
        d_steps: int >= 1, the k of Algorithm 1.
        r1_weight: γ >= 0; if > 0, D's loss gets (γ/2)·E‖∇D(x)‖² on real x (Mescheder et al. 2018).

    Example:
        gan = GAN(gk.models.mlp(2, 2), gk.models.mlp(2, 1), latent_dim=2, seed=0)
        gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
        gan.fit(gk.data.batches(gk.data.sample_ring(10_000, seed=0), 256, seed=0), epochs=1, steps_per_epoch=500)
        samples = gan.generate(1000)   # (1000, 2)
    """

    g_loss_fn = staticmethod(losses.non_saturating_generator_loss)  # until compile(g_loss=...) chooses

    def __init__(self, generator, discriminator, latent_dim, d_steps=1, r1_weight=0.0, latent="normal",
                 seed=None, **kwargs):
        super().__init__(generator, latent_dim, latent=latent, seed=seed, **kwargs)
        self.discriminator = checks.keras_model("discriminator", discriminator)
        self.d_steps = checks.positive_int("d_steps", d_steps)
        self.r1_weight = checks.positive_float("r1_weight", r1_weight, allow_zero=True)
        self.track("d_loss", "g_loss")

    @property
    def discriminators(self):
        return (self.discriminator,)

    def compile(self, *, d_optimizer, g_optimizer, g_loss="non_saturating", **kwargs):
        """Args (by keyword): the two optimizers, as in `TwoPlayerModel.compile`; g_loss 'non_saturating'
        (−log D) or 'saturating' (log(1 − D)); kwargs go to keras.Model.compile."""
        g_loss_fn = losses.generator_loss(g_loss)
        super().compile(d_optimizer=d_optimizer, g_optimizer=g_optimizer, **kwargs)
        self.g_loss_fn = g_loss_fn

    def discriminator_loss(self, real, z, training=True):
        """D's cross-entropy −V on a real batch and the fakes G(z), plus the R1 term if r1_weight > 0.

        The fakes are cut from G's graph (`stop_gradient`): D's step must not reach G's weights.

        Returns:
            (d_loss, {"d_loss": d_loss}).
        """
        fake = ops.stop_gradient(self.generator(z, training=training))
        d_loss = losses.discriminator_loss(self.discriminator(real, training=training),
                                           self.discriminator(fake, training=training))
        if self.r1_weight > 0:
            d_loss += r1_term(self.discriminator, real, self.r1_weight)
        return d_loss, {"d_loss": d_loss}

    def generator_loss(self, z, training=True):
        """G's loss (`compile`'s g_loss) on its samples G(z) as the current D judges them.

        Returns:
            (g_loss, {"g_loss": g_loss}).
        """
        g_loss = self.g_loss_fn(self.discriminator(self.generator(z, training=training), training=training))
        return g_loss, {"g_loss": g_loss}

    def adversarial_step(self, data):
        real, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        return self.alternate(real, self.d_steps)  # Algorithm 1: k steps of D, then one of G
