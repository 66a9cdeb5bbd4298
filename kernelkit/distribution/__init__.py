"""Data and model parallelism on `jax.sharding`, with Keras 3's `keras.distribution` API.

Example:
    >>> import kernelkit as kk
    >>> dp = kk.distribution.DataParallel(devices=kk.distribution.list_devices()[:1])
    >>> with dp.scope():
    ...     model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
    ...     kk.distribution.distribution() is dp
    True
    >>> model.weights[0].value.sharding.is_fully_replicated
    True
"""

from kernelkit.distribution.device_mesh import DeviceMesh, TensorLayout
from kernelkit.distribution.devices import get_device_count, initialize, list_devices
from kernelkit.distribution.distributions import (
    DataParallel,
    Distribution,
    ModelParallel,
    distribute_tensor,
    distribution,
    set_distribution,
)
from kernelkit.distribution.layout_map import LayoutMap

__all__ = ["DataParallel", "DeviceMesh", "Distribution", "LayoutMap", "ModelParallel",
           "TensorLayout", "distribute_tensor", "distribution", "get_device_count",
           "initialize", "list_devices", "set_distribution"]
