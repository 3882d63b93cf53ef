"""gan_keras.metrics on hand-made samples whose answers are known."""

import itertools
import math

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import numpy as np
import pytest

from gan_keras.metrics import (
    js_divergence,
    kl_divergence,
    ks_statistic,
    mode_coverage,
    normal_cdf,
    sliced_wasserstein,
    wasserstein_1d,
)

CENTERS = gk.data.ring_centers()
STD = gk.data.RING_STD


def test_samples_on_five_centres_cover_five_modes_all_high_quality():
    samples = np.repeat(CENTERS[:5], 10, axis=0)
    stats = mode_coverage(samples, CENTERS, STD)
    assert stats["modes"] == 5
    assert stats["high_quality"] == 1.0
    assert stats["counts"].tolist() == [10] * 5 + [0] * 3


def test_samples_far_from_every_centre_cover_nothing():
    samples = np.full((20, 2), 10.0)
    stats = mode_coverage(samples, CENTERS, STD)
    assert stats["modes"] == 0
    assert stats["high_quality"] == 0.0


def test_uniform_assignment_has_zero_reverse_kl():
    samples = np.repeat(CENTERS, 7, axis=0)
    assert abs(mode_coverage(samples, CENTERS, STD)["reverse_kl"]) <= 1e-12


def test_all_samples_on_one_centre_have_reverse_kl_log_k():
    samples = np.repeat(CENTERS[3:4], 50, axis=0)
    stats = mode_coverage(samples, CENTERS, STD)
    assert stats["reverse_kl"] == pytest.approx(math.log(8), abs=1e-12)
    assert stats["modes"] == 1
    assert stats["effective_modes"] == pytest.approx(1.0, abs=1e-12)


def test_effective_modes_counts_an_even_spread_fully_and_stray_samples_barely():
    even = mode_coverage(np.repeat(CENTERS[:4], 25, axis=0), CENTERS, STD)
    assert even["effective_modes"] == pytest.approx(4.0, abs=1e-12)
    stray = mode_coverage(np.concatenate([np.repeat(CENTERS[:1], 993, axis=0), CENTERS[1:]]), CENTERS, STD)
    assert stray["modes"] == 8
    assert 1.0 < stray["effective_modes"] < 1.1


def test_high_quality_histogram_ignores_samples_off_the_modes_as_the_published_code_does():
    # 40 sharp samples on centre 0 and 10 on centre 1; 50 far-off samples nearest centre 2 (0.3 away).
    off = CENTERS[2] * 1.3
    samples = np.concatenate([np.repeat(CENTERS[:1], 40, axis=0), np.repeat(CENTERS[1:2], 10, axis=0),
                              np.repeat(off[None], 50, axis=0)])
    stats = mode_coverage(samples, CENTERS, STD)
    assert stats["counts"].tolist() == [40, 10, 50, 0, 0, 0, 0, 0]
    assert stats["high_quality_counts"].tolist() == [40, 10, 0, 0, 0, 0, 0, 0]
    # Σ q log(8 q) over q = (0.8, 0.2), by hand; the all-sample histogram (0.4, 0.1, 0.5) differs.
    assert stats["reverse_kl_high_quality"] == pytest.approx(0.8 * math.log(6.4) + 0.2 * math.log(1.6), abs=1e-12)
    assert stats["reverse_kl"] == pytest.approx(0.4 * math.log(3.2) + 0.1 * math.log(0.8) + 0.5 * math.log(4), abs=1e-12)
    assert stats["effective_modes_high_quality"] == pytest.approx(math.exp(-(0.8 * math.log(0.8) + 0.2 * math.log(0.2))), abs=1e-12)


def test_high_quality_histogram_is_nan_without_high_quality_samples():
    stats = mode_coverage(np.full((5, 2), 10.0), CENTERS, STD)
    assert stats["high_quality_counts"].sum() == 0
    assert math.isnan(stats["reverse_kl_high_quality"]) and math.isnan(stats["effective_modes_high_quality"])


