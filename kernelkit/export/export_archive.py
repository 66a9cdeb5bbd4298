"""`ExportArchive`: several named `jax.export` endpoints (and variable collections) written to
one folder, and `load_archive` to call them again without the Python classes.

The folder holds `manifest.json`, one `endpoints/<name>.jaxexport` per endpoint (StableHLO
with the tracked weights baked in as constants, so reloading runs no code from the folder)
and `variables/<name>.npz` per variable collection (numeric arrays only).
"""

from __future__ import annotations

import json
import os
import pathlib

import jax
import numpy as np

from kernelkit.saving.invalid_file import invalid_file

__all__ = ["ExportArchive", "ReloadedArchive", "load_archive"]

_FORMAT = "kernelkit.ExportArchive/1"


def _spec(who, spec, index, symbols):
    """A `jax.ShapeDtypeStruct` from an InputSpec, symbolic tensor, array or struct; `None`
    dimensions become symbolic (the first axis shares the name `batch`), all in one scope."""
    shape, dtype = getattr(spec, "shape", None), getattr(spec, "dtype", None)
    if shape is None:
        raise ValueError(
            f"{who}: input {index} of `input_signature` has no shape. Expected an InputSpec, "
            "jax.ShapeDtypeStruct, symbolic tensor or array with a shape. Received: "
            f"{spec!r}. Pass e.g. kernelkit.InputSpec(shape=(None, 3), dtype='float32')."
        )
    dims = []
    for axis, d in enumerate(shape):
        if d is None:
            name = "batch" if axis == 0 else f"d{index}_{axis}"
            if name not in symbols:
                (symbols[name],) = jax.export.symbolic_shape(name, scope=symbols["scope"])
            d = symbols[name]
        dims.append(d)
    return jax.ShapeDtypeStruct(tuple(dims), dtype or "float32")


