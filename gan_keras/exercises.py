"""Exercises that check themselves: one `check_*` function per exercise of lessons 01–07.

A lesson's practice cells ask a question; the student writes the answer in place of `None` (a number, a
pair, or a function) and calls the checker. It prints one line, "Right: …" with why the result matters, or
"Not yet: …" with a hint, and returns True or False. It never prints the answer and never raises: a
placeholder (`None`, `...`, or a function that still returns None) prints "No answer yet", and an answer of
the wrong kind (a string, an array where one number is asked, NaN, a function that raises or returns the
wrong shape) prints what was expected.

Numbers may be Python or NumPy scalars or 0-d tensors of any backend. A function is called on the
checker's own inputs and compared with a reference computed inside the checker; each docstring states the
tolerance. The references are not hidden, only not printed: this is a course, not an exam. The worked
solutions, which also prove that each checker accepts the right answer and rejects a typical wrong one, are
the notebooks in `solutions/`.
"""

import functools
import math
import numbers

import keras
import numpy as np
from keras import ops

from . import backend, losses, metrics

RELATIVE_TOLERANCE = 1e-3   # numbers: right within 0.1 %
VALUES_TOLERANCE = 1e-4     # functions: outputs within 1e-4, absolute and relative
GRADIENT_TOLERANCE = 1e-3   # gradients: within 1e-3 of the largest entry of the reference (float32 round-off)

NO_ANSWER, WRONG_KIND, NOT_YET, RIGHT = "No answer yet", "Wrong kind of answer", "Not yet", "Right"


class _Stop(Exception):
    """Ends a check early with the verdict to print, e.g. for a placeholder or an answer of the wrong kind."""

    def __init__(self, verdict, reason):
        super().__init__(f"{verdict}: {reason}")


def _exercise(checker):
    """Make `checker(answer)` print the line of any `_Stop` it raises and return False, never a traceback."""

    @functools.wraps(checker)
    def check(answer):
        try:
            return checker(answer)
        except _Stop as stop:
            print(stop)
            return False

    return check


def _verdict(right, why, hint):
    """Print "Right: `why`" or "Not yet: `hint`"; return `right` as a bool."""
    print(f"{RIGHT}: {why}" if right else f"{NOT_YET}: {hint}")
    return bool(right)


def _kind(value):
    """The type of `value` with its article, e.g. 'a str' or 'an int', for the messages."""
    name = type(value).__name__
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"


def _is_placeholder(answer):
    return answer is None or answer is Ellipsis


def _as_numpy(value):
    """A backend tensor as a NumPy array; anything else unchanged."""
    return ops.convert_to_numpy(value) if ops.is_tensor(value) else value


# --- reading answers ---------------------------------------------------------------------------------------

def _number(answer, what, allow_inf=False):
    """`answer` as a float: one real number, NaN never, ±inf only if `allow_inf` (a typical wrong answer)."""
    if _is_placeholder(answer):
        raise _Stop(NO_ANSWER, f"replace None with {what}, then run the cell again.")
    value = _as_numpy(answer)
    if isinstance(value, np.ndarray):
        if value.shape != ():
            raise _Stop(WRONG_KIND, f"expected one number, {what}; got an array of shape {value.shape}.")
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise _Stop(WRONG_KIND, f"expected one number, {what}; got {_kind(answer)}.")
    value = float(value)
    if math.isnan(value) or (math.isinf(value) and not allow_inf):
        raise _Stop(WRONG_KIND, f"expected a finite number, {what}; got {value}.")
    return value


def _pair(answer, what):
    """`answer` as two floats, from a tuple, a list or a `(2,)` array."""
    if _is_placeholder(answer):
        raise _Stop(NO_ANSWER, f"replace None with {what}, then run the cell again.")
    items = _as_numpy(answer)
    if isinstance(items, np.ndarray) and items.shape != (2,):
        raise _Stop(WRONG_KIND, f"expected a pair of numbers, {what}; got an array of shape {items.shape}.")
    if not isinstance(items, (tuple, list, np.ndarray)) or len(items) != 2:
        raise _Stop(WRONG_KIND, f"expected a pair of numbers, {what}; got {_kind(answer)}"
                    + (f" of length {len(items)}." if isinstance(items, (tuple, list)) else "."))
    if any(_is_placeholder(item) for item in items):
        raise _Stop(NO_ANSWER, f"replace each None with a number of {what}, then run the cell again.")
    return tuple(_number(item, f"each of {what}") for item in items)


def _function(answer, what):
    """`answer` if it is callable; a placeholder or anything else stops the check."""
    if _is_placeholder(answer):
        raise _Stop(NO_ANSWER, f"write {what}, then run the cell again.")
    if not callable(answer):
        raise _Stop(WRONG_KIND, f"expected {what}; got {_kind(answer)}.")
    return answer


def _call(fn, args, name):
    """`fn(*args)`, the student's code: an exception or a None result stops the check with a message."""
    try:
        out = fn(*args)
    except Exception as err:  # anything the student's code raises is reported, not re-raised
        text = str(err).strip()
        message = f": {text.splitlines()[0][:200]}" if text else ""
        raise _Stop(NOT_YET, f"`{name}` raised {type(err).__name__}{message}.") from None
    if _is_placeholder(out):
        raise _Stop(NO_ANSWER, f"`{name}` returns None: write its body, then run the cell again.")
    return out


