"""`kernelkit.distribution` against Keras 3's `keras.distribution` (JAX backend).

Both libraries run side by side in one subprocess with 8 forced CPU devices
(`keras_api_checks.py`); each check there records Keras's result and kernelkit's.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.distribution.multi_device import run_checks

SAME = ["list_devices", "list_devices_cpu", "device_count", "mesh", "mesh_backend",
        "mesh_too_large", "mesh_names_mismatch", "mesh_empty", "layout", "layout_map",
        "distributions", "mp_without_map", "dp_bad_mesh", "scope", "distribute_tensor",
        "model_weights", "dp_weights"]


@pytest.fixture(scope="module")
def report():
    return run_checks("keras_api_checks.py")


@pytest.mark.parametrize("check", SAME)
def test_same_as_keras(report, check):
    keras_result, kernelkit_result = report[check]
    assert kernelkit_result == keras_result


def test_errors_are_errors_in_both(report):
    for check in ("mesh_too_large", "mesh_names_mismatch", "mesh_empty", "mp_without_map",
                  "dp_bad_mesh"):
        assert report[check][1] == {"error": "ValueError"}


def test_layout_map_lookups_are_not_trivial(report):
    lookups = report["layout_map"][1]["lookups"]
    assert None in lookups and [None, "model"] in lookups and ["model"] in lookups


def test_model_parallel_kernel_is_split(report):
    weights = report["model_weights"][1]
    assert weights["sequential"]["dense/kernel"]["spec"] == [None, "model"]
    assert weights["functional"]["hidden/kernel"]["spec"] == ["model"]  # ("model", None)


def test_data_parallel_fit_matches_keras(report):
    keras_run, kernelkit_run = report["dp_fit"]
    assert kernelkit_run["sharding"] == keras_run["sharding"]
    np.testing.assert_allclose(kernelkit_run["loss"], keras_run["loss"], rtol=1e-5)
    for a, b in zip(kernelkit_run["weights"], keras_run["weights"]):
        np.testing.assert_allclose(a, b, atol=1e-5)
