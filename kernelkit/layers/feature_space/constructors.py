"""The feature constructors of `FeatureSpace` (`float`, `string_categorical`, ...) and the
string shorthands (`"float_normalized"`, ...) that name them with default arguments."""

from __future__ import annotations

from kernelkit.layers.feature_space.passthrough import FeatureIdentity
from kernelkit.layers.feature_space.specs import Cross, Feature
from kernelkit.layers.preprocessing.normalization import Normalization
from kernelkit.layers.preprocessing.rescaling import Rescaling
from kernelkit.layers.structured.discretization import Discretization
from kernelkit.layers.structured.hashing import Hashing
from kernelkit.layers.structured.integer_lookup import IntegerLookup
from kernelkit.layers.text.string_lookup import StringLookup
from kernelkit.naming import unique_name
from kernelkit.registry import deserialize

__all__ = ["FeatureConstructors", "standardize_cross", "standardize_feature"]

SHORTHANDS = ("float", "float_discretized", "float_normalized", "float_rescaled",
              "integer_categorical", "integer_hashed", "string_categorical", "string_hashed")


class FeatureConstructors:
    """The class methods that make `Feature` and `Cross` specifications (mixed into
    `FeatureSpace`, so they read `FeatureSpace.float_normalized()` as in Keras).

    Example:
        >>> FeatureConstructors.string_hashed(num_bins=8).dtype
        'string'
    """

    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        """A cross of `feature_names` hashed into `crossing_dim` bins.

        Args:
            feature_names: The names of the features to cross.
            crossing_dim: The number of hash bins.
            output_mode: `"one_hot"` or `"int"`.

        Returns:
            A `Cross`.

        Example:
            >>> FeatureConstructors.cross(("a", "b"), crossing_dim=8).name
            'a_X_b'
        """
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        """A feature preprocessed by your own layer.

        Args:
            dtype: The dtype of the feature's `Input`.
            preprocessor: The preprocessing layer.
            output_mode: `"float"`, `"int"` or `"one_hot"`.

        Returns:
            A `Feature`.

        Example:
            >>> from kernelkit.layers import Rescaling
            >>> FeatureConstructors.feature("float32", Rescaling(2.0), "float").dtype
            'float32'
        """
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name=None):
        """Float values used as they are.

        Args:
            name: Prefix of the preprocessor's name (auto-generated when `None`).

        Returns:
            A `Feature`.

        Example:
            >>> FeatureConstructors.float(name="x").preprocessor.name
            'x_preprocessor'
        """
        name = name or unique_name("float")
        return Feature("float32", FeatureIdentity(dtype="float32", name=f"{name}_preprocessor"),
                       "float")

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        """Float values rescaled as `x * scale + offset` (a `Rescaling` layer).

        Args:
            scale: The scale.
            offset: The offset.
            name: Prefix of the preprocessor's name.

        Returns:
            A `Feature`.

        Example:
            >>> FeatureConstructors.float_rescaled(scale=0.5).preprocessor.scale
            0.5
        """
        name = name or unique_name("float_rescaled")
        layer = Rescaling(scale=scale, offset=offset, name=f"{name}_preprocessor")
        return Feature("float32", layer, "float")

    @classmethod
    def float_normalized(cls, name=None):
        """Float values standardized with the mean and variance `adapt` learns.

        Args:
            name: Prefix of the preprocessor's name.

        Returns:
            A `Feature` (its preprocessor a `Normalization` layer).

        Example:
            >>> type(FeatureConstructors.float_normalized().preprocessor).__name__
            'Normalization'
        """
        name = name or unique_name("float_normalized")
        return Feature("float32", Normalization(axis=-1, name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot", name=None):
        """Float values bucketed into `num_bins` quantile bins learned by `adapt`.

        Args:
            num_bins: The number of bins (`None` with fixed `bin_boundaries`).
            bin_boundaries: Fixed boundaries instead (then `num_bins=None`).
            output_mode: `"one_hot"` or `"int"`.
            name: Prefix of the preprocessor's name.

        Returns:
            A `Feature` (its preprocessor a `Discretization` layer).

        Example:
            >>> FeatureConstructors.float_discretized(num_bins=4).preprocessor.num_bins
            4
        """
        name = name or unique_name("float_discretized")
        layer = Discretization(num_bins=num_bins, bin_boundaries=bin_boundaries,
                               name=f"{name}_preprocessor")
        return Feature("float32", layer, output_mode)

    @classmethod
    def integer_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot",
                            name=None):
        """Integer categories indexed by the vocabulary `adapt` learns.

        Args:
            max_tokens: The largest vocabulary size (`None`: unlimited).
            num_oov_indices: The number of out-of-vocabulary indices.
            output_mode: `"one_hot"` or `"int"`.
            name: Prefix of the preprocessor's name.

        Returns:
            A `Feature` (its preprocessor an `IntegerLookup` layer).

        Example:
            >>> FeatureConstructors.integer_categorical(max_tokens=5).preprocessor.max_tokens
            5
        """
        name = name or unique_name("integer_categorical")
        layer = IntegerLookup(name=f"{name}_preprocessor", max_tokens=max_tokens,
                              num_oov_indices=num_oov_indices)
        return Feature("int32", layer, output_mode)

    @classmethod
    def string_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot",
                           name=None):
        """String categories indexed by the vocabulary `adapt` learns.

        Args:
            max_tokens: The largest vocabulary size (`None`: unlimited).
            num_oov_indices: The number of out-of-vocabulary indices.
            output_mode: `"one_hot"` or `"int"`.
            name: Prefix of the preprocessor's name.

        Returns:
            A `Feature` (its preprocessor a `StringLookup` layer).

        Example:
            >>> FeatureConstructors.string_categorical().dtype
            'string'
        """
        name = name or unique_name("string_categorical")
        layer = StringLookup(name=f"{name}_preprocessor", max_tokens=max_tokens,
                             num_oov_indices=num_oov_indices)
        return Feature("string", layer, output_mode)

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        """String values hashed into `num_bins` bins.

        Args:
            num_bins: The number of hash bins.
            output_mode: `"one_hot"` or `"int"`.
            name: Prefix of the preprocessor's name.

        Returns:
            A `Feature` (its preprocessor a `Hashing` layer).

        Example:
            >>> FeatureConstructors.string_hashed(num_bins=8).preprocessor.num_bins
            8
        """
        name = name or unique_name("string_hashed")
        return Feature("string", Hashing(name=f"{name}_preprocessor", num_bins=num_bins),
                       output_mode)

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        """Integer values hashed into `num_bins` bins.

        Args:
            num_bins: The number of hash bins.
            output_mode: `"one_hot"` or `"int"`.
            name: Prefix of the preprocessor's name.

        Returns:
            A `Feature` (its preprocessor a `Hashing` layer).

        Example:
            >>> FeatureConstructors.integer_hashed(num_bins=8).dtype
            'int32'
        """
        name = name or unique_name("integer_hashed")
        return Feature("int32", Hashing(name=f"{name}_preprocessor", num_bins=num_bins),
                       output_mode)