def _values(out, name, shape):
    """The output `out` of `name` as a float64 array of `shape`; `(n,)` also accepts `(n, 1)`."""
    try:
        values = np.asarray(_as_numpy(out), dtype=np.float64)
    except (TypeError, ValueError):
        raise _Stop(WRONG_KIND, f"`{name}` should return an array of shape {shape}; got {_kind(out)}.") from None
    if values.shape != shape and not (len(shape) == 1 and values.shape == shape + (1,)):
        raise _Stop(WRONG_KIND, f"`{name}` should return an array of shape {shape}; got shape {values.shape}.")
    return values.reshape(shape)


def _scalar(out, name):
    """The output `out` of `name` as a float: one number, e.g. a loss averaged over the batch."""
    try:
        values = np.asarray(_as_numpy(out), dtype=np.float64)
    except (TypeError, ValueError):
        raise _Stop(WRONG_KIND, f"`{name}` should return one number; got {_kind(out)}.") from None
    if values.shape != ():
        raise _Stop(WRONG_KIND, f"`{name}` should return one number (the mean over the batch); "
                                f"got shape {values.shape}.")
    return float(values)


def _gradients(loss_fn, variables, name):
    """The gradient of `loss_fn()` with respect to `variables`, as NumPy arrays; an error stops the check."""
    try:
        _, grads = backend.gradients(loss_fn, variables)
    except Exception as err:  # e.g. a loss computed in NumPy, which autodiff cannot follow
        raise _Stop(NOT_YET, f"`{name}` cannot be differentiated with respect to the weights "
                             f"({type(err).__name__}): build it from keras.ops on the tensors it is given, "
                             f"not NumPy.") from None
    return [np.asarray(ops.convert_to_numpy(g), dtype=np.float64) for g in grads]


# --- comparing ---------------------------------------------------------------------------------------------

def _close(value, target):
    return math.isclose(value, target, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-9)


def _hint(value, hint, mistakes):
    """The hint of the first typical mistake `value` matches (within 0.1 %), else `hint`."""
    return next((mistake_hint for mistake, mistake_hint in mistakes if _close(value, mistake)), hint)


def _judge(value, right, why, hint, mistakes=()):
    """The verdict on a number: right within 0.1 %, else the hint of the first typical mistake it matches."""
    return _verdict(_close(value, right), why, _hint(value, hint, mistakes))


def _matches(values, reference):
    return bool(np.all(np.isfinite(values))) and np.allclose(values, reference, rtol=VALUES_TOLERANCE,
                                                             atol=VALUES_TOLERANCE)


def _judge_values(values, rights, why, hint, mistakes=()):
    """The verdict on a function's outputs: right if they match any of `rights`, else the matching mistake's hint."""
    if any(_matches(values, right) for right in rights):
        return _verdict(True, why, hint)
    if not np.all(np.isfinite(values)):
        hint = "some outputs are NaN or infinite where the answer is finite: a log of 0 or of a negative number?"
    hint = next((mistake_hint for mistake, mistake_hint in mistakes if _matches(values, mistake)), hint)
    return _verdict(False, why, hint)


def _same_gradients(grads, reference):
    scale = max(float(np.abs(g).max()) for g in reference)
    return all(g.shape == r.shape for g, r in zip(grads, reference)) and max(
        float(np.abs(g - r).max()) for g, r in zip(grads, reference)) <= GRADIENT_TOLERANCE * scale + 1e-7


# --- small fixed inputs ------------------------------------------------------------------------------------

def _sigmoid(t):
    return 1.0 / (1.0 + math.exp(-t))


def _normal_pdf(x, mean, std):
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * math.sqrt(2.0 * math.pi))


def _network(sizes, seed):
    """A tanh MLP with fixed, seeded weights (the global random state is left alone): `(batch, sizes[0])` in."""
    layers = [keras.Input((sizes[0],))]
    for i, width in enumerate(sizes[1:]):
        layers.append(keras.layers.Dense(
            width, activation="tanh" if i < len(sizes) - 2 else None,
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed + i),
            bias_initializer=keras.initializers.RandomUniform(-0.3, 0.3, seed=seed + 50 + i)))
    return keras.Sequential(layers)


def _tensor(array):
    return ops.convert_to_tensor(np.asarray(array, dtype=np.float32))


# --- lesson 01 -----------------------------------------------------------------------------------------------

EXPONENTIAL_RATE = 2.0
SORTED_W1_DATA = (0.5, -1.0, 2.0, 4.0)        # x, four data samples
SORTED_W1_GENERATED = (3.0, 0.0, -2.0, 5.0)   # G(z), four generated samples


