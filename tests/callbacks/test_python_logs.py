"""to_python_logs: device arrays to Python floats, flattening, laziness."""

import json

import jax.numpy as jnp
import numpy as np

from kernelkit.callbacks.python_logs import to_python_logs
from tests.keras_oracle import keras  # noqa: F401  (sets the JAX backend for the oracle)


def test_scalars_become_python_floats():
    logs = to_python_logs({
        "loss": jnp.asarray(0.25, jnp.float32), "acc": np.float64(0.5), "n": 3,
        "flag": np.bool_(True), "one": jnp.ones((1,)),
    })
    assert logs == {"acc": 0.5, "flag": 1.0, "loss": 0.25, "n": 3.0, "one": 1.0}
    assert all(type(v) is float for v in logs.values())
    json.dumps(logs)


def test_nested_dicts_are_flattened_and_keys_sorted_like_keras():
    from keras.src.utils.python_utils import pythonify_logs

    logs = {"z": 1.0, "out": {"b_mae": jnp.asarray(2.0), "a_mse": 3.0}, "loss": jnp.asarray(4.0)}
    ours = to_python_logs(logs)
    assert ours == {"a_mse": 3.0, "b_mae": 2.0, "loss": 4.0, "z": 1.0}
    assert list(ours) == list(pythonify_logs(logs))


def test_non_scalars_and_strings_are_kept():
    logs = to_python_logs({"outputs": jnp.arange(4.0), "name": "run", "none": None})
    np.testing.assert_array_equal(logs["outputs"], np.arange(4.0))
    assert isinstance(logs["outputs"], np.ndarray)
    assert logs["name"] == "run" and logs["none"] is None


def test_none_and_callables():
    assert to_python_logs(None) == {}
    assert to_python_logs(lambda: None) == {}
    calls = []

    def lazy():
        calls.append(1)
        return {"loss": jnp.asarray(1.5)}

    assert to_python_logs(lazy) == {"loss": 1.5}
    assert calls == [1]
