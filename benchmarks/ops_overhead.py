"""How much time `kernelkit.ops` adds over calling `jax.numpy` directly, per call on arrays.

Run: `KERAS_BACKEND=jax python benchmarks/ops_overhead.py [--calls N]`. Prints, for a few
common ops, the median time per call of `kernelkit.ops.<name>` and of the `jax.numpy`
function it wraps (same arguments, small arrays, dispatch only: results are not awaited), and
the difference. The target is an overhead under 2 microseconds per call.
"""

from __future__ import annotations

import argparse
import statistics
import time

import jax.numpy as jnp

from kernelkit import ops

__all__ = ["main", "measure"]

_X = jnp.ones((8, 8))
_Y = jnp.ones((8, 8))
_I = jnp.ones((8, 8), "int32")

# name -> (kernelkit call, jax.numpy call), each a function of no arguments.
CASES = {
    "add": (lambda: ops.add(_X, _Y), lambda: jnp.add(_X, _Y)),
    "add (python scalar)": (lambda: ops.add(_X, 2.0), lambda: jnp.add(_X, 2.0)),
    "multiply": (lambda: ops.multiply(_X, _Y), lambda: jnp.multiply(_X, _Y)),
    "exp": (lambda: ops.exp(_X), lambda: jnp.exp(_X)),
    "sum": (lambda: ops.sum(_X), lambda: jnp.sum(_X)),
    "sum (axis)": (lambda: ops.sum(_X, axis=-1), lambda: jnp.sum(_X, axis=-1)),
    "mean": (lambda: ops.mean(_X, axis=0), lambda: jnp.mean(_X, axis=0)),
    "max": (lambda: ops.max(_X), lambda: jnp.max(_X)),
    "reshape": (lambda: ops.reshape(_X, (4, 16)), lambda: jnp.reshape(_X, (4, 16))),
    "transpose": (lambda: ops.transpose(_X), lambda: jnp.transpose(_X)),
    "matmul": (lambda: ops.matmul(_X, _Y), lambda: jnp.matmul(_X, _Y)),
    "concatenate": (lambda: ops.concatenate([_X, _Y]), lambda: jnp.concatenate([_X, _Y])),
    "where": (lambda: ops.where(_X > 0, _X, _Y), lambda: jnp.where(_X > 0, _X, _Y)),
    "argmax": (lambda: ops.argmax(_I, axis=-1), lambda: jnp.argmax(_I, axis=-1)),
}


def measure(fn, calls: int, repeats: int = 7) -> float:
    """Median over `repeats` runs of the mean time of one call of `fn`, in microseconds.

    Args:
        fn: A function of no arguments.
        calls: Calls per run.
        repeats: Runs; the median of their per-call times is returned.

    Returns:
        Microseconds per call.

    Example:
        >>> measure(lambda: None, calls=10) < 100.0
        True
    """
    for _ in range(min(calls, 100)):  # warm up: compile, fill caches
        fn()
    per_call = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        per_call.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(per_call)


def main(calls: int = 2000) -> dict:
    """Prints the table of kernelkit vs `jax.numpy` times and returns `{name: overhead_us}`.

    Args:
        calls: Calls per timed run.

    Returns:
        The overhead in microseconds per call, by op.

    Example:
        >>> overheads = main(calls=5)  # doctest: +ELLIPSIS
        op ...
        >>> sorted(overheads)[:2]
        ['add', 'add (python scalar)']
    """
    print(f"{'op':<22}{'kernelkit us':>14}{'jax.numpy us':>14}{'overhead us':>13}")
    overheads = {}
    for name, (ours, theirs) in CASES.items():
        t_ours, t_jnp = measure(ours, calls), measure(theirs, calls)
        overheads[name] = t_ours - t_jnp
        print(f"{name:<22}{t_ours:>14.2f}{t_jnp:>14.2f}{overheads[name]:>13.2f}")
    return overheads


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    main(parser.parse_args().calls)