@_exercise
def check_inverse_cdf(inverse_cdf):
    """Lesson 01: `inverse_cdf(z)` maps `(n,)` uniform samples in (0, 1) to samples of the exponential distribution with
    rate 2 (density 2e^(−2x), x ≥ 0) by inverting its CDF; the increasing and the decreasing map both pass,
    within 1e-4."""
    inverse_cdf = _function(inverse_cdf, "inverse_cdf(z), mapping `(n,)` uniform samples to `(n,)` exponential samples")
    z = np.linspace(0.005, 0.995, 199)
    x = _values(_call(inverse_cdf, (z.copy(),), "inverse_cdf(z)"), "inverse_cdf(z)", z.shape)
    rate = EXPONENTIAL_RATE
    increasing = -np.log1p(-z) / rate
    return _judge_values(
        x, (increasing, -np.log(z) / rate),
        why="inverting a CDF turns uniform noise into any 1-D distribution; a GAN's G learns such a map "
            "where no formula exists.",
        hint="G(z) is the x that solves F(x) = z, with the exponential's CDF F(x) = 1 − e^(−2x).",
        mistakes=[(1.0 - np.exp(-rate * z), "that applies the CDF F itself; G is its inverse, the x that solves "
                                            "F(x) = z."),
                  (increasing * rate, "the shape is right, the scale is not: where does the rate go when you "
                                      "solve 1 − e^(−2x) = z for x? (The mean should be ½.)"),
                  (increasing * rate ** 2, "the shape is right, the scale is not: the rate divides, it does "
                                           "not multiply (the mean should be ½).")])


@_exercise
def check_sorted_w1(answer):
    """Lesson 01: W1 between the samples x = (0.5, −1, 2, 4) and G(z) = (3, 0, −2, 5), within 0.1 %."""
    value = _number(answer, "W1 of the two samples")
    x, g = np.array(SORTED_W1_DATA), np.array(SORTED_W1_GENERATED)
    return _judge(
        value, float(np.abs(np.sort(x) - np.sort(g)).mean()),
        why="in 1-D the optimal transport plan pairs the samples in sorted order, which is why section 3 sorts "
            "both batches inside the loss.",
        hint="sort both samples, pair them in that order, and average the absolute differences.",
        mistakes=[(float(np.abs(x - g).mean()), "you paired the samples in the order they are listed; nothing "
                                                "pairs a data sample with a generated one: sort both first."),
                  (float(np.abs(np.sort(x) - np.sort(g)).sum()), "W1 averages the distances (each sample carries "
                                                                 "mass 1/n); it does not add them."),
                  (abs(float(x.mean() - g.mean())), "that is the gap between the means, a lower bound on W1: "
                                                    "sorted pairs can differ in both directions.")])


SHIFTED_MEAN = 1.0   # the data N(0, 1) against a generator's samples N(1, 1), equal numbers of each


def _normal_cdf(t):
    return 0.5 * (1.0 + math.erf(t / math.sqrt(2.0)))


@_exercise
def check_best_accuracy(answer):
    """Lesson 01: the best possible accuracy of any D telling N(0, 1) data from N(1, 1) samples, equal numbers of
    each, within 0.1 %."""
    value = _number(answer, "the best possible accuracy (a fraction between ½ and 1)")
    right = _normal_cdf(SHIFTED_MEAN / 2.0)   # the Bayes rule says "real" for x < ½, where the densities cross
    total_variation = 2.0 * right - 1.0
    return _judge(
        value, right,
        why="the best D says \"real\" wherever the data's density is the larger, and its accuracy is "
            "½ + ½·TV(p, q): a learned D can approach that, never pass it.",
        hint="the best D says \"real\" wherever the data's density is the larger: find where the two densities "
             "cross, then average the probability of a right answer on each set.",
        mistakes=[(_normal_cdf(SHIFTED_MEAN), "the cut sits where the two densities cross, halfway between the "
                                             "means: each set is then half a standard deviation from it."),
                  (total_variation, "that is the total-variation distance TV; the accuracy is ½ + ½·TV."),
                  (100.0 * right, "answer a fraction between ½ and 1, not a percent."),
                  (0.5, "½ is chance: equal variances do not make the sets alike when their means differ.")])

# --- lesson 02 -----------------------------------------------------------------------------------------------

OPTIMAL_D_REAL = (0.0, 1.0)        # p_r = N(0, 1): mean, std
OPTIMAL_D_GENERATED = (2.0, 1.0)   # p_g = N(2, 1)


@_exercise
def check_optimal_d(optimal_d):
    """Lesson 02: `optimal_d(x)` is the best D for p_r = N(0, 1) and p_g = N(2, 1), a probability per
    `(n,)` point x, within 1e-4."""
    optimal_d = _function(optimal_d, "optimal_d(x), mapping `(n,)` points to `(n,)` probabilities")
    x = np.linspace(-3.0, 5.0, 161)
    d = _values(_call(optimal_d, (x.copy(),), "optimal_d(x)"), "optimal_d(x)", x.shape)
    p_r, p_g = _normal_pdf(x, *OPTIMAL_D_REAL), _normal_pdf(x, *OPTIMAL_D_GENERATED)
    right = p_r / (p_r + p_g)
    return _judge_values(
        d, (right,),
        why="D* = p_r / (p_r + p_g). Here its logit is a straight line in x, so even logistic regression "
            "could find it: a trained D can reach the optimum.",
        hint="for fixed G, maximise p_r(x) log D + p_g(x) log(1 − D) at each x separately.",
        mistakes=[(1.0 - right, "that is the probability that x is fake; D(x) is the probability that x is real."),
                  (p_r / p_g, "a probability stays in [0, 1]: divide p_r by p_r + p_g, not by p_g."),
                  (np.full_like(x, 0.5), "½ everywhere is D* only when p_g = p_r, and here they differ.")])