class ExportArchive:
    """Collects serving endpoints of tracked models and writes them out as one artifact.

    Each endpoint is exported with `jax.export` for the given input signature (a `None`
    dimension stays symbolic); the weights the function reads are baked in, so the written
    folder serves predictions with `load_archive(path).<name>(x)`, without kernelkit's layer
    classes. Keras writes a TensorFlow SavedModel here; kernelkit writes its own folder.

    Args:
        format: `"saved_model"` (Keras's default name) or `"jax"`: both write kernelkit's
            `jax.export` folder.

    Raises:
        ValueError: for any other `format`.

    Example:
        >>> import tempfile, numpy as np, kernelkit as kk
        >>> model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> archive = ExportArchive()
        >>> archive.track(model)
        >>> _ = archive.add_endpoint("serve", lambda x: model(x, training=False),
        ...                          [kk.InputSpec(shape=(None, 3), dtype="float32")])
        >>> path = tempfile.mkdtemp() + "/archive"
        >>> archive.write_out(path, verbose=False)
        >>> load_archive(path).serve(np.ones((4, 3), "float32")).shape
        (4, 2)
    """

    def __init__(self, format="saved_model"):
        if format not in ("saved_model", "jax"):
            raise ValueError(
                "ExportArchive: unknown format. Expected 'saved_model' or 'jax' (both write "
                f"kernelkit's jax.export folder). Received: format={format!r}."
            )
        self._tracked, self._endpoints, self._collections = [], {}, {}

    def track(self, resource) -> None:
        """Tracks a layer or model, so its variables are listed by the archive.

        Args:
            resource: A kernelkit layer or model.

        Raises:
            ValueError: if `resource` has no variables list (not a layer or model).
        """
        if not hasattr(resource, "variables"):
            raise ValueError(
                "ExportArchive.track: expected a kernelkit layer or model. Received: "
                f"{type(resource).__name__} without `variables`. Pass a layer or model."
            )
        if all(resource is not r for r in self._tracked):
            self._tracked.append(resource)

    def _tracked_variables(self, kind):
        out, seen = [], set()
        for resource in self._tracked:
            for v in getattr(resource, kind):
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    @property
    def variables(self) -> list:
        """The variables of every tracked resource."""
        return self._tracked_variables("variables")

    @property
    def trainable_variables(self) -> list:
        """The trainable variables of every tracked resource."""
        return self._tracked_variables("trainable_variables")

    @property
    def non_trainable_variables(self) -> list:
        """The non-trainable variables of every tracked resource."""
        return self._tracked_variables("non_trainable_variables")

    def add_endpoint(self, name, fn, input_signature=None, **kwargs):
        """Registers `fn` as the endpoint `name`, exported for `input_signature`.

        Args:
            name: The endpoint's name (an identifier, not already used).
            fn: The function, called with one positional argument per signature entry.
            input_signature: A list of InputSpec / jax.ShapeDtypeStruct / symbolic tensors /
                arrays, one per argument (a nested list for a list argument).
            **kwargs: Keras's JAX-backend options (`is_static`, `jax2tf_kwargs`), accepted
                and ignored: kernelkit exports with `jax.export`, without jax2tf.

        Returns:
            The `jax.export.Exported` endpoint.

        Raises:
            ValueError: for a bad or duplicate name, a missing signature, or an entry
                without a shape.
        """
        who = f"ExportArchive.add_endpoint('{name}')"
        if not isinstance(name, str) or not name.isidentifier() or name in self._endpoints:
            raise ValueError(
                f"{who}: the endpoint name must be a new Python identifier. Expected a name "
                f"other than {sorted(self._endpoints)}. Received: name={name!r}."
            )
        if input_signature is None:
            raise ValueError(
                f"{who}: `input_signature` is required (kernelkit traces `fn` with "
                "jax.export). Expected a list of specs, one per argument. Received: "
                "input_signature=None. Pass e.g. [kernelkit.InputSpec(shape=(None, 3))]."
            )
        if not isinstance(input_signature, list | tuple):
            input_signature = [input_signature]
        symbols = {"scope": jax.export.SymbolicScope()}
        specs = [jax.tree_util.tree_map(lambda s, i=i: _spec(who, s, i, symbols), s,
                                        is_leaf=lambda s: hasattr(s, "shape"))
                 for i, s in enumerate(input_signature)]
        exported = jax.export.export(jax.jit(fn))(*specs)
        self._endpoints[name] = exported
        return exported

    def track_and_add_endpoint(self, name, resource, input_signature, **kwargs):
        """Tracks `resource` and adds its inference call as the endpoint `name`.

        Args:
            name: The endpoint's name.
            resource: A layer or model; the endpoint runs `resource(x, training=False)`.
            input_signature: As for `add_endpoint`.
            **kwargs: As for `add_endpoint`.

        Returns:
            The `jax.export.Exported` endpoint.
        """
        self.track(resource)

        def serve(*args):
            return resource(*args, training=False)

        return self.add_endpoint(name, serve, input_signature, **kwargs)

    def add_variable_collection(self, name, variables) -> None:
        """Stores the current values of `variables`, readable as `load_archive(p).<name>`.

        Args:
            name: The collection's name (an identifier).
            variables: A list, tuple or set of variables or arrays.

        Raises:
            ValueError: for a bad name or a value that is not a collection of arrays.
        """
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(
                "ExportArchive.add_variable_collection: the name must be a Python identifier. "
                f"Received: name={name!r}."
            )
        if not isinstance(variables, list | tuple | set):
            raise ValueError(
                "ExportArchive.add_variable_collection: expected a list, tuple or set of "
                f"variables. Received: variables of type {type(variables).__name__}."
            )
        self._collections[name] = [np.asarray(v[...] if hasattr(v, "get_value") else v)
                                   for v in variables]

    def write_out(self, filepath, options=None, verbose=True) -> None:
        """Writes the endpoints and variable collections to the folder `filepath`.

        Args:
            filepath: A `str` or `pathlib.Path`; the folder is created (or replaced).
            options: Accepted for Keras compatibility (TensorFlow save options) and ignored.
            verbose: Whether to print the endpoints written.

        Raises:
            ValueError: if no endpoint was added.
        """
        if not self._endpoints:
            raise ValueError(
                "ExportArchive.write_out: no endpoint to write. Expected at least one "
                "add_endpoint call. Received: an empty archive. Call add_endpoint first."
            )
        root = pathlib.Path(filepath)
        (root / "endpoints").mkdir(parents=True, exist_ok=True)
        (root / "variables").mkdir(exist_ok=True)
        manifest = {"format": _FORMAT, "endpoints": {}, "variables": sorted(self._collections)}
        for name, exported in self._endpoints.items():
            (root / "endpoints" / f"{name}.jaxexport").write_bytes(bytes(exported.serialize()))
            manifest["endpoints"][name] = [str(a) for a in exported.in_avals]
        for name, values in self._collections.items():
            np.savez(root / "variables" / f"{name}.npz",
                     **{f"v{i}": v for i, v in enumerate(values)})
        (root / "manifest.json").write_text(json.dumps(manifest, indent=2))
        if verbose:
            lines = [f"Saved artifact at '{os.fspath(filepath)}'. Endpoints:"]
            lines += [f"* Endpoint '{n}'\n  Args: {', '.join(a)}"
                      for n, a in manifest["endpoints"].items()]
            print("\n".join(lines))


