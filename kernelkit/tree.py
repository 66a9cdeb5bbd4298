"""`kernelkit.tree`: Keras 3's nested-structure functions (`flatten`, `map_structure`, ...).

The rules are Keras's: `None` is a leaf; lists, tuples, namedtuples, deques and dicts are
nodes; a dict's values come in sorted-key order (an `OrderedDict`'s in insertion order), and a
rebuilt dict keeps the key order of the one it mirrors. Types registered as pytree nodes with
`jax.tree_util` (dataclasses, Flax states) are nodes too, one `jax.tree_util` level at a time.

Example:
    >>> from kernelkit import tree
    >>> tree.flatten({"b": [1, 2], "a": None})
    [None, 1, 2]
"""

from __future__ import annotations

import collections
from collections.abc import Callable

import jax

__all__ = ["MAP_TO_NONE", "assert_same_paths", "assert_same_structure", "flatten",
           "flatten_with_path", "is_nested", "lists_to_tuples", "map_shape_structure",
           "map_structure", "map_structure_up_to", "pack_sequence_as", "traverse"]

_DICTS = (dict, collections.OrderedDict, collections.defaultdict)


class MAP_TO_NONE:  # noqa: N801  (Keras's name)
    """Returned by a `traverse` function to replace a sub-structure with `None`.

    Example:
        >>> traverse(lambda x: MAP_TO_NONE if x == [2] else None, [1, [2]])
        [1, None]
    """


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


def _node(x):
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


def _same_kind(a, b) -> bool:
    if isinstance(a, _DICTS) and isinstance(b, _DICTS):
        return True
    return type(a) is type(b)


def _mismatch(what: str, a, b) -> ValueError:
    return ValueError(
        f"kernelkit.tree.{what}: the structures don't have the same nested structure. "
        f"Expected {_kind(a)}. Received: {_kind(b)}. Make every structure nest the same "
        "containers with the same keys and lengths."
    )


def _kind(x) -> str:
    node = _node(x)
    if node is None:
        return "a leaf" if x is not None else "None"
    return f"{type(x).__name__} with keys {node[0]}"


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
    return _node(structure) is not None


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
        node = _node(x)
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
        node = _node(x)
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


def _check_func(func, who: str) -> None:
    if not callable(func):
        raise TypeError(
            f"kernelkit.tree.{who}: `func` must be callable. Expected a function. "
            f"Received: func of type {type(func).__name__}."
        )


def map_structure(func: Callable, *structures, none_is_leaf: bool = True):
    """Applies `func` to the leaves of `structures` taken together, keeping the structure.

    Args:
        func: A function of as many arguments as there are structures.
        *structures: Structures of the same layout.
        none_is_leaf: If False, `None` entries are kept as `None` without calling `func`.

    Returns:
        A structure like the first, holding `func`'s results.

    Raises:
        TypeError: if `func` is not callable.
        ValueError: if no structure is given or the structures differ.

    Example:
        >>> map_structure(lambda x, y: x * y, [[1], [2]], [[3], [4]])
        [[3], [8]]
    """
    if not structures:
        raise ValueError(
            "kernelkit.tree.map_structure: no structure given. Expected at least one "
            "structure. Received: 0 structures. Pass the structure(s) after `func`."
        )
    _check_func(func, "map_structure")

    def visit(first, others):
        if first is None and not none_is_leaf:
            for o in others:
                if o is not None:
                    raise _mismatch("map_structure", first, o)
            return None
        node = _node(first)
        if node is None:
            for o in others:
                if _node(o) is not None or (o is None and not none_is_leaf):
                    raise _mismatch("map_structure", first, o)
            return func(first, *others)
        children = [_children_like(first, node, o, "map_structure") for o in others]
        return node[2]([visit(c, [oc[i] for oc in children]) for i, c in enumerate(node[1])])

    return visit(structures[0], list(structures[1:]))


def _children_like(reference, node, other, who: str) -> list:
    """`other`'s children in `reference`'s key order; raises if `other` is another node."""
    other_node = _node(other)
    if other_node is None or not _same_kind(reference, other) or (
            sorted(map(repr, other_node[0])) != sorted(map(repr, node[0]))):
        raise _mismatch(who, reference, other)
    by_key = dict(zip(other_node[0], other_node[1]))
    return [by_key[k] for k in node[0]]


