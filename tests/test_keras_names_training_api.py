"""Every public name of keras.losses/metrics/optimizers/initializers/callbacks exists here."""

import inspect

import pytest

import kernelkit as kk
from tests.keras_oracle import keras

MODULES = ["losses", "metrics", "optimizers", "initializers", "callbacks"]

# Names that cannot exist here, and what stands in their place (none at present: every public
# name of these five modules has a kernelkit counterpart).
EXCLUSIONS: dict[str, str] = {}


def _public(module):
    return sorted(n for n in dir(module) if not n.startswith("_"))


@pytest.mark.parametrize("module", MODULES)
def test_every_keras_name_exists(module):
    ours, theirs = getattr(kk, module), getattr(keras, module)
    missing = [n for n in _public(theirs)
               if f"{module}.{n}" not in EXCLUSIONS and not hasattr(ours, n)]
    assert not missing, f"kernelkit.{module} lacks Keras names: {missing}"


@pytest.mark.parametrize("module", MODULES)
def test_each_name_is_the_same_kind_of_object(module):
    ours, theirs = getattr(kk, module), getattr(keras, module)
    for name in _public(theirs):
        keras_obj, our_obj = getattr(theirs, name), getattr(ours, name)
        if inspect.ismodule(keras_obj):
            assert inspect.ismodule(our_obj), f"{module}.{name} should be a module"
        elif inspect.isclass(keras_obj):
            assert inspect.isclass(our_obj), f"{module}.{name} should be a class"
        else:
            assert callable(our_obj) and not inspect.isclass(our_obj), (
                f"{module}.{name} should be a function")


@pytest.mark.parametrize("module", MODULES)
def test_public_names_are_listed_in_all(module):
    ours, theirs = getattr(kk, module), getattr(keras, module)
    not_listed = [n for n in _public(theirs) if n not in ours.__all__]
    assert not not_listed, f"kernelkit.{module}.__all__ lacks {not_listed}"
