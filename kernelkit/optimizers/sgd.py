"""`SGD`: gradient descent with optional (Nesterov) momentum."""

from __future__ import annotations

from kernelkit.optimizers import slot_init
from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.optimizers.update_rule import UpdateRule, leafwise_rule
from kernelkit.registry import register_builtin

__all__ = ["SGD"]


@register_builtin("keras.optimizers")
class SGD(Optimizer):
    """Gradient descent with momentum, as Keras 3 computes it.

    `velocity = momentum * velocity - learning_rate * g`; `w += velocity`, or with Nesterov
    `w += momentum * velocity - learning_rate * g`. Without momentum, `w -= learning_rate * g`.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a function of the step.
        momentum: Float in `[0, 1]` accelerating descent and damping oscillations.
        nesterov: Whether to apply Nesterov momentum.
        **kwargs: The common arguments of `Optimizer` (`weight_decay`, `clipnorm`, ...).

    Example:
        >>> import jax.numpy as jnp
        >>> tx = SGD(learning_rate=0.1, momentum=0.9).transform
        >>> state = tx.init(jnp.ones(2))
        >>> updates, state = tx.update(jnp.ones(2), state, jnp.ones(2))
        >>> updates.tolist()
        [-0.10000000149011612, -0.10000000149011612]
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if isinstance(momentum, bool) or not isinstance(momentum, int | float) or not (
                0 <= momentum <= 1):
            raise ValueError(
                "SGD: momentum must be a float in [0, 1]. Expected 0 <= momentum <= 1. "
                f"Received: momentum={momentum!r}. Typical values are 0.0 or 0.9."
            )
        self.momentum = momentum
        self.nesterov = nesterov

    def _rule(self) -> UpdateRule:
        momentum, nesterov = self.momentum, self.nesterov
        if momentum == 0:
            return leafwise_rule((), lambda g, p, lr, t: (-g * lr, ()))

        def update(g, p, lr, t, m):
            m = m * momentum - g * lr
            return (m * momentum - g * lr if nesterov else m), (m,)

        return leafwise_rule((slot_init.zeros_like,), update)

    def get_config(self) -> dict:
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
