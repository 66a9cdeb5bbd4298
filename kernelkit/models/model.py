"""`Model`: a `Layer` with the Keras model API; subclass it or build it functionally."""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp

from kernelkit.layers import tracking
from kernelkit.layers.layer import Layer
from kernelkit.layers.symbolic import is_symbolic
from kernelkit.models.functional_config import functional_from_config
from kernelkit.registry import register_builtin
from kernelkit.shapes import is_shape
from kernelkit.training.trainer import Trainer

__all__ = ["Model", "register_graph_model"]

# `Model(inputs, outputs)` becomes a graph model (`Functional`), which is a Model: this module
# cannot import it, so kernelkit.models.functional registers it when imported.
_graph_class_for: Callable[[type], type] | None = None


def register_graph_model(class_for: Callable[[type], type]) -> Callable[[type], type]:
    """Sets what `Model(inputs, outputs)` and a graph config become.

    Args:
        class_for: Gives the graph-model class for a Model class (`Functional` for `Model`,
            a user's subclass with `Functional` mixed in).

    Returns:
        `class_for`, so the call can decorate it.

    Example:
        >>> from kernelkit.models.functional import functional_class_for
        >>> register_graph_model(functional_class_for) is functional_class_for
        True
    """
    global _graph_class_for
    _graph_class_for = class_for
    return class_for


def _graph_class(cls: type) -> type:
    if _graph_class_for is None:  # only if kernelkit.models.functional was never imported
        raise RuntimeError(
            f"{cls.__name__}: no graph model is registered for Model(inputs, outputs). Expected "
            "kernelkit.models.functional to be imported. Received: Model(inputs, outputs) "
            "before it. Import kernelkit (or kernelkit.models)."
        )
    return _graph_class_for(cls)


def is_functional_call(args, kwargs) -> bool:
    """True when `Model(...)` was given inputs and outputs (the functional form)."""
    return (len(args) == 2 or (len(args) == 1 and "outputs" in kwargs)
            or ("inputs" in kwargs and "outputs" in kwargs))


