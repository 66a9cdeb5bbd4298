"""Shared helpers of the `kernelkit.ops` tests: compare an op's outputs with Keras's."""

from __future__ import annotations

import numpy as np
import pytest

from kernelkit.ops.dtypes import standardize_dtype

__all__ = ["assert_same_outputs"]


def _leaves(out):
    if isinstance(out, tuple | list):
        return [leaf for item in out for leaf in _leaves(item)]
    return [out]


def _dtype_name(value):
    if hasattr(value, "dtype"):
        return standardize_dtype(value.dtype)
    return type(value).__name__


def assert_same_outputs(ours, theirs, rtol=None, atol=None):
    """Same structure, shapes, dtypes and values (NaN equal to NaN) as Keras's outputs."""
    ours_leaves, theirs_leaves = _leaves(ours), _leaves(theirs)
    assert len(ours_leaves) == len(theirs_leaves), (len(ours_leaves), len(theirs_leaves))
    for a, b in zip(ours_leaves, theirs_leaves):
        assert _dtype_name(a) == _dtype_name(b), f"dtype {_dtype_name(a)} != {_dtype_name(b)}"
        a_np, b_np = np.asarray(a), np.asarray(b)
        assert a_np.shape == b_np.shape, f"shape {a_np.shape} != {b_np.shape}"
        if a_np.dtype.kind in "biu":
            np.testing.assert_array_equal(a_np, b_np)
            continue
        low_precision = _dtype_name(a) in ("float16", "bfloat16")
        dtype = "complex64" if a_np.dtype.kind == "c" else "float32"
        np.testing.assert_allclose(
            a_np.astype(dtype), b_np.astype(dtype), equal_nan=True,
            rtol=rtol or (2e-2 if low_precision else 1e-5),
            atol=atol or (2e-2 if low_precision else 1e-5))


@pytest.fixture(scope="session")
def same_outputs():
    """`assert_same_outputs` as a fixture, for test modules that prefer fixtures."""
    return assert_same_outputs
