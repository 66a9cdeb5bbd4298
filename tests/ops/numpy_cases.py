"""The table of (op name, positional args, keyword args) cases the numpy-op tests run on both sides."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

__all__ = ["CASES", "ERROR_CASES"]

_RNG = np.random.default_rng(0)


def _arr(shape, dtype="float32", low=-2.0, high=2.0):
    values = _RNG.uniform(low, high, size=shape)
    if dtype == "bool":
        return jnp.asarray(values > 0)
    if "int" in dtype:
        values = np.round(values * 3)
        if dtype.startswith("u"):
            values = np.abs(values)
    return jnp.asarray(values.astype("float32")).astype(dtype)


DTYPES = ["float32", "float16", "bfloat16", "int8", "int32", "uint8", "bool"]
NUMERIC = [d for d in DTYPES if d != "bool"]
FLOATS = ["float32", "float16", "bfloat16"]

CASES: list[tuple[str, str, tuple, dict]] = []


def case(name, *args, _id="", **kwargs):
    CASES.append((name, _id or f"{name}-{len([c for c in CASES if c[0] == name])}", args, kwargs))


# --- float functions of one array: every dtype, values inside the domain -------------------
_DOMAINS = {"arccos": (-0.9, 0.9), "arcsin": (-0.9, 0.9), "arctanh": (-0.9, 0.9),
            "arccosh": (1.1, 3.0), "log": (0.1, 3.0), "log10": (0.1, 3.0), "log2": (0.1, 3.0),
            "log1p": (0.1, 3.0), "sqrt": (0.1, 3.0), "reciprocal": (0.5, 3.0)}
for _name in ["exp", "exp2", "expm1", "log", "log10", "log1p", "log2", "sqrt", "cbrt",
              "reciprocal", "sin", "cos", "tan", "sinh", "cosh", "tanh", "arcsin", "arccos",
              "arctan", "arcsinh", "arccosh", "arctanh", "sinc", "deg2rad", "rad2deg", "angle",
              "i0", "ceil", "floor"]:
    low, high = _DOMAINS.get(_name, (-2.0, 2.0))
    for _dtype in ["float32", "float16", "bfloat16", "int8", "bool"]:
        if "int" in _dtype or _dtype == "bool":
            if low > 0 or _name in ("arcsin", "arccos", "arctanh"):
                continue  # integer values leave the domain
        case(_name, _arr((2, 3), _dtype, low, high), _id=f"{_name}-{_dtype}")
case("exp", _arr((0, 2)), _id="exp-empty")
case("log", _arr((0, 2)), _id="log-empty")
case("sqrt", _arr((2, 3), "int32", 0, 3), _id="sqrt-int32")

# --- element-wise ops that keep the kind ----------------------------------------------------
for _name in ["abs", "absolute", "fabs", "negative", "square", "sign", "signbit", "trunc",
              "conj", "conjugate", "real", "imag", "isfinite", "isinf", "isnan", "isneginf",
              "isposinf", "isreal", "logical_not", "nan_to_num", "round"]:
    for _dtype in ["float32", "float16", "bfloat16", "int8", "uint8", "bool"]:
        if _dtype == "bool" and _name in ("negative", "sign", "abs", "absolute", "fabs"):
            continue
        if _dtype == "uint8" and _name == "negative":
            continue
        case(_name, _arr((2, 3), _dtype), _id=f"{_name}-{_dtype}")
_special = jnp.array([np.nan, np.inf, -np.inf, 1.5, -0.0])
for _name in ["isfinite", "isinf", "isnan", "isneginf", "isposinf", "nan_to_num", "signbit"]:
    case(_name, _special, _id=f"{_name}-special")
case("nan_to_num", _special, nan=1.0, posinf=9.0, neginf=-9.0)
case("round", _arr((2, 3)), 1)
case("round", jnp.array([1234, -5678]), -2, _id="round-int-negative-decimals")
case("round", jnp.array([0.5, 1.5, 2.5, -0.5]), _id="round-half-even")
for _dtype in ["int8", "int32", "uint8", "bool"]:
    case("bitwise_invert", _arr((2, 3), _dtype), _id=f"bitwise_invert-{_dtype}")
    case("bitwise_not", _arr((2, 3), _dtype), _id=f"bitwise_not-{_dtype}")
for _dtype in DTYPES:
    case("clip", _arr((2, 3), _dtype), 0, 1, _id=f"clip-{_dtype}")
case("clip", _arr((2, 3)), -0.5, 0.5, _id="clip-float-bounds")
case("clip", _arr((2, 3), "int8"), -0.5, 0.5, _id="clip-int-float-bounds")
case("conj", jnp.array([1 + 2j, 3 - 1j]), _id="conj-complex")
case("real", jnp.array([1 + 2j]), _id="real-complex")
case("imag", jnp.array([1 + 2j]), _id="imag-complex")
case("isreal", jnp.array([1 + 0j, 1j]), _id="isreal-complex")
case("angle", jnp.array([1 + 1j, -1 + 0j]), _id="angle-complex")

# --- binary element-wise: broadcasting and dtype promotion ---------------------------------
_PAIRS = [("float32", "float32"), ("int8", "int32"), ("int8", "float16"), ("uint8", "int8"),
          ("bfloat16", "float16"), ("bool", "int8"), ("bool", "bool")]
_ARITH = ["add", "subtract", "multiply", "divide", "true_divide", "divide_no_nan", "maximum",
          "minimum", "fmax", "fmin", "power", "equal", "not_equal", "greater", "greater_equal",
          "less", "less_equal", "logical_and", "logical_or", "logical_xor", "arctan2", "hypot",
          "logaddexp", "logaddexp2", "floor_divide", "mod", "fmod", "heaviside", "nextafter",
          "isclose"]
_NO_BOOL = {"subtract", "power", "floor_divide", "mod", "fmod", "heaviside", "nextafter", "hypot",
            "arctan2", "logaddexp", "logaddexp2", "divide_no_nan"}
_FLOAT_ONLY = {"heaviside", "nextafter", "hypot"}
for _name in _ARITH:
    for _a, _b in _PAIRS:
        if _name in _NO_BOOL and "bool" in (_a, _b):
            continue
        if _name in _FLOAT_ONLY and ("int" in _a or "int" in _b):
            continue
        x2 = _arr((3,), _b, 0.5, 2.0) if _name in ("floor_divide", "mod", "fmod", "power") \
            else _arr((3,), _b)
        if _name == "power" and "int" in _b:
            x2 = jnp.abs(x2)
        case(_name, _arr((2, 3), _a, 0.5 if _name == "power" else -2.0), x2,
             _id=f"{_name}-{_a}-{_b}")
    if _name not in _FLOAT_ONLY:
        case(_name, _arr((2, 3), "int8", 0.5), 2, _id=f"{_name}-int8-pyint")
    case(_name, _arr((2, 3), "float16", 0.5), 2.0, _id=f"{_name}-float16-pyfloat")
    if _name not in _FLOAT_ONLY:
        case(_name, _arr((2, 3), "int8", 0.5), 2.0, _id=f"{_name}-int8-pyfloat")
    if _name in ("add", "multiply", "equal", "maximum", "divide"):
        case(_name, _arr((0, 3), "float32"), _arr((3,)), _id=f"{_name}-empty")
for _name in ["bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "left_shift",
              "bitwise_right_shift", "right_shift", "gcd", "lcm"]:
    for _a, _b in [("int8", "int8"), ("int8", "int32"), ("uint8", "uint8"), ("uint8", "int8")]:
        case(_name, jnp.abs(_arr((2, 3), _a)), jnp.abs(_arr((3,), _b, 0, 3)),
             _id=f"{_name}-{_a}-{_b}")
    case(_name, jnp.abs(_arr((2, 3), "int32")), 2, _id=f"{_name}-pyint")
for _name in ["bitwise_and", "bitwise_or", "bitwise_xor"]:
    case(_name, _arr((2, 3), "bool"), _arr((3,), "bool"), _id=f"{_name}-bool")
case("ldexp", _arr((2, 3)), jnp.array([1, 2, 3]))
case("ldexp", _arr((2, 3), "float16"), jnp.array([1, 2, 3], "int8"))
case("allclose", _arr((2, 3)), _arr((2, 3)))
case("allclose", jnp.ones(3), jnp.ones(3) + 1e-9)
case("isclose", jnp.array([np.nan, 1.0]), jnp.array([np.nan, 1.0]), equal_nan=True)
case("add", [1, 2, 3], 1.5, _id="add-list")
case("multiply", 2, 3, _id="multiply-scalars")
case("divide", jnp.array([1, 2], "int32"), jnp.array([2, 4], "int32"), _id="divide-int32")

# --- reductions: axes, negative axes, keepdims, dtypes -------------------------------------
_X3 = {d: _arr((2, 3, 4), d) for d in DTYPES}
_AXES = [(None, False), (-1, True), (0, False), ((0, 2), True)]
for _name in ["sum", "prod", "mean", "var", "std", "max", "min", "amax", "amin", "all", "any",
              "ptp", "median", "nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanmax",
              "nanmin", "nanmedian"]:
    for _axis, _keep in _AXES:
        case(_name, _X3["float32"], axis=_axis, keepdims=_keep,
             _id=f"{_name}-axis{_axis}-keep{_keep}")
    for _dtype in ["float16", "bfloat16", "int8", "uint8", "bool"]:
        if _dtype == "bool" and _name in ("ptp", "median", "nanmedian", "nanvar", "nanstd"):
            continue
        case(_name, _X3[_dtype], axis=-1, _id=f"{_name}-{_dtype}")
for _name in ["argmax", "argmin", "nanargmax", "nanargmin"]:
    for _axis, _keep in [(None, False), (-1, True), (1, False)]:
        case(_name, _X3["float32"], axis=_axis, keepdims=_keep,
             _id=f"{_name}-axis{_axis}-keep{_keep}")
    for _dtype in ["float16", "int8", "bool"]:
        case(_name, _X3[_dtype], axis=0, _id=f"{_name}-{_dtype}")
case("argmax", jnp.array([0.0, -0.0]), _id="argmax-negative-zero")
case("argmin", jnp.array([0.0, -0.0]), _id="argmin-negative-zero")
_NANS = jnp.array([[1.0, np.nan, 3.0], [np.nan, 5.0, 0.5]])
for _name in ["nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanmax", "nanmin",
              "nanmedian", "nanargmax", "nanargmin"]:
    case(_name, _NANS, axis=1, _id=f"{_name}-nans")
for _name in ["cumsum", "cumprod", "nancumsum", "nancumprod"]:
    for _axis in [None, 0, -1]:
        case(_name, _X3["float32"], axis=_axis, _id=f"{_name}-axis{_axis}")
    for _dtype in ["float16", "int8", "bool"]:
        case(_name, _X3[_dtype], axis=1, _id=f"{_name}-{_dtype}")
    case(_name, _NANS, axis=1, _id=f"{_name}-nans")
    case(_name, _X3["int8"], axis=1, dtype="float32", _id=f"{_name}-dtype")
case("prod", _X3["int8"], axis=1, dtype="int32", _id="prod-dtype")
for _axis in [None, 0, (1, 2)]:
    case("count_nonzero", _X3["int32"], axis=_axis)
for _name in ["quantile", "nanquantile", "percentile", "nanpercentile"]:
    scale = 100 if "percentile" in _name else 1
    for _q in [0.5 * scale, jnp.array([0.25 * scale, 0.75 * scale])]:
        for _axis, _keep in [(None, False), (None, True), (-1, False), (1, True)]:
            case(_name, _X3["float32"], _q, axis=_axis, keepdims=_keep)
    case(_name, _X3["int32"], 0.5 * scale, axis=0, _id=f"{_name}-int32")
    case(_name, _X3["float32"], 0.3 * scale, axis=-1, method="nearest", _id=f"{_name}-nearest")
case("median", _X3["int32"], axis=None, keepdims=True, _id="median-keep-all")
for _w in [None, jnp.array([1.0, 2.0, 3.0, 4.0]), jnp.array([1, 2, 3, 4], "int8")]:
    for _dtype in ["float32", "int8", "float16"]:
        case("average", _X3[_dtype], axis=-1, weights=_w)
case("average", _X3["float32"])

# --- shapes: reshape, transpose, join, split, index ---------------------------------------
_M = _X3["float32"]
case("reshape", _M, (4, -1))
case("reshape", _X3["int8"], (-1,))
case("ravel", _M)
for _axis in [0, -1, (0, 2)]:
    case("expand_dims", _M, _axis)
case("squeeze", _arr((1, 3, 1)))
case("squeeze", _arr((1, 3, 1)), axis=-1)
case("squeeze", _arr((1, 3, 1)), axis=(0, 2))
case("transpose", _M)
case("transpose", _M, (2, 0, 1))
case("swapaxes", _M, 0, -1)
case("moveaxis", _M, 0, -1)
case("moveaxis", _M, (0, 1), (-1, -2))
case("broadcast_to", jnp.array([1, 2, 3], "int8"), (2, 3))
for _axis in [0, -1, None]:
    case("concatenate", [_M, _M], axis=_axis)
case("concatenate", [_X3["int8"], _X3["float16"]], axis=1, _id="concatenate-promotes")
for _axis in [0, -1]:
    case("stack", [_M, _M], axis=_axis)
case("stack", [_X3["int8"], _X3["int32"]], _id="stack-promotes")
for _name in ["hstack", "vstack", "dstack"]:
    case(_name, [_M, _M])
    case(_name, [jnp.array([1, 2]), jnp.array([3, 4])], _id=f"{_name}-1d")
case("append", _M, _M, axis=1)
case("append", _M, jnp.array([1, 2], "int8"))
for _sections in [2, [1, 3]]:
    case("split", _arr((4, 6)), _sections, axis=0)
    case("split", _arr((4, 6)), _sections, axis=-1)
case("array_split", jnp.arange(7), 3)
case("array_split", _arr((5, 2)), [1, 3], axis=0)
case("hsplit", _arr((2, 4)), 2)
case("vsplit", _arr((4, 2)), [1])
case("dsplit", _arr((1, 2, 4)), 2)
case("tile", _arr((2, 3)), 2)
case("tile", _arr((2, 3)), (2, 1, 2))
case("repeat", _arr((2, 3)), 2)
case("repeat", _arr((2, 3)), 2, axis=-1)
case("repeat", _arr((2, 3)), [1, 2], axis=0)
for _axis in [None, 0, (0, 2), -1]:
    case("flip", _M, axis=_axis)
case("fliplr", _M)
case("flipud", _M)
for _k in [1, 2, -1]:
    case("rot90", _M, k=_k)
case("rot90", _M, k=1, axes=(1, 2))
case("roll", _M, 2)
case("roll", _M, -1, axis=1)
case("roll", _M, (1, 2), axis=(0, 2))
case("pad", _arr((2, 3)), ((1, 1), (2, 0)))
case("pad", _arr((2, 3)), 1, mode="reflect")
case("pad", _arr((2, 3)), ((0, 1), (1, 1)), mode="constant", constant_values=7.0)
case("pad", _arr((2, 3), "int8"), ((1, 0), (0, 1)), mode="symmetric")
case("pad", _arr((2, 3)), 2, mode="edge")
for _k in [0, 1, -1]:
    case("diag", _arr((3, 3)), k=_k)
    case("diag", _arr((3,), "int8"), k=_k, _id=f"diag-1d-{_k}")
    case("diagflat", _arr((2, 2)), k=_k)
    case("tril", _M, k=_k)
    case("triu", _M, k=_k)
case("diagonal", _M)
case("diagonal", _M, offset=1, axis1=1, axis2=2)
case("diagonal", _M, offset=-1, axis1=-1, axis2=0)
case("take", _M, jnp.array([0, 3]))
case("take", _M, jnp.array([[0, 1], [1, 0]]), axis=1)
case("take", _M, [2, 0], axis=-1)
case("take_along_axis", _M, jnp.argsort(_M, axis=-1), axis=-1)
case("take_along_axis", _M, jnp.zeros((1, 3, 4), "int32"), axis=0)
case("get_item", _M, 1)
case("get_item", _M, (slice(None), 0))
case("get_item", _M, (Ellipsis, slice(1, 3)))
case("ndim", _M)
case("size", _M)

# --- creation ---------------------------------------------------------------------------
for _dtype in [None, "int32", "float16", "bool"]:
    case("zeros", (2, 3), dtype=_dtype)
    case("ones", (2, 3), dtype=_dtype)
    case("empty", (2, 3), dtype=_dtype)
    case("full", (2, 3), 2, dtype=_dtype)
    case("eye", 3, dtype=_dtype)
    case("identity", 3, dtype=_dtype)
    case("tri", 3, dtype=_dtype)
    for _x in [_arr((2, 3), "int8"), _arr((2, 3))]:
        case("zeros_like", _x, dtype=_dtype)
        case("ones_like", _x, dtype=_dtype)
        case("empty_like", _x, dtype=_dtype)
        case("full_like", _x, 3, dtype=_dtype)
case("full", (2,), 1.5)
case("full", (2,), jnp.array([1, 2], "int8"))
case("eye", 3, 4, 1)
case("eye", 3, M=2, k=-1)
case("tri", 3, 4, -1)
for _args in [(5,), (1, 7, 2), (0.5, 3.0), (1, 3.5, 0.5), (jnp.array(2, "int8"), 9)]:
    case("arange", *_args)
case("arange", 0, 4, dtype="float16")
case("linspace", 0.0, 1.0, 5)
case("linspace", 0, 10, 4, endpoint=False)
case("linspace", 0.0, 1.0, 5, retstep=True)
case("linspace", jnp.array([0.0, 1.0]), jnp.array([1.0, 3.0]), 3, axis=-1)
case("linspace", 0, 10, 5, dtype="int32")
case("logspace", 0.0, 2.0, 3)
case("logspace", 0.0, 3.0, 4, base=2, endpoint=False)
case("geomspace", 1.0, 1000.0, 4)
case("geomspace", 1.0, 16.0, 5, endpoint=False, dtype="float32")
case("array", [[1, 2], [3, 4]])
case("array", [1.5, 2.5], dtype="float16")
case("array", np.array([1, 2], "int64"))
case("copy", _M)
case("view", jnp.array([1.0, 2.0], "float32"), "int32")
case("view", jnp.array([1, 2], "int16"), "float16")
case("meshgrid", jnp.arange(3), jnp.arange(2))
case("meshgrid", jnp.arange(3), jnp.arange(2), indexing="ij")
case("vander", jnp.array([1, 2, 3]))
case("vander", jnp.array([1.0, 2.0]), 3, increasing=True)
for _name in ["bartlett", "blackman", "hamming", "hanning"]:
    case(_name, 5)
    case(_name, 1, _id=f"{_name}-1")
case("kaiser", 5, 0.5)
case("kaiser", 4, 8.0)

# --- products and contractions ------------------------------------------------------------
for _a, _b in [("float32", "float32"), ("int8", "int8"), ("int8", "float32"), ("float16", "float16"),
               ("bfloat16", "float32"), ("int32", "int8")]:
    case("matmul", _arr((2, 3), _a), _arr((3, 4), _b), _id=f"matmul-{_a}-{_b}")
    case("dot", _arr((2, 3), _a), _arr((3,), _b), _id=f"dot-{_a}-{_b}")
    case("einsum", "ij,jk->ik", _arr((2, 3), _a), _arr((3, 4), _b), _id=f"einsum-{_a}-{_b}")
    case("tensordot", _arr((2, 3), _a), _arr((3, 4), _b), axes=1, _id=f"tensordot-{_a}-{_b}")
    case("inner", _arr((2, 3), _a), _arr((4, 3), _b), _id=f"inner-{_a}-{_b}")
    case("outer", _arr((2,), _a), _arr((3,), _b), _id=f"outer-{_a}-{_b}")
    case("vdot", _arr((2, 3), _a), _arr((2, 3), _b), _id=f"vdot-{_a}-{_b}")
    case("kron", _arr((2, 2), _a), _arr((2,), _b), _id=f"kron-{_a}-{_b}")
case("matmul", _arr((5, 2, 3)), _arr((3, 4)), _id="matmul-batched")
case("matmul", _arr((3,)), _arr((3, 4)), _id="matmul-vector")
case("dot", _arr((3,)), _arr((3,)), _id="dot-vectors")
case("dot", _arr((2, 3, 4)), _arr((4, 5)), _id="dot-nd")
case("einsum", "bij->bji", _M)
case("einsum", "i,i->", _arr((3,)), _arr((3,)))
case("tensordot", _M, _arr((3, 4)), axes=2)
case("tensordot", _M, _arr((4, 2)), axes=([2], [0]))
case("cross", _arr((2, 3)), _arr((2, 3)))
case("cross", _arr((3,), "int8"), _arr((3,), "int32"))
case("cross", _arr((2, 2)), _arr((2, 2)))
case("cross", _arr((3, 2)), _arr((3, 2)), axis=0)
for _dtype in ["float32", "int8", "bool"]:
    case("trace", _arr((3, 3), _dtype))
case("trace", _M, offset=1, axis1=1, axis2=2)
case("slogdet", _arr((3, 3)))
case("slogdet", _arr((2, 3, 3)))
for _mode in ["valid", "same", "full"]:
    case("correlate", _arr((5,)), _arr((3,)), mode=_mode)
case("correlate", _arr((5,), "int32"), _arr((3,), "int32"))
case("corrcoef", _arr((3, 5)))
case("corrcoef", _arr((3, 5), "int32"))
case("trapezoid", _arr((2, 5)))
case("trapezoid", _arr((2, 5)), dx=0.5, axis=0)
case("trapezoid", _arr((5,)), jnp.array([0.0, 1.0, 3.0, 4.0, 7.0]))
case("trapezoid", _arr((5,), "int32"))
for _n, _axis in [(1, -1), (2, -1), (1, 0)]:
    case("diff", _M, n=_n, axis=_axis)
case("diff", _arr((5,), "int8"))

# --- sorting, searching, selecting, counting ---------------------------------------------
for _axis in [-1, 0, None]:
    case("sort", _M, axis=_axis)
    case("argsort", _M, axis=_axis)
case("sort", _X3["int8"])
case("argsort", jnp.array(3.0), _id="argsort-scalar")
case("argpartition", jnp.array([3, 1, 2, 0]), 1, _id="argpartition-sorted-position")
case("searchsorted", jnp.array([1.0, 2.0, 3.0]), _arr((2, 2)))
case("searchsorted", jnp.array([1, 2, 2, 3]), jnp.array([2, 0, 9]), side="right")
case("digitize", _arr((2, 3)), jnp.array([-1.0, 0.0, 1.0]))
case("digitize", jnp.array([1, 5, 9]), jnp.array([2, 6]))
case("nonzero", jnp.array([[0, 1], [2, 0]]))
case("unique", jnp.array([3, 1, 3, 2, 1]))
case("unique", jnp.array([3, 1, 3, 2, 1]), return_index=True, return_inverse=True, return_counts=True)
case("unique", jnp.array([[1, 2], [1, 2], [3, 4]]), axis=0)
case("unique", jnp.array([3, 1, 3]), size=4, fill_value=0)
case("where", _M > 0, _M, 0.0)
case("where", _M > 0, _X3["int8"], _X3["float16"])
case("where", _M > 0, 1, 2)
case("where", jnp.array([0, 1, 1]))
case("select", [_M > 0.5, _M < -0.5], [_M, -_M], default=0.0)
case("select", [jnp.array([True, False])], [jnp.array([1, 2])], 9)
case("isin", jnp.array([1, 2, 3, 4]), jnp.array([2, 4]))
case("isin", jnp.array([1, 2, 3, 4]), jnp.array([2, 4]), invert=True)
case("bincount", jnp.array([0, 1, 1, 3]))
case("bincount", jnp.array([0, 1, 1, 3]), minlength=6)
case("bincount", jnp.array([0, 1, 1]), weights=jnp.array([0.5, 1.0, 2.0]))
case("bincount", jnp.array([[0, 1], [1, 1]]), minlength=3)
case("bincount", jnp.array([[0, 1], [1, 1]]), weights=jnp.array([[1.0, 2.0], [3.0, 4.0]]))
case("histogram", _arr((20,)))
case("histogram", _arr((20,)), bins=4, range=(-1.0, 1.0))
case("unravel_index", jnp.array([0, 5, 7]), (2, 4))
case("unravel_index", 5, (2, 3))

# --- bad arguments: Keras refuses them, so must kernelkit (with the op's name) ---------------
ERROR_CASES = [
    ("array_split", (jnp.arange(4), [1, 2]), {}),
    ("array_split", (jnp.arange(4), 0), {}),
    ("diagonal", (_M,), {"axis1": 1, "axis2": 1}),
    ("eye", (2.0,), {}),
    ("fabs", (jnp.array([1j]),), {}),
    ("histogram", (_arr((4,)),), {"bins": 2.5}),
    ("histogram", (_arr((4,)),), {"range": (1.0, 0.0)}),
    ("histogram", (_arr((2, 2)),), {}),
    ("select", (_M > 0, [_M]), {}),
    ("select", ([], []), {}),
    ("vander", (_arr((2, 2)),), {}),
    ("vander", (_arr((2,)),), {"N": -1}),
    ("where", (_M > 0, _M), {}),
    ("ldexp", (_arr((2,)), _arr((2,))), {}),
    ("rot90", (_arr((3,)),), {}),
    ("rot90", (_M,), {"axes": (1, 1)}),
    ("pad", (_M, 1), {"mode": "reflect", "constant_values": 1.0}),
    ("searchsorted", (_arr((2, 2)), _arr((2,))), {}),
]
