"""`Functional`: a model defined by a graph of layers from `Input` tensors to outputs."""

from __future__ import annotations

import inspect

import jax
import jax.numpy as jnp

from kernelkit.errors import describe
from kernelkit.layers.input_spec import first_refusal
from kernelkit.layers.layer import Layer
from kernelkit.layers.symbolic import is_symbolic
from kernelkit.models.functional_config import functional_config, functional_from_config
from kernelkit.models.graph import build_plan
from kernelkit.models.model import Model, register_graph_model
from kernelkit.registry import register_builtin

__all__ = ["Functional", "functional_class_for", "run_layer"]

_SUBCLASSES: dict[type, type] = {}


@register_graph_model
def functional_class_for(cls: type) -> type:
    """`Functional` for `Model`; for a user subclass, that subclass with `Functional` mixed in."""
    if cls is Model or issubclass(cls, Functional):
        return Functional if cls is Model else cls
    if cls not in _SUBCLASSES:
        _SUBCLASSES[cls] = type(cls.__name__, (cls, Functional),
                                {"__module__": cls.__module__, "__qualname__": cls.__qualname__})
    return _SUBCLASSES[cls]


def _accepts(layer, arg: str) -> bool:
    try:
        params = inspect.signature(layer.call).parameters
    except (TypeError, ValueError):
        return False
    return arg in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def _adjust_rank(arr, shape: tuple):
    """Keras's input rank adjustment: data one axis short of an `Input` whose last axis is 1
    gains that axis ((N, 28, 28) for (None, 28, 28, 1)); data with one extra trailing axis of
    size 1 loses it. Any other rank mismatch is left for the shape check to refuse."""
    if arr.ndim == len(shape) - 1 and shape[-1] == 1:
        return jnp.expand_dims(arr, -1)
    if arr.ndim == len(shape) + 1 and arr.shape[-1] == 1:
        return jnp.squeeze(arr, -1)
    return arr


def run_layer(layer, args, kwargs, masks_in):
    """Calls `layer` on concrete values, threading Keras masks; returns `(outputs, mask)`."""
    mask = masks_in[0] if len(masks_in) == 1 else (masks_in or None)
    if mask is not None and all(m is None for m in jax.tree_util.tree_leaves(
            mask, is_leaf=lambda m: m is None)):
        mask = None
    if mask is not None and "mask" not in kwargs and _accepts(layer, "mask"):
        kwargs = {**kwargs, "mask": mask}
    outputs = layer(*args, **kwargs)
    out_mask = None
    if isinstance(layer, Layer):
        out_mask = layer.compute_mask(args[0] if args else None, mask)
    return outputs, out_mask


