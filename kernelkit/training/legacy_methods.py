"""Keras 2-era methods kept as thin shims: they warn (`DeprecationWarning`) and delegate."""

from __future__ import annotations

import warnings

import numpy as np
from flax import nnx

__all__ = ["LegacyMethods"]


class LegacyMethods:
    """`fit_generator`, `evaluate_generator`, `predict_generator`, `predict_classes`,
    `predict_proba` and `reset_states`, for code written against older Keras."""

    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1,
                      callbacks=None, validation_data=None, validation_steps=None,
                      validation_freq=1, class_weight=None, max_queue_size=10, workers=1,
                      use_multiprocessing=False, shuffle=True, initial_epoch=0):
        """Deprecated: use `fit`, which accepts generators."""
        warnings.warn("fit_generator is deprecated; use fit(), which accepts generators.",
                      DeprecationWarning, stacklevel=2)
        generator = _set_workers(generator, workers)
        return self.fit(generator, steps_per_epoch=steps_per_epoch, epochs=epochs,
                        verbose=verbose, callbacks=callbacks, validation_data=validation_data,
                        validation_steps=validation_steps, validation_freq=validation_freq,
                        class_weight=class_weight, shuffle=shuffle,
                        initial_epoch=initial_epoch)

    def evaluate_generator(self, generator, steps=None, callbacks=None, max_queue_size=10,
                           workers=1, use_multiprocessing=False, verbose=0):
        """Deprecated: use `evaluate`, which accepts generators."""
        warnings.warn("evaluate_generator is deprecated; use evaluate().", DeprecationWarning,
                      stacklevel=2)
        generator = _set_workers(generator, workers)
        return self.evaluate(generator, steps=steps, callbacks=callbacks, verbose=verbose)

    def predict_generator(self, generator, steps=None, callbacks=None, max_queue_size=10,
                          workers=1, use_multiprocessing=False, verbose=0):
        """Deprecated: use `predict`, which accepts generators."""
        warnings.warn("predict_generator is deprecated; use predict().", DeprecationWarning,
                      stacklevel=2)
        generator = _set_workers(generator, workers)
        return self.predict(generator, steps=steps, callbacks=callbacks, verbose=verbose)

    def predict_classes(self, x, batch_size=32, verbose=0):
        """Deprecated: class indices (argmax, or probability > 0.5 for one unit)."""
        warnings.warn("predict_classes is deprecated; use np.argmax(model.predict(x), -1).",
                      DeprecationWarning, stacklevel=2)
        proba = self.predict(x, batch_size=batch_size, verbose=verbose)
        if proba.shape[-1] > 1:
            return np.argmax(proba, axis=-1)
        return (proba > 0.5).astype("int32")

    def predict_proba(self, x, batch_size=32, verbose=0):
        """Deprecated: the same as `predict`."""
        warnings.warn("predict_proba is deprecated; use predict().", DeprecationWarning,
                      stacklevel=2)
        return self.predict(x, batch_size=batch_size, verbose=verbose)

    def reset_states(self) -> None:
        """Resets the state of stateful layers (e.g. `LSTM(stateful=True)`)."""
        for _, node in nnx.iter_graph(self):
            if node is not self and hasattr(node, "reset_states") and hasattr(node, "stateful"):
                node.reset_states()


def _set_workers(generator, workers):
    """`workers=0` (legacy): batches are drawn on the main thread, without prefetching."""
    if workers != 0:
        return generator
    if hasattr(generator, "_workers"):
        generator._workers = 0
        return generator
    return _MainThreadBatches(generator)


class _MainThreadBatches:
    """A batch source read on the calling thread (`workers = 0` turns prefetching off)."""

    workers = 0

    def __init__(self, source):
        self._source = source
        self._iterator = None

    def __iter__(self):
        return self

    def __next__(self):
        if self._iterator is None:
            self._iterator = iter(self._source)
        return next(self._iterator)
