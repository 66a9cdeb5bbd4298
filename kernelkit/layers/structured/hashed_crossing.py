"""`HashedCrossing`: crosses categorical features (strings or ints) into hashed buckets."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from kernelkit.errors import describe
from kernelkit.layers.structured.categorical_encoding import encode_categorical
from kernelkit.layers.structured.host_layer import HostLayer, to_host_array
from kernelkit.layers.structured.string_hash import fingerprint64, fingerprint_cat64
from kernelkit.layers.symbolic import SymbolicTensor
from kernelkit.registry import register_builtin

__all__ = ["HashedCrossing"]

_HASH_KEY = 0xDECAFCAFFE  # TensorFlow's default key of `sparse.cross_hashed`
_M = (1 << 64) - 1


@register_builtin("keras.layers")
class HashedCrossing(HostLayer):
    """Hashes the combination of two or more categorical features to one of `num_bins`.

    Each feature value is fingerprinted (strings with FarmHash, integers as themselves) and
    the fingerprints are combined in order, as TensorFlow's `sparse.cross_hashed` does.

    Args:
        num_bins: Number of hash bins.
        output_mode: `"int"` (default) or `"one_hot"`.
        sparse: Only `False`.
        name: Layer name.
        dtype: Output dtype (`"int64"` by default in `"int"` mode).
        **kwargs: Other base layer arguments.

    Input shape:
        A tuple of at least two arrays of equal shape: `()`, `(batch,)` or `(batch, 1)`.

    Output shape:
        The input shape in `"int"` mode, else `(batch, num_bins)`.

    Example:
        >>> import numpy as np
        >>> layer = HashedCrossing(num_bins=5)
        >>> layer((np.array(["a", "b"]), np.array([1, 2]))).shape
        (2,)
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None,
                 **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        who = f"HashedCrossing '{self.name}'"
        if output_mode not in ("int", "one_hot"):
            raise ValueError(f"{who}: unknown `output_mode`. Expected 'int' or 'one_hot'. "
                             f"Received: output_mode={output_mode!r}.")
        if sparse:
            raise ValueError(f"{who}: sparse=True is not supported. Received: sparse=True. Use "
                             "sparse=False.")
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = sparse

    def _check(self, inputs):
        who = f"HashedCrossing '{self.name}'"
        if not isinstance(inputs, list | tuple) or len(inputs) < 2:
            raise ValueError(f"{who}: expected a list or tuple of at least two inputs. "
                             f"Received: inputs={describe(inputs)}.")
        arrays = [to_host_array(x) for x in inputs]
        shape = arrays[0].shape
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise ValueError(f"{who}: every input must have shape (), (batch,) or (batch, 1). "
                             f"Received: input shape {shape}.")
        if any(a.shape != shape for a in arrays[1:]):
            raise ValueError(f"{who}: all inputs must have the same shape. Received: shapes "
                             f"{[a.shape for a in arrays]}.")
        if any(a.dtype.kind not in "iuU" for a in arrays):
            raise ValueError(f"{who}: inputs must be integers or strings. Received: dtypes "
                             f"{[a.dtype.name for a in arrays]}.")
        return arrays

    def __call__(self, *args, **kwargs):
        if args and isinstance(args[0], list | tuple) and not any(
                isinstance(x, SymbolicTensor) for x in args[0]):
            args = (tuple(args[0]), *args[1:])
            if any(isinstance(x, jax.core.Tracer) for x in args[0]):
                return self._traced_call(args[0])
        return super().__call__(*args, **kwargs)

    def _traced_call(self, inputs):
        # Integer features computed by earlier layers (a FeatureSpace's lookups) arrive traced
        # inside a model's compiled step; the hash runs on the host through a callback.
        shapes = [tuple(jnp.shape(x)) for x in inputs]
        if any(not jnp.issubdtype(jnp.asarray(x).dtype, jnp.integer) for x in inputs) or len(
                set(shapes)) != 1 or len(shapes[0]) > 2:
            raise ValueError(
                f"HashedCrossing '{self.name}': inside a JAX transformation it crosses only "
                "integer inputs of one shape (), (batch,) or (batch, 1). Received: inputs="
                f"{[describe(x) for x in inputs]}. Cross strings before the compiled step.")
        out = jax.ShapeDtypeStruct(shapes[0], jnp.int32)
        bins = jax.pure_callback(lambda *a: self._bins(a).astype(np.int32), out, *inputs,
                                 vmap_method="sequential")
        if self.output_mode == "int":
            return bins
        return encode_categorical(bins, "one_hot", self.num_bins, self.compute_dtype)

    def call(self, inputs):
        bins = jnp.asarray(self._bins(self._check(inputs)))
        if self.output_mode == "int":
            return bins  # int32: JAX without x64 holds int64 as int32, as Keras's output does
        return encode_categorical(bins, "one_hot", self.num_bins, self.compute_dtype)

    def _bins(self, arrays):
        arrays = [to_host_array(a) for a in arrays]
        shape = arrays[0].shape
        flat = [a.reshape(-1).tolist() for a in arrays]
        out, seen = [], {}  # categorical data repeats: each distinct combination hashed once
        for values in zip(*flat):
            bucket = seen.get(values)
            if bucket is None:
                h = _HASH_KEY
                for v in values:
                    fp = fingerprint64(v.encode("utf-8")) if isinstance(v, str) else int(v) & _M
                    h = fingerprint_cat64(h, fp)
                bucket = seen[values] = h % self.num_bins
            out.append(bucket)
        return np.asarray(out, dtype=np.int64).reshape(shape)

    def compute_output_shape(self, input_shape):
        first = tuple(input_shape[0])
        if self.output_mode == "int":
            return first
        if first and first[-1] != 1:
            return (*first, self.num_bins)
        return (*first[:-1], self.num_bins)

    def compute_output_spec(self, inputs):
        shape = self.compute_output_shape([tuple(x.shape) for x in inputs])
        return SymbolicTensor(shape, "int32" if self.output_mode == "int" else self.dtype)

    def get_config(self):
        return {"num_bins": self.num_bins, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = config["dtype"].get("config", {}).get("name")
        return cls(**config)
