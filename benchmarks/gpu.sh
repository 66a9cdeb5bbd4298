#!/usr/bin/env bash
# The GPU benchmark (issue 16): one run, one set of tables, under 6 minutes on an H100/H200.
# Installs only what the project's own files name: the package with its `bench` extra, plus the
# CUDA build of the same jax version from the registry (`jax[cuda12]`) when `nvidia-smi` sees a
# GPU. On a machine without a GPU it runs the same tables on the CPU.
#   bash benchmarks/gpu.sh [extra arguments for benchmarks.run, e.g. --cases mlp]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi
"$VENV/bin/python" -m pip install --quiet -e '.[bench]'
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  nvidia-smi -L
  JAX_VERSION=$("$VENV/bin/python" -c "import jax; print(jax.__version__)")
  "$VENV/bin/python" -m pip install --quiet "jax[cuda12]==${JAX_VERSION}"
else
  echo "No GPU found (nvidia-smi): running the same benchmark on the CPU."
fi
"$VENV/bin/python" -c "import jax; print('jax', jax.__version__, 'devices:', jax.devices())"
export KERAS_BACKEND=jax
# The CPU run keeps the default epochs; a GPU epoch is short, so more epochs steady the median.
exec "$VENV/bin/python" -m benchmarks.run --mixed-bfloat16 "$@"
