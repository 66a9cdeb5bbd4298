"""`Optimizer`: the Keras 3 optimizer surface over an optax transform built once and cached.

The training loop uses the pure side: `tx = optimizer.transform`, `state = tx.init(params)`,
`updates, state = tx.update(grads, state, params)`, plus readers and writers of the state
(`learning_rate_of`, `with_learning_rate`, `iterations_of`, `ema_of`). Users see the Keras
side: `optimizer.learning_rate` (readable and writable between steps), `iterations`,
`apply_gradients`, `get_config`. `attach` ties the two: the Keras properties then read and
write the loop's live state, so a callback setting the learning rate changes a value in the
state and the jitted step is not traced again.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

from kernelkit.errors import describe
from kernelkit.naming import to_snake_case, unique_name
from kernelkit.optimizers.keras_transform import OptimizerState, keras_transform
from kernelkit.optimizers.schedules import LearningRateSchedule
from kernelkit.optimizers.state_variables import OptimizerVariable, param_keys_of, variable_layout
from kernelkit.optimizers.stateless_apply import stateless_apply
from kernelkit.optimizers.update_rule import UpdateRule
from kernelkit.optimizers.variable_access import read_variable, write_variable
from kernelkit.registry import deserialize, register_builtin, serialize
from kernelkit.variables import Variable

__all__ = ["Optimizer"]


def _check_learning_rate(who: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number | jax.Array):
        raise TypeError(
            f"{who}: learning_rate has the wrong type. Expected a non-negative float, a "
            f"LearningRateSchedule or a function of the step. Received: "
            f"learning_rate={describe(value)}. Pass e.g. learning_rate=0.001."
        )
    if isinstance(value, jax.core.Tracer):
        return value
    value = float(value)
    if not value >= 0:
        raise ValueError(
            f"{who}: learning_rate must be non-negative. Expected learning_rate >= 0. "
            f"Received: learning_rate={value!r}. Pass a non-negative learning rate."
        )
    return value


@register_builtin("keras.optimizers")
class Optimizer:
    """Base class of kernelkit optimizers: Keras arguments in, an optax transform out.

    Subclasses implement `_rule()` (their algorithm as an `UpdateRule`) and `get_config()`.
    Hyperparameters other than the learning rate are read when `transform` is first built.

    Args:
        learning_rate: A non-negative float, a `LearningRateSchedule`, or a function of the
            step (the count of `update` calls, as Keras's schedules see it).
        weight_decay: If set, each step first does `w -= w * weight_decay * learning_rate`.
        clipnorm: If set, each gradient is clipped to this L2 norm.
        clipvalue: If set, each gradient element is clipped to `[-clipvalue, clipvalue]`.
        global_clipnorm: If set, all gradients are clipped to this global L2 norm.
        use_ema: Whether to keep an exponential moving average (EMA) of the weights.
        ema_momentum: `ema = ema_momentum * ema + (1 - ema_momentum) * w` after each step.
        ema_overwrite_frequency: If set, the weights are replaced by the EMA every this many
            steps (inside the update). Otherwise the loop swaps the EMA in at the end of
            training with `finalize_params(params, state)`.
        loss_scale_factor: If set, the loop multiplies the loss by it (`scale_loss`) and the
            gradients are divided by it.
        gradient_accumulation_steps: If an int >= 2, weights change only every this many
            steps, with the mean gradient; schedules still see every step.
        name: The optimizer's name (default: snake-cased class name, made unique).

    Example:
        >>> import jax.numpy as jnp
        >>> from kernelkit.optimizers import SGD
        >>> optimizer = SGD(learning_rate=0.1)
        >>> tx = optimizer.transform
        >>> params = {"w": jnp.ones(2)}
        >>> state = tx.init(params)
        >>> updates, state = tx.update({"w": jnp.ones(2)}, state, params)
        >>> updates["w"].tolist(), int(optimizer.iterations_of(state))
        ([-0.10000000149011612, -0.10000000149011612], 1)
        >>> state = optimizer.with_learning_rate(state, 0.5)
        >>> float(optimizer.learning_rate_of(state))
        0.5
    """

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        who = type(self).__name__
        if kwargs.pop("decay", None) is not None:
            warnings.warn(f"{who}: argument `decay` is no longer supported and is ignored.",
                          stacklevel=2)
        if kwargs:
            raise ValueError(
                f"{who}: unknown argument(s) {sorted(kwargs)}. Expected Keras optimizer "
                f"arguments. Received: {', '.join(f'{k}={v!r}' for k, v in kwargs.items())}. "
                "Remove or rename them."
            )
        self._check_settings(who, gradient_accumulation_steps, use_ema, ema_momentum,
                             ema_overwrite_frequency, clipnorm, clipvalue, global_clipnorm)
        self.name = name or unique_name(to_snake_case(who))
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self._schedule: Callable | None = None
        self._learning_rate_value = 0.0
        self._set_initial_learning_rate(learning_rate)
        self._exclude_pattern: re.Pattern | None = None
        self._transform: optax.GradientTransformation | None = None
        self._eager = None  # (variables, state, jitted update) once built eagerly
        self._attached: tuple[Callable, Callable | None] | None = None
        self._step_apply: Callable | None = None  # set while a training step is traced

    @staticmethod
    def _check_settings(who, accumulation, use_ema, ema_momentum, ema_frequency, clipnorm,
                        clipvalue, global_clipnorm):
        if accumulation is not None and (not isinstance(accumulation, int) or accumulation < 2):
            raise ValueError(
                f"{who}: gradient_accumulation_steps must be an integer >= 2. Expected an int "
                f">= 2 or None. Received: gradient_accumulation_steps={accumulation!r}. Use "
                "None to update at every step."
            )
        if use_ema and not 0 <= ema_momentum <= 1:
            raise ValueError(
                f"{who}: ema_momentum must be in [0, 1]. Expected 0 <= ema_momentum <= 1. "
                f"Received: ema_momentum={ema_momentum!r}. Typical values are 0.99-0.9999."
            )
        if use_ema and ema_frequency and (not isinstance(ema_frequency, int)
                                          or ema_frequency < 1):
            raise ValueError(
                f"{who}: ema_overwrite_frequency must be an integer >= 1 or None. Received: "
                f"ema_overwrite_frequency={ema_frequency!r}. Pass a positive int or None."
            )
        given = [a is not None for a in (clipnorm, clipvalue, global_clipnorm)]
        if sum(given) > 1:
            raise ValueError(
                f"{who}: only one of clipnorm, clipvalue and global_clipnorm can be set. "
                f"Received: clipnorm={clipnorm!r}, clipvalue={clipvalue!r}, "
                f"global_clipnorm={global_clipnorm!r}. Keep one of them."
            )

    def _set_initial_learning_rate(self, learning_rate) -> None:
        if isinstance(learning_rate, LearningRateSchedule) or (
                callable(learning_rate) and not hasattr(learning_rate, "dtype")):
            self._schedule = learning_rate
        else:
            self._learning_rate_value = _check_learning_rate(type(self).__name__,
                                                             learning_rate)

    # ----- the pure side, used by the training loop -----

    def _rule(self) -> UpdateRule:
        raise NotImplementedError(
            f"{type(self).__name__}: optimizers must implement `_rule()` returning an "
            "UpdateRule (or override `transform`)."
        )

    def _settings(self) -> dict:
        return {
            "weight_decay": self.weight_decay, "clipnorm": self.clipnorm,
            "clipvalue": self.clipvalue, "global_clipnorm": self.global_clipnorm,
            "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
            "exclude_from_weight_decay": self._exclude_pattern,
            "learning_rate": self._learning_rate_value,
        }

    @property
    def transform(self) -> optax.GradientTransformation:
        """The optax transform (built once, then cached); its state is an `OptimizerState`."""
        if self._transform is None:
            self._transform = keras_transform(self._rule(), self._settings(), self._schedule)
        return self._transform

    def init(self, params) -> OptimizerState:
        """Returns `transform.init(params)`: the initial optimizer state for `params`."""
        return self.transform.init(params)

    def iterations_of(self, state: OptimizerState) -> jax.Array:
        """Keras's `optimizer.iterations` in `state`: the number of applied updates."""
        return state.iteration // (self.gradient_accumulation_steps or 1)

    def learning_rate_of(self, state: OptimizerState) -> jax.Array:
        """The learning rate the next update of `state` will use (a float32 scalar)."""
        return state.learning_rate

    def with_learning_rate(self, state: OptimizerState, value) -> OptimizerState:
        """Returns `state` with a new learning rate (jit-safe; never triggers a retrace).

        Raises:
            TypeError: if the optimizer was created with a schedule.
            ValueError: if `value` is negative.
        """
        value = self._check_settable(value)
        return state._replace(learning_rate=jnp.asarray(value, jnp.float32))

    def _check_settable(self, value):
        if self._schedule is not None:
            raise TypeError(
                f"{type(self).__name__}: the learning rate cannot be set, because this "
                "optimizer was created with a schedule. Expected an optimizer created with a "
                f"float learning_rate. Received: learning_rate={describe(value)}. Create the "
                "optimizer with a float learning rate to change it during training."
            )
        return _check_learning_rate(type(self).__name__, value)

    def ema_of(self, state: OptimizerState):
        """The moving average of the weights kept in `state` (`None` unless `use_ema`)."""
        return state.ema

    def finalize_params(self, params, state: OptimizerState):
        """The weights to keep at the end of training: the EMA when `use_ema`, else `params`.

        Keras's `fit()` does this after the last epoch (`finalize_variable_values`).
        """
        return state.ema if self.use_ema else params

    def scale_loss(self, loss):
        """Multiplies the loss by `loss_scale_factor` (if set) before differentiation."""
        return loss if self.loss_scale_factor is None else loss * self.loss_scale_factor

    # ----- the live state: Keras properties read and write the loop's state -----

    def attach(self, get_state: Callable[[], Any], set_state: Callable[[Any], None]) -> None:
        """Makes `learning_rate` and `iterations` read/write a loop's live optimizer state.

        Args:
            get_state: returns the loop's current `OptimizerState`.
            set_state: stores a new `OptimizerState` in the loop (used by the setter).
        """
        self._attached = (get_state, set_state)

    @contextlib.contextmanager
    def delegating_updates(self, apply_fn: Callable[[list, list | None], None]):
        """While active, `apply` / `apply_gradients` call `apply_fn(grads, variables)`.

        A training step being traced opens this so that a custom `train_step` calling
        `self.optimizer.apply_gradients(zip(grads, self.trainable_variables))` updates the
        step's own optimizer state and weights instead of eager state outside the trace.
        """
        previous, self._step_apply = self._step_apply, apply_fn
        try:
            yield self
        finally:
            self._step_apply = previous

    def detach(self) -> None:
        """Stops reading the loop's state; the eager state (if any) is used again."""
        self._attached = None

    def _live_state(self):
        if self._attached is not None:
            return self._attached[0]()
        return None if self._eager is None else self._eager[1]

    def _store_live_state(self, state) -> None:
        if self._attached is not None:
            self._attached[1](state)
        elif self._eager is not None:
            self._eager = (self._eager[0], state, self._eager[2])

    @property
    def learning_rate(self) -> jax.Array:
        """The current learning rate; assign a float between steps to change it."""
        state = self._live_state()
        if state is not None:
            return self.learning_rate_of(state)
        if self._schedule is not None:
            return jnp.asarray(self._schedule(0), jnp.float32)
        return jnp.asarray(self._learning_rate_value, jnp.float32)

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        if isinstance(value, LearningRateSchedule) or (
                callable(value) and not hasattr(value, "dtype")):
            self._schedule = value
            self._transform = None  # a new schedule is traced into a new transform
            if self._eager is not None:
                self._eager = (self._eager[0], self._eager[1], None)
            return
        state = self._live_state()
        if state is None:
            self._learning_rate_value = float(self._check_settable(value))
            return
        self._store_live_state(self.with_learning_rate(state, value))
        self._learning_rate_value = float(value)

    @property
    def iterations(self) -> jax.Array:
        """The number of updates applied so far (an int32 scalar)."""
        state = self._live_state()
        return jnp.zeros((), jnp.int32) if state is None else self.iterations_of(state)

    def exclude_from_weight_decay(self, var_list=None, var_names=None) -> None:
        """Exempts weights whose name or path contains one of `var_names` from weight decay.

        Names are searched in the key path of each parameter (`jax.tree_util.keystr`), and
        in `name`/`path` of the variables given to `apply`. Call it before the first update.

        Raises:
            ValueError: if the transform was already built.
        """
        if self._transform is not None:
            raise ValueError(
                f"{type(self).__name__}: exclude_from_weight_decay() was called after the "
                "optimizer was built. Expected it before the first update. Received: "
                f"var_names={var_names!r}. Call it right after creating the optimizer."
            )
        names = list(var_names or [])
        names += [re.escape(getattr(v, "path", None) or v.name) for v in var_list or []]
        self._exclude_pattern = re.compile("|".join(names)) if names else None

    # ----- eager Keras methods on variables -----

    def build(self, variables) -> None:
        """Creates the optimizer state for `variables` (NNX or Keras-like Variables)."""
        variables = list(variables)
        params = self._as_params(variables)
        self._eager = (variables, self.transform.init(params), None)

    @staticmethod
    def _as_params(variables) -> dict:
        # zero-padded, so the dict's (sorted) leaf order is the variables' order
        return {f"{i:05d}/{getattr(v, 'path', None) or getattr(v, 'name', '')}":
                read_variable(v) for i, v in enumerate(variables)}

    def apply(self, grads, trainable_variables=None):
        """Applies one update to `trainable_variables` in place (Keras's `apply`).

        Raises:
            ValueError: if no variables are given and the optimizer was not built.
        """
        if self._step_apply is not None:
            self._step_apply(list(grads), None if trainable_variables is None
                             else list(trainable_variables))
            return None
        if trainable_variables is None:
            if self._eager is None:
                raise ValueError(
                    f"{type(self).__name__}: apply() got gradients without variables before "
                    "the optimizer was built. Expected trainable_variables on the first "
                    f"call. Received: grads={describe(list(grads))}. Pass the variables, or "
                    "call optimizer.build(variables) first."
                )
            trainable_variables = self._eager[0]
        trainable_variables = list(trainable_variables)
        if self._eager is None or len(self._eager[0]) != len(trainable_variables):
            self.build(trainable_variables)
        variables, state, update = self._eager
        if update is None:
            update = jax.jit(self.transform.update)
        params = self._as_params(trainable_variables)
        grads = dict(zip(params, (jnp.asarray(g) for g in grads)))
        updates, state = update(grads, state, params)
        for v, p, u in zip(trainable_variables, params.values(), updates.values()):
            write_variable(v, p + u)
        self._eager = (trainable_variables, state, update)
        return self.iterations

    # ----- Keras 3's variable list and stateless API -----

    @property
    def variables(self) -> list:
        """The optimizer's variables in Keras's order (`iteration`, `learning_rate`, slots).

        Each is a `Variable` viewing one array of the live optimizer state: reading it reads
        the state, `assign` writes it (so `stateless_apply` results can be written back).
        """
        state = self._live_state()
        if state is None:  # not built: Keras has its iteration and learning rate already
            names = ["iteration"] + ([] if self._schedule is not None else ["learning_rate"])
            values = [np.int32(0), np.float32(self._learning_rate_value)]
            return [Variable(v, name=n, path=f"{self.name}/{n}", trainable=False)
                    for n, v in zip(names, values)]
        return [OptimizerVariable(jnp.asarray(self._state_leaf(index)), name=name,
                                  path=f"{self.name}/{name}", optimizer=self, leaf=index)
                for name, index in variable_layout(self, state)]

    def _state_leaf(self, index: int):
        return jax.tree_util.tree_leaves(self._live_state())[index]

    def _set_state_leaf(self, index: int, value) -> None:
        leaves, treedef = jax.tree_util.tree_flatten(self._live_state())
        leaves[index] = jnp.asarray(value, jnp.result_type(leaves[index]))
        self._store_live_state(jax.tree_util.tree_unflatten(treedef, leaves))

    def _param_keys(self, state) -> list:
        if self._eager is not None and self._attached is None:
            return list(self._as_params(self._eager[0]))
        keys = param_keys_of(state)
        return keys if keys is not None else []

    def _constraints(self) -> list | None:
        if self._eager is None or self._attached is not None:
            return None
        return [getattr(v, "constraint", None) for v in self._eager[0]]

    stateless_apply = stateless_apply

    def apply_gradients(self, grads_and_vars):
        """Applies `(gradient, variable)` pairs (Keras's `apply_gradients`)."""
        grads, variables = zip(*grads_and_vars)
        return self.apply(list(grads), list(variables))

    def finalize_variable_values(self, var_list) -> None:
        """Writes the EMA into `var_list` when `use_ema` (what `fit()` does at the end)."""
        if self.use_ema and self._eager is not None:
            for v, average in zip(var_list, self._eager[1].ema.values()):
                write_variable(v, average)

    # ----- configuration -----

    def get_config(self) -> dict:
        """Returns the Keras 3 config of the optimizer (learning rate as float32, as Keras)."""
        if self._schedule is not None:
            learning_rate = serialize(self._schedule)
        else:
            learning_rate = float(np.float32(self.learning_rate))
        return {
            "name": self.name, "learning_rate": learning_rate,
            "weight_decay": self.weight_decay, "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm, "clipvalue": self.clipvalue,
            "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        """Creates an optimizer from `get_config()`'s output (without any state)."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict | str):
            config["learning_rate"] = deserialize(
                config["learning_rate"], module="keras.optimizers.schedules",
                custom_objects=custom_objects, where=f"{cls.__name__}.from_config")
        return cls(**config)