class ReloadedArchive:
    """A folder written by `ExportArchive.write_out`: each endpoint is a callable attribute,
    each variable collection a list of arrays.

    Args:
        endpoints: Dict of name to `jax.export.Exported`.
        collections: Dict of name to list of arrays.

    Example:
        >>> import numpy as np
        >>> ReloadedArchive({}, {"stats": [np.zeros(2)]}).stats[0].shape
        (2,)
    """

    def __init__(self, endpoints, collections):
        self._endpoints, self._collections = endpoints, collections
        for name, exported in endpoints.items():
            setattr(self, name, self._caller(exported))
        for name, values in collections.items():
            setattr(self, name, values)

    @staticmethod
    def _caller(exported):
        def call(*args):
            return exported.call(*jax.tree_util.tree_map(np.asarray, args))

        return call

    @property
    def endpoint_names(self) -> list:
        """The endpoint names, in the order they were added."""
        return list(self._endpoints)


def load_archive(filepath) -> ReloadedArchive:
    """Loads a folder written by `ExportArchive.write_out`.

    Args:
        filepath: The folder.

    Returns:
        A `ReloadedArchive`.

    Raises:
        InvalidFileError: if the folder is not such an archive, or an endpoint is damaged.

    Example:
        >>> import tempfile, numpy as np
        >>> archive = ExportArchive()
        >>> _ = archive.add_endpoint("double", lambda x: 2 * x, [np.zeros(3, "float32")])
        >>> path = tempfile.mkdtemp()
        >>> archive.write_out(path, verbose=False)
        >>> load_archive(path).double(np.ones(3, "float32")).tolist()
        [2.0, 2.0, 2.0]
    """
    root = pathlib.Path(filepath)
    try:
        manifest = json.loads((root / "manifest.json").read_text())
    except (OSError, ValueError):
        raise invalid_file(root, "kernelkit ExportArchive folder",
                           "it has no readable manifest.json") from None
    if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT:
        raise invalid_file(root, "kernelkit ExportArchive folder", "unknown manifest format")
    endpoints, collections = {}, {}
    for name in manifest.get("endpoints", {}):
        data = (root / "endpoints" / f"{os.path.basename(name)}.jaxexport").read_bytes()
        try:
            endpoints[name] = jax.export.deserialize(bytearray(data))
        except Exception as e:  # flatbuffer errors have no common type
            raise invalid_file(root, "kernelkit ExportArchive folder",
                               f"endpoint {name!r} is damaged: {e}") from None
    for name in manifest.get("variables", []):
        with np.load(root / "variables" / f"{os.path.basename(name)}.npz",
                     allow_pickle=False) as arrays:
            collections[name] = [arrays[f"v{i}"] for i in range(len(arrays.files))]
    return ReloadedArchive(endpoints, collections)
