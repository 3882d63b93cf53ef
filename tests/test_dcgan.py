"""gan_keras.dcgan: the builders' shapes, the projection's formula, argument checks, and a few fit() steps."""

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import keras
import numpy as np
import pytest

from gan_keras.dcgan import ConditionalGAN, Projection, dcgan_generator, projection_discriminator


def numpy(x):
    return keras.ops.convert_to_numpy(x)


def nets(latent_dim=4, num_classes=3, side=8, filters=4):
    return (dcgan_generator(latent_dim, num_classes, image_side=side, filters=filters),
            projection_discriminator(num_classes, image_side=side, filters=filters))


def adam():
    return keras.optimizers.Adam(2e-4, beta_1=0.5)


# --- builders -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("side, channels", [(4, 1), (8, 1), (16, 3)])
def test_generator_draws_images_of_the_asked_size_in_tanh_range(side, channels):
    generator = dcgan_generator(5, 3, image_side=side, channels=channels, filters=4)
    assert generator.output_shape == (None, side, side, channels)
    z = 100.0 * np.random.default_rng(0).normal(size=(6, 5)).astype(np.float32)
    out = numpy(generator([z, np.array([0, 1, 2, 0, 1, 2], np.int32)]))
    assert out.shape == (6, side, side, channels)
    assert out.min() >= -1.0 and out.max() <= 1.0


def test_generator_depends_on_the_label():
    generator, _ = nets()
    z = np.zeros((3, 4), np.float32)
    out = numpy(generator([z, np.array([0, 1, 2], np.int32)]))
    assert np.abs(out[0] - out[1]).max() > 1e-6 and np.abs(out[1] - out[2]).max() > 1e-6


@pytest.mark.parametrize("side", [4, 8, 16])
def test_discriminator_gives_one_logit_per_image(side):
    _, discriminator = nets(side=side)
    x = np.random.default_rng(1).uniform(-1, 1, (5, side, side, 1)).astype(np.float32)
    assert numpy(discriminator([x, np.array([0, 1, 2, 0, 1], np.int32)])).shape == (5, 1)


def test_projection_discriminator_is_psi_plus_the_inner_product_with_the_class_embedding():
    _, discriminator = nets()
    x = np.random.default_rng(2).uniform(-1, 1, (3, 8, 8, 1)).astype(np.float32)
    y = np.array([2, 0, 1], np.int32)
    features = numpy(keras.Model(discriminator.inputs, discriminator.get_layer("features").output)([x, y]))
    psi = discriminator.get_layer("psi")
    embedding = numpy(discriminator.get_layer("projection").embedding)
    expected = features @ numpy(psi.kernel) + numpy(psi.bias) + np.sum(embedding[y] * features, axis=1, keepdims=True)
    np.testing.assert_allclose(numpy(discriminator([x, y])), expected, rtol=1e-4, atol=1e-5)


def test_projection_layer_round_trips_its_config():
    layer = Projection(7, name="p")
    assert Projection.from_config(layer.get_config()).num_classes == 7


# --- argument checks name the argument ------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, words", [
    ({"latent_dim": 0}, "`latent_dim`"),
    ({"num_classes": 1}, "`num_classes`"),
    ({"image_side": 6}, "`image_side`"),
    ({"image_side": 2}, "`image_side`"),
    ({"filters": 0}, "`filters`"),
    ({"channels": 0}, "`channels`"),
])
def test_generator_rejects_bad_arguments_by_name(kwargs, words):
    args = {"latent_dim": 4, "num_classes": 3} | kwargs
    with pytest.raises(ValueError, match=words):
        dcgan_generator(**args)


@pytest.mark.parametrize("kwargs, words", [({"num_classes": 0}, "`num_classes`"), ({"image_side": 12}, "`image_side`")])
def test_discriminator_rejects_bad_arguments_by_name(kwargs, words):
    with pytest.raises(ValueError, match=words):
        projection_discriminator(**({"num_classes": 3} | kwargs))


