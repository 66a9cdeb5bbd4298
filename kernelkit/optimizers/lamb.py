"""`Lamb`: Adam directions scaled per weight by a layer-wise trust ratio (built on optax)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import optax

from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.optimizers.update_rule import UpdateRule
from kernelkit.registry import register_builtin

__all__ = ["Lamb", "optax_rule"]


def optax_rule(direction: optax.GradientTransformation) -> UpdateRule:
    """An `UpdateRule` taking `-learning_rate * direction` from an optax transform.

    Args:
        direction: an optax transform giving the (unscaled, ascent) update direction.

    Returns:
        An `UpdateRule` whose slots are the optax state.

    Example:
        >>> rule = optax_rule(optax.identity())
        >>> updates, _ = rule.update(jnp.ones(2), rule.init(jnp.ones(2)), jnp.ones(2), 0.5, 0)
        >>> updates.tolist()
        [-0.5, -0.5]
    """

    def update(grads, slots, params, learning_rate, step):
        del step  # optax counts its own steps, one per real update, like Keras's iterations
        grads = jax.tree.map(lambda g, p: g.astype(p.dtype), grads, params)
        direction_updates, slots = direction.update(grads, slots, params)
        updates = jax.tree.map(lambda u, p: -jnp.asarray(learning_rate, p.dtype) * u,
                               direction_updates, params)
        return updates, slots

    return UpdateRule(direction.init, update)


@register_builtin("keras.optimizers")
class Lamb(Optimizer):
    """LAMB (You et al., 2019), as Keras 3 computes it.

    The Adam direction `m_hat / (sqrt(v_hat) + epsilon)` of each weight is scaled by the
    trust ratio `||w|| / ||direction||` (1 when either norm is 0):
    `optax.scale_by_adam` then `optax.scale_by_trust_ratio`. Weight decay, if set, is
    Keras's decoupled `w -= w * weight_decay * lr`, applied first.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a function of the step.
        beta_1: Decay rate of the first moment.
        beta_2: Decay rate of the second moment.
        epsilon: Small constant for numerical stability.
        **kwargs: The common arguments of `Optimizer` (`weight_decay`, `clipnorm`, ...).

    Example:
        >>> tx = Lamb(learning_rate=0.1).transform
        >>> updates, _ = tx.update(jnp.ones(2), tx.init(jnp.ones(2)), jnp.ones(2))
        >>> [round(u, 4) for u in updates.tolist()]
        [-0.1, -0.1]
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def _rule(self) -> UpdateRule:
        adam = optax.scale_by_adam(b1=self.beta_1, b2=self.beta_2, eps=self.epsilon)
        direction = optax.chain(adam, optax.scale_by_trust_ratio())
        rule = optax_rule(direction)

        # the slots are the momentum and velocity trees (Keras's variables, in its order);
        # optax's step count is Keras's iterations, so it is not stored twice
        def init(params):
            state = adam.init(params)
            return state.mu, state.nu

        def update(grads, slots, params, learning_rate, step):
            adam_state = optax.ScaleByAdamState(count=jnp.asarray(step, jnp.int32),
                                                mu=slots[0], nu=slots[1])
            updates, (adam_state, _) = rule.update(
                grads, (adam_state, optax.ScaleByTrustRatioState()), params, learning_rate,
                step)
            return updates, (adam_state.mu, adam_state.nu)

        return UpdateRule(init, update)

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
