"""Every public name of these Keras 3 modules exists in kernelkit's module of the same name."""

import importlib

import pytest

from tests.keras_oracle import keras

MODULES = ["activations", "applications", "callbacks", "constraints", "dtype_policies",
           "export", "initializers", "layers", "losses", "metrics", "mixed_precision",
           "optimizers", "optimizers.schedules", "preprocessing", "regularizers", "saving",
           "utils", "visualization", "ops", "random", "tree", "backend", "config"]

# Names that exist but cannot work without another framework: each refuses with a clear error.
REFUSED = {
    "layers": {"TFSMLayer": "TensorFlow", "TorchModuleWrapper": "PyTorch"},
}


@pytest.mark.parametrize("module", MODULES)
def test_every_public_keras_name_exists(module):
    theirs = importlib.import_module(f"keras.{module}")
    ours = importlib.import_module(f"kernelkit.{module}")
    missing = sorted(n for n in dir(theirs) if not n.startswith("_") and not hasattr(ours, n))
    assert missing == [], f"kernelkit.{module} lacks {missing}"
    assert keras.__version__.startswith("3.")


@pytest.mark.parametrize(("module", "name", "framework"),
                         [(m, n, f) for m, names in REFUSED.items() for n, f in names.items()])
def test_names_that_need_another_framework_say_so(module, name, framework):
    cls = getattr(importlib.import_module(f"kernelkit.{module}"), name)
    with pytest.raises((ImportError, NotImplementedError, TypeError, ValueError),
                       match=framework):
        cls("model_path_or_module")
