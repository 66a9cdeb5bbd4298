"""`keras_transform`: wraps an `UpdateRule` in Keras's update order as an optax transform.

The order is Keras 3's (`BaseOptimizer.apply`, JAX backend): unscale the gradients by
`loss_scale_factor`; accumulate them when `gradient_accumulation_steps` is set (updating
only every N-th call, with the mean); clip; decay the weights (`w -= w * weight_decay * lr`);
run the rule; update the EMA of the weights and, every `ema_overwrite_frequency` steps,
replace the weights with it. The learning rate and the step live in the state, so changing
them never retraces a jitted step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from kernelkit.optimizers import slot_init
from kernelkit.optimizers.clipping import clip_gradients
from kernelkit.optimizers.update_rule import UpdateRule

__all__ = ["OptimizerState", "keras_transform"]


class OptimizerState(NamedTuple):
    """The optax state of a kernelkit optimizer (a pytree; safe to carry through `jax.jit`).

    Attributes:
        iteration: int32 count of `update` calls (Keras's internal `_iterations`, which
            also counts accumulation micro-steps).
        learning_rate: float32 learning rate the next update will use.
        slots: the rule's own variables (momentums, velocities, ...).
        accumulators: summed gradients when `gradient_accumulation_steps` is set, else `None`.
        ema: exponential moving average of the weights when `use_ema=True`, else `None`.

    Example:
        >>> state = OptimizerState(jnp.array(0, "int32"), jnp.array(0.1, "float32"), slots=())
        >>> int(state.iteration), round(float(state.learning_rate), 4), state.ema
        (0, 0.1, None)
    """

    iteration: jax.Array
    learning_rate: jax.Array
    slots: Any
    accumulators: Any = None
    ema: Any = None


def _weight_decay_mask(params, pattern: re.Pattern | None):
    if pattern is None:
        return jax.tree.map(lambda _: True, params)
    paths, treedef = jax.tree_util.tree_flatten_with_path(params)
    flags = [pattern.search(jax.tree_util.keystr(path)) is None for path, _ in paths]
    return treedef.unflatten(flags)


def _make_step(rule: UpdateRule, settings: dict) -> Callable:
    """The update of one real optimizer step: clip, weight decay, then the rule."""
    weight_decay = settings["weight_decay"]
    pattern = settings["exclude_from_weight_decay"]

    def step(grads, slots, params, lr, iterations):
        grads = clip_gradients(grads, settings["clipnorm"], settings["global_clipnorm"],
                               settings["clipvalue"])
        if weight_decay is None:
            updates, slots = rule.update(grads, slots, params, lr, iterations)
            return updates, slots
        mask = _weight_decay_mask(params, pattern)
        decay = jax.tree.map(
            lambda p, use: -p * jnp.asarray(weight_decay, p.dtype) * jnp.asarray(lr, p.dtype)
            if use else jnp.zeros_like(p), params, mask)
        decayed = jax.tree.map(jnp.add, params, decay)
        updates, slots = rule.update(grads, slots, decayed, lr, iterations)
        return jax.tree.map(jnp.add, decay, updates), slots

    return step


def _update_ema(ema, params, updates, iterations, settings):
    momentum = jnp.where(iterations != 0, settings["ema_momentum"], 0.0)
    new_params = jax.tree.map(jnp.add, params, updates)
    ema = jax.tree.map(lambda a, p: momentum.astype(p.dtype) * a
                       + (1 - momentum).astype(p.dtype) * p, ema, new_params)
    frequency = settings["ema_overwrite_frequency"]
    if frequency:
        overwrite = (iterations + 1) % frequency == 0
        updates = jax.tree.map(lambda u, a, p: jnp.where(overwrite, a - p, u),
                               updates, ema, params)
    return ema, updates


def keras_transform(rule: UpdateRule, settings: dict,
                    schedule: Callable | None) -> optax.GradientTransformation:
    """Builds the optax transform of a Keras optimizer.

    Args:
        rule: the optimizer's algorithm.
        settings: the common Keras arguments (`weight_decay`, `clipnorm`, `global_clipnorm`,
            `clipvalue`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`), `exclude_from_weight_decay`
            (a compiled pattern or `None`) and `learning_rate` (the initial float).
        schedule: a function of the step giving the learning rate, or `None` for a float
            learning rate kept in the state.

    Returns:
        An `optax.GradientTransformation` whose `update` needs `params`.
    """
    steps = settings["gradient_accumulation_steps"] or 1
    scale = settings["loss_scale_factor"]
    step_fn = _make_step(rule, settings)

    def learning_rate_at(iteration, current):
        if schedule is None:
            return current
        return jnp.asarray(schedule(iteration), jnp.float32)

    def init(params):
        iteration = slot_init.zeros((), jnp.int32)
        if schedule is None:
            lr = slot_init.full((), settings["learning_rate"], jnp.float32)
        else:
            lr = learning_rate_at(iteration, None)
        zeros = jax.tree.map(slot_init.zeros_like, params) if steps > 1 else None
        ema = jax.tree.map(jnp.array, params) if settings["use_ema"] else None
        return OptimizerState(iteration, lr, rule.init(params), zeros, ema)

    def update(grads, state, params=None):
        if params is None:
            raise ValueError(
                "keras_transform: update() needs the current weights. Expected "
                "tx.update(grads, opt_state, params). Received: params=None. Pass the params "
                "the gradients were computed for."
            )
        lr = state.learning_rate
        if scale is not None:
            grads = jax.tree.map(lambda g: g / scale, grads)
        iterations = state.iteration // steps
        if steps > 1:
            is_update = (state.iteration + 1) % steps == 0

            def apply(_):
                mean = jax.tree.map(lambda g, a: (g + a) / steps, grads, state.accumulators)
                updates, slots = step_fn(mean, state.slots, params, lr, iterations)
                return updates, slots, jax.tree.map(jnp.zeros_like, state.accumulators)

            def accumulate(_):
                return (jax.tree.map(jnp.zeros_like, params), state.slots,
                        jax.tree.map(jnp.add, grads, state.accumulators))

            updates, slots, accumulators = jax.lax.cond(is_update, apply, accumulate, None)
        else:
            updates, slots = step_fn(grads, state.slots, params, lr, iterations)
            accumulators = None
        ema = state.ema
        if ema is not None:
            ema, updates = _update_ema(ema, params, updates, iterations, settings)
        iteration = state.iteration + 1
        return updates, OptimizerState(iteration, learning_rate_at(iteration, lr), slots,
                                       accumulators, ema)

    return optax.GradientTransformation(init, update)
