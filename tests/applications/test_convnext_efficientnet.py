"""ConvNeXt, EfficientNet and EfficientNetV2 against Keras 3: layers, weights, predictions."""

import contextlib
import inspect
import re

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.applications import convnext, efficientnet, efficientnet_v2
from tests.keras_oracle import keras

# Names Keras gives automatically carry a per-session counter (`_3`): compare the stem only.
_AUTO = re.compile(
    r"^(input_layer|global_average_pooling2d|global_max_pooling2d|layer_normalization|"
    r"rescaling|normalization|variable)(_\d+)?$")
_MODULES = {"ConvNeXt": convnext, "EfficientNetV2": efficientnet_v2,
            "EfficientNet": efficientnet}


def _module(builder):
    return next(m for prefix, m in _MODULES.items() if builder.startswith(prefix))


def _stem(name):
    return "/".join(_AUTO.sub(r"\1", part) for part in name.split("/"))


def _layer_names(model):
    # ConvNeXt's residual `inputs + x` is an op in Keras (no entry in `layers`), an Add here
    return [_stem(layer.name) for layer in model.layers
            if not (type(layer).__name__ == "Add" and re.fullmatch(r"add(_\d+)?", layer.name))]


def _weight_paths(model):
    # Keras prefixes the weights of a nested Sequential with its name; kernelkit does not (yet)
    return [_stem("/".join(w.path.split("/")[-2:])) for w in model.weights]


def _images(shape, seed=0):
    return np.random.RandomState(seed).uniform(0, 255, (2,) + shape).astype("float32")


def _randomize(k_model, seed):
    """Moves Keras's weights off their initial values (LayerScale 1e-6, BN statistics 0 and 1),
    so the comparison sees every layer."""
    rng = np.random.RandomState(seed)
    for w in k_model.weights:
        name, shape = w.name, tuple(w.shape)
        if name in ("moving_variance", "variance"):
            w.assign(rng.uniform(0.5, 2.0, shape).astype("float32"))
        elif name == "gamma" or name.startswith("variable"):
            w.assign(rng.uniform(0.5, 1.5, shape).astype("float32"))
        elif name in ("moving_mean", "mean", "beta", "bias"):
            w.assign(rng.normal(0.0, 0.2, shape).astype("float32"))


def _pair(builder, directory, seed, **args):
    k_model = getattr(keras.applications, builder)(weights=None, **args)
    _randomize(k_model, seed)
    path = directory / "w.weights.h5"
    k_model.save_weights(path)
    return getattr(_module(builder), builder)(weights=str(path), **args), k_model


@pytest.fixture(scope="module")
def convnext_tiny_pair(tmp_path_factory):
    return _pair("ConvNeXtTiny", tmp_path_factory.mktemp("convnext_tiny"), 0,
                 input_shape=(32, 32, 3), classes=5, classifier_activation=None)


@pytest.fixture(scope="module")
def efficientnet_b0_pair(tmp_path_factory):
    return _pair("EfficientNetB0", tmp_path_factory.mktemp("efficientnet_b0"), 1,
                 input_shape=(32, 32, 3), classes=5)


@pytest.fixture(scope="module")
def efficientnet_v2_b0_pair(tmp_path_factory):
    return _pair("EfficientNetV2B0", tmp_path_factory.mktemp("efficientnet_v2_b0"), 2,
                 include_top=False, input_shape=(32, 32, 3), pooling="max")


_PAIRS = ["convnext_tiny_pair", "efficientnet_b0_pair", "efficientnet_v2_b0_pair"]


def _assert_same_architecture(kk_model, k_model):
    assert kk_model.name == k_model.name
    assert kk_model.count_params() == k_model.count_params()
    assert _layer_names(kk_model) == _layer_names(k_model)
    assert [tuple(w.shape) for w in kk_model.weights] == [tuple(w.shape) for w in k_model.weights]
    assert _weight_paths(kk_model) == _weight_paths(k_model)
    assert tuple(kk_model.output_shape) == tuple(k_model.output_shape)


@pytest.mark.parametrize("pair", _PAIRS)
def test_same_architecture_as_keras(pair, request):
    _assert_same_architecture(*request.getfixturevalue(pair))


