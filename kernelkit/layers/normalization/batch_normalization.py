"""`BatchNormalization`: normalizes with batch statistics in training, moving ones otherwise."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit import constraints, initializers, regularizers
from kernelkit.errors import describe
from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin, serialize

__all__ = ["BatchNormalization"]

_KERAS_EPSILON = 1e-7  # keras.config.epsilon(), used by the masked moments


def _normalize(x, mean, variance, axis, beta, gamma, epsilon):
    """`(x - mean) / sqrt(variance + epsilon) * gamma + beta`, broadcast on `axis`."""
    shape = [1] * x.ndim
    shape[axis] = mean.shape[0]
    inv = jax.lax.rsqrt(variance.reshape(shape) + epsilon)
    if gamma is not None:
        inv = inv * gamma.reshape(shape)
    res = -mean.reshape(shape) * inv
    if beta is not None:
        res = res + beta.reshape(shape)
    return x * inv + res


@register_builtin("keras.layers")
class BatchNormalization(Layer):
    """Normalizes its inputs to mean 0 and variance 1 along `axis`, then scales and shifts.

    In training (`training=True`) it uses the mean and variance of the current batch and
    moves its moving statistics towards them: `moving = moving * momentum + batch * (1 -
    momentum)`. In inference it uses the moving statistics. A frozen layer
    (`layer.trainable = False`) always runs in inference mode and never updates them, as in
    Keras.

    Args:
        axis: The features axis (usually -1, or 1 for channels-first data).
        momentum: Momentum of the moving average.
        epsilon: Small float added to the variance to avoid dividing by zero.
        center: Whether to add the learned offset `beta`.
        scale: Whether to multiply by the learned scale `gamma`.
        beta_initializer, gamma_initializer: Initializers of `beta` and `gamma`.
        moving_mean_initializer, moving_variance_initializer: Initializers of the moving
            statistics.
        beta_regularizer, gamma_regularizer: Optional regularizers.
        beta_constraint, gamma_constraint: Optional constraints.
        renorm: Whether to use Batch Renormalization (extra non-trainable statistics).
        renorm_clipping: Optional dict with keys `"rmax"`, `"rmin"`, `"dmax"` clipping the
            renormalization correction.
        renorm_momentum: Momentum of the renormalization statistics.
        synchronized: Accepted for compatibility and ignored (single-process statistics).

    Call arguments:
        inputs: Input tensor of any rank.
        training: Whether to use (and update with) batch statistics.
        mask: Optional boolean tensor of the input's shape without its last axis; masked
            entries are left out of the batch statistics.

    Input shape:
        Any shape with a known `axis`.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> BatchNormalization()(jnp.ones((4, 3))).shape
        (4, 3)
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center, self.scale = center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.synchronized = synchronized
        self.renorm, self.renorm_momentum = renorm, renorm_momentum
        self.renorm_clipping = renorm_clipping
        if renorm:
            self._check_renorm_clipping(renorm_clipping or {})
        self.supports_masking = True

    def _check_renorm_clipping(self, clipping):
        unknown = set(clipping) - {"rmax", "rmin", "dmax"}
        rmax, rmin, dmax = (clipping.get(k) for k in ("rmax", "rmin", "dmax"))
        if unknown or (rmax is not None and rmin is not None and rmax < rmin) or (
                dmax is not None and dmax < 0):
            raise ValueError(
                f"BatchNormalization '{self.name}': invalid `renorm_clipping`. Expected a dict "
                "with keys among 'rmax', 'rmin', 'dmax', rmax >= rmin and dmax >= 0. "
                f"Received: renorm_clipping={clipping!r}."
            )

    def build(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank or input_shape[self.axis] is None:
            raise ValueError(
                f"BatchNormalization '{self.name}': the normalized axis must exist and be "
                f"known. Expected axis in [{-rank}, {rank}) with a known size. Received: "
                f"axis={self.axis}, input_shape={tuple(input_shape)}."
            )
        shape = (input_shape[self.axis],)
        self.gamma = self.add_weight(shape=shape, name="gamma",
                                     initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer,
                                     constraint=self.gamma_constraint) if self.scale else None
        self.beta = self.add_weight(shape=shape, name="beta", initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer,
                                    constraint=self.beta_constraint) if self.center else None
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean", trainable=False,
                                           initializer=self.moving_mean_initializer)
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               trainable=False,
                                               initializer=self.moving_variance_initializer)
        if self.renorm:
            variance_init = self.moving_variance_initializer

            def stddev_init(shape, dtype=None):
                return jnp.sqrt(variance_init(shape, dtype=dtype))

            self.moving_stddev = self.add_weight(shape=shape, name="moving_stddev",
                                                 initializer=stddev_init, trainable=False)
            self.renorm_mean = self.add_weight(shape=shape, name="renorm_mean",
                                               initializer=self.moving_mean_initializer,
                                               trainable=False)
            self.renorm_stddev = self.add_weight(shape=shape, name="renorm_stddev",
                                                 initializer=stddev_init, trainable=False)
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: input_shape[self.axis]})
        self._reduction_axes = tuple(d for d in range(rank) if d != self.axis % rank)

    def call(self, inputs, training=None, mask=None):
        if mask is not None and mask.ndim != inputs.ndim - 1:
            raise ValueError(
                f"BatchNormalization '{self.name}': the mask must have one dimension less than "
                f"the inputs. Expected rank {inputs.ndim - 1}. Received: mask={describe(mask)}, "
                f"inputs={describe(inputs)}."
            )
        x = inputs.astype(jnp.result_type(inputs.dtype, jnp.float32))
        gamma = None if self.gamma is None else self.gamma[...].astype(x.dtype)
        beta = None if self.beta is None else self.beta[...].astype(x.dtype)
        moving_mean = self.moving_mean[...].astype(x.dtype)
        moving_variance = self.moving_variance[...].astype(x.dtype)
        if training and self.trainable:
            mean, variance = self._moments(x, mask)
            if self.renorm:
                gamma, beta = self._renorm_transform(mean, variance, gamma, beta, x.dtype)
                self._update_renorm_statistics(mean, variance)
            else:
                m = self.momentum
                self.moving_mean[...] = moving_mean * m + mean * (1.0 - m)
                self.moving_variance[...] = moving_variance * m + variance * (1.0 - m)
        else:
            mean, variance = moving_mean, moving_variance
        out = _normalize(x, mean, variance, self.axis, beta, gamma, self.epsilon)
        return out.astype(self.compute_dtype)

    def _moments(self, x, mask):
        axes = self._reduction_axes
        if mask is None:
            return jnp.mean(x, axis=axes), jnp.var(x, axis=axes)
        keep = jnp.broadcast_to(jnp.expand_dims(mask.astype(bool), -1), x.shape)
        weight = jnp.sum(keep.astype(x.dtype), axis=axes, keepdims=True) + _KERAS_EPSILON
        mean = jnp.sum(jnp.where(keep, x, 0), axis=axes, keepdims=True) / weight
        variance = jnp.sum(jnp.square(jnp.where(keep, x - mean, 0)), axis=axes,
                           keepdims=True) / weight
        size = x.shape[self.axis]
        return mean.reshape(size), variance.reshape(size)

    def _renorm_transform(self, mean, variance, gamma, beta, dtype):
        """The renorm correction `(r, d)` folded into the effective gamma and beta."""
        clipping = self.renorm_clipping or {}
        stddev = jnp.sqrt(variance + self.epsilon)
        renorm_mean = self.renorm_mean[...].astype(mean.dtype)
        renorm_stddev = jnp.maximum(self.renorm_stddev[...].astype(mean.dtype),
                                    jnp.sqrt(jnp.asarray(self.epsilon, mean.dtype)))
        r = stddev / renorm_stddev
        d = (mean - renorm_mean) / renorm_stddev
        if clipping.get("rmin") is not None:
            r = jnp.maximum(r, clipping["rmin"])
        if clipping.get("rmax") is not None:
            r = jnp.minimum(r, clipping["rmax"])
        if clipping.get("dmax") is not None:
            d = jnp.clip(d, -clipping["dmax"], clipping["dmax"])
        r, d = jax.lax.stop_gradient(r), jax.lax.stop_gradient(d)
        new_gamma = (r * gamma, d * gamma) if gamma is not None else (r.astype(dtype),
                                                                      d.astype(dtype))
        new_beta = new_gamma[1] + beta if beta is not None else new_gamma[1]
        return new_gamma[0], new_beta

    def _update_renorm_statistics(self, mean, variance):
        stddev = jnp.sqrt(variance + self.epsilon)
        rm, m = self.renorm_momentum, self.momentum
        self.renorm_mean[...] = self.renorm_mean[...] * rm + mean * (1.0 - rm)
        self.renorm_stddev[...] = self.renorm_stddev[...] * rm + stddev * (1.0 - rm)
        self.moving_mean[...] = self.moving_mean[...] * m + mean * (1.0 - m)
        new_stddev = self.moving_stddev[...] * m + stddev * (1.0 - m)
        self.moving_stddev[...] = new_stddev
        self.moving_variance[...] = jnp.maximum(new_stddev * new_stddev - self.epsilon, 0)

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": serialize(self.beta_initializer),
            "gamma_initializer": serialize(self.gamma_initializer),
            "moving_mean_initializer": serialize(self.moving_mean_initializer),
            "moving_variance_initializer": serialize(self.moving_variance_initializer),
            "beta_regularizer": serialize(self.beta_regularizer),
            "gamma_regularizer": serialize(self.gamma_regularizer),
            "beta_constraint": serialize(self.beta_constraint),
            "gamma_constraint": serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }
