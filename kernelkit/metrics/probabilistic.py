"""Probabilistic and hinge metrics: crossentropies, KL divergence, Poisson, hinge losses."""

from __future__ import annotations

from kernelkit.losses.margin import categorical_hinge, hinge, squared_hinge
from kernelkit.losses.probabilistic import (
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from kernelkit.metrics.mean import BuiltinMeanMetric
from kernelkit.registry import register_builtin

__all__ = [
    "BinaryCrossentropy", "CategoricalCrossentropy", "CategoricalHinge", "Hinge",
    "KLDivergence", "Poisson", "SparseCategoricalCrossentropy", "SquaredHinge",
]


@register_builtin("keras.metrics")
class BinaryCrossentropy(BuiltinMeanMetric):
    """Mean binary crossentropy.

    Example:
        >>> m = BinaryCrossentropy(from_logits=True)
        >>> m.update_state([[1.0]], [[0.0]])
        >>> round(float(m.result()), 4)
        0.6931
    """

    _direction = "down"
    _config_keys = ("from_logits", "label_smoothing")

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        super().__init__(binary_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)


@register_builtin("keras.metrics")
class CategoricalCrossentropy(BuiltinMeanMetric):
    """Mean categorical crossentropy.

    Example:
        >>> m = CategoricalCrossentropy()
        >>> m.update_state([[0.0, 1.0]], [[0.5, 0.5]])
        >>> round(float(m.result()), 4)
        0.6931
    """

    _direction = "down"
    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


@register_builtin("keras.metrics")
class SparseCategoricalCrossentropy(BuiltinMeanMetric):
    """Mean sparse categorical crossentropy (ignored entries still count, as in Keras).

    Example:
        >>> m = SparseCategoricalCrossentropy()
        >>> m.update_state([1], [[0.5, 0.5]])
        >>> round(float(m.result()), 4)
        0.6931
    """

    _direction = "down"
    _config_keys = ("from_logits", "ignore_class", "axis")

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 ignore_class=None, axis=-1):
        super().__init__(sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)


@register_builtin("keras.metrics")
class KLDivergence(BuiltinMeanMetric):
    """Mean Kullback-Leibler divergence.

    Example:
        >>> m = KLDivergence()
        >>> m.update_state([[1.0, 0.0]], [[0.5, 0.5]])
        >>> round(float(m.result()), 4)
        0.6931
    """

    _direction = "down"

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, dtype=dtype)


@register_builtin("keras.metrics")
class Poisson(BuiltinMeanMetric):
    """Mean Poisson loss.

    Example:
        >>> m = Poisson()
        >>> m.update_state([[1.0]], [[1.0]])
        >>> round(float(m.result()), 4)
        1.0
    """

    _direction = "down"

    def __init__(self, name="poisson", dtype=None):
        super().__init__(poisson, name=name, dtype=dtype)


@register_builtin("keras.metrics")
class Hinge(BuiltinMeanMetric):
    """Mean hinge loss.

    Example:
        >>> m = Hinge()
        >>> m.update_state([[1.0]], [[0.5]])
        >>> float(m.result())
        0.5
    """

    _direction = "down"

    def __init__(self, name="hinge", dtype=None):
        super().__init__(hinge, name=name, dtype=dtype)


@register_builtin("keras.metrics")
class SquaredHinge(BuiltinMeanMetric):
    """Mean squared hinge loss.

    Example:
        >>> m = SquaredHinge()
        >>> m.update_state([[1.0]], [[0.5]])
        >>> float(m.result())
        0.25
    """

    _direction = "down"

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, dtype=dtype)


@register_builtin("keras.metrics")
class CategoricalHinge(BuiltinMeanMetric):
    """Mean categorical hinge loss.

    Example:
        >>> m = CategoricalHinge()
        >>> m.update_state([[0.0, 1.0]], [[0.3, 0.7]])
        >>> round(float(m.result()), 4)
        0.6
    """

    _direction = "down"

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, dtype=dtype)
