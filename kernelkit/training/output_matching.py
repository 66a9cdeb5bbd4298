"""Matching targets, sample weights and per-output settings to a model's outputs."""

from __future__ import annotations

import jax

from kernelkit.errors import describe

__all__ = ["flatten_outputs", "match_per_output", "match_targets"]


def flatten_outputs(y_pred, names: list[str]) -> list:
    """The model outputs as a list in `names` order (dict outputs by key)."""
    if isinstance(y_pred, dict):
        return [y_pred[name] for name in names]
    if isinstance(y_pred, list | tuple):
        return jax.tree_util.tree_leaves(list(y_pred))
    return [y_pred]


def match_targets(y, names: list[str], what: str = "y") -> list:
    """Targets as a list aligned with the outputs; a dict is matched by output name."""
    n = len(names)
    if y is None:
        return [None] * n
    if isinstance(y, dict):
        unknown = sorted(set(y) - set(names))
        if unknown:
            raise ValueError(
                f"{what} names output(s) {unknown} that the model does not have. Expected keys "
                f"among the output names {names}. Received: {what}={describe(y)}."
            )
        return [y.get(name) for name in names]
    if isinstance(y, list | tuple) and n > 1:
        flat = jax.tree_util.tree_leaves(list(y), is_leaf=lambda v: v is None)
        if len(flat) != n:
            raise ValueError(
                f"The model has {n} outputs {names}, but {what} holds {len(flat)} arrays. "
                f"Expected one per output, as a list or a dict. Received: {what}={describe(y)}."
            )
        return flat
    if n > 1:
        raise ValueError(
            f"The model has {n} outputs {names}, but {what} is a single array. Expected a list "
            f"of {n} arrays or a dict keyed by output name. Received: {what}={describe(y)}."
        )
    if isinstance(y, list | tuple) and len(y) == 1:
        return [y[0]]
    return [y]


def match_per_output(value, names: list[str], what: str, broadcast: bool = True) -> list:
    """Compile arguments (losses, loss weights, metrics) as one entry per output."""
    n = len(names)
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(names))
        if unknown:
            raise ValueError(
                f"compile: {what} names output(s) {unknown} that the model does not have. "
                f"Expected keys among the output names {names}. Received: {what}={value!r}."
            )
        return [value.get(name) for name in names]
    if isinstance(value, list | tuple):
        if len(value) != n:
            raise ValueError(
                f"compile: {what} has {len(value)} entries but the model has {n} outputs "
                f"{names}. Expected one entry per output, or a dict keyed by output name. "
                f"Received: {what}={value!r}."
            )
        return list(value)
    if not broadcast and n > 1:
        raise ValueError(
            f"compile: {what} must be a list or dict for a model with {n} outputs {names}. "
            f"Received: {what}={value!r}."
        )
    return [value] * n
