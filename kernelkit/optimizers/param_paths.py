"""`param_path`: the Keras variable path (`"dense/kernel"`) of a leaf in an optimizer's params."""

from __future__ import annotations

import re

import jax

__all__ = ["param_path", "param_paths"]

_INDEXED = re.compile(r"^\d+/(.*)$")


def param_path(key_path) -> str:
    """The variable path of one leaf, from its `jax.tree_util` key path.

    The training loop and `Optimizer.apply` key their params `"<index>/<variable path>"`;
    other pytrees give their `keystr`.

    Example:
        >>> param_path((jax.tree_util.DictKey("00003/dense/kernel"),))
        'dense/kernel'
    """
    if len(key_path) == 1 and isinstance(key_path[0], jax.tree_util.DictKey):
        match = _INDEXED.match(str(key_path[0].key))
        if match:
            return match.group(1)
        return str(key_path[0].key)
    return jax.tree_util.keystr(key_path)


def param_paths(params) -> list[str]:
    """The variable path of each leaf of `params`, in leaf order.

    Example:
        >>> param_paths({"0/dense/bias": 0.0, "1/dense/kernel": 1.0})
        ['dense/bias', 'dense/kernel']
    """
    return [param_path(p) for p, _ in jax.tree_util.tree_flatten_with_path(params)[0]]
