"""Weight initializers with Keras 3's names, defaults, draws and configs, and `get`."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from kernelkit import config, registry
from kernelkit.random import draw_seed, next_key

__all__ = [
    "STFT", "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
    "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "RandomNormal",
    "RandomUniform", "TruncatedNormal", "VarianceScaling", "Zeros", "compute_fans",
    "deserialize", "get", "serialize",
]

_MODULE = "keras.initializers"
_NAMES: dict[str, type] = {}  # Keras's ALL_OBJECTS_DICT: class names, snake_case names, aliases


def _register(*aliases):
    def decorate(cls):
        for name in (cls.__name__, *aliases):
            _NAMES[name] = registry.register_builtin(_MODULE, name)(cls)
        return cls

    return decorate


def _dtype(dtype):
    return jnp.dtype(dtype or config.floatx())


def _float_dtype(who, dtype):
    dtype = _dtype(dtype)
    if not jnp.issubdtype(dtype, jnp.floating):
        raise ValueError(
            f"{who}: random values need a floating-point dtype. Expected e.g. 'float32'. "
            f"Received: dtype={dtype.name!r}. Use Zeros, Ones or Constant for other dtypes."
        )
    return dtype


@_register("initializer")
class Initializer:
    """Base class: `initializer(shape, dtype=None)` returns a new array.

    Subclasses implement `__call__` and, when they take arguments, `get_config`.
    """

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(
            f"{type(self).__name__}: Initializer subclasses must implement `__call__(shape, "
            "dtype=None)`. Received: a subclass without it. Define __call__ returning an array."
        )

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def clone(self):
        """Returns a new initializer with the same config (an unseeded one draws a new seed)."""
        return type(self).from_config(self.get_config())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


@_register("constant")
class Constant(Initializer):
    """Fills with `value` (a scalar, or an array that broadcasts to the shape).

    Args:
        value: The fill value. Defaults to `0.0`.

    Example:
        >>> Constant(3.0)((2,)).tolist()
        [3.0, 3.0]
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        dtype = _dtype(dtype)
        return jnp.asarray(self.value, dtype=dtype) * jnp.ones(shape, dtype=dtype)

    def get_config(self):
        return {"value": registry.serialize(self.value)}

    @classmethod
    def from_config(cls, config):
        return cls(registry.deserialize(config["value"], where="Constant config 'value'"))


@_register("zeros", "zero")
class Zeros(Initializer):
    """Fills with zeros.

    Example:
        >>> Zeros()((2,)).tolist()
        [0.0, 0.0]
    """

    def __call__(self, shape, dtype=None):
        return jnp.zeros(shape, dtype=_dtype(dtype))


@_register("ones", "one")
class Ones(Initializer):
    """Fills with ones.

    Example:
        >>> Ones()((2,), dtype="int32").tolist()
        [1, 1]
    """

    def __call__(self, shape, dtype=None):
        return jnp.ones(shape, dtype=_dtype(dtype))


@_register("identity", "IdentityInitializer")
class Identity(Initializer):
    """`gain` times the identity matrix (2-D shapes only; non-square ones get a partial eye).

    Args:
        gain: Multiplicative factor. Defaults to `1.0`.

    Example:
        >>> Identity(2.0)((2, 2)).tolist()
        [[2.0, 0.0], [0.0, 2.0]]
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(
                "Identity: an identity matrix needs a 2-D shape. Expected (rows, columns). "
                f"Received: shape={tuple(shape)} of rank {len(shape)}. Use it for Dense "
                "kernels, or Orthogonal for higher ranks."
            )
        return self.gain * jnp.eye(*shape, dtype=_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain}


class _RandomInitializer(Initializer):
    """Holds Keras's seed rule: an int seed repeats; `None` draws one now, from the global seed.

    Either way an instance returns the same values on every call, as in Keras 3; `clone()`
    an unseeded initializer for fresh values.
    """

    def __init__(self, seed=None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)):
            raise registry.IdentifierTypeError(
                f"{type(self).__name__}: the seed must be an integer or None. Expected e.g. "
                f"seed=1337. Received: seed={seed!r} of type {type(seed).__name__}. Pass an int, "
                "or None to draw one from kernelkit.random.set_random_seed's generator."
            )
        self._init_seed = None if seed is None else int(seed)
        self.seed = draw_seed() if seed is None else int(seed)

    def _key(self):
        return next_key(self.seed)

    def get_config(self):
        return {"seed": self._init_seed}


def _normal(key, shape, dtype, mean, stddev, truncated):
    with jax.ensure_compile_time_eval():
        if truncated:
            sample = jax.random.truncated_normal(key, -2.0, 2.0, shape=shape, dtype=dtype)
        else:
            sample = jax.random.normal(key, shape=shape, dtype=dtype)
        return sample * stddev + mean


@_register("random_normal", "normal")
class RandomNormal(_RandomInitializer):
    """Draws from a normal distribution.

    Args:
        mean: Mean of the values. Defaults to `0.0`.
        stddev: Standard deviation. Defaults to `0.05`.
        seed: An int for repeatable values, or None (a seed drawn from the global generator).

    Example:
        >>> RandomNormal(seed=0)((2, 3)).shape
        (2, 3)
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev = mean, stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        dtype = _float_dtype(type(self).__name__, dtype)
        return _normal(self._key(), shape, dtype, self.mean, self.stddev, truncated=False)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@_register("truncated_normal")
