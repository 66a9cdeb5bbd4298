"""Exporting models for serving (Keras's `keras.export`).

`Model.export(path)` writes one `jax.export` artifact that `load(path)` serves again;
`ExportArchive` writes several named endpoints (and variable collections) to a folder that
`load_archive(path)` reloads, each endpoint a callable attribute.

Example:
    >>> import tempfile, numpy as np, kernelkit as kk
    >>> model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
    >>> archive = kk.export.ExportArchive()
    >>> _ = archive.track_and_add_endpoint("serve", model, [kk.InputSpec(shape=(None, 3))])
    >>> path = tempfile.mkdtemp()
    >>> archive.write_out(path, verbose=False)
    >>> kk.export.load_archive(path).serve(np.ones((2, 3), "float32")).shape
    (2, 2)
"""

from kernelkit.export.export_archive import ExportArchive, ReloadedArchive, load_archive
from kernelkit.saving.export import ExportedModel, load

__all__ = ["ExportArchive", "ExportedModel", "ReloadedArchive", "load", "load_archive"]
