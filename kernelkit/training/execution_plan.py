"""How many steps one dispatch runs (`steps_per_execution`), and whether to scan or unroll."""

from __future__ import annotations

import jax
from flax import nnx

__all__ = ["choose_execution", "has_convolutions"]

_AUTO_GROUP = 128
_CPU_CONV_GROUP = 2  # "auto": measured best first epoch, and within 5 % of 4 steady
_UNROLL_LIMIT = 8  # explicit groups up to this size are unrolled for convolutions on CPU


def has_convolutions(model) -> bool:
    """Whether the model holds a convolution (slow inside `lax.scan` on XLA:CPU)."""
    return any("Conv" in type(node).__name__ for _, node in nnx.iter_graph(model)
               if isinstance(node, nnx.Module))


def choose_execution(model, setting, steps_per_epoch, batch_hooks: bool) -> tuple[int, bool]:
    """Returns `(steps per dispatch, unroll)`.

    An integer setting is honoured (cut to the epoch); without jit (`run_eagerly=True` or
    `jit_compile=False`) its steps run as a Python loop. `"auto"` runs one step per dispatch
    when the model runs eagerly or a callback listens to batch hooks (they then fire at every
    batch, as documented), a short unrolled group for convolutional models on CPU (convolutions inside a scan are several
    times slower there), and a scanned group of 128 steps otherwise.
    """
    limit = steps_per_epoch if steps_per_epoch else None
    eager = bool(getattr(model, "run_eagerly", False)) or getattr(
        model, "jit_compile", "auto") is False
    if setting != "auto":
        group = max(1, int(setting))
        if limit:
            group = min(group, limit)
        return group, eager or _prefer_unroll(model, group)
    if batch_hooks or eager:  # eager: a scan would trace the step once, not run it per batch
        return 1, True
    if jax.default_backend() == "cpu" and has_convolutions(model):
        # unrolled groups compile once per size: pick a size that divides the epoch
        group = _CPU_CONV_GROUP if not limit else max(
            k for k in range(1, _CPU_CONV_GROUP + 1) if limit % k == 0 or k == 1)
        return group, True
    group = min(_AUTO_GROUP, limit) if limit else _AUTO_GROUP
    return group, False


def _prefer_unroll(model, group: int) -> bool:
    return group <= _UNROLL_LIMIT and jax.default_backend() == "cpu" and has_convolutions(model)
