"""Layer weights: the `Weight` / `NonTrainableWeight` Variables and readers of any NNX Variable.

The classes live in `kernelkit.variables` (below `metrics` and `layers`, so metric
variables share the Keras `Variable` API); this module is where layers import them from.
"""

from __future__ import annotations

from flax import nnx

from kernelkit.variables import NonTrainableWeight, Variable, Weight, write_count

__all__ = ["NonTrainableWeight", "Variable", "Weight", "is_trainable_variable", "variable_name",
           "variable_path", "write_count"]


def is_trainable_variable(v) -> bool:
    """True for Params (kernelkit or plain NNX) whose `trainable` metadata is not False.

    Example:
        >>> import jax.numpy as jnp
        >>> is_trainable_variable(nnx.Param(jnp.ones(1))), is_trainable_variable(
        ...     nnx.BatchStat(jnp.ones(1)))
        (True, False)
    """
    return isinstance(v, nnx.Param) and v.get_metadata().get("trainable", True) is not False


def variable_name(v) -> str:
    """The Keras short name of any NNX Variable (`kernel`), `variable` when unnamed.

    Example:
        >>> import jax.numpy as jnp
        >>> variable_name(Weight(jnp.ones(1), name="bias"))
        'bias'
    """
    return v.get_metadata().get("name", "variable")


def variable_path(v) -> str:
    """The Keras path of any NNX Variable (`dense/kernel`).

    Example:
        >>> import jax.numpy as jnp
        >>> variable_path(Weight(jnp.ones(1), name="bias", path="dense/bias"))
        'dense/bias'
    """
    meta = v.get_metadata()
    return meta.get("path", meta.get("name", "variable"))
