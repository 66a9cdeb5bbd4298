"""Which of `Model`'s step methods a model overrides, and with which signature.

A run asks this once, at its start. The built-in methods carry a marker (`default_method`), so
the answer needs no import of `Trainer` (which imports the loops that ask).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

__all__ = ["StepOverrides", "default_method", "is_default"]

_MARK = "__kernelkit_default__"


def default_method(function):
    """Marks one of `Trainer`'s built-in step methods.

    Example:
        >>> @default_method
        ... def train_step(self, data):
        ...     return {}
        >>> train_step.__kernelkit_default__
        True
    """
    setattr(function, _MARK, True)
    return function


def is_default(model, name: str) -> bool:
    """Whether `type(model).<name>` is kernelkit's own method (not overridden).

    Example:
        >>> import kernelkit as kk
        >>> is_default(kk.Sequential(), "train_step")
        True
    """
    return getattr(getattr(type(model), name, None), _MARK, False)


def _takes_state(method) -> bool:
    """`train_step(self, state, data)` (the Keras 3 stateless form) or `train_step(self, data)`."""
    try:
        params = [p for p in inspect.signature(method).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return False
    return len(params) >= 3  # self, state, data


@dataclass(frozen=True)
class StepOverrides:
    """The answer for one model class.

    Example:
        >>> import kernelkit as kk
        >>> class Custom(kk.Model):
        ...     def train_step(self, data):
        ...         return {}
        >>> StepOverrides.of(Custom()).train_step, StepOverrides.of(Custom()).test_step
        (True, False)
    """

    train_step: bool
    test_step: bool
    predict_step: bool
    compute_loss: bool
    reset_metrics: bool
    train_step_takes_state: bool
    test_step_takes_state: bool
    predict_step_takes_state: bool

    @classmethod
    def of(cls, model) -> StepOverrides:
        """The overrides of `model`'s class.

        Args:
            model: A `Model` (or subclass instance).

        Returns:
            A `StepOverrides`.
        """
        kind = type(model)
        return cls(
            train_step=not is_default(model, "train_step"),
            test_step=not is_default(model, "test_step"),
            predict_step=not is_default(model, "predict_step"),
            compute_loss=not is_default(model, "compute_loss"),
            reset_metrics=not is_default(model, "reset_metrics"),
            train_step_takes_state=_takes_state(kind.train_step),
            test_step_takes_state=_takes_state(kind.test_step),
            predict_step_takes_state=_takes_state(kind.predict_step),
        )
