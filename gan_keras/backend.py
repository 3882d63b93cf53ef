"""Everything that differs between Keras' backends (TensorFlow, JAX, PyTorch), in one place.

The trainers and the lessons write a gradient step as

    loss, grads = gk.backend.gradients(loss_fn, variables)
    gk.backend.apply_gradients(optimizer, grads, variables)

and this module does it the way each backend can: TensorFlow with a `tf.GradientTape`, JAX with
`jax.value_and_grad` over the variables' values (inside a `keras.StatelessScope`, since JAX has no
mutable state), PyTorch with `torch.autograd.grad`. `input_gradient` is the same for the gradient with
respect to a function's *input* (R1, the gradient penalty), and it can be differentiated again.

TensorFlow is imported only when it is the backend, so the package imports on a machine without it.
"""

import contextlib
import functools
import importlib.util
import logging
import os
import sys
import warnings

SUPPORTED = ("tensorflow", "jax", "torch")
EXTRAS = {"jax": "jax", "torch": "torch"}  # the pyproject extra that installs each optional backend


# --- choosing and importing the backend ------------------------------------------------------------------

@contextlib.contextmanager
def stderr_silenced():
    """Point the process-level stderr (file descriptor 2) at /dev/null inside the block.

    TensorFlow writes its oneDNN/CUDA notices to fd 2 before its logging is set up, so neither
    `TF_CPP_MIN_LOG_LEVEL` nor Python's `sys.stderr` can hold them back, and Jupyter kernels forward fd 2
    into notebook outputs.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def check_requested_backend(environ=os.environ):
    """Raise a clear error if `KERAS_BACKEND` names a backend we do not support or one not installed.

    Returns the requested name, or None when the variable is unset (Keras then reads its config file,
    TensorFlow by default).
    """
    name = environ.get("KERAS_BACKEND")
    if name is None:
        return None
    if name not in SUPPORTED:
        raise ValueError(f"KERAS_BACKEND={name!r} is not supported by gan_keras; set it to one of "
                         f"{', '.join(SUPPORTED)} (or leave it unset for tensorflow).")
    if name in EXTRAS and not _installed(name):
        raise ImportError(f"KERAS_BACKEND={name!r} needs the {name} package, which is not installed; "
                          f'install it with: pip install -e ".[{EXTRAS[name]}]"')
    return name


def _installed(module):
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:
        return False


def load_keras():
    """Import Keras on the backend `KERAS_BACKEND` asks for, keeping TensorFlow's start-up noise quiet.

    `import gan_keras` calls this first (import gan_keras before keras in a lesson): it checks the
    requested backend, sets `TF_CPP_MIN_LOG_LEVEL` if unset, imports Keras (and, on TensorFlow,
    TensorFlow, listing its devices) with stderr silenced, lowers the tensorflow/absl loggers to ERROR,
    and ignores Keras' notice about `shuffle` with an already shuffled stream. A no-op for the import if
    Keras is loaded already. Errors that matter still raise Python exceptions.
    """
    check_requested_backend()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "keras" not in sys.modules:
        with stderr_silenced():
            import keras

            if keras.backend.backend() == "tensorflow":
                import tensorflow as tf

                tf.config.list_physical_devices()  # also hides the CUDA probe's line on machines without a GPU
    import keras

    if keras.backend.backend() not in SUPPORTED:
        raise ValueError(f"Keras runs on the {keras.backend.backend()!r} backend, which gan_keras does not "
                         f"support; set KERAS_BACKEND to one of {', '.join(SUPPORTED)}.")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    # Our data streams are shuffled already; Keras warns when fit(shuffle=True), its default, meets one.
    warnings.filterwarnings("ignore", message="`shuffle=True` was passed", category=UserWarning)


def name():
    """The Keras backend in use: 'tensorflow', 'jax' or 'torch'."""
    import keras

    return keras.backend.backend()


def describe():
    """One line naming Keras, the backend with its version, and the device it computes on.

    E.g. "keras 3.15.1 · backend jax 0.10.2 · device CPU (AMD EPYC, 2 cores)", or "... · device GPU (NVIDIA H100
    80GB HBM3)".
    """
    import keras

    backend = name()
    if backend == "tensorflow":
        import tensorflow as tf

        version = tf.__version__
        gpus = tf.config.list_physical_devices("GPU")
        device = (f"GPU ({tf.config.experimental.get_device_details(gpus[0]).get('device_name', gpus[0].name)})"
                  if gpus else "CPU")
    elif backend == "jax":
        import jax

        version = jax.__version__
        first = jax.devices()[0]
        device = "CPU" if first.platform == "cpu" else f"{first.platform.upper()} ({first.device_kind})"
    else:
        import torch

        version = torch.__version__
        device = f"GPU ({torch.cuda.get_device_name(0)})" if torch.cuda.is_available() else "CPU"
    if device == "CPU":
        device = f"CPU ({cpu_model()}, {os.cpu_count()} cores)"
    return f"keras {keras.__version__} · backend {backend} {version} · device {device}"


def cpu_model():
    """The CPU's model name from /proc/cpuinfo (Linux), else what `platform` knows, else 'unknown CPU'.

    The same lesson takes about twice as long on some CPUs as on others: timings name the CPU.
    """
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or "unknown CPU"


def make_deterministic():
    """Ask the backend for deterministic kernels where it has such a switch (TensorFlow's op determinism).

    JAX on CPU is deterministic already; PyTorch's `use_deterministic_algorithms` would refuse some CPU
    kernels, and Keras seeds its generators, so neither needs more here.
    """
    if name() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


@contextlib.contextmanager
def float64():
    """Inside the block, Keras computes in float64 (`floatx` and the dtype policy), on every backend.

    JAX computes in float32 unless its `jax_enable_x64` flag is on, whatever Keras asks: the block turns it on
    and restores it after. For checks that must see round-off of float64, not float32 (lesson 07).
    """
    import keras

    previous = keras.config.floatx(), keras.config.dtype_policy().name
    x64 = None
    if name() == "jax":
        import jax

        x64 = jax.config.jax_enable_x64
        jax.config.update("jax_enable_x64", True)
    keras.config.set_floatx("float64")
    keras.config.set_dtype_policy("float64")
    try:
        yield
    finally:
        keras.config.set_floatx(previous[0])
        keras.config.set_dtype_policy(previous[1])
        if x64 is not None:
            import jax

            jax.config.update("jax_enable_x64", x64)


def float64_matmul():
    """Whether Keras multiplies two float64 matrices in float64 on this backend.

    Keras 3.15's PyTorch backend does not: `ops.matmul` (and so `Dense`) rounds float64 operands to float32
    and casts the product back (keras-team/keras#23704), so a float64 check there sees float32 round-off.
    """
    import keras

    fine = 1.0 + 2.0 ** -40   # 1 in float32, not in float64
    with float64():
        product = keras.ops.matmul(keras.ops.full((1, 1), fine, dtype="float64"), keras.ops.ones((1, 1), dtype="float64"))
        return float(keras.ops.convert_to_numpy(product)[0, 0]) == fine


def steps_per_execution(n):
    """`n`, or 1 on PyTorch, whose Keras trainer runs one step per execution only.

    For `compile(..., steps_per_execution=gk.backend.steps_per_execution(50))` in code meant for every
    backend; the callbacks here count generator steps, so they stay right either way.
    """
    return 1 if name() == "torch" else n


# --- gradients -----------------------------------------------------------------------------------------

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
