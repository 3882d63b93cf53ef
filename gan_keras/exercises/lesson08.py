"""Lesson 08's exercises, one `check_*` per question of its Practice section:

- `check_transposed_output_size`
- `check_frechet_gaussians`
- `check_fd_floor_mean_term`
"""

import math

import numpy as np

from .checking import exercise, judge, read_number

__all__ = ["check_transposed_output_size", "check_frechet_gaussians", "check_fd_floor_mean_term"]

TRANSPOSED_SIDE, TRANSPOSED_KERNEL, TRANSPOSED_STRIDE = 3, 4, 2
FD_MEANS = ((0.0, 0.0), (1.0, 2.0))
FD_VARIANCES = ((1.0, 4.0), (4.0, 1.0))     # diagonal covariances
FLOOR_FEATURES, FLOOR_N = 64, 400


@exercise
def check_transposed_output_size(answer):
    """Lesson 08: the side of the output of a 4×4 transposed convolution with stride 2 and padding 'valid' on a
    3×3 input map, exactly."""
    value = read_number(answer, "the side of the output map, in pixels")
    n, k, s = TRANSPOSED_SIDE, TRANSPOSED_KERNEL, TRANSPOSED_STRIDE
    right = (n - 1) * s + k
    return judge(
        value, right,
        why="a transposed convolution pastes one k×k stamp per input pixel, s pixels apart: (n − 1)·s + k, the "
            "inverse of a convolution's ⌊(n − k)/s⌋ + 1; padding 'same' trims it to n·s, which is what G uses.",
        hint="each input pixel pastes a k×k stamp into the output, the stamps s pixels apart: how far does the "
             "last stamp reach?",
        mistakes=[(n * s, "that is padding 'same', which crops the output to n·s; 'valid' keeps every stamp whole."),
                  ((n - 1) * s + 1, "that counts the stamps' top-left corners only; each stamp is k pixels wide."),
                  ((n - k) / s + 1, "that is a (forward) convolution's output size; the transposed one goes the "
                                    "other way."),
                  (n * s + k, "the stamps are s apart, so n stamps span (n − 1)·s, plus one stamp's width."),
                  (right ** 2, "give the side of the square, not its area.")])


def _frechet_by_hand():
    (m1, m2), (v1, v2) = np.array(FD_MEANS), np.array(FD_VARIANCES)
    means = float(np.sum((m1 - m2) ** 2))
    return means, float(np.sum(v1 + v2 - 2.0 * np.sqrt(v1 * v2)))


@exercise
def check_frechet_gaussians(answer):
    """Lesson 08: the Fréchet distance |μ₁ − μ₂|² + tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½) between N((0, 0), diag(1, 4)) and
    N((1, 2), diag(4, 1)), within 0.1 %."""
    value = read_number(answer, "the Fréchet distance (a number)")
    means, covariances = _frechet_by_hand()
    (v1, v2) = np.array(FD_VARIANCES)
    return judge(
        value, means + covariances,
        why="the Fréchet distance is the squared 2-Wasserstein distance between the two Gaussians: a mean term "
            "and a covariance term; here the spreads differ though their totals (traces) are equal, and the "
            "covariance term sees it.",
        hint="for diagonal covariances (Σ₁Σ₂)^½ is diagonal too, with entries √(σ₁²σ₂²); add the squared mean "
             "difference and the trace term.",
        mistakes=[(means, "that is the mean term alone; the covariances differ too (diag(1, 4) against diag(4, 1))."),
                  (covariances, "that is the covariance term alone; the means differ too."),
                  (means + float(np.sum(v1 + v2)), "the trace term subtracts 2·tr((Σ₁Σ₂)^½): the closer the "
                                                    "covariances, the more it takes away."),
                  (means + float(np.sum(v1 + v2 - 2.0 * v1 * v2)), "take the square root of Σ₁Σ₂ before the trace."),
                  (math.sqrt(means + covariances), "the Fréchet distance of FID is the *squared* 2-Wasserstein "
                                                   "distance: no square root at the end.")])


@exercise
def check_fd_floor_mean_term(answer):
    """Lesson 08: the expected mean term E|m₁ − m₂|² of the Fréchet distance between two independent samples of
    n = 400 from one distribution of 64 features with identity covariance (m₁, m₂ the sample means), within 0.1 %."""
    value = read_number(answer, "the expected mean term (a number)")
    d, n = FLOOR_FEATURES, FLOOR_N
    return judge(
        value, 2.0 * d / n,
        why="each sample mean scatters around the true mean with covariance Σ/n, so their difference has "
            "covariance 2Σ/n and E|m₁ − m₂|² = 2·tr(Σ)/n: two samples of one distribution are never at distance "
            "0, which is why the lesson prints a real-vs-real floor at the same n.",
        hint="m₁ − m₂ is a difference of two independent sample means: what is its covariance, and what is the "
             "expected squared length of a vector with that covariance?",
        mistakes=[(0.0, "the means are equal in expectation, but their squared difference is not 0 on average."),
                  (d / n, "that is one sample mean's scatter; the difference of two independent means has twice "
                          "the variance."),
                  (2.0 / n, "that is one feature; sum the expected squares over all 64."),
                  (2.0 * d / n ** 2, "a sample mean's variance is σ²/n, not σ²/n²."),
                  (math.sqrt(2.0 * d / n), "the mean term is a squared distance: no square root.")])
