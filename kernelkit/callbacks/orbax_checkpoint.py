"""`OrbaxCheckpoint`: saves the model's state with Orbax, per epoch or every N batches."""

from __future__ import annotations

import json
import os
import warnings

import numpy as np

from kernelkit.callbacks.monitor_callback import MonitorCallback

__all__ = ["OrbaxCheckpoint", "state_tree"]


def state_tree(model, weights_only: bool = False) -> dict:
    """The model's state as a tree of NumPy arrays, in Keras's variable order.

    Args:
        model: a built model.
        weights_only: leave out the optimizer variables.

    Returns:
        `{"trainable_variables": [...], "non_trainable_variables": [...]}`, plus
        `"optimizer_variables"` (Keras's flat list) unless `weights_only`.

    Example:
        >>> import kernelkit as kk
        >>> model = kk.Sequential([kk.layers.Input((2,)), kk.layers.Dense(1)])
        >>> [w.shape for w in state_tree(model, weights_only=True)["trainable_variables"]]
        [(2, 1), (1,)]
    """
    tree = {"trainable_variables": [np.asarray(w) for w in model.trainable_weights],
            "non_trainable_variables": [np.asarray(w) for w in model.non_trainable_weights]}
    if not weights_only:
        saved = getattr(model, "_saved_optimizer_variables", None)
        variables = saved() if callable(saved) else None
        tree["optimizer_variables"] = [np.asarray(v) for v in variables or []]
    return tree


class OrbaxCheckpoint(MonitorCallback):
    """Writes checkpoints of the model with `orbax.checkpoint`'s `CheckpointManager`.

    Each checkpoint is a step folder under `directory` (the epoch, or with an int `save_freq`
    the number of batches seen) holding `pytree` (the arrays of `state_tree`) and, unless
    `save_weights_only`, `model_config` (the model's JSON config). Restore with
    `orbax.checkpoint.CheckpointManager(directory).restore(step)`.

    Args:
        directory: the folder of the checkpoints.
        monitor: the log entry watched by `save_best_only`.
        verbose: print a line per checkpoint when 1.
        save_best_only: save only when `monitor` improves.
        mode: `"auto"`, `"min"` or `"max"`, the direction of improvement.
        save_freq: `"epoch"` or an int: save every that many batches.
        initial_value_threshold: the value `monitor` must first beat.
        max_to_keep: the number of most recent checkpoints kept (`None`: all).
        save_on_background: write asynchronously (see `wait_until_finished`).
        save_weights_only: leave out the optimizer variables and the model config.

    Raises:
        ValueError: for a `save_freq` that is neither `"epoch"` nor an int.

    Example:
        >>> import tempfile, numpy as np, kernelkit as kk
        >>> model = kk.Sequential([kk.layers.Input((2,)), kk.layers.Dense(1)])
        >>> model.compile("sgd", "mse")
        >>> folder = tempfile.mkdtemp()
        >>> _ = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=0,
        ...               callbacks=[OrbaxCheckpoint(folder, save_on_background=False)])
        >>> sorted(os.listdir(folder))
        ['1']
    """

    def __init__(self, directory, monitor="val_loss", verbose=0, save_best_only=False,
                 mode="auto", save_freq="epoch", initial_value_threshold=None, max_to_keep=1,
                 save_on_background=True, save_weights_only=False):
        try:
            import orbax.checkpoint as ocp
        except ImportError as error:  # pragma: no cover - orbax comes with flax
            raise ImportError(
                "OrbaxCheckpoint needs the orbax-checkpoint package. Install it with "
                "`pip install orbax-checkpoint`."
            ) from error
        super().__init__(monitor, mode, initial_value_threshold)
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int)):
            raise ValueError(
                f"OrbaxCheckpoint: unrecognized save_freq. Expected 'epoch' or an int. "
                f"Received: save_freq={save_freq!r}. Use 'epoch' or e.g. save_freq=100."
            )
        self.directory = directory
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_freq = save_freq
        self.max_to_keep = max_to_keep
        self.save_on_background = save_on_background
        self.save_weights_only = save_weights_only
        self._ocp = ocp
        self._total_batches_seen = 0
        self._batches_since_save = 0
        options = ocp.CheckpointManagerOptions(max_to_keep=max_to_keep,
                                               enable_async_checkpointing=save_on_background)
        self.checkpointer = ocp.CheckpointManager(os.path.abspath(os.fspath(directory)),
                                                  options=options)

    def set_model(self, model):
        super().set_model(model)
        optimizer = getattr(model, "optimizer", None)
        try:
            self._total_batches_seen = int(np.asarray(optimizer.iterations))
        except (AttributeError, TypeError):
            self._total_batches_seen = 0

    def needs_batch_hooks(self, kind: str = "train") -> bool:
        super().needs_batch_hooks(kind)
        return kind == "train" and self.save_freq != "epoch"

    def _improved(self, logs, where: str) -> bool:
        if not self.save_best_only:
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available, "
                          f"skipping save at {where}.", stacklevel=3)
            return False
        current = float(np.asarray(current))
        if not self._is_improvement(current, self.best):
            return False
        self.best = current
        return True

    def _save(self, step: int) -> None:
        ocp = self._ocp
        model = self.model
        items = {"pytree": ocp.args.StandardSave(state_tree(model, self.save_weights_only))}
        if not self.save_weights_only:
            items["model_config"] = ocp.args.JsonSave(json.loads(model.to_json()))
        self.checkpointer.save(step, args=ocp.args.Composite(**items), force=True)
        if not self.save_on_background:
            self.checkpointer.wait_until_finished()
        if self.verbose:
            print(f"OrbaxCheckpoint: saved step {step} to {self.directory}", flush=True)

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._total_batches_seen += 1
        self._batches_since_save += 1
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            if self._improved(logs, f"batch {batch}"):
                self._save(self._total_batches_seen)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch" and self._improved(logs, f"epoch {epoch}"):
            self._save(epoch)

    def on_train_end(self, logs=None):
        self.wait_until_finished()

    def wait_until_finished(self) -> None:
        """Blocks until every checkpoint written in the background is on disk."""
        self.checkpointer.wait_until_finished()
