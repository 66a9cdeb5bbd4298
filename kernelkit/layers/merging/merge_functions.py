"""Functional forms of the merging layers: `add([a, b])` builds an `Add` layer and calls it."""

from __future__ import annotations

from kernelkit.layers.merging.add import Add
from kernelkit.layers.merging.average import Average
from kernelkit.layers.merging.concatenate import Concatenate
from kernelkit.layers.merging.dot import Dot
from kernelkit.layers.merging.maximum import Maximum
from kernelkit.layers.merging.minimum import Minimum
from kernelkit.layers.merging.multiply import Multiply
from kernelkit.layers.merging.subtract import Subtract

__all__ = ["add", "average", "concatenate", "dot", "maximum", "minimum", "multiply",
           "subtract"]


def add(inputs, **kwargs):
    """Sums a list of tensors element-wise with a new `Add` layer.

    Args:
        inputs: A list of tensors of broadcast-compatible shapes.
        **kwargs: Layer keyword arguments (`name`, `dtype`, ...).

    Returns:
        The element-wise sum (a symbolic tensor when the inputs are symbolic).

    Example:
        >>> import jax.numpy as jnp
        >>> add([jnp.ones((1, 2)), jnp.ones((1, 2))]).tolist()
        [[2.0, 2.0]]
    """
    return Add(**kwargs)(inputs)


def average(inputs, **kwargs):
    """Averages a list of tensors element-wise with a new `Average` layer.

    Args:
        inputs: A list of tensors of broadcast-compatible shapes.
        **kwargs: Layer keyword arguments (`name`, `dtype`, ...).

    Returns:
        The element-wise mean.

    Example:
        >>> import jax.numpy as jnp
        >>> average([jnp.zeros((1, 2)), jnp.full((1, 2), 4.0)]).tolist()
        [[2.0, 2.0]]
    """
    return Average(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    """Concatenates a list of tensors along `axis` with a new `Concatenate` layer.

    Args:
        inputs: A list of tensors with equal shapes except on `axis`.
        axis: The concatenation axis.
        **kwargs: Layer keyword arguments (`name`, `dtype`, ...).

    Returns:
        The concatenation of the inputs.

    Example:
        >>> import jax.numpy as jnp
        >>> concatenate([jnp.ones((2, 3)), jnp.ones((2, 4))]).shape
        (2, 7)
    """
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, **kwargs):
    """The per-sample dot product of two tensors with a new `Dot` layer.

    Args:
        inputs: A list of two tensors.
        axes: Integer or pair of integers, the axes to contract (never the batch axis 0).
        **kwargs: `normalize` and layer keyword arguments (`name`, `dtype`, ...).

    Returns:
        The dot product of the two inputs.

    Example:
        >>> import jax.numpy as jnp
        >>> dot([jnp.ones((2, 3)), jnp.ones((2, 3))], axes=1).tolist()
        [[3.0], [3.0]]
    """
    return Dot(axes=axes, **kwargs)(inputs)


def maximum(inputs, **kwargs):
    """The element-wise maximum of a list of tensors with a new `Maximum` layer.

    Args:
        inputs: A list of tensors of broadcast-compatible shapes.
        **kwargs: Layer keyword arguments (`name`, `dtype`, ...).

    Returns:
        The element-wise maximum.

    Example:
        >>> import jax.numpy as jnp
        >>> maximum([jnp.array([[1.0, 5.0]]), jnp.array([[3.0, 2.0]])]).tolist()
        [[3.0, 5.0]]
    """
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """The element-wise minimum of a list of tensors with a new `Minimum` layer.

    Args:
        inputs: A list of tensors of broadcast-compatible shapes.
        **kwargs: Layer keyword arguments (`name`, `dtype`, ...).

    Returns:
        The element-wise minimum.

    Example:
        >>> import jax.numpy as jnp
        >>> minimum([jnp.array([[1.0, 5.0]]), jnp.array([[3.0, 2.0]])]).tolist()
        [[1.0, 2.0]]
    """
    return Minimum(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """The element-wise product of a list of tensors with a new `Multiply` layer.

    Args:
        inputs: A list of tensors of broadcast-compatible shapes.
        **kwargs: Layer keyword arguments (`name`, `dtype`, ...).

    Returns:
        The element-wise product.

    Example:
        >>> import jax.numpy as jnp
        >>> multiply([jnp.full((1, 2), 2.0), jnp.full((1, 2), 3.0)]).tolist()
        [[6.0, 6.0]]
    """
    return Multiply(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """The first of two tensors minus the second, with a new `Subtract` layer.

    Args:
        inputs: A list of exactly two tensors of broadcast-compatible shapes.
        **kwargs: Layer keyword arguments (`name`, `dtype`, ...).

    Returns:
        `inputs[0] - inputs[1]`.

    Example:
        >>> import jax.numpy as jnp
        >>> subtract([jnp.full((1, 2), 5.0), jnp.ones((1, 2))]).tolist()
        [[4.0, 4.0]]
    """
    return Subtract(**kwargs)(inputs)
