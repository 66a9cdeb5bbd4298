"""`Distribution.distribute_dataset` and `shard_dataset`: contiguous per-process shares of
arrays (multi-process runs), the dataset unchanged otherwise, clear refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kernelkit as kk
from kernelkit.distribution.dataset_shards import shard_dataset


def test_shares_are_contiguous_and_cover_every_sample_once():
    x = np.arange(10)
    parts = [shard_dataset(x, 3, s) for s in range(3)]
    assert [p.tolist() for p in parts] == [[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]


def test_trees_keep_their_structure_and_cut_every_array_alike():
    data = ({"a": np.arange(8).reshape(4, 2), "b": np.arange(4)}, [np.arange(4) * 10],
            pd.DataFrame({"c": np.arange(4)}, index=[9, 8, 7, 6]))
    x, ys, frame = shard_dataset(data, 2, 1)
    assert x["a"].tolist() == [[4, 5], [6, 7]] and x["b"].tolist() == [2, 3]
    assert isinstance(ys, list) and ys[0].tolist() == [20, 30]
    assert frame["c"].tolist() == [2, 3]  # positional rows, whatever the index


@pytest.mark.parametrize("dataset", [iter([np.zeros(3)]), "abc", [np.zeros(2), 3.0]])
def test_non_arrays_are_refused(dataset):
    with pytest.raises(ValueError, match="DataParallel: distribute_dataset cannot shard this "
                                         "dataset in a multi-process run"):
        shard_dataset(dataset, 2, 0, who="DataParallel")


def test_arrays_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match=r"one number of samples, but they have \[3, 4\]"):
        shard_dataset((np.zeros(3), np.zeros(4)), 2, 0)


def test_fewer_samples_than_shares_are_refused():
    with pytest.raises(ValueError, match="cannot split 1 samples among 2 data shards"):
        shard_dataset(np.zeros((1, 3)), 2, 1)


def _as_multi_process(distribution, processes, process_id):
    """The distribution as process `process_id` of a run of `processes` would see it."""
    distribution._num_processes, distribution._process_id = processes, process_id
    distribution._is_multi_process = processes > 1
    return distribution


def test_one_process_or_auto_shard_off_returns_the_dataset_unchanged():
    x = np.zeros((8, 2))
    assert kk.distribution.DataParallel(devices=["cpu:0"]).distribute_dataset(x) is x
    off = _as_multi_process(kk.distribution.DataParallel(devices=["cpu:0"],
                                                         auto_shard_dataset=False), 2, 1)
    stream = iter([x])
    assert off.distribute_dataset(stream) is stream  # not even checked
    one_replica = _as_multi_process(kk.distribution.DataParallel(devices=["cpu:0"]), 2, 1)
    assert one_replica.distribute_dataset(x) is x  # one model replica: every process feeds it all


def test_multi_process_shards_by_data_shard_id(monkeypatch):
    dp = _as_multi_process(kk.distribution.DataParallel(devices=["cpu:0"]), 4, 3)
    monkeypatch.setattr(type(dp), "num_model_replicas", property(lambda self: 4))
    x, y = dp.distribute_dataset((np.arange(8), np.arange(8) * 2))
    assert dp.data_shard_id == 3 and x.tolist() == [6, 7] and y.tolist() == [12, 14]
    with pytest.raises(ValueError, match="DataParallel: distribute_dataset cannot shard"):
        dp.distribute_dataset(iter([x]))
