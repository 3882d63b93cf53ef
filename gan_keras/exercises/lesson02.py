"""Lesson 02's exercises, one `check_*` per question of its Practice section:

- `check_optimal_d`
- `check_js_half_overlap`
- `check_non_saturating_loss`
- `check_c_of_g_uniform`
"""

import math

import numpy as np

from .checking import (VALUES_TOLERANCE, call_answer, close, exercise, float32_tensor, hint_for, judge, judge_values,
                       normal_pdf, output_scalar, output_values, read_function, read_number, verdict)

__all__ = ["check_optimal_d", "check_js_half_overlap", "check_non_saturating_loss", "check_c_of_g_uniform"]


OPTIMAL_D_REAL = (0.0, 1.0)        # p_r = N(0, 1): mean, std
OPTIMAL_D_GENERATED = (2.0, 1.0)   # p_g = N(2, 1)


@exercise
def check_optimal_d(optimal_d):
    """Lesson 02: `optimal_d(x)` is the best D for p_r = N(0, 1) and p_g = N(2, 1), a probability per
    `(n,)` point x, within 1e-4."""
    optimal_d = read_function(optimal_d, "optimal_d(x), mapping `(n,)` points to `(n,)` probabilities")
    x = np.linspace(-3.0, 5.0, 161)
    d = output_values(call_answer(optimal_d, (x.copy(),), "optimal_d(x)"), "optimal_d(x)", x.shape)
    p_r, p_g = normal_pdf(x, *OPTIMAL_D_REAL), normal_pdf(x, *OPTIMAL_D_GENERATED)
    right = p_r / (p_r + p_g)
    return judge_values(
        d, (right,),
        why="D* = p_r / (p_r + p_g). Here its logit is a straight line in x, so even logistic regression "
            "could find it: a trained D can reach the optimum.",
        hint="for fixed G, maximise p_r(x) log D + p_g(x) log(1 − D) at each x separately.",
        mistakes=[(1.0 - right, "that is the probability that x is fake; D(x) is the probability that x is real."),
                  (p_r / p_g, "a probability stays in [0, 1]: divide p_r by p_r + p_g, not by p_g."),
                  (np.full_like(x, 0.5), "½ everywhere is D* only when p_g = p_r, and here they differ.")])


@exercise
def check_js_half_overlap(answer):
    """Lesson 02: JS(p_r‖p_g) in nats for p_r uniform on [0, 1] and p_g uniform on [½, 3/2], within 0.1 %."""
    value = read_number(answer, "JS(p_r‖p_g) in nats", allow_inf=True)
    right = 0.5 * math.log(2.0)   # the half of each distribution outside the overlap contributes log 2, the rest 0
    return judge(
        value, right,
        why="only the mass outside the overlap counts, log 2 for each unit of it: shifted by s ≤ 1, JS = s·log 2. "
            "It grows with the shift until the supports part (s = 1), then sits at log 2 however far apart they "
            "are: a divergence with no gradient from there on (lesson 03).",
        hint="JS = ½KL(p_r‖M) + ½KL(p_g‖M) with the mixture M = (p_r + p_g)/2: split [0, 3/2] where M changes.",
        mistakes=[(math.log(2.0), "that is JS of disjoint supports (or KL(p_r‖M) + KL(p_g‖M), without the halves); "
                                  "on the overlap [½, 1] the two densities are equal, so M = p_r = p_g there and that "
                                  "part adds nothing."),
                  (math.inf, "that is the symmetrised KL, ½KL(p_r‖p_g) + ½KL(p_g‖p_r), which divides by a density "
                             "that is 0 on half of each support. JS compares each with the mixture M = (p_r + p_g)/2, "
                             "positive wherever either one is."),
                  (0.5, "that is in bits (log base 2); the course measures in nats, with the natural log."),
                  (0.0, "JS is 0 only when the two distributions are equal; these share only half their mass."),
                  (0.25 * math.log(2.0), "JS has two terms, ½KL(p_r‖M) and ½KL(p_g‖M), equal here by symmetry: "
                                         "count both.")])


