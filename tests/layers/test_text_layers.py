"""Text layers (StringLookup, TextVectorization) against Keras 3, and string models end to end.

Keras needs TensorFlow for these layers, which the test environment does not have, so the
references (outputs, vocabularies, configs, `.keras` files) were recorded from Keras 3 +
TensorFlow in keras_text_fixtures.json by make_text_fixtures.py.
"""

import base64
import json
import pathlib

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.registry import register_keras_serializable

FIXTURES = json.loads((pathlib.Path(__file__).parent / "keras_text_fixtures.json").read_text())
TEXT = ("StringLookup", "TextVectorization")


def _without_name(config):
    return {k: v for k, v in json.loads(json.dumps(config)).items() if k != "name"}


def _check_output(out, expected):
    out = np.asarray(out)
    if expected["dtype"] == "string":
        assert out.tolist() == expected["value"]
    else:
        np.testing.assert_allclose(out, np.asarray(expected["value"]), rtol=1e-6, atol=1e-6)
        assert out.dtype.name == expected["dtype"]
    assert list(out.shape) == expected["shape"]


def _cases():
    return [pytest.param(c, id=f"{c['layer']}-{i}") for i, c in enumerate(FIXTURES["cases"])
            if c["layer"] in TEXT]


def _make(case):
    kwargs = dict(case["kwargs"])
    if isinstance(kwargs.get("ngrams"), list):  # JSON has no tuples
        kwargs["ngrams"] = tuple(kwargs["ngrams"])
    layer = getattr(kk.layers, case["layer"])(**kwargs)
    if case["adapt"] is not None:
        layer.adapt(np.array(case["adapt"]))
    return layer


@pytest.mark.parametrize("case", _cases())
def test_text_layers_match_recorded_keras(case):
    layer = _make(case)
    if "error" not in case["output"]:
        _check_output(layer(np.array(case["inputs"])), case["output"])
    assert _without_name(layer.get_config()) == _without_name(case["config"])
    assert layer.get_vocabulary() == case["vocabulary"]
    assert layer.vocabulary_size() == case["vocabulary_size"]
    clone = type(layer).from_config(layer.get_config())
    live = {"vocabulary_size"} if case["layer"] == "TextVectorization" and case["adapt"] else set()
    # an adapted vocabulary travels as an asset, not in the config (Keras writes the live size)
    assert ({k: v for k, v in clone.get_config().items() if k not in live}
            == {k: v for k, v in layer.get_config().items() if k not in live})


def test_string_lookup_invert_maps_ids_back():
    # Keras on JAX fails here (JAX has no string arrays); kernelkit returns NumPy strings.
    layer = kk.layers.StringLookup(vocabulary=["x", "y"], invert=True, mask_token="[M]")
    assert layer(np.array([[0, 1, 2, 3, 9]])).tolist() == [["[M]", "[UNK]", "x", "y", "[UNK]"]]
    forward = kk.layers.StringLookup(vocabulary=["x", "y"])
    back = kk.layers.StringLookup(vocabulary=forward.get_vocabulary(), invert=True)
    assert back(forward(np.array(["y", "x", "q"]))).tolist() == ["y", "x", "[UNK]"]


def test_adapt_accepts_lists_generators_and_bytes():
    corpus = FIXTURES["cases"][19]["adapt"]
    reference = kk.layers.TextVectorization()
    reference.adapt(np.array(corpus))
    from_list = kk.layers.TextVectorization()
    from_list.adapt(corpus)
    from_generator = kk.layers.TextVectorization()
    from_generator.adapt(np.array(corpus[i:i + 2]) for i in range(0, len(corpus), 2))
    from_bytes = kk.layers.TextVectorization()
    from_bytes.adapt(np.array([t.encode("utf-8") for t in corpus], dtype=object))
    for other in (from_list, from_generator, from_bytes):
        assert other.get_vocabulary() == reference.get_vocabulary()


