"""`train_on_batch`, `test_on_batch`, `predict_on_batch` (catalogue 3.8, decision 7)."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras


def _data(n=16, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, 3)).astype("float32"),
            rng.normal(size=(n, 2)).astype("float32"))


def _model(lib, metrics=None, optimizer="sgd"):
    inp = lib.Input((3,))
    model = lib.Model(inp, lib.layers.Dense(2)(inp))
    model.compile(optimizer, "mse", metrics=metrics)
    return model


def _changed(before, after):
    return any(not np.array_equal(a, b) for a, b in zip(before, after))


def test_train_on_batch_does_one_update_like_keras():  # 144
    x, y = _data()
    k, ours = _model(keras, optimizer="adam"), _model(kk, optimizer="adam")
    ours.set_weights(k.get_weights())
    before = ours.get_weights()
    assert int(ours.optimizer.iterations) == 0
    ours_loss = ours.train_on_batch(x, y)
    assert int(ours.optimizer.iterations) == 1
    assert _changed(before, ours.get_weights())
    np.testing.assert_allclose(ours_loss, k.train_on_batch(x, y), rtol=1e-5)
    ours.train_on_batch(x, y)
    k.train_on_batch(x, y)
    assert int(ours.optimizer.iterations) == 2
    for a, b in zip(ours.get_weights(), k.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_return_forms():  # 145, 146
    x, y = _data()
    plain = _model(kk).train_on_batch(x, y)
    assert isinstance(plain, float)
    model = _model(kk, ["mae"])
    values = model.train_on_batch(x, y)
    assert isinstance(values, list) and len(values) == 2
    as_dict = model.train_on_batch(x, y, return_dict=True)
    assert list(as_dict) == model.metrics_names == ["loss", "mae"]
    assert all(isinstance(v, float) for v in as_dict.values())


def test_zero_sample_weight_gives_zero_loss_and_no_update():  # 147
    x, y = _data()
    model = _model(kk)
    before = model.get_weights()
    loss = model.train_on_batch(x, y, sample_weight=np.zeros(16, "float32"))
    assert loss == 0.0
    assert not _changed(before, model.get_weights())


def test_class_weight_is_accepted_and_matches_keras():  # 147
    rng = np.random.default_rng(3)
    x = rng.normal(size=(16, 3)).astype("float32")
    labels = rng.integers(0, 2, size=(16,))

    def build(lib):
        inp = lib.Input((3,))
        model = lib.Model(inp, lib.layers.Dense(2, activation="softmax")(inp))
        model.compile("sgd", "sparse_categorical_crossentropy")
        return model

    k, ours = build(keras), build(kk)
    ours.set_weights(k.get_weights())
    weights = {0: 0.2, 1: 3.0}
    np.testing.assert_allclose(ours.train_on_batch(x, labels, class_weight=weights),
                               k.train_on_batch(x, labels, class_weight=weights), rtol=1e-5)
    for a, b in zip(ours.get_weights(), k.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_reset_metrics_true_reports_this_batch_only():  # 148 (decision 7)
    x, y = _data(32)
    model = _model(kk, ["mae"])
    model.test_on_batch(x[:16], y[:16])
    second = model.test_on_batch(x[16:], y[16:])
    alone = _model(kk, ["mae"])
    alone.set_weights(model.get_weights())
    assert second == pytest.approx(alone.test_on_batch(x[16:], y[16:]))


def test_reset_metrics_false_accumulates_until_reset_metrics():  # 148, 149 (decision 7)
    x, y = _data(32)
    model = _model(kk, ["mae"])
    first = model.test_on_batch(x[:16], y[:16], reset_metrics=False)
    second = model.test_on_batch(x[16:], y[16:], reset_metrics=False)
    whole = model.evaluate(x, y, batch_size=32, verbose=0)
    assert second == pytest.approx(whole, rel=1e-5)
    assert second != pytest.approx(first)
    model.reset_metrics()
    assert model.get_metrics_result()["mae"] == 0.0
    frozen = _model(kk, ["mae"], optimizer=kk.optimizers.SGD(learning_rate=0.0))
    frozen.set_weights(model.get_weights())
    frozen.train_on_batch(x[:16], y[:16], reset_metrics=False)
    both = frozen.train_on_batch(x[16:], y[16:], reset_metrics=False, return_dict=True)
    assert [both["loss"], both["mae"]] == pytest.approx(whole, rel=1e-5)
    only_last = frozen.train_on_batch(x[16:], y[16:], return_dict=True)
    assert only_last["mae"] != pytest.approx(both["mae"])


def test_test_on_batch_leaves_weights_and_matches_evaluate():  # 150, 151
    x, y = _data()
    model = _model(kk, ["mae"])
    before = model.get_weights()
    result = model.test_on_batch(x, y)
    assert not _changed(before, model.get_weights())
    assert isinstance(result, list) and len(result) == 2
    assert result == pytest.approx(model.evaluate(x, y, batch_size=len(x), verbose=0))
    assert isinstance(_model(kk).test_on_batch(x, y), float)


def test_predict_on_batch_is_one_batch_equal_to_predict():  # 152
    x, _ = _data(70)
    model = _model(kk)
    out = model.predict_on_batch(x)
    assert type(out) is np.ndarray and out.shape == (70, 2)
    np.testing.assert_allclose(out, model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_predict_on_batch_with_wrong_number_of_inputs_raises():  # 153
    a, b = kk.Input((3,), name="a"), kk.Input((3,), name="b")
    model = kk.Model([a, b], kk.layers.Dense(1)(kk.layers.Concatenate()([a, b])))
    with pytest.raises(ValueError, match="expects 2 input"):
        model.predict_on_batch(np.zeros((4, 3), "float32"))


def test_train_on_batch_without_targets_when_the_loss_needs_none():  # 154
    x, _ = _data()
    inp = kk.Input((3,))
    out = kk.layers.Dense(2)(inp)
    model = kk.Model(inp, out)
    model.add_loss(kk.ops.mean(kk.ops.square(out)))
    model.compile("sgd")
    first = model.train_on_batch(x)
    second = model.train_on_batch(x)
    np.testing.assert_allclose(first, np.mean(np.square(model.predict(x, verbose=0))),
                               rtol=0.5)
    assert second < first


def test_before_compile_raises_not_compiled():  # 155
    x, y = _data()
    inp = kk.Input((3,))
    model = kk.Model(inp, kk.layers.Dense(2)(inp))
    with pytest.raises(kk.NotCompiledError, match="compile\\(\\) before train_on_batch"):
        model.train_on_batch(x, y)
    with pytest.raises(kk.NotCompiledError, match="compile\\(\\) before test_on_batch"):
        model.test_on_batch(x, y)
    assert model.predict_on_batch(x).shape == (16, 2)  # inference needs no compile