@pytest.mark.parametrize("pair", _PAIRS)
def test_keras_weights_file_gives_keras_predictions(pair, request):
    kk_model, k_model = request.getfixturevalue(pair)
    x = _images(tuple(k_model.input_shape[1:]))
    expected = k_model.predict(x, verbose=0)
    np.testing.assert_allclose(kk_model.predict(x, verbose=0), expected, atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("pair", _PAIRS)
def test_kernelkit_weights_file_loads_in_keras(pair, request, tmp_path):
    kk_model, k_model = request.getfixturevalue(pair)
    path = tmp_path / "kk.weights.h5"
    kk_model.save_weights(str(path))
    before = [w.numpy() for w in k_model.weights]
    k_model.set_weights([np.zeros_like(w) for w in before])
    try:
        k_model.load_weights(path)
        for ours, theirs in zip(kk_model.get_weights(), k_model.get_weights(), strict=True):
            np.testing.assert_array_equal(ours, theirs)
    finally:
        k_model.set_weights(before)


def test_convnext_config_builds_the_same_model_in_keras(convnext_tiny_pair, tmp_path):
    """Our config (Add layers, LayerScale under Keras's module) is read by Keras as is."""
    kk_model, _ = convnext_tiny_pair
    clone = keras.models.model_from_json(kk_model.to_json())
    path = tmp_path / "kk.weights.h5"
    kk_model.save_weights(str(path))
    clone.load_weights(path)
    x = _images((32, 32, 3), seed=5)
    np.testing.assert_allclose(clone.predict(x, verbose=0), kk_model.predict(x, verbose=0),
                               atol=1e-4, rtol=1e-4)


@contextlib.contextmanager
def _keras_shapes_only():
    """Keras builds without initializing its variables (shapes, names and paths are all we
    compare), and forgets them afterwards so no later test initializes them."""
    from keras.src.backend import StatelessScope
    from keras.src.backend.common import global_state

    pending = list(global_state.get_global_attribute("uninitialized_variables") or [])
    try:
        with StatelessScope(initialize_variables=False):
            yield
    finally:
        global_state.set_global_attribute("uninitialized_variables", pending)


# One more variant per family where the builder takes another path: ConvNeXtSmall's 27-block
# stage, B3's rounding of widths and depths, V2-S's own stage table; without preprocessing
# layers where Keras has the switch. (V2's rounding is compared below, function to function.)
@pytest.mark.parametrize(("builder", "extra"), [
    ("ConvNeXtSmall", {"include_preprocessing": False}), ("EfficientNetB3", {}),
    ("EfficientNetV2S", {"include_preprocessing": False})])
def test_other_variants_build_like_keras(builder, extra):
    args = dict(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg", **extra)
    with _keras_shapes_only():
        k_model = getattr(keras.applications, builder)(**args)
    _assert_same_architecture(getattr(kk.applications, builder)(**args), k_model)


class _Recorder:
    """Stands in for Keras's generic builder: records what a variant passes to it."""

    def __call__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs


def _keras_builder_arguments(monkeypatch, keras_module, generic, builder):
    recorder = _Recorder()
    monkeypatch.setattr(keras_module, generic, recorder)
    getattr(keras_module, builder)(weights=None)
    return recorder


@pytest.mark.parametrize("variant", ["tiny", "small", "base", "large", "xlarge"])
def test_convnext_variants_pass_keras_configuration(variant, monkeypatch):
    from keras.src.applications import convnext as k_convnext

    builder = f"ConvNeXt{'XLarge' if variant == 'xlarge' else variant.title()}"
    got = _keras_builder_arguments(monkeypatch, k_convnext, "ConvNeXt", builder).kwargs
    assert (tuple(got["depths"]), tuple(got["projection_dims"])) == convnext.MODEL_CONFIGS[variant]
    assert got["default_size"] == convnext.DEFAULT_SIZE
    ours = inspect.signature(convnext.build_convnext).parameters
    assert got["drop_path_rate"] == ours["drop_path_rate"].default
    assert got["layer_scale_init_value"] == ours["layer_scale_init_value"].default


@pytest.mark.parametrize("variant", [f"b{i}" for i in range(8)])
def test_efficientnet_variants_pass_keras_configuration(variant, monkeypatch):
    from keras.src.applications import efficientnet as k_efficientnet

    defaults = inspect.signature(k_efficientnet.EfficientNet).parameters
    got = _keras_builder_arguments(monkeypatch, k_efficientnet, "EfficientNet",
                                   f"EfficientNet{variant.upper()}")
    assert got.args == efficientnet.VARIANTS[variant]
    assert defaults["drop_connect_rate"].default == efficientnet._DROP_CONNECT_RATE
    keys = ("kernel_size", "repeats", "filters_in", "filters_out", "expand_ratio", "strides",
            "se_ratio")
    assert all(spec["id_skip"] for spec in k_efficientnet.DEFAULT_BLOCKS_ARGS)
    assert tuple(tuple(spec[k] for k in keys)
                 for spec in k_efficientnet.DEFAULT_BLOCKS_ARGS) == efficientnet.DEFAULT_BLOCKS


@pytest.mark.parametrize("variant", ["b0", "b1", "b2", "b3", "s", "m", "l"])
def test_efficientnet_v2_variants_pass_keras_configuration(variant, monkeypatch):
    from keras.src.applications import efficientnet_v2 as k_v2

    defaults = inspect.signature(k_v2.EfficientNetV2).parameters
    got = _keras_builder_arguments(monkeypatch, k_v2, "EfficientNetV2",
                                   f"EfficientNetV2{variant.upper()}").kwargs
    width, depth, size, family = efficientnet_v2.VARIANTS[variant]
    assert (got["width_coefficient"], got["depth_coefficient"], got["default_size"]) == (
        width, depth, size)
    keys = ("kernel_size", "num_repeat", "input_filters", "output_filters", "expand_ratio",
            "se_ratio", "strides")
    stages = tuple(tuple(spec[k] for k in keys) + (spec["conv_type"] == 1,)
                   for spec in k_v2.DEFAULT_BLOCKS_ARGS[got["name"]])
    assert stages == efficientnet_v2.BLOCKS[family]
    assert (defaults["dropout_rate"].default, defaults["drop_connect_rate"].default,
            defaults["bn_momentum"].default) == (
        efficientnet_v2._DROPOUT, efficientnet_v2._DROP_CONNECT_RATE,
        efficientnet_v2._BN_MOMENTUM)
    assert (defaults["depth_divisor"].default, defaults["min_depth"].default) == (8, 8)


def test_efficientnet_v2_rounding_matches_keras():
    from keras.src.applications import efficientnet_v2 as k_v2

    for width, depth, _, _ in efficientnet_v2.VARIANTS.values():
        for filters in (16, 24, 32, 48, 96, 112, 192, 1280):
            assert efficientnet_v2.round_filters(filters, width) == k_v2.round_filters(
                filters, width, 8, 8)
        for repeats in range(1, 26):
            assert efficientnet_v2.round_repeats(repeats, depth) == k_v2.round_repeats(
                repeats, depth)


_BUILDERS = ([f"ConvNeXt{v}" for v in ("Tiny", "Small", "Base", "Large", "XLarge")]
             + [f"EfficientNetB{i}" for i in range(8)]
             + [f"EfficientNetV2{v}" for v in ("B0", "B1", "B2", "B3", "S", "M", "L")])


@pytest.mark.parametrize("builder", _BUILDERS)
def test_signature_and_imagenet_error_as_keras(builder):
    ours = getattr(_module(builder), builder)
    theirs = getattr(keras.applications, builder)
    assert [(p.name, p.default) for p in inspect.signature(ours).parameters.values()] == [
        (p.name, p.default) for p in inspect.signature(theirs).parameters.values()]
    assert getattr(kk.applications, builder) is ours
    with pytest.raises(ValueError, match=f"^{builder}: .*no network is available.*load_weights"):
        ours(weights="imagenet")
    with pytest.raises(ValueError, match="classes=1000"):
        ours(weights="imagenet", classes=10)


@pytest.mark.parametrize("module", ["convnext", "efficientnet", "efficientnet_v2"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_preprocess_input_matches_keras(module, data_format):
    x = _images((4, 4, 3) if data_format == "channels_last" else (3, 4, 4))
    ours = getattr(kk.applications, module).preprocess_input
    theirs = getattr(keras.applications, module).preprocess_input
    np.testing.assert_array_equal(ours(x.copy(), data_format=data_format),
                                  theirs(x.copy(), data_format=data_format))
    tensor = kk.ops.convert_to_tensor(x)
    assert ours(tensor, data_format=data_format) is tensor  # no copy, as Keras
    assert (getattr(kk.applications, module).decode_predictions
            is kk.applications.imagenet.decode_predictions)


def test_input_tensor_becomes_the_model_input(efficientnet_b0_pair):
    image = kk.Input(shape=(32, 32, 3))
    model = kk.applications.EfficientNetB0(input_tensor=image, weights=None, include_top=False,
                                           pooling="max")
    assert model.inputs[0] is image
    assert tuple(model.output_shape) == (None, 1280)
    with pytest.raises(TypeError, match="symbolic tensor"):
        kk.applications.EfficientNetV2B0(input_tensor=np.zeros((1, 32, 32, 3)), weights=None)


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        kk.applications.EfficientNetB0(weights=str(tmp_path / "nope.weights.h5"))
    with pytest.raises(ValueError, match="at least 32"):
        kk.applications.EfficientNetV2B0(weights=None, include_top=False,
                                         input_shape=(16, 16, 3))
    path = tmp_path / "w.weights.h5"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match="classifier_activation"):
        kk.applications.ConvNeXtTiny(weights=str(path), input_shape=(32, 32, 3),
                                     classifier_activation="relu")
    kk.config.set_image_data_format("channels_first")
    keras.config.set_image_data_format("channels_first")
    try:
        with pytest.raises(ValueError, match="^ConvNeXtTiny: .*channels-last"):
            kk.applications.ConvNeXtTiny(weights=None)
        with pytest.raises(ValueError):  # Keras refuses it too
            keras.applications.ConvNeXtTiny(weights=None)
    finally:
        kk.config.set_image_data_format("channels_last")
        keras.config.set_image_data_format("channels_last")


def _strip_dtype(config):
    return {k: v for k, v in config.items() if k != "dtype"}


def test_layer_scale_matches_keras():
    from keras.src.applications.convnext import LayerScale as KerasLayerScale

    from kernelkit.applications.convnext_layers import LayerScale
    from kernelkit.registry import deserialize

    x = np.random.RandomState(3).normal(size=(2, 3, 3, 4)).astype("float32")
    k_layer = KerasLayerScale(0.5, 4, name="scale")
    k_out = k_layer(x)
    k_layer.set_weights([np.arange(1.0, 5.0, dtype="float32")])
    ours = LayerScale(0.5, 4, name="scale")
    np.testing.assert_allclose(ours(x), k_out, rtol=1e-6)  # the initial gamma
    ours.set_weights(k_layer.get_weights())
    np.testing.assert_allclose(ours(x), k_layer(x), rtol=1e-6)
    assert _strip_dtype(ours.get_config()) == _strip_dtype(k_layer.get_config())
    again = deserialize(keras.saving.serialize_keras_object(k_layer))  # Keras's module name
    assert type(again) is LayerScale and again.projection_dim == 4


def test_stochastic_depth_matches_keras():
    from keras.src.applications.convnext import StochasticDepth as KerasStochasticDepth

    from kernelkit.applications.convnext_layers import StochasticDepth

    x = np.random.RandomState(4).normal(size=(64, 2, 2, 3)).astype("float32")
    ours, theirs = StochasticDepth(0.25, name="sd"), KerasStochasticDepth(0.25, name="sd")
    assert _strip_dtype(ours.get_config()) == _strip_dtype(theirs.get_config())
    np.testing.assert_array_equal(ours(x), theirs(x))  # identity at inference
    out = np.asarray(ours(x, training=True))
    kept = np.all(out != 0, axis=(1, 2, 3))
    assert np.all(out[~kept] == 0)  # a whole sample is dropped or kept
    np.testing.assert_allclose(out[kept], x[kept] / 0.75, rtol=1e-6)
    assert 0 < kept.sum() < len(x)
    with pytest.raises(ValueError, match="drop_path_rate"):
        StochasticDepth(1.5)
