"""`Normalization`: shifts and scales features by a mean and variance given or adapted."""

from __future__ import annotations

import itertools
import math

import jax
import jax.numpy as jnp
import numpy as np

from kernelkit.errors import describe
from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin

__all__ = ["Normalization"]

_KERAS_EPSILON = 1e-7  # keras.config.epsilon(): the smallest standard deviation divided by


def _first(batch):
    return batch[0] if isinstance(batch, tuple) else batch  # (x, y[, sample_weight])


@register_builtin("keras.layers")
class Normalization(Layer):
    """Computes `(inputs - mean) / sqrt(variance)` per feature.

    The statistics are given to the constructor or computed from data with `adapt()`, one
    per position of the kept `axis` (the other axes are reduced).

    Args:
        axis: Integer, tuple of integers or `None`: the axes that keep separate statistics
            (default -1, one mean and variance per feature); `None` computes one scalar mean
            and variance.
        mean: Optional mean (scalar or array broadcastable to the kept axes).
        variance: Optional variance; given together with `mean`.
        invert: If True, applies the inverse transform `inputs * sqrt(variance) + mean`.

    Input shape:
        Any shape with known sizes on the kept axes.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> layer = Normalization()
        >>> layer.adapt(np.array([[0.0], [2.0]]))
        >>> layer(np.array([[4.0]])).tolist()
        [[3.0]]
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        self.axis = (axis,) if isinstance(axis, int) else tuple(axis)
        self.invert = invert
        self.supports_masking = True
        if (mean is None) != (variance is None):
            raise ValueError(
                f"Normalization '{self.name}': only one of `mean` and `variance` was given. "
                f"Expected both or neither. Received: mean={describe(mean)}, "
                f"variance={describe(variance)}. Pass both, or call adapt() instead."
            )
        if mean is not None and np.shape(mean) != np.shape(variance):
            raise ValueError(
                f"Normalization '{self.name}': `mean` and `variance` have different shapes. "
                f"Expected equal shapes. Received: mean shape {np.shape(mean)}, variance shape "
                f"{np.shape(variance)}."
            )
        if mean is not None and np.ndim(mean) > len(self.axis):
            raise ValueError(
                f"Normalization '{self.name}': `mean` has more dimensions than there are kept "
                f"axes. Expected rank at most {len(self.axis)}. Received: mean shape "
                f"{np.shape(mean)} for axis={self.axis}."
            )
        self.input_mean = None if mean is None else np.asarray(mean).tolist()
        self.input_variance = None if variance is None else np.asarray(variance).tolist()

    def build(self, input_shape):
        rank = len(input_shape)
        if any(not -rank <= a < rank for a in self.axis):
            raise ValueError(
                f"Normalization '{self.name}': `axis` is out of range for the input. Expected "
                f"axes in [{-rank}, {rank}). Received: axis={self.axis}, "
                f"input_shape={tuple(input_shape)}."
            )
        self._keep_axis = tuple(sorted(a % rank for a in self.axis))
        unknown = [d for d in self._keep_axis if input_shape[d] is None]
        if unknown:
            raise ValueError(
                f"Normalization '{self.name}': the kept axes must have known sizes. Expected "
                f"a known size on axis {unknown[0]}. Received: axis={self.axis}, "
                f"input_shape={tuple(input_shape)}."
            )
        self._build_input_shape = tuple(input_shape)
        self._reduce_axis = tuple(d for d in range(rank) if d not in self._keep_axis)
        self._broadcast_shape = tuple(input_shape[d] if d in self._keep_axis else 1
                                      for d in range(rank))
        self._stats_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=self._stats_shape,
                                              initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=self._stats_shape,
                                                  initializer="ones", trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int32",
                                         initializer="zeros", trainable=False)

    def _statistics(self, dtype):
        """Mean and variance reshaped to broadcast against the inputs."""
        if self.input_mean is None:
            return (self.adapt_mean[...].reshape(self._broadcast_shape).astype(dtype),
                    self.adapt_variance[...].reshape(self._broadcast_shape).astype(dtype))
        stats = []
        for value in (self.input_mean, self.input_variance):
            value = jnp.asarray(value)
            if value.ndim:
                expanded = [1] * len(self._broadcast_shape)
                for i in range(1, value.ndim + 1):
                    expanded[self._keep_axis[-i]] = value.shape[-i]
                value = value.reshape(expanded)
            stats.append(jnp.broadcast_to(value, self._broadcast_shape).astype(dtype))
        return tuple(stats)

    def call(self, inputs):
        inputs = inputs.astype(self.compute_dtype)
        mean, variance = self._statistics(inputs.dtype)
        std = jnp.maximum(jnp.sqrt(variance), _KERAS_EPSILON)
        if self.invert:
            return mean + inputs * std
        return (inputs - mean) / std

    def adapt(self, data):
        """Computes the mean and variance of `data` and stores them in the layer.

        Args:
            data: A NumPy or JAX array, or an iterable of batches (arrays, or `(x, y)`
                tuples whose first element is used). Every element of an iterable is a batch.

        Raises:
            TypeError: If `data` is not an array or an iterable of arrays.
            ValueError: If the data is empty or its kept axes do not match the layer's.
        """
        if self.input_mean is not None:
            raise ValueError(
                f"Normalization '{self.name}' was constructed with `mean` and `variance`, so "
                "it has no statistics to adapt. Expected a layer built without them. Received: "
                f"mean={describe(self.input_mean)}. Create Normalization() without mean and "
                "variance to adapt it."
            )
        batches = None
        if isinstance(data, np.ndarray | jax.Array):
            shape = tuple(data.shape)
        elif hasattr(data, "__iter__") and not isinstance(data, str | bytes | dict):
            iterator = iter(data)
            first = next(iterator, None)
            if first is None:
                raise ValueError(
                    f"Normalization '{self.name}': adapt() received an empty iterable. "
                    "Expected at least one batch. Received: data with no batches."
                )
            first = _first(first)
            if getattr(first, "shape", None) is None:
                raise TypeError(
                    f"Normalization '{self.name}': adapt() expects an iterable of arrays. "
                    f"Expected batches with a `.shape`. Received: a batch of type "
                    f"{type(first).__name__}. Yield NumPy or JAX arrays."
                )
            shape = tuple(first.shape)
            batches = itertools.chain([first], iterator)
        else:
            raise TypeError(
                f"Normalization '{self.name}': adapt() cannot read this data. Expected a "
                f"NumPy or JAX array, or an iterable of batches. Received: data of type "
                f"{type(data).__name__}."
            )
        if not self.built:
            self._maybe_build(shape)
        self._check_adapt_shape(shape)
        if batches is None:
            mean, variance = self._array_moments(data)
        else:
            mean, variance = self._streaming_moments(batches)
        self.adapt_mean[...] = jnp.asarray(mean, self.adapt_mean.dtype)
        self.adapt_variance[...] = jnp.asarray(variance, self.adapt_variance.dtype)

    def _check_adapt_shape(self, shape):
        expected = self._build_input_shape
        if len(shape) != len(expected) or any(shape[d] != expected[d] for d in self._keep_axis):
            raise ValueError(
                f"Normalization '{self.name}': adapt() data does not match the layer. Expected "
                f"data shaped like {expected} on axes {self._keep_axis}. Received: data "
                f"shape {shape}."
            )

    def _array_moments(self, data):
        lib = np if isinstance(data, np.ndarray) else jnp
        return lib.mean(data, axis=self._reduce_axis), lib.var(data, axis=self._reduce_axis)

    def _streaming_moments(self, batches):
        """Combines per-batch moments exactly as Keras's adapt() does (on the host, in NumPy)."""
        total_mean = np.zeros(self._stats_shape, self.compute_dtype)
        total_var = np.zeros(self._stats_shape, self.compute_dtype)
        total_count = 0
        for batch in batches:
            batch = np.asarray(_first(batch), self.compute_dtype)
            self._check_adapt_shape(tuple(batch.shape))
            batch_mean = np.mean(batch, axis=self._reduce_axis)
            batch_var = np.var(batch, axis=self._reduce_axis)
            count = math.prod(batch.shape[d] for d in self._reduce_axis)
            total_count += count
            weight = float(count) / total_count
            new_mean = total_mean * (1.0 - weight) + batch_mean * weight
            total_var = ((total_var + (total_mean - new_mean) ** 2) * (1.0 - weight)
                         + (batch_var + (batch_mean - new_mean) ** 2) * weight)
            total_mean = new_mean
        return total_mean, total_var

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": self.input_mean, "variance": self.input_variance}
