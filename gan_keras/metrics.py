"""Sample-quality numbers the lessons assert: mode coverage, 1-D KS and W1, divergences on histograms.

All take and return NumPy values; none needs a model.
"""

import math

import numpy as np

from .checks import array, function, positive_float, positive_int

_erf = np.vectorize(math.erf, otypes=[np.float64])


def normal_cdf(x, mean=0.0, std=1.0):
    """Φ((x - mean) / std), elementwise."""
    return 0.5 * (1.0 + _erf((np.asarray(x, dtype=np.float64) - mean) / (std * math.sqrt(2.0))))


def mode_coverage(samples, centers, std, threshold=3.0):
    """Mode coverage per the PacGAN protocol.

    Each sample goes to its nearest centre; it is *high quality* if within `threshold`·std of it.
    A mode is *covered* if at least one high-quality sample goes to it. The reverse KL is that of the
    histogram of nearest-centre assignments (all samples) from uniform: Σ p_k log(K p_k); the effective
    number of modes is exp of that histogram's entropy, K·exp(−reverse KL): K for an even spread, 1 for a
    single mode, near 1 when a mode is "covered" only by a few stray samples. `off_centre` is the share of the
    high-quality samples more than half a std from their centre, what the protocol cannot see otherwise: point
    masses at the centres score every mode at 100 % high quality with an `off_centre` of 0, and a G that piles
    most of its mass there scores little more (samples of the Gaussians themselves: 0.88 in 2-D). `width` is
    the RMS distance of the high-quality samples from their own mode's mean, over `std`·√d: 0.97 for the
    Gaussians themselves in 2-D (cut at 3 std), 0 for one point mass per mode wherever it sits (a mode with a
    single high-quality sample counts 0; few samples bias it low by √((n−1)/n)). `spacing` is the median
    distance from a high-quality sample to its nearest other one in its mode (modes with one are left out),
    over `std`: a few point masses per mode score near 0, and still do when jittered by a small part of a std,
    where the Gaussians themselves score about 0.1 (2,500 samples on 8 modes in 2-D; it falls as 1/√n). A
    width alone cannot see them (two points 1 std either side of a centre: 0.71). Neither rules out samples
    spread along a curve: points evenly spaced on a circle 2 std around each centre pass a bound at a fraction
    of the data's (width 1.46, spacing 0.40 of the data's in lesson 04). All three are pooled
    over modes, so one mode made of a pile of identical points hides among seven good ones, and a median sees
    a pile only when it holds over half the samples around it. `spacing_worst_mode` is the smallest, over the
    modes with two high-quality samples or more, of the 10th percentile of the same distances within the mode:
    about 0.4 of the mode's median for a smooth density in 2-D, 0 once just over a tenth of a mode's samples are
    exact copies (piles of 9 % mostly pass), and blind to piles that are not exact (an eighth of every mode
    jittered by a hundredth of a std passes a bound at 0.08 of the data's). A mode holds an `(n, n)` matrix of
    distances, so keep n to a few thousand.

    The published tables (VEEGAN, Srivastava et al. 2017; PacGAN, Lin et al. 2018, whose code computes it
    so) histogram only the high-quality samples: `reverse_kl_high_quality` and `effective_modes_high_quality`
    are the same two numbers from that histogram (`high_quality_counts`); NaN when no sample is high quality.

    Args:
        samples: (n, d); centers: (K, d); std: the components' standard deviation.
    Returns:
        dict with modes (int), high_quality (fraction in [0, 1]), reverse_kl (float), effective_modes
        (float in [1, K]), off_centre (fraction in [0, 1]), width, spacing and spacing_worst_mode (floats ≥ 0),
        these four NaN when no sample is high quality (the spacings also when no mode has two), counts ((K,)
        ints), high_quality_counts ((K,) ints), reverse_kl_high_quality and effective_modes_high_quality (floats).
    """
    samples = array("samples", samples, ndim=2)
    centers = array("centers", centers, ndim=2, last_dim=samples.shape[1])
    std = positive_float("std", std)
    threshold = positive_float("threshold", threshold)
    dist = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=-1)
    nearest = dist.argmin(axis=1)
    to_nearest = dist[np.arange(len(samples)), nearest]
    good = to_nearest <= threshold * std
    k = len(centers)
    counts = np.bincount(nearest, minlength=k)
    p = counts / counts.sum()
    nz = p > 0
    reverse_kl = float(np.sum(p[nz] * np.log(k * p[nz])))
    hq_counts = np.bincount(nearest[good], minlength=k)
    if hq_counts.sum() > 0:
        q = hq_counts / hq_counts.sum()
        reverse_kl_hq = float(np.sum(q[q > 0] * np.log(k * q[q > 0])))
    else:
        reverse_kl_hq = float("nan")
    width = spacing = spacing_worst_mode = float("nan")
    if good.any():
        sharp, mode = samples[good], nearest[good]
        mode_means = np.zeros_like(centers)
        np.add.at(mode_means, mode, sharp)
        mode_means /= np.maximum(hq_counts, 1)[:, None]
        width = float(np.sqrt(np.mean(np.sum((sharp - mode_means[mode]) ** 2, axis=1)) / samples.shape[1]) / std)
        nearest_other = [_nearest_other(sharp[mode == m]) for m in np.flatnonzero(hq_counts > 1)]
        if nearest_other:
            spacing = float(np.median(np.concatenate(nearest_other)) / std)
            spacing_worst_mode = float(min(np.quantile(d, 0.1) for d in nearest_other) / std)
    return {
        "modes": int(len(np.unique(nearest[good]))),
        "high_quality": float(good.mean()),
        "reverse_kl": reverse_kl,
        "effective_modes": float(k * np.exp(-reverse_kl)),
        "off_centre": float(np.mean(to_nearest[good] > 0.5 * std)) if good.any() else float("nan"),
        "width": width,
        "spacing": spacing,
        "spacing_worst_mode": spacing_worst_mode,
        "counts": counts,
        "high_quality_counts": hq_counts,
        "reverse_kl_high_quality": reverse_kl_hq,
        "effective_modes_high_quality": float(k * np.exp(-reverse_kl_hq)),
    }


