"""Learning rate schedules (`keras.optimizers.schedules`): functions of the optimizer step."""

from kernelkit.optimizers.schedules.cosine_decay import CosineDecay
from kernelkit.optimizers.schedules.cosine_decay_restarts import CosineDecayRestarts
from kernelkit.optimizers.schedules.exponential_decay import ExponentialDecay
from kernelkit.optimizers.schedules.inverse_time_decay import InverseTimeDecay
from kernelkit.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from kernelkit.optimizers.schedules.piecewise_constant_decay import PiecewiseConstantDecay
from kernelkit.optimizers.schedules.polynomial_decay import PolynomialDecay
from kernelkit.registry import deserialize as _deserialize
from kernelkit.registry import serialize as _serialize

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "deserialize",
    "serialize",
]


def serialize(learning_rate_schedule) -> dict:
    """Returns the Keras 3 dict form of a schedule.

    Example:
        >>> serialize(ExponentialDecay(0.1, 10, 0.9))["class_name"]
        'ExponentialDecay'
    """
    return _serialize(learning_rate_schedule)


def deserialize(config: dict, custom_objects: dict | None = None):
    """Rebuilds a schedule from `serialize`'s output (registered classes only).

    Example:
        >>> type(deserialize(serialize(CosineDecay(0.1, 100)))).__name__
        'CosineDecay'
    """
    return _deserialize(config, module="keras.optimizers.schedules",
                        custom_objects=custom_objects, where="schedules.deserialize")
