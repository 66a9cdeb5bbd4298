"""`OptimizerMap` and `MultiOptimizer`: a different optimizer for each group of weights, by path."""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from types import SimpleNamespace

import jax
import jax.numpy as jnp
import optax

from kernelkit.errors import describe
from kernelkit.optimizers import slot_init
from kernelkit.optimizers.keras_transform import OptimizerState
from kernelkit.optimizers.loss_scale_optimizer import LossScaleOptimizer
from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.optimizers.param_paths import param_path
from kernelkit.registry import deserialize, register_builtin, serialize

__all__ = ["MultiOptimizer", "OptimizerMap"]


def _check_inner(who, optimizer):
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"{who}: expected a kernelkit optimizer. Received: optimizer={describe(optimizer)}. "
            "Pass e.g. kernelkit.optimizers.Adam()."
        )
    if isinstance(optimizer, LossScaleOptimizer | MultiOptimizer):
        raise ValueError(
            f"{who}: a {type(optimizer).__name__} cannot be an inner optimizer. Expected a "
            f"plain optimizer. Received: optimizer={type(optimizer).__name__}. Wrap the "
            "MultiOptimizer itself instead."
        )


@register_builtin("keras.optimizers")
class OptimizerMap(MutableMapping):
    """Maps variable paths (exact, or regular expressions matched in full) to optimizers.

    Args:
        default_optimizer: the optimizer of the variables that no key matches.
        optimizer_map: a dict from a path or a path pattern to an optimizer.

    Raises:
        TypeError: if `default_optimizer` is not an optimizer or `optimizer_map` not a dict.

    Example:
        >>> from kernelkit.optimizers import SGD, Adam
        >>> mapping = OptimizerMap(Adam(), {"dense/.*": SGD()})
        >>> type(mapping["dense/kernel"]).__name__, type(mapping["conv/kernel"]).__name__
        ('SGD', 'Adam')
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError(
                "OptimizerMap: default_optimizer is not an optimizer. Expected a kernelkit "
                f"optimizer. Received: default_optimizer={describe(default_optimizer)}. "
                "Pass e.g. kernelkit.optimizers.Adam()."
            )
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(
                "OptimizerMap: optimizer_map is not a dict. Expected a dict from path "
                f"patterns to optimizers. Received: optimizer_map={describe(optimizer_map)}."
            )
        self._default_optimizer = default_optimizer
        self._optimizer_map = {}
        for key, optimizer in (optimizer_map or {}).items():
            self[key] = optimizer

    @property
    def default_optimizer(self) -> Optimizer:
        """The optimizer of the variables that no key matches."""
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matches = [p for p in self._optimizer_map if re.fullmatch(p, key)]
        if len(matches) > 1:
            raise ValueError(
                f"OptimizerMap: several patterns match variable {key!r}. Expected at most "
                f"one. Received: matching keys={matches!r}. Make the patterns exclusive."
            )
        return self._optimizer_map[matches[0]] if matches else self._default_optimizer

    def __setitem__(self, key, optimizer):
        if key in self._optimizer_map:
            raise ValueError(
                f"OptimizerMap: key {key!r} is already mapped. Expected each key once. "
                f"Received: key={key!r}. Remove the duplicate key."
            )
        if not isinstance(key, str):
            raise ValueError(
                "OptimizerMap: keys are variable paths or patterns. Expected a string. "
                f"Received: key={key!r}."
            )
        _check_inner("OptimizerMap", optimizer)
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[variable.path]

    def get_config(self) -> dict:
        """Returns the default optimizer and the map, serialized as Keras writes them."""
        return {"default_optimizer": serialize(self._default_optimizer),
                "optimizer_map": serialize(self._optimizer_map)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds the map from `get_config()`'s output."""
        def load(c):
            return deserialize(c, module="keras.optimizers", custom_objects=custom_objects,
                               where="OptimizerMap.from_config")

        return cls(load(config["default_optimizer"]),
                   {k: load(v) for k, v in config["optimizer_map"].items()})


