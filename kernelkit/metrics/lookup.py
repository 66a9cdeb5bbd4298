"""Metric lookup: `get(identifier)`, (de)serialization, and compile's name shortcuts."""

from __future__ import annotations

import inspect

from kernelkit import losses
from kernelkit.losses.lookup import is_binary_or_sparse_categorical
from kernelkit.metrics import (
    accuracies,
    auc,
    correlation,
    f_score,
    iou,
    mean,
    precision_recall,
    probabilistic,
    regression,
    sensitivity_specificity,
)
from kernelkit.metrics.metric import Metric
from kernelkit.naming import to_snake_case
from kernelkit.registry import Lookup

__all__ = ["ALL_OBJECTS", "deserialize", "get", "resolve_accuracy", "resolve_crossentropy",
           "resolve_metric", "serialize"]

ALL_OBJECTS: dict[str, type] = {"Metric": Metric}
for _module in (mean, accuracies, precision_recall, auc, f_score, iou, regression, probabilistic,
                correlation, sensitivity_specificity):
    for _name in _module.__all__:
        _obj = getattr(_module, _name)
        if inspect.isclass(_obj) and issubclass(_obj, Metric) and _name[0].isupper():
            ALL_OBJECTS[_name] = _obj
ALL_OBJECTS.pop("BuiltinMeanMetric", None)
ALL_OBJECTS.pop("SensitivitySpecificityBase", None)
ALL_OBJECTS.update({to_snake_case(name): cls for name, cls in list(ALL_OBJECTS.items())})
for _alias, _cls in {"bce": "BinaryCrossentropy", "mse": "MeanSquaredError",
                     "mae": "MeanAbsoluteError", "mape": "MeanAbsolutePercentageError",
                     "msle": "MeanSquaredLogarithmicError"}.items():
    ALL_OBJECTS[_alias] = ALL_OBJECTS[_alias.upper()] = ALL_OBJECTS[_cls]


def _as_metric(obj):
    """A Metric as it is; a plain function becomes a `MeanMetricWrapper` named after it."""
    if isinstance(obj, Metric):
        return obj
    if callable(obj):
        return mean.MeanMetricWrapper(obj, name=getattr(obj, "__name__", None)
                                      or getattr(obj, "name", None))
    return None


_LOOKUP = Lookup(
    "kernelkit.metrics", "metric", "keras.metrics", ALL_OBJECTS, strings=None, builtins=True,
    accept=_as_metric,
    accepts="a name, a Metric, a dict config or a callable fn(y_true, y_pred)",
    unknown_hint=", a Metric instance or a callable fn(y_true, y_pred)",
    unknown_fix="Check the spelling (names are case-sensitive) or pass the function itself.",
    refuse_fix="Pass one of those.", where="kernelkit.metrics.deserialize")


def serialize(metric):
    """Serializes a `Metric` to Keras's dict form (a function to its name).

    Args:
        metric: The metric to write.

    Returns:
        Keras 3's serialized form: a dict, or a name.

    Example:
        >>> from kernelkit import metrics
        >>> serialize(metrics.MeanAbsoluteError())["class_name"]
        'MeanAbsoluteError'
    """
    return _LOOKUP.serialize(metric)


def deserialize(config, custom_objects=None):
    """Rebuilds a metric from `serialize`'s output (classes resolved only via the registry).

    Args:
        config: A dict `serialize` (or Keras 3) wrote, or a name.
        custom_objects: Optional dict of extra names to objects.

    Returns:
        The metric.

    Example:
        >>> from kernelkit import metrics
        >>> m = deserialize(serialize(metrics.MeanAbsoluteError(name="mae")))
        >>> type(m).__name__, m.name
        ('MeanAbsoluteError', 'mae')
    """
    return _LOOKUP.deserialize(config, custom_objects)


