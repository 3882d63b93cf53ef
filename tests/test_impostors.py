"""The impostor samplers: their shapes, their determinism, their arguments, and the property each fakes."""

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import numpy as np
import pytest

CENTERS, STD = gk.data.ring_centers(), gk.data.RING_STD
DATA = gk.data.sample_ring(2500, seed=0)


def scores(x):
    return gk.metrics.mode_coverage(x, CENTERS, STD)


def test_names_shapes_and_seeds():
    for make, names in [(lambda seed: gk.impostors.degenerate(DATA, CENTERS, STD, n=1000, seed=seed),
                         gk.impostors.DEGENERATE), (lambda seed: gk.impostors.handmade(CENTERS, STD, n=1000, seed=seed),
                                                    gk.impostors.HANDMADE)]:
        first, again, other = make(0), make(0), make(1)
        assert list(first) == list(names)
        for name, x in first.items():
            assert x.shape == (1000, 2) and x.dtype == np.float64, name
            np.testing.assert_array_equal(x, again[name])
        assert any(not np.array_equal(first[name], other[name]) for name in first)


def test_each_degenerate_sampler_has_its_flaw():
    fakes = {name: scores(x) for name, x in gk.impostors.degenerate(DATA, CENTERS, STD).items()}
    data = scores(DATA)
    assert fakes["Gaussian"]["high_quality"] < 0.05
    assert fakes["point masses"]["modes"] == 8 and fakes["point masses"]["off_centre"] == 0
    assert fakes["70 % points"]["off_centre"] < 0.4 * data["off_centre"]
    assert fakes["tight blobs beside"]["width"] < 0.1 * data["width"]
    assert fakes["jittered pairs"]["spacing"] < 0.05 * data["spacing"]
    assert fakes["jittered pairs"]["width"] > 0.6 * data["width"]
    assert fakes["one mode + strays"]["modes"] == 8 and fakes["one mode + strays"]["effective_modes_high_quality"] < 1.1


def test_each_handmade_sampler_looks_spread():
    for name, x in gk.impostors.handmade(CENTERS, STD).items():
        r = scores(x)
        assert r["modes"] == 8 and r["high_quality"] == 1.0 and r["width"] > 0.3 * scores(DATA)["width"], name


def test_the_circles_are_curves_around_the_centres():
    circles = gk.impostors.handmade(CENTERS, STD, n=800)["circles"]
    distance = np.linalg.norm(circles - CENTERS[np.arange(800) % 8], axis=1)
    np.testing.assert_allclose(distance, 2 * STD, rtol=1e-6)


@pytest.mark.parametrize("kwargs, error, word", [
    (dict(centers=np.zeros((3, 3))), ValueError, "centers"),
    (dict(std=0.0), ValueError, "std"),
    (dict(n=0), ValueError, "`n`"),
    (dict(n=2.5), TypeError, "`n`"),
    (dict(seed=-1), ValueError, "seed"),
    (dict(data=DATA[:10]), ValueError, "data"),
    (dict(data=DATA[:, :1]), ValueError, "data"),
])
def test_bad_arguments_name_themselves(kwargs, error, word):
    arguments = dict(data=DATA, centers=CENTERS, std=STD, n=100, seed=0) | kwargs
    with pytest.raises(error, match=word):
        gk.impostors.degenerate(**arguments)
    if "data" not in kwargs:
        arguments.pop("data")
        with pytest.raises(error, match=word):
            gk.impostors.handmade(**arguments)
