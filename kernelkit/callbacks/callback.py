"""`Callback`: the base class whose `on_*` hooks `fit`, `evaluate` and `predict` call."""

from __future__ import annotations

__all__ = ["BATCH_HOOKS", "Callback"]

#: The batch-level hooks of each kind of loop, as `kind -> hook names`.
BATCH_HOOKS = {
    "train": ("on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end"),
    "test": ("on_test_batch_begin", "on_test_batch_end"),
    "predict": ("on_predict_batch_begin", "on_predict_batch_end"),
}


class Callback:
    """Base class used to build new callbacks.

    Subclass it and override the hooks of interest. `fit()` calls `on_train_begin`, then for each
    epoch `on_epoch_begin`, `on_train_batch_begin`/`on_train_batch_end` around each step (once per
    compiled execution with `steps_per_execution`), the test hooks while validating, and
    `on_epoch_end` with the epoch's logs (validation keys prefixed with `val_`); finally
    `on_train_end`. `evaluate()` and `predict()` call the `test` and `predict` hooks.

    The default `on_train_batch_begin`/`on_train_batch_end` call the legacy
    `on_batch_begin`/`on_batch_end`, so overriding either name works.

    Attributes:
        params: Dict of loop parameters (`verbose`, `epochs`, `steps`), set by `set_params`.
        model: The model being trained, set by `set_model`.

    Example:
        >>> class CountEpochs(Callback):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.count = 0
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         self.count += 1
        >>> counter = CountEpochs()
        >>> counter.on_epoch_end(0, {"loss": 0.5})
        >>> counter.count
        1
        >>> counter.needs_batch_hooks("train")
        False
    """

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params):
        """Stores the loop parameters (a dict such as `{"verbose": 1, "epochs": 3, "steps": 10}`)."""
        self.params = params

    def set_model(self, model):
        """Stores the model the callback works with."""
        self._model = model

    @property
    def model(self):
        """The model; asks it first to write the training loop's live state back into itself."""
        sync = getattr(self._model, "jax_state_sync", None)
        if callable(sync):
            sync()
        return self._model

    def needs_batch_hooks(self, kind: str = "train") -> bool:
        """Whether this callback wants the batch-level hooks of `kind` called.

        The loop asks this (through `CallbackList.needs_batch_hooks`) after `on_*_begin` to skip
        per-batch work, including fetching the batch logs from the device, when nobody listens.
        The default answers whether a batch hook of that kind is overridden, on the class or on
        the instance. Subclasses whose interest depends on their settings override it.

        Args:
            kind: `"train"`, `"test"` or `"predict"`.

        Returns:
            A bool.

        Raises:
            ValueError: if `kind` is not one of the three kinds.
        """
        if kind not in BATCH_HOOKS:
            raise ValueError(
                f"{type(self).__name__}.needs_batch_hooks: unknown kind of loop. Expected one of "
                f"{tuple(BATCH_HOOKS)}. Received: kind={kind!r}. Pass 'train', 'test' or "
                "'predict'."
            )
        own = vars(self)
        return any(
            name in own or getattr(type(self), name) is not getattr(Callback, name)
            for name in BATCH_HOOKS[kind]
        )

    def on_batch_begin(self, batch, logs=None):
        """A backwards compatibility alias for `on_train_batch_begin`."""

    def on_batch_end(self, batch, logs=None):
        """A backwards compatibility alias for `on_train_batch_end`."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch (training only); `epoch` is 0-based."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch with its metric results (`val_` keys for validation)."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called before a training batch (or execution); calls `on_batch_begin` by default."""
        self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after a training batch with the metrics so far; calls `on_batch_end`."""
        self.on_batch_end(batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called before a batch of `evaluate` or of validation in `fit`."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after a batch of `evaluate` or of validation, with the metrics so far."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before a batch of `predict`."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after a batch of `predict`; `logs["outputs"]` holds the batch's predictions."""

    def on_train_begin(self, logs=None):
        """Called at the beginning of training."""

    def on_train_end(self, logs=None):
        """Called at the end of training with the last epoch's logs."""

    def on_test_begin(self, logs=None):
        """Called at the beginning of evaluation or validation."""

    def on_test_end(self, logs=None):
        """Called at the end of evaluation or validation with the metric results."""

    def on_predict_begin(self, logs=None):
        """Called at the beginning of prediction."""

    def on_predict_end(self, logs=None):
        """Called at the end of prediction."""
