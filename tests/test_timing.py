"""gan_keras.timing: step timers through fit() (no timing asserts: only that they measure something and refuse
what they cannot time)."""

import itertools

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import keras
import numpy as np
import pytest

from gan_keras.timing import StepTimer, fit_step_ms

# pytest resets warning filters per test; gan_keras silences this Keras notice for notebooks only.
pytestmark = pytest.mark.filterwarnings("ignore:`shuffle=True` was passed:UserWarning")

BATCH = 16


def nets():
    return gk.models.mlp(2, 2, hidden=(8,)), gk.models.mlp(2, 1, hidden=(8,))


def tiny_gan(steps_per_execution=1):
    gan = gk.gan.GAN(*nets(), latent_dim=2, seed=0)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3),
                steps_per_execution=steps_per_execution)
    return gan


def stream():
    return gk.data.batches(gk.data.sample_ring(256, seed=0), BATCH, seed=0)


def test_step_timer_records_one_time_per_batch():
    timer = StepTimer()
    tiny_gan().fit(stream(), epochs=1, steps_per_epoch=5, verbose=0, callbacks=[timer])
    assert len(timer.times) == 5
    assert np.all(np.diff(timer.times) > 0)


def test_fit_step_ms_returns_a_positive_float():
    ms = fit_step_ms(tiny_gan(), stream(), steps=4, warmup=1)
    assert isinstance(ms, float) and ms > 0


@pytest.mark.skipif(gk.backend.name() == "torch", reason="Keras on PyTorch runs one step per execution only")
def test_fit_step_ms_refuses_steps_per_execution_above_one():
    with pytest.raises(ValueError, match="`model`.*steps_per_execution=1"):
        fit_step_ms(tiny_gan(steps_per_execution=5), stream(), steps=4, warmup=1)


def test_fit_step_ms_refuses_an_uncompiled_model():
    with pytest.raises(ValueError, match="`model` must be compiled"):
        fit_step_ms(gk.gan.GAN(*nets(), latent_dim=2), stream(), steps=4)


@pytest.mark.filterwarnings("ignore:Your input ran out of data:UserWarning")
def test_fit_step_ms_raises_when_the_dataset_runs_out():
    # A generator that ends after 3 batches; fit() takes a generator's batches as (x,) tuples.
    short = (b if isinstance(b, tuple) else (b,) for b in itertools.islice(iter(stream()), 3))
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
