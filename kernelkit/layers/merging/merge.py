"""`Merge`: the base of the layers that combine a list of tensors element by element."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.errors import describe
from kernelkit.layers.layer import Layer
from kernelkit.shapes import is_shape

__all__ = ["Merge", "as_mask_list", "broadcast_shapes", "or_merge"]


def broadcast_shapes(who: str, shape1, shape2):
    """The shape of an element-wise op on `shape1` and `shape2` (`None`: unknown dimension).

    Raises `ValueError` naming `who` when two known dimensions differ and neither is 1.
    """
    if len(shape1) < len(shape2):
        shape1, shape2 = shape2, shape1
    if not shape2:
        return tuple(shape1)
    out = list(shape1[:len(shape1) - len(shape2)])
    for i, j in zip(shape1[len(shape1) - len(shape2):], shape2):
        if i is None or j is None:
            out.append(None)
        elif i == 1 or j == 1:
            out.append(j if i == 1 else i)
        elif i != j:
            raise ValueError(
                f"{who}: inputs have incompatible shapes. Expected shapes that broadcast "
                f"element-wise (equal dimensions, or 1). Received: shapes {tuple(shape1)} and "
                f"{tuple(shape2)}."
            )
        else:
            out.append(i)
    return tuple(out)


def as_mask_list(mask, count: int):
    """`mask` as a list of `count` entries (`None` when there is no mask at all)."""
    if mask is None:
        return None
    masks = list(mask) if isinstance(mask, list | tuple) else [mask]
    if all(m is None for m in masks):
        return None
    return masks + [None] * (count - len(masks)) if len(masks) < count else masks


class Merge(Layer):
    """Base class of the element-wise merge layers (`Add`, `Maximum`, ...).

    Subclasses implement `_merge_function(inputs, masks)`. Inputs of lower rank are expanded
    on axis 1 to the highest rank, then broadcast.

    Example:
        >>> import jax.numpy as jnp
        >>> class Sum(Merge):
        ...     def _merge_function(self, inputs, masks):
        ...         return sum(inputs)
        >>> Sum()([jnp.ones((2, 3)), jnp.ones((2, 3))]).tolist()[0]
        [2.0, 2.0, 2.0]
    """

    min_inputs = 1
    max_inputs = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    @property
    def _who(self) -> str:
        return f"{type(self).__name__} '{self.name}'"

    def _check_input_count(self, input_shape):
        if not isinstance(input_shape, list | tuple) or not all(
                is_shape(s) for s in input_shape) or not input_shape:
            raise ValueError(
                f"{self._who}: a merge layer must be called on a list of tensors. Expected a "
                f"list of at least {self.min_inputs} input(s). Received: input_shape="
                f"{input_shape}. Pass the tensors as a list, e.g. layer([x1, x2])."
            )
        n = len(input_shape)
        expected = (f"exactly {self.min_inputs}" if self.min_inputs == self.max_inputs
                    else f"at least {self.min_inputs}")
        if n < self.min_inputs or (self.max_inputs is not None and n > self.max_inputs):
            raise ValueError(
                f"{self._who}: wrong number of inputs. Expected {expected} inputs. "
                f"Received: {n} inputs with shapes {[tuple(s) for s in input_shape]}."
            )

    def build(self, input_shape):
        self._check_input_count(input_shape)
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f"{self._who}: cannot merge tensors with different batch sizes. Expected the "
                f"same first dimension. Received: shapes {[tuple(s) for s in input_shape]}."
            )
        out = tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            out = broadcast_shapes(self._who, out, tuple(shape[1:]))
        self._reshape_required = len({len(s) for s in input_shape}) != 1

    def call(self, inputs, mask=None):
        if not isinstance(inputs, list | tuple):
            raise ValueError(
                f"{self._who}: a merge layer must be called on a list of tensors. Received: "
                f"inputs={describe(inputs)}."
            )
        inputs = list(inputs)
        if self._reshape_required:
            max_rank = max(x.ndim for x in inputs)
            inputs = [x.reshape(x.shape[:1] + (1,) * (max_rank - x.ndim) + x.shape[1:])
                      for x in inputs]
        return self._merge_function(inputs, as_mask_list(mask, len(inputs)))

    def _merge_function(self, inputs, masks):
        raise NotImplementedError(f"{type(self).__name__} must implement _merge_function.")

    def _check_masks(self, inputs, mask):
        if mask is None:
            return None
        masks = as_mask_list(mask, 0)
        if masks is not None and isinstance(inputs, list | tuple) and len(masks) != len(inputs):
            raise ValueError(
                f"{self._who}: the lists of inputs and masks have different lengths. Expected "
                f"one mask (or None) per input. Received: {len(inputs)} inputs and "
                f"{len(masks)} masks."
            )
        return masks

    def compute_mask(self, inputs, mask=None):
        masks = self._check_masks(inputs, mask)
        if masks is None or any(m is None for m in masks):
            return None
        out = jnp.asarray(masks[0], bool)
        for m in masks[1:]:
            out = jnp.logical_or(out, jnp.asarray(m, bool))
        return out


def or_merge(op, inputs, masks):
    """Keras's masked `Maximum`/`Minimum`: masked entries take the other operand's value."""
    masks = masks or [None] * len(inputs)
    output, output_mask = None, None
    for x, mask in zip(inputs, masks):
        if mask is not None:
            mask = jnp.broadcast_to(jnp.expand_dims(jnp.asarray(mask, bool), -1), x.shape)
        if output is None:
            output, output_mask = x, mask
            continue
        if mask is not None:
            x = jnp.where(mask, x, output)
        if output_mask is not None:
            output = jnp.where(output_mask, output, x)
        output_mask = (jnp.logical_or(output_mask, mask)
                       if mask is not None and output_mask is not None else None)
        output = op(output, x)
    return output
