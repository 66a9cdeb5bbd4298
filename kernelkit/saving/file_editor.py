"""`KerasFileEditor`: inspect, compare and edit the weights of a `.keras` or `.weights.h5` file.

Files are opened with the same defensive readers as `load_model` (zip members checked, HDF5
links, external storage and non-numeric datasets refused) and nothing in them is run: the
editor only reads arrays, and writes a `.weights.h5` file in Keras 3's layout.
"""

from __future__ import annotations

import json
import os

import jax
import numpy as np

from kernelkit.saving.archive import CONFIG, METADATA, _open_weights
from kernelkit.saving.keras_layout import keras_layout
from kernelkit.saving.object_config import parse_config
from kernelkit.saving.safe_h5 import import_h5py, open_h5, read_array
from kernelkit.saving.safe_zip import open_archive, read_member

__all__ = ["KerasFileEditor"]

_MAX_METADATA = 1 << 20


def _extract(group, path="", metadata=None):
    """The nested dict of a weights file (`vars` levels removed, empty groups skipped) and
    each object's HDF5 attributes by path."""
    h5py = import_h5py()
    metadata = {} if metadata is None else metadata
    if group.attrs:
        metadata[path] = dict(group.attrs.items())
    out = {}
    for key in group.keys():
        value = group[key]
        if isinstance(value, h5py.Group):
            if len(value) == 0 or ("vars" in value and len(value["vars"]) == 0):
                continue
            inner = value["vars"] if "vars" in value else value
            out[key], _ = _extract(inner, f"{path}/{key}", metadata)
        else:
            out[key] = read_array(value)
    return out, metadata


def _spec_of(model) -> dict:
    """The weights tree the model would write (Keras 3's paths, creation order), as shapes."""
    spec = {}
    for entry in keras_layout(model):
        if not entry.variables:
            continue
        node = spec
        for part in [p for p in entry.path.split("/") if p]:
            node = node.setdefault(part, {})
        for i, variable in enumerate(entry.variables):
            node[str(i)] = jax.ShapeDtypeStruct(tuple(variable.shape), variable.dtype)
    return spec


