"""`Variable`: Keras 3's variable API (`value`, `assign`, operators, ...) on an NNX Variable.

Every kernelkit weight and metric variable is a `Variable`, and every `Variable` is an
`nnx.Variable` underneath: trainable ones are `nnx.Param`s, the others are not, so NNX
tooling (`nnx.split`, `nnx.state`, filters) sees them as usual. `assign` and friends write
with JAX operations only, so they work on traced values inside a jitted step too: there the
write lands in the traced copy of the model, and the step carries it out.

Calling `Variable(...)` itself follows `keras.Variable(initializer, shape, dtype, ...)` and
returns a trainable or non-trainable weight.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx
from flax.nnx.variablelib import VariableMeta

from kernelkit import config
from kernelkit.errors import describe
from kernelkit.naming import unique_name

__all__ = ["NonTrainableWeight", "Variable", "Weight", "write_count"]

_writes = [0]
_AGGREGATIONS = ("none", "mean", "sum", "only_first_replica")
_SYNCHRONIZATIONS = ("none", "on_read", "on_write", "auto")


def write_count() -> int:
    """How many times any kernelkit weight was created, written or re-flagged.

    Caches of a model's state (the jitted forward behind `model(x)`) compare this number to
    know, at the cost of one integer comparison, that no weight changed since they were made.

    Returns:
        The number of writes so far (only ever grows).

    Example:
        >>> before = write_count()
        >>> v = Variable(1.0)
        >>> write_count() > before
        True
    """
    return _writes[0]


class _VariableMeta(VariableMeta):
    """`Variable(...)` itself is Keras's constructor; subclasses construct as NNX Variables."""

    def __call__(cls, *args, **kwargs):
        if cls is Variable:
            return _new_keras_variable(*args, **kwargs)
        return super().__call__(*args, **kwargs)


