"""The one symbolic-dispatch helper of `kernelkit.ops`: run an op on arrays, or record it.

`keras_op` wraps a function written on `jax.numpy`/`jax.lax`. Called on arrays (NumPy, JAX,
traced, Python numbers) the wrapper calls the function directly, after one cheap scan of the
positional arguments (and of lists/tuples among them) for symbolic tensors: no signature
inspection and no pytree flattening per call. Called with a symbolic tensor anywhere in its
arguments, it records an `OpLayer` in the functional graph; the output shape and dtype come from
`jax.eval_shape` (through the layer's shape inference), never from per-op shape rules.
"""

from __future__ import annotations

import functools

import jax

from kernelkit.layers.op_serialization import TensorSlot
from kernelkit.layers.operation import OpLayer
from kernelkit.layers.symbolic import SymbolicTensor, is_symbolic

__all__ = ["any_symbolic", "keras_op", "record_op"]

# The argument types worth a closer look: a symbolic tensor, or a sequence that may hold one.
_SCANNED = (SymbolicTensor, list, tuple)
_SCANNED_KWARGS = (SymbolicTensor, list, tuple, dict)


def any_symbolic(args: tuple, kwargs: dict) -> bool:
    """True when a symbolic tensor is among `args`/`kwargs` (one level into lists and tuples)."""
    for a in args:
        if isinstance(a, _SCANNED):
            if isinstance(a, SymbolicTensor):
                return True
            for b in a:
                if isinstance(b, SymbolicTensor):
                    return True
    if kwargs:
        for a in kwargs.values():
            if isinstance(a, _SCANNED_KWARGS):
                if isinstance(a, SymbolicTensor):
                    return True
                for b in (a.values() if isinstance(a, dict) else a):
                    if isinstance(b, SymbolicTensor):
                        return True
    return False


def record_op(name: str, fn, args: tuple, kwargs: dict, layer_name: str | None = None):
    """Records `fn(*args, **kwargs)` as an `OpLayer` whose inputs are the symbolic tensors.

    `layer_name` names the layer exactly (a loaded model keeps its saved names); by default it
    is `name`, made unique.
    """
    flat, treedef = jax.tree_util.tree_flatten((args, kwargs), is_leaf=is_symbolic)
    positions = [i for i, leaf in enumerate(flat) if isinstance(leaf, SymbolicTensor)]
    slots = list(flat)
    for n, i in enumerate(positions):
        slots[i] = TensorSlot(n)
    template = jax.tree_util.tree_unflatten(treedef, slots)

    def call(*tensors):
        leaves = list(flat)
        for i, t in zip(positions, tensors):
            leaves[i] = t
        a, k = jax.tree_util.tree_unflatten(treedef, leaves)
        return fn(*a, **k)

    call.__name__ = name
    layer = OpLayer(call, name=name, arguments=(fn, *template), layer_name=layer_name)
    return layer(*[flat[i] for i in positions])


def _with_op_name(error: Exception, public: str) -> Exception:
    """`error` with the op's name in front (a plain `TypeError`/`ValueError` from JAX says
    which check failed but not in which op); `error` itself when it already names the op."""
    message = str(error)
    if type(error) not in (TypeError, ValueError) or message.startswith(
            (f"{public}:", f"ops.{public}:", f"{public} ")):
        return error
    return type(error)(f"{public}: {message}")


def _refuse_symbolic(public: str):
    raise ValueError(
        f"{public}: the output shape depends on the input's values, so it cannot be recorded on "
        "a symbolic tensor. Expected arrays. Received: a symbolic tensor. Call it on arrays "
        "(inside a layer's `call`), or use an op with a fixed output size."
    )


def keras_op(fn=None, *, name: str | None = None, module: str | None = None,
             symbolic: bool = True):
    """Decorates `fn` as a Keras op: direct call on arrays, an `OpLayer` on symbolic tensors.

    Args:
        fn: The implementation, written on `jax.numpy` / `jax.lax`.
        name: The public name (default `fn.__name__`, with one trailing `_` removed, so that
            `def sum_(...)` becomes `sum`).
        module: The `__module__` the wrapper reports (default `fn.__module__`): doctest collects
            only names whose module is the one being tested.
        symbolic: Whether the op can be recorded on symbolic tensors; `False` for ops whose
            output shape depends on values (`nonzero`), which then raise a clear error.

    Example:
        >>> import jax.numpy as jnp
        >>> @keras_op
        ... def double(x):
        ...     return x * 2
        >>> double(jnp.array([1.0])).tolist()
        [2.0]
    """
    if fn is None:
        return functools.partial(keras_op, name=name, module=module, symbolic=symbolic)
    public = name or (fn.__name__[:-1] if fn.__name__.endswith("_") else fn.__name__)

    @functools.wraps(fn)
    def op(*args, **kwargs):
        # Fast path, on every call: no argument that could be or hold a symbolic tensor.
        try:
            for a in args:
                if isinstance(a, _SCANNED):
                    break
            else:
                if not kwargs:
                    return fn(*args)
                for a in kwargs.values():  # axis=0, keepdims=True, ...: nothing to record
                    if isinstance(a, _SCANNED_KWARGS):
                        break
                else:
                    return fn(*args, **kwargs)
            if any_symbolic(args, kwargs):
                if not symbolic:
                    _refuse_symbolic(public)
                return record_op(public, fn, args, kwargs)
            return fn(*args, **kwargs)
        except (TypeError, ValueError) as error:
            named = _with_op_name(error, public)
            if named is error:
                raise
            raise named from error

    op.__name__ = op.__qualname__ = public
    op.__module__ = module or fn.__module__
    return op
