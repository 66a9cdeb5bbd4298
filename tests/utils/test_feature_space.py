"""FeatureSpace against Keras 3.

Keras's FeatureSpace needs TensorFlow (tf.data in `adapt` and `__call__`, and TF-backed
lookup, hashing and crossing layers), which is not installed, so the oracles are:
Keras's own FeatureSpace for what runs without TensorFlow (construction, `get_config`,
`.keras` files of float features both ways); Keras's `Normalization`, `Rescaling`,
`Discretization` and `CategoryEncoding` layers for each encoded float and one-hot feature;
kernelkit's lookup, hashing and crossing layers (checked against TensorFlow references in
tests/layers) for the categorical ones; and the output sizes that Keras's own FeatureSpace
tests assert (keras/src/layers/preprocessing/feature_space_test.py, run there with TF).
"""

import json

import jax
import numpy as np
import pytest

import kernelkit as kk
from kernelkit.layers.feature_space import Cross, Feature, FeatureSpace
from kernelkit.registry import deserialize, serialize
from tests.keras_oracle import keras

cls = FeatureSpace


def _train_data(include_strings=True):
    """Keras's FeatureSpace test data (`_get_train_data_dict`)."""
    values = [i / 10 for i in range(10)]
    data = {"float_1": values, "float_2": values, "float_3": values,
            "int_1": list(range(10)), "int_2": list(range(10)), "int_3": list(range(10))}
    if include_strings:
        data["string_1"] = [str(i) for i in range(10)]
        data["string_2"] = [str(i) for i in range(10)]
    return data


_ALL_TYPES = {"float_1": "float", "float_2": "float_normalized", "float_3": "float_discretized",
              "string_1": "string_categorical", "string_2": "string_hashed",
              "int_1": "integer_categorical", "int_2": "integer_hashed",
              "int_3": "integer_categorical"}
_CROSSES = [("float_3", "string_1"), ("string_2", "int_2")]


@pytest.fixture(scope="module")
def concat_space():
    space = FeatureSpace(dict(_ALL_TYPES), crosses=list(_CROSSES), output_mode="concat")
    space.adapt(_train_data())
    return space


@pytest.fixture(scope="module")
def dict_space():
    space = FeatureSpace(dict(_ALL_TYPES), crosses=list(_CROSSES), output_mode="dict")
    space.adapt(_train_data())
    return space


# ---- output sizes asserted by Keras's own tests -------------------------------------------------


def test_basic_usage_sizes_as_keras(concat_space):
    data = _train_data()
    assert concat_space({k: v[0] for k, v in data.items()}).shape == (195,)
    assert concat_space(data).shape == (10, 195)
    arrays = {k: np.asarray(v) for k, v in data.items()}
    assert concat_space(arrays).shape == (10, 195)


def test_no_strings_and_advanced_sizes_as_keras():
    space = FeatureSpace(
        {"float_1": "float", "float_2": "float_normalized", "float_3": "float_discretized",
         "int_1": "integer_categorical", "int_2": "integer_hashed",
         "int_3": "integer_categorical"},
        crosses=[("int_1", "int_2"), ("int_2", "int_3")])
    space.adapt(_train_data(include_strings=False))
    sample = {k: v[0] for k, v in _train_data(include_strings=False).items()}
    assert space(sample).shape == (152,)
    tensors = {k: jax.numpy.asarray(v) for k, v in _train_data(False).items()}
    assert space(tensors).shape == (10, 152)
    advanced = FeatureSpace(
        {"float_1": cls.float(), "float_2": cls.float_normalized(),
         "float_3": cls.float_discretized(num_bins=3),
         "string_1": cls.string_categorical(max_tokens=5),
         "string_2": cls.string_hashed(num_bins=32),
         "int_1": cls.integer_categorical(max_tokens=5, num_oov_indices=2),
         "int_2": cls.integer_hashed(num_bins=32), "int_3": cls.integer_categorical(max_tokens=5)},
        crosses=[cls.cross(("float_3", "string_1"), crossing_dim=32),
                 cls.cross(("string_2", "int_2"), crossing_dim=32)])
    advanced.adapt(_train_data())
    assert advanced({k: v[0] for k, v in _train_data().items()}).shape == (148,)


def test_dict_mode_shapes_as_keras(dict_space):
    one = dict_space({k: v[0] for k, v in _train_data().items()})
    assert len(one) == 10
    assert one["string_1"].shape == (11,) and one["int_2"].shape == (32,)
    assert one["string_2_X_int_2"].shape == (32,)
    batch = dict_space(_train_data())
    assert batch["string_1"].shape == (10, 11) and batch["string_2_X_int_2"].shape == (10, 32)


