"""gan_keras: the helpers the GAN lessons share, on Keras' TensorFlow, JAX or PyTorch backend.

Import it before `keras`: `import gan_keras` first checks `KERAS_BACKEND` (one of tensorflow, jax,
torch; unset means tensorflow) and loads Keras on it, keeping TensorFlow's start-up log lines out of
stderr (`gan_keras.backend.load_keras`). It changes nothing else: no plot styles, no seeds (that is
`set_seed`'s job).
"""

from . import backend

backend.load_keras()

from . import (autodiff, callbacks, checks, cyclegan, data, dcgan, engine, exercises, gan, impostors, losses,  # noqa: E402
               metrics, models, plots, probes, single_loss, timing, wgan)
from .seeding import set_seed  # noqa: E402

__all__ = ["autodiff", "backend", "callbacks", "checks", "cyclegan", "data", "dcgan", "engine", "exercises", "gan",
           "impostors", "losses", "metrics", "models", "plots", "probes", "single_loss", "timing", "wgan", "set_seed"]
__version__ = "0.1.0"
