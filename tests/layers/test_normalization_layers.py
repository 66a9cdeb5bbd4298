"""Normalization layers: Keras differential tests (BatchNormalization in training with the
moving statistics too), configs, symbolic use and errors."""

import jax
import numpy as np
import pytest
from flax import nnx

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras

RNG = np.random.default_rng(0)
X = RNG.normal(loc=2.0, scale=3.0, size=(6, 5, 8)).astype("float32")


def _randomize(keras_layer, shape, seed=1):
    keras_layer.build(shape)
    keras_layer.set_weights([np.random.default_rng(seed).uniform(0.5, 1.5, size=w.shape)
                             .astype("float32") for w in keras_layer.get_weights()])
    return keras_layer


def _moving_stats(layer):
    return [np.asarray(w[...]) for w in layer.non_trainable_weights]


# ---- BatchNormalization -----------------------------------------------------------------------

_RENORM = {"renorm": True, "renorm_clipping": {"rmax": 1.5, "rmin": 0.5, "dmax": 0.3}}


# renorm in training: see test_batch_renormalization_in_training_matches_keras
@pytest.mark.parametrize("kwargs, training", [
    ({}, False), ({}, True),
    ({"axis": 1, "momentum": 0.9, "epsilon": 1e-2}, False),
    ({"axis": 1, "momentum": 0.9, "epsilon": 1e-2}, True),
    ({"center": False, "scale": False}, False), ({"center": False, "scale": False}, True),
    (_RENORM, False),
])
def test_batch_normalization_matches_keras(kwargs, training):
    kk_layer = kk.layers.BatchNormalization(**kwargs)
    k_layer = _randomize(keras.layers.BatchNormalization(**kwargs), X.shape)
    assert_matches_keras(kk_layer, k_layer, X, training=training, atol=1e-4)
    # kernelkit's last call started from Keras's state after its call: one more Keras call
    # must move the moving statistics to the same place
    k_layer(X, training=training)
    for a, b in zip(_moving_stats(kk_layer), [np.asarray(w) for w in
                                              k_layer.non_trainable_weights]):
        np.testing.assert_allclose(a, b, atol=1e-5)
    names = [w.name for w in kk_layer.weights]
    assert names == [w.name for w in k_layer.weights]
    assert [w.name for w in kk_layer.trainable_weights] == [
        w.name for w in k_layer.trainable_weights]


def test_batch_renormalization_in_training_matches_keras():
    kwargs = {"renorm": True, "renorm_clipping": {"rmax": 1.5, "rmin": 0.5, "dmax": 0.3},
              "renorm_momentum": 0.8}
    kk_layer = kk.layers.BatchNormalization(**kwargs)
    k_layer = _randomize(keras.layers.BatchNormalization(**kwargs), X.shape)
    kk_layer(X, training=False)  # builds; inference leaves the statistics alone
    kk_layer.set_weights(k_layer.get_weights())
    for _ in range(2):  # the second step uses the renorm statistics of the first
        np.testing.assert_allclose(np.asarray(kk_layer(X, training=True)),
                                   np.asarray(k_layer(X, training=True)), atol=1e-4)
        for a, b in zip(kk_layer.get_weights(), k_layer.get_weights()):
            np.testing.assert_allclose(a, b, atol=1e-5)


def test_batch_normalization_training_updates_moving_statistics_like_keras():
    kk_layer, k_layer = kk.layers.BatchNormalization(), keras.layers.BatchNormalization()
    kk_layer(X, training=True)
    k_layer(X, training=True)
    before = _moving_stats(kk_layer)
    for a, b in zip(before, [np.asarray(w) for w in k_layer.non_trainable_weights]):
        np.testing.assert_allclose(a, b, atol=1e-6)
    expected_mean = 0.99 * 0.0 + 0.01 * X.mean(axis=(0, 1))
    np.testing.assert_allclose(before[0], expected_mean, atol=1e-6)
    kk_layer(X, training=False)
    for a, b in zip(before, _moving_stats(kk_layer)):
        np.testing.assert_array_equal(a, b)


