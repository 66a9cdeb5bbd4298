"""`DeviceMesh` and `TensorLayout`: named device grids and per-axis layouts over them."""

from __future__ import annotations

import math

import jax
import numpy as np

from kernelkit.distribution.devices import list_devices, to_jax_device

__all__ = ["DeviceMesh", "TensorLayout"]


class DeviceMesh:
    """A grid of devices with named axes (a `jax.sharding.Mesh` underneath).

    Args:
        shape: The grid's shape, e.g. `(8,)` for data parallelism only or `(4, 2)` for data
            and model parallelism.
        axis_names: One name per axis of `shape`, e.g. `("batch", "model")`; layouts name
            these axes.
        devices: The devices (strings such as `"cpu:0"` or `jax.Device`s), as many as
            `shape` holds; defaults to `list_devices()`.

    Example:
        >>> mesh = DeviceMesh((1,), ["batch"], devices=["cpu:0"])
        >>> mesh
        <DeviceMesh shape=(1,), axis_names=['batch']>
        >>> mesh.backend_mesh.axis_names
        ('batch',)
    """

    def __init__(self, shape, axis_names, devices=None):
        if not shape or not axis_names:
            raise ValueError(
                "DeviceMesh: `shape` and `axis_names` cannot be empty. Expected e.g. "
                f"shape=(8,), axis_names=['batch']. Received: shape={shape}, "
                f"axis_names={axis_names}."
            )
        if len(shape) != len(axis_names):
            raise ValueError(
                "DeviceMesh: `shape` and `axis_names` have different lengths. Expected one "
                f"name per axis. Received: shape={shape}, axis_names={axis_names}."
            )
        if devices is None:
            devices = list_devices()
        devices = np.array(devices, dtype=object)
        wanted = math.prod(shape)
        if wanted != devices.size:
            hint = ("Use a smaller mesh, or more devices (on CPU: XLA_FLAGS="
                    f"--xla_force_host_platform_device_count={wanted} before JAX starts)."
                    if wanted > devices.size else "Pass as many devices as the mesh holds.")
            raise ValueError(
                f"DeviceMesh: a mesh of shape {tuple(shape)} needs {wanted} devices, but "
                f"{devices.size} are given. Expected shape to hold exactly the devices. "
                f"Received: shape={shape}, devices of shape {devices.shape}. {hint}"
            )
        self._shape = shape
        self._axis_names = axis_names
        self._devices = np.reshape(devices, shape)
        self._backend_mesh = None

    @property
    def shape(self):
        """The grid's shape, as given."""
        return self._shape

    @property
    def axis_names(self):
        """The axis names, as given."""
        return self._axis_names

    @property
    def devices(self) -> np.ndarray:
        """The devices as an array of `shape`."""
        return self._devices

    @property
    def backend_mesh(self) -> jax.sharding.Mesh:
        """The `jax.sharding.Mesh` of this grid."""
        if self._backend_mesh is None:
            flat = [to_jax_device(d) for d in self._devices.flatten()]
            grid = np.array(flat, dtype=object).reshape(self._devices.shape)
            self._backend_mesh = jax.sharding.Mesh(grid, tuple(self._axis_names))
        return self._backend_mesh

    def axis_size(self, name) -> int:
        """The number of devices along axis `name`.

        Args:
            name: An axis name.

        Returns:
            The axis's length.
        """
        return int(self._shape[list(self._axis_names).index(name)])

    def __repr__(self) -> str:
        return f"<{type(self).__name__} shape={self.shape}, axis_names={self.axis_names}>"

    __str__ = __repr__


class TensorLayout:
    """How one tensor is laid out on a mesh: per tensor axis, a mesh axis name or None.

    Args:
        axes: One entry per tensor axis: the name of the mesh axis it is split along, or
            None to keep it whole on each device.
        device_mesh: The `DeviceMesh`; it may be set once later (a `LayoutMap` sets it).

    Example:
        >>> mesh = DeviceMesh((1,), ["model"], devices=["cpu:0"])
        >>> layout = TensorLayout((None, "model"), mesh)
        >>> layout.axes, layout.backend_layout.spec
        ((None, 'model'), P(None, 'model'))
    """

    def __init__(self, axes, device_mesh=None):
        self._axes = tuple(axes)
        self._device_mesh = device_mesh
        self._backend_layout = None
        self._validate_axes()

    @property
    def axes(self) -> tuple:
        """The per-axis mesh axis names (or None)."""
        return self._axes

    @property
    def device_mesh(self):
        """The `DeviceMesh` (None until set); it can be set once."""
        return self._device_mesh

    @device_mesh.setter
    def device_mesh(self, device_mesh) -> None:
        if self._device_mesh is not None:
            raise ValueError(
                f"TensorLayout: the device mesh is already set to {self._device_mesh}. "
                "Expected a layout without a mesh. Received: "
                f"device_mesh={device_mesh}. Make a new TensorLayout for another mesh."
            )
        self._device_mesh = device_mesh
        self._validate_axes()

    @property
    def backend_layout(self) -> jax.sharding.NamedSharding:
        """The `jax.sharding.NamedSharding` of this layout (needs the mesh)."""
        if self._device_mesh is None:
            raise ValueError(
                f"TensorLayout: cannot make a sharding for axes={self._axes} without a device "
                "mesh. Expected a layout with a DeviceMesh. Received: device_mesh=None. Pass "
                "device_mesh=, or put the layout in a LayoutMap."
            )
        if self._backend_layout is None:
            spec = jax.sharding.PartitionSpec(*self._axes)
            self._backend_layout = jax.sharding.NamedSharding(self._device_mesh.backend_mesh,
                                                              spec)
        return self._backend_layout

    def _validate_axes(self) -> None:
        if self._device_mesh is None:
            return
        valid = set(self._device_mesh.axis_names)
        unknown = {a for a in self._axes if a is not None} - valid
        if unknown:
            raise ValueError(
                f"TensorLayout: axis names {sorted(unknown)} are not axes of the mesh. "
                f"Expected names from {list(self._device_mesh.axis_names)} or None. "
                f"Received: axes={self._axes}."
            )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} axes={self.axes}, device_mesh={self.device_mesh}>"

    __str__ = __repr__
