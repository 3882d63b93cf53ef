"""gan_keras.single_loss.SingleLossGAN: one loss whose gradients are exactly the two players' gradients."""

import gan_keras as gk  # noqa: I001  (first: it loads Keras quietly on the chosen backend)
import keras
import numpy as np
import pytest
from keras import ops

from gan_keras.single_loss import SingleLossGAN

LATENT = 3


def nets():
    return gk.models.mlp(LATENT, 2, hidden=(16, 16)), gk.models.mlp(2, 1, hidden=(16, 16))


def gradients(loss_fn, variables):
    return gk.autodiff.gradients(loss_fn, variables)[1]


@pytest.fixture(autouse=True)
def full_float32_matmuls():
    """On a GPU, JAX multiplies float32 matrices in TF32 by default (about 3 significant digits); the identities
    here compare two graphs of the same sum, so they are checked at float32's full precision."""
    if keras.backend.backend() != "jax":
        yield
        return
    import jax

    with jax.default_matmul_precision("highest"):
        yield


@pytest.mark.parametrize("g_loss", ["non_saturating", "saturating"])
def test_single_loss_gradients_equal_the_two_separate_losses(g_loss):
    keras.utils.set_random_seed(3)
    G, D = nets()
    model = SingleLossGAN(G, D, latent_dim=LATENT, seed=0)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), g_loss=g_loss)
    real = ops.convert_to_tensor(gk.data.sample_ring(64, seed=1))
    z = keras.random.normal((64, LATENT), seed=2)
    g_loss_fn = gk.losses.generator_loss(g_loss)

    single_d = gradients(lambda: model.single_loss(real, z)[0], D.trainable_variables)
    single_g = gradients(lambda: model.single_loss(real, z)[0], G.trainable_variables)
    separate_d = gradients(lambda: gk.losses.discriminator_loss(D(real), D(G(z))), D.trainable_variables)
    separate_g = gradients(lambda: g_loss_fn(D(G(z))), G.trainable_variables)
    for ours, theirs in zip(single_d + single_g, separate_d + separate_g):
        np.testing.assert_allclose(ops.convert_to_numpy(ours), ops.convert_to_numpy(theirs), rtol=1e-5, atol=1e-7)


def test_r1_penalty_changes_only_D_gradients():
    keras.utils.set_random_seed(6)
    G, D = nets()
    plain = SingleLossGAN(G, D, latent_dim=LATENT, seed=0)
    penalised = SingleLossGAN(G, D, latent_dim=LATENT, r1_weight=10.0, seed=0)
    real = ops.convert_to_tensor(gk.data.sample_ring(64, seed=1))
    z = keras.random.normal((64, LATENT), seed=2)
    r1 = gradients(lambda: 5.0 * gk.losses.r1_penalty(D, real), D.trainable_variables)

    def grads_of(model, variables):
        return gradients(lambda: model.single_loss(real, z)[0], variables)

    for ours, base, extra in zip(grads_of(penalised, D.trainable_variables), grads_of(plain, D.trainable_variables), r1):
        np.testing.assert_allclose(ops.convert_to_numpy(ours), ops.convert_to_numpy(base + extra), rtol=1e-5, atol=1e-6)
    for ours, base in zip(grads_of(penalised, G.trainable_variables), grads_of(plain, G.trainable_variables)):
        np.testing.assert_array_equal(ops.convert_to_numpy(ours), ops.convert_to_numpy(base))


def test_trick_term_has_zero_gradient_for_D():
    keras.utils.set_random_seed(4)
    G, D = nets()
    z = keras.random.normal((32, LATENT), seed=5)
    g_loss_fn = gk.losses.non_saturating_generator_loss

    def trick():
        fake = G(z)
        return g_loss_fn(D(fake)) - g_loss_fn(D(ops.stop_gradient(fake)))

    for grad in gradients(trick, D.trainable_variables):
        assert np.all(ops.convert_to_numpy(grad) == 0.0)


def test_fit_trains_both_players_with_one_optimizer():
    keras.utils.set_random_seed(5)
    G, D = nets()
    model = SingleLossGAN(G, D, latent_dim=LATENT, seed=0)
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    before = [ops.convert_to_numpy(v).copy() for v in model.trainable_variables]
    history = model.fit(gk.data.batches(gk.data.sample_ring(512, seed=0), 64, seed=0),
                        epochs=2, steps_per_epoch=5, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss"}
    assert int(model.optimizer.iterations.numpy()) == 10
    after = [ops.convert_to_numpy(v) for v in model.trainable_variables]
    assert all(not np.array_equal(a, b) for a, b in zip(before, after))


def test_bad_input_is_named():
    G, D = nets()
    with pytest.raises(TypeError, match="`discriminator`"):
        SingleLossGAN(G, "D", latent_dim=LATENT)
    with pytest.raises(ValueError, match="`g_loss`"):
        SingleLossGAN(G, D, latent_dim=LATENT).compile(optimizer=keras.optimizers.Adam(), g_loss="hinge")
    with pytest.raises(ValueError, match="`latent_dim`"):
        SingleLossGAN(G, D, latent_dim=0)
    with pytest.raises(ValueError, match="`r1_weight`"):
        SingleLossGAN(G, D, latent_dim=LATENT, r1_weight=-1.0)
    with pytest.raises(TypeError, match="`optimizer`"):
        SingleLossGAN(G, D, latent_dim=LATENT).compile(optimizer="adam")


def test_single_loss_gan_trains_through_keras_own_train_step():
    assert SingleLossGAN.train_step is keras.Model.train_step  # call + compute_loss: nothing backend-specific
    G, D = nets()
    model = SingleLossGAN(G, D, latent_dim=LATENT, seed=0)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), g_loss="saturating")
    assert model.g_loss_fn is gk.losses.saturating_generator_loss
    real = ops.convert_to_tensor(gk.data.sample_ring(8, seed=0))
    assert tuple(model(real).shape) == (24, 1)  # D's logits on real, sg(G(z)) and G(z)
