"""gan_keras.exercises: each checker accepts the right answer, rejects a typical wrong one, and never raises."""

import collections
import importlib
import math
import pathlib
import random
import re

import gan_keras as gk  # noqa: I001  (first: it loads Keras quietly on the chosen backend)
import numpy as np
import pytest
from keras import ops

from gan_keras import exercises

SOLUTIONS_DIR = pathlib.Path(__file__).resolve().parent.parent / "solutions"


# --- right and typical wrong answers, written as a student would ---------------------------------------------

def exponential_inverse_cdf(z):
    return -np.log1p(-z) / 2.0


def exponential_forgot_rate(z):
    return -np.log1p(-z)


def optimal_d(x):
    p_r, p_g = np.exp(-0.5 * x ** 2), np.exp(-0.5 * (x - 2.0) ** 2)
    return p_r / (p_r + p_g)


def optimal_d_fake(x):
    return 1.0 - optimal_d(x)


def non_saturating_loss(fake_logits):
    return ops.mean(ops.softplus(-fake_logits))


def non_saturating_loss_naive(fake_logits):
    return -ops.mean(ops.log(ops.sigmoid(fake_logits)))


def gradient_penalty(critic, real, fake, epsilon):
    x_hat = epsilon * real + (1.0 - epsilon) * fake
    _, grads = gk.autodiff.input_gradient(critic, x_hat)
    return ops.mean(ops.square(ops.sqrt(ops.sum(ops.square(grads), axis=1)) - 1.0))


def gradient_penalty_no_square(critic, real, fake, epsilon):
    x_hat = epsilon * real + (1.0 - epsilon) * fake
    _, grads = gk.autodiff.input_gradient(critic, x_hat)
    return ops.mean(ops.abs(ops.sqrt(ops.sum(ops.square(grads), axis=1)) - 1.0))


def gradient_penalty_numpy(critic, real, fake, epsilon):
    x_hat = epsilon * real + (1.0 - epsilon) * fake
    _, grads = gk.autodiff.input_gradient(critic, x_hat)
    return float(np.mean((np.linalg.norm(ops.convert_to_numpy(grads), axis=1) - 1.0) ** 2))


def cycle_loss(a, b, G, F):
    return ops.mean(ops.abs(F(G(a)) - a)) + ops.mean(ops.abs(G(F(b)) - b))


def cycle_loss_squared(a, b, G, F):
    return ops.mean(ops.square(F(G(a)) - a)) + ops.mean(ops.square(G(F(b)) - b))


def single_loss(D, G, real, z):
    fake = G(z)
    cut = ops.stop_gradient(fake)
    L_G = gk.losses.non_saturating_generator_loss
    return gk.losses.discriminator_loss(D(real), D(cut)) + L_G(D(fake)) - L_G(D(cut))


def single_loss_naive(D, G, real, z):
    fake = G(z)
    return (gk.losses.discriminator_loss(D(real), D(ops.stop_gradient(fake)))
            + gk.losses.non_saturating_generator_loss(D(fake)))


def single_loss_no_cut(D, G, real, z):
    fake = G(z)
    L_G = gk.losses.non_saturating_generator_loss
    return gk.losses.discriminator_loss(D(real), D(fake)) + L_G(D(fake)) - L_G(D(ops.stop_gradient(fake)))


def returns_none(*args):
    return None


def raises(*args):
    raise RuntimeError("oops")


