"""`StringLookup`: string tokens to contiguous indices in a vocabulary (and back), on the host."""

from __future__ import annotations

from kernelkit.layers.structured.index_lookup import IndexLookup
from kernelkit.registry import register_builtin

__all__ = ["StringLookup"]


@register_builtin("keras.layers")
class StringLookup(IndexLookup):
    """Maps strings to indices of a vocabulary, given or learned with `adapt`.

    Runs on the host (NumPy string arrays). Indices: the mask token (0, if `mask_token` is
    set), the OOV indices, then the vocabulary terms, most frequent first after `adapt` (ties:
    the larger string first).

    Args:
        max_tokens: Maximum vocabulary size, special indices included (`None`: no limit).
        num_oov_indices: Number of out-of-vocabulary indices (OOV strings are spread over them
            by FarmHash Fingerprint64, or SipHash keyed by `salt`).
        mask_token: String that maps to index 0 (`None`: no mask index).
        oov_token: Token returned for OOV indices when `invert=True` (default `"[UNK]"`).
        vocabulary: Optional list/array of strings, or a text file path, one per line.
        idf_weights: IDF weights for `output_mode="tf_idf"` with a `vocabulary`.
        invert: Whether to map indices back to strings.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        pad_to_max_tokens: Whether encoded outputs have `max_tokens` columns.
        sparse: Only `False`.
        encoding: Text encoding of byte inputs (`"utf-8"`).
        name: Layer name.
        salt: Optional salt of the OOV hash, an int or a pair of ints.
        **kwargs: `vocabulary_size` and other values written by `get_config`.

    Input shape:
        Strings of any shape.

    Output shape:
        The input shape in `"int"` mode, else `(batch, depth)` as in `CategoryEncoding`.

    Example:
        >>> import numpy as np
        >>> StringLookup(vocabulary=["a", "b"])(np.array([["b", "a", "z"]])).tolist()
        [[2, 1, 0]]
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", name=None, salt=None,
                 **kwargs):
        kwargs.pop("vocabulary_dtype", None)
        self.encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         vocabulary_dtype="string", idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, pad_to_max_tokens=pad_to_max_tokens,
                         sparse=sparse, name=name, salt=salt, **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["vocabulary_dtype"]
        return {**config, "encoding": self.encoding}
