"""The compiled step functions: pure `(carry, batch) -> (carry, logs)` under `jax.jit`.

One `StepFunctions` object exists per model structure (made by `make_train_function` and
friends). It holds three jitted entry points for training and two each for evaluation and
prediction: a batch handed in from the host, and `steps` batches gathered on the device from
arrays that stay there for the whole `fit()` (by a permutation and a start offset, so shuffling
costs no transfer). Several steps per dispatch run as a `lax.scan` or an unrolled loop.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import lax
from jax.extend.core import jaxpr_as_fun

from kernelkit.data.unpack import pack_x_y_sample_weight
from kernelkit.distribution.host_data import StackedBatches
from kernelkit.distribution.placement import constrain_carry, constrain_step_state, shard_batch
from kernelkit.layers.structured.host_layer import host_stage_done
from kernelkit.training.carry import Carry, Partition
from kernelkit.training.default_steps import default_train_step
from kernelkit.training.layer_stats import LAYER_STATS_KEY, LayerGroups
from kernelkit.training.overrides import StepOverrides
from kernelkit.training.state_steps import (
    run_predict_step_with_state,
    run_test_step_with_state,
    run_train_step_with_state,
)
from kernelkit.training.step_context import StepContext, user_step_context

__all__ = ["BoundStepFunction", "StepFunctions"]


def _as_arrays(logs):
    if logs is None:
        return {}
    return jax.tree_util.tree_map(jnp.asarray, logs)


def _gather(data, perm, start, batch_size):
    idx = lax.dynamic_slice_in_dim(perm, start, batch_size)
    return pack_x_y_sample_weight(*jax.tree_util.tree_map(
        lambda a: jnp.take(a, idx, axis=0), data))


def _slice(data, start, batch_size):
    return pack_x_y_sample_weight(*jax.tree_util.tree_map(
        lambda a: lax.dynamic_slice_in_dim(a, start, batch_size), data))


def _batch_at(data, perm, start, i, batch_size):
    """Batch `i` of a dispatch: gathered by `perm` (sliced without one) from `start`; for a
    multi-process run's data, the `i`-th of the global batches stacked in `data`."""
    if isinstance(data, StackedBatches):
        return pack_x_y_sample_weight(*data.at(i))
    if perm is None:
        return _slice(data, start + i * batch_size, batch_size)
    return _gather(data, perm, start + i * batch_size, batch_size)


def _repeat(one, carry, steps, unroll):
    """Runs `one(carry, i)` for i < steps; returns the last carry and the last logs.

    `unroll=True` needs a static `steps` (a Python loop inside the trace: the fast way to fuse
    convolutions on XLA:CPU). Otherwise `steps` may be traced: one compiled loop then serves
    every group size of the epoch, the remainder group included, so a fit compiles the
    training step at most twice (full batches, and the last partial batch).

    Under `jax.jit` the step is traced once, to a jaxpr that gives the logs' shapes (the loop
    needs an initial value) and is replayed for every step: tracing the model's Python code
    again per use cost a tenth of a second or more of every first epoch. Run eagerly
    (`run_eagerly=True`), `one` itself runs per step, so prints and breakpoints in it work.
    """
    if not any(isinstance(leaf, jax.core.Tracer) for leaf in jax.tree_util.tree_leaves(carry)):
        logs = None
        for i in range(steps):
            carry, logs = one(carry, i)
        return carry, logs
    step, shapes = jax.make_jaxpr(one, return_shape=True)(carry, 0)
    run_step, out_tree = jaxpr_as_fun(step), jax.tree_util.tree_structure(shapes)

    def replay(c, i):
        return jax.tree_util.tree_unflatten(out_tree, run_step(*jax.tree_util.tree_leaves((c, i))))

    if unroll:
        logs = None
        for i in range(steps):
            carry, logs = replay(carry, i)
        return carry, logs
    logs = jax.tree_util.tree_map(lambda s: jnp.zeros(s.shape, s.dtype), shapes[1])
    return lax.fori_loop(0, steps, lambda i, state: replay(state[0], i), (carry, logs))


