"""Activation functions with Keras 3's names and formulas, and `get`/`serialize`/`deserialize`."""

from __future__ import annotations

import warnings

import jax
import jax.numpy as jnp

from kernelkit import registry

__all__ = [
    "celu", "deserialize", "elu", "exponential", "gelu", "get", "glu", "hard_shrink",
    "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh", "leaky_relu", "linear",
    "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu", "serialize", "sigmoid",
    "silu", "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid",
    "sparsemax", "squareplus", "swish", "tanh", "tanh_shrink", "threshold",
]

_ACTIVATIONS: dict[str, object] = {}  # Keras's ALL_OBJECTS_DICT: name (and alias) -> function


def _register(fn):
    _ACTIVATIONS[fn.__name__] = fn
    return registry.register_builtin("keras.activations")(fn)


@_register
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit with Keras's optional negative slope, cap and threshold.

    `x` above `threshold` passes, below it the output is `negative_slope * (x - threshold)`
    (Keras's exact arithmetic, including its clipping order), and `max_value` caps the result.

    Example:
        >>> relu(jnp.array([-1.0, 2.0, 8.0]), negative_slope=0.5, max_value=6.0).tolist()
        [-0.5, 2.0, 6.0]
    """
    x = jnp.asarray(x)
    negative_part = None
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return jax.nn.leaky_relu(x, negative_slope=negative_slope)
        negative_part = jax.nn.relu(-x + threshold) if threshold != 0 else jax.nn.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = jnp.where(x > jnp.asarray(threshold, x.dtype), x, 0)
    elif max_value == 6:
        x, clip_max = jax.nn.relu6(x), False
    else:
        x = jax.nn.relu(x)
    if clip_max:
        x = jnp.clip(x, jnp.asarray(0, x.dtype), jnp.asarray(max_value, x.dtype))
    if negative_part is not None:
        x = x - negative_slope * negative_part
    return x


@_register
def leaky_relu(x, negative_slope=0.2):
    """`x` for `x >= 0`, else `negative_slope * x` (Keras's default slope 0.2).

    Example:
        >>> leaky_relu(jnp.array([-1.0, 1.0]), negative_slope=0.5).tolist()
        [-0.5, 1.0]
    """
    return jax.nn.leaky_relu(jnp.asarray(x), negative_slope=negative_slope)


@_register
def relu6(x):
    """`min(max(x, 0), 6)`.

    Example:
        >>> relu6(jnp.array([-1.0, 7.0])).tolist()
        [0.0, 6.0]
    """
    return jax.nn.relu6(jnp.asarray(x))


@_register
def softmax(x, axis=-1):
    """`exp(x) / sum(exp(x))` over `axis` (an int or a tuple of ints).

    Example:
        >>> softmax(jnp.array([1.0, 1.0])).tolist()
        [0.5, 0.5]
    """
    x = jnp.asarray(x)
    if isinstance(axis, int) and -x.ndim <= axis < x.ndim and x.shape[axis] == 1:
        warnings.warn(
            f"softmax: axis {axis} of a tensor of shape {x.shape} has size 1, so the output "
            "is always 1. Did you mean to use a sigmoid instead?",
            stacklevel=2,
        )
    return jax.nn.softmax(x, axis=axis)


@_register
def elu(x, alpha=1.0):
    """`x` for `x > 0`, else `alpha * (exp(x) - 1)`.

    Example:
        >>> round(float(elu(jnp.array(-1.0))), 4)
        -0.6321
    """
    return jax.nn.elu(jnp.asarray(x), alpha=alpha)


@_register
def selu(x):
    """Scaled ELU with the self-normalizing constants of Klambauer et al. (2017).

    Example:
        >>> round(float(selu(jnp.array(1.0))), 4)
        1.0507
    """
    return jax.nn.selu(jnp.asarray(x))


@_register
def softplus(x):
    """`log(exp(x) + 1)`.

    Example:
        >>> round(float(softplus(jnp.array(0.0))), 4)
        0.6931
    """
    return jax.nn.softplus(jnp.asarray(x))


@_register
def softsign(x):
    """`x / (abs(x) + 1)`.

    Example:
        >>> softsign(jnp.array([-1.0, 3.0])).tolist()
        [-0.5, 0.75]
    """
    return jax.nn.soft_sign(jnp.asarray(x))


@_register
def soft_shrink(x, threshold=0.5):
    """Moves `x` towards zero by `threshold`, and zeroes `|x| <= threshold`.

    Example:
        >>> soft_shrink(jnp.array([-2.0, 0.2, 2.0])).tolist()
        [-1.5, 0.0, 1.5]
    """
    x = jnp.asarray(x)
    return jnp.where(x > threshold, x - threshold, jnp.where(x < -threshold, x + threshold, 0.0))


@_register
def sparse_plus(x):
    """`0` for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` for `x >= 1`.

    Example:
        >>> sparse_plus(jnp.array([-2.0, 0.0, 2.0])).tolist()
        [0.0, 0.25, 2.0]
    """
    return jax.nn.sparse_plus(jnp.asarray(x))


@_register
def silu(x):
    """`x * sigmoid(x)`, also known as swish.

    Example:
        >>> float(silu(jnp.array(0.0)))
        0.0
    """
    return jax.nn.silu(jnp.asarray(x))


@_register
def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`, a smooth ReLU.

    Example:
        >>> float(squareplus(jnp.array(0.0)))
        1.0
    """
    return jax.nn.squareplus(jnp.asarray(x), b=b)


@_register
def gelu(x, approximate=False):
    """Gaussian error linear unit `x * Phi(x)`; exact by default, as in Keras.

    Example:
        >>> round(float(gelu(jnp.array(1.0))), 4)
        0.8413
    """
    return jax.nn.gelu(jnp.asarray(x), approximate)


@_register
def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`.

    Example:
        >>> celu(jnp.array([2.0])).tolist()
        [2.0]
    """
    return jax.nn.celu(jnp.asarray(x), alpha=alpha)


@_register
def glu(x, axis=-1):
    """Gated linear unit: splits `axis` into halves `a, b` and returns `a * sigmoid(b)`.

    Raises:
        ValueError: if `x.shape[axis]` is odd.

    Example:
        >>> glu(jnp.array([2.0, 0.0])).tolist()
        [1.0]
    """
    x = jnp.asarray(x)
    if x.shape[axis] % 2:
        raise ValueError(
            f"glu: the gated axis must have an even size. Expected x.shape[{axis}] to be "
            f"even. Received: x.shape={tuple(x.shape)}. Pick another axis or pad the input."
        )
    return jax.nn.glu(x, axis=axis)


@_register
def tanh(x):
    """Hyperbolic tangent.

    Example:
        >>> float(tanh(jnp.array(0.0)))
        0.0
    """
    return jnp.tanh(jnp.asarray(x))


@_register
def tanh_shrink(x):
    """`x - tanh(x)`.

    Example:
        >>> float(tanh_shrink(jnp.array(0.0)))
        0.0
    """
    x = jnp.asarray(x)
    return x - jnp.tanh(x)


@_register
def hard_tanh(x):
    """`clip(x, -1, 1)`.

    Example:
        >>> hard_tanh(jnp.array([-3.0, 0.5, 3.0])).tolist()
        [-1.0, 0.5, 1.0]
    """
    return jax.nn.hard_tanh(jnp.asarray(x))


@_register
def hard_shrink(x, threshold=0.5):
    """Zeroes `x` where `|x| <= threshold`, else passes it.

    Example:
        >>> hard_shrink(jnp.array([-2.0, 0.2, 2.0])).tolist()
        [-2.0, 0.0, 2.0]
    """
    x = jnp.asarray(x)
    return jnp.where(jnp.abs(x) > threshold, x, 0.0)


@_register
def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`.

    Example:
        >>> threshold(jnp.array([-1.0, 2.0]), 0.0, -5.0).tolist()
        [-5.0, 2.0]
    """
    x = jnp.asarray(x)
    return jnp.where(x > threshold, x, default_value)


@_register
def sigmoid(x):
    """Logistic sigmoid `1 / (1 + exp(-x))`.

    Example:
        >>> float(sigmoid(jnp.array(0.0)))
        0.5
    """
    return jax.nn.sigmoid(jnp.asarray(x))


@_register
def sparse_sigmoid(x):
    """`0` for `x <= -1`, `(x + 1) / 2` for `-1 < x < 1`, `1` for `x >= 1`.

    Example:
        >>> sparse_sigmoid(jnp.array([-2.0, 0.0, 2.0])).tolist()
        [0.0, 0.5, 1.0]
    """
    return jax.nn.sparse_sigmoid(jnp.asarray(x))


@_register
def exponential(x):
    """`exp(x)`.

    Example:
        >>> float(exponential(jnp.array(0.0)))
        1.0
    """
    return jnp.exp(jnp.asarray(x))


@_register
def hard_sigmoid(x):
    """Piecewise-linear sigmoid `relu6(x + 3) / 6`, as in Keras 3.

    Example:
        >>> hard_sigmoid(jnp.array([-4.0, 0.0, 4.0])).tolist()
        [0.0, 0.5, 1.0]
    """
    return jax.nn.hard_sigmoid(jnp.asarray(x))


@_register
def log_sigmoid(x):
    """`log(sigmoid(x))`, computed stably.

    Example:
        >>> round(float(log_sigmoid(jnp.array(0.0))), 4)
        -0.6931
    """
    return jax.nn.log_sigmoid(jnp.asarray(x))


@_register
def hard_silu(x):
    """`x * hard_sigmoid(x)`, also known as hard swish.

    Example:
        >>> hard_silu(jnp.array([-4.0, 4.0])).tolist()
        [-0.0, 4.0]
    """
    return jax.nn.hard_silu(jnp.asarray(x))


@_register
def linear(x):
    """The identity (what `get(None)` returns).

    Example:
        >>> linear(3.0)
        3.0
    """
    return x


@_register
def mish(x):
    """`x * tanh(softplus(x))`.

    Example:
        >>> float(mish(jnp.array(0.0)))
        0.0
    """
    x = jnp.asarray(x)
    return x * jnp.tanh(jax.nn.softplus(x))


@_register
def log_softmax(x, axis=-1):
    """`x - logsumexp(x)` over `axis` (an int or a tuple of ints).

    Example:
        >>> round(float(log_softmax(jnp.array([1.0, 1.0]))[0]), 4)
        -0.6931
    """
    return jax.nn.log_softmax(jnp.asarray(x), axis=axis)


@_register
def sparsemax(x, axis=-1):
    """Euclidean projection of `x` onto the probability simplex (Martins & Astudillo, 2016).

    Like softmax it sums to one over `axis`, but small entries become exactly zero. The
    threshold is `(sum of the k largest - 1) / k`, as in the paper: Keras 3.15 sums the
    cumulative sums instead (keras-team/keras#23425, fixed upstream in #23469), so it agrees
    with this only when a single entry survives.

    Example:
        >>> sparsemax(jnp.array([2.0, 0.0])).tolist()
        [1.0, 0.0]
    """
    x = jnp.asarray(x)
    x_sorted = -jnp.sort(-x, axis=axis)  # descending along `axis`
    cumsum = jnp.cumsum(x_sorted, axis=axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    ranks = jnp.arange(1, x.shape[axis] + 1).reshape(shape)
    support = x_sorted - (cumsum - 1) / ranks > 0
    k = jnp.sum(support, axis=axis, keepdims=True)
    tau = (jnp.sum(jnp.where(support, x_sorted, 0.0), axis=axis, keepdims=True) - 1) / k
    return jnp.maximum(x - tau, 0.0)


swish = silu
hard_swish = hard_silu
_ACTIVATIONS["swish"] = silu
_ACTIVATIONS["hard_swish"] = hard_silu
registry.register_builtin("keras.activations", "swish")(silu)
registry.register_builtin("keras.activations", "hard_swish")(hard_silu)

_LOOKUP = registry.Lookup("activations", "activation", "keras.activations", _ACTIVATIONS,
                          by_name=True, default=linear,
                          accepts="a name, a dict, a callable or None",
                          refuse_fix="Pass e.g. 'relu'.")


def serialize(activation):
    """Returns Keras 3's serialized form of an activation.

    A built-in becomes its name (`swish` is written `"silu"`); any other named function
    becomes Keras's function dict, naming it by its registered name; a callable object with
    `get_config()` becomes its class dict.

    Args:
        activation: The activation to write.

    Returns:
        Keras 3's serialized form: a dict, or a name.

    Raises:
        ValueError: for a lambda or a callable without a name (it could not be loaded back).

    Example:
        >>> serialize(swish)
        'silu'
    """
    return _LOOKUP.serialize(activation)


def deserialize(config, custom_objects=None):
    """Returns the activation named by `config` (a name or a dict `serialize` wrote).

    Names resolve only through kernelkit's built-ins, `custom_objects`, and objects registered
    with `register_keras_serializable`; nothing named in a config is ever imported.

    Args:
        config: A dict `serialize` (or Keras 3) wrote, or a name.
        custom_objects: Optional dict of extra names to objects.

    Returns:
        The activation.

    Raises:
        UnsafeModelError: if the name is not known (a `ValueError`).
        IdentifierTypeError: if `config` is neither a string nor a dict.

    Example:
        >>> deserialize("swish") is silu
        True
    """
    return _LOOKUP.deserialize(config, custom_objects)


def get(identifier):
    """Resolves an activation from a name, a serialized dict, a callable, or `None` (linear).

    Names are Keras's, case-sensitive (`"relu"`, `"swish"`, ...), or registered custom names.

    Args:
        identifier: A name, a serialized dict, a callable or `None`.

    Returns:
        The activation (`linear` for `None`).

    Raises:
        ValueError: for an unknown name.
        IdentifierTypeError: for an identifier that is not callable (also a `ValueError`).

    Example:
        >>> get("relu") is relu, get(None) is linear
        (True, True)
    """
    return _LOOKUP.get(identifier)
