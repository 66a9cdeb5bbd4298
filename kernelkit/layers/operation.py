"""`OpLayer`: a weightless layer recorded when an op is applied to symbolic tensors."""

from __future__ import annotations

import jax

from kernelkit.layers.keras_op_table import keras_op_of
from kernelkit.layers.layer import Layer
from kernelkit.layers.op_serialization import TensorSlot, keras_op_call, plain_constant
from kernelkit.layers.symbolic import is_symbolic, record_operations_with
from kernelkit.naming import unique_name

__all__ = ["OpLayer"]


@record_operations_with
class OpLayer(Layer):
    """Applies `fn(*inputs)`; made by `symbolic + other`, `ops.mean(symbolic)`, and so on.

    Args:
        fn: The function of the layer's inputs.
        name: The op's name (`"add"`); the layer's name is it made unique (`add_1`).
        arguments: For an op of `kernelkit.ops`: `(op, args, kwargs)`, the op function and
            its call with a `TensorSlot` where each input tensor goes. None for symbolic
            arithmetic, whose call arguments are the layer's own (`x + 3.0`).
        layer_name: The layer's exact name instead (a loaded model keeps its saved names).

    Example:
        >>> import jax.numpy as jnp
        >>> OpLayer(jnp.negative, name="negative")(jnp.ones(2)).tolist()
        [-1.0, -1.0]
    """

    def __init__(self, fn, name=None, *, arguments=None, layer_name=None, **kwargs):
        # An op computes in its inputs' dtypes (float16 stays float16), as Keras's ops do.
        kwargs.setdefault("autocast", False)
        layer_name = layer_name or unique_name(name or "op")
        super().__init__(name=layer_name, **kwargs)
        self.fn = fn
        self.op_name = name or getattr(fn, "__name__", "op")
        self._op_arguments = arguments

    def call(self, *inputs):
        return self.fn(*inputs)

    def keras_op_entry(self, node) -> dict | str:
        """The op as Keras 3 saves it, for one node of the layer.

        Args:
            node: A node of this layer (its call on symbolic tensors).

        Returns:
            `{"module", "class_name", "config", "registered_name", "args", "kwargs"}`, with
            the node's input tensors among `args`; or a string saying why Keras cannot hold it.
        """
        swapped = getattr(self.fn, "swapped", False)
        if self._op_arguments is None:  # symbolic arithmetic: the node's arguments are the op's
            row = keras_op_of(self.op_name)
            if self.op_name == "get_item":  # `symbolic[key]` keeps its key in a closure
                return "the index of `symbolic[...]` is not recorded; use ops.take or ops.slice"
            if row is None:
                return f"Keras 3 has no op class for `{self.op_name}`"
            args = list(node.call_args)[::-1] if swapped else list(node.call_args)
            module, class_name, config = row[0], row[1], {}
        else:
            op, args, kwargs = self._op_arguments
            split = keras_op_call(self.op_name, op, args, kwargs)
            if isinstance(split, str):
                return split
            module, class_name, config, args = split
            tensors = node.input_tensors
            args = jax.tree_util.tree_map(
                lambda a: tensors[a.index] if isinstance(a, TensorSlot) else a, args,
                is_leaf=lambda a: isinstance(a, TensorSlot))
        constants = [a for a in jax.tree_util.tree_leaves(args, is_leaf=is_symbolic)
                     if not is_symbolic(a)]
        if not plain_constant(constants):
            return f"its constant arguments are not plain values ({constants!r:.80})"
        return {"module": module, "class_name": class_name,
                "config": {"name": self.name, **config}, "registered_name": class_name,
                "args": args, "kwargs": {}}

    def get_config(self):
        raise NotImplementedError(
            f"OpLayer '{self.name}' ({self.op_name}) cannot be serialized on its own: an op "
            "is saved as part of a functional model, in Keras 3's op format."
        )
