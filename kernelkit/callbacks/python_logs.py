"""`to_python_logs`: turns a (possibly lazy) dict of device arrays into a dict of Python floats."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import jax
import numpy as np

__all__ = ["to_python_logs"]


def _flatten(logs: Mapping, into: dict, sort_keys: bool) -> dict:
    for key, value in sorted(logs.items()) if sort_keys else logs.items():
        if isinstance(value, Mapping):
            _flatten(value, into, sort_keys)
        else:
            into[key] = value
    return into


def _to_python(value):
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, np.ndarray | np.generic) and value.size == 1:
        if np.issubdtype(value.dtype, np.number) or value.dtype == np.bool_:
            return float(value.reshape(()))
    return value


def to_python_logs(logs: Mapping | Callable[[], Mapping] | None, sort_keys: bool = True) -> dict:
    """Converts logs to a flat dict whose scalar values are Python floats.

    Nested dicts are flattened into one level, each level in sorted key order (as Keras does)
    unless `sort_keys=False`. All device arrays are fetched in one `jax.device_get` (one
    synchronisation for the whole dict). Values that are not scalars (e.g. a confusion matrix)
    are returned as NumPy arrays; strings and other objects are returned unchanged.

    Args:
        logs: `None`, a dict of values (JAX arrays, NumPy arrays, numbers), or a zero-argument
            callable returning such a dict; a callable is only called here, so a training loop can
            hand over logs that are never computed when nobody reads them.
        sort_keys: Whether to sort the keys (as Keras's `CallbackList` does); `False` keeps the
            order of `logs`.

    Returns:
        A new dict.

    Example:
        >>> import jax.numpy as jnp
        >>> to_python_logs({"loss": jnp.asarray(0.5), "extra": {"mae": 2}})
        {'mae': 2.0, 'loss': 0.5}
    """
    if logs is None:
        return {}
    if callable(logs) and not isinstance(logs, Mapping):
        logs = logs()
        if logs is None:
            return {}
    flat = _flatten(logs, {}, sort_keys)
    fetched = jax.device_get(list(flat.values()))
    return {key: _to_python(value) for key, value in zip(flat, fetched)}
