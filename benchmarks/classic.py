"""The classic Keras GAN pattern and its step timer, for comparing our trainers against what they replace.

`ClassicGAN` is the pattern older Keras GAN examples use: D compiled on its own, a `combined` model
z -> D(G(z)) with D frozen, and per step a `predict_on_batch` and two `train_on_batch` calls.
`classic_step_ms` times its steps. `single_loss_vs_classic.py` runs it; lesson 07 writes its own copy,
since the pattern is what that lesson is about, not a helper the course reuses.

Medians, not means: on a shared machine a few steps are slowed by other processes.
"""

import time

import gan_keras as gk  # noqa: F401  (first: it loads Keras quietly on the chosen backend)
import keras
import numpy as np
from gan_keras import checks, losses


class ClassicGAN:
    """The classic Keras GAN pattern: D compiled alone, a frozen-D `combined` model, two train_on_batch calls.

    One `step` on a real batch x of n samples:

    1. fake = G.predict_on_batch(z), z ~ N(0, I) of shape (n, latent_dim), drawn with NumPy;
    2. D.train_on_batch([x; fake], [REAL]*n + [FAKE]*n)  — D's binary cross-entropy on logits;
    3. combined.train_on_batch(z, [REAL]*n)              — G's non-saturating loss, D frozen.

    In Keras 2, freezing D before compiling `combined` was enough. In Keras 3 a model's train function
    captures the trainable weights when it is first *traced*, so D's function must be traced while D is
    trainable and `combined`'s after D is frozen. The first step for each batch shape therefore does:
    D step (D trainable), freeze D, `combined` step, check that D's weights did not move, then one more
    D step and check that they did (the second D update is the price of the check). It raises
    RuntimeError if either check fails. Every later step is the plain three calls above.

    G and D are trained in place; D is left with `trainable = False` (its own compiled train function
    still updates it).

    Args:
        generator: keras.Model, (batch, latent_dim) -> samples (batch, ...).
        discriminator: keras.Model, samples -> logits (batch, ...).
        latent_dim: int >= 1, size of z.
        learning_rate: > 0, for both Adam optimizers (β1 = 0.5, as in DCGAN).
        seed: int >= 0, for the NumPy noise.
    """

    def __init__(self, generator, discriminator, latent_dim, learning_rate=1e-3, seed=0):
        self.generator = checks.keras_model("generator", generator)
        self.discriminator = checks.keras_model("discriminator", discriminator)
        self.latent_dim = checks.positive_int("latent_dim", latent_dim)
        self.learning_rate = checks.positive_float("learning_rate", learning_rate)
        seed = checks.positive_int("seed", seed, allow_zero=True)
        self.rng = np.random.default_rng(seed)
        bce = keras.losses.BinaryCrossentropy(from_logits=True)
        self.discriminator.trainable = True
        self.discriminator.compile(optimizer=keras.optimizers.Adam(self.learning_rate, beta_1=0.5), loss=bce)
        z = keras.Input((self.latent_dim,))
        self.combined = keras.Model(z, self.discriminator(self.generator(z)), name="combined")
        self.combined.compile(optimizer=keras.optimizers.Adam(self.learning_rate, beta_1=0.5), loss=bce)
        self._labels = {}      # n -> (D's labels (2n, ...), combined's labels (n, ...))
        self._checked = set()  # batch shapes whose train functions were traced and checked

    def _set_d_trainable(self, flag):
        self.discriminator.trainable = flag

    def labels(self, n):
        """(labels for D on [real; fake], labels for `combined`): float32, D's output shape per sample."""
        if n not in self._labels:
            shape = tuple(d if d is not None else 1 for d in self.discriminator.output_shape[1:]) or (1,)
            real = np.full((n,) + shape, losses.REAL, dtype=np.float32)
            fake = np.full((n,) + shape, losses.FAKE, dtype=np.float32)
            self._labels[n] = (np.concatenate([real, fake]), real)
        return self._labels[n]

    def _d_weights(self):
        return [keras.ops.convert_to_numpy(w).copy() for w in self.discriminator.weights]

    def _d_moved(self, before):
        return not all(np.array_equal(a, keras.ops.convert_to_numpy(b))
                       for a, b in zip(before, self.discriminator.weights))

    def _first_step(self, real):
        """Trace D's train function with D trainable and combined's with D frozen, checking both."""
        d_labels, g_labels = self.labels(len(real))
        noise = self.rng.standard_normal((len(real), self.latent_dim)).astype(np.float32)
        fake = self.generator.predict_on_batch(noise)
        self._set_d_trainable(True)
        d_loss = self.discriminator.train_on_batch(np.concatenate([real, fake]), d_labels)
        self._set_d_trainable(False)
        before = self._d_weights()
        g_loss = self.combined.train_on_batch(noise, g_labels)
        if self._d_moved(before):
            raise RuntimeError("`combined` updated D's weights: D was not frozen when its train function was "
                               "traced, so G's step also trains D to be fooled.")
        self.discriminator.train_on_batch(np.concatenate([real, fake]), d_labels)
        if not self._d_moved(before):
            raise RuntimeError("D's own train_on_batch no longer updates D: its train function was traced "
                               "while D was frozen.")
        self._checked.add(real.shape)
        return {"d_loss": float(d_loss), "g_loss": float(g_loss)}

    def step(self, real_batch):
        """One D update and one G update on `real_batch` (n, ...) as described above.

        Returns:
            dict with d_loss and g_loss, the two train_on_batch losses.
        """
        real = np.asarray(real_batch, dtype=np.float32)
        if real.shape not in self._checked:
            real = checks.array("real_batch", real, min_len=1).astype(np.float32)
            return self._first_step(real)
        d_labels, g_labels = self.labels(len(real))
        noise = self.rng.standard_normal((len(real), self.latent_dim)).astype(np.float32)
        fake = self.generator.predict_on_batch(noise)
        d_loss = self.discriminator.train_on_batch(np.concatenate([real, fake]), d_labels)
        g_loss = self.combined.train_on_batch(noise, g_labels)
        return {"d_loss": float(d_loss), "g_loss": float(g_loss)}


