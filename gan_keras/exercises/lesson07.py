"""Lesson 07's exercises: `check_single_loss`, `check_simultaneous_growth`, `check_critical_damping`."""

import math

import numpy as np
from keras import ops

from .. import losses
from .checking import (GRADIENT_TOLERANCE, call_answer, exercise, float32_tensor, judge, output_scalar, read_function,
                       read_number, same_gradients, seeded_network, verdict, weight_gradients)

__all__ = ["check_single_loss", "check_simultaneous_growth", "check_critical_damping"]


DIRAC_STEP, DIRAC_STEPS = 0.2, 100


@exercise
def check_single_loss(single_loss):
    """Lesson 07: `single_loss(D, G, real, z)` returns one number whose gradient is ∇L_D for D's weights and ∇L_G
    for G's (`gk.losses.discriminator_loss`, the non-saturating L_G), and whose value is L_D; gradients within
    1e-3 of the largest entry."""
    loss = read_function(single_loss, "single_loss(D, G, real, z), returning one number")
    name = "single_loss(D, G, real, z)"
    G, D = seeded_network((2, 16, 2), seed=21), seeded_network((2, 16, 1), seed=31)
    rng = np.random.default_rng(7)
    real, z = float32_tensor(rng.normal(size=(32, 2))), float32_tensor(rng.normal(size=(32, 2)))
    value = output_scalar(call_answer(loss, (D, G, real, z), name), name)

    def total():
        return loss(D, G, real, z)

    def d_loss():
        return losses.discriminator_loss(D(real), D(G(z)))

    def g_loss():
        return losses.non_saturating_generator_loss(D(G(z)))

    d_right = same_gradients(weight_gradients(total, D.trainable_variables, name),
                              weight_gradients(d_loss, D.trainable_variables, name))
    g_right = same_gradients(weight_gradients(total, G.trainable_variables, name),
                              weight_gradients(g_loss, G.trainable_variables, name))
    value_right = math.isclose(value, float(ops.convert_to_numpy(d_loss())), rel_tol=GRADIENT_TOLERANCE)
    if d_right and g_right and not value_right:
        hint = "both gradients are right, but the value should equal L_D: the two trick terms cancel in value."
    elif g_right and not d_right:
        hint = "G's gradient is right, D's is not: G's loss still trains D. Subtract the same G loss computed on " \
               "the fakes cut off with ops.stop_gradient: same value, same D-gradient, no G-gradient."
    elif d_right and not g_right:
        hint = "D's gradient is right, G's is not: D's loss must see the fakes through ops.stop_gradient, or it " \
               "reaches G's weights."
    else:
        hint = "neither player gets its own gradient: start from L_D on fakes cut off by ops.stop_gradient, then " \
               "add G's loss and subtract its copy on the cut-off fakes."
    return verdict(d_right and g_right and value_right,
                    why="one loss, one backward pass, and each player still gets exactly its own gradient, so "
                        "plain fit() with one optimizer trains the game.", hint=hint)


@exercise
def check_simultaneous_growth(answer):
    """Lesson 07: the factor by which 100 simultaneous steps of size h = 0.2 multiply the distance from the
    Dirac-GAN's equilibrium, in the linearised game, within 0.1 %."""
    value = read_number(answer, "the factor after 100 steps")
    h, n = DIRAC_STEP, DIRAC_STEPS
    per_step = 1.0 + h ** 2 / 4.0          # |M v|² / |v|² for the linearised simultaneous step M
    return judge(
        value, per_step ** (n / 2),
        why="every simultaneous step scales the distance by the same factor above 1, so plain simultaneous "
            "steps spiral outward; alternating steps preserve area and circle instead.",
        hint="write one step as a 2×2 matrix M acting on (θ, ψ) and compute |M v|² for any v.",
        mistakes=[(1.0, "alternating steps keep the distance bounded (they preserve area); simultaneous steps "
                        "both start from the old state: compute |M v|² for one step."),
                  (per_step ** n, "|M v|² grows by the per-step factor; the distance grows by its square root."),
                  ((1.0 + h ** 2) ** (n / 2), "σ(0) = ½, so each step moves by (h/2)·ψ and (h/2)·θ."),
                  (per_step ** 0.5, "that is one step; the question asks for 100.")])


DAMPING_STEP = 0.5


@exercise
def check_critical_damping(answer):
    """Lesson 07: the double eigenvalue of one simultaneous step of the linearised Dirac-GAN with R1
    (ψ ← ψ − h(θ/2 + γψ), θ ← θ + hψ/2, both from the old state, h = 0.5) at the γ > 0 that makes its two
    eigenvalues equal (critical damping), within 0.1 %."""
    value = read_number(answer, "the double eigenvalue")
    h = DAMPING_STEP
    # M = [[1, h/2], [-h/2, 1 - hγ]]: tr M = 2 - hγ, det M = 1 - hγ + h²/4; equal eigenvalues where
    # (tr M)² = 4 det M, i.e. h²γ² = h²: γ = 1 whatever h is, and the double eigenvalue is tr M / 2 = 1 - h/2.
    gamma = 1.0
    return judge(
        value, 1.0 - h * gamma / 2.0,
        why="(tr M)² = 4·det M reduces to h²γ² = h², so the step is critically damped at the same γ for every h "
            "(as the continuous flow is), and the double eigenvalue tr M / 2 = 1 − h/2 is the smallest spectral "
            "radius any γ gives this step.",
        hint="write the step as a 2×2 matrix M acting on (θ, ψ); its two eigenvalues are equal where "
             "(tr M)² = 4·det M, and then each is tr M / 2.",
        mistakes=[(gamma, "that is the critical γ (and the spectral radius where det M = 1, the edge between "
                          "spiralling in and out); the question asks for the double eigenvalue, tr M / 2."),
                  (1.0 - h * 2.0 / 2.0, "σ(0) = ½ halves the game's terms (θ/2 and ψ/2), while the penalty γ/2·ψ² "
                                        "has gradient γψ: check both entries of M.")])
