"""Draws from distributions (`keras.random.normal`, `uniform`, `gamma`, ...), keyed by `seed=`.

With an integer seed each function returns exactly the numbers Keras 3's JAX backend returns
for that seed; with a `SeedGenerator` it draws from the generator's state and advances it.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from kernelkit import config
from kernelkit.random.seed_generator import to_key

__all__ = ["beta", "binomial", "categorical", "gamma", "normal", "randint", "truncated_normal",
           "uniform"]


def _dtype_kind(name: str, dtype, kind, default):
    dtype = default if dtype is None else dtype
    try:
        resolved = np.dtype(jnp.dtype(dtype))
    except TypeError as e:
        raise ValueError(
            f"kernelkit.random.{name}: unknown `dtype`. Expected a dtype name such as "
            f"'float32'. Received: dtype={dtype!r}."
        ) from e
    if not jnp.issubdtype(resolved, kind):
        wanted = "a floating point" if kind is jnp.floating else "an integer"
        raise ValueError(
            f"kernelkit.random.{name}: requires {wanted} `dtype`. Expected {wanted} dtype. "
            f"Received: dtype={dtype!r}. Pass e.g. "
            f"{'float32' if kind is jnp.floating else 'int32'}."
        )
    return resolved.name


def _shape(shape) -> tuple:
    return (int(shape),) if isinstance(shape, int | np.integer) else tuple(shape)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws from a normal (Gaussian) distribution.

    Args:
        shape: Shape of the output.
        mean: Mean of the distribution.
        stddev: Standard deviation of the distribution.
        dtype: A float dtype (default `kernelkit.config.floatx()`).
        seed: An int (the same numbers at every call), a `SeedGenerator` (new numbers at
            every call) or None (the global seed).

    Returns:
        An array of `shape`.

    Example:
        >>> normal((2, 3), seed=0).shape
        (2, 3)
    """
    dtype = _dtype_kind("normal", dtype, jnp.floating, config.floatx())
    return jax.random.normal(to_key(seed, "normal"), shape=_shape(shape), dtype=dtype) \
        * stddev + mean


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Draws from a uniform distribution on `[minval, maxval)`.

    Args:
        shape: Shape of the output.
        minval: Lower bound (inclusive).
        maxval: Upper bound (exclusive).
        dtype: A float dtype (default `kernelkit.config.floatx()`).
        seed: An int, a `SeedGenerator` or None, as in `normal`.

    Returns:
        An array of `shape`.

    Raises:
        ValueError: if `dtype` is not a float dtype.

    Example:
        >>> x = uniform((100,), minval=2.0, maxval=3.0, seed=1)
        >>> bool((x >= 2).all() and (x < 3).all())
        True
    """
    dtype = _dtype_kind("uniform", dtype, jnp.floating, config.floatx())
    return jax.random.uniform(to_key(seed, "uniform"), shape=_shape(shape), dtype=dtype,
                              minval=minval, maxval=maxval)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws from a normal distribution cut at two standard deviations from the mean.

    Args:
        shape: Shape of the output.
        mean: Mean of the (untruncated) distribution.
        stddev: Standard deviation of the (untruncated) distribution.
        dtype: A float dtype (default `kernelkit.config.floatx()`).
        seed: An int, a `SeedGenerator` or None, as in `normal`.

    Returns:
        An array of `shape`, every value within `mean ± 2 * stddev`.

    Example:
        >>> bool((abs(truncated_normal((1000,), seed=0)) <= 2).all())
        True
    """
    dtype = _dtype_kind("truncated_normal", dtype, jnp.floating, config.floatx())
    sample = jax.random.truncated_normal(to_key(seed, "truncated_normal"), lower=-2.0,
                                         upper=2.0, shape=_shape(shape), dtype=dtype)
    return sample * stddev + mean


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Draws integers uniformly from `[minval, maxval)`.

    Args:
        shape: Shape of the output.
        minval: Lower bound (inclusive).
        maxval: Upper bound (exclusive).
        dtype: An integer dtype.
        seed: An int, a `SeedGenerator` or None, as in `normal`.

    Returns:
        An integer array of `shape`.

    Raises:
        ValueError: if `dtype` is not an integer dtype.

    Example:
        >>> x = randint((50,), 0, 3, seed=0)
        >>> str(x.dtype), sorted(set(x.tolist()))
        ('int32', [0, 1, 2])
    """
    dtype = _dtype_kind("randint", dtype, jnp.integer, "int32")
    return jax.random.randint(to_key(seed, "randint"), shape=_shape(shape), dtype=dtype,
                              minval=minval, maxval=maxval)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draws class indices from the categorical distributions given by rows of `logits`.

    Args:
        logits: A 2-D array `(batch_size, num_classes)` of unnormalized log-probabilities.
        num_samples: Number of samples drawn for each row.
        dtype: Dtype of the output.
        seed: An int, a `SeedGenerator` or None, as in `normal`.

    Returns:
        An array `(batch_size, num_samples)` of class indices.

    Raises:
        ValueError: if `logits` is not 2-D.

    Example:
        >>> import numpy as np
        >>> categorical(np.log([[0.0001, 0.9999]]), 4, seed=0).tolist()
        [[1, 1, 1, 1]]
    """
    logits = jnp.asarray(logits)
    if logits.ndim != 2:
        raise ValueError(
            "kernelkit.random.categorical: `logits` must be 2-D. Expected shape "
            f"(batch_size, num_classes). Received: logits of shape {tuple(logits.shape)}. "
            "Reshape it to two axes."
        )
    shape = (logits.shape[0], int(num_samples))
    out = jax.random.categorical(to_key(seed, "categorical"), logits[..., None], shape=shape,
                                 axis=1)
    return out.astype(dtype)


