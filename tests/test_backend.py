"""gan_keras.backend: gradients and input gradients against hand-computed answers on the backend in use,
describe(), and (in fresh processes) the errors for a bad KERAS_BACKEND and an import without TensorFlow."""

import importlib.util
import os
import re
import subprocess
import sys

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import keras
import numpy as np
import pytest
from keras import ops

from gan_keras import backend

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
    loss, (grad_w, grad_b) = backend.gradients(lambda: ops.mean(ops.square(layer(X))), layer.trainable_variables)
    r = X @ np.array([0.5, -1.0], np.float32) + 0.25
    np.testing.assert_allclose(float(numpy(loss)), np.mean(r ** 2), rtol=1e-6)
    np.testing.assert_allclose(numpy(grad_w)[:, 0], 2 * (r[:, None] * X).mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(numpy(grad_b), [2 * r.mean()], rtol=1e-6)


def test_gradients_of_a_variable_the_loss_ignores_are_zero():
    used, unused = keras.Variable(np.float32(3.0)), keras.Variable(np.ones((2,), np.float32))
    loss, (g_used, g_unused) = backend.gradients(lambda: used * used, [used, unused])
    assert float(numpy(loss)) == 9.0 and float(numpy(g_used)) == 6.0
    np.testing.assert_array_equal(numpy(g_unused), [0.0, 0.0])


def test_gradients_pass_aux_out_and_keep_the_updates_loss_fn_makes():
    v = keras.Variable(np.float32(2.0))
    seed = keras.random.SeedGenerator(0)
    state = numpy(seed.state).copy()
    (loss, aux), (grad,) = backend.gradients(lambda: (v * keras.random.uniform((), seed=seed), {"v": v * 1.0}), [v],
                                             has_aux=True)
    assert float(numpy(aux["v"])) == 2.0
    np.testing.assert_allclose(float(numpy(loss)), 2.0 * float(numpy(grad)), rtol=1e-6)  # L = v·u, ∂L/∂v = u
    assert not np.array_equal(numpy(seed.state), state)  # the draw advanced the seed, eagerly, on every backend


def test_input_gradient_of_x_squared_is_2x():
    out, grad = backend.input_gradient(lambda x: ops.square(x), X)
    np.testing.assert_allclose(numpy(out), X ** 2)
    np.testing.assert_allclose(numpy(grad), 2 * X)


def test_input_gradient_can_be_differentiated_again_with_respect_to_weights():
    """Double backprop, as the gradient penalty needs: f(x) = Σ_j w_j x_j², ∇_x f = 2 w x, and
    P(w) = mean over rows of ‖2 w x‖² has ∂P/∂w_j = mean over rows of 8 w_j x_j²."""
    w = keras.Variable(np.array([0.5, -2.0], np.float32))

    def penalty():
        _, grad = backend.input_gradient(lambda x: ops.sum(w * ops.square(x), axis=1, keepdims=True), X)
        return ops.mean(ops.sum(ops.square(grad), axis=1))

    loss, (grad_w,) = backend.gradients(penalty, [w])
    wv = np.array([0.5, -2.0], np.float32)
    np.testing.assert_allclose(float(numpy(loss)), np.mean(np.sum((2 * wv * X) ** 2, axis=1)), rtol=1e-5)
    np.testing.assert_allclose(numpy(grad_w), np.mean(8 * wv * X ** 2, axis=0), rtol=1e-5)


def test_apply_gradients_takes_one_optimizer_step():
    v = keras.Variable(np.array([1.0, -1.0], np.float32))
    sgd = keras.optimizers.SGD(0.5)
    _, grads = backend.gradients(lambda: ops.sum(ops.square(v)), [v])
    backend.apply_gradients(sgd, grads, [v])
    np.testing.assert_allclose(numpy(v), [0.0, 0.0])  # v - 0.5·2v
    assert int(numpy(sgd.iterations)) == 1


def test_describe_names_keras_the_backend_and_the_device():
    line = backend.describe()
    assert re.fullmatch(r"keras \S+ · backend (tensorflow|jax|torch) \S+ · device (CPU|GPU) \(.+\)", line), line
    assert f"backend {keras.backend.backend()} " in line and keras.__version__ in line


def test_steps_per_execution_is_1_on_torch_only():
    assert backend.steps_per_execution(50) == (1 if backend.name() == "torch" else 50)


def test_sync_outside_fit_does_nothing():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    before = [numpy(w).copy() for w in model.weights]
    backend.sync(model)
    for a, b in zip(before, model.weights):
        np.testing.assert_array_equal(a, numpy(b))


@pytest.mark.parametrize("name", ["numpy", "tensorfow", ""])
def test_check_requested_backend_names_the_supported_ones(name):
    with pytest.raises(ValueError, match="tensorflow, jax, torch"):
        backend.check_requested_backend({"KERAS_BACKEND": name})


def test_check_requested_backend_accepts_the_supported_ones_and_unset():
    assert backend.check_requested_backend({}) is None
    assert backend.check_requested_backend({"KERAS_BACKEND": "tensorflow"}) == "tensorflow"


# --- fresh processes ---------------------------------------------------------------------------------------

def blocking(*modules):
    """Python code after which `modules` look uninstalled: every finder on sys.meta_path is wrapped to find
    nothing under those names, so `import` raises ModuleNotFoundError and `importlib.util.find_spec` returns
    None, as on a machine without them."""
    return f"""
import sys
class Hide:
    def __init__(self, finder):
        self.finder = finder
    def __getattr__(self, name):
        return getattr(self.finder, name)
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {modules!r}:
            return None
        return self.finder.find_spec(name, path, target)
sys.meta_path[:] = [Hide(finder) for finder in sys.meta_path]
"""


def run(code, keras_backend, tmp_path):
    env = {**os.environ, "KERAS_BACKEND": keras_backend, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("name", ["numpy", "mxnet"])
def test_unsupported_keras_backend_fails_with_one_clear_error(name, tmp_path):
    result = run("import gan_keras", name, tmp_path)
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ValueError") and f"KERAS_BACKEND={name!r}" in last and "tensorflow, jax, torch" in last


@pytest.mark.parametrize("name", ["jax", "torch"])
def test_missing_backend_says_which_extra_to_install(name, tmp_path):
    result = run(blocking(name) + "import gan_keras", name, tmp_path)
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError") and f'pip install -e ".[{name}]"' in last, result.stderr


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.skipif(importlib.util.find_spec(n) is None,
                                                                        reason=f"{n} is not installed"))
                                  for n in ["jax", "torch"]])
