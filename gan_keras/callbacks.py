"""Callbacks for adversarial training: stop on NaN, a compact progress line, snapshots for figures.

Steps are counted as generator updates (``model.g_optimizer.iterations``), so they stay right with
``steps_per_execution`` > 1, where Keras calls callbacks once per execution, not once per step.
"""

import math

import keras

from ._checks import positive_int


def generator_steps(model):
    """How many generator updates ``model`` has made so far."""
    return int(model.g_optimizer.iterations.numpy())


class StopOnNaN(keras.callbacks.Callback):
    """Stop ``fit()`` with a message as soon as any logged loss is NaN or infinite.

    ``keras.callbacks.TerminateOnNaN`` only watches a metric named ``loss``; GANs log ``d_loss`` and
    ``g_loss``, so this one checks every logged number.
    """

    def __init__(self):
        super().__init__()
        self.stopped_at = None

    def on_train_batch_end(self, batch, logs=None):
        bad = {k: v for k, v in (logs or {}).items() if not math.isfinite(float(v))}
        if bad:
            self.stopped_at = generator_steps(self.model)
            names = ", ".join(f"{k} = {float(v)}" for k, v in bad.items())
            print(f"Training stopped at generator step {self.stopped_at}: {names}. "
                  "Lower the learning rate, check the inputs for NaN, or use a bounded loss.")
            self.model.stop_training = True


class Progress(keras.callbacks.Callback):
    """Print one line of the logged losses every ``every`` generator steps."""

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
    """Record ``fn(model)`` every ``every`` generator steps (and at step 0), for figures over training.

    After ``fit()``: ``steps`` is the list of step numbers and ``values`` the list of what ``fn`` returned.
    """

    def __init__(self, every, fn):
        super().__init__()
        self.every = positive_int("every", every)
        if not callable(fn):
            raise TypeError(f"`fn` must be callable, got {type(fn).__name__}.")
        self.fn = fn
        self.steps, self.values = [], []
        self._due = None

    def _record(self, step):
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
