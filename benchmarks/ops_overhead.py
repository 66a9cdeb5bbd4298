"""How much time `kernelkit.ops` adds over calling `jax.numpy` directly, per call on arrays.

Run: `KERAS_BACKEND=jax python benchmarks/ops_overhead.py [--calls N]`. Prints, for a few
common ops, the time per call of `kernelkit.ops.<name>` and of the `jax.numpy` function it
wraps (same arguments, small arrays, dispatch only: results are not awaited; best of
alternating runs), their difference, and the median of the per-run differences. The target
is an overhead under 2 microseconds per call.
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


def measure(ours, theirs, calls: int, repeats: int = 15) -> tuple[float, float, float]:
    """Times `ours` and `theirs` in alternating runs; returns per-call microseconds.

    Runs alternate so that a busy machine slows both sides alike. The best run of each side
    is the least disturbed estimate of its cost; the median of the paired differences shows
    how steady the overhead is.

    Args:
        ours: A function of no arguments (the kernelkit call).
        theirs: A function of no arguments (the `jax.numpy` call).
        calls: Calls per run.
        repeats: Runs of each side.

    Returns:
        `(ours_best, theirs_best, median_overhead)` in microseconds per call.

    Example:
        >>> ours, theirs, overhead = measure(lambda: None, lambda: None, calls=10)
        >>> ours < 100.0 and theirs < 100.0
        True
    """
    for _ in range(min(calls, 100)):  # warm up: compile, fill caches
        ours()
        theirs()
    times = {ours: [], theirs: []}
    for _ in range(repeats):
        for fn in (ours, theirs):
            start = time.perf_counter()
            for _ in range(calls):
                fn()
            times[fn].append((time.perf_counter() - start) / calls * 1e6)
    differences = [a - b for a, b in zip(times[ours], times[theirs])]
    return min(times[ours]), min(times[theirs]), statistics.median(differences)


def main(calls: int = 2000) -> dict:
    """Prints the table of kernelkit vs `jax.numpy` times and returns `{name: overhead_us}`.

    Args:
        calls: Calls per timed run.

    Returns:
        The overhead in microseconds per call (best kernelkit run minus best `jax.numpy`
        run), by op.

    Example:
        >>> overheads = main(calls=5)  # doctest: +ELLIPSIS
        op ...
        >>> sorted(overheads)[:2]
        ['add', 'add (python scalar)']
    """
    print(f"{'op':<22}{'kernelkit us':>14}{'jax.numpy us':>14}{'overhead us':>13}"
          f"{'median diff us':>16}")
    overheads = {}
    for name, (ours, theirs) in CASES.items():
        t_ours, t_jnp, median = measure(ours, theirs, calls)
        overheads[name] = t_ours - t_jnp
        print(f"{name:<22}{t_ours:>14.2f}{t_jnp:>14.2f}{overheads[name]:>13.2f}{median:>16.2f}")
    return overheads


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    main(parser.parse_args().calls)
