"""The input checks of `kernelkit.ops.linalg`, as Keras makes them (rank, squareness, `b`)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

__all__ = ["eager_nan_check", "matrix", "right_hand_side"]


def matrix(op: str, x, square: bool = False, arg: str = "x"):
    """`x` as an array of rank >= 2 (and square when asked), else a ValueError naming `op`."""
    x = jnp.asarray(x)
    if x.ndim < 2:
        raise ValueError(
            f"ops.{op}: `{arg}` must have rank >= 2. Expected a matrix or a batch of "
            f"matrices. Received: {arg} of shape {tuple(x.shape)}. Add the missing axes."
        )
    if square and x.shape[-1] != x.shape[-2]:
        raise ValueError(
            f"ops.{op}: `{arg}` must be square. Expected shape (..., N, N). Received: "
            f"{arg} of shape {tuple(x.shape)}."
        )
    return x


def right_hand_side(op: str, a, b):
    """`b` checked against `a` as Keras checks it: rank >= 1 and a matching leading size."""
    b = jnp.asarray(b)
    if b.ndim < 1:
        raise ValueError(
            f"ops.{op}: `b` must have rank >= 1. Expected a vector or a matrix. Received: b "
            "of shape ()."
        )
    axis = -2 if a.ndim == b.ndim else -1
    if a.ndim in (b.ndim, b.ndim + 1) and a.shape[axis] != b.shape[axis]:
        raise ValueError(
            f"ops.{op}: incompatible shapes of `a` and `b`. Expected a.shape[{axis}] == "
            f"b.shape[{axis}]. Received: a.shape={tuple(a.shape)}, b.shape={tuple(b.shape)}."
        )
    return b


def eager_nan_check(out, op: str, what: str):
    """Raises `ValueError` for NaNs in an eager factorization (a traced one passes as is)."""
    if not isinstance(out, jax.core.Tracer) and bool(jnp.any(jnp.isnan(out))):
        raise ValueError(
            f"ops.{op}: {what} failed. Expected a symmetric positive definite matrix. "
            "Received: a matrix whose factorization has NaNs. Check that the input is "
            "symmetric with positive eigenvalues."
        )
    return out
