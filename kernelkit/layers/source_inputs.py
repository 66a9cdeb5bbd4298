"""`is_keras_tensor` and `get_source_inputs`: questions about symbolic tensors' history."""

from __future__ import annotations

from kernelkit.layers.symbolic import SymbolicTensor

__all__ = ["get_source_inputs", "is_keras_tensor"]


def is_keras_tensor(x) -> bool:
    """Whether `x` is a symbolic tensor (what `Input()` and layers called on it return).

    Args:
        x: Any value.

    Returns:
        True for a symbolic tensor, False for arrays and everything else.

    Example:
        >>> import numpy as np, kernelkit as kk
        >>> is_keras_tensor(kk.Input((3,))), is_keras_tensor(np.ones(3))
        (True, False)
    """
    return isinstance(x, SymbolicTensor)


def get_source_inputs(tensor) -> list:
    """Returns the `Input()` tensors a symbolic tensor was computed from.

    Args:
        tensor: A symbolic tensor.

    Returns:
        The list of source input tensors, in the order they are first reached.

    Raises:
        TypeError: if `tensor` is not symbolic.

    Example:
        >>> import kernelkit as kk
        >>> a, b = kk.Input((2,)), kk.Input((2,))
        >>> y = kk.layers.Dense(1)(kk.layers.Add()([a, b]))
        >>> get_source_inputs(y) == [a, b]
        True
    """
    if not is_keras_tensor(tensor):
        raise TypeError(
            "get_source_inputs: expected a symbolic tensor (from `Input()` or a layer called "
            f"on one). Received: tensor of type {type(tensor).__name__}."
        )
    sources, seen, stack = [], set(), [tensor]
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        history = t._keras_history
        node = None
        if history is not None:
            layer, node_index, _ = history
            node = layer._history.nodes[node_index]
        if node is None or not node.input_tensors:
            sources.append(t)
        else:
            stack.extend(reversed(node.input_tensors))
    return sources
