"""One seed for Python, NumPy, Keras and (on TensorFlow) deterministic ops."""

import random

import keras
import numpy as np

from . import backend
from .checks import positive_int


def set_seed(seed):
    """Seed every random source a lesson uses and ask the backend for deterministic ops.

    Runs repeat exactly only on the same hardware and library versions; CPU and GPU differ,
    which is why the lessons assert margins rather than exact numbers.

    Args:
        seed: int >= 0.
    """
    seed = positive_int("seed", seed, allow_zero=True)
    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)
    backend.make_deterministic()
