"""Random initializers drawing from normal, truncated normal and uniform distributions."""

from __future__ import annotations

import jax
import numpy as np

from kernelkit import registry
from kernelkit.initializers.initializer import Initializer, _float_dtype, _register
from kernelkit.random import draw_seed, next_key

__all__ = ["RandomNormal", "RandomUniform", "TruncatedNormal"]


class _RandomInitializer(Initializer):
    """Holds Keras's seed rule: an int seed repeats; `None` draws one now, from the global seed.

    Either way an instance returns the same values on every call, as in Keras 3; `clone()`
    an unseeded initializer for fresh values.
    """

    def __init__(self, seed=None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)):
            raise registry.IdentifierTypeError(
                f"{type(self).__name__}: the seed must be an integer or None. Expected e.g. "
                f"seed=1337. Received: seed={seed!r} of type {type(seed).__name__}. Pass an int, "
                "or None to draw one from kernelkit.random.set_random_seed's generator."
            )
        self._init_seed = None if seed is None else int(seed)
        self.seed = draw_seed() if seed is None else int(seed)

    def _key(self):
        return next_key(self.seed)

    def get_config(self):
        return {"seed": self._init_seed}


def _normal(key, shape, dtype, mean, stddev, truncated):
    with jax.ensure_compile_time_eval():
        if truncated:
            sample = jax.random.truncated_normal(key, -2.0, 2.0, shape=shape, dtype=dtype)
        else:
            sample = jax.random.normal(key, shape=shape, dtype=dtype)
        return sample * stddev + mean


@_register("random_normal", "normal")
class RandomNormal(_RandomInitializer):
    """Draws from a normal distribution.

    Args:
        mean: Mean of the values. Defaults to `0.0`.
        stddev: Standard deviation. Defaults to `0.05`.
        seed: An int for repeatable values, or None (a seed drawn from the global generator).

    Example:
        >>> RandomNormal(seed=0)((2, 3)).shape
        (2, 3)
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev = mean, stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        dtype = _float_dtype(type(self).__name__, dtype)
        return _normal(self._key(), shape, dtype, self.mean, self.stddev, truncated=False)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@_register("truncated_normal")
class TruncatedNormal(_RandomInitializer):
    """Draws from a normal distribution, redrawing values beyond two standard deviations.

    Args:
        mean: Mean of the values. Defaults to `0.0`.
        stddev: Standard deviation before truncation. Defaults to `0.05`.
        seed: An int for repeatable values, or None.

    Example:
        >>> bool((abs(TruncatedNormal(stddev=1.0, seed=0)((100,))) <= 2.0).all())
        True
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev = mean, stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        dtype = _float_dtype(type(self).__name__, dtype)
        return _normal(self._key(), shape, dtype, self.mean, self.stddev, truncated=True)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@_register("random_uniform", "uniform")
class RandomUniform(_RandomInitializer):
    """Draws uniformly from `[minval, maxval)`.

    Args:
        minval: Lower bound. Defaults to `-0.05`.
        maxval: Upper bound (excluded). Defaults to `0.05`.
        seed: An int for repeatable values, or None.

    Example:
        >>> bool((RandomUniform(0.0, 1.0, seed=0)((10,)) < 1.0).all())
        True
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval = minval, maxval
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        dtype = _float_dtype(type(self).__name__, dtype)
        with jax.ensure_compile_time_eval():
            return jax.random.uniform(self._key(), shape=shape, dtype=dtype,
                                      minval=self.minval, maxval=self.maxval)

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}