def _nearest_other(x):
    """`(n,)` distance from each row of `x` `(n, d)` to its nearest other row (n ≥ 2), centred for precision."""
    x = x - x.mean(axis=0)
    squared = np.sum(x ** 2, axis=1)
    d2 = squared[:, None] + squared[None, :] - 2.0 * x @ x.T
    np.fill_diagonal(d2, np.inf)
    return np.sqrt(np.maximum(d2.min(axis=1), 0.0))


def ks_statistic(samples, cdf):
    """Kolmogorov-Smirnov statistic sup_x |F_n(x) - F(x)| of 1-D samples against a CDF.

    Args:
        samples: (n,) or (n, 1).
        cdf: callable mapping an array of x to F(x), e.g. `normal_cdf`.
    """
    x = np.sort(array("samples", samples).reshape(-1))
    function("cdf", cdf)
    f = np.asarray(cdf(x), dtype=np.float64)
    n = len(x)
    above = np.arange(1, n + 1) / n - f
    below = f - np.arange(n) / n
    return float(max(above.max(), below.max()))


def wasserstein_1d(a, b):
    """W1 between two 1-D samples of equal size: the mean |sorted(a) - sorted(b)| (exact in 1-D)."""
    a = np.sort(array("a", a).reshape(-1))
    b = np.sort(array("b", b).reshape(-1))
    if len(a) != len(b):
        raise ValueError(f"`a` and `b` must hold the same number of samples, got {len(a)} and {len(b)}.")
    return float(np.abs(a - b).mean())


def sliced_wasserstein(a, b, projections=128, seed=0):
    """Mean W1 of the 1-D projections of two (n, d) samples on random unit directions."""
    a = array("a", a, ndim=2)
    b = array("b", b, ndim=2, last_dim=a.shape[1])
    projections = positive_int("projections", projections)
    n = min(len(a), len(b))
    rng = np.random.default_rng(positive_int("seed", seed, allow_zero=True))
    directions = rng.standard_normal((a.shape[1], projections))
    directions /= np.linalg.norm(directions, axis=0, keepdims=True)
    pa = np.sort(a[:n] @ directions, axis=0)
    pb = np.sort(b[:n] @ directions, axis=0)
    return float(np.abs(pa - pb).mean())


