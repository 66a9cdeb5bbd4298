"""Keras 3 weights files (`.weights.h5`, and `model.weights.h5` inside `.keras`), both ways."""

from __future__ import annotations

import warnings

import jax.numpy as jnp
import numpy as np

from kernelkit.saving.keras_layout import keras_layout
from kernelkit.saving.safe_h5 import read_array

__all__ = ["apply_assignments", "read_layer_weights", "read_store", "weights_file_bytes",
           "write_layer_weights",
           "write_store"]


def write_store(handle, path: str, name: str | None, arrays) -> None:
    """Writes `arrays` as datasets `0, 1, ...` of `<path>/vars` (the root `vars` for `""`)."""
    group = handle.require_group(f"{path}/vars" if path else "vars")
    if name is not None:
        group.attrs["name"] = name
    for i, value in enumerate(arrays):
        value = np.asarray(value)
        if value.dtype.name == "bfloat16":
            ds = group.create_dataset(str(i), data=value.astype(np.float32))
            ds.attrs["dtype"] = "bfloat16"
        else:
            group.create_dataset(str(i), data=value)


def read_store(handle, path: str) -> list | None:
    """The arrays stored at `<path>/vars`, in numeric order, or None when the group is absent."""
    key = f"{path}/vars" if path else "vars"
    if key not in handle:
        return None
    group = handle[key]
    names = sorted((k for k in group.keys() if k.isdigit()), key=int)
    return [read_array(group[k]) for k in names]


def write_layer_weights(handle, model) -> None:
    """Writes every layer's own variables at its Keras 3 path, with a `name` attribute.

    Example:
        >>> import io, h5py, kernelkit as kk
        >>> m = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> with h5py.File(io.BytesIO(), "w") as f:
        ...     write_layer_weights(f, m)
        ...     f["layers/dense/vars/0"].shape
        (3, 2)
    """
    for entry in keras_layout(model):
        write_store(handle, entry.path, entry.name, [v[...] for v in entry.variables])


def read_layer_weights(handle, model, skip_mismatch: bool = False, filepath="weights") -> list:
    """Matches the file's arrays to the model's variables; returns `(variable, array)` pairs.

    Nothing is assigned here, so a mismatch found anywhere leaves the model unchanged.

    Raises:
        ValueError: if a layer's stored variables differ in number or shape from the model's
            and `skip_mismatch` is False.
    """
    pairs = []
    for entry in keras_layout(model):
        if not entry.variables:
            continue
        stored = read_store(handle, entry.path) or []
        problem = _mismatch(entry, stored)
        if problem is None:
            pairs.extend(zip(entry.variables, stored))
            continue
        if skip_mismatch:
            warnings.warn(
                f"load_weights: skipping layer '{entry.name}' ({entry.path}) of "
                f"{str(filepath)!r}: {problem}. The layer keeps its current weights.",
                stacklevel=3,
            )
            continue
        raise ValueError(
            f"load_weights: cannot load layer '{entry.name}' ({entry.path}) from "
            f"{str(filepath)!r}: {problem}. Nothing was loaded. Check that the file was saved "
            "from the same architecture, or pass skip_mismatch=True to skip such layers."
        )
    return pairs


def _mismatch(entry, stored) -> str | None:
    if len(stored) != len(entry.variables):
        return (f"the model expects {len(entry.variables)} variables "
                f"{[v.name for v in entry.variables]}, the file holds {len(stored)}")
    for variable, value in zip(entry.variables, stored):
        if tuple(value.shape) != tuple(variable.shape):
            return (f"variable '{variable.path}' expects shape {tuple(variable.shape)}, the "
                    f"file holds shape {tuple(value.shape)}")
    return None


def apply_assignments(pairs) -> None:
    """Assigns every `(variable, array)` pair (casting to the variable's dtype)."""
    for variable, value in pairs:
        variable[...] = jnp.asarray(np.asarray(value).astype(variable.dtype))


def weights_file_bytes(model) -> bytes:
    """A standalone Keras 3 `.weights.h5` file of `model`'s layer weights, as bytes."""
    import io

    from kernelkit.saving.safe_h5 import import_h5py

    buffer = io.BytesIO()
    with import_h5py().File(buffer, "w") as handle:
        write_layer_weights(handle, model)
    return buffer.getvalue()
