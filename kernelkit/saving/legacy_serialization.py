"""Keras 2's object config form (`{"class_name", "config"}`), as `keras.utils.legacy` has it.

Reading goes through kernelkit's registry, as every other config: nothing named in a config
is imported.
"""

from __future__ import annotations

from kernelkit.registry import deserialize, get_registered_name

__all__ = ["deserialize_keras_object", "serialize_keras_object"]


def serialize_keras_object(instance):
    """Returns Keras 2's form of an object: `{"class_name", "config"}`, or a function's name.

    Args:
        instance: An object with `get_config()`, a function, or `None`.

    Returns:
        The config dict, a name, or `None`.

    Raises:
        ValueError: for an object with neither `get_config()` nor a name.

    Example:
        >>> import kernelkit as kk
        >>> serialize_keras_object(kk.regularizers.L2(0.5))
        {'class_name': 'L2', 'config': {'l2': 0.5}}
    """
    if instance is None:
        return None
    if hasattr(instance, "get_config"):
        name = get_registered_name(type(instance))
        return {"class_name": name, "config": instance.get_config()}
    if hasattr(instance, "__name__"):
        return get_registered_name(instance)
    raise ValueError(
        "legacy.serialize_keras_object: cannot serialize the object. Expected an object with "
        f"get_config() or a named function. Received: an object of type "
        f"{type(instance).__name__}."
    )


def deserialize_keras_object(identifier, module_objects=None, custom_objects=None,
                             printable_module_name="object"):
    """Rebuilds an object from Keras 2's `{"class_name", "config"}` form or a name.

    Args:
        identifier: The config dict or a registered name.
        module_objects: Optional dict of extra names (merged with `custom_objects`).
        custom_objects: Optional dict of names to classes and functions.
        printable_module_name: What the object is, for error messages.

    Returns:
        The object (`None` for `None`).

    Raises:
        UnsafeModelError: for a name that is not registered.

    Example:
        >>> deserialize_keras_object({"class_name": "L2", "config": {"l2": 0.5}}).l2
        0.5
    """
    if identifier is None:
        return None
    objects = {**(module_objects or {}), **(custom_objects or {})}
    return deserialize(identifier, custom_objects=objects, where=printable_module_name)
