"""The node rules of `kernelkit.tree`: which values are containers, their children and keys."""

from __future__ import annotations

import collections

import jax

__all__ = ["check_func", "children_like", "kind", "mismatch", "node_of", "same_kind"]

_DICTS = (dict, collections.OrderedDict, collections.defaultdict)


def _sorted_keys(d: dict) -> list:
    if isinstance(d, collections.OrderedDict):
        return list(d)
    try:
        return sorted(d)
    except TypeError:  # mixed key types: order by type name, then value
        try:
            return sorted(d, key=lambda k: (type(k).__name__, k))
        except TypeError:
            return list(d)


def node_of(x):
    """`(keys, children, rebuild)` for a node, None for a leaf; `rebuild(children)`."""
    if x is None or isinstance(x, str | bytes):
        return None
    if isinstance(x, dict):
        keys = _sorted_keys(x)
        return keys, [x[k] for k in keys], lambda c, x=x, keys=keys: _rebuild_dict(x, keys, c)
    kind = type(x)
    if isinstance(x, tuple) and hasattr(kind, "_fields"):
        return list(range(len(x))), list(x), lambda c, t=kind: t(*c)
    if isinstance(x, list | tuple):
        return list(range(len(x))), list(x), lambda c, t=kind: t(c)
    if isinstance(x, collections.deque):
        return list(range(len(x))), list(x), lambda c, m=x.maxlen: collections.deque(c, m)
    with_path, treedef = jax.tree_util.tree_flatten_with_path(x, is_leaf=lambda v: v is not x)
    if jax.tree_util.treedef_is_leaf(treedef) and len(with_path) == 1 and with_path[0][1] is x:
        return None
    keys = [_key_of(path[0]) if path else i for i, (path, _) in enumerate(with_path)]
    return keys, [v for _, v in with_path], lambda c, t=treedef: t.unflatten(c)


def _key_of(entry):
    for attr in ("key", "idx", "name"):
        if hasattr(entry, attr):
            return getattr(entry, attr)
    return str(entry)


def _rebuild_dict(original: dict, keys: list, children: list) -> dict:
    values = dict(zip(keys, children))
    if isinstance(original, collections.defaultdict):
        return collections.defaultdict(original.default_factory,
                                       {k: values[k] for k in original})
    return type(original)((k, values[k]) for k in original)


def same_kind(a, b) -> bool:
    """True when `a` and `b` are the same container type (the dict kinds all match)."""
    if isinstance(a, _DICTS) and isinstance(b, _DICTS):
        return True
    return type(a) is type(b)


def mismatch(what: str, a, b) -> ValueError:
    """The error for two structures that differ where `a` and `b` sit."""
    return ValueError(
        f"kernelkit.tree.{what}: the structures don't have the same nested structure. "
        f"Expected {kind(a)}. Received: {kind(b)}. Make every structure nest the same "
        "containers with the same keys and lengths."
    )


def kind(x) -> str:
    """Describes `x` for an error message: a leaf, None, or a container and its keys."""
    node = node_of(x)
    if node is None:
        return "a leaf" if x is not None else "None"
    return f"{type(x).__name__} with keys {node[0]}"


def children_like(reference, node, other, who: str) -> list:
    """`other`'s children in `reference`'s key order; raises if `other` is another node."""
    other_node = node_of(other)
    if other_node is None or not same_kind(reference, other) or (
            sorted(map(repr, other_node[0])) != sorted(map(repr, node[0]))):
        raise mismatch(who, reference, other)
    by_key = dict(zip(other_node[0], other_node[1]))
    return [by_key[k] for k in node[0]]


def check_func(func, who: str) -> None:
    """Raises `TypeError` naming `who` unless `func` is callable."""
    if not callable(func):
        raise TypeError(
            f"kernelkit.tree.{who}: `func` must be callable. Expected a function. "
            f"Received: func of type {type(func).__name__}."
        )
