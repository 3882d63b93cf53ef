"""Lesson 01's exercises: `check_inverse_cdf`, `check_sorted_w1`, `check_best_accuracy`."""

import math

import numpy as np

from .checking import call_answer, exercise, judge, judge_values, output_values, read_function, read_number

__all__ = ["check_inverse_cdf", "check_sorted_w1", "check_best_accuracy"]


EXPONENTIAL_RATE = 2.0
SORTED_W1_DATA = (0.5, -1.0, 2.0, 4.0)        # x, four data samples
SORTED_W1_GENERATED = (3.0, 0.0, -2.0, 5.0)   # G(z), four generated samples


@exercise
def check_inverse_cdf(inverse_cdf):
    """Lesson 01: `inverse_cdf(z)` maps `(n,)` uniform samples in (0, 1) to samples of the exponential distribution with
    rate 2 (density 2e^(−2x), x ≥ 0) by inverting its CDF; the increasing and the decreasing map both pass,
    within 1e-4."""
    inverse_cdf = read_function(inverse_cdf,
                                "inverse_cdf(z), mapping `(n,)` uniform samples to `(n,)` exponential samples")
    z = np.linspace(0.005, 0.995, 199)
    x = output_values(call_answer(inverse_cdf, (z.copy(),), "inverse_cdf(z)"), "inverse_cdf(z)", z.shape)
    rate = EXPONENTIAL_RATE
    increasing = -np.log1p(-z) / rate
    return judge_values(
        x, (increasing, -np.log(z) / rate),
        why="inverting a CDF turns uniform noise into any 1-D distribution; a GAN's G learns such a map "
            "where no formula exists.",
        hint="G(z) is the x that solves F(x) = z, with the exponential's CDF F(x) = 1 − e^(−2x).",
        mistakes=[(1.0 - np.exp(-rate * z), "that applies the CDF F itself; G is its inverse, the x that solves "
                                            "F(x) = z."),
                  (increasing * rate, "the shape is right, the scale is not: where does the rate go when you "
                                      "solve 1 − e^(−2x) = z for x? (The mean should be ½.)"),
                  (increasing * rate ** 2, "the shape is right, the scale is not: the rate divides, it does "
                                           "not multiply (the mean should be ½).")])


@exercise
def check_sorted_w1(answer):
    """Lesson 01: W1 between the samples x = (0.5, −1, 2, 4) and G(z) = (3, 0, −2, 5), within 0.1 %."""
    value = read_number(answer, "W1 of the two samples")
    x, g = np.array(SORTED_W1_DATA), np.array(SORTED_W1_GENERATED)
    return judge(
        value, float(np.abs(np.sort(x) - np.sort(g)).mean()),
        why="in 1-D the optimal transport plan pairs the samples in sorted order, which is why section 3 sorts "
            "both batches inside the loss.",
        hint="sort both samples, pair them in that order, and average the absolute differences.",
        mistakes=[(float(np.abs(x - g).mean()), "you paired the samples in the order they are listed; nothing "
                                                "pairs a data sample with a generated one: sort both first."),
                  (float(np.abs(np.sort(x) - np.sort(g)).sum()), "W1 averages the distances (each sample carries "
                                                                 "mass 1/n); it does not add them."),
                  (abs(float(x.mean() - g.mean())), "that is the gap between the means, a lower bound on W1: "
                                                    "sorted pairs can differ in both directions.")])


SHIFTED_MEAN = 1.0   # the data N(0, 1) against a generator's samples N(1, 1), equal numbers of each


def _normal_cdf(t):
    return 0.5 * (1.0 + math.erf(t / math.sqrt(2.0)))


@exercise
def check_best_accuracy(answer):
    """Lesson 01: the best possible accuracy of any D telling N(0, 1) data from N(1, 1) samples, equal numbers of
    each, within 0.1 %."""
    value = read_number(answer, "the best possible accuracy (a fraction between ½ and 1)")
    right = _normal_cdf(SHIFTED_MEAN / 2.0)   # the Bayes rule says "real" for x < ½, where the densities cross
    total_variation = 2.0 * right - 1.0
    return judge(
        value, right,
        why="the best D says \"real\" wherever the data's density is the larger, and its accuracy is "
            "½ + ½·TV(p, q): a learned D can approach that, never pass it.",
        hint="the best D says \"real\" wherever the data's density is the larger: find where the two densities "
             "cross, then average the probability of a right answer on each set.",
        mistakes=[(_normal_cdf(SHIFTED_MEAN), "the cut sits where the two densities cross, halfway between the "
                                             "means: each set is then half a standard deviation from it."),
                  (total_variation, "that is the total-variation distance TV; the accuracy is ½ + ½·TV."),
                  (100.0 * right, "answer a fraction between ½ and 1, not a percent."),
                  (0.5, "½ is chance: equal variances do not make the sets alike when their means differ.")])
