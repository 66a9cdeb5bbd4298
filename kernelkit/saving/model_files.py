"""`save_model`, `load_model`, `save_weights`, `load_weights`: the format chosen by the path."""

from __future__ import annotations

import os
import pathlib
import warnings

from kernelkit.config import is_unsafe_deserialization_enabled
from kernelkit.saving.archive import load_archive, read_archive_weights, save_archive
from kernelkit.saving.invalid_file import invalid_file
from kernelkit.saving.legacy_h5 import (
    load_legacy_model,
    read_legacy_weights,
    save_legacy_model,
    save_legacy_weights,
)
from kernelkit.saving.overwrite_prompt import may_write
from kernelkit.saving.safe_h5 import import_h5py, open_h5
from kernelkit.saving.weights_h5 import apply_assignments, read_layer_weights, weights_file_bytes

__all__ = ["load_model", "load_weights", "save_model", "save_weights"]

_ZIP_MAGIC = b"PK\x03\x04"
_H5_MAGIC = b"\x89HDF\r\n\x1a\n"


def _path(filepath, who: str) -> pathlib.Path:
    if not isinstance(filepath, str | os.PathLike):
        raise TypeError(
            f"{who}: `filepath` must be a str or a pathlib.Path. Expected a path such as "
            f"'model.keras'. Received: filepath={filepath!r} of type "
            f"{type(filepath).__name__}."
        )
    return pathlib.Path(filepath)


def _kind(path: pathlib.Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".weights.h5"):
        return "weights"
    if name.endswith(".keras"):
        return "keras"
    if name.endswith((".h5", ".hdf5")):
        return "h5"
    return None


def save_model(model, filepath, overwrite=True, include_optimizer=True, save_format=None):
    """Saves `model` to `filepath`: a `.keras` archive, or a legacy full-model `.h5` file.

    The file is written beside the target and renamed into place, so a failed save leaves
    any previous file intact.

    Args:
        model: The model to save.
        filepath: A `str` or `pathlib.Path` ending in `.keras` (or `.h5` for Keras 2's format).
        overwrite: Replace an existing file silently; if False, ask via `input()`.
        include_optimizer: Save the compile config and the optimizer state.
        save_format: Deprecated; only `"keras"` (or `"h5"` with an `.h5` path) is accepted.

    Raises:
        ValueError: for another extension or save format.
        TypeError: if `filepath` is not a path.

    Example:
        >>> import tempfile, pathlib, kernelkit as kk
        >>> m = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> save_model(m, pathlib.Path(tempfile.mkdtemp()) / "m.keras")
    """
    path = _path(filepath, "save_model")
    kind = _kind(path)
    if save_format is not None:
        warnings.warn(
            "save_model: the `save_format` argument is deprecated in Keras 3; the format "
            "follows the file extension. Remove save_format.", DeprecationWarning, stacklevel=3)
        if save_format not in ("keras", "h5") or (save_format == "h5") != (kind == "h5"):
            raise ValueError(
                f"save_model: unsupported save_format. Expected 'keras' with a '.keras' path "
                f"(or 'h5' with an '.h5' path). Received: save_format={save_format!r}, "
                f"filepath={str(path)!r}. Drop save_format and use a '.keras' path."
            )
    if kind not in ("keras", "h5"):
        raise ValueError(
            "save_model: the file name must end in '.keras' (or '.h5' for the legacy Keras 2 "
            f"format). Received: filepath={str(path)!r}. "
            + ("Use model.save_weights() for a '.weights.h5' file." if kind == "weights"
               else "Add the '.keras' extension.")
        )
    if not may_write(path, overwrite):
        return
    if kind == "keras":
        save_archive(model, path, include_optimizer)
    else:
        save_legacy_model(model, path, include_optimizer)


