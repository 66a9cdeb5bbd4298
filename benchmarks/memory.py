"""Peak device memory of a training step, as XLA's buffer assignment computes it.

`jax.devices()[0].memory_stats()` reports nothing on XLA:CPU, so peak memory is read from the
compiled programs instead: `compiled.memory_analysis().peak_memory_in_bytes` is the most
memory the program holds at once (arguments, outputs not aliased to donated arguments, and
temporaries). That is the same on every backend for the same program, so the CPU numbers say
what a GPU would hold for the step (GPU runs also report the allocator's own peak).
"""

from __future__ import annotations

import jax
from flax import nnx

from benchmarks import flax_loops
from benchmarks.reference_models import CASES, NNXModel


def _abstract(value):
    if isinstance(value, jax.Array):
        return jax.ShapeDtypeStruct(value.shape, value.dtype)
    return value


def kernelkit_fit_peak(model, x, y, batch_size) -> int:
    """Peak bytes of the fused training program one `fit()` epoch of `model` dispatches.

    Runs one epoch while recording the arguments of the first group of steps, then compiles
    the same program again (from the compilation cache) to read its memory analysis. A fit on
    one batch first builds the model and its step functions (the same looped program).
    """
    model.fit(x[:batch_size], y[:batch_size], batch_size=batch_size, epochs=1, verbose=0)
    fns = model.make_train_function().fns
    seen = {}
    dispatch = fns.train_arrays

    def spy(carry, data, perm, start, steps, batch_size, unroll):
        if not seen:
            seen.update(args=jax.tree_util.tree_map(_abstract, (carry, data, perm, start)),
                        steps=steps, batch_size=batch_size, unroll=unroll)
        return dispatch(carry, data, perm, start, steps, batch_size, unroll)

    fns.train_arrays = spy
    try:
        model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    finally:
        fns.train_arrays = dispatch
    if not seen:
        raise RuntimeError("fit() did not run the fused training program")
    carry, data, perm, start = seen["args"]
    if seen["unroll"]:
        lowered = fns._train_unrolled.lower(carry, data, perm, start, steps=seen["steps"],
                                            batch_size=seen["batch_size"], unroll=True)
    else:
        lowered = fns._train_looped.lower(carry, data, perm, start, seen["steps"],
                                          batch_size=seen["batch_size"], unroll=False)
    return lowered.compile().memory_analysis().peak_memory_in_bytes


def flax_peaks(case_key, x, y) -> dict:
    """Peak bytes of the hand-written loops: one step (batch from the host), one scanned epoch."""
    case = CASES[case_key]
    graphdef, tx, state = flax_loops.make_state(NNXModel(case_key, nnx.Rngs(0)))
    state = jax.tree_util.tree_map(_abstract, state)
    batch = (x[:case.batch_size], y[:case.batch_size])
    step = flax_loops.make_step(graphdef, tx).lower(state, *batch).compile()
    perm = jax.ShapeDtypeStruct((case.num_samples,), "int32")
    scan = flax_loops.make_scanned_epoch(graphdef, tx, case.batch_size).lower(
        state, x, y, perm).compile()
    return {"step": step.memory_analysis().peak_memory_in_bytes,
            "scan": scan.memory_analysis().peak_memory_in_bytes}
