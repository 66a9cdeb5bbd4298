"""`InvalidFileError`: a file that is not a readable kernelkit/Keras file, said in one line."""

from __future__ import annotations

__all__ = ["InvalidFileError", "invalid_file"]


class InvalidFileError(ValueError):
    """Raised when a file is empty, truncated or not the kind of file its name promises.

    Example:
        >>> import tempfile, pathlib, kernelkit as kk
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.keras"
        >>> _ = path.write_bytes(b"")
        >>> try:
        ...     kk.saving.load_model(path)
        ... except InvalidFileError:
        ...     print("invalid")
        invalid
    """


def invalid_file(filepath, kind: str, reason: str) -> InvalidFileError:
    """Builds the one-line error for `filepath`, which should have been a `kind` file.

    Example:
        >>> str(invalid_file("m.keras", ".keras archive", "it is empty"))[:50]
        "kernelkit.saving: 'm.keras' is not a valid kernelk"
    """
    return InvalidFileError(
        f"kernelkit.saving: {str(filepath)!r} is not a valid kernelkit/Keras file ({reason}). "
        f"Expected a {kind}. Received: filepath={str(filepath)!r}. Check that the file was "
        "saved completely and is the right file."
    )
