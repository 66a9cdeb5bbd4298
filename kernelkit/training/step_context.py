"""`StepContext`: what one traced step works with (optimizer state, `training`, gradients).

The step functions make one per traced step and hand it to the default steps explicitly.
`train_step` runs on a model object rebuilt inside the trace. Gradients are taken with respect
to the trainable weights (as a dict keyed like the carry), and `apply_gradients` runs the optax
update, applies weight constraints and writes the new weights into that model object.

A thread-local stays only behind the Keras entry points a user's own `train_step(self, data)`
calls (`self.compute_loss_and_gradients`, `self.optimizer.apply_gradients`,
`super().train_step`): `user_step_context` makes the context reachable from them.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import jax
import jax.numpy as jnp
import optax
from flax import nnx

from kernelkit.layers.call_context import collect_losses
from kernelkit.training.carry import trainable_filter
from kernelkit.training.compute_loss_call import call_compute_loss

__all__ = ["StepContext", "active_step_context", "user_step_context"]

_state = threading.local()


class StepContext:
    """The optimizer state and settings of one step while it is traced (or run eagerly).

    Args:
        partition: The model's `Partition` (parameter keys, constraints).
        optimizer: The compiled optimizer (None for test and predict steps).
        opt_state: Its optax state; `apply_gradients` replaces it.
        training: The mode of the step's forward passes.
        layer_groups: A `LayerGroups` when the step measures per-layer statistics
            (`apply_gradients` then leaves them in `layer_stats`), else None.
    """

    def __init__(self, partition, optimizer=None, opt_state=None, training: bool = True,
                 layer_groups=None):
        self.partition = partition
        self.optimizer = optimizer
        self.opt_state = opt_state
        self.training = training
        self.layer_groups = layer_groups
        self.layer_stats = None

    def params_of(self, model) -> dict:
        return self.partition.params_to_dict(nnx.state(model, trainable_filter))

    def loss_and_gradients(self, model, x, y, sample_weight):
        """`(loss, y_pred, grads)`: the forward pass in training mode and its gradients."""
        graphdef, params_state, rest = nnx.split(model, trainable_filter, ...)
        partition, optimizer, opt_state = self.partition, self.optimizer, self.opt_state

        def loss_fn(params: dict):
            m = nnx.merge(graphdef, partition.params_to_state(params), rest, copy=True)
            with collect_losses():
                y_pred = m(x, training=True)
                loss = call_compute_loss(m, x, y, y_pred, sample_weight, training=True)
            if loss is None:
                raise ValueError(
                    f"Model '{m.name}': there is nothing to train: compile() was given no loss "
                    "and the model adds none with add_loss(). Pass loss=... to compile()."
                )
            m._track_loss(loss, x)
            if hasattr(optimizer, "loss_scale_of"):  # dynamic scaling: the scale is state
                scaled = loss * optimizer.loss_scale_of(opt_state)
            else:
                scaled = optimizer.scale_loss(loss) if hasattr(optimizer, "scale_loss") else loss
            return jnp.asarray(scaled, jnp.float32), (loss, y_pred, nnx.state(m, nnx.Not(
                trainable_filter)))

        params = partition.params_to_dict(params_state)
        (_, (loss, y_pred, new_rest)), grads = jax.value_and_grad(loss_fn, has_aux=True)(params)
        nnx.update(model, new_rest)
        return loss, y_pred, grads

    def apply_gradients(self, model, grads: dict) -> None:
        """One optimizer update of the model's trainable weights."""
        params = self.params_of(model)
        tx = self.optimizer.transform
        updates, self.opt_state = tx.update(grads, self.opt_state, params)
        if self.layer_groups is not None:
            self.layer_stats = self.layer_groups.measure(params, grads, updates)
        new_params = self.partition.apply_constraints(optax.apply_updates(params, updates))
        nnx.update(model, self.partition.params_to_state(new_params))

    def apply_gradients_list(self, model, grads_and_vars) -> None:
        """Keras's `optimizer.apply_gradients(zip(grads, model.trainable_variables))`."""
        by_id = {id(v): g for g, v in grads_and_vars}
        flat = nnx.to_flat_state(nnx.state(model, trainable_filter))
        grads = {}
        for key, (_, var) in zip(self.partition.param_keys, flat):
            g = by_id.get(id(var))
            grads[key] = jnp.zeros_like(var[...]) if g is None else g
        self.apply_gradients(model, grads)


def active_step_context() -> StepContext | None:
    """The context of the user's `train_step` running now (None outside one)."""
    stack = getattr(_state, "stack", None)
    return stack[-1] if stack else None


@contextlib.contextmanager
def user_step_context(scope: StepContext, model) -> Iterator[StepContext]:
    """Makes `scope` reachable from a user's `train_step(self, data)` running on `model`.

    A custom `train_step` calls `self.optimizer.apply_gradients(zip(grads, variables))` as in
    Keras; inside the traced step that call is routed here, to the step's optimizer state.
    """
    stack = getattr(_state, "stack", None)
    if stack is None:
        stack = _state.stack = []
    stack.append(scope)
    delegate = getattr(scope.optimizer, "delegating_updates", None)
    with contextlib.ExitStack() as exits:
        if model is not None and delegate is not None:
            def apply(grads, variables):
                variables = model.trainable_variables if variables is None else variables
                scope.apply_gradients_list(model, zip(grads, variables))

            exits.enter_context(delegate(apply))
        try:
            yield scope
        finally:
            stack.pop()
