"""Training under `DataParallel` and `ModelParallel` on 8 forced CPU devices (one subprocess).

Each distributed run is compared with the same model, data and seed on one device: the
weights agree up to float reassociation (the gradient of a split batch is summed in
another order).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.distribution.multi_device import run_checks

ATOL = 2e-5  # float32 reassociation of the cross-device gradient sums, over 21 Adam steps


@pytest.fixture(scope="module")
def report():
    return run_checks("training_checks.py")


def assert_close(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), atol=ATOL, rtol=1e-5)


def test_the_subprocess_has_eight_devices(report):
    assert report["device_count"] == 8


@pytest.mark.parametrize("spe", [1, 4])
def test_data_parallel_trains_as_one_device(report, spe):
    run = report[f"dp_spe{spe}"]
    assert_close(run["one"], run["dist"])
    for name in ("loss", "mae"):
        np.testing.assert_allclose(run["logs_dist"][name], run["logs_one"][name], rtol=1e-5)
    np.testing.assert_allclose(run["pred_dist"], run["pred_one"], atol=ATOL)


@pytest.mark.parametrize("spe", [1, 4])
def test_callbacks_see_the_logs_of_one_device(report, spe):
    one, dist = report[f"dp_spe{spe}"]["logs_one"]["callbacks"], \
        report[f"dp_spe{spe}"]["logs_dist"]["callbacks"]
    assert dist["types"] == ["float"]  # one number per metric for the mesh, not per device
    assert len(dist["epochs"]) == 3 and len(dist["batches"]) == len(one["batches"]) > 0
    for kind in ("batches", "epochs"):
        for a, b in zip(one[kind], dist[kind]):
            assert a.keys() == b.keys()
            np.testing.assert_allclose([b[k] for k in b], [a[k] for k in a], rtol=1e-4)
    np.testing.assert_allclose(dist["history"]["loss"], one["history"]["loss"], rtol=1e-4)


@pytest.mark.parametrize("spe", [1, 4])
def test_data_parallel_replicates_weights_and_optimizer_slots(report, spe):
    run = report[f"dp_spe{spe}"]
    for placement in run["weights"] + run["slots"]:
        assert placement["replicated"] and placement["devices"] == 8


def test_data_parallel_step_computes_on_a_share_of_the_batch(report):
    # a batch of 32 over 8 devices: the compiled step holds (4, 16) slices of the inputs
    assert report["per_device_batch_in_hlo"] is True


def test_no_more_compilations_than_on_one_device(report):
    assert report["compiles"]["dist"] == report["compiles"]["one"]
    assert sum(report["compiles"]["one"].values()) > 0


def test_on_batch_methods_split_the_batch_as_one_device(report):
    one, dist = report["on_batch"]["one"], report["on_batch"]["dist"]
    np.testing.assert_allclose(dist["train"], one["train"], rtol=1e-5)
    np.testing.assert_allclose(dist["test"], one["test"], rtol=1e-5)
    np.testing.assert_allclose(dist["predict"], one["predict"], atol=ATOL)
    assert_close(one["weights"], dist["weights"])


def test_model_parallel_creates_the_kernel_as_the_map_says(report):
    created = report["mp_created"]
    assert created["kernel_as_map"]
    assert created["kernel"] == {"replicated": False, "spec": [None, "model"], "devices": 8}


def test_model_parallel_trains_as_one_device_and_keeps_layouts(report):
    run = report["mp_trained"]
    assert_close(run["one"], run["dist"])
    np.testing.assert_allclose(run["logs_dist"]["loss"], run["logs_one"]["loss"], rtol=1e-5)
    assert run["kernel_as_map"] and run["bias_as_map"]
    assert run["out_kernel"]["replicated"]  # matched by no key: replicated, also after fit
    assert run["kernel_slots_as_map"] == [True, True]  # Adam's moments follow the kernel


def test_model_parallel_files_load_on_one_device_and_back(report):
    saving = report["saving"]
    assert_close(saving["saved"], saving["keras_one_device"])
    assert_close(saving["saved"], saving["h5_one_device"])
    assert saving["one_device_on_one"]
    assert_close(saving["saved"], saving["h5_back_under_mp"])
    assert saving["back_kernel_as_map"] and saving["keras_back_kernel_as_map"]
    np.testing.assert_allclose(saving["pred_one"], saving["pred_mp"], atol=1e-5)
    np.testing.assert_allclose(saving["pred_back"], saving["pred_mp"], atol=1e-5)


@pytest.mark.parametrize("case, words", [
    ("mesh_too_large", ["(16,)", "16 devices", "8 are given"]),
    ("rank", ["'dense/kernel'", "rank 1", "rank 2", "float32[16, 32]"]),
    ("indivisible_axis", ["'out/kernel'", "length 6", "4 devices"]),
    ("stray_key", ["'dense_99/kernel'", "matches no variable", "'dense/kernel'"]),
    ("batch_size", ["batch_size=30", "4 devices", "'batch'"]),
    ("dp_batch_size", ["batch_size=20", "8 devices"]),
    ("dp_predict_batch_size", ["batch_size=12", "8 devices"]),
])
def test_bad_input_is_refused_clearly(report, case, words):
    error = report["errors"][case]
    assert error is not None and error["type"] == "ValueError"
    for word in words:
        assert word in error["message"]


def test_scopes_restore_no_distribution(report):
    assert report["after_scope"] is True
