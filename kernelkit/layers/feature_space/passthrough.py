"""The two small layers a `FeatureSpace` adds: the identity of plain float features and the
concatenation of all encoded features (Keras 3 writes them as `TFDIdentity` / `TFDConcat`)."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.feature_space.specs import MODULE
from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin

__all__ = ["FeatureConcat", "FeatureIdentity"]


@register_builtin(MODULE, "TFDIdentity")
class FeatureIdentity(Layer):
    """Returns its input: the preprocessor of a `FeatureSpace.float()` feature.

    Args:
        **kwargs: Base layer arguments (`name`, `dtype`).

    Input shape:
        Any.

    Output shape:
        The input shape.

    Example:
        >>> import numpy as np
        >>> FeatureIdentity()(np.array([[1.5]], "float32")).tolist()
        [[1.5]]
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.autocast = False

    def call(self, inputs):
        return inputs


@register_builtin(MODULE, "TFDConcat")
class FeatureConcat(Layer):
    """Concatenates a list of encoded features along `axis`.

    Args:
        axis: The axis to concatenate along.
        **kwargs: Base layer arguments (`name`, `dtype`).

    Input shape:
        A list of arrays that agree on every axis but `axis`.

    Output shape:
        Their shape with the sizes along `axis` summed.

    Example:
        >>> import numpy as np
        >>> FeatureConcat(axis=-1)([np.ones((2, 1)), np.zeros((2, 3))]).shape
        (2, 4)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.autocast = False
        self.axis = axis

    def call(self, inputs):
        return jnp.concatenate([jnp.asarray(x) for x in inputs], axis=self.axis)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}
