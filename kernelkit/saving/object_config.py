"""Reading `config.json` safely: size and depth limits, and a scan that names refused entries."""

from __future__ import annotations

import json

import numpy as np

from kernelkit.errors import UnsafeModelError
from kernelkit.registry import get_registered_object
from kernelkit.saving.invalid_file import invalid_file

__all__ = ["MAX_CONFIG_BYTES", "MAX_DEPTH", "check_config", "parse_config"]

MAX_CONFIG_BYTES = 64 << 20
MAX_DEPTH = 200
_VALUE_FORMS = frozenset({"__tuple__", "__keras_tensor__", "__bytes__", "__ellipsis__",
                          "__slice__", "__typespec__"})


def _nesting_depth(text: str) -> int:
    """The deepest bracket nesting of a JSON text, ignoring brackets inside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def parse_config(data: bytes | str, filepath, member: str = "config.json"):
    """Parses a JSON config after checking its size and nesting depth.

    Raises:
        UnsafeModelError: if the text is larger than `MAX_CONFIG_BYTES` or nested deeper than
            `MAX_DEPTH`.
        InvalidFileError: if it is not JSON.

    Example:
        >>> parse_config(b'{"class_name": "Dense"}', "m.keras")
        {'class_name': 'Dense'}
    """
    if len(data) > MAX_CONFIG_BYTES:
        raise UnsafeModelError(
            f"load_model: {member} of {str(filepath)!r} is {len(data)} bytes, more than the "
            f"{MAX_CONFIG_BYTES} allowed. Expected a model config. Received: "
            f"size={len(data)}. Only load files from sources you trust."
        )
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise invalid_file(filepath, ".keras archive", f"{member} is not UTF-8 text") from None
    depth = _nesting_depth(text)
    if depth > MAX_DEPTH:
        raise UnsafeModelError(
            f"load_model: {member} of {str(filepath)!r} is nested {depth} levels deep, more "
            f"than the {MAX_DEPTH} allowed. Expected a model config. Received: depth={depth}. "
            "Only load files from sources you trust."
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise invalid_file(filepath, ".keras archive", f"{member} is not JSON: {e}") from None


def check_config(config, custom_objects=None, safe_mode: bool = True, where: str = "config"):
    """Refuses a config naming anything the registry cannot resolve, before building anything.

    Every `{"class_name": ...}` entry must name a kernelkit object, a key of `custom_objects`
    or a registered class; arrays must hold numbers; Python bytecode (`__lambda__`) is refused
    unless `safe_mode=False`. The error names where in the config the entry sits.

    Raises:
        UnsafeModelError: for the first refused entry.

    Example:
        >>> check_config({"class_name": "Dense", "config": {}})
        >>> check_config({"module": "os", "class_name": "system", "config": {}})
        Traceback (most recent call last):
        ...
        kernelkit.errors.UnsafeModelError: config: 'system' (module 'os') is not ...
    """
    stack = [(config, where)]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("class_name"), str):
                _check_entry(node, path, custom_objects, safe_mode)
                if node["class_name"] in ("__numpy__", "__tensor__", "__lambda__"):
                    continue
            stack.extend((v, f"{path}.{k}") for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(node))


def _check_entry(node: dict, path: str, custom_objects, safe_mode: bool) -> None:
    name, module = node["class_name"], node.get("module")
    if name in _VALUE_FORMS:
        return
    if isinstance(module, str) and (module.startswith("keras.src.ops.") or module == "keras.ops"):
        return  # an op of a functional model: mapped onto kernelkit.ops only, never imported
    if name in ("__numpy__", "__tensor__"):
        dtype = (node.get("config") or {}).get("dtype")
        try:
            kind = np.dtype(dtype).kind
        except TypeError:
            kind = "O"
        if kind not in "fiubc":
            raise UnsafeModelError(
                f"{path}: an array with dtype {dtype!r} is refused (only numeric arrays are "
                "read, never Python objects). Expected a numeric dtype. Received: "
                f"dtype={dtype!r}. Only load files from sources you trust."
            )
        return
    if name == "__lambda__":
        if safe_mode:
            raise UnsafeModelError(
                f"{path}: the config holds a Python lambda as bytecode, which would run "
                "arbitrary code when loaded, so it is refused. Expected named, registered "
                "functions. Received: class_name='__lambda__'. If you trust the file, pass "
                "safe_mode=False to load_model."
            )
        return
    candidates = [node.get("registered_name"), name]
    if name == "function":
        candidates = [node.get("registered_name"), node.get("config")]
    for candidate in candidates:
        if isinstance(candidate, str) and get_registered_object(
                candidate, custom_objects, module) is not None:
            return
    if name == "function" and isinstance(node.get("config"), str):
        shown = node["config"]  # the function's own name; registered_name may say 'function'
    else:
        shown = next((c for c in candidates if isinstance(c, str)), name)
    dotted = f"{module}.{shown}" if isinstance(module, str) and module else shown
    raise UnsafeModelError(
        f"{path}: {shown!r} (module {module!r}) is not a registered kernelkit object, and "
        "nothing named in a file is ever imported. Expected a kernelkit name, a key of "
        f"custom_objects, or a registered class. Received: class_name={name!r}, so the file "
        f"asks for {dotted!r}. Pass it in custom_objects or register it with "
        "kernelkit.saving.register_keras_serializable."
    )
