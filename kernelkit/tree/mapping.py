"""Mapping over structures: `map_structure`, `map_structure_up_to`, `map_shape_structure`."""

from __future__ import annotations

from collections.abc import Callable

from kernelkit.tree.nodes import check_func, children_like, mismatch, node_of

__all__ = ["assert_same_structure", "map_shape_structure", "map_structure",
           "map_structure_up_to"]


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
    check_func(func, "map_structure")

    def visit(first, others):
        if first is None and not none_is_leaf:
            for o in others:
                if o is not None:
                    raise mismatch("map_structure", first, o)
            return None
        node = node_of(first)
        if node is None:
            for o in others:
                if node_of(o) is not None or (o is None and not none_is_leaf):
                    raise mismatch("map_structure", first, o)
            return func(first, *others)
        children = [children_like(first, node, o, "map_structure") for o in others]
        return node[2]([visit(c, [oc[i] for oc in children]) for i, c in enumerate(node[1])])

    return visit(structures[0], list(structures[1:]))


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
    check_func(func, "map_structure_up_to")

    def visit(shallow, others):
        node = node_of(shallow)
        if node is None:
            return func(*others)
        children = [children_like(shallow, node, o, "map_structure_up_to") for o in others]
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
    check_func(func, "map_shape_structure")

    def visit(x):
        if isinstance(x, list | tuple) and all(isinstance(e, int | type(None)) for e in x):
            return func(x)
        node = node_of(x)
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
        node = node_of(x)
        if node is None:
            if node_of(y) is not None:
                raise mismatch("assert_same_structure", x, y)
            return
        for cx, cy in zip(node[1], children_like(x, node, y, "assert_same_structure")):
            visit(cx, cy)

    visit(a, b)
