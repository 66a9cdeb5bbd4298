"""`SwapEMAWeights`: evaluates and predicts with the optimizer's moving average of the weights."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.callbacks.callback import Callback

__all__ = ["SwapEMAWeights", "swap_ema"]


def _no_ema(optimizer) -> ValueError:
    return ValueError(
        "SwapEMAWeights: the optimizer keeps no moving average of the weights. Expected an "
        f"optimizer created with use_ema=True. Received: use_ema="
        f"{getattr(optimizer, 'use_ema', None)}. Create the optimizer with use_ema=True "
        "(e.g. Adam(use_ema=True))."
    )


def swap_ema(params: dict, state, optimizer, finalize: bool = False):
    """Exchanges the weights in `params` with the EMA kept in the optimizer `state`.

    Args:
        params: the weights, a dict keyed like the optimizer state's EMA.
        state: the optimizer state (`OptimizerState`; a `LossScaleOptimizer` or a
            `MultiOptimizer` state holds its inner optimizers' states).
        optimizer: the optimizer that made `state`.
        finalize: instead of keeping the old weights, set the EMA to the new weights too.

    Returns:
        `(new_params, new_state)`.

    Raises:
        ValueError: if no optimizer involved has `use_ema=True`.

    Example:
        >>> from kernelkit.optimizers import SGD
        >>> sgd = SGD(0.5, use_ema=True)
        >>> params = {"0/w": jnp.ones(2)}
        >>> _, state = sgd.transform.update({"0/w": jnp.ones(2)}, sgd.init(params), params)
        >>> swapped, state = swap_ema(params, state, sgd)
        >>> swapped["0/w"].tolist(), state.ema["0/w"].tolist()
        ([0.5, 0.5], [1.0, 1.0])
    """
    inner = getattr(optimizer, "inner_optimizer", None)
    if inner is not None:  # LossScaleOptimizer: the inner state is slots[0]
        params, inner_state = swap_ema(params, state.slots[0], inner, finalize)
        return params, state._replace(slots=(inner_state, *state.slots[1:]))
    optimizers = getattr(optimizer, "optimizers", None)
    if isinstance(optimizers, list):  # MultiOptimizer: sub-states keyed "<leaf index>/<path>"
        if not any(getattr(o, "use_ema", False) for o in optimizers):
            raise _no_ema(optimizer)
        keys, params, slots = list(params), dict(params), list(state.slots)
        for i, inner_optimizer in enumerate(optimizers):
            if not inner_optimizer.use_ema or slots[i].ema is None:
                continue
            owned = {k: keys[int(k.split("/", 1)[0])] for k in slots[i].ema}
            old = {k: params[key] for k, key in owned.items()}
            for k, key in owned.items():
                params[key] = slots[i].ema[k]
            kept = jax.tree.map(jnp.array, slots[i].ema) if finalize else old
            slots[i] = slots[i]._replace(ema=kept)
        return params, state._replace(slots=tuple(slots))
    if not getattr(optimizer, "use_ema", False) or getattr(state, "ema", None) is None:
        raise _no_ema(optimizer)
    ema = dict(state.ema)
    kept = jax.tree.map(jnp.array, ema) if finalize else dict(params)
    return ema, state._replace(ema=kept)


class SwapEMAWeights(Callback):
    """Puts the EMA weights into the model for evaluation and prediction, then swaps back.

    The optimizer must be created with `use_ema=True`. Around `evaluate()` and `predict()`
    (and the validation of `fit()`), the model holds the moving average; the training
    weights come back afterwards. With `swap_on_epoch=True` the EMA weights are also put in at
    the end of each epoch (so checkpoints made then save them) and taken out at the start of
    the next; after the last epoch they stay.

    Args:
        swap_on_epoch: also swap at the end of each epoch (and keep the EMA at the end).

    Raises:
        ValueError: at the first swap, if the optimizer has no EMA (`use_ema=False`).

    Example:
        >>> import numpy as np, kernelkit as kk
        >>> model = kk.Sequential([kk.layers.Input((2,)), kk.layers.Dense(1)])
        >>> model.compile(kk.optimizers.SGD(0.1, use_ema=True), "mse")
        >>> _ = model.fit(np.ones((8, 2)), np.ones((8, 1)), epochs=2, verbose=0)
        >>> before = model.get_weights()[0].copy()
        >>> _ = model.evaluate(np.ones((8, 2)), np.ones((8, 1)), verbose=0,
        ...                    callbacks=[SwapEMAWeights()])
        >>> bool(np.allclose(model.get_weights()[0], before))
        True
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _swap(self, finalize: bool = False) -> None:
        model = self.model
        session = getattr(model, "training_session", None)
        if session is None or session.optimizer_state is None:
            raise RuntimeError(
                "SwapEMAWeights: the model has no optimizer state yet. Expected a model trained "
                "with fit() (which creates the EMA). Received: no optimizer state. Call fit() "
                "before evaluating with SwapEMAWeights."
            )
        params, state = swap_ema(session.params, session.optimizer_state, model.optimizer,
                                 finalize)
        session.replace(params=params, optimizer_state=state)

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = False

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            last = epoch == (self.params or {}).get("epochs", 0) - 1
            self._swap(finalize=last)
            self._ema_weights_in_model = True

    def on_test_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = True

    def on_test_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = False

    def on_predict_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = True

    def on_predict_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = False