def test_package_imports_and_trains_without_tensorflow(name, tmp_path):
    code = blocking("tensorflow") + """
import gan_keras as gk, keras
stream = gk.data.batches(gk.data.sample_ring(256, seed=0), 32, seed=0)
gan = gk.training.GAN(gk.models.mlp(2, 2, hidden=(8,)), gk.models.mlp(2, 1, hidden=(8,)), latent_dim=2, seed=0)
gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
gan.fit(stream, epochs=1, steps_per_epoch=3, verbose=0)
assert int(gan.g_optimizer.iterations.numpy()) == 3
assert "tensorflow" not in sys.modules
print(gk.backend.describe())
"""
    result = run(code, name, tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"backend {name} " in result.stdout


def test_float64_block_computes_in_float64_and_restores():
    with backend.float64():
        x = keras.ops.convert_to_tensor(np.ones(3), dtype="float64")
        assert keras.config.floatx() == "float64"
        assert str(keras.ops.convert_to_numpy(x * 1e-30 * 1e-30).dtype) == "float64"
        assert keras.ops.convert_to_numpy(x * 1e-30 * 1e-30)[0] > 0   # 1e-60 underflows to 0 in float32
    assert keras.config.floatx() == "float32"


def test_float64_matmul_says_whether_keras_keeps_float64():
    """False only on PyTorch, where Keras 3.15 rounds a float64 matmul to float32 (keras-team/keras#23704)."""
    exact = backend.float64_matmul()
    assert isinstance(exact, bool)
    if backend.name() != "torch":
        assert exact
    assert keras.config.floatx() == "float32"
