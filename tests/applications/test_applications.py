"""Application models against Keras 3: same layers, same weights, same predictions."""

import json
import re

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras

# Layers Keras names automatically carry a per-session counter (`_3`): compare the stem only.
_AUTO = re.compile(
    r"^(input_layer|global_average_pooling2d|global_max_pooling2d|max_pooling2d|zero_padding2d)"
    r"(_\d+)?$")


def _names(model):
    return [_AUTO.sub(r"\1", layer.name) for layer in model.layers]


def _images(shape, seed=0):
    return np.random.RandomState(seed).uniform(0, 255, (2,) + shape).astype("float32")


@pytest.fixture(scope="module")
def resnet50_pair(tmp_path_factory):
    """ResNet50 with its classifier (10 classes, 64x64), kernelkit built from Keras's file."""
    args = dict(include_top=True, input_shape=(64, 64, 3), classes=10)
    k_model = keras.applications.ResNet50(weights=None, **args)
    path = tmp_path_factory.mktemp("resnet50") / "w.weights.h5"
    k_model.save_weights(path)
    return kk.applications.ResNet50(weights=str(path), **args), k_model


@pytest.fixture(scope="module")
def mobilenet_v2_pair(tmp_path_factory):
    """MobileNetV2 (alpha 0.35, 96x96, avg pooling), Keras's file loaded with load_weights."""
    args = dict(input_shape=(96, 96, 3), alpha=0.35, include_top=False, pooling="avg")
    k_model = keras.applications.MobileNetV2(weights=None, **args)
    path = tmp_path_factory.mktemp("mobilenet_v2") / "w.weights.h5"
    k_model.save_weights(path)
    kk_model = kk.applications.MobileNetV2(weights=None, **args)
    kk_model.load_weights(str(path))
    return kk_model, k_model


def _pair(builder, directory, **args):
    k_model = getattr(keras.applications, builder)(weights=None, **args)
    path = directory / "w.weights.h5"
    k_model.save_weights(path)
    return getattr(kk.applications, builder)(weights=str(path), **args), k_model


@pytest.fixture(scope="module")
def resnet50v2_pair(tmp_path_factory):
    return _pair("ResNet50V2", tmp_path_factory.mktemp("resnet50v2"), include_top=False,
                 input_shape=(32, 32, 3), pooling="max")


@pytest.fixture(scope="module")
def vgg16_pair(tmp_path_factory):
    # include_top=True adds two 4096-unit layers (50M weights): too slow for this file
    return _pair("VGG16", tmp_path_factory.mktemp("vgg16"), include_top=False,
                 input_shape=(32, 32, 3))


@pytest.fixture(scope="module")
def vgg19_pair(tmp_path_factory):
    return _pair("VGG19", tmp_path_factory.mktemp("vgg19"), include_top=False,
                 input_shape=(32, 32, 3), pooling="avg")


@pytest.fixture(scope="module")
def densenet121_pair(tmp_path_factory):
    return _pair("DenseNet121", tmp_path_factory.mktemp("densenet121"), include_top=True,
                 input_shape=(32, 32, 3), classes=4)


@pytest.fixture(scope="module")
def mobilenet_pair(tmp_path_factory):
    return _pair("MobileNet", tmp_path_factory.mktemp("mobilenet"), include_top=True,
                 input_shape=(128, 128, 3), alpha=0.25, classes=6)


_PAIRS = ["mobilenet_pair", "densenet121_pair", "resnet50_pair", "mobilenet_v2_pair", "resnet50v2_pair",
          "vgg16_pair", "vgg19_pair"]


@pytest.mark.parametrize("pair", _PAIRS)
def test_same_architecture_as_keras(pair, request):
    kk_model, k_model = request.getfixturevalue(pair)
    assert kk_model.name == k_model.name
    assert kk_model.count_params() == k_model.count_params()
    assert _names(kk_model) == _names(k_model)
    assert [tuple(w.shape) for w in kk_model.weights] == [tuple(w.shape) for w in k_model.weights]
    assert [w.path for w in kk_model.weights] == [w.path for w in k_model.weights]
    assert tuple(kk_model.output_shape) == tuple(k_model.output_shape)