def classic_step_ms(classic, data, batch_size, steps=300, warmup=30):
    """Median milliseconds of one `ClassicGAN.step`, over `steps` steps after `warmup` discarded.

    Batches are consecutive slices of `data`, cycling; the first step (tracing and checks) is always
    discarded along with the warm-up. Each step is timed alone, from the call to its return.

    Args:
        classic: a `ClassicGAN`; it is trained.
        data: (N, ...) real samples, N >= batch_size.
        batch_size: int >= 1, samples per step.
        steps: int >= 1; warmup: int >= 0.
    Returns:
        float, milliseconds per step.
    """
    if not isinstance(classic, ClassicGAN):
        raise TypeError(f"`classic` must be a ClassicGAN, got {type(classic).__name__}.")
    data = np.asarray(checks.array("data", data, min_len=1), dtype=np.float32)
    batch_size = checks.positive_int("batch_size", batch_size)
    steps = checks.positive_int("steps", steps)
    warmup = checks.positive_int("warmup", warmup, allow_zero=True)
    if batch_size > len(data):
        raise ValueError(f"`batch_size` ({batch_size}) must not exceed the number of samples in `data` ({len(data)}).")
    chunks = len(data) // batch_size
    batch = lambda i: data[(i % chunks) * batch_size:(i % chunks + 1) * batch_size]  # noqa: E731
    classic.step(batch(0))
    times = []
    for i in range(1, warmup + steps + 1):
        real = batch(i)
        start = time.perf_counter()
        classic.step(real)
        times.append(time.perf_counter() - start)
    return 1e3 * float(np.median(times[warmup:]))
