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

from kernelkit.tree.flattening import (
    assert_same_paths,
    flatten,
    flatten_with_path,
    is_nested,
    pack_sequence_as,
)
from kernelkit.tree.mapping import (
    assert_same_structure,
    map_shape_structure,
    map_structure,
    map_structure_up_to,
)
from kernelkit.tree.traversal import MAP_TO_NONE, lists_to_tuples, traverse

__all__ = ["MAP_TO_NONE", "assert_same_paths", "assert_same_structure", "flatten",
           "flatten_with_path", "is_nested", "lists_to_tuples", "map_shape_structure",
           "map_structure", "map_structure_up_to", "pack_sequence_as", "traverse"]
