"""CycleGAN (Zhu et al. 2017), "Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks".

Two domains A and B with no pairs between them; two generators G: A -> B and F: B -> A; two discriminators,
D_B telling real B images from G's outputs and D_A real A images from F's. An adversarial loss alone only
asks G(a) to look like *some* B image; the cycle loss ties each output to its input. The full objective
(their Eq. 3), G and F minimising it, D_A and D_B maximising it:

    L(G, F, D_A, D_B) = L_GAN(G, D_B) + L_GAN(F, D_A) + λ_cyc·L_cyc(G, F)
    L_cyc(G, F) = E_a|F(G(a)) − a| + E_b|G(F(b)) − b|                     (Eq. 2, L1)

As in their section 4, L_GAN is the least-squares loss of Mao et al. (2017): D minimises
½(D(x) − 1)² + ½D(fake)², G minimises (D(G(a)) − 1)² (`losses.lsgan_*`). Also from the paper: the
identity loss E|G(b) − b| + E|F(a) − a| (their section 5.2, weight λ_id·λ_cyc = 0.5·10), and the history of generated
images D learns from (`ImagePool`, from Shrivastava et al. 2017). The networks are
`gan_keras.models.cyclegan_generator` and `gan_keras.models.patchgan_discriminator`.
"""

import keras
from keras import ops

from . import checks, losses, models
from .checks import positive_float, positive_int
from .engine import TwoPlayerModel