def test_dict_of_ints_as_keras():
    space = FeatureSpace(
        {"float_1": "float", "float_2": "float_normalized", "float_3": "float_discretized",
         "string_1": cls.string_categorical(output_mode="int"),
         "string_2": cls.string_hashed(num_bins=32, output_mode="int"),
         "int_1": cls.integer_categorical(output_mode="int"),
         "int_2": cls.integer_hashed(num_bins=32, output_mode="int"),
         "int_3": cls.integer_categorical(output_mode="int")},
        crosses=[cls.cross(("float_3", "string_1"), output_mode="int", crossing_dim=32),
                 cls.cross(("string_2", "int_2"), output_mode="int", crossing_dim=32)],
        output_mode="dict")
    space.adapt(_train_data())
    out = space({k: v[0] for k, v in _train_data().items()})
    for key in ("string_1", "int_2", "string_2_X_int_2", "float_3_X_string_1"):
        assert out[key].shape == (1,) and str(out[key].dtype).startswith("int")


# ---- each encoded feature against the individual layers -----------------------------------------


def test_float_features_match_keras_layers():
    rng = np.random.default_rng(0)
    x = {"f": rng.normal(size=24).astype("float32"), "n": rng.normal(3, 2, 24).astype("float32"),
         "r": rng.normal(size=24).astype("float32"), "d": rng.uniform(size=24).astype("float32")}
    space = FeatureSpace({"f": "float", "n": "float_normalized",
                          "r": cls.float_rescaled(scale=0.5, offset=2.0),
                          "d": cls.float_discretized(num_bins=4)}, output_mode="dict")
    space.adapt(x)
    out = space(x)
    column = {k: v[:, None] for k, v in x.items()}
    norm = keras.layers.Normalization(axis=-1)
    norm.adapt(column["n"])
    np.testing.assert_allclose(out["n"], norm(column["n"]), atol=1e-5)
    np.testing.assert_allclose(out["r"], keras.layers.Rescaling(0.5, 2.0)(column["r"]), atol=1e-6)
    np.testing.assert_array_equal(out["f"], column["f"])
    own = kk.layers.Discretization(num_bins=4)
    own.adapt(column["d"])  # Keras's Discretization.adapt needs TensorFlow
    assert space.preprocessors["d"].bin_boundaries == own.bin_boundaries
    bins = keras.layers.Discretization(bin_boundaries=own.bin_boundaries)(column["d"])
    one_hot = keras.layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")(bins)
    np.testing.assert_array_equal(out["d"], one_hot)


def test_categorical_features_and_crosses_match_layers(dict_space):
    data = {k: np.asarray(v)[:, None] for k, v in _train_data().items()}
    out = dict_space(_train_data())
    lookup = kk.layers.StringLookup()
    lookup.adapt(data["string_1"])
    ints = kk.layers.IntegerLookup()
    ints.adapt(data["int_1"])
    hashed = kk.layers.Hashing(num_bins=32)

    def one_hot(ids, n):
        return keras.layers.CategoryEncoding(num_tokens=n, output_mode="multi_hot")(
            np.asarray(ids))

    ids = lookup(data["string_1"])
    np.testing.assert_array_equal(out["string_1"], one_hot(ids, lookup.vocabulary_size()))
    np.testing.assert_array_equal(out["int_1"], one_hot(ints(data["int_1"]),
                                                         ints.vocabulary_size()))
    np.testing.assert_array_equal(out["string_2"], one_hot(hashed(data["string_2"]), 32))
    bins = dict_space.preprocessors["float_3"](data["float_3"])
    cross = kk.layers.HashedCrossing(num_bins=32)((np.asarray(bins), np.asarray(ids)))
    np.testing.assert_array_equal(out["float_3_X_string_1"], one_hot(cross, 32))


def test_concat_is_the_dict_in_keras_order(concat_space, dict_space):
    by_name = dict_space(_train_data())
    order = sorted(_ALL_TYPES) + sorted("_X_".join(c) for c in _CROSSES)
    expected = np.concatenate([np.asarray(by_name[k]) for k in order], axis=-1)
    np.testing.assert_array_equal(concat_space(_train_data()), expected)


