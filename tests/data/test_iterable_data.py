"""`IterableData` and `PyDataset`: epochs over generators, iterables and indexable datasets."""

import itertools

import numpy as np
import pytest

from kernelkit.data import IterableData, PyDataset, is_iterable_data


def _batches(n):
    return [(np.full((2, 1), i, "float32"), np.zeros((2, 1), "float32")) for i in range(n)]


def _firsts(data):
    return [int(np.asarray(x)[0, 0]) for x, _, _ in data.epoch()]


def test_what_counts_as_streamed_data():
    assert is_iterable_data(iter([])) and is_iterable_data(x for x in [])
    assert is_iterable_data(map(int, []))
    for value in (None, np.ones(2), [np.ones(2)], (np.ones(2),), {"a": np.ones(2)}, "ab"):
        assert not is_iterable_data(value)


def test_one_shot_iterator_continues_across_epochs_with_steps():
    data = IterableData(iter(_batches(7)), steps=3)
    assert int(np.asarray(data.first_batch()[0])[0, 0]) == 0  # peeked, then replayed
    assert _firsts(data) == [0, 1, 2]
    assert _firsts(data) == [3, 4, 5]
    assert not data.exhausted
    assert _firsts(data) == [6]
    assert data.exhausted


def test_reiterable_source_restarts_each_epoch():
    class Source:
        def __iter__(self):
            return iter(_batches(4))

    data = IterableData(Source(), steps=2)
    assert _firsts(data) == [0, 1] and _firsts(data) == [0, 1]
    assert not data.exhausted


def test_infinite_generator_with_negative_steps():
    data = IterableData((b for i in itertools.count() for b in _batches(1)), steps=-1)
    assert data.infinite and data.steps is None
    assert list(itertools.islice(data.epoch(), 5))


class Squares(PyDataset):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.ended = 0

    def __len__(self):
        return 4

    def __getitem__(self, i):
        return _batches(4)[i]

    def on_epoch_end(self):
        self.ended += 1


@pytest.mark.parametrize("workers", [0, 1])
def test_pydataset_len_getitem_and_on_epoch_end(workers):
    source = Squares(workers=workers, max_queue_size=2)
    data = IterableData(source)
    assert data.steps == 4 and source.num_batches == 4
    assert _firsts(data) == [0, 1, 2, 3] and source.ended == 1
    shuffled = IterableData(Squares(), shuffle=True, seed=3)
    orders = [_firsts(shuffled) for _ in range(3)]
    assert all(sorted(o) == [0, 1, 2, 3] for o in orders) and orders[0] != orders[1:]


def test_pydataset_without_methods_raises():
    with pytest.raises(NotImplementedError, match=r"must implement __len__"):
        len(PyDataset())
    with pytest.raises(NotImplementedError, match=r"must implement __getitem__"):
        PyDataset()[0]
    assert PyDataset().num_batches is None


def test_empty_sources_raise():
    with pytest.raises(ValueError, match=r"The data iterator is empty"):
        IterableData(iter([])).first_batch()

    class Empty:
        def __iter__(self):
            return iter([])

    with pytest.raises(ValueError, match=r"The data is empty"):
        IterableData(Empty()).first_batch()


def test_non_numeric_batch_raises():
    with pytest.raises(ValueError, match=r"A batch contains non-numeric data"):
        list(IterableData(iter([(np.array([object()]),)])).epoch())
