"""Layer weights: NNX Variables with Keras's `name`, `path`, `trainable`, `numpy()`, `assign()`."""

from __future__ import annotations

import numpy as np
from flax import nnx

from kernelkit.errors import describe

__all__ = ["NonTrainableWeight", "Weight", "is_trainable_variable", "variable_name",
           "variable_path", "write_count"]

_writes = [0]


def write_count() -> int:
    """How many times any kernelkit weight was created, written or re-flagged.

    Caches of a model's state (the jitted forward behind `model(x)`) compare this number to
    know, at the cost of one integer comparison, that no weight changed since they were made.
    """
    return _writes[0]


class _KerasVariableMixin:
    """Keras `Variable` accessors on top of an NNX Variable."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _writes[0] += 1

    def __setattr__(self, name, value):
        if name == "_raw_value":  # every write of a value goes through here
            _writes[0] += 1
        super().__setattr__(name, value)

    def set_metadata(self, *args, **kwargs):
        _writes[0] += 1
        return super().set_metadata(*args, **kwargs)

    @property
    def name(self) -> str:
        return self.get_metadata().get("name", "variable")

    @property
    def path(self) -> str:
        return self.get_metadata().get("path", self.name)

    @property
    def trainable(self) -> bool:
        return is_trainable_variable(self)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def numpy(self) -> np.ndarray:
        """Returns a NumPy copy of the current value."""
        return np.array(self[...])

    def assign(self, value) -> None:
        """Replaces the value; the shape must match (dtype is cast, as in Keras)."""
        value = np.asarray(value)
        if tuple(value.shape) != tuple(self.shape):
            raise ValueError(
                f"Variable '{self.path}': cannot assign a value of a different shape. "
                f"Expected shape {tuple(self.shape)}. Received: value={describe(value)}."
            )
        self[...] = value.astype(self.dtype)

    def __repr__(self) -> str:
        return f"<Variable path={self.path}, shape={tuple(self.shape)}, dtype={self.dtype}>"


class Weight(_KerasVariableMixin, nnx.Param):
    """A weight created trainable; it trains while its layer is trainable."""


class NonTrainableWeight(_KerasVariableMixin, nnx.BatchStat):
    """A weight created with `trainable=False` (e.g. BatchNormalization's moving statistics)."""


def is_trainable_variable(v) -> bool:
    """True for Params (kernelkit or plain NNX) whose `trainable` metadata is not False."""
    return isinstance(v, nnx.Param) and v.get_metadata().get("trainable", True) is not False


def variable_name(v) -> str:
    """The Keras short name of any NNX Variable (`kernel`), `variable` when unnamed."""
    return v.get_metadata().get("name", "variable")


def variable_path(v) -> str:
    """The Keras path of any NNX Variable (`dense/kernel`)."""
    meta = v.get_metadata()
    return meta.get("path", meta.get("name", "variable"))
