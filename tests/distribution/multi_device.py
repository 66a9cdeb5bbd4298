"""Runs a checks script in a fresh Python with 8 forced CPU devices; the results come back.

The test process itself keeps its one device: `XLA_FLAGS` must be set before JAX starts, so
each test file runs its checks once, in one subprocess, and asserts on what it reports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

__all__ = ["run_checks"]

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
