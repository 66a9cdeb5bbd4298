"""Visiting every sub-structure: `traverse`, `MAP_TO_NONE`, `lists_to_tuples`."""

from __future__ import annotations

from collections.abc import Callable

from kernelkit.tree.nodes import check_func, node_of

__all__ = ["MAP_TO_NONE", "lists_to_tuples", "traverse"]


class MAP_TO_NONE:  # noqa: N801  (Keras's name)
    """Returned by a `traverse` function to replace a sub-structure with `None`.

    Example:
        >>> traverse(lambda x: MAP_TO_NONE if x == [2] else None, [1, [2]])
        [1, None]
    """


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
    check_func(func, "traverse")

    def children_of(x):
        node = node_of(x)
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
