"""How a `FeatureSpace` encodes its preprocessed and crossed features: one-hot encoders over
each categorical feature's cardinality, then a dict of features or one concatenated vector."""

from __future__ import annotations

import numpy as np

from kernelkit.layers.feature_space.passthrough import FeatureConcat
from kernelkit.layers.structured.category_encoding import CategoryEncoding
from kernelkit.layers.structured.discretization import Discretization
from kernelkit.layers.structured.hashed_crossing import HashedCrossing
from kernelkit.layers.structured.hashing import Hashing
from kernelkit.layers.structured.index_lookup import IndexLookup

__all__ = ["cardinality_of", "make_encoders", "merge_features"]


def _dtype_name(x) -> str:
    dtype = getattr(x, "dtype", None)
    if dtype == "string" or (dtype is not None and np.dtype(dtype).kind in "USO"):
        return "string"
    return np.dtype(dtype).name


def cardinality_of(name, layer) -> int:
    """The number of distinct integer values `layer` outputs, for one-hot encoding them.

    Args:
        name: The feature's name (for the error).
        layer: Its preprocessor or crossing layer.

    Returns:
        The cardinality.

    Example:
        >>> cardinality_of("x", Hashing(num_bins=7))
        7
    """
    if isinstance(layer, IndexLookup):
        return layer.vocabulary_size()
    if isinstance(layer, CategoryEncoding):
        return layer.num_tokens
    if isinstance(layer, Discretization):
        if layer.num_bins is None and layer.bin_boundaries is not None:
            return len(layer.bin_boundaries) + 1  # fixed boundaries: Keras finds no cardinality
        return layer.num_bins
    if isinstance(layer, HashedCrossing | Hashing):
        return layer.num_bins
    raise ValueError(
        f"FeatureSpace: feature '{name}' has output_mode='one_hot', but its preprocessor "
        f"{type(layer).__name__} '{layer.name}' is not a standard one, so the size of its "
        "output space is unknown and it cannot be one-hot encoded. Expected a lookup, "
        "hashing, discretization or category encoding layer. Received: "
        f"preprocessor={type(layer).__name__}. Use output_mode='int'.")


def make_encoders(space, names, values) -> None:
    """Creates `space.one_hot_encoders` (and `space.concat`) for the features in `names`,
    checking that one-hot features are integers and concatenated ones are encoded.

    Args:
        space: The `FeatureSpace`.
        names: Sorted feature names then sorted cross names.
        values: Their preprocessed (or crossed) values, symbolic or concrete.

    Example:
        >>> class Space:
        ...     features, crosses_by_name, output_mode = {}, {}, "dict"
        >>> make_encoders(Space, [], [])
    """
    for name, value in zip(names, values):
        spec = space.features.get(name) or space.crosses_by_name[name]
        dtype = _dtype_name(value)
        if spec.output_mode == "one_hot":
            if not dtype.startswith("int"):
                raise ValueError(
                    f"FeatureSpace: feature '{name}' has output_mode='one_hot', so its "
                    f"preprocessor must return integers. Expected an integer dtype. Received: "
                    f"dtype={dtype}. Use output_mode='float' for float outputs.")
            layer = space.preprocessors.get(name) or space.crossers.get(name)
            space.one_hot_encoders[name] = CategoryEncoding(
                num_tokens=cardinality_of(name, layer), output_mode="multi_hot")
        elif space.output_mode == "concat" and (dtype.startswith("int") or dtype == "string"):
            raise ValueError(
                f"FeatureSpace: cannot concatenate the features because feature '{name}' is "
                f"not encoded. Expected float features (or output_mode='one_hot'). Received: "
                f"dtype={dtype}. Use output_mode='dict' or a one-hot feature.")
    if space.output_mode == "concat":
        space.concat = FeatureConcat(axis=-1)


def merge_features(space, preprocessed, crossed):
    """The encoded features: a dict by name, or (concat mode) one vector of features sorted
    by name followed by crosses sorted by name.

    Args:
        space: The `FeatureSpace`.
        preprocessed: Dict of preprocessed features.
        crossed: Dict of crossed features.

    Returns:
        A dict of encoded features, or their concatenation.

    Example:
        >>> class Space:
        ...     features, crosses_by_name, output_mode = {}, {}, "dict"
        ...     _preprocessed_features_names = None
        ...     _sublayers_built, one_hot_encoders = True, {}
        >>> merge_features(Space, {}, {})
        {}
    """
    if not space._preprocessed_features_names:
        space._preprocessed_features_names = sorted(preprocessed)
        space._crossed_features_names = sorted(crossed)
    names = space._preprocessed_features_names + space._crossed_features_names
    values = ([preprocessed[n] for n in space._preprocessed_features_names]
              + [crossed[n] for n in space._crossed_features_names])
    if not space._sublayers_built and not space.one_hot_encoders and space.concat is None:
        make_encoders(space, names, values)
    encoded = {}
    for name, value in zip(names, values):
        encoder = space.one_hot_encoders.get(name)
        encoded[name] = encoder(value) if encoder is not None else value
    if space.output_mode == "dict":
        return encoded
    return space.concat(list(encoded.values()))