def test_trainer_rejects_bad_arguments_by_name():
    generator, discriminator = nets()
    with pytest.raises(TypeError, match="`generator`"):
        ConditionalGAN("G", discriminator, 4, 3)
    with pytest.raises(TypeError, match="`discriminator`"):
        ConditionalGAN(generator, None, 4, 3)
    with pytest.raises(ValueError, match="`latent_dim`"):
        ConditionalGAN(generator, discriminator, 0, 3)
    with pytest.raises(ValueError, match="`num_classes`"):
        ConditionalGAN(generator, discriminator, 4, 1)
    gan = ConditionalGAN(generator, discriminator, 4, 3)
    with pytest.raises(ValueError, match="`labels`"):
        gan.generate([0, 3])
    with pytest.raises(TypeError, match="`g_optimizer`"):
        gan.compile(d_optimizer=adam(), g_optimizer="adam")


# --- training -----------------------------------------------------------------------------------------

def test_labelled_batches_keep_each_image_with_its_label():
    x = np.arange(20, dtype=np.float32).reshape(20, 1, 1, 1) * np.ones((1, 2, 2, 1), np.float32)
    y = np.arange(20) % 5
    stream = gk.data.labelled_batches(x, y, 8, seed=3)
    batches = [batch for _, batch in zip(range(6), stream)] if not isinstance(stream, keras.utils.PyDataset) \
        else [stream[i] for i in range(6)]
    seen = []
    for images, labels in batches:
        images, labels = numpy(images), numpy(labels)
        assert images.shape == (8, 2, 2, 1) and labels.shape == (8,)
        np.testing.assert_array_equal(images[:, 0, 0, 0].astype(int) % 5, labels.astype(int))
        seen += images[:, 0, 0, 0].astype(int).tolist()
    assert sorted(seen[:20]) == list(range(20)), "the first pass should hold every image once"


@pytest.mark.parametrize("kwargs, error, words", [
    ({"y": np.zeros(3, int)}, ValueError, "`y`"),
    ({"y": np.zeros(20)}, TypeError, "`y`"),
    ({"batch_size": 21}, ValueError, "`batch_size`"),
])
def test_labelled_batches_reject_bad_arguments_by_name(kwargs, error, words):
    args = {"x": np.zeros((20, 2, 2, 1)), "y": np.zeros(20, int), "batch_size": 4, "seed": 0} | kwargs
    with pytest.raises(error, match=words):
        gk.data.labelled_batches(**args)


def test_a_few_fit_steps_move_both_players_and_generate_keeps_its_noise():
    gk.set_seed(0)
    generator, discriminator = nets()
    gan = ConditionalGAN(generator, discriminator, 4, 3, seed=0)
    gan.compile(d_optimizer=adam(), g_optimizer=adam(), steps_per_execution=gk.backend.steps_per_execution(2))
    rng = np.random.default_rng(0)
    x, y = rng.uniform(-1, 1, (32, 8, 8, 1)).astype(np.float32), rng.integers(0, 3, 32)
    g_before = [numpy(v).copy() for v in generator.trainable_variables]
    d_before = [numpy(v).copy() for v in discriminator.trainable_variables]
    first = gan.generate([0, 1, 2], seed=5)
    history = gan.fit(gk.data.labelled_batches(x, y, 8, seed=0), epochs=1, steps_per_epoch=4, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss"}
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert int(numpy(gan.g_optimizer.iterations)) == 4 and int(numpy(gan.d_optimizer.iterations)) == 4
    assert any(np.abs(numpy(v) - b).max() > 0 for v, b in zip(generator.trainable_variables, g_before))
    assert any(np.abs(numpy(v) - b).max() > 0 for v, b in zip(discriminator.trainable_variables, d_before))
    again = gan.generate([0, 1, 2], seed=5)
    assert again.shape == (3, 8, 8, 1) and np.abs(again - first).max() > 0  # same noise, new weights
    np.testing.assert_allclose(gan.generate([0, 1, 2], seed=5), again)   # fixed noise: repeatable
