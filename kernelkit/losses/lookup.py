"""Loss lookup: `get(identifier)`, (de)serialization, and Keras's "crossentropy" shortcut."""

from __future__ import annotations

from kernelkit.losses import (
    circle_loss,
    generalized_crossentropy,
    margin,
    overlap,
    probabilistic,
    regression,
    sequence,
)
from kernelkit.losses.loss import Loss, LossFunctionWrapper
from kernelkit.registry import Lookup

__all__ = [
    "ALL_OBJECTS", "deserialize", "get", "is_binary_or_sparse_categorical",
    "resolve_crossentropy", "resolve_loss", "serialize",
]


def _public(module):
    return {name: getattr(module, name) for name in module.__all__
            if name[0].isupper() or name in _FUNCTION_NAMES}


_FUNCTION_NAMES = {
    "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
    "categorical_generalized_cross_entropy", "circle", "dice", "tversky",
    "categorical_focal_crossentropy", "categorical_hinge", "cosine_similarity", "ctc", "hinge",
    "huber", "kl_divergence", "log_cosh", "mean_absolute_error",
    "mean_absolute_percentage_error", "mean_squared_error", "mean_squared_logarithmic_error",
    "poisson", "sparse_categorical_crossentropy", "squared_hinge",
}

ALL_OBJECTS: dict[str, object] = {"Loss": Loss, "LossFunctionWrapper": LossFunctionWrapper}
for _module in (regression, probabilistic, margin, sequence, overlap, circle_loss,
                generalized_crossentropy):
    ALL_OBJECTS.update(_public(_module))
for _alias, _target in {
    "bce": "binary_crossentropy", "kld": "kl_divergence", "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error", "mse": "mean_squared_error",
    "msle": "mean_squared_logarithmic_error",
}.items():
    ALL_OBJECTS[_alias] = ALL_OBJECTS[_alias.upper()] = ALL_OBJECTS[_target]

_LOOKUP = Lookup(
    "kernelkit.losses", "loss", "keras.losses", ALL_OBJECTS, strings="object", builtins=True,
    accepts="a name, a Loss, a dict config or a callable fn(y_true, y_pred)",
    unknown_hint=", a Loss instance or a callable fn(y_true, y_pred)",
    unknown_fix="Check the spelling (names are case-sensitive) or register the function with "
                "register_keras_serializable.",
    refuse_fix="Pass one of those.", where="kernelkit.losses.deserialize")


def serialize(loss):
    """Serializes a `Loss` to Keras's dict form, or a loss function to its name.

    Args:
        loss: The loss to write.

    Returns:
        Keras 3's serialized form: a dict, or a name.

    Example:
        >>> serialize(regression.mean_squared_error)
        'mean_squared_error'
    """
    return _LOOKUP.serialize(loss)


def deserialize(config, custom_objects=None):
    """Rebuilds a loss from `serialize`'s output (classes resolved only via the registry).

    Args:
        config: A dict `serialize` (or Keras 3) wrote, or a name.
        custom_objects: Optional dict of extra names to objects.

    Returns:
        The loss.

    Example:
        >>> deserialize("mae") is regression.mean_absolute_error
        True
        >>> deserialize(serialize(regression.Huber(delta=2.0))).get_config()["delta"]
        2.0
    """
    return _LOOKUP.deserialize(config, custom_objects)


def get(identifier):
    """Resolves a loss from a name, a class, an instance, a serialized dict or a callable.

    Snake-case names give the function (`"mse"` -> `mean_squared_error`), class names an
    instance (`"MeanSquaredError"` -> `MeanSquaredError()`); names are case-sensitive, as in
    Keras. `None` gives `None`.

    Args:
        identifier: A name, a serialized dict, a class, a `Loss`, a function
            `fn(y_true, y_pred)` or `None`.

    Returns:
        The loss (`None` for `None`).

    Example:
        >>> get("mse") is regression.mean_squared_error
        True
        >>> type(get("BinaryCrossentropy")).__name__
        'BinaryCrossentropy'
    """
    return _LOOKUP.get(identifier)


def is_binary_or_sparse_categorical(y_true_shape, y_pred_shape) -> tuple[bool, bool]:
    """Keras 3's rule: binary if the output has one unit; sparse if the target has fewer axes
    or a last axis of 1 while the output has more than one unit.

    Example:
        >>> is_binary_or_sparse_categorical((8,), (8, 3))
        (False, True)
    """
    y_true_shape, y_pred_shape = tuple(y_true_shape), tuple(y_pred_shape)
    t_last = y_true_shape[-1] if y_true_shape else None
    p_last = y_pred_shape[-1] if y_pred_shape else None
    is_binary = p_last == 1
    is_sparse = len(y_true_shape) < len(y_pred_shape) or (t_last == 1 and p_last != 1)
    return is_binary, is_sparse


def resolve_crossentropy(y_true_shape, y_pred_shape):
    """Picks binary, sparse categorical or categorical crossentropy from the shapes.

    Example:
        >>> resolve_crossentropy((8, 1), (8, 1)).__name__
        'binary_crossentropy'
    """
    is_binary, is_sparse = is_binary_or_sparse_categorical(y_true_shape, y_pred_shape)
    if is_binary:
        return probabilistic.binary_crossentropy
    if is_sparse:
        return probabilistic.sparse_categorical_crossentropy
    return probabilistic.categorical_crossentropy


def resolve_loss(identifier, y_true_shape, y_pred_shape):
    """`get(identifier)`, except that `"crossentropy"`/`"ce"` (any case) follow the shapes.

    This is what `compile(loss=...)` does in Keras 3.

    Example:
        >>> resolve_loss("ce", (8,), (8, 10)).__name__
        'sparse_categorical_crossentropy'
    """
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        return resolve_crossentropy(y_true_shape, y_pred_shape)
    return get(identifier)
