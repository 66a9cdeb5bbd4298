"""The call context: the `training` flag and the loss collector seen by nested layer calls."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["CallContext", "call_scope", "collect_losses", "current_collector", "current_context"]

_state = threading.local()


@dataclass
class CallContext:
    """What an outer call hands to every layer called inside it: the `training` flag.

    (Losses added in `call` go to the collector of `collect_losses`, not to the context.)
    """

    training: bool | None = None


def current_context() -> CallContext | None:
    """Returns the innermost active context, or `None` outside any layer call."""
    stack = getattr(_state, "stack", None)
    return stack[-1] if stack else None


@contextlib.contextmanager
def call_scope(training: bool | None = None) -> Iterator[CallContext]:
    """Opens a context; `training=None` inherits the enclosing value."""
    parent = current_context()
    if training is None and parent is not None:
        training = parent.training
    ctx = CallContext(training=training)
    stack = getattr(_state, "stack", None)
    if stack is None:
        stack = _state.stack = []
    stack.append(ctx)
    try:
        yield ctx
    finally:
        stack.pop()


@contextlib.contextmanager
def collect_losses() -> Iterator[list]:
    """Collects every `add_loss` value (traced or not) made inside the block.

    The training step opens one around the forward pass and `compute_loss`, so losses added
    during the call (activity regularization, `add_loss` in `call`) reach the total loss.
    """
    stack = getattr(_state, "collectors", None)
    if stack is None:
        stack = _state.collectors = []
    collected: list = []
    stack.append(collected)
    try:
        yield collected
    finally:
        stack.pop()


def current_collector() -> list | None:
    """The innermost active loss collector, or `None`."""
    stack = getattr(_state, "collectors", None)
    return stack[-1] if stack else None
