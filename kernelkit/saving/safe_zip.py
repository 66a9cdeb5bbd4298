"""Opening `.keras` zip archives defensively: every member is checked before anything is read."""

from __future__ import annotations

import stat
import zipfile

from kernelkit.errors import UnsafeModelError
from kernelkit.saving.invalid_file import invalid_file

__all__ = ["MAX_EXPANSION", "open_archive", "read_member"]

MAX_EXPANSION = 100  # stored members are 1:1, DEFLATE tops out near 1032:1 only for bombs
_SMALL = 1 << 20  # members under 1 MiB are never called bombs


def open_archive(filepath) -> zipfile.ZipFile:
    """Opens a zip archive and refuses it when any member looks hostile.

    Refused: absolute names, `..` components, backslashes, symbolic links, duplicate names,
    and members declaring far more bytes than they store (decompression bombs).

    Raises:
        InvalidFileError: if the file is not a readable zip archive.
        UnsafeModelError: if a member is refused.

    Example:
        >>> import io
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w") as zf:
        ...     zf.writestr("config.json", "{}")
        >>> open_archive(buf).namelist()
        ['config.json']
    """
    try:
        archive = zipfile.ZipFile(filepath, "r")
    except (zipfile.BadZipFile, EOFError, ValueError) as e:
        raise invalid_file(filepath, ".keras archive (a zip file)",
                           f"not a zip archive: {e}") from None
    try:
        _check_members(archive, filepath)
    except BaseException:
        archive.close()
        raise
    return archive


def _check_members(archive: zipfile.ZipFile, filepath) -> None:
    seen = set()
    for info in archive.infolist():
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        problem = None
        if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
            problem = "has an absolute path"
        elif ".." in parts or "\\" in name:
            problem = "escapes the archive with '..' or a backslash"
        elif stat.S_ISLNK(info.external_attr >> 16):
            problem = "is a symbolic link"
        elif name in seen:
            problem = "appears twice"
        elif info.file_size > _SMALL and info.file_size > MAX_EXPANSION * max(
                info.compress_size, 1):
            problem = (f"declares {info.file_size} bytes but stores only "
                       f"{info.compress_size} (a decompression bomb)")
        if problem:
            raise UnsafeModelError(
                f"load_model: archive member {name!r} of {str(filepath)!r} {problem}, so the "
                "archive is refused before anything is read. Expected plain relative member "
                f"names (config.json, metadata.json, model.weights.h5). Received: "
                f"member={name!r}. Only load files from sources you trust."
            )
        seen.add(name)


def read_member(archive: zipfile.ZipFile, name: str, limit: int, filepath) -> bytes:
    """Reads one member, refusing it when it declares or yields more than `limit` bytes.

    Raises:
        InvalidFileError: if the member is missing or cannot be decompressed.
        UnsafeModelError: if the member is larger than `limit`.
    """
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise invalid_file(filepath, ".keras archive",
                           f"the archive has no {name}") from None
    if info.file_size > limit:
        raise UnsafeModelError(
            f"load_model: archive member {name!r} declares {info.file_size} bytes, more than "
            f"the {limit} allowed, so it is refused before reading. Expected a member of at "
            f"most {limit} bytes. Received: file_size={info.file_size}. Only load files from "
            "sources you trust."
        )
    try:
        with archive.open(info) as f:
            data = f.read(limit + 1)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
        raise invalid_file(filepath, ".keras archive",
                           f"member {name} is damaged: {e}") from None
    if len(data) > limit:
        raise UnsafeModelError(
            f"load_model: archive member {name!r} holds more than the {limit} bytes it may. "
            f"Expected at most {limit} bytes. Received: more than {limit}. Only load files "
            "from sources you trust."
        )
    return data
