"""Keras's dtype names and type promotion: `standardize_dtype`, `result_type`, `is_*_dtype`.

Keras promotes dtypes on its own lattice (adapted from JAX's), not NumPy's: Python `int` and
`float` are *weak* (they take the other operand's precision), `bool` sits below every number,
mixed signed/unsigned integers climb to the next wider signed type, integers meet floats at
the weak float (so `int8 + float16 -> float16`), and a 64-bit result is narrowed to 32 bits as
JAX does without x64 (`int64 -> int32`, `float64 -> float32`). A weak result resolves to the
precision of `kernelkit.config.floatx()`.

Example:
    >>> from kernelkit.ops.dtypes import result_type
    >>> result_type("int8", "float16")
    'float16'
    >>> result_type("bfloat16", int)
    'bfloat16'
"""

from __future__ import annotations

import functools

from kernelkit import config

__all__ = ["is_float_dtype", "is_int_dtype", "result_type", "standardize_dtype"]

BOOL_TYPES = ("bool",)
INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
COMPLEX_TYPES = ("complex64", "complex128")
FLOAT8_TYPES = ("float8_e4m3fn", "float8_e5m2")
ALLOWED_DTYPES = ("float16", "float32", "float64", "uint8", "uint16", "uint32", "uint64",
                  "int8", "int16", "int32", "int64", "bfloat16", "bool", "string",
                  "float8_e4m3fn", "float8_e5m2", "complex64", "complex128")

# Python types and names that stand for a dtype (the JAX backend's choices).
_PYTHON_DTYPES = {bool: "bool", int: "int32", float: "float32", str: "string",
                  "int": "int32", complex: "complex64"}

# Each node of the promotion lattice and the nodes directly above it ("int"/"float" weak).
_ABOVE = {
    "bool": ("int",), "int": ("uint8", "int8", "complex64"),
    "uint8": ("int16", "uint16"), "uint16": ("int32", "uint32"), "uint32": ("int64", "uint64"),
    "uint64": ("float",), "int8": ("int16",), "int16": ("int32",), "int32": ("int64",),
    "int64": ("float",), "float": ("bfloat16", "float16"), "bfloat16": ("float32",),
    "float16": ("float32",), "float32": ("float64", "complex64"), "float64": ("complex128",),
    "complex64": ("complex128",), "complex128": (),
}
_NARROW_64 = {"int64": "int32", "uint64": "uint32", "float64": "float32",
              "complex128": "complex64"}


def _upper_sets() -> dict:
    """Every node's set of nodes at or above it (the transitive closure of `_ABOVE`)."""
    closure = {}

    def up(node):
        if node not in closure:
            closure[node] = {node}.union(*(up(n) for n in _ABOVE[node]))
        return closure[node]

    for node in _ABOVE:
        up(node)
    return closure


_UPPER = _upper_sets()


def standardize_dtype(dtype) -> str:
    """Returns the Keras name of `dtype` (a string, NumPy/JAX dtype, or Python type).

    Args:
        dtype: A dtype-like value; `None` means `kernelkit.config.floatx()`.

    Returns:
        The dtype's name, one of `ALLOWED_DTYPES` (Python `int` is `"int32"`).

    Raises:
        ValueError: When `dtype` names no dtype Keras knows.

    Example:
        >>> import numpy as np
        >>> standardize_dtype(np.float32), standardize_dtype(int), standardize_dtype(None)
        ('float32', 'int32', 'float32')
    """
    if dtype is None:
        return config.floatx()
    if isinstance(dtype, str) and dtype in ALLOWED_DTYPES:
        return dtype
    name = _PYTHON_DTYPES.get(dtype, dtype) if isinstance(dtype, type | str) else dtype
    if hasattr(name, "name"):
        name = name.name
    elif hasattr(name, "__name__"):
        name = name.__name__
    elif "jax.numpy" in str(name):
        name = str(name).split(".")[-1]
    if name not in ALLOWED_DTYPES:
        raise ValueError(
            f"standardize_dtype: unknown dtype. Expected one of {ALLOWED_DTYPES} or a NumPy/JAX "
            f"dtype. Received: dtype={dtype!r}. Pass a dtype name such as 'float32'."
        )
    return name