def test_off_centre_share_is_zero_for_point_masses_and_the_cut_rayleigh_tail_for_the_gaussians_themselves():
    assert mode_coverage(np.repeat(CENTERS, 5, axis=0), CENTERS, STD)["off_centre"] == 0.0
    data = gk.data.sample_ring(20_000, seed=0)
    # 2-D Gaussian, r = ‖x − c‖/std Rayleigh, cut at 3: P(r > ½ | r ≤ 3) = (e^−⅛ − e^−4.5)/(1 − e^−4.5).
    cut = math.exp(-4.5)
    expected = (math.exp(-0.125) - cut) / (1 - cut)
    assert mode_coverage(data, CENTERS, STD)["off_centre"] == pytest.approx(expected, abs=0.01)
    mixed = np.concatenate([CENTERS, CENTERS + [[0.6 * STD, 0.0]], CENTERS + [[0.4 * STD, 0.0]]])   # one third beyond ½ std
    assert mode_coverage(mixed, CENTERS, STD)["off_centre"] == pytest.approx(1 / 3, abs=1e-12)
    assert math.isnan(mode_coverage(np.full((5, 2), 10.0), CENTERS, STD)["off_centre"])


def test_width_is_zero_for_one_point_mass_per_mode_and_the_cut_rayleigh_moment_for_the_gaussians_themselves():
    beside = mode_coverage(np.repeat(CENTERS + [[STD, 0.0]], 5, axis=0), CENTERS, STD)   # off the centres
    assert beside["off_centre"] == 1.0 and beside["width"] == pytest.approx(0.0, abs=1e-9)
    data = gk.data.sample_ring(20_000, seed=0)
    # r Rayleigh cut at 3: E[r² | r ≤ 3] = 2 − 9 e^−4.5 / (1 − e^−4.5); width = √(E[r²] / 2).
    cut = math.exp(-4.5)
    expected = math.sqrt((2 - 9 * cut / (1 - cut)) / 2)
    assert mode_coverage(data, CENTERS, STD)["width"] == pytest.approx(expected, abs=0.01)
    pairs = np.concatenate([CENTERS + [[STD, 0.0]], CENTERS - [[STD, 0.0]]])   # ±1 std: own mean the centre
    assert mode_coverage(pairs, CENTERS, STD)["width"] == pytest.approx(math.sqrt(0.5), abs=1e-9)
    strays = np.concatenate([CENTERS, CENTERS[:1] + [[10 * STD, 0.0]]])   # not high quality: not in the mode's mean
    assert mode_coverage(strays, CENTERS, STD)["width"] == 0.0
    in_3d = np.concatenate([np.zeros((1, 3)), np.array([[STD, 0.0, 0.0], [-STD, 0.0, 0.0]])])
    assert mode_coverage(in_3d, np.zeros((1, 3)), STD)["width"] == pytest.approx(math.sqrt(2 / 9), abs=1e-9)
    assert math.isnan(mode_coverage(np.full((5, 2), 10.0), CENTERS, STD)["width"])


def test_spacing_is_the_median_nearest_neighbour_distance_and_sees_jittered_point_masses():
    square = CENTERS[:1] + STD * np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0], [1.0, 2.0]])   # nearest others: 1, 1, 1, 1
    assert mode_coverage(square, CENTERS, STD)["spacing"] == pytest.approx(1.0)
    rng = np.random.default_rng(0)
    pairs = np.repeat(np.concatenate([CENTERS + [[STD, 0.0]], CENTERS - [[STD, 0.0]]]), 150, axis=0)
    jittered = mode_coverage(pairs + 0.01 * STD * rng.standard_normal(pairs.shape), CENTERS, STD)
    data = mode_coverage(gk.data.sample_ring(2_400, seed=0), CENTERS, STD)
    assert jittered["width"] >= 0.7 and jittered["spacing"] <= 0.1 * data["spacing"]
    strays = np.concatenate([square, square[:1] + 4 * STD])   # close to the square, but not high quality
    assert mode_coverage(strays, CENTERS, STD)["spacing"] == pytest.approx(1.0)
    assert math.isnan(mode_coverage(CENTERS, CENTERS, STD)["spacing"])   # one sample per mode: no neighbour in it


