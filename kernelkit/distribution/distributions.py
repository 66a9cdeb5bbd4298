"""`DataParallel` and `ModelParallel`, the current distribution, and `distribute_tensor`."""

from __future__ import annotations

import contextlib
import warnings

import jax
import numpy as np

from kernelkit.distribution.dataset_shards import shard_dataset
from kernelkit.distribution.device_mesh import DeviceMesh, TensorLayout
from kernelkit.distribution.devices import list_devices
from kernelkit.distribution.layout_map import LayoutMap

__all__ = ["DataParallel", "Distribution", "ModelParallel", "distribute_tensor",
           "distribution", "set_distribution"]

DEFAULT_BATCH_DIM_NAME = "batch"
_current = [None]  # process-wide, so a background fit thread sees the same distribution


def distribution():
    """The current distribution (set by `set_distribution` or a `scope()`), or None.

    Returns:
        A `Distribution`, or None.

    Example:
        >>> distribution() is None
        True
    """
    return _current[0]


def set_distribution(value) -> None:
    """Makes `value` the current distribution: models built and trained from now on use it.

    Args:
        value: A `Distribution`, or None for none.

    Example:
        >>> set_distribution(None)
        >>> distribution() is None
        True
    """
    _current[0] = value


class Distribution:
    """The base of distributions: a mesh, the axis the batch is split along, the layouts.

    Args:
        device_mesh: The `DeviceMesh`.
        batch_dim_name: The mesh axis the batch dimension of the data is split along.
        auto_shard_dataset: In a multi-process run, whether `distribute_dataset` cuts a
            whole dataset to this process's share (set False when each host already loads
            only its own share).

    Example:
        >>> mesh = DeviceMesh((1,), ["batch"], devices=["cpu:0"])
        >>> Distribution(mesh, "batch").batch_dim_name
        'batch'
    """

    def __init__(self, device_mesh, batch_dim_name=None, auto_shard_dataset=True):
        self._device_mesh = device_mesh
        self._batch_dim_name = batch_dim_name
        self._auto_shard_dataset = auto_shard_dataset
        self._num_processes = jax.process_count()
        self._process_id = jax.process_index()
        self._is_multi_process = self._num_processes > 1

    @property
    def device_mesh(self) -> DeviceMesh:
        """The `DeviceMesh`."""
        return self._device_mesh

    @property
    def batch_dim_name(self):
        """The mesh axis the batch is split along."""
        return self._batch_dim_name

    @property
    def auto_shard_dataset(self) -> bool:
        """Whether `distribute_dataset` shards a dataset (multi-process runs)."""
        return self._auto_shard_dataset

    @auto_shard_dataset.setter
    def auto_shard_dataset(self, value) -> None:
        self._auto_shard_dataset = value

    @property
    def num_processes(self) -> int:
        """How many processes form the run."""
        return self._num_processes

    @property
    def num_model_replicas(self) -> int:
        """How many copies of the model train on different data."""
        raise NotImplementedError

    @property
    def data_shard_id(self) -> int:
        """Which share of the data this process feeds."""
        replicas = self.num_model_replicas
        if replicas >= self.num_processes:
            return self._process_id
        return self._process_id // (self.num_processes // replicas)

    def get_data_layout(self, data_shape) -> TensorLayout:
        """The layout of input data: split along the batch axis, whole otherwise.

        Args:
            data_shape: The data's shape.

        Returns:
            A `TensorLayout`.
        """
        axes = [None] * len(data_shape)
        axes[0] = self.batch_dim_name
        return TensorLayout(axes, self.device_mesh)

    def get_variable_layout(self, variable) -> TensorLayout:
        """The layout of a variable (anything with `.path` and `.shape`).

        Args:
            variable: A variable.

        Returns:
            A `TensorLayout`.
        """
        raise NotImplementedError

    def get_tensor_layout(self, path):
        """The layout of an intermediate tensor named `path`, or None.

        Args:
            path: The tensor's path.

        Returns:
            A `TensorLayout` or None.
        """
        raise NotImplementedError

    @contextlib.contextmanager
    def scope(self):
        """A context in which this is the current distribution (the previous one after)."""
        previous = distribution()
        set_distribution(self)
        try:
            yield
        finally:
            set_distribution(previous)

    def distribute_dataset(self, dataset):
        """The share of `dataset` this process should feed, as Keras 3 shards it.

        In a multi-process run with `auto_shard_dataset=True`, in-memory arrays (an array,
        or a tuple, list or dict of arrays with one first dimension) are cut into
        `min(num_processes, num_model_replicas)` contiguous shares and this process gets
        share `data_shard_id` (processes that hold parts of one model replica get the same
        share). With one model replica, in one process, or with `auto_shard_dataset=False`,
        `dataset` is returned unchanged.

        Args:
            dataset: The whole (global) dataset.

        Returns:
            This process's share, or `dataset` itself.

        Raises:
            ValueError: If it must be sharded but is not arrays (a generator, a
                `PyDataset`, ...), or its arrays have different lengths.

        Example:
            >>> import numpy as np
            >>> dp = DataParallel(devices=["cpu:0"])
            >>> x = np.zeros((10, 3))
            >>> dp.distribute_dataset(x) is x  # one process: unchanged
            True
        """
        if not self._is_multi_process or not self.auto_shard_dataset:
            return dataset
        shards = min(self.num_processes, self.num_model_replicas)
        if shards == 1:
            return dataset  # every process feeds the same (whole) batches
        return shard_dataset(dataset, shards, self.data_shard_id, type(self).__name__)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} device_mesh={self.device_mesh}>"

    __str__ = __repr__


