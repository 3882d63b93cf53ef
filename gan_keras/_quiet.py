"""Import TensorFlow without its start-up log lines.

TensorFlow 2.21 writes oneDNN/CUDA notices to file descriptor 2 before absl logging is
initialised, so ``TF_CPP_MIN_LOG_LEVEL`` alone does not hide them, and Jupyter kernels forward
that descriptor into notebook outputs. We point fd 2 at /dev/null only while TensorFlow loads.
"""

import contextlib
import logging
import os
import sys
import warnings


@contextlib.contextmanager
def _stderr_silenced():
    """Redirect the process-level stderr (fd 2) to /dev/null inside the block."""
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


def import_backend_quietly():
    """Import keras (and with it TensorFlow) with its log noise off; a no-op if already imported.

    Listing the devices inside the silenced block also hides the CUDA probe's error line on
    machines without a GPU. Errors that matter still raise Python exceptions.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "keras" not in sys.modules:
        with _stderr_silenced():
            import keras

            if keras.backend.backend() == "tensorflow":
                import tensorflow as tf

                tf.config.list_physical_devices()
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    # Our data.batches() streams are shuffled already; Keras warns when fit(shuffle=True) meets one.
    warnings.filterwarnings("ignore", message="`shuffle=True` was passed", category=UserWarning)
