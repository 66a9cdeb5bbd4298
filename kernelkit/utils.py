"""Keras's `keras.utils` names, re-exported from where they live (no code of its own)."""

import kernelkit.data.bounding_boxes as bounding_boxes
import kernelkit.saving.legacy_serialization as legacy
from kernelkit.callbacks.progbar import Progbar
from kernelkit.config import (
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)
from kernelkit.data import PyDataset, Sequence, pack_x_y_sample_weight, unpack_x_y_sample_weight
from kernelkit.data.audio_directory import audio_dataset_from_directory
from kernelkit.data.categorical import normalize, to_categorical
from kernelkit.data.dataset_split import split_dataset
from kernelkit.data.file_cache import get_file
from kernelkit.data.image_directory import image_dataset_from_directory
from kernelkit.data.image_files import array_to_img, img_to_array, load_img, save_img
from kernelkit.data.sequences import pad_sequences
from kernelkit.data.text_directory import text_dataset_from_directory
from kernelkit.data.timeseries import timeseries_dataset_from_array
from kernelkit.display.graph_dot import model_to_dot, plot_model
from kernelkit.layers.feature_space import FeatureSpace
from kernelkit.layers.source_inputs import get_source_inputs, is_keras_tensor
from kernelkit.models.serialization import clone_model
from kernelkit.naming import reset_names as clear_session
from kernelkit.ops.dtypes import standardize_dtype
from kernelkit.random import set_random_seed
from kernelkit.registry import (
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from kernelkit.saving import (
    CustomObjectScope,
    custom_object_scope,
    deserialize_keras_object,
    get_custom_objects,
    serialize_keras_object,
)
from kernelkit.saving.config_object import Config

__all__ = ["Config", "CustomObjectScope", "FeatureSpace", "Progbar", "PyDataset", "Sequence",
           "array_to_img", "audio_dataset_from_directory", "bounding_boxes", "clear_session",
           "clone_model", "custom_object_scope", "deserialize_keras_object",
           "disable_interactive_logging", "enable_interactive_logging", "get_custom_objects",
           "get_file", "get_registered_name", "get_registered_object", "get_source_inputs",
           "image_dataset_from_directory", "img_to_array", "is_interactive_logging_enabled",
           "is_keras_tensor", "legacy", "load_img", "model_to_dot", "normalize",
           "pack_x_y_sample_weight", "pad_sequences", "plot_model", "register_keras_serializable",
           "save_img", "serialize_keras_object", "set_random_seed", "split_dataset",
           "standardize_dtype", "text_dataset_from_directory", "timeseries_dataset_from_array",
           "to_categorical", "unpack_x_y_sample_weight"]
