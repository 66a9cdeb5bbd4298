"""`rearrange`: einops-style axis reordering, merging and splitting (`keras.ops.rearrange`)."""

from __future__ import annotations

import math
import re

import jax.numpy as jnp

from kernelkit.ops.dispatch import keras_op

__all__ = ["rearrange"]

TOKEN = re.compile(r"\(([^()]*)\)|(\w+)")


def parse_side(op: str, side: str) -> list[list[str]]:
    """The axis groups of one side of a pattern: `"b (h w) c"` -> `[["b"], ["h", "w"], ["c"]]`."""
    groups = [m.group(1).split() if m.group(1) is not None else [m.group(2)]
              for m in TOKEN.finditer(side)]
    if TOKEN.sub("", side).strip():
        raise ValueError(
            f"{op}: the pattern side {side!r} has unknown characters. Expected axis names and "
            "parenthesized groups, e.g. 'b (h w) c'. Received: " + f"pattern side={side!r}. "
            "Use only names, spaces and one level of parentheses.")
    return groups


def axis_sizes(groups, shape, axes_lengths) -> dict[str, int]:
    """The size of every named input axis, a group's one unknown axis inferred from its size."""
    sizes = dict(axes_lengths)
    for group, dim in zip(groups, shape):
        unknown = [a for a in group if a not in sizes]
        if len(group) == 1 and unknown:
            sizes[group[0]] = dim
        elif len(unknown) == 1:
            sizes[unknown[0]] = dim // math.prod(sizes[a] for a in group if a in sizes)
        elif unknown:
            raise ValueError(
                f"rearrange: the group ({' '.join(group)}) has several unknown axes. Expected at "
                f"most one axis without a length. Received: axes_lengths={axes_lengths}. Pass "
                "the lengths of all but one.")
    return sizes


@keras_op
def rearrange(tensor, pattern, **axes_lengths):
    """Reorders, merges and splits axes by an einops pattern such as `"b h w c -> b (h w) c"`.

    Args:
        tensor: Input tensor.
        pattern: `"<input axes> -> <output axes>"`; parentheses merge (output) or split
            (input) axes.
        **axes_lengths: Lengths of split axes, e.g. `h1=2`.

    Returns:
        The rearranged tensor.

    Raises:
        ValueError: For a malformed pattern or axes that do not match the tensor.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.rearrange(np.zeros((2, 3, 4)), "b h w -> b (w h)").shape
        (2, 12)
        >>> ops.rearrange(np.zeros((2, 6)), "b (h w) -> b h w", h=2).shape
        (2, 2, 3)
    """
    tensor = jnp.asarray(tensor)
    sides = re.split(r"\s*->\s*", pattern.strip())
    if len(sides) != 2:
        raise ValueError(
            "rearrange: the pattern has no single '->'. Expected '<input axes> -> <output "
            f"axes>'. Received: pattern={pattern!r}. Write e.g. 'b h w -> b (h w)'.")
    inputs, outputs = parse_side("rearrange", sides[0]), parse_side("rearrange", sides[1])
    if len(inputs) != tensor.ndim:
        raise ValueError(
            f"rearrange: the pattern names {len(inputs)} input axes. Expected {tensor.ndim}, the "
            f"tensor's rank. Received: pattern={pattern!r}, tensor.shape={tensor.shape}. Name "
            "every axis.")
    sizes = axis_sizes(inputs, tensor.shape, axes_lengths)
    flat_in = [a for g in inputs for a in g]
    flat_out = [a for g in outputs for a in g]
    if sorted(flat_in) != sorted(flat_out):
        raise ValueError(
            "rearrange: the two sides name different axes. Expected the same names on both "
            f"sides. Received: pattern={pattern!r}. Use every input axis once in the output.")
    tensor = tensor.reshape([sizes[a] for a in flat_in])
    tensor = jnp.transpose(tensor, [flat_in.index(a) for a in flat_out])
    return tensor.reshape([math.prod(sizes[a] for a in g) for g in outputs])
