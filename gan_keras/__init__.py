"""gan_keras: the helpers the GAN lessons share.

Importing the package quiets TensorFlow's start-up logs (import it before ``keras``) and changes
nothing else: no plot styles, no global state beyond what :func:`set_seed` is asked to set.
"""

from ._quiet import import_backend_quietly

import_backend_quietly()

from . import callbacks, data, losses, metrics, models, plots, training  # noqa: E402
from .seeding import set_seed  # noqa: E402

__all__ = ["callbacks", "data", "losses", "metrics", "models", "plots", "training", "set_seed"]
__version__ = "0.1.0"
