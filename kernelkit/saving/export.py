"""`Model.export` as a serialized `jax.export` artifact, and `load` to serve it again.

The artifact holds the model's inference forward pass (`call(x, training=False)`) with the
weights baked in, as StableHLO: reloading it needs neither the model's Python classes nor
kernelkit's layers, and runs no code from the file.
"""

from __future__ import annotations

import os
import pathlib

import jax
import numpy as np

from kernelkit.saving.atomic_write import atomic_path
from kernelkit.saving.invalid_file import invalid_file

__all__ = ["ExportedModel", "export_model", "load"]

_MAGIC = b"KKEXPORT1\n"


def _tensorflow_missing() -> bool:
    import importlib.util

    return importlib.util.find_spec("tensorflow") is None


def export_model(model, filepath, format="jax", input_signature=None) -> None:
    """Writes the model's forward pass to `filepath` as a serialized `jax.export` artifact.

    Args:
        model: A built model.
        filepath: A `str` or `pathlib.Path`.
        format: `"jax"`; `"tf_saved_model"` needs TensorFlow and jax2tf.
        input_signature: Optional `jax.ShapeDtypeStruct` (or a tree of them); by default the
            model's input shapes with a symbolic batch dimension.

    Raises:
        ValueError: for an unknown `format`, or a model without known input shapes.
        ImportError: for `format="tf_saved_model"` without TensorFlow.
    """
    if format == "tf_saved_model":
        if _tensorflow_missing():
            raise ImportError(
                "export: format='tf_saved_model' needs TensorFlow and jax2tf, which are not "
                "installed. Expected importable `tensorflow` and `jax.experimental.jax2tf`. "
                "Received: format='tf_saved_model'. Install tensorflow, or use format='jax'."
            )
        raise ValueError(
            "export: format='tf_saved_model' is not implemented by kernelkit yet. Expected "
            "format='jax'. Received: format='tf_saved_model'. Use format='jax'."
        )
    if format != "jax":
        raise ValueError(
            "export: unknown format. Expected 'jax' (or 'tf_saved_model' with TensorFlow). "
            f"Received: format={format!r}. Use format='jax'."
        )
    if not isinstance(filepath, str | os.PathLike):
        raise TypeError(
            "export: `filepath` must be a str or a pathlib.Path. Received: "
            f"filepath={filepath!r} of type {type(filepath).__name__}."
        )
    signature = input_signature if input_signature is not None else _signature(model)

    def serve(x):
        return model(x, training=False)

    exported = jax.export.export(jax.jit(serve))(signature)
    try:
        data = bytes(exported.serialize())
    except ImportError as e:
        raise ImportError(
            "export: serializing a jax.export artifact needs the flatbuffers package, which "
            "is not installed. Expected an importable flatbuffers. Received: ImportError. "
            "Install it with `pip install flatbuffers`."
        ) from e
    with atomic_path(filepath) as tmp:
        with open(tmp, "wb") as f:
            f.write(_MAGIC + data)


def _signature(model):
    inputs = getattr(model, "inputs", None)
    shapes = getattr(model, "_build_shapes", None)
    if inputs:
        specs = [(tuple(t.shape), t.dtype) for t in inputs]
    elif shapes is not None:
        flat = shapes if isinstance(shapes, list) else [shapes]
        specs = [(tuple(s), "float32") for s in flat]
    else:
        raise ValueError(
            f"export: model '{getattr(model, 'name', '?')}' has no known input shape. "
            "Expected a built model. Received: an unbuilt model. Call the model on data or "
            "pass input_signature=jax.ShapeDtypeStruct(...)."
        )
    (batch,) = jax.export.symbolic_shape("batch")
    structs = [jax.ShapeDtypeStruct(tuple(batch if (i == 0 and d is None) else d
                                          for i, d in enumerate(shape)), dtype)
               for shape, dtype in specs]
    return structs[0] if len(structs) == 1 else structs


class ExportedModel:
    """A reloaded export artifact: call `serve(x)` (or the object itself) for predictions.

    Example:
        >>> import tempfile, pathlib, numpy as np, kernelkit as kk
        >>> m = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.jaxexport"
        >>> m.export(path)
        >>> load(path).serve(np.ones((4, 3), "float32")).shape
        (4, 2)
    """

    def __init__(self, exported):
        self._exported = exported

    @property
    def in_avals(self):
        return self._exported.in_avals

    def serve(self, x):
        """Runs the exported forward pass on `x`."""
        if isinstance(x, list | tuple) and len(self._exported.in_avals) > 1:
            return self._exported.call(*[np.asarray(v) for v in x])
        return self._exported.call(np.asarray(x))

    __call__ = serve


def load(filepath) -> ExportedModel:
    """Loads an artifact written by `Model.export(..., format="jax")`.

    Raises:
        InvalidFileError: if the file is not such an artifact.

    Example:
        >>> import tempfile, pathlib, numpy as np, kernelkit as kk
        >>> m = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.jaxexport"
        >>> m.export(path)
        >>> load(path)(np.ones((1, 3), "float32")).shape
        (1, 2)
    """
    path = pathlib.Path(filepath)
    data = path.read_bytes()
    if not data.startswith(_MAGIC):
        raise invalid_file(path, "kernelkit export artifact",
                           "it does not start with the export header")
    try:
        exported = jax.export.deserialize(bytearray(data[len(_MAGIC):]))
    except Exception as e:  # flatbuffer errors have no common type
        raise invalid_file(path, "kernelkit export artifact", f"damaged: {e}") from None
    return ExportedModel(exported)
