"""gan_keras.cyclegan and its networks in gan_keras.models: the builders' shapes, the image pool's contract, CycleGAN's checks, losses and fit."""

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import keras
import numpy as np
import pytest

from gan_keras.cyclegan import CycleGAN, ImagePool
from gan_keras.models import cyclegan_generator, patchgan_discriminator

SHAPE = (8, 8, 1)


def constant_images(values, shape=(2, 2, 1)):
    """One image per value, every pixel equal to it, so an image is known by its first pixel."""
    return np.asarray(values, np.float32).reshape((-1, 1, 1, 1)) * np.ones((1,) + shape, np.float32)


def numpy(x):
    return keras.ops.convert_to_numpy(x)


def value(x):
    return float(numpy(x))


def first_pixels(images):
    return numpy(images)[:, 0, 0, 0].tolist()


def identity_network(shape=SHAPE):
    return keras.Sequential([keras.Input(shape), keras.layers.Identity()])


def nets(shape=SHAPE):
    return (cyclegan_generator(shape, filters=4, res_blocks=1), cyclegan_generator(shape, filters=4, res_blocks=1),
            patchgan_discriminator(shape, filters=4), patchgan_discriminator(shape, filters=4))


def adam():
    return keras.optimizers.Adam(2e-4, beta_1=0.5)


def random_images(n, seed, shape=SHAPE):
    return np.random.default_rng(seed).uniform(-1, 1, (n,) + shape).astype(np.float32)


def unpaired_stream(batch=4):
    return gk.data.unpaired_batches(random_images(16, 0), random_images(16, 1), batch, seed=0)


# --- builders ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(8, 8, 1), (16, 16, 3)])
def test_generator_keeps_the_shape_and_outputs_in_tanh_range(shape):
    generator = cyclegan_generator(shape, filters=8, res_blocks=2)
    assert generator.output_shape == (None,) + shape
    out = keras.ops.convert_to_numpy(generator(100.0 * random_images(3, 0, shape)))
    assert out.shape == (3,) + shape
    assert out.min() >= -1.0 and out.max() <= 1.0


def test_generator_without_residual_blocks():
    assert cyclegan_generator(SHAPE, filters=4, res_blocks=0).output_shape == (None,) + SHAPE


@pytest.mark.parametrize("shape, layers, scores", [((8, 8, 1), 2, (2, 2, 1)), ((16, 16, 3), 2, (4, 4, 1)),
                                                   ((16, 16, 1), 1, (8, 8, 1))])
def test_patchgan_returns_a_map_of_raw_scores(shape, layers, scores):
    discriminator = patchgan_discriminator(shape, filters=4, layers=layers)
    assert discriminator.output_shape == (None,) + scores
    assert keras.ops.convert_to_numpy(discriminator(random_images(2, 0, shape))).shape == (2,) + scores
    assert discriminator.layers[-1].activation is keras.activations.linear  # LSGAN: no sigmoid


@pytest.mark.parametrize("builder, kwargs, exc, name", [
    (cyclegan_generator, {"image_shape": (8, 8)}, ValueError, "image_shape"),
    (cyclegan_generator, {"image_shape": (8, 0, 1)}, ValueError, "image_shape"),
    (cyclegan_generator, {"filters": 0}, ValueError, "filters"),
    (cyclegan_generator, {"res_blocks": -1}, ValueError, "res_blocks"),
    (patchgan_discriminator, {"image_shape": "8x8"}, ValueError, "image_shape"),
    (patchgan_discriminator, {"layers": 0}, ValueError, "layers"),
    (patchgan_discriminator, {"filters": 2.0}, TypeError, "filters"),
])
def test_builders_check_arguments(builder, kwargs, exc, name):
    with pytest.raises(exc, match=f"`{name}`"):
        builder(**{"image_shape": SHAPE, **kwargs})


# --- image pool ---------------------------------------------------------------------------------------

def test_pool_of_size_zero_returns_its_input():
    pool = ImagePool(0, (2, 2, 1))
    images = constant_images([1, 2, 3])
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(pool.query(images)), images)
    assert pool.weights == []