def _sniff(path: pathlib.Path) -> str:
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except IsADirectoryError:
        raise invalid_file(path, ".keras archive", "it is a directory") from None
    if head.startswith(_ZIP_MAGIC):
        return "keras"
    if head == _H5_MAGIC:
        return "h5"
    reason = "it is empty" if not head else "it is neither a zip archive nor an HDF5 file"
    raise invalid_file(path, ".keras archive or .h5 file", reason)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved with `save_model` / `Model.save` (or by Keras 3).

    Classes are resolved only through the registry: kernelkit's own, `custom_objects`, and
    classes registered with `register_keras_serializable`. Nothing named in the file is ever
    imported, and Python bytecode (`Lambda` layers holding lambdas) is refused unless the
    caller passes `safe_mode=False`.

    Args:
        filepath: A `.keras` archive or a legacy full-model `.h5` file.
        custom_objects: Optional dict mapping names to custom classes or functions.
        compile: Compile the model from the saved compile config (and restore the optimizer
            state) when there is one.
        safe_mode: Refuse Python bytecode in the config (default True; None means True).

    Returns:
        The model, compiled when it was saved compiled and `compile=True`.

    Raises:
        ValueError: if the file does not exist or is a weights-only file.
        InvalidFileError: if the file is not a valid kernelkit/Keras file.
        UnsafeModelError: if the file asks for anything that loading refuses.

    Example:
        >>> import tempfile, pathlib, kernelkit as kk
        >>> m = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.keras"
        >>> m.save(path)
        >>> load_model(path).count_params()
        8
    """
    path = _path(filepath, "load_model")
    if not path.is_file():
        raise ValueError(
            f"load_model: no file at {str(path)!r}. Expected an existing '.keras' or '.h5' "
            f"file. Received: filepath={str(path)!r}. Check the path."
        )
    if _kind(path) == "weights":
        raise ValueError(
            f"load_model: {str(path)!r} is a weights-only file. Expected a '.keras' or full "
            "model '.h5' file. Received: a '.weights.h5' path. Build the model in code and "
            "call model.load_weights(filepath)."
        )
    if safe_mode is None:  # Keras 3 treats None as the default: safe
        safe_mode = True
    if is_unsafe_deserialization_enabled():  # as in Keras, it overrides the argument
        safe_mode = False
    if _sniff(path) == "keras":
        return load_archive(path, custom_objects, compile, safe_mode)
    return load_legacy_model(path, custom_objects, compile, safe_mode)


def save_weights(model, filepath, overwrite=True) -> None:
    """Saves the weights: Keras 3's layout for `.weights.h5`, Keras 2's for other `.h5` names.

    Raises:
        ValueError: if the path ends neither in `.weights.h5` nor in `.h5`.

    Example:
        >>> import tempfile, pathlib, kernelkit as kk
        >>> m = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.weights.h5"
        >>> save_weights(m, path)
        >>> path.is_file()
        True
    """
    path = _path(filepath, "save_weights")
    kind = _kind(path)
    if kind not in ("weights", "h5"):
        raise ValueError(
            "save_weights: the file name must end in '.weights.h5' (or '.h5' for the legacy "
            f"Keras 2 layout). Received: filepath={str(path)!r}. Use a '.weights.h5' name, "
            "or model.save() for a '.keras' archive."
        )
    import_h5py()
    if not may_write(path, overwrite):
        return
    sync = getattr(model, "jax_state_sync", None)
    if sync is not None:
        sync()
    if kind == "h5":
        save_legacy_weights(model, path)
        return
    from kernelkit.saving.atomic_write import atomic_path

    data = weights_file_bytes(model)
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)


def load_weights(model, filepath, skip_mismatch=False, by_name=False) -> None:
    """Loads weights from a `.weights.h5`, a legacy `.h5` or a `.keras` file into `model`.

    Loading is all or nothing: shapes are checked before anything is assigned.

    Raises:
        ValueError: if the file is missing, a layer does not match (without
            `skip_mismatch`), or `by_name=True` is used with a non-legacy file.

    Example:
        >>> import tempfile, pathlib, numpy as np, kernelkit as kk
        >>> m = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.weights.h5"
        >>> m.save_weights(path)
        >>> m2 = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> load_weights(m2, path)
        >>> all(np.array_equal(a, b) for a, b in zip(m.get_weights(), m2.get_weights()))
        True
    """
    path = _path(filepath, "load_weights")
    if not path.is_file():
        raise ValueError(
            f"load_weights: no file at {str(path)!r}. Expected an existing '.weights.h5', "
            f"'.h5' or '.keras' file. Received: filepath={str(path)!r}. Check the path."
        )
    import_h5py()
    if _sniff(path) == "keras":
        _refuse_by_name(by_name, path)
        read_archive_weights(model, path, skip_mismatch)
        return
    with open_h5(path, path, "weights file") as handle:
        legacy = "layer_names" in handle.attrs or "model_weights" in handle
        if not legacy:
            _refuse_by_name(by_name, path)
            apply_assignments(read_layer_weights(handle, model, skip_mismatch, path))
            return
        group = handle["model_weights"] if "model_weights" in handle else handle
        read_legacy_weights(group, model, skip_mismatch, by_name, path)


def _refuse_by_name(by_name, path) -> None:
    if by_name:
        raise ValueError(
            f"load_weights: by_name=True works only with legacy Keras 2 '.h5' weights files. "
            f"Received: by_name=True, filepath={str(path)!r}, a Keras 3 file whose weights "
            "are stored by position. Drop by_name."
        )
