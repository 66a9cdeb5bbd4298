"""`TensorBoard`: writes TensorBoard event files (scalars, histograms, the model) with tensorboardX."""

from __future__ import annotations

import io
import os
import time
import warnings
from contextlib import redirect_stdout

import numpy as np

from kernelkit.callbacks.callback import Callback

__all__ = ["TensorBoard"]


def _learning_rates(optimizer) -> dict:
    """Keras's `learning_rate` (or `learning_rate_<name>` per inner optimizer) log entries."""
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    if optimizer is None:
        return {}
    inner = getattr(optimizer, "optimizers", None)
    if isinstance(inner, list | tuple):
        return {f"learning_rate_{o.name}": float(np.asarray(o.learning_rate)) for o in inner}
    try:
        return {"learning_rate": float(np.asarray(optimizer.learning_rate))}
    except (AttributeError, TypeError):
        return {}


class TensorBoard(Callback):
    """Logs training to TensorBoard event files, written by `tensorboardX` (no TensorFlow).

    As in Keras, the files go to `log_dir/train` and `log_dir/validation`: per epoch the logs
    as `epoch_<name>` (validation entries without their `val_` prefix) and the learning rate;
    per batch, when `update_freq` is an int, `batch_<name>` every `update_freq` batches; after
    each evaluation `evaluation_<name>_vs_iterations`; with `histogram_freq`, one histogram
    per weight (`<path>/histogram`); with `write_graph`, the model summary as text (`keras`).

    Args:
        log_dir: the directory of the event files.
        histogram_freq: write weight histograms every this many epochs (0: never).
        write_graph: write the model's summary (as text) at the start.
        write_images: write 2-D weights as images, next to their histograms.
        write_steps_per_second: also log the training speed (`steps_per_second`).
        update_freq: `"epoch"`, `"batch"` (every batch) or an int (every that many batches).
        profile_batch: profiling is not available (a non-zero value warns and is ignored,
            as Keras does on Python < 3.12).
        embeddings_freq: embedding projector logging is not available (warns if non-zero).
        embeddings_metadata: unused (see `embeddings_freq`).

    Example:
        >>> import tempfile, numpy as np, kernelkit as kk
        >>> model = kk.Sequential([kk.layers.Input((2,)), kk.layers.Dense(1)])
        >>> model.compile("sgd", "mse")
        >>> log_dir = tempfile.mkdtemp()
        >>> _ = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=1, verbose=0,
        ...               callbacks=[TensorBoard(log_dir)])
        >>> sorted(os.listdir(log_dir))
        ['train']
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        self.log_dir = str(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        if self.update_freq != "epoch" and (isinstance(self.update_freq, bool)
                                            or not isinstance(self.update_freq, int)
                                            or self.update_freq < 1):
            raise ValueError(
                "TensorBoard: update_freq must be 'epoch', 'batch' or a positive int. Received: "
                f"update_freq={update_freq!r}. Use e.g. update_freq=10."
            )
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        if profile_batch:
            warnings.warn("TensorBoard: profiling is not available in kernelkit; "
                          f"profile_batch={profile_batch!r} is ignored.", stacklevel=2)
        if embeddings_freq:
            warnings.warn("TensorBoard: the embedding projector is not available in kernelkit; "
                          f"embeddings_freq={embeddings_freq!r} is ignored.", stacklevel=2)
        self._writers = {}
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._epoch_start = (0.0, 0)

    @property
    def _train_dir(self) -> str:
        return os.path.join(self.log_dir, "train")

    @property
    def _val_dir(self) -> str:
        return os.path.join(self.log_dir, "validation")

    def _writer(self, kind: str):
        if kind not in self._writers:
            from tensorboardX import SummaryWriter

            directory = self._train_dir if kind == "train" else self._val_dir
            self._writers[kind] = SummaryWriter(directory)
        return self._writers[kind]

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def set_model(self, model):
        super().set_model(model)
        self._writers = {}
        if self.write_graph:
            self._write_model_summary()

    def _write_model_summary(self) -> None:
        model = self._model
        summary = getattr(model, "summary", None)
        if not callable(summary) or not getattr(model, "built", True):
            return
        text = io.StringIO()
        try:
            with redirect_stdout(text):
                summary()
        except (ValueError, RuntimeError, AttributeError):
            return  # a model that cannot summarize itself yet (not built): nothing to write
        self._writer("train").add_text("keras", "```\n" + text.getvalue() + "\n```", 0)
        self._writer("train").flush()

    def needs_batch_hooks(self, kind: str = "train") -> bool:
        super().needs_batch_hooks(kind)  # validates `kind`
        if kind == "train":
            return self.update_freq != "epoch" or self.write_steps_per_second
        return False

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0

    def on_train_end(self, logs=None):
        self._close_writers()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = (time.time(), self._iterations())

    def _iterations(self) -> int:
        optimizer = getattr(self._model, "optimizer", None)
        try:
            return int(np.asarray(optimizer.iterations))
        except (AttributeError, TypeError):
            return self._global_train_batch

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        self._batch_start = time.time()

    def on_train_batch_end(self, batch, logs=None):
        step = self._global_train_batch
        writer = self._writer("train")
        if self.write_steps_per_second:
            elapsed = max(time.time() - self._batch_start, 1e-9)
            writer.add_scalar("batch_steps_per_second", 1.0 / elapsed, step)
        if self.update_freq != "epoch" and step % self.update_freq == 0 and isinstance(logs, dict):
            for name, value in logs.items():
                writer.add_scalar(f"batch_{name}", float(np.asarray(value)), step)

    def on_test_batch_begin(self, batch, logs=None):
        self._global_test_batch += 1

    def on_test_end(self, logs=None):
        optimizer = getattr(self._model, "optimizer", None)
        if optimizer is None or not hasattr(optimizer, "iterations") or not logs:
            return
        writer = self._writer("val")
        step = self._iterations()
        for name, value in logs.items():
            writer.add_scalar(f"evaluation_{name}_vs_iterations", float(np.asarray(value)), step)
        writer.flush()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        validation = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        if logs:
            train.update(_learning_rates(getattr(self.model, "optimizer", None)))
        if self.write_steps_per_second:
            start, iterations = self._epoch_start
            train["steps_per_second"] = ((self._iterations() - iterations)
                                         / max(time.time() - start, 1e-9))
        for kind, values in (("train", train), ("val", validation)):
            if values:
                writer = self._writer(kind)
                for name, value in values.items():
                    writer.add_scalar(f"epoch_{name}", float(np.asarray(value)), epoch)
                writer.flush()
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    def _log_weights(self, epoch: int) -> None:
        writer = self._writer("train")
        for layer in self.model.layers:
            for weight in layer.weights:
                name = str(getattr(weight, "path", None) or weight.name).replace(":", "_")
                value = np.asarray(weight)
                writer.add_histogram(f"{name}/histogram", value, epoch)
                if self.write_images and value.ndim in (1, 2):
                    image = value.reshape(1, -1) if value.ndim == 1 else value
                    low, high = float(image.min()), float(image.max())
                    scaled = (image - low) / (high - low) if high > low else image * 0
                    writer.add_image(f"{name}/image", scaled[None], epoch)
        writer.flush()