def standardize_feature(space, name, feature) -> Feature:
    """`feature` as a `Feature`: a `Feature` as is, a config dict rebuilt, a shorthand made
    with `space`'s defaults (`hashing_dim`, `num_discretization_bins`).

    Args:
        space: The `FeatureSpace` (for its defaults).
        name: The feature's name.
        feature: A `Feature`, its config dict, or a shorthand string.

    Returns:
        A `Feature`.

    Example:
        >>> class Defaults(FeatureConstructors):
        ...     hashing_dim = 4
        >>> standardize_feature(Defaults, "x", "integer_hashed").preprocessor.num_bins
        4
    """
    if isinstance(feature, Feature):
        return feature
    if isinstance(feature, dict):
        return deserialize(feature, where=f"FeatureSpace feature '{name}'")
    if feature in ("float", "float_normalized", "float_rescaled", "integer_categorical",
                   "string_categorical"):
        return getattr(space, feature)(name=name)
    if feature == "float_discretized":
        return space.float_discretized(name=name, num_bins=space.num_discretization_bins)
    if feature in ("integer_hashed", "string_hashed"):
        return getattr(space, feature)(space.hashing_dim, name=name)
    raise ValueError(
        f"FeatureSpace: invalid feature type for feature '{name}'. Expected a Feature (e.g. "
        f"FeatureSpace.float_normalized()) or one of {list(SHORTHANDS)}. Received: "
        f"{name!r}: {feature!r}. Use one of those names or a FeatureSpace constructor.")


def standardize_cross(cross, feature_names, crossing_dim) -> Cross:
    """`cross` as a `Cross`: a `Cross` as is, a config dict rebuilt, a tuple of names made a
    cross of `crossing_dim` bins after checking that every name is a feature.

    Args:
        cross: A `Cross`, its config dict, or a tuple of feature names.
        feature_names: The names of the FeatureSpace's features.
        crossing_dim: The default number of bins.

    Returns:
        A `Cross`.

    Example:
        >>> standardize_cross(("a", "b"), {"a", "b"}, 8).crossing_dim
        8
    """
    if isinstance(cross, dict):
        cross = deserialize(cross, where="FeatureSpace crosses")
    if isinstance(cross, Cross):
        return cross
    if not crossing_dim:
        raise ValueError(
            "FeatureSpace: `crosses` were given without `crossing_dim`, the size of the "
            f"crossing space. Expected a positive int. Received: crossing_dim={crossing_dim!r}. "
            "Pass crossing_dim=32 (or use FeatureSpace.cross(..., crossing_dim=N)).")
    unknown = [key for key in cross if key not in feature_names]
    if unknown:
        raise ValueError(
            "FeatureSpace: all features referenced in `crosses` should be present in the "
            "`features` dict. "
            f"Expected names among {sorted(feature_names)}. Received: cross={tuple(cross)!r} "
            f"(unknown: {unknown}). Fix the names in `crosses`.")
    return Cross(cross, crossing_dim=crossing_dim)
