"""`kernelkit.utils` array helpers, differential against Keras 3 where Keras runs without TF."""

import jax.numpy as jnp
import numpy as np
import pytest

import kernelkit as kk
from kernelkit import utils
from tests.keras_oracle import keras

# keras.utils names kernelkit does not have yet, and what accessing them gives.
NOT_YET: dict = {}  # every keras.utils name exists


def test_interactive_logging_switches_are_the_config_ones():
    assert utils.enable_interactive_logging is kk.config.enable_interactive_logging
    utils.disable_interactive_logging()
    try:
        assert not utils.is_interactive_logging_enabled()
    finally:
        utils.enable_interactive_logging()


def test_every_keras_utils_name_exists():
    names = {n for n in dir(keras.utils) if not n.startswith("_")}
    missing = sorted(n for n in names if not hasattr(utils, n))
    assert missing == sorted(NOT_YET)
    for sub in ("bounding_boxes", "legacy"):
        theirs = {n for n in dir(getattr(keras.utils, sub)) if not n.startswith("_")}
        assert sorted(n for n in theirs if not hasattr(getattr(utils, sub), n)) == []


@pytest.mark.parametrize("x, num_classes", [([0, 2, 1], None), ([[1], [3]], 5),
                                            (np.array([[0, 1], [2, 0]]), 3), ([3], None)])
def test_to_categorical_matches_keras(x, num_classes):
    ours, theirs = utils.to_categorical(x, num_classes), keras.utils.to_categorical(x, num_classes)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)
    on_jax = utils.to_categorical(jnp.asarray(x), num_classes)
    np.testing.assert_array_equal(on_jax, ours)
    if num_classes is not None:  # Keras needs num_classes for tensors
        theirs = keras.utils.to_categorical(keras.ops.convert_to_tensor(x), num_classes)
        assert on_jax.dtype == theirs.dtype


@pytest.mark.parametrize("axis, order", [(-1, 2), (0, 2), (-1, 1), (1, 3)])
def test_normalize_matches_keras(axis, order):
    x = np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 0.0], [1.0, -2.0, 2.0]])
    np.testing.assert_allclose(utils.normalize(x, axis, order),
                               keras.utils.normalize(x, axis, order))
    np.testing.assert_allclose(utils.normalize(jnp.asarray(x, "float32"), axis, order),
                               keras.utils.normalize(keras.ops.convert_to_tensor(
                                   x, "float32"), axis, order), rtol=1e-6)
    np.testing.assert_allclose(utils.normalize(x, axis, np.inf),
                               keras.utils.normalize(x, axis, np.inf))
    for fn, array in ((utils.normalize, jnp.asarray(x)),
                      (keras.utils.normalize, keras.ops.convert_to_tensor(x))):
        with pytest.raises(ValueError):
            fn(array, axis, 0.5)


SEQUENCES = [[1, 2, 3], [4], [], [5, 6, 7, 8, 9]]


@pytest.mark.parametrize("kwargs", [{}, {"maxlen": 2}, {"padding": "post"},
                                    {"truncating": "post", "maxlen": 3, "value": -1},
                                    {"dtype": "float32", "value": 0.5}])
def test_pad_sequences_matches_keras(kwargs):
    ours, theirs = utils.pad_sequences(SEQUENCES, **kwargs), keras.utils.pad_sequences(
        SEQUENCES, **kwargs)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_pad_sequences_items_with_features_and_strings():
    seqs = [np.ones((2, 3)), np.zeros((4, 3))]
    np.testing.assert_array_equal(utils.pad_sequences(seqs, dtype="float32"),
                                  keras.utils.pad_sequences(seqs, dtype="float32"))
    words = [["a", "b"], ["c"]]
    np.testing.assert_array_equal(utils.pad_sequences(words, dtype=object, value=""),
                                  keras.utils.pad_sequences(words, dtype=object, value=""))
    for fn in (keras.utils.pad_sequences, utils.pad_sequences):
        with pytest.raises(ValueError):
            fn(words, value="")
        with pytest.raises(ValueError):
            fn([[1], [2]], padding="middle")


def test_timeseries_windows_and_targets():
    data, targets = np.arange(20).reshape(10, 2), np.arange(100, 110)
    ds = utils.timeseries_dataset_from_array(data, targets, sequence_length=3, sampling_rate=2,
                                             sequence_stride=2, batch_size=2)
    windows, y = ds[0]
    assert len(ds) == 2  # starts 0, 2, 4 (a window spans 5 steps of 10)
    np.testing.assert_array_equal(windows[1], data[[2, 4, 6]])
    np.testing.assert_array_equal(y, [100, 102])
    np.testing.assert_array_equal(ds[1][0][0], data[[4, 6, 8]])
    part = utils.timeseries_dataset_from_array(data, None, 2, start_index=3, end_index=7,
                                               batch_size=None)
    assert len(part) == 3 and part[0].tolist() == data[3:5].tolist()


