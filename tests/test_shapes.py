"""`kernelkit.shapes`: the shape checks layers share, and the messages they keep."""

import pytest

import kernelkit as kk
from kernelkit.shapes import check_rank, is_shape, to_dims


@pytest.mark.parametrize(("value", "expected"), [
    ((None, 3), True), ([2, 4], True), ((), True), ([(None, 3)], False), ("ab", False),
    ((True, 3), False), ((2.0,), False), (None, False),
])
def test_is_shape(value, expected):
    assert is_shape(value) is expected


@pytest.mark.parametrize(("value", "kwargs", "expected"), [
    ((None, 4), {}, (None, 4)), (4, {}, (4,)), ([2], {}, (2,)), ((0, 4), {}, None),
    ((True,), {}, None), ("4", {}, None), (None, {}, None), ((-1, 3), {"minimum": -1}, (-1, 3)),
    ((None, 3), {"allow_none": False}, None), ((-2,), {"minimum": -1}, None),
])
def test_to_dims(value, kwargs, expected):
    assert to_dims(value, **kwargs) == expected


def test_check_rank_exact_and_at_least():
    assert check_rank("L 'l'", [None, 2, 3], 3, "a, b, c") == (None, 2, 3)
    assert check_rank("L 'l'", (None, 2, 3, 4), 3, "a, b, c", at_least=True) == (None, 2, 3, 4)
    with pytest.raises(ValueError) as error:
        check_rank("L 'l'", (None, 2, 3, 4), 3, "a, b, c", fix="Drop an axis.")
    assert str(error.value) == ("L 'l' expected inputs of rank 3, (a, b, c). Received: "
                                "input_shape=(None, 2, 3, 4). Drop an axis.")


@pytest.mark.parametrize(("make", "shape", "message"), [
    (lambda: kk.layers.LSTM(2, name="lstm"), (None, 3),
     "LSTM 'lstm' expected inputs of rank at least 3, (batch, timesteps, features). Received: "
     "input_shape=(None, 3). Add a time axis, e.g. with Reshape or by feeding sequences."),
    (lambda: kk.layers.TimeDistributed(kk.layers.Dense(2), name="td"), (None, 3),
     "TimeDistributed 'td' expected inputs of rank at least 3, (batch, time, ...). Received: "
     "input_shape=(None, 3). Add a time axis."),
    (lambda: kk.layers.ConvLSTM2D(2, 3, name="cl"), (None, 4, 5, 5),
     "ConvLSTM2D 'cl' expected inputs of rank 5, (batch, time, 2 spatial axes, channels). "
     "Received: input_shape=(None, 4, 5, 5)."),
])
def test_layers_keep_their_rank_messages(make, shape, message):
    with pytest.raises(ValueError) as error:
        make().build(shape)
    assert str(error.value) == message


@pytest.mark.parametrize(("make", "match"), [
    (lambda: kk.layers.Dropout(0.5, noise_shape=3, name="d"),
     r"Dropout 'd': invalid `noise_shape`\. Expected a tuple of positive integers or None\. "
     r"Received: noise_shape=3\."),
    (lambda: kk.layers.Dropout(0.5, noise_shape=(None, 0), name="d"), r"noise_shape=\(None, 0\)"),
    (lambda: kk.layers.Reshape(4, name="r"), r"Reshape 'r': invalid `target_shape`.*"
                                             r"Received: target_shape=4\."),
    (lambda: kk.layers.Reshape((None, 2), name="r"), r"target_shape=\(None, 2\)"),
    (lambda: kk.layers.EinsumDense("ab,bc->ac", output_shape=(0,), name="e"),
     r"`output_shape` must be a positive integer.*Received: output_shape=\(0,\)\."),
])
def test_shape_arguments_are_refused_with_their_messages(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_valid_shape_arguments_are_kept():
    assert kk.layers.Dropout(0.5, noise_shape=[None, 1]).noise_shape == (None, 1)
    assert kk.layers.Reshape([-1, 2]).target_shape == (-1, 2)
    assert kk.layers.EinsumDense("ab,bc->ac", output_shape=4).partial_output_shape == (4,)
