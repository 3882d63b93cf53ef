"""benchmarks/classic.py: the classic Keras GAN pattern trains G and D as it should, and its timer refuses what
it cannot time. The pattern is TensorFlow-era Keras (train_on_batch with a frozen D); it is benchmarked on
TensorFlow only."""

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import keras
import numpy as np
import pytest

# On JAX and PyTorch, Keras reads a model's trainable variables at every step rather than at tracing, so once D
# is frozen for `combined`, D's own train_on_batch has nothing to train and the pattern cannot work there.
pytestmark = pytest.mark.skipif(gk.backend.name() != "tensorflow", reason="the classic pattern relies on "
                                "TensorFlow's traced train functions keeping D trainable in its own step")

BATCH = 16


@pytest.fixture(scope="module")
def bench(load_by_path):
    """benchmarks/classic.py as a module (benchmarks/ is not a package), loaded by path as the tests of scripts/
    load theirs."""
    return load_by_path("benchmarks/classic.py", "benchmarks_classic")


def nets():
    return gk.models.mlp(2, 2, hidden=(8,)), gk.models.mlp(2, 1, hidden=(8,))


def weights(model):
    return [keras.ops.convert_to_numpy(w).copy() for w in model.weights]


def moved(before, model):
    return not all(np.array_equal(a, keras.ops.convert_to_numpy(b)) for a, b in zip(before, model.weights))


def test_classic_step_moves_G_and_D_and_freezes_D_only_in_combined(bench):
    keras.utils.set_random_seed(1)
    G, D = nets()
    classic = bench.ClassicGAN(G, D, latent_dim=2, seed=0)
    real = gk.data.sample_ring(BATCH, seed=1)
    for _ in range(2):  # the first step traces and checks, the second is a plain step
        g_before, d_before = weights(G), weights(D)
        logs = classic.step(real)
        assert moved(g_before, G) and moved(d_before, D)
        assert set(logs) == {"d_loss", "g_loss"} and all(np.isfinite(v) for v in logs.values())
    assert D.trainable is False


def test_classic_raises_if_combined_would_train_D(bench, monkeypatch):
    classic = bench.ClassicGAN(*nets(), latent_dim=2, seed=0)
    monkeypatch.setattr(classic, "_set_d_trainable", lambda flag: None)  # "forget" to freeze D
    with pytest.raises(RuntimeError, match="`combined` updated D"):
        classic.step(gk.data.sample_ring(BATCH, seed=1))


def test_classic_labels_follow_D_output_shape(bench):
    classic = bench.ClassicGAN(*nets(), latent_dim=2)
    d_labels, g_labels = classic.labels(4)
    np.testing.assert_array_equal(d_labels[:, 0], [gk.losses.REAL] * 4 + [gk.losses.FAKE] * 4)
    np.testing.assert_array_equal(g_labels, np.full((4, 1), gk.losses.REAL))


def test_classic_step_ms_returns_a_positive_float(bench):
    classic = bench.ClassicGAN(*nets(), latent_dim=2, seed=0)
    ms = bench.classic_step_ms(classic, gk.data.sample_ring(4 * BATCH, seed=1), BATCH, steps=3, warmup=1)
    assert isinstance(ms, float) and ms > 0


@pytest.mark.parametrize("kwargs, error, match", [
    ({"generator": "G"}, TypeError, "`generator`"),
    ({"discriminator": None}, TypeError, "`discriminator`"),
    ({"latent_dim": 0}, ValueError, "`latent_dim`"),
    ({"learning_rate": -1e-3}, ValueError, "`learning_rate`"),
    ({"seed": -1}, ValueError, "`seed`"),
])
def test_classic_gan_bad_args(bench, kwargs, error, match):
    G, D = nets()
    args = {"generator": G, "discriminator": D, "latent_dim": 2, **kwargs}
    with pytest.raises(error, match=match):
        bench.ClassicGAN(**args)


def test_classic_step_bad_batch(bench):
    classic = bench.ClassicGAN(*nets(), latent_dim=2)
    with pytest.raises(ValueError, match="`real_batch`"):
        classic.step(np.full((BATCH, 2), np.nan))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"classic": "not a ClassicGAN"}, TypeError, "`classic`"),
    ({"batch_size": 1000}, ValueError, "`batch_size`"),
    ({"batch_size": 0}, ValueError, "`batch_size`"),
    ({"steps": 0}, ValueError, "`steps`"),
    ({"data": np.zeros((0, 2))}, ValueError, "`data`"),
])
def test_classic_step_ms_bad_args(bench, kwargs, error, match):
    args = {"data": gk.data.sample_ring(64, seed=0), "batch_size": BATCH, "steps": 2, "warmup": 0, **kwargs}
    if "classic" not in args:
        args["classic"] = bench.ClassicGAN(*nets(), latent_dim=2)
    with pytest.raises(error, match=match):
        bench.classic_step_ms(**args)