def test_spacing_worst_mode_sees_a_pile_of_over_a_tenth_of_one_mode_that_the_medians_hide():
    data = gk.data.sample_ring(2_500, seed=0)
    nearest = np.linalg.norm(data[:, None] - CENTERS[None], axis=-1).argmin(axis=1)
    clean = mode_coverage(data, CENTERS, STD)

    def piled(share):   # that share of mode 0's samples exactly on its centre
        on_pile = (nearest == 0) & (np.cumsum(nearest == 0) <= share * np.sum(nearest == 0))
        return mode_coverage(np.where(on_pile[:, None], CENTERS[0], data), CENTERS, STD)

    for share in (0.11, 0.45, 1.0):
        assert piled(share)["spacing"] >= 0.8 * clean["spacing"] and piled(share)["spacing_worst_mode"] == 0.0
    assert piled(0.05)["spacing_worst_mode"] >= 0.5 * clean["spacing_worst_mode"]   # a 10th percentile: 5 % unseen
    assert 0.2 * clean["spacing"] <= clean["spacing_worst_mode"] <= 0.45 * clean["spacing"]
    square = CENTERS[:1] + STD * np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0], [1.0, 2.0]])
    strays = np.concatenate([square, CENTERS[1:]])   # modes with one high-quality sample have no spacing
    assert mode_coverage(strays, CENTERS, STD)["spacing_worst_mode"] == pytest.approx(1.0)
    assert math.isnan(mode_coverage(CENTERS, CENTERS, STD)["spacing_worst_mode"])


def test_near_piles_pass_the_tightest_mode_bound():
    """The limits lessons 04, 05 and 07 state, on the ring: the tightest-mode row (≥ 0.08× the data's) sees exact
    piles, not an eighth of every mode jittered by a hundredth of a std, nor half of every mode set one std beside
    its centre and jittered by a twentieth (lesson 04)."""
    data = gk.data.sample_ring(2_500, seed=0)
    rng = np.random.default_rng(0)
    fresh = mode_coverage(gk.data.sample_ring(2_500, seed=1), CENTERS, STD)["spacing_worst_mode"]
    piled = gk.impostors.degenerate(data, CENTERS, STD)["an eighth piled"]
    on_centre = np.linalg.norm(piled[:, None] - CENTERS[None], axis=-1).min(axis=1) == 0.0
    jittered = piled + np.where(on_centre[:, None], 0.01 * STD * rng.standard_normal(piled.shape), 0.0)
    assert mode_coverage(piled, CENTERS, STD)["spacing_worst_mode"] == 0.0
    assert mode_coverage(jittered, CENTERS, STD)["spacing_worst_mode"] >= 0.08 * fresh
    nearest = np.linalg.norm(data[:, None] - CENTERS[None], axis=-1).argmin(axis=1)
    beside = CENTERS[nearest] + [STD, 0.0] + 0.05 * STD * rng.standard_normal(data.shape)
    half_beside = np.where((np.arange(len(data)) % 2 == 0)[:, None], beside, data)
    assert mode_coverage(half_beside, CENTERS, STD)["spacing_worst_mode"] >= 0.08 * fresh


def test_high_quality_threshold_is_inclusive_at_three_std():
    # Centre 0 is exactly (1, 0); std = 0.25 keeps 1 + 3·std exactly representable.
    std = 0.25
    at_3 = mode_coverage([[1.0 + 3 * std, 0.0]], CENTERS, std)
    beyond = mode_coverage([[1.0 + 3.01 * std, 0.0]], CENTERS, std)
    assert at_3["high_quality"] == 1.0 and at_3["modes"] == 1
    assert beyond["high_quality"] == 0.0 and beyond["modes"] == 0
    assert beyond["counts"][0] == 1  # still assigned to centre 0, just not high quality


