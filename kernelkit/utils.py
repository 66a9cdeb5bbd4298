"""Keras's `keras.utils` names, re-exported from where they live (no code of its own)."""

from kernelkit.data import PyDataset, Sequence, pack_x_y_sample_weight, unpack_x_y_sample_weight
from kernelkit.display.graph_dot import model_to_dot, plot_model
from kernelkit.models.serialization import clone_model
from kernelkit.naming import reset_names as clear_session
from kernelkit.random import set_random_seed
from kernelkit.registry import custom_object_scope, register_keras_serializable

__all__ = ["PyDataset", "Sequence", "clear_session", "clone_model", "custom_object_scope",
           "model_to_dot", "pack_x_y_sample_weight", "plot_model", "register_keras_serializable",
           "set_random_seed", "unpack_x_y_sample_weight"]