def test_pool_returns_and_stores_images_until_full():
    pool = ImagePool(5, (2, 2, 1), seed=0)
    assert first_pixels(pool.query(constant_images([1, 2, 3]))) == [1, 2, 3]
    assert first_pixels(pool.images)[:3] == [1, 2, 3] and int(pool.count.numpy()) == 3
    # Two free slots: 4 and 5 fill them and come back; 6 and 7 are each returned or swapped.
    out = first_pixels(pool.query(constant_images([4, 5, 6, 7])))
    assert out[:2] == [4, 5]
    assert int(pool.count.numpy()) == 5
    for new, got in zip([6, 7], out[2:]):
        assert got == new or got in [1, 2, 3, 4, 5]


def test_full_pool_exchanges_images_and_loses_none():
    pool = ImagePool(6, (2, 2, 1), seed=1)
    pool.query(constant_images(range(6)))
    swaps = 0
    for step in range(1, 6):
        before = first_pixels(pool.images)
        new = [10 * step + i for i in range(4)]
        out = first_pixels(pool.query(constant_images(new)))
        for image, got in zip(new, out):
            assert got == image or got in before  # itself, or one stored before this batch
        assert len(set(out)) == len(out)  # no stored image is handed out twice
        # Every swap is an exchange: what went in and what was there are what is there and what came out.
        assert sorted(before + new) == sorted(first_pixels(pool.images) + out)
        swaps += sum(got != image for image, got in zip(new, out))
    assert 0 < swaps < 20  # about half of 20 at probability ½


def test_batch_larger_than_the_pool_passes_the_extra_images_through():
    pool = ImagePool(2, (2, 2, 1), seed=0)
    pool.query(constant_images([1, 2]))
    out = first_pixels(pool.query(constant_images([3, 4, 5, 6, 7])))
    assert out[2:] == [5, 6, 7]
    assert sorted([1, 2, 3, 4]) == sorted(first_pixels(pool.images) + out[:2])


@pytest.mark.skipif(gk.backend.name() != "tensorflow", reason="tf.function is TensorFlow's compiler; "
                    "the stateless test below covers JAX's, and CycleGAN's fit test every backend's train step")
def test_pool_works_inside_tf_function():
    import tensorflow as tf

    pool = ImagePool(4, (2, 2, 1), seed=0)
    query = tf.function(pool.query)
    assert first_pixels(query(constant_images([1, 2, 3]))) == [1, 2, 3]
    out = first_pixels(query(constant_images([4, 5, 6])))
    assert out[0] == 4 and int(pool.count.numpy()) == 4
    assert sorted([1, 2, 3, 4, 5, 6]) == sorted(first_pixels(pool.images) + out[1:])


def test_pool_works_statelessly_as_fit_runs_it_on_jax():
    """stateless_call takes the buffer, count and seed state as values and returns the new ones, as fit() on JAX
    threads them through its compiled step; the pool's own variables stay untouched."""
    pool = ImagePool(4, (2, 2, 1), seed=0)
    state = [v.value for v in pool.non_trainable_variables]
    out, state = pool.stateless_call([], state, constant_images([1, 2, 3]))
    assert first_pixels(keras.ops.convert_to_numpy(out)) == [1, 2, 3]
    assert int(pool.count.numpy()) == 0  # nothing was written in place
    values = {v.path: keras.ops.convert_to_numpy(x) for v, x in zip(pool.non_trainable_variables, state)}
    assert int(values[pool.count.path]) == 3
    out, state = pool.stateless_call([], state, constant_images([4, 5, 6]))
    values = {v.path: keras.ops.convert_to_numpy(x) for v, x in zip(pool.non_trainable_variables, state)}
    out = first_pixels(keras.ops.convert_to_numpy(out))
    assert out[0] == 4 and int(values[pool.count.path]) == 4
    assert sorted([1, 2, 3, 4, 5, 6]) == sorted(first_pixels(values[pool.images.path]) + out[1:])


@pytest.mark.parametrize("size, exc", [(-1, ValueError), (2.5, TypeError), ("50", TypeError)])
def test_pool_size_is_checked(size, exc):
    with pytest.raises(exc, match="`size`"):
        ImagePool(size, (2, 2, 1))


