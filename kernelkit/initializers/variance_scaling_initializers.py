"""`VarianceScaling` and its named forms (Glorot, He, LeCun), with Keras's fan rule."""

from __future__ import annotations

import math

import jax

from kernelkit.initializers.initializer import _float_dtype, _register
from kernelkit.initializers.random_initializers import _normal, _RandomInitializer

__all__ = ["GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "LecunNormal",
           "LecunUniform", "VarianceScaling", "compute_fans"]


def compute_fans(shape, input_axes=None, output_axes=None) -> tuple[int, int]:
    """Keras's fan-in and fan-out of a kernel shape.

    With `input_axes` and `output_axes` the fans are the products of those dimensions;
    otherwise a rank-1 shape has fan `shape[0]` both ways, a matrix `(in, out)`, and a
    convolution kernel `(*receptive_field, in, out)` multiplies both by the receptive field.

    Example:
        >>> compute_fans((3, 3, 16, 32))
        (144, 288)
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return (int(math.prod(shape[a] for a in input_axes)),
                int(math.prod(shape[a] for a in output_axes)))
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    receptive_field = math.prod(shape[:-2])
    return int(shape[-2] * receptive_field), int(shape[-1] * receptive_field)


@_register("variance_scaling")
class VarianceScaling(_RandomInitializer):
    """Draws with variance `scale / fan`, adapting to the kernel's shape.

    `fan` is the fan-in, fan-out or their mean (`mode`); values come from a normal truncated
    at two standard deviations (rescaled so the variance stays `scale / fan`), a plain normal,
    or a uniform on `±sqrt(3 * scale / fan)`.

    Args:
        scale: Positive scaling factor. Defaults to `1.0`.
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"`.
        distribution: `"truncated_normal"` (also spelled `"normal"`, as in Keras),
            `"untruncated_normal"` or `"uniform"`.
        seed: An int for repeatable values, or None.
        input_axes, output_axes: Optional axes whose sizes give the fans (for einsum kernels).

    Example:
        >>> limit = (3 * 1.0 / 4) ** 0.5
        >>> bool((abs(VarianceScaling(distribution="uniform", seed=0)((4, 8))) < limit).all())
        True
    """

    _modes = ("fan_in", "fan_out", "fan_avg")
    _distributions = ("truncated_normal", "untruncated_normal", "uniform")

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 input_axes=None, output_axes=None):
        who = type(self).__name__
        if not isinstance(scale, int | float) or isinstance(scale, bool) or not scale > 0.0:
            raise ValueError(
                f"{who}: `scale` must be a positive number. Expected a float > 0. "
                f"Received: scale={scale!r}. Pass e.g. scale=1.0."
            )
        if mode not in self._modes:
            raise ValueError(
                f"{who}: unknown `mode`. Expected one of {self._modes}. "
                f"Received: mode={mode!r}. Pick one of those."
            )
        distribution = distribution.lower() if isinstance(distribution, str) else distribution
        distribution = "truncated_normal" if distribution == "normal" else distribution
        if distribution not in self._distributions:
            raise ValueError(
                f"{who}: unknown `distribution`. Expected one of {self._distributions} or "
                f"'normal'. Received: distribution={distribution!r}. Pick one of those."
            )
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.input_axes, self.output_axes = input_axes, output_axes
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        dtype = _float_dtype(type(self).__name__, dtype)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        scale = self.scale / max(1.0, fan[self.mode])
        if self.distribution == "truncated_normal":
            # 0.8796... is the stddev of a standard normal truncated to [-2, 2]
            stddev = math.sqrt(scale) / 0.87962566103423978
            return _normal(self._key(), shape, dtype, 0.0, stddev, truncated=True)
        if self.distribution == "untruncated_normal":
            return _normal(self._key(), shape, dtype, 0.0, math.sqrt(scale), truncated=False)
        limit = math.sqrt(3.0 * scale)
        with jax.ensure_compile_time_eval():
            return jax.random.uniform(self._key(), shape=shape, dtype=dtype,
                                      minval=-limit, maxval=limit)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


def _variance_scaling(name, alias, scale, mode, distribution, doc):
    def __init__(self, seed=None, input_axes=None, output_axes=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed, input_axes, output_axes)

    def get_config(self):
        return {"seed": self._init_seed, "input_axes": self.input_axes,
                "output_axes": self.output_axes}

    doc += ("\n\n    Args:\n        seed: An int for repeatable values, or None.\n"
            "        input_axes, output_axes: Optional axes whose sizes give the fans.\n\n"
            f"    Example:\n        >>> {name}(seed=0)((3, 4)).shape\n        (3, 4)\n    ")
    cls = type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config,
                                          "__doc__": doc, "__module__": __name__})
    return _register(alias)(cls)


GlorotUniform = _variance_scaling(
    "GlorotUniform", "glorot_uniform", 1.0, "fan_avg", "uniform",
    "Glorot (Xavier) uniform: limit `sqrt(6 / (fan_in + fan_out))`.")
GlorotNormal = _variance_scaling(
    "GlorotNormal", "glorot_normal", 1.0, "fan_avg", "truncated_normal",
    "Glorot (Xavier) truncated normal: stddev `sqrt(2 / (fan_in + fan_out))`.")
HeNormal = _variance_scaling(
    "HeNormal", "he_normal", 2.0, "fan_in", "truncated_normal",
    "He truncated normal: stddev `sqrt(2 / fan_in)`.")
HeUniform = _variance_scaling(
    "HeUniform", "he_uniform", 2.0, "fan_in", "uniform",
    "He uniform: limit `sqrt(6 / fan_in)`.")
LecunNormal = _variance_scaling(
    "LecunNormal", "lecun_normal", 1.0, "fan_in", "truncated_normal",
    "LeCun truncated normal: stddev `sqrt(1 / fan_in)`.")
LecunUniform = _variance_scaling(
    "LecunUniform", "lecun_uniform", 1.0, "fan_in", "uniform",
    "LeCun uniform: limit `sqrt(3 / fan_in)`.")
