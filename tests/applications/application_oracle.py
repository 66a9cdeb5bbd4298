"""Shared checks of application models against Keras 3: architecture, weights file, outputs."""

import re

import numpy as np

import kernelkit as kk
from kernelkit.layers.operation import OpLayer
from tests.keras_oracle import keras

# Layers named by a per-session counter (`conv2d_57`); explicit names are compared as they are.
_AUTO = re.compile(
    r"^(input_layer|conv2d|batch_normalization|activation|average_pooling2d|max_pooling2d|"
    r"concatenate|add|zero_padding2d|cropping2d|re_lu|rescaling|dropout|flatten|"
    r"global_average_pooling2d|global_max_pooling2d|custom_scale_layer)(?:_(\d+))?$")


def _graph_layers(model):
    # kernelkit lists `x + 3.0` (MobileNetV3's hard sigmoid) as an OpLayer; Keras lists such
    # ops in `operations` only, not in `layers`
    return [layer for layer in model.layers if not isinstance(layer, OpLayer)]


def layer_names(model):
    """Layer names with each auto-numbered stem counted from 0 within the model.

    Both libraries number `conv2d`, `conv2d_1`, ... per session, so the first `conv2d` of a
    model may be `conv2d_94`: subtracting the model's smallest number keeps the order check.
    """
    names = [layer.name for layer in _graph_layers(model)]
    first = {}
    for name in names:
        match = _AUTO.match(name)
        if match:
            number = int(match.group(2) or 0)
            first[match.group(1)] = min(first.get(match.group(1), number), number)
    renamed = {}
    for name in names:
        match = _AUTO.match(name)
        if match:
            renamed[name] = f"{match.group(1)}#{int(match.group(2) or 0) - first[match.group(1)]}"
    return [renamed.get(name, name) for name in names], renamed


def weight_paths(model, renamed):
    """Each weight's path (name scopes, layer, weight) with auto-numbered layer names renamed."""
    paths = []
    for weight in model.weights:
        parts = weight.path.split("/")
        parts[-2] = renamed.get(parts[-2], parts[-2])
        paths.append("/".join(parts))
    return paths


def assert_same_architecture(kk_model, k_model):
    """Same name, layers (names and classes), parameter count, weight paths and shapes."""
    assert kk_model.name == k_model.name
    assert kk_model.count_params() == k_model.count_params()
    kk_names, kk_renamed = layer_names(kk_model)
    k_names, k_renamed = layer_names(k_model)
    assert kk_names == k_names
    assert ([type(layer).__name__ for layer in _graph_layers(kk_model)]
            == [type(layer).__name__ for layer in _graph_layers(k_model)])
    assert weight_paths(kk_model, kk_renamed) == weight_paths(k_model, k_renamed)
    assert [tuple(w.shape) for w in kk_model.weights] == [tuple(w.shape) for w in k_model.weights]
    assert tuple(kk_model.output_shape) == tuple(k_model.output_shape)
    for ours, theirs in zip(_graph_layers(kk_model)[1:], _graph_layers(k_model)[1:]):
        assert_same_config(ours, theirs)


def assert_same_config(kk_layer, k_layer):
    """The arguments both configs hold agree (initializers, momentum, padding, scale, ...)."""
    ours, theirs = kk_layer.get_config(), k_layer.get_config()
    shared = (set(ours) & set(theirs)) - {"name", "dtype"}
    assert ({key: ours[key] for key in shared} == {key: theirs[key] for key in shared}), k_layer.name


def randomize_statistics(model, seed=1, gamma=(0.5, 1.5)):
    """Random batch-norm statistics, scales and biases, so that outputs depend on them all.

    Keras initializes them to 0 and 1, which makes a deep random network's outputs nearly
    constant; a wrongly mapped statistic would then go unnoticed. Depthwise kernels are
    scaled up too: Glorot counts all channels in their fan-in, so each depthwise layer would
    shrink the signal and the outputs would stop depending on the image (MobileNetV3).
    `gamma` is the range of the batch-norm scales: hard-swish and squeeze-and-excitation
    halve the signal, so MobileNetV3Small needs scales above 1 for the same reason.
    """
    rng = np.random.RandomState(seed)
    for layer in model.layers:
        if type(layer).__name__ == "DepthwiseConv2D":
            layer.kernel.assign(layer.kernel.numpy() * np.sqrt(layer.kernel.shape[2]))
    for weight in model.weights:
        name = weight.path.split("/")[-1]
        if name == "gamma":
            weight.assign(rng.uniform(*gamma, weight.shape).astype("float32"))
        elif name == "moving_variance":
            weight.assign(rng.uniform(0.5, 1.5, weight.shape).astype("float32"))
        elif name in ("moving_mean", "beta", "bias"):
            weight.assign(rng.normal(0.0, 0.1, weight.shape).astype("float32"))


def images(shape, seed=0):
    """Two RGB images in [0, 255] of different brightness (global pooling tells them apart)."""
    x = np.random.RandomState(seed).uniform(0, 255, (2,) + tuple(shape))
    return (x * np.array([0.3, 1.0]).reshape(2, 1, 1, 1)).astype("float32")


def loaded_pair(builder, directory, gamma=(0.5, 1.5), **args):
    """A Keras model (random statistics) saved to `.weights.h5`, and kernelkit's loaded by path."""
    k_model = getattr(keras.applications, builder)(weights=None, **args)
    randomize_statistics(k_model, gamma=gamma)
    path = directory / "w.weights.h5"
    k_model.save_weights(path)
    return getattr(kk.applications, builder)(weights=str(path), **args), k_model


def built_pair(builder, **args):
    """The two libraries' models, both built with `weights=None` (no file: large models)."""
    return (getattr(kk.applications, builder)(weights=None, **args),
            getattr(keras.applications, builder)(weights=None, **args))


def assert_same_predictions(kk_model, k_model):
    """Both models predict the same on two images (logits compared, to 1e-4)."""
    x = images(k_model.input_shape[1:])
    expected = k_model.predict(x, verbose=0)
    assert np.std(expected, axis=0).max() > 1e-3  # the two images give different outputs
    np.testing.assert_allclose(kk_model.predict(x, verbose=0), expected, atol=1e-4, rtol=1e-4)
