"""JAX's persistent compilation cache, on by default, so re-running a notebook skips compiling.

kernelkit turns it on at import, in a per-user cache directory (`$KERNELKIT_CACHE_DIR`, else
`$XDG_CACHE_HOME/kernelkit/jax`, else `~/.cache/kernelkit/jax`), unless the user already
configured a JAX cache directory or set `KERNELKIT_COMPILATION_CACHE=0`.
"""

from __future__ import annotations

import os
from pathlib import Path

import jax

__all__ = ["cache_directory", "disable_compilation_cache", "enable_compilation_cache"]


def cache_directory() -> Path:
    """Where kernelkit keeps compiled programs by default."""
    explicit = os.environ.get("KERNELKIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "kernelkit" / "jax"


def enable_compilation_cache(directory=None, min_compile_time_secs: float = 0.2) -> Path:
    """Turns JAX's persistent compilation cache on in `directory` (default: `cache_directory`).

    Example:
        >>> import tempfile
        >>> path = enable_compilation_cache(tempfile.mkdtemp())
        >>> path.exists()
        True
    """
    path = Path(directory) if directory is not None else cache_directory()
    path.mkdir(parents=True, exist_ok=True)
    jax.config.update("jax_compilation_cache_dir", str(path))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", float(min_compile_time_secs))
    return path


def disable_compilation_cache() -> None:
    """Turns the persistent compilation cache off for this process."""
    jax.config.update("jax_compilation_cache_dir", None)


def enable_by_default() -> None:
    """Called at import: on unless switched off or configured by the user already."""
    if os.environ.get("KERNELKIT_COMPILATION_CACHE", "1").lower() in ("0", "false", "no", "off"):
        return
    if jax.config.jax_compilation_cache_dir:
        return
    try:
        enable_compilation_cache()
    except OSError:  # a read-only home: run without the cache rather than fail to import
        pass
