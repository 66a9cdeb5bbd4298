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
from kernelkit.registry import deserialize as _deserialize
from kernelkit.registry import serialize as _serialize

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


def serialize(optimizer: Optimizer) -> dict:
    """Returns the Keras 3 dict form of an optimizer.

    Example:
        >>> serialize(Adam())["class_name"]
        'Adam'
    """
    return _serialize(optimizer)


def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """Rebuilds an optimizer from `serialize`'s output; built-in names are case-insensitive.

    Example:
        >>> type(deserialize({"class_name": "adam", "config": {}})).__name__
        'Adam'
    """
    config = dict(config)
    builtin = _BY_NAME.get(str(config.get("class_name", "")).lower())
    if builtin is not None and not config.get("registered_name"):
        config["class_name"] = builtin.__name__
    return _deserialize(config, module="keras.optimizers", custom_objects=custom_objects,
                        where="optimizers.deserialize")


def get(identifier) -> Optimizer | None:
    """Returns an optimizer from a name, a config dict, an instance or an optax transform.

    Raises:
        ValueError: if the name is unknown or the identifier cannot be interpreted.

    Example:
        >>> type(get("rmsprop")).__name__
        'RMSprop'
    """
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, optax.GradientTransformation):
        return OptaxOptimizer(identifier)
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier.lower())
        if cls is None:
            raise ValueError(
                f"optimizers.get: unknown optimizer {identifier!r}. Expected one of "
                f"{sorted(_BY_NAME)}. Received: identifier={identifier!r}. Check the spelling."
            )
        return cls()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    raise ValueError(
        "optimizers.get: could not interpret the optimizer identifier. Expected a name, a "
        "config dict, an Optimizer or an optax.GradientTransformation. Received: "
        f"identifier={type(identifier).__name__}. Pass e.g. 'adam'."
    )
