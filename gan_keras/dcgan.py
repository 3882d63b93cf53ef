"""A class-conditional DCGAN for tiny images: the generator, a projection discriminator, the trainer.

DCGAN (Radford, Metz & Chintala 2016) is the architecture that made GANs draw images. Its guidelines, as
they apply at 8×8:

- no pooling: G upsamples with stride-2 transposed convolutions, D downsamples with stride-2 convolutions;
- batch normalisation in G (not on its output layer); ReLU in G, tanh on its output; LeakyReLU(0.2) in D;
- no fully connected hidden layers, except G's first projection of z and D's last read-out;
- Adam with rate 2e-4 and β₁ = 0.5.

Departures, and why: D has no batch norm (the paper normalises D's hidden layers; D here sees real and fake
batches separately, its layers are two, and the projection below needs no normalised features to work);
the rate is the lesson's knob (small images take a larger one).

Class conditioning (Mirza & Osindero 2014) feeds the label y to both players. G gets it as a learned
embedding concatenated to z. D gets it by *projection* (Miyato & Koyama 2018):

    D(x, y) = ψ(φ(x)) + ⟨embed(y), φ(x)⟩,

where φ is D's convolutional feature extractor, ψ a linear read-out and embed a learned vector per class.
The inner product is the form the log-density ratio takes when p(y|x) is a softmax over φ(x), so D scores
"is x a real image of class y" in one number. The alternative, the auxiliary classifier of AC-GAN (Odena
et al. 2017), adds a classification loss for both players; it is known to favour samples that are easy to
classify over varied ones, and a lesson that grades its samples with a classifier should not train G on a
classifier's loss.
"""

import keras
import numpy as np
from keras import ops

from . import autodiff, checks, losses
from .checks import positive_int
from .engine import TwoPlayerModel


def _image_side(name, side):
    side = positive_int(name, side)
    if side < 4 or side & (side - 1):
        raise ValueError(f"`{name}` must be a power of two >= 4, got {side}.")
    return side


def dcgan_generator(latent_dim, num_classes, image_side=8, channels=1, filters=64, name=None):
    """G(z, y): a class-conditional DCGAN generator, ([batch, latent_dim], [batch]) -> (batch, side, side, channels).

    z is concatenated with a learned embedding of y (latent_dim numbers), projected by a dense layer to a
    2×2×(filters·2^(k-1)) map, then k stride-2 4×4 transposed convolutions double the side each time up to
    `image_side` (k = log2(side) - 1): batch norm and ReLU after each but the last, which has tanh.

    Args:
        latent_dim: int >= 1, size of z.
        num_classes: int >= 2, number of labels.
        image_side: the output's height and width, a power of two >= 4.
        channels: int >= 1, image channels.
        filters: int >= 1, channels of the last hidden map (each map nearer z has twice as many).
        name: optional model name.
    Returns:
        keras.Model with inputs [z (batch, latent_dim) float, y (batch,) int] and outputs in [-1, 1].
    """
    latent_dim = positive_int("latent_dim", latent_dim)
    num_classes = _num_classes(num_classes)
    side = _image_side("image_side", image_side)
    channels = positive_int("channels", channels)
    filters = positive_int("filters", filters)
    ups = side.bit_length() - 2  # 2 -> side in stride-2 steps
    z, y = keras.Input((latent_dim,), name="z"), keras.Input((), dtype="int32", name="y")
    label = keras.layers.Embedding(num_classes, latent_dim, name="label_embedding")(y)
    x = keras.layers.Concatenate(name="z_and_label")([z, label])
    width = filters * 2 ** (ups - 1)
    x = keras.layers.Dense(2 * 2 * width, use_bias=False, name="project")(x)
    x = keras.layers.Reshape((2, 2, width), name="to_map")(x)
    x = keras.layers.ReLU(name="project_relu")(keras.layers.BatchNormalization(name="project_bn")(x))
    for i in range(ups - 1):
        width //= 2
        x = keras.layers.Conv2DTranspose(width, 4, strides=2, padding="same", use_bias=False, name=f"up{i}")(x)
        x = keras.layers.ReLU(name=f"up{i}_relu")(keras.layers.BatchNormalization(name=f"up{i}_bn")(x))
    out = keras.layers.Conv2DTranspose(channels, 4, strides=2, padding="same", activation="tanh", name="to_image")(x)
    return keras.Model([z, y], out, name=name)


@keras.saving.register_keras_serializable(package="gan_keras")
class Projection(keras.layers.Layer):
    """⟨embed(y), φ⟩ for features φ (batch, d) and labels y (batch,): the class term of a projection D."""

    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = _num_classes(num_classes)

    def build(self, input_shapes):
        features_shape, _ = input_shapes
        self.embedding = self.add_weight(shape=(self.num_classes, features_shape[-1]),
                                         initializer="glorot_uniform", name="class_embedding")

    def call(self, inputs):
        features, y = inputs
        embedded = ops.take(self.embedding, ops.cast(y, "int32"), axis=0)
        return ops.sum(embedded * features, axis=-1, keepdims=True)

    def compute_output_shape(self, input_shapes):
        return (input_shapes[0][0], 1)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}


