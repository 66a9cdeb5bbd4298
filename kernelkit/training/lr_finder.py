"""`find_learning_rate`: an exponential learning-rate sweep, fused like `fit`, on a copy.

The sweep runs `steps` training steps in one compiled `lax.scan` on copies of the weights, the
optimizer state and the random state (the model itself is never written), with the learning
rate growing exponentially from `start` to `stop`, and records each step's loss. The suggested
rate is where the smoothed loss falls fastest (its steepest slope against log rate), with the
minimum of the smoothed loss divided by 10 as a second, more conservative choice (fastai's two
rules).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jax
import jax.numpy as jnp
import numpy as np

from kernelkit.errors import describe
from kernelkit.training.carry import Carry
from kernelkit.training.step_functions import StepFunctions, _gather

__all__ = ["LearningRateFinderResult", "find_learning_rate"]


@dataclass
class LearningRateFinderResult:
    """What `Model.find_learning_rate` returns (the plot: `png()`, `html()`).

    Attributes:
        learning_rates: The rate of each step (exponentially spaced).
        losses: Each step's training loss.
        smoothed: The losses under a bias-corrected exponential moving average.
        suggestion: The rate of the steepest descent of the smoothed loss (or None).
        minimum_over_10: The rate of the smoothed loss's minimum, divided by 10 (or None).
    """

    learning_rates: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    suggestion: float | None
    minimum_over_10: float | None
    start: float
    stop: float
    shown_in: int | None = field(default=None, repr=False, compare=False)

    def _ipython_display_(self) -> None:
        """Shows the plot and the suggestion, once per cell: `find_learning_rate` already
        showed them in the cell that ran it, so a bare call is not shown twice."""
        from kernelkit.display.environment import execution_count, publish

        if self.shown_in is not None and self.shown_in == execution_count():
            return
        publish(self.html(), repr(self))

    def __repr__(self) -> str:
        from kernelkit.display.lr_finder_view import lr_finder_text

        return lr_finder_text(self.suggestion, self.minimum_over_10, len(self.losses),
                              self.start, self.stop)

    def png(self) -> bytes:
        """The plot as PNG bytes."""
        from kernelkit.display.lr_finder_view import lr_finder_png

        return lr_finder_png(self.learning_rates, self.losses, self.smoothed, self.suggestion,
                             self.minimum_over_10)

    def html(self) -> str:
        """The plot and the suggestion as static HTML (what a notebook shows)."""
        from kernelkit.display.lr_finder_view import lr_finder_html

        return lr_finder_html(self.png(), repr(self))


def _check_range(start, stop, steps) -> None:
    if not (isinstance(steps, int) and not isinstance(steps, bool) and steps >= 5):
        raise ValueError(
            f"find_learning_rate: `steps` must be an integer of at least 5. Received: "
            f"steps={steps!r}. Pass e.g. steps=100.")
    if not (np.isfinite(start) and np.isfinite(stop) and 0 < start < stop):
        raise ValueError(
            "find_learning_rate: expected 0 < start < stop (finite). Received: "
            f"start={start!r}, stop={stop!r}. Pass e.g. start=1e-7, stop=10.")


def _smooth(losses: np.ndarray, beta: float = 0.98) -> np.ndarray:
    out, average = np.empty_like(losses), 0.0
    for i, value in enumerate(losses):
        average = beta * average + (1 - beta) * value
        out[i] = average / (1 - beta ** (i + 1))
    return out


def suggest(rates: np.ndarray, smoothed: np.ndarray) -> tuple[float | None, float | None]:
    """`(steepest descent, minimum / 10)` over the part of the sweep before divergence."""
    finite = np.isfinite(smoothed)
    if finite.sum() < 3:
        return None, None
    best = int(np.nanargmin(np.where(finite, smoothed, np.inf)))
    diverged = np.flatnonzero(~finite | (smoothed > 4 * smoothed[best] + 1e-12))
    end = int(diverged[diverged > best][0]) if np.any(diverged > best) else len(smoothed)
    window = slice(0, max(end, best + 1))
    slopes = np.gradient(smoothed[window], np.log(rates[window]))
    skip = min(len(slopes) // 10, best)  # the first steps barely move the weights
    steepest = skip + int(np.argmin(slopes[skip:best + 1])) if best >= skip else best
    return float(rates[steepest]), float(rates[best] / 10)


def _sweep_optimizer(model):
    """A fresh copy of the compiled optimizer with a constant rate the sweep overwrites: the
    model's own optimizer (and any schedule it has) is left alone."""
    optimizer = model.optimizer
    if not hasattr(optimizer, "get_config") or not hasattr(optimizer, "transform"):
        raise TypeError(
            "find_learning_rate: the compiled optimizer cannot be copied for the sweep. "
            f"Expected a kernelkit optimizer such as Adam or SGD. Received: "
            f"{type(optimizer).__name__}. Compile with a kernelkit optimizer.")
    config = {**optimizer.get_config(), "learning_rate": 1e-3}
    config.pop("name", None)
    return type(optimizer).from_config(config)


