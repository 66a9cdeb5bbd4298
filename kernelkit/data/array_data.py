"""In-memory data (NumPy, JAX, pandas, lists and dicts of arrays): checks, splits, batch plans."""

from __future__ import annotations

import math
from dataclasses import dataclass

import jax
import numpy as np

from kernelkit.errors import describe

__all__ = ["ArrayData", "Execution", "class_weight_to_sample_weight", "is_array_like",
           "to_array_tree"]


def is_array_like(x) -> bool:
    """True for arrays and array-convertible tables (NumPy, JAX, pandas, torch, tf tensors)."""
    return (isinstance(x, np.ndarray | jax.Array)
            or (hasattr(x, "__array__") and hasattr(x, "shape"))
            or type(x).__module__.startswith("pandas"))


def _to_array(x, what):
    if isinstance(x, jax.Array):
        return x
    if type(x).__module__.startswith("pandas"):
        return x.to_numpy()
    try:
        arr = np.asarray(x)
    except Exception as e:
        raise TypeError(
            f"Could not convert {what} to an array. Expected NumPy/JAX arrays, pandas objects, "
            f"or lists/dicts of them. Received: {what} of type {type(x).__name__}."
        ) from e
    if arr.dtype == object:
        raise ValueError(
            f"{what} has dtype object (ragged or mixed data), which cannot be batched. Expected a "
            f"numeric array. Received: {what}={describe(arr)}. Pad or convert the data first."
        )
    return arr


def to_array_tree(x, what="x"):
    """Converts `x` to arrays, keeping lists and dicts of inputs as trees."""
    if x is None:
        return None
    if isinstance(x, dict):
        return {k: to_array_tree(v, f"{what}[{k!r}]") for k, v in x.items()}
    if isinstance(x, list | tuple) and x and all(
            is_array_like(v) or isinstance(v, dict | list | tuple) for v in x):
        if all(isinstance(v, list | tuple) and not is_array_like(v) for v in x):
            return _to_array(x, what)  # nested Python lists of numbers: one array
        return [to_array_tree(v, f"{what}[{i}]") for i, v in enumerate(x)]
    return _to_array(x, what)


def _leaves(tree):
    return jax.tree_util.tree_leaves(tree)


def _num_samples(tree, what) -> int | None:
    counts = {int(np.shape(leaf)[0]) if np.ndim(leaf) else None for leaf in _leaves(tree)}
    if None in counts:
        raise ValueError(
            f"{what} contains a scalar; every array needs a first (sample) dimension. "
            f"Received: {what}={describe(tree)}."
        )
    if len(counts) > 1:
        raise ValueError(
            f"The arrays in {what} have different numbers of samples: {sorted(counts)}. "
            f"Expected one length. Received: {what}={describe(tree)}."
        )
    return counts.pop() if counts else None


