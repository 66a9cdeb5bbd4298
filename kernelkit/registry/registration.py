"""The registry's tables: kernelkit's built-ins, user registrations, custom object scopes and
the safe-mode switch, and the lookup of a name through them."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from kernelkit.config import is_unsafe_deserialization_enabled

__all__ = [
    "IdentifierTypeError",
    "custom_object_scope",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "in_safe_mode",
    "register_builtin",
    "register_keras_serializable",
    "safe_mode_scope",
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

    Example:
        >>> issubclass(IdentifierTypeError, TypeError), issubclass(IdentifierTypeError, ValueError)
        (True, True)
    """


def register_builtin(module: str, name: str | None = None) -> Callable:
    """Registers a kernelkit public class or function under the Keras module it mirrors.

    The first name an object is registered under is the one `serialize` writes; later names
    (aliases such as `"swish"`) only resolve.

    Args:
        module: The Keras module the object mirrors (`"keras.layers"`).
        name: The public name; defaults to the object's `__name__`.

    Returns:
        A decorator that registers its argument and returns it unchanged.

    Example:
        >>> def demo_identity(x):
        ...     return x
        >>> register_builtin("demo.activations")(demo_identity) is demo_identity
        True
        >>> get_registered_object("demo_identity", module="demo.activations") is demo_identity
        True
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
