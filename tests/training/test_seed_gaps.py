"""Issue 20: the last gaps against the seed pages (statement numbers of the API catalogue)."""

import inspect
import warnings

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import layers
from kernelkit.models import model_from_yaml


def _model(metrics=("mae",)):
    model = kk.Sequential([kk.Input((3,)), layers.Dense(1)])
    model.compile(kk.optimizers.SGD(learning_rate=0.0), "mse", metrics=list(metrics))
    return model


def _batches():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(48, 3)).astype("float32")
    y = rng.normal(size=(48, 1)).astype("float32")
    return (x[:16], y[:16]), (x[16:32], y[16:32]), (x[32:], y[32:])


@pytest.mark.parametrize("method", ["train_on_batch", "test_on_batch"])
def test_reset_metrics_true_resets_after_the_batch(method):  # 148, decision 7
    a, b, c = _batches()
    model, fresh = _model(), _model()
    fresh.set_weights(model.get_weights())
    call = getattr(model, method)
    call(*a)  # reset_metrics=True: reports a, then clears
    after_reset = call(*b, reset_metrics=False, return_dict=True)
    only_b = getattr(fresh, method)(*b, return_dict=True)
    assert after_reset["mae"] == pytest.approx(only_b["mae"], rel=1e-6)
    both = call(*c, reset_metrics=False, return_dict=True)
    whole = fresh.evaluate(np.concatenate([b[0], c[0]]), np.concatenate([b[1], c[1]]),
                           batch_size=32, verbose=0, return_dict=True)
    assert both["mae"] == pytest.approx(whole["mae"], rel=1e-5)


def test_to_yaml_and_model_from_yaml_warn_and_still_work():  # decision 6.18
    model = _model()
    with pytest.warns(DeprecationWarning, match="to_yaml is a legacy API"):
        text = model.to_yaml()
    with pytest.warns(DeprecationWarning, match="model_from_yaml is a legacy API"):
        rebuilt = model_from_yaml(text)
    assert rebuilt.count_params() == model.count_params()


def test_mask_properties_report_the_masks_of_masking_layers():  # TF1 node API
    inputs = kk.Input((5, 3))
    masking = layers.Masking()
    masked = masking(inputs)
    lstm = layers.LSTM(4, return_sequences=True)
    lstm(masked)
    dense = layers.Dense(2)
    dense(inputs)
    assert masking.input_mask is None
    assert masking.output_mask.shape == (None, 5) and masking.output_mask.dtype == bool
    assert lstm.input_mask.shape == (None, 5)
    assert lstm.output_mask.shape == (None, 5)  # return_sequences passes the mask on
    assert dense.input_mask is None and dense.output_mask is None
    assert lstm.get_input_mask_at(0) is lstm.input_mask
    assert lstm.get_output_mask_at(0) is lstm.output_mask

    ids = kk.Input((6,), dtype="int32")
    embedding = layers.Embedding(10, 4, mask_zero=True)
    embedding(ids)
    assert embedding.output_mask.shape == (None, 6)


def test_mask_properties_need_a_single_node():
    dense = layers.Dense(2, name="shared")
    dense(kk.Input((3,)))
    dense(kk.Input((3,)))
    with pytest.raises(AttributeError, match="'shared'.*called 2 times.*get_input_mask_at"):
        dense.input_mask  # noqa: B018
    assert dense.get_output_mask_at(1) is None
    with pytest.raises(ValueError, match="node index 2 out of range"):
        dense.get_input_mask_at(2)


def test_compile_signature_is_visible_and_keyword_only_after_loss():  # decision 6.1
    params = inspect.signature(kk.Model.compile).parameters
    assert list(params)[:3] == ["self", "optimizer", "loss"]
    assert params["optimizer"].default == "rmsprop" and params["loss"].default is None
    for name in ("loss_weights", "metrics", "weighted_metrics", "run_eagerly",
                 "steps_per_execution", "jit_compile", "auto_scale_loss"):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY, name
    assert params["jit_compile"].default == "auto" and params["auto_scale_loss"].default is True
    bound = inspect.signature(_model().compile)
    assert "optimizer" in bound.parameters and "self" not in bound.parameters
    with pytest.raises(TypeError, match="keyword-only"):
        _model().compile("sgd", "mse", ["mae"])


def test_train_test_predict_function_attributes():  # TF 2.2 page, statement 169
    model = _model()
    x, y = _batches()[0]
    assert model.train_function is None and model.test_function is None
    assert model.predict_function is None
    model.fit(x, y, epochs=1, verbose=0)
    first = model.train_function
    assert first is not None and first is model.make_train_function()
    model.fit(x, y, epochs=1, verbose=0)
    assert model.train_function is first  # reused across calls
    model.evaluate(x, y, verbose=0)
    assert model.test_function is model.make_test_function()
    model.make_predict_function()
    assert model.predict_function is not None
    model.compile("sgd", "mse")
    assert model.train_function is None and model.test_function is None  # reset by compile
    model.fit(x, y, epochs=1, verbose=0)
    assert model.train_function is not None and model.train_function is not first
    model.train_function = None
    assert model.train_function is None
    with pytest.raises(TypeError, match="can only be reset to None"):
        model.train_function = lambda data: {}


def test_class_weight_refuses_multi_hot_targets_and_changes_nothing():  # 92
    model = kk.Sequential([kk.Input((3,)), layers.Dense(3, activation="softmax")])
    model.compile("sgd", "categorical_crossentropy")
    before = [w.copy() for w in model.get_weights()]
    x = np.ones((4, 3), "float32")
    y = np.array([[1, 0, 0], [0, 1, 1], [0, 0, 1], [1, 0, 0]], "float32")
    with pytest.raises(ValueError, match="exactly one 1 per row.*row 1 has 2 ones"):
        model.fit(x, y, class_weight={0: 1.0, 1: 2.0, 2: 1.0}, verbose=0)
    with pytest.raises(ValueError, match="exactly one 1 per row"):
        model.train_on_batch(x, y, class_weight={0: 1.0, 1: 2.0, 2: 1.0})
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)
    y[1] = [0, 1, 0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(x, y, class_weight={0: 1.0, 1: 2.0, 2: 1.0}, verbose=0)


def test_ops_sum_of_a_python_list_of_scalar_losses():  # the Keras 3 page's own example
    model = kk.Sequential([kk.Input((3,)), layers.Dense(2, activity_regularizer="l2")])
    model(np.ones((2, 3), "float32"))
    total = kk.ops.sum(model.losses)
    assert float(total) == pytest.approx(float(sum(float(v) for v in model.losses)))
    assert float(kk.ops.sum([np.float32(1.5), 2.0])) == 3.5
