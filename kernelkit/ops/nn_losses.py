"""Loss and encoding ops of `keras.ops.nn`: crossentropies, one_hot, multi_hot, psnr."""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.experimental import sparse as jax_sparse

from kernelkit.config import epsilon, floatx
from kernelkit.ops.dispatch import keras_op

__all__ = ["binary_crossentropy", "categorical_crossentropy", "multi_hot", "one_hot", "psnr",
           "sparse_categorical_crossentropy"]


def same_shape(op: str, target, output):
    """Refuses `target` and `output` of different shapes."""
    if target.shape != output.shape:
        raise ValueError(
            f"{op}: target and output shapes differ. Expected equal shapes. Received: "
            f"target.shape={target.shape}, output.shape={output.shape}. Reshape one to the other.")


def log_probabilities(output, from_logits, axis):
    """Log-probabilities from logits, or from (renormalized, clipped) probabilities."""
    if from_logits:
        return jax.nn.log_softmax(output, axis=axis)
    output = output / jnp.sum(output, axis, keepdims=True)
    return jnp.log(jnp.clip(output, epsilon(), 1.0 - epsilon()))


@keras_op
def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary crossentropy between labels in [0, 1] and probabilities (or logits).

    Args:
        target: Tensor of labels.
        output: Tensor of predicted probabilities, or logits with `from_logits=True`; the
            shape of `target`.
        from_logits: Whether `output` holds logits.

    Returns:
        A tensor of the shape of `target`.

    Raises:
        ValueError: When the shapes differ.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> round(float(ops.binary_crossentropy(np.array(1.0), np.array(0.5))), 4)
        0.6931
    """
    target, output = jnp.asarray(target), jnp.asarray(output)
    same_shape("binary_crossentropy", target, output)
    if from_logits:
        return -target * jax.nn.log_sigmoid(output) - (1.0 - target) * jax.nn.log_sigmoid(-output)
    output = jnp.clip(output, epsilon(), 1.0 - epsilon())
    return -(target * jnp.log(output) + (1.0 - target) * jnp.log(1.0 - output))


@keras_op
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between one-hot (or soft) labels and probabilities (or logits) along `axis`.

    Args:
        target: Tensor of label distributions.
        output: Tensor of predictions, the shape of `target`.
        from_logits: Whether `output` holds logits.
        axis: The class axis.

    Returns:
        A tensor without the class axis.

    Raises:
        ValueError: When the shapes differ or the rank is 0.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> round(float(ops.categorical_crossentropy(np.array([0.0, 1.0]), np.array([0.5, 0.5]))), 4)
        0.6931
    """
    target, output = jnp.asarray(target), jnp.asarray(output)
    same_shape("categorical_crossentropy", target, output)
    if target.ndim < 1:
        raise ValueError(
            "categorical_crossentropy: target and output are scalars. Expected rank >= 1 (a "
            f"class axis). Received: target.shape={target.shape}. Add the class axis.")
    return -jnp.sum(target * log_probabilities(output, from_logits, axis), axis=axis)


@keras_op
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between integer labels and probabilities (or logits) along `axis`.

    Args:
        target: Integer tensor of class ids, `output`'s shape without the class axis (or with
            a trailing axis of size 1).
        output: Tensor of predictions.
        from_logits: Whether `output` holds logits.
        axis: The class axis of `output`.

    Returns:
        A tensor of the shape of `target`.

    Raises:
        ValueError: When the shapes do not match.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> round(float(ops.sparse_categorical_crossentropy(np.array(1), np.array([0.5, 0.5]))), 4)
        0.6931
    """
    target, output = jnp.asarray(target, "int32"), jnp.asarray(output)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = jnp.squeeze(target, axis=-1)
    if output.ndim < 1 or target.shape != output.shape[:-1]:
        raise ValueError(
            "sparse_categorical_crossentropy: target does not match output without its last "
            f"axis. Expected target.shape == {output.shape[:-1]}. Received: "
            f"target.shape={target.shape}, output.shape={output.shape}. Pass integer class ids.")
    log_prob = log_probabilities(output, from_logits, axis)
    return -jnp.sum(jax.nn.one_hot(target, output.shape[axis], axis=axis) * log_prob, axis=axis)


def to_sparse(dense, nse: int):
    """A `jax.experimental.sparse.BCOO` of a dense tensor with at most `nse` entries (jittable)."""
    return jax_sparse.BCOO.fromdense(dense, nse=nse)


@keras_op
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encodes integer ids: a new axis of size `num_classes` (negative ids give zeros).

    Args:
        x: Integer tensor of class ids.
        num_classes: The size of the new axis.
        axis: Where to insert the new axis.
        dtype: The output dtype; default `kernelkit.config.floatx()`.
        sparse: Whether to return a `jax.experimental.sparse.BCOO` tensor.

    Returns:
        A tensor of rank `x.ndim + 1`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.one_hot(np.array([1, 0]), 3).tolist()
        [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    """
    x = jnp.asarray(x)
    dense = jax.nn.one_hot(x, num_classes, axis=axis, dtype=dtype or floatx())
    return to_sparse(dense, x.size) if sparse else dense


@keras_op
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encodes integer ids: 1 at each id present in a row (rows are axis 0 of 2-D ids).

    Args:
        inputs: Integer tensor of class ids, 1-D (one sample) or 2-D (a batch).
        num_classes: The number of classes (`num_tokens=` is accepted too, as in Keras).
        axis: Where the class axis goes.
        dtype: The output dtype; default `kernelkit.config.floatx()`.
        sparse: Whether to return a `jax.experimental.sparse.BCOO` tensor.
        **kwargs: `num_tokens`, Keras's former name of `num_classes`.

    Returns:
        The multi-hot tensor.

    Raises:
        ValueError: When `num_classes` is missing.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.multi_hot(np.array([0, 2]), num_classes=4).tolist()
        [1.0, 0.0, 1.0, 0.0]
    """
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError(
            "multi_hot: num_classes is missing. Expected an int. Received: num_classes=None. "
            "Pass num_classes=<number of classes>.")
    inputs = jnp.asarray(inputs, "int32")
    encoded = jax.nn.one_hot(inputs, num_classes, axis=axis, dtype=dtype or floatx())
    dense = jnp.max(encoded, axis=1 if inputs.ndim > 1 else 0)
    return to_sparse(dense, inputs.size) if sparse else dense


@keras_op
def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio, `20 log10(max_val) - 10 log10(mean((x1 - x2)**2))`.

    Args:
        x1: First tensor (e.g. the original image).
        x2: Second tensor, the shape of `x1`.
        max_val: The largest possible pixel value (e.g. 1.0 or 255).

    Returns:
        A scalar, in decibels.

    Raises:
        ValueError: When the shapes differ.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> round(float(ops.psnr(np.zeros(4), np.full(4, 0.1), 1.0)), 3)
        20.0
    """
    x1, x2 = jnp.asarray(x1), jnp.asarray(x2)
    if x1.shape != x2.shape:
        raise ValueError(
            f"psnr: x1 and x2 shapes differ. Expected equal shapes. Received: x1.shape={x1.shape}, "
            f"x2.shape={x2.shape}. Compare images of the same size.")
    max_val = jnp.asarray(max_val, x2.dtype)
    return 20 * jnp.log10(max_val) - 10 * jnp.log10(jnp.mean(jnp.square(x1 - x2)))
