"""`correct_pad`: the zero padding that makes a stride-2 'valid' convolution act like 'same'."""

from __future__ import annotations

from kernelkit import config

__all__ = ["correct_pad"]


def correct_pad(inputs, kernel_size):
    """Padding before a stride-2 'valid' convolution so it matches TensorFlow's 'same', as Keras.

    Args:
        inputs: A 4D symbolic tensor in the global image data format.
        kernel_size: An integer or a `(height, width)` pair.

    Returns:
        `((top, bottom), (left, right))` for `ZeroPadding2D`.

    Example:
        >>> import kernelkit as kk
        >>> correct_pad(kk.Input(shape=(8, 9, 3)), 3)
        ((0, 1), (1, 1))
    """
    axis = 2 if config.image_data_format() == "channels_first" else 1
    rows, cols = tuple(inputs.shape)[axis:axis + 2]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if rows is None else (1 - rows % 2, 1 - cols % 2)
    half = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((half[0] - adjust[0], half[0]), (half[1] - adjust[1], half[1]))