@register_builtin("keras.src.models.functional", "Functional")  # where Keras 3 writes it
class Functional(Model):
    """A model built as `Model(inputs, outputs)`; nested structures of tensors are allowed.

    Example:
        >>> import kernelkit as kk
        >>> x = kk.Input(shape=(3,))
        >>> m = kk.Model(x, kk.layers.Dense(2)(x))
        >>> type(m).__name__, m.count_params()
        ('Functional', 8)
    """

    _validates_own_inputs = True
    _is_graph_network = True  # a nested graph model, for configs (a Model is not)
    _loss_plan = None  # a LossPlan once add_loss() got a symbolic tensor

    def __init__(self, inputs, outputs=None, name=None, trainable=True, **kwargs):
        if outputs is None and "outputs" in kwargs:
            outputs = kwargs.pop("outputs")
        dtype = kwargs.pop("dtype", None)
        if kwargs:
            raise TypeError(
                f"Model: unexpected keyword argument(s) {sorted(kwargs)}. Expected inputs, "
                "outputs, name, trainable."
            )
        Layer.__init__(self, name=name, trainable=trainable, dtype=dtype)
        if isinstance(inputs, tuple):
            inputs = list(inputs)
        if isinstance(outputs, tuple):
            outputs = list(outputs)
        layers, plan = build_plan(inputs, outputs, self.name)
        self._layers = layers
        self._plan = plan
        self.built = True
        self._build_shapes = jax.tree_util.tree_map(lambda t: t.shape, inputs,
                                                    is_leaf=is_symbolic)

    # ---- graph properties ---------------------------------------------------------------------

    @property
    def layers(self) -> list:
        return list(self._layers)

    @property
    def input(self):
        return self._plan.inputs

    @property
    def output(self):
        return self._plan.outputs

    @property
    def inputs(self) -> list:
        return jax.tree_util.tree_leaves(self._plan.inputs, is_leaf=is_symbolic)

    @property
    def outputs(self) -> list:
        return jax.tree_util.tree_leaves(self._plan.outputs, is_leaf=is_symbolic)

    @property
    def input_names(self) -> list[str]:
        return [layer.name for layer in self._input_layers]

    @property
    def output_names(self) -> list[str]:
        return [t._keras_history[0].name for t in self.outputs]

    @property
    def _input_layers(self) -> list:
        return self._layers[: len(self._plan.input_keys)]

    def get_input_at(self, node_index):
        return self.input if node_index == 0 else super().get_input_at(node_index - 1)

    def get_output_at(self, node_index):
        return self.output if node_index == 0 else super().get_output_at(node_index - 1)

    def get_input_shape_at(self, node_index):
        return self.input_shape if node_index == 0 else super().get_input_shape_at(node_index - 1)

    def get_output_shape_at(self, node_index):
        if node_index == 0:
            return self.output_shape
        return super().get_output_shape_at(node_index - 1)

    @property
    def input_spec(self):
        from kernelkit.layers.input_spec import InputSpec

        specs = [InputSpec(shape=(None, *t.shape[1:]), dtype=t.dtype.name) for t in self.inputs]
        return specs[0] if len(specs) == 1 else specs

    @input_spec.setter
    def input_spec(self, value):
        pass  # derived from the graph's inputs

    def add_loss(self, loss) -> None:
        """Adds a loss term; a symbolic tensor (e.g. `ops.sum(outputs)`) is a graph loss.

        A loss built from the model's symbolic tensors is recomputed from the activations of
        every call and added to the training loss. Any other value is added for the current
        call only, as on any layer.

        Example:
            >>> import kernelkit as kk
            >>> x = kk.Input(shape=(2,))
            >>> y = kk.layers.Dense(1)(x)
            >>> model = kk.Model(x, y)
            >>> model.add_loss(kk.ops.sum(y))
            >>> import numpy as np
            >>> _ = model(np.ones((3, 2), "float32"))
            >>> len(model.losses)
            1
        """
        flat = jax.tree_util.tree_leaves(loss, is_leaf=is_symbolic)
        symbolic = [t for t in flat if is_symbolic(t)]
        if not symbolic:
            Layer.add_loss(self, loss)
            return
        from kernelkit.models.graph_losses import build_loss_plan

        for t in symbolic:
            if t.shape not in ((), (1,)):
                raise ValueError(
                    f"Model '{self.name}': add_loss() expects a scalar loss. Received: "
                    f"loss={describe(t)}. Reduce it first, e.g. with kernelkit.ops.sum(...)."
                )
        self._loss_plan = build_loss_plan(self, symbolic)

    # ---- calling ------------------------------------------------------------------------------

    def call(self, inputs, training=None, mask=None):
        flat = self._flatten_inputs(inputs)
        values = dict(zip(self._plan.input_keys, flat))
        masks = {}
        if mask is not None:
            masks = dict(zip(self._plan.input_keys, jax.tree_util.tree_leaves(
                mask, is_leaf=lambda m: m is None)))
        for step in self._plan.steps:
            leaves = [values[ref] if kind == "t" else ref for kind, ref in step.sources]
            args, kwargs = jax.tree_util.tree_unflatten(step.treedef, leaves)
            in_masks = [masks.get(ref) for kind, ref in step.sources if kind == "t"]
            outputs, out_mask = run_layer(self._layers[step.layer_index], args, kwargs,
                                          in_masks if any(m is not None for m in in_masks)
                                          else [])
            out_flat = jax.tree_util.tree_leaves(outputs)
            for key, value in zip(step.output_keys, out_flat):
                values[key] = value
            if out_mask is not None:
                out_masks = out_mask if isinstance(out_mask, list | tuple) else [out_mask]
                for key, m in zip(step.output_keys, out_masks):
                    masks[key] = m
        if self._loss_plan is not None:
            from kernelkit.models.graph_losses import run_loss_plan

            for value in run_loss_plan(self, values):
                Layer.add_loss(self, value)
        outputs = [values[k] for k in self._plan.output_keys]
        treedef = jax.tree_util.tree_structure(self._plan.outputs, is_leaf=is_symbolic)
        return jax.tree_util.tree_unflatten(treedef, outputs)

    _replayable_call = call  # model(x) may replay it from the cached forward

    def _flatten_inputs(self, inputs) -> list:
        struct = self._plan.inputs
        n = len(self._plan.input_keys)
        if isinstance(struct, dict):
            if not isinstance(inputs, dict):
                raise ValueError(
                    f"Model '{self.name}' expects a dict of inputs with keys "
                    f"{sorted(struct)}. Received: inputs={describe(inputs)}."
                )
            self._check_names(inputs, sorted(struct))
            flat = jax.tree_util.tree_leaves({k: inputs[k] for k in struct},
                                             is_leaf=lambda x: x is None)
        else:
            if isinstance(inputs, dict):
                self._check_names(inputs, self.input_names)
                inputs = [inputs[name] for name in self.input_names]
            if n == 1:
                single = isinstance(inputs, list | tuple) and len(inputs) == 1
                flat = [inputs[0] if single else inputs]
            else:
                flat = jax.tree_util.tree_leaves(list(inputs) if isinstance(
                    inputs, list | tuple) else inputs, is_leaf=lambda x: x is None)
        if len(flat) != n:
            raise ValueError(
                f"Model '{self.name}' expects {n} input(s) {self.input_names}, but received "
                f"inputs={describe(inputs)}. Pass a list of {n} arrays or a dict keyed by "
                "input name."
            )
        return [self._check_input(x, t) for x, t in zip(flat, self.inputs)]

    def _check_names(self, inputs: dict, names: list[str]) -> None:
        missing = [n for n in names if n not in inputs]
        unknown = sorted(set(inputs) - set(names))
        if missing or unknown:
            raise ValueError(
                f"Model '{self.name}': the input dict does not match the model's inputs. "
                f"Expected keys {names}. Missing: {missing}; unknown: {unknown}. "
                f"Received: inputs={describe(inputs)}."
            )

    def _consumers_of(self, tensor) -> list:
        """The model's layers called directly on `tensor`, in graph order."""
        return [layer for layer in self._layers
                if any(any(t is tensor for t in node.input_tensors)
                       for node in layer._history.nodes)]

    def _check_input(self, x, spec):
        if getattr(spec, "_feeds_host_layer", False):
            return x  # strings, or their host layer's output: that layer checks its input
        arr = x if isinstance(x, jax.Array | jax.core.Tracer) else jnp.asarray(x)
        arr = _adjust_rank(arr, spec.shape)
        if arr.ndim != len(spec.shape) or any(
                e is not None and a != e for a, e in zip(arr.shape[1:], spec.shape[1:])):
            layer = spec._keras_history[0] if spec._keras_history else None
            label = f"input '{layer.name}'" if layer is not None else "input"
            inner = first_refusal(self._consumers_of(spec), arr)
            inner = f" The first layer that cannot take it: {inner}" if inner else ""
            raise ValueError(
                f"Model '{self.name}': {label} expected shape {spec.shape}, but received "
                f"{describe(arr)}. Pass data whose feature dimensions match the Input.{inner}"
            )
        if arr.dtype != spec.dtype and not (
                jnp.issubdtype(arr.dtype, jnp.integer) and jnp.issubdtype(spec.dtype, jnp.integer)):
            arr = arr.astype(spec.dtype)
        return arr

    # ---- config -------------------------------------------------------------------------------

    def get_config(self) -> dict:
        return functional_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return functional_from_config(cls, config, custom_objects)
