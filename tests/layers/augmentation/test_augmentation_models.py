"""Augmentation layers inside models: a fused augmented `fit()`, and `.keras` files both ways."""

import contextlib
import json

import jax
import jax.monitoring
import numpy as np
import pytest

import kernelkit as kk
from kernelkit.saving import load_model
from tests.keras_oracle import keras

_LOWERING = "/jax/core/compile/jaxpr_to_mlir_module_duration"
RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, size=(32, 16, 16, 3)).astype("float32")
LABELS = RNG.integers(0, 3, size=(32,))


@contextlib.contextmanager
def lowerings():
    """The names of the programs JAX lowers inside the block."""
    names = []

    def listener(event, duration, **kwargs):
        if event == _LOWERING:
            names.append(str(kwargs.get("fun_name", "?")))

    jax.monitoring.register_event_duration_secs_listener(listener)
    try:
        yield names
    finally:
        jax.monitoring.unregister_event_duration_listener(listener)


def _classifier(lib, seed=0):
    L = lib.layers
    return lib.Sequential([
        lib.Input((16, 16, 3)), L.RandomFlip(seed=seed), L.RandomRotation(0.1, seed=seed),
        L.Rescaling(1 / 255), L.Conv2D(4, 3, activation="relu"), L.GlobalAveragePooling2D(),
        L.Dense(3),
    ])


def test_augmented_image_classifier_trains_fused_and_draws_every_step():
    model = _classifier(kk)
    model.compile("adam", kk.losses.SparseCategoricalCrossentropy(from_logits=True))
    flip = model.layers[0]
    count_before = int(flip.seed_stream.count[...])
    with lowerings() as names:
        history = model.fit(IMAGES, LABELS, batch_size=8, epochs=2, verbose=0)
    trains = [n for n in names if "train" in n]
    assert 1 <= len(trains) <= 2, names  # one step program, not one per epoch or per step
    assert np.isfinite(history.history["loss"]).all()
    assert int(flip.seed_stream.count[...]) > count_before  # the stream advanced in the step
    with lowerings() as again:
        model.fit(IMAGES, LABELS, batch_size=8, epochs=1, verbose=0)
    assert not [n for n in again if "train" in n], again
    # inference is deterministic: the augmentation layers are the identity there
    np.testing.assert_allclose(model.predict(IMAGES, verbose=0), model.predict(IMAGES, verbose=0))


def _augmenting(lib):
    L = lib.layers
    return lib.Sequential([
        lib.Input((16, 16, 3)), L.Resizing(12, 14), L.CenterCrop(10, 10), L.RandomFlip(seed=1),
        L.RandomRotation(0.2, fill_mode="constant", seed=1), L.RandomZoom(0.1, seed=1),
        L.RandomTranslation(0.1, 0.1, seed=1), L.RandomContrast(0.2, seed=1),
        L.RandomBrightness(0.1, seed=1), L.Rescaling(1 / 255), L.Flatten(), L.Dense(2),
    ])


def _plain(config):
    """The config as JSON would carry it (tuples become lists), without the dtype policy."""
    return json.loads(json.dumps({k: v for k, v in config.items() if k != "dtype"}))


@pytest.mark.parametrize("direction", ["keras_to_kernelkit", "kernelkit_to_keras"])
def test_keras_files_with_augmentation_layers_move_both_ways(direction, tmp_path):
    source = _augmenting(keras if direction == "keras_to_kernelkit" else kk)
    path = tmp_path / "m.keras"
    source.save(path)
    loaded = load_model(path) if direction == "keras_to_kernelkit" else keras.saving.load_model(path)
    assert [type(layer).__name__ for layer in loaded.layers] == [
        type(layer).__name__ for layer in source.layers]
    for a, b in zip(source.layers, loaded.layers):
        if type(a).__name__ in kk.layers.augmentation.__all__:
            assert _plain(a.get_config()) == _plain(b.get_config())
    x = IMAGES[:4]
    np.testing.assert_allclose(np.asarray(loaded.predict(x, verbose=0)),
                               np.asarray(source.predict(x, verbose=0)), atol=1e-4, rtol=1e-4)


def test_a_pipeline_of_pixel_and_warp_layers_trains_inside_the_jitted_step():
    L = kk.layers
    pipeline = L.Pipeline([L.RandomShear(0.2, 0.2, seed=0), L.RandomPosterization((2, 6), seed=0),
                           L.RandomErasing(seed=0)])
    model = kk.Sequential([kk.Input((16, 16, 3)), pipeline, L.Rescaling(1 / 255),
                           L.GlobalAveragePooling2D(), L.Dense(3)])
    model.compile("sgd", kk.losses.SparseCategoricalCrossentropy(from_logits=True))
    with lowerings() as names:
        history = model.fit(IMAGES[:16], LABELS[:16], batch_size=8, epochs=2, verbose=0)
    assert 1 <= len([n for n in names if "train" in n]) <= 2, names
    assert np.isfinite(history.history["loss"]).all()
    erasing = pipeline.layers[2]
    assert int(erasing.seed_stream.count[...]) > 0
