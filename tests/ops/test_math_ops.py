"""`kernelkit.ops.math` against `keras.ops`: fft/stft, segments, top_k, erf and friends."""

import jax
import numpy as np
import pytest

import kernelkit as kk
from kernelkit import ops
from kernelkit.ops.dtypes import standardize_dtype
from tests.keras_oracle import keras
from tests.ops.test_nn_ops import assert_same, jitted, rand, same_or_same_error

MATH_NAMES = ["cdist", "erf", "erfc", "erfinv", "extract_sequences", "fft", "fft2", "ifft2",
              "in_top_k", "irfft", "istft", "logdet", "logsumexp", "rfft", "rsqrt", "segment_max",
              "segment_min", "segment_prod", "segment_sum", "stft", "top_k", "view_as_complex",
              "view_as_real"]


def test_keras_top_level_names_outside_the_families_are_math_or_core():
    families = {"image", "linalg", "nn", "numpy"}
    in_families = set().union(*({n for n in dir(getattr(keras.ops, f)) if not n.startswith("_")}
                                for f in families))
    top_level = {n for n in dir(keras.ops) if not n.startswith("_")} - in_families - families
    assert top_level == set(ops.math.__all__) | set(ops.core.__all__)
    assert set(MATH_NAMES) == set(ops.math.__all__)
    for name in top_level:
        module = ops.math if name in MATH_NAMES else ops.core
        assert getattr(ops, name) is getattr(module, name)


POSITIVE = np.abs(rand(3, 4)) + 0.1
SPD = np.eye(3, dtype="float32") * 2 + 0.1
PAIR = (rand(3, 8), rand(3, 8))
IDS = np.array([0, 0, 2, 1, 2])
SIGNAL = rand(2, 40)
CASES = [
    ("erf", (rand(3, 4),), {}), ("erfc", (rand(3, 4),), {}),
    ("erfinv", (np.tanh(rand(3, 4)),), {}), ("rsqrt", (POSITIVE,), {}),
    ("erf", (rand(5).astype("float16"),), {}), ("rsqrt", (POSITIVE.astype("bfloat16"),), {}),
    ("logsumexp", (rand(3, 4),), {}), ("logsumexp", (rand(3, 4),), {"axis": -1}),
    ("logsumexp", (rand(3, 4, 2),), {"axis": (0, 2), "keepdims": True}),
    ("logdet", (np.stack([SPD, SPD * 3]),), {}),
    ("cdist", (rand(4, 3), rand(5, 3)), {}), ("cdist", (rand(2, 4, 3), rand(2, 5, 3)), {}),
    ("top_k", (rand(3, 6), 2), {}), ("top_k", (np.array([[3, 1, 2]], "int32"), 3), {}),
    ("in_top_k", (np.array([1, 0, 2]), rand(3, 4), 2), {}),
    ("segment_sum", (rand(5, 3), IDS), {"num_segments": 3}),
    ("segment_max", (rand(5, 3), IDS), {"num_segments": 4}),
    ("segment_min", (rand(5), np.sort(IDS)), {"num_segments": 3, "sorted": True}),
    ("segment_prod", (rand(5, 2), IDS), {"num_segments": 3}),
    ("segment_sum", (np.arange(5, dtype="int32"), IDS), {"num_segments": 3}),
    ("extract_sequences", (SIGNAL, 8, 3), {}), ("extract_sequences", (rand(3, 2, 10), 4, 4), {}),
    ("fft", (PAIR,), {}), ("fft2", ((rand(2, 4, 6), rand(2, 4, 6)),), {}),
    ("ifft2", ((rand(2, 4, 6), rand(2, 4, 6)),), {}),
    ("rfft", (rand(3, 8),), {}), ("rfft", (rand(3, 8),), {"fft_length": 12}),
    ("irfft", ((rand(3, 5), rand(3, 5)),), {}), ("irfft", ((rand(3, 5), rand(3, 5)),),
                                                  {"fft_length": 7}),
    ("stft", (SIGNAL, 8, 4, 8), {}),
    ("stft", (SIGNAL, 6, 3, 8), {"window": "hamming", "center": False}),
    ("stft", (SIGNAL, 8, 2, 16), {"window": None}),
    ("stft", (SIGNAL[0], 5, 2, 8), {"window": np.linspace(0.1, 1.0, 5).astype("float32")}),
    ("view_as_complex", (rand(3, 2),), {}), ("view_as_real", (rand(3) + 1j * rand(3),), {}),
]


