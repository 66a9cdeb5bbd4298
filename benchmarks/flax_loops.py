"""Hand-written Flax NNX + optax training loops: one jitted step per batch, and epoch-in-a-scan.

These are the baselines kernelkit is measured against: what a JAX engineer writes by hand.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import optax
from flax import nnx


def _loss_and_accuracy(graphdef, params, rest, x, y):
    logits = nnx.merge(graphdef, params, rest)(x)
    loss = optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()
    return loss, jnp.mean(jnp.argmax(logits, -1) == y)


def make_state(model, learning_rate=1e-3):
    graphdef, params, rest = nnx.split(model, nnx.Param, ...)
    tx = optax.adam(learning_rate, eps=1e-7)
    return graphdef, tx, (params, rest, tx.init(params), jnp.zeros(()), jnp.zeros(()))


def make_step(graphdef, tx):
    """`step(state, x, y) -> state`, jitted with donation; state carries loss/acc sums."""

    def step(state, x, y):
        params, rest, opt_state, loss_sum, acc_sum = state
        grad_fn = jax.value_and_grad(_loss_and_accuracy, argnums=1, has_aux=True)
        (loss, acc), grads = grad_fn(graphdef, params, rest, x, y)
        updates, opt_state = tx.update(grads, opt_state, params)
        params = optax.apply_updates(params, updates)
        return params, rest, opt_state, loss_sum + loss, acc_sum + acc

    return jax.jit(step, donate_argnums=0)


def make_scanned_epoch(graphdef, tx, batch_size):
    """`epoch(state, x, y, perm) -> state`: the whole epoch in one `lax.scan`."""
    inner = make_step(graphdef, tx).__wrapped__

    def epoch(state, x, y, perm):
        steps = perm.shape[0] // batch_size
        idx = perm[: steps * batch_size].reshape(steps, batch_size)

        def body(state, i):
            return inner(state, x[i], y[i]), None

        state, _ = jax.lax.scan(body, state, idx)
        return state

    return jax.jit(epoch, donate_argnums=0)
