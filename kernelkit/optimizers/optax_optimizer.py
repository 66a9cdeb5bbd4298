"""`OptaxOptimizer`: a raw `optax.GradientTransformation` behind the `Optimizer` surface."""

from __future__ import annotations

import jax.numpy as jnp
import optax

from kernelkit.errors import describe
from kernelkit.optimizers import slot_init
from kernelkit.optimizers.keras_transform import OptimizerState
from kernelkit.optimizers.optimizer import Optimizer, _check_learning_rate

__all__ = ["OptaxOptimizer"]

_HYPERPARAMS_STATES = (optax.InjectHyperparamsState, optax.InjectStatefulHyperparamsState)


def _find_learning_rate(state):
    """The `learning_rate` hyperparameter of the first `inject_hyperparams` state, or None."""
    if isinstance(state, _HYPERPARAMS_STATES) and "learning_rate" in state.hyperparams:
        return state.hyperparams["learning_rate"]
    if isinstance(state, tuple | list):
        for child in state:
            found = _find_learning_rate(child)
            if found is not None:
                return found
    return None


def _replace_learning_rate(state, value):
    """Returns `(state with the learning rate replaced, whether one was found)`."""
    if isinstance(state, _HYPERPARAMS_STATES) and "learning_rate" in state.hyperparams:
        old = state.hyperparams["learning_rate"]
        hyperparams = {**state.hyperparams, "learning_rate": jnp.asarray(value, old.dtype)}
        return state._replace(hyperparams=hyperparams), True
    if isinstance(state, tuple | list):
        children, found = [], False
        for child in state:
            if not found:
                child, found = _replace_learning_rate(child, value)
            children.append(child)
        if hasattr(state, "_fields"):
            return type(state)(*children), found
        return type(state)(children), found
    return state, False


class OptaxOptimizer(Optimizer):
    """Wraps a raw optax transform so the training loop and callbacks can use it.

    The learning rate is readable and writable when the transform was made with
    `optax.inject_hyperparams` (its `learning_rate` hyperparameter); otherwise it reads as
    NaN and cannot be set. The Keras common arguments (`clipnorm`, EMA, ...) do not apply:
    compose them in optax instead. It cannot be serialized.

    Args:
        transform: An `optax.GradientTransformation`.
        name: The optimizer's name.

    Example:
        >>> import optax
        >>> optimizer = OptaxOptimizer(optax.inject_hyperparams(optax.sgd)(learning_rate=0.1))
        >>> round(float(optimizer.learning_rate), 6)
        0.1
    """

    def __init__(self, transform, name=None):
        if not isinstance(transform, optax.GradientTransformation):
            raise TypeError(
                "OptaxOptimizer: expected an optax.GradientTransformation. Received: "
                f"transform={describe(transform)}. Pass e.g. optax.adam(1e-3)."
            )
        super().__init__(learning_rate=0.0, name=name or "optax_optimizer")
        self.optax_transform = transform
        probe = _find_learning_rate(self._probe_state())
        self._learning_rate_value = float("nan") if probe is None else float(probe)

    def _probe_state(self):
        try:
            return self.optax_transform.init({})
        except Exception:  # some transforms need real params; the value is read on init
            return None

    @property
    def transform(self) -> optax.GradientTransformation:
        if self._transform is None:
            inner = self.optax_transform

            def init(params):
                state = inner.init(params)
                found = _find_learning_rate(state)
                lr = (slot_init.full((), float("nan"), jnp.float32) if found is None
                      else jnp.asarray(found, jnp.float32))
                return OptimizerState(slot_init.zeros((), jnp.int32), lr, state)

            def update(grads, state, params=None):
                updates, inner_state = inner.update(grads, state.slots, params)
                found = _find_learning_rate(inner_state)
                lr = state.learning_rate if found is None else jnp.asarray(found, jnp.float32)
                return updates, OptimizerState(state.iteration + 1, lr, inner_state)

            self._transform = optax.GradientTransformation(init, update)
        return self._transform

    def with_learning_rate(self, state: OptimizerState, value) -> OptimizerState:
        """Sets the `inject_hyperparams` learning rate in `state`.

        Raises:
            TypeError: if the transform has no injected `learning_rate`.
        """
        value = _check_learning_rate("OptaxOptimizer", value)
        slots, found = _replace_learning_rate(state.slots, value)
        if not found:
            raise TypeError(
                "OptaxOptimizer: this optax transform has no settable learning rate. Expected "
                "a transform made with optax.inject_hyperparams. Received: "
                f"learning_rate={describe(value)}. Wrap it, e.g. "
                "optax.inject_hyperparams(optax.adam)(learning_rate=1e-3)."
            )
        return state._replace(slots=slots, learning_rate=jnp.asarray(value, jnp.float32))

    def get_config(self) -> dict:
        raise TypeError(
            f"OptaxOptimizer '{self.name}': a raw optax transform cannot be serialized. "
            "Expected a kernelkit optimizer (e.g. kernelkit.optimizers.Adam). Received: "
            f"transform={describe(self.optax_transform)}. Use a kernelkit optimizer to save "
            "the compile config."
        )
