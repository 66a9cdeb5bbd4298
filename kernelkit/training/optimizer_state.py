"""`OptimizerStateRef`: the one reference to a model's optimizer state, in and between runs.

A run's carry reads its optimizer state from here and writes each new state back, so the
optimizer's Keras properties (`iterations`, `learning_rate`, `variables`), saving and
`BackupAndRestore` all see the same, current value.
"""

from __future__ import annotations

from kernelkit.distribution.placement import place_optimizer_state

__all__ = ["OptimizerStateRef"]


class OptimizerStateRef:
    """The optax state of a model's optimizer and the parameter keys it was made for.

    Example:
        >>> ref = OptimizerStateRef()
        >>> ref.get() is None
        True
    """

    def __init__(self):
        self.keys: tuple | None = None
        self.state = None

    def get(self):
        """The current optax state (None before the first training step)."""
        return self.state

    def set(self, state) -> None:
        """Replaces the state (the optimizer's setters write through this)."""
        if self.keys is not None:
            self.state = state

    def clear(self) -> None:
        """Forgets the state (a new `compile`, or weights replaced by a file)."""
        self.keys, self.state = None, None

    def for_params(self, optimizer, keys, params: dict):
        """The state for these parameters: the one kept, or a fresh one when they changed.

        Args:
            optimizer: The compiled optimizer (its optax `transform` makes a fresh state).
            keys: The parameter keys of the carry, in order.
            params: The parameters, keyed by `keys`.

        Returns:
            The optax state.
        """
        keys = tuple(keys)
        if self.state is None or self.keys != keys:
            self.keys, self.state = keys, place_optimizer_state(optimizer.transform.init(params))
        return self.state

    def attach_to(self, optimizer) -> None:
        """Makes `optimizer`'s Keras properties read and write this state."""
        if hasattr(optimizer, "attach"):
            optimizer.attach(self.get, self.set)
