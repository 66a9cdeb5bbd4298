"""`FeatureSpace`: Keras 3's one-stop preprocessing and encoding of structured (tabular) data."""

from __future__ import annotations

import importlib

import jax
import jax.numpy as jnp

from kernelkit.errors import describe
from kernelkit.layers.feature_space.adapt_data import feature_batches
from kernelkit.layers.feature_space.constructors import (
    FeatureConstructors,
    standardize_cross,
    standardize_feature,
)
from kernelkit.layers.feature_space.encoding import merge_features
from kernelkit.layers.input_layer import Input
from kernelkit.layers.layer import Layer
from kernelkit.layers.preprocessing.normalization import Normalization
from kernelkit.layers.structured.discretization import Discretization
from kernelkit.layers.structured.hashed_crossing import HashedCrossing
from kernelkit.layers.structured.host_layer import is_string_array, to_host_array
from kernelkit.layers.symbolic import is_symbolic
from kernelkit.registry import register_builtin, serialize

__all__ = ["FeatureSpace"]


@register_builtin("keras.utils")
class FeatureSpace(FeatureConstructors, Layer):
    """One-stop preprocessing and encoding of structured data (a dict of named features).

    Each feature gets a preprocessing layer (`Normalization`, `StringLookup`, `Hashing`, ...),
    crosses hash pairs of preprocessed features together (`HashedCrossing`), and categorical
    results are one-hot encoded (`CategoryEncoding`). Features are given as constructors
    (`FeatureSpace.float_normalized()`, `FeatureSpace.string_categorical(max_tokens=10)`, ...)
    or as their names with default arguments: `"float"`, `"float_rescaled"`,
    `"float_normalized"`, `"float_discretized"`, `"integer_categorical"`,
    `"string_categorical"`, `"integer_hashed"`, `"string_hashed"`.

    Without tf.data, `adapt` takes a dict of NumPy arrays (or lists), a list or iterable of
    dict batches, or a `kernelkit.utils.PyDataset` yielding dicts. Where Keras writes
    `dataset.map(lambda x, y: (feature_space(x), y))`, call it on the arrays instead:
    `model.fit(feature_space(x_dict), y)`; or build one end-to-end model from
    `get_inputs()` and `get_encoded_features()`, which trains on (and, saved, predicts on)
    raw dicts, strings included: string layers run on the host before the compiled step.

    Args:
        features: Dict mapping feature names to a `Feature` or a feature-type name.
        output_mode: `"concat"` (one vector of all encoded features) or `"dict"` (a dict of
            encoded features, crosses included, keyed by name).
        crosses: List of crosses: tuples of feature names, or `FeatureSpace.cross(...)`.
        crossing_dim: Default number of hash bins of a cross. Defaults to `32`.
        hashing_dim: Number of bins of `"integer_hashed"` / `"string_hashed"` features.
            Defaults to `32`.
        num_discretization_bins: Number of bins of `"float_discretized"` features.
            Defaults to `32`.
        name: Layer name.

    Example:
        >>> import numpy as np
        >>> space = FeatureSpace({"age": "float_normalized", "city": "string_categorical"},
        ...                      crosses=[("city", "city")], crossing_dim=4)
        >>> space.adapt({"age": np.array([20.0, 40.0]), "city": np.array(["a", "b"])})
        >>> space({"age": np.array([30.0]), "city": np.array(["b"])}).shape
        (1, 8)
    """

    def __init__(self, features, output_mode="concat", crosses=None, crossing_dim=32,
                 hashing_dim=32, num_discretization_bins=32, name=None):
        super().__init__(name=name)
        if not features or not isinstance(features, dict):
            raise ValueError(
                "FeatureSpace: the `features` argument cannot be None or empty. Expected a "
                "dict mapping feature names to feature types. Received: "
                f"features={describe(features)}. Pass e.g. {{'age': 'float_normalized'}}.")
        if output_mode not in ("dict", "concat"):
            raise ValueError(
                "FeatureSpace: invalid value for argument `output_mode`. Expected one of "
                "{'dict', 'concat'}. "
                f"Received: output_mode={output_mode!r}. Use 'concat' or 'dict'.")
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.features = {key: standardize_feature(self, key, value)
                         for key, value in features.items()}
        self.crosses = [standardize_cross(c, set(features), crossing_dim)
                        for c in (crosses or [])]
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        self.output_mode = output_mode
        self.inputs = {key: Input(shape=(1,), dtype=f.dtype, name=key)
                       for key, f in self.features.items()}
        self.preprocessors = {key: f.preprocessor for key, f in self.features.items()}
        self.crossers = {c.name: HashedCrossing(c.crossing_dim, name=c.name)
                         for c in self.crosses}
        self.encoded_features = None
        self.one_hot_encoders = {}
        self.concat = None
        self._is_adapted = False
        self._preprocessed_features_names = None
        self._crossed_features_names = None
        self._sublayers_built = False

    # ---- adapting -----------------------------------------------------------------------------

    def _list_adaptable_preprocessors(self) -> list:
        names = []
        for key, layer in self.preprocessors.items():
            if isinstance(layer, Normalization) and layer.input_mean is not None:
                continue  # preset mean and variance
            if getattr(layer, "_has_input_vocabulary", False):
                continue  # a lookup or TextVectorization given its vocabulary
            if isinstance(layer, Discretization) and layer.num_bins is None:
                continue  # fixed bin boundaries
            if callable(getattr(layer, "adapt", None)):
                names.append(key)
        return names

    def adapt(self, dataset) -> None:
        """Learns each adaptable preprocessor's state (statistics, vocabularies, bins).

        Args:
            dataset: A dict of arrays or lists, a list or iterable of dict batches (an
                `(x, y)` batch gives its `x`), or a `kernelkit.utils.PyDataset` yielding
                such batches. Read once.

        Example:
            >>> import numpy as np
            >>> space = FeatureSpace({"x": "float_normalized"})
            >>> space.adapt([{"x": np.array([1.0, 2.0])}, {"x": np.array([3.0])}])
            >>> float(space.preprocessors["x"].adapt_mean[0])
            2.0
        """
        names = self._list_adaptable_preprocessors()
        batches = feature_batches(dataset, names)
        for key in names:
            self.preprocessors[key].adapt(iter(batches[key]))
        self._is_adapted = True
        self.get_encoded_features()  # finishes building the layer
        self.built = True
        self._sublayers_built = True

    def _check_if_adapted(self) -> None:
        if self._is_adapted:
            return
        if self._list_adaptable_preprocessors():
            raise ValueError(
                f"FeatureSpace '{self.name}': it is not adapted yet. Expected a call to "
                f".adapt(dataset) first. Received: features {self._list_adaptable_preprocessors()}"
                " without learned state. You need to call `.adapt(dataset)` on the FeatureSpace "
                "before you can start using it.")
        self._is_adapted = True

    def _check_if_built(self) -> None:
        if not self._sublayers_built:
            self._check_if_adapted()
            self.get_encoded_features()
            self._sublayers_built = True

    # ---- the functional graph -----------------------------------------------------------------

    def get_inputs(self) -> dict:
        """The `Input` of each feature, a dict by name (shape `(1,)`, the feature's dtype).

        Returns:
            Dict mapping feature names to symbolic inputs.

        Example:
            >>> FeatureSpace({"x": "float"}).get_inputs()["x"].shape
            (None, 1)
        """
        self._check_if_built()
        return self.inputs

    def get_encoded_features(self):
        """The encoded features as symbolic tensors of `get_inputs()`, for a functional model.

        Returns:
            One symbolic tensor (concat mode) or a dict of them (dict mode).

        Example:
            >>> FeatureSpace({"x": "float", "y": "float"}).get_encoded_features().shape
            (None, 2)
        """
        self._check_if_adapted()
        if self.encoded_features is None:
            self.encoded_features = self._encode(self.inputs)
        return self.encoded_features

    def _encode(self, features):
        preprocessed = {key: self.preprocessors[key](features[key]) for key in self.features}
        crossed = {c.name: self.crossers[c.name]([preprocessed[n] for n in c.feature_names])
                   for c in self.crosses}
        return merge_features(self, preprocessed, crossed)

    # ---- calling on data ----------------------------------------------------------------------

    def _check_keys(self, data) -> None:
        if not isinstance(data, dict):
            raise ValueError(
                f"FeatureSpace '{self.name}': it can only be called on a dict. Expected a dict "
                f"mapping feature names to arrays or scalars. Received: data={describe(data)} "
                f"of type {type(data).__name__}. Pass {{name: values}} for the features "
                f"{sorted(self.features)}.")
        missing = [key for key in self.features if key not in data]
        unknown = [key for key in data if key not in self.features]
        if missing or unknown:
            raise ValueError(
                f"FeatureSpace '{self.name}': the data's keys do not match the features. "
                f"Expected keys {sorted(self.features)}. Received: keys {sorted(data)} "
                f"(missing {missing}, unknown {unknown}). Pass exactly the features.")

    @staticmethod
    def _as_columns(data):
        columns, rebatched = {}, False
        for key, value in data.items():
            x = to_host_array(value)
            if x.ndim == 0:
                x, rebatched = x.reshape(1, 1), True
            elif x.ndim == 1:
                x = x[:, None]
            columns[key] = x
        return columns, rebatched

    def __call__(self, data):
        """Encodes `data`: a dict of arrays (a batch), of scalars (one sample), or of
        symbolic tensors (returns the encoded graph on them, as `get_encoded_features`)."""
        self._check_if_built()
        self._check_keys(data)
        if any(is_symbolic(v) for v in data.values()):
            return self._encode(data)
        columns, rebatched = self._as_columns(data)
        merged = self._encode(columns)
        if rebatched:
            if self.output_mode == "concat":
                merged = merged[0]
            else:
                merged = {k: v[0] if len(v.shape) == 2 and v.shape[0] == 1 else v
                          for k, v in merged.items()}
        return jax.tree_util.tree_map(
            lambda v: v if is_string_array(v) else jnp.asarray(v), merged)

    # ---- config and saving --------------------------------------------------------------------

    def get_config(self) -> dict:
        """The constructor arguments, features and crosses serialized (Keras 3's layout)."""
        return {"features": serialize(self.features), "output_mode": self.output_mode,
                "crosses": serialize(self.crosses), "crossing_dim": self.crossing_dim,
                "hashing_dim": self.hashing_dim,
                "num_discretization_bins": self.num_discretization_bins}

    @classmethod
    def from_config(cls, config):
        """Rebuilds a FeatureSpace (not yet adapted) from `get_config()`'s output."""
        return cls(**config)

    def get_build_config(self) -> dict:
        """Each preprocessor's build config, by feature name (as Keras writes it)."""
        return {key: f.preprocessor.get_build_config() for key, f in self.features.items()}

    def build_from_config(self, config) -> None:
        """Builds the preprocessors of a loaded FeatureSpace; their state then loads."""
        for key in config or {}:
            layer = self.features[key].preprocessor
            if not layer.built:
                layer.build_from_config(config[key])
        self._is_adapted = True
        self.built = True

    def save(self, filepath) -> None:
        """Saves the FeatureSpace to a `.keras` file; reload it with
        `kernelkit.saving.load_model(filepath)`.

        Args:
            filepath: A path ending in `.keras`.

        Example:
            >>> import tempfile, pathlib, kernelkit as kk
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "space.keras"
            >>> FeatureSpace({"x": "float_rescaled"}).save(path)
            >>> type(kk.saving.load_model(path)).__name__
            'FeatureSpace'
        """
        # kernelkit.saving sits above kernelkit.layers in the dependency order, so it is
        # looked up when called rather than imported by this module.
        importlib.import_module("kernelkit.saving").save_model(self, filepath)

    def save_own_variables(self, store) -> None:
        """Nothing of its own: the preprocessors save their state."""

    def load_own_variables(self, store) -> None:
        """Nothing of its own: the preprocessors load their state."""
