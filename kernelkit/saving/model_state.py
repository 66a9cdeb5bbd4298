"""What a saved model holds besides its weights: its config with build and compile configs,
and the optimizer variables, read from and given back to a duck-typed model."""

from __future__ import annotations

import datetime
import json

from kernelkit.registry import (
    custom_object_scope,
    deserialize,
    get_registered_object,
    safe_mode_scope,
    serialize,
)
from kernelkit.saving.object_config import check_config

__all__ = ["METADATA", "build_model", "metadata_json", "model_config", "optimizer_arrays",
           "restore_optimizer", "with_custom_names"]

METADATA = {"keras_version": "3 (written by kernelkit 0.1.0)"}


def metadata_json() -> str:
    """The `metadata.json` text: writer and date, as Keras writes it."""
    now = datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")
    return json.dumps({**METADATA, "date_saved": now})


def model_config(model, include_compile: bool = True) -> dict:
    """`serialize(model)` plus Keras's top-level `build_config` and `compile_config`."""
    config = serialize(model)
    build = model.get_build_config() if hasattr(model, "get_build_config") else None
    if build is not None:
        config["build_config"] = build
    if include_compile and getattr(model, "compiled", False):
        compile_config = model.get_compile_config()
        if compile_config is not None:
            config["compile_config"] = compile_config
    return json.loads(json.dumps(config))  # tuples become lists, as in the file


def build_model(config, custom_objects=None, safe_mode: bool = True, compile: bool = True,
                where: str = "config.json"):
    """Checks `config`, rebuilds the model through the registry, builds and compiles it.

    Raises:
        UnsafeModelError: if the config names anything the registry does not know.
        TypeError: if `safe_mode` is not a bool.
    """
    if safe_mode is None:  # Keras 3 treats None as the default: safe
        safe_mode = True
    if not isinstance(safe_mode, bool):
        raise TypeError(
            "load_model: `safe_mode` must be True or False. Expected a bool. Received: "
            f"safe_mode={safe_mode!r}. Pass safe_mode=False only for files you trust."
        )
    if not isinstance(config, dict):
        raise ValueError(
            f"load_model: {where} does not hold a model config. Expected a dict with "
            f"'class_name' and 'config'. Received: config of type {type(config).__name__}. "
            "Check that the file was written by Model.save."
        )
    check_config(config, custom_objects, safe_mode, where)
    with custom_object_scope(custom_objects or {}), safe_mode_scope(safe_mode):
        model = deserialize(config, module="keras", custom_objects=custom_objects,
                            where=where)
        build = config.get("build_config")
        if not getattr(model, "built", True) and isinstance(build, dict):
            shape = build.get("input_shape")
            if shape is not None:
                model.build(_shape_tuple(shape))
        compile_config = config.get("compile_config")
        if compile and compile_config:
            model.compile_from_config(with_custom_names(compile_config, custom_objects))
    return model


def with_custom_names(config: dict, custom_objects) -> dict:
    """Replaces loss and metric names that are custom objects by the objects themselves, so
    they resolve later, outside the custom object scope of `load_model`."""

    def revive(value):
        if isinstance(value, str):
            found = get_registered_object(value, custom_objects, builtins=False)
            return value if found is None else found
        if isinstance(value, list):
            return [revive(v) for v in value]
        if isinstance(value, dict) and "class_name" not in value:
            return {k: revive(v) for k, v in value.items()}
        return value

    config = dict(config)
    for key in ("loss", "metrics", "weighted_metrics"):
        if key in config:
            config[key] = revive(config[key])
    return config


def _shape_tuple(shape):
    if isinstance(shape, list) and all(d is None or isinstance(d, int) for d in shape):
        return tuple(shape)
    if isinstance(shape, dict):
        return {k: _shape_tuple(v) for k, v in shape.items()}
    if isinstance(shape, list):
        return [_shape_tuple(s) for s in shape]
    return shape


def optimizer_arrays(model):
    """`(optimizer name, Keras-ordered variables)` of a compiled model, or None."""
    getter = getattr(model, "_saved_optimizer_variables", None)
    arrays = getter() if getter is not None else None
    if not arrays:
        return None
    name = getattr(model.optimizer, "name", None) or type(model.optimizer).__name__.lower()
    return name, arrays


def restore_optimizer(model, arrays, filepath) -> bool:
    """Gives saved optimizer variables back to a compiled model; False when it cannot."""
    setter = getattr(model, "_restore_optimizer_variables", None)
    if setter is None or not arrays or not getattr(model, "compiled", False):
        return False
    return setter(arrays, filepath)
