"""The global seed: `set_random_seed` and the keys that initializers and random layers draw."""

from __future__ import annotations

import random as _py_random
import threading

import jax
import numpy as np

__all__ = ["draw_seed", "next_key", "set_random_seed"]

_lock = threading.Lock()
_rng = np.random.default_rng()


def set_random_seed(seed: int) -> None:
    """Seeds Python, NumPy and kernelkit, so model construction and training repeat exactly.

    Example:
        >>> set_random_seed(0); a = draw_seed()
        >>> set_random_seed(0); a == draw_seed()
        True
    """
    global _rng
    if not isinstance(seed, int | np.integer) or isinstance(seed, bool):
        raise TypeError(
            f"set_random_seed: the seed must be an integer. Received: seed={seed!r}."
        )
    _py_random.seed(int(seed))
    np.random.seed(int(seed) % (2**32))
    with _lock:
        _rng = np.random.default_rng(int(seed))


def draw_seed() -> int:
    """Returns a fresh 31-bit seed from the global generator."""
    with _lock:
        return int(_rng.integers(0, 2**31 - 1))


def next_key(seed: int | None = None) -> jax.Array:
    """Returns a PRNG key: from `seed` when given, else from the global generator."""
    with jax.ensure_compile_time_eval():
        return jax.random.key(draw_seed() if seed is None else int(seed))
