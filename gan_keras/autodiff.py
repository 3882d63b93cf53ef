"""Differentiation and the `fit()` adapter: the code that differs between Keras' backends, in one place.

The trainers and the lessons write a gradient step as

    loss, grads = gk.autodiff.gradients(loss_fn, variables)
    gk.autodiff.apply_gradients(optimizer, grads, variables)

and this module does it the way each backend can: TensorFlow with a `tf.GradientTape`, JAX with
`jax.value_and_grad` over the variables' values (inside a `keras.StatelessScope`, since JAX has no
mutable state), PyTorch with `torch.autograd.grad`. `input_gradient` is the same for the gradient with
respect to a function's *input* (R1, the gradient penalty), and it can be differentiated again.
`train_step` runs a stateful train step under `fit()` on every backend (on JAX, through the state `fit()`
threads through `jit`), and `sync` writes that state back for a callback that reads weights mid-epoch.

On JAX this leans on two Keras internals, `StatelessScope.state_mapping` and `Model.jax_state_sync`;
tests/test_keras_internals.py fails with a message naming them if Keras changes them.
"""

import contextlib
import functools

from .backend import name


def gradients(loss_fn, variables, has_aux=False):
    """The value of `loss_fn()` and its gradient with respect to each of `variables`.

    Works eagerly (a lesson measuring gradient norms) and inside a train step under `fit()`, on every
    backend; a variable the loss does not depend on gets a zero gradient.

    Args:
        loss_fn: callable with no arguments returning a scalar loss, or, with `has_aux=True`, a pair
            (scalar loss, anything else to pass out, e.g. logs or intermediate tensors).
        variables: list of keras Variables, e.g. `network.trainable_variables`.
        has_aux: whether `loss_fn` returns (loss, aux), as in `jax.value_and_grad`.
    Returns:
        (loss, [gradient per variable]); with has_aux, ((loss, aux), [gradient per variable]).
    """
    variables = list(variables)
    backend = name()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            out = loss_fn()
        loss = out[0] if has_aux else out
        grads = tape.gradient(loss, variables)
        return out, [tf.zeros_like(v) if g is None else g for g, v in zip(grads, variables)]
    if backend == "jax":
        return _jax_gradients(loss_fn, variables, has_aux)
    import torch

    out = loss_fn()
    loss = out[0] if has_aux else out
    grads = torch.autograd.grad(loss, [v.value for v in variables], allow_unused=True)
    return out, [torch.zeros_like(v.value) if g is None else g for g, v in zip(grads, variables)]


_open_scopes = []  # the StatelessScopes this module opened, innermost last (JAX only)


@functools.cache
def _recording_scope_class():
    import keras

    class RecordingScope(keras.StatelessScope):
        """A StatelessScope that starts from the values of the one it is nested in and lists what is assigned."""

        def __init__(self, values, outer=None):
            super().__init__()
            # Scopes do not chain: a variable missing from the innermost one would be read from its stored
            # value (stale, or under fit() on JAX purged), so this one starts from all the outer one holds.
            if outer is not None:
                self.state_mapping.update(outer.state_mapping)
            for variable, value in values:
                self.state_mapping[id(variable)] = value
            self.assigned = {}

        def add_update(self, update):
            self.assigned[id(update[0])] = update[0]
            super().add_update(update)

    return RecordingScope


@contextlib.contextmanager
def _scope(values):
    scope = _recording_scope_class()(values, outer=_open_scopes[-1] if _open_scopes else None)
    _open_scopes.append(scope)
    try:
        with scope:
            yield scope
    finally:
        _open_scopes.pop()


def _jax_gradients(loss_fn, variables, has_aux):
    import jax

    updated = []  # the variables loss_fn assigned (say, a seed generator's state), in a fixed order

    def pure(values):
        with _scope(zip(variables, values)) as scope:
            out = loss_fn()
        updated[:] = list(scope.assigned.values())
        new_values = [scope.get_current_value(v) for v in updated]
        loss = out[0] if has_aux else out
        return loss, (out, new_values)

    (_, (out, new_values)), grads = jax.value_and_grad(pure, has_aux=True)([v.value for v in variables])
    for variable, value in zip(updated, new_values):
        variable.assign(value)  # into the enclosing scope under fit(), into the variable itself when eager
    return out, list(grads)


def input_gradient(fn, x):
    """∇_x Σ fn(x): the gradient of the summed outputs of `fn` at each row of `x`, with `fn(x)`.

    The gradient stays differentiable, so a penalty built on it (R1, the gradient penalty) can be
    differentiated again with respect to the weights of `fn` (double backpropagation).

    Args:
        fn: callable mapping (batch, ...) to (batch, ...) scores, e.g. a critic.
        x: (batch, ...) tensor or array.
    Returns:
        (fn(x), gradient with the shape of x).
    """
    from keras import ops

    backend = name()
    if backend == "tensorflow":
        import tensorflow as tf

        x = tf.convert_to_tensor(x)
        with tf.GradientTape() as tape:
            tape.watch(x)
            out = fn(x)
            total = tf.reduce_sum(out)
        return out, tape.gradient(total, x)
    if backend == "jax":
        import jax

        out, pullback = jax.vjp(fn, ops.convert_to_tensor(x))
        return out, pullback(ops.ones_like(out))[0]
    import torch

    x = ops.convert_to_tensor(x)
    if not x.requires_grad:
        x = x.detach().requires_grad_(True)
    out = fn(x)
    return out, torch.autograd.grad(ops.sum(out), x, create_graph=True)[0]


def apply_gradients(optimizer, grads, variables):
    """One step of `optimizer` on `variables` with `grads` (on PyTorch outside autograd's graph)."""
    if name() == "torch":
        import torch

        with torch.no_grad():
            optimizer.apply(list(grads), list(variables))
    else:
        optimizer.apply_gradients(zip(grads, variables))


# --- fit() ---------------------------------------------------------------------------------------------

def train_step(model, step, *args):
    """Run `step(data)`, a stateful train step written as on TensorFlow, as `model`'s step under `fit()`.

    TensorFlow and PyTorch call `model.train_step(data)`: this is `step(data)`. JAX calls
    `model.train_step(state, data)` and expects `(logs, new state)`, where the state holds the values of
    the model's trainable, non-trainable, optimizer and metric variables (in `fit()`'s order; the
    optimizer's are `model.optimizer.variables`, so every optimizer `step` uses must be inside it, e.g.
    through a `keras.optimizers.MultiOptimizer`). We run `step` inside a `keras.StatelessScope` that maps
    every variable to its value in the state, and read the new state back from the scope.
    """
    if name() != "jax":
        (data,) = args
        return step(data)
    state, data = args
    groups = [model.trainable_variables, model.non_trainable_variables, model.optimizer.variables,
              model.metrics_variables]
    mapping = [(v, value) for variables, values in zip(groups, state) for v, value in zip(variables, values)]
    with _scope(mapping) as scope:
        logs = step(data)
    new_state = []
    for variables, values in zip(groups, state):
        new_state.append([_current(scope, v, value) for v, value in zip(variables, values)])
    return logs, tuple(new_state)


def _current(scope, variable, old):
    value = scope.get_current_value(variable)
    return old if value is None else value


def sync(model):
    """Write the weights `fit()` is training back into `model`'s variables, so a callback can read them.

    On JAX, `fit()` keeps the model's state outside its variables during an epoch and writes it back
    only at the epoch's end; a callback that reads weights mid-epoch (snapshots, `generate()`) calls
    this first. Elsewhere the variables are always current and this does nothing.
    """
    if name() == "jax":
        model.jax_state_sync()
