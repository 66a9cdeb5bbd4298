"""The devices a distribution runs on: `list_devices`, `get_device_count`, `initialize`."""

from __future__ import annotations

import os

import jax
import numpy as np

__all__ = ["get_device_count", "initialize", "list_devices", "to_jax_device"]

_ENV_ADDRESSES = "KERAS_DISTRIBUTION_JOB_ADDRESSES"
_ENV_PROCESSES = "KERAS_DISTRIBUTION_NUM_PROCESSES"
_ENV_PROCESS_ID = "KERAS_DISTRIBUTION_PROCESS_ID"


def _backend(device_type):
    return device_type.lower() if device_type else None


def list_devices(device_type=None) -> list[str]:
    """The devices available for distributed computation, as `"platform:id"` strings.

    In a multi-process run these are the global devices (of every process). Without
    `device_type` the default platform is used (GPU or TPU when present, else CPU); the
    list never mixes platforms.

    Args:
        device_type: `"cpu"`, `"gpu"` or `"tpu"`, or None for the default platform.

    Returns:
        A list of strings such as `["cpu:0"]`.

    Example:
        >>> list_devices("cpu")[0]
        'cpu:0'
    """
    return [f"{d.platform}:{d.id}" for d in jax.devices(backend=_backend(device_type))]


def get_device_count(device_type=None) -> int:
    """How many devices of one platform there are (all processes together).

    Args:
        device_type: `"cpu"`, `"gpu"` or `"tpu"`, or None for the default platform.

    Returns:
        The number of devices.

    Example:
        >>> get_device_count("cpu") >= 1
        True
    """
    return jax.device_count(_backend(device_type))


def to_jax_device(device) -> jax.Device:
    """A `jax.Device` from a device or a `"platform:id"` string (`"cpu"` means `"cpu:0"`).

    Args:
        device: A `jax.Device` or a string.

    Returns:
        The `jax.Device`.

    Example:
        >>> to_jax_device("cpu:0").id
        0
    """
    if isinstance(device, jax.Device):
        return device
    name = str(device)
    platform, _, index = name.partition(":")
    for candidate in jax.devices(backend=platform):
        if candidate.id == int(index or 0):
            return candidate
    raise ValueError(
        f"DeviceMesh: device {name!r} does not exist. Expected one of {list_devices(platform)}. "
        f"Received: device={name!r}. Use names from kernelkit.distribution.list_devices()."
    )


def initialize(job_addresses=None, num_processes=None, process_id=None) -> None:
    """Joins this process to a multi-process (multi-host) run, over `jax.distributed`.

    Call it first, before any computation. Arguments left as None are read from the
    environment variables Keras 3 reads: `KERAS_DISTRIBUTION_JOB_ADDRESSES` (comma-separated
    addresses; the first one, process 0's, is the coordinator),
    `KERAS_DISTRIBUTION_NUM_PROCESSES` and `KERAS_DISTRIBUTION_PROCESS_ID`. On Cloud TPU all
    three may stay unset (JAX finds them itself). Afterwards every process continues from
    process 0's global random seed, so models built in each start with the same weights.

    Args:
        job_addresses: `"host:port"` of the coordinator, or every job's, comma-separated.
        num_processes: How many processes form the run.
        process_id: This process's index, `0` to `num_processes - 1`.

    Raises:
        ValueError: If several addresses are given and their count is not `num_processes`.

    Example:
        >>> import os
        >>> os.environ.get("KERAS_DISTRIBUTION_NUM_PROCESSES") is None  # one process here
        True
    """
    if job_addresses is None:
        job_addresses = os.environ.get(_ENV_ADDRESSES)
    if num_processes is None and _ENV_PROCESSES in os.environ:
        num_processes = int(os.environ[_ENV_PROCESSES])
    if process_id is None and _ENV_PROCESS_ID in os.environ:
        process_id = int(os.environ[_ENV_PROCESS_ID])
    coordinator = job_addresses
    if job_addresses and "," in job_addresses:
        addresses = [a.strip() for a in job_addresses.split(",")]
        if num_processes is not None and num_processes != len(addresses):
            raise ValueError(
                f"initialize: {len(addresses)} job addresses were given for "
                f"{num_processes} processes. Expected one address per process. Received: "
                f"job_addresses={job_addresses!r}, num_processes={num_processes}. Pass "
                "matching values (or only the coordinator's address)."
            )
        coordinator = addresses[0]
    jax.distributed.initialize(coordinator_address=coordinator, num_processes=num_processes,
                               process_id=process_id)
    _agree_on_seed()


def _agree_on_seed() -> None:
    """Every process continues from process 0's global seed, so weights start equal."""
    from jax.experimental import multihost_utils

    from kernelkit.random import draw_seed, set_random_seed

    seed = multihost_utils.broadcast_one_to_all(np.int32(draw_seed()))
    set_random_seed(int(seed))
