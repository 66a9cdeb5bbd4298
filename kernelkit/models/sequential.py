"""`Sequential`: a linear stack of single-input, single-output layers."""

from __future__ import annotations

import jax.numpy as jnp
from flax import nnx

from kernelkit.errors import WrongTypeError, describe
from kernelkit.layers.flax_module import FlaxModule
from kernelkit.layers.input_layer import InputLayer
from kernelkit.layers.input_spec import first_refusal
from kernelkit.layers.layer import Layer
from kernelkit.layers.symbolic import SymbolicTensor
from kernelkit.models.functional import run_layer
from kernelkit.models.model import Model
from kernelkit.registry import deserialize, register_builtin, serialize

__all__ = ["Sequential"]


class _Built:
    """The symbolic input and each layer's symbolic output, once the input shape is known."""

    def __init__(self, input_tensor, outputs):
        self.input, self.outputs = input_tensor, outputs

    def __deepcopy__(self, memo):
        return self


@register_builtin("keras")
class Sequential(Model):
    """A stack of layers, each feeding the next.

    With an input shape (an `Input` first, or `input_shape=` on the first layer) the model builds
    as layers are added; otherwise it builds on its first call, `fit` or `build(input_shape)`.

    Example:
        >>> import kernelkit as kk
        >>> model = kk.Sequential([kk.Input(shape=(8,)), kk.layers.Dense(4)])
        >>> len(model.weights)
        2
    """

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        Layer.__init__(self, name=name, trainable=trainable, **kwargs)
        self._layers = []
        self._input_layer = None
        self._graph = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._rebuild()

    @property
    def layers(self) -> list:
        return list(self._layers)

    def add(self, layer, rebuild=True) -> None:
        """Adds a layer on top of the stack (an `Input` tensor or `InputLayer` sets the shape)."""
        if isinstance(layer, SymbolicTensor):
            producer = layer._keras_history[0] if layer._keras_history else None
            if not isinstance(producer, InputLayer):
                raise ValueError(
                    f"Sequential '{self.name}': only a tensor made by `Input()` can be added. "
                    f"Received: layer={layer!r}."
                )
            layer = producer
        if isinstance(layer, nnx.Module) and not isinstance(layer, Layer):
            layer = FlaxModule(layer)
        if not isinstance(layer, Layer):
            raise WrongTypeError(
                f"Sequential '{self.name}': add() expects a layer instance. Expected a "
                "kernelkit Layer, an Input, or a Flax NNX module. Received: "
                f"layer={describe(layer)} of type {type(layer).__name__}. Pass a layer object "
                "such as layers.Dense(4)."
            )
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._layers:
                raise ValueError(
                    f"Sequential '{self.name}': an InputLayer can only be the first layer. "
                    f"Received: layer={layer.name!r} after {len(self._layers)} layers."
                )
            self._input_layer = layer
        else:
            if any(existing.name == layer.name for existing in self._layers):
                raise ValueError(
                    f"Sequential '{self.name}': all layers must have unique names; "
                    f"{layer.name!r} is already in the model. Give the layer another name."
                )
            if not self._layers and self._input_layer is None and layer._batch_input_shape:
                self._input_layer = InputLayer(batch_shape=layer._batch_input_shape,
                                               dtype=layer.dtype_policy.compute_dtype)
            self._layers.append(layer)
        if rebuild:
            try:
                self._rebuild()
            except Exception:
                if self._layers and self._layers[-1] is layer:
                    self._layers.pop()
                    self._rebuild()
                raise

    def pop(self, rebuild=True):
        """Removes and returns the last layer."""
        if not self._layers:
            raise TypeError(f"Sequential '{self.name}': there are no layers to pop.")
        layer = self._layers.pop()
        if rebuild:
            self._rebuild()
        return layer

    def _rebuild(self) -> None:
        self.built, self._graph = False, None
        if getattr(self, "_trainer", None) is not None:
            self._trainer.clear_functions()  # compiled for the old stack of layers
        if self._input_layer is not None and self._layers:
            self.build(self._input_layer.batch_shape)

    def build(self, input_shape=None) -> None:
        """Builds every layer for `input_shape` (e.g. `(None, 500)`)."""
        if input_shape is None:
            if self._input_layer is None:
                raise ValueError(
                    f"Sequential '{self.name}': build() needs an input shape such as "
                    "(None, 500) because the model has no Input. Received: input_shape=None."
                )
            input_shape = self._input_layer.batch_shape
        input_shape = tuple(input_shape)
        if self._input_layer is None:
            self._input_layer = InputLayer(batch_shape=(None, *input_shape[1:]))
        x = self._input_layer._output
        first = x
        outputs = []
        for layer in self._layers:
            x = layer(x)
            if not isinstance(x, SymbolicTensor):
                raise ValueError(
                    f"Sequential '{self.name}': layer '{layer.name}' returns several output "
                    "tensors, which Sequential does not allow (each layer must have one input "
                    "and one output). Use the functional API instead."
                )
            outputs.append(x)
        self._graph = _Built(first, outputs)
        self.built = True
        self._build_shapes = tuple(first.shape)

    def _build_on_call(self, inputs) -> None:
        Layer._build_on_call(self, inputs)

    def call(self, inputs, training=None, mask=None):
        x = self._cast_to_input_dtype(inputs)
        for layer in self._layers:
            x, mask = run_layer(layer, (x,), {}, [mask] if mask is not None else [])
        return x

    _replayable_call = call  # model(x) may replay it from the cached forward

    def compute_mask(self, inputs, mask=None):
        return None

    def _explain_input_error(self, error: ValueError, inputs) -> ValueError:
        inner = first_refusal(self._layers[:1], inputs)
        if inner is None:
            return error
        return ValueError(f"{error} Its first layer cannot take these inputs: {inner}")

    def _cast_to_input_dtype(self, inputs):
        """Data enters in the `Input`'s dtype, as in Keras (one-hot `bool` or `uint8` arrays
        become floats); integers stay integers for an integer `Input`."""
        spec = None if self._input_layer is None else self._input_layer._output
        if spec is None or not hasattr(inputs, "dtype") or inputs.dtype == spec.dtype:
            return inputs
        if getattr(self._layers[0], "runs_on_host", False):
            return inputs  # strings or their host layer's output: that layer checks its input
        if jnp.issubdtype(inputs.dtype, jnp.integer) and jnp.issubdtype(spec.dtype, jnp.integer):
            return inputs
        return jnp.asarray(inputs).astype(spec.dtype)

    # ---- graph properties ---------------------------------------------------------------------

    @property
    def input(self):
        return None if self._graph is None else self._graph.input

    @property
    def output(self):
        return None if self._graph is None else self._graph.outputs[-1]

    @property
    def inputs(self):
        return None if self._graph is None else [self._graph.input]

    @property
    def outputs(self):
        return None if self._graph is None else [self._graph.outputs[-1]]

    @property
    def input_spec(self):
        from kernelkit.layers.input_spec import InputSpec

        if self._graph is None or getattr(self._layers[0], "runs_on_host", False):
            return None  # a host layer first checks (and replaces) the raw input itself
        return InputSpec(shape=(None, *self._graph.input.shape[1:]))

    @input_spec.setter
    def input_spec(self, value):
        pass  # derived from the input layer

    def layer_output_shape(self, index: int):
        """The output shape of the `index`-th layer once the model is built."""
        return None if self._graph is None else self._graph.outputs[index].shape

    # ---- config -------------------------------------------------------------------------------

    def get_config(self) -> dict:
        layers = ([serialize(self._input_layer)] if self._input_layer is not None else []) + [
            serialize(layer) for layer in self._layers]
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": serialize(self.dtype_policy), "layers": layers}
        if self._input_layer is not None:
            config["build_input_shape"] = list(self._input_layer.batch_shape)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        if not isinstance(config, dict) or "layers" not in config:
            raise ValueError(
                "Sequential.from_config: improperly formatted config. Expected a dict with "
                "'name' and 'layers'. Received: "
                f"{sorted(config) if isinstance(config, dict) else type(config).__name__}."
            )
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for i, entry in enumerate(config["layers"]):
            layer = deserialize(entry, module="keras.layers", custom_objects=custom_objects,
                                where=f"config['layers'][{i}]")
            model.add(layer, rebuild=False)
        if config.get("build_input_shape") is not None and model._input_layer is None:
            model._input_layer = InputLayer(batch_shape=tuple(config["build_input_shape"]))
        model._rebuild()
        return model
