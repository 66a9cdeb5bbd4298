"""Structured-data layers (CategoryEncoding, Discretization, Hashing, HashedCrossing,
IntegerLookup) against Keras 3.

CategoryEncoding and Discretization run in Keras here; the others need TensorFlow in Keras, so
their references were recorded from Keras 3 + TensorFlow in keras_text_fixtures.json (see
make_text_fixtures.py).
"""

import json
import pathlib

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.layers.structured.string_hash import fingerprint64, siphash24
from tests.keras_oracle import assert_config_round_trip, keras

FIXTURES = json.loads((pathlib.Path(__file__).parent / "keras_text_fixtures.json").read_text())
STRUCTURED = ("IntegerLookup", "Hashing")


def _without_name(config):
    return {k: v for k, v in config.items() if k != "name"}


def _check_output(out, expected):
    np.testing.assert_allclose(np.asarray(out), np.asarray(expected["value"]), rtol=1e-6,
                               atol=1e-6)
    assert list(np.shape(out)) == expected["shape"]
    assert np.asarray(out).dtype.name == expected["dtype"]


# ---- CategoryEncoding and Discretization: Keras runs here -------------------------------------

ENCODING_CASES = [
    ({"num_tokens": 4}, np.array([[0, 1], [3, 3]])),
    ({"num_tokens": 4, "output_mode": "one_hot"}, np.array([0, 2, 3])),
    ({"num_tokens": 4, "output_mode": "one_hot"}, np.array([[0], [2]])),
    ({"num_tokens": 5, "output_mode": "count"}, np.array([[0, 1, 1, 4], [2, 2, 2, 0]])),
    ({"num_tokens": 3, "output_mode": "binary"}, np.array([1, 2])),
    ({"num_tokens": 3, "output_mode": "multi_hot"}, np.array(2)),
]


@pytest.mark.parametrize(("kwargs", "x"), ENCODING_CASES)
def test_category_encoding_matches_keras(kwargs, x):
    out = kk.layers.CategoryEncoding(**kwargs)(x)
    ref = keras.layers.CategoryEncoding(**kwargs)(x)
    assert out.shape == ref.shape and out.dtype == ref.dtype
    np.testing.assert_array_equal(np.asarray(out), np.asarray(ref))
    layer = kk.layers.CategoryEncoding(**kwargs)
    assert _without_name(layer.get_config()) == _without_name(
        keras.layers.CategoryEncoding(**kwargs).get_config())
    assert_config_round_trip(layer, x)


def test_category_encoding_count_weights_and_symbolic_shape():
    x, w = np.array([[0, 1, 1]]), np.array([[0.5, 2.0, 1.0]], "float32")
    out = kk.layers.CategoryEncoding(3, "count")(x, count_weights=w)
    ref = keras.layers.CategoryEncoding(3, "count")(x, count_weights=w)
    np.testing.assert_allclose(np.asarray(out), np.asarray(ref))
    sym = kk.layers.CategoryEncoding(6, "one_hot")(kk.Input(shape=(1,), dtype="int32"))
    assert sym.shape == (None, 6)


def test_category_encoding_errors_name_the_layer():
    with pytest.raises(ValueError, match="CategoryEncoding 'ce'.*num_tokens"):
        kk.layers.CategoryEncoding(name="ce")
    with pytest.raises(ValueError, match="CategoryEncoding 'ce'.*output_mode"):
        kk.layers.CategoryEncoding(3, output_mode="tf_idf", name="ce")
    with pytest.raises(ValueError, match="CategoryEncoding 'ce'.*count_weights"):
        kk.layers.CategoryEncoding(3, name="ce")(np.array([[1]]), count_weights=np.ones((1, 1)))


DISCRETIZATION_CASES = [
    {"bin_boundaries": [0.0, 1.0, 2.5]},
    {"bin_boundaries": [0.0, 1.0], "output_mode": "one_hot"},
    {"bin_boundaries": [-1.0, 1.0], "output_mode": "multi_hot"},
    {"bin_boundaries": [0.5], "output_mode": "count"},
]


