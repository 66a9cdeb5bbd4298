"""Doctest set-up (`pytest --doctest-modules kernelkit`): each example starts from fresh layer
names and the same global seed, so its output does not depend on the examples run before it."""

import pytest

from kernelkit.naming import reset_names
from kernelkit.random import set_random_seed


@pytest.fixture(autouse=True)
def _fresh_names_and_seed_for_doctests(request):
    if isinstance(request.node, pytest.DoctestItem):
        reset_names()
        set_random_seed(1234)
    yield
