"""TensorBoard: real event files, read back with the `tensorboard` package's event reader."""

from pathlib import Path

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

import kernelkit as kk

RNG = np.random.default_rng(5)
X = RNG.normal(size=(16, 3)).astype("float32")
Y = (X @ RNG.normal(size=(3, 1))).astype("float32")


def _events(directory):
    accumulator = EventAccumulator(str(directory), size_guidance={"scalars": 0,
                                                                  "histograms": 0,
                                                                  "tensors": 0})
    accumulator.Reload()
    return accumulator


def _scalars(accumulator, tag):
    return [(event.step, event.value) for event in accumulator.Scalars(tag)]


def _model():
    model = kk.Sequential([kk.layers.Input((3,)), kk.layers.Dense(2, name="hidden"),
                           kk.layers.Dense(1, name="out")])
    model.compile(kk.optimizers.SGD(0.05), "mse", metrics=["mae"])
    return model


@pytest.fixture(scope="module")
def epoch_run(tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("tb")
    model = _model()
    history = model.fit(X, Y, epochs=3, batch_size=4, verbose=0, validation_split=0.25,
                        callbacks=[kk.callbacks.TensorBoard(log_dir, histogram_freq=1)])
    return log_dir, history.history, model


def test_epoch_scalars_match_the_history(epoch_run):
    log_dir, history, _ = epoch_run
    train, validation = _events(log_dir / "train"), _events(log_dir / "validation")
    for name in ("loss", "mae"):
        steps, values = zip(*_scalars(train, f"epoch_{name}"))
        assert steps == (0, 1, 2)
        np.testing.assert_allclose(values, history[name], rtol=1e-6)
        steps, values = zip(*_scalars(validation, f"epoch_{name}"))
        np.testing.assert_allclose(values, history[f"val_{name}"], rtol=1e-6)
    assert [v for _, v in _scalars(train, "epoch_learning_rate")] == pytest.approx([0.05] * 3)
    assert "batch_loss" not in train.Tags()["scalars"]


def test_validation_writes_evaluation_vs_iterations(epoch_run):
    log_dir, history, _ = epoch_run
    validation = _events(log_dir / "validation")
    steps, values = zip(*_scalars(validation, "evaluation_loss_vs_iterations"))
    assert steps == (3, 6, 9)  # optimizer.iterations after each epoch (3 batches each)
    np.testing.assert_allclose(values, history["val_loss"], rtol=1e-6)


def test_histograms_per_weight_and_model_summary_text(epoch_run):
    log_dir, _, model = epoch_run
    train = _events(log_dir / "train")
    expected = {f"{w.path}/histogram" for layer in model.layers for w in layer.weights}
    assert expected == set(train.Tags()["histograms"])
    kernel = train.Histograms("hidden/kernel/histogram")
    assert [h.step for h in kernel] == [0, 1, 2]
    assert kernel[-1].histogram_value.num == 6  # the (3, 2) kernel
    text_tags = train.Tags()["tensors"]
    assert any(tag.startswith("keras") for tag in text_tags)
    summary = train.Tensors(text_tags[0])[0].tensor_proto.string_val[0].decode()
    assert "hidden" in summary and "Total params" in summary


@pytest.mark.parametrize("update_freq, expected_steps", [("batch", [1, 2, 3, 4, 5, 6, 7, 8]),
                                                         (3, [3, 6])])
def test_batch_scalars_follow_update_freq(tmp_path, update_freq, expected_steps):
    model = _model()
    model.fit(X, Y, epochs=2, batch_size=4, verbose=0,
              callbacks=[kk.callbacks.TensorBoard(tmp_path, update_freq=update_freq,
                                                  write_graph=False)])
    train = _events(tmp_path / "train")
    assert [s for s, _ in _scalars(train, "batch_loss")] == expected_steps
    assert len(_scalars(train, "epoch_loss")) == 2
    assert not (Path(tmp_path) / "validation").exists()


def test_bad_update_freq_is_refused():
    with pytest.raises(ValueError, match="update_freq"):
        kk.callbacks.TensorBoard(update_freq="sometimes")