def test_threshold_argument_scales_the_radius():
    sample = [[1.0 + 4 * 0.25, 0.0]]
    assert mode_coverage(sample, CENTERS, 0.25)["high_quality"] == 0.0
    assert mode_coverage(sample, CENTERS, 0.25, threshold=4.0)["high_quality"] == 1.0


def test_mismatched_dimensions_name_centers():
    with pytest.raises(ValueError, match="`centers`"):
        mode_coverage(np.zeros((4, 3)), CENTERS, STD)


@pytest.mark.parametrize("std, exc", [(0.0, ValueError), (-1.0, ValueError), ("0.1", TypeError)])
def test_bad_std_is_named(std, exc):
    with pytest.raises(exc, match="`std`"):
        mode_coverage(CENTERS, CENTERS, std)


def test_nan_samples_are_rejected():
    with pytest.raises(ValueError, match="`samples`"):
        mode_coverage([[np.nan, 0.0]], CENTERS, STD)


def test_normal_cdf_known_values():
    assert normal_cdf(0.0) == pytest.approx(0.5)
    assert normal_cdf(1.0) == pytest.approx(0.8413447460685429)
    assert normal_cdf(3.0, mean=3.0, std=2.0) == pytest.approx(0.5)


def test_ks_statistic_of_one_sample_at_the_median_is_half():
    assert ks_statistic([0.0], normal_cdf) == pytest.approx(0.5)


def test_ks_statistic_rejects_a_non_callable_cdf():
    with pytest.raises(TypeError, match="`cdf`"):
        ks_statistic([0.0, 1.0], "normal")


def test_wasserstein_1d_is_the_shift_between_sorted_samples():
    a = np.array([3.0, 1.0, 2.0])
    assert wasserstein_1d(a, a + 0.5) == pytest.approx(0.5)
    assert wasserstein_1d(a, a[::-1]) == 0.0
    with pytest.raises(ValueError, match="`a` and `b`"):
        wasserstein_1d([1.0, 2.0], [1.0])


def test_sliced_wasserstein_is_zero_for_equal_samples_and_reproducible():
    a = gk.data.sample_ring(200, seed=0)
    assert sliced_wasserstein(a, a) == 0.0
    b = a + np.float32(1.0)
    assert sliced_wasserstein(a, b, seed=1) == sliced_wasserstein(a, b, seed=1)
    assert sliced_wasserstein(a, b) > 0.0


def test_kl_and_js_on_hand_made_histograms():
    assert kl_divergence([1, 1], [1, 1]) == 0.0
    assert kl_divergence([1, 0], [1, 1]) == pytest.approx(math.log(2))
    assert kl_divergence([1, 1], [1, 0]) == float("inf")
    assert js_divergence([1, 0], [0, 1]) == pytest.approx(math.log(2))
    assert js_divergence([2, 2], [1, 1]) == pytest.approx(0.0)


def test_divergences_reject_bad_histograms():
    with pytest.raises(ValueError, match="`p`"):
        kl_divergence([-1, 2], [1, 1])
    with pytest.raises(ValueError, match="same length"):
        js_divergence([1, 1], [1, 1, 1])


@pytest.mark.parametrize("call, name", [
    (lambda: ks_statistic(0.5, normal_cdf), "samples"),
    (lambda: wasserstein_1d(1.0, [2.0]), "a"),
])
def test_scalar_samples_raise_naming_the_argument(call, name):
    with pytest.raises((TypeError, ValueError), match=f"`{name}`"):
        call()


