"""Lesson 03's exercises: `check_saturating_gradient`, `check_instance_noise_kl`, `check_penalised_critic_gap`."""

import math


from .checking import exercise, judge, read_number, sigmoid

__all__ = ["check_saturating_gradient", "check_instance_noise_kl", "check_penalised_critic_gap"]


SATURATING_LOGIT = -4.0
NOISE_THETA, NOISE_SIGMA = 0.6, 0.5
CRITIC_THETA, CRITIC_GP_WEIGHT = 2.0, 5.0


@exercise
def check_saturating_gradient(answer):
    """Lesson 03: ∂/∂ℓ log(1 − σ(ℓ)), the saturating G loss's gradient w.r.t. D's logit, at ℓ = −4, within 0.1 %."""
    value = read_number(answer, "the derivative at ℓ = −4")
    d = sigmoid(SATURATING_LOGIT)
    return judge(
        value, -d,
        why="when D rejects a fake confidently, the saturating loss hands G almost no gradient, just when G "
            "needs it most; the −log D loss does not.",
        hint="σ′(ℓ) = σ(ℓ)(1 − σ(ℓ)); differentiate log(1 − σ(ℓ)) by the chain rule.",
        mistakes=[(d, "mind the sign: log(1 − σ(ℓ)) falls as the logit ℓ grows."),
                  (-(1.0 - d), "that is the gradient of the non-saturating loss −log σ(ℓ); the question asks for "
                               "the saturating log(1 − σ(ℓ))."),
                  (1.0 - d, "that is (minus) the non-saturating loss's gradient; the question asks for the "
                            "saturating log(1 − σ(ℓ))."),
                  (d * (1.0 - d), "that is σ′(ℓ); the derivative of log(1 − σ) is −σ′/(1 − σ)."),
                  (-d * (1.0 - d), "that is −σ′(ℓ): the chain rule through the log also divides by 1 − σ(ℓ)."),
                  (-d / (1.0 - d), "that is −σ/(1 − σ) = −e^ℓ: σ′ = σ(1 − σ), so one factor 1 − σ cancels, "
                                   "not both.")])


@exercise
def check_instance_noise_kl(answer):
    """Lesson 03: KL(P_θ∗N‖P_0∗N) for lesson 03's segments at θ = 0.6, both seen through Gaussian noise of
    σ = 0.5 on each coordinate, in nats, within 0.1 %."""
    value = read_number(answer, "the KL in nats", allow_inf=True)
    theta, sigma = NOISE_THETA, NOISE_SIGMA
    return judge(
        value, theta ** 2 / (2.0 * sigma ** 2),
        why="noise spreads both segments over the plane, so they overlap: the divergence is finite and shrinks "
            "as θ → 0, so it has a gradient again.",
        hint="the y-coordinates have the same law in both and drop out; what is left is the KL of two "
             "1-D Gaussians with the same σ.",
        mistakes=[(math.inf, "that is the KL without noise; with noise both densities are positive everywhere."),
                  (theta ** 2 / sigma ** 2, "the KL of two Gaussians with the same σ is (Δμ)²/(2σ²): mind the ½."),
                  (math.log(2.0), "log 2 is the JS of the noiseless segments; the question asks for the KL "
                                  "with noise."),
                  (theta / (2.0 * sigma ** 2), "square the distance between the means.")])


@exercise
def check_penalised_critic_gap(answer):
    """Lesson 03: the held-out gap E_P0 f − E_Pθ f of the best gradient-penalty critic between lesson 03's segments,
    θ = 2 apart, with penalty weight λ = 5 (it is θ + θ²/(2λ), not W1 = θ), within 0.1 %."""
    value = read_number(answer, "the critic's gap")
    theta, lam = CRITIC_THETA, CRITIC_GP_WEIGHT
    slope = 1.0 + theta / (2.0 * lam)
    return judge(
        value, slope * theta,
        why="the penalty is soft: a slope above 1 costs λ(s − 1)² but earns θ·s, so the best critic overshoots W1 "
            "by θ²/(2λ). A penalised critic estimates W1 from above as well as below; λ sets by how much.",
        hint="let f have the same slope s along the first coordinate between the segments: its gap is s·θ and its "
             "penalty λ(s − 1)² (every interpolate lies between them). Maximise the difference over s.",
        mistakes=[(theta, "that is the exact W1, what a critic with slope exactly 1 reports; the penalty only pulls "
                          "the slope toward 1, it does not hold it there."),
                  (slope, "that is the best slope s; the question asks for the gap it reports, s·θ."),
                  ((1.0 + theta / lam) * theta, "differentiate λ(s − 1)²: mind the factor 2."),
                  ((1.0 + 1.0 / (2.0 * lam)) * theta, "the penalty is an average over the interpolates, λ(s − 1)², "
                                                      "not λ(s − 1)² for each unit of distance.")])
