"""`OpLayer`: a weightless layer recorded when arithmetic is applied to symbolic tensors."""

from __future__ import annotations

from kernelkit.layers.layer import Layer
from kernelkit.layers.symbolic import record_operations_with
from kernelkit.naming import unique_name

__all__ = ["OpLayer"]


@record_operations_with
class OpLayer(Layer):
    """Applies `fn(*inputs)`; made by `symbolic + other`, `symbolic[...]`, and so on."""

    def __init__(self, fn, name=None, **kwargs):
        # An op computes in its inputs' dtypes (float16 stays float16), as Keras's ops do.
        kwargs.setdefault("autocast", False)
        super().__init__(name=unique_name(name or "op"), **kwargs)
        self.fn = fn
        self.op_name = name or getattr(fn, "__name__", "op")

    def call(self, *inputs):
        return self.fn(*inputs)

    def get_config(self):
        raise NotImplementedError(
            f"OpLayer '{self.name}' ({self.op_name}) cannot be serialized: arithmetic on "
            "symbolic tensors is not saved. Use a named layer (e.g. layers.Add) instead."
        )
