"""Exception types and the shared way of describing user input in error messages."""

from __future__ import annotations

__all__ = ["NotCompiledError", "UnsafeModelError", "WrongTypeError", "describe",
           "refuse_unsupported"]


class NotCompiledError(RuntimeError, ValueError):
    """Raised when a model is trained or evaluated before `compile()`.

    Subclasses both `RuntimeError` (Keras 2 eras) and `ValueError` (Keras 3), so code written
    for either era catches it.

    Example:
        >>> issubclass(NotCompiledError, RuntimeError), issubclass(NotCompiledError, ValueError)
        (True, True)
    """


class WrongTypeError(TypeError, ValueError):
    """An argument of the wrong type, where Keras 3 raises `ValueError` (Python's convention is
    `TypeError`): subclasses both, so `except ValueError` written for Keras catches it.

    Example:
        >>> issubclass(WrongTypeError, TypeError), issubclass(WrongTypeError, ValueError)
        (True, True)
    """


class UnsafeModelError(ValueError):
    """Raised when a saved model or config asks for something that loading must never do.

    A `ValueError`, as Keras 3 raises for the same refusals.

    Example:
        >>> issubclass(UnsafeModelError, ValueError)
        True
    """


def describe(x) -> str:
    """Describes a value for an error message without dumping its contents.

    Arrays print as `float32[32, 64]` (`None` for an unknown dimension), containers recursively,
    anything else as its type name.

    Example:
        >>> import numpy as np
        >>> describe(np.zeros((32, 64), "float32"))
        'float32[32, 64]'
    """
    shape = getattr(x, "shape", None)
    dtype = getattr(x, "dtype", None)
    if shape is not None and dtype is not None:
        dims = ", ".join("None" if d is None else str(d) for d in shape)
        return f"{getattr(dtype, 'name', dtype)}[{dims}]"
    if isinstance(x, dict):
        inner = ", ".join(f"{k!r}: {describe(v)}" for k, v in x.items())
        return "{" + inner + "}"
    if isinstance(x, list | tuple):
        inner = ", ".join(describe(v) for v in x)
        return ("[" + inner + "]") if isinstance(x, list) else ("(" + inner + ")")
    if x is None or isinstance(x, bool | int | float | str):
        return repr(x)
    return f"<{type(x).__name__}>"


def refuse_unsupported(who: str, **arguments) -> None:
    """Refuses Keras arguments that kernelkit accepts in configs but does not implement yet.

    Args:
        who: The layer, as errors name it (`"Dense 'dense'"`).
        **arguments: The arguments to check; each must be None.

    Raises:
        ValueError: for the first argument that is not None.

    Example:
        >>> refuse_unsupported("Dense 'dense'", lora_rank=None)
        >>> try:
        ...     refuse_unsupported("Dense 'dense'", lora_rank=4)
        ... except ValueError as error:
        ...     print(str(error).split(". ")[0])
        Dense 'dense': `lora_rank` is not supported by kernelkit
    """
    for arg, value in arguments.items():
        if value is not None:
            raise ValueError(
                f"{who}: `{arg}` is not supported by kernelkit. Expected None. "
                f"Received: {arg}={value!r}. Remove the argument."
            )
