"""Environment detection and the user override of the display mode."""

import sys
import types

import pytest

from kernelkit.display import environment
from kernelkit.display.environment import display_mode, is_notebook, set_display_mode


@pytest.fixture(autouse=True)
def _auto_mode():
    set_display_mode("auto")
    yield
    set_display_mode("auto")


def _fake_shell(monkeypatch, class_name, bases=()):
    shell_type = type(class_name, bases, {})
    monkeypatch.setattr("IPython.get_ipython", lambda: shell_type())
    return shell_type


def test_plain_python_is_not_a_notebook(monkeypatch):
    monkeypatch.setattr("IPython.get_ipython", lambda: None)
    assert not is_notebook()


def test_jupyter_kernel_shell_is_a_notebook(monkeypatch):
    _fake_shell(monkeypatch, "ZMQInteractiveShell")
    assert is_notebook()


def test_subclass_of_the_kernel_shell_counts(monkeypatch):
    base = type("ZMQInteractiveShell", (), {})
    _fake_shell(monkeypatch, "VSCodeShell", (base,))
    assert is_notebook()


def test_terminal_ipython_is_not_a_notebook(monkeypatch):
    _fake_shell(monkeypatch, "TerminalInteractiveShell")
    assert not is_notebook()


def test_colab_counts_as_a_notebook(monkeypatch):
    _fake_shell(monkeypatch, "Shell")
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert is_notebook()


def test_override_wins_over_detection(monkeypatch):
    _fake_shell(monkeypatch, "ZMQInteractiveShell")
    set_display_mode("text")
    assert display_mode() == "text" and not is_notebook()
    monkeypatch.setattr("IPython.get_ipython", lambda: None)
    set_display_mode("notebook")
    assert is_notebook()


def test_bad_mode_raises():
    with pytest.raises(ValueError, match="unknown display mode.*Received: mode='html'"):
        set_display_mode("html")
    assert environment.display_mode() == "auto"
