"""NASNetMobile/Large and MobileNetV3Small/Large against Keras 3: layers, weights file, outputs."""

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
def nasnet_mobile_pair(tmp_path_factory):
    return loaded_pair("NASNetMobile", tmp_path_factory.mktemp("nasnet_mobile"),
                       include_top=True, input_shape=(32, 32, 3), classes=3,
                       classifier_activation=None)


@pytest.fixture(scope="module")
def nasnet_large_pair():
    # 85M weights, so the smallest input without the classifier and no weights file
    return built_pair("NASNetLarge", include_top=False, input_shape=(32, 32, 3))


@pytest.fixture(scope="module")
def mobilenet_v3_small_pair(tmp_path_factory):
    return loaded_pair("MobileNetV3Small", tmp_path_factory.mktemp("mobilenet_v3_small"),
                       input_shape=(32, 32, 3), classes=5, classifier_activation=None,
                       gamma=(1.2, 2.0))


@pytest.fixture(scope="module")
def mobilenet_v3_large_pair(tmp_path_factory):
    return loaded_pair("MobileNetV3Large", tmp_path_factory.mktemp("mobilenet_v3_large"),
                       include_top=False, input_shape=(48, 40, 3), alpha=0.75,
                       minimalistic=True, include_preprocessing=False, pooling="max")


_PAIRS = ["nasnet_mobile_pair", "nasnet_large_pair", "mobilenet_v3_small_pair",
          "mobilenet_v3_large_pair"]


@pytest.mark.parametrize("pair", _PAIRS)
def test_same_architecture_as_keras(pair, request):
    assert_same_architecture(*request.getfixturevalue(pair))


@pytest.mark.parametrize("pair", ["nasnet_mobile_pair", "mobilenet_v3_small_pair",
                                  "mobilenet_v3_large_pair"])
def test_keras_weights_file_gives_keras_predictions(pair, request):
    assert_same_predictions(*request.getfixturevalue(pair))


def test_nasnet_weights_carry_keras_name_scopes(nasnet_mobile_pair):
    kk_model, _ = nasnet_mobile_pair
    kernel = kk_model.get_layer("separable_conv_1_normal_left1_0").depthwise_kernel
    assert kernel.path == ("normal_A_block_0/block_1/separable_conv_block_normal_left1_0/"
                           "separable_conv_1_normal_left1_0/depthwise_kernel")
    assert kk_model.get_layer("stem_conv1").kernel.path == "stem_conv1/kernel"


def test_mobilenet_v3_without_input_shape_takes_any_size():
    """Keras builds MobileNetV3 on (None, None, 3), its classifier included."""
    model = kk.applications.MobileNetV3Small(weights=None, alpha=0.75, minimalistic=True,
                                             classes=3, dropout_rate=0.0)
    assert tuple(model.input_shape) == (None, None, None, 3)
    assert not any(type(layer).__name__ == "Dropout" for layer in model.layers)
    assert model.predict(images((64, 48, 3)), verbose=0).shape == (2, 3)


def test_mobilenet_v3_input_tensor_must_agree_with_input_shape():
    image = kk.Input(shape=(40, 40, 3))
    with pytest.raises(ValueError, match="disagree"):
        kk.applications.MobileNetV3Small(weights=None, input_tensor=image,
                                         input_shape=(40, 48, 3))


@pytest.mark.parametrize("builder", ["NASNetMobile", "NASNetLarge", "MobileNetV3Small",
                                     "MobileNetV3Large"])
def test_imagenet_weights_explain_there_is_no_network(builder):
    args = dict(input_shape=(224, 224, 3)) if builder.startswith("MobileNetV3") else {}
    with pytest.raises(ValueError, match="no network is available.*load_weights"):
        getattr(kk.applications, builder)(weights="imagenet", **args)


def test_mobilenet_v3_warns_that_imagenet_weights_are_for_224_inputs():
    """Keras warns before its download when the input is not 224x224; so does kernelkit."""
    with pytest.warns(UserWarning, match="224"), pytest.raises(ValueError, match="network"):
        kk.applications.MobileNetV3Small(weights="imagenet", input_shape=(96, 96, 3))


@pytest.mark.parametrize("builder, args, message", [
    ("NASNetMobile", dict(weights="imagenet", input_shape=(32, 32, 3)), "fixed"),
    ("NASNetLarge", dict(weights="imagenet", input_shape=(224, 224, 3)), "fixed"),
    ("NASNetLarge", dict(weights="imagenet", include_top=False, input_shape=(None, None, 3)),
     "static input shape"),
    ("NASNetMobile", dict(weights=None, include_top=False, input_shape=(31, 32, 3)),
     "least 32"),
    ("NASNetMobile", dict(weights="imagenet", classes=10), "classes=1000"),
    ("MobileNetV3Small", dict(weights=None, input_shape=(31, 32, 3)), "least 32"),
    ("MobileNetV3Large", dict(weights="imagenet", alpha=0.5), "alpha"),
    ("MobileNetV3Large", dict(weights="imagenet", minimalistic=True, alpha=0.75), "alpha"),
    ("MobileNetV3Small", dict(weights="imagenet", classes=10), "classes=1000"),
])
def test_input_shape_rules_match_keras(builder, args, message):
    """Keras refuses these before any download, and so does kernelkit, for the same reason."""
    with pytest.raises(ValueError):
        getattr(keras.applications, builder)(**args)
    with pytest.raises(ValueError, match=message):
        getattr(kk.applications, builder)(**args)


def test_mobilenet_v3_preprocess_input_returns_its_input():
    x = np.arange(6.0).reshape(1, 1, 2, 3)
    assert kk.applications.mobilenet_v3.preprocess_input(x) is x


def test_keras_files_move_both_ways(mobilenet_v3_large_pair, tmp_path):
    """A whole application as a `.keras` archive: Keras's loads in kernelkit and back (the
    default variant, whose hard sigmoid is `x + 3.0`, is in tests/saving/test_keras_op_nodes.py).
    """
    kk_model, k_model = mobilenet_v3_large_pair
    x = images((48, 40, 3), seed=6)
    expected = k_model.predict(x, verbose=0)
    k_model.save(tmp_path / "from_keras.keras")
    loaded = kk.saving.load_model(tmp_path / "from_keras.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, atol=1e-4, rtol=1e-4)
    kk_model.save(tmp_path / "from_kernelkit.keras")
    back = keras.saving.load_model(tmp_path / "from_kernelkit.keras")
    assert back.name == k_model.name
    np.testing.assert_allclose(back.predict(x, verbose=0), expected, atol=1e-4, rtol=1e-4)
