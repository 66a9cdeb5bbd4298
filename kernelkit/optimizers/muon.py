"""`Muon`: orthogonalized momentum for 2-D weights, AdamW for the others (Keras 3's variant)."""

from __future__ import annotations

import re

import jax
import jax.numpy as jnp

from kernelkit.optimizers import slot_init
from kernelkit.optimizers.keras_transform import _weight_decay_mask
from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.optimizers.param_paths import param_paths
from kernelkit.optimizers.update_rule import UpdateRule
from kernelkit.registry import register_builtin

__all__ = ["Muon", "newton_schulz_orthogonalize"]


def _swap_last_axes(x):
    return jnp.swapaxes(x, -2, -1)


def newton_schulz_orthogonalize(x, steps, a=3.4445, b=-4.7750, c=2.0315):
    """Approximates the orthogonal factor `U V^T` of `x` with quintic Newton-Schulz steps.

    Args:
        x: a matrix (or a batch of matrices in the last two axes).
        steps: number of iterations.
        a: first coefficient of the quintic.
        b: second coefficient.
        c: third coefficient.

    Returns:
        An array of the shape of `x` whose singular values are close to 1.

    Raises:
        ValueError: if `x` has fewer than 2 axes.

    Example:
        >>> y = newton_schulz_orthogonalize(jnp.array([[3.0, 0.0], [0.0, 0.5]]), steps=5)
        >>> [round(float(s), 1) for s in jnp.linalg.svd(y, compute_uv=False)]
        [1.0, 0.7]
    """
    if x.ndim < 2:
        raise ValueError(
            "Muon: Newton-Schulz needs a matrix. Expected at least 2 axes. Received: "
            f"shape={tuple(x.shape)}. Route 1-D weights to the AdamW update."
        )
    tall = x.shape[-2] > x.shape[-1]
    if tall:
        x = _swap_last_axes(x)
    x = x / (jnp.linalg.norm(x, axis=(-2, -1), keepdims=True) + 1e-7)
    for _ in range(steps):
        gram = x @ _swap_last_axes(x)
        x = a * x + (b * gram + c * gram @ gram) @ x
    return _swap_last_axes(x) if tall else x


