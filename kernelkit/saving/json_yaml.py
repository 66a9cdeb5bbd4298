"""Model configs as YAML (`to_yaml`, `model_from_yaml`): safe YAML only, never Python tags."""

from __future__ import annotations

import json
import warnings

from kernelkit.registry import custom_object_scope, deserialize, serialize
from kernelkit.saving.object_config import check_config

__all__ = ["model_from_yaml", "model_to_yaml"]


def _warn_legacy(name: str, stacklevel: int) -> None:
    warnings.warn(
        f"{name} is a legacy API (tf.keras; gone from Keras 3). It still works in kernelkit, "
        "but prefer to_json/model_from_json or model.save(...).",
        DeprecationWarning, stacklevel=stacklevel)


def _yaml():
    try:
        import yaml
    except ImportError as e:
        raise ImportError(
            "to_yaml/model_from_yaml: the PyYAML package is not installed. Expected an "
            "importable `yaml` module. Received: ImportError. Install it with "
            "`pip install pyyaml`, or use to_json/model_from_json."
        ) from e
    return yaml


def model_to_yaml(model, **kwargs) -> str:
    """The model config as YAML; `kwargs` go to `yaml.safe_dump`.

    Example:
        >>> import kernelkit as kk
        >>> m = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> model_to_yaml(m).startswith("class_name: Sequential")
        True
    """
    _warn_legacy("to_yaml", 4)  # the caller of model.to_yaml()
    config = json.loads(json.dumps(serialize(model)))  # plain lists and dicts only
    return _yaml().safe_dump(config, **kwargs)


def model_from_yaml(yaml_string, custom_objects=None):
    """Builds a model (fresh weights) from `to_yaml()`'s output, with `yaml.safe_load`.

    Raises:
        ImportError: if PyYAML is missing.
        ValueError: if the text is not YAML or not a model config.
        UnsafeModelError: if the config names something the registry does not know.

    Example:
        >>> import kernelkit as kk
        >>> m = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> model_from_yaml(model_to_yaml(m)).count_params()
        8
    """
    _warn_legacy("model_from_yaml", 3)
    yaml = _yaml()
    try:
        config = yaml.safe_load(yaml_string)
    except yaml.YAMLError as e:
        message = str(e).replace("\n", " ")
        raise ValueError(
            f"model_from_yaml: the text is not valid safe YAML ({message}). Expected the "
            "output of model.to_yaml(). Received: yaml_string of type "
            f"{type(yaml_string).__name__}. Python-specific YAML tags are never accepted."
        ) from None
    if not isinstance(config, dict):
        raise ValueError(
            "model_from_yaml: the YAML does not hold a model config. Expected a mapping with "
            f"'class_name' and 'config'. Received: {type(config).__name__}."
        )
    check_config(config, custom_objects, True, "yaml")
    with custom_object_scope(custom_objects or {}):
        return deserialize(config, module="keras", custom_objects=custom_objects, where="yaml")