def _replicated(variable, mesh) -> TensorLayout:
    return TensorLayout([None] * len(variable.shape), mesh)


class DataParallel(Distribution):
    """Data parallelism: the variables are replicated, each batch is split across devices.

    Give a `device_mesh` (its first axis carries the batch), or `devices` (a 1-D mesh with
    the axis `"batch"` is made), or neither (all of `list_devices()`).

    Args:
        device_mesh: A `DeviceMesh`.
        devices: A list of devices.
        auto_shard_dataset: See `Distribution`.

    Example:
        >>> dp = DataParallel(devices=["cpu:0"])
        >>> dp.batch_dim_name, dp.num_model_replicas
        ('batch', 1)
    """

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True):
        if device_mesh:
            if not isinstance(device_mesh, DeviceMesh):
                raise ValueError(
                    "DataParallel: `device_mesh` must be a DeviceMesh. Received: "
                    f"device_mesh={device_mesh!r} of type {type(device_mesh).__name__}. "
                    "Make one with kernelkit.distribution.DeviceMesh(...)."
                )
            super().__init__(device_mesh, device_mesh.axis_names[0], auto_shard_dataset)
            if device_mesh.devices.ndim != 1:
                warnings.warn(
                    f"DataParallel: expected a 1-D device mesh, received one of shape "
                    f"{device_mesh.devices.shape}. The first axis carries the batch.",
                    stacklevel=2)
            return
        devices = np.array(devices if devices else list_devices(), dtype=object)
        mesh = DeviceMesh(devices.shape, [DEFAULT_BATCH_DIM_NAME], devices)
        super().__init__(mesh, DEFAULT_BATCH_DIM_NAME, auto_shard_dataset)

    @property
    def num_model_replicas(self) -> int:
        return int(self.device_mesh.devices.size)

    def get_variable_layout(self, variable) -> TensorLayout:
        layout = getattr(variable, "_layout", None)
        return layout if layout is not None else _replicated(variable, self.device_mesh)

    def get_tensor_layout(self, path):
        return None


