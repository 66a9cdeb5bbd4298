"""Random transforms of a given array: `dropout` and `shuffle`, keyed by `seed=`."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.random.seed_generator import to_key

__all__ = ["dropout", "shuffle"]


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes each entry with probability `rate` and scales the others by `1 / (1 - rate)`.

    Args:
        inputs: The array.
        rate: Drop probability, in `[0, 1]`.
        noise_shape: Optional shape of the keep/drop mask, broadcast against `inputs`; `None`
            entries take the size of `inputs` on that axis.
        seed: An int, a `SeedGenerator` or None, as in `kernelkit.random.normal`.

    Returns:
        An array like `inputs`.

    Example:
        >>> import numpy as np
        >>> sorted(set(dropout(np.ones((4, 8)), 0.5, seed=0).ravel().tolist()))
        [0.0, 2.0]
    """
    inputs = jnp.asarray(inputs)
    if rate == 1.0:
        return jnp.zeros_like(inputs)
    if rate == 0.0:
        return inputs
    key = to_key(seed, "dropout")
    keep_prob = 1.0 - rate
    if noise_shape is None:
        noise_shape = inputs.shape
    else:
        noise_shape = tuple(n if d is None else d for d, n in zip(noise_shape, inputs.shape))
    keep = jnp.broadcast_to(jax.random.bernoulli(key, p=keep_prob, shape=noise_shape),
                            inputs.shape)
    return jax.lax.select(keep, inputs / keep_prob, jnp.zeros_like(inputs))


def shuffle(x, axis=0, seed=None):
    """Shuffles the values of `x` along `axis`, as Keras's JAX backend does.

    Each 1-D vector along `axis` is permuted independently (for a 2-D `x` and `axis=0`,
    every column gets its own permutation).

    Args:
        x: The array.
        axis: The axis to shuffle.
        seed: An int, a `SeedGenerator` or None, as in `kernelkit.random.normal`.

    Returns:
        A permutation of `x` along `axis`.

    Example:
        >>> import numpy as np
        >>> sorted(shuffle(np.arange(5), seed=0).tolist())
        [0, 1, 2, 3, 4]
    """
    return jax.random.permutation(to_key(seed, "shuffle"), jnp.asarray(x), axis,
                                  independent=True)