@pytest.mark.parametrize("kwargs", DISCRETIZATION_CASES)
def test_discretization_matches_keras(kwargs):
    x = np.array([[-2.0, 0.0, 0.7, 3.0], [1.0, 2.5, -0.5, 0.2]], "float32")
    out = kk.layers.Discretization(**kwargs)(x)
    ref = keras.layers.Discretization(**kwargs)(x)
    assert out.shape == ref.shape and out.dtype == ref.dtype
    np.testing.assert_array_equal(np.asarray(out), np.asarray(ref))
    layer = kk.layers.Discretization(**kwargs)
    assert _without_name(layer.get_config()) == _without_name(
        keras.layers.Discretization(**kwargs).get_config())
    assert_config_round_trip(layer, x)


def _keras_adapt(layer, batches):
    layer.reset_state()
    for batch in batches:
        layer.update_state(batch)
    layer.finalize_state()


@pytest.mark.parametrize(("num_bins", "epsilon"), [(4, 0.01), (3, 0.1), (7, 0.001)])
def test_discretization_adapt_matches_keras(num_bins, epsilon):
    rng = np.random.default_rng(0)
    batches = [rng.normal(size=(50, 2)).astype("float32") for _ in range(3)]
    ours = kk.layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    theirs = keras.layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    # Keras's adapt() checks for tf.data (TensorFlow); its update/finalize steps do not.
    ours.adapt(np.concatenate(batches))
    _keras_adapt(theirs, [np.concatenate(batches)])
    np.testing.assert_allclose(ours.bin_boundaries, theirs.bin_boundaries, rtol=1e-6)
    ours.adapt(iter(batches))
    _keras_adapt(theirs, batches)
    np.testing.assert_allclose(ours.bin_boundaries, theirs.bin_boundaries, rtol=1e-6)
    config = ours.get_config()
    assert _without_name(config) == _without_name(theirs.get_config())
    clone = kk.layers.Discretization.from_config(config)
    assert clone.bin_boundaries == ours.bin_boundaries
    np.testing.assert_array_equal(np.asarray(clone(batches[0])), np.asarray(theirs(batches[0])))


def test_discretization_errors_name_the_layer():
    with pytest.raises(ValueError, match="Discretization 'd'.*bin_boundaries.*num_bins"):
        kk.layers.Discretization(name="d")
    with pytest.raises(ValueError, match="Discretization 'd'.*not both"):
        kk.layers.Discretization(bin_boundaries=[0.0], num_bins=2, name="d")
    with pytest.raises(ValueError, match="Discretization 'd'.*adapt"):
        kk.layers.Discretization(bin_boundaries=[0.0], name="d").adapt(np.zeros(3))
    with pytest.raises(ValueError, match="Discretization 'd'.*no bin boundaries"):
        kk.layers.Discretization(num_bins=2, name="d")(np.zeros(3))


# ---- layers that need TensorFlow in Keras: recorded references ---------------------------------

def _cases(*names):
    return [pytest.param(c, id=f"{c['layer']}-{i}") for i, c in enumerate(FIXTURES["cases"])
            if c["layer"] in names]


def _make(case):
    layer = getattr(kk.layers, case["layer"])(**case["kwargs"])
    if case["adapt"] is not None:
        layer.adapt(np.array(case["adapt"]))
    return layer


@pytest.mark.parametrize("case", _cases(*STRUCTURED))
def test_structured_layers_match_recorded_keras(case):
    layer = _make(case)
    if "error" in case["output"]:
        return  # Keras on JAX cannot return this output (invert: no string arrays in JAX)
    _check_output(layer(np.array(case["inputs"])), case["output"])
    assert _without_name(layer.get_config()) == _without_name(case["config"])
    if "vocabulary" in case:
        assert layer.get_vocabulary() == case["vocabulary"]
        assert layer.vocabulary_size() == case["vocabulary_size"]


@pytest.mark.parametrize("case", _cases(*STRUCTURED))
def test_structured_layers_config_round_trip(case):
    layer = _make(case)
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()