def test_custom_preprocessors_and_no_adapt():
    """Keras's test_manual_kpl and test_no_adapt."""
    space = FeatureSpace({"text": cls.feature(
        preprocessor=kk.layers.TextVectorization(output_mode="tf_idf"), dtype="string",
        output_mode="float")})
    data = {"text": ["1st string", "2nd string", "3rd string"]}
    space.adapt(data)
    assert space(data).shape == (3, 5)
    vocab = ["this", "is", "just", "an", "example", "with", "some", "words"]
    preset = FeatureSpace({
        "int_1": "integer_hashed",
        "text_1": cls.feature(dtype="string", output_mode="int", preprocessor=kk.layers.
                              TextVectorization(vocabulary=vocab, output_sequence_length=3)),
        "float_1": cls.feature(dtype="float32", output_mode="float",
                               preprocessor=kk.layers.Normalization(mean=12.0, variance=5.0))},
        output_mode="dict")
    floats = np.array([-1.2, 0.0, 2.4, 1.2, 15.0, -100.0, 23.1, 3.12, 0.1, -0.01], "float32")
    out = preset({"int_1": list(range(10)), "text_1": ["This is", "an example"] * 5,
                  "float_1": floats})
    assert out["int_1"].shape == (10, 32) and out["text_1"].shape == (10, 3)
    oracle = keras.layers.Normalization(mean=12.0, variance=5.0)(floats[:, None])
    np.testing.assert_allclose(out["float_1"], oracle, atol=1e-5)


# ---- adapt inputs -------------------------------------------------------------------------------


class _Batches(kk.utils.PyDataset):
    def __init__(self, data, size):
        super().__init__()
        self.data, self.size = data, size

    def __len__(self):
        return -(-10 // self.size)

    def __getitem__(self, i):
        return {k: np.asarray(v)[i * self.size:(i + 1) * self.size] for k, v in self.data.items()}


def _state(space):
    return (np.asarray(space.preprocessors["float_2"].adapt_mean).tolist(),
            space.preprocessors["string_1"].get_vocabulary(),
            space.preprocessors["int_1"].get_vocabulary())


def test_adapt_takes_dicts_batches_and_pydatasets(concat_space):
    data = _train_data()
    batches = [{k: np.asarray(v)[i:i + 4] for k, v in data.items()} for i in range(0, 10, 4)]
    samples = [{k: v[i] for k, v in data.items()} for i in range(10)]
    labeled = ((b, np.zeros(len(b["int_1"]))) for b in batches)
    for source in (batches, iter(batches), _Batches(data, 3), samples, labeled):
        space = FeatureSpace(dict(_ALL_TYPES), crosses=list(_CROSSES))
        space.adapt(source)
        assert _state(space)[1:] == _state(concat_space)[1:]
        np.testing.assert_allclose(_state(space)[0], _state(concat_space)[0], rtol=1e-6)


# ---- models -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trained_model(concat_space):
    inputs = concat_space.get_inputs()
    outputs = kk.layers.Dense(1, activation="sigmoid")(concat_space.get_encoded_features())
    model = kk.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    x = {k: np.asarray(v) for k, v in _train_data().items()}  # raw (batch,) columns, strings too
    y = np.array([0, 1, 0, 1, 0, 0, 1, 0, 1, 1], "float32")
    history = model.fit(x, y, batch_size=4, epochs=3, verbose=0)
    return model, x, y, history


def test_end_to_end_model_trains_on_raw_dicts(concat_space, trained_model):
    model, x, y, history = trained_model
    assert len(history.history["loss"]) == 3 and np.isfinite(history.history["loss"]).all()
    assert model.predict(x, verbose=0).shape == (10, 1)
    assert np.isfinite(model.evaluate(x, y, verbose=0))
    encoder = kk.Model(concat_space.get_inputs(), concat_space.get_encoded_features())
    np.testing.assert_allclose(encoder.predict(x, verbose=0), concat_space(x), atol=1e-6)


def test_end_to_end_model_saves_and_predicts_on_raw_dicts(trained_model, tmp_path):
    model, x, _, _ = trained_model
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = kk.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               atol=1e-6)
    one = {k: v[:1] for k, v in x.items()}
    np.testing.assert_allclose(loaded.predict(one, verbose=0), model.predict(one, verbose=0),
                               atol=1e-6)


def test_called_on_symbolic_inputs_gives_the_encoded_graph(concat_space):
    inputs = {k: kk.Input((1,), dtype=f.dtype, name=k) for k, f in concat_space.features.items()}
    model = kk.Model(inputs, concat_space(inputs))
    x = {k: np.asarray(v) for k, v in _train_data().items()}
    np.testing.assert_allclose(model.predict(x, verbose=0), concat_space(x), atol=1e-6)


