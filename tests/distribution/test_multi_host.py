"""Two local processes joined with `kernelkit.distribution.initialize` on 127.0.0.1 train one
`DataParallel` model (JAX's CPU backend with gloo collectives): they agree on the weights,
and those are the weights of one device trained on the same data."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def reports():
    port = str(_free_port())
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    script = str(Path(__file__).parent / "multi_host_checks.py")
    procs = [subprocess.Popen([sys.executable, script, str(i), port], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(2)]
    out = []
    for proc in procs:
        try:
            stdout, stderr = proc.communicate(timeout=180)
        except subprocess.TimeoutExpired:
            for p in procs:
                p.kill()
            raise
        assert proc.returncode == 0, stderr[-4000:]
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


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
