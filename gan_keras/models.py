"""Network builders the lessons share."""

import numbers

import keras
import numpy as np

from .checks import keras_model, one_of, positive_int

ACTIVATIONS = {"relu", "tanh", "leaky_relu", "elu", "gelu", "softplus", "sigmoid", "linear"}


def mlp(input_dim, output_dim, hidden=(128, 128), activation="relu", output_activation=None, name=None):
    """A dense network (batch, input_dim) -> (batch, output_dim); used for G, D and critics on toys.

    Args:
        input_dim, output_dim: ints >= 1.
        hidden: widths of the hidden layers (may be empty).
        activation: hidden activation name, one of `ACTIVATIONS`.
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


@keras.saving.register_keras_serializable(package="gan_keras")
class _Pack(keras.layers.Layer):
    """(batch, d) -> (batch/pack, pack·d): each row holds `pack` consecutive samples side by side."""

    def __init__(self, pack, **kwargs):
        super().__init__(**kwargs)
        self.pack = positive_int("pack", pack)

    def call(self, x):
        return keras.ops.reshape(x, (-1, self.pack * x.shape[-1]))

    def compute_output_shape(self, input_shape):
        batch = None if input_shape[0] is None else input_shape[0] // self.pack
        return (batch, self.pack * input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "pack": self.pack}


def packed(discriminator, pack, name=None):
    """PacGAN's packing (Lin et al. 2018): D judges `pack` samples at once, (batch, d) -> (batch/pack, 1).

    Consecutive samples are concatenated into one row of pack·d numbers. A collapsed G's packs hold
    near-copies, which real packs rarely do, so D can penalise the lack of diversity a single sample
    cannot show. The GAN losses are batch means, so the fewer rows change nothing else; under
    `r1_penalty` the per-sample mean is 1/pack of the mean over packs of ‖∇D‖².

    The batch size must be divisible by `pack` (in graph mode this cannot be checked up front; the
    reshape fails at run time otherwise). Fakes and reals are packed separately, so each pack is all
    real or all fake, as in the paper.

    Args:
        discriminator: keras.Model with input (batch, pack·d), e.g. `mlp(pack * d, 1)`.
        pack: int >= 1, samples per pack (the paper's m; PacGAN2 and PacGAN4 use 2 and 4).
    Returns:
        keras.Model (batch, d) -> (batch/pack, ...) sharing `discriminator`'s weights.
    """
    keras_model("discriminator", discriminator)
    pack = positive_int("pack", pack)
    try:
        shape = tuple(discriminator.input_shape)
    except (AttributeError, ValueError) as err:
        raise ValueError("`discriminator` must have a known input shape (build it from keras.Input).") from err
    if len(shape) != 2 or shape[1] is None or shape[1] % pack:
        raise ValueError(f"`discriminator` must take (batch, pack·d) inputs with pack = {pack}, got input shape "
                         f"{shape}.")
    inputs = keras.Input((shape[1] // pack,))
    return keras.Model(inputs, discriminator(_Pack(pack)(inputs)), name=name or f"packed{pack}_{discriminator.name}")


def apply(network, x, batch_size=4096):
    """`network(x)` as a NumPy array, `batch_size` rows at a time, in inference mode.

    What `network.predict(x)` returns, without its per-call set-up (about 40 ms on TensorFlow, paid by
    every snapshot a lesson takes during training). Args: a keras.Model; x, (n, ...) array.
    """
    batch_size = positive_int("batch_size", batch_size)
    if not keras.ops.is_tensor(x):
        x = np.asarray(x, dtype=keras.config.floatx())
    return np.concatenate([keras.ops.convert_to_numpy(network(x[i:i + batch_size], training=False))
                           for i in range(0, int(keras.ops.shape(x)[0]), batch_size)])
