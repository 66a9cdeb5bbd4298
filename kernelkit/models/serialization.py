"""`model_from_config`, `model_from_json` and `clone_model`."""

from __future__ import annotations

import json

from kernelkit.registry import deserialize, serialize

__all__ = ["clone_model", "model_from_config", "model_from_json"]


def model_from_config(config, custom_objects=None):
    """Builds a model (fresh weights) from a serialized config dict.

    Example:
        >>> import kernelkit as kk
        >>> m = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> model_from_config(serialize(m)).count_params()
        8
    """
    return deserialize(config, module="keras", custom_objects=custom_objects, where="config")


def model_from_json(json_string, custom_objects=None):
    """Builds a model (fresh weights) from `model.to_json()`'s output.

    Example:
        >>> import kernelkit as kk
        >>> m = kk.Sequential([kk.Input(shape=(3,)), kk.layers.Dense(2)])
        >>> model_from_json(m.to_json()).count_params()
        8
    """
    try:
        config = json.loads(json_string)
    except (TypeError, json.JSONDecodeError) as e:
        raise ValueError(f"model_from_json: the string is not valid JSON: {e}") from e
    return model_from_config(config, custom_objects=custom_objects)


def clone_model(model, custom_objects=None):
    """A new model with the same architecture and freshly initialized weights.

    Example:
        >>> import kernelkit as kk
        >>> m = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> clone = clone_model(m)
        >>> clone is m, clone.count_params()
        (False, 8)
    """
    return model_from_config(serialize(model), custom_objects=custom_objects)
