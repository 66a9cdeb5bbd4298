"""Saving and loading: `.keras` archives, `.weights.h5` and legacy `.h5` files, YAML, export."""

from kernelkit.registry import (
    deserialize,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize,
)
from kernelkit.saving.custom_objects import CustomObjectScope, get_custom_objects
from kernelkit.saving.file_editor import KerasFileEditor
from kernelkit.saving.invalid_file import InvalidFileError
from kernelkit.saving.model_files import load_model, load_weights, save_model, save_weights
from kernelkit.saving.object_serialization import (
    deserialize_keras_object,
    serialize_keras_object,
)

custom_object_scope = CustomObjectScope  # Keras's two names for one class

__all__ = [
    "CustomObjectScope",
    "InvalidFileError",
    "KerasFileEditor",
    "custom_object_scope",
    "deserialize",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "load_model",
    "load_weights",
    "register_keras_serializable",
    "save_model",
    "save_weights",
    "serialize",
    "serialize_keras_object",
]
