"""The impostor samplers: their shapes, their determinism, their arguments, and the property each fakes."""

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import numpy as np
import pytest

CENTERS, STD = gk.data.ring_centers(), gk.data.RING_STD
DATA = gk.data.sample_ring(2500, seed=0)


def scores(x):
    return gk.metrics.mode_coverage(x, CENTERS, STD)


def degenerate(seed):
    return gk.impostors.degenerate(DATA, CENTERS, STD, n=1001, seed=seed)


def handmade(seed):
    return gk.impostors.handmade(CENTERS, STD, n=1001, seed=seed)


@pytest.mark.parametrize("make, names", [(degenerate, gk.impostors.DEGENERATE), (handmade, gk.impostors.HANDMADE)])
def test_names_shapes_and_seeds(make, names):
    first, again, other = make(0), make(0), make(1)
    assert list(first) == list(names)
    for name, x in first.items():
        assert x.shape == (1001, 2) and x.dtype == np.float64, name
        np.testing.assert_array_equal(x, again[name])
    assert any(not np.array_equal(first[name], other[name]) for name in first)


def test_every_centre_gets_its_share_and_both_sides():
    grid, std = gk.data.grid_centers(), gk.data.GRID_STD
    fakes = gk.impostors.degenerate(gk.data.sample_grid(2000, seed=0), grid, std, n=2010, seed=0)
    counts = np.unique(fakes["point masses"], axis=0, return_counts=True)[1]
    assert len(counts) == 25 and counts.min() >= 80 and counts.max() <= 81
    offsets = fakes["jittered pairs"] - grid[np.arange(2010) % 25]
    for k in range(25):
        assert (offsets[k::25, 0] > 0).any() and (offsets[k::25, 0] < 0).any()
    assert np.sum(np.all(fakes["50 % points"][:, None] == grid[None], axis=-1)) == 1005


def test_each_degenerate_sampler_has_its_flaw():
    fakes = {name: scores(x) for name, x in gk.impostors.degenerate(DATA, CENTERS, STD).items()}
    data = scores(DATA)
    assert fakes["Gaussian"]["high_quality"] < 0.05
    assert fakes["point masses"]["modes"] == 8 and fakes["point masses"]["off_centre"] == 0
    assert fakes["50 % points"]["off_centre"] < 0.6 * data["off_centre"]
    assert fakes["tight blobs beside"]["width"] < 0.1 * data["width"]
    assert fakes["jittered pairs"]["spacing"] < 0.05 * data["spacing"]
    assert fakes["jittered pairs"]["width"] > 0.6 * data["width"]
    assert fakes["one mode + strays"]["modes"] == 8 and fakes["one mode + strays"]["effective_modes_high_quality"] < 1.1
    assert fakes["modes dropped"]["modes"] == 8 and fakes["modes dropped"]["effective_modes_high_quality"] < 7.1
    two_dropped = gk.impostors.degenerate(DATA, CENTERS, STD, dropped=2)["modes dropped"]
    assert scores(two_dropped)["effective_modes_high_quality"] < 6.1
    piled = fakes["an eighth piled"]   # passes every pooled test; only a low quantile within a mode sees it
    assert piled["effective_modes_high_quality"] > 7.99 and piled["high_quality"] > 0.98
    assert piled["off_centre"] > 0.8 * data["off_centre"] and piled["width"] > 0.9 * data["width"]
    assert piled["spacing"] > 0.8 * data["spacing"] and piled["spacing_worst_mode"] == 0.0
    x = gk.impostors.degenerate(DATA, CENTERS, STD)["an eighth piled"]
    on_centre = np.all(x[:, None] == CENTERS[None], axis=-1)   # (2500, 8): which sample sits exactly on which centre
    piles = np.bincount(on_centre.argmax(axis=1)[on_centre.any(axis=1)], minlength=8)
    assert piles.tolist() == [40] * 4 + [39] * 4   # every 8th of each mode's 313 or 312 samples


def test_dropped_modes_keep_one_stray_each_and_fail_the_grid_bound():
    grid, std = gk.data.grid_centers(), gk.data.GRID_STD
    x = gk.impostors.degenerate(gk.data.sample_grid(2500, seed=0), grid, std, dropped=2)["modes dropped"]
    nearest = np.argmin(np.linalg.norm(x[:, None] - grid[None], axis=-1), axis=1)
    assert np.bincount(nearest, minlength=25)[-2:].tolist() == [1, 1]
    r = gk.metrics.mode_coverage(x, grid, std)
    assert r["modes"] == 25 and 23.0 < r["effective_modes_high_quality"] < 23.2   # 23 full modes + 2 strays


def test_each_handmade_sampler_looks_spread():
    for name, x in gk.impostors.handmade(CENTERS, STD).items():
        r = scores(x)
        assert r["modes"] == 8 and r["high_quality"] == 1.0 and r["width"] > 0.3 * scores(DATA)["width"], name


def test_the_circles_are_evenly_spaced_curves_around_the_centres():
    circles = gk.impostors.handmade(CENTERS, STD, n=803)["circles"]
    offsets = circles - CENTERS[np.arange(803) % 8]
    np.testing.assert_allclose(np.linalg.norm(offsets, axis=1), 2 * STD, rtol=1e-6)
    for k in (0, 7):   # 101 points round centre 0, 100 round centre 7
        angles = np.sort(np.arctan2(offsets[k::8, 1], offsets[k::8, 0]))
        steps = np.diff(np.append(angles, angles[0] + 2 * np.pi))
        np.testing.assert_allclose(steps, 2 * np.pi / len(angles), rtol=1e-6)


@pytest.mark.parametrize("kwargs, error, word", [
    (dict(centers=np.zeros((3, 3))), ValueError, "centers"),
    (dict(std=0.0), ValueError, "std"),
    (dict(n=0), ValueError, "`n`"),
    (dict(n=15), ValueError, "`n`"),
    (dict(centers=CENTERS[:1]), ValueError, "centers"),
    (dict(n=2.5), TypeError, "`n`"),
    (dict(seed=-1), ValueError, "seed"),
    (dict(data=DATA[:10]), ValueError, "data"),
    (dict(dropped=8), ValueError, "dropped"),
    (dict(dropped=0), ValueError, "dropped"),
    (dict(data=DATA[:, :1]), ValueError, "data"),
])
def test_bad_arguments_name_themselves(kwargs, error, word):
    arguments = dict(data=DATA, centers=CENTERS, std=STD, n=100, seed=0, dropped=1) | kwargs
    with pytest.raises(error, match=word):
        gk.impostors.degenerate(**arguments)
    if "data" not in kwargs and "dropped" not in kwargs:
        del arguments["data"], arguments["dropped"]
        with pytest.raises(error, match=word):
            gk.impostors.handmade(**arguments)
