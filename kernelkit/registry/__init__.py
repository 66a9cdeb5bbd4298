"""The object registry: Keras-style serialization of kernelkit objects and user classes.

Objects are written as Keras 3 writes them, ``{"module", "class_name", "config",
"registered_name"}``, and read back only through this registry: kernelkit's own public classes
(registered under the Keras module they mirror, so Keras files resolve), `custom_objects`
given by the caller, and classes registered with `register_keras_serializable`. Nothing is
ever imported by name from a config. `Lookup` builds each family's `get`, `serialize` and
`deserialize` on top of it.
"""

from kernelkit.registry.lookup import Lookup
from kernelkit.registry.registration import (
    IdentifierTypeError,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    in_safe_mode,
    register_builtin,
    register_keras_serializable,
    safe_mode_scope,
)
from kernelkit.registry.serialization import deserialize, serialize

__all__ = [
    "IdentifierTypeError",
    "Lookup",
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
