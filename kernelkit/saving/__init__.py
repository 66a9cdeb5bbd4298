"""Saving and loading: `.keras` archives, `.weights.h5` and legacy `.h5` files, YAML, export."""

from kernelkit.registry import (
    custom_object_scope,
    deserialize,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize,
)
from kernelkit.saving.invalid_file import InvalidFileError
from kernelkit.saving.model_files import load_model, load_weights, save_model, save_weights

__all__ = [
    "InvalidFileError",
    "custom_object_scope",
    "deserialize",
    "get_registered_name",
    "get_registered_object",
    "load_model",
    "load_weights",
    "register_keras_serializable",
    "save_model",
    "save_weights",
]