class TruncatedNormal(_RandomInitializer):
    """Draws from a normal distribution, redrawing values beyond two standard deviations.

    Args:
        mean: Mean of the values. Defaults to `0.0`.
        stddev: Standard deviation before truncation. Defaults to `0.05`.
        seed: An int for repeatable values, or None.

    Example:
        >>> bool((abs(TruncatedNormal(stddev=1.0, seed=0)((100,))) <= 2.0).all())
        True
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev = mean, stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        dtype = _float_dtype(type(self).__name__, dtype)
        return _normal(self._key(), shape, dtype, self.mean, self.stddev, truncated=True)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@_register("random_uniform", "uniform")
class RandomUniform(_RandomInitializer):
    """Draws uniformly from `[minval, maxval)`.

    Args:
        minval: Lower bound. Defaults to `-0.05`.
        maxval: Upper bound (excluded). Defaults to `0.05`.
        seed: An int for repeatable values, or None.

    Example:
        >>> bool((RandomUniform(0.0, 1.0, seed=0)((10,)) < 1.0).all())
        True
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval = minval, maxval
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        dtype = _float_dtype(type(self).__name__, dtype)
        with jax.ensure_compile_time_eval():
            return jax.random.uniform(self._key(), shape=shape, dtype=dtype,
                                      minval=self.minval, maxval=self.maxval)

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


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


@_register("orthogonal", "OrthogonalInitializer")
class Orthogonal(_RandomInitializer):
    """A (semi-)orthogonal matrix times `gain`, over all axes but the last flattened together.

    Args:
        gain: Multiplicative factor. Defaults to `1.0`.
        seed: An int for repeatable values, or None.

    Example:
        >>> w = Orthogonal(seed=0)((3, 3))
        >>> bool(jnp.allclose(w @ w.T, jnp.eye(3), atol=1e-5))
        True
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError(
                "Orthogonal: the tensor to initialize must be at least 2-D. Expected a shape "
                f"of rank >= 2. Received: shape={tuple(shape)} of rank {len(shape)}. Use it "
                "for kernels, not biases."
            )
        dtype = _float_dtype("Orthogonal", dtype)
        rows, cols = math.prod(shape[:-1]), shape[-1]
        flat_shape = (max(rows, cols), min(rows, cols))
        with jax.ensure_compile_time_eval():
            q, r = jnp.linalg.qr(jax.random.normal(self._key(), flat_shape, dtype=dtype))
            q = q * jnp.sign(jnp.diag(r))  # makes the decomposition unique
            if rows < cols:
                q = q.T
            return self.gain * jnp.reshape(q, shape)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}


@_register("stft", "STFTInitializer")
class STFT(Initializer):
    """Kernels of a short-time Fourier transform, for a `(frame_length, channels, fft_bins)`
    convolution kernel: the real (cosine) or imaginary (sine) DFT part, times a window.

    Args:
        side: `"real"` or `"imag"`.
        window: A SciPy window name (`"hann"`, `"hamming"`, ...), an array of length
            `frame_length`, or None.
        scaling: `"density"`, `"spectrum"` or None: divides by the window's L2 or L1 norm.
        periodic: Whether a named window is periodic (for spectral analysis).

    Example:
        >>> STFT(window=None)((4, 1, 3)).shape
        (4, 1, 3)
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(
                "STFT: unknown `side`. Expected 'real' or 'imag'. "
                f"Received: side={side!r}. Pick one of those."
            )
        if isinstance(window, str):
            _window(window, 1, periodic)  # fails early on an unknown name
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(
                "STFT: unknown `scaling`. Expected None, 'density' or 'spectrum'. "
                f"Received: scaling={scaling!r}. Pick one of those."
            )
        self.side, self.window, self.scaling, self.periodic = side, window, scaling, periodic

    def __call__(self, shape, dtype=None):
        dtype = _float_dtype("STFT", dtype)
        frame_length, _, fft_length = shape
        kernel_scale, win = 1.0, None
        if self.window is not None:
            win = self.window
            if isinstance(win, str):
                win = _window(win, frame_length, self.periodic)
            win = jnp.asarray(win, dtype=dtype)
            if win.ndim != 1 or win.shape[-1] != frame_length:
                raise ValueError(
                    "STFT: the window does not match the frame. Expected a window of shape "
                    f"({frame_length},). Received: window.shape={tuple(win.shape)}. Pass a "
                    "1-D window as long as the frame."
                )
            win = win.reshape(frame_length, 1, 1)
            if self.scaling == "density":
                kernel_scale = jnp.sqrt(jnp.sum(jnp.square(win)))
            elif self.scaling == "spectrum":
                kernel_scale = jnp.sum(jnp.abs(win))
        freq = jnp.arange(fft_length, dtype=dtype).reshape(1, 1, fft_length) / (
            (fft_length - 1) * 2)
        time = jnp.arange(frame_length, dtype=dtype).reshape(frame_length, 1, 1)
        args = -2 * time * freq * jnp.arccos(jnp.asarray(-1, dtype))  # -2 pi t f
        kernel = (jnp.cos(args) if self.side == "real" else jnp.sin(args)).astype(dtype)
        if win is not None:
            kernel = kernel * win / kernel_scale
        return kernel

    def get_config(self):
        window = self.window
        if window is not None and not isinstance(window, str):
            window = np.asarray(window).tolist()
        return {"side": self.side, "window": window, "periodic": self.periodic,
                "scaling": self.scaling}


