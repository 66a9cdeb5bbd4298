"""Opening HDF5 weight files defensively: links, external storage and odd datasets refused."""

from __future__ import annotations

import io
import math

import numpy as np

from kernelkit.errors import UnsafeModelError
from kernelkit.saving.invalid_file import invalid_file

__all__ = ["import_h5py", "open_h5", "read_array"]

_NUMERIC_KINDS = frozenset("fiub")
_MAX_EXPANSION = 100
_SMALL = 1 << 20


def import_h5py():
    """Returns the `h5py` module.

    Raises:
        ImportError: if h5py is not installed.
    """
    try:
        import h5py
    except ImportError as e:
        raise ImportError(
            "kernelkit.saving: HDF5 files need the h5py package, which is not installed. "
            "Expected an importable h5py. Received: ImportError. Install it with "
            "`pip install h5py`."
        ) from e
    return h5py


def open_h5(source, filepath, kind: str = ".weights.h5 file"):
    """Opens an HDF5 file read-only after checking every object in it.

    Refused: external links, soft links (Keras files never hold links, and a link is how a
    file would point outside itself), virtual datasets, datasets with external storage,
    datasets that are not plain numbers (object, string, compound or reference types), and
    datasets declaring far more bytes than they store.

    Args:
        source: A path or a file-like object.
        filepath: The name to use in errors.
        kind: What the file should be, for errors.

    Raises:
        InvalidFileError: if the file is not HDF5 or is damaged.
        UnsafeModelError: if an object is refused.
    """
    h5py = import_h5py()
    try:
        handle = h5py.File(source, "r")
    except (OSError, ValueError) as e:
        reason = "it is empty" if _is_empty(source) else f"not an HDF5 file: {e}"
        raise invalid_file(filepath, kind, reason) from None
    try:
        _check_group(h5py, handle, filepath)
    except UnsafeModelError:
        handle.close()
        raise
    except (OSError, RuntimeError, KeyError, ValueError) as e:
        handle.close()
        raise invalid_file(filepath, kind, f"the file is damaged: {e}") from None
    return handle


def _is_empty(source) -> bool:
    if isinstance(source, io.BytesIO):
        return not source.getbuffer().nbytes
    try:
        import os

        return os.path.getsize(source) == 0
    except (OSError, TypeError):
        return False


def _refuse(filepath, where: str, problem: str) -> UnsafeModelError:
    return UnsafeModelError(
        f"load_weights: HDF5 object {where!r} in {str(filepath)!r} {problem}, so the file is "
        "refused before any weight is read. Expected plain groups and numeric datasets. "
        f"Received: object={where!r}. Only load files from sources you trust."
    )


def _check_group(h5py, group, filepath) -> None:
    stack = [group]
    while stack:
        current = stack.pop()
        for key in current.keys():
            where = f"{current.name.rstrip('/')}/{key}"
            link = current.get(key, getlink=True)
            if isinstance(link, h5py.ExternalLink):
                raise _refuse(filepath, where, f"is an external link to {link.filename!r}")
            if isinstance(link, h5py.SoftLink):
                raise _refuse(filepath, where, f"is a soft link to {link.path!r}")
            obj = current[key]
            if isinstance(obj, h5py.Group):
                stack.append(obj)
            elif isinstance(obj, h5py.Dataset):
                _check_dataset(obj, where, filepath)
            else:
                raise _refuse(filepath, where, "is neither a group nor a dataset")


def _check_dataset(ds, where, filepath) -> None:
    if ds.is_virtual:
        raise _refuse(filepath, where, "is a virtual dataset")
    if ds.external:
        raise _refuse(filepath, where, "keeps its data in external files")
    if ds.dtype.kind not in _NUMERIC_KINDS or ds.dtype.fields is not None:
        raise _refuse(filepath, where, f"has the non-numeric dtype {ds.dtype}")
    declared = math.prod(ds.shape or ()) * ds.dtype.itemsize
    stored = ds.id.get_storage_size()
    if declared > _SMALL and declared > _MAX_EXPANSION * max(stored, 1):
        raise _refuse(filepath, where,
                      f"declares {declared} bytes but stores only {stored}")


def read_array(ds) -> np.ndarray:
    """Reads a checked dataset into a NumPy array (bfloat16 restored from Keras's attribute)."""
    value = np.asarray(ds[()])
    if ds.attrs.get("dtype") == "bfloat16":
        import ml_dtypes

        value = value.astype(ml_dtypes.bfloat16)
    return value
