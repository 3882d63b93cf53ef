"""CycleGAN (Zhu et al. 2017) for tiny images: a ResNet generator, a PatchGAN, the image pool, the trainer.

Unpaired translation A <-> B: two generators, two least-squares discriminators, and a cycle loss that
asks F(G(a)) = a and G(F(b)) = b, because an adversarial loss alone does not tie an output to its input.
"""

import keras
import numpy as np
from keras import ops

from . import checks, losses, models
from .checks import positive_float, positive_int
from .training import TwoPlayerModel

SWAP_PROBABILITY = 0.5  # the pool returns a stored image instead of the new one this often


def _instance_norm(name):
    # GroupNormalization with one group per channel is instance normalisation, as CycleGAN uses.
    return keras.layers.GroupNormalization(groups=-1, name=name)


def cyclegan_generator(image_shape, filters=32, res_blocks=2, name=None):
    """A ResNet generator in CycleGAN's manner, sized for tiny images: (batch, h, w, c) -> (batch, h, w, c).

    Stem conv-norm-ReLU, `res_blocks` residual blocks x + conv-norm-ReLU-conv-norm(x), then a conv to
    c channels with tanh, so outputs lie in [-1, 1] (scale the images to [-1, 1] too).

    The paper uses 7×7 stem and output convs, reflection padding and two stride-2 down/up-sampling
    stages around 6 or 9 blocks on 256×256 images; on 8×8 or 16×16 images we keep the full resolution,
    use 3×3 convs and zero ("same") padding: Keras has no reflection-padding layer, and a 3×3 kernel
    already sees most of an 8×8 digit after two blocks.

    Args:
        image_shape: (h, w, c) of the images in both domains.
        filters: int >= 1, channels of every hidden conv.
        res_blocks: int >= 0, number of residual blocks.
        name: optional model name.
    Returns:
        keras.Model, (batch, h, w, c) -> (batch, h, w, c) in [-1, 1].
    """
    image_shape = checks.image_shape("image_shape", image_shape)
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
    image_shape = checks.image_shape("image_shape", image_shape)
    filters = positive_int("filters", filters)
    depth = positive_int("layers", layers)
    inputs = keras.Input(image_shape)
    x = inputs
    for i in range(depth):
        x = keras.layers.Conv2D(filters * 2 ** i, 4, strides=2, padding="same", name=f"down{i}_conv")(x)
        x = keras.layers.LeakyReLU(0.2, name=f"down{i}_lrelu")(x)
    outputs = keras.layers.Conv2D(1, 4, padding="same", name="scores")(x)
    return keras.Model(inputs, outputs, name=name)