SWAP_PROBABILITY = 0.5  # the pool returns a stored image instead of the new one this often


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

    One round, as the authors' code does it: G and F take one step down
    LSGAN(D_B(G(a))) + LSGAN(D_A(F(b))) + λ_cyc·(|F(G(a)) − a| + |G(F(b)) − b|) [+ w_id·(|G(b) − b| + |F(a) − a|)];
    then D_A and D_B take one step down ½(D(x) − 1)² + ½D(fake)² on the real batches and on the fakes
    made before G's step, drawn through the `ImagePool`s.

    Train with `fit` on a stream of (a_batch, b_batch) pairs of equal batch size, e.g.
    `gk.data.unpaired_batches(a, b, batch_size, seed)`: two independently shuffled streams (unpaired).
    Images in [-1, 1]. `call(a)` is G(a). Logged: `g_loss`, `adv_loss`, `cycle_loss` (the mean of the two
    L1 terms), `identity_loss` (if identity_weight > 0) and `d_loss`.

    `cycle_warmup` is not in the paper: the first `cycle_warmup` generator steps run with λ_cyc = 0, meant
    to let D_B and D_A shape G and F before the cycle loss can lock them into a cycle-consistent wrong pair
    (in lesson 06, a relabelling of the digits). The step count is `g_optimizer`'s, so compiling with a
    new optimizer starts the warm-up again.

    The paper weighs the identity term by λ_id·λ_cyc with λ_id = 0.5, so 5 at λ_cyc = 10; `identity_weight`
    is that product, w_id, given directly (the paper's setting is 5, not 0.5).
    Identity keeps colours when both domains share a palette, but it pulls G toward the identity map,
    which is wrong when B is, say, an inversion of A: hence the default 0.

    Args:
        generator_g: keras.Model, A images (batch, h, w, c) -> B images.
        generator_f: keras.Model, B images -> A images.
        discriminator_a, discriminator_b: keras.Models, images -> raw scores (any shape per image).
        cycle_weight: λ_cyc >= 0 (the paper: 10).
        cycle_warmup: int >= 0, the generator steps at the start with λ_cyc = 0 (the paper: 0).
        identity_weight: w_id >= 0, the identity term's whole weight; 0 skips the identity forward passes.
        pool_size: int >= 0, images in each domain's pool (the paper: 50; 0: no pool).
        seed: int or None, for the pools.

    Example:
        nets = [gk.models.cyclegan_generator((8, 8, 1)) for _ in "GF"]
        nets += [gk.models.patchgan_discriminator((8, 8, 1)) for _ in "AB"]
        model = CycleGAN(*nets, seed=0)
        model.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                      g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
        model.fit(gk.data.unpaired_batches(a_images, b_images, 32, seed=0), epochs=1, steps_per_epoch=200)
        b_like = model.translate_a_to_b(a_images)
    """

    def __init__(self, generator_g, generator_f, discriminator_a, discriminator_b, cycle_weight=10.0,
                 cycle_warmup=0, identity_weight=0.0, pool_size=50, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.generator_g = checks.keras_model("generator_g", generator_g)
        self.generator_f = checks.keras_model("generator_f", generator_f)
        self.discriminator_a = checks.keras_model("discriminator_a", discriminator_a)
        self.discriminator_b = checks.keras_model("discriminator_b", discriminator_b)
        self.cycle_weight = positive_float("cycle_weight", cycle_weight, allow_zero=True)
        self.cycle_warmup = positive_int("cycle_warmup", cycle_warmup, allow_zero=True)
        self.identity_weight = positive_float("identity_weight", identity_weight, allow_zero=True)
        self.pool_size = positive_int("pool_size", pool_size, allow_zero=True)
        shape_a, shape_b = self._check_shapes()
        self.pool_a = ImagePool(self.pool_size, shape_a, seed=seed, name="pool_a")
        self.pool_b = ImagePool(self.pool_size, shape_b, seed=None if seed is None else seed + 1, name="pool_b")
        self.track("g_loss", "adv_loss", "cycle_loss", *(["identity_loss"] if self.identity_weight > 0 else []),
                   "d_loss")

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

    @property
    def discriminators(self):
        return (self.discriminator_a, self.discriminator_b)

    @property
    def generators(self):
        return (self.generator_g, self.generator_f)

    def call(self, images, training=False):
        return self.generator_g(images, training=training)

    def generator_loss(self, a, b, fakes=None, training=True):
        """Both generators' loss on real batches a (A) and b (B): what G and F minimise together.

        The cycle terms are weighted by `cycle_weight_now()`: 0 during the warm-up, then `cycle_weight`.

        Args:
            a, b: (batch, h, w, c) real images of A and B.
            fakes: optional (F(b), G(a)), if the caller has them already (the train step keeps them for D).
            training: passed to the networks.
        Returns:
            (g_loss, logs): logs holds 'g_loss', 'adv_loss' (the two LSGAN terms), 'cycle_loss' (the mean of
            the two L1 cycle terms, unweighted) and, if identity_weight > 0, 'identity_loss' (the sum of the
            two L1 terms, unweighted).
        """
        if fakes is None:
            fake_b = self.generator_g(a, training=training)
            fakes = (self.generator_f(b, training=training), fake_b)
        fake_a, fake_b = fakes
        cycle_a = losses.cycle_loss(a, self.generator_f(fake_b, training=training))
        cycle_b = losses.cycle_loss(b, self.generator_g(fake_a, training=training))
        adv_loss = (losses.lsgan_generator_loss(self.discriminator_b(fake_b, training=training))
                    + losses.lsgan_generator_loss(self.discriminator_a(fake_a, training=training)))
        g_loss = adv_loss + self.cycle_weight_now() * (cycle_a + cycle_b)
        logs = {"adv_loss": adv_loss, "cycle_loss": 0.5 * (cycle_a + cycle_b)}
        if self.identity_weight > 0:
            identity = (losses.identity_loss(b, self.generator_g(b, training=training))
                        + losses.identity_loss(a, self.generator_f(a, training=training)))
            g_loss += self.identity_weight * identity
            logs["identity_loss"] = identity
        logs["g_loss"] = g_loss
        return g_loss, logs

    def cycle_weight_now(self):
        """λ_cyc at the generators' next step: 0 for the first `cycle_warmup` steps, then `cycle_weight`."""
        if self.cycle_warmup == 0:
            return self.cycle_weight
        if getattr(self, "g_optimizer", None) is None:  # not compiled: no step taken yet
            return 0.0
        warming_up = ops.less(self.g_optimizer.iterations, self.cycle_warmup)
        return ops.where(warming_up, 0.0, self.cycle_weight)

    def discriminator_loss(self, a, b, fake_a, fake_b, training=True):
        """D_A's plus D_B's LSGAN loss: real batches a, b against fakes fake_a, fake_b (e.g. from the pools).

        Returns:
            (d_loss, {"d_loss": d_loss}).
        """
        d_loss = (losses.lsgan_discriminator_loss(self.discriminator_a(a, training=training),
                                                  self.discriminator_a(fake_a, training=training))
                  + losses.lsgan_discriminator_loss(self.discriminator_b(b, training=training),
                                                    self.discriminator_b(fake_b, training=training)))
        return d_loss, {"d_loss": d_loss}

    def adversarial_step(self, data):
        if not isinstance(data, (tuple, list)) or len(data) != 2:  # PyTorch's loader hands tuples on as lists
            raise ValueError("CycleGAN trains on (a_batch, b_batch) pairs; "
                             f"got a {type(data).__name__} of {len(data) if isinstance(data, (tuple, list)) else 1}.")
        a, b = data

        def g_loss_keeping_fakes():
            fake_b = self.generator_g(a, training=True)
            fakes = (self.generator_f(b, training=True), fake_b)
            g_loss, logs = self.generator_loss(a, b, fakes=fakes)
            return g_loss, (logs, fakes)

        _, (g_logs, (fake_a, fake_b)) = self.descend(self.g_optimizer, g_loss_keeping_fakes, self.g_variables(),
                                                     has_aux=True)
        # As in the paper's code, D learns on the fakes made before G's update, drawn through the pools and
        # cut from the generators' graph.
        fake_a, fake_b = self.pool_a.query(ops.stop_gradient(fake_a)), self.pool_b.query(ops.stop_gradient(fake_b))
        _, d_logs = self.descend(self.d_optimizer, lambda: self.discriminator_loss(a, b, fake_a, fake_b),
                                 self.d_variables(), has_aux=True)
        return {**g_logs, **d_logs}

    def translate_a_to_b(self, images, batch_size=256):
        """G(images) as a NumPy array: A images (n, h, w, c) in [-1, 1] -> B images of the same shape."""
        return models.apply(self.generator_g, images, batch_size)

    def translate_b_to_a(self, images, batch_size=256):
        """F(images) as a NumPy array: B images (n, h, w, c) in [-1, 1] -> A images of the same shape."""
        return models.apply(self.generator_f, images, batch_size)