Case = collections.namedtuple("Case", "right wrong wrong_kind")
SIGMOID_OF_LOGIT = 1.0 / (1.0 + math.exp(4.0))
NORMAL_CDF_HALF = 0.5 * (1.0 + math.erf(0.5 / math.sqrt(2.0)))   # Φ(½)
NORMAL_CDF_ONE = 0.5 * (1.0 + math.erf(1.0 / math.sqrt(2.0)))    # Φ(1)
NUMBERS = {
    "check_sorted_w1": Case(0.875, 2.125, "0.875"),
    "check_best_accuracy": Case(NORMAL_CDF_HALF, NORMAL_CDF_ONE, "0.69"),
    "check_js_half_overlap": Case(0.5 * math.log(2.0), math.log(2.0), np.array([0.7, 0.7])),
    "check_c_of_g_uniform": Case(-math.log(4.0) + 1.5 * math.log(4.0 / 3.0), 1.5 * math.log(4.0 / 3.0), "-0.95"),
    "check_saturating_gradient": Case(-SIGMOID_OF_LOGIT, SIGMOID_OF_LOGIT, [0.1]),
    "check_instance_noise_kl": Case(0.72, 1.44, float("nan")),
    "check_penalised_critic_gap": Case(2.4, 2.0, "2.4"),
    "check_kl_collapse": Case(0.75 * math.log(6.0) + 0.25 * math.log(2.0), math.log(8.0), True),
    "check_effective_modes": Case(math.exp(-0.7 * math.log(0.7) - 0.3 * math.log(0.1)), 4, np.ones((2, 2))),
    "check_packed_collapse_loss": Case(math.log(65.0), 2.0 * math.log(9.0), "4.17"),
    "check_w1_shifted": Case(2.5, 3.5, {"W1": 2.5}),
    "check_clipped_lipschitz": Case(0.01 * math.sqrt(2.0), 0.01, 1j),
    "check_clipped_mlp_lipschitz": Case(0.01 ** 4 * 128 ** 3 * math.sqrt(2.0), 0.01 * math.sqrt(2.0), "0.03"),
    "check_receptive_field": Case(17, 13, "17x17"),
    "check_pool_lifetime": Case(12.5, 6.25, float("inf")),
    "check_lsgan_optimal_d": Case(0.25, 0.75, "0.25"),
    "check_simultaneous_growth": Case(1.01 ** 50, 1.0, exponential_inverse_cdf),
    "check_critical_damping": Case(0.75, 1.0, "0.75"),
    "check_transposed_output_size": Case(8, 6, "8x8"),
    "check_frechet_gaussians": Case(7.0, 5.0, np.array([5.0, 2.0])),
    "check_fd_floor_mean_term": Case(0.32, 0.16, [0.32]),
}
PAIRS = {
    "check_forward_kl_fit": Case((1.1, math.sqrt(2.14)), (1.1, math.sqrt(1.89)), (1.1, 1.46, 0.0)),
}
FUNCTIONS = {
    "check_inverse_cdf": Case(exponential_inverse_cdf, exponential_forgot_rate, 2.0),
    "check_optimal_d": Case(optimal_d, optimal_d_fake, 0.5),
    "check_non_saturating_loss": Case(non_saturating_loss, non_saturating_loss_naive, "softplus"),
    "check_gradient_penalty": Case(gradient_penalty, gradient_penalty_no_square, np.zeros(3)),
    "check_cycle_loss": Case(cycle_loss, cycle_loss_squared, 0.1),
    "check_single_loss": Case(single_loss, single_loss_naive, 1.386),
}
CASES = {**NUMBERS, **PAIRS, **FUNCTIONS}


def verdict(capsys, name, answer):
    """(what the checker returned, what it printed)."""
    result = getattr(exercises, name)(answer)
    return result, capsys.readouterr().out


def test_every_checker_has_cases_here_and_every_lesson_two_exercises():
    checkers = [name for name in dir(exercises) if name.startswith("check_")]
    assert sorted(checkers) == sorted(CASES)
    lessons = collections.Counter(re.match(r"Lesson (\d\d):", getattr(exercises, name).__doc__).group(1)
                                  for name in checkers)
    with_solutions = sorted(p.name[:2] for p in SOLUTIONS_DIR.glob("[0-9]*_solutions.ipynb"))  # lessons 01 onward
    assert with_solutions and sorted(lessons) == with_solutions
    assert min(lessons.values()) >= 2, f"a lesson has fewer than two exercises: {dict(lessons)}"


