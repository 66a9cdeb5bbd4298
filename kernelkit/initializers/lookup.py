"""`get`, `serialize` and `deserialize` for initializers."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from kernelkit import registry
from kernelkit.initializers.initializer import _MODULE, _NAMES, _dtype

__all__ = ["deserialize", "get", "serialize"]


def serialize(initializer) -> dict:
    """Returns Keras 3's serialized dict for an initializer.

    Example:
        >>> from kernelkit.initializers import Zeros
        >>> serialize(Zeros())
        {'module': 'keras.initializers', 'class_name': 'Zeros', 'config': {}, 'registered_name': None}
    """
    return registry.serialize(initializer)


def deserialize(config, custom_objects=None):
    """Rebuilds an initializer from `serialize`'s dict (or Keras 3's), or a name.

    Raises:
        UnsafeModelError: if the config names a class that is not known (a `ValueError`).

    Example:
        >>> deserialize({"class_name": "he_normal", "config": {"seed": 1}}).seed
        1
    """
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    return registry.deserialize(config, module=_MODULE, custom_objects=custom_objects,
                                where="initializer")


def get(identifier):
    """Resolves an initializer from a name, dict, class, instance, callable, array or None.

    Names are Keras's, case-sensitive: class names (`"GlorotUniform"`), snake_case names
    (`"glorot_uniform"`) and Keras's aliases (`"normal"`, `"uniform"`, `"one"`, `"zero"`,
    `"IdentityInitializer"`, `"OrthogonalInitializer"`, `"STFTInitializer"`). An array
    becomes an initializer returning it, for its own shape only.

    Raises:
        ValueError: for an unknown name or dict.
        IdentifierTypeError: for an identifier that is none of these (also a `ValueError`).

    Example:
        >>> type(get("glorot_uniform")).__name__
        'GlorotUniform'
    """
    if identifier is None:
        return None
    if isinstance(identifier, str):
        obj = _NAMES.get(identifier) or registry.get_registered_object(identifier, builtins=False)
        if obj is None:
            raise ValueError(
                f"initializers.get: unknown initializer {identifier!r}. Expected one of "
                f"{sorted(_NAMES)} or a registered name. Received: identifier={identifier!r}. "
                "Names are case-sensitive."
            )
    elif isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, np.ndarray | np.generic | jax.Array):
        obj = _from_array(identifier)
    else:
        obj = identifier
    if isinstance(obj, type):
        return obj()
    if callable(obj):
        return obj
    raise registry.IdentifierTypeError(
        "initializers.get: could not interpret the initializer identifier. Expected a name, "
        f"a dict, an Initializer, a callable or an array. Received: identifier={identifier!r}."
    )


def _from_array(array):
    def initialize(shape, dtype=None):
        if tuple(shape) != tuple(array.shape):
            raise ValueError(
                "initializers.get: an array used as initializer has a fixed shape. Expected "
                f"shape={tuple(array.shape)}. Received: shape={tuple(shape)}. Pass an array "
                "of the weight's shape."
            )
        return jnp.asarray(array, dtype=_dtype(dtype))

    return initialize
