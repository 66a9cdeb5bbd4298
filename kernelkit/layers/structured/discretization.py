"""`Discretization`: buckets continuous values by boundaries, given or adapted from quantiles."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from kernelkit.layers.layer import Layer
from kernelkit.layers.structured.categorical_encoding import encode_categorical, encoded_shape
from kernelkit.layers.structured.host_layer import HostState
from kernelkit.layers.structured.quantile_summary import (
    bin_boundaries_of,
    empty_summary,
    merge_summaries,
    summarize,
)
from kernelkit.layers.symbolic import SymbolicTensor
from kernelkit.registry import register_builtin

__all__ = ["Discretization"]

_MODES = ("int", "one_hot", "multi_hot", "count")


@register_builtin("keras.layers")
class Discretization(Layer):
    """Maps each value to the index of its bucket: `bin_boundaries=[0., 1.]` gives 0, 1 or 2.

    Bucket `i` holds values in `[bin_boundaries[i - 1], bin_boundaries[i])`.

    Args:
        bin_boundaries: Sorted boundaries; or `None` with `num_bins` and `adapt`.
        num_bins: Number of buckets that `adapt` finds from approximate quantiles.
        epsilon: Precision of the quantile sketch used by `adapt` (default 0.01).
        output_mode: `"int"` (bucket indices, int32), `"one_hot"`, `"multi_hot"` or `"count"`.
        sparse: Whether to return a sparse array (not with `"int"`).
        dtype: Output dtype policy of the encoded modes.
        name: Layer name.

    Input shape:
        Any shape of floats.

    Output shape:
        Same as the input in `"int"` mode; see `CategoryEncoding` for the others.

    Example:
        >>> import numpy as np
        >>> Discretization(bin_boundaries=[0.0, 1.0])(np.array([-1.0, 0.5, 3.0])).tolist()
        [0, 1, 2]
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int",
                 sparse=False, dtype=None, name=None):
        super().__init__(name=name, dtype=dtype)
        who = f"Discretization '{self.name}'"
        if output_mode not in _MODES:
            raise ValueError(
                f"{who}: unknown `output_mode`. Expected one of {list(_MODES)}. Received: "
                f"output_mode={output_mode!r}."
            )
        if sparse and output_mode == "int":
            raise ValueError(
                f"{who}: `sparse=True` needs an encoded output. Expected output_mode "
                "'one_hot', 'multi_hot' or 'count'. Received: sparse=True, output_mode='int'."
            )
        if num_bins is not None and num_bins < 0:
            raise ValueError(
                f"{who}: `num_bins` must be >= 0. Received: num_bins={num_bins!r}."
            )
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                f"{who}: give `num_bins` or `bin_boundaries`, not both. Received: "
                f"num_bins={num_bins!r}, bin_boundaries={bin_boundaries!r}."
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError(
                f"{who}: no buckets. Expected `bin_boundaries` or `num_bins` (then call "
                "adapt(data)). Received: bin_boundaries=None, num_bins=None."
            )
        self.bin_boundaries = None if bin_boundaries is None else list(bin_boundaries)
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self._state = HostState(summary=None if self.bin_boundaries else empty_summary())

    @property
    def summary(self):
        """The quantile sketch `adapt` accumulates (a `(2, k)` NumPy array), or `None`."""
        return self._state.summary

    @summary.setter
    def summary(self, value):
        self._state.summary = value

    @property
    def output_dtype(self) -> str:
        return "int32" if self.output_mode == "int" else self.compute_dtype

    def adapt(self, data, steps=None) -> None:
        """Sets `bin_boundaries` from approximate quantiles of `data`.

        Args:
            data: An array, or an iterable of batches.
            steps: Optional number of batches to read from an iterable.
        """
        if self.num_bins is None:
            raise ValueError(
                f"Discretization '{self.name}': cannot adapt a layer built with "
                "`bin_boundaries`. Expected `num_bins`. Received: num_bins=None. Create it "
                "with num_bins=N instead."
            )
        self.reset_state()
        if hasattr(data, "__iter__") and not hasattr(data, "shape"):
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        else:
            self.update_state(data)
        self.finalize_state()

    def update_state(self, data) -> None:
        data = np.array(data).astype("float32")
        self.summary = merge_summaries(summarize(data, self.epsilon), self.summary, self.epsilon)

    def finalize_state(self) -> None:
        if self.num_bins is not None:
            self.bin_boundaries = bin_boundaries_of(self.summary, self.num_bins)

    def reset_state(self) -> None:
        if self.num_bins is not None:
            self.summary = empty_summary()

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(
                f"Discretization '{self.name}': no bin boundaries yet. Expected "
                "`bin_boundaries` at construction or a call to adapt(data) first. Received: "
                "bin_boundaries=None."
            )
        boundaries = jnp.asarray(self.bin_boundaries, dtype=jnp.asarray(inputs).dtype
                                 if jnp.issubdtype(jnp.asarray(inputs).dtype, jnp.floating)
                                 else "float32")
        indices = jnp.digitize(inputs, boundaries).astype("int32")
        return encode_categorical(indices, self.output_mode, len(self.bin_boundaries) + 1,
                                  self.output_dtype, sparse=self.sparse)

    def compute_output_shape(self, input_shape):
        depth = (len(self.bin_boundaries) + 1 if self.bin_boundaries is not None
                 else self.num_bins)
        return encoded_shape(input_shape, self.output_mode, depth)

    def compute_output_spec(self, inputs):
        return SymbolicTensor(self.compute_output_shape(inputs.shape), self.output_dtype,
                              sparse=self.sparse)

    def get_config(self):
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
                "epsilon": self.epsilon, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = config["dtype"].get("config", {}).get("name")
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            boundaries = config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = list(boundaries)
            return layer
        return cls(**config)
