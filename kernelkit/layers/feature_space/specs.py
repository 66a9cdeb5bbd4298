"""`Feature` and `Cross`: the per-feature and per-cross specifications of a `FeatureSpace`."""

from __future__ import annotations

from kernelkit.registry import deserialize, register_builtin, serialize

__all__ = ["Cross", "Feature"]

MODULE = "keras.src.layers.preprocessing.feature_space"  # where Keras 3 writes these classes


@register_builtin(MODULE)
class Cross:
    """A crossed feature: the named features hashed together into `crossing_dim` bins.

    Args:
        feature_names: The names of the features to cross (two or more).
        crossing_dim: The number of hash bins of the cross.
        output_mode: `"one_hot"` (the bins one-hot encoded) or `"int"` (the bin index).

    Example:
        >>> Cross(("color", "size"), crossing_dim=16).name
        'color_X_size'
    """

    def __init__(self, feature_names, crossing_dim, output_mode="one_hot"):
        if output_mode not in ("int", "one_hot"):
            raise ValueError(
                "Cross: invalid value for argument `output_mode`. Expected one of {'int', "
                f"'one_hot'}}. Received: output_mode={output_mode!r}. Use 'one_hot' or 'int'.")
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self) -> str:
        """The cross's key in the outputs: the feature names joined by `"_X_"`."""
        return "_X_".join(self.feature_names)

    def get_config(self) -> dict:
        """The constructor arguments (Keras 3's layout)."""
        return {"feature_names": self.feature_names, "crossing_dim": self.crossing_dim,
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        """Rebuilds a `Cross` from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<Cross {self.name} crossing_dim={self.crossing_dim}>"


@register_builtin(MODULE)
class Feature:
    """One input feature: its input dtype, the layer that preprocesses it, how it is encoded.

    Args:
        dtype: The dtype of the feature's `Input` (`"float32"`, `"int32"`, `"string"`, ...).
        preprocessor: A preprocessing layer (or its serialized config).
        output_mode: `"float"` (used as is), `"int"` (the preprocessor's integer output, not
            encoded) or `"one_hot"` (one-hot encoded over the preprocessor's cardinality).

    Example:
        >>> from kernelkit.layers import Rescaling
        >>> Feature("float32", Rescaling(0.5), "float").output_mode
        'float'
    """

    def __init__(self, dtype, preprocessor, output_mode):
        if output_mode not in ("int", "one_hot", "float"):
            raise ValueError(
                "Feature: invalid value for argument `output_mode`. Expected one of {'int', "
                f"'one_hot', 'float'}}. Received: output_mode={output_mode!r}. Use 'float', 'int' "
                "or 'one_hot'.")
        self.dtype = dtype
        if isinstance(preprocessor, dict):
            preprocessor = deserialize(preprocessor, module="keras.layers",
                                       where="Feature preprocessor")
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self) -> dict:
        """The constructor arguments, the preprocessor serialized (Keras 3's layout)."""
        return {"dtype": self.dtype, "preprocessor": serialize(self.preprocessor),
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        """Rebuilds a `Feature` (and its preprocessor) from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return (f"<Feature dtype={self.dtype} preprocessor={type(self.preprocessor).__name__} "
                f"output_mode={self.output_mode}>")
