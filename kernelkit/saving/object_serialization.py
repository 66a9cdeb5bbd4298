"""`serialize_keras_object` / `deserialize_keras_object`: Keras 3's object config forms.

Objects are written as Keras 3 writes them and read back only through kernelkit's registry
(built-ins, `custom_objects`, `register_keras_serializable`): nothing named in a config is
ever imported, and Python bytecode (`__lambda__`) is refused unless `safe_mode=False`.
"""

from __future__ import annotations

import types

import jax
import numpy as np

from kernelkit.layers.core.function_config import function_from_config, function_to_config
from kernelkit.registry import deserialize, safe_mode_scope, serialize

__all__ = ["deserialize_keras_object", "serialize_keras_object"]

_PLAIN = (str, int, float, bool)


def serialize_keras_object(obj):
    """Returns the config Keras 3 writes for `obj` (recursing into lists, tuples and dicts).

    Args:
        obj: A kernelkit object (layer, loss, optimizer, ...), a registered class instance or
            function, an array, or a plain value.

    Returns:
        A JSON-friendly value; objects become `{"module", "class_name", "config",
        "registered_name"}` (plus `build_config` / `compile_config` when they have one).

    Raises:
        TypeError: for an object that has no `get_config()` and is not a function.

    Example:
        >>> import kernelkit as kk
        >>> serialize_keras_object(kk.regularizers.L2(0.5))
        {'module': 'keras.regularizers', 'class_name': 'L2', 'config': {'l2': 0.5}, 'registered_name': None}
    """
    if obj is None or isinstance(obj, _PLAIN):
        return obj
    if isinstance(obj, list | tuple):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    special = _serialize_value(obj)
    if special is not None:
        return special
    if isinstance(obj, type):
        return {"module": "builtins", "class_name": "type", "config": obj.__name__,
                "registered_name": "type"}
    if isinstance(obj, types.FunctionType | types.BuiltinFunctionType) or (
            callable(obj) and not hasattr(obj, "get_config") and hasattr(obj, "__name__")):
        return function_to_config(obj, "serialize_keras_object", "obj")
    config = serialize(obj)
    config["config"] = serialize_keras_object(config["config"])
    for key in ("build_config", "compile_config"):
        getter = getattr(obj, f"get_{key}", None)
        value = getter() if callable(getter) else None
        if value is not None:
            config[key] = serialize_keras_object(value)
    return config


def _serialize_value(obj):
    """Keras's forms for bytes, slices, `...`, NumPy values and JAX arrays; None otherwise."""
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {"class_name": "__slice__", "config": {
            "start": serialize_keras_object(obj.start), "stop": serialize_keras_object(obj.stop),
            "step": serialize_keras_object(obj.step)}}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if type(obj).__module__ == "numpy":
        if isinstance(obj, np.ndarray) and obj.ndim > 0:
            return {"class_name": "__numpy__",
                    "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
        return obj.item() if hasattr(obj, "item") else None
    if isinstance(obj, jax.Array):
        array = np.asarray(obj)
        return {"class_name": "__tensor__",
                "config": {"value": array.tolist(), "dtype": array.dtype.name}}
    return None


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """Rebuilds an object from `serialize_keras_object`'s output, through the safe registry.

    Args:
        config: A serialized object, a list of them, a dict of them, or a plain value.
        custom_objects: Optional dict of names to classes and functions to resolve.
        safe_mode: If True (the default; None means True), Python lambdas stored as bytecode
            are refused.
        **kwargs: Accepted for Keras compatibility (`module_objects`, `printable_module_name`)
            and ignored: names always resolve through kernelkit's registry.

    Returns:
        The rebuilt object.

    Raises:
        UnsafeModelError: if the config names something that is not registered, or holds
            bytecode while `safe_mode` is True.

    Example:
        >>> deserialize_keras_object({"module": "keras.regularizers", "class_name": "L2",
        ...                           "config": {"l2": 0.5}, "registered_name": None}).l2
        0.5
    """
    safe_mode = safe_mode is not False  # None means the default (safe), as in Keras 3
    with safe_mode_scope(safe_mode):
        return _deserialize(config, custom_objects or {}, safe_mode)


def _deserialize(config, custom_objects, safe_mode):
    if config is None:
        return None
    if isinstance(config, str) and config in custom_objects:
        return custom_objects[config]
    if isinstance(config, list | tuple):
        return [_deserialize(c, custom_objects, safe_mode) for c in config]
    if isinstance(config, _PLAIN):
        return config
    if not isinstance(config, dict):
        raise TypeError(
            "deserialize_keras_object: cannot read the config. Expected a dict, a list or a "
            f"plain value. Received: config of type {type(config).__name__}. Pass the output "
            "of serialize_keras_object."
        )
    if "class_name" not in config or "config" not in config:
        return {k: _deserialize(v, custom_objects, safe_mode) for k, v in config.items()}
    name, inner = config["class_name"], config["config"]
    if name == "__bytes__":
        return inner["value"].encode("utf-8")
    if name == "__ellipsis__":
        return Ellipsis
    if name == "__slice__":
        return slice(*(_deserialize(inner[k], custom_objects, safe_mode)
                       for k in ("start", "stop", "step")))
    if name in ("function", "__lambda__"):
        return function_from_config(config, "deserialize_keras_object", custom_objects,
                                    safe_mode)
    if name == "type" and config.get("module") == "builtins":
        return np.dtype(inner).type
    return deserialize(config, custom_objects=custom_objects, where="deserialize_keras_object")