@register_builtin("keras.optimizers")
class Muon(Optimizer):
    """Muon (Jordan et al., 2024) with Keras 3's choices.

    2-D weights take `m = momentum * m + g`, a Nesterov step `g + momentum * m` (or `m`),
    orthogonalized by Newton-Schulz and scaled by `sqrt(max(rows, cols)) * rms_rate`.
    Other weights (not 2-D, embeddings when `exclude_embeddings`, paths matching one of
    `exclude_layers`) take AdamW with `learning_rate * adam_lr_ratio`. Weight decay is
    `weight_decay` for the Muon weights and `adam_weight_decay` for the others.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a function of the step.
        adam_beta_1: First-moment decay of the AdamW update.
        adam_beta_2: Second-moment decay of the AdamW update.
        adam_weight_decay: Weight decay of the AdamW weights.
        epsilon: Small constant of the AdamW update.
        weight_decay: Weight decay of the Muon weights.
        exclude_layers: Regular expressions; weights whose path matches one use AdamW.
        exclude_embeddings: Whether weights with "embedding" in their path use AdamW.
        muon_a: First Newton-Schulz coefficient.
        muon_b: Second Newton-Schulz coefficient.
        muon_c: Third Newton-Schulz coefficient.
        adam_lr_ratio: Learning-rate multiplier of the AdamW weights.
        momentum: Momentum of the Muon update.
        ns_steps: Number of Newton-Schulz iterations.
        nesterov: Whether to use the Nesterov step.
        rms_rate: Scale of the Muon update (`None`: no scaling).
        **kwargs: The other common arguments of `Optimizer` (`clipnorm`, `use_ema`, ...).

    Example:
        >>> tx = Muon(learning_rate=0.1).transform
        >>> params = {"0/dense/kernel": jnp.eye(2), "1/dense/bias": jnp.zeros(2)}
        >>> updates, _ = tx.update(params, tx.init(params), params)
        >>> updates["0/dense/kernel"].shape, updates["1/dense/bias"].shape
        ((2, 2), (2,))
    """

    def __init__(self, learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999,
                 adam_weight_decay=0.004, epsilon=1e-7, weight_decay=0.004,
                 exclude_layers=None, exclude_embeddings=True, muon_a=3.4445, muon_b=-4.7750,
                 muon_c=2.0315, adam_lr_ratio=1, momentum=0.95, ns_steps=5, nesterov=True,
                 rms_rate=0.2, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, **kwargs)
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.adam_weight_decay = adam_weight_decay
        self.epsilon = epsilon
        self.exclude_layers = exclude_layers or []
        self.exclude_embeddings = exclude_embeddings
        self.muon_a, self.muon_b, self.muon_c = muon_a, muon_b, muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.rms_rate = rms_rate

    def _uses_adamw(self, path: str, shape) -> bool:
        if len(shape) != 2:
            return True
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(keyword, path) for keyword in self.exclude_layers)

    def _settings(self) -> dict:
        # the per-weight decay (two rates) is applied in the rule, with the same result
        return {**super()._settings(), "weight_decay": None}

    def _muon_step(self, g, lr, m):
        m = m + g + m * (self.momentum - 1)
        direction = g + self.momentum * m if self.nesterov else m
        update = lr * newton_schulz_orthogonalize(direction, self.ns_steps, self.muon_a,
                                                  self.muon_b, self.muon_c)
        if self.rms_rate is not None:
            update = update * jnp.sqrt(float(max(update.shape[0], update.shape[1])))
            update = update * self.rms_rate
        return -update, m

    def _adamw_step(self, g, lr, t, m, v):
        lr = lr * self.adam_lr_ratio
        alpha = lr * jnp.sqrt(1 - self.adam_beta_2 ** t) / (1 - self.adam_beta_1 ** t)
        m = m + (g - m) * (1 - self.adam_beta_1)
        v = v + (jnp.square(g) - v) * (1 - self.adam_beta_2)
        return -(m * alpha) / (jnp.sqrt(v) + self.epsilon), m, v

    def _rule(self) -> UpdateRule:
        decay_pattern = self._exclude_pattern

        def kinds(params):
            leaves = jax.tree.leaves(params)
            return [self._uses_adamw(path, p.shape)
                    for path, p in zip(param_paths(params), leaves)]

        def init(params):
            leaves, treedef = jax.tree.flatten(params)
            momentums = [slot_init.zeros_like(p) for p in leaves]
            velocities = [slot_init.zeros_like(p) if adamw
                          else slot_init.zeros((), p.dtype, like=p)
                          for p, adamw in zip(leaves, kinds(params))]
            return treedef.unflatten(momentums), treedef.unflatten(velocities)

        def update(grads, slots, params, learning_rate, step):
            leaves, treedef = jax.tree.flatten(params)
            grad_leaves = treedef.flatten_up_to(grads)
            momentums, velocities = (treedef.flatten_up_to(s) for s in slots)
            decays = jax.tree.leaves(_weight_decay_mask(params, decay_pattern))
            outs = []
            for p, g, m, v, adamw, use_decay in zip(leaves, grad_leaves, momentums,
                                                    velocities, kinds(params), decays):
                lr = jnp.asarray(learning_rate, p.dtype)
                t = jnp.asarray(step + 1, p.dtype)
                g = g.astype(p.dtype)
                rate = self.adam_weight_decay if adamw else self.weight_decay
                decay = (-p * jnp.asarray(rate, p.dtype) * lr if rate is not None and use_decay
                         else jnp.zeros_like(p))
                if adamw:
                    u, m, v = self._adamw_step(g, lr, t, m, v)
                else:
                    u, m = self._muon_step(g, lr, m)
                outs.append((decay + u, m, v))
            return (treedef.unflatten([o[0] for o in outs]),
                    (treedef.unflatten([o[1] for o in outs]),
                     treedef.unflatten([o[2] for o in outs])))

        return UpdateRule(init, update)

    def get_config(self) -> dict:
        return {**super().get_config(), "adam_beta_1": self.adam_beta_1,
                "adam_beta_2": self.adam_beta_2, "epsilon": self.epsilon,
                "exclude_layers": self.exclude_layers, "muon_a": self.muon_a,
                "muon_b": self.muon_b, "muon_c": self.muon_c,
                "adam_lr_ratio": self.adam_lr_ratio, "momentum": self.momentum,
                "ns_steps": self.ns_steps, "nesterov": self.nesterov,
                "exclude_embeddings": self.exclude_embeddings,
                "adam_weight_decay": self.adam_weight_decay, "rms_rate": self.rms_rate}
