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

import numpy as np

from kernelkit.config import is_unsafe_deserialization_enabled
from kernelkit.errors import UnsafeModelError

__all__ = [
    "IdentifierTypeError",
    "custom_object_scope",
    "deserialize",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "in_safe_mode",
    "register_builtin",
    "register_keras_serializable",
    "safe_mode_scope",
    "serialize",
]

_BUILTIN: dict[str, dict[str, Any]] = {}  # keras module -> public name -> object
_BUILTIN_NAME: dict[int, tuple[str, str]] = {}  # id(object) -> (module, name)
_CUSTOM: dict[str, Any] = {}  # "package>Name" -> object
_CUSTOM_NAME: dict[int, str] = {}
_scope = threading.local()


class IdentifierTypeError(TypeError, ValueError):
    """Raised by `get(identifier)` for an identifier of the wrong type.

    A `TypeError` by kernelkit's convention and a `ValueError` because Keras 3 raises that, so
    code written for either catches it.
    """


def register_builtin(module: str, name: str | None = None) -> Callable:
    """Registers a kernelkit public class or function under the Keras module it mirrors.

    The first name an object is registered under is the one `serialize` writes; later names
    (aliases such as `"swish"`) only resolve.
    """

    def decorate(obj):
        key = name or obj.__name__
        _BUILTIN.setdefault(module, {})[key] = obj
        _BUILTIN_NAME.setdefault(id(obj), (module, key))
        return obj

    return decorate


def register_keras_serializable(package: str = "Custom", name: str | None = None) -> Callable:
    """Registers a user class or function under `"package>name"`, so saved configs can name it.

    Args:
        package: The package the object belongs to, the part before `>`.
        name: The name to register under; defaults to the object's `__name__`.

    Raises:
        ValueError: if `package` contains `">"`, or a class has no `get_config()`.

    Example:
        >>> @register_keras_serializable(package="demo")
        ... class Twice:
        ...     def get_config(self):
        ...         return {}
        >>> get_registered_name(Twice), get_registered_object("demo>Twice") is Twice
        ('demo>Twice', True)
    """
    if ">" in package:
        raise ValueError(
            "register_keras_serializable: the package name contains '>', which separates "
            f"package and name. Expected a name without '>'. Received: package={package!r}. "
            "Remove the '>'."
        )

    def decorate(obj):
        registered = f"{package}>{name or obj.__name__}"
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError(
                f"register_keras_serializable: class {obj.__name__} cannot be serialized. "
                "Expected a class with a get_config() method. "
                f"Received: {obj.__name__} without get_config(). Add get_config() returning "
                "its constructor arguments."
            )
        _CUSTOM[registered] = obj
        _CUSTOM_NAME[id(obj)] = registered
        return obj

    return decorate


def get_custom_objects() -> dict:
    """The live dict of user registrations (`"package>Name"` -> object), as Keras's.

    Adding to it makes a name resolvable, like `register_keras_serializable`.

    Returns:
        The registry's own dict (not a copy).

    Example:
        >>> get_custom_objects()["demo>Triple"] = len
        >>> get_registered_object("demo>Triple") is len
        True
        >>> del get_custom_objects()["demo>Triple"]
    """
    return _CUSTOM


def get_registered_name(obj) -> str:
    """Returns the name under which `obj` is registered (`"package>Name"` or its own name).

    Example:
        >>> get_registered_name(len)
        'len'
    """
    if id(obj) in _CUSTOM_NAME:
        return _CUSTOM_NAME[id(obj)]
    return getattr(obj, "__name__", type(obj).__name__)


def get_registered_object(name: str, custom_objects: dict | None = None, module: str | None = None,
                          *, builtins: bool = True):
    """Looks `name` up: custom object scopes (innermost first), `custom_objects`, user
    registrations, then (unless `builtins=False`) kernelkit's built-ins, `module`'s first.

    Returns:
        The object, or None when the name is unknown.

    Example:
        >>> get_registered_object("L2", module="keras.regularizers").__name__
        'L2'
        >>> get_registered_object("system") is None
        True
    """
    for table in (*reversed(_scopes()), custom_objects or {}):
        if name in table:
            return table[name]
    if name in _CUSTOM:
        return _CUSTOM[name]
    if not builtins:
        return None
    if module is not None and name in _BUILTIN.get(module, {}):
        return _BUILTIN[module][name]
    for table in _BUILTIN.values():
        if name in table:
            return table[name]
    return None


@contextlib.contextmanager
def custom_object_scope(custom_objects: dict) -> Iterator[None]:
    """Makes `custom_objects` resolvable by name inside the `with` block (nested scopes stack).

    Example:
        >>> with custom_object_scope({"twice": lambda x: 2 * x}):
        ...     get_registered_object("twice")(2)
        4
    """
    stack = getattr(_scope, "stack", [])
    _scope.stack = [*stack, dict(custom_objects)]
    try:
        yield
    finally:
        _scope.stack = stack


def _scopes() -> list[dict]:
    return list(getattr(_scope, "stack", []))


@contextlib.contextmanager
def safe_mode_scope(safe_mode: bool = True) -> Iterator[None]:
    """Sets whether deserialization inside the block may run bytecode from a config.

    Only the caller of `load_model` / `from_config` sets it; nothing in a file can.

    Example:
        >>> with safe_mode_scope(False):
        ...     in_safe_mode()
        False
    """
    previous = getattr(_scope, "safe_mode", True)
    _scope.safe_mode = safe_mode is not False
    try:
        yield
    finally:
        _scope.safe_mode = previous


def in_safe_mode() -> bool:
    """Whether bytecode in configs is refused right now (True unless `safe_mode_scope(False)`).

    Example:
        >>> in_safe_mode()
        True
    """
    if is_unsafe_deserialization_enabled():  # the global switch wins, as in Keras
        return False
    return getattr(_scope, "safe_mode", True)


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
