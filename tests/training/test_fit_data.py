"""`fit()` on every kind of data: NumPy, JAX, lists and dicts of arrays, pandas, generators,
iterators, `PyDataset`/`Sequence` and any iterable of batches give the same training."""

import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest

import kernelkit as kk
from kernelkit import layers
from tests.keras_oracle import keras
from tests.training.fit_spies import indexed_data, spy_model, train_batches

N, BATCH = 48, 16


def _two_inputs(lib=kk):
    a, b = lib.Input((3,), name="a"), lib.Input((2,), name="b")
    out = lib.layers.Dense(1)(lib.layers.Concatenate()([a, b]))
    return lib.Model([a, b], out)


def _data():
    rng = np.random.default_rng(0)
    xa = rng.normal(size=(N, 3)).astype("float32")
    xb = rng.normal(size=(N, 2)).astype("float32")
    return xa, xb, (xa[:, :1] - xb[:, 1:]).astype("float32")


_START = {}


def _train(x, y=None, **kwargs):
    """Trains a two-input model from fixed weights; returns (losses, weights)."""
    model = _two_inputs()
    if "w" not in _START:
        _START["w"] = model.get_weights() if model.built else _two_inputs(keras).get_weights()
    model.set_weights(_START["w"])
    model.compile("sgd", "mse")
    kwargs.setdefault("verbose", 0)
    history = model.fit(x, y, epochs=2, **kwargs)
    return history.history["loss"], model.get_weights()


def _assert_same_training(got, expected):
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-5)
    for u, v in zip(got[1], expected[1]):
        np.testing.assert_allclose(u, v, rtol=1e-5, atol=1e-7)


def _reference():
    xa, xb, y = _data()
    return _train([xa, xb], y, batch_size=BATCH, shuffle=False)


def _batches(xa, xb, y, as_dict=False):
    for i in range(0, N, BATCH):
        s = slice(i, i + BATCH)
        yield ({"a": xa[s], "b": xb[s]} if as_dict else [xa[s], xb[s]]), y[s]


@pytest.mark.parametrize("form", ["list", "tuple", "dict", "jax", "dict_jax"])
def test_array_forms_train_alike(form):  # 2.0 accepted x types, 98
    xa, xb, y = _data()
    if form == "tuple":
        x = (xa, xb)
    elif form == "dict":
        x = {"b": xb, "a": xa}  # matched by input name, not by order
    elif form == "jax":
        x, y = [jnp.asarray(xa), jnp.asarray(xb)], jnp.asarray(y)
    elif form == "dict_jax":
        x = {"a": jnp.asarray(xa), "b": jnp.asarray(xb)}
    else:
        x = [xa, xb]
    _assert_same_training(_train(x, y, batch_size=BATCH, shuffle=False), _reference())


def test_pandas_dataframe_and_series():
    xa, xb, y = _data()
    frame_a = pd.DataFrame(xa, columns=["p", "q", "r"])
    frame_b = pd.DataFrame(xb, columns=["s", "t"])
    got = _train({"a": frame_a, "b": frame_b}, pd.Series(y[:, 0]).to_frame(),
                 batch_size=BATCH, shuffle=False)
    _assert_same_training(got, _reference())
    log = []
    model = spy_model(log)
    model.compile("sgd", "mse")
    x, target = indexed_data(20)
    model.fit(pd.DataFrame(x), pd.Series(target[:, 0]), batch_size=10, shuffle=False,
              verbose=0)
    assert sum(train_batches(log), []) == list(range(20))


class Batches(kk.utils.PyDataset):
    def __init__(self, xa, xb, y, **kwargs):
        super().__init__(**kwargs)
        self.xa, self.xb, self.y = xa, xb, y
        self.epochs_ended = 0

    def __len__(self):
        return N // BATCH

    def __getitem__(self, i):
        s = slice(i * BATCH, (i + 1) * BATCH)
        return {"a": self.xa[s], "b": self.xb[s]}, self.y[s]

    def on_epoch_end(self):
        self.epochs_ended += 1


@pytest.mark.parametrize("form", ["generator", "iterator", "iterable", "pydataset",
                                  "pydataset_no_workers", "dict_generator"])
def test_streamed_forms_train_alike(form):  # 2.0, 78, 104, 114
    xa, xb, y = _data()
    steps = None
    if form in ("generator", "dict_generator"):
        def forever():
            while True:
                yield from _batches(xa, xb, y, as_dict=form == "dict_generator")

        x, steps = forever(), N // BATCH
    elif form == "iterator":
        x, steps = iter(list(_batches(xa, xb, y)) * 2), N // BATCH
    elif form == "iterable":
        class Loader:
            def __iter__(self):
                return _batches(xa, xb, y)

        x = Loader()
    else:
        x = Batches(xa, xb, y, workers=0 if form.endswith("workers") else 1)
    got = _train(x, steps_per_epoch=steps, shuffle=False)
    _assert_same_training(got, _reference())
    if form.startswith("pydataset"):
        assert x.epochs_ended == 2


def test_sequence_is_the_pydataset_alias_and_shuffle_reorders_batches():
    assert kk.utils.Sequence is kk.utils.PyDataset
    log = []
    x, y = indexed_data(60)

    class Seq(kk.utils.Sequence):
        def __len__(self):
            return 6

        def __getitem__(self, i):
            return x[i * 10:(i + 1) * 10], y[i * 10:(i + 1) * 10]

    model = spy_model(log)
    model.compile("sgd", "mse")
    model.fit(Seq(), epochs=3, shuffle=True, verbose=0)
    starts = [b[0] for b in train_batches(log)]
    epochs = [starts[:6], starts[6:12], starts[12:]]
    assert all(sorted(e) == list(range(0, 60, 10)) for e in epochs)
    assert any(e != list(range(0, 60, 10)) for e in epochs)
    log.clear()
    model.fit(Seq(), epochs=1, shuffle=False, verbose=0)
    assert [b[0] for b in train_batches(log)] == list(range(0, 60, 10))


def test_generator_batches_of_different_sizes():  # 255
    log = []
    x, y = indexed_data(39)
    model = spy_model(log)
    model.compile("sgd", "mse")
    model.fit(iter([(x[:32], y[:32]), (x[32:], y[32:])]), verbose=0)
    assert [len(b) for b in train_batches(log)] == [32, 7]


def test_generator_errors_reach_the_caller():
    x, y = indexed_data(20)

    def broken():
        yield x[:10], y[:10]
        raise RuntimeError("disk on fire")

    model = spy_model([])
    model.compile("sgd", "mse")
    with pytest.raises(RuntimeError, match="disk on fire"):
        model.fit(broken(), verbose=0)


def test_dict_targets_for_named_outputs():  # 2.0 y rules
    inputs = kk.Input((3,))
    model = kk.Model(inputs, [layers.Dense(1, name="p")(inputs),
                              layers.Dense(2, name="q")(inputs)])
    model.compile("sgd", {"p": "mse", "q": "mae"})
    x, y = indexed_data(20)
    x[:, 0] = 0.0
    y_q = np.zeros((20, 2), "float32")
    by_dict = model.evaluate(x, {"q": y_q, "p": y}, verbose=0)
    by_list = model.evaluate(x, [y, y_q], verbose=0)
    np.testing.assert_allclose(by_dict, by_list, rtol=1e-6)
    history = model.fit(x, {"p": y, "q": y_q}, verbose=0)
    assert set(history.history) == {"loss", "p_loss", "q_loss"}
