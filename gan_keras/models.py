"""Network builders the lessons and the trainers share, and WGAN's weight clipping.

- `mlp`: G, D and critics on the toy distributions; `packed`: PacGAN's packing of D's inputs.
- `cyclegan_generator`, `patchgan_discriminator`: CycleGAN's networks, sized for tiny images.
- `clip_weights`: keep every weight of a network in [−c, c] after each optimizer step (WGAN).
- `apply`: a network's outputs as NumPy, batch by batch.
"""

import numbers

import keras
import numpy as np

from .checks import image_shape as image_shape_of
from .checks import keras_model, one_of, positive_float, positive_int

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


def _instance_norm(name):
    # GroupNormalization with one group per channel is instance normalisation, as CycleGAN uses.
    return keras.layers.GroupNormalization(groups=-1, name=name)


def cyclegan_generator(image_shape, filters=32, res_blocks=2, name=None):
    """A ResNet generator in CycleGAN's manner, sized for tiny images: (batch, h, w, c) -> (batch, h, w, c).

    Stem conv-norm-ReLU, `res_blocks` residual blocks x + conv-norm-ReLU-conv-norm(x), then a conv to
    c channels with tanh, so outputs lie in [-1, 1] (scale the images to [-1, 1] too).

    The paper uses 7×7 stem and output convs, reflection padding and two stride-2 down/up-sampling
    stages around 6 or 9 blocks on 256×256 images; on 8×8 or 16×16 images we keep the full resolution,
    use 3×3 convs and zero ("same") padding: Keras has no reflection-padding layer. Each block widens an
    output pixel's view by 4 pixels: 5×5 with no block, 9×9 with one (lesson 06), 13×13 with two.

    Args:
        image_shape: (h, w, c) of the images in both domains.
        filters: int >= 1, channels of every hidden conv.
        res_blocks: int >= 0, number of residual blocks.
        name: optional model name.
    Returns:
        keras.Model, (batch, h, w, c) -> (batch, h, w, c) in [-1, 1].
    """
    image_shape = image_shape_of("image_shape", image_shape)
    filters = positive_int("filters", filters)
    res_blocks = positive_int("res_blocks", res_blocks, allow_zero=True)
    inputs = keras.Input(image_shape)
    x = keras.layers.Conv2D(filters, 3, padding="same", name="stem_conv")(inputs)
    x = keras.layers.ReLU(name="stem_relu")(_instance_norm("stem_norm")(x))
    for i in range(res_blocks):
        y = keras.layers.Conv2D(filters, 3, padding="same", name=f"res{i}_conv1")(x)
        y = keras.layers.ReLU(name=f"res{i}_relu")(_instance_norm(f"res{i}_norm1")(y))
        y = keras.layers.Conv2D(filters, 3, padding="same", name=f"res{i}_conv2")(y)
        x = keras.layers.Add(name=f"res{i}_add")([x, _instance_norm(f"res{i}_norm2")(y)])
    outputs = keras.layers.Conv2D(image_shape[-1], 3, padding="same", activation="tanh", name="out_conv")(x)
    return keras.Model(inputs, outputs, name=name)


def patchgan_discriminator(image_shape, filters=32, layers=2, name=None):
    """A PatchGAN: a score per overlapping patch rather than one per image, (batch, h, w, c) -> (batch, h', w', 1).

    `layers` stride-2 4×4 convs with LeakyReLU(0.2), channels filters·2^i, then a 4×4 conv to one
    channel; h' = ceil(h / 2^layers) ("same" padding). The scores are raw (no sigmoid): the LSGAN loss
    pulls them to 1 on real and 0 on fake images.

    The paper normalises all but the first conv with instance norm; on maps of 2×2 or 1×1 pixels
    instance norm has too few pixels to estimate a mean (at 1×1 it outputs zeros), so we leave D
    unnormalised.

    Args:
        image_shape: (h, w, c) of the images D judges.
        filters: int >= 1, channels of the first conv.
        layers: int >= 1, number of stride-2 convs.
        name: optional model name.
    Returns:
        keras.Model, (batch, h, w, c) -> (batch, h', w', 1) scores.
    """
    image_shape = image_shape_of("image_shape", image_shape)
    filters = positive_int("filters", filters)
    depth = positive_int("layers", layers)
    inputs = keras.Input(image_shape)
    x = inputs
    for i in range(depth):
        x = keras.layers.Conv2D(filters * 2 ** i, 4, strides=2, padding="same", name=f"down{i}_conv")(x)
        x = keras.layers.LeakyReLU(0.2, name=f"down{i}_lrelu")(x)
    outputs = keras.layers.Conv2D(1, 4, padding="same", name="scores")(x)
    return keras.Model(inputs, outputs, name=name)


@keras.saving.register_keras_serializable(package="gan_keras")
class ClipWeights(keras.constraints.Constraint):
    """Clip a weight to [−c, c]: the constraint `clip_weights` attaches (serialisable, unlike a lambda)."""

    def __init__(self, clip_value):
        self.clip_value = positive_float("clip_value", clip_value)

    def __call__(self, w):
        return keras.ops.clip(w, -self.clip_value, self.clip_value)

    def get_config(self):
        return {"clip_value": self.clip_value}


def clip_weights(network, clip_value, now=True):
    """WGAN's clipping (Arjovsky et al. 2017): every trainable weight of `network` stays in [−c, c].

    Each trainable variable (kernels *and* biases) gets a `ClipWeights` constraint, which Keras' optimizers
    apply right after every update they make, on every backend and inside `fit()`. With `now`, the current
    weights are clipped at once too (the paper's code clips before the first critic step as well;
    `gk.wgan.WGAN` clips only after each update, as its Algorithm 1 reads).

    Args:
        network: keras.Model, e.g. a critic.
        clip_value: c > 0.
        now: bool, whether to clip the current weights too.
    Returns:
        `network`, for chaining.
    """
    constraint = ClipWeights(clip_value)
    for variable in keras_model("network", network).trainable_variables:
        variable.constraint = constraint
        if now:
            variable.assign(constraint(variable))
    return network


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
