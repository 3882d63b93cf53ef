"""Lesson 04's exercises, one `check_*` per question of its Practice section:

- `check_kl_collapse`
- `check_forward_kl_fit`
- `check_effective_modes`
- `check_packed_collapse_loss`
"""

import math

import numpy as np

from .checking import close, exercise, judge, read_number, read_pair, typed_hint, verdict

__all__ = ["check_kl_collapse", "check_forward_kl_fit", "check_effective_modes", "check_packed_collapse_loss"]


FORWARD_KL_WEIGHTS = (0.3, 0.7)
FORWARD_KL_CENTRES = (-1.0, 2.0)
FORWARD_KL_STD = 0.5
MODE_SHARES = (0.7, 0.1, 0.1, 0.1, 0.0, 0.0, 0.0, 0.0)
COLLAPSE_SHARES = (0.75, 0.25)   # exercise 1: G's shares of its two modes


@exercise
def check_kl_collapse(answer):
    """Lesson 04: KL(P_g‖P_r) in nats when G reproduces two of the ring's 8 Gaussians with shares ¾ and ¼, within 0.1 %."""
    value = read_number(answer, "KL(P_g‖P_r) in nats", allow_inf=True)
    shares = np.array(COLLAPSE_SHARES)
    right = float(np.sum(shares * np.log(8 * shares)))
    return judge(
        value, right,
        why="the reverse KL charges a G that drops six of eight modes only a modest, finite price: dropping "
            "modes is cheap for a loss that contains it.",
        hint="on mode k, P_g ≈ q_k p_k and P_r ≈ p_k/8 (the other modes are negligible there), so log(P_g/P_r) "
             "≈ log(8 q_k); average it over P_g, that is, weight it by q_k.",
        mistakes=[(math.inf, "that is the forward KL(P_r‖P_g), infinite because P_g is 0 on six modes; the "
                             "question asks for the reverse KL(P_g‖P_r), the one in the −log D loss."),
                  (right / math.log(2.0), "that is in bits (log base 2); the course measures in nats."),
                  (-right, "KL is never negative: average log(P_g/P_r), not log(P_r/P_g)."),
                  (math.log(4.0), "that is the answer for two modes shared evenly; weight each mode's log(8 q_k) by "
                                  "its own share q_k."),
                  (math.log(8.0), "that is the answer for one mode; here G keeps two.")])


@exercise
def check_forward_kl_fit(answer):
    """Lesson 04: (μ, σ) of the Gaussian that minimises KL(p‖q) for p = 0.3·N(−1, 0.5²) + 0.7·N(2, 0.5²),
    each within 0.1 %."""
    mu, sigma = read_pair(answer, "(μ, σ)")
    w, c, s = np.array(FORWARD_KL_WEIGHTS), np.array(FORWARD_KL_CENTRES), FORWARD_KL_STD
    right_mu = float(np.sum(w * c))
    spread = float(np.sum(w * (c - right_mu) ** 2))
    right_sigma = math.sqrt(s ** 2 + spread)
    right = close(mu, right_mu) and close(sigma, right_sigma)
    if right:
        hint = ""
    elif any(close(mu, centre) for centre in c) and close(sigma, s):
        hint = "that Gaussian sits on one bump: the reverse-KL (mode-seeking) fit. The forward KL must cover all of p."
    elif not close(mu, right_mu):
        hint = "the forward-KL fit matches p's mean: weigh each bump's centre by its weight."
    else:
        hint = typed_hint(sigma, right_sigma, "the forward-KL fit matches p's mean and variance; p's variance is the "
                                              "bumps' own variance plus the spread of their centres.", [
            (math.sqrt(spread), "the variance of p adds the bumps' own variance to the spread of their centres."),
            (right_sigma ** 2, "that is σ², the variance; the question asks for the standard deviation σ.")])
    return verdict(right, why="minimising the forward KL over Gaussians matches p's mean and variance "
                               "(moment matching): q covers both bumps and the gap between them.", hint=hint)


@exercise
def check_effective_modes(answer):
    """Lesson 04: the effective number of modes e^H of G's shares (0.7, 0.1, 0.1, 0.1, 0, 0, 0, 0), within 0.1 %."""
    value = read_number(answer, "the effective number of modes")
    p = np.array(MODE_SHARES)
    p = p[p > 0]
    entropy = float(-np.sum(p * np.log(p)))
    return judge(
        value, math.exp(entropy),
        why="e^H weighs each mode by its share of the samples; the count of covered modes credits every mode "
            "a few stray samples touch.",
        hint="H = −Σ p_k log p_k over the shares (0 log 0 = 0), and the effective number is e^H.",
        mistakes=[(4.0, "that is the count of modes with samples; the effective number weighs each by its share."),
                  (entropy, "that is the entropy H; the effective number of modes is e^H."),
                  (8.0, "eight would need an even spread; most samples here sit on one mode."),
                  (1.0 / float(np.sum(p ** 2)), "that is 1/Σp², another 'effective number'; the lesson's is e^H.")])


PACKED_COLLAPSE_PACK = 2


@exercise
def check_packed_collapse_loss(answer):
    """Lesson 04: G's non-saturating loss −E log D* in nats when G reproduces exactly one of the ring's 8
    Gaussians and the optimal D judges packs of 2 samples (PacGAN2), within 0.1 %."""
    value = read_number(answer, "G's loss in nats", allow_inf=True)
    m = PACKED_COLLAPSE_PACK
    right = math.log(1.0 + 8.0 ** m)
    return judge(
        value, right,
        why="a pack of samples all on one mode is every pack of a collapsed G and rare in the data, so the "
            "optimal packed D scores collapse far lower than the single-sample D* does, and G pays far more "
            "for it: the price of collapse grows about linearly in the pack size.",
        hint="on G's packs D* = p_r(x1)p_r(x2) / (p_r(x1)p_r(x2) + p_g(x1)p_g(x2)); on G's mode p_r ≈ p_g/8 "
             "for each sample. Average −log D* over G's packs.",
        mistakes=[(math.log(9.0), "that is the single-sample loss; with packs D* compares products of two "
                                  "densities."),
                  (m * math.log(9.0), "that adds two single-sample losses; the packed D* judges the pair at once, "
                                      "from the product of the two densities."),
                  (m * math.log(8.0), "close, but D* = a/(a + b), not a/b: keep the real packs' density a in "
                                      "the denominator."),
                  (math.log(2.0), "log 2 is G's loss when D cannot tell at all (D = ½); here D is optimal and G "
                                  "has collapsed."),
                  (math.log(1.0 + 8.0 ** -m), "that is D's loss on the fake packs, −log(1 − D*); G's "
                                              "non-saturating loss is −log D*.")])
