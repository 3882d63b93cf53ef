"""gan_keras.models.mlp: shapes, layers, activations and argument checks."""

import gan_keras as gk  # first: it quiets TensorFlow's start-up logs
import keras
import numpy as np
import pytest

from gan_keras.models import mlp


def test_output_shape_and_layers():
    model = mlp(4, 3, hidden=(8, 6), name="net")
    assert model.name == "net"
    assert model(np.zeros((5, 4), dtype=np.float32)).shape == (5, 3)
    assert [type(layer) for layer in model.layers] == [keras.layers.Dense] * 3
    assert [layer.units for layer in model.layers] == [8, 6, 3]


def test_hidden_activation_and_linear_output_by_default():
    model = mlp(2, 1, hidden=(4, 4), activation="tanh")
    assert all(layer.activation is keras.activations.tanh for layer in model.layers[:-1])
    assert model.layers[-1].activation is keras.activations.linear


def test_output_activation():
    model = mlp(2, 1, hidden=(4,), output_activation="sigmoid")
    assert model.layers[-1].activation is keras.activations.sigmoid
    out = keras.ops.convert_to_numpy(model(np.random.default_rng(0).normal(size=(10, 2)).astype(np.float32)))
    assert np.all((out > 0) & (out < 1))


def test_no_hidden_layers_is_a_linear_map():
    model = mlp(3, 2, hidden=())
    assert len(model.layers) == 1
    assert model.count_params() == 3 * 2 + 2


@pytest.mark.parametrize("kwargs, exc, name", [
    ({"input_dim": 0}, ValueError, "input_dim"),
    ({"input_dim": 2.0}, TypeError, "input_dim"),
    ({"output_dim": 0}, ValueError, "output_dim"),
    ({"hidden": "64"}, TypeError, "hidden"),
    ({"hidden": 64}, TypeError, "hidden"),
    ({"hidden": (64, 0)}, ValueError, "hidden"),
    ({"hidden": (64, 1.5)}, TypeError, "hidden"),
    ({"activation": "nope"}, ValueError, "activation"),
    ({"output_activation": "nope"}, ValueError, "output_activation"),
])
def test_bad_arguments_raise_naming_the_argument(kwargs, exc, name):
    args = {"input_dim": 2, "output_dim": 1, **kwargs}
    with pytest.raises(exc, match=f"`{name}`"):
        mlp(**args)


def test_numpy_integer_widths_are_accepted_like_other_integer_arguments():
    model = mlp(np.int64(2), np.int64(1), hidden=np.array([8, 4]))
    assert [layer.units for layer in model.layers] == [8, 4, 1]
