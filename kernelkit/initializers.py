"""Weight initializers with Keras names and defaults, and `get(identifier)` to resolve them."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from kernelkit import config
from kernelkit.random import next_key
from kernelkit.registry import register_builtin

__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
    "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "RandomNormal",
    "RandomUniform", "TruncatedNormal", "VarianceScaling", "Zeros", "get", "serialize",
]

_register = register_builtin("keras.initializers")


class Initializer:
    """Base class: `initializer(shape, dtype=None)` returns a new array."""

    def __call__(self, shape, dtype=None):
        raise NotImplementedError

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _dtype(dtype):
    return jnp.dtype(dtype or config.floatx())


@_register
class Constant(Initializer):
    """Fills with `value`."""

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return jnp.full(shape, self.value, dtype=_dtype(dtype))

    def get_config(self):
        return {"value": self.value}


@_register
class Zeros(Initializer):
    """Fills with zeros.

    Example:
        >>> Zeros()((2,)).tolist()
        [0.0, 0.0]
    """

    def __call__(self, shape, dtype=None):
        return jnp.zeros(shape, dtype=_dtype(dtype))


@_register
class Ones(Initializer):
    """Fills with ones."""

    def __call__(self, shape, dtype=None):
        return jnp.ones(shape, dtype=_dtype(dtype))


class _Seeded(Initializer):
    def __init__(self, seed=None):
        self.seed = seed

    def _key(self):
        return next_key(self.seed)


@_register
class RandomNormal(_Seeded):
    """Normal distribution with `mean` and `stddev` (default 0.05)."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        with jax.ensure_compile_time_eval():
            x = jax.random.normal(self._key(), shape, _dtype(dtype))
            return self.mean + self.stddev * x

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


@_register
class RandomUniform(_Seeded):
    """Uniform distribution on `[minval, maxval)` (default ±0.05)."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype=None):
        with jax.ensure_compile_time_eval():
            return jax.random.uniform(
                self._key(), shape, _dtype(dtype), self.minval, self.maxval
            )

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


@_register
class TruncatedNormal(_Seeded):
    """Normal distribution truncated at two standard deviations."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        with jax.ensure_compile_time_eval():
            x = jax.random.truncated_normal(self._key(), -2.0, 2.0, shape, _dtype(dtype))
            return self.mean + self.stddev * x

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


def compute_fans(shape) -> tuple[float, float]:
    """Keras's fan-in / fan-out rule: receptive field times input / output channels."""
    shape = tuple(shape)
    if len(shape) == 0:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    if len(shape) == 2:
        return float(shape[0]), float(shape[1])
    receptive = math.prod(shape[:-2])
    return float(shape[-2] * receptive), float(shape[-1] * receptive)


@_register
class VarianceScaling(_Seeded):
    """Scale-aware initializer: `scale / fan` variance from a normal or uniform distribution."""

    _modes = ("fan_in", "fan_out", "fan_avg")
    _distributions = ("truncated_normal", "untruncated_normal", "uniform", "normal")

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        super().__init__(seed)
        if scale <= 0.0:
            raise ValueError(
                f"VarianceScaling: `scale` must be positive. Received: scale={scale!r}."
            )
        if mode not in self._modes:
            raise ValueError(
                f"VarianceScaling: invalid `mode`. Expected one of {self._modes}. "
                f"Received: mode={mode!r}."
            )
        if distribution not in self._distributions:
            raise ValueError(
                f"VarianceScaling: invalid `distribution`. Expected one of "
                f"{self._distributions}. Received: distribution={distribution!r}."
            )
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, fan)
        dtype = _dtype(dtype)
        with jax.ensure_compile_time_eval():
            key = self._key()
            if self.distribution == "truncated_normal":
                stddev = math.sqrt(variance) / 0.87962566103423978
                return stddev * jax.random.truncated_normal(key, -2.0, 2.0, shape, dtype)
            if self.distribution in ("untruncated_normal", "normal"):
                return math.sqrt(variance) * jax.random.normal(key, shape, dtype)
            limit = math.sqrt(3.0 * variance)
            return jax.random.uniform(key, shape, dtype, -limit, limit)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed}


def _variance_scaling(name, scale, mode, distribution, doc):
    def __init__(self, seed=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed)

    def get_config(self):
        return {"seed": self.seed}

    cls = type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config,
                                          "__doc__": doc, "__module__": __name__})
    return _register(cls)


GlorotUniform = _variance_scaling("GlorotUniform", 1.0, "fan_avg", "uniform",
                                  "Glorot (Xavier) uniform: limit `sqrt(6 / (fan_in + fan_out))`.")
GlorotNormal = _variance_scaling("GlorotNormal", 1.0, "fan_avg", "truncated_normal",
                                 "Glorot (Xavier) truncated normal.")
HeNormal = _variance_scaling("HeNormal", 2.0, "fan_in", "truncated_normal", "He truncated normal.")
HeUniform = _variance_scaling("HeUniform", 2.0, "fan_in", "uniform", "He uniform.")
LecunNormal = _variance_scaling("LecunNormal", 1.0, "fan_in", "truncated_normal",
                                "LeCun truncated normal.")
LecunUniform = _variance_scaling("LecunUniform", 1.0, "fan_in", "uniform", "LeCun uniform.")


@_register
class Orthogonal(_Seeded):
    """A (semi-)orthogonal matrix times `gain`, flattened over all but the last axis."""

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError(
                "Orthogonal: the shape must have at least two dimensions. "
                f"Received: shape={tuple(shape)}."
            )
        with jax.ensure_compile_time_eval():
            init = jax.nn.initializers.orthogonal(self.gain)
            return init(self._key(), shape, _dtype(dtype))

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


@_register
class Identity(Initializer):
    """`gain` times the identity matrix (2-D shapes only)."""

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(
                f"Identity: only 2-D shapes are supported. Received: shape={tuple(shape)}."
            )
        return self.gain * jnp.eye(*shape, dtype=_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain}


_ALIASES = {
    "constant": Constant, "zeros": Zeros, "zero": Zeros, "ones": Ones, "one": Ones,
    "random_normal": RandomNormal, "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal, "he_normal": HeNormal,
    "he_uniform": HeUniform, "lecun_normal": LecunNormal, "lecun_uniform": LecunUniform,
    "orthogonal": Orthogonal, "identity": Identity,
}


def serialize(initializer) -> dict:
    """Returns Keras 3's serialized dict for an initializer."""
    from kernelkit.registry import serialize as _serialize

    return _serialize(initializer)


def get(identifier):
    """Resolves an initializer from a name, class, instance, dict or callable.

    Example:
        >>> type(get("glorot_uniform")).__name__
        'GlorotUniform'
    """
    if identifier is None:
        return None
    if isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, dict):
        from kernelkit.registry import deserialize

        return deserialize(identifier, module="keras.initializers", where="initializer")
    if isinstance(identifier, str):
        cls = _ALIASES.get(identifier) or _ALIASES.get(identifier.lower())
        if cls is None:
            from kernelkit.registry import get_registered_object

            cls = get_registered_object(identifier, module="keras.initializers")
        if cls is None:
            raise ValueError(
                f"Unknown initializer {identifier!r}. Expected one of {sorted(_ALIASES)}, an "
                f"Initializer or a callable. Received: identifier={identifier!r}."
            )
        return cls() if isinstance(cls, type) else cls
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise TypeError(
        f"Could not interpret initializer identifier. Received: identifier={identifier!r}."
    )
