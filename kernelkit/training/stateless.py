"""Keras 3's stateless API: `stateless_compute_loss` as a pure function of three lists."""

from __future__ import annotations

import jax.numpy as jnp
from flax import nnx

from kernelkit.layers.call_context import collect_losses
from kernelkit.training.compute_loss_call import call_compute_loss

__all__ = ["stateless_compute_loss"]


def _assign(variables, values, what, model):
    values = list(values)
    if len(values) != len(variables):
        raise ValueError(
            f"Model '{model.name}': stateless_compute_loss expected {len(variables)} "
            f"{what}, but received {len(values)}. Pass model.{what} (or arrays shaped alike)."
        )
    for var, value in zip(variables, values):
        var[...] = jnp.asarray(value)


def stateless_compute_loss(model, trainable_variables, non_trainable_variables,
                           metrics_variables, x=None, y=None, y_pred=None, sample_weight=None,
                           training=True):
    """Returns `(loss, (trainable, non_trainable, metrics))`; the model is left untouched."""
    graphdef, state = nnx.split(model)
    copy = nnx.merge(graphdef, state, copy=True)
    _assign(copy.trainable_variables, trainable_variables, "trainable_variables", model)
    _assign(copy.non_trainable_variables, non_trainable_variables, "non_trainable_variables",
            model)
    _assign(copy.metrics_variables, metrics_variables, "metrics_variables", model)
    with collect_losses():
        if y_pred is None:
            y_pred = copy(x, training=training)
        loss = call_compute_loss(copy, x, y, y_pred, sample_weight, training=training)
    return loss, ([v[...] for v in copy.trainable_variables],
                  [v[...] for v in copy.non_trainable_variables],
                  [v[...] for v in copy.metrics_variables])