class ModelParallel(Distribution):
    """Model (and data) parallelism: variables split as a `LayoutMap` says.

    Variables whose path matches no key of the map are replicated; the batch is split along
    `batch_dim_name`.

    Args:
        layout_map: The `LayoutMap` (its mesh is the distribution's).
        batch_dim_name: The mesh axis the batch is split along; defaults to the first.
        auto_shard_dataset: See `Distribution`.

    Example:
        >>> mesh = DeviceMesh((1, 1), ["batch", "model"], devices=["cpu:0"])
        >>> layout_map = LayoutMap(mesh)
        >>> layout_map["dense.*kernel"] = (None, "model")
        >>> mp = ModelParallel(layout_map=layout_map, batch_dim_name="batch")
        >>> mp.num_model_replicas
        1
    """

    def __init__(self, *, layout_map=None, batch_dim_name=None, auto_shard_dataset=True,
                 **kwargs):
        kwargs.pop("device_mesh", None)
        if not isinstance(layout_map, LayoutMap):
            raise ValueError(
                "ModelParallel: `layout_map` must be a LayoutMap. Received: "
                f"layout_map={layout_map!r}. Pass layout_map=LayoutMap(device_mesh) with "
                "layouts for the variables to split."
            )
        mesh = layout_map.device_mesh
        batch_dim_name = batch_dim_name or mesh.axis_names[0]
        if batch_dim_name not in mesh.axis_names:
            raise ValueError(
                f"ModelParallel: batch_dim_name {batch_dim_name!r} is not an axis of the mesh. "
                f"Expected one of {list(mesh.axis_names)}. Received: "
                f"batch_dim_name={batch_dim_name!r}."
            )
        super().__init__(mesh, batch_dim_name, auto_shard_dataset)
        self._layout_map = layout_map
        replicas = self.num_model_replicas
        if (self._is_multi_process and self.num_processes > replicas
                and self.num_processes % replicas):
            raise ValueError(
                f"ModelParallel: {self.num_processes} processes cannot share "
                f"{replicas} model replicas. Expected num_processes divisible by "
                f"num_model_replicas. Received: num_processes={self.num_processes}, "
                f"num_model_replicas={replicas}. Change the mesh's batch axis."
            )

    @property
    def layout_map(self) -> LayoutMap:
        """The `LayoutMap`."""
        return self._layout_map

    @property
    def num_model_replicas(self) -> int:
        return self.device_mesh.axis_size(self.batch_dim_name)

    def get_variable_layout(self, variable) -> TensorLayout:
        layout = getattr(variable, "_layout", None)
        if layout is None:
            layout = self._layout_map[variable.path]
        return layout if layout is not None else _replicated(variable, self.device_mesh)

    def get_tensor_layout(self, path):
        return self._layout_map[path]


def _in_trace(x) -> bool:
    return isinstance(x, jax.core.Tracer)


def distribute_tensor(tensor, layout):
    """Places `tensor` as `layout` says (inside a jitted function: a sharding constraint).

    Args:
        tensor: An array (or a traced value).
        layout: A `TensorLayout` or a `jax.sharding.Sharding`.

    Returns:
        The array with that layout (the same array when it already has it).

    Example:
        >>> import jax.numpy as jnp
        >>> mesh = DeviceMesh((1,), ["batch"], devices=["cpu:0"])
        >>> layout = TensorLayout(("batch", None), mesh)
        >>> x = distribute_tensor(jnp.ones((2, 3)), layout)
        >>> x.sharding.is_equivalent_to(layout.backend_layout, 2)
        True
    """
    if type(tensor).__name__ in ("SymbolicTensor", "KerasTensor"):
        return tensor  # a graph-building placeholder has no placement
    if isinstance(layout, TensorLayout):
        layout = layout.backend_layout
    if _in_trace(tensor):
        return jax.lax.with_sharding_constraint(tensor, layout)
    if isinstance(tensor, jax.Array) and isinstance(layout, jax.sharding.Sharding) \
            and tensor.sharding.is_equivalent_to(layout, tensor.ndim):
        return tensor
    return jax.device_put(tensor, layout)
