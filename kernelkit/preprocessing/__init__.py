"""Keras's `keras.preprocessing` names, re-exported from `kernelkit.data` where they live.

Example:
    >>> import kernelkit as kk
    >>> kk.preprocessing.sequence.pad_sequences([[1, 2], [3]]).tolist()
    [[1, 2], [0, 3]]
"""

from kernelkit.data.image_directory import image_dataset_from_directory
from kernelkit.data.text_directory import text_dataset_from_directory
from kernelkit.data.timeseries import timeseries_dataset_from_array
from kernelkit.preprocessing import image, sequence

__all__ = ["image", "image_dataset_from_directory", "sequence", "text_dataset_from_directory",
           "timeseries_dataset_from_array"]