def _distribution(name, p):
    p = array(name, p, ndim=1)
    if np.any(p < 0) or p.sum() <= 0:
        raise ValueError(f"`{name}` must be non-negative with a positive sum.")
    return p / p.sum()


def kl_divergence(p, q):
    """KL(p‖q) = Σ p log(p/q) of two histograms (normalised here); inf if q = 0 where p > 0."""
    p, q = _distribution("p", p), _distribution("q", q)
    if p.shape != q.shape:
        raise ValueError(f"`p` and `q` must have the same length, got {len(p)} and {len(q)}.")
    nz = p > 0
    if np.any(q[nz] == 0):
        return float("inf")
    return float(np.sum(p[nz] * np.log(p[nz] / q[nz])))


def js_divergence(p, q):
    """JS(p‖q) = ½KL(p‖m) + ½KL(q‖m) with the mixture m = (p+q)/2; in [0, log 2], finite always."""
    p, q = _distribution("p", p), _distribution("q", q)
    if p.shape != q.shape:
        raise ValueError(f"`p` and `q` must have the same length, got {len(p)} and {len(q)}.")
    m = 0.5 * (p + q)
    return 0.5 * kl_divergence(p, m) + 0.5 * kl_divergence(q, m)


def _average_ranks(v):
    """1-based ranks of v; tied values share the mean of the ranks they span."""
    order = np.argsort(v, kind="mergesort")
    sorted_v = v[order]
    starts_group = np.r_[True, sorted_v[1:] != sorted_v[:-1]]
    starts = np.flatnonzero(starts_group)
    ends = np.r_[starts[1:], len(v)]
    ranks = np.empty(len(v))
    ranks[order] = ((starts + ends + 1) / 2.0)[np.cumsum(starts_group) - 1]
    return ranks


def spearman(x, y):
    """Spearman's rank correlation ρ of two equal-length 1-D sequences: Pearson's r of their ranks.

    Ties get the average of their ranks. For questions where only the order matters, not the scale (does a
    critic's loss track sample quality over checkpoints?). No lesson calls it at present; tests/test_metrics.py
    does.

    Args:
        x, y: (n,) numbers, n >= 3, neither constant.
    Returns:
        float in [-1, 1].
    """
    x = array("x", x, ndim=1, min_len=3)
    y = array("y", y, ndim=1, min_len=3)
    if len(x) != len(y):
        raise ValueError(f"`x` and `y` must have the same length, got {len(x)} and {len(y)}.")
    rx, ry = _average_ranks(x), _average_ranks(y)
    rx, ry = rx - rx.mean(), ry - ry.mean()
    for name, r in (("x", rx), ("y", ry)):
        if not np.any(r):
            raise ValueError(f"`{name}` is constant; its rank correlation is undefined.")
    rho = np.sum(rx * ry) / np.sqrt(np.sum(rx * rx) * np.sum(ry * ry))
    return float(np.clip(rho, -1.0, 1.0))


def label_preservation(predictions, labels):
    """The fraction of translated images a classifier assigns to their source image's class.

    CycleGAN should change an image's style, not what it shows: a classifier trained on the target
    domain, applied to translated images, should still find each one's true class.

    Args:
        predictions: (n, K) class scores (logits or probabilities; the argmax is used) or (n,) class ids.
        labels: (n,) the true class ids.
    Returns:
        float in [0, 1].
    """
    predictions = array("predictions", predictions)
    labels = array("labels", labels, ndim=1)
    if predictions.ndim == 2:
        predictions = predictions.argmax(axis=1)
    elif predictions.ndim != 1:
        raise ValueError(f"`predictions` must be (n, K) scores or (n,) class ids, got shape {predictions.shape}.")
    if len(predictions) != len(labels):
        raise ValueError(f"`predictions` and `labels` must hold the same number of images, "
                         f"got {len(predictions)} and {len(labels)}.")
    return float(np.mean(predictions == labels))


