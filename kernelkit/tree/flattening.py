"""Flattening and packing: `is_nested`, `flatten`, `flatten_with_path`, `pack_sequence_as`."""

from __future__ import annotations

from kernelkit.tree.nodes import node_of

__all__ = ["assert_same_paths", "flatten", "flatten_with_path", "is_nested", "pack_sequence_as"]


def is_nested(structure) -> bool:
    """True for a node (a list, tuple, namedtuple, deque, dict or registered pytree).

    Args:
        structure: Any value.

    Returns:
        False for leaves, `None` included.

    Example:
        >>> is_nested([]), is_nested({"a": 1}), is_nested(None), is_nested("ab")
        (True, True, False, False)
    """
    return node_of(structure) is not None


def flatten(structure) -> list:
    """The leaves of `structure`, depth first (dict values in sorted-key order).

    Args:
        structure: A nested structure.

    Returns:
        A list of leaves; `[structure]` for a leaf (`[None]` for `None`).

    Example:
        >>> flatten([[1, 2, 3], [4, [5], [[6]]]])
        [1, 2, 3, 4, 5, 6]
        >>> flatten({100: "world!", 6: "Hello"})
        ['Hello', 'world!']
    """
    return [leaf for _, leaf in flatten_with_path(structure)]


def flatten_with_path(structure) -> list:
    """`(path, leaf)` pairs; a path is the tuple of indices and keys leading to the leaf.

    Namedtuples are indexed by position, as in Keras.

    Args:
        structure: A nested structure.

    Returns:
        A list of `(path, leaf)` pairs in `flatten`'s order.

    Example:
        >>> flatten_with_path([{"foo": 42}])
        [((0, 'foo'), 42)]
    """
    out = []

    def visit(x, path):
        node = node_of(x)
        if node is None:
            out.append((path, x))
            return
        for key, child in zip(node[0], node[1]):
            visit(child, (*path, key))

    visit(structure, ())
    return out


def pack_sequence_as(structure, flat_sequence):
    """Puts the leaves of `flat_sequence`, in order, into the shape of `structure`.

    Args:
        structure: A nested structure (its leaves are ignored).
        flat_sequence: An iterable with one item per leaf of `structure`.

    Returns:
        A structure like `structure` holding the items of `flat_sequence`.

    Raises:
        TypeError: if `flat_sequence` is not iterable.
        ValueError: if it has too few or too many items.

    Example:
        >>> pack_sequence_as({"key3": 0, "key1": 0}, ["value1", "value3"])
        {'key3': 'value3', 'key1': 'value1'}
    """
    try:
        items = list(flat_sequence)
    except TypeError as e:
        raise TypeError(
            "kernelkit.tree.pack_sequence_as: `flat_sequence` must be iterable. Expected a "
            f"list of leaves. Received: flat_sequence of type {type(flat_sequence).__name__}. "
            "Wrap a single leaf in a list."
        ) from e
    it = iter(items)
    sentinel = object()

    def build(x):
        node = node_of(x)
        if node is None:
            item = next(it, sentinel)
            if item is sentinel:
                raise ValueError(
                    "kernelkit.tree.pack_sequence_as: too few items. Expected "
                    f"{len(flatten(structure))} items, one per leaf of `structure`. "
                    f"Received: {len(items)} items."
                )
            return item
        return node[2]([build(c) for c in node[1]])

    out = build(structure)
    if next(it, sentinel) is not sentinel:
        raise ValueError(
            "kernelkit.tree.pack_sequence_as: too many items. Expected "
            f"{len(flatten(structure))} items, one per leaf of `structure`. Received: "
            f"{len(items)} items."
        )
    return out


def assert_same_paths(a, b) -> None:
    """Raises `ValueError` unless `a` and `b` have the same leaf paths (container types aside).

    Args:
        a: A nested structure.
        b: A nested structure.

    Raises:
        ValueError: naming the paths found in one structure only.

    Example:
        >>> assert_same_paths([0, 1], (2, 3))
        >>> assert_same_paths({"a": 1}, {"b": 1})
        Traceback (most recent call last):
        ...
        ValueError: `a` and `b` don't have the same paths.
        Paths in `a` missing in `b`:
        {('a',)}
        Paths in `b` missing in `a`:
        {('b',)}
    """
    a_paths = {p for p, _ in flatten_with_path(a)}
    b_paths = {p for p, _ in flatten_with_path(b)}
    if a_paths != b_paths:
        msg = "`a` and `b` don't have the same paths."
        if a_paths - b_paths:
            msg += f"\nPaths in `a` missing in `b`:\n{a_paths - b_paths}"
        if b_paths - a_paths:
            msg += f"\nPaths in `b` missing in `a`:\n{b_paths - a_paths}"
        raise ValueError(msg)
