"""Argument checks shared by the helpers: each raises with the argument's name and the value given."""

import numbers

import keras
import numpy as np


def positive_int(name, value, allow_zero=False):
    """Return `value` as an int if it is a whole number > 0 (or >= 0), else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be an integer, got {value!r} of type {type(value).__name__}.")
    low = 0 if allow_zero else 1
    if value < low:
        raise ValueError(f"`{name}` must be >= {low}, got {value}.")
    return int(value)


def positive_float(name, value, allow_zero=False):
    """Return `value` as a float if it is a finite number > 0 (or >= 0), else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a number, got {value!r} of type {type(value).__name__}.")
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"`{name}` must be a finite number {bound}, got {value}.")
    return float(value)


def array(name, value, ndim=None, last_dim=None, min_len=1):
    """Return `value` as a float64 NumPy array with the expected rank and last axis, else raise."""
    try:
        out = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"`{name}` must be an array of numbers, got {type(value).__name__}.") from err
    if out.ndim == 0:
        raise ValueError(f"`{name}` must be an array of samples, got the single number {value!r}.")
    if ndim is not None and out.ndim != ndim:
        raise ValueError(f"`{name}` must have {ndim} dimension(s), got shape {out.shape}.")
    if last_dim is not None and out.shape[-1] != last_dim:
        raise ValueError(f"`{name}` must have last dimension {last_dim}, got shape {out.shape}.")
    if len(out) < min_len:
        raise ValueError(f"`{name}` must hold at least {min_len} item(s), got {len(out)}.")
    if not np.all(np.isfinite(out)):
        raise ValueError(f"`{name}` must be finite; it holds NaN or inf.")
    return out


def one_of(name, value, choices):
    """Return `value` if it is one of `choices`, else raise listing them."""
    if value not in choices:
        raise ValueError(f"`{name}` must be one of {sorted(choices)}, got {value!r}.")
    return value


def keras_model(name, value):
    """Return `value` if it is a keras.Model, else raise."""
    if not isinstance(value, keras.Model):
        raise TypeError(f"`{name}` must be a keras.Model, got {type(value).__name__}.")
    return value


def function(name, value):
    """Return `value` if it is callable, else raise."""
    if not callable(value):
        raise TypeError(f"`{name}` must be callable, got {type(value).__name__}.")
    return value


def optimizer(name, value):
    """Return `value` if it is a keras.optimizers.Optimizer, else raise."""
    if not isinstance(value, keras.optimizers.Optimizer):
        raise TypeError(f"`{name}` must be a keras.optimizers.Optimizer, got {type(value).__name__}.")
    return value


def image_shape(name, value):
    """Return `value` as a (height, width, channels) tuple of ints >= 1, else raise."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 3:
        raise ValueError(f"`{name}` must be (height, width, channels), got {value!r}.")
    if not all(isinstance(d, numbers.Integral) and not isinstance(d, bool) and d >= 1 for d in value):
        raise ValueError(f"`{name}` must hold three ints >= 1, got {value!r}.")
    return tuple(int(d) for d in value)
