"""gan_keras.probes: fresh D and critic against frozen samples, on cases whose answers are known."""

import collections
import math
import random

import gan_keras as gk  # first: it quiets TensorFlow's start-up logs
import keras
import numpy as np
import pytest


def segment(theta, seed, n=4000):
    """Samples of (θ, z), z ~ U[0, 1]: Example 1 of the WGAN paper."""
    return np.stack([np.full(n, theta), np.random.default_rng(seed).random(n)], axis=1)


def test_fresh_d_separates_disjoint_sets_and_not_identical_ones():
    _, apart = gk.probes.fit_discriminator(segment(0.0, 0), segment(0.5, 1), steps=300, batch_size=256)
    _, same = gk.probes.fit_discriminator(segment(0.0, 0), segment(0.0, 1), steps=300, batch_size=256)
    assert apart["accuracy"] > 0.99 and apart["js"] > 0.9 * math.log(2)
    assert abs(same["accuracy"] - 0.5) < 0.05 and abs(same["js"]) < 0.02


def test_fresh_critic_estimates_the_shift():
    _, near = gk.probes.fit_critic(segment(0.0, 0), segment(0.2, 1), steps=400, batch_size=256)
    _, far = gk.probes.fit_critic(segment(0.0, 0), segment(0.8, 1), steps=400, batch_size=256)
    assert near["w1"] == pytest.approx(0.2, rel=0.25)
    assert far["w1"] == pytest.approx(0.8, rel=0.25)


@pytest.mark.parametrize("fn", [gk.probes.fit_discriminator, gk.probes.fit_critic])
def test_probes_name_bad_arguments(fn):
    with pytest.raises(ValueError, match="`fake`"):
        fn(np.zeros((10, 2)), np.zeros((10, 3)))
    with pytest.raises(ValueError, match="`steps`"):
        fn(np.zeros((10, 2)), np.ones((10, 2)), steps=0)
    with pytest.raises(ValueError, match="`held_out`"):
        fn(np.zeros((10, 2)), np.ones((10, 2)), held_out=0.0)


def test_clipped_critic_keeps_its_weights_in_the_box_and_underestimates():
    critic, clipped = gk.probes.fit_critic(segment(0.0, 0), segment(0.8, 1), steps=200, batch_size=256,
                                           gp_weight=0.0, clip_value=0.01)
    weights = np.concatenate([np.ravel(keras.ops.convert_to_numpy(w)) for w in critic.trainable_variables])
    assert np.abs(weights).max() <= 0.01 + 1e-7
    assert 0 < clipped["w1"] < 0.1 * 0.8, "a clipped critic's Lipschitz constant is far below 1"


def test_clipped_critic_trains_with_rmsprop_and_names_a_bad_optimizer():
    critic, clipped = gk.probes.fit_critic(segment(0.0, 0), segment(0.8, 1), steps=100, batch_size=256,
                                           gp_weight=0.0, clip_value=0.01, optimizer="rmsprop", learning_rate=5e-4)
    weights = np.concatenate([np.ravel(keras.ops.convert_to_numpy(w)) for w in critic.trainable_variables])
    assert np.abs(weights).max() <= 0.01 + 1e-7
    assert 0 < clipped["w1"] < 0.1 * 0.8
    with pytest.raises(ValueError, match="`optimizer`"):
        gk.probes.fit_critic(segment(0.0, 0), segment(0.8, 1), optimizer="sgd")


@pytest.mark.parametrize("fn, kwargs", [
    (gk.probes.fit_discriminator, {}),
    (gk.probes.fit_critic, {}),
    (gk.probes.fit_critic, dict(gp_weight=0.0, clip_value=0.05, optimizer="rmsprop"))])
def test_a_kept_trainer_gives_what_a_new_one_gave(fn, kwargs, monkeypatch):
    """The second probe of a configuration reuses the first's compiled trainer: the same weights and scores,
    and the caller's random draws after it are the same too."""
    monkeypatch.setattr(gk.probes, "_trainers", collections.OrderedDict())   # the first probe builds a new one
    runs, draws = [], []
    for other in (0.3, 0.8):   # a probe on other data in between leaves the kept trainer trained
        gk.set_seed(0)
        runs.append(fn(segment(0.0, 0), segment(0.05, 1), steps=60, batch_size=256, **kwargs))
        draws.append((random.random(), np.random.random()))
        fn(segment(0.0, 2), segment(other, 3), steps=60, batch_size=256, **kwargs)
    (first, first_scores), (second, second_scores) = runs
    assert first is not second
    assert first_scores == second_scores
    assert draws[0] == draws[1]
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)
