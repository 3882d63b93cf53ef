"""Network builders the lessons share."""

import numbers

import keras

from ._checks import one_of, positive_int

ACTIVATIONS = {"relu", "tanh", "leaky_relu", "elu", "gelu", "softplus", "sigmoid", "linear"}


def mlp(input_dim, output_dim, hidden=(128, 128), activation="relu", output_activation=None, name=None):
    """A dense network (batch, input_dim) -> (batch, output_dim); used for G, D and critics on toys.

    Args:
        input_dim, output_dim: ints >= 1.
        hidden: widths of the hidden layers (may be empty).
        activation: hidden activation name, one of ``ACTIVATIONS``.
        output_activation: None (linear: logits or scores) or an activation name.
    """
    input_dim = positive_int("input_dim", input_dim)
    output_dim = positive_int("output_dim", output_dim)
    if isinstance(hidden, (numbers.Integral, str)) or not all(isinstance(h, numbers.Integral) for h in hidden):
        raise TypeError(f"`hidden` must be a sequence of ints, got {hidden!r}.")
    hidden = [positive_int("hidden", h) for h in hidden]
    one_of("activation", activation, ACTIVATIONS)
    if output_activation is not None:
        one_of("output_activation", output_activation, ACTIVATIONS)
    layers = [keras.Input((input_dim,))]
    layers += [keras.layers.Dense(width, activation=activation) for width in hidden]
    layers.append(keras.layers.Dense(output_dim, activation=output_activation))
    return keras.Sequential(layers, name=name)