@pytest.mark.parametrize("pair", _PAIRS)
def test_keras_weights_file_gives_keras_predictions(pair, request):
    kk_model, k_model = request.getfixturevalue(pair)
    x = _images(tuple(k_model.input_shape[1:]))
    expected = k_model.predict(x, verbose=0)
    np.testing.assert_allclose(kk_model.predict(x, verbose=0), expected, atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("builder", ["ResNet50", "ResNet101", "ResNet152", "ResNet50V2",
                                     "ResNet101V2", "ResNet152V2", "MobileNetV2", "VGG16",
                                     "VGG19", "DenseNet121", "DenseNet169", "DenseNet201",
                                     "MobileNet"])
def test_imagenet_weights_explain_there_is_no_network(builder):
    with pytest.raises(ValueError, match="no network is available.*load_weights"):
        getattr(kk.applications, builder)(weights="imagenet")


def test_missing_weights_file_and_bad_input_shape_are_refused(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        kk.applications.MobileNetV2(weights=str(tmp_path / "nope.h5"))
    with pytest.raises(ValueError, match="at least 32"):
        kk.applications.ResNet50(weights=None, include_top=False, input_shape=(16, 16, 3))
    with pytest.raises(ValueError, match="static input shape"):
        kk.applications.ResNet50(weights=None, input_shape=(None, None, 3))


@pytest.mark.parametrize("module", ["resnet", "resnet50", "resnet_v2", "mobilenet_v2",
                                    "vgg16", "vgg19", "densenet",
                                    "mobilenet", "imagenet_utils"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_preprocess_input_matches_keras(module, data_format):
    x = _images((4, 4, 3) if data_format == "channels_last" else (3, 4, 4))
    ours = getattr(kk.applications, module).preprocess_input
    theirs = getattr(keras.applications, module).preprocess_input
    np.testing.assert_allclose(ours(x.copy(), data_format=data_format),
                               theirs(x.copy(), data_format=data_format), rtol=1e-6, atol=1e-5)
    tensor = np.asarray(ours(kk.ops.convert_to_tensor(x), data_format=data_format))
    np.testing.assert_allclose(tensor, theirs(keras.ops.convert_to_tensor(x),
                                              data_format=data_format), rtol=1e-6, atol=1e-4)


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
@pytest.mark.parametrize("image", [(3, 4, 4), (2, 4, 4, 3)])
def test_imagenet_preprocess_modes_match_keras(mode, image):
    from keras.src.applications.imagenet_utils import preprocess_input as keras_preprocess

    from kernelkit.applications.imagenet_preprocessing import preprocess_input

    data_format = "channels_first" if len(image) == 3 else "channels_last"
    x = np.random.RandomState(1).randint(0, 256, image).astype("uint8")
    ours = preprocess_input(x.copy(), data_format=data_format, mode=mode)
    theirs = keras_preprocess(x.copy(), data_format=data_format, mode=mode)
    assert ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-5)
    with pytest.raises(ValueError, match="mode"):
        preprocess_input(x, mode="keras")


@pytest.fixture
def class_index(tmp_path):
    index = {str(i): [f"n{i:08d}", f"label_{i}"] for i in range(1000)}
    path = tmp_path / "imagenet_class_index.json"
    path.write_text(json.dumps(index))
    return index, str(path)


def test_decode_predictions_matches_keras(class_index, monkeypatch):
    from keras.src.applications import imagenet_utils

    index, path = class_index
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", index)
    preds = np.random.RandomState(2).dirichlet(np.ones(1000), size=3).astype("float32")
    expected = keras.applications.resnet.decode_predictions(preds, top=4)
    assert kk.applications.resnet.decode_predictions(preds, top=4, class_index=path) == expected
    monkeypatch.setenv("KERNELKIT_IMAGENET_CLASS_INDEX", path)
    assert kk.applications.mobilenet_v2.decode_predictions(preds, top=4) == expected
    assert kk.applications.imagenet_utils.decode_predictions(preds, top=4) == expected


def test_decode_predictions_says_where_the_class_index_comes_from(monkeypatch):
    monkeypatch.delenv("KERNELKIT_IMAGENET_CLASS_INDEX", raising=False)
    with pytest.raises(ValueError, match="KERNELKIT_IMAGENET_CLASS_INDEX"):
        kk.applications.resnet.decode_predictions(np.zeros((1, 1000)))
    with pytest.raises(ValueError, match=r"\(samples, 1000\)"):
        kk.applications.resnet.decode_predictions(np.zeros((1, 10)), class_index={})


def test_input_tensor_becomes_the_model_input():
    image = kk.Input(shape=(128, 128, 3))
    model = kk.applications.MobileNet(input_tensor=image, alpha=0.25, weights=None,
                                      include_top=False, pooling="max")
    assert model.inputs[0] is image
    assert tuple(model.output_shape) == (None, 256)
    with pytest.raises(TypeError, match="symbolic tensor"):
        kk.applications.MobileNet(input_tensor=np.zeros((1, 128, 128, 3)), weights=None)


def test_pretrained_classifier_arguments_are_checked(tmp_path):
    with pytest.raises(ValueError, match="classes=1000"):
        kk.applications.VGG16(weights="imagenet", classes=10)
    path = tmp_path / "w.weights.h5"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match="classifier_activation"):
        kk.applications.MobileNet(weights=str(path), input_shape=(128, 128, 3), alpha=0.25,
                                  classifier_activation="relu")


def test_every_name_is_a_keras_application_name():
    for name in kk.applications.__all__:
        if name not in {"imagenet", "imagenet_classes", "imagenet_preprocessing"}:
            assert hasattr(keras.applications, name), name


def test_legacy_h5_file_as_keras_distributes_loads_by_path(mobilenet_pair, tmp_path):
    """Keras's downloadable ImageNet files are legacy `.h5` weight files: those load too."""
    import h5py
    from keras.src.legacy.saving import legacy_h5_format

    _, k_model = mobilenet_pair
    path = tmp_path / "mobilenet_legacy.h5"
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, k_model)
    model = kk.applications.MobileNet(weights=str(path), include_top=True, alpha=0.25,
                                      input_shape=(128, 128, 3), classes=6)
    x = _images((128, 128, 3), seed=3)
    np.testing.assert_allclose(model.predict(x, verbose=0), k_model.predict(x, verbose=0),
                               atol=1e-4, rtol=1e-4)