def gamma(shape, alpha, dtype=None, seed=None):
    """Draws from a gamma distribution with concentration `alpha` (and scale 1).

    Args:
        shape: Shape of the output.
        alpha: Concentration parameter (a float, or an array broadcast against `shape`).
        dtype: A float dtype (default `kernelkit.config.floatx()`).
        seed: An int, a `SeedGenerator` or None, as in `normal`.

    Returns:
        An array of `shape`.

    Example:
        >>> bool((gamma((10,), alpha=2.0, seed=0) > 0).all())
        True
    """
    dtype = _dtype_kind("gamma", dtype, jnp.floating, config.floatx())
    return jax.random.gamma(to_key(seed, "gamma"), alpha, shape=_shape(shape), dtype=dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Draws the number of successes of `counts` trials that succeed with `probabilities`.

    Args:
        shape: Shape of the output.
        counts: Number of trials (a number or an array broadcast against `shape`).
        probabilities: Success probability of each trial (idem).
        dtype: A float dtype (default `kernelkit.config.floatx()`).
        seed: An int, a `SeedGenerator` or None, as in `normal`.

    Returns:
        An array of `shape` with values in `[0, counts]`.

    Example:
        >>> binomial((3,), counts=5, probabilities=1.0, seed=0).tolist()
        [5.0, 5.0, 5.0]
    """
    dtype = _dtype_kind("binomial", dtype, jnp.floating, config.floatx())
    return jax.random.binomial(to_key(seed, "binomial"), jnp.asarray(counts),
                               jnp.asarray(probabilities), shape=_shape(shape), dtype=dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Draws from a beta distribution with parameters `alpha` and `beta`.

    Args:
        shape: Shape of the output.
        alpha: First concentration parameter (a float or a broadcastable array).
        beta: Second concentration parameter (idem).
        dtype: A float dtype (default `kernelkit.config.floatx()`).
        seed: An int, a `SeedGenerator` or None, as in `normal`.

    Returns:
        An array of `shape` with values in `[0, 1]`.

    Example:
        >>> x = beta((100,), alpha=2.0, beta=5.0, seed=0)
        >>> bool((x >= 0).all() and (x <= 1).all())
        True
    """
    dtype = _dtype_kind("beta", dtype, jnp.floating, config.floatx())
    return jax.random.beta(to_key(seed, "beta"), jnp.asarray(alpha), jnp.asarray(beta),
                           shape=_shape(shape), dtype=dtype)
