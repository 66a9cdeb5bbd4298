"""JAX's persistent compilation cache, on by default, so re-running a notebook skips compiling.

Importing kernelkit changes no JAX setting and creates no folder. It only registers a JAX
monitoring listener; the first time JAX compiles a program in the process (any program, kernelkit's
or not), just before XLA compiles it, the listener turns the cache on in a per-user directory
(`$KERNELKIT_CACHE_DIR`, else `$XDG_CACHE_HOME/kernelkit/jax`, else `~/.cache/kernelkit/jax`),
creating it then, unless the user already configured a JAX cache directory or set
`KERNELKIT_COMPILATION_CACHE=0` (also `false`, `no`, `off`). `enable_compilation_cache` and
`disable_compilation_cache` switch it by hand at any time; either one also cancels the pending
default.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import jax

__all__ = ["cache_directory", "disable_compilation_cache", "enable_compilation_cache"]

# JAX records this scalar as XLA compilation starts, before it looks in the persistent cache.
_COMPILE_EVENT = "/jax/core/compile/backend_compile_duration"
_lock = threading.Lock()
_default_pending = True  # until the first compile, or until the user switches by hand
_listening = False


def cache_directory() -> Path:
    """Where kernelkit keeps compiled programs by default.

    Returns:
        `$KERNELKIT_CACHE_DIR`, else `$XDG_CACHE_HOME/kernelkit/jax`, else
        `~/.cache/kernelkit/jax`.

    Example:
        >>> cache_directory().name
        'jax'
    """
    explicit = os.environ.get("KERNELKIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "kernelkit" / "jax"


def enable_compilation_cache(directory=None, min_compile_time_secs: float = 0.2) -> Path:
    """Turns JAX's persistent compilation cache on in `directory` (default: `cache_directory`).

    Args:
        directory: The folder for compiled programs, created if missing.
        min_compile_time_secs: Programs that compile faster than this are not written.

    Returns:
        The cache folder.

    Example:
        >>> import tempfile
        >>> path = enable_compilation_cache(tempfile.mkdtemp())
        >>> path.exists()
        True
    """
    _cancel_default()
    return _enable(directory, min_compile_time_secs)


def disable_compilation_cache() -> None:
    """Turns the persistent compilation cache off for this process (and cancels the default).

    Example:
        >>> disable_compilation_cache()
        >>> jax.config.jax_compilation_cache_dir is None
        True
    """
    _cancel_default()
    jax.config.update("jax_compilation_cache_dir", None)


def _enable(directory, min_compile_time_secs: float) -> Path:
    path = Path(directory) if directory is not None else cache_directory()
    path.mkdir(parents=True, exist_ok=True)
    jax.config.update("jax_compilation_cache_dir", str(path))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", float(min_compile_time_secs))
    return path


def _cancel_default() -> bool:
    """Takes the pending default away; True for the one caller that got it."""
    global _default_pending
    with _lock:
        claimed, _default_pending = _default_pending, False
    return claimed


def _on_compile(event: str, value: float, **kwargs) -> None:
    if event == _COMPILE_EVENT and _default_pending and _cancel_default():
        _enable_default()


def _enable_default() -> None:
    """The default: on unless switched off or configured by the user already."""
    if os.environ.get("KERNELKIT_COMPILATION_CACHE", "1").lower() in ("0", "false", "no", "off"):
        return
    if jax.config.jax_compilation_cache_dir:
        return
    try:
        _enable(None, 0.2)
    except OSError:  # a read-only home: run without the cache rather than fail to compile
        pass


def enable_on_first_compile() -> None:
    """Called at import: registers the listener that applies the default at the first compile."""
    global _listening
    with _lock:
        if _listening:
            return
        _listening = True
    jax.monitoring.register_scalar_listener(_on_compile)