@pytest.mark.parametrize("size", [0, 3])
def test_pool_rejects_images_of_another_shape(size):
    pool = ImagePool(size, (2, 2, 1))
    with pytest.raises(ValueError, match="`images`"):
        pool.query(constant_images([1], shape=(2, 2, 3)))
    with pytest.raises(ValueError, match="`images`"):
        pool.query(np.zeros((2, 2, 1), np.float32))


# --- CycleGAN -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, exc, name", [
    ({"generator_g": lambda x: x}, TypeError, "generator_g"),
    ({"discriminator_b": "D"}, TypeError, "discriminator_b"),
    ({"cycle_weight": -1.0}, ValueError, "cycle_weight"),
    ({"identity_weight": float("nan")}, ValueError, "identity_weight"),
    ({"cycle_warmup": -1}, ValueError, "cycle_warmup"),
    ({"cycle_warmup": 2.0}, TypeError, "cycle_warmup"),
    ({"pool_size": -1}, ValueError, "pool_size"),
    ({"pool_size": 5.0}, TypeError, "pool_size"),
    ({"generator_g": cyclegan_generator((8, 8, 3), filters=4)}, ValueError, "generator_g"),
    ({"generator_f": identity_network((16, 16, 1))}, ValueError, "generator_f"),
    ({"discriminator_a": patchgan_discriminator((16, 16, 1), filters=4)}, ValueError, "generator_g"),
    ({"discriminator_a": keras.Sequential([keras.Input((None, None, 1)), keras.layers.Conv2D(1, 3)])},
     ValueError, "discriminator_a"),
])
def test_constructor_checks_name_the_argument(kwargs, exc, name):
    g, f, d_a, d_b = nets()
    args = {"generator_g": g, "generator_f": f, "discriminator_a": d_a, "discriminator_b": d_b, **kwargs}
    with pytest.raises(exc, match=f"`{name}`"):
        CycleGAN(**args)


def test_compile_takes_named_optimizers_only():
    cyclegan = CycleGAN(*nets())
    with pytest.raises(TypeError):
        cyclegan.compile(adam(), adam())  # positional: which player comes first is not a thing to guess
    with pytest.raises(TypeError, match="`g_optimizer`"):
        cyclegan.compile(d_optimizer=adam(), g_optimizer="adam")


def test_identity_generators_have_zero_cycle_and_identity_loss():
    _, _, d_a, d_b = nets()
    cyclegan = CycleGAN(identity_network(), identity_network(), d_a, d_b, identity_weight=5.0)
    a, b = random_images(4, 0), random_images(4, 1)
    g_loss, losses = cyclegan.generator_loss(a, b)
    assert value(g_loss) == value(losses["g_loss"])
    assert value(losses["cycle_loss"]) == 0.0 and value(losses["identity_loss"]) == 0.0
    # G(a) = a is judged by D_B, F(b) = b by D_A: the whole loss is adversarial.
    adv = np.mean((numpy(d_b(a)) - 1) ** 2) + np.mean((numpy(d_a(b)) - 1) ** 2)
    np.testing.assert_allclose(value(losses["adv_loss"]), adv, rtol=1e-5)
    np.testing.assert_allclose(value(losses["g_loss"]), adv, rtol=1e-5)


def test_generator_loss_adds_the_weighted_terms():
    cyclegan = CycleGAN(*nets(), cycle_weight=10.0, identity_weight=2.0)
    _, losses = cyclegan.generator_loss(random_images(4, 0), random_images(4, 1))
    assert set(losses) == {"g_loss", "adv_loss", "cycle_loss", "identity_loss"}
    # cycle_loss is the mean of the two L1 terms, and G's loss weighs their sum.
    want = value(losses["adv_loss"]) + 10.0 * 2 * value(losses["cycle_loss"]) + 2.0 * value(losses["identity_loss"])
    np.testing.assert_allclose(value(losses["g_loss"]), want, rtol=1e-5)
    cyclegan = CycleGAN(*nets(), identity_weight=0.0)
    assert "identity_loss" not in cyclegan.generator_loss(random_images(4, 0), random_images(4, 1))[1]