@pytest.mark.parametrize("name,args,kwargs", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_math_op_matches_keras(name, args, kwargs):
    half = any(standardize_dtype(np.asarray(a).dtype) in ("float16", "bfloat16")
               for a in args if not isinstance(a, tuple))
    tol = 2e-2 if half else 1e-4
    same_or_same_error(lambda: getattr(ops, name)(*args, **kwargs),
                       lambda: getattr(keras.ops, name)(*args, **kwargs), atol=tol, rtol=tol)


@pytest.mark.parametrize("kwargs", [
    {"sequence_length": 8, "sequence_stride": 4, "fft_length": 8},
    {"sequence_length": 6, "sequence_stride": 3, "fft_length": 8, "window": "hamming",
     "center": False},
    {"sequence_length": 8, "sequence_stride": 2, "fft_length": 16, "window": None, "length": 30},
])
def test_istft_matches_keras(kwargs):
    spectrum = keras.ops.stft(SIGNAL, **{k: v for k, v in kwargs.items() if k != "length"})
    spectrum = tuple(np.asarray(part) for part in spectrum)
    assert_same(ops.istft(spectrum, **kwargs), keras.ops.istft(spectrum, **kwargs), atol=1e-4,
                rtol=1e-4)


def test_top_k_and_stft_work_under_jit_and_vmap():
    x = rand(3, 6)
    values, indices = jax.jit(lambda a: ops.top_k(a, 2))(x)
    assert_same((values, indices), keras.ops.top_k(x, 2))
    real, imag = jax.vmap(lambda s: ops.stft(s, 8, 4, 8))(SIGNAL)
    assert_same((real, imag), keras.ops.stft(SIGNAL, 8, 4, 8), atol=1e-4, rtol=1e-4)
    grads = jax.grad(lambda a: ops.logsumexp(a))(x)
    np.testing.assert_allclose(grads, jax.nn.softmax(x.ravel()).reshape(x.shape), atol=1e-6)


@pytest.mark.parametrize("call,error,match", [
    (lambda: ops.segment_sum(rand(5), IDS), ValueError, "segment_sum: num_segments"),
    (lambda: ops.segment_max(rand(4), IDS, 3), ValueError, "segment_max: .*lengths differ"),
    (lambda: ops.segment_min(rand(5), IDS[None], 3), ValueError, "segment_min: .*not 1-D"),
    (lambda: ops.cdist(rand(3), rand(3)), ValueError, "cdist: "),
    (lambda: ops.fft(rand(3)), ValueError, "fft: x is not a"),
    (lambda: ops.fft((rand(3), rand(4))), ValueError, "fft: .*different shapes"),
    (lambda: ops.stft(SIGNAL.astype("float16"), 8, 4, 8), TypeError, "stft: x is not"),
    (lambda: ops.stft(SIGNAL, 8, 4, 4), ValueError, "fft_length is smaller"),
    (lambda: ops.stft(SIGNAL, 8, 0, 8), ValueError, "sequence_stride"),
    (lambda: ops.stft(SIGNAL, 8, 4, 8, window="kaiser"), ValueError, "unknown window"),
    (lambda: ops.view_as_complex(rand(3, 3)), ValueError, "view_as_complex: "),
])
def test_math_errors_name_the_op(call, error, match):
    with pytest.raises(error, match=match):
        call()


SYMBOLIC = [
    ("logsumexp", lambda t: (t,), {"axis": -1}),
    ("top_k", lambda t: (t, 2), {}),
    ("erf", lambda t: (t,), {}),
    ("rfft", lambda t: (t,), {}),
    ("stft", lambda t: (t, 4, 2, 4), {}),
    ("extract_sequences", lambda t: (t, 3, 2), {}),
    ("fft", lambda t: ((t, t),), {}),
    ("cdist", lambda t: (t, t), {}),
]


@pytest.mark.parametrize("name,make,kwargs", SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_symbolic_shape_and_dtype_match_keras(name, make, kwargs):
    ours = getattr(ops, name)(*make(kk.Input(shape=(5, 8))), **kwargs)
    theirs = getattr(keras.ops, name)(*make(keras.Input(shape=(5, 8))), **kwargs)
    ours = jax.tree_util.tree_leaves(ours, is_leaf=lambda t: hasattr(t, "shape"))
    for a, b in zip(ours, keras.tree.flatten(theirs), strict=True):
        assert (tuple(a.shape), standardize_dtype(a.dtype)) == \
            (tuple(b.shape), standardize_dtype(b.dtype))


@pytest.mark.parametrize("name,args,kwargs", CASES[::2], ids=[c[0] for c in CASES[::2]])
def test_math_ops_trace_under_jit_to_the_eager_result(name, args, kwargs):
    op = getattr(ops, name)
    assert_same(jitted(op, args, kwargs), op(*args, **kwargs), atol=1e-5, rtol=1e-5)