def test_vocabulary_file_and_set_vocabulary(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("the\ncat\ndog\n", encoding="utf-8")
    from_file = kk.layers.TextVectorization(vocabulary=str(path))
    assert from_file.get_vocabulary() == ["", "[UNK]", "the", "cat", "dog"]
    assert from_file.get_config()["vocabulary"] is None  # saved as an asset, as in Keras
    layer = kk.layers.TextVectorization()
    layer.set_vocabulary(["b", "a"])
    assert np.asarray(layer(np.array(["a b c"]))).tolist() == [[3, 2, 1]]
    tf_idf = kk.layers.TextVectorization(output_mode="tf_idf")
    tf_idf.set_vocabulary(["a", "b"], idf_weights=[0.5, 2.0])
    np.testing.assert_allclose(np.asarray(tf_idf(np.array(["b b a z"]))),
                               [[1.25, 0.5, 4.0]])


@register_keras_serializable(package="text_tests")
def keep_letters(texts):
    return np.char.replace(np.char.lower(texts), "1", "")


@register_keras_serializable(package="text_tests")
def split_on_dash(texts):
    return [t.split("-") for t in texts.tolist()]


def test_callable_standardize_and_split_round_trip():
    layer = kk.layers.TextVectorization(standardize=keep_letters, split=split_on_dash,
                                        vocabulary=["ab", "cd"])
    assert np.asarray(layer(np.array(["AB1-cd-x"]))).tolist() == [[2, 3, 1]]
    clone = kk.layers.TextVectorization.from_config(layer.get_config())
    assert np.asarray(clone(np.array(["cd-AB"]))).tolist() == [[3, 2]]


def test_text_errors_name_the_layer():
    with pytest.raises(ValueError, match="TextVectorization 'tv'.*standardize"):
        kk.layers.TextVectorization(standardize="upper", name="tv")
    with pytest.raises(ValueError, match="TextVectorization 'tv'.*output_sequence_length"):
        kk.layers.TextVectorization(output_mode="count", output_sequence_length=3, name="tv")
    with pytest.raises(ValueError, match="TextVectorization 'tv'.*shape"):
        kk.layers.TextVectorization(vocabulary=["a"], name="tv")(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="StringLookup 'sl'.*repeats"):
        kk.layers.StringLookup(vocabulary=["a", "a"], name="sl")
    with pytest.raises(ValueError, match="StringLookup 'sl'.*mask token"):
        kk.layers.StringLookup(vocabulary=["a", ""], mask_token="", name="sl")
    with pytest.raises(ValueError, match="StringLookup 'sl'.*adapt"):
        kk.layers.StringLookup(vocabulary=["a"], name="sl").adapt(["a"])
    with pytest.raises(RuntimeError, match="StringLookup 'sl'.*vocabulary"):
        kk.layers.StringLookup(output_mode="multi_hot", name="sl")(np.array([["a"]]))


# ---- string models: the host stage, fit/predict on raw strings, .keras files ---------------------

POSITIVE = ["sun", "bright", "happy", "warm", "joy", "smile"]
NEGATIVE = ["rain", "dark", "sad", "cold", "gloom", "tears"]


def _sentences(n, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    text = [" ".join(rng.choice(POSITIVE if label == 0 else NEGATIVE, 5)) for label in labels]
    return np.array(text)[:, None], labels.astype("float32")


def _classifier(functional):
    vectorize = kk.layers.TextVectorization(max_tokens=20, output_sequence_length=6)
    vectorize.adapt(_sentences(64, seed=1)[0][:, 0])
    head = [kk.layers.Embedding(20, 8), kk.layers.GlobalAveragePooling1D(),
            kk.layers.Dense(1, activation="sigmoid")]
    if not functional:
        return kk.Sequential([kk.Input(shape=(1,), dtype="string"), vectorize, *head])
    inputs = kk.Input(shape=(1,), dtype="string", name="text")
    x = vectorize(inputs)
    for layer in head:
        x = layer(x)
    return kk.Model(inputs, x)


@pytest.mark.parametrize("functional", [False, True], ids=["sequential", "functional"])
def test_text_classifier_trains_on_raw_strings_saves_and_reloads(functional, tmp_path):
    kk.utils.set_random_seed(0)
    model = _classifier(functional)
    assert model.inputs[0].dtype.kind == "U" and model.outputs[0].shape == (None, 1)
    model.compile(optimizer=kk.optimizers.Adam(0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])
    x, y = _sentences(256, seed=2)
    history = model.fit(x, y, epochs=4, batch_size=32, validation_split=0.25, verbose=0)
    assert history.history["val_accuracy"][-1] == 1.0
    x_new, y_new = _sentences(16, seed=3)
    predictions = model.predict(x_new, verbose=0)
    assert predictions.shape == (16, 1)
    assert ((predictions[:, 0] > 0.5) == y_new).all()
    np.testing.assert_allclose(np.asarray(model(x_new)), predictions, atol=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(x_new), predictions, atol=1e-6)
    assert model.evaluate(x_new, y_new, verbose=0, return_dict=True)["accuracy"] == 1.0
    path = tmp_path / "text.keras"
    model.save(path)
    reloaded = kk.saving.load_model(path)
    np.testing.assert_allclose(reloaded.predict(x_new, verbose=0), predictions, atol=1e-6)
    text_layer = next(layer for layer in reloaded.layers
                      if isinstance(layer, kk.layers.TextVectorization))
    assert text_layer.get_vocabulary() == next(
        layer for layer in model.layers
        if isinstance(layer, kk.layers.TextVectorization)).get_vocabulary()


def test_fit_on_a_generator_of_string_batches():
    kk.utils.set_random_seed(0)
    model = _classifier(functional=False)
    model.compile(optimizer=kk.optimizers.Adam(0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])

    def batches():
        for seed in range(24):
            yield _sentences(32, seed=10 + seed)

    history = model.fit(batches(), epochs=1, verbose=0)
    assert history.history["accuracy"][-1] > 0.9
    x_new, y_new = _sentences(16, seed=3)
    assert ((model.predict(x_new, verbose=0)[:, 0] > 0.5) == y_new).all()


def test_host_layer_inside_the_step_must_come_first():
    inputs = kk.Input(shape=(4,))
    hashed = kk.layers.Hashing(num_bins=3, name="late_hash")(kk.layers.Dense(4)(inputs))
    model = kk.Model(inputs, hashed)
    import jax

    with pytest.raises(ValueError, match="Hashing 'late_hash' runs on the host"):
        jax.jit(lambda v: model(v))(np.ones((2, 4), "float32"))


def _archive(data):
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data))


