"""Per-host data (Keras 3 semantics): two local processes, each holding a different half of
the data, train one `DataParallel` model on their shares of every global batch; the
arguments each passes are its local share and `batch_size` is per process."""

from __future__ import annotations

import numpy as np
import pytest

from tests.distribution.multi_device import run_processes


@pytest.fixture(scope="module")
def reports():
    return run_processes("host_data_checks.py")


def _close(a, b, atol=2e-5):
    for u, v in zip(a, b, strict=True):
        np.testing.assert_allclose(u, v, atol=atol)


def test_distribute_dataset_gives_each_process_its_contiguous_half(reports):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(64, 8)), rng.normal(size=(64, 2))
    for i, report in enumerate(reports):
        shape, first_x, last_y = report["shard"]
        assert shape == [32, 8]
        assert first_x == pytest.approx(x[32 * i, 0]) and last_y == pytest.approx(y[32 * i + 31, 1])
        assert report["unsharded"]  # auto_shard_dataset=False: returned unchanged
        assert "distribute_dataset cannot shard this dataset" in report["refused_generator"]
        assert "auto_shard_dataset=False" in report["refused_generator"]


def test_processes_agree_and_match_one_device_on_the_interleaved_batches(reports):
    first, second = reports
    assert first["loss"] == second["loss"]
    _close(first["weights"], second["weights"], atol=0)
    _close(first["shuffled_weights"], second["shuffled_weights"], atol=0)
    for report in reports:  # validation_split: each process validates on the end of its half
        assert report["val_loss"] == pytest.approx(report["expected_val_loss"], rel=1e-5)
    np.testing.assert_allclose(first["loss"], first["loss_one"], rtol=1e-5)
    _close(first["weights"], first["weights_one"])


def test_arrays_keep_the_fused_multi_step_dispatch(reports):
    for report in reports:  # 32 samples, batch 8, steps_per_execution=2, 3 epochs
        assert report["fit_dispatches"] == [[2, 2]] * 6
        assert report["fit_programs"] == 1


def test_evaluate_and_test_on_batch_give_the_global_loss(reports):
    for report in reports:
        assert report["evaluate"] == pytest.approx(report["expected_evaluate"], rel=1e-5)
        assert report["evaluate_streamed"] == pytest.approx(report["expected_evaluate"],
                                                            rel=1e-5)
        assert report["evaluate_partial"] == pytest.approx(
            report["expected_evaluate_partial"], rel=1e-5)
        assert report["test_on_batch"] == pytest.approx(report["expected_test_on_batch"],
                                                        rel=1e-5)


def test_predict_returns_the_rows_this_process_fed(reports):
    for report in reports:
        np.testing.assert_allclose(report["predict"], report["expected_predict"], atol=1e-5)
        np.testing.assert_allclose(report["predict_on_batch"], report["expected_predict"][:8],
                                   atol=1e-5)


def test_mismatched_local_data_is_refused_with_both_numbers(reports):
    for i, report in enumerate(reports):
        other = 1 - i
        steps = report["refused_steps"]
        assert f"process {i} has {4 - i} batches ({32 - 8 * i} samples)" in steps
        assert f"process {other} has {4 - other} ({32 - 8 * other} samples)" in steps
        assert "local sample counts [32, 24]" in steps and "pass steps=3" in steps
        assert "batches of different sizes" in report["refused_sizes"]
        assert f"{6 - 2 * i} samples on process {i}" in report["refused_sizes"]
        assert "local sample counts [30, 28]" in report["refused_sizes"]
        assert "batch_size=3 cannot be split across this process's 2 devices" in \
            report["refused_batch"]
        assert "the batch of 3 samples this process feeds" in report["refused_local_batch"]
        assert "the evaluate batch of 5 samples" in report["refused_last_batch"]


def test_model_parallel_feeds_per_host_too(reports):
    for report in reports:  # a (2 batch, 2 model) mesh: each process holds one batch row
        assert report["mp_shard_is_half"]
        assert report["mp_kernel_spec"] == [None, "model"]
        _close(report["mp_weights"], report["weights_one"])
        np.testing.assert_allclose(report["mp_predict"], report["mp_expected_predict"],
                                   atol=1e-5)
