"""SwapEMAWeights: evaluate/predict/validation use the optimizer's EMA, weights come back."""

import jax
import numpy as np
import pytest

import kernelkit as kk

RNG = np.random.default_rng(3)
X = RNG.normal(size=(16, 3)).astype("float32")
Y = (X @ RNG.normal(size=(3, 1))).astype("float32")


def _trained(optimizer, epochs=2):
    model = kk.Sequential([kk.layers.Input((3,)), kk.layers.Dense(1, name="out")])
    model.compile(optimizer, "mse")
    model.fit(X, Y, epochs=epochs, batch_size=4, verbose=0)
    # a step after fit: the weights then differ from their EMA whether or not fit ended by
    # writing the EMA into the model (as Keras's fit does)
    model.train_on_batch(X[:4], Y[:4])
    return model


def _ema_weights(model):
    state = model._trainer.optimizer_state.state
    state = getattr(state, "slots", (state,))[0] if hasattr(model.optimizer,
                                                            "inner_optimizer") else state
    return [np.asarray(v) for v in jax.tree.leaves(state.ema)]


def _loss_with(model, weights):
    kernel, bias = weights
    return float(np.mean((X @ kernel + bias - Y) ** 2))


@pytest.fixture(scope="module")
def trained():
    return _trained(kk.optimizers.SGD(0.05, use_ema=True, ema_momentum=0.9))


def test_evaluate_uses_the_ema_and_restores_the_training_weights(trained):
    model = trained
    weights = [w.copy() for w in model.get_weights()]
    ema = _ema_weights(model)
    assert not np.allclose(ema[0], weights[0])
    loss = model.evaluate(X, Y, verbose=0, callbacks=[kk.callbacks.SwapEMAWeights()])
    np.testing.assert_allclose(loss, _loss_with(model, ema), rtol=1e-5)
    for now, before in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(now, before)
    np.testing.assert_allclose(model.evaluate(X, Y, verbose=0), _loss_with(model, weights),
                               rtol=1e-5)


def test_predict_uses_the_ema(trained):
    model = trained
    ema = _ema_weights(model)
    out = model.predict(X, verbose=0, callbacks=[kk.callbacks.SwapEMAWeights()])
    np.testing.assert_allclose(out, X @ ema[0] + ema[1], rtol=1e-5, atol=1e-6)


def test_swap_on_epoch_leaves_the_ema_in_the_model_after_fit():
    model = kk.Sequential([kk.layers.Input((3,)), kk.layers.Dense(1)])
    model.compile(kk.optimizers.Adam(0.05, use_ema=True, ema_momentum=0.8), "mse")
    history = model.fit(X, Y, epochs=3, batch_size=4, verbose=0, validation_data=(X, Y),
                        callbacks=[kk.callbacks.SwapEMAWeights(swap_on_epoch=True)])
    ema = _ema_weights(model)
    for now, average in zip(model.get_weights(), ema):
        np.testing.assert_allclose(now, average, rtol=1e-6)
    # the validation of the last epoch ran on the EMA weights, which the model keeps
    np.testing.assert_allclose(history.history["val_loss"][-1], _loss_with(model, ema),
                               rtol=1e-5)


def test_swap_with_a_multi_optimizer_swaps_only_the_ema_weights():
    multi = kk.optimizers.MultiOptimizer(kk.optimizers.OptimizerMap(
        kk.optimizers.SGD(0.05), {"out/kernel": kk.optimizers.SGD(0.05, use_ema=True)}))
    model = _trained(multi)
    kernel, bias = (w.copy() for w in model.get_weights())
    ema_kernel = np.asarray(jax.tree.leaves(model._trainer.optimizer_state.state.slots[0].ema)[0])
    out = model.predict(X, verbose=0, callbacks=[kk.callbacks.SwapEMAWeights()])
    np.testing.assert_allclose(out, X @ ema_kernel + bias, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(model.get_weights()[0], kernel)


def test_an_optimizer_without_ema_is_refused():
    model = _trained(kk.optimizers.SGD(0.05), epochs=1)
    with pytest.raises(ValueError, match="use_ema=True"):
        model.evaluate(X, Y, verbose=0, callbacks=[kk.callbacks.SwapEMAWeights()])