def is_float_dtype(dtype) -> bool:
    """True when `dtype` is a floating-point dtype (`float16/32/64`, `bfloat16`, `float8_*`).

    Args:
        dtype: A dtype-like value.

    Returns:
        Whether the standardized name is a float type.

    Example:
        >>> is_float_dtype("bfloat16"), is_float_dtype("int8")
        (True, False)
    """
    return standardize_dtype(dtype) in FLOAT_TYPES + FLOAT8_TYPES


def is_int_dtype(dtype) -> bool:
    """True when `dtype` is a signed or unsigned integer dtype (not `bool`).

    Args:
        dtype: A dtype-like value.

    Returns:
        Whether the standardized name is an integer type.

    Example:
        >>> is_int_dtype("uint8"), is_int_dtype("bool")
        (True, False)
    """
    return standardize_dtype(dtype) in INT_TYPES


def _weak_node(dtype: str) -> str:
    """The weak lattice node of a Python-scalar `dtype` (`bool` stays `bool`)."""
    if dtype == "bool":
        return dtype
    for kind in ("complex", "float", "int"):
        if kind in dtype:
            return "complex64" if kind == "complex" else kind
    raise ValueError(f"result_type: {dtype!r} cannot be weak. Expected a numeric dtype.")


@functools.lru_cache(maxsize=1024)
def _join(nodes: frozenset) -> str:
    """The least upper bound of `nodes` on the lattice."""
    common = set.intersection(*(_UPPER[n] for n in nodes))
    least = [c for c in common if common <= _UPPER[c]]
    if len(least) != 1:
        raise ValueError(
            f"result_type: the dtypes {sorted(nodes)} have no implicit promotion. Expected "
            "dtypes that promote to one another. Cast the inputs explicitly to one dtype."
        )
    return least[0]


def _resolve_weak(dtype: str, precision: str) -> str:
    """A concrete dtype for a weak result, at the `floatx` precision (`int` -> `int32`)."""
    kind = "f" if dtype == "bfloat16" else dtype[0]
    if kind == "b":
        return "bool"
    if kind in "iu":
        return f"{'u' if kind == 'u' else ''}int{precision}"
    return f"float{precision}"


@functools.lru_cache(maxsize=4096)
def _result_type(dtypes: tuple, floatx: str) -> str:
    parsed = [(standardize_dtype(floatx if d is None else d), d is int or d is float)
              for d in dtypes]
    for name, _ in parsed:
        if name in FLOAT8_TYPES:
            raise ValueError(
                f"result_type: a float8 dtype never promotes implicitly. Expected non-float8 "
                f"dtypes. Received: dtypes={dtypes}. Cast it to the target dtype first."
            )
    names = {n for n, _ in parsed}
    if len(parsed) == 1:
        node, weak = parsed[0]
    elif len(names) == 1 and not all(w for _, w in parsed):
        node, weak = parsed[0][0], False
    elif all(w for _, w in parsed):
        node, weak = _join(frozenset(names)), True
    else:
        node = _join(frozenset(_weak_node(n) if w else n for n, w in parsed))
        weak = node in ("int", "float")
    if weak and node != "bool":
        node = _resolve_weak(node, floatx[-2:])
    return _NARROW_64.get(node, node)


def result_type(*dtypes) -> str:
    """Returns the dtype of combining `dtypes` under Keras's type promotion rules.

    Args:
        *dtypes: Dtype-like values (names, NumPy/JAX dtypes); the Python types `int` and
            `float` are weak, `None` stands for `floatx()`.

    Returns:
        The promoted dtype name; `floatx()` when no dtype is given.

    Raises:
        ValueError: For a `float8_*` dtype (it never promotes implicitly) or dtypes without
            a common type.

    Example:
        >>> result_type("int32", "float32"), result_type("uint8", "int8"), result_type(bool, int)
        ('float32', 'int16', 'int32')
    """
    floatx = config.floatx()
    if not dtypes:
        return floatx
    try:
        return _result_type(dtypes, floatx)
    except TypeError:  # an unhashable dtype-like value
        return _result_type(tuple(d if d is int or d is float else standardize_dtype(d)
                                  for d in dtypes), floatx)
