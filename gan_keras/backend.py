"""The Keras backend as an environment: choosing and loading it quietly, describing the machine, its switches.

`load_keras` (called by `import gan_keras`) checks `KERAS_BACKEND` and imports Keras without TensorFlow's
start-up noise; `describe` names Keras, the backend and the device; `make_deterministic`, `float64`,
`float64_matmul` and `steps_per_execution` are the few switches that differ between TensorFlow, JAX and
PyTorch. The rest of the backend-specific code sits in two named places: differentiation and the JAX
`fit()` adapter in `gan_keras.autodiff`, and the data streams' one branch (`tf.data` or NumPy batches) in
`gan_keras.data._stream`.

TensorFlow is imported only when it is the backend, so the package imports on a machine without it.
"""

import contextlib
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