@_exercise
def check_js_disjoint(answer):
    """Lesson 02: JS(p_r‖p_g) in nats for p_r uniform on [0, 1] and p_g uniform on [2, 3], within 0.1 %."""
    value = _number(answer, "JS(p_r‖p_g) in nats", allow_inf=True)
    right = math.log(2.0)
    if not _close(value, right) and math.isclose(value, right, rel_tol=0.02):
        return _verdict(False, "", "close, but rounded: the checker wants the value within 0.1 %. Compute it "
                                   "(with `math`) rather than typing a few digits.")
    return _judge(
        value, right,
        why="whenever the supports do not overlap, JS sits at its maximum however far apart they are: a "
            "divergence with no gradient (lesson 03).",
        hint="JS = ½KL(p_r‖M) + ½KL(p_g‖M) with the mixture M = (p_r + p_g)/2: where p_r > 0, M = p_r/2.",
        mistakes=[(math.inf, "that is the symmetrised KL, ½KL(p_r‖p_g) + ½KL(p_g‖p_r), which divides by a density "
                             "that is 0. JS compares each with the mixture M = (p_r + p_g)/2, positive wherever "
                             "either one is."),
                  (1.0, "that is in bits (log base 2); the course measures in nats, with the natural log."),
                  (0.0, "JS is 0 only when the two distributions are equal; these do not even overlap."),
                  (2.0 * right, "that is KL(p_r‖M) + KL(p_g‖M); JS takes half of each.")])


@_exercise
def check_non_saturating_loss(non_saturating_loss):
    """Lesson 02: `non_saturating_loss(fake_logits)` returns −E log D(G(z)) from `(batch, 1)` logits, as one
    number, finite for any logit (±200 included), within 1e-4 relative."""
    loss = _function(non_saturating_loss, "non_saturating_loss(fake_logits), returning one number")
    name = "non_saturating_loss(fake_logits)"
    moderate = np.array([[-4.0], [-1.5], [0.0], [0.5], [3.0]])
    value = _scalar(_call(loss, (_tensor(moderate),), name), name)
    right = float(np.mean(np.logaddexp(0.0, -moderate)))
    if not (math.isfinite(value) and math.isclose(value, right, rel_tol=VALUES_TOLERANCE)):
        return _verdict(False, "", _hint(value, "−log D with D = σ(ℓ), averaged over the batch.", [
            (-float(np.mean(np.logaddexp(0.0, moderate))), "that is the saturating loss E log(1 − D); the "
                                                           "non-saturating one is −E log D."),
            (-right, "mind the sign: G minimises −log D, which is positive."),
            (float(np.mean(np.logaddexp(0.0, moderate))), "that is −log(1 − D), D's loss on fakes; G's is −log D.")]))
    extreme = np.array([[-200.0], [-30.0], [0.0], [30.0], [200.0]])
    value = _scalar(_call(loss, (_tensor(extreme),), name), name)
    right = float(np.mean(np.logaddexp(0.0, -extreme)))
    if not math.isfinite(value):
        return _verdict(False, "", "right for moderate logits, but not finite at a logit of −200. In float32 that "
                                   "happens two ways: exp(200) overflows to ∞ (the largest float32 is about e^88.7), "
                                   "so log(1 + exp(−ℓ)) is ∞; or σ(−200) rounds to 0, and −log 0 = ∞. A stable form "
                                   "takes neither the exp of a large positive number nor the log of σ.")
    return _verdict(math.isclose(value, right, rel_tol=VALUES_TOLERANCE),
                    why="−log σ(ℓ) = softplus(−ℓ) never takes log 0, so the loss stays finite and keeps its "
                        "gradient for any logit, however sure D is.",
                    hint="right for moderate logits, but off at ±200: clipping D away from 0 caps the loss. "
                         "Write −log σ(ℓ) in a form that needs no log of σ.")


@_exercise
def check_c_of_g_uniform(answer):
    """Lesson 02: C(G) = max_D V(G, D) in nats for p_r uniform on [0, 1] and p_g uniform on [0, 2], within 0.1 %."""
    value = _number(answer, "C(G) in nats", allow_inf=True)
    kl_r, kl_g = math.log(4.0 / 3.0), 0.5 * math.log(4.0 / 3.0)   # KL(p_r‖M), KL(p_g‖M); M = ¾ on [0, 1], ¼ on (1, 2]
    right = -math.log(4.0) + kl_r + kl_g
    return _judge(
        value, right,
        why="C(G) = −log 4 + KL(p_r‖M) + KL(p_g‖M) sits above its minimum −log 4 because p_g ≠ p_r, and it is "
            "finite although p_r is 0 on half of p_g's support: the mixture M is positive wherever either is.",
        hint="the mixture M = (p_r + p_g)/2 is ¾ on [0, 1] and ¼ on (1, 2]; compute KL(p_r‖M) and KL(p_g‖M) "
             "region by region, and do not forget the constant.",
        mistakes=[(kl_r + kl_g, "that is KL(p_r‖M) + KL(p_g‖M); C(G) adds −log 4 to it."),
                  ((kl_r + kl_g) / 2.0, "that is JS(p_r‖p_g); C(G) = 2·JS − log 4."),
                  (-math.log(4.0), "−log 4 is C(G) only when p_g = p_r; here they differ."),
                  (-math.log(4.0) + 2.0 * kl_r, "p_g has density ½: weight each region's log by its mass ½ under p_g."),
                  (right / math.log(2.0), "that is in bits (log base 2); the course measures in nats."),
                  (math.inf, "C(G) compares p_r and p_g with their mixture M, which is positive wherever either "
                             "is: it is never infinite.")])


