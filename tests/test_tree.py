"""`kernelkit.tree` against `keras.tree`: the same leaves, paths, rebuilt structures and errors."""

import collections

import numpy as np
import pytest

from kernelkit import tree
from tests.keras_oracle import keras

Point = collections.namedtuple("Point", ["x", "y"])
OtherPoint = collections.namedtuple("OtherPoint", ["x", "y"])

STRUCTURES = {
    "leaf": 3,
    "none": None,
    "string": "abc",
    "empty_list": [],
    "empty_dict": {},
    "flat_list": [1, 2, 3],
    "nested": [[1, 2, 3], [4, [5], [[6]]]],
    "dict_unsorted": {"b": 1, "a": 2, "c": [3, 4]},
    "int_keys": {100: "world", 6: "hello"},
    "mixed_keys": {"b": 1, 1: 2},
    "ordered_dict": collections.OrderedDict([("b", 1), ("a", 2)]),
    "defaultdict": collections.defaultdict(list, {"z": 1, "y": [2, None]}),
    "namedtuple": Point(x=1, y=[2, {"k": 3}]),
    "nones": {"a": None, "b": [None, (None,)]},
    "deque": collections.deque([1, [2]]),
    "arrays": [np.ones(2), ("x", b"y")],
    "mixed": {"inputs": [Point(1, None), (2, 3)], "extra": {"w": 4}},
}


def _same(a, b):
    """Equal values and equal container types (and dict key order) all the way down."""
    assert type(a) is type(b), (a, b)
    if isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, list | tuple | collections.deque):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b)
    else:
        assert a == b


@pytest.mark.parametrize("name", sorted(STRUCTURES))
def test_flatten_paths_and_pack_match_keras(name):
    s = STRUCTURES[name]
    _same(tree.flatten(s), keras.tree.flatten(s))
    _same(tree.flatten_with_path(s), keras.tree.flatten_with_path(s))
    assert tree.is_nested(s) == keras.tree.is_nested(s)
    leaves = [f"leaf{i}" for i in range(len(keras.tree.flatten(s)))]
    _same(tree.pack_sequence_as(s, leaves), keras.tree.pack_sequence_as(s, leaves))
    _same(tree.lists_to_tuples(s), keras.tree.lists_to_tuples(s))


@pytest.mark.parametrize("name", sorted(STRUCTURES))
def test_map_structure_and_traverse_match_keras(name):
    s = STRUCTURES[name]

    def f(x):
        return ("seen", repr(x))

    _same(tree.map_structure(f, s), keras.tree.map_structure(f, s))
    _same(tree.map_structure(f, s, none_is_leaf=False),
          keras.tree.map_structure(f, s, none_is_leaf=False))
    _same(tree.map_structure(lambda a, b: (a, b), s, s),
          keras.tree.map_structure(lambda a, b: (a, b), s, s))
    for top_down in (True, False):
        ours, theirs = [], []
        out = tree.traverse(lambda x, seen=ours: seen.append(repr(x)), s, top_down=top_down)
        ref = keras.tree.traverse(lambda x, seen=theirs: seen.append(repr(x)), s,
                                  top_down=top_down)
        _same(out, ref)
        assert ours == theirs
    tree.assert_same_structure(s, s)
    tree.assert_same_paths(s, s)


def test_traverse_replacements_and_map_to_none():
    s = [(1, 2), [3], {"a": 4}]

    def top(x):
        return "T" if isinstance(x, tuple) else (tree.MAP_TO_NONE if x == [3] else None)

    def top_k(x):
        return "T" if isinstance(x, tuple) else (keras.tree.MAP_TO_NONE if x == [3] else None)

    _same(tree.traverse(top, s), keras.tree.traverse(top_k, s))
    _same(tree.traverse(top, s, top_down=False), keras.tree.traverse(top_k, s, top_down=False))


MAP_PAIRS = [
    ({"a": 1, "b": 2}, collections.OrderedDict([("b", 1), ("a", 2)])),
    (collections.OrderedDict([("b", 1), ("a", 2)]), {"a": 1, "b": 2}),
    ({"a": 1}, collections.defaultdict(int, {"a": 5})),
    ([1, None], [2, None]),
]


@pytest.mark.parametrize("a,b", MAP_PAIRS)
def test_map_structure_over_dict_kinds_matches_keras(a, b):
    def f(x, y):
        return (x, y)

    _same(tree.map_structure(f, a, b), keras.tree.map_structure(f, a, b))
    tree.assert_same_structure(a, b)
    keras.tree.assert_same_structure(a, b)


MISMATCHES = [
    ([1, 2], (1, 2)),
    ([1, [2]], [1, 2]),
    ([1, 2], [1, [2]]),
    (Point(1, 2), OtherPoint(1, 2)),
    ({"a": 1}, {"b": 1}),
    ([1, 2], [1, 2, 3]),
    (1, [1]),
]


