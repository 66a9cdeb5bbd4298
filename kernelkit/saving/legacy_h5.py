"""The Keras 2 HDF5 layout: `.h5` weights files (`layer_names`, `weight_names`) and full models.

Weights files hold a root attribute `layer_names` and one group per layer with a
`weight_names` attribute and a dataset per weight (trainable weights first). Full-model files
add `model_config` and `training_config` attributes, put the weights in `model_weights` and
the optimizer in `optimizer_weights`.
"""

from __future__ import annotations

import json
import warnings

import numpy as np

from kernelkit.registry import custom_object_scope
from kernelkit.saving.atomic_write import atomic_path
from kernelkit.saving.model_state import (
    build_model,
    model_config,
    optimizer_arrays,
    restore_optimizer,
    with_custom_names,
)
from kernelkit.saving.object_config import check_config, parse_config
from kernelkit.saving.safe_h5 import import_h5py, open_h5, read_array
from kernelkit.saving.weights_h5 import apply_assignments

__all__ = ["load_legacy_model", "read_legacy_weights", "save_legacy_model",
           "save_legacy_weights", "write_legacy_weights"]


def _legacy_weights(layer) -> list:
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _names_attr(group, name: str) -> list[str]:
    values = group.attrs.get(name)
    if values is None:
        return []
    return [v.decode("utf8") if isinstance(v, bytes) else str(v) for v in np.atleast_1d(values)]


def write_legacy_weights(group, model) -> None:
    """Writes Keras 2's weights layout into an HDF5 group (the file root for weights files)."""
    layers = list(model.layers)
    group.attrs["layer_names"] = np.array([layer.name.encode("utf8") for layer in layers])
    group.attrs["backend"] = b"jax"
    group.attrs["keras_version"] = b"3 (written by kernelkit 0.1.0)"
    for layer in sorted(layers, key=lambda layer: layer.name):
        layer_group = group.create_group(layer.name)
        _write_subset(layer_group, _legacy_weights(layer))
    _write_subset(group.create_group("top_level_model_weights"), [])


def _write_subset(group, weights) -> None:
    names = [w.path.encode("utf8") for w in weights]
    group.attrs["weight_names"] = np.array(names) if names else np.zeros((0,), "S1")
    for name, weight in zip(names, weights):
        group.create_dataset(name.decode("utf8"), data=np.asarray(weight[...]))


def save_legacy_weights(model, filepath) -> None:
    """Writes a legacy `.h5` weights file atomically."""
    h5py = import_h5py()
    with atomic_path(filepath) as tmp:
        with h5py.File(tmp, "w") as handle:
            write_legacy_weights(handle, model)


def _stored_layers(group) -> list[tuple[str, list]]:
    """`(layer name, arrays)` for each stored layer that has weights, in `layer_names` order."""
    out = []
    for name in _names_attr(group, "layer_names"):
        if name not in group:
            continue
        layer_group = group[name]
        arrays = [read_array(layer_group[w]) for w in _names_attr(layer_group, "weight_names")
                  if w in layer_group]
        if arrays:
            out.append((name, arrays))
    return out


def _check_layer(layer, arrays, where, skip_mismatch, filepath):
    weights = _legacy_weights(layer)
    problem = None
    if len(weights) != len(arrays):
        problem = f"the layer has {len(weights)} weights, the file holds {len(arrays)}"
    else:
        for weight, value in zip(weights, arrays):
            if tuple(value.shape) != tuple(weight.shape):
                problem = (f"weight '{weight.path}' expects shape {tuple(weight.shape)}, the "
                           f"file holds shape {tuple(value.shape)}")
                break
    if problem is None:
        return list(zip(weights, arrays))
    if skip_mismatch:
        warnings.warn(f"load_weights: skipping layer '{layer.name}' ({where}) of "
                      f"{str(filepath)!r}: {problem}. The layer keeps its current weights.",
                      stacklevel=4)
        return []
    raise ValueError(
        f"load_weights: cannot load layer '{layer.name}' ({where}) from {str(filepath)!r}: "
        f"{problem}. Nothing was loaded. Check that the file matches the model, or pass "
        "skip_mismatch=True to skip such layers."
    )


