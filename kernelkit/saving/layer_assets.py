"""Layer state outside the weights: `assets/<layer path>/...` files and named own variables.

Keras 3 lets a layer write files (`save_assets(dir)`, e.g. a lookup layer's
`vocabulary.txt`) to `assets/<its path>/` in the `.keras` archive, and arrays by name
(`save_own_variables(store)`, e.g. TF-IDF weights) to `<its path>/vars/<key>` in the weights
file. Layers that define these methods get them called here, at the paths Keras uses.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np

from kernelkit.saving.keras_layout import keras_layout
from kernelkit.saving.safe_h5 import read_array

__all__ = ["read_assets", "read_own_variables", "write_assets", "write_own_variables"]


def _entries_with(model, method: str):
    return [e for e in keras_layout(model) if callable(getattr(e.layer, method, None))]


def write_own_variables(handle, model) -> None:
    """Writes each layer's `save_own_variables` store under `<path>/vars/<key>`.

    Example:
        >>> import io, h5py, kernelkit as kk
        >>> vectorize = kk.layers.TextVectorization(output_mode="tf_idf")
        >>> vectorize.adapt(["a b", "b"])
        >>> inputs = kk.Input(shape=(1,), dtype="string")
        >>> model = kk.Model(inputs, vectorize(inputs))
        >>> with h5py.File(io.BytesIO(), "w") as f:
        ...     write_own_variables(f, model)
        ...     f["layers/text_vectorization/vars/idf_weights"].shape
        (3,)
    """
    for entry in _entries_with(model, "save_own_variables"):
        store: dict = {}
        entry.layer.save_own_variables(store)
        group = handle.require_group(f"{entry.path}/vars" if entry.path else "vars")
        for key, value in store.items():
            group.create_dataset(str(key), data=np.asarray(value))


def read_own_variables(handle, model) -> None:
    """Gives each layer with `load_own_variables` the named arrays of its `vars` group.

    Example:
        >>> import io, h5py, kernelkit as kk
        >>> vectorize = kk.layers.TextVectorization(output_mode="tf_idf")
        >>> vectorize.adapt(["a b", "b"])
        >>> inputs = kk.Input(shape=(1,), dtype="string")
        >>> model = kk.Model(inputs, vectorize(inputs))
        >>> with h5py.File(io.BytesIO(), "w") as f:
        ...     f["layers/text_vectorization/vars/idf_weights"] = np.ones(3, "float32")
        ...     read_own_variables(f, model)
        >>> vectorize._lookup_layer.idf_weights.tolist()
        [1.0, 1.0, 1.0]
    """
    for entry in _entries_with(model, "load_own_variables"):
        key = f"{entry.path}/vars" if entry.path else "vars"
        if key not in handle:
            continue
        group = handle[key]
        store = {k: read_array(group[k]) for k in group.keys() if not k.isdigit()}
        if store:
            entry.layer.load_own_variables(store)


def write_assets(zip_file, model) -> None:
    """Adds the files each layer's `save_assets(dir)` writes as `assets/<path>/<file>`.

    Example:
        >>> import io, zipfile, kernelkit as kk
        >>> lookup = kk.layers.StringLookup()
        >>> lookup.adapt(["a", "b", "a"])
        >>> inputs = kk.Input(shape=(1,), dtype="string")
        >>> model = kk.Model(inputs, lookup(inputs))
        >>> with zipfile.ZipFile(io.BytesIO(), "w") as zf:
        ...     write_assets(zf, model)
        ...     zf.namelist()
        ['assets/layers/string_lookup/vocabulary.txt']
    """
    for entry in _entries_with(model, "save_assets"):
        with tempfile.TemporaryDirectory() as tmp:
            entry.layer.save_assets(tmp)
            for root, _, files in os.walk(tmp):
                for name in sorted(files):
                    full = os.path.join(root, name)
                    rel = os.path.relpath(full, tmp).replace(os.sep, "/")
                    zip_file.write(full, f"assets/{entry.path}/{rel}")


def read_assets(archive, model) -> None:
    r"""Calls each layer's `load_assets(dir)` on a folder holding its `assets/<path>/` files.

    Example:
        >>> import io, zipfile, kernelkit as kk
        >>> lookup = kk.layers.StringLookup()
        >>> inputs = kk.Input(shape=(1,), dtype="string")
        >>> model = kk.Model(inputs, lookup(inputs))
        >>> buffer = io.BytesIO()
        >>> with zipfile.ZipFile(buffer, "w") as zf:
        ...     zf.writestr("assets/layers/string_lookup/vocabulary.txt", "[UNK]\nx\ny")
        >>> read_assets(zipfile.ZipFile(buffer), model)
        >>> lookup.get_vocabulary()
        ['[UNK]', 'x', 'y']
    """
    names = archive.namelist()
    for entry in _entries_with(model, "load_assets"):
        prefix = f"assets/{entry.path}/"
        mine = [n for n in names if n.startswith(prefix) and not n.endswith("/")]
        if not mine:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            for name in mine:
                rel = name[len(prefix):]
                if ".." in rel.split("/") or rel.startswith("/"):
                    continue  # never write outside the folder
                target = os.path.join(tmp, *rel.split("/"))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as f:
                    f.write(archive.read(name))
            entry.layer.load_assets(tmp)
