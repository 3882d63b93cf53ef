"""gan_keras: the helpers the GAN lessons share.

Importing the package quiets TensorFlow's logs (import it before ``keras``): it sets
``TF_CPP_MIN_LOG_LEVEL`` if unset, lowers the tensorflow/absl loggers to ERROR, and ignores Keras'
warning about ``shuffle`` with an already shuffled dataset. It changes nothing else: no plot styles,
no seeds (that is :func:`set_seed`'s job).
"""

from ._quiet import import_backend_quietly

import_backend_quietly()

from . import callbacks, cyclegan, data, losses, metrics, models, plots, probes, timing, training, wgan  # noqa: E402
from .seeding import set_seed  # noqa: E402

__all__ = ["callbacks", "cyclegan", "data", "losses", "metrics", "models", "plots", "probes", "timing", "training", "wgan",
           "set_seed"]
__version__ = "0.1.0"
