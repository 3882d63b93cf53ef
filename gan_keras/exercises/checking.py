"""What every lesson's exercises share: reading an answer, comparing it, printing the verdict.

A checker is a function decorated with `exercise`: it reads the answer (`read_number`, `read_pair`,
`read_function`, then `call_answer` and `output_values`/`output_scalar` for a function's outputs), compares it
with a reference computed on the spot (`judge`, `judge_values`, `same_gradients`) and prints one line through
`verdict`. Raising `Stop(verdict, reason)` anywhere ends the check with that line, so a placeholder or an
answer of the wrong kind never shows a traceback.
"""

import functools
import math
import numbers

import keras
import numpy as np
from keras import ops

from .. import autodiff

RELATIVE_TOLERANCE = 1e-3   # numbers: right within 0.1 %
VALUES_TOLERANCE = 1e-4     # functions: outputs within 1e-4, absolute and relative
GRADIENT_TOLERANCE = 1e-3   # gradients: within 1e-3 of the largest entry of the reference (float32 round-off)

NO_ANSWER, WRONG_KIND, NOT_YET, RIGHT = "No answer yet", "Wrong kind of answer", "Not yet", "Right"


class Stop(Exception):
    """Ends a check early with the verdict to print, e.g. for a placeholder or an answer of the wrong kind."""

    def __init__(self, verdict, reason):
        super().__init__(f"{verdict}: {reason}")


def exercise(checker):
    """Make `checker(answer)` print the line of any `Stop` it raises and return False, never a traceback."""

    @functools.wraps(checker)
    def check(answer):
        try:
            return checker(answer)
        except Stop as stop:
            print(stop)
            return False

    return check


def verdict(right, why, hint):
    """Print "Right: `why`" or "Not yet: `hint`"; return `right` as a bool."""
    print(f"{RIGHT}: {why}" if right else f"{NOT_YET}: {hint}")
    return bool(right)


def kind_of(value):
    """The type of `value` with its article, e.g. 'a str' or 'an int', for the messages."""
    name = type(value).__name__
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"


def is_placeholder(answer):
    return answer is None or answer is Ellipsis


def as_numpy(value):
    """A backend tensor as a NumPy array; anything else unchanged."""
    return ops.convert_to_numpy(value) if ops.is_tensor(value) else value


# --- reading answers ---------------------------------------------------------------------------------------

def read_number(answer, what, allow_inf=False):
    """`answer` as a float: one real number, NaN never, ±inf only if `allow_inf` (a typical wrong answer)."""
    if is_placeholder(answer):
        raise Stop(NO_ANSWER, f"replace None with {what}, then run the cell again.")
    value = as_numpy(answer)
    if isinstance(value, np.ndarray):
        if value.shape != ():
            raise Stop(WRONG_KIND, f"expected one number, {what}; got an array of shape {value.shape}.")
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise Stop(WRONG_KIND, f"expected one number, {what}; got {kind_of(answer)}.")
    try:
        value = float(value)
    except OverflowError:   # an int beyond float's range, e.g. 10**400
        raise Stop(WRONG_KIND, f"expected a finite number, {what}; got an integer too large for a float.") from None
    if math.isnan(value) or (math.isinf(value) and not allow_inf):
        raise Stop(WRONG_KIND, f"expected a finite number, {what}; got {value}.")
    return value


def read_pair(answer, what):
    """`answer` as two floats, from a tuple, a list or a `(2,)` array."""
    if is_placeholder(answer):
        raise Stop(NO_ANSWER, f"replace None with {what}, then run the cell again.")
    items = as_numpy(answer)
    if isinstance(items, np.ndarray) and items.shape != (2,):
        raise Stop(WRONG_KIND, f"expected a pair of numbers, {what}; got an array of shape {items.shape}.")
    if not isinstance(items, (tuple, list, np.ndarray)) or len(items) != 2:
        raise Stop(WRONG_KIND, f"expected a pair of numbers, {what}; got {kind_of(answer)}"
                    + (f" of length {len(items)}." if isinstance(items, (tuple, list)) else "."))
    if any(is_placeholder(item) for item in items):
        raise Stop(NO_ANSWER, f"replace each None with a number of {what}, then run the cell again.")
    return tuple(read_number(item, f"each of {what}") for item in items)


def read_function(answer, what):
    """`answer` if it is callable; a placeholder or anything else stops the check."""
    if is_placeholder(answer):
        raise Stop(NO_ANSWER, f"write {what}, then run the cell again.")
    if not callable(answer):
        raise Stop(WRONG_KIND, f"expected {what}; got {kind_of(answer)}.")
    return answer


def call_answer(fn, args, name):
    """`fn(*args)`, the student's code: an exception or a None result stops the check with a message."""
    try:
        out = fn(*args)
    except Exception as err:  # anything the student's code raises is reported, not re-raised
        text = str(err).strip()
        message = f": {text.splitlines()[0][:200]}" if text else ""
        raise Stop(NOT_YET, f"`{name}` raised {type(err).__name__}{message}.") from None
    if is_placeholder(out):
        raise Stop(NO_ANSWER, f"`{name}` returns None: write its body, then run the cell again.")
    return out


def output_values(out, name, shape):
    """The output `out` of `name` as a float64 array of `shape`; `(n,)` also accepts `(n, 1)`."""
    try:
        values = np.asarray(as_numpy(out), dtype=np.float64)
    except (TypeError, ValueError):
        raise Stop(WRONG_KIND, f"`{name}` should return an array of shape {shape}; got {kind_of(out)}.") from None
    if values.shape != shape and not (len(shape) == 1 and values.shape == shape + (1,)):
        raise Stop(WRONG_KIND, f"`{name}` should return an array of shape {shape}; got shape {values.shape}.")
    return values.reshape(shape)