@register_builtin("keras.optimizers")
class MultiOptimizer(Optimizer):
    """Routes each weight to its own optimizer, chosen by the weight's path.

    `optimizer_map` is an `OptimizerMap` or any callable taking a variable (an object with
    `path`, `name` and `shape`) and returning an optimizer. Each inner optimizer keeps its
    own state, learning rate and schedule; this optimizer has no learning rate of its own.

    Args:
        optimizer_map: an `OptimizerMap`, or a callable from a variable to an optimizer.
        loss_scale_factor: if set, the loss scale of every inner optimizer.
        name: the optimizer's name.

    Example:
        >>> from kernelkit.optimizers import SGD, Adam
        >>> opt = MultiOptimizer(OptimizerMap(SGD(0.1), {"dense/bias": Adam(0.1)}))
        >>> params = {"0/dense/kernel": jnp.ones(2), "1/dense/bias": jnp.ones(2)}
        >>> updates, _ = opt.transform.update(params, opt.transform.init(params), params)
        >>> [round(float(u[0]), 4) for u in updates.values()]
        [-0.1, -0.1]
    """

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        self._inner_optimizers: list[Optimizer] = []
        candidates = list(optimizer_map.values()) if hasattr(optimizer_map, "values") else []
        default = getattr(optimizer_map, "default_optimizer", None)
        for optimizer in [*candidates, *([default] if default is not None else [])]:
            self._add_inner(optimizer)

    def _add_inner(self, optimizer) -> int:
        _check_inner("MultiOptimizer", optimizer)
        for i, known in enumerate(self._inner_optimizers):
            if known is optimizer:
                return i
        optimizer.loss_scale_factor = self.loss_scale_factor
        self._inner_optimizers.append(optimizer)
        return len(self._inner_optimizers) - 1

    @property
    def optimizers(self) -> list:
        """The inner optimizers, in the order they were first met."""
        return self._inner_optimizers

    @property
    def learning_rate(self):
        """Not available: each inner optimizer has its own learning rate."""
        raise AttributeError(
            "MultiOptimizer: there is no single learning rate. Expected access through an "
            "inner optimizer. Received: multi_optimizer.learning_rate. Use "
            "multi_optimizer.optimizers[i].learning_rate."
        )

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError(
            "MultiOptimizer: there is no single learning rate to set. Expected a change on an "
            f"inner optimizer. Received: learning_rate={describe(value)}. Set "
            "multi_optimizer.optimizers[i].learning_rate instead."
        )

    def _groups(self, params):
        """`(treedef, leaves, keys, optimizer index per leaf)`; static under `jax.jit`."""
        flat, treedef = jax.tree_util.tree_flatten_with_path(params)
        keys, owners = [], []
        for i, (key_path, leaf) in enumerate(flat):
            path = param_path(key_path)
            if isinstance(self._optimizer_map, OptimizerMap):
                optimizer = self._optimizer_map[path]
            else:
                optimizer = self._optimizer_map(SimpleNamespace(
                    path=path, name=path.rsplit("/", 1)[-1], shape=jnp.shape(leaf)))
            owners.append(self._add_inner(optimizer))
            keys.append(f"{i}/{path}")
        return treedef, [leaf for _, leaf in flat], keys, owners

    @staticmethod
    def _subset(values, keys, owners, index) -> dict:
        return {k: v for k, v, o in zip(keys, values, owners) if o == index}

    @property
    def transform(self) -> optax.GradientTransformation:
        if self._transform is None:
            def init(params):
                _, leaves, keys, owners = self._groups(params)
                inner = tuple(opt.transform.init(self._subset(leaves, keys, owners, i))
                              for i, opt in enumerate(self._inner_optimizers))
                return OptimizerState(slot_init.zeros((), jnp.int32),
                                      slot_init.zeros((), jnp.float32), inner)

            def update(grads, state, params=None):
                treedef, leaves, keys, owners = self._groups(params)
                grad_leaves = treedef.flatten_up_to(grads)
                out = dict.fromkeys(keys)
                inner_states = []
                for i, opt in enumerate(self._inner_optimizers):
                    sub_params = self._subset(leaves, keys, owners, i)
                    sub_grads = self._subset(grad_leaves, keys, owners, i)
                    updates, inner = opt.transform.update(sub_grads, state.slots[i], sub_params)
                    out.update(updates)
                    inner_states.append(inner)
                return (treedef.unflatten([out[k] for k in keys]),
                        OptimizerState(state.iteration + 1, state.learning_rate,
                                       tuple(inner_states)))

            self._transform = optax.GradientTransformation(init, update)
        return self._transform

    def attach(self, get_state, set_state) -> None:
        super().attach(get_state, set_state)
        for i, optimizer in enumerate(self._inner_optimizers):
            def get_inner(i=i):
                return get_state().slots[i]

            def set_inner(inner, i=i):
                state = get_state()
                slots = list(state.slots)
                slots[i] = inner
                set_state(state._replace(slots=tuple(slots)))

            optimizer.attach(get_inner, set_inner)

    def detach(self) -> None:
        super().detach()
        for optimizer in self._inner_optimizers:
            optimizer.detach()

    def finalize_params(self, params, state):
        treedef, leaves, keys, owners = self._groups(params)
        out = dict(zip(keys, leaves))
        for i, opt in enumerate(self._inner_optimizers):
            sub = self._subset(leaves, keys, owners, i)
            if sub:
                out.update(opt.finalize_params(sub, state.slots[i]))
        return treedef.unflatten([out[k] for k in keys])

    def get_config(self) -> dict:
        return {"optimizer_map": serialize(self._optimizer_map),
                "loss_scale_factor": self.loss_scale_factor, "name": self.name}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        config["optimizer_map"] = deserialize(
            config["optimizer_map"], module="keras.optimizers", custom_objects=custom_objects,
            where="MultiOptimizer.from_config")
        return cls(**config)
