"""`keras.optimizers.legacy`: names that exist only to say that Keras 3 has no legacy optimizers."""

from __future__ import annotations

__all__ = ["SGD", "Adagrad", "Adam", "Ftrl", "Optimizer", "RMSprop"]

_MESSAGE = (
    "`keras.optimizers.legacy` is not supported in Keras 3. When using `tf.keras`, to continue "
    "using a `tf.keras.optimizers.legacy` optimizer, you can install the `tf_keras` package "
    "(Keras 2) and set the environment variable `TF_USE_LEGACY_KERAS=True` to configure "
    "TensorFlow to use `tf_keras` when accessing `tf.keras`. In kernelkit, use "
    "`kernelkit.optimizers` (e.g. `kernelkit.optimizers.Adam`)."
)


class LegacyOptimizer:
    """Raises `ImportError` when created, as Keras 3's legacy optimizers do.

    Raises:
        ImportError: always.

    Example:
        >>> try:
        ...     Adam()
        ... except ImportError as error:
        ...     print(str(error)[:42])
        `keras.optimizers.legacy` is not supported
    """

    def __init__(self, *args, **kwargs):
        raise ImportError(_MESSAGE)


class Optimizer(LegacyOptimizer):
    """Keras 2's optimizer base; creating it raises `ImportError` (see `LegacyOptimizer`).

    Example:
        >>> issubclass(Optimizer, LegacyOptimizer)
        True
    """


class SGD(LegacyOptimizer):
    """Keras 2's SGD; creating it raises `ImportError` (use `kernelkit.optimizers.SGD`).

    Example:
        >>> issubclass(SGD, LegacyOptimizer)
        True
    """


class Adam(LegacyOptimizer):
    """Keras 2's Adam; creating it raises `ImportError` (use `kernelkit.optimizers.Adam`).

    Example:
        >>> issubclass(Adam, LegacyOptimizer)
        True
    """


class Adagrad(LegacyOptimizer):
    """Keras 2's Adagrad; creating it raises `ImportError` (use `kernelkit.optimizers.Adagrad`).

    Example:
        >>> issubclass(Adagrad, LegacyOptimizer)
        True
    """


class Ftrl(LegacyOptimizer):
    """Keras 2's Ftrl; creating it raises `ImportError` (use `kernelkit.optimizers.Ftrl`).

    Example:
        >>> issubclass(Ftrl, LegacyOptimizer)
        True
    """


class RMSprop(LegacyOptimizer):
    """Keras 2's RMSprop; creating it raises `ImportError` (use `kernelkit.optimizers.RMSprop`).

    Example:
        >>> issubclass(RMSprop, LegacyOptimizer)
        True
    """
