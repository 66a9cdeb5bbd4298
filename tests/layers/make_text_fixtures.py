"""Writes tests/layers/keras_text_fixtures.json from Keras 3 with TensorFlow installed.

Keras's lookup, hashing and text layers need TensorFlow even on the JAX backend, and the test
environment has none; so their reference outputs, vocabularies, configs and `.keras` files are
recorded here once and compared against in tests/layers/test_text_layers.py and
test_structured_layers.py. Run: `KERAS_BACKEND=jax python tests/layers/make_text_fixtures.py`
in an environment with `keras` and `tensorflow-cpu`.
"""

import base64
import json
import os
import tempfile

import keras
import numpy as np

CORPUS = ["The cat sat on the mat.", "the dog, the CAT and a bird!", "A bird flew",
          "Dogs and cats", "é café Über straße"]
QUERY = ["the cat and the dog", "an unknown bird", "", "Über café!"]
WORDS = [["a", "b", "a", "c"], ["c", "a", "d", "d"], ["b", "b", "e", "a"]]
INTS = [[5, 5, 7, 9], [9, 5, 12, 3], [7, 7, 7, 5]]

CASES = [
    ("StringLookup", {}, WORDS, [["a", "z", "e"], ["d", "q", "b"]]),
    ("StringLookup", {"num_oov_indices": 3}, WORDS, [["a", "z", "e", "zz", "y", "qq"]]),
    ("StringLookup", {"num_oov_indices": 2, "salt": [7, 11]}, WORDS, [["z", "x", "qq", "a"]]),
    ("StringLookup", {"mask_token": "", "max_tokens": 4}, WORDS, [["a", "", "e", "b"]]),
    ("StringLookup", {"output_mode": "multi_hot"}, WORDS, [["a", "z", "a"], ["d", "q", "b"]]),
    ("StringLookup", {"output_mode": "count"}, WORDS, [["a", "z", "a"], ["d", "q", "b"]]),
    ("StringLookup", {"output_mode": "one_hot"}, WORDS, [["a"], ["z"], ["d"]]),
    ("StringLookup", {"output_mode": "tf_idf"}, WORDS, [["a", "z", "a"], ["d", "q", "b"]]),
    ("StringLookup", {"output_mode": "multi_hot", "max_tokens": 6, "pad_to_max_tokens": True},
     WORDS, [["a", "z"], ["d", "b"]]),
    ("StringLookup", {"vocabulary": ["x", "y", "z"]}, None, [["y", "w", "x"]]),
    ("StringLookup", {"vocabulary": ["x", "y"], "invert": True}, None, [[0, 1, 2, 7]]),
    ("StringLookup", {"vocabulary": ["x", "y"], "invert": True, "mask_token": "[M]"}, None,
     [[0, 1, 2, 3, 9]]),
    ("StringLookup", {"vocabulary": ["x", "y"], "idf_weights": [0.5, 0.25],
                      "output_mode": "tf_idf"}, None, [["x", "y", "y", "q"]]),
    ("IntegerLookup", {}, INTS, [[5, 7, 100, 12]]),
    ("IntegerLookup", {"num_oov_indices": 3}, INTS, [[5, 100, 101, 102, -4]]),
    ("IntegerLookup", {"num_oov_indices": 3, "oov_method": "farmhash"}, INTS,
     [[100, 101, 102, 5]]),
    ("IntegerLookup", {"mask_token": 0}, INTS, [[0, 5, 100]]),
    ("IntegerLookup", {"output_mode": "count"}, INTS, [[5, 5, 100], [9, 3, 3]]),
    ("IntegerLookup", {"vocabulary": [12, 36], "invert": True}, None, [[0, 1, 2, 5]]),
    ("TextVectorization", {}, CORPUS, QUERY),
    ("TextVectorization", {"output_sequence_length": 4}, CORPUS, QUERY),
    ("TextVectorization", {"max_tokens": 6, "output_sequence_length": 6}, CORPUS, QUERY),
    ("TextVectorization", {"standardize": "lower"}, CORPUS, QUERY),
    ("TextVectorization", {"standardize": "strip_punctuation"}, CORPUS, QUERY),
    ("TextVectorization", {"standardize": None}, CORPUS, QUERY),
    ("TextVectorization", {"split": "character", "output_sequence_length": 8}, CORPUS, QUERY),
    ("TextVectorization", {"split": None}, ["a b", "c", "a b", "x!"], ["a b", "c", "A B"]),
    ("TextVectorization", {"ngrams": 2}, CORPUS, QUERY),
    ("TextVectorization", {"ngrams": (1, 3), "output_mode": "count"}, CORPUS, QUERY),
    ("TextVectorization", {"output_mode": "multi_hot"}, CORPUS, QUERY),
    ("TextVectorization", {"output_mode": "count"}, CORPUS, QUERY),
    ("TextVectorization", {"output_mode": "tf_idf"}, CORPUS, QUERY),
    ("TextVectorization", {"output_mode": "multi_hot", "max_tokens": 12,
                           "pad_to_max_tokens": True}, CORPUS, QUERY),
    ("TextVectorization", {"vocabulary": ["the", "cat", "dog"]}, None, QUERY),
    ("Hashing", {"num_bins": 7}, None, [["the", "cat", ""], ["dog", "é", "a" * 70]]),
    ("Hashing", {"num_bins": 7, "salt": 133}, None, [["the", "cat", ""], ["dog", "é", "x"]]),
    ("Hashing", {"num_bins": 5, "salt": [1, 2], "mask_value": "cat"}, None, [["the", "cat"]]),
    ("Hashing", {"num_bins": 9}, None, [[0, 1, 12345, -6]]),
    ("Hashing", {"num_bins": 4, "mask_value": 0}, None, [[0, 1, 2, 3, 4, 5]]),
    ("Hashing", {"num_bins": 4, "output_mode": "multi_hot"}, None, [["a", "b"], ["c", "a"]]),
    ("Hashing", {"num_bins": 4, "output_mode": "count"}, None, [["a", "b", "a"]]),
    ("Hashing", {"num_bins": 4, "output_mode": "one_hot"}, None, [["a"], ["b"], ["c"]]),
]


