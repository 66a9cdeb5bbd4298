"""`NodeHistoryAPI`: the TF1 graph introspection of a layer (`input`, `output`, masks, `get_*_at`)."""

from __future__ import annotations

import jax

from kernelkit.layers.symbolic import is_symbolic

__all__ = ["NodeHistoryAPI"]


def _masks_of(tree):
    return jax.tree_util.tree_map(lambda t: getattr(t, "_keras_mask", None), tree,
                                  is_leaf=is_symbolic)


class NodeHistoryAPI:
    """Read-only views of the symbolic calls a layer recorded (its nodes), as in TF1 Keras.

    Mixed into `Layer`; reads only `self._history.nodes` and `self.name`.
    """

    @property
    def input(self):
        """The input tensor(s) of the layer's first call on symbolic tensors."""
        return self._node(0, "input").call_args[0]

    @property
    def output(self):
        """The output tensor(s) of the layer's first call on symbolic tensors."""
        return self._node(0, "output").outputs

    def get_input_at(self, node_index):
        return self._node(node_index, "input").call_args[0]

    def get_output_at(self, node_index):
        return self._node(node_index, "output").outputs

    def get_input_shape_at(self, node_index):
        return self._node(node_index, "input shape").input_shapes

    def get_output_shape_at(self, node_index):
        return self._node(node_index, "output shape").output_shapes

    @property
    def input_mask(self):
        """The mask of the layer's input (TF1 API): a symbolic tensor, a list, or None."""
        return self.get_input_mask_at(self._single_node("input_mask"))

    @property
    def output_mask(self):
        """The mask of the layer's output (TF1 API): a symbolic tensor, a list, or None."""
        return self.get_output_mask_at(self._single_node("output_mask"))

    def get_input_mask_at(self, node_index):
        """The input mask(s) of the layer's call number `node_index` (TF1 API)."""
        return _masks_of(self._node(node_index, "input mask").call_args[0])

    def get_output_mask_at(self, node_index):
        """The output mask(s) of the layer's call number `node_index` (TF1 API)."""
        return _masks_of(self._node(node_index, "output mask").outputs)

    def _single_node(self, what: str) -> int:
        if len(self._history.nodes) > 1:
            raise AttributeError(
                f"{type(self).__name__} '{self.name}': `{what}` is ambiguous because the layer "
                f"was called {len(self._history.nodes)} times. Expected exactly one call on "
                f"symbolic tensors. Use get_{what}_at(node_index) instead."
            )
        return 0

    def _node(self, index, what):
        nodes = self._history.nodes
        if not nodes:
            raise AttributeError(
                f"{type(self).__name__} '{self.name}' has no {what}: it was never called on a "
                "symbolic tensor (an `Input`)."
            )
        if not 0 <= index < len(nodes):
            raise ValueError(
                f"{type(self).__name__} '{self.name}': node index {index} out of range. Expected "
                f"0 to {len(nodes) - 1}. Received: node_index={index}."
            )
        return nodes[index]
