"""`Layer`: the Keras layer contract on an `nnx.Module` (names, lazy build, weights, losses)."""

from __future__ import annotations

import functools
import inspect
import math

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from kernelkit import regularizers
from kernelkit.errors import describe
from kernelkit.layers import tracking
from kernelkit.layers.call_context import call_scope, current_collector, current_context
from kernelkit.layers.dtype_policy import get_policy
from kernelkit.layers.input_spec import build_shape_mismatch, check_input_spec
from kernelkit.layers.node_history_api import NodeHistoryAPI
from kernelkit.layers.stateless_call import stateless_call
from kernelkit.layers.symbolic import (
    Node,
    NodeHistory,
    SymbolicTensor,
    infer_output_spec,
    is_symbolic,
    make_concrete,
)
from kernelkit.layers.variables import NonTrainableWeight, Weight
from kernelkit.layers.weight_factory import make_weight
from kernelkit.naming import to_snake_case, unique_name
from kernelkit.registry import register_builtin, serialize

__all__ = ["Layer"]

_INPUT_KWARGS = ("input_shape", "input_dim", "batch_input_shape", "batch_size", "input_length")


@register_builtin("keras.layers")
class Layer(nnx.Module, NodeHistoryAPI):
    """Base class of every kernelkit layer and model; an `nnx.Module`.

    Subclasses create weights in `build(input_shape)` with `add_weight` and compute in
    `call(inputs, training=None)`. The first call builds the layer from the input's shape.

    Args:
        activity_regularizer: Optional regularizer applied to the layer's outputs.
        trainable: Whether the layer's weights are updated by training.
        dtype: Dtype policy name (`"float32"`, `"mixed_bfloat16"`, ...) or policy.
        name: Unique name; derived from the class name when omitted.

    Example:
        >>> import jax.numpy as jnp
        >>> class Scale(Layer):
        ...     def build(self, input_shape):
        ...         self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
        ...     def call(self, x):
        ...         return x * self.w[...]
        >>> Scale()(jnp.ones((2, 3))).shape
        (2, 3)
    """

    _validates_own_inputs = False  # functional models check inputs by name in `call`
    # Layers that compute in floats with float weights (Dense, convolutions, RNN cells, ...)
    # cast bool/integer inputs to their compute dtype, so the weights never follow the input's
    # dtype; layers that take ids (Embedding, lookups) or pass values through keep them.
    _casts_non_float_inputs = False

    def __init_subclass__(cls, **kwargs):
        kwargs.setdefault("pytree", False)  # plain lists/dicts of layers and weights are tracked
        super().__init_subclass__(**kwargs)
        if "build" in cls.__dict__:
            cls.build = _marks_built(cls.__dict__["build"])

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None, autocast=True,
                 name=None, **kwargs):
        unknown = set(kwargs) - set(_INPUT_KWARGS) - {"weights"}
        if unknown:
            raise TypeError(
                f"{type(self).__name__}: unexpected keyword argument(s) {sorted(unknown)}. "
                f"Expected the layer's own arguments or one of {list(_INPUT_KWARGS)}."
            )
        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError(
                f"{type(self).__name__}: `name` must be a string without '/'. "
                f"Received: name={name!r}."
            )
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self._trainable = bool(trainable)
        self.built = False
        self.dtype_policy = get_policy(dtype)
        self.autocast = autocast
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.input_spec = None
        self.supports_masking = getattr(self, "supports_masking", False)
        self._own_weights = []
        self._losses = []
        self._history = NodeHistory()
        self._build_shapes = None
        self._initial_weights = kwargs.pop("weights", None)
        self._batch_input_shape = _batch_input_shape(type(self).__name__, kwargs)
        self._call_signature = inspect.signature(self.call)

    def __setattr__(self, name, value):
        # a Variable made directly (`self.v = kernelkit.Variable(...)`) is a weight, as in Keras
        if isinstance(value, Weight | NonTrainableWeight):
            own = self.__dict__.get("_own_weights")
            if own is not None and not any(w is value for w in own):
                own.append(value)
        super().__setattr__(name, value)

    # ---- properties ---------------------------------------------------------------------------

    @property
    def dtype(self) -> str:
        """The variable dtype of the layer's policy."""
        return self.dtype_policy.variable_dtype

    @property
    def compute_dtype(self) -> str:
        return self.dtype_policy.compute_dtype

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        """Freezing recurses into sublayers and moves their weights to non-trainable."""
        value = bool(value)
        self._trainable = value
        for w in self._own_weights:
            if isinstance(w, Weight):
                w.set_metadata(trainable=value)
        for sub in tracking.sublayers(self):
            if isinstance(sub, Layer):
                sub.trainable = value
            else:
                for v in tracking.module_variables(sub):
                    if isinstance(v, nnx.Param):
                        v.set_metadata(trainable=value)

    @property
    def weights(self) -> list:
        """Own weights (trainable ones first, each in creation order), then sublayers'."""
        own = [w for w in self._own_weights if isinstance(w, Weight)] + [
            w for w in self._own_weights if not isinstance(w, Weight)]
        return tracking.dedup(own + [w for sub in tracking.sublayers(self)
                                     for w in tracking.weights_of(sub)])

    @property
    def variables(self) -> list:
        return self.weights

    @property
    def trainable_weights(self) -> list:
        return [w for w in self.weights if tracking.is_trainable(w)]

    @property
    def non_trainable_weights(self) -> list:
        return [w for w in self.weights if not tracking.is_trainable(w)]

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    @property
    def losses(self) -> list:
        """Losses from `add_loss` in the last call plus weight regularization penalties.

        Inside a training step (a `collect_losses` block) the losses added during the step's
        forward pass are returned instead of those of the last eager call.
        """
        collector = current_collector()
        added = list(collector) if collector is not None else self._eager_losses()
        return added + self.regularization_losses()

    def _eager_losses(self) -> list:
        out = list(self._losses)
        for sub in tracking.sublayers(self):
            if isinstance(sub, Layer):
                out.extend(sub._eager_losses())
        return out

    def regularization_losses(self) -> list:
        """The penalties of every weight created with a `regularizer`."""
        out = []
        for w in self.weights:
            reg = w.get_metadata().get("regularizer") if hasattr(w, "get_metadata") else None
            if reg is not None:
                out.append(reg(w[...]))
        return out

    # ---- weights ------------------------------------------------------------------------------

    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                   autocast=True, regularizer=None, constraint=None, aggregation="none",
                   overwrite_with_gradient=False, name=None):
        """Creates a weight owned by this layer and returns it.

        The legacy order `add_weight(name, shape, ...)` of older Keras is accepted too.

        Args:
            shape: The weight's shape (default `()`).
            initializer: Initializer or its name (default `"glorot_uniform"` for floats,
                `"zeros"` otherwise).
            dtype: The variable's dtype (default: the layer's variable dtype).
            trainable: Whether gradients update it.
            autocast: Cast it to the compute dtype under mixed precision.
            regularizer: Adds a penalty on it to the layer's losses.
            constraint: Applied to it after each optimizer update.
            aggregation: How a distribution aggregates it (`"none"`, `"mean"`, `"sum"`,
                `"only_first_replica"`).
            overwrite_with_gradient: Recorded on the variable (Keras's optimizers then
                overwrite it with its gradient; kernelkit's do not read it yet).
            name: The weight's name (default `variable_<n>`).

        Returns:
            The new `kernelkit.Variable`.
        """
        if isinstance(shape, str):  # add_weight("kernel", (3, 4), ...)
            name, shape, initializer = shape, initializer, None
        var = make_weight(self, shape, initializer, dtype, trainable, regularizer, constraint,
                          aggregation, overwrite_with_gradient, name)
        self._own_weights.append(var)
        return var

    add_variable = add_weight

    stateless_call = stateless_call  # Keras 3's pure forward pass (jit-able)

    def get_weights(self) -> list[np.ndarray]:
        """The weights as a flat list of NumPy arrays, in `weights` order."""
        return [np.array(w[...]) for w in self.weights]

    def set_weights(self, weights) -> None:
        """Sets every weight from a list of arrays shaped like `get_weights()`'s."""
        params = self.weights
        weights = list(weights)
        if len(weights) != len(params):
            raise ValueError(
                f"{type(self).__name__} '{self.name}': set_weights expected a list of "
                f"{len(params)} arrays, but received {len(weights)}. Pass the output of "
                "get_weights() of an identical model."
            )
        values = []
        for i, (p, w) in enumerate(zip(params, weights)):
            w = np.asarray(w)
            if tuple(w.shape) != tuple(p.shape):
                raise ValueError(
                    f"{type(self).__name__} '{self.name}': weight {i} "
                    f"({tracking.path_of(p)}) has shape {tuple(p.shape)}, but set_weights "
                    f"received {describe(w)}. Nothing was changed."
                )
            values.append(w.astype(p.dtype))
        for p, w in zip(params, values):
            p[...] = jnp.asarray(w)

    def count_params(self) -> int:
        """The total number of scalars in the layer's weights."""
        if not self.built:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' is not built yet, so its weights do not "
                "exist. Call it on data or call build(input_shape) first."
            )
        return int(sum(math.prod(w.shape) for w in self.weights))

    def add_loss(self, loss) -> None:
        """Adds a loss term (e.g. activity regularization) for the current call."""
        collector = current_collector()
        if collector is not None:
            collector.append(loss)
        if not isinstance(loss, jax.core.Tracer):
            self._losses.append(loss)

    def _clear_losses(self) -> None:
        self._losses = []
        for sub in tracking.sublayers(self):
            if isinstance(sub, Layer):
                sub._clear_losses()

    # ---- build and call -----------------------------------------------------------------------

    def build(self, input_shape=None) -> None:
        """Creates the layer's weights; the default creates none."""
        self.built = True

    def call(self, inputs, *args, **kwargs):
        return inputs

    def _maybe_build(self, input_shape) -> None:
        if self.built:
            return
        self.build(input_shape)
        self.built = True
        self._build_shapes = input_shape
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def __call__(self, *args, **kwargs):
        if not hasattr(self, "_history"):
            raise RuntimeError(
                f"{type(self).__name__}: the layer was not initialized. Call "
                "super().__init__() at the start of your __init__."
            )
        if not args:
            args, kwargs = self._first_input_from_kwargs(kwargs)
        flat = jax.tree_util.tree_leaves((args, kwargs), is_leaf=is_symbolic)
        if any(isinstance(x, SymbolicTensor) for x in flat):
            return self._symbolic_call(args, kwargs)
        inputs = self._convert_inputs(args[0])
        args = (inputs, *args[1:])
        if not self.built:
            self._build_on_call(inputs)
        if not self._validates_own_inputs:
            try:
                check_input_spec(self, self.input_spec, inputs)
            except ValueError as e:
                raise self._explain_input_error(e, inputs) from None
        outer = current_context() is None
        if outer and not _is_traced(inputs):
            self._clear_losses()
        training = kwargs.pop("training", None)
        with call_scope(training=training) as ctx:
            if "training" in self._call_signature.parameters and ctx.training is not None:
                kwargs["training"] = ctx.training
            try:
                outputs = self.call(*args, **kwargs)
            except (ValueError, TypeError) as e:
                explained = self._validates_own_inputs or f"'{self.name}'" in str(e)
                mismatch = None if explained else build_shape_mismatch(self, inputs)
                raise (mismatch or _with_layer_name(self, e, inputs)) from e
            self._apply_activity_regularizer(outputs)
        return outputs

    def _explain_input_error(self, error: ValueError, inputs) -> ValueError:
        """Models name the first inner layer that cannot take `inputs` (see `first_refusal`)."""
        return error

    def _first_input_from_kwargs(self, kwargs: dict):
        """`layer(logits=a, targets=b)`: the first parameter of `call`, passed by name, is the
        input (Keras's rule), so layers whose `call` names its input differently still work."""
        params = [p for p in self._call_signature.parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if not params or params[0].name not in kwargs or params[0].name in ("training", "mask"):
            expected = f"`{params[0].name}`" if params else "a positional argument"
            raise ValueError(
                f"{type(self).__name__} '{self.name}' must be called with inputs. Expected the "
                f"inputs as the first positional argument or as {expected}. Received: "
                f"keyword arguments {sorted(kwargs)}. Call it as layer(x, ...)."
            )
        rest = dict(kwargs)
        return (rest.pop(params[0].name),), rest

    def _convert_inputs(self, inputs):
        compute = self.compute_dtype
        cast_non_float = self._casts_non_float_inputs

        def convert(x):
            if x is None or isinstance(x, jax.Array | jax.core.Tracer):
                arr = x
            elif isinstance(x, np.ndarray) and x.dtype.kind not in "biuf":
                raise ValueError(
                    f"{type(self).__name__} '{self.name}' expected numeric inputs, but received "
                    f"dtype {x.dtype}. Received: inputs={describe(x)}. Convert the data to a "
                    "numeric array first."
                )
            elif isinstance(x, np.ndarray | np.generic | list | tuple | int | float | bool):
                arr = jnp.asarray(x)
            else:
                return x
            if arr is None or arr.dtype == compute:
                return arr
            if jnp.issubdtype(arr.dtype, jnp.floating):
                return arr.astype(compute) if self.autocast else arr
            if cast_non_float and not jnp.issubdtype(arr.dtype, jnp.complexfloating):
                return arr.astype(compute)
            return arr

        if isinstance(inputs, list | tuple | dict):
            return jax.tree_util.tree_map(convert, inputs,
                                          is_leaf=lambda x: isinstance(x, np.ndarray))
        return convert(inputs)

    def _build_on_call(self, inputs) -> None:
        if _is_traced(inputs):
            raise RuntimeError(
                f"{type(self).__name__} '{self.name}' was called for the first time inside a JAX "
                "transformation (jit, grad, scan), where its weights cannot be created. Build "
                "it first: call it once on real data, or call build(input_shape)."
            )
        shapes = jax.tree_util.tree_map(lambda x: tuple(x.shape), inputs)
        self._maybe_build(shapes)

    def _apply_activity_regularizer(self, outputs) -> None:
        if self.activity_regularizer is None:
            return
        for out in jax.tree_util.tree_leaves(outputs):
            loss = self.activity_regularizer(out)
            if getattr(out, "ndim", 0) > 0:
                loss = loss / out.shape[0]
            self.add_loss(loss)

    def _symbolic_call(self, args, kwargs):
        first = args[0] if args else None
        if not self.built:
            shapes = jax.tree_util.tree_map(lambda t: t.shape, first, is_leaf=is_symbolic)
            self._maybe_build(shapes)
            if tracking.has_unbuilt_sublayers(self):
                # sublayers created in __init__ build on one eager call on a small stand-in
                concrete_args, concrete_kwargs = make_concrete((args, kwargs), fill=1)
                concrete_kwargs.setdefault("training", False)
                self(*concrete_args, **concrete_kwargs)
        check_input_spec(self, self.input_spec, first)
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, args, kwargs, outputs)
        if isinstance(outputs, SymbolicTensor):
            outputs._keras_mask = self._symbolic_mask(first)
        return outputs

    def _symbolic_mask(self, first):
        """The output mask of a symbolic call, as a symbolic tensor (or None): what the legacy
        `input_mask`/`output_mask` properties report. Runtime masks are computed separately."""
        in_mask = jax.tree_util.tree_map(lambda t: getattr(t, "_keras_mask", None), first,
                                         is_leaf=is_symbolic)
        if type(self).compute_mask is Layer.compute_mask:
            return in_mask if self.supports_masking and isinstance(in_mask, SymbolicTensor) \
                else None

        def run(fill):
            x, m = make_concrete((first, in_mask), fill, as_spec=True)
            return jax.eval_shape(lambda a, b: self.compute_mask(a, b), x, m)

        try:
            out_a, out_b = run(83), run(89)
        except Exception:  # a mask that cannot be traced symbolically is simply not reported
            return None
        if not isinstance(out_a, jax.ShapeDtypeStruct):
            return None
        return SymbolicTensor(tuple(a if a == b else None for a, b in zip(out_a.shape, out_b.shape)),
                              out_a.dtype)

    def compute_output_spec(self, *args, **kwargs):
        """The output structure as SymbolicTensors; inferred with `jax.eval_shape` by default."""
        return infer_output_spec(self, args, kwargs)

    def compute_output_shape(self, input_shape):
        """The output shape for `input_shape` (`None` for unknown dimensions)."""
        is_single = isinstance(input_shape, tuple | list) and all(
            d is None or isinstance(d, int) for d in input_shape)
        if is_single:
            spec = SymbolicTensor(input_shape, self.compute_dtype)
        else:
            spec = jax.tree_util.tree_map(
                lambda s: SymbolicTensor(s, self.compute_dtype), input_shape,
                is_leaf=lambda s: isinstance(s, tuple) and all(
                    d is None or isinstance(d, int) for d in s))
        if not self.built:
            self._maybe_build(input_shape)
        out = self.compute_output_spec(spec)
        return jax.tree_util.tree_map(lambda t: t.shape, out, is_leaf=is_symbolic)

    def compute_mask(self, inputs, mask=None):
        """The output mask; layers that support masking pass the input mask through."""
        return mask if self.supports_masking else None

    # ---- config -------------------------------------------------------------------------------

    def get_config(self) -> dict:
        """The constructor arguments as a JSON-friendly dict (Keras 3 layout)."""
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": serialize(self.dtype_policy)}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config: dict):
        """Creates a layer from `get_config()`'s output."""
        if not isinstance(config, dict):
            raise ValueError(
                f"{cls.__name__}.from_config: improperly formatted config. Expected a dict. "
                f"Received: config of type {type(config).__name__}."
            )
        config = dict(config)
        if config.get("quantization_config", ...) is None:  # Keras >= 3.12 writes it as null
            del config["quantization_config"]
        if "batch_input_shape" in config and config["batch_input_shape"] is not None:
            config["batch_input_shape"] = tuple(config["batch_input_shape"])
        try:
            return cls(**config)
        except TypeError as e:
            raise ValueError(
                f"{cls.__name__}.from_config: the config does not match the constructor: {e}"
            ) from e

    def get_build_config(self) -> dict | None:
        if self._build_shapes is None:
            return None
        return {"input_shape": _to_list(self._build_shapes)}

    def build_from_config(self, config: dict | None) -> None:
        if config and config.get("input_shape") is not None and not self.built:
            self._maybe_build(_to_tuple(config["input_shape"]))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    __str__ = __repr__


