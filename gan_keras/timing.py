"""Step timing: how long one training step takes through `fit()`.

Lesson 07 and `benchmarks/` both time GAN steps: `StepTimer` and `fit_step_ms` give the median wall time
between consecutive training steps of any compiled `keras.Model` (one of our trainers, say), measured
inside an ordinary `fit()`.

Medians, not means: on a shared machine a few steps are slowed by other processes, and the median
ignores them. Nothing here asserts a time; callers decide what a number means.
"""

import time

import keras
import numpy as np

from .checks import keras_model, positive_int


class StepTimer(keras.callbacks.Callback):
    """Record `time.perf_counter()` at the end of every training batch, in `times`.

    With `steps_per_execution` = N > 1, Keras calls batch hooks once per N steps, so the gaps would be
    N steps long: `fit_step_ms` refuses such a model.
    """

    def __init__(self):
        super().__init__()
        self.times = []

    def on_train_begin(self, logs=None):
        self.times = []

    def on_train_batch_end(self, batch, logs=None):
        self.times.append(time.perf_counter())


def fit_step_ms(model, dataset, steps=300, warmup=30):
    """Median milliseconds between consecutive training steps of `model.fit(dataset)`.

    Runs `fit` for one epoch of `warmup + steps + 1` batches and takes the median of the last `steps`
    gaps between batch ends. The first batch (which traces the train function) is never in a gap; the
    `warmup` gaps after it let caches and thread pools settle. A gap includes everything a real
    `fit()` pays per step: fetching the batch, the compiled step, and the callbacks (our trainers add
    `StopOnNaN`, which reads the logged losses every step).

    Args:
        model: a compiled keras.Model with `steps_per_execution` == 1. It is trained: its weights change.
        dataset: what `fit` takes, yielding at least `warmup + steps + 1` batches, e.g.
            `gk.data.batches(x, batch_size, seed)` (endless).
        steps: int >= 1, gaps the median is taken over.
        warmup: int >= 0, gaps discarded first.
    Returns:
        float, milliseconds per step.
    """
    keras_model("model", model)
    steps = positive_int("steps", steps)
    warmup = positive_int("warmup", warmup, allow_zero=True)
    if not getattr(model, "compiled", False):
        raise ValueError("`model` must be compiled before it can be timed; call model.compile(...) first.")
    spe = getattr(model, "steps_per_execution", 1)
    if spe != 1:
        raise ValueError(f"`model` must be compiled with steps_per_execution=1 to time single steps, got "
                         f"{spe!r}: Keras then calls batch hooks once per {spe!r} steps.")
    timer = StepTimer()
    batches = warmup + steps + 1
    model.fit(dataset, epochs=1, steps_per_epoch=batches, verbose=0, callbacks=[timer])
    if len(timer.times) < batches:
        raise RuntimeError(f"fit() ran {len(timer.times)} of {batches} batches (the dataset ran out or training "
                           "stopped, e.g. on NaN); `dataset` must yield warmup + steps + 1 batches.")
    gaps = np.diff(timer.times)[warmup:]
    return 1e3 * float(np.median(gaps))