def class_weight_to_sample_weight(y, class_weight: dict, num_classes: int | None = None):
    """Per-sample weights from a `{class_index: weight}` dict and integer or one-hot targets.

    Example:
        >>> class_weight_to_sample_weight(np.array([0, 1, 1]), {0: 1.0, 1: 2.0}).tolist()
        [1.0, 2.0, 2.0]
    """
    if isinstance(y, list | dict):
        raise ValueError(
            "class_weight is only supported for models with a single output. Received "
            f"targets y={describe(y)} for several outputs. Use sample_weight instead."
        )
    if not isinstance(class_weight, dict):
        raise TypeError(
            "class_weight must be a dict mapping class indices to weights. "
            f"Received: class_weight of type {type(class_weight).__name__}."
        )
    y = np.asarray(y)
    for key in class_weight:
        if not isinstance(key, int | np.integer) or key < 0 or (
                num_classes is not None and key >= num_classes):
            limit = f"0 to {num_classes - 1}" if num_classes else "non-negative integers"
            raise ValueError(
                f"class_weight names class {key!r}, which does not exist: expected class "
                f"indices {limit}. Received: class_weight={class_weight}."
            )
    if y.ndim >= 2 and y.shape[-1] > 1:
        if y.ndim > 2:
            raise ValueError(
                "class_weight needs targets of shape (N,), (N, 1) or one-hot (N, C). "
                f"Received: y={describe(y)}."
            )
        if not np.all(np.isin(y, (0, 1))):
            raise ValueError(
                "class_weight with 2-D targets needs one-hot encoded targets (or sparse labels "
                f"with a final dimension of 1). Received: y={describe(y)} with values other than "
                "0 and 1."
            )
        ones = np.sum(y == 1, axis=-1)
        if np.any(ones != 1):
            row = int(np.flatnonzero(ones != 1)[0])
            raise ValueError(
                "class_weight needs one class per sample: one-hot targets with exactly one 1 per "
                f"row. Received: y={describe(y)} whose row {row} has {int(ones[row])} ones "
                "(multi-hot or all-zero targets). Use sample_weight for multi-label data, or "
                "pass one-hot targets."
            )
        classes = np.argmax(y, axis=-1)
    else:
        classes = np.reshape(y, (y.shape[0],))
        if classes.dtype.kind == "f":
            classes = np.round(classes)
        classes = classes.astype("int64")
    lookup = np.vectorize(lambda c: float(class_weight.get(int(c), 1.0)), otypes=[np.float32])
    return lookup(classes) if classes.size else np.zeros((0,), np.float32)


@dataclass(frozen=True)
class Execution:
    """One dispatch of the training function: `steps` batches of `batch_size` from `start`.

    Example:
        >>> Execution(start=0, steps=2, batch_size=4)
        Execution(start=0, steps=2, batch_size=4)
    """

    start: int
    steps: int
    batch_size: int


