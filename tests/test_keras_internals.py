"""The Keras internals that gan_keras.autodiff's JAX path relies on, pinned.

On JAX, `gk.autodiff.gradients` and `gk.autodiff.train_step` (the fit adapter every `TwoPlayerModel` trains
through) run stateful Keras code inside a subclass of `keras.StatelessScope`, and `gk.autodiff.sync` calls
`keras.Model.jax_state_sync`. None of that is documented API. If a Keras release changes it, these tests fail
first, each with a message naming what changed, instead of the trainers failing somewhere obscure.

JAX only (CI runs `make unit BACKEND=jax`); on TensorFlow and PyTorch the module is skipped.
"""

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import keras
import numpy as np
import pytest
from keras import ops

pytestmark = pytest.mark.skipif(gk.backend.name() != "jax", reason="pins the Keras internals of the JAX fit "
                                "adapter in gan_keras.autodiff; run with KERAS_BACKEND=jax")

ADAPT = f"; gan_keras/autodiff.py relies on it and must be adapted to keras {keras.__version__}."


def numpy(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_stateless_scope_holds_values_in_state_mapping_by_variable_id():
    v = keras.Variable(np.zeros(3, "float32"))
    scope = keras.StatelessScope([(v, np.ones(3, "float32"))])
    mapping = getattr(scope, "state_mapping", None)
    assert isinstance(mapping, dict), "keras.StatelessScope no longer has a dict `state_mapping`" + ADAPT
    assert list(mapping) == [id(v)], ("keras.StatelessScope.state_mapping is no longer keyed by id(variable) "
                                      f"(keys: {list(mapping)})" + ADAPT)
    for method in ("add_update", "get_current_value"):
        assert callable(getattr(scope, method, None)), f"keras.StatelessScope.{method} is gone" + ADAPT
    np.testing.assert_array_equal(numpy(scope.get_current_value(v)), np.ones(3), err_msg=(
        "keras.StatelessScope.get_current_value no longer returns the value given in its mapping" + ADAPT))


def test_variables_read_the_scope_and_assign_through_add_update():
    """What `_scope` (the RecordingScope) needs: reads come from `state_mapping`, which it fills itself, and
    assignments reach `add_update((variable, value))`, which it overrides to list them."""
    v = keras.Variable(np.zeros(3, "float32"))
    with gk.autodiff._scope([(v, ops.ones(3))]) as outer:
        np.testing.assert_array_equal(numpy(v.value), np.ones(3), err_msg=(
            "a Variable read inside a keras.StatelessScope no longer returns the value in its state_mapping" + ADAPT))
        v.assign(v.value + 1.0)
        assert id(v) in outer.assigned, ("Variable.assign inside a keras.StatelessScope no longer calls "
                                         "scope.add_update((variable, value))" + ADAPT)
        np.testing.assert_array_equal(numpy(outer.get_current_value(v)), np.full(3, 2.0), err_msg=(
            "after Variable.assign, keras.StatelessScope.get_current_value does not return the new value" + ADAPT))
        with gk.autodiff._scope([]) as inner:  # a nested scope starts from what the outer one holds
            np.testing.assert_array_equal(numpy(v.value), np.full(3, 2.0), err_msg=(
                "a nested scope filled from the outer one's state_mapping no longer reads it" + ADAPT))
            assert inner is not outer
    np.testing.assert_array_equal(numpy(v.value), np.zeros(3), err_msg=(
        "keras.StatelessScope no longer keeps assignments out of the variable itself" + ADAPT))


class Probe(keras.Model):
    """A one-layer regression trained through `gk.autodiff.train_step`, with a non-trainable step counter of
    shape (5,) (distinct from every other variable's shape) and one tracker; it records what fit() passes."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(3)
        self.counter = keras.Variable(np.zeros(5, "float32"), trainable=False, name="counter")
        self.tracker = keras.metrics.Mean(name="loss")
        self.calls = []

    def call(self, x):
        return self.dense(x)

    @property
    def metrics(self):
        return [self.tracker]

    def step(self, data):
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        loss, grads = gk.autodiff.gradients(lambda: ops.mean((self(x) - y) ** 2), self.trainable_variables)
        gk.autodiff.apply_gradients(self.optimizer, grads, self.trainable_variables)
        self.counter.assign(self.counter + 1.0)
        self.tracker.update_state(loss)
        return {"loss": self.tracker.result()}

    def train_step(self, *args):
        self.calls.append(args)
        return gk.autodiff.train_step(self, self.step, *args)


def test_jax_fit_calls_train_step_with_the_state_in_the_order_the_adapter_reads_it():
    keras.utils.set_random_seed(0)
    model = Probe()
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    x = np.random.default_rng(0).standard_normal((8, 2)).astype("float32")
    model.fit(x, np.ones((8, 3), "float32"), batch_size=4, epochs=1, shuffle=False, verbose=0)
    assert model.calls, "fit() on JAX never called model.train_step" + ADAPT
    args = model.calls[0]
    assert len(args) == 2, (f"Keras's JAX trainer now calls model.train_step with {len(args)} argument(s), "
                            "not (state, data)" + ADAPT)
    state = args[0]
    groups = {"trainable_variables": model.trainable_variables,
              "non_trainable_variables": model.non_trainable_variables,
              "optimizer.variables": model.optimizer.variables, "metrics_variables": model.metrics_variables}
    assert len(state) == len(groups), (f"the JAX train_step state has {len(state)} parts, not the 4 "
                                       f"({', '.join(groups)})" + ADAPT)
    for (name, variables), values in zip(groups.items(), state):
        assert [tuple(v.shape) for v in variables] == [tuple(a.shape) for a in values], (
            f"the JAX train_step state no longer holds model.{name} in that place and order" + ADAPT)
    # the new state the adapter read back from its scope is what fit() kept: two steps counted
    np.testing.assert_array_equal(numpy(model.counter), np.full(5, 2.0), err_msg=(
        "fit() on JAX did not keep the new state train_step returned as (logs, state)" + ADAPT))


def test_jax_state_sync_writes_mid_epoch_state_into_the_variables():
    assert callable(getattr(keras.Model, "jax_state_sync", None)), (
        "keras.Model.jax_state_sync is gone (gk.autodiff.sync calls it)" + ADAPT)
    seen = []

    class Read(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            gk.autodiff.sync(self.model)
            seen.append(float(numpy(self.model.counter)[0]))

    keras.utils.set_random_seed(0)
    model = Probe()
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    model.fit(np.zeros((12, 2), "float32"), np.ones((12, 3), "float32"), batch_size=4, epochs=1, shuffle=False,
              verbose=0, callbacks=[Read()])
    assert seen == [1.0, 2.0, 3.0], ("after keras.Model.jax_state_sync a callback no longer reads the current "
                                     f"weights mid-epoch (step counter read {seen}, expected [1, 2, 3])" + ADAPT)
