"""Atomic file replacement: write beside the target, flush, fsync, rename; never a torn file."""

from __future__ import annotations

import contextlib
import os
import pathlib
import secrets
from collections.abc import Iterator

__all__ = ["atomic_path", "temp_name_prefix"]


def temp_name_prefix(target: pathlib.Path) -> str:
    """The prefix of the hidden temporary files written beside `target`.

    Example:
        >>> temp_name_prefix(pathlib.Path("/tmp/model.keras"))
        '.model.keras.kktmp-'
    """
    return f".{target.name}.kktmp-"


def _fsync_file(path: pathlib.Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(directory: pathlib.Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # some platforms cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_stale(target: pathlib.Path) -> None:
    """Removes temporary files a killed earlier save to `target` left behind."""
    prefix = temp_name_prefix(target)
    for leftover in target.parent.glob(prefix + "*"):
        with contextlib.suppress(OSError):
            leftover.unlink()


@contextlib.contextmanager
def atomic_path(target) -> Iterator[pathlib.Path]:
    """Yields a temporary path beside `target`; on success it replaces `target` atomically.

    Whatever the block writes to the yielded path becomes `target` only once the block has
    finished without an exception: the file is fsynced, renamed over `target` and the
    directory fsynced. On an exception (a `KeyboardInterrupt` too) the temporary file is
    removed and `target` keeps its previous content. Hidden temporary files left by a save
    that was killed outright are removed by the next save to the same target.

    Example:
        >>> import tempfile
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
        >>> with atomic_path(target) as tmp:
        ...     _ = tmp.write_text("done")
        >>> target.read_text()
        'done'
    """
    target = pathlib.Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(target)
    tmp = target.parent / f"{temp_name_prefix(target)}{secrets.token_hex(6)}"
    try:
        yield tmp
        _fsync_file(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(target.parent)
