"""gan_keras.checks: the shared argument checks, and the modules that use them raise what they raised inline."""

import re

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import pytest

from gan_keras import checks


def test_function_returns_a_callable_and_rejects_anything_else():
    assert checks.function("fn", len) is len
    with pytest.raises(TypeError, match=re.escape("`fn` must be callable, got int.")):
        checks.function("fn", 3)


def test_keras_model_returns_a_model_and_rejects_anything_else():
    model = gk.models.mlp(2, 1, hidden=(4,))
    assert checks.keras_model("model", model) is model
    with pytest.raises(TypeError, match=re.escape("`model` must be a keras.Model, got str.")):
        checks.keras_model("model", "G")


@pytest.mark.parametrize("call, message", [
    (lambda: gk.models.packed("D", 2), "`discriminator` must be a keras.Model, got str."),
    (lambda: gk.timing.fit_step_ms(None, [], steps=1, warmup=0), "`model` must be a keras.Model, got NoneType."),
    (lambda: gk.callbacks.Snapshots(1, "fn"), "`fn` must be callable, got str."),
    (lambda: gk.metrics.ks_statistic([0.1, 0.2], "cdf"), "`cdf` must be callable, got str."),
])
def test_callers_raise_the_messages_they_wrote_inline_before(call, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        call()