def _window(name, length, periodic):
    from scipy import signal  # JAX depends on SciPy; imported only when a window is named

    try:
        return signal.get_window(name, length, fftbins=periodic)
    except ValueError as error:
        raise ValueError(
            f"STFT: unknown window. Expected a scipy.signal.get_window name such as 'hann'. "
            f"Received: window={name!r}. Pick a SciPy window or pass an array."
        ) from error


def serialize(initializer) -> dict:
    """Returns Keras 3's serialized dict for an initializer.

    Example:
        >>> serialize(Zeros())
        {'module': 'keras.initializers', 'class_name': 'Zeros', 'config': {}, 'registered_name': None}
    """
    return registry.serialize(initializer)


def deserialize(config, custom_objects=None):
    """Rebuilds an initializer from `serialize`'s dict (or Keras 3's), or a name.

    Raises:
        UnsafeModelError: if the config names a class that is not known (a `ValueError`).

    Example:
        >>> deserialize({"class_name": "he_normal", "config": {"seed": 1}}).seed
        1
    """
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    return registry.deserialize(config, module=_MODULE, custom_objects=custom_objects,
                                where="initializer")


def get(identifier):
    """Resolves an initializer from a name, dict, class, instance, callable, array or None.

    Names are Keras's, case-sensitive: class names (`"GlorotUniform"`), snake_case names
    (`"glorot_uniform"`) and Keras's aliases (`"normal"`, `"uniform"`, `"one"`, `"zero"`,
    `"IdentityInitializer"`, `"OrthogonalInitializer"`, `"STFTInitializer"`). An array
    becomes an initializer returning it, for its own shape only.

    Raises:
        ValueError: for an unknown name or dict.
        IdentifierTypeError: for an identifier that is none of these (also a `ValueError`).

    Example:
        >>> type(get("glorot_uniform")).__name__
        'GlorotUniform'
    """
    if identifier is None:
        return None
    if isinstance(identifier, str):
        obj = _NAMES.get(identifier) or registry.get_registered_object(identifier, builtins=False)
        if obj is None:
            raise ValueError(
                f"initializers.get: unknown initializer {identifier!r}. Expected one of "
                f"{sorted(_NAMES)} or a registered name. Received: identifier={identifier!r}. "
                "Names are case-sensitive."
            )
    elif isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, np.ndarray | np.generic | jax.Array):
        obj = _from_array(identifier)
    else:
        obj = identifier
    if isinstance(obj, type):
        return obj()
    if callable(obj):
        return obj
    raise registry.IdentifierTypeError(
        "initializers.get: could not interpret the initializer identifier. Expected a name, "
        f"a dict, an Initializer, a callable or an array. Received: identifier={identifier!r}."
    )


def _from_array(array):
    def initialize(shape, dtype=None):
        if tuple(shape) != tuple(array.shape):
            raise ValueError(
                "initializers.get: an array used as initializer has a fixed shape. Expected "
                f"shape={tuple(array.shape)}. Received: shape={tuple(shape)}. Pass an array "
                "of the weight's shape."
            )
        return jnp.asarray(array, dtype=_dtype(dtype))

    return initialize
