"""Wasserstein GANs: a critic f estimates W1(P_r, P_g) = sup_{‖f‖_L ≤ 1} E f(x) − E f(G(z)), G lowers it.

The duality only holds for a 1-Lipschitz f, and nothing in a plain network keeps it so; the two trainers
here differ in how they try. `WGAN` (Arjovsky et al. 2017) clips every critic weight to [−c, c]
after each update; `WGANGP` (Gulrajani et al. 2017) instead penalises λ(‖∇f(x̂)‖ − 1)² on random
interpolates x̂ between real and fake samples. As in `gan_keras.training`, nothing here is
backend-specific.
"""

import keras
from keras import ops

from . import checks, losses
from .training import AdversarialModel


class WGAN(AdversarialModel):
    """The WGAN of Arjovsky et al. (2017): `n_critic` critic updates per generator update, with clipping.

    The critic outputs unbounded scores, (batch, ...) -> (batch, 1). After every critic update each of
    its trainable variables (kernels *and* biases) is clipped to [−c, c], a crude way to bound its
    Lipschitz constant. `clip_value=None` leaves the critic unconstrained: then E f(x) − E f(G(z)) can
    grow without bound, which is the divergence lesson 05 shows.

    Each critic step draws fresh z against the same real batch (as `GAN` does
    for `d_steps`). Logged: `d_loss` (the critic's loss, penalty included), `g_loss`, and
    `w_estimate` = E f(x) − E f(G(z)), the critic's estimate of W1 (up to the Lipschitz constant)
    at the last critic step, without any penalty.

    Args:
        generator, latent_dim, latent, seed: see `AdversarialModel`.
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
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.w_estimate_tracker = keras.metrics.Mean(name="w_estimate")

    @property
    def discriminators(self):
        return (self.critic,)

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker, self.w_estimate_tracker]

    def penalty_terms(self, real, fake):
        """(penalty added to the critic's loss, {metric name: scalar}) for one critic step: none in the
        original WGAN, where clipping constrains the critic instead; subclasses add their own."""
        return 0.0, {}

    def clip_critic(self):
        """Clip every trainable critic variable to [−c, c] in place; a no-op if `clip_value` is None."""
        if self.clip_value is None:
            return
        for variable in self.critic.trainable_variables:
            variable.assign(ops.clip(variable, -self.clip_value, self.clip_value))

    def critic_loss(self, real, z):
        """The critic's loss on a real batch and the fakes G(z), with its penalty; and what it logs.

        The fakes are cut from G's graph (`stop_gradient`): the critic's step must not reach G's weights.

        Returns:
            (d_loss, logs): d_loss = E f(G(z)) − E f(x) + penalty; logs holds d_loss, w_estimate
            (E f(x) − E f(G(z)), without the penalty) and whatever `penalty_terms` reports.
        """
        fake = ops.stop_gradient(self.generator(z, training=True))
        critic_loss = losses.wasserstein_critic_loss(self.critic(real, training=True), self.critic(fake, training=True))
        penalty, logs = self.penalty_terms(real, fake)
        d_loss = critic_loss + penalty
        return d_loss, {"d_loss": d_loss, "w_estimate": -critic_loss, **logs}

    def generator_loss(self, z):
        """G's loss −E f(G(z)): its samples move up the current critic."""
        return losses.wasserstein_generator_loss(self.critic(self.generator(z, training=True), training=True))

    def adversarial_step(self, data):
        real, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        n = ops.shape(real)[0]
        for _ in range(self.n_critic):  # n_critic critic updates, each on fresh noise, each followed by clipping
            z = self.sample_latent(n)
            _, logs = self.descend(self.d_optimizer, lambda: self.critic_loss(real, z), self.d_variables(),
                                   has_aux=True)
            self.clip_critic()
        z = self.sample_latent(n)
        logs["g_loss"] = self.descend(self.g_optimizer, lambda: self.generator_loss(z), self.g_variables())
        for tracker in self.metrics:
            tracker.update_state(logs[tracker.name])
        return {m.name: m.result() for m in self.metrics}


class WGANGP(WGAN):
    """WGAN-GP (Gulrajani et al. 2017): no clipping; the critic's loss gets λ·E(‖∇f(x̂)‖₂ − 1)².

    x̂ = εx + (1−ε)G(z), ε ~ U[0, 1] per sample, from the model's seed generator. Logs, besides WGAN's,
    `grad_norm`: the mean of ‖∇f(x̂)‖ over the interpolates of the last critic step (≈ 1 once the
    penalty holds). Do not put batch normalisation in the critic: the penalty is per sample.

    Args:
        generator, critic, latent_dim, n_critic, latent, seed: see `WGAN`.
        gp_weight: λ >= 0. The paper uses λ = 10 (the default); its toy script used 0.1 for speed.
            λ = 0 trains an unconstrained critic but still logs `grad_norm`.
    """

    def __init__(self, generator, critic, latent_dim, n_critic=5, gp_weight=10.0, latent="normal", seed=None,
                 **kwargs):
        super().__init__(generator, critic, latent_dim, n_critic=n_critic, clip_value=None, latent=latent,
                         seed=seed, **kwargs)
        self.gp_weight = checks.positive_float("gp_weight", gp_weight, allow_zero=True)
        self.grad_norm_tracker = keras.metrics.Mean(name="grad_norm")

    @property
    def metrics(self):
        return super().metrics + [self.grad_norm_tracker]

    def penalty_terms(self, real, fake):
        """(λ·gradient penalty, {'grad_norm': mean ‖∇f(x̂)‖}) on fresh interpolates of `real` and `fake`."""
        penalty, norms = losses.gradient_penalty(self.critic, real, fake, seed=self.seed_generator)
        return self.gp_weight * penalty, {"grad_norm": ops.mean(norms)}
