"""Lesson 05's exercises, one `check_*` per question of its Practice section:

- `check_w1_shifted`
- `check_gradient_penalty`
- `check_clipped_lipschitz`
- `check_clipped_mlp_lipschitz`
"""

import math

import numpy as np
from keras import ops

from .. import losses, metrics
from .checking import (VALUES_TOLERANCE, call_answer, exercise, float32_tensor, hint_for, judge, output_scalar,
                       read_function, read_number, same_gradients, seeded_network, verdict, weight_gradients)

__all__ = ["check_w1_shifted", "check_gradient_penalty", "check_clipped_lipschitz", "check_clipped_mlp_lipschitz"]


W1_POINTS = ((0.0, 0.0), (1.0, 0.0), (0.0, 2.0))
W1_SHIFTED_POINTS = ((1.5, 0.0), (1.5, -2.0), (2.5, -2.0))   # W1_POINTS moved by (1.5, −2), listed in another order
CLIP_VALUE = 0.01


@exercise
def check_w1_shifted(answer):
    """Lesson 05: W1 between the point sets {(0, 0), (1, 0), (0, 2)} and {(1.5, 0), (1.5, −2), (2.5, −2)},
    equal weights, Euclidean distance, within 0.1 %."""
    value = read_number(answer, "W1 of the two point sets")
    a, b = np.array(W1_POINTS), np.array(W1_SHIFTED_POINTS)
    shift = b[[1, 2, 0]] - a
    return judge(
        value, metrics.wasserstein_exact(a, b),
        why="moving every point by the same shift is an optimal plan: the 1-Lipschitz f(x) = −u·x, u the shift's "
            "direction, shows no plan does better. Lesson 05 tests its critic on exactly that.",
        hint="look for one shift that carries the first set onto the second, and a 1-Lipschitz f that proves no "
             "plan is cheaper.",
        mistakes=[(float(np.abs(shift[0]).sum()), "that is the shift's L1 length; the cost is the Euclidean "
                                                  "distance."),
                  (float(np.sum(shift[0] ** 2)), "that is the squared distance; W1 moves mass at cost |x − y|."),
                  (float(np.linalg.norm(a - b, axis=1).mean()), "you paired the points in the order listed; a "
                                                                "transport plan may pair them in any order."),
                  (3.0 * float(np.linalg.norm(shift[0])), "each point carries mass ⅓: W1 averages over the points.")])


QUADRATIC_A, QUADRATIC_B = (1.5, 0.5), (0.3, -0.2)   # the test critic f(x) = Σ ½a_j x_j² + b·x


def _quadratic_critic(x):
    """f(x) = Σ ½a_j x_j² + b·x, `(batch, 2)` -> `(batch, 1)`: its gradient a ⊙ x + b is known in closed form."""
    a, b = float32_tensor(QUADRATIC_A), float32_tensor(QUADRATIC_B)
    return ops.sum(0.5 * a * ops.square(x) + b * x, axis=1, keepdims=True)


def _quadratic_norms(points):
    """‖∇f‖₂ of `_quadratic_critic` at each of the `(batch, 2)` points."""
    return np.linalg.norm(np.array(QUADRATIC_A) * points + np.array(QUADRATIC_B), axis=1)


def _quadratic_penalty(points):
    """E(‖∇f‖₂ − 1)² of `_quadratic_critic` over the `(batch, 2)` points."""
    return float(np.mean((_quadratic_norms(points) - 1.0) ** 2))


def _penalty_inputs():
    """Fixed real `(64, 2)`, fake `(64, 2)` and ε `(64, 1)` as float64 NumPy arrays."""
    rng = np.random.default_rng(5)
    real = rng.normal(size=(64, 2))
    fake = 0.5 * rng.normal(size=(64, 2)) + [2.0, 0.0]
    return real, fake, rng.uniform(size=(64, 1))


def _penalty_mistakes(real, fake, epsilon):
    """(value, hint) of typical wrong penalties for the quadratic critic."""
    x_hat = epsilon * real + (1.0 - epsilon) * fake
    norms = _quadratic_norms(x_hat)
    return [(_quadratic_penalty(real), "the penalty is taken at the interpolates x̂, not at the real samples."),
            (_quadratic_penalty(fake), "the penalty is taken at the interpolates x̂, not at the fakes."),
            (_quadratic_penalty(epsilon * fake + (1.0 - epsilon) * real),
             "ε weighs the real sample: x̂ = ε·real + (1 − ε)·fake (in training either way works, since ε and "
             "1 − ε are both uniform, but here ε is given)."),
            (float(np.mean(np.abs(norms - 1.0))), "square each (norm − 1) before averaging."),
            (float(np.mean((norms ** 2 - 1.0) ** 2)), "use the norm ‖∇f(x̂)‖₂, not its square."),
            (float(np.mean(norms ** 2)), "the penalty pulls the norm toward 1: subtract 1 before squaring."),
            (float((norms.mean() - 1.0) ** 2), "take (norm − 1)² per sample, then the mean."),
            (float(np.sum((norms - 1.0) ** 2)), "average over the batch; do not sum.")]


