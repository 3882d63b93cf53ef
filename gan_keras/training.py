"""Temporary aliases (issue 22): the trainers moved to one file per paper; delete this module once nothing uses it.

- `TwoPlayerModel`, `LATENTS`, `sample_latent`, `generate_samples` -> `gan_keras.engine`
- `AdversarialModel` -> `gan_keras.engine.LatentGenerator` + `gan_keras.engine.TwoPlayerModel`
- `GAN` -> `gan_keras.gan`
- `SingleLossGAN` -> `gan_keras.single_loss`
"""

from .engine import LATENTS, LatentGenerator, TwoPlayerModel, generate_samples, sample_latent
from .gan import GAN
from .single_loss import SingleLossGAN


class AdversarialModel(LatentGenerator, TwoPlayerModel):
    """Temporary alias: a `TwoPlayerModel` whose generator maps latent noise (see `gan_keras.engine`)."""


__all__ = ["LATENTS", "AdversarialModel", "GAN", "SingleLossGAN", "TwoPlayerModel", "generate_samples",
           "sample_latent"]
