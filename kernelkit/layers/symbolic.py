"""Symbolic tensors and graph nodes: what `Input()` returns and what layers record when called.

A `SymbolicTensor` carries a shape (with `None` for unknown dimensions), a dtype and the node
that produced it. Output shapes are inferred with `jax.eval_shape` on a split copy of the layer,
run twice with different stand-ins for the unknown dimensions: a dimension that changes between
the two runs is unknown in the result.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from kernelkit.errors import describe

__all__ = ["Node", "NodeHistory", "SymbolicTensor", "infer_output_spec", "is_symbolic",
           "make_concrete", "record_operations_with"]

_FILL_A, _FILL_B = 83, 89

# The layer class that records arithmetic on symbolic tensors. It is a Layer, above this module
# (layer.py imports symbolic.py), so kernelkit.layers.operation hands it over when imported
# rather than this module importing upward.
_operation_layer: type | None = None


def record_operations_with(layer_class: type) -> type:
    """Sets the layer that `symbolic + other`, `-symbolic`, ... record (`OpLayer`).

    Args:
        layer_class: A layer class built as `layer_class(fn, name=name)`.

    Returns:
        `layer_class`, so the call can decorate the class.

    Example:
        >>> from kernelkit.layers.operation import OpLayer
        >>> record_operations_with(OpLayer) is OpLayer
        True
    """
    global _operation_layer
    _operation_layer = layer_class
    return layer_class


def _swapped(fn):
    """`fn` with its two arguments swapped (`3.0 - symbolic`), marked so a saved op says so."""
    def swapped(a, b):
        return fn(b, a)
    swapped.swapped = True
    return swapped


class NodeHistory:
    """The nodes a layer was called at; kept outside the NNX graph and never deep-copied."""

    def __init__(self):
        self.nodes: list[Node] = []

    def __deepcopy__(self, memo):
        return NodeHistory()

    def __len__(self) -> int:
        return len(self.nodes)


class SymbolicTensor:
    """A placeholder for data: shape, dtype and the layer call that produces it."""

    def __init__(self, shape, dtype="float32", name=None, history=None, sparse=False):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = jnp.dtype(np.str_ if dtype == "string" else dtype)  # text for host layers
        self.name = name
        self.sparse = sparse
        self._keras_history = history  # (layer, node_index, tensor_index)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return f"<SymbolicTensor shape={self.shape}, dtype={self.dtype.name}, name={self.name}>"

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other):
        return self is other

    def __bool__(self):
        raise TypeError(
            "A symbolic tensor has no truth value: it stands for data that is not there yet. "
            "Use it as the input of a layer, or call the model on real arrays."
        )

    def __deepcopy__(self, memo):
        return self

    # Arithmetic on symbolic tensors records an operation layer, as Keras's KerasTensor does.
    def _op(self, fn, name, *others):
        if _operation_layer is None:  # only if kernelkit.layers.operation was never imported
            raise RuntimeError(
                "SymbolicTensor: no layer records arithmetic on symbolic tensors. Expected "
                "kernelkit.layers.operation to be imported. Received: "
                f"{name} of {describe(self)}. Import kernelkit (not only kernelkit.layers.symbolic)."
            )
        return _operation_layer(fn, name=name)(self, *others)

    def __add__(self, o): return self._op(jnp.add, "add", o)
    def __radd__(self, o): return self._op(_swapped(jnp.add), "add", o)
    def __sub__(self, o): return self._op(jnp.subtract, "subtract", o)
    def __rsub__(self, o): return self._op(_swapped(jnp.subtract), "subtract", o)
    def __mul__(self, o): return self._op(jnp.multiply, "multiply", o)
    def __rmul__(self, o): return self._op(_swapped(jnp.multiply), "multiply", o)
    def __truediv__(self, o): return self._op(jnp.true_divide, "divide", o)
    def __rtruediv__(self, o): return self._op(_swapped(jnp.true_divide), "divide", o)
    def __pow__(self, o): return self._op(jnp.power, "power", o)
    def __neg__(self): return self._op(jnp.negative, "negative")
    def __abs__(self): return self._op(jnp.abs, "absolute")
    def __matmul__(self, o): return self._op(jnp.matmul, "matmul", o)
    def __getitem__(self, idx): return self._op(lambda a: a[idx], "get_item")


class Node:
    """One call of a layer on symbolic tensors: its arguments and its outputs."""

    def __init__(self, layer, call_args, call_kwargs, outputs):
        self.layer = layer
        self.call_args, self.call_kwargs = call_args, call_kwargs
        flat, _ = jax.tree_util.tree_flatten((call_args, call_kwargs), is_leaf=is_symbolic)
        self.input_tensors = [x for x in flat if isinstance(x, SymbolicTensor)]
        self.outputs = outputs
        self.output_tensors = jax.tree_util.tree_leaves(outputs, is_leaf=is_symbolic)
        index = len(layer._history.nodes)
        layer._history.nodes.append(self)
        for i, t in enumerate(self.output_tensors):
            t._keras_history = (layer, index, i)
        first = call_args[0] if call_args else None
        self.input_shapes = jax.tree_util.tree_map(lambda t: t.shape, first, is_leaf=is_symbolic)
        self.output_shapes = jax.tree_util.tree_map(lambda t: t.shape, outputs,
                                                    is_leaf=is_symbolic)

    @property
    def parent_nodes(self) -> list[Node]:
        parents = []
        for t in self.input_tensors:
            if t._keras_history is not None:
                layer, index, _ = t._keras_history
                parents.append(layer._history.nodes[index])
        return parents


def is_symbolic(x) -> bool:
    return isinstance(x, SymbolicTensor)


def make_concrete(tree, fill: int = 1, as_spec: bool = False):
    """Replaces symbolic tensors by zeros (or ShapeDtypeStructs), unknown dims set to `fill`."""

    def convert(x):
        if not isinstance(x, SymbolicTensor):
            return x
        shape = tuple(fill if d is None else d for d in x.shape)
        if x.dtype.kind == "U":  # strings live on the host, in NumPy
            return np.full(shape, "", dtype=str)
        if as_spec:
            return jax.ShapeDtypeStruct(shape, x.dtype)
        return jnp.zeros(shape, x.dtype)

    return jax.tree_util.tree_map(convert, tree, is_leaf=is_symbolic)


def infer_output_spec(layer, args, kwargs):
    """Returns the output structure of `layer(*args, **kwargs)` as SymbolicTensors (no history)."""
    graphdef, state = nnx.split(layer)

    def run(fill):
        a, k = make_concrete((args, kwargs), fill, as_spec=True)
        flat, treedef = jax.tree_util.tree_flatten(
            (a, k), is_leaf=lambda x: isinstance(x, jax.ShapeDtypeStruct))
        positions = [i for i, x in enumerate(flat) if isinstance(x, jax.ShapeDtypeStruct)]

        def fn(state, *arrays):
            leaves = list(flat)
            for i, arr in zip(positions, arrays):
                leaves[i] = arr
            call_args, call_kwargs = jax.tree_util.tree_unflatten(treedef, leaves)
            return nnx.merge(graphdef, state, copy=True)(*call_args, **call_kwargs)

        return jax.eval_shape(fn, state, *[flat[i] for i in positions])

    try:
        out_a, out_b = run(_FILL_A), run(_FILL_B)
    except Exception as e:  # the layer's own message, with its name and the symbolic inputs
        raise type(e)(
            f"{type(layer).__name__} '{layer.name}' could not be applied to symbolic inputs. "
            f"Received: inputs={describe(args[0] if len(args) == 1 else list(args))}. {e}"
        ) from e

    def merge(a, b):
        shape = tuple(da if da == db else None for da, db in zip(a.shape, b.shape))
        return SymbolicTensor(shape, a.dtype)

    return jax.tree_util.tree_map(merge, out_a, out_b)

