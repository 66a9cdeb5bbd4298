"""Runs a checks script in a fresh Python with 8 forced CPU devices, or in several local
processes joined into one run; the results come back.

The test process itself keeps its one device: `XLA_FLAGS` must be set before JAX starts, so
each test file runs its checks once, in subprocesses, and asserts on what they report.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

__all__ = ["run_checks", "run_processes"]

ROOT = Path(__file__).resolve().parents[2]


def run_checks(script: str, devices: int = 8, timeout: int = 240) -> dict:
    """Runs `tests/distribution/<script>` on `devices` CPU devices; returns its JSON report."""
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu",
           "XLA_FLAGS": f"--xla_force_host_platform_device_count={devices}"}
    result = subprocess.run([sys.executable, str(Path(__file__).parent / script)], env=env,
                            cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"{script} failed:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_processes(script: str, count: int = 2, timeout: int = 180) -> list[dict]:
    """Runs `tests/distribution/<script> <process_id> <port>` in `count` local processes
    (JAX's CPU backend; the script joins them on 127.0.0.1:<port>); returns each one's JSON
    report, in process order."""
    port = str(_free_port())
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    path = str(Path(__file__).parent / script)
    procs = [subprocess.Popen([sys.executable, path, str(i), port], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(count)]
    reports = []
    try:
        for proc in procs:
            stdout, stderr = proc.communicate(timeout=timeout)
            if proc.returncode != 0:
                raise AssertionError(f"{script} failed:\n{stderr[-6000:]}")
            reports.append(json.loads(stdout.strip().splitlines()[-1]))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    return reports