def to_json(x):
    arr = np.asarray(x)
    if arr.dtype.kind in "SO":
        arr = np.vectorize(lambda v: v.decode() if isinstance(v, bytes) else str(v))(arr)
    return {"value": arr.tolist(), "dtype": str(arr.dtype) if arr.dtype.kind not in "U"
            else "string", "shape": list(arr.shape)}


def run_case(cls_name, kwargs, adapt, query):
    layer = getattr(keras.layers, cls_name)(**kwargs)
    if adapt is not None:
        layer.adapt(adapt if cls_name != "TextVectorization" else np.array(adapt))
    try:
        output = to_json(layer(np.array(query)))
    except Exception as e:  # e.g. invert=True: JAX has no string arrays for the result
        output = {"error": type(e).__name__}
    record = {"layer": cls_name, "kwargs": kwargs, "adapt": adapt, "inputs": query,
              "output": output, "config": layer.get_config()}
    if hasattr(layer, "get_vocabulary"):
        record["vocabulary"] = [v.decode() if isinstance(v, bytes) else
                                (int(v) if isinstance(v, np.integer) else v)
                                for v in layer.get_vocabulary()]
        record["vocabulary_size"] = int(layer.vocabulary_size())
    return record


def keras_file(layer_factory, adapt, query):
    layer = layer_factory()
    layer.adapt(adapt)
    inputs = keras.Input(shape=(1,), dtype="string")
    model = keras.Model(inputs, layer(inputs))
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m.keras")
        model.save(path)
        with open(path, "rb") as f:
            data = base64.b64encode(f.read()).decode()
    out = layer(np.array(query)[:, None])  # Keras-on-JAX models refuse string inputs
    return {"file": data, "inputs": query, "output": to_json(out)}


def structured_file():
    """A functional model of numeric and integer features (Keras on JAX can call it)."""
    num = keras.Input(shape=(1,), name="num")
    cat = keras.Input(shape=(2,), dtype="int64", name="cat")
    disc = keras.layers.Discretization(num_bins=4)
    disc.adapt(np.linspace(-1, 1, 50)[:, None])
    lookup = keras.layers.IntegerLookup(output_mode="multi_hot")
    lookup.adapt(np.array([[3, 5], [5, 7], [9, 5]]))
    encoded = keras.layers.CategoryEncoding(4, output_mode="one_hot")(disc(num))
    out = keras.layers.Dense(2)(keras.layers.Concatenate()([encoded, lookup(cat)]))
    model = keras.Model([num, cat], out)
    inputs = [[[-0.9], [0.1], [0.8]], [[3, 5], [7, 100], [9, 9]]]
    out = model([np.array(inputs[0], "float32"), np.array(inputs[1])])
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m.keras")
        model.save(path)
        with open(path, "rb") as f:
            data = base64.b64encode(f.read()).decode()
    return {"file": data, "inputs": inputs, "output": to_json(out)}


def main():
    records = [run_case(*case) for case in CASES]
    crossing = keras.layers.HashedCrossing(num_bins=20)
    cross_out = crossing((np.array(["a", "b", "c", "a"]), np.array([1, 2, 3, 1])))
    cross_one_hot = keras.layers.HashedCrossing(num_bins=5, output_mode="one_hot")(
        (np.array([["x"], ["y"]]), np.array([["p"], ["q"]])))
    files = {
        "string_lookup": keras_file(lambda: keras.layers.StringLookup(), WORDS,
                                    ["a", "z", "d"]),
        "text_vectorization": keras_file(
            lambda: keras.layers.TextVectorization(output_sequence_length=5), CORPUS, QUERY),
        "text_vectorization_tf_idf": keras_file(
            lambda: keras.layers.TextVectorization(output_mode="tf_idf"), CORPUS, QUERY),
    }
    payload = {"cases": records,
               "hashed_crossing": {"int": to_json(cross_out), "one_hot": to_json(cross_one_hot),
                                   "config": crossing.get_config()},
               "keras_files": files, "structured_file": structured_file(),
               "keras_version": keras.__version__}
    path = os.path.join(os.path.dirname(__file__), "keras_text_fixtures.json")
    with open(path, "w") as f:
        json.dump(payload, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
