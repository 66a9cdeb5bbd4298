"""The default step bodies behind `Model.train_step`, `test_step`, `predict_step`,
`compute_loss` and `compute_metrics`; each runs on the model object of the current step."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.data.unpack import unpack_x_y_sample_weight
from kernelkit.layers.call_context import collect_losses
from kernelkit.training.compute_loss_call import call_compute_loss
from kernelkit.training.preparation import flatten_outputs, match_targets
from kernelkit.training.step_context import StepContext, active_step_context

__all__ = ["default_compute_loss", "default_compute_metrics", "default_predict_step",
           "default_test_step", "default_train_step", "per_output_weights"]


def default_train_step(model, data, context: StepContext | None = None) -> dict:
    """Forward, loss, gradients, one optimizer update and the metrics, in `context`.

    The step functions pass `context` explicitly; `super().train_step(data)` inside a user's
    override finds it through `active_step_context()`.
    """
    x, y, sample_weight = unpack_x_y_sample_weight(data)
    scope = context if context is not None else active_step_context()
    if scope is None:
        raise RuntimeError(
            f"Model '{model.name}': train_step() runs inside fit() or train_on_batch(), which "
            "provide the optimizer state. Call those instead of train_step() directly."
        )
    _, y_pred, grads = scope.loss_and_gradients(model, x, y, sample_weight)
    scope.apply_gradients(model, grads)
    return model.compute_metrics(x, y, y_pred, sample_weight)


def default_test_step(model, data) -> dict:
    x, y, sample_weight = unpack_x_y_sample_weight(data)
    with collect_losses():
        y_pred = model(x, training=False)
        loss = call_compute_loss(model, x, y, y_pred, sample_weight, training=False)
    if loss is not None:
        model._track_loss(loss, x)
    return model.compute_metrics(x, y, y_pred, sample_weight)


def default_predict_step(model, data):
    x, _, _ = unpack_x_y_sample_weight(data)
    return model(x, training=False)


def per_output_weights(sample_weight, n: int) -> list:
    """Sample weights per output: one array for all outputs, or a list/dict per output."""
    if sample_weight is None:
        return [None] * n
    if isinstance(sample_weight, list | tuple) and n > 1:
        return list(sample_weight)
    return [sample_weight] * n


def default_compute_loss(model, x, y, y_pred, sample_weight, training=True):
    """Compiled loss plus every loss added with `add_loss`; `None` when there is none."""
    terms = []
    compile_loss = model._compile_loss
    if compile_loss is not None:
        names = compile_output_names(model)
        y_true = match_targets(y, names)
        outputs = flatten_outputs(y_pred, names)
        if not compile_loss.built:
            compile_loss.build(y_true, outputs)
        weights = per_output_weights(sample_weight, len(names))
        if isinstance(sample_weight, dict):
            weights = [sample_weight.get(n) for n in names]
        value = compile_loss(y_true, outputs, weights)
        if value is not None:
            terms.append(value)
    terms.extend(jnp.asarray(v, jnp.float32) for v in model.losses)
    if not terms:
        return None
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def default_compute_metrics(model, x, y, y_pred, sample_weight) -> dict:
    compile_metrics = model._compile_metrics
    if compile_metrics is not None:
        names = compile_output_names(model)
        y_true = match_targets(y, names)
        outputs = flatten_outputs(y_pred, names)
        if not compile_metrics.built:
            loss_fns = model._compile_loss.loss_fns if model._compile_loss is not None else []
            compile_metrics.build(y_true, outputs, loss_fns)
        weights = per_output_weights(sample_weight, len(names))
        compile_metrics.update_state(y_true, outputs, weights)
    return model.get_metrics_result()


def compile_output_names(model) -> list[str]:
    """The unique output names losses and metrics are keyed by (`out`, `out_1`, ...); a
    functional model's `output_names` are its layers' names, which may repeat."""
    names = model._trainer.output_names
    return list(names) if names is not None else model.output_names_for_compile()


def batch_size_of(x) -> int:
    leaves = jax.tree_util.tree_leaves(x)
    return int(jnp.shape(leaves[0])[0]) if leaves else 1