def test_batch_normalization_with_mask_matches_keras():
    mask = RNG.uniform(size=X.shape[:-1]) > 0.3
    kk_layer, k_layer = kk.layers.BatchNormalization(), keras.layers.BatchNormalization()
    assert_matches_keras(kk_layer, k_layer, X, training=True, call_kwargs={"mask": mask},
                         atol=1e-4)
    k_layer(X, training=True, mask=mask)
    for a, b in zip(_moving_stats(kk_layer), [np.asarray(w) for w in
                                              k_layer.non_trainable_weights]):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_frozen_batch_normalization_runs_in_inference_mode():
    kk_layer = kk.layers.BatchNormalization()
    k_layer = _randomize(keras.layers.BatchNormalization(), X.shape)
    kk_layer.trainable = False
    k_layer.trainable = False
    before = k_layer.get_weights()
    assert_matches_keras(kk_layer, k_layer, X, training=True, atol=1e-4)
    for a, b in zip(kk_layer.get_weights(), before):
        np.testing.assert_array_equal(a, b)
    assert kk_layer.trainable_weights == []


def test_batch_normalization_updates_state_through_a_jitted_pure_step():
    layer = kk.layers.BatchNormalization()
    layer(X)
    graphdef, state = nnx.split(layer)

    @jax.jit
    def step(state, x):
        model = nnx.merge(graphdef, state, copy=True)
        y = model(x, training=True)
        return y, nnx.state(model)

    _, new_state = step(state, X)
    nnx.update(layer, new_state)
    np.testing.assert_allclose(_moving_stats(layer)[0], 0.01 * X.mean(axis=(0, 1)), atol=1e-6)


# ---- Layer / Group / Unit normalization -------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    {},
    {"axis": [1, 2], "epsilon": 1e-5},
    {"axis": 1, "center": False},
    {"scale": False},
])
def test_layer_normalization_matches_keras(kwargs):
    assert_matches_keras(kk.layers.LayerNormalization(**kwargs),
                         _randomize(keras.layers.LayerNormalization(**kwargs), X.shape), X,
                         atol=1e-4)


@pytest.mark.filterwarnings("ignore:You passed `rms_scaling=True`")
def test_layer_normalization_rms_scaling_matches_keras():
    with pytest.warns(UserWarning, match="rms_scaling"):
        kk_layer = kk.layers.LayerNormalization(rms_scaling=True)
    with pytest.warns(UserWarning):
        k_layer = keras.layers.LayerNormalization(rms_scaling=True)
    assert_matches_keras(kk_layer, _randomize(k_layer, X.shape), X, atol=1e-4)


@pytest.mark.parametrize("kwargs", [
    {"groups": 4},
    {"groups": 1, "epsilon": 1e-5},
    {"groups": -1, "center": False},
    {"groups": 5, "axis": 1},
])
def test_group_normalization_matches_keras(kwargs):
    assert_matches_keras(kk.layers.GroupNormalization(**kwargs),
                         _randomize(keras.layers.GroupNormalization(**kwargs), X.shape), X,
                         atol=1e-4)


@pytest.mark.parametrize("axis", [-1, 1, [1, 2]])
def test_unit_normalization_matches_keras(axis):
    x = X.copy()
    x[0, 0] = 0.0  # a zero vector stays zero
    assert_matches_keras(kk.layers.UnitNormalization(axis=axis),
                         keras.layers.UnitNormalization(axis=axis), x)


# ---- configs, symbolic use --------------------------------------------------------------------

@pytest.mark.parametrize("layer", [
    kk.layers.BatchNormalization(axis=1, momentum=0.9, gamma_regularizer="l2",
                                 beta_constraint="non_neg"),
    kk.layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 2.0}),
    kk.layers.LayerNormalization(axis=[1, 2], epsilon=1e-5),
    kk.layers.GroupNormalization(groups=2, gamma_initializer="zeros"),
    kk.layers.UnitNormalization(axis=[1, 2]),
], ids=lambda layer: type(layer).__name__)
def test_normalization_config_round_trip(layer):
    assert_config_round_trip(layer, X)


