"""Random streams for layers that draw noise (Dropout, GaussianNoise, ...)."""

from __future__ import annotations

from flax import nnx

from kernelkit.random import draw_seed

__all__ = ["seed_stream"]


def seed_stream(seed: int | None = None) -> nnx.RngStream:
    """An NNX random stream seeded by `seed`, or by the global seed when `seed` is None.

    Calling the stream returns a fresh key and advances its counter; the counter lives in the
    model's non-trainable state, so the pure training step threads it from step to step.

    Example:
        >>> stream = seed_stream(0)
        >>> k1, k2 = stream(), stream()
        >>> bool((k1 == k2).all())  # each call draws a new key
        False
    """
    return nnx.Rngs(seed=draw_seed() if seed is None else int(seed)).seed
