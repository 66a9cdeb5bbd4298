"""`LossScaleOptimizer`: dynamic loss scaling for float16 training (Keras's algorithm)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import optax

from kernelkit.errors import describe
from kernelkit.optimizers import slot_init
from kernelkit.optimizers.keras_transform import OptimizerState
from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.registry import deserialize, register_builtin, serialize

__all__ = ["LossScaleOptimizer"]


@register_builtin("keras.optimizers")
class LossScaleOptimizer(Optimizer):
    """Multiplies the loss by a scale so float16 gradients do not underflow.

    The training step multiplies the loss by the current scale; this optimizer divides the
    gradients by it, skips the update when any gradient is not finite (and halves the scale),
    and doubles the scale after `dynamic_growth_steps` finite steps in a row. `compile`
    wraps the optimizer in it when `auto_scale_loss=True` and the dtype policy is
    `"mixed_float16"`.

    Args:
        inner_optimizer: The optimizer that applies the unscaled gradients.
        initial_scale: The first loss scale (default `2**15`).
        dynamic_growth_steps: Finite steps before the scale doubles (default 2000).
        name: The optimizer's name.

    Example:
        >>> from kernelkit.optimizers import SGD
        >>> optimizer = LossScaleOptimizer(SGD(0.1), initial_scale=8.0)
        >>> state = optimizer.transform.init({"w": jnp.ones(2)})
        >>> float(optimizer.loss_scale_of(state))
        8.0
    """

    def __init__(self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000,
                 name=None, **kwargs):
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(
                "LossScaleOptimizer: expected a kernelkit optimizer to wrap. Received: "
                f"inner_optimizer={describe(inner_optimizer)}. Pass e.g. optimizers.Adam()."
            )
        if initial_scale <= 0 or dynamic_growth_steps < 1:
            raise ValueError(
                "LossScaleOptimizer: initial_scale must be positive and dynamic_growth_steps "
                f"at least 1. Received: initial_scale={initial_scale!r}, "
                f"dynamic_growth_steps={dynamic_growth_steps!r}."
            )
        super().__init__(learning_rate=0.0, name=name or "loss_scale_optimizer", **kwargs)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = float(initial_scale)
        self.dynamic_growth_steps = int(dynamic_growth_steps)

    @property
    def transform(self) -> optax.GradientTransformation:
        if self._transform is None:
            inner = self.inner_optimizer
            growth = self.dynamic_growth_steps

            def init(params):
                inner_state = inner.transform.init(params)
                return OptimizerState(slot_init.zeros((), jnp.int32),  # own copy: buffers are donated
                                      jnp.array(inner.learning_rate_of(inner_state), copy=True),
                                      (inner_state,
                                       slot_init.full((), self.initial_scale, jnp.float32),
                                       slot_init.zeros((), jnp.int32)))

            def update(grads, state, params=None):
                inner_state, scale, good_steps = state.slots
                grads = jax.tree.map(lambda g: g / scale.astype(g.dtype), grads)
                finite = jnp.all(jnp.asarray([jnp.all(jnp.isfinite(g))
                                              for g in jax.tree.leaves(grads)]))
                updates, new_inner = inner.transform.update(grads, inner_state, params)
                updates = jax.tree.map(lambda u: jnp.where(finite, u, jnp.zeros_like(u)),
                                       updates)
                new_inner = jax.tree.map(lambda n, o: jnp.where(finite, n, o), new_inner,
                                         inner_state)
                good_steps = jnp.where(finite, good_steps + 1, 0)
                grow = good_steps >= growth
                scale = jnp.where(finite, jnp.where(grow, scale * 2.0, scale),
                                  jnp.maximum(scale / 2.0, 1.0))
                good_steps = jnp.where(grow, 0, good_steps)
                return updates, OptimizerState(state.iteration + 1,
                                               inner.learning_rate_of(new_inner),
                                               (new_inner, scale, good_steps))

            self._transform = optax.GradientTransformation(init, update)
        return self._transform

    def loss_scale_of(self, state: OptimizerState) -> jax.Array:
        """The scale the next step multiplies the loss by."""
        return state.slots[1]

    def scale_loss(self, loss):
        return loss * self.initial_scale

    def learning_rate_of(self, state: OptimizerState) -> jax.Array:
        return self.inner_optimizer.learning_rate_of(state.slots[0])

    def with_learning_rate(self, state: OptimizerState, value) -> OptimizerState:
        inner_state = self.inner_optimizer.with_learning_rate(state.slots[0], value)
        return state._replace(learning_rate=self.inner_optimizer.learning_rate_of(inner_state),
                              slots=(inner_state, *state.slots[1:]))

    def iterations_of(self, state: OptimizerState) -> jax.Array:
        return self.inner_optimizer.iterations_of(state.slots[0])

    def get_config(self) -> dict:
        return {"name": self.name, "inner_optimizer": serialize(self.inner_optimizer),
                "initial_scale": self.initial_scale,
                "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        inner = deserialize(config.pop("inner_optimizer"), module="keras.optimizers",
                            custom_objects=custom_objects, where="inner_optimizer")
        return cls(inner, **config)
