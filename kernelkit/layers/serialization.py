"""`layers.serialize` / `layers.deserialize`: a layer to Keras 3's config dict and back."""

from __future__ import annotations

from kernelkit.layers.layer import Layer
from kernelkit.registry import deserialize as _deserialize
from kernelkit.registry import serialize as _serialize

__all__ = ["deserialize", "serialize"]


def serialize(layer) -> dict:
    """Returns the config Keras 3 writes for a layer (with `build_config` once it is built).

    Args:
        layer: A kernelkit `Layer`.

    Returns:
        A dict with `module`, `class_name`, `config`, `registered_name` and, for a built
        layer, `build_config`.

    Example:
        >>> import kernelkit as kk
        >>> config = serialize(kk.layers.Dense(2))
        >>> config["class_name"], config["config"]["units"]
        ('Dense', 2)
    """
    config = _serialize(layer)
    build = layer.get_build_config() if hasattr(layer, "get_build_config") else None
    if isinstance(config, dict) and build is not None:
        config["build_config"] = build
    return config


def deserialize(config, custom_objects=None) -> Layer:
    """Rebuilds a layer from `serialize`'s output, resolving classes only via the registry.

    Args:
        config: A dict written by `serialize` (or by Keras 3).
        custom_objects: Optional dict of names to custom layer classes.

    Returns:
        The layer, built when the config has a `build_config`.

    Raises:
        ValueError: if the config does not describe a layer.
        UnsafeModelError: if it names a class that is not registered.

    Example:
        >>> import kernelkit as kk
        >>> deserialize(serialize(kk.layers.Dense(2))).units
        2
    """
    layer = _deserialize(config, module="keras.layers", custom_objects=custom_objects,
                         where="layers.deserialize")
    if not isinstance(layer, Layer):
        raise ValueError(
            "layers.deserialize: the config does not describe a layer. Expected a Layer "
            f"config. Received: config={config!r}. Pass the output of layers.serialize."
        )
    return layer