def projection_discriminator(num_classes, image_side=8, channels=1, filters=64, name=None):
    """D(x, y) = ψ(φ(x)) + ⟨embed(y), φ(x)⟩ (Miyato & Koyama 2018), ([batch, side, side, c], [batch]) -> logits (batch, 1).

    φ: k stride-2 4×4 convolutions with LeakyReLU(0.2), channels filters·2^i, down to a 2×2 map, flattened.

    Args:
        num_classes: int >= 2, number of labels.
        image_side: the input's height and width, a power of two >= 4.
        channels: int >= 1, image channels.
        filters: int >= 1, channels of the first convolution.
        name: optional model name.
    Returns:
        keras.Model with inputs [x (batch, side, side, channels), y (batch,) int] and logits (batch, 1).
    """
    num_classes = _num_classes(num_classes)
    side = _image_side("image_side", image_side)
    channels = positive_int("channels", channels)
    filters = positive_int("filters", filters)
    x_in, y = keras.Input((side, side, channels), name="x"), keras.Input((), dtype="int32", name="y")
    x = x_in
    for i in range(side.bit_length() - 2):
        x = keras.layers.Conv2D(filters * 2 ** i, 4, strides=2, padding="same", name=f"down{i}")(x)
        x = keras.layers.LeakyReLU(0.2, name=f"down{i}_lrelu")(x)
    features = keras.layers.Flatten(name="features")(x)
    unconditional = keras.layers.Dense(1, name="psi")(features)
    logits = keras.layers.Add(name="logits")([unconditional, Projection(num_classes, name="projection")([features, y])])
    return keras.Model([x_in, y], logits, name=name)


def _num_classes(value):
    value = positive_int("num_classes", value)
    if value < 2:
        raise ValueError(f"`num_classes` must be >= 2, got {value}.")
    return value


class ConditionalGAN(TwoPlayerModel):
    """A class-conditional GAN: G(z, y) draws an image of class y, D(x, y) judges image and label together.

    Each step (Algorithm 1 of Goodfellow et al. with k = 1): D learns on a real labelled batch (x, y) and on
    G(z, y') for fresh z and labels y' drawn uniformly, then G learns on fresh z and y' to make D(G(z, y'), y')
    say "real". Both use the cross-entropy on logits, G the non-saturating -log D form.
    `fit()` takes a stream of (images, labels) batches (`gan_keras.data.labelled_batches`).

    Args:
        generator: keras.Model [z, y] -> images (e.g. `dcgan_generator`).
        discriminator: keras.Model [images, y] -> logits (batch, 1) (e.g. `projection_discriminator`).
        latent_dim: int >= 1, size of z (z ~ N(0, I)).
        num_classes: int >= 2, labels are 0 .. num_classes - 1.
        seed: int or None, for the noise and the labels drawn inside the train step.
    """

    def __init__(self, generator, discriminator, latent_dim, num_classes, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.generator = checks.keras_model("generator", generator)
        self.discriminator = checks.keras_model("discriminator", discriminator)
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.num_classes = _num_classes(num_classes)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.track("d_loss", "g_loss")

    @property
    def discriminators(self):
        return (self.discriminator,)

    @property
    def generators(self):
        return (self.generator,)

    def call(self, inputs, training=False):
        z, y = inputs
        return self.generator([z, y], training=training)

    def sample_latent(self, n, seed=None):
        """z of shape (n, latent_dim) ~ N(0, I), from the model's own seed generator unless `seed` is given."""
        return keras.random.normal((n, self.latent_dim), seed=self.seed_generator if seed is None else seed)

    def sample_labels(self, n):
        """n labels drawn uniformly from 0 .. num_classes - 1 (int32), from the model's seed generator."""
        return keras.random.randint((n,), 0, self.num_classes, seed=self.seed_generator, dtype="int32")

    def generate(self, labels, seed=0, batch_size=4096):
        """One sample of G per label in `labels` (a sequence of ints), as a NumPy array, from fixed noise (`seed`)."""
        labels = checks.array("labels", labels, ndim=1).astype("int32")
        if labels.min() < 0 or labels.max() >= self.num_classes:
            raise ValueError(f"`labels` must lie in 0 .. {self.num_classes - 1}, got {labels.min()} .. {labels.max()}.")
        batch_size = positive_int("batch_size", batch_size)
        z = self.sample_latent(len(labels), seed=seed)
        autodiff.sync(self)  # on JAX, mid-fit weights live outside the variables
        labels = ops.convert_to_tensor(labels, dtype="int32")
        return np.concatenate([ops.convert_to_numpy(self.generator([z[i:i + batch_size], labels[i:i + batch_size]],
                                                                   training=False))
                               for i in range(0, len(labels), batch_size)])

    def discriminator_loss(self, real, labels, z, fake_labels, training=True):
        """(D's cross-entropy on real (x, y) and on (G(z, y'), y'), logs); the fakes are cut from G's graph."""
        fake = ops.stop_gradient(self.generator([z, fake_labels], training=training))
        d_loss = losses.discriminator_loss(self.discriminator([real, labels], training=training),
                                           self.discriminator([fake, fake_labels], training=training))
        return d_loss, {"d_loss": d_loss}

    def generator_loss(self, z, fake_labels, training=True):
        """(-E log D(G(z, y'), y'), the non-saturating loss, logs)."""
        fake = self.generator([z, fake_labels], training=training)
        g_loss = losses.non_saturating_generator_loss(self.discriminator([fake, fake_labels], training=training))
        return g_loss, {"g_loss": g_loss}

    def adversarial_step(self, data):
        real, labels, _ = keras.utils.unpack_x_y_sample_weight(data)
        labels = ops.cast(labels, "int32")
        n = ops.shape(real)[0]
        z, fake_labels = self.sample_latent(n), self.sample_labels(n)
        _, d_logs = self.descend(self.d_optimizer, lambda: self.discriminator_loss(real, labels, z, fake_labels),
                                 self.d_variables(), has_aux=True)
        z, fake_labels = self.sample_latent(n), self.sample_labels(n)
        _, g_logs = self.descend(self.g_optimizer, lambda: self.generator_loss(z, fake_labels),
                                 self.g_variables(), has_aux=True)
        return {**d_logs, **g_logs}
