"""An op layer's call as Keras 3 saves it: op class, constructor config, constant arguments."""

from __future__ import annotations

import inspect

import numpy as np

from kernelkit.layers.keras_op_table import keras_op_of

__all__ = ["TensorSlot", "keras_op_call", "plain_constant"]


class TensorSlot:
    """Where the `index`-th input tensor of an op layer goes among the op's arguments.

    Args:
        index: The position of the tensor among the layer's inputs.

    Example:
        >>> TensorSlot(0).index
        0
    """

    def __init__(self, index: int):
        self.index = index

    def __repr__(self) -> str:
        return f"TensorSlot({self.index})"


def plain_constant(value) -> bool:
    """Whether `value` can be written inline in a config (numbers, strings, lists of them).

    Args:
        value: A constant argument of an op.

    Returns:
        True for None, bools, numbers, strings, and lists/tuples/dicts of these.

    Example:
        >>> plain_constant([1, 2.0]), plain_constant(slice(1))
        (True, False)
    """
    if value is None or isinstance(value, bool | int | float | str | np.generic):
        return True
    if isinstance(value, list | tuple):
        return all(plain_constant(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain_constant(v) for k, v in value.items())
    return False


def keras_op_call(public: str, fn, args: tuple, kwargs: dict):
    """Splits a recorded op call the way Keras 3 saves it.

    Args:
        public: The op's public name (`"mean"`).
        fn: The function that was called (its signature names the arguments).
        args: The positional arguments, tensors included (as `TensorSlot`s or tensors).
        kwargs: The keyword arguments.

    Returns:
        `(module, class_name, config, call_args)`: `config` holds the op's constructor
        arguments (`axis`, ...), `call_args` the tensors and constants, in Keras's order. A
        string instead says why the call has no Keras form.

    Example:
        >>> def mean(x, axis=None, keepdims=False): ...
        >>> keras_op_call("mean", mean, (TensorSlot(0),), {"axis": 1})[1:3]
        ('Mean', {'axis': 1, 'keepdims': False})
    """
    row = keras_op_of(public)
    if row is None:
        return f"Keras 3 has no op class for `{public}`"
    module, class_name, init, call = row
    try:
        bound = inspect.signature(fn).bind(*args, **kwargs)
    except (TypeError, ValueError) as error:
        return f"its arguments do not match `{public}`'s signature ({error})"
    bound.apply_defaults()
    named = dict(bound.arguments)
    for key, param in inspect.signature(fn).parameters.items():
        if param.kind is param.VAR_KEYWORD:
            named.update(named.pop(key, {}))
        elif param.kind is param.VAR_POSITIONAL:
            return f"`{public}` takes a variable number of arguments"
    extra = [k for k in named if k not in init and k not in call]
    if extra:
        return f"arguments {extra} have no place in Keras's `{class_name}`"
    config = {k: named[k] for k in init if k in named}
    if not plain_constant(config):
        return f"the constructor arguments {sorted(config)} are not plain values"
    return module, class_name, config, [named[k] for k in call if k in named]
