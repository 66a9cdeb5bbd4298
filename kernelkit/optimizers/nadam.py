"""`Nadam`: Adam with Nesterov momentum and Keras's momentum schedule."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.optimizers import slot_init
from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.optimizers.update_rule import UpdateRule, leafwise_rule
from kernelkit.registry import register_builtin

__all__ = ["Nadam"]


@register_builtin("keras.optimizers")
class Nadam(Optimizer):
    """Nadam (Dozat, 2016), as Keras 3 computes it, momentum schedule `0.96 ** t` included.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a function of the step.
        beta_1: Decay rate of the first moment.
        beta_2: Decay rate of the second moment.
        epsilon: Small constant for numerical stability.
        **kwargs: The common arguments of `Optimizer` (`weight_decay`, `clipnorm`, ...).

    Example:
        >>> Nadam().get_config()["beta_1"]
        0.9
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def _rule(self) -> UpdateRule:
        b_1, b_2, epsilon = self.beta_1, self.beta_2, self.epsilon

        def update_leaf(g, p, lr, t, u_product, m, v):
            # Keras casts the betas to the weight dtype first: 1 - beta is rounded in float32.
            beta_1, beta_2 = jnp.asarray(b_1, p.dtype), jnp.asarray(b_2, p.dtype)
            u_t = beta_1 * (1.0 - 0.5 * jnp.power(0.96, t))
            u_t_1 = beta_1 * (1.0 - 0.5 * jnp.power(0.96, t + 1))
            u_product_t_1 = u_product * u_t_1
            m = m + (g - m) * (1 - beta_1)
            v = v + (jnp.square(g) - v) * (1 - beta_2)
            m_hat = u_t_1 * m / (1 - u_product_t_1) + (1 - u_t) * g / (1 - u_product)
            v_hat = v / (1 - jnp.power(beta_2, t))
            return -(m_hat * lr) / (jnp.sqrt(v_hat) + epsilon), (m, v)

        def init(params):
            slots = leafwise_rule((slot_init.zeros_like, slot_init.zeros_like), None).init(params)
            return (slot_init.full((), 1.0, jnp.float32), *slots)

        def update(grads, slots, params, learning_rate, step):
            t = (step + 1).astype(jnp.float32)
            # The product of the momentum schedule is shared by all weights (one scalar).
            u_product = slots[0] * b_1 * (1.0 - 0.5 * jnp.power(0.96, t))
            rule = leafwise_rule(
                (), lambda g, p, lr, t, m, v: update_leaf(
                    g, p, lr, t, u_product.astype(p.dtype), m, v))
            updates, moments = rule.update(grads, slots[1:], params, learning_rate, step)
            return updates, (u_product, *moments)

        return UpdateRule(init, update)

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}