@exercise
def check_gradient_penalty(gradient_penalty):
    """Lesson 05: `gradient_penalty(critic, real, fake, epsilon)` returns E(‖∇f(x̂)‖₂ − 1)² at
    x̂ = εx + (1 − ε)x̃ (`real`, `fake`: `(batch, 2)`; `epsilon`: `(batch, 1)`), differentiable in the
    critic's weights; value within 1e-4 relative, on a critic with a known gradient."""
    penalty = read_function(gradient_penalty, "gradient_penalty(critic, real, fake, epsilon), returning one number")
    name = "gradient_penalty(critic, real, fake, epsilon)"
    real, fake, epsilon = _penalty_inputs()
    inputs = (float32_tensor(real), float32_tensor(fake), float32_tensor(epsilon))
    value = output_scalar(call_answer(penalty, (_quadratic_critic,) + inputs, name), name)
    right = _quadratic_penalty(epsilon * real + (1.0 - epsilon) * fake)
    if not (math.isfinite(value) and math.isclose(value, right, rel_tol=VALUES_TOLERANCE)):
        return verdict(False, "", hint_for(value, "x̂ = ε·real + (1 − ε)·fake; the critic's gradient at x̂ "
                                                "(gk.autodiff.input_gradient), its norm per sample, then the mean "
                                                "of (norm − 1)².", _penalty_mistakes(real, fake, epsilon)))
    critic = seeded_network((2, 16, 1), seed=11)
    reference = weight_gradients(lambda: losses.gradient_penalty(critic, *inputs[:2], epsilon=inputs[2])[0],
                                 critic.trainable_variables, name)
    grads = weight_gradients(lambda: penalty(critic, *inputs), critic.trainable_variables, name)
    return verdict(same_gradients(grads, reference),
                    why="your penalty is E(‖∇f(x̂)‖ − 1)² and stays differentiable in the critic's weights, as "
                        "WGAN-GP's critic step needs (double backpropagation).",
                    hint="the value is right, but its gradient with respect to the critic's weights is not: keep "
                         "every step in keras.ops on the tensors input_gradient returns (no NumPy, no "
                         "stop_gradient).")


@exercise
def check_clipped_lipschitz(answer):
    """Lesson 05: the largest Lipschitz constant of a critic f(x) = w·x + b on 2-D x with every weight
    clipped to [−0.01, 0.01], within 0.1 %."""
    value = read_number(answer, "the largest Lipschitz constant")
    c = CLIP_VALUE
    return judge(
        value, c * math.sqrt(2.0),
        why="clipping bounds the critic's slope by c times a factor set by the layers' shapes, not by 1: a "
            "clipped critic estimates W1 only up to an unknown, small constant.",
        hint="the slope of w·x along the best direction is the Euclidean length ‖w‖₂; make it as long as the "
             "clipping allows.",
        mistakes=[(c, "‖w‖₂ can exceed c: both entries may sit at ±c, where clipping piles the weights."),
                  (2.0 * c, "that is the L1 length of w; the slope along the best direction is the Euclidean ‖w‖₂."),
                  (c * math.sqrt(2.0) + c, "the bias shifts f but does not change its slope."),
                  (1.0, "clipping does not make the critic 1-Lipschitz, only Lipschitz with some small constant.")])


CLIPPED_WIDTH, CLIPPED_HIDDEN_LAYERS = 128, 3   # lesson 05's clipped critic: 2 → 128 → 128 → 128 → 1, ReLU


@exercise
def check_clipped_mlp_lipschitz(answer):
    """Lesson 05: the largest Lipschitz constant of the lesson's clipped critic (2-D input, three hidden layers
    of 128 ReLUs, one output, every weight and bias in [−0.01, 0.01]), within 0.1 %."""
    value = read_number(answer, "the largest Lipschitz constant")
    c, h, layers = CLIP_VALUE, CLIPPED_WIDTH, CLIPPED_HIDDEN_LAYERS
    right = c ** (layers + 1) * h ** layers * math.sqrt(2.0)
    return judge(
        value, right,
        why="each layer's slope is at most its matrix's spectral norm, at most c·√(inputs × outputs); a ReLU never "
            "steepens; and all weights at +c (with +c biases, every unit on for x₁ + x₂ ≥ 0) reach the product. "
            "About 0.03: the clipped critic's gap can never pass 3 % of W1, whatever it learns.",
        hint="bound the slope of each of the four linear maps (spectral norm ≤ Frobenius norm ≤ c√(m·n)), "
             "multiply, then find weights that reach the bound.",
        mistakes=[(c * math.sqrt(2.0), "that is one linear layer; the critic chains four, with ReLUs between."),
                  (c ** (layers + 1) * h ** layers, "close: the first layer's two inputs add a factor √2."),
                  (c ** layers * h ** (layers - 1) * math.sqrt(2.0), "count the linear maps: three hidden layers "
                                                                     "and the output layer make four."),
                  (c ** (layers + 1) * h ** layers * 2.0, "the two inputs contribute √2 (a Euclidean length), not 2."),
                  (1.0, "clipping does not make the critic 1-Lipschitz, only Lipschitz with some small constant.")])