def output_scalar(out, name):
    """The output `out` of `name` as a float: one number, e.g. a loss averaged over the batch."""
    try:
        values = np.asarray(as_numpy(out), dtype=np.float64)
    except (TypeError, ValueError):
        raise Stop(WRONG_KIND, f"`{name}` should return one number; got {kind_of(out)}.") from None
    if values.shape != ():
        raise Stop(WRONG_KIND, f"`{name}` should return one number (the mean over the batch); "
                                f"got shape {values.shape}.")
    return float(values)


def weight_gradients(loss_fn, variables, name):
    """The gradient of `loss_fn()` with respect to `variables`, as NumPy arrays; an error stops the check."""
    try:
        _, grads = autodiff.gradients(loss_fn, variables)
    except Exception as err:  # e.g. a loss computed in NumPy, which autodiff cannot follow
        raise Stop(NOT_YET, f"`{name}` cannot be differentiated with respect to the weights "
                             f"({type(err).__name__}): build it from keras.ops on the tensors it is given, "
                             f"not NumPy.") from None
    return [np.asarray(ops.convert_to_numpy(g), dtype=np.float64) for g in grads]


# --- comparing ---------------------------------------------------------------------------------------------

def close(value, target):
    return math.isclose(value, target, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-9)


ROUNDED_HINT = ("close, but rounded: the checker wants the value within 0.1 %. Compute it (with `math`) rather "
                "than typing a few digits.")


def _half_up(x):
    return math.copysign(math.floor(abs(x) + 0.5 + 1e-9), x)   # 12.5 -> 13, 0.345 -> 0.35, as a student rounds


def is_shortened(value, right):
    """Whether `value` is `right` rounded or cut to 2-4 significant digits, e.g. 0.35 or 0.34 for 0.3466."""
    if value == 0 or right == 0 or not (math.isfinite(value) and math.isfinite(right)) or close(value, right):
        return False
    for digits in range(2, 5):
        scale = 10.0 ** (digits - 1 - math.floor(math.log10(abs(right))))
        if any(math.isclose(value, cut(right * scale) / scale, rel_tol=1e-9) for cut in (round, _half_up, math.trunc)):
            return True
    return False


def hint_for(value, hint, mistakes):
    """The hint of the first typical mistake `value` matches within 0.1 %, else `hint`."""
    return next((mistake_hint for mistake, mistake_hint in mistakes if close(value, mistake)), hint)


def typed_hint(value, right, hint, mistakes=()):
    """The hint for a number typed by hand that is not `right`: that of a typical mistake it matches within 0.1 %;
    else, if it is `right` or a mistake rounded or cut to a few digits, and only one of them, the cue to the
    precision or that mistake's hint; else `hint` (a shortened value that could be either says nothing wrong)."""
    exact = hint_for(value, None, mistakes)
    if exact is not None:
        return exact
    shortened = {candidate_hint for candidate, candidate_hint in [(right, ROUNDED_HINT), *mistakes]
                 if is_shortened(value, candidate)}
    return shortened.pop() if len(shortened) == 1 else hint


def judge(value, right, why, hint, mistakes=()):
    """The verdict on a number typed by hand: right within 0.1 %, else `typed_hint`'s hint."""
    if close(value, right):
        return verdict(True, why, hint)
    return verdict(False, why, typed_hint(value, right, hint, mistakes))


def matches(values, reference):
    return bool(np.all(np.isfinite(values))) and np.allclose(values, reference, rtol=VALUES_TOLERANCE,
                                                             atol=VALUES_TOLERANCE)


def judge_values(values, rights, why, hint, mistakes=()):
    """The verdict on a function's outputs: right if they match any of `rights`, else the matching mistake's hint."""
    if any(matches(values, right) for right in rights):
        return verdict(True, why, hint)
    if not np.all(np.isfinite(values)):
        hint = "some outputs are NaN or infinite where the answer is finite: a log of 0 or of a negative number?"
    hint = next((mistake_hint for mistake, mistake_hint in mistakes if matches(values, mistake)), hint)
    return verdict(False, why, hint)


def same_gradients(grads, reference):
    scale = max(float(np.abs(g).max()) for g in reference)
    return all(g.shape == r.shape for g, r in zip(grads, reference)) and max(
        float(np.abs(g - r).max()) for g, r in zip(grads, reference)) <= GRADIENT_TOLERANCE * scale + 1e-7


# --- small fixed inputs ------------------------------------------------------------------------------------

def sigmoid(t):
    return 1.0 / (1.0 + math.exp(-t))


def normal_pdf(x, mean, std):
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * math.sqrt(2.0 * math.pi))


def seeded_network(sizes, seed):
    """A tanh MLP with fixed, seeded weights (the global random state is left alone): `(batch, sizes[0])` in."""
    layers = [keras.Input((sizes[0],))]
    for i, width in enumerate(sizes[1:]):
        layers.append(keras.layers.Dense(
            width, activation="tanh" if i < len(sizes) - 2 else None,
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed + i),
            bias_initializer=keras.initializers.RandomUniform(-0.3, 0.3, seed=seed + 50 + i)))
    return keras.Sequential(layers)


def float32_tensor(array):
    return ops.convert_to_tensor(np.asarray(array, dtype=np.float32))
