"""Two local processes joined with `kernelkit.distribution.initialize` on 127.0.0.1 train one
`DataParallel` model (JAX's CPU backend with gloo collectives): they agree on the weights,
and those are the weights of one device trained on the same data.

Both processes feed the same arrays; each feeds its local share of every global batch
(`test_host_data.py` gives them different halves), so every global batch of 32 holds the 16
samples of one device's batch twice: the same mean gradient."""

from __future__ import annotations

import numpy as np
import pytest

from tests.distribution.multi_device import run_processes


@pytest.fixture(scope="module")
def reports():
    return run_processes("multi_host_checks.py")


def test_two_processes_form_one_mesh(reports):
    for i, report in enumerate(reports):
        assert report["process_id"] == i and report["process_count"] == 2
        assert report["devices"] == 4 and report["mesh"] == [4]
        assert report["num_processes"] == 2 and report["data_shard_id"] == i
        assert report["kernel_devices"] == 4  # the weights live on both processes' devices


def test_processes_agree_on_weights_and_logs(reports):
    first, second = reports
    assert first["seed"] == second["seed"]  # initialize() shares process 0's global seed
    assert first["loss"] == second["loss"]
    for a, b in zip(first["weights"], second["weights"]):
        np.testing.assert_array_equal(a, b)


def test_multi_host_training_matches_one_device(reports):
    report = reports[0]
    np.testing.assert_allclose(report["loss"], report["loss_one"], rtol=1e-5)
    for a, b in zip(report["weights"], report["weights_one"]):
        np.testing.assert_allclose(a, b, atol=2e-5)
