"""Text layers (StringLookup, TextVectorization) against Keras 3, and string models end to end.

Keras needs TensorFlow for these layers, which the test environment does not have, so the
references (outputs, vocabularies, configs, `.keras` files) were recorded from Keras 3 +
TensorFlow in keras_text_fixtures.json by make_text_fixtures.py.
"""

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