def wasserstein_exact(a, b):
    """Exact W1 between two equal-size point sets in any dimension: the cheapest one-to-one matching.

    With n points on each side and equal weights, an optimal transport plan can be taken to be a
    permutation (Birkhoff), so W1 = min over matchings of the mean Euclidean distance. Solved exactly by
    the Hungarian algorithm (shortest augmenting paths with dual potentials, as in Jonker & Volgenant),
    O(n³): a few hundred points take well under a second.

    Args:
        a, b: (n, d) samples, the same n.
    Returns:
        float, W1 of the two empirical distributions.
    """
    a = array("a", a, ndim=2)
    b = array("b", b, ndim=2, last_dim=a.shape[1])
    if len(a) != len(b):
        raise ValueError(f"`a` and `b` must hold the same number of points, got {len(a)} and {len(b)}.")
    cost = np.linalg.norm(a[:, None, :] - b[None, :, :], axis=-1)
    n = len(cost)
    # 1-based arrays with a dummy column 0, as in the textbook statement of the algorithm.
    u, v = np.zeros(n + 1), np.zeros(n + 1)
    row_of = np.zeros(n + 1, dtype=int)          # row_of[j]: the row matched to column j (0: none)
    way = np.zeros(n + 1, dtype=int)
    for i in range(1, n + 1):
        row_of[0], j0 = i, 0
        min_reduced = np.full(n + 1, np.inf)
        used = np.zeros(n + 1, dtype=bool)
        while row_of[j0] != 0:
            used[j0] = True
            i0 = row_of[j0]
            free = ~used[1:]
            reduced = cost[i0 - 1] - u[i0] - v[1:]
            better = free & (reduced < min_reduced[1:])
            min_reduced[1:][better] = reduced[better]
            way[1:][better] = j0
            candidates = np.where(free, min_reduced[1:], np.inf)
            j1 = int(np.argmin(candidates)) + 1
            delta = candidates[j1 - 1]
            u[row_of[used]] += delta
            v[used] -= delta
            min_reduced[1:][free] -= delta
            j0 = j1
        while j0 != 0:
            j1 = way[j0]
            row_of[j0] = row_of[j1]
            j0 = j1
    columns = np.arange(1, n + 1)
    return float(cost[row_of[columns] - 1, columns - 1].mean())


def _sqrt_psd(matrix):
    """The symmetric square root of a symmetric positive semi-definite matrix (round-off negatives set to 0)."""
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2.0)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def frechet_distance(a, b):
    """The Fréchet distance between Gaussians fitted to two sets of feature vectors (the idea of FID).

    FD = |μ_a − μ_b|² + tr(Σ_a + Σ_b − 2(Σ_a Σ_b)^½), the squared 2-Wasserstein distance between
    N(μ_a, Σ_a) and N(μ_b, Σ_b), with the sample means and covariances (Heusel et al. 2017). The trace of
    (Σ_a Σ_b)^½ is computed as that of (Σ_a^½ Σ_b Σ_a^½)^½, which is symmetric and has the same eigenvalues.
    Two finite samples of one distribution score above 0 (the mean term alone is about 2·tr(Σ)/n): compare
    with such a floor at the same n.

    Args:
        a, b: (n_a, d) and (n_b, d) features, n_a, n_b >= 2.
    Returns:
        float >= 0 (up to round-off).
    """
    a = array("a", a, ndim=2, min_len=2)
    b = array("b", b, ndim=2, last_dim=a.shape[1], min_len=2)
    cov_a, cov_b = np.atleast_2d(np.cov(a, rowvar=False)), np.atleast_2d(np.cov(b, rowvar=False))
    root_a = _sqrt_psd(cov_a)
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(root_a @ cov_b @ root_a), 0.0, None)).sum()
    return float(np.sum((a.mean(axis=0) - b.mean(axis=0)) ** 2) + np.trace(cov_a) + np.trace(cov_b) - 2.0 * cross)


def nearest_distances(a, b):
    """For each row of `a`, the Euclidean distance to its nearest row of `b` (images are flattened).

    Args:
        a: (n_a, ...) samples; b: (n_b, ...) samples of the same shape.
    Returns:
        (n_a,) float64 distances.
    """
    a = array("a", a)
    b = array("b", b)
    if a.shape[1:] != b.shape[1:]:
        raise ValueError(f"`a` and `b` must hold samples of one shape, got {a.shape[1:]} and {b.shape[1:]}.")
    a, b = a.reshape(len(a), -1), b.reshape(len(b), -1)
    squared = (a * a).sum(axis=1)[:, None] + (b * b).sum(axis=1)[None] - 2.0 * a @ b.T
    return np.sqrt(np.clip(squared, 0.0, None)).min(axis=1)
