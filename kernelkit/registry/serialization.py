"""Keras 3's dict form of kernelkit objects: `serialize`, and `deserialize` through the registry
only (nothing named in a config is ever imported)."""

from __future__ import annotations

from typing import Any

import numpy as np

from kernelkit.errors import UnsafeModelError
from kernelkit.registry.registration import (
    _BUILTIN_NAME,
    _CUSTOM_NAME,
    custom_object_scope,
    get_registered_object,
)

__all__ = ["deserialize", "serialize"]


def serialize(obj) -> Any:
    """Serializes a kernelkit object to Keras 3's dict form; functions become their name.

    Plain values pass through (tuples stay tuples), NumPy and JAX arrays become Keras's
    `{"class_name": "__numpy__", ...}` dict, and objects with `get_config()` become
    `{"module", "class_name", "config", "registered_name"}`.

    Raises:
        TypeError: for an object that has no `get_config()` and is not a function.

    Example:
        >>> from kernelkit.regularizers import L2
        >>> serialize(L2(0.5))["class_name"]
        'L2'
    """
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, list | tuple):
        items = [serialize(o) for o in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return {k: serialize(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray) or (hasattr(obj, "shape") and hasattr(obj, "dtype")
                                       and not hasattr(obj, "get_config")):
        array = np.asarray(obj)
        return {"class_name": "__numpy__",
                "config": {"value": array.tolist(), "dtype": array.dtype.name}}
    if callable(obj) and not hasattr(obj, "get_config"):
        if id(obj) in _CUSTOM_NAME:
            return _CUSTOM_NAME[id(obj)]
        return getattr(obj, "__name__", repr(obj))
    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"serialize: cannot serialize an object of type {type(obj).__name__}. Expected a "
            "kernelkit object or a class with get_config(). Register user classes with "
            "kernelkit.utils.register_keras_serializable."
        )
    cls = type(obj)
    if id(cls) in _BUILTIN_NAME and id(cls) not in _CUSTOM_NAME:
        (module, name), registered = _BUILTIN_NAME[id(cls)], None
    else:  # as Keras writes a user class: its module (None for __main__), registered name
        module = None if cls.__module__ == "__main__" else cls.__module__
        name, registered = cls.__name__, _CUSTOM_NAME.get(id(cls), cls.__name__)
    return {
        "module": module,
        "class_name": name,
        "config": obj.get_config(),
        "registered_name": registered,
    }


def deserialize(config, module: str | None = None, custom_objects: dict | None = None,
                where: str = "config"):
    """Rebuilds an object from `serialize`'s output, resolving classes only via the registry.

    Args:
        config: A name, a serialized dict, or a plain value (returned as is).
        module: The Keras module to prefer when a name exists in several
            (`"keras.layers"`, `"keras.initializers"`, ...).
        custom_objects: Optional dict of extra names to objects.
        where: Where in the config this object sits, to name it in errors.

    Raises:
        UnsafeModelError: if the config names a class or function that is not registered,
            or holds a Python lambda as bytecode.
        ValueError: if a dict config has no `class_name`.

    Example:
        >>> deserialize({"module": "keras.regularizers", "class_name": "L2",
        ...              "config": {"l2": 0.5}, "registered_name": None}).l2
        0.5
    """
    if config is None or isinstance(config, bool | int | float):
        return config
    if isinstance(config, str):
        return _resolve([config], None, custom_objects, module, where)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"{where}: improperly formatted config. Expected a dict with 'class_name' and "
            f"'config'. Received: config of type {type(config).__name__}."
        )
    special = _deserialize_special(config, where)
    if special is not _NOT_SPECIAL:
        return special
    if config["class_name"] == "function":  # Keras 3's form for a plain function
        names = [config.get("config"), config.get("registered_name")]
        return _resolve([n for n in names if isinstance(n, str)], config, custom_objects,
                        module, where)
    names = [config.get("registered_name"), config["class_name"]]
    cls = _resolve([n for n in names if isinstance(n, str)], config, custom_objects,
                   config.get("module") or module, where)
    inner = config.get("config", {})
    if not isinstance(cls, type):
        return cls
    # nested objects (a model's layers) resolve the same custom objects
    with custom_object_scope(custom_objects or {}):
        obj = cls.from_config(inner) if hasattr(cls, "from_config") else cls(**inner)
        build = config.get("build_config")
        if build and hasattr(obj, "build_from_config"):
            obj.build_from_config(build)
    return obj


_NOT_SPECIAL = object()


def _deserialize_special(config: dict, where: str):
    """Keras's built-in value forms (`__numpy__`, `__tuple__`, ...); never code."""
    name, inner = config["class_name"], config.get("config")
    if name in ("__numpy__", "__tensor__"):
        return np.asarray(inner["value"], dtype=inner.get("dtype"))
    if name == "__tuple__":
        return tuple(inner["value"])
    if name == "__lambda__":
        raise UnsafeModelError(
            f"{where}: the config holds a Python lambda as bytecode, which could run "
            "arbitrary code when loaded, so it is refused. Expected a registered named "
            "function. Received: class_name='__lambda__'. Replace the lambda with a `def` "
            "decorated with kernelkit.utils.register_keras_serializable."
        )
    return _NOT_SPECIAL


def _resolve(names, config, custom_objects, module, where):
    for name in names:
        obj = get_registered_object(name, custom_objects, module)
        if obj is not None:
            return obj
    shown = names[0] if names else None
    origin = "" if config is None else f" (module {config.get('module')!r})"
    source = None if config is None else config.get("module")
    dotted = f"{source}.{shown}" if isinstance(source, str) and source else shown
    raise UnsafeModelError(
        f"{where}: {shown!r}{origin} is not a registered kernelkit object, and nothing named "
        "in a config is ever imported. Expected a kernelkit name, a key of custom_objects, "
        f"or a name registered with register_keras_serializable. Received: {shown!r}, so the "
        f"config asks for {dotted!r}. Pass it in custom_objects or register it with "
        "kernelkit.utils.register_keras_serializable."
    )
