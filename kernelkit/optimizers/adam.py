"""`Adam` and `AdamW`: adaptive moment estimation, with Keras's epsilon placement."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.optimizers import slot_init
from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.optimizers.update_rule import UpdateRule, leafwise_rule
from kernelkit.registry import register_builtin

__all__ = ["Adam", "AdamW"]


@register_builtin("keras.optimizers")
class Adam(Optimizer):
    """Adam (Kingma & Ba, 2014), as Keras 3 computes it.

    `m += (g - m) * (1 - beta_1)`, `v += (g**2 - v) * (1 - beta_2)`, then
    `w -= lr * sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (sqrt(v) + epsilon)`: epsilon is
    added to the raw `sqrt(v)`, not to the bias-corrected one as in `optax.adam`.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a function of the step.
        beta_1: Decay rate of the first moment.
        beta_2: Decay rate of the second moment.
        epsilon: Small constant for numerical stability.
        amsgrad: Whether to use the AMSGrad variant (Reddi et al., 2018).
        **kwargs: The common arguments of `Optimizer` (`weight_decay`, `clipnorm`, ...).

    Example:
        >>> import jax.numpy as jnp
        >>> tx = Adam(learning_rate=0.1).transform
        >>> updates, _ = tx.update(jnp.ones(1), tx.init(jnp.ones(1)), jnp.ones(1))
        >>> round(float(updates[0]), 4)
        -0.1
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def _rule(self) -> UpdateRule:
        beta_1, beta_2, epsilon, amsgrad = self.beta_1, self.beta_2, self.epsilon, self.amsgrad

        def update(g, p, lr, t, m, v, v_hat):
            alpha = lr * jnp.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
            m = m + (g - m) * (1 - beta_1)
            v = v + (jnp.square(g) - v) * (1 - beta_2)
            if amsgrad:
                v_hat = jnp.maximum(v_hat, v)
            denominator = jnp.sqrt(v_hat if amsgrad else v) + epsilon
            return -(m * alpha) / denominator, (m, v, v_hat)

        hat_init = slot_init.zeros_like if amsgrad else (
            lambda p: slot_init.zeros((), p.dtype, like=p))
        return leafwise_rule((slot_init.zeros_like, slot_init.zeros_like, hat_init), update)

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}


@register_builtin("keras.optimizers")
class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as Keras 3 computes it.

    Each step first does `w -= w * weight_decay * learning_rate`, then the Adam update.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a function of the step.
        weight_decay: The decay rate (required; default 0.004).
        beta_1: Decay rate of the first moment.
        beta_2: Decay rate of the second moment.
        epsilon: Small constant for numerical stability.
        amsgrad: Whether to use the AMSGrad variant.
        **kwargs: The common arguments of `Optimizer` (`clipnorm`, `use_ema`, ...).

    Example:
        >>> AdamW().weight_decay
        0.004
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, **kwargs):
        if weight_decay is None:
            raise ValueError(
                "AdamW: weight_decay is required. Expected a float. Received: "
                "weight_decay=None. Pass a float such as 0.004, or use Adam."
            )
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad, weight_decay=weight_decay, **kwargs)
