"""`Hashing`: strings or integers to `num_bins` buckets by a stable hash, on the host."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from kernelkit import config as kk_config
from kernelkit.layers.structured.categorical_encoding import encode_categorical
from kernelkit.layers.structured.host_layer import HostLayer
from kernelkit.layers.structured.string_hash import hash_to_buckets
from kernelkit.layers.symbolic import SymbolicTensor
from kernelkit.registry import register_builtin

__all__ = ["Hashing"]

_MODES = ("int", "one_hot", "multi_hot", "count")


@register_builtin("keras.layers")
class Hashing(HostLayer):
    """Hashes each value to a bin in `[0, num_bins)`: FarmHash Fingerprint64, or SipHash-2-4
    keyed by `salt`. Integers are hashed as their decimal text, as in Keras.

    Args:
        num_bins: Number of bins (with `mask_value`, bin 0 is the mask bin).
        mask_value: Optional value that always maps to bin 0.
        salt: Optional int or pair of ints: the key of a keyed (strong) hash.
        output_mode: `"int"` (default), `"one_hot"`, `"multi_hot"` or `"count"`.
        sparse: Only `False`.
        **kwargs: Base layer arguments (`name`, `dtype`: `"int64"` by default in `"int"`
            mode, else floatx).

    Input shape:
        Strings or integers of any shape.

    Output shape:
        The input shape in `"int"` mode, else `(..., num_bins)`.

    Example:
        >>> import numpy as np
        >>> out = Hashing(num_bins=3)(np.array([["a"], ["b"], ["a"]]))
        >>> out.shape, bool(out[0, 0] == out[2, 0])
        ((3, 1), True)
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False,
                 **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else kk_config.floatx()
        super().__init__(**kwargs)
        who = f"Hashing '{self.name}'"
        if num_bins is None or num_bins <= 0:
            raise ValueError(f"{who}: `num_bins` must be a positive integer. Received: "
                             f"num_bins={num_bins!r}.")
        if output_mode not in _MODES:
            raise ValueError(f"{who}: unknown `output_mode`. Expected one of {list(_MODES)}. "
                             f"Received: output_mode={output_mode!r}.")
        if output_mode == "int" and self.dtype_policy.name not in ("int32", "int64"):
            raise ValueError(f"{who}: output_mode='int' needs an integer dtype, 'int32' or "
                             f"'int64'. Received: dtype={self.dtype_policy.name!r}.")
        if sparse:
            raise ValueError(f"{who}: sparse=True is not supported. Received: sparse=True. Use "
                             "sparse=False.")
        if salt is not None and not (isinstance(salt, int) or (
                isinstance(salt, tuple | list) and len(salt) == 2)):
            raise ValueError(f"{who}: `salt` must be an integer or a pair of integers. "
                             f"Received: salt={salt!r}.")
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.strong_hash = salt is not None
        self.salt = None if salt is None else ([salt, salt] if isinstance(salt, int)
                                               else list(salt))
        self.output_mode = output_mode
        self.sparse = sparse

    def _bins(self, values: np.ndarray) -> np.ndarray:
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = values == np.asarray(self.mask_value).astype(values.dtype)
        if values.dtype.kind == "f":
            values = values.astype(np.int64)
        out = hash_to_buckets(values, bins, self.salt)
        if mask is not None:
            out = np.where(mask, 0, out + 1)
        return out

    def call(self, inputs):
        values = np.asarray(inputs)
        if self.output_mode == "one_hot" and values.ndim and values.shape[-1] == 1:
            values = values[..., 0]
        bins = jnp.asarray(self._bins(values))
        if self.output_mode == "int":
            return bins  # int32: JAX without x64 holds int64 as int32, as Keras's output does
        return encode_categorical(bins, self.output_mode, self.num_bins, self.dtype)

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        return (*tuple(input_shape)[:-1], self.num_bins)

    def compute_output_spec(self, inputs):
        dtype = "int32" if self.output_mode == "int" else self.dtype
        return SymbolicTensor(self.compute_output_shape(inputs.shape), dtype)

    def get_config(self):
        return {**super().get_config(), "num_bins": self.num_bins, "salt": self.salt,
                "mask_value": self.mask_value, "output_mode": self.output_mode,
                "sparse": self.sparse}
