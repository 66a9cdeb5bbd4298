"""`get_file`: fetches a file into the local cache (`~/.keras/datasets`), checks its hash,
and optionally extracts it; `file://` and plain local paths need no network."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["get_file"]


def _cache_root(cache_dir):
    root = os.path.expanduser(cache_dir or os.environ.get("KERAS_HOME", "~/.keras"))
    if not os.access(root if os.path.exists(root) else os.path.dirname(root) or ".", os.W_OK):
        root = os.path.join(tempfile.gettempdir(), ".keras")
    return root


def _hash(path, algorithm, file_hash):
    if algorithm == "auto":
        algorithm = "sha256" if file_hash and len(file_hash) == 64 else "md5"
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest(), algorithm


def _fetch(origin, target):
    parsed = urllib.parse.urlsplit(origin)
    if parsed.scheme in ("", "file"):
        source = urllib.request.url2pathname(parsed.path) if parsed.scheme else origin
        shutil.copyfile(source, target)
        return
    try:
        urllib.request.urlretrieve(origin, target)  # noqa: S310 - the caller's URL
    except (urllib.error.URLError, OSError) as e:
        if os.path.exists(target):
            os.remove(target)
        raise OSError(
            f"get_file: could not download {origin!r} ({getattr(e, 'reason', e)}). Expected a "
            "reachable URL or a local file. Received: origin="
            f"{origin!r}. Without a network, download the file elsewhere and pass "
            "origin='file:///path/to/file'."
        ) from None


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None,
             cache_subdir="datasets", hash_algorithm="auto", extract=False,
             archive_format="auto", cache_dir=None, force_download=False):
    """Copies (or downloads) `origin` into the cache unless it is there, and returns its path.

    Args:
        fname: The file name in the cache (default: the last part of `origin`); no folders.
        origin: A `file://` URL, a local path, or an `http(s)` URL.
        untar: Keras's older flag for `extract=True` with a tar archive.
        md5_hash: Keras's older form of `file_hash` with `hash_algorithm="md5"`.
        file_hash: The expected sha256 or md5 hex digest, checked after fetching.
        cache_subdir: The cache subfolder (default `"datasets"`).
        hash_algorithm: `"sha256"`, `"md5"` or `"auto"` (by digest length).
        extract: Whether to extract an archive (zip or tar) and return the folder.
        archive_format: `"auto"`, `"tar"`, `"zip"` or a list of them.
        cache_dir: The cache root (default `$KERAS_HOME` or `~/.keras`).
        force_download: Fetch again even when the file is cached.

    Returns:
        The path of the cached file, or of the extraction folder.

    Raises:
        ValueError: without `origin`, for an `fname` with folders, or a hash mismatch.
        OSError: when a URL cannot be downloaded (e.g. no network).

    Example:
        >>> import tempfile, pathlib
        >>> source = pathlib.Path(tempfile.mkdtemp()) / "data.txt"
        >>> _ = source.write_text("hello")
        >>> path = get_file(origin=source.as_uri(), cache_dir=tempfile.mkdtemp())
        >>> pathlib.Path(path).read_text()
        'hello'
    """
    if origin is None:
        raise ValueError(
            "get_file: no `origin` given. Expected the URL or path of the file. Received: "
            "origin=None. Pass origin='file:///...' or an http(s) URL."
        )
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    datadir = os.path.join(_cache_root(cache_dir), cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    given = os.fspath(fname) if fname is not None else None
    fname = given or os.path.basename(urllib.parse.urlsplit(os.fspath(origin)).path)
    if not fname or os.sep in fname:
        raise ValueError(
            "get_file: `fname` must be a plain file name. Expected a name without folders "
            f"(use cache_dir for the folder). Received: fname={fname!r}."
        )
    origin = os.fspath(origin)
    extract = extract or untar
    if extract:
        stem = fname[:fname.find(".")] if (given and "." in fname) else fname
        target = os.path.join(datadir, fname if (given and "." in fname) else f"{fname}_archive")
        extraction_dir = os.path.join(datadir, f"{stem}_extracted" if given and "." in fname
                                      else stem)
    else:
        target = os.path.join(datadir, fname)
    stale = file_hash is not None and os.path.exists(target) and \
        _hash(target, hash_algorithm, file_hash)[0] != file_hash
    if force_download or not os.path.exists(target) or stale:
        _fetch(origin, target)
        if file_hash is not None:
            digest, algorithm = _hash(target, hash_algorithm, file_hash)
            if digest != file_hash:
                raise ValueError(
                    f"get_file: the {algorithm} hash of {target!r} does not match. Expected "
                    f"{file_hash}. Received: {digest}. The file is incomplete or changed; "
                    "check the origin and the hash."
                )
    if not extract:
        return target
    formats = ["tar", "zip"] if archive_format == "auto" else (
        [archive_format] if isinstance(archive_format, str) else list(archive_format))
    shutil.unpack_archive(target, extraction_dir, format=_archive_kind(target, formats),
                          filter="data")
    return extraction_dir


def _archive_kind(path, formats):
    import tarfile
    import zipfile

    if "tar" in formats and tarfile.is_tarfile(path):
        return "tar"
    if "zip" in formats and zipfile.is_zipfile(path):
        return "zip"
    raise ValueError(
        f"get_file: {path!r} is not an archive of the formats {formats}. Expected a tar or "
        "zip archive. Received: an unreadable archive. Pass extract=False for a plain file."
    )