@register_builtin("keras")
class Model(Trainer, Layer):
    """A model: subclass it (`__init__` + `call`) or call `Model(inputs, outputs)`.

    Example:
        >>> import kernelkit as kk
        >>> x = kk.Input(shape=(3,))
        >>> model = kk.Model(x, kk.layers.Dense(2)(x))
        >>> model.output_shape
        (None, 2)
    """

    def __init__(self, *args, **kwargs):
        if is_functional_call(args, kwargs):
            graph_init = _graph_class(Model).__init__  # Functional's, not a user subclass's
            self.__class__ = _graph_class(type(self))
            graph_init(self, *args, **kwargs)
            return
        if args:
            raise TypeError(
                f"{type(self).__name__}: unexpected positional arguments. Expected "
                "Model(inputs, outputs) for a functional model, or keyword arguments "
                f"(name=..., trainable=...) for a subclass. Received {len(args)} positional."
            )
        Layer.__init__(self, **kwargs)

    def _cached_forward(self, x):
        """`model(x, training=False)` from the cached compiled forward, or `None` when the
        model is not eligible (see `kernelkit.models.forward_cache`)."""
        from kernelkit.layers.structured.host_stage import host_stage_done, host_stage_of
        from kernelkit.models.forward_cache import cached_forward

        stage = host_stage_of(self) if self.built else None
        if stage is None:
            return cached_forward(self, (x,), {"training": False}) if self.built else None
        x = stage.apply(x)  # leading string layers run on the host, before the program
        with host_stage_done():
            return cached_forward(self, (x,), {"training": False})

    def __call__(self, *args, **kwargs):
        """Calls the model; a built graph model in inference mode runs one cached program."""
        from kernelkit.layers.structured.host_stage import host_stage_done, host_stage_of

        stage = host_stage_of(self) if self.built and args else None
        if stage is not None and not any(map(is_symbolic, jax.tree_util.tree_leaves(args[0]))):
            args = (stage.apply(args[0]), *args[1:])  # leading string layers run on the host
            with host_stage_done():
                return self._device_call(*args, **kwargs)
        return self._device_call(*args, **kwargs)

    def _device_call(self, *args, **kwargs):
        if self.built:
            from kernelkit.models.forward_cache import cached_forward

            outputs = cached_forward(self, args, kwargs)
            if outputs is not None:
                return outputs
        return super().__call__(*args, **kwargs)

    # ---- structure ----------------------------------------------------------------------------

    @property
    def layers(self) -> list:
        """The model's layers: graph order (functional), insertion order (Sequential)."""
        return tracking.sublayers(self)

    def get_layer(self, name=None, index=None):
        """Returns a layer by name or by index; the index wins when both are given."""
        layers = self.layers
        if index is not None:
            if not isinstance(index, int) or not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"Model '{self.name}': was asked for the layer at index {index}, but the "
                    f"model has only {len(layers)} layers. Expected an index from 0 to "
                    f"{len(layers) - 1}. Received: index={index!r}."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"Model '{self.name}': no layer named {name!r}. Existing layers are: "
                f"{[layer.name for layer in layers]}. Received: name={name!r}."
            )
        raise ValueError(
            f"Model '{self.name}': get_layer needs a layer name or index. "
            "Received: name=None, index=None."
        )

    def build(self, input_shape=None) -> None:
        """Builds a subclassed model by calling it once on zeros of `input_shape`."""
        if self.built:
            return
        if input_shape is None:
            raise ValueError(
                f"Model '{self.name}': build() needs an input shape such as (None, 32). "
                "Received: input_shape=None."
            )
        shapes = _shape_tree(input_shape)
        zeros = jax.tree_util.tree_map(
            lambda s: jnp.zeros(tuple(1 if d is None else d for d in s)), shapes,
            is_leaf=is_shape)
        self.built = True  # the call below must not build again
        try:
            self(zeros, training=False)
        except Exception:
            self.built = False
            raise
        self._build_shapes = shapes

    def _build_on_call(self, inputs) -> None:
        traced = any(isinstance(x, jax.core.Tracer) for x in jax.tree_util.tree_leaves(inputs))
        if type(self).build is not Model.build or traced:
            Layer._build_on_call(self, inputs)  # raises a clear error when traced
            return
        # A subclassed model's sublayers build themselves during this first eager call.
        self.built = True
        self._build_shapes = jax.tree_util.tree_map(lambda x: tuple(x.shape), inputs)

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None, show_bytes=False, show_dtype=False):
        """Shows the layer table: name (type), output shape, parameter count, totals.

        In a notebook it displays an HTML table (nested models in `<details>`); otherwise it
        prints the Keras text table, or calls `print_fn` once per line when given.
        `show_bytes` and `show_dtype` (kernelkit additions) add those columns.

        Args:
            line_length: Total width of the text table in characters (default 88, or 108
                for functional models).
            positions: Column boundaries, as fractions of `line_length` or absolute widths.
            print_fn: Called with each line of the text table instead of `print`.
            expand_nested: Also list the layers inside nested models.
            show_trainable: Add a column saying whether each layer is trainable.
            layer_range: `[first, last]` layer names (patterns) limiting the rows shown.
            show_bytes: Add a column with the bytes of each layer's weights.
            show_dtype: Add a column with each layer's dtype policy.

        Raises:
            ValueError: if the model is not built, or `layer_range` matches no layers.
        """
        from kernelkit.display.summary_view import show_summary

        show_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                     expand_nested=expand_nested, show_trainable=show_trainable,
                     layer_range=layer_range, show_bytes=show_bytes, show_dtype=show_dtype)

    def inspect_weights(self, histograms=False, backend="html"):
        """`kernelkit.display.weights_view(self, ...)`: a table of the variables and their stats."""
        from kernelkit.display.weights_view import weights_view

        return weights_view(self, histograms=histograms, backend=backend)

    def _repr_html_(self) -> str:
        from kernelkit.display.summary_view import model_repr_html

        return model_repr_html(self)

    def _repr_pretty_(self, printer, cycle) -> None:
        from kernelkit.display.summary_view import model_repr_text

        printer.text(repr(self) if cycle else model_repr_text(self))

    # ---- graph properties (functional models override) ---------------------------------------

    @property
    def inputs(self):
        return None

    @property
    def outputs(self):
        return None

    @property
    def input_shape(self):
        return _shape_of(self.input, self, "input")

    @property
    def output_shape(self):
        return _shape_of(self.output, self, "output")

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates a model from `get_config()`'s output (functional graphs included)."""
        if isinstance(config, dict) and "layers" in config:
            return functional_from_config(_graph_class(cls), config, custom_objects)
        return super().from_config(config)

    def to_json(self, **kwargs) -> str:
        """The model config as JSON; `kwargs` go to `json.dumps`."""
        import json

        from kernelkit.registry import serialize

        return json.dumps(serialize(self), **kwargs)

    def to_yaml(self, **kwargs) -> str:
        """The model config as YAML (safe YAML only); `kwargs` go to `yaml.safe_dump`."""
        from kernelkit.saving.json_yaml import model_to_yaml

        return model_to_yaml(self, **kwargs)

    # ---- saving -------------------------------------------------------------------------------

    def save(self, filepath, overwrite=True, include_optimizer=True, save_format=None):
        """Saves the model (config, weights, optimizer state) to a `.keras` or legacy `.h5`.

        An alias of `kernelkit.saving.save_model`; the save is atomic.

        Args:
            filepath: Path ending in `.keras` (or `.h5` for the legacy format).
            overwrite: Replace an existing file (otherwise `FileExistsError`).
            include_optimizer: Also save the optimizer's variables.
            save_format: Legacy argument: `"keras"` or `"h5"`; inferred from the suffix.
        """
        from kernelkit.saving import save_model

        save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer,
                   save_format=save_format)

    def save_weights(self, filepath, overwrite=True):
        """Saves the weights to a `.weights.h5` file (or a legacy Keras 2 `.h5` file)."""
        from kernelkit.saving import save_weights

        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False, by_name=False):
        """Loads weights saved by `save_weights` / `save` (or by Keras); returns None.

        Args:
            filepath: A `.weights.h5`, `.keras` or legacy `.h5` file.
            skip_mismatch: Skip layers whose weights differ in number or shape instead
                of raising.
            by_name: Legacy `.h5` files only: match layers by name instead of by order.
        """
        from kernelkit.saving import load_weights

        load_weights(self, filepath, skip_mismatch=skip_mismatch, by_name=by_name)
        self._trainer.clear_functions()

    def export(self, filepath, format="jax", input_signature=None):
        """Writes the inference forward pass as a `jax.export` artifact.

        Reload it with `kernelkit.export.load(filepath)` and call `.serve(x)`.

        Args:
            filepath: Where to write the artifact.
            format: `"jax"` (`"tf_saved_model"` needs TensorFlow and jax2tf).
            input_signature: A `jax.ShapeDtypeStruct` (or a tree of them); by default the
                model's input shapes with a symbolic batch dimension.
        """
        from kernelkit.saving.export import export_model

        export_model(self, filepath, format=format, input_signature=input_signature)

    def _saved_optimizer_variables(self):
        from kernelkit.training.optimizer_variables import optimizer_variables

        return optimizer_variables(self)

    def _restore_optimizer_variables(self, arrays, filepath="file") -> bool:
        from kernelkit.training.optimizer_variables import restore_optimizer_variables

        return restore_optimizer_variables(self, arrays, filepath)


def _shape_tree(shape):
    if is_shape(shape):
        return tuple(shape)
    if isinstance(shape, dict):
        return {k: _shape_tree(v) for k, v in shape.items()}
    return [_shape_tree(s) for s in shape]


def _shape_of(tensors, model, what):
    if tensors is None:
        raise AttributeError(
            f"Model '{model.name}' has no defined {what} shape: it is a subclassed model or has "
            "not been built from an `Input`."
        )
    return jax.tree_util.tree_map(lambda t: t.shape, tensors, is_leaf=is_symbolic)
