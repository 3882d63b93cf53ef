"""Lesson 06's exercises, one `check_*` per question of its Practice section:

- `check_cycle_loss`
- `check_receptive_field`
- `check_pool_lifetime`
- `check_lsgan_optimal_d`
"""

import numpy as np

from .checking import call_answer, exercise, float32_tensor, judge, output_scalar, read_function, read_number

__all__ = ["check_cycle_loss", "check_receptive_field", "check_pool_lifetime", "check_lsgan_optimal_d"]


RESIDUAL_BLOCKS = 3
POOL_SIZE, POOL_BATCH = 50, 8


@exercise
def check_cycle_loss(cycle_loss):
    """Lesson 06: `cycle_loss(a, b, G, F)` returns E|F(G(a)) − a| + E|G(F(b)) − b|, each a mean over all pixels
    (`a`, `b`: `(batch, 8, 8, 1)` in [−1, 1]; G, F: image-to-image callables), within 1e-4 relative."""
    loss = read_function(cycle_loss, "cycle_loss(a, b, G, F), returning one number")
    name = "cycle_loss(a, b, G, F)"
    rng = np.random.default_rng(6)
    a, b = rng.uniform(-1.0, 1.0, (16, 8, 8, 1)), rng.uniform(-1.0, 1.0, (16, 8, 8, 1))

    def G(x):
        return 0.1 - 0.8 * x

    def F(x):
        return -x

    value = output_scalar(call_answer(loss, (float32_tensor(a), float32_tensor(b), G, F), name), name)
    a_term, b_term = np.abs(F(G(a)) - a).mean(), np.abs(G(F(b)) - b).mean()
    right = float(a_term + b_term)
    return judge(
        value, right,
        why="the cycle loss asks F to undo G and G to undo F; the adversarial loss alone cannot tie each output "
            "to its input.",
        hint="translate and translate back in both directions, and add the two mean absolute errors.",
        mistakes=[(float(((F(G(a)) - a) ** 2).mean() + ((G(F(b)) - b) ** 2).mean()),
                   "CycleGAN's cycle loss is L1, the mean absolute error, not the squared error."),
                  (float(a_term), "add the other direction too: G(F(b)) should return b."),
                  (float(b_term), "add the other direction too: F(G(a)) should return a."),
                  (right / 2.0, "L_cyc adds the two directions (the trainer's logged `cycle_loss` is their mean)."),
                  (10.0 * right, "leave λ out: the trainer weighs the cycle loss, this function does not."),
                  (float(np.abs(G(a) - a).mean() + np.abs(F(b) - b).mean()),
                   "that compares one translation with its input (the identity loss); the cycle goes there and "
                   "back."),
                  (float(np.abs(F(G(a)) - a).sum() + np.abs(G(F(b)) - b).sum()), "average over the pixels and "
                                                                                   "the batch; do not sum.")])


@exercise
def check_receptive_field(answer):
    """Lesson 06: the side, in pixels, of the square of input pixels one output pixel of lesson 06's G can see
    with 3 residual blocks (section 6 counts one and two; 3×3 convolutions, stride 1), exactly."""
    value = read_number(answer, "the side of the square, in pixels")
    convolutions = 1 + 2 * RESIDUAL_BLOCKS + 1   # the stem, two per residual block, the output
    right = 1 + 2 * convolutions
    return judge(
        value, right,
        why="each 3×3 convolution widens the view by one pixel on each side; count convolutions, not blocks.",
        hint="count every 3×3 convolution on the way from input to output; each adds one pixel on each side.",
        mistakes=[(right - 4, "count every 3×3 convolution: the stem, two in each residual block, and the output."),
                  (right - 2, "count every 3×3 convolution: the stem, two in each residual block, and the output."),
                  (1 + 2 * (RESIDUAL_BLOCKS + 2), "each residual block holds two 3×3 convolutions, not one."),
                  (right ** 2, "give the side of the square, not its area."),
                  (1 + 3 * convolutions, "a 3×3 kernel reaches one pixel on each side: it widens the view by two, "
                                         "not three.")])


@exercise
def check_pool_lifetime(answer):
    """Lesson 06: the mean number of steps an image stays in a full pool of 50 at batch 8 (`gk.cyclegan.ImagePool`),
    counting the step in which it is swapped out, within 0.1 %."""
    value = read_number(answer, "the mean number of steps")
    replaced = POOL_BATCH * 0.5 / POOL_SIZE   # the chance that a given slot is swapped in one step
    return judge(
        value, 1.0 / replaced,
        why="a pool's memory is counted in images, so a larger batch makes it forget faster: at lesson 06's "
            "batch of 32 it reaches back only a few steps.",
        hint="find the chance p that one given slot is swapped in one step; the number of steps until that "
             "happens is geometric, with mean 1/p.",
        mistakes=[(POOL_SIZE / POOL_BATCH, "each image takes its slot only with probability ½."),
                  (1.0 / replaced - 1.0, "count the step in which the image is swapped out too."),
                  (replaced, "that is the chance per step; the question asks for the mean number of steps."),
                  (2.0 * POOL_SIZE, "that is the paper's batch of 1; here eight images come each step.")])


LSGAN_DENSITY_RATIO = 3.0   # p_G(x) / p_B(x) at the image x of exercise 06-4


@exercise
def check_lsgan_optimal_d(answer):
    """Lesson 06: the score the optimal least-squares D_B gives an image x where p_G(x) = 3·p_B(x) (targets 1 on real
    B images, 0 on G's outputs), within 0.1 %."""
    value = read_number(answer, "the optimal D_B's score")
    ratio = LSGAN_DENSITY_RATIO
    return judge(
        value, 1.0 / (1.0 + ratio),
        why="at each image the least-squares D* = p_B / (p_B + p_G), the same share as the vanilla GAN's optimal D: "
            "its score says how much of the density at x is real.",
        hint="write the loss at one image x as ½·p_B(x)·(D − 1)² + ½·p_G(x)·D², and set its derivative in D to zero.",
        mistakes=[(ratio / (1.0 + ratio), "that is p_G / (p_B + p_G): D is pulled to 1 on the real images, so its "
                                          "score grows with p_B."),
                  (1.0 / ratio, "that is p_B / p_G; the derivative gives p_B·(D − 1) + p_G·D = 0."),
                  (0.5, "½ is D's score where p_G = p_B; here G puts three times as much density at x."),
                  (0.0, "D scores 0 only where B has no density at all; x is a B image too, only rarer.")])
