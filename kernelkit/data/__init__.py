"""Data adapters: arrays, dicts, pandas, generators, `PyDataset`, any iterable of batches."""

from kernelkit.data.array_data import ArrayData, Execution, class_weight_to_sample_weight
from kernelkit.data.iterable_data import IterableData, is_iterable_data
from kernelkit.data.py_dataset import PyDataset, Sequence
from kernelkit.data.unpack import pack_x_y_sample_weight, unpack_x_y_sample_weight

__all__ = ["ArrayData", "Execution", "IterableData", "PyDataset", "Sequence",
           "class_weight_to_sample_weight", "is_iterable_data", "pack_x_y_sample_weight",
           "unpack_x_y_sample_weight"]