def test_timeseries_shuffle_uses_keras_start_position_order():
    ds = utils.timeseries_dataset_from_array(np.arange(12), None, 3, batch_size=None,
                                             shuffle=True, seed=7)
    expected = np.arange(10)
    np.random.RandomState(7).shuffle(expected)
    assert [int(w[0]) for w in (ds[i] for i in range(len(ds)))] == expected.tolist()
    for kwargs in ({"sampling_rate": 0}, {"sequence_stride": 12}, {"start_index": 20}):
        with pytest.raises(ValueError, match="out of range"):
            utils.timeseries_dataset_from_array(np.arange(12), None, 3, **kwargs)


def test_timeseries_dataset_trains_a_model():
    data = np.random.RandomState(0).rand(40, 3).astype("float32")
    ds = utils.timeseries_dataset_from_array(data, data[:, 0], 4, batch_size=8)
    model = kk.Sequential([kk.Input((4, 3)), kk.layers.Flatten(), kk.layers.Dense(1)])
    model.compile("sgd", "mse")
    assert len(model.fit(ds, epochs=1, verbose=0).history["loss"]) == 1


def test_split_dataset_sizes_structures_and_shuffle():
    x, y = np.arange(10), np.arange(10) * 2
    left, right = utils.split_dataset((x, y), left_size=0.7)
    assert left[0].tolist() == list(range(7)) and right[1].tolist() == [14, 16, 18]
    left, right = utils.split_dataset({"a": x}, right_size=3)
    assert len(left["a"]) == 7 and right["a"].tolist() == [7, 8, 9]
    left, right = utils.split_dataset(x, left_size=4, right_size=2)
    assert left.tolist() == [0, 1, 2, 3] and right.tolist() == [8, 9]
    shuffled, rest = utils.split_dataset(x, left_size=5, shuffle=True, seed=3)
    assert sorted(shuffled.tolist() + rest.tolist()) == list(range(10))
    with pytest.raises(ValueError, match="no size"):
        utils.split_dataset(x)
    with pytest.raises(ValueError, match="out of range"):
        utils.split_dataset(x, left_size=1.5)
    with pytest.raises(TypeError):
        utils.split_dataset(x, left_size="half")
    with pytest.raises(ValueError, match="different lengths"):
        utils.split_dataset((x, y[:3]), left_size=2)


def test_config_behaves_like_keras():
    ours, theirs = utils.Config(lr=0.1), keras.utils.Config(lr=0.1)
    for c in (ours, theirs):
        c.seed = 3
        c["momentum"] = 0.9
    assert ours.as_dict() == theirs.as_dict() and ours.to_json() == theirs.to_json()
    assert list(ours) == list(theirs) and len(ours) == len(theirs)
    assert repr(ours) == repr(theirs)
    for c in (ours, theirs):
        c.freeze()
        with pytest.raises(ValueError):
            c.lr = 1.0
        with pytest.raises(AttributeError, match="Did you mean 'seed'"):
            _ = c.seeds
        c.unfreeze()
        assert c.pop("seed") == 3


def test_is_keras_tensor_and_get_source_inputs():
    a, b = kk.Input((2,)), kk.Input((2,))
    hidden = kk.layers.Dense(3)(a)
    out = kk.layers.Concatenate()([hidden, b])
    assert utils.is_keras_tensor(out) and not utils.is_keras_tensor(np.ones(2))
    assert utils.get_source_inputs(out) == [a, b]
    assert utils.get_source_inputs(a) == [a]
    ka = keras.Input((2,))
    assert keras.utils.get_source_inputs(keras.layers.Dense(3)(ka)) == [ka]
    with pytest.raises(TypeError):
        utils.get_source_inputs(np.ones(2))


@pytest.mark.parametrize("dtype", ["float32", np.int8, int, float, "bfloat16", jnp.uint16,
                                   None, bool])
def test_standardize_dtype_matches_keras(dtype):
    assert utils.standardize_dtype(dtype) == keras.utils.standardize_dtype(dtype)


def test_legacy_serialization_matches_keras():
    ours = utils.legacy.serialize_keras_object(kk.regularizers.L2(0.5))
    assert ours == keras.utils.legacy.serialize_keras_object(keras.regularizers.L2(0.5))
    assert utils.legacy.deserialize_keras_object(ours).l2 == 0.5
    assert utils.legacy.serialize_keras_object(kk.activations.relu) == "relu"


FORMATS = ["xyxy", "yxyx", "xywh", "center_xywh", "center_yxhw", "rel_xyxy", "rel_yxyx",
           "rel_xywh", "rel_center_xywh"]