class ArrayData:
    """Arrays already in memory: `x`, `y`, `sample_weight` as trees with one sample count.

    Example:
        >>> data = ArrayData(np.zeros((10, 3)), np.zeros((10,)))
        >>> train, val = data.split(0.2)
        >>> data.num_samples, train.num_samples, val.num_samples
        (10, 8, 2)
    """

    def __init__(self, x, y=None, sample_weight=None):
        self.x = to_array_tree(x, "x")
        self.y = to_array_tree(y, "y")
        self.sample_weight = to_array_tree(sample_weight, "sample_weight")
        n_x = _num_samples(self.x, "x")
        if n_x is None:
            raise ValueError("x is empty: expected at least one array. Received: x=None.")
        n_y = _num_samples(self.y, "y") if self.y is not None else n_x
        if n_x != n_y:
            raise ValueError(
                f"x and y have different numbers of samples: x has {n_x}, y has {n_y}. "
                f"Expected the same length. Received: x={describe(self.x)}, y={describe(self.y)}."
            )
        if self.sample_weight is not None:
            n_w = _num_samples(self.sample_weight, "sample_weight")
            if n_w != n_x:
                raise ValueError(
                    f"sample_weight has {n_w} entries but x has {n_x} samples. Expected one "
                    f"weight per sample. Received: sample_weight={describe(self.sample_weight)}."
                )
        if n_x == 0:
            raise ValueError(
                f"x has no samples (received x={describe(self.x)}). Pass at least one sample."
            )
        self.num_samples = n_x
        self.exhausted = False  # arrays never run out: every epoch starts again
        self._on_device = None

    def apply_class_weight(self, class_weight, num_classes=None) -> None:
        if not class_weight:
            return
        if self.y is None:
            raise ValueError("class_weight needs targets y. Received: y=None.")
        weights = class_weight_to_sample_weight(self.y, class_weight, num_classes)
        if self.sample_weight is not None:
            given = np.asarray(self.sample_weight, np.float32)
            weights = given * weights.reshape((-1,) + (1,) * (given.ndim - 1))
        self.sample_weight = weights

    def split(self, validation_split: float):
        """Returns `(train, validation)`: validation is the last fraction, before shuffling."""
        if not 0.0 < validation_split < 1.0:
            raise ValueError(
                "validation_split must be a float between 0 and 1 (exclusive). "
                f"Received: validation_split={validation_split!r}."
            )
        at = int(math.floor(self.num_samples * (1.0 - validation_split)))
        if at == 0 or at == self.num_samples:
            raise ValueError(
                f"validation_split={validation_split} leaves no samples on one side of the split "
                f"of {self.num_samples} samples. Use more data or another split."
            )

        def cut(tree, sl):
            return None if tree is None else jax.tree_util.tree_map(lambda a: a[sl], tree)

        first, second = slice(0, at), slice(at, None)
        return (ArrayData(cut(self.x, first), cut(self.y, first), cut(self.sample_weight, first)),
                ArrayData(cut(self.x, second), cut(self.y, second),
                          cut(self.sample_weight, second)))

    def as_tuple(self):
        return self.x, self.y, self.sample_weight

    @property
    def host_targets(self):
        """The targets, in memory (checked once on the host before a pass)."""
        return self.y

    def on_device(self, place=None):
        """`(x, y, sample_weight)` on the device(s), transferred once per source.

        `place` puts the tree there (default `jax.device_put`: the default device); the
        training loop passes the distribution's placement (replicated on its mesh).
        """
        if self._on_device is None:
            self._on_device = (place or jax.device_put)(self.as_tuple())
        return self._on_device

    def epoch_order(self, shuffle, batch_size: int):
        """The sample order of one epoch as int32 indices on the device.

        The order is drawn on the host (a NumPy generator seeded from kernelkit's global
        seed, so `set_random_seed` makes it repeat) and sent once per epoch; the data itself
        never leaves the device: each step gathers its batch there by these indices. Drawing
        it with `jax.random.permutation` instead costs a second of compilation in every new
        process. `shuffle="batch"` moves whole batches, each keeping contiguous samples.
        """
        from kernelkit.random import draw_seed

        n = self.num_samples
        if shuffle is True:
            order = np.random.default_rng(draw_seed()).permutation(n)
        elif shuffle == "batch":
            full = n // batch_size
            chunks = np.random.default_rng(draw_seed()).permutation(full)
            order = (chunks[:, None] * batch_size + np.arange(batch_size)[None, :]).reshape(-1)
            order = np.concatenate([order, np.arange(full * batch_size, n)])
        else:
            order = np.arange(n)
        return jax.device_put(order.astype(np.int32))

    def resumable_order(self, order):
        """A saved epoch order as device indices, if it fits this data (else None)."""
        if order is None or len(order) != self.num_samples:
            return None
        return jax.device_put(np.asarray(order, np.int32))

    def first_batch(self, batch_size: int):
        """The first `batch_size` samples as `(x, y, sample_weight)`."""
        n = min(batch_size, self.num_samples)
        return jax.tree_util.tree_map(lambda a: a[:n], self.as_tuple())

    def pass_steps(self, batch_size: int, steps: int | None, wrap: bool = False) -> int:
        """Batches in one pass: all of the data, or `steps` (at most the data unless `wrap`,
        for `fit`'s `steps_per_epoch`, which starts over at the end)."""
        full = -(-self.num_samples // batch_size)
        if steps is None:
            return full
        return steps if wrap else min(steps, full)

    def dispatches(self, batch_size: int, steps: int | None, group: int,
                   first_step: int = 0) -> list[Execution]:
        """The pass's dispatches (see `executions`)."""
        return self.executions(batch_size, steps, group, first_step)

    def executions(self, batch_size: int, steps: int | None, group: int,
                   first_step: int = 0) -> list[Execution]:
        """The dispatches of one epoch: `group` full batches at a time, then the remainder.

        `first_step` skips the epoch's first batches (a run resumed from a mid-epoch backup).
        """
        n = self.num_samples
        total = math.ceil(n / batch_size) if steps is None else steps
        out, step = [], first_step
        while step < total:
            start = (step * batch_size) % n if steps is not None else step * batch_size
            size = min(batch_size, n - start)
            if size < batch_size:
                out.append(Execution(start, 1, size))
                step += 1
                continue
            full_left = min(total - step, (n - start) // batch_size)
            k = min(group, full_left)
            out.append(Execution(start, k, batch_size))
            step += k
        return out
