"""Gradients of a function with respect to its *input*, the one backend-specific piece outside the
trainers' train steps (the gradient penalty and the lessons' gradient-norm measurements need it).
"""

import keras


def input_gradient(fn, x):
    """∇_x Σ fn(x): the gradient of the summed outputs of ``fn`` at each row of ``x``.

    Args:
        fn: callable mapping (batch, ...) to (batch, ...) scores, e.g. a critic.
        x: (batch, ...) tensor.
    Returns:
        (outputs of fn(x), gradient with the shape of x).
    """
    backend = keras.backend.backend()
    if backend != "tensorflow":
        raise NotImplementedError(f"input_gradient supports the tensorflow backend, not {backend!r}.")
    import tensorflow as tf

    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = fn(x)
        total = tf.reduce_sum(out)
    return out, tape.gradient(total, x)
