"""Activation functions with Keras names, and `get(identifier)` to resolve them."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.registry import register_builtin

__all__ = [
    "celu", "elu", "exponential", "gelu", "get", "glu", "hard_shrink", "hard_sigmoid", "hard_silu",
    "hard_swish", "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish",
    "relu", "relu6", "selu", "serialize", "sigmoid", "silu", "soft_shrink", "softmax",
    "softplus", "softsign", "squareplus", "swish", "tanh", "tanh_shrink",
]

_ACTIVATIONS: dict[str, object] = {}


def _register(fn):
    _ACTIVATIONS[fn.__name__] = fn
    return register_builtin("keras.activations")(fn)


@_register
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, with Keras's optional slope, cap and threshold.

    Example:
        >>> relu(jnp.array([-1.0, 2.0])).tolist()
        [0.0, 2.0]
    """
    x = jnp.asarray(x)
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return jax.nn.relu(x)
    below = negative_slope * (x - threshold)
    out = jnp.where(x >= threshold, x, below) if threshold != 0.0 else jnp.where(x > 0, x, below)
    if threshold != 0.0 and negative_slope == 0.0:
        out = jnp.where(x > threshold, x, 0.0)
    if max_value is not None:
        out = jnp.minimum(out, max_value)
    return out


@_register
def relu6(x):
    """`min(max(x, 0), 6)`."""
    return jax.nn.relu6(x)


@_register
def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU with Keras's default slope 0.2."""
    return jax.nn.leaky_relu(x, negative_slope)


@_register
def elu(x, alpha=1.0):
    """Exponential linear unit."""
    return jax.nn.elu(x, alpha)


@_register
def selu(x):
    """Scaled exponential linear unit."""
    return jax.nn.selu(x)


@_register
def celu(x, alpha=1.0):
    """Continuously differentiable ELU."""
    return jax.nn.celu(x, alpha)


@_register
def gelu(x, approximate=False):
    """Gaussian error linear unit (exact by default, as in Keras)."""
    return jax.nn.gelu(x, approximate=approximate)


@_register
def glu(x, axis=-1):
    """Gated linear unit: halves `axis`, `a * sigmoid(b)`."""
    return jax.nn.glu(x, axis)


@_register
def softmax(x, axis=-1):
    """Softmax over `axis`.

    Example:
        >>> float(softmax(jnp.array([1.0, 1.0])).sum())
        1.0
    """
    return jax.nn.softmax(x, axis=axis)


@_register
def log_softmax(x, axis=-1):
    """Log of the softmax over `axis`."""
    return jax.nn.log_softmax(x, axis=axis)


@_register
def softplus(x):
    """`log(exp(x) + 1)`."""
    return jax.nn.softplus(x)


@_register
def softsign(x):
    """`x / (abs(x) + 1)`."""
    return jax.nn.soft_sign(x)


@_register
def silu(x):
    """`x * sigmoid(x)`, also known as swish."""
    return jax.nn.silu(x)


swish = silu
_ACTIVATIONS["swish"] = silu


@_register
def hard_silu(x):
    """`x * hard_sigmoid(x)`, also known as hard swish."""
    return x * hard_sigmoid(x)


hard_swish = hard_silu
_ACTIVATIONS["hard_swish"] = hard_silu


@_register
def tanh(x):
    """Hyperbolic tangent."""
    return jnp.tanh(x)


@_register
def sigmoid(x):
    """Logistic sigmoid."""
    return jax.nn.sigmoid(x)


@_register
def hard_sigmoid(x):
    """Piecewise-linear sigmoid, `relu6(x + 3) / 6` as in Keras 3."""
    return jax.nn.relu6(x + 3.0) / 6.0


@_register
def log_sigmoid(x):
    """Log of the sigmoid."""
    return jax.nn.log_sigmoid(x)


@_register
def exponential(x):
    """`exp(x)`."""
    return jnp.exp(x)


@_register
def mish(x):
    """`x * tanh(softplus(x))`."""
    return x * jnp.tanh(jax.nn.softplus(x))


@_register
def hard_tanh(x):
    """`clip(x, -1, 1)`."""
    return jnp.clip(x, -1.0, 1.0)


@_register
def tanh_shrink(x):
    """`x - tanh(x)`."""
    return x - jnp.tanh(x)


@_register
def soft_shrink(x, threshold=0.5):
    """Shrinks values towards zero by `threshold`."""
    return jnp.where(x > threshold, x - threshold, jnp.where(x < -threshold, x + threshold, 0.0))


@_register
def hard_shrink(x, threshold=0.5):
    """Zeroes values whose magnitude is at most `threshold`."""
    return jnp.where(jnp.abs(x) > threshold, x, 0.0)


@_register
def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`."""
    return (x + jnp.sqrt(x * x + b)) / 2


@_register
def linear(x):
    """The identity."""
    return x


def serialize(activation) -> str:
    """Returns the Keras name of a built-in activation (or the function's name)."""
    for name, fn in _ACTIVATIONS.items():
        if fn is activation:
            return name
    return getattr(activation, "__name__", repr(activation))


def get(identifier):
    """Resolves an activation from a name, a callable, a serialized dict or `None` (linear).

    Example:
        >>> get("relu") is relu
        True
    """
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        identifier = identifier.get("config", {}).get("name", identifier.get("class_name"))
    if isinstance(identifier, str):
        fn = _ACTIVATIONS.get(identifier) or _ACTIVATIONS.get(identifier.lower())
        if fn is None:
            from kernelkit.registry import get_registered_object

            fn = get_registered_object(identifier)
        if fn is None:
            raise ValueError(
                f"Unknown activation {identifier!r}. Expected one of "
                f"{sorted(_ACTIVATIONS)} or a callable. Received: identifier={identifier!r}."
            )
        return fn
    if callable(identifier):
        return identifier
    raise TypeError(
        "Could not interpret activation identifier. Expected a string, a callable or None. "
        f"Received: identifier={identifier!r}."
    )