BOXES = np.array([[[10.0, 20.0, 50.0, 60.0], [5, 5, 8, 9], [-1, -1, -1, -1]]], "float32")


@pytest.mark.parametrize("source", FORMATS)
def test_bounding_box_conversions_match_keras(source):
    kb = keras.utils.bounding_boxes
    for target in FORMATS:
        np.testing.assert_allclose(
            utils.bounding_boxes.convert_format(BOXES, source, target, height=100, width=80),
            kb.convert_format(BOXES.copy(), source, target, height=100, width=80), atol=1e-5)


def test_bounding_box_iou_clip_crop_pad_match_keras():
    kb, ub = keras.utils.bounding_boxes, utils.bounding_boxes
    other = BOXES * 1.1 + 1
    for masking in (False, True):
        np.testing.assert_allclose(ub.compute_iou(BOXES, other, "xyxy", use_masking=masking),
                                   kb.compute_iou(BOXES, other, "xyxy", use_masking=masking),
                                   atol=1e-6)
    np.testing.assert_allclose(ub.compute_iou(BOXES[0], other[0], "xywh"),
                               kb.compute_iou(BOXES[0], other[0], "xywh"), atol=1e-6)
    labels = np.array([[1, 2, 3]])
    ours = ub.clip_to_image_size({"boxes": BOXES, "labels": labels}, 30, 30)
    theirs = kb.clip_to_image_size({"boxes": BOXES, "labels": labels}, 30, 30)
    for key in ("boxes", "labels"):
        np.testing.assert_array_equal(ours[key], theirs[key])
    np.testing.assert_array_equal(ub.crop(BOXES, 10, 20, 40, 30), kb.crop(BOXES, 10, 20, 40, 30))
    np.testing.assert_array_equal(ub.pad(BOXES, 10, 20), kb.pad(BOXES, 10, 20))
    with pytest.raises(NotImplementedError):
        ub.crop(BOXES, 1, 1, 2, 2, bounding_box_format="yxyx")
    rng = np.random.RandomState(2)
    params = [rng.uniform(-30, 30, 1), rng.uniform(-0.2, 0.2, 1), rng.uniform(-0.2, 0.2, 1),
              rng.uniform(0.8, 1.2, 1), rng.uniform(-10, 10, 1), rng.uniform(-10, 10, 1)]
    params = [p.astype("float32") for p in params]
    np.testing.assert_allclose(ub.affine_transform(BOXES, *params, 100, 80),
                               kb.affine_transform(BOXES, *params, 100, 80), rtol=1e-4,
                               atol=1e-3)
    with pytest.raises(NotImplementedError):
        ub.affine_transform(BOXES, *params, 100, 80, bounding_box_format="yxyx")


def test_bounding_box_ciou_and_deltas_match_keras():
    kb, ub = keras.utils.bounding_boxes, utils.bounding_boxes
    a = np.array([[10.0, 20.0, 50.0, 60.0], [5, 5, 8, 9], [0, 0, 4, 4]], "float32")
    b = a * 1.2 + np.array([1, -2, 3, 1], "float32")
    for fmt in ("xyxy", "center_xywh"):
        np.testing.assert_allclose(ub.compute_ciou(a, b, fmt), kb.compute_ciou(a, b, fmt),
                                   rtol=1e-5, atol=1e-6)
    for kwargs in ({}, {"variance": [0.1, 0.1, 0.2, 0.2]}, {"encoding_format": "center_xywh"}):
        ours = ub.encode_box_to_deltas(a, b, "xyxy", "xywh", **kwargs)
        np.testing.assert_allclose(ours, kb.encode_box_to_deltas(a, b, "xyxy", "xywh",
                                                                 **kwargs), rtol=1e-5)
        decode_kwargs = {"encoded_format" if k == "encoding_format" else k: v
                         for k, v in kwargs.items()}
        back = ub.decode_deltas_to_boxes(a, ours, "xyxy", "xywh", **decode_kwargs)
        np.testing.assert_allclose(back, kb.decode_deltas_to_boxes(
            a, np.asarray(ours), "xyxy", "xywh", **decode_kwargs), rtol=1e-5, atol=1e-4)
        np.testing.assert_allclose(back, b, rtol=1e-4, atol=1e-3)  # b was given as xywh
    levels = ub.decode_deltas_to_boxes({"p3": a}, {"p3": np.zeros_like(a)}, "xyxy", "xyxy")
    np.testing.assert_allclose(levels["p3"], a, atol=1e-4)
    for fn in (kb.compute_ciou, ub.compute_ciou):
        with pytest.raises(ValueError):
            fn(a, b, "rel_xyxy", image_shape=(10, 10, 3))
    with pytest.raises(ValueError, match="4 values"):
        ub.encode_box_to_deltas(a, b, "xyxy", "xyxy", variance=[1.0])