# --- lesson 03 -----------------------------------------------------------------------------------------------

SATURATING_LOGIT = -4.0
NOISE_THETA, NOISE_SIGMA = 0.6, 0.5
CRITIC_THETA, CRITIC_GP_WEIGHT = 2.0, 5.0


@_exercise
def check_saturating_gradient(answer):
    """Lesson 03: ∂/∂ℓ log(1 − σ(ℓ)), the saturating G loss's gradient w.r.t. D's logit, at ℓ = −4, within 0.1 %."""
    value = _number(answer, "the derivative at ℓ = −4")
    d = _sigmoid(SATURATING_LOGIT)
    return _judge(
        value, -d,
        why="when D rejects a fake confidently, the saturating loss hands G almost no gradient, just when G "
            "needs it most; the −log D loss does not.",
        hint="σ′(ℓ) = σ(ℓ)(1 − σ(ℓ)); differentiate log(1 − σ(ℓ)) by the chain rule.",
        mistakes=[(d, "mind the sign: log(1 − σ(ℓ)) falls as the logit ℓ grows."),
                  (-(1.0 - d), "that is the gradient of the non-saturating loss −log σ(ℓ); the question asks for "
                               "the saturating log(1 − σ(ℓ))."),
                  (1.0 - d, "that is (minus) the non-saturating loss's gradient; the question asks for the "
                            "saturating log(1 − σ(ℓ))."),
                  (d * (1.0 - d), "that is σ′(ℓ); the derivative of log(1 − σ) is −σ′/(1 − σ).")])


@_exercise
def check_instance_noise_kl(answer):
    """Lesson 03: KL(P_θ∗N‖P_0∗N) for lesson 03's segments at θ = 0.6, both seen through Gaussian noise of
    σ = 0.5 on each coordinate, in nats, within 0.1 %."""
    value = _number(answer, "the KL in nats", allow_inf=True)
    theta, sigma = NOISE_THETA, NOISE_SIGMA
    return _judge(
        value, theta ** 2 / (2.0 * sigma ** 2),
        why="noise spreads both segments over the plane, so they overlap: the divergence is finite and shrinks "
            "as θ → 0, so it has a gradient again.",
        hint="the y-coordinates have the same law in both and drop out; what is left is the KL of two "
             "1-D Gaussians with the same σ.",
        mistakes=[(math.inf, "that is the KL without noise; with noise both densities are positive everywhere."),
                  (theta ** 2 / sigma ** 2, "the KL of two Gaussians with the same σ is (Δμ)²/(2σ²): mind the ½."),
                  (math.log(2.0), "log 2 is the JS of the noiseless segments; the question asks for the KL "
                                  "with noise."),
                  (theta / (2.0 * sigma ** 2), "square the distance between the means.")])


@_exercise
def check_penalised_critic_gap(answer):
    """Lesson 03: the held-out gap E_P0 f − E_Pθ f of the best gradient-penalty critic between lesson 03's segments,
    θ = 2 apart, with penalty weight λ = 5 (it is θ + θ²/(2λ), not W1 = θ), within 0.1 %."""
    value = _number(answer, "the critic's gap")
    theta, lam = CRITIC_THETA, CRITIC_GP_WEIGHT
    slope = 1.0 + theta / (2.0 * lam)
    return _judge(
        value, slope * theta,
        why="the penalty is soft: a slope above 1 costs λ(s − 1)² but earns θ·s, so the best critic overshoots W1 "
            "by θ²/(2λ). A penalised critic estimates W1 from above as well as below; λ sets by how much.",
        hint="let f have the same slope s along the first coordinate between the segments: its gap is s·θ and its "
             "penalty λ(s − 1)² (every interpolate lies between them). Maximise the difference over s.",
        mistakes=[(theta, "that is the exact W1, what a critic with slope exactly 1 reports; the penalty only pulls "
                          "the slope toward 1, it does not hold it there."),
                  (slope, "that is the best slope s; the question asks for the gap it reports, s·θ."),
                  ((1.0 + theta / lam) * theta, "differentiate λ(s − 1)²: mind the factor 2."),
                  ((1.0 + 1.0 / (2.0 * lam)) * theta, "the penalty is an average over the interpolates, λ(s − 1)², "
                                                      "not λ(s − 1)² for each unit of distance.")])


# --- lesson 04 -----------------------------------------------------------------------------------------------

FORWARD_KL_WEIGHTS = (0.3, 0.7)
FORWARD_KL_CENTRES = (-1.0, 2.0)
FORWARD_KL_STD = 0.5
MODE_SHARES = (0.7, 0.1, 0.1, 0.1, 0.0, 0.0, 0.0, 0.0)


@_exercise
def check_kl_one_mode(answer):
    """Lesson 04: KL(P_g‖P_r) in nats when G reproduces exactly one of the ring's 8 Gaussians, within 0.1 %."""
    value = _number(answer, "KL(P_g‖P_r) in nats", allow_inf=True)
    right = math.log(8.0)
    return _judge(
        value, right,
        why="the reverse KL charges a G that drops seven of eight modes only a modest, finite price: dropping "
            "modes is cheap for a loss that contains it.",
        hint="on G's one mode P_g = p_k and P_r ≈ p_k/8 (the other seven are negligible there); average "
             "log(P_g/P_r) over P_g.",
        mistakes=[(math.inf, "that is the forward KL(P_r‖P_g), infinite because P_g is 0 on seven modes; the "
                             "question asks for the reverse KL(P_g‖P_r), the one in the −log D loss."),
                  (3.0, "that is in bits (log base 2); the course measures in nats."),
                  (-right, "KL is never negative: average log(P_g/P_r), not log(P_r/P_g)."),
                  (math.log(7.0), "P_r spreads its mass over all eight modes, the one G kept included.")])