class ImagePool(keras.layers.Layer):
    """A history of generated images (Shrivastava et al. 2017), so D also sees G's older outputs.

    D trained only on G's latest images chases G around; showing it a buffer of past fakes damps the
    oscillation. CycleGAN keeps 50. `query(images)` returns a batch of the same shape:

    - while the pool is not full, images are stored and returned unchanged;
    - once full, each image is, with probability ½, swapped with a random stored one (the stored one
      is returned, the new one takes its slot), and otherwise returned itself.

    The batch is handled in one vectorised step, not image by image as in the paper's loop: the first
    images fill the free slots; each remaining image is a swap candidate with its own slot, drawn
    *without replacement* from all slots (including those just filled), so a batch never returns one
    stored image twice. If a batch brings more candidates than the pool has slots, those beyond
    `size` pass through unchanged. The buffer lives in non-trainable variables and the draws come
    from a `keras.random.SeedGenerator`, so `query` works inside a compiled train step on every backend
    (on JAX, `fit()` carries them in its state).

    Args:
        size: int >= 0, images kept; 0 means no pool (`query` returns its input).
        image_shape: (h, w, c) of the images.
        seed: int or None, for the slots and the coin flips.
    """

    def __init__(self, size, image_shape, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.size = positive_int("size", size, allow_zero=True)
        self.image_shape = checks.image_shape("image_shape", image_shape)
        self.seed_generator = keras.random.SeedGenerator(seed)
        if self.size:
            self.images = self.add_weight(shape=(self.size,) + self.image_shape, initializer="zeros",
                                          trainable=False, name="images")
            self.count = self.add_weight(shape=(), initializer="zeros", dtype="int32", trainable=False,
                                         name="count")
        self.built = True  # the variables exist already; nothing is left to build on the first call

    def _check(self, images):
        shape = tuple(images.shape)
        if len(shape) != len(self.image_shape) + 1 or any(
                d is not None and d != e for d, e in zip(shape[1:], self.image_shape)):
            raise ValueError(f"`images` must have shape (batch, {', '.join(map(str, self.image_shape))}), "
                             f"got {shape}.")

    def query(self, images):
        """Store `images` (batch, h, w, c) and return a batch of the same shape, as described above."""
        images = ops.convert_to_tensor(images, dtype="float32")
        self._check(images)
        if not self.size:
            return images
        n = ops.shape(images)[0]
        index = ops.arange(n, dtype="int32")
        count = ops.convert_to_tensor(self.count)
        fill = index < self.size - count
        # Candidate k (counted after the fills) gets the k-th slot of a random permutation.
        rank = index - (self.size - count)
        slots = keras.random.shuffle(ops.arange(self.size, dtype="int32"), seed=self.seed_generator)
        target = ops.take(slots, ops.clip(rank, 0, self.size - 1))
        coin = keras.random.uniform((n,), seed=self.seed_generator) < SWAP_PROBABILITY
        swap = ops.logical_and(ops.logical_not(fill), ops.logical_and(coin, rank < self.size))
        # One extra row takes the writes of images that go nowhere; it is dropped at the end.
        sink = self.size
        buffer = ops.concatenate([ops.convert_to_tensor(self.images), ops.zeros((1,) + self.image_shape)], axis=0)
        buffer = ops.scatter_update(buffer, ops.expand_dims(ops.where(fill, count + index, sink), 1), images)
        swap_mask = ops.reshape(swap, (-1,) + (1,) * len(self.image_shape))
        out = ops.where(swap_mask, ops.take(buffer, target, axis=0), images)
        buffer = ops.scatter_update(buffer, ops.expand_dims(ops.where(swap, target, sink), 1), images)
        self.images.assign(buffer[:self.size])
        self.count.assign(ops.minimum(count + n, self.size))
        return out

    def call(self, images):
        return self.query(images)


def _io_shape(name, model, attr):
    """model.input_shape or model.output_shape without the batch axis; raise if a model has none."""
    try:
        shape = getattr(model, attr)
    except (AttributeError, ValueError) as err:
        raise ValueError(f"`{name}` must be a model built on one keras.Input, so its {attr} is known.") from err
    if not isinstance(shape, tuple) or not all(d is None or isinstance(d, int) for d in shape):
        raise ValueError(f"`{name}` must take and return one image tensor, got {attr} {shape}.")
    return tuple(shape[1:])


class CycleGAN(TwoPlayerModel):
    """CycleGAN (Zhu et al. 2017): G: A -> B and F: B -> A, judged by D_A (A images) and D_B (B images).

    G's loss: LSGAN(D_B(G(a))) + LSGAN(D_A(F(b))) + λ_cyc·(|F(G(a)) - a| + |G(F(b)) - b|)
    [+ λ_id·(|G(b) - b| + |F(a) - a|)]. Each D then minimises ½(D(x) - 1)² + ½D(fake)² on its real
    batch and on fakes drawn through an `ImagePool`.

    Train with `fit` on a stream of (a_batch, b_batch) pairs of equal batch size, e.g.
    `gk.data.unpaired_batches(a, b, batch_size, seed)`: two independently shuffled streams (unpaired).
    Images in [-1, 1]. `call(a)` is G(a).

    The paper weighs identity by λ_id·λ_cyc (λ_id = 0.5); here `identity_weight` is the weight itself.
    Identity keeps colours when both domains share a palette, but it pulls G toward the identity map,
    which is wrong when B is, say, an inversion of A: hence the default 0.

    Args:
        generator_g: keras.Model, A images (batch, h, w, c) -> B images.
        generator_f: keras.Model, B images -> A images.
        discriminator_a, discriminator_b: keras.Models, images -> raw scores (any shape per image).
        cycle_weight: λ_cyc >= 0 (the paper: 10).
        identity_weight: λ_id >= 0; 0 skips the identity forward passes.
        pool_size: int >= 0, images in each domain's pool (the paper: 50; 0: no pool).
        seed: int or None, for the pools.
    """

    def __init__(self, generator_g, generator_f, discriminator_a, discriminator_b, cycle_weight=10.0,
                 identity_weight=0.0, pool_size=50, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.generator_g = checks.keras_model("generator_g", generator_g)
        self.generator_f = checks.keras_model("generator_f", generator_f)
        self.discriminator_a = checks.keras_model("discriminator_a", discriminator_a)
        self.discriminator_b = checks.keras_model("discriminator_b", discriminator_b)
        self.cycle_weight = positive_float("cycle_weight", cycle_weight, allow_zero=True)
        self.identity_weight = positive_float("identity_weight", identity_weight, allow_zero=True)
        self.pool_size = positive_int("pool_size", pool_size, allow_zero=True)
        shape_a, shape_b = self._check_shapes()
        self.pool_a = ImagePool(self.pool_size, shape_a, seed=seed, name="pool_a")
        self.pool_b = ImagePool(self.pool_size, shape_b, seed=None if seed is None else seed + 1, name="pool_b")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.adv_loss_tracker = keras.metrics.Mean(name="adv_loss")
        self.cycle_loss_tracker = keras.metrics.Mean(name="cycle_loss")
        self.identity_loss_tracker = keras.metrics.Mean(name="identity_loss")
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")

    def _check_shapes(self):
        """The image shapes (h, w, c) of A and B, after checking that the four networks agree on them."""
        shapes = {}
        for name, domain in [("discriminator_a", "A"), ("discriminator_b", "B")]:
            shape = _io_shape(name, getattr(self, name), "input_shape")
            if None in shape:
                raise ValueError(f"`{name}` must take images of a fixed shape (h, w, c), got {shape}.")
            shapes[domain] = shape
        for name, side, attr, domain in [("generator_g", "takes", "input_shape", "A"),
                                         ("generator_g", "returns", "output_shape", "B"),
                                         ("generator_f", "takes", "input_shape", "B"),
                                         ("generator_f", "returns", "output_shape", "A")]:
            got = _io_shape(name, getattr(self, name), attr)
            if got != shapes[domain]:
                raise ValueError(f"`{name}` {side} images of shape {got}, but `discriminator_{domain.lower()}` "
                                 f"judges domain {domain} images of shape {shapes[domain]}.")
        return shapes["A"], shapes["B"]

    def compile(self, *, d_optimizer, g_optimizer, **kwargs):
        """Args (by keyword): d_optimizer for both Ds' weights, g_optimizer for both Gs' weights;
        kwargs go to keras.Model.compile (e.g. `steps_per_execution`, `jit_compile`)."""
        super().compile(d_optimizer, g_optimizer, **kwargs)

    @property
    def discriminators(self):
        return (self.discriminator_a, self.discriminator_b)

    @property
    def generators(self):
        return (self.generator_g, self.generator_f)

    @property
    def metrics(self):
        trackers = [self.g_loss_tracker, self.adv_loss_tracker, self.cycle_loss_tracker]
        if self.identity_weight > 0:
            trackers.append(self.identity_loss_tracker)
        return trackers + [self.d_loss_tracker]

    def call(self, images, training=False):
        return self.generator_g(images, training=training)

    def generator_losses(self, a, b, training=False):
        """Both generators' losses on real batches a (A) and b (B).

        Returns:
            (losses, (fake_a, fake_b)): losses is a dict of scalars — 'g_loss' (what G and F minimise),
            'adv_loss' (the two LSGAN terms), 'cycle_loss' (the mean of the two L1 cycle terms,
            unweighted) and, if identity_weight > 0, 'identity_loss' (the sum of the two L1 terms,
            unweighted); fake_a = F(b) and fake_b = G(a), for the discriminators' step.
        """
        fake_b = self.generator_g(a, training=training)
        fake_a = self.generator_f(b, training=training)
        cycle_a = losses.cycle_loss(a, self.generator_f(fake_b, training=training))
        cycle_b = losses.cycle_loss(b, self.generator_g(fake_a, training=training))
        adv_loss = (losses.lsgan_generator_loss(self.discriminator_b(fake_b, training=training))
                    + losses.lsgan_generator_loss(self.discriminator_a(fake_a, training=training)))
        g_loss = adv_loss + self.cycle_weight * (cycle_a + cycle_b)
        out = {"adv_loss": adv_loss, "cycle_loss": 0.5 * (cycle_a + cycle_b)}
        if self.identity_weight > 0:
            identity = (losses.identity_loss(b, self.generator_g(b, training=training))
                        + losses.identity_loss(a, self.generator_f(a, training=training)))
            g_loss += self.identity_weight * identity
            out["identity_loss"] = identity
        out["g_loss"] = g_loss
        return out, (fake_a, fake_b)

    def discriminator_loss(self, a, b, fake_a, fake_b, training=False):
        """D_A's plus D_B's LSGAN loss: real batches a, b against fakes fake_a, fake_b (e.g. from the pools)."""
        return (losses.lsgan_discriminator_loss(self.discriminator_a(a, training=training),
                                                self.discriminator_a(fake_a, training=training))
                + losses.lsgan_discriminator_loss(self.discriminator_b(b, training=training),
                                                  self.discriminator_b(fake_b, training=training)))

    def adversarial_step(self, data):
        if not isinstance(data, (tuple, list)) or len(data) != 2:  # PyTorch's loader hands tuples on as lists
            raise ValueError("CycleGAN trains on (a_batch, b_batch) pairs; "
                             f"got a {type(data).__name__} of {len(data) if isinstance(data, (tuple, list)) else 1}.")
        a, b = data

        def g_loss_and_fakes():
            g_losses, fakes = self.generator_losses(a, b, training=True)
            return g_losses["g_loss"], (g_losses, fakes)

        _, (g_losses, (fake_a, fake_b)) = self.descend(self.g_optimizer, g_loss_and_fakes, self.g_variables(),
                                                       has_aux=True)
        # As in the paper's code, D learns on the fakes made before G's update, drawn through the pools and
        # cut from the generators' graph.
        fake_a, fake_b = self.pool_a.query(ops.stop_gradient(fake_a)), self.pool_b.query(ops.stop_gradient(fake_b))
        d_loss = self.descend(self.d_optimizer, lambda: self.discriminator_loss(a, b, fake_a, fake_b, training=True),
                              self.d_variables())
        for tracker in self.metrics:
            tracker.update_state(d_loss if tracker is self.d_loss_tracker else g_losses[tracker.name])
        return {m.name: m.result() for m in self.metrics}

    def _translate(self, network, images, batch_size):
        return models.apply(network, images, batch_size)

    def translate_a_to_b(self, images, batch_size=256):
        """G(images) as a NumPy array: A images (n, h, w, c) in [-1, 1] -> B images of the same shape."""
        return self._translate(self.generator_g, images, batch_size)

    def translate_b_to_a(self, images, batch_size=256):
        """F(images) as a NumPy array: B images (n, h, w, c) in [-1, 1] -> A images of the same shape."""
        return self._translate(self.generator_f, images, batch_size)
