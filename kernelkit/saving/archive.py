"""The `.keras` archive: a zip of config.json, metadata.json and model.weights.h5 (Keras 3)."""

from __future__ import annotations

import io
import json
import os
import zipfile

from kernelkit.saving.atomic_write import atomic_path
from kernelkit.saving.layer_assets import (
    read_assets,
    read_own_variables,
    write_assets,
    write_own_variables,
)
from kernelkit.saving.model_state import (
    build_model,
    metadata_json,
    model_config,
    optimizer_arrays,
    restore_optimizer,
)
from kernelkit.saving.object_config import parse_config
from kernelkit.saving.safe_h5 import import_h5py, open_h5
from kernelkit.saving.safe_zip import open_archive, read_member
from kernelkit.saving.weights_h5 import (
    apply_assignments,
    read_layer_weights,
    read_store,
    write_layer_weights,
    write_store,
)

__all__ = ["load_archive", "read_archive_weights", "save_archive", "weights_bytes"]

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"
_MAX_CONFIG = 64 << 20
_MAX_WEIGHTS = 1 << 36


def weights_bytes(model, include_optimizer: bool = True, extra=None) -> bytes:
    """The Keras 3 weights file of `model` as bytes (optimizer variables included).

    `extra(handle)`, when given, writes more groups (training checkpoints use it).
    """
    h5py = import_h5py()
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as handle:
        write_layer_weights(handle, model)
        write_own_variables(handle, model)  # named arrays of lookup layers (TF-IDF weights)
        found = optimizer_arrays(model) if include_optimizer else None
        if found is not None:
            write_store(handle, "optimizer", *found)
        if extra is not None:
            extra(handle)
    return buffer.getvalue()


def save_archive(model, filepath, include_optimizer: bool = True, extra=None) -> None:
    """Writes `model` to a `.keras` archive atomically (Keras 3's layout, stored members).

    Example:
        >>> import tempfile, pathlib, kernelkit as kk
        >>> m = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.keras"
        >>> save_archive(m, path)
        >>> sorted(zipfile.ZipFile(path).namelist())
        ['config.json', 'metadata.json', 'model.weights.h5']
    """
    sync = getattr(model, "jax_state_sync", None)
    if sync is not None:
        sync()
    config = json.dumps(model_config(model, include_compile=include_optimizer))
    weights = weights_bytes(model, include_optimizer, extra)
    with atomic_path(filepath) as tmp:
        with open(tmp, "wb") as f:
            with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as zf:
                zf.writestr(METADATA, metadata_json())
                zf.writestr(CONFIG, config)
                zf.writestr(WEIGHTS, weights)
                write_assets(zf, model)  # e.g. assets/layers/string_lookup/vocabulary.txt
            f.flush()
            os.fsync(f.fileno())


def _open_weights(archive, filepath):
    data = read_member(archive, WEIGHTS, _MAX_WEIGHTS, filepath)
    return open_h5(io.BytesIO(data), filepath, ".keras archive with model.weights.h5")


def load_archive(filepath, custom_objects=None, compile: bool = True, safe_mode: bool = True,
                 extra=None):
    """Rebuilds, fills and (when the file says so) compiles the model in a `.keras` archive.

    `extra(handle, model)`, when given, reads more groups of the weights file.
    """
    with open_archive(filepath) as archive:
        config = parse_config(read_member(archive, CONFIG, _MAX_CONFIG, filepath), filepath)
        with _open_weights(archive, filepath) as handle:
            model = build_model(config, custom_objects, safe_mode, compile)
            apply_assignments(read_layer_weights(handle, model, filepath=filepath))
            read_own_variables(handle, model)
            read_assets(archive, model)
            if compile:
                restore_optimizer(model, read_store(handle, "optimizer"), filepath)
            if extra is not None:
                extra(handle, model)
    return model


def read_archive_weights(model, filepath, skip_mismatch: bool = False) -> None:
    """Loads only the layer weights of a `.keras` archive into an existing model."""
    with open_archive(filepath) as archive, _open_weights(archive, filepath) as handle:
        apply_assignments(read_layer_weights(handle, model, skip_mismatch, filepath))
