"""The cached jitted forward behind `model(x)` for functional and Sequential models.

Calling a built graph model on concrete arrays in inference mode runs one compiled program
instead of dispatching every operation. The model's state is split once and kept as a flat list
of arrays; it is split again only when some weight was written since (`write_count`), so an
unchanged model pays one integer comparison per call.
"""

from __future__ import annotations

import jax
from flax import nnx

from kernelkit.layers.call_context import collect_losses, current_context
from kernelkit.layers.variables import NonTrainableWeight, Weight, write_count
from kernelkit.metrics.metric import MetricVariable

__all__ = ["ForwardCache", "cached_forward"]

_OWN = (Weight, NonTrainableWeight, MetricVariable, nnx.RngState)


class ForwardCache:
    """A jitted `(state leaves, inputs) -> (outputs, losses)` and the leaves it was made from."""

    def __init__(self, model):
        graphdef, state = nnx.split(model)
        leaves, treedef = jax.tree_util.tree_flatten(state)
        self.version = write_count()
        self.leaves = leaves

        def forward(leaves, inputs):
            copy = nnx.merge(graphdef, jax.tree_util.tree_unflatten(treedef, leaves), copy=True)
            with collect_losses() as losses:
                outputs = copy(inputs, training=False)
            return outputs, list(losses)

        self.forward = jax.jit(forward)
        # every kernelkit layer of the model: their eager losses are cleared per call, as an
        # eager call clears them, without walking the layer tree each time
        self.layers = [node for _, node in nnx.iter_graph(model) if hasattr(node, "_losses")]


def _eligible(model) -> bool:
    """Graph models made only of kernelkit's own layers and Variables.

    A user's layer may have Python side effects in `call` (recording, printing), which run only
    once under `jax.jit`, and a plain NNX Variable's writes are not counted; models holding
    either keep the eager call.
    """
    # Functional and Sequential name the call they own as `_replayable_call` (this module is
    # below them: Model imports it); a subclass that overrides `call` keeps the eager call.
    replayable = getattr(type(model), "_replayable_call", None)
    if replayable is None or type(model).call is not replayable or not model.built:
        return False
    if model.run_eagerly or model.jit_compile is False:
        return False
    for _, node in nnx.iter_graph(model):
        if isinstance(node, nnx.Variable) and not isinstance(node, _OWN):
            return False
        if isinstance(node, nnx.Module) and (
                not type(node).__module__.startswith("kernelkit.") or _runs_user_code(node)):
            return False
    return True


def _runs_user_code(layer) -> bool:
    """Lambda layers run a user's function, which may have side effects; stateful layers
    (`RNN(stateful=True)`) change their state on every call."""
    from kernelkit.layers.core.lambda_layer import Lambda
    from kernelkit.layers.operation import OpLayer

    return isinstance(layer, Lambda | OpLayer) or bool(getattr(layer, "stateful", False))


def cached_forward(model, args, kwargs):
    """The outputs of `model(*args, **kwargs)` from the cache, or `None` to call normally."""
    if len(args) != 1 or set(kwargs) - {"training"} or kwargs.get("training"):
        return None
    if current_context() is not None:
        return None  # called from inside another layer: part of an outer computation
    leaves = jax.tree_util.tree_leaves(args[0])
    if not leaves or not all(isinstance(x, jax.Array) or hasattr(x, "__array__") for x in leaves):
        return None
    if any(isinstance(x, jax.core.Tracer) for x in leaves):
        return None
    trainer = model._trainer
    cache = trainer.forward_cache
    if cache is None or cache.version != write_count():
        if model.training_session is not None or not _eligible(model):
            return None
        cache = trainer.forward_cache = ForwardCache(model)
    outputs, losses = cache.forward(cache.leaves, args[0])
    for layer in cache.layers:
        if layer._losses:
            layer._losses = []
    if losses:
        model._losses = list(losses)
    return outputs
