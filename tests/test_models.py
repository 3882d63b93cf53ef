"""gan_keras.models: mlp's shapes, layers, activations and argument checks; apply."""

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
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


def test_packed_discriminator_sees_consecutive_samples_side_by_side():
    from gan_keras.models import packed

    inner = keras.Sequential([keras.Input((6,)), keras.layers.Identity()])
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    out = keras.ops.convert_to_numpy(packed(inner, 3)(x))
    np.testing.assert_array_equal(out, x.reshape(2, 6))
    assert packed(mlp(4, 1, hidden=(8,)), 2)(np.zeros((10, 2), np.float32)).shape == (5, 1)


def test_packed_shares_the_discriminators_weights():
    from gan_keras.models import packed

    inner = mlp(4, 1, hidden=(8,))
    model = packed(inner, 2)
    assert {id(v) for v in model.trainable_variables} == {id(v) for v in inner.trainable_variables}


@pytest.mark.parametrize("discriminator, pack, exc, name", [
    (mlp(5, 1), 2, ValueError, "discriminator"),  # 5 inputs cannot be 2 samples side by side
    (keras.layers.Dense(1), 2, TypeError, "discriminator"),
    (mlp(4, 1), 0, ValueError, "pack"),
    (mlp(4, 1), 2.0, TypeError, "pack"),
])
def test_packed_bad_arguments_raise_naming_the_argument(discriminator, pack, exc, name):
    from gan_keras.models import packed

    with pytest.raises(exc, match=f"`{name}`"):
        packed(discriminator, pack)


def test_packed_discriminator_trains_in_a_gan_with_r1():
    from gan_keras.models import packed
    from gan_keras.gan import GAN

    pack = 2
    gan = GAN(mlp(3, 2, hidden=(8,)), packed(mlp(2 * pack, 1, hidden=(8,)), pack), latent_dim=3, r1_weight=1.0,
              seed=0)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
    ring = gk.data.batches(gk.data.sample_ring(256, seed=0), 32, seed=0)
    history = gan.fit(ring, epochs=1, steps_per_epoch=2, verbose=0).history
    assert np.isfinite(history["d_loss"][0]) and np.isfinite(history["g_loss"][0])
    assert int(gan.d_optimizer.iterations.numpy()) == 2


def test_apply_matches_predict_in_batches():
    net = gk.models.mlp(3, 2, hidden=(8,))
    x = np.random.default_rng(0).normal(size=(10, 3)).astype(np.float32)
    out = gk.models.apply(net, x, batch_size=4)   # batches of 4, 4, 2
    assert out.shape == (10, 2) and isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, net.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_apply_rejects_a_bad_batch_size():
    with pytest.raises(ValueError, match="batch_size"):
        gk.models.apply(mlp(3, 2), np.zeros((4, 3)), batch_size=0)


def test_clip_weights_keeps_every_weight_in_the_box_now_and_after_each_update():
    keras.utils.set_random_seed(0)
    net = mlp(2, 1, hidden=(16,))
    start = [keras.ops.convert_to_numpy(v).copy() for v in net.trainable_variables]
    assert max(np.abs(w).max() for w in start) > 0.05   # Glorot's start lies outside: the test bites
    gk.models.clip_weights(net, 0.05, now=False)
    for v, w in zip(net.trainable_variables, start):
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(v), w)   # now=False: untouched until a step
    sgd = keras.optimizers.SGD(1e-3)
    _, grads = gk.autodiff.gradients(lambda: keras.ops.mean(net(np.ones((4, 2), np.float32))), net.trainable_variables)
    gk.autodiff.apply_gradients(sgd, grads, net.trainable_variables)
    assert max(np.abs(keras.ops.convert_to_numpy(v)).max() for v in net.trainable_variables) <= 0.05
    other = gk.models.clip_weights(mlp(2, 1, hidden=(16,)), 0.05)
    assert max(np.abs(keras.ops.convert_to_numpy(v)).max() for v in other.trainable_variables) <= 0.05
    with pytest.raises(ValueError, match="`clip_value`"):
        gk.models.clip_weights(net, 0.0)
