"""gan_keras.set_seed: one seed for Python, NumPy and Keras."""

import random

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import keras
import numpy as np
import pytest

ON_TENSORFLOW = gk.backend.name() == "tensorflow"


@pytest.fixture(autouse=True)
def restore_op_determinism():
    """set_seed turns TensorFlow op determinism on for the whole process; undo it after each test."""
    if not ON_TENSORFLOW:
        yield
        return
    from tensorflow.python.framework import config as tf_config

    was_on = tf_config.is_op_determinism_enabled()
    yield
    if not was_on:
        tf_config.disable_op_determinism()


def draws():
    return (
        keras.ops.convert_to_numpy(keras.random.normal((4,))),
        keras.ops.convert_to_numpy(keras.random.uniform((3,), seed=keras.random.SeedGenerator())),
        np.random.rand(3),
        random.random(),
    )


def test_same_seed_same_draws():
    gk.set_seed(11)
    first = draws()
    gk.set_seed(11)
    again = draws()
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)


def test_other_seed_other_draws():
    gk.set_seed(11)
    first = draws()
    gk.set_seed(12)
    other = draws()
    for a, b in zip(first, other):
        assert not np.array_equal(a, b)


def test_set_seed_returns_nothing():
    assert gk.set_seed(0) is None


@pytest.mark.skipif(not ON_TENSORFLOW, reason="op determinism is TensorFlow's switch; JAX on CPU and Keras' "
                    "seeded torch generators need none")
def test_set_seed_makes_tensorflow_ops_deterministic():
    from tensorflow.python.framework import config as tf_config

    gk.set_seed(0)
    assert tf_config.is_op_determinism_enabled()


@pytest.mark.parametrize("seed, exc", [(-1, ValueError), (1.5, TypeError), ("3", TypeError), (True, TypeError)])
def test_bad_seed_raises_naming_seed(seed, exc):
    with pytest.raises(exc, match="`seed`"):
        gk.set_seed(seed)