class Variable(nnx.Variable, metaclass=_VariableMeta):
    """A Keras 3 variable: an NNX Variable with `value`, `assign`, `trainable`, operators.

    `Variable(initializer, shape=None, dtype=None, trainable=True, ...)` works as
    `keras.Variable`: `initializer` is a value (array, number, list) or an initializer (name,
    object or callable, then `shape` is required). Layers create theirs with `add_weight`.

    Args:
        initializer: The initial value, or an initializer and a `shape`.
        shape: The shape, required with an initializer.
        dtype: The dtype; defaults to the value's dtype, or `floatx()` for an initializer.
        trainable: Whether training updates it (`nnx.Param` when True).
        autocast: Kept for Keras compatibility (mixed precision casts in the layers).
        aggregation: `"none"`, `"mean"`, `"sum"` or `"only_first_replica"`.
        synchronization: `"none"`, `"on_read"`, `"on_write"` or `"auto"`.
        name: The name; unique `variable`, `variable_1`, ... when omitted.

    Example:
        >>> v = Variable("zeros", shape=(2,), name="total")
        >>> _ = v.assign_add([1.0, 2.0])
        >>> (v * 2).tolist(), v.name, v.trainable
        ([2.0, 4.0], 'total', True)
    """

    _counts_writes = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self._counts_writes:
            _writes[0] += 1

    def __setattr__(self, name, value):
        if name in ("_raw_value", "__class__") and self._counts_writes:
            _writes[0] += 1  # every write of a value goes through here
        super().__setattr__(name, value)

    def set_metadata(self, *args, **kwargs):
        if self._counts_writes:
            _writes[0] += 1
        return super().set_metadata(*args, **kwargs)

    # ---- Keras accessors ----------------------------------------------------------------------

    @property
    def value(self):
        """The current value (a `jax.Array`, traced inside a jitted step); settable."""
        return self.get_value()

    @value.setter
    def value(self, value) -> None:
        self.assign(value)

    @property
    def name(self) -> str:
        return self.get_metadata().get("name", "variable")

    @property
    def path(self) -> str:
        meta = self.get_metadata()
        return meta.get("path", meta.get("name", "variable"))

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def trainable(self) -> bool:
        """Whether training updates this variable; settable, as in Keras."""
        return isinstance(self, nnx.Param) and self.get_metadata().get("trainable", True) \
            is not False

    @trainable.setter
    def trainable(self, value) -> None:
        value = bool(value)
        if isinstance(self, nnx.Param) or not value:
            if isinstance(self, nnx.Param):
                self.set_metadata(trainable=value)
            return
        trainable_type = getattr(type(self), "_trainable_type", None)
        if trainable_type is None:
            raise ValueError(
                f"Variable '{self.path}': this kind of variable ({type(self).__name__}) cannot "
                "become trainable. Expected a weight created by add_weight or Variable(...). "
                "Received: trainable=True. Create a trainable weight instead."
            )
        self.__class__ = trainable_type
        self.set_metadata(trainable=True)

    @property
    def aggregation(self) -> str:
        return self.get_metadata().get("aggregation", "none")

    @property
    def synchronization(self) -> str:
        return self.get_metadata().get("synchronization", "auto")

    @property
    def constraint(self):
        return self.get_metadata().get("constraint")

    @constraint.setter
    def constraint(self, value) -> None:
        self.set_metadata(constraint=_check_callable(self, "constraint", value))

    @property
    def regularizer(self):
        return self.get_metadata().get("regularizer")

    @regularizer.setter
    def regularizer(self, value) -> None:
        self.set_metadata(regularizer=_check_callable(self, "regularizer", value))

    @property
    def overwrite_with_gradient(self) -> bool:
        return bool(self.get_metadata().get("overwrite_with_gradient", False))

    # ---- values -------------------------------------------------------------------------------

    def numpy(self) -> np.ndarray:
        """Returns a NumPy copy of the current value.

        Returns:
            A `np.ndarray`.
        """
        return np.array(self.get_value())

    def assign(self, value):
        """Replaces the value (cast to the variable's dtype; the shape must match).

        Only JAX operations are used, so this works on traced values inside a jitted step.

        Args:
            value: An array-like (or another variable) of the variable's shape.

        Returns:
            The assigned value, as Keras's `assign` returns it.

        Raises:
            ValueError: If the shape differs.
        """
        if isinstance(value, nnx.Variable):
            value = value.get_value()
        value = jnp.asarray(value, dtype=self.dtype)
        if tuple(value.shape) != tuple(self.shape):
            raise ValueError(
                f"Variable '{self.path}': cannot assign a value of a different shape. "
                f"Expected shape {tuple(self.shape)}. Received: value={describe(value)}. "
                "Reshape the value first."
            )
        self.set_value(value)
        return value

    def assign_add(self, value):
        """Adds `value` to the variable (`v.assign(v + value)`).

        Args:
            value: An array-like broadcastable to the variable's shape.

        Returns:
            The new value.
        """
        return self.assign(self.get_value() + jnp.asarray(value, dtype=self.dtype))

    def assign_sub(self, value):
        """Subtracts `value` from the variable (`v.assign(v - value)`).

        Args:
            value: An array-like broadcastable to the variable's shape.

        Returns:
            The new value.
        """
        return self.assign(self.get_value() - jnp.asarray(value, dtype=self.dtype))

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.get_value(), dtype=dtype)

    def __bool__(self):
        raise TypeError(
            f"Variable '{self.path}': a variable cannot be used as a boolean. Expected an "
            "explicit comparison. Received: bool(variable). Use e.g. ops.all(v > 0)."
        )

    def __ne__(self, other):
        return self.get_value() != _unwrap(other)

    def __lt__(self, other):
        return self.get_value() < _unwrap(other)

    def __le__(self, other):
        return self.get_value() <= _unwrap(other)

    def __gt__(self, other):
        return self.get_value() > _unwrap(other)

    def __ge__(self, other):
        return self.get_value() >= _unwrap(other)

    __hash__ = object.__hash__  # identity, so variables can key dicts and sets

    def __repr__(self) -> str:
        value = self.get_value()
        shown = ""
        if not isinstance(value, jax.core.Tracer):
            shown = f", value={np.asarray(value)}"
        return (f"<Variable path={self.path}, shape={tuple(self.shape)}, "
                f"dtype={self.dtype}{shown}>")

    __str__ = __repr__


