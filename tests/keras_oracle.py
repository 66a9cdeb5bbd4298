"""Differential testing against Keras 3 (JAX backend): same weights in, same outputs out."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from kernelkit.registry import deserialize, serialize  # noqa: E402

__all__ = ["assert_config_round_trip", "assert_matches_keras", "keras"]


def _call(layer, inputs, training, **kwargs):
    if training is None:
        return layer(inputs, **kwargs)
    return layer(inputs, training=training, **kwargs)


def assert_matches_keras(kk_layer, keras_layer, inputs, training=None, atol=1e-5, rtol=1e-5,
                         call_kwargs=None, keras_inputs=None):
    """Builds both layers on `inputs`, copies Keras's weights into kernelkit, compares outputs.

    Checks: the same number and shapes of weights in the same order, the same `count_params`,
    and outputs within `atol`. Returns the two outputs (as numpy trees).
    """
    call_kwargs = call_kwargs or {}
    keras_inputs = inputs if keras_inputs is None else keras_inputs
    k_out = _call(keras_layer, keras_inputs, training, **call_kwargs)
    _call(kk_layer, inputs, training, **call_kwargs)  # builds
    k_weights = keras_layer.get_weights()
    kk_shapes = [tuple(w.shape) for w in kk_layer.get_weights()]
    assert kk_shapes == [tuple(w.shape) for w in k_weights], (
        f"weight shapes differ: kernelkit {kk_shapes} vs keras "
        f"{[tuple(w.shape) for w in k_weights]}")
    kk_layer.set_weights(k_weights)
    assert kk_layer.count_params() == keras_layer.count_params()
    kk_out = _call(kk_layer, inputs, training, **call_kwargs)
    k_flat = [np.asarray(o) for o in keras.tree.flatten(k_out)]
    kk_flat = [np.asarray(o) for o in keras.tree.flatten(
        kk_out if not hasattr(kk_out, "shape") else [kk_out])]
    assert len(k_flat) == len(kk_flat)
    for a, b in zip(kk_flat, k_flat):
        assert a.shape == b.shape, f"output shapes differ: {a.shape} vs {b.shape}"
        np.testing.assert_allclose(a, b, atol=atol, rtol=rtol)
    return kk_flat, k_flat


def assert_config_round_trip(layer, inputs=None):
    """`from_config(get_config())` gives an equal config (and, built, the same output shape)."""
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    again = deserialize(serialize(layer), module="keras.layers")
    assert type(again) is type(layer)
    if inputs is not None:
        out = clone(inputs)
        ref = layer(inputs)
        shapes = [np.shape(o) for o in keras.tree.flatten(out)]
        assert shapes == [np.shape(o) for o in keras.tree.flatten(ref)]
    return clone