@_exercise
def check_forward_kl_fit(answer):
    """Lesson 04: (μ, σ) of the Gaussian that minimises KL(p‖q) for p = 0.3·N(−1, 0.5²) + 0.7·N(2, 0.5²),
    each within 0.1 %."""
    mu, sigma = _pair(answer, "(μ, σ)")
    w, c, s = np.array(FORWARD_KL_WEIGHTS), np.array(FORWARD_KL_CENTRES), FORWARD_KL_STD
    right_mu = float(np.sum(w * c))
    spread = float(np.sum(w * (c - right_mu) ** 2))
    right_sigma = math.sqrt(s ** 2 + spread)
    right = _close(mu, right_mu) and _close(sigma, right_sigma)
    if right:
        hint = ""
    elif any(_close(mu, centre) for centre in c) and _close(sigma, s):
        hint = "that Gaussian sits on one bump: the reverse-KL (mode-seeking) fit. The forward KL must cover all of p."
    elif not _close(mu, right_mu):
        hint = "the forward-KL fit matches p's mean: weigh each bump's centre by its weight."
    elif _close(sigma, math.sqrt(spread)):
        hint = "the variance of p adds the bumps' own variance to the spread of their centres."
    elif _close(sigma, right_sigma ** 2):
        hint = "that is σ², the variance; the question asks for the standard deviation σ."
    else:
        hint = "the forward-KL fit matches p's mean and variance; p's variance is the bumps' own variance plus " \
               "the spread of their centres."
    return _verdict(right, why="minimising the forward KL over Gaussians matches p's mean and variance "
                               "(moment matching): q covers both bumps and the gap between them.", hint=hint)


@_exercise
def check_effective_modes(answer):
    """Lesson 04: the effective number of modes e^H of G's shares (0.7, 0.1, 0.1, 0.1, 0, 0, 0, 0), within 0.1 %."""
    value = _number(answer, "the effective number of modes")
    p = np.array(MODE_SHARES)
    p = p[p > 0]
    entropy = float(-np.sum(p * np.log(p)))
    return _judge(
        value, math.exp(entropy),
        why="e^H weighs each mode by its share of the samples; the count of covered modes credits every mode "
            "a few stray samples touch.",
        hint="H = −Σ p_k log p_k over the shares (0 log 0 = 0), and the effective number is e^H.",
        mistakes=[(4.0, "that is the count of modes with samples; the effective number weighs each by its share."),
                  (entropy, "that is the entropy H; the effective number of modes is e^H."),
                  (8.0, "eight would need an even spread; most samples here sit on one mode."),
                  (1.0 / float(np.sum(p ** 2)), "that is 1/Σp², another 'effective number'; the lesson's is e^H.")])


PACKED_COLLAPSE_PACK = 2


@_exercise
def check_packed_collapse_loss(answer):
    """Lesson 04: G's non-saturating loss −E log D* in nats when G reproduces exactly one of the ring's 8
    Gaussians and the optimal D judges packs of 2 samples (PacGAN2), within 0.1 %."""
    value = _number(answer, "G's loss in nats", allow_inf=True)
    m = PACKED_COLLAPSE_PACK
    right = math.log(1.0 + 8.0 ** m)
    return _judge(
        value, right,
        why="a pack of samples all on one mode is every pack of a collapsed G and rare in the data, so the "
            "optimal packed D scores collapse far lower than the single-sample D* does, and G pays far more "
            "for it: the price of collapse grows about linearly in the pack size.",
        hint="on G's packs D* = p_r(x1)p_r(x2) / (p_r(x1)p_r(x2) + p_g(x1)p_g(x2)); on G's mode p_r ≈ p_g/8 "
             "for each sample. Average −log D* over G's packs.",
        mistakes=[(math.log(9.0), "that is the single-sample loss; with packs D* compares products of two "
                                  "densities."),
                  (m * math.log(9.0), "that adds two single-sample losses; the packed D* judges the pair at once, "
                                      "from the product of the two densities."),
                  (m * math.log(8.0), "close, but D* = a/(a + b), not a/b: keep the real packs' density a in "
                                      "the denominator."),
                  (math.log(2.0), "log 2 is G's loss when D cannot tell at all (D = ½); here D is optimal and G "
                                  "has collapsed."),
                  (math.log(1.0 + 8.0 ** -m), "that is D's loss on the fake packs, −log(1 − D*); G's "
                                              "non-saturating loss is −log D*.")])


# --- lesson 05 -----------------------------------------------------------------------------------------------

W1_POINTS = ((0.0, 0.0), (1.0, 0.0), (0.0, 2.0))
W1_SHIFTED_POINTS = ((1.5, 0.0), (1.5, -2.0), (2.5, -2.0))   # W1_POINTS moved by (1.5, −2), listed in another order
CLIP_VALUE = 0.01


