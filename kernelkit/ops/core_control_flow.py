"""Control-flow ops of `keras.ops`: cond, switch, scan, map, while and fori loops, vmap.

They take Python callables and run as the `jax.lax` primitive of the same meaning, so they
trace once under `jax.jit` and differentiate. On symbolic tensors they record an `OpLayer`.
"""

from __future__ import annotations

import jax

from kernelkit.ops.dispatch import keras_op

__all__ = ["associative_scan", "cond", "fori_loop", "map", "scan", "switch", "vectorized_map",
           "while_loop"]


@keras_op
def cond(pred, true_fn, false_fn):
    """`true_fn()` if `pred` else `false_fn()`, as one traced branch (both must match).

    Args:
        pred: A scalar boolean (may be traced).
        true_fn: Callable of no arguments run when `pred` is true.
        false_fn: Callable of no arguments run otherwise; same output structure.

    Returns:
        The output of the chosen branch.

    Example:
        >>> from kernelkit import ops
        >>> float(ops.cond(True, lambda: 1.0, lambda: 2.0))
        1.0
    """
    return jax.lax.cond(pred, true_fn, false_fn)


@keras_op
def switch(index, branches, *operands):
    """`branches[index](*operands)`; `index` is clamped to the valid range.

    Args:
        index: A scalar integer (may be traced).
        branches: A sequence of callables with the same output structure.
        *operands: The arguments passed to the chosen branch.

    Returns:
        The output of the chosen branch.

    Example:
        >>> from kernelkit import ops
        >>> float(ops.switch(1, [lambda x: x + 1, lambda x: x * 10], 2.0))
        20.0
    """
    return jax.lax.switch(index, branches, *operands)


@keras_op
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loops `carry, y = f(carry, x)` over the leading axis of `xs`, stacking the `y`s.

    Args:
        f: Callable `(carry, x) -> (carry, y)`.
        init: The initial carry (a tensor or a nest of tensors).
        xs: Tensor (or nest) scanned along axis 0; None with `length` loops without inputs.
        length: The number of steps when `xs` is None.
        reverse: Whether to scan from the end.
        unroll: A positive int (or bool) of steps unrolled per iteration.

    Returns:
        A tuple `(final_carry, stacked_ys)`.

    Raises:
        ValueError: For a non-positive or non-int `unroll`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> total, partial = ops.scan(lambda c, x: (c + x, c + x), 0.0, np.arange(4.0))
        >>> float(total), partial.tolist()
        (6.0, [0.0, 1.0, 3.0, 6.0])
    """
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(
            "scan: invalid unroll. Expected a positive int or a bool. Received: "
            f"unroll={unroll!r}. Pass e.g. unroll=1.")
    return jax.lax.scan(f, init, xs, length=length, reverse=reverse, unroll=unroll)


@keras_op
def associative_scan(f, elems, reverse=False, axis=0):
    """Parallel prefix scan of an associative `f` along `axis` (e.g. a cumulative sum).

    Args:
        f: Associative binary callable `(a, b) -> c`, elementwise over slices.
        elems: Tensor (or nest of tensors with the same axis length).
        reverse: Whether to scan from the end.
        axis: The axis to scan.

    Returns:
        The scanned tensor (or nest), the shape of `elems`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.associative_scan(lambda a, b: a + b, np.arange(4.0)).tolist()
        [0.0, 1.0, 3.0, 6.0]
    """
    return jax.lax.associative_scan(f, elems, reverse=reverse, axis=axis)


@keras_op
def map(f, xs):
    """Applies `f` to each slice of `xs` along axis 0 (sequentially), stacking the results.

    Args:
        f: Callable on one slice.
        xs: Tensor (or nest) mapped along its leading axis.

    Returns:
        The stacked outputs.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.map(lambda x: x * 2, np.arange(3.0)).tolist()
        [0.0, 2.0, 4.0]
    """
    return jax.lax.map(f, xs)


@keras_op
def vectorized_map(function, elements):
    """Applies `function` to each slice of `elements` along axis 0, vectorized (`jax.vmap`).

    Args:
        function: Callable on one slice.
        elements: Tensor (or nest) mapped along its leading axis.

    Returns:
        The stacked outputs.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.vectorized_map(lambda x: x.sum(), np.ones((2, 3))).tolist()
        [3.0, 3.0]
    """
    return jax.vmap(function)(elements)


@keras_op
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Runs `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` (at most `maximum_iterations`).

    Args:
        cond: Callable of the loop variables returning a scalar boolean.
        body: Callable of the loop variables returning new ones of the same structure.
        loop_vars: A tensor, or a tuple/list of tensors unpacked into `cond` and `body`.
        maximum_iterations: Optional bound on the number of iterations.

    Returns:
        The final loop variables, in the structure of `loop_vars`.

    Example:
        >>> from kernelkit import ops
        >>> int(ops.while_loop(lambda i: i < 10, lambda i: i + 3, 0))
        12
    """
    packed = isinstance(loop_vars, list | tuple)
    state = tuple(loop_vars) if packed else (loop_vars,)

    def step(args):
        out = body(*args[:-1])
        return (*(tuple(out) if packed else (out,)), args[-1] + 1)

    def test(args):
        go = cond(*args[:-1])
        return go if maximum_iterations is None else go & (args[-1] < maximum_iterations)

    out = jax.lax.while_loop(test, step, (*state, 0))[:-1]
    return (type(loop_vars)(out) if isinstance(loop_vars, list) else out) if packed else out[0]


@keras_op
def fori_loop(lower, upper, body_fun, init_val):
    """Runs `val = body_fun(i, val)` for `i` from `lower` to `upper - 1`.

    Args:
        lower: The first index.
        upper: One past the last index.
        body_fun: Callable `(i, val) -> val`.
        init_val: The initial value (a tensor or nest).

    Returns:
        The final value.

    Example:
        >>> from kernelkit import ops
        >>> int(ops.fori_loop(0, 5, lambda i, v: v + i, 0))
        10
    """
    return jax.lax.fori_loop(lower, upper, body_fun, init_val)
