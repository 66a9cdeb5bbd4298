"""Keras's `keras.preprocessing.sequence` names, re-exported from `kernelkit.data.sequences`.

Example:
    >>> pad_sequences([[1, 2, 3]], maxlen=2, truncating="post").tolist()
    [[1, 2]]
"""

from kernelkit.data.sequences import pad_sequences

__all__ = ["pad_sequences"]