def read_legacy_weights(group, model, skip_mismatch=False, by_name=False, filepath="file"):
    """Matches a legacy weights group to the model (topologically or by name), then assigns.

    Raises:
        ValueError: if the numbers of layers with weights differ (topological loading), or a
            layer's weights differ and `skip_mismatch` is False.
    """
    stored = _stored_layers(group)
    pairs = []
    if by_name:
        by = {}
        for layer in model.layers:
            by.setdefault(layer.name, []).append(layer)
        for name, arrays in stored:
            for layer in by.get(name, []):
                pairs += _check_layer(layer, arrays, f"by name {name!r}", skip_mismatch,
                                      filepath)
    else:
        layers = [layer for layer in model.layers if _legacy_weights(layer)]
        if len(layers) != len(stored):
            raise ValueError(
                f"load_weights: {str(filepath)!r} holds {len(stored)} layers with weights, "
                f"the model has {len(layers)}. Expected the same architecture (layers "
                "without weights do not count). Received: "
                f"saved layers={[n for n, _ in stored]}. Pass by_name=True to load the "
                "layers whose names match."
            )
        for k, (layer, (name, arrays)) in enumerate(zip(layers, stored)):
            pairs += _check_layer(layer, arrays, f"#{k}, saved as {name!r}", skip_mismatch,
                                  filepath)
    apply_assignments(pairs)


def save_legacy_model(model, filepath, include_optimizer=True) -> None:
    """Writes a Keras 2 style full-model `.h5` file atomically."""
    h5py = import_h5py()
    sync = getattr(model, "jax_state_sync", None)
    if sync is not None:
        sync()
    config = model_config(model, include_compile=False)
    with atomic_path(filepath) as tmp:
        with h5py.File(tmp, "w") as handle:
            handle.attrs["backend"] = b"jax"
            handle.attrs["keras_version"] = b"3 (written by kernelkit 0.1.0)"
            handle.attrs["model_config"] = json.dumps(config).encode("utf8")
            if include_optimizer and getattr(model, "compiled", False):
                handle.attrs["training_config"] = json.dumps(
                    model.get_compile_config()).encode("utf8")
            write_legacy_weights(handle.create_group("model_weights"), model)
            found = optimizer_arrays(model) if include_optimizer else None
            if found is not None:
                name, arrays = found
                group = handle.create_group("optimizer_weights")
                names = [f"{name}/{i}" for i in range(len(arrays))]
                group.attrs["weight_names"] = np.array([n.encode("utf8") for n in names])
                for n, value in zip(names, arrays):
                    group.create_dataset(n, data=value)


def _attr_json(handle, name, filepath):
    raw = handle.attrs.get(name)
    if raw is None:
        return None
    return parse_config(raw if isinstance(raw, bytes | str) else bytes(raw), filepath, name)


def _compile_config(training: dict) -> dict:
    """Keras 3 compile config from a training config (Keras 2's keys are accepted too)."""
    if "optimizer_config" not in training:
        return training
    return {"optimizer": training["optimizer_config"], "loss": training.get("loss"),
            "metrics": training.get("metrics"), "loss_weights": training.get("loss_weights"),
            "weighted_metrics": training.get("weighted_metrics")}


def load_legacy_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Rebuilds, fills and (when saved compiled) compiles the model of a full-model `.h5`.

    Raises:
        ValueError: if the file holds weights only (no `model_config`).
    """
    with open_h5(filepath, filepath, "full-model .h5 file") as handle:
        config = _attr_json(handle, "model_config", filepath)
        if config is None:
            raise ValueError(
                f"load_model: {str(filepath)!r} holds weights only, no model config. Expected "
                "a file written by model.save(). Received: a weights file. Build the model in "
                "code and call model.load_weights(filepath)."
            )
        model = build_model(config, custom_objects, safe_mode, compile=False,
                            where="model_config")
        group = handle["model_weights"] if "model_weights" in handle else handle
        read_legacy_weights(group, model, filepath=filepath)
        training = _attr_json(handle, "training_config", filepath)
        if compile and training:
            check_config(training, custom_objects, safe_mode, "training_config")
            with custom_object_scope(custom_objects or {}):
                model.compile_from_config(
                    with_custom_names(_compile_config(training), custom_objects))
            if "optimizer_weights" in handle:
                opt = handle["optimizer_weights"]
                arrays = [read_array(opt[n]) for n in _names_attr(opt, "weight_names")]
                restore_optimizer(model, arrays, filepath)
    return model
