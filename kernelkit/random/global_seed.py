"""The global seed: `set_random_seed` and the keys that initializers and random layers draw."""

from __future__ import annotations

import random as _py_random
import threading

import jax
import jax.numpy as jnp
import numpy as np

__all__ = ["draw_seed", "get_generator_state", "next_key", "set_generator_state",
           "set_random_seed"]

_lock = threading.Lock()
_rng = np.random.default_rng()


def _check_seed(seed, who: str) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(
            f"{who}: the seed must be an integer. Expected a Python or NumPy int. "
            f"Received: seed={seed!r} of type {type(seed).__name__}. Pass an int such as 1337."
        )
    return int(seed)


def set_random_seed(seed: int) -> None:
    """Seeds Python, NumPy and kernelkit, so model construction and training repeat exactly.

    Args:
        seed: An integer.

    Raises:
        TypeError: if `seed` is not an integer.

    Example:
        >>> set_random_seed(0); a = draw_seed()
        >>> set_random_seed(0); a == draw_seed()
        True
    """
    global _rng
    seed = _check_seed(seed, "set_random_seed")
    _py_random.seed(seed)
    np.random.seed(seed % (2**32))
    with _lock:
        _rng = np.random.default_rng(seed % (2**64))


def draw_seed() -> int:
    """Returns a fresh 31-bit seed from the global generator.

    Example:
        >>> 0 <= draw_seed() < 2**31
        True
    """
    with _lock:
        return int(_rng.integers(0, 2**31 - 1))


def next_key(seed: int | None = None) -> jax.Array:
    """Returns a PRNG key: from `seed` when given, else from the global generator.

    An integer seed gives the key Keras 3's JAX backend builds from it (the raw key data
    `[seed, 0]`), so a seeded kernelkit initializer draws exactly what the Keras one draws.

    Args:
        seed: An integer, or None to draw one from the global generator.

    Returns:
        A typed PRNG key.

    Raises:
        TypeError: if `seed` is neither None nor an integer.

    Example:
        >>> bool((jax.random.key_data(next_key(3)) == jax.random.key_data(next_key(3))).all())
        True
    """
    seed = draw_seed() if seed is None else _check_seed(seed, "next_key")
    with jax.ensure_compile_time_eval():
        if jax.config.jax_default_prng_impl != "threefry2x32":
            return jax.random.key(seed)
        data = jnp.array([seed & 0xFFFFFFFF, 0], dtype=jnp.uint32)
        return jax.random.wrap_key_data(data)


def get_generator_state() -> dict:
    """The global generator's state (a JSON-friendly dict), for checkpoints that resume runs.

    Example:
        >>> state = get_generator_state(); a = draw_seed()
        >>> set_generator_state(state); a == draw_seed()
        True
    """
    with _lock:
        return dict(_rng.bit_generator.state)


def set_generator_state(state: dict) -> None:
    """Puts the global generator back into a state from `get_generator_state()`.

    Args:
        state: A dict returned by `get_generator_state()`.

    Raises:
        ValueError: if `state` is not such a state.

    Example:
        >>> state = get_generator_state(); a = draw_seed()
        >>> set_generator_state(state); a == draw_seed()
        True
    """
    global _rng
    try:
        rng = np.random.default_rng()
        rng.bit_generator.state = state
    except (TypeError, ValueError, KeyError) as e:
        raise ValueError(
            "set_generator_state: not a generator state. Expected the dict returned by "
            f"get_generator_state(). Received: state of type {type(state).__name__}."
        ) from e
    with _lock:
        _rng = rng
