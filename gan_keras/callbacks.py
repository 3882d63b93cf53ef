"""Callbacks for adversarial training: stop on NaN, a compact progress line, snapshots for figures.

Steps are counted as generator updates (`model.g_optimizer.iterations`; for an ordinary model, its
optimizer's steps), so they stay right with `steps_per_execution` > 1, where Keras calls callbacks
once per execution, not once per step. Callbacks that read the model mid-epoch first bring its variables
up to date (`gan_keras.autodiff.sync`: on JAX, `fit()` keeps them elsewhere until an epoch ends).
"""

import math

import keras
import numpy as np

from . import autodiff
from .checks import function, positive_int


def generator_steps(model):
    """How many generator updates `model` has made so far (optimizer steps for an ordinary model)."""
    autodiff.sync(model)
    optimizer = getattr(model, "g_optimizer", None) or model.optimizer
    return int(optimizer.iterations.numpy())


class StopOnNaN(keras.callbacks.Callback):
    """Stop `fit()` with a message as soon as a logged loss, or at an epoch's end a weight, is NaN/inf.

    `keras.callbacks.TerminateOnNaN` only watches a metric named `loss`; GANs log `d_loss` and
    `g_loss`, so this one checks every logged number. Losses can stay finite while weights are not
    (on some CPUs a fused Dense+ReLU kernel maps NaN inputs to 0), hence the weight check once per epoch.
    """

    def __init__(self):
        super().__init__()
        self.stopped_at = None

    def _stop(self, what):
        self.stopped_at = generator_steps(self.model)
        print(f"Training stopped at generator step {self.stopped_at}: {what}. "
              "Lower the learning rate, check the inputs for NaN, or use a bounded loss.")
        self.model.stop_training = True

    def on_train_batch_end(self, batch, logs=None):
        bad = {k: v for k, v in (logs or {}).items() if not math.isfinite(float(v))}
        if bad:
            self._stop(", ".join(f"{k} = {float(v)}" for k, v in bad.items()))

    def on_epoch_end(self, epoch, logs=None):
        if self.model.stop_training:
            return
        for variable in self.model.trainable_variables:
            if not np.all(np.isfinite(keras.ops.convert_to_numpy(variable))):
                self._stop(f"weight {variable.path} is not finite")
                return


def with_stop_on_nan(callbacks):
    """`callbacks` as a list, with a `StopOnNaN` appended unless it holds one already."""
    callbacks = list(callbacks or [])
    if not any(isinstance(c, StopOnNaN) for c in callbacks):
        callbacks.append(StopOnNaN())
    return callbacks


class Progress(keras.callbacks.Callback):
    """Print one line of the logged losses every `every` generator steps."""

    def __init__(self, every):
        super().__init__()
        self.every = positive_int("every", every)
        self._due = self.every

    def on_train_batch_end(self, batch, logs=None):
        step = generator_steps(self.model)
        if step >= self._due:
            self._due = (step // self.every + 1) * self.every
            values = "  ".join(f"{k} {float(v):8.4f}" for k, v in (logs or {}).items())
            print(f"step {step:6d}  {values}", flush=True)


class Snapshots(keras.callbacks.Callback):
    """Record `fn(model)` every `every` generator steps (and at step 0), for figures over training.

    `fn` sees the model's current weights. After `fit()`: `steps` is the list of step numbers and `values`
    the list of what `fn` returned.
    """

    def __init__(self, every, fn):
        super().__init__()
        self.every = positive_int("every", every)
        self.fn = function("fn", fn)
        self.steps, self.values = [], []
        self._due = None

    def _record(self, step):
        autodiff.sync(self.model)
        self.steps.append(step)
        self.values.append(self.fn(self.model))

    def on_train_begin(self, logs=None):
        step = generator_steps(self.model)
        if self._due is None:
            self._record(step)
            self._due = step + self.every

    def on_train_batch_end(self, batch, logs=None):
        step = generator_steps(self.model)
        if step >= self._due:
            self._record(step)
            self._due = (step // self.every + 1) * self.every
