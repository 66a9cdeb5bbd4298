"""InceptionV3, InceptionResNetV2 and Xception against Keras 3: layers, weights file, outputs."""

import numpy as np
import pytest

import kernelkit as kk
from tests.applications.application_oracle import (
    assert_same_architecture,
    assert_same_predictions,
    built_pair,
    images,
    loaded_pair,
)
from tests.keras_oracle import keras


@pytest.fixture(scope="module")
def inception_v3_pair(tmp_path_factory):
    return loaded_pair("InceptionV3", tmp_path_factory.mktemp("inception_v3"), include_top=True,
                       input_shape=(75, 75, 3), classes=4, classifier_activation=None)


@pytest.fixture(scope="module")
def xception_pair(tmp_path_factory):
    return loaded_pair("Xception", tmp_path_factory.mktemp("xception"), include_top=True,
                       input_shape=(71, 71, 3), classes=3, classifier_activation=None)


@pytest.fixture(scope="module")
def inception_resnet_v2_pair():
    # 54M weights: a file would be 220 MB, so the weights are copied in memory instead
    kk_model, k_model = built_pair("InceptionResNetV2", include_top=False,
                                   input_shape=(75, 75, 3), pooling="avg")
    kk_model.set_weights(k_model.get_weights())
    return kk_model, k_model


_PAIRS = ["inception_v3_pair", "xception_pair", "inception_resnet_v2_pair"]


@pytest.mark.parametrize("pair", _PAIRS)
def test_same_architecture_as_keras(pair, request):
    assert_same_architecture(*request.getfixturevalue(pair))


@pytest.mark.parametrize("pair", ["inception_v3_pair", "xception_pair"])
def test_keras_weights_file_gives_keras_predictions(pair, request):
    assert_same_predictions(*request.getfixturevalue(pair))


def test_inception_resnet_v2_with_keras_weights_predicts_as_keras(inception_resnet_v2_pair):
    kk_model, k_model = inception_resnet_v2_pair
    x = images((75, 75, 3), seed=4)
    np.testing.assert_allclose(kk_model.predict(x, verbose=0), k_model.predict(x, verbose=0),
                               atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("builder", ["InceptionV3", "InceptionResNetV2", "Xception"])
def test_imagenet_weights_explain_there_is_no_network(builder):
    with pytest.raises(ValueError, match="no network is available.*load_weights"):
        getattr(kk.applications, builder)(weights="imagenet")


@pytest.mark.parametrize("builder, args, message", [
    ("InceptionV3", dict(weights=None, include_top=False, input_shape=(74, 74, 3)), "least 75"),
    ("InceptionResNetV2", dict(weights=None, include_top=False, input_shape=(75, 74, 3)),
     "least 75"),
    ("Xception", dict(weights=None, include_top=False, input_shape=(70, 70, 3)), "least 71"),
    ("Xception", dict(weights=None, input_shape=(None, None, 3)), "static input shape"),
    ("InceptionV3", dict(weights="imagenet", input_shape=(150, 150, 3)), "fixed"),
    ("InceptionResNetV2", dict(weights="imagenet", include_top=False,
                               input_shape=(299, 299, 1)), "3 input channels"),
    ("Xception", dict(weights="imagenet", classes=10), "classes=1000"),
])
def test_input_shape_rules_match_keras(builder, args, message):
    """Keras refuses these before any download, and so does kernelkit, for the same reason."""
    with pytest.raises(ValueError):
        getattr(keras.applications, builder)(**args)
    with pytest.raises(ValueError, match=message):
        getattr(kk.applications, builder)(**args)


_MODULES = ["inception_v3", "inception_resnet_v2", "xception", "nasnet", "mobilenet_v3"]


@pytest.mark.parametrize("module", _MODULES)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_preprocess_input_matches_keras(module, data_format):
    x = images((4, 4, 3) if data_format == "channels_last" else (3, 4, 4))
    ours = getattr(kk.applications, module).preprocess_input
    theirs = getattr(keras.applications, module).preprocess_input
    np.testing.assert_allclose(ours(x.copy(), data_format=data_format),
                               theirs(x.copy(), data_format=data_format), rtol=1e-6, atol=1e-5)
    tensor = np.asarray(ours(kk.ops.convert_to_tensor(x), data_format=data_format))
    np.testing.assert_allclose(tensor, theirs(keras.ops.convert_to_tensor(x),
                                              data_format=data_format), rtol=1e-6, atol=1e-4)


@pytest.mark.parametrize("module", _MODULES)
def test_submodule_has_keras_names_and_the_shared_decode_predictions(module):
    ours = getattr(kk.applications, module)
    public = [name for name in dir(getattr(keras.applications, module))
              if not name.startswith("_")]
    assert public and all(hasattr(ours, name) for name in public)
    assert ours.decode_predictions is kk.applications.imagenet_utils.decode_predictions


def test_custom_scale_layer_moves_between_keras_and_kernelkit_files(tmp_path):
    """InceptionResNetV2's residual layer is saved and loaded under Keras's class name."""
    from keras.src.applications.inception_resnet_v2 import CustomScaleLayer

    inputs = keras.Input(shape=(3,))
    outputs = CustomScaleLayer(0.17)([inputs, keras.layers.Dense(3)(inputs)])
    k_model = keras.Model(inputs, outputs)
    x = np.random.RandomState(5).normal(size=(2, 3)).astype("float32")
    k_model.save(tmp_path / "from_keras.keras")
    loaded = kk.saving.load_model(tmp_path / "from_keras.keras")
    scale = [layer for layer in loaded.layers if type(layer).__name__ == "CustomScaleLayer"]
    assert scale[0].get_config()["scale"] == 0.17
    np.testing.assert_allclose(loaded.predict(x, verbose=0), k_model.predict(x, verbose=0),
                               atol=1e-6)
    loaded.save(tmp_path / "from_kernelkit.keras")
    back = keras.saving.load_model(tmp_path / "from_kernelkit.keras")
    np.testing.assert_allclose(back.predict(x, verbose=0), k_model.predict(x, verbose=0),
                               atol=1e-6)