def test_model_fed_by_the_feature_space(concat_space):
    x = concat_space(_train_data())
    model = kk.Sequential([kk.Input((x.shape[-1],)), kk.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, np.arange(10.0), epochs=2, verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]


def test_feature_space_saves_and_loads(concat_space, tmp_path):
    """Keras's test_saving: load, save again at once, both give the same outputs."""
    data = _train_data()
    reference = concat_space({k: v[0] for k, v in data.items()})
    concat_space.save(tmp_path / "fs.keras")
    loaded = kk.saving.load_model(tmp_path / "fs.keras")
    loaded.save(tmp_path / "fs2.keras")
    assert isinstance(loaded, FeatureSpace)
    np.testing.assert_allclose(loaded({k: v[0] for k, v in data.items()}), reference)
    model = kk.Model(loaded.get_inputs(), loaded.get_encoded_features())
    np.testing.assert_allclose(model.predict({k: np.asarray(v) for k, v in data.items()},
                                             verbose=0)[0], reference, atol=1e-6)
    again = kk.saving.load_model(tmp_path / "fs2.keras")
    np.testing.assert_allclose(again(data), concat_space(data), atol=1e-6)


# ---- configs and files against Keras's FeatureSpace ---------------------------------------------


def _without_registered_names(config):
    """Keras writes `registered_name` for its unexported classes (kernelkit writes null for
    built-ins) and a built layer's `build_config` inside nested configs; neither is config."""
    if isinstance(config, dict):
        return {k: _without_registered_names(v) for k, v in config.items()
                if k not in ("registered_name", "build_config")}
    if isinstance(config, list):
        return [_without_registered_names(v) for v in config]
    return config


def _float_features(space):
    return {"a": "float", "b": "float_rescaled", "c": "float_normalized",
            "d": space.float_rescaled(scale=2.0, offset=1.0, name="d"),
            "e": space.float_discretized(num_bins=5, name="e")}


def test_config_matches_keras():
    options = {"output_mode": "dict", "crossing_dim": 8, "hashing_dim": 4}
    mine = json.loads(json.dumps(serialize(FeatureSpace(_float_features(FeatureSpace),
                                                        **options))))
    keras_space = keras.utils.FeatureSpace(_float_features(keras.utils.FeatureSpace), **options)
    theirs = json.loads(json.dumps(keras.saving.serialize_keras_object(keras_space)))
    theirs.pop("build_config")
    assert _without_registered_names(mine) == _without_registered_names(theirs)
    cross = serialize(Cross(("a", "b"), crossing_dim=8, output_mode="int"))
    keras_cross = keras.saving.serialize_keras_object(
        keras.utils.FeatureSpace.cross(("a", "b"), crossing_dim=8, output_mode="int"))
    assert _without_registered_names(json.loads(json.dumps(cross))) == \
        _without_registered_names(json.loads(json.dumps(keras_cross)))


def test_config_round_trip_with_every_type(concat_space):
    config = json.loads(json.dumps(serialize(concat_space)))
    rebuilt = deserialize(config)
    assert isinstance(rebuilt, FeatureSpace) and rebuilt.get_config() == concat_space.get_config()
    assert [c.name for c in rebuilt.crosses] == ["float_3_X_string_1", "string_2_X_int_2"]
    assert isinstance(rebuilt.features["string_1"], Feature)
    keras_config = keras.saving.serialize_keras_object(keras.utils.FeatureSpace(
        _float_features(keras.utils.FeatureSpace)))
    from_keras = deserialize(json.loads(json.dumps(keras_config)))
    assert serialize(from_keras)["config"]["features"].keys() == keras_config["config"][
        "features"].keys()


@pytest.mark.filterwarnings("ignore:You are saving a model that has not yet been built")
def test_keras_file_loads_in_kernelkit(tmp_path):
    x = np.random.default_rng(1).normal(2, 3, (20, 1)).astype("float32")
    norm = keras.layers.Normalization()
    norm.adapt(x)
    space = keras.utils.FeatureSpace({
        "n": keras.utils.FeatureSpace.feature("float32", norm, "float"),
        "r": keras.utils.FeatureSpace.float_rescaled(scale=3.0, name="r")}, output_mode="dict")
    space.save(str(tmp_path / "k.keras"))
    loaded = kk.saving.load_model(tmp_path / "k.keras")
    out = loaded({"n": x, "r": x})
    np.testing.assert_allclose(out["n"], norm(x), atol=1e-5)
    np.testing.assert_allclose(out["r"], 3 * x, atol=1e-6)


def test_kernelkit_file_loads_in_keras(tmp_path):
    x = {"c": np.random.default_rng(2).normal(1, 2, 16).astype("float32"),
         "b": np.linspace(0, 1, 16).astype("float32")}
    space = FeatureSpace({"c": "float_normalized", "b": "float_rescaled"})
    space.adapt(x)
    space.save(tmp_path / "fs.keras")
    loaded = keras.saving.load_model(str(tmp_path / "fs.keras"))
    assert isinstance(loaded, keras.utils.FeatureSpace)
    mean = loaded.preprocessors["c"].mean  # calling Keras's FeatureSpace needs TensorFlow
    np.testing.assert_allclose(np.ravel(mean), [x["c"].mean()], rtol=1e-5)
    theirs = json.loads(json.dumps(keras.saving.serialize_keras_object(loaded)["config"]))
    mine = json.loads(json.dumps(serialize(space)["config"]))
    assert _without_registered_names(theirs) == _without_registered_names(mine)


# ---- errors -------------------------------------------------------------------------------------


def test_errors_as_keras():
    """Keras's test_errors: the same exception types and key phrases."""
    two = {"f1": "integer_categorical", "f2": "integer_categorical"}
    with pytest.raises(ValueError, match="cannot be None or empty"):
        FeatureSpace(features={})
    with pytest.raises(ValueError, match="`crossing_dim`"):
        FeatureSpace(dict(two), crosses=[("f1", "f2")], crossing_dim=None)
    with pytest.raises(ValueError, match="should be present in"):
        FeatureSpace(dict(two), crosses=[("f1", "unknown")], crossing_dim=32)
    with pytest.raises(ValueError, match="for argument `output_mode`"):
        FeatureSpace(dict(two), output_mode="unknown")
    with pytest.raises(ValueError, match="You need to call `.adapt"):
        FeatureSpace(dict(two))({"f1": [0], "f2": [0]})
    with pytest.raises(ValueError, match="You need to call `.adapt"):
        FeatureSpace(dict(two)).get_encoded_features()


def test_errors_name_the_fix(concat_space):
    with pytest.raises(ValueError, match="Invalid feature type|invalid feature type"):
        FeatureSpace({"x": "float_bogus"})
    with pytest.raises(ValueError, match="only be called on a dict"):
        concat_space([1, 2])
    with pytest.raises(ValueError, match="missing"):
        concat_space({"float_1": [0.0]})
    with pytest.raises(ValueError, match="must return integers"):
        FeatureSpace({"x": cls.feature("float32", kk.layers.Rescaling(1.0), "one_hot")})(
            {"x": [1.0]})
    with pytest.raises(ValueError, match="cannot concatenate"):
        FeatureSpace({"x": cls.integer_hashed(4, output_mode="int")})({"x": [1]})
    with pytest.raises(TypeError, match="dict of arrays"):
        FeatureSpace({"x": "float_normalized"}).adapt(np.zeros(3))
    with pytest.raises(ValueError, match="has no feature 'x'"):
        FeatureSpace({"x": "float_normalized"}).adapt({"y": [1.0]})


def test_hashed_crossing_inside_jit_matches_eager():
    crossing = kk.layers.HashedCrossing(num_bins=16)
    a, b = np.array([[1], [5], [-3]], "int32"), np.array([[7], [7], [2]], "int32")
    eager = crossing((a, b))
    np.testing.assert_array_equal(jax.jit(lambda p, q: crossing((p, q)))(a, b), eager)
    one_hot = kk.layers.HashedCrossing(num_bins=16, output_mode="one_hot")
    np.testing.assert_array_equal(jax.jit(lambda p, q: one_hot((p, q)))(a, b), one_hot((a, b)))
    with pytest.raises(ValueError, match="HashedCrossing"):
        jax.jit(lambda p, q: crossing((p, q)))(a, b.astype("float32"))


def test_exported_from_utils_as_in_keras():
    assert kk.utils.FeatureSpace is FeatureSpace
    assert "FeatureSpace" in kk.utils.__all__ and hasattr(keras.utils, "FeatureSpace")
    assert keras.utils.FeatureSpace.__name__ == FeatureSpace.__name__
    own = {n for n in vars(keras.utils.FeatureSpace) if not n.startswith("_")}
    assert {"adapt", "cross", "float_discretized", "get_encoded_features", "save"} <= own
    assert sorted(own - set(dir(FeatureSpace))) == []
