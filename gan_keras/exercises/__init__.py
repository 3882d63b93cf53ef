"""Exercises that check themselves: one `check_*` function per exercise of every lesson, as `gk.exercises.check_*`.

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

One module per lesson, `lessonNN.py`, lists its checkers in `__all__`; `checking.py` holds what they share.
A new lesson adds its module and one line below, `from .lessonNN import *`.
"""

from .lesson01 import *  # noqa: F403
from .lesson02 import *  # noqa: F403
from .lesson03 import *  # noqa: F403
from .lesson04 import *  # noqa: F403
from .lesson05 import *  # noqa: F403
from .lesson06 import *  # noqa: F403
from .lesson07 import *  # noqa: F403
from .lesson08 import *  # noqa: F403