def _batch_input_shape(owner: str, kwargs: dict):
    if kwargs.get("batch_input_shape") is not None:
        return tuple(kwargs["batch_input_shape"])
    batch = kwargs.get("batch_size")
    if kwargs.get("input_shape") is not None:
        return (batch, *tuple(kwargs["input_shape"]))
    if kwargs.get("input_dim") is not None:
        return (batch, int(kwargs["input_dim"]))
    return None


def _is_traced(tree) -> bool:
    return any(isinstance(x, jax.core.Tracer) for x in jax.tree_util.tree_leaves(tree))


def _with_layer_name(layer, error, inputs):
    prefix = f"{type(layer).__name__} '{layer.name}'"
    if str(error).startswith(prefix) or "Exception encountered when calling" in str(error):
        return error
    try:
        return type(error)(
            f"Exception encountered when calling {prefix}: {error} "
            f"(called with inputs={describe(inputs)})"
        )
    except Exception:
        return error


def _to_list(shapes):
    if isinstance(shapes, tuple):
        return [_to_list(s) for s in shapes] if shapes and not all(
            d is None or isinstance(d, int) for d in shapes) else list(shapes)
    if isinstance(shapes, list):
        return [_to_list(s) for s in shapes]
    if isinstance(shapes, dict):
        return {k: _to_list(v) for k, v in shapes.items()}
    return shapes


def _to_tuple(shapes):
    if isinstance(shapes, list) and all(d is None or isinstance(d, int) for d in shapes):
        return tuple(shapes)
    if isinstance(shapes, list):
        return [_to_tuple(s) for s in shapes]
    if isinstance(shapes, dict):
        return {k: _to_tuple(v) for k, v in shapes.items()}
    return shapes


def _marks_built(build):
    """Wraps a subclass's `build` so that calling it directly builds the layer, as in Keras 3:
    `built` becomes True and the input shape is recorded (so `count_params()` works and a later
    call on another width is refused by the input spec instead of re-creating the weights)."""
    if getattr(build, "_kk_marks_built", False):
        return build

    @functools.wraps(build)
    def wrapper(self, *args, **kwargs):
        result = build(self, *args, **kwargs)
        if isinstance(self, Layer) and not self.built:
            self.built = True
            shape = args[0] if args else kwargs.get("input_shape")
            if getattr(self, "_build_shapes", None) is None and shape is not None:
                self._build_shapes = shape
        return result

    wrapper._kk_marks_built = True
    return wrapper

