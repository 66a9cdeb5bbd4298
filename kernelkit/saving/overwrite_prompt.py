"""Asking before an existing file is overwritten (`overwrite=False`)."""

from __future__ import annotations

import pathlib

__all__ = ["may_write"]


def may_write(filepath, overwrite: bool) -> bool:
    """True when `filepath` may be written: it is new, `overwrite` is set, or the user agrees.

    With `overwrite=False` and an existing file, asks `[y/n]` through `input()` until the
    answer is `y` or `n`.

    Example:
        >>> may_write("/nonexistent/dir/model.keras", overwrite=False)
        True
    """
    path = pathlib.Path(filepath)
    if overwrite or not path.exists():
        return True
    while True:
        answer = input(f"[WARNING] {path} already exists - overwrite? [y/n] ").strip().lower()
        if answer in ("y", "n"):
            break
        print('Enter "y" (overwrite) or "n" (cancel).')
    if answer == "n":
        print("[TIP] Next time specify overwrite=True!")
        return False
    return True
