"""Wasserstein GANs: WGAN (Arjovsky et al. 2017) and WGAN-GP (Gulrajani et al. 2017).

A critic f estimates the earth mover's distance by the Kantorovich-Rubinstein duality (WGAN, Eq. 3),

    W1(P_r, P_g) = sup_{‖f‖_L ≤ 1} E_{x~P_r}[f(x)] − E_{z}[f(G(z))],

and G lowers it. The critic minimises E f(G(z)) − E f(x) (`losses.wasserstein_critic_loss`), G minimises
−E f(G(z)) (`losses.wasserstein_generator_loss`); WGAN's Algorithm 1 takes n_critic critic steps per G step.

The duality only holds for a 1-Lipschitz f, and nothing in a plain network keeps it so; the two trainers
differ in how they try:

- `WGAN` clips every critic weight to [−c, c] after each update (`models.clip_weights`): f is then
  Lipschitz with *some* small constant, so the critic estimates W1 only up to that constant.
- `WGANGP` drops the clipping and adds λ·E(‖∇f(x̂)‖₂ − 1)² on random interpolates x̂ = εx + (1−ε)G(z),
  ε ~ U[0, 1] (WGAN-GP, Eq. 3), since the optimal critic has unit gradient norm between the two
  distributions (their Proposition 1).
"""

import keras
from keras import ops

from . import checks, losses, models
from .engine import LatentGenerator, TwoPlayerModel


class WGAN(LatentGenerator, TwoPlayerModel):
    """The WGAN of Arjovsky et al. (2017): `n_critic` critic updates per generator update, with clipping.

    The critic outputs unbounded scores, (batch, ...) -> (batch, 1). Each of its trainable variables
    (kernels *and* biases) is clipped to [−c, c] after every critic update (the optimizer applies the
    constraint `models.clip_weights` sets; the weights the critic starts from are left as they are, as
    Algorithm 1 reads), a crude way to bound its Lipschitz constant. `clip_value=None` leaves the critic
    unconstrained: then E f(x) − E f(G(z)) can grow without bound, which is the divergence lesson 05 shows.

    Each critic step draws fresh z against the same real batch (as `GAN` does for `d_steps`). Logged:
    `d_loss` (the critic's loss, penalty included), `g_loss`, and `w_estimate` = E f(x) − E f(G(z)), the
    critic's estimate of W1 (up to the Lipschitz constant) at the last critic step, without any penalty.

    Args:
        generator, latent_dim, latent, seed: see `gan_keras.engine.LatentGenerator`.
        critic: keras.Model returning scores (no sigmoid).
        n_critic: int >= 1, critic updates per generator update (the paper uses 5).
        clip_value: c > 0, or None for no clipping (the paper uses 0.01, with RMSProp at 5e-5).
    """

    def __init__(self, generator, critic, latent_dim, n_critic=5, clip_value=0.01, latent="normal", seed=None,
                 **kwargs):
        super().__init__(generator, latent_dim, latent=latent, seed=seed, **kwargs)
        self.critic = checks.keras_model("critic", critic)
        self.n_critic = checks.positive_int("n_critic", n_critic)
        self.clip_value = None if clip_value is None else checks.positive_float("clip_value", clip_value)
        if self.clip_value is not None:
            models.clip_weights(self.critic, self.clip_value, now=False)
        self.track("d_loss", "g_loss", "w_estimate")

    @property
    def discriminators(self):
        return (self.critic,)

    def penalty(self, real, fake):
        """(penalty added to the critic's loss, its logs) for one critic step: none in the original WGAN,
        where clipping constrains the critic instead; `WGANGP` adds its gradient penalty."""
        return 0.0, {}

    def discriminator_loss(self, real, z, training=True):
        """The critic's loss on a real batch and the fakes G(z), with its penalty; and what it logs.

        The fakes are cut from G's graph (`stop_gradient`): the critic's step must not reach G's weights.

        Returns:
            (d_loss, logs): d_loss = E f(G(z)) − E f(x) + penalty; logs holds d_loss, w_estimate
            (E f(x) − E f(G(z)), without the penalty) and whatever `penalty` reports.
        """
        fake = ops.stop_gradient(self.generator(z, training=training))
        critic_loss = losses.wasserstein_critic_loss(self.critic(real, training=training),
                                                     self.critic(fake, training=training))
        penalty, logs = self.penalty(real, fake)
        d_loss = critic_loss + penalty
        return d_loss, {"d_loss": d_loss, "w_estimate": -critic_loss, **logs}

    def generator_loss(self, z, training=True):
        """G's loss −E f(G(z)): its samples move up the current critic.

        Returns:
            (g_loss, {"g_loss": g_loss}).
        """
        g_loss = losses.wasserstein_generator_loss(self.critic(self.generator(z, training=training),
                                                               training=training))
        return g_loss, {"g_loss": g_loss}

    def adversarial_step(self, data):
        real, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        return self.alternate(real, self.n_critic)  # n_critic critic updates (clipped, in WGAN), then one of G


class WGANGP(WGAN):
    """WGAN-GP (Gulrajani et al. 2017): no clipping; the critic's loss gets λ·E(‖∇f(x̂)‖₂ − 1)².

    x̂ = εx + (1−ε)G(z), ε ~ U[0, 1] per sample, from the model's seed generator. Logs, besides WGAN's,
    `grad_norm`: the mean of ‖∇f(x̂)‖ over the interpolates of the last critic step (≈ 1 once the
    penalty holds). Do not put batch normalisation in the critic: the penalty is per sample.

    Args:
        generator, critic, latent_dim, n_critic, latent, seed: see `WGAN`.
        gp_weight: λ >= 0. The paper uses λ = 10 (the default); its toy script used 0.1 for speed.
            λ = 0 trains an unconstrained critic but still logs `grad_norm`.

    Example:
        model = WGANGP(gk.models.mlp(2, 2), gk.models.mlp(2, 1), latent_dim=2, seed=0)
        model.compile(d_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9),   # the paper's Adam
                      g_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9))
        model.fit(gk.data.batches(gk.data.sample_ring(10_000, seed=0), 256, seed=0), epochs=1, steps_per_epoch=500)
    """

    def __init__(self, generator, critic, latent_dim, n_critic=5, gp_weight=10.0, latent="normal", seed=None,
                 **kwargs):
        super().__init__(generator, critic, latent_dim, n_critic=n_critic, clip_value=None, latent=latent,
                         seed=seed, **kwargs)
        self.gp_weight = checks.positive_float("gp_weight", gp_weight, allow_zero=True)
        self.track("grad_norm")

    def penalty(self, real, fake):
        """(λ·gradient penalty, {'grad_norm': mean ‖∇f(x̂)‖}) on fresh interpolates of `real` and `fake`."""
        penalty, norms = losses.gradient_penalty(self.critic, real, fake, seed=self.seed_generator)
        return self.gp_weight * penalty, {"grad_norm": ops.mean(norms)}
