"""Reading and writing the value of an NNX Variable or a Keras-like variable."""

from __future__ import annotations

from kernelkit.errors import describe

__all__ = ["read_variable", "write_variable"]


def read_variable(variable):
    """Returns the array held by an NNX Variable (`get_value`) or Keras-like `value`."""
    if hasattr(variable, "get_value"):
        return variable.get_value()
    if hasattr(variable, "value") and hasattr(variable, "assign"):
        return variable.value
    raise TypeError(
        "Optimizer: cannot update this object in place. Expected an NNX Variable or a "
        f"variable with `assign`. Received: variable={describe(variable)}. Use the pure API "
        "(optimizer.transform) for plain arrays."
    )


def write_variable(variable, value) -> None:
    """Stores `value` into an NNX Variable (`set_value`) or a Keras-like variable (`assign`)."""
    if hasattr(variable, "set_value"):
        variable.set_value(value.astype(variable.dtype))
    else:
        variable.assign(value)