@pytest.mark.parametrize("a,b", MISMATCHES)
def test_structure_mismatches_raise_value_error_like_keras(a, b):
    with pytest.raises(ValueError):
        keras.tree.assert_same_structure(a, b)
    with pytest.raises(ValueError, match="kernelkit.tree.assert_same_structure: the structures"):
        tree.assert_same_structure(a, b)
    with pytest.raises(ValueError):
        keras.tree.map_structure(lambda x, y: x, a, b)
    with pytest.raises(ValueError, match="don't have the same nested structure"):
        tree.map_structure(lambda x, y: x, a, b)


def test_none_is_leaf_false_keeps_nones_and_checks_them():
    assert tree.map_structure(lambda x: x * 2, [1, None], none_is_leaf=False) == [2, None]
    for a, b in [([1, None], [1, 3]), ([1, 3], [1, None])]:
        with pytest.raises(ValueError):
            keras.tree.map_structure(lambda x, y: x, a, b, none_is_leaf=False)
        with pytest.raises(ValueError):
            tree.map_structure(lambda x, y: x, a, b, none_is_leaf=False)


@pytest.mark.parametrize("shallow,deep", [
    ([0, 0], [[1, 1], [2, 2, 2]]),
    ([0, [0, 0]], [[1, 1], [2, 2]]),
    ({"a": 0, "b": 0}, {"b": [1], "a": (2, 3)}),
    (Point(0, 0), Point([1], {"q": 2})),
])
def test_map_structure_up_to_matches_keras(shallow, deep):
    _same(tree.map_structure_up_to(shallow, repr, deep),
          keras.tree.map_structure_up_to(shallow, repr, deep))
    _same(tree.map_structure_up_to(shallow, lambda a, b: (repr(a), repr(b)), deep, deep),
          keras.tree.map_structure_up_to(shallow, lambda a, b: (repr(a), repr(b)), deep, deep))


def test_map_structure_up_to_takes_none_as_a_shallow_leaf():
    # Keras documents `[None, None]` as a shallow structure, but its optree path rejects it
    # (None is not a leaf there); kernelkit does what the documentation says.
    assert tree.map_structure_up_to([None, None], len, [[1, 1], [2, 2, 2]]) == [2, 3]
    assert tree.map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]]) == [
        "[1, 1]", ["2", "2"]]


@pytest.mark.parametrize("shallow,deep", [([0, [0]], [[1], 2]), ((0, 0), [[1], 2]),
                                          ([0, 0], [[1], [2, 3], [4]])])
def test_map_structure_up_to_rejects_shallower_or_other_structures(shallow, deep):
    with pytest.raises(ValueError):
        keras.tree.map_structure_up_to(shallow, str, deep)
    with pytest.raises(ValueError, match="map_structure_up_to"):
        tree.map_structure_up_to(shallow, str, deep)


def test_map_shape_structure_matches_keras():
    s = {"a": (None, 3), "b": [(1,), [2, 2]], "d": (), "e": Point((4,), [5, None])}
    _same(tree.map_shape_structure(repr, s), keras.tree.map_shape_structure(repr, s))
    _same(tree.map_shape_structure(repr, None), keras.tree.map_shape_structure(repr, None))


@pytest.mark.parametrize("a,b,same", [
    ([0, 1], (2, 3), True),
    (Point(0, 1), OtherPoint(2, 3), True),
    ({"a": 1}, [1], False),
    ({"a": [1, 2]}, {"a": [1]}, False),
])
def test_assert_same_paths_matches_keras(a, b, same):
    if same:
        keras.tree.assert_same_paths(a, b)
        tree.assert_same_paths(a, b)
        return
    with pytest.raises(ValueError) as theirs:
        keras.tree.assert_same_paths(a, b)
    with pytest.raises(ValueError) as ours:
        tree.assert_same_paths(a, b)
    assert str(ours.value) == str(theirs.value)


def test_pack_sequence_as_errors():
    with pytest.raises(ValueError, match="too many items"):
        tree.pack_sequence_as({"b": 0, "a": 0}, [1, 2, 3])
    with pytest.raises(ValueError, match="too few items"):
        tree.pack_sequence_as([0, [0, 0]], [1, 2])
    with pytest.raises(TypeError, match="must be iterable"):
        tree.pack_sequence_as(1, 5)
    assert tree.pack_sequence_as([1, 2], iter([3, 4])) == [3, 4]


def test_bad_func_and_missing_structures():
    for bad in (lambda: tree.map_structure(1, [1]), lambda: tree.traverse(1, [1])):
        with pytest.raises(TypeError, match="must be callable"):
            bad()
    with pytest.raises(ValueError, match="no structure given"):
        tree.map_structure(lambda x: x)
    with pytest.raises(ValueError, match="no structure given"):
        tree.map_structure_up_to([None], len)
    with pytest.warns(DeprecationWarning):
        tree.assert_same_structure([1], [2], check_types=True)


def test_jax_registered_pytrees_are_nodes():
    import jax

    state = {"w": jax.numpy.ones(2)}
    flat = tree.flatten(jax.tree_util.Partial(max, state))
    assert len(flat) == 1 and flat[0].shape == (2,)