def map_structure_up_to(shallow_structure, func: Callable, *structures):
    """Like `map_structure`, but stops at the leaves of `shallow_structure`.

    The structures are matched against `shallow_structure` only down to its leaves; below
    them, `func` receives whole sub-structures.

    Args:
        shallow_structure: A structure whose layout is a prefix of every structure's.
        func: A function of as many arguments as there are `structures`.
        *structures: Structures at least as deep as `shallow_structure`.

    Returns:
        A structure like `shallow_structure`.

    Raises:
        TypeError: if `func` is not callable.
        ValueError: if no structure is given or one is shallower or differs.

    Example:
        >>> map_structure_up_to([None, None], len, [[1, 1], [2, 2, 2]])
        [2, 3]
    """
    if not structures:
        raise ValueError(
            "kernelkit.tree.map_structure_up_to: no structure given. Expected at least one "
            "structure. Received: 0 structures. Pass the structure(s) after `func`."
        )
    _check_func(func, "map_structure_up_to")

    def visit(shallow, others):
        node = _node(shallow)
        if node is None:
            return func(*others)
        children = [_children_like(shallow, node, o, "map_structure_up_to") for o in others]
        return node[2]([visit(c, [oc[i] for oc in children]) for i, c in enumerate(node[1])])

    return visit(shallow_structure, list(structures))


def map_shape_structure(func: Callable, structure):
    """Applies `func` to each shape tuple (a list or tuple of ints and `None`) in `structure`.

    Args:
        func: A function of one shape (or of a `None` leaf).
        structure: A nested structure of shapes.

    Returns:
        The structure with each shape replaced by `func(shape)`.

    Example:
        >>> map_shape_structure(len, {"a": (None, 3), "b": [(1,), (2, 2, 2)]})
        {'a': 2, 'b': [1, 3]}
    """
    _check_func(func, "map_shape_structure")

    def visit(x):
        if isinstance(x, list | tuple) and all(isinstance(e, int | type(None)) for e in x):
            return func(x)
        node = _node(x)
        if node is None:
            return func(x)
        return node[2]([visit(c) for c in node[1]])

    return visit(structure)


def assert_same_structure(a, b, check_types=None) -> None:
    """Raises `ValueError` unless `a` and `b` nest the same containers in the same way.

    Lists, tuples, deques and each namedtuple class are different containers; `dict`,
    `OrderedDict` and `defaultdict` with the same keys match.

    Args:
        a: A nested structure.
        b: A nested structure.
        check_types: Ignored (deprecated in Keras; warns when given).

    Raises:
        ValueError: if the structures differ.

    Example:
        >>> assert_same_structure([(0, 1)], [(2, 3)])
        >>> assert_same_structure([0, 1], (0, 1))
        Traceback (most recent call last):
        ...
        ValueError: kernelkit.tree.assert_same_structure: the structures don't have the same nested structure. Expected list with keys [0, 1]. Received: tuple with keys [0, 1]. Make every structure nest the same containers with the same keys and lengths.
    """  # noqa: E501
    if check_types is not None:
        import warnings

        warnings.warn("kernelkit.tree.assert_same_structure: `check_types` has no effect; "
                      "use assert_same_paths for a looser check.", DeprecationWarning,
                      stacklevel=2)

    def visit(x, y):
        node = _node(x)
        if node is None:
            if _node(y) is not None:
                raise _mismatch("assert_same_structure", x, y)
            return
        for cx, cy in zip(node[1], _children_like(x, node, y, "assert_same_structure")):
            visit(cx, cy)

    visit(a, b)


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


def traverse(func: Callable, structure, top_down: bool = True):
    """Calls `func` on every sub-structure, parents first (`top_down`) or children first.

    Top down, a non-None result replaces the sub-structure and its children are not visited;
    bottom up, a non-None result replaces the already traversed sub-structure. Return
    `MAP_TO_NONE` to put `None` in its place.

    Args:
        func: A function of one sub-structure.
        structure: A nested structure.
        top_down: Visit parents before their children.

    Returns:
        The structure with the replacements made.

    Raises:
        TypeError: if `func` is not callable.

    Example:
        >>> seen = []
        >>> traverse(seen.append, [(1, 2), [3]])
        [(1, 2), [3]]
        >>> seen
        [[(1, 2), [3]], (1, 2), 1, 2, [3], 3]
    """
    _check_func(func, "traverse")

    def children_of(x):
        node = _node(x)
        return x if node is None else node[2]([visit(c) for c in node[1]])

    def visit(x):
        if top_down:
            ret = func(x)
            if ret is None:
                return children_of(x)
        else:
            x = children_of(x)
            ret = func(x)
            if ret is None:
                return x
        return None if ret is MAP_TO_NONE else ret

    return visit(structure)


def lists_to_tuples(structure):
    """Turns every list in `structure` into a tuple, at every depth.

    Args:
        structure: A nested structure.

    Returns:
        The same structure with tuples in place of lists.

    Example:
        >>> lists_to_tuples([1, [2, {"a": [3]}]])
        (1, (2, {'a': (3,)}))
    """
    return traverse(lambda x: tuple(x) if isinstance(x, list) else None, structure,
                    top_down=False)
