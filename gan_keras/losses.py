"""GAN losses as pure functions of the discriminator's raw outputs (logits or critic scores).

D(x) = sigmoid(logit). With softplus(t) = log(1 + e^t):  -log D = softplus(-logit),
-log(1 - D) = softplus(logit). Every function returns a scalar, the mean over the batch.
"""

import keras
from keras import ops

from .autodiff import input_gradient
from .checks import one_of

REAL = 1.0
FAKE = 0.0


def discriminator_loss(real_logits, fake_logits):
    """-E[log D(x)] - E[log(1 - D(G(z)))]: the cross-entropy D minimises (it maximises V(G, D))."""
    return ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))


def saturating_generator_loss(fake_logits):
    """E[log(1 - D(G(z)))], the minimax G loss of Goodfellow et al.; its gradient vanishes when D wins."""
    return -ops.mean(ops.softplus(fake_logits))


def non_saturating_generator_loss(fake_logits):
    """-E[log D(G(z))], the "-log D trick": same fixed point, strong gradients when D wins."""
    return ops.mean(ops.softplus(-fake_logits))


def lsgan_discriminator_loss(real_scores, fake_scores):
    """½E[(D(x) - 1)²] + ½E[D(G(z))²], least-squares GAN (Mao et al. 2017), as CycleGAN uses it."""
    return 0.5 * ops.mean(ops.square(real_scores - REAL)) + 0.5 * ops.mean(ops.square(fake_scores - FAKE))


def lsgan_generator_loss(fake_scores):
    """E[(D(G(z)) - 1)²]: G pulls its samples' scores to the real label."""
    return ops.mean(ops.square(fake_scores - REAL))


def wasserstein_critic_loss(real_scores, fake_scores):
    """E[f(G(z))] - E[f(x)]: minimising it maximises the Kantorovich-Rubinstein estimate of W1."""
    return ops.mean(fake_scores) - ops.mean(real_scores)


def wasserstein_generator_loss(fake_scores):
    """-E[f(G(z))]: G moves its samples up the critic."""
    return -ops.mean(fake_scores)


def gradient_penalty(critic, real, fake, seed=None, epsilon=None):
    """E[(‖∇f(x̂)‖₂ - 1)²] at x̂ = εx + (1-ε)G(z), ε ~ U[0, 1] per sample (Gulrajani et al. 2017).

    Args:
        critic: callable, (batch, ...) -> (batch, 1) scores.
        real, fake: tensors of the same shape (batch, ...).
        seed: int or keras.random.SeedGenerator for ε.
        epsilon: optional (batch, 1, ...) weights ε to use instead of drawing them (a check by hand).
    Returns:
        (penalty scalar, (batch,) gradient norms).
    """
    if tuple(real.shape) != tuple(fake.shape):
        raise ValueError(f"`real` and `fake` must have the same shape, got {tuple(real.shape)} and {tuple(fake.shape)}.")
    real, fake = ops.convert_to_tensor(real), ops.convert_to_tensor(fake)
    if epsilon is None:
        eps_shape = (ops.shape(real)[0],) + (1,) * (len(real.shape) - 1)
        epsilon = keras.random.uniform(eps_shape, dtype=real.dtype, seed=seed)
    interpolates = epsilon * real + (1.0 - epsilon) * fake
    _, grads = input_gradient(critic, interpolates)
    norms = ops.sqrt(squared_norms(grads) + 1e-12)
    return ops.mean(ops.square(norms - 1.0)), norms


def r1_penalty(discriminator, real):
    """E‖∇_x D(x)‖² at real samples, the R1 regulariser of Mescheder et al. (2018).

    The trainer adds (γ/2)·R1 to D's loss: it flattens D around the data, which damps the circling of
    plain GAN training (their "Dirac-GAN"). Args: discriminator, (batch, ...) -> (batch, 1); real.
    """
    _, grads = input_gradient(discriminator, real)
    return ops.mean(squared_norms(grads))


def squared_norms(x):
    """‖x_i‖₂² of each sample: (batch, ...) -> (batch,)."""
    return ops.sum(ops.square(ops.reshape(x, (ops.shape(x)[0], -1))), axis=1)


def cycle_loss(original, reconstructed):
    """E|F(G(a)) - a|: the L1 cycle-consistency loss of CycleGAN."""
    return ops.mean(ops.abs(ops.subtract(reconstructed, original)))


def identity_loss(original, mapped):
    """E|G(b) - b|: asks G to leave images already in its target domain unchanged."""
    return ops.mean(ops.abs(ops.subtract(mapped, original)))


GENERATOR_LOSSES = {
    "saturating": saturating_generator_loss,
    "non_saturating": non_saturating_generator_loss,
}


def generator_loss(name):
    """The generator loss called `name`: 'saturating' or 'non_saturating'."""
    return GENERATOR_LOSSES[one_of("g_loss", name, GENERATOR_LOSSES)]