def test_each_lesson_module_exposes_exactly_its_own_checkers():
    """`gk.exercises.check_*` is the union of the lesson modules' `__all__`; each checker says its lesson."""
    modules = sorted(p.stem for p in pathlib.Path(exercises.__file__).parent.glob("lesson[0-9][0-9].py"))
    exposed = []
    for name in modules:
        module = importlib.import_module(f"gan_keras.exercises.{name}")
        assert sorted(module.__all__) == sorted(n for n in dir(module) if n.startswith("check_")), name
        for checker in module.__all__:
            assert getattr(exercises, checker) is getattr(module, checker)
            assert getattr(module, checker).__doc__.startswith(f"Lesson {name[-2:]}:"), checker
        exposed += module.__all__
    assert sorted(exposed) == sorted(n for n in dir(exercises) if n.startswith("check_"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_right_answer_is_accepted(capsys, name):
    result, out = verdict(capsys, name, CASES[name].right)
    assert result is True
    assert out.startswith("Right: ") and out.count("\n") == 1


@pytest.mark.parametrize("name", sorted(CASES))
def test_typical_wrong_answer_is_rejected_with_a_hint(capsys, name):
    result, out = verdict(capsys, name, CASES[name].wrong)
    assert result is False
    assert out.startswith("Not yet: ") and len(out) > len("Not yet: ") + 20


@pytest.mark.parametrize("name", sorted(CASES))
def test_placeholder_says_no_answer_yet(capsys, name):
    placeholders = [None, returns_none] if name in FUNCTIONS else [None, ...]
    for placeholder in placeholders:
        result, out = verdict(capsys, name, placeholder)
        assert result is False
        assert out.startswith("No answer yet: ")


@pytest.mark.parametrize("name", sorted(CASES))
def test_wrong_kind_says_what_was_expected(capsys, name):
    result, out = verdict(capsys, name, CASES[name].wrong_kind)
    assert result is False
    assert out.startswith("Wrong kind of answer: expected ")


@pytest.mark.parametrize("name", sorted(NUMBERS))
def test_an_integer_too_large_for_a_float_is_a_wrong_kind_not_an_error(capsys, name):
    result, out = verdict(capsys, name, 10 ** 400)
    assert result is False and out.startswith("Wrong kind of answer: expected ") and "too large" in out


@pytest.mark.parametrize("name", sorted(NUMBERS))
def test_numbers_come_as_python_numpy_or_0d_tensor_but_not_as_arrays(capsys, name):
    right = NUMBERS[name].right
    for answer in (np.float32(right), np.float64(right), ops.convert_to_tensor(np.float32(right))):
        assert verdict(capsys, name, answer)[0] is True
    for answer in (np.array([right]), ops.convert_to_tensor([right]), [right], str(right), True, float("nan")):
        result, out = verdict(capsys, name, answer)
        assert result is False and out.startswith("Wrong kind of answer: expected ")


@pytest.mark.parametrize("name", sorted(NUMBERS) + sorted(PAIRS))
def test_verdicts_never_show_the_answer(capsys, name):
    case = CASES[name]
    right = case.right if name in NUMBERS else case.right[1]   # the pair's μ = 1.1 is shown as a bump's weight
    printed = "".join(verdict(capsys, name, answer)[1] for answer in (case.right, case.wrong, None, case.wrong_kind))
    for digits in {format(right, ".3g"), format(right, ".4g"), format(right, ".6g")}:
        assert digits not in printed, f"{name} printed {digits}"


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_a_function_that_raises_is_reported_not_raised(capsys, name):
    result, out = verdict(capsys, name, raises)
    assert result is False
    assert out.startswith("Not yet: ") and "RuntimeError: oops" in out and "Traceback" not in out


def test_a_function_with_the_wrong_output_shape_is_a_wrong_kind(capsys):
    result, out = verdict(capsys, "check_inverse_cdf", lambda z: z[:5])
    assert result is False and "shape (199,)" in out
    result, out = verdict(capsys, "check_cycle_loss", lambda a, b, G, F: ops.abs(F(G(a)) - a))
    assert result is False and out.startswith("Wrong kind of answer: ") and "one number" in out


def test_best_accuracy_names_the_total_variation_percent_and_chance_slips(capsys):
    for wrong, words in [(2.0 * NORMAL_CDF_HALF - 1.0, "total-variation"), (100.0 * NORMAL_CDF_HALF, "percent"),
                         (0.5, "chance")]:
        result, out = verdict(capsys, "check_best_accuracy", wrong)
        assert result is False and words in out


def test_inverse_cdf_takes_either_monotone_map_and_names_the_cdf_mistake(capsys):
    assert verdict(capsys, "check_inverse_cdf", lambda z: -ops.log(z) / 2.0)[0] is True
    result, out = verdict(capsys, "check_inverse_cdf", lambda z: 1.0 - np.exp(-2.0 * z))
    assert result is False and "inverse" in out


def test_naive_non_saturating_loss_fails_on_large_logits_only(capsys):
    result, out = verdict(capsys, "check_non_saturating_loss", non_saturating_loss_naive)
    assert "right for moderate logits" in out and "−200" in out
    result, out = verdict(capsys, "check_non_saturating_loss", lambda t: -ops.mean(ops.softplus(t)))
    assert result is False and "saturating loss" in out
    result, out = verdict(capsys, "check_non_saturating_loss", lambda t: ops.mean(ops.log1p(ops.exp(-t))))
    assert result is False and "overflows" in out and "exp(200)" in out


@pytest.mark.parametrize("name, rounded", [("check_js_half_overlap", 0.35), ("check_best_accuracy", 0.69),
                                           ("check_kl_collapse", 1.52), ("check_packed_collapse_loss", 4.17)])
def test_a_rounded_answer_gets_a_cue_to_the_precision(capsys, name, rounded):
    result, out = verdict(capsys, name, rounded)
    assert result is False and "rounded" in out and "0.1 %" in out


@pytest.mark.parametrize("name, wrong", [("check_js_half_overlap", 0.9), ("check_js_half_overlap", 0.33),
                                         ("check_instance_noise_kl", 0.71), ("check_saturating_gradient", -0.0177)])
def test_a_wrong_answer_near_the_right_one_gets_no_rounding_cue(capsys, name, wrong):
    result, out = verdict(capsys, name, wrong)
    assert result is False and "rounded" not in out


def test_a_typical_mistake_near_the_answer_gets_its_own_hint_not_the_rounding_cue(capsys):
    result, out = verdict(capsys, "check_js_half_overlap", 0.5)
    assert result is False and "bits" in out
    sigma = 1.0 / (1.0 + math.exp(4.0))
    result, out = verdict(capsys, "check_saturating_gradient", -sigma * (1.0 - sigma))   # 1.8 % off the answer
    assert result is False and "divides by 1 − σ" in out
    result, out = verdict(capsys, "check_saturating_gradient", -math.exp(-4.0))          # 1.8 % off the answer
    assert result is False and "cancels" in out


@pytest.mark.parametrize("name, typed, cue", [("check_instance_noise_kl", 0.69, "log 2 is the JS"),
                                               ("check_packed_collapse_loss", 0.693, "log 2 is G's loss")])
def test_a_typical_mistake_typed_rounded_gets_its_own_hint(capsys, name, typed, cue):
    result, out = verdict(capsys, name, typed)
    assert result is False and cue in out and "rounded" not in out


def test_a_rounded_sigma_in_the_forward_kl_fit_gets_the_cue_to_the_precision_or_its_mistake(capsys):
    result, out = verdict(capsys, "check_forward_kl_fit", (1.1, 1.46))
    assert result is False and "rounded" in out and "0.1 %" in out
    assert "own variance to the spread" in verdict(capsys, "check_forward_kl_fit", (1.1, 1.37))[1]   # √spread, rounded
    assert "σ², the variance" in verdict(capsys, "check_forward_kl_fit", (1.1, 2.1))[1]             # σ², rounded


@pytest.mark.parametrize("name, typed, wrong_cue", [
    ("check_c_of_g_uniform", -1.38, "−log 4 is C(G) only"),   # the bits answer rounded, −log 4 cut: either
    ("check_kl_collapse", 2.1, "in bits"),                     # log 8 rounded, the bits answer cut: either
    ("check_forward_kl_fit", (1.1, 1.4), "rounded"),           # √spread rounded, the right σ cut: either
])
def test_a_shortened_value_that_could_be_two_answers_gets_the_neutral_hint(capsys, name, typed, wrong_cue):
    result, out = verdict(capsys, name, typed)
    assert result is False and wrong_cue not in out


def test_a_student_rounding_half_up_gets_the_cue_to_the_precision(capsys):
    result, out = verdict(capsys, "check_pool_lifetime", 13)   # the answer 12.5, rounded half up
    assert result is False and "rounded" in out


def test_gradient_penalty_must_stay_differentiable(capsys):
    result, out = verdict(capsys, "check_gradient_penalty", gradient_penalty_numpy)
    assert result is False and "weights" in out


def test_single_loss_names_the_player_whose_gradient_is_wrong(capsys):
    result, out = verdict(capsys, "check_single_loss", single_loss_naive)
    assert result is False and "G's gradient is right, D's is not" in out
    result, out = verdict(capsys, "check_single_loss", single_loss_no_cut)
    assert result is False and "D's gradient is right, G's is not" in out


def test_forward_kl_fit_tells_the_reverse_kl_fit_apart(capsys):
    result, out = verdict(capsys, "check_forward_kl_fit", (2.0, 0.5))
    assert result is False and "reverse-KL" in out
    assert verdict(capsys, "check_forward_kl_fit", np.array([1.1, math.sqrt(2.14)]))[0] is True


def test_penalised_critic_gap_names_each_typical_slip(capsys):
    for answer, words in [(2.0, "exact W1"), (1.2, "best slope"), (2.8, "factor 2"), (2.2, "average")]:
        result, out = verdict(capsys, "check_penalised_critic_gap", answer)
        assert result is False and words in out


def test_checkers_leave_the_global_random_state_alone(capsys):
    """A student may run an exercise mid-lesson: the lesson's random streams (Python's, which seeds Keras'
    initializers, and NumPy's) must not move."""
    python_state, numpy_state = random.getstate(), np.random.get_state()
    for name in FUNCTIONS:
        verdict(capsys, name, FUNCTIONS[name].right)
    assert random.getstate() == python_state
    assert np.array_equal(np.random.get_state()[1], numpy_state[1])


def test_lesson08_checkers_name_each_typical_slip(capsys):
    for name, answer, words in [("check_transposed_output_size", 0.5, "forward"),
                                ("check_transposed_output_size", 5, "corners"),
                                ("check_frechet_gaussians", 15.0, "subtracts"),
                                ("check_frechet_gaussians", math.sqrt(7.0), "squared"),
                                ("check_fd_floor_mean_term", 0.0, "not 0"),
                                ("check_fd_floor_mean_term", 0.005, "one feature")]:
        result, out = verdict(capsys, name, answer)
        assert result is False and words in out, (name, answer, out)