@pytest.mark.parametrize("name", ["BatchNormalization", "LayerNormalization",
                                  "GroupNormalization", "UnitNormalization"])
def test_normalization_config_keys_match_keras(name):
    kwargs = {"groups": 4} if name == "GroupNormalization" else {}
    assert set(getattr(kk.layers, name)(**kwargs).get_config()) == set(
        getattr(keras.layers, name)(**kwargs).get_config())


def test_normalization_layers_on_symbolic_inputs():
    x = kk.Input(shape=(5, 8))
    for layer in (kk.layers.BatchNormalization(), kk.layers.LayerNormalization(),
                  kk.layers.GroupNormalization(groups=4), kk.layers.UnitNormalization()):
        assert layer(x).shape == (None, 5, 8)
    y = kk.layers.BatchNormalization()(kk.layers.LayerNormalization()(x))
    model = kk.Model(x, y)
    assert model(X).shape == X.shape


# ---- errors -----------------------------------------------------------------------------------

def test_batch_normalization_errors():
    with pytest.raises(ValueError, match=r"BatchNormalization 'batch_normalization': the "
                                         r"normalized axis must exist and be known\. Expected "
                                         r"axis in \[-3, 3\).*Received: axis=3"):
        kk.layers.BatchNormalization(axis=3)(X)
    with pytest.raises(ValueError, match=r"BatchNormalization 'batch_normalization_1': invalid "
                                         r"`renorm_clipping`\. Expected a dict.*Received: "
                                         r"renorm_clipping=\{'rmax': 0.5, 'rmin': 1.0\}"):
        kk.layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 0.5, "rmin": 1.0})
    layer = kk.layers.BatchNormalization(name="bn")
    with pytest.raises(ValueError, match=r"BatchNormalization 'bn': the mask must have one "
                                         r"dimension less than the inputs\. Expected rank 2\. "
                                         r"Received: mask=bool\[6\]"):
        layer(X, training=True, mask=np.ones((6,), bool))
    with pytest.raises(ValueError, match=r"BatchNormalization 'bn' expected inputs"):
        layer(X[..., :4])


def test_layer_normalization_errors():
    with pytest.raises(TypeError, match=r"LayerNormalization 'layer_normalization': invalid "
                                        r"`axis`\. Expected an int or a list/tuple of ints\. "
                                        r"Received: axis='x'"):
        kk.layers.LayerNormalization(axis="x")
    with pytest.raises(ValueError, match=r"LayerNormalization 'layer_normalization_1': axis 4 "
                                         r"is out of bounds or unknown for the input\. Expected "
                                         r"axes in \[-3, 3\) with known sizes\. Received: axis=4"):
        kk.layers.LayerNormalization(axis=4)(X)


def test_group_normalization_errors():
    with pytest.raises(ValueError, match=r"GroupNormalization 'group_normalization': invalid "
                                         r"`groups`\. Expected a positive integer, or -1.*"
                                         r"Received: groups=0"):
        kk.layers.GroupNormalization(groups=0)
    with pytest.raises(ValueError, match=r"GroupNormalization 'group_normalization_1': the "
                                         r"number of groups must divide the number of channels\. "
                                         r"Expected a divisor of 8\. Received: groups=3"):
        kk.layers.GroupNormalization(groups=3)(X)
    with pytest.raises(ValueError, match=r"GroupNormalization 'group_normalization_2': axis -1 "
                                         r"is out of bounds or unknown"):
        kk.layers.GroupNormalization(groups=2)(kk.Input(shape=(5, None)))


def test_unit_normalization_errors():
    with pytest.raises(TypeError, match=r"UnitNormalization 'unit_normalization': invalid "
                                        r"`axis`\. Expected an int or a list/tuple of ints\. "
                                        r"Received: axis=1.5"):
        kk.layers.UnitNormalization(axis=1.5)
    with pytest.raises(ValueError, match=r"UnitNormalization 'unit_normalization_1': axis 3 is "
                                         r"out of bounds for the input\. Expected axes in "
                                         r"\[-3, 3\)\. Received: axis=3"):
        kk.layers.UnitNormalization(axis=3)(X)
