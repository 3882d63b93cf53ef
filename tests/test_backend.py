"""gan_keras.backend: describe(), the backend switches, and (in fresh processes) the errors for a bad KERAS_BACKEND
and an import without TensorFlow."""

import importlib.util
import os
import re
import subprocess
import sys

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import keras
import numpy as np
import pytest

from gan_keras import backend

def test_describe_names_keras_the_backend_and_the_device():
    line = backend.describe()
    assert re.fullmatch(r"keras \S+ · backend (tensorflow|jax|torch) \S+ · device (CPU|GPU) \(.+\)", line), line
    assert f"backend {keras.backend.backend()} " in line and keras.__version__ in line


def test_steps_per_execution_is_1_on_torch_only():
    assert backend.steps_per_execution(50) == (1 if backend.name() == "torch" else 50)


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
gan = gk.gan.GAN(gk.models.mlp(2, 2, hidden=(8,)), gk.models.mlp(2, 1, hidden=(8,)), latent_dim=2, seed=0)
gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
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