class KerasFileEditor:
    """Opens a saved model's weights to list, compare, rename, delete or add them, then save.

    Useful to adapt a weights file after changing a model's architecture. Object names are
    those of the file (`"layers/dense_2"` as a path, or `"dense_2"` when unique); weights are
    named `"0"`, `"1"`, ... in creation order.

    Args:
        filepath: A `.keras` archive or a `.weights.h5` file.

    Raises:
        ValueError: for another extension.
        InvalidFileError: if the file is not a readable archive or HDF5 file.
        UnsafeModelError: if the file holds something refused (links, external data).

    Example:
        >>> import tempfile, os, numpy as np, kernelkit as kk
        >>> model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2, name="dense")])
        >>> path = os.path.join(tempfile.mkdtemp(), "m.weights.h5")
        >>> model.save_weights(path)
        >>> editor = KerasFileEditor(path)  # doctest: +ELLIPSIS
        Keras model file '...m.weights.h5'
        >>> editor.rename_object("dense", "head")
        >>> sorted(editor.weights_dict["layers"])
        ['head']
    """

    def __init__(self, filepath):
        self.filepath = os.fspath(filepath)
        self.metadata = self.config = None
        if self.filepath.endswith(".keras"):
            archive = open_archive(self.filepath)
            try:
                self.config = parse_config(read_member(archive, CONFIG, 64 << 20,
                                                       self.filepath), self.filepath)
                if METADATA in archive.namelist():
                    self.metadata = json.loads(read_member(archive, METADATA, _MAX_METADATA,
                                                           self.filepath))
                handle = _open_weights(archive, self.filepath)
            finally:
                archive.close()
        elif self.filepath.endswith(".weights.h5"):
            handle = open_h5(self.filepath, self.filepath)
        else:
            raise ValueError(
                "KerasFileEditor: unknown file type. Expected a '.keras' or '.weights.h5' "
                f"file. Received: filepath={self.filepath!r}. Pass a file with one of those "
                "extensions."
            )
        with handle:
            self.weights_dict, self.object_metadata = _extract(handle)
        print(f"Keras model file '{self.filepath}'")
        if self.metadata:
            print(f"Saved with Keras {self.metadata.get('keras_version')} - date: "
                  f"{self.metadata.get('date_saved')}")

    # ---- inspecting ---------------------------------------------------------------------------

    def summary(self) -> None:
        """Prints the file's weights as a tree (objects, weight names, shapes and dtypes)."""
        print("Weights structure")
        self._print_tree(self.weights_dict, "", "")

    def _print_tree(self, tree, prefix, path):
        items = list(tree.items())
        for i, (key, value) in enumerate(items):
            last = i == len(items) - 1
            connector = "└─ " if last else "├─ "
            inner = f"{path}/{key}"
            if isinstance(value, dict):
                name = self.object_metadata.get(inner, {}).get("name")
                print(f"{prefix}{connector}{key}" + (f" ('{name}')" if name else ""))
                self._print_tree(value, prefix + ("    " if last else "│   "), inner)
            else:
                print(f"{prefix}{connector}{key}: shape={value.shape}, dtype={value.dtype}")

    def compare(self, reference_model) -> dict:
        """Checks that the file's weights fit `reference_model` (same objects and shapes).

        Args:
            reference_model: A kernelkit model.

        Returns:
            `{"status": "success" | "error", "error_count": int, "match_count": int}`; each
            mismatch is printed.
        """
        print("Running comparison")
        reference = _spec_of(reference_model)
        checked = set()
        errors, matches = self._compare(self.weights_dict, reference, "", "saved file",
                                        "reference model", checked)
        errors += self._compare(reference, self.weights_dict, "", "reference model",
                                "saved file", checked)[0]
        if errors == 0:
            print("Comparison successful: saved file is compatible with the reference model")
            print(f"    Found {matches} matching weight{'' if matches == 1 else 's'}")
        else:
            print(f"Found {errors} error{'' if errors == 1 else 's'}: saved file is not "
                  "compatible with the reference model")
        return {"status": "success" if errors == 0 else "error", "error_count": errors,
                "match_count": matches}

    def _compare(self, target, reference, path, target_name, ref_name, checked,
                 errors=0, matches=0):
        # The counts accumulate as in Keras 3's editor (a nested object's running totals
        # are added to its parent's), so `compare` reports Keras's numbers.
        for key, ref in reference.items():
            inner = f"{path}/{key}"
            if inner in checked:
                continue
            if key not in target:
                errors += 1
                checked.add(inner)
                kind = "Object" if isinstance(ref, dict) else "Weight"
                print(f"...{kind} {inner} present in {ref_name}, missing from {target_name}")
            elif isinstance(ref, dict):
                e, m = self._compare(target[key], ref, inner, target_name, ref_name, checked,
                                     errors, matches)
                errors, matches = errors + e, matches + m
            elif target[key].shape != ref.shape:
                errors += 1
                checked.add(inner)
                print(f"...Weight shape mismatch for {inner}\n    In {ref_name}: "
                      f"shape={ref.shape}\n    In {target_name}: shape={target[key].shape}")
            else:
                matches += 1
        return errors, matches

    # ---- editing ------------------------------------------------------------------------------

    def _parent_of(self, object_name):
        """The dict holding `object_name` (a path, or a name found exactly once) and its key."""
        if "/" in object_name:
            *parents, leaf = object_name.split("/")
            node = self.weights_dict
            for part in parents:
                if not isinstance(node.get(part), dict):
                    raise self._not_found(object_name)
                node = node[part]
            if leaf not in node:
                raise self._not_found(object_name)
            return node, leaf
        found = []
        stack = [self.weights_dict]
        while stack:
            node = stack.pop()
            if object_name in node:
                found.append(node)
            stack.extend(v for v in node.values() if isinstance(v, dict))
        if len(found) != 1:
            if found:
                raise ValueError(
                    f"KerasFileEditor: the name {object_name!r} occurs {len(found)} times in "
                    "the file. Expected a unique name. Received: object_name="
                    f"{object_name!r}. Pass its full path, e.g. 'layers/{object_name}'."
                )
            raise self._not_found(object_name)
        return found[0], object_name

    @staticmethod
    def _not_found(object_name):
        return ValueError(
            f"KerasFileEditor: {object_name!r} is not in the file. Expected a name or path "
            "that summary() lists. Received: object_name="
            f"{object_name!r}. Call editor.summary() to see the objects."
        )

    @staticmethod
    def _check_weights(who, weights):
        if not isinstance(weights, dict):
            raise ValueError(
                f"KerasFileEditor.{who}: `weights` must be a dict of weight name to array "
                f"(names are usually '0', '1', ...). Received: weights of type "
                f"{type(weights).__name__}."
            )
        return {str(k): np.asarray(v) for k, v in weights.items()}

    def rename_object(self, object_name, new_name) -> None:
        """Renames an object (e.g. a layer).

        Args:
            object_name: The object's name or path (`"dense_2"` or `"layers/dense_2"`).
            new_name: The new name (no `/`).

        Raises:
            ValueError: for a missing or ambiguous object, or a `new_name` with `/`.
        """
        if "/" in new_name:
            raise ValueError(
                "KerasFileEditor.rename_object: `new_name` must be a name, not a path. "
                f"Expected no '/'. Received: new_name={new_name!r}."
            )
        parent, key = self._parent_of(object_name)
        parent[new_name] = parent.pop(key)

    def delete_object(self, object_name) -> None:
        """Removes an object (e.g. a layer) and all its weights.

        Args:
            object_name: The object's name or path.

        Raises:
            ValueError: for a missing or ambiguous object.
        """
        parent, key = self._parent_of(object_name)
        parent.pop(key)

    def add_object(self, object_path, weights) -> None:
        """Adds a new object with `weights` at `object_path` (its parents must exist).

        Args:
            object_path: The new object's full path, e.g. `"layers/dense_2"`.
            weights: Dict of weight name (`"0"`, `"1"`, ...) to array.

        Raises:
            ValueError: if `weights` is not a dict, or the parent path is missing.
        """
        weights = self._check_weights("add_object", weights)
        *parents, leaf = object_path.split("/")
        node = self.weights_dict
        for part in parents:
            if not isinstance(node.get(part), dict):
                raise self._not_found("/".join(parents))
            node = node[part]
        node[leaf] = weights

    def delete_weight(self, object_name, weight_name) -> None:
        """Removes one weight from an object.

        Args:
            object_name: The object's name or path.
            weight_name: The weight's name, e.g. `"0"`.

        Raises:
            ValueError: for a missing object or weight.
        """
        parent, key = self._parent_of(object_name)
        if weight_name not in parent[key]:
            raise ValueError(
                f"KerasFileEditor.delete_weight: weight {weight_name!r} is not in "
                f"{object_name!r}. Expected one of {list(parent[key])}. Received: "
                f"weight_name={weight_name!r}."
            )
        parent[key].pop(weight_name)

    def add_weights(self, object_name, weights) -> None:
        """Adds (or replaces) weights of an existing object.

        Args:
            object_name: The object's name or path.
            weights: Dict of weight name to array.

        Raises:
            ValueError: if `weights` is not a dict, or the object is missing.
        """
        weights = self._check_weights("add_weights", weights)
        parent, key = self._parent_of(object_name)
        parent[key].update(weights)

    # ---- writing ------------------------------------------------------------------------------

    def save(self, filepath) -> None:
        """Writes the edited weights to a `.weights.h5` file in Keras 3's layout.

        Args:
            filepath: The file to write; it must end in `.weights.h5`.

        Raises:
            ValueError: for another extension.
        """
        filepath = os.fspath(filepath)
        if not filepath.endswith(".weights.h5"):
            raise ValueError(
                "KerasFileEditor.save: the file must be a weights file. Expected a "
                f"'.weights.h5' extension. Received: filepath={filepath!r}. Save the whole "
                "model with model.save('....keras') instead."
            )
        with import_h5py().File(filepath, "w") as handle:
            self._write(handle, self.weights_dict, "")

    def _write(self, handle, tree, path):
        leaves = {k: v for k, v in tree.items() if not isinstance(v, dict)}
        for key, value in tree.items():
            if isinstance(value, dict) and value:
                self._write(handle, value, f"{path}/{key}" if path else key)
        if leaves:
            group = handle.require_group(f"{path}/vars" if path else "vars")
            for key, value in leaves.items():
                value = np.asarray(value)
                if value.dtype.name == "bfloat16":
                    group.create_dataset(key, data=value.astype(np.float32)).attrs[
                        "dtype"] = "bfloat16"
                else:
                    group.create_dataset(key, data=value)

    def resave_weights(self, filepath) -> None:
        """Keras's older name for `save`.

        Args:
            filepath: The `.weights.h5` file to write.
        """
        self.save(filepath)