def test_given_fakes_give_the_same_loss():
    cyclegan = CycleGAN(*nets(), identity_weight=1.0)
    a, b = random_images(4, 0), random_images(4, 1)
    fakes = (cyclegan.generator_f(b), cyclegan.generator_g(a))
    assert value(cyclegan.generator_loss(a, b, fakes=fakes)[0]) == value(cyclegan.generator_loss(a, b)[0])


def test_fit_trains_all_four_networks_and_fills_the_pools():
    cyclegan = CycleGAN(*nets(), pool_size=50, seed=0)
    cyclegan.compile(d_optimizer=adam(), g_optimizer=adam())
    before = [keras.ops.convert_to_numpy(v) for v in cyclegan.trainable_variables]
    history = cyclegan.fit(unpaired_stream(batch=4), epochs=1, steps_per_epoch=3, verbose=0)
    assert set(history.history) == {"g_loss", "adv_loss", "cycle_loss", "d_loss"}
    assert all(np.isfinite(v[0]) for v in history.history.values())
    assert int(cyclegan.g_optimizer.iterations.numpy()) == 3
    assert int(cyclegan.d_optimizer.iterations.numpy()) == 3
    assert int(cyclegan.pool_a.count.numpy()) == 12 and int(cyclegan.pool_b.count.numpy()) == 12
    after = [keras.ops.convert_to_numpy(v) for v in cyclegan.trainable_variables]
    assert all(not np.array_equal(x, y) for x, y in zip(before, after))


@pytest.mark.parametrize("steps_per_execution", [1, 2])
def test_cycle_warmup_trains_without_the_cycle_loss_then_with_it(steps_per_execution):
    steps_per_execution = gk.backend.steps_per_execution(steps_per_execution)  # 1 on PyTorch
    cyclegan = CycleGAN(*nets(), cycle_weight=10.0, cycle_warmup=2 * steps_per_execution, seed=0)
    assert cyclegan.cycle_weight_now() == 0.0  # not compiled: no step taken
    cyclegan.compile(d_optimizer=adam(), g_optimizer=adam(), steps_per_execution=steps_per_execution)
    # Each epoch's logs average its steps, all inside or all past the warm-up: g_loss is adv_loss until then.
    history = cyclegan.fit(unpaired_stream(), epochs=4, steps_per_epoch=steps_per_execution, verbose=0).history
    weights = [(g - adv) / (2 * cycle) for g, adv, cycle in zip(history["g_loss"], history["adv_loss"],
                                                                 history["cycle_loss"])]
    np.testing.assert_allclose(weights, [0.0, 0.0, 10.0, 10.0], atol=1e-4)
    assert value(cyclegan.cycle_weight_now()) == 10.0


def test_translate_returns_numpy_of_the_generators():
    cyclegan = CycleGAN(*nets())
    images = random_images(5, 0)
    a_to_b, b_to_a = cyclegan.translate_a_to_b(images, batch_size=2), cyclegan.translate_b_to_a(images)
    assert isinstance(a_to_b, np.ndarray) and a_to_b.shape == images.shape
    # predict() runs in batches of 2, the direct call on all 5: XLA may fuse and round them differently.
    np.testing.assert_allclose(a_to_b, numpy(cyclegan.generator_g(images)), atol=1e-5)
    np.testing.assert_allclose(b_to_a, numpy(cyclegan.generator_f(images)), atol=1e-5)
    with pytest.raises(ValueError, match="`batch_size`"):
        cyclegan.translate_a_to_b(images, batch_size=0)


class TimesNaN(keras.layers.Layer):
    def call(self, x):
        return x * float("nan")


def test_nan_loss_stops_fit(capsys):
    generator = keras.Sequential([keras.Input(SHAPE), TimesNaN()])
    _, f, d_a, d_b = nets()
    cyclegan = CycleGAN(generator, f, d_a, d_b, seed=0)
    cyclegan.compile(d_optimizer=adam(), g_optimizer=adam())
    history = cyclegan.fit(unpaired_stream(), epochs=5, steps_per_epoch=2, verbose=0)
    assert len(history.history["g_loss"]) < 5
    assert "stopped" in capsys.readouterr().out