class Weight(Variable, nnx.Param):
    """A weight created trainable; it trains while its layer is trainable.

    Example:
        >>> import jax.numpy as jnp
        >>> w = Weight(jnp.ones(2), name="kernel", path="dense/kernel")
        >>> w.path, w.trainable
        ('dense/kernel', True)
    """


class NonTrainableWeight(Variable, nnx.BatchStat):
    """A weight created with `trainable=False` (e.g. BatchNormalization's moving statistics).

    Example:
        >>> import jax.numpy as jnp
        >>> w = NonTrainableWeight(jnp.zeros(2), name="moving_mean")
        >>> w.trainable
        False
    """

    _trainable_type = Weight


def _unwrap(x):
    return x.get_value() if isinstance(x, nnx.Variable) else x


def _check_callable(variable, what, value):
    if value is not None and not callable(value):
        raise ValueError(
            f"Variable '{variable.path}': invalid {what}. Expected a callable or None. "
            f"Received: {what}={describe(value)}."
        )
    return value


def _check_choice(what, value, choices):
    value = "none" if value is None else value
    if value not in choices:
        raise ValueError(
            f"Variable: invalid value for argument `{what}`. Expected one of "
            f"{list(choices)} or None. Received: {what}={value!r}."
        )
    return value


def _initial_value(initializer, shape, dtype):
    from kernelkit import initializers

    if isinstance(initializer, str) or (callable(initializer)
                                        and not hasattr(initializer, "shape")):
        if shape is None:
            raise ValueError(
                "Variable: creating a variable from an initializer needs a shape. Expected "
                f"a `shape` argument. Received: initializer={describe(initializer)}, "
                "shape=None. Pass shape=(...)."
            )
        shape = tuple(int(d) for d in shape)
        dtype = jnp.dtype(dtype or config.floatx())
        with jax.ensure_compile_time_eval():
            value = initializers.get(initializer)(shape, dtype=dtype)
    else:
        value = initializer.get_value() if isinstance(initializer, nnx.Variable) \
            else initializer
        value = _default_dtype_array(value) if dtype is None else jnp.asarray(value, dtype)
        if shape is not None and tuple(shape) != tuple(value.shape):
            raise ValueError(
                f"Variable: the initial value has shape {tuple(value.shape)}, but shape="
                f"{tuple(shape)} was given. Expected matching shapes. Received: "
                f"initializer={describe(value)}. Drop `shape` or pass a matching value."
            )
    return jnp.asarray(value)


def _default_dtype_array(value):
    """Keras's conversion: Python floats become `floatx()`, Python ints `int32`."""
    if isinstance(value, jax.Array | np.ndarray | np.generic):
        return jnp.asarray(value)
    array = np.asarray(value)
    if array.dtype.kind == "f":
        return jnp.asarray(array, config.floatx())
    if array.dtype.kind in "iu":
        return jnp.asarray(array, "int32")
    return jnp.asarray(array)


def _new_keras_variable(initializer, shape=None, dtype=None, trainable=True, autocast=True,
                        aggregation="none", synchronization="auto", name=None, layout=None,
                        **metadata):
    name = name if name is not None else unique_name("variable")
    if not isinstance(name, str) or "/" in name:
        raise ValueError(
            "Variable: `name` must be a string without '/'. Expected e.g. name='total'. "
            f"Received: name={name!r}."
        )
    meta = {"name": name, "path": metadata.pop("path", name), "autocast": bool(autocast),
            "aggregation": _check_choice("aggregation", aggregation, _AGGREGATIONS),
            "synchronization": _check_choice("synchronization", synchronization,
                                             _SYNCHRONIZATIONS), **metadata}
    value = _initial_value(initializer, shape, dtype)
    if trainable:
        return Weight(value, trainable=True, **meta)
    return NonTrainableWeight(value, **meta)
