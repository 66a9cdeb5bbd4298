"""`IntegerLookup`: integer tokens to contiguous indices in a vocabulary (and back)."""

from __future__ import annotations

from kernelkit.layers.structured.index_lookup import IndexLookup
from kernelkit.registry import register_builtin

__all__ = ["IntegerLookup"]


@register_builtin("keras.layers")
class IntegerLookup(IndexLookup):
    """Maps integer tokens to indices of a vocabulary, given or learned with `adapt`.

    Runs on the host (NumPy). Indices: the mask token (0, if `mask_token` is set), the OOV
    indices, then the vocabulary terms, most frequent first after `adapt`.

    Args:
        max_tokens: Maximum vocabulary size, special indices included (`None`: no limit).
        num_oov_indices: Number of out-of-vocabulary indices (values are spread over them by
            `value % num_oov_indices`, or by hashing with `oov_method="farmhash"`).
        mask_token: Integer that maps to index 0 (`None`: no mask index).
        oov_token: Token returned for OOV indices when `invert=True` (default -1).
        vocabulary: Optional list/array of integers, or a text file path.
        vocabulary_dtype: Only `"int64"`.
        idf_weights: IDF weights for `output_mode="tf_idf"` with a `vocabulary`.
        invert: Whether to map indices back to tokens.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        sparse: Only `False`.
        pad_to_max_tokens: Whether encoded outputs have `max_tokens` columns.
        oov_method: `"floormod"` or `"farmhash"`.
        salt: Optional salt of the `"farmhash"` OOV hash (SipHash), an int or a pair.
        name: Layer name.
        **kwargs: `vocabulary_size` and other values written by `get_config`.

    Input shape:
        Integers of any shape.

    Output shape:
        The input shape in `"int"` mode, else `(batch, depth)` as in `CategoryEncoding`.

    Example:
        >>> import numpy as np
        >>> IntegerLookup(vocabulary=[12, 36])(np.array([36, 12, 7])).tolist()
        [2, 1, 0]
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 vocabulary=None, vocabulary_dtype="int64", idf_weights=None, invert=False,
                 output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", salt=None, name=None, **kwargs):
        if vocabulary_dtype != "int64":
            raise ValueError(
                f"IntegerLookup '{name or 'integer_lookup'}': only vocabulary_dtype='int64' is "
                f"supported. Received: vocabulary_dtype={vocabulary_dtype!r}."
            )
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         vocabulary_dtype=vocabulary_dtype, idf_weights=idf_weights,
                         invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method,
                         salt=salt, name=name, **kwargs)

    def get_config(self):
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
