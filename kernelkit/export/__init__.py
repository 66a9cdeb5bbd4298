"""Export artifacts (`Model.export`): `load(path)` returns an object whose `serve(x)` predicts."""

from kernelkit.saving.export import ExportedModel, load

__all__ = ["ExportedModel", "load"]
