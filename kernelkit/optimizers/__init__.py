"""Keras-named optimizers (`keras.optimizers`) built as optax transforms, and schedules.

The training loop's API (pure, jit-friendly):

    tx = optimizer.transform                      # optax.GradientTransformation, cached
    opt_state = tx.init(params)                   # an OptimizerState pytree
    loss = optimizer.scale_loss(loss)             # before differentiating (loss_scale_factor)
    updates, opt_state = tx.update(grads, opt_state, params)
    params = optax.apply_updates(params, updates)
    optimizer.iterations_of(opt_state), optimizer.learning_rate_of(opt_state)
    opt_state = optimizer.with_learning_rate(opt_state, 0.01)  # no retrace
    params = optimizer.finalize_params(params, opt_state)      # EMA weights at the end
    optimizer.attach(get_state, set_state)        # Keras properties read the live state
"""

import optax

from kernelkit.optimizers import legacy, schedules
from kernelkit.optimizers.adadelta import Adadelta
from kernelkit.optimizers.adafactor import Adafactor
from kernelkit.optimizers.adagrad import Adagrad
from kernelkit.optimizers.adam import Adam, AdamW
from kernelkit.optimizers.adamax import Adamax
from kernelkit.optimizers.ftrl import Ftrl
from kernelkit.optimizers.keras_transform import OptimizerState
from kernelkit.optimizers.lamb import Lamb
from kernelkit.optimizers.lion import Lion
from kernelkit.optimizers.loss_scale_optimizer import LossScaleOptimizer
from kernelkit.optimizers.multi_optimizer import MultiOptimizer, OptimizerMap
from kernelkit.optimizers.muon import Muon
from kernelkit.optimizers.nadam import Nadam
from kernelkit.optimizers.optax_optimizer import OptaxOptimizer
from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.optimizers.rmsprop import RMSprop
from kernelkit.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from kernelkit.optimizers.sgd import SGD
from kernelkit.registry import Lookup

__all__ = [
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Ftrl",
    "Lamb",
    "Lion",
    "LossScaleOptimizer",
    "MultiOptimizer",
    "Muon",
    "Nadam",
    "OptaxOptimizer",
    "Optimizer",
    "OptimizerMap",
    "OptimizerState",
    "RMSprop",
    "SGD",
    "ScheduleFreeAdamW",
    "deserialize",
    "get",
    "legacy",
    "schedules",
    "serialize",
]

_BY_NAME = {cls.__name__.lower(): cls for cls in (
    SGD, Adadelta, Adafactor, Adagrad, Adam, AdamW, Adamax, Ftrl, Lamb, Lion, Muon, Nadam, RMSprop,
    ScheduleFreeAdamW, MultiOptimizer, OptimizerMap, LossScaleOptimizer)}


def _convert(identifier):
    """An optimizer as it is, and an optax transform wrapped; other identifiers go the common
    way."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, optax.GradientTransformation):
        return OptaxOptimizer(identifier)
    return None


_LOOKUP = Lookup(
    "optimizers", "optimizer", "keras.optimizers", _BY_NAME, fold_case=True, classes=False,
    convert=_convert, accept=lambda obj: obj if isinstance(obj, Optimizer) else None,
    accepts="a name, a config dict, an Optimizer or an optax.GradientTransformation",
    unknown_hint="", unknown_fix="Check the spelling.", refuse_fix="Pass e.g. 'adam'.",
    show=lambda identifier: type(identifier).__name__, where="optimizers.deserialize")


def serialize(optimizer: Optimizer) -> dict:
    """Returns the Keras 3 dict form of an optimizer.

    Args:
        optimizer: The optimizer to write.

    Returns:
        Keras 3's serialized form: a dict, or a name.

    Example:
        >>> serialize(Adam())["class_name"]
        'Adam'
    """
    return _LOOKUP.serialize(optimizer)


def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """Rebuilds an optimizer from `serialize`'s output; built-in names are case-insensitive.

    Args:
        config: A dict `serialize` (or Keras 3) wrote, or a name.
        custom_objects: Optional dict of extra names to objects.

    Returns:
        The optimizer.

    Example:
        >>> type(deserialize({"class_name": "adam", "config": {}})).__name__
        'Adam'
    """
    return _LOOKUP.deserialize(config, custom_objects)


def get(identifier) -> Optimizer | None:
    """Returns an optimizer from a name, a config dict, an instance or an optax transform.

    Args:
        identifier: A name, a config dict, an `Optimizer`, an
            `optax.GradientTransformation` or `None`.

    Returns:
        The optimizer (`None` for `None`).

    Raises:
        ValueError: if the name is unknown or the identifier cannot be interpreted.

    Example:
        >>> type(get("rmsprop")).__name__
        'RMSprop'
    """
    return _LOOKUP.get(identifier)