class StepFunctions:
    """Jitted train / test / predict steps for one model structure and optimizer."""

    def __init__(self, model, optimizer=None, jit=True, layer_stats=False):
        self.partition = Partition(model)
        self.overrides = StepOverrides.of(model)
        self.optimizer = optimizer
        self.jit = jit
        p, overrides = self.partition, self.overrides
        # per-layer statistics in the train logs: a separate program (`with_layer_stats`)
        self.layer_groups = groups = LayerGroups(p.param_keys) if layer_stats else None
        self._with_stats = None
        custom_train = overrides.train_step

        def train_once(carry: Carry, batch, measure=True):
            model_copy, batch = p.merge(carry), shard_batch(batch)  # split under a distribution
            context = StepContext(p, optimizer, carry.opt_state, training=True,
                                  layer_groups=groups if measure else None)
            with host_stage_done():  # the batch went through the model's host stage
                if overrides.train_step_takes_state:  # Keras 3's train_step(state, data)
                    logs, context.opt_state = run_train_step_with_state(
                        model_copy, optimizer, carry.opt_state, batch)
                elif custom_train:  # the user's train_step reaches the context by Keras's calls
                    with user_step_context(context, model_copy):
                        logs = model_copy.train_step(batch)
                else:
                    logs = default_train_step(model_copy, batch, context)
            logs = _as_arrays(logs)
            if context.layer_stats is not None and isinstance(logs, dict):
                logs = {**logs, LAYER_STATS_KEY: context.layer_stats}
            opt_state = constrain_step_state(model_copy, context.opt_state)  # keep layouts
            return p.carry_of(model_copy, opt_state=opt_state), logs

        def train_arrays(carry, data, perm, start, steps, batch_size, unroll):
            def one(c, i, measure=False):
                return train_once(c, _batch_at(data, perm, start, i, batch_size), measure)

            carry = constrain_carry(carry)
            if groups is None:
                carry, logs = _repeat(one, carry, steps, unroll)
            else:  # statistics of the last step only: the others run the plain step
                carry, _ = _repeat(one, carry, steps - 1, unroll)
                carry, logs = one(carry, steps - 1, True)
            return constrain_carry(carry), logs  # the loop keeps the weights' layouts

        def test_once(params, rest, metrics, batch):
            model_copy, batch = p.merge(Carry(params, rest, metrics, None)), shard_batch(batch)
            with host_stage_done():  # the batch went through the model's host stage
                if overrides.test_step_takes_state:
                    logs = run_test_step_with_state(model_copy, batch)
                else:
                    logs = model_copy.test_step(batch)
            new = p.carry_of(model_copy)
            return new.rest, new.metrics, _as_arrays(logs)

        def test_arrays(params, rest, metrics, data, start, steps, batch_size):
            def one(state, i):
                r, m = state
                r, m, logs = test_once(params, r, m, _batch_at(data, None, start, i, batch_size))
                return (r, m), logs

            # without jit the steps run as a Python loop: test_step runs once per batch
            (rest, metrics), logs = _repeat(one, (rest, metrics), steps, not jit)
            return rest, metrics, logs

        def predict_once(params, rest, batch):
            batch = shard_batch(batch)
            model_copy = p.merge(Carry(params, rest, [jnp.asarray(m) for m in
                                                      p.metric_defaults], None))
            with host_stage_done():  # the batch went through the model's host stage
                if overrides.predict_step_takes_state:
                    return run_predict_step_with_state(model_copy, batch)
                return model_copy.predict_step(batch)

        self._raw = {"train_once": train_once, "train_arrays": train_arrays,
                     "test_once": test_once, "test_arrays": test_arrays,
                     "predict_once": predict_once}
        if jit:
            self.train_once = jax.jit(train_once, donate_argnums=(0,))
            self._train_unrolled = jax.jit(train_arrays, donate_argnums=(0,),
                                           static_argnames=("steps", "batch_size", "unroll"))
            self._train_looped = jax.jit(train_arrays, donate_argnums=(0,),
                                         static_argnames=("batch_size", "unroll"))
            self.train_arrays = self._dispatch_train
            self.test_once = jax.jit(test_once, donate_argnums=(2,))
            self.test_arrays = jax.jit(test_arrays, donate_argnums=(2,),
                                       static_argnames=("batch_size",))
            self.predict_once = jax.jit(predict_once)
        else:
            self.train_once, self.train_arrays = train_once, train_arrays
            self.test_once, self.test_arrays = test_once, test_arrays
            self.predict_once = predict_once

    def _dispatch_train(self, carry, data, perm, start, steps, batch_size, unroll):
        """Unrolled groups are compiled per size; looped ones take the size as data."""
        if unroll:
            return self._train_unrolled(carry, data, perm, start, steps=steps,
                                        batch_size=batch_size, unroll=True)
        return self._train_looped(carry, data, perm, start, steps, batch_size=batch_size,
                                  unroll=False)

    def with_layer_stats(self, model) -> StepFunctions:
        """The variant whose train logs carry per-layer statistics (made once, then cached)."""
        if self.layer_groups is not None:
            return self
        if self._with_stats is None:
            self._with_stats = StepFunctions(model, self.optimizer, self.jit, layer_stats=True)
        return self._with_stats

    def matches(self, model) -> bool:
        """Whether `model` still has the structure these functions were traced for."""
        try:
            return Partition.structure_of(model) == self.partition.structure
        except Exception:
            return False


class BoundStepFunction:
    """What `make_train_function()` (and the test / predict ones) return.

    Calling it with an iterator runs one step on the iterator's next batch against the model's
    own state, as Keras's `train_function(iterator)` does, and returns the logs dict (for
    prediction: the outputs). Metrics accumulate across calls until `reset_metrics()`. The
    compiled pieces of the underlying `StepFunctions` are reachable as attributes.
    """

    def __init__(self, model, fns: StepFunctions, kind: str):
        self.model, self.fns, self.kind = model, fns, kind

    def __getattr__(self, name):
        if name.startswith("__") or name in ("fns", "model", "kind"):
            raise AttributeError(name)
        return getattr(self.fns, name)

    def __call__(self, iterator):
        from kernelkit.data.unpack import unpack_x_y_sample_weight

        x, y, sample_weight = unpack_x_y_sample_weight(next(iter(iterator)))
        if self.kind == "train":
            return self.model.train_on_batch(x, y, sample_weight, reset_metrics=False,
                                             return_dict=True)
        if self.kind == "test":
            return self.model.test_on_batch(x, y, sample_weight, reset_metrics=False,
                                            return_dict=True)
        return self.model.predict_on_batch(x)