def test_spearman_of_monotone_reversed_and_tied_sequences():
    from gan_keras.metrics import spearman

    x = [0.1, 0.5, 2.0, 3.0, 40.0]
    assert spearman(x, np.exp(x)) == pytest.approx(1.0)  # any increasing map keeps the ranks
    assert spearman(x, [-v ** 3 for v in x]) == pytest.approx(-1.0)
    # Hand-made: ranks of x are (1, 2.5, 2.5, 4), of y (1, 3, 2, 4); ρ = 4.5 / sqrt(4.5 · 5) = sqrt(0.9).
    assert spearman([1, 2, 2, 3], [1, 3, 2, 4]) == pytest.approx(math.sqrt(0.9), rel=1e-12)
    assert spearman([1, 2, 3], [1, 3, 2]) == pytest.approx(0.5)  # 1 - 6·2 / (3·8)


@pytest.mark.parametrize("x, y, exc, name", [
    ([1, 2, 3], [1, 2, 3, 4], ValueError, "same length"),
    ([1, 2], [1, 2], ValueError, "`x`"),
    ([[1, 2, 3]], [[1, 2, 3]], ValueError, "`x`"),
    ([1, 2, 3], [1, np.nan, 3], ValueError, "`y`"),
    ([1, 1, 1], [1, 2, 3], ValueError, "`x` is constant"),
    (["a", "b", "c"], [1, 2, 3], TypeError, "`x`"),
])
def test_spearman_rejects_bad_input(x, y, exc, name):
    from gan_keras.metrics import spearman

    with pytest.raises(exc, match=name):
        spearman(x, y)


# --- label preservation --------------------------------------------------------------------------------

def test_label_preservation_from_scores_and_from_class_ids():
    from gan_keras.metrics import label_preservation

    scores = np.array([[0.1, 0.9, 0.0], [2.0, -1.0, 0.5], [0.0, 0.2, 0.3], [5.0, 0.0, 0.0]])  # argmax 1, 0, 2, 0
    labels = np.array([1, 0, 1, 2])
    assert label_preservation(scores, labels) == 0.5
    assert label_preservation(np.array([1, 0, 2, 0]), labels) == 0.5
    assert label_preservation(labels, labels) == 1.0


@pytest.mark.parametrize("predictions, labels, name", [
    (np.zeros((3, 10)), np.zeros(4), "predictions"),
    (np.zeros((2, 3, 4)), np.zeros(2), "predictions"),
    (np.zeros(3), np.zeros((3, 1)), "labels"),
    (np.array([0.0, np.nan]), np.zeros(2), "predictions"),
])
def test_label_preservation_rejects_bad_input(predictions, labels, name):
    from gan_keras.metrics import label_preservation

    with pytest.raises(ValueError, match=f"`{name}`"):
        label_preservation(predictions, labels)


def test_wasserstein_exact_matches_brute_force_on_small_sets():
    rng = np.random.default_rng(0)
    for n in (1, 2, 4, 6):
        a, b = rng.normal(size=(n, 2)), rng.normal(size=(n, 2))
        cost = np.linalg.norm(a[:, None] - b[None], axis=-1)
        best = min(cost[np.arange(n), list(p)].mean() for p in itertools.permutations(range(n)))
        assert gk.metrics.wasserstein_exact(a, b) == pytest.approx(best, abs=1e-12)


def test_wasserstein_exact_of_a_shift_is_its_length():
    a = np.random.default_rng(1).normal(size=(50, 3))
    assert gk.metrics.wasserstein_exact(a, a + [0.3, 0.0, 0.4]) == pytest.approx(0.5)
    assert gk.metrics.wasserstein_exact(a, a[::-1]) == pytest.approx(0.0, abs=1e-12)


def test_wasserstein_exact_checks_its_arguments():
    with pytest.raises(ValueError, match="`b`"):
        gk.metrics.wasserstein_exact(np.zeros((3, 2)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="`b`"):
        gk.metrics.wasserstein_exact(np.zeros((3, 2)), np.zeros((3, 3)))
