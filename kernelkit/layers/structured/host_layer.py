"""`HostLayer`: the base of preprocessing layers that compute in NumPy on the host, never in jit.

Strings have no JAX dtype, and lookups in hash tables are host work, so these layers run on
NumPy arrays. A model whose first layers are host layers runs them on each NumPy batch before
the compiled step (`kernelkit.models.host_stage`); inside the step, where their inputs are
already their outputs, they pass the data through.
"""

from __future__ import annotations

import contextlib
import contextvars

import jax
import numpy as np

from kernelkit.errors import describe
from kernelkit.layers.layer import Layer
from kernelkit.layers.symbolic import SymbolicTensor, is_symbolic

__all__ = ["HostLayer", "HostState", "host_stage_done", "is_string_array", "to_host_array"]

_DONE = contextvars.ContextVar("kernelkit_host_stage_done", default=False)


@contextlib.contextmanager
def host_stage_done():
    """Marks the data of this block as already through the model's host stage: the host
    layers of that stage pass it through.

    Example:
        >>> with host_stage_done():
        ...     pass
    """
    token = _DONE.set(True)
    try:
        yield
    finally:
        _DONE.reset(token)


class HostState:
    """NumPy values of a host layer (vocabularies, IDF weights, summaries) kept out of the NNX
    state: NNX holds them as one static attribute, so they are never traced, put on a device or
    passed to `jax.jit` (string arrays cannot be).

    Example:
        >>> HostState(tokens=np.array(["a"])).tokens.tolist()
        ['a']
    """

    def __init__(self, **values):
        self.__dict__.update(values)


def is_string_array(x) -> bool:
    """Whether `x` holds text (NumPy str/bytes/object arrays, Python strings).

    Example:
        >>> is_string_array(np.array(["a"])), is_string_array(np.array([1]))
        (True, False)
    """
    if isinstance(x, str | bytes):
        return True
    dtype = getattr(x, "dtype", None)
    return dtype is not None and np.dtype(dtype).kind in "USO"


def to_host_array(x, encoding="utf-8"):
    """`x` as a NumPy array; bytes and object arrays of text become str arrays.

    Args:
        x: Array-like data.
        encoding: The text encoding of bytes values.

    Returns:
        A NumPy array (str for text).

    Example:
        >>> to_host_array([b"a", "b"]).tolist()
        ['a', 'b']
    """
    if isinstance(x, jax.Array):
        return np.asarray(x)
    if isinstance(x, list | tuple) and any(isinstance(v, bytes) for v in np.ravel(
            np.asarray(x, dtype=object))):
        x = np.asarray(x, dtype=object)
    arr = np.asarray(x)
    if arr.dtype.kind in "SO":
        arr = np.vectorize(lambda v: v.decode(encoding) if isinstance(v, bytes) else str(v),
                           otypes=[str])(arr) if arr.size else arr.astype(str)
    return arr


class HostLayer(Layer):
    """A layer whose `call` takes and returns NumPy arrays, run outside any JAX transform.

    Subclasses implement `call(inputs)` on NumPy arrays and `compute_output_spec(inputs)`
    (shape inference cannot trace strings through `jax.eval_shape`).

    Example:
        >>> class Upper(HostLayer):
        ...     def call(self, inputs):
        ...         return np.char.upper(inputs)
        ...     def compute_output_spec(self, inputs):
        ...         return SymbolicTensor(inputs.shape, "string")
        >>> Upper()(np.array(["a"])).tolist()
        ['A']
    """

    runs_on_host = True
    takes_strings = False  # True: numeric inputs can only be this layer's own outputs

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.autocast = False
        self._convert_input_args = False
        self._in_host_stage = False

    def __call__(self, *args, **kwargs):
        flat = jax.tree_util.tree_leaves((args, kwargs), is_leaf=is_symbolic)
        if any(isinstance(x, SymbolicTensor) for x in flat):
            return self._symbolic_call(args, kwargs)
        if not args:
            raise ValueError(f"{type(self).__name__} '{self.name}' must be called with inputs.")
        traced = any(isinstance(x, jax.core.Tracer) for x in flat)
        if self._in_host_stage and (traced or _DONE.get()) and not is_string_array(args[0]):
            return args[0]  # the model ran this layer on the host before its device part
        if traced:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' runs on the host (NumPy), but it was "
                f"called inside a JAX transformation. Received: inputs={describe(args[0])}. "
                "Put it first in the model, right after its Input, or apply it to the data "
                "before the model."
            )
        kwargs.pop("training", None)
        encoding = getattr(self, "encoding", None) or getattr(self, "_encoding", "utf-8")
        inputs = jax.tree_util.tree_map(lambda v: to_host_array(v, encoding), args[0])
        if not self.built:
            self._maybe_build(jax.tree_util.tree_map(lambda a: tuple(a.shape), inputs))
        try:
            return self.call(inputs, *args[1:], **kwargs)
        except (ValueError, TypeError) as e:
            prefix = f"{type(self).__name__} '{self.name}'"
            if str(e).startswith(prefix):
                raise
            raise type(e)(f"Exception encountered when calling {prefix}: {e} (called with "
                          f"inputs={describe(inputs)})") from e

    def get_build_config(self):
        return {}

    def build_from_config(self, config):
        self.built = True
