"""Keras's `keras.preprocessing.image` names, re-exported from `kernelkit.data.image_files`.

Example:
    >>> import numpy as np
    >>> smart_resize(np.ones((6, 4, 3)), (2, 2)).shape
    (2, 2, 3)
"""

from kernelkit.data.image_files import array_to_img, img_to_array, load_img, save_img, smart_resize

__all__ = ["array_to_img", "img_to_array", "load_img", "save_img", "smart_resize"]