def _sweep_function(fns: StepFunctions, metric_defaults, batch_size: int):
    train_once = fns._raw["train_once"]

    def sweep(carry, data, order, rates):
        def body(c, step):
            index, rate = step
            fresh = [jnp.asarray(m) for m in metric_defaults]  # each step's own loss
            opt_state = c.opt_state._replace(learning_rate=rate.astype(jnp.float32))
            batch = _gather(data, order, index * batch_size, batch_size)
            c, logs = train_once(Carry(c.params, c.rest, fresh, opt_state), batch)
            if "loss" not in logs:
                raise ValueError(
                    "find_learning_rate: the model's train_step returns no 'loss' in its logs. "
                    f"Expected a 'loss' entry. Received: logs with keys {sorted(logs)}. Return "
                    "the loss under 'loss' from train_step.")
            return c, logs["loss"]

        _, losses = jax.lax.scan(body, carry, (jnp.arange(rates.shape[0]), rates))
        return losses

    return jax.jit(sweep)


def find_learning_rate(model, x, y=None, start=1e-7, stop=10.0, steps=100, batch_size=None,
                       sample_weight=None) -> LearningRateFinderResult:
    """Runs the sweep on copies of the model's state; see `Model.find_learning_rate`."""
    model._assert_compiled("find_learning_rate")
    _check_range(start, stop, steps)
    batch_size = 32 if batch_size is None else batch_size
    leaves = jax.tree_util.tree_leaves(x)
    if not leaves or not hasattr(leaves[0], "shape"):
        raise ValueError(
            "find_learning_rate: expected in-memory arrays for x (NumPy or JAX). Received: "
            f"x={describe(x)}. Load a sample of the data into arrays first.")
    n = int(np.shape(leaves[0])[0])
    if n < batch_size:
        raise ValueError(
            f"find_learning_rate: x has {n} samples, fewer than one batch of {batch_size}. "
            f"Expected at least batch_size samples. Received: x={describe(x)}. Pass a smaller "
            "batch_size or more data.")
    head = jax.tree_util.tree_map(lambda a: a[:batch_size], (x, y, sample_weight))
    model._prepare_for_data(*head)
    optimizer = _sweep_optimizer(model)
    model.jax_state_sync()
    fns = StepFunctions(model, optimizer, jit=False)
    carry = fns.partition.carry_of(model)
    carry.opt_state = optimizer.init(carry.params)
    if "learning_rate" not in getattr(carry.opt_state, "_fields", ()):
        raise TypeError(
            "find_learning_rate: the optimizer state has no learning rate to sweep. Expected a "
            f"kernelkit optimizer such as Adam or SGD. Received: {type(optimizer).__name__}. "
            "Compile with a kernelkit optimizer (not a raw optax transform) for the sweep.")
    rng = np.random.default_rng(0)
    repeats = -(-steps * batch_size // n)
    order = np.concatenate([rng.permutation(n) for _ in range(repeats)]).astype(np.int32)
    rates = np.geomspace(start, stop, steps).astype(np.float32)
    data = jax.device_put((x, y, sample_weight))
    sweep = _sweep_function(fns, fns.partition.metric_defaults, batch_size)
    losses = np.asarray(sweep(carry, data, jax.device_put(order), jax.device_put(rates)),
                        np.float64)
    smoothed = _smooth(np.where(np.isfinite(losses), losses, np.inf))
    suggestion, minimum_over_10 = suggest(rates.astype(np.float64), smoothed)
    return LearningRateFinderResult(rates.astype(np.float64), losses, smoothed, suggestion,
                                    minimum_over_10, float(start), float(stop))
