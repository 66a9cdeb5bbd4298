"""Keras 3's config forms for the Python functions a `Lambda` layer holds, both ways."""

from __future__ import annotations

import base64
import builtins
import marshal
import types

from kernelkit.errors import UnsafeModelError
from kernelkit.registry import (
    deserialize,
    get_registered_name,
    get_registered_object,
    in_safe_mode,
    serialize,
)

__all__ = ["function_from_config", "function_to_config"]

_JSON_SCALARS = (type(None), bool, int, float, str)


def function_to_config(fn, who: str, arg: str = "function"):
    """Returns Keras 3's config of a callable held by a layer.

    A Python lambda becomes `{"class_name": "__lambda__", "config": {"code", "defaults",
    "closure"}}` (marshalled bytecode, base64); a named function becomes
    `{"module", "class_name": "function", "config": <name>, "registered_name"}`; an object
    with `get_config` becomes its serialized dict.

    Raises:
        ValueError: if the callable cannot be written to a JSON config.

    Example:
        >>> def double(x):
        ...     return 2 * x
        >>> function_to_config(double, "Lambda 'l'")["config"]
        'double'
    """
    if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
        return _lambda_to_config(fn, who, arg)
    if hasattr(fn, "get_config"):
        return serialize(fn)
    name = getattr(fn, "__name__", None)
    if not callable(fn) or not isinstance(name, str):
        raise ValueError(
            f"{who}: cannot serialize `{arg}`. Expected a named function, a Python lambda or "
            f"an object with get_config(). Received: {arg}={fn!r} of type "
            f"{type(fn).__name__}. Use a named function registered with "
            "kernelkit.utils.register_keras_serializable."
        )
    registered = get_registered_name(fn)
    return {"module": getattr(fn, "__module__", None) or "builtins", "class_name": "function",
            "config": registered, "registered_name": registered}


def function_from_config(config, who: str, custom_objects=None, safe_mode=None):
    """Rebuilds a callable from `function_to_config`'s output (or returns a callable as is).

    Functions are found only by name (custom objects, registered and built-in functions);
    lambdas stored as bytecode are refused unless `safe_mode=False` (or, when `safe_mode` is
    None, unless the caller opened `kernelkit.registry.safe_mode_scope(False)`).

    Raises:
        UnsafeModelError: for bytecode while `safe_mode` is not False, or an unknown name.
    """
    if callable(config) or not isinstance(config, dict | str):
        return config
    if isinstance(config, dict) and config.get("class_name") == "__lambda__":
        if safe_mode is None:
            safe_mode = in_safe_mode()
        if safe_mode is not False:
            raise UnsafeModelError(
                f"{who}: the config holds a Python lambda as bytecode, which could run "
                "arbitrary code when loaded, so it is refused. Expected a named function. "
                "Received: a '__lambda__' config. If you trust the source, pass "
                "safe_mode=False to from_config."
            )
        return _lambda_from_config(config["config"], custom_objects)
    if isinstance(config, dict) and config.get("class_name") == "function":
        names = [config.get("registered_name"), config.get("config")]
        for name in (n for n in names if isinstance(n, str)):
            fn = get_registered_object(name, custom_objects)
            if fn is not None:
                return fn
        raise UnsafeModelError(
            f"{who}: function {config.get('config')!r} (module {config.get('module')!r}) is "
            "not a registered kernelkit object, and kernelkit never imports code named in a "
            "config. Expected a known name. Pass it in custom_objects or register it with "
            "kernelkit.utils.register_keras_serializable."
        )
    return deserialize(config, custom_objects=custom_objects, where=who)


def _lambda_to_config(fn, who, arg):
    closure = None
    if fn.__closure__:
        try:
            closure = tuple(cell.cell_contents for cell in fn.__closure__)
        except ValueError:  # an empty cell
            closure = (None,)
    for kind, values in (("defaults", fn.__defaults__), ("closure", closure)):
        bad = [v for v in values or () if not _is_json(v)]
        if bad:
            raise ValueError(
                f"{who}: cannot serialize the lambda in `{arg}`: its {kind} hold "
                f"{type(bad[0]).__name__} values, which a JSON config cannot store. Expected "
                "numbers, strings, lists or dicts of them. Use a named function registered "
                "with kernelkit.utils.register_keras_serializable instead of the lambda."
            )
    code = base64.encodebytes(marshal.dumps(fn.__code__)).decode("ascii")
    return {"class_name": "__lambda__",
            "config": {"code": code,
                       "defaults": fn.__defaults__, "closure": closure}}  # tuples, as Keras


def _lambda_from_config(config, custom_objects):
    code = marshal.loads(base64.decodebytes(config["code"].encode("ascii")))
    closure = config.get("closure")
    cells = tuple(types.CellType(v) for v in closure) if closure else None
    defaults = config.get("defaults")
    namespace = {"__builtins__": builtins, **(custom_objects or {})}
    return types.FunctionType(code, namespace, code.co_name,
                              None if defaults is None else tuple(defaults), cells)


def _is_json(value) -> bool:
    if isinstance(value, _JSON_SCALARS):
        return True
    if isinstance(value, list | tuple):
        return all(_is_json(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v) for k, v in value.items())
    return False
