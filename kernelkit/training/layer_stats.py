"""Per-layer statistics gathered inside the jitted training step, for the layer-health panel.

When a callback asks for them (`wants_layer_stats = True`, e.g.
`LiveProgress(layer_stats=True)`), `fit` uses a variant of the step functions whose step
context measures, per layer, the sums of squares of the weights, gradients and optimizer
updates and whether the weights and gradients are all finite: a `(5, layers)` float32 array in
the step's logs under `LAYER_STATS_KEY`. The session takes it out of the logs (History and the
progress bar never see it) and keeps the latest one; `TrainingSession.layer_health()` turns it
into a `LayerHealth` on the host. Without such a callback nothing of this is compiled.
"""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.display.layer_health_view import LayerHealth

__all__ = ["LAYER_STATS_KEY", "LayerGroups", "split_layer_stats"]

#: The reserved key of the statistics in a step's logs.
LAYER_STATS_KEY = "_layer_stats"


class LayerGroups:
    """The carry's weight keys (`"<index>/<layer path>/<weight>"`) grouped by layer path.

    Args:
        param_keys: The `Partition`'s `param_keys`.

    Example:
        >>> groups = LayerGroups(["00000/d/kernel", "00001/d/bias", "00002/out/kernel"])
        >>> groups.names
        ('d', 'out')
    """

    def __init__(self, param_keys):
        members: dict[str, list[str]] = {}
        for key in param_keys:
            path = key.split("/", 1)[-1]
            layer = path.rsplit("/", 1)[0] if "/" in path else path
            members.setdefault(layer, []).append(key)
        self.names = tuple(members)
        self.members = tuple(tuple(keys) for keys in members.values())

    def measure(self, params: dict, grads: dict, updates: dict):
        """The step's `(5, layers)` statistics (traced; a few reductions per weight).

        Args:
            params: The weights before the update, keyed like the carry.
            grads: Their gradients.
            updates: The optimizer's updates.

        Returns:
            A float32 array: rows are the sums of squares of weights, gradients and updates,
            then 1.0 where the layer's weights (then gradients) are all finite. A NaN or inf
            makes its sum non-finite, so the flags cost no further pass over the weights (a
            sum of squares that overflows float32, from values above ~1e19, counts as
            non-finite too).
        """
        rows = [jnp.stack([sum(_square_sum(values[k]) for k in keys) for keys in self.members])
                for values in (params, grads, updates)]
        finite = jnp.isfinite(jnp.stack(rows[:2])).astype(jnp.float32)
        return jnp.concatenate([jnp.stack(rows), finite])

    def health(self, sums) -> LayerHealth:
        """A fetched statistics array as a `LayerHealth`.

        Args:
            sums: The `(5, layers)` array (device or host).

        Returns:
            A `LayerHealth`.
        """
        import jax

        return LayerHealth.from_sums(self.names, jax.device_get(sums))


def _square_sum(value):
    value = jnp.asarray(value, jnp.float32)
    return jnp.sum(value * value)


def split_layer_stats(logs):
    """`(logs without the statistics, the statistics or None)`.

    Args:
        logs: A step's logs dict.

    Returns:
        The pair.

    Example:
        >>> split_layer_stats({"loss": 1.0, LAYER_STATS_KEY: [[0.0]]})
        ({'loss': 1.0}, [[0.0]])
    """
    if not isinstance(logs, dict) or LAYER_STATS_KEY not in logs:
        return logs, None
    logs = dict(logs)
    return logs, logs.pop(LAYER_STATS_KEY)