def get(identifier):
    """Resolves a metric from a name, a class, an instance, a dict config or a callable.

    Names give a new instance (`"mae"` -> `MeanAbsoluteError()`); a plain function becomes a
    `MeanMetricWrapper` named after it. `None` gives `None`.

    Args:
        identifier: A name, a serialized dict, a class, a `Metric`, a function
            `fn(y_true, y_pred)` or `None`.

    Returns:
        The metric (`None` for `None`).

    Example:
        >>> type(get("mae")).__name__
        'MeanAbsoluteError'
        >>> def gap(y_true, y_pred):
        ...     return y_pred - y_true
        >>> get(gap).name
        'gap'
    """
    return _LOOKUP.get(identifier)


def _loss_kind(loss):
    """'binary' / 'sparse' / 'categorical' for a crossentropy loss, else None."""
    if isinstance(loss, str):
        try:
            loss = losses.get(loss)
        except ValueError:
            return None
    fn = getattr(loss, "fn", loss)
    return {losses.binary_crossentropy: "binary",
            losses.sparse_categorical_crossentropy: "sparse",
            losses.categorical_crossentropy: "categorical"}.get(fn)


def resolve_accuracy(name, y_true_shape, y_pred_shape, loss=None):
    """Picks the accuracy behind `"accuracy"`/`"acc"`, named `name`.

    With a crossentropy `loss` given, its kind decides (the Keras 2 rule, right for
    multi-label sigmoid outputs); otherwise Keras 3's shape rule: one output unit ->
    `BinaryAccuracy`; targets of lower rank or with a last axis of 1 ->
    `SparseCategoricalAccuracy`; else `CategoricalAccuracy`.

    Example:
        >>> type(resolve_accuracy("acc", (32,), (32, 10))).__name__
        'SparseCategoricalAccuracy'
    """
    kind = _loss_kind(loss) if loss is not None else None
    if kind is None:
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true_shape, y_pred_shape)
        kind = "binary" if is_binary else "sparse" if is_sparse else "categorical"
    cls = {"binary": accuracies.BinaryAccuracy, "sparse": accuracies.SparseCategoricalAccuracy,
           "categorical": accuracies.CategoricalAccuracy}[kind]
    return cls(name=str(name))


def resolve_crossentropy(name, y_true_shape, y_pred_shape):
    """Picks the crossentropy metric behind `"crossentropy"`/`"ce"` by the same shape rule.

    Example:
        >>> type(resolve_crossentropy("ce", (32, 1), (32, 1))).__name__
        'BinaryCrossentropy'
    """
    is_binary, is_sparse = is_binary_or_sparse_categorical(y_true_shape, y_pred_shape)
    if is_binary:
        return probabilistic.BinaryCrossentropy(name=str(name))
    if is_sparse:
        return probabilistic.SparseCategoricalCrossentropy(name=str(name))
    return probabilistic.CategoricalCrossentropy(name=str(name))


def resolve_metric(identifier, y_true_shape, y_pred_shape, loss=None):
    """What `compile(metrics=[...])` does with one entry, as in Keras 3.

    `"accuracy"`/`"acc"` and `"crossentropy"`/`"ce"` (any case) follow the shapes; other
    identifiers go through `get`. A string identifier also becomes the metric's name.

    Example:
        >>> m = resolve_metric("mae", (8, 1), (8, 1))
        >>> type(m).__name__, m.name
        ('MeanAbsoluteError', 'mae')
    """
    if identifier is None:
        raise ValueError(
            "resolve_metric: got None. Expected a metric name, a Metric or a callable. "
            "Received: identifier=None. Remove the None entry from metrics."
        )
    key = str(identifier).lower() if isinstance(identifier, str) else None
    if key in ("accuracy", "acc"):
        return resolve_accuracy(identifier, y_true_shape, y_pred_shape, loss=loss)
    if key in ("crossentropy", "ce"):
        return resolve_crossentropy(identifier, y_true_shape, y_pred_shape)
    metric = get(identifier)
    if isinstance(identifier, str):
        metric.name = identifier
    return metric
