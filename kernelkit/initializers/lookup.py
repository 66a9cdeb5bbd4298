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

    Args:
        initializer: The initializer to write.

    Returns:
        Keras 3's serialized form: a dict, or a name.

    Example:
        >>> from kernelkit.initializers import Zeros
        >>> serialize(Zeros())
        {'module': 'keras.initializers', 'class_name': 'Zeros', 'config': {}, 'registered_name': None}
    """
    return _LOOKUP.serialize(initializer)


def deserialize(config, custom_objects=None):
    """Rebuilds an initializer from `serialize`'s dict (or Keras 3's), or a name.

    Args:
        config: A dict `serialize` (or Keras 3) wrote, or a name.
        custom_objects: Optional dict of extra names to objects.

    Returns:
        The initializer.

    Raises:
        UnsafeModelError: if the config names a class that is not known (a `ValueError`).

    Example:
        >>> deserialize({"class_name": "he_normal", "config": {"seed": 1}}).seed
        1
    """
    return _LOOKUP.deserialize(config, custom_objects)


def get(identifier):
    """Resolves an initializer from a name, dict, class, instance, callable, array or None.

    Names are Keras's, case-sensitive: class names (`"GlorotUniform"`), snake_case names
    (`"glorot_uniform"`) and Keras's aliases (`"normal"`, `"uniform"`, `"one"`, `"zero"`,
    `"IdentityInitializer"`, `"OrthogonalInitializer"`, `"STFTInitializer"`). An array
    becomes an initializer returning it, for its own shape only.

    Args:
        identifier: A name, a serialized dict, a class, an instance, a callable, an
            array or `None`.

    Returns:
        The initializer (`None` for `None`).

    Raises:
        ValueError: for an unknown name or dict.
        IdentifierTypeError: for an identifier that is none of these (also a `ValueError`).

    Example:
        >>> type(get("glorot_uniform")).__name__
        'GlorotUniform'
    """
    return _LOOKUP.get(identifier)


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


def _convert(identifier):
    """An array becomes an initializer returning it; other identifiers go the common way."""
    if isinstance(identifier, np.ndarray | np.generic | jax.Array):
        return _from_array(identifier)
    return None


_LOOKUP = registry.Lookup(
    "initializers", "initializer", _MODULE, _NAMES, convert=_convert,
    accepts="a name, a dict, an Initializer, a callable or an array")