@exercise
def check_non_saturating_loss(non_saturating_loss):
    """Lesson 02: `non_saturating_loss(fake_logits)` returns −E log D(G(z)) from `(batch, 1)` logits, as one
    number, finite for any logit (±200 included), within 1e-4 relative."""
    loss = read_function(non_saturating_loss, "non_saturating_loss(fake_logits), returning one number")
    name = "non_saturating_loss(fake_logits)"
    moderate = np.array([[-4.0], [-1.5], [0.0], [0.5], [3.0]])
    value = output_scalar(call_answer(loss, (float32_tensor(moderate),), name), name)
    right = float(np.mean(np.logaddexp(0.0, -moderate)))
    if not (math.isfinite(value) and math.isclose(value, right, rel_tol=VALUES_TOLERANCE)):
        return verdict(False, "", hint_for(value, "−log D with D = σ(ℓ), averaged over the batch.", [
            (-float(np.mean(np.logaddexp(0.0, moderate))), "that is the saturating loss E log(1 − D); the "
                                                           "non-saturating one is −E log D."),
            (-right, "mind the sign: G minimises −log D, which is positive."),
            (float(np.mean(np.logaddexp(0.0, moderate))), "that is −log(1 − D), D's loss on fakes; G's is −log D.")]))
    extreme = np.array([[-200.0], [-30.0], [0.0], [30.0], [200.0]])
    value = output_scalar(call_answer(loss, (float32_tensor(extreme),), name), name)
    right = float(np.mean(np.logaddexp(0.0, -extreme)))
    if not math.isfinite(value):
        return verdict(False, "", "right for moderate logits, but not finite at a logit of −200. In float32 that "
                                   "happens two ways: exp(200) overflows to ∞ (the largest float32 is about e^88.7), "
                                   "so log(1 + exp(−ℓ)) is ∞; or σ(−200) rounds to 0, and −log 0 = ∞. A stable form "
                                   "takes neither the exp of a large positive number nor the log of σ.")
    return verdict(math.isclose(value, right, rel_tol=VALUES_TOLERANCE),
                    why="−log σ(ℓ) = softplus(−ℓ) never takes log 0, so the loss stays finite and keeps its "
                        "gradient for any logit, however sure D is.",
                    hint="right for moderate logits, but off at ±200: clipping D away from 0 caps the loss. "
                         "Write −log σ(ℓ) in a form that needs no log of σ.")


@exercise
def check_c_of_g_uniform(answer):
    """Lesson 02: C(G) = max_D V(G, D) in nats for p_r uniform on [0, 1] and p_g uniform on [0, 2], within 0.1 %."""
    value = read_number(answer, "C(G) in nats", allow_inf=True)
    kl_r, kl_g = math.log(4.0 / 3.0), 0.5 * math.log(4.0 / 3.0)   # KL(p_r‖M), KL(p_g‖M); M = ¾ on [0, 1], ¼ on (1, 2]
    right = -math.log(4.0) + kl_r + kl_g
    return judge(
        value, right,
        why="C(G) = −log 4 + KL(p_r‖M) + KL(p_g‖M) sits above its minimum −log 4 because p_g ≠ p_r, and it is "
            "finite although p_r is 0 on half of p_g's support: the mixture M is positive wherever either is.",
        hint="the mixture M = (p_r + p_g)/2 is ¾ on [0, 1] and ¼ on (1, 2]; compute KL(p_r‖M) and KL(p_g‖M) "
             "region by region, and do not forget the constant.",
        mistakes=[(kl_r + kl_g, "that is KL(p_r‖M) + KL(p_g‖M); C(G) adds −log 4 to it."),
                  ((kl_r + kl_g) / 2.0, "that is JS(p_r‖p_g); C(G) = 2·JS − log 4."),
                  (-math.log(4.0), "−log 4 is C(G) only when p_g = p_r; here they differ."),
                  (-math.log(4.0) + 2.0 * kl_r, "p_g has density ½: weight each region's log by its mass ½ under p_g."),
                  (right / math.log(2.0), "that is in bits (log base 2); the course measures in nats."),
                  (math.inf, "C(G) compares p_r and p_g with their mixture M, which is positive wherever either "
                             "is: it is never infinite.")])
