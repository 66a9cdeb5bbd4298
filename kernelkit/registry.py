"""The object registry: Keras-style serialization of kernelkit objects and user classes.

Objects are written as Keras 3 writes them, ``{"module", "class_name", "config",
"registered_name"}``, and read back only through this registry: kernelkit's own public classes
(registered under the Keras module they mirror, so Keras files resolve), `custom_objects`
given by the caller, and classes registered with `register_keras_serializable`. Nothing is
ever imported by name from a config.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from kernelkit.errors import UnsafeModelError

__all__ = [
    "custom_object_scope",
    "deserialize",
    "get_registered_name",
    "get_registered_object",
    "register_builtin",
    "register_keras_serializable",
    "serialize",
]

_BUILTIN: dict[str, dict[str, Any]] = {}  # keras module -> public name -> object
_BUILTIN_NAME: dict[int, tuple[str, str]] = {}  # id(object) -> (module, name)
_CUSTOM: dict[str, Any] = {}  # "package>Name" -> object
_CUSTOM_NAME: dict[int, str] = {}
_scope = threading.local()


def register_builtin(module: str, name: str | None = None) -> Callable:
    """Registers a kernelkit public class or function under the Keras module it mirrors."""

    def decorate(obj):
        key = name or obj.__name__
        _BUILTIN.setdefault(module, {})[key] = obj
        _BUILTIN_NAME.setdefault(id(obj), (module, key))
        return obj

    return decorate


def register_keras_serializable(package: str = "Custom", name: str | None = None) -> Callable:
    """Registers a user class or function so that saved configs can name it.

    Example:
        >>> @register_keras_serializable(package="demo")
        ... class Twice:
        ...     pass
        >>> get_registered_name(Twice)
        'demo>Twice'
    """
    if ">" in package:
        raise ValueError(
            "register_keras_serializable: the package name may not contain '>'. "
            f"Received: package={package!r}."
        )

    def decorate(obj):
        registered = f"{package}>{name or obj.__name__}"
        if hasattr(obj, "get_config") is False and isinstance(obj, type):
            raise ValueError(
                f"register_keras_serializable: class {obj.__name__} cannot be serialized "
                "because it has no get_config() method. Add get_config() returning its "
                "constructor arguments."
            )
        _CUSTOM[registered] = obj
        _CUSTOM_NAME[id(obj)] = registered
        return obj

    return decorate


def get_registered_name(obj) -> str:
    """Returns the name under which `obj` is registered (`"package>Name"` or its own name)."""
    if id(obj) in _CUSTOM_NAME:
        return _CUSTOM_NAME[id(obj)]
    return getattr(obj, "__name__", type(obj).__name__)


def get_registered_object(name: str, custom_objects: dict | None = None, module: str | None = None):
    """Looks `name` up in the custom scope, `custom_objects`, user registrations, then built-ins."""
    for table in (*_scopes(), custom_objects or {}):
        if name in table:
            return table[name]
    if name in _CUSTOM:
        return _CUSTOM[name]
    if module is not None and name in _BUILTIN.get(module, {}):
        return _BUILTIN[module][name]
    for table in _BUILTIN.values():
        if name in table:
            return table[name]
    return None


@contextlib.contextmanager
def custom_object_scope(custom_objects: dict) -> Iterator[None]:
    """Makes `custom_objects` resolvable by name inside the `with` block."""
    stack = getattr(_scope, "stack", [])
    _scope.stack = [*stack, dict(custom_objects)]
    try:
        yield
    finally:
        _scope.stack = stack


def _scopes() -> list[dict]:
    return list(getattr(_scope, "stack", []))


def serialize(obj) -> Any:
    """Serializes a kernelkit object to Keras 3's dict form; functions become their name."""
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    if isinstance(obj, list | tuple):
        return [serialize(o) for o in obj]
    if isinstance(obj, dict):
        return {k: serialize(v) for k, v in obj.items()}
    if callable(obj) and not hasattr(obj, "get_config"):
        if id(obj) in _CUSTOM_NAME:
            return _CUSTOM_NAME[id(obj)]
        return getattr(obj, "__name__", repr(obj))
    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"serialize: cannot serialize an object of type {type(obj).__name__}. Expected a "
            "kernelkit object or a class with get_config(). Register user classes with "
            "kernelkit.saving.register_keras_serializable."
        )
    cls = type(obj)
    module, name = _BUILTIN_NAME.get(id(cls), (None, cls.__name__))
    registered = _CUSTOM_NAME.get(id(cls))
    return {
        "module": module,
        "class_name": name,
        "config": obj.get_config(),
        "registered_name": registered,
    }


def deserialize(config, module: str | None = None, custom_objects: dict | None = None,
                where: str = "config"):
    """Rebuilds an object from `serialize`'s output, resolving classes only via the registry.

    Raises:
        UnsafeModelError: if the config names a class or function that is not registered.
    """
    if config is None or isinstance(config, bool | int | float):
        return config
    if isinstance(config, str):
        obj = get_registered_object(config, custom_objects, module)
        if obj is None:
            raise UnsafeModelError(
                f"{where}: {config!r} is not a registered kernelkit object. Expected a name "
                "known to kernelkit, passed in custom_objects, or registered with "
                "register_keras_serializable."
            )
        return obj
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"{where}: improperly formatted config. Expected a dict with 'class_name' and "
            f"'config'. Received: config of type {type(config).__name__}."
        )
    name = config.get("registered_name") or config["class_name"]
    cls = get_registered_object(name, custom_objects, config.get("module") or module)
    if cls is None and name != config["class_name"]:
        cls = get_registered_object(config["class_name"], custom_objects, config.get("module") or module)
    if cls is None:
        raise UnsafeModelError(
            f"{where}: class {config['class_name']!r} (module {config.get('module')!r}) is not "
            "a registered kernelkit object. Pass it in custom_objects or register it with "
            "kernelkit.saving.register_keras_serializable; nothing else is ever imported."
        )
    inner = config.get("config", {})
    if not isinstance(cls, type):
        return cls
    if hasattr(cls, "from_config"):
        return cls.from_config(inner)
    return cls(**inner)