def test_integer_lookup_invert_and_multi_oov():
    layer = kk.layers.IntegerLookup(vocabulary=[12, 36], invert=True)
    assert np.asarray(layer(np.array([0, 1, 2, 5]))).tolist() == [-1, 12, 36, -1]
    layer = kk.layers.IntegerLookup(vocabulary=[12, 36], num_oov_indices=2)
    assert np.asarray(layer(np.array([12, 7, 8]))).tolist() == [2, 1, 0]


def test_hashed_crossing_matches_recorded_keras():
    ref = FIXTURES["hashed_crossing"]
    layer = kk.layers.HashedCrossing(num_bins=20)
    _check_output(layer((np.array(["a", "b", "c", "a"]), np.array([1, 2, 3, 1]))), ref["int"])
    assert _without_name(layer.get_config()) == _without_name(ref["config"])
    one_hot = kk.layers.HashedCrossing(num_bins=5, output_mode="one_hot")(
        (np.array([["x"], ["y"]]), np.array([["p"], ["q"]])))
    _check_output(one_hot, ref["one_hot"])
    clone = kk.layers.HashedCrossing.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()


def test_hashed_crossing_errors_name_the_layer():
    layer = kk.layers.HashedCrossing(num_bins=3, name="hc")
    with pytest.raises(ValueError, match="HashedCrossing 'hc'.*at least two"):
        layer(np.array([1, 2]))
    with pytest.raises(ValueError, match="HashedCrossing 'hc'.*same shape"):
        layer((np.array([1, 2]), np.array([1, 2, 3])))
    with pytest.raises(ValueError, match="HashedCrossing 'hc'.*integers or strings"):
        layer((np.array([1.5]), np.array([1])))


def test_lookup_and_hashing_errors_name_the_layer():
    with pytest.raises(ValueError, match="Hashing 'h'.*num_bins"):
        kk.layers.Hashing(num_bins=0, name="h")
    with pytest.raises(ValueError, match="Hashing 'h'.*integer dtype"):
        kk.layers.Hashing(num_bins=3, dtype="float32", name="h")
    with pytest.raises(ValueError, match="IntegerLookup 'il'.*max_tokens"):
        kk.layers.IntegerLookup(max_tokens=1, name="il")
    with pytest.raises(ValueError, match="IntegerLookup 'il'.*num_oov_indices=0"):
        kk.layers.IntegerLookup(vocabulary=[1], num_oov_indices=0, name="il")(np.array([2]))
    with pytest.raises(ValueError, match="IntegerLookup 'il'.*repeats"):
        kk.layers.IntegerLookup(vocabulary=[1, 1], name="il")


def test_hashes_match_tensorflow_reference_values():
    # Values of tf.strings.to_hash_bucket_fast / _strong with 2**62 buckets (TensorFlow 2.21).
    assert fingerprint64(b"") == 0x9AE16A3B2F90404F
    case = next(c for c in FIXTURES["cases"] if c["layer"] == "Hashing"
                and c["kwargs"] == {"num_bins": 7})
    long_text = case["inputs"][1][2]
    assert len(long_text) > 64  # the long-string branch of Fingerprint64
    assert siphash24(0x0706050403020100, 0x0F0E0D0C0B0A0908, b"") == 0x726FDB47DD0E0E31


def test_keras_written_structured_model_loads_and_saves_back(tmp_path):
    import base64

    record = FIXTURES["structured_file"]
    path = tmp_path / "keras.keras"
    path.write_bytes(base64.b64decode(record["file"]))
    model = kk.saving.load_model(path)
    x = [np.array(record["inputs"][0], "float32"), np.array(record["inputs"][1])]
    np.testing.assert_allclose(np.asarray(model(x)), record["output"]["value"], atol=1e-5)
    np.testing.assert_allclose(model.predict(x, verbose=0), record["output"]["value"], atol=1e-5)
    model.save(tmp_path / "again.keras")
    again = kk.saving.load_model(tmp_path / "again.keras")
    np.testing.assert_allclose(again.predict(x, verbose=0), record["output"]["value"], atol=1e-5)
    lookup = next(layer for layer in again.layers if isinstance(layer, kk.layers.IntegerLookup))
    assert lookup.get_vocabulary() == [-1, 5, 9, 7, 3]
