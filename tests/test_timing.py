"""gan_keras.timing: step timers through fit() and the classic Keras pattern (no timing asserts: only that
they measure something, train what they should, and refuse what they cannot time)."""

import gan_keras as gk  # first: it quiets TensorFlow's start-up logs
import keras
import numpy as np
import pytest

from gan_keras.timing import ClassicGAN, StepTimer, classic_step_ms, fit_step_ms

# pytest resets warning filters per test; gan_keras silences this Keras notice for notebooks only.
pytestmark = pytest.mark.filterwarnings("ignore:`shuffle=True` was passed:UserWarning")

BATCH = 16


def nets():
    return gk.models.mlp(2, 2, hidden=(8,)), gk.models.mlp(2, 1, hidden=(8,))


def tiny_gan(steps_per_execution=1):
    gan = gk.training.GAN(*nets(), latent_dim=2, seed=0)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3),
                steps_per_execution=steps_per_execution)
    return gan


def stream():
    return gk.data.batches(gk.data.sample_ring(256, seed=0), BATCH, seed=0)


def weights(model):
    return [keras.ops.convert_to_numpy(w).copy() for w in model.weights]


def moved(before, model):
    return not all(np.array_equal(a, keras.ops.convert_to_numpy(b)) for a, b in zip(before, model.weights))


def test_step_timer_records_one_time_per_batch():
    timer = StepTimer()
    tiny_gan().fit(stream(), epochs=1, steps_per_epoch=5, verbose=0, callbacks=[timer])
    assert len(timer.times) == 5
    assert np.all(np.diff(timer.times) > 0)


def test_fit_step_ms_returns_a_positive_float():
    ms = fit_step_ms(tiny_gan(), stream(), steps=4, warmup=1)
    assert isinstance(ms, float) and ms > 0


def test_fit_step_ms_refuses_steps_per_execution_above_one():
    with pytest.raises(ValueError, match="`model`.*steps_per_execution=1"):
        fit_step_ms(tiny_gan(steps_per_execution=5), stream(), steps=4, warmup=1)


def test_fit_step_ms_refuses_an_uncompiled_model():
    with pytest.raises(ValueError, match="`model` must be compiled"):
        fit_step_ms(gk.training.GAN(*nets(), latent_dim=2), stream(), steps=4)


@pytest.mark.filterwarnings("ignore:Your input ran out of data:UserWarning")
def test_fit_step_ms_raises_when_the_dataset_runs_out():
    short = stream().take(3)
    with pytest.raises(RuntimeError, match="batches"):
        fit_step_ms(tiny_gan(), short, steps=4, warmup=1)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"model": "not a model"}, TypeError, "`model`"),
    ({"steps": 0}, ValueError, "`steps`"),
    ({"warmup": -1}, ValueError, "`warmup`"),
    ({"steps": 2.5}, TypeError, "`steps`"),
])
def test_fit_step_ms_bad_args(kwargs, error, match):
    args = {"model": tiny_gan(), "dataset": stream(), "steps": 4, "warmup": 1, **kwargs}
    with pytest.raises(error, match=match):
        fit_step_ms(**args)


def test_classic_step_moves_G_and_D_and_freezes_D_only_in_combined():
    keras.utils.set_random_seed(1)
    G, D = nets()
    classic = ClassicGAN(G, D, latent_dim=2, seed=0)
    real = gk.data.sample_ring(BATCH, seed=1)
    for _ in range(2):  # the first step traces and checks, the second is a plain step
        g_before, d_before = weights(G), weights(D)
        logs = classic.step(real)
        assert moved(g_before, G) and moved(d_before, D)
        assert set(logs) == {"d_loss", "g_loss"} and all(np.isfinite(v) for v in logs.values())
    assert D.trainable is False


def test_classic_raises_if_combined_would_train_D(monkeypatch):
    classic = ClassicGAN(*nets(), latent_dim=2, seed=0)
    monkeypatch.setattr(classic, "_set_d_trainable", lambda flag: None)  # "forget" to freeze D
    with pytest.raises(RuntimeError, match="`combined` updated D"):
        classic.step(gk.data.sample_ring(BATCH, seed=1))


def test_classic_labels_follow_D_output_shape():
    classic = ClassicGAN(*nets(), latent_dim=2)
    d_labels, g_labels = classic.labels(4)
    np.testing.assert_array_equal(d_labels[:, 0], [gk.losses.REAL] * 4 + [gk.losses.FAKE] * 4)
    np.testing.assert_array_equal(g_labels, np.full((4, 1), gk.losses.REAL))


def test_classic_step_ms_returns_a_positive_float():
    classic = ClassicGAN(*nets(), latent_dim=2, seed=0)
    ms = classic_step_ms(classic, gk.data.sample_ring(4 * BATCH, seed=1), BATCH, steps=3, warmup=1)
    assert isinstance(ms, float) and ms > 0


@pytest.mark.parametrize("kwargs, error, match", [
    ({"generator": "G"}, TypeError, "`generator`"),
    ({"discriminator": None}, TypeError, "`discriminator`"),
    ({"latent_dim": 0}, ValueError, "`latent_dim`"),
    ({"learning_rate": -1e-3}, ValueError, "`learning_rate`"),
    ({"seed": -1}, ValueError, "`seed`"),
])
def test_classic_gan_bad_args(kwargs, error, match):
    G, D = nets()
    args = {"generator": G, "discriminator": D, "latent_dim": 2, **kwargs}
    with pytest.raises(error, match=match):
        ClassicGAN(**args)


def test_classic_step_bad_batch():
    classic = ClassicGAN(*nets(), latent_dim=2)
    with pytest.raises(ValueError, match="`real_batch`"):
        classic.step(np.full((BATCH, 2), np.nan))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"classic": "not a ClassicGAN"}, TypeError, "`classic`"),
    ({"batch_size": 1000}, ValueError, "`batch_size`"),
    ({"batch_size": 0}, ValueError, "`batch_size`"),
    ({"steps": 0}, ValueError, "`steps`"),
    ({"data": np.zeros((0, 2))}, ValueError, "`data`"),
])
def test_classic_step_ms_bad_args(kwargs, error, match):
    args = {"data": gk.data.sample_ring(64, seed=0), "batch_size": BATCH, "steps": 2, "warmup": 0, **kwargs}
    if "classic" not in args:
        args["classic"] = ClassicGAN(*nets(), latent_dim=2)
    with pytest.raises(error, match=match):
        classic_step_ms(**args)