@pytest.mark.parametrize("name", sorted(FIXTURES["keras_files"]))
def test_keras_written_files_load_and_kernelkit_writes_the_same_layout(name, tmp_path):
    import h5py

    record = FIXTURES["keras_files"][name]
    keras_bytes = base64.b64decode(record["file"])
    path = tmp_path / "keras.keras"
    path.write_bytes(keras_bytes)
    model = kk.saving.load_model(path)
    x = np.array(record["inputs"])[:, None]
    _check_output(model(x), record["output"])
    again = tmp_path / "kernelkit.keras"
    model.save(again)
    ours, theirs = _archive(again.read_bytes()), _archive(keras_bytes)
    assert sorted(ours.namelist()) == sorted(theirs.namelist())
    for member in theirs.namelist():
        if member.startswith("assets/"):
            assert ours.read(member) == theirs.read(member)
    with h5py.File(ours.open("model.weights.h5")) as a, \
            h5py.File(theirs.open("model.weights.h5")) as b:
        names_a, names_b = [], []
        a.visit(names_a.append)
        b.visit(names_b.append)
        assert sorted(names_a) == sorted(names_b)
        for key in names_b:
            if isinstance(b[key], h5py.Dataset):
                np.testing.assert_allclose(a[key][()], b[key][()], rtol=1e-6)
    layer = json.loads(ours.read("config.json"))["config"]["layers"][1]["config"]
    keras_layer = json.loads(theirs.read("config.json"))["config"]["layers"][1]["config"]
    assert _without_name(layer) == _without_name(keras_layer)


def test_on_batch_methods_and_eager_steps_take_raw_strings():
    model = _classifier(functional=False)
    x, y = _sentences(8, seed=4)
    model.compile(optimizer="adam", loss="binary_crossentropy", run_eagerly=True)
    eager_loss = model.fit(x, y, epochs=1, batch_size=8, verbose=0).history["loss"][-1]
    assert np.isfinite(eager_loss)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    assert np.isfinite(model.train_on_batch(x, y))
    assert np.isfinite(model.test_on_batch(x, y))
    assert model.predict_on_batch(x).shape == (8, 1)


def test_integer_lookup_first_in_a_model_runs_on_the_host():
    lookup = kk.layers.IntegerLookup(vocabulary=[3, 5, 7])
    model = kk.Sequential([kk.Input(shape=(2,), dtype="int32"), lookup,
                           kk.layers.Embedding(5, 2), kk.layers.Flatten(), kk.layers.Dense(1)])
    x = np.array([[3, 5], [7, 9]] * 4)
    eager = np.asarray(model(x))
    np.testing.assert_allclose(model.predict(x, verbose=0), eager, atol=1e-6)
    np.testing.assert_allclose(model.predict(x, batch_size=2, verbose=0), eager, atol=1e-6)
    model.compile(optimizer="adam", loss="mse")
    assert np.isfinite(model.fit(x, np.zeros(8), epochs=1, verbose=0).history["loss"][-1])


def test_eager_steps_do_not_look_integers_up_twice():
    seen = []

    class Recording(kk.layers.IntegerLookup):
        def call(self, inputs):
            seen.append(np.asarray(inputs).tolist())
            return super().call(inputs)

    model = kk.Sequential([kk.Input(shape=(2,), dtype="int32"),
                           Recording(vocabulary=[3, 5, 7]), kk.layers.Embedding(5, 2),
                           kk.layers.Flatten(), kk.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    x = np.array([[3, 5], [7, 9]])
    model.evaluate(x, np.zeros(2), verbose=0)
    assert seen == [x.tolist()]  # once, on the host; the eager step passes the ids through


def test_a_string_sequential_needs_its_input():
    vectorize = kk.layers.TextVectorization(vocabulary=["a"], name="words")
    model = kk.Sequential([vectorize, kk.layers.Embedding(3, 2)], name="no_input")
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="Sequential 'no_input'.*TextVectorization 'words'.*Input"):
        model.fit(np.array([["a"]]), np.zeros((1, 1, 2)), verbose=0)
    symbolic = kk.layers.StringLookup(vocabulary=["a"])(kk.Input(shape=(2,), dtype="string"))
    assert symbolic.shape == (None, 2) and symbolic.dtype == "int32"


def test_byte_inputs_are_decoded_with_the_layer_encoding():
    texts = np.array(["café".encode("latin-1")], dtype=object)
    layer = kk.layers.StringLookup(vocabulary=["café"], encoding="latin-1")
    assert np.asarray(layer(texts)).tolist() == [1]
    vectorize = kk.layers.TextVectorization(vocabulary=["café"], encoding="latin-1")
    assert np.asarray(vectorize(texts)).tolist() == [[2]]
