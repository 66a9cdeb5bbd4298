"""Issue 15: bad input is refused clearly, before any step runs, and changes nothing."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import layers


class _CountBatches(kk.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.batches = 0

    def on_train_batch_begin(self, batch, logs=None):
        self.batches += 1

    on_test_batch_begin = on_train_batch_begin


def _sequential(units, loss):
    model = kk.Sequential([kk.Input((4,)), layers.Dense(units, name="head")])
    model.compile("sgd", loss)
    return model


def _functional(units, loss):
    inputs = kk.Input((4,))
    model = kk.Model(inputs, layers.Dense(units, name="head")(layers.Dense(3, name="hidden")(
        inputs)))
    model.compile("sgd", loss)
    return model


@pytest.mark.parametrize("build", [_sequential, _functional])
@pytest.mark.parametrize("units, loss, y_shape, expected", [
    (2, "mse", (32, 3), r"float32\[32, 2\].*y=float32\[32, 3\]"),
    (3, "categorical_crossentropy", (32, 1), r"float32\[32, 3\].*y=float32\[32, 1\]"),
    (3, "sparse_categorical_crossentropy", (32, 3), r"integer labels.*y=float32\[32, 3\]"),
])
def test_targets_that_do_not_fit_the_output_are_refused_before_any_step(build, units, loss,
                                                                         y_shape, expected):
    model = build(units, loss)
    before = [w.copy() for w in model.get_weights()]
    counter = _CountBatches()
    x, y = np.ones((32, 4), "float32"), np.zeros(y_shape, "float32")
    pattern = rf"targets for output 'head' do not fit the output.*{expected}"
    with pytest.raises(ValueError, match=pattern):
        model.fit(x, y, callbacks=[counter], verbose=0)
    with pytest.raises(ValueError, match=pattern):
        model.evaluate(x, y, callbacks=[counter], verbose=0)
    assert counter.batches == 0
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("units, loss, y_shape", [
    (1, "mse", (32,)), (1, "binary_crossentropy", (32, 1)),
    (3, "sparse_categorical_crossentropy", (32,)), (3, "sparse_categorical_crossentropy", (32, 1)),
    (3, "categorical_crossentropy", (32, 3)),
])
def test_targets_that_fit_still_train(units, loss, y_shape):
    model = _sequential(units, loss)
    y = np.zeros(y_shape, "float32")
    if "categorical_crossentropy" == loss:
        y[:, 0] = 1.0
    history = model.fit(np.ones((32, 4), "float32"), y, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_custom_loss_functions_are_not_shape_checked():
    model = kk.Sequential([kk.Input((4,)), layers.Dense(2)])
    model.compile("sgd", lambda y_true, y_pred: kk.ops.mean(y_pred) * 0 + kk.ops.mean(y_true))
    model.fit(np.ones((8, 4), "float32"), np.ones((8, 5), "float32"), verbose=0)


@pytest.mark.parametrize("build", [_sequential, _functional])
def test_wrong_feature_width_names_the_first_layer_that_cannot_take_it(build):
    model = build(1, "mse")
    first = "head" if build is _sequential else "hidden"
    before = [w.copy() for w in model.get_weights()]
    x, y = np.ones((8, 5), "float32"), np.ones((8, 1), "float32")
    for call in (lambda: model.fit(x, y, verbose=0), lambda: model.predict(x, verbose=0),
                 lambda: model.evaluate(x, y, verbose=0)):
        with pytest.raises(ValueError, match=rf"\(None, 4\).*float32\[8, 5\].*Dense '{first}' "
                                             r"expected inputs whose last axis is 4"):
            call()
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def _sparse_model():
    model = kk.Sequential([kk.Input((4,)), layers.Dense(3, name="head")])
    model.compile("sgd", kk.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["sparse_categorical_accuracy"])
    return model


@pytest.mark.parametrize("bad", [3, -1, 7])
def test_sparse_labels_out_of_range_are_named_with_position_and_range(bad):
    model = _sparse_model()
    before = [w.copy() for w in model.get_weights()]
    x, y = np.ones((64, 4), "float32"), np.zeros(64, "int32")
    y[50] = bad
    counter = _CountBatches()
    message = (rf"label {bad} at position \(50,\) of the targets for output 'head' is out of "
               r"range.*Expected integer labels in \[0, 3\)")
    with pytest.raises(ValueError, match=message):
        model.fit(x, y, batch_size=16, callbacks=[counter], verbose=0)
    with pytest.raises(ValueError, match=r"label .* at position \(2,\)"):
        model.train_on_batch(x[48:52], y[48:52])
    assert counter.batches == 0
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_sparse_labels_in_a_generator_are_checked_on_its_first_batch():
    model = _sparse_model()

    def batches():
        for _ in range(4):
            yield np.ones((8, 4), "float32"), np.full((8,), 5, "int32")

    with pytest.raises(ValueError, match=r"label 5 at position \(0,\).*\[0, 3\)"):
        model.fit(batches(), epochs=1, verbose=0)


def test_ignore_class_labels_are_allowed():
    model = kk.Sequential([kk.Input((4,)), layers.Dense(3)])
    model.compile("sgd", kk.losses.SparseCategoricalCrossentropy(from_logits=True,
                                                                 ignore_class=-1))
    y = np.zeros(16, "int32")
    y[3] = -1
    assert np.isfinite(model.fit(np.ones((16, 4), "float32"), y, verbose=0).history["loss"][0])


def test_sparse_labels_out_of_range_in_later_generator_batches_stop_fit_and_evaluate():
    model = _sparse_model()

    def batches():
        yield np.ones((8, 4), "float32"), np.zeros((8,), "int32")  # a clean first batch
        labels = np.zeros((8,), "int32")
        labels[5] = 9
        yield np.ones((8, 4), "float32"), labels

    message = (r"the label 9 in a batch of the targets for output 'head' is out of range.*"
               r"\[0, 3\).*1 label\(s\) out of range")
    with pytest.raises(ValueError, match=message):
        model.fit(batches(), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=message):
        model.evaluate(batches(), verbose=0)
    clean = [(np.ones((8, 4), "float32"), np.zeros((8,), "int32"))]
    assert np.isfinite(model.evaluate(iter(clean), verbose=0)[0])  # the count was reset
