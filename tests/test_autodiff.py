"""gan_keras.autodiff: gradients and input gradients against hand-computed answers on the backend in use,
one optimizer step, and `sync` outside fit()."""

import gan_keras  # noqa: F401  (first: it loads Keras quietly on the chosen backend)
import keras
import numpy as np
from keras import ops

from gan_keras import autodiff

X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -3.0]], dtype=np.float32)


def numpy(x):
    return ops.convert_to_numpy(x)


def dense(kernel, bias):
    layer = keras.layers.Dense(1)
    layer.build((None, 2))
    layer.set_weights([np.asarray(kernel, np.float32).reshape(2, 1), np.asarray([bias], np.float32)])
    return layer


def test_gradients_of_a_squared_error_match_the_hand_computed_ones():
    layer = dense([0.5, -1.0], 0.25)
    # L = mean((x·w + b)²): ∂L/∂w = 2/n Σ (x·w + b) x, ∂L/∂b = 2/n Σ (x·w + b).
    loss, (grad_w, grad_b) = autodiff.gradients(lambda: ops.mean(ops.square(layer(X))), layer.trainable_variables)
    r = X @ np.array([0.5, -1.0], np.float32) + 0.25
    np.testing.assert_allclose(float(numpy(loss)), np.mean(r ** 2), rtol=1e-6)
    np.testing.assert_allclose(numpy(grad_w)[:, 0], 2 * (r[:, None] * X).mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(numpy(grad_b), [2 * r.mean()], rtol=1e-6)


def test_gradients_of_a_variable_the_loss_ignores_are_zero():
    used, unused = keras.Variable(np.float32(3.0)), keras.Variable(np.ones((2,), np.float32))
    loss, (g_used, g_unused) = autodiff.gradients(lambda: used * used, [used, unused])
    assert float(numpy(loss)) == 9.0 and float(numpy(g_used)) == 6.0
    np.testing.assert_array_equal(numpy(g_unused), [0.0, 0.0])


def test_gradients_pass_aux_out_and_keep_the_updates_loss_fn_makes():
    v = keras.Variable(np.float32(2.0))
    seed = keras.random.SeedGenerator(0)
    state = numpy(seed.state).copy()
    (loss, aux), (grad,) = autodiff.gradients(lambda: (v * keras.random.uniform((), seed=seed), {"v": v * 1.0}), [v],
                                             has_aux=True)
    assert float(numpy(aux["v"])) == 2.0
    np.testing.assert_allclose(float(numpy(loss)), 2.0 * float(numpy(grad)), rtol=1e-6)  # L = v·u, ∂L/∂v = u
    assert not np.array_equal(numpy(seed.state), state)  # the draw advanced the seed, eagerly, on every backend


def test_input_gradient_of_x_squared_is_2x():
    out, grad = autodiff.input_gradient(lambda x: ops.square(x), X)
    np.testing.assert_allclose(numpy(out), X ** 2)
    np.testing.assert_allclose(numpy(grad), 2 * X)


def test_input_gradient_can_be_differentiated_again_with_respect_to_weights():
    """Double backprop, as the gradient penalty needs: f(x) = Σ_j w_j x_j², ∇_x f = 2 w x, and
    P(w) = mean over rows of ‖2 w x‖² has ∂P/∂w_j = mean over rows of 8 w_j x_j²."""
    w = keras.Variable(np.array([0.5, -2.0], np.float32))

    def penalty():
        _, grad = autodiff.input_gradient(lambda x: ops.sum(w * ops.square(x), axis=1, keepdims=True), X)
        return ops.mean(ops.sum(ops.square(grad), axis=1))

    loss, (grad_w,) = autodiff.gradients(penalty, [w])
    wv = np.array([0.5, -2.0], np.float32)
    np.testing.assert_allclose(float(numpy(loss)), np.mean(np.sum((2 * wv * X) ** 2, axis=1)), rtol=1e-5)
    np.testing.assert_allclose(numpy(grad_w), np.mean(8 * wv * X ** 2, axis=0), rtol=1e-5)


def test_apply_gradients_takes_one_optimizer_step():
    v = keras.Variable(np.array([1.0, -1.0], np.float32))
    sgd = keras.optimizers.SGD(0.5)
    _, grads = autodiff.gradients(lambda: ops.sum(ops.square(v)), [v])
    autodiff.apply_gradients(sgd, grads, [v])
    np.testing.assert_allclose(numpy(v), [0.0, 0.0])  # v - 0.5·2v
    assert int(numpy(sgd.iterations)) == 1


def test_sync_outside_fit_does_nothing():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    before = [numpy(w).copy() for w in model.weights]
    autodiff.sync(model)
    for a, b in zip(before, model.weights):
        np.testing.assert_array_equal(a, numpy(b))
