"""gan_keras.callbacks: progress lines and snapshots counted in generator steps."""

import re

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import keras
import numpy as np
import pytest

from gan_keras.callbacks import Progress, Snapshots, StopOnNaN, generator_steps

# pytest resets warning filters per test; gan_keras silences this Keras notice for notebooks only.
pytestmark = pytest.mark.filterwarnings("ignore:`shuffle=True` was passed:UserWarning")


def tiny_gan(steps_per_execution=1):
    gan = gk.gan.GAN(gk.models.mlp(2, 2, hidden=(8,)), gk.models.mlp(2, 1, hidden=(8,)), latent_dim=2, seed=0)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3),
                steps_per_execution=gk.backend.steps_per_execution(steps_per_execution))
    return gan


def fit(gan, steps, callbacks, epochs=1):
    stream = gk.data.batches(gk.data.sample_ring(256, seed=0), 16, seed=0)
    return gan.fit(stream, epochs=epochs, steps_per_epoch=steps, verbose=0, callbacks=callbacks)


def printed_steps(out):
    return [int(m) for m in re.findall(r"^step\s+(\d+)", out, flags=re.MULTILINE)]


def test_progress_prints_every_n_generator_steps(capsys):
    fit(tiny_gan(), 10, [Progress(every=3)])
    out = capsys.readouterr().out
    assert printed_steps(out) == [3, 6, 9]
    assert "d_loss" in out and "g_loss" in out


def test_progress_with_steps_per_execution(capsys):
    fit(tiny_gan(steps_per_execution=2), 6, [Progress(every=4)], epochs=2)
    assert printed_steps(capsys.readouterr().out) == [4, 8, 12]


def test_snapshots_at_step_0_and_every_n_steps():
    snaps = Snapshots(every=4, fn=generator_steps)
    fit(tiny_gan(), 6, [snaps], epochs=2)
    assert snaps.steps == [0, 4, 8, 12]
    assert snaps.values == snaps.steps


def test_snapshots_with_steps_per_execution():
    snaps = Snapshots(every=4, fn=lambda m: m.generate(5, seed=0))
    fit(tiny_gan(steps_per_execution=2), 12, [snaps])
    assert snaps.steps == [0, 4, 8, 12]
    assert len(snaps.values) == 4 and all(v.shape == (5, 2) for v in snaps.values)
    assert not np.array_equal(snaps.values[0], snaps.values[-1])  # G moved between snapshots


def test_snapshots_continue_across_fit_calls():
    gan, snaps = tiny_gan(), Snapshots(every=3, fn=generator_steps)
    fit(gan, 3, [snaps])
    fit(gan, 3, [snaps])
    assert snaps.steps == [0, 3, 6]


def test_generator_steps_of_an_ordinary_model_are_its_optimizer_steps():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((8, 2)), np.zeros((8, 1)), batch_size=2, epochs=1, verbose=0)
    assert generator_steps(model) == 4


class TimesNaN(keras.layers.Layer):
    def call(self, x):
        return x * float("nan")


def test_stop_on_nan_given_by_the_caller_is_used_and_not_doubled(capsys):
    generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2), TimesNaN()])
    gan = gk.gan.GAN(generator, gk.models.mlp(2, 1, hidden=(8,), activation="tanh"), latent_dim=2, seed=0)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
    stopper = StopOnNaN()
    history = fit(gan, 3, [stopper], epochs=5)
    assert stopper.stopped_at == 1
    assert len(history.history["d_loss"]) == 1
    assert capsys.readouterr().out.count("Training stopped at generator step 1") == 1


def test_stop_on_nan_stays_quiet_on_finite_losses(capsys):
    stopper = StopOnNaN()
    history = fit(tiny_gan(), 3, [stopper], epochs=2)
    assert stopper.stopped_at is None
    assert len(history.history["d_loss"]) == 2
    assert "stopped" not in capsys.readouterr().out


@pytest.mark.parametrize("make, exc, name", [
    (lambda: Progress(every=0), ValueError, "every"),
    (lambda: Progress(every=1.5), TypeError, "every"),
    (lambda: Snapshots(every=-2, fn=generator_steps), ValueError, "every"),
    (lambda: Snapshots(every="10", fn=generator_steps), TypeError, "every"),
    (lambda: Snapshots(every=10, fn="generate"), TypeError, "fn"),
])
def test_bad_arguments_raise_naming_the_argument(make, exc, name):
    with pytest.raises(exc, match=f"`{name}`"):
        make()