@_exercise
def check_w1_shifted(answer):
    """Lesson 05: W1 between the point sets {(0, 0), (1, 0), (0, 2)} and {(1.5, 0), (1.5, −2), (2.5, −2)},
    equal weights, Euclidean distance, within 0.1 %."""
    value = _number(answer, "W1 of the two point sets")
    a, b = np.array(W1_POINTS), np.array(W1_SHIFTED_POINTS)
    shift = b[[1, 2, 0]] - a
    return _judge(
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
    a, b = _tensor(QUADRATIC_A), _tensor(QUADRATIC_B)
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


def _reference_gradient_penalty(critic, real, fake, epsilon):
    x_hat = epsilon * real + (1.0 - epsilon) * fake
    _, grads = backend.input_gradient(critic, x_hat)
    return ops.mean(ops.square(ops.sqrt(ops.sum(ops.square(grads), axis=1)) - 1.0))


@_exercise
def check_gradient_penalty(gradient_penalty):
    """Lesson 05: `gradient_penalty(critic, real, fake, epsilon)` returns E(‖∇f(x̂)‖₂ − 1)² at
    x̂ = εx + (1 − ε)x̃ (`real`, `fake`: `(batch, 2)`; `epsilon`: `(batch, 1)`), differentiable in the
    critic's weights; value within 1e-4 relative, on a critic with a known gradient."""
    penalty = _function(gradient_penalty, "gradient_penalty(critic, real, fake, epsilon), returning one number")
    name = "gradient_penalty(critic, real, fake, epsilon)"
    real, fake, epsilon = _penalty_inputs()
    inputs = (_tensor(real), _tensor(fake), _tensor(epsilon))
    value = _scalar(_call(penalty, (_quadratic_critic,) + inputs, name), name)
    right = _quadratic_penalty(epsilon * real + (1.0 - epsilon) * fake)
    if not (math.isfinite(value) and math.isclose(value, right, rel_tol=VALUES_TOLERANCE)):
        return _verdict(False, "", _hint(value, "x̂ = ε·real + (1 − ε)·fake; the critic's gradient at x̂ "
                                                "(gk.backend.input_gradient), its norm per sample, then the mean "
                                                "of (norm − 1)².", _penalty_mistakes(real, fake, epsilon)))
    critic = _network((2, 16, 1), seed=11)
    reference = _gradients(lambda: _reference_gradient_penalty(critic, *inputs), critic.trainable_variables, name)
    grads = _gradients(lambda: penalty(critic, *inputs), critic.trainable_variables, name)
    return _verdict(_same_gradients(grads, reference),
                    why="your penalty is E(‖∇f(x̂)‖ − 1)² and stays differentiable in the critic's weights, as "
                        "WGAN-GP's critic step needs (double backpropagation).",
                    hint="the value is right, but its gradient with respect to the critic's weights is not: keep "
                         "every step in keras.ops on the tensors input_gradient returns (no NumPy, no "
                         "stop_gradient).")


@_exercise
def check_clipped_lipschitz(answer):
    """Lesson 05: the largest Lipschitz constant of a critic f(x) = w·x + b on 2-D x with every weight
    clipped to [−0.01, 0.01], within 0.1 %."""
    value = _number(answer, "the largest Lipschitz constant")
    c = CLIP_VALUE
    return _judge(
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


@_exercise
def check_clipped_mlp_lipschitz(answer):
    """Lesson 05: the largest Lipschitz constant of the lesson's clipped critic (2-D input, three hidden layers
    of 128 ReLUs, one output, every weight and bias in [−0.01, 0.01]), within 0.1 %."""
    value = _number(answer, "the largest Lipschitz constant")
    c, h, layers = CLIP_VALUE, CLIPPED_WIDTH, CLIPPED_HIDDEN_LAYERS
    right = c ** (layers + 1) * h ** layers * math.sqrt(2.0)
    return _judge(
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


# --- lesson 06 -----------------------------------------------------------------------------------------------

RESIDUAL_BLOCKS = 3
POOL_SIZE, POOL_BATCH = 50, 8


@_exercise
def check_cycle_loss(cycle_loss):
    """Lesson 06: `cycle_loss(a, b, G, F)` returns E|F(G(a)) − a| + E|G(F(b)) − b|, each a mean over all pixels
    (`a`, `b`: `(batch, 8, 8, 1)` in [−1, 1]; G, F: image-to-image callables), within 1e-4 relative."""
    loss = _function(cycle_loss, "cycle_loss(a, b, G, F), returning one number")
    name = "cycle_loss(a, b, G, F)"
    rng = np.random.default_rng(6)
    a, b = rng.uniform(-1.0, 1.0, (16, 8, 8, 1)), rng.uniform(-1.0, 1.0, (16, 8, 8, 1))

    def G(x):
        return 0.1 - 0.8 * x

    def F(x):
        return -x

    value = _scalar(_call(loss, (_tensor(a), _tensor(b), G, F), name), name)
    a_term, b_term = np.abs(F(G(a)) - a).mean(), np.abs(G(F(b)) - b).mean()
    right = float(a_term + b_term)
    return _judge(
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


@_exercise
def check_receptive_field(answer):
    """Lesson 06: the side, in pixels, of the square of input pixels one output pixel of lesson 06's G can see
    with 3 residual blocks instead of 2 (3×3 convolutions, stride 1), exactly."""
    value = _number(answer, "the side of the square, in pixels")
    convolutions = 1 + 2 * RESIDUAL_BLOCKS + 1   # the stem, two per residual block, the output
    right = 1 + 2 * convolutions
    return _judge(
        value, right,
        why="each 3×3 convolution widens the view by one pixel on each side; count convolutions, not blocks.",
        hint="count every 3×3 convolution on the way from input to output; each adds one pixel on each side.",
        mistakes=[(right - 4, "count every 3×3 convolution: the stem, two in each residual block, and the output."),
                  (right - 2, "count every 3×3 convolution: the stem, two in each residual block, and the output."),
                  (1 + 2 * (RESIDUAL_BLOCKS + 2), "each residual block holds two 3×3 convolutions, not one."),
                  (right ** 2, "give the side of the square, not its area."),
                  (1 + 3 * convolutions, "a 3×3 kernel reaches one pixel on each side: it widens the view by two, "
                                         "not three.")])


@_exercise
def check_pool_lifetime(answer):
    """Lesson 06: the mean number of steps an image stays in a full pool of 50 at batch 8 (`gk.cyclegan.ImagePool`),
    counting the step in which it is swapped out, within 0.1 %."""
    value = _number(answer, "the mean number of steps")
    replaced = POOL_BATCH * 0.5 / POOL_SIZE   # the chance that a given slot is swapped in one step
    return _judge(
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


@_exercise
def check_lsgan_optimal_d(answer):
    """Lesson 06: the score the optimal least-squares D_B gives an image x where p_G(x) = 3·p_B(x) (targets 1 on real
    B images, 0 on G's outputs), within 0.1 %."""
    value = _number(answer, "the optimal D_B's score")
    ratio = LSGAN_DENSITY_RATIO
    return _judge(
        value, 1.0 / (1.0 + ratio),
        why="at each image the least-squares D* = p_B / (p_B + p_G), the same share as the vanilla GAN's optimal D: "
            "its score says how much of the density at x is real.",
        hint="write the loss at one image x as ½·p_B(x)·(D − 1)² + ½·p_G(x)·D², and set its derivative in D to zero.",
        mistakes=[(ratio / (1.0 + ratio), "that is p_G / (p_B + p_G): D is pulled to 1 on the real images, so its "
                                          "score grows with p_B."),
                  (1.0 / ratio, "that is p_B / p_G; the derivative gives p_B·(D − 1) + p_G·D = 0."),
                  (0.5, "½ is D's score where p_G = p_B; here G puts three times as much density at x."),
                  (0.0, "D scores 0 only where B has no density at all; x is a B image too, only rarer.")])


# --- lesson 07 -----------------------------------------------------------------------------------------------

DIRAC_STEP, DIRAC_STEPS = 0.2, 100


@_exercise
def check_single_loss(single_loss):
    """Lesson 07: `single_loss(D, G, real, z)` returns one number whose gradient is ∇L_D for D's weights and ∇L_G
    for G's (`gk.losses.discriminator_loss`, the non-saturating L_G), and whose value is L_D; gradients within
    1e-3 of the largest entry."""
    loss = _function(single_loss, "single_loss(D, G, real, z), returning one number")
    name = "single_loss(D, G, real, z)"
    G, D = _network((2, 16, 2), seed=21), _network((2, 16, 1), seed=31)
    rng = np.random.default_rng(7)
    real, z = _tensor(rng.normal(size=(32, 2))), _tensor(rng.normal(size=(32, 2)))
    value = _scalar(_call(loss, (D, G, real, z), name), name)

    def total():
        return loss(D, G, real, z)

    def d_loss():
        return losses.discriminator_loss(D(real), D(G(z)))

    def g_loss():
        return losses.non_saturating_generator_loss(D(G(z)))

    d_right = _same_gradients(_gradients(total, D.trainable_variables, name),
                              _gradients(d_loss, D.trainable_variables, name))
    g_right = _same_gradients(_gradients(total, G.trainable_variables, name),
                              _gradients(g_loss, G.trainable_variables, name))
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
    return _verdict(d_right and g_right and value_right,
                    why="one loss, one backward pass, and each player still gets exactly its own gradient, so "
                        "plain fit() with one optimizer trains the game.", hint=hint)


@_exercise
def check_simultaneous_growth(answer):
    """Lesson 07: the factor by which 100 simultaneous steps of size h = 0.2 multiply the distance from the
    Dirac-GAN's equilibrium, in the linearised game, within 0.1 %."""
    value = _number(answer, "the factor after 100 steps")
    h, n = DIRAC_STEP, DIRAC_STEPS
    per_step = 1.0 + h ** 2 / 4.0          # |M v|² / |v|² for the linearised simultaneous step M
    return _judge(
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


@_exercise
def check_critical_damping(answer):
    """Lesson 07: the double eigenvalue of one simultaneous step of the linearised Dirac-GAN with R1
    (ψ ← ψ − h(θ/2 + γψ), θ ← θ + hψ/2, both from the old state, h = 0.5) at the γ > 0 that makes its two
    eigenvalues equal (critical damping), within 0.1 %."""
    value = _number(answer, "the double eigenvalue")
    h = DAMPING_STEP
    # M = [[1, h/2], [-h/2, 1 - hγ]]: tr M = 2 - hγ, det M = 1 - hγ + h²/4; equal eigenvalues where
    # (tr M)² = 4 det M, i.e. h²γ² = h²: γ = 1 whatever h is, and the double eigenvalue is tr M / 2 = 1 - h/2.
    gamma = 1.0
    return _judge(
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
