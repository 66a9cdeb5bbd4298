"""`BackupAndRestore` under DataParallel and ModelParallel on 8 forced CPU devices: a resumed
run equals an uninterrupted one, shuffled too, and a backup resumes under another
distribution (or on one device) with that distribution's layouts."""

from __future__ import annotations

import pytest

from tests.distribution.multi_device import run_checks


@pytest.fixture(scope="module")
def report():
    return run_checks("backup_checks.py")


@pytest.mark.parametrize("kind", ["dp", "mp", "dp_shuffled", "mp_to_one_device",
                                  "one_device_to_mp", "mp_to_dp"])
def test_resumed_fit_matches_uninterrupted(report, kind):
    run = report[kind]
    assert run["resumed_epochs"] == [2]  # the backup was read: only the last epoch ran
    assert run["gap"] <= 1e-6
    assert run["iterations"][0] == run["iterations"][1] > 0


def test_the_shuffled_run_really_shuffled(report):
    assert report["dp_shuffled"]["reference_kernel"] != report["dp"]["reference_kernel"]


@pytest.mark.parametrize(("kind", "devices", "spec"), [
    ("mp_to_one_device", [1], []), ("one_device_to_mp", [8], [None, "model"]),
    ("mp_to_dp", [8], [])])
def test_a_backup_resumes_under_another_distribution_with_its_layout(report, kind, devices,
                                                                     spec):
    run = report[kind]
    assert run["devices"] == devices
    assert run["weights"]["dense/kernel"]["spec"] == spec


def test_data_parallel_restore_keeps_replicated_weights_and_slots(report):
    run = report["dp"]
    assert run["slots"]
    for where in [*run["weights"].values(), *run["slots"].values()]:
        assert where["replicated"]


def test_model_parallel_restore_keeps_the_kernel_layout(report):
    run = report["mp"]
    kernel = [p for p in run["weights"] if "dense" in p and "kernel" in p and "out" not in p]
    assert kernel and run["weights"][kernel[0]]["spec"] == [None, "model"]
    assert run["weights"][kernel[0]]["replicated"] is False
    slots = [p for p in run["slots"] if "dense_kernel" in p]
    assert len(slots) == 2 and all(run["slots"][p]["spec"] == [None, "model"] for p in slots)
