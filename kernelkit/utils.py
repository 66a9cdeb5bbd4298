"""Keras's `keras.utils` names, re-exported from where they live (no code of its own)."""

from kernelkit.models.serialization import clone_model
from kernelkit.naming import reset_names as clear_session
from kernelkit.random import set_random_seed
from kernelkit.registry import custom_object_scope, register_keras_serializable

__all__ = ["clear_session", "clone_model", "custom_object_scope", "register_keras_serializable",
           "set_random_seed"]
