"""Global settings (Keras's `keras.config`): numeric defaults, image layout, logging, limits.

Every switch here is read where it acts: layers read `image_data_format()` for
`data_format=None`, the progress bar reads `is_interactive_logging_enabled()`, `load_model`
reads the unsafe-deserialization switch, and `fit()` caps its epochs and steps with
`max_epochs()` and `max_steps_per_epoch()`.
"""

from __future__ import annotations

import os

__all__ = ["backend", "disable_flash_attention", "disable_interactive_logging",
           "disable_traceback_filtering", "dtype_policy", "enable_flash_attention",
           "enable_interactive_logging", "enable_traceback_filtering",
           "enable_unsafe_deserialization", "epsilon", "floatx", "image_data_format",
           "is_flash_attention_enabled", "is_interactive_logging_enabled", "is_nnx_enabled",
           "is_traceback_filtering_enabled", "is_unsafe_deserialization_enabled", "max_epochs",
           "max_steps_per_epoch", "register_policy_resolver", "reset_switches", "set_backend",
           "set_dtype_policy", "set_epsilon", "set_floatx", "set_image_data_format",
           "set_max_epochs", "set_max_steps_per_epoch"]

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_VALID_FLOATX = ("float16", "bfloat16", "float32", "float64")
_DATA_FORMATS = ("channels_first", "channels_last")
_POLICIES = ("float16", "bfloat16", "float32", "float64", "mixed_float16", "mixed_bfloat16")
_DTYPE_POLICY = None  # a DTypePolicy (a name before kernelkit.dtype_policies loads), or None
_POLICY_RESOLVER = None
_POLICY_CLASS = None
_DEFAULT_SWITCHES = {"interactive_logging": True, "traceback_filtering": True,
                     "flash_attention": None, "unsafe_deserialization": False}
_SWITCHES = dict(_DEFAULT_SWITCHES)
# As in Keras, the caps can come from the environment, for quick debugging runs.
_MAX_EPOCHS = int(os.environ["KERAS_MAX_EPOCHS"]) if "KERAS_MAX_EPOCHS" in os.environ else None
_MAX_STEPS_PER_EPOCH = (int(os.environ["KERAS_MAX_STEPS_PER_EPOCH"])
                        if "KERAS_MAX_STEPS_PER_EPOCH" in os.environ else None)


def floatx() -> str:
    """Returns the default float dtype name (`"float32"` unless changed).

    Example:
        >>> floatx()
        'float32'
    """
    return _FLOATX


def set_floatx(value: str) -> None:
    """Sets the default float dtype name (the dtype of new weights and random draws).

    Args:
        value: `"bfloat16"`, `"float16"`, `"float32"` or `"float64"`.

    Raises:
        ValueError: for any other value.

    Example:
        >>> set_floatx("float64"); floatx()
        'float64'
        >>> set_floatx("float32")
    """
    global _FLOATX
    if value not in _VALID_FLOATX:
        raise ValueError(
            f"set_floatx: unknown float type. Expected one of {_VALID_FLOATX}. "
            f"Received: value={value!r}."
        )
    _FLOATX = str(value)


def epsilon() -> float:
    """Returns the fuzz factor used in numeric expressions (default `1e-7`).

    Example:
        >>> epsilon()
        1e-07
    """
    return _EPSILON


def set_epsilon(value: float) -> None:
    """Sets the fuzz factor used in numeric expressions.

    Args:
        value: The new epsilon.

    Example:
        >>> set_epsilon(1e-5); epsilon()
        1e-05
        >>> set_epsilon(1e-7)
    """
    global _EPSILON
    _EPSILON = float(value)


def image_data_format() -> str:
    """Returns the default image layout of layers and image ops (`"channels_last"` unless set).

    Example:
        >>> image_data_format()
        'channels_last'
    """
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format: str) -> None:
    """Sets the image layout that layers built with `data_format=None` use from now on.

    Args:
        data_format: `"channels_last"` (`(batch, height, width, channels)`) or
            `"channels_first"` (`(batch, channels, height, width)`), in any case.

    Raises:
        ValueError: for any other value.

    Example:
        >>> set_image_data_format("channels_first"); image_data_format()
        'channels_first'
        >>> set_image_data_format("channels_last")
    """
    global _IMAGE_DATA_FORMAT
    fmt = str(data_format).lower()
    if fmt not in _DATA_FORMATS:
        raise ValueError(
            f"set_image_data_format: unknown data format. Expected one of {_DATA_FORMATS}. "
            f"Received: data_format={data_format!r}."
        )
    _IMAGE_DATA_FORMAT = fmt


def dtype_policy():
    """Returns the global dtype policy of new layers, a `DTypePolicy` (`floatx()` unless set).

    Example:
        >>> dtype_policy()
        <DTypePolicy "float32">
    """
    if _DTYPE_POLICY is not None:
        return _DTYPE_POLICY
    return _POLICY_CLASS(_FLOATX) if _POLICY_CLASS is not None else _FLOATX


def set_dtype_policy(policy) -> None:
    """Sets the global dtype policy, e.g. `"mixed_bfloat16"` or `"mixed_float16"`.

    Args:
        policy: A `DTypePolicy`, its name, or `None` to go back to `floatx()`.

    Raises:
        ValueError: for a value that is not a dtype policy.

    Example:
        >>> set_dtype_policy("mixed_bfloat16"); dtype_policy().name
        'mixed_bfloat16'
        >>> set_dtype_policy(None); dtype_policy().name
        'float32'
    """
    global _DTYPE_POLICY
    if policy is None:
        _DTYPE_POLICY = None
    elif _POLICY_RESOLVER is not None:
        _DTYPE_POLICY = _POLICY_RESOLVER(policy)
    else:  # kernelkit.dtype_policies not imported yet: keep a validated name
        name = getattr(policy, "name", policy)
        if name not in _POLICIES:
            raise ValueError(
                f"set_dtype_policy: unknown dtype policy. Expected one of {_POLICIES} or None. "
                f"Received: policy={policy!r}."
            )
        _DTYPE_POLICY = name


def register_policy_resolver(resolver, policy_class) -> None:
    """Lets `kernelkit.dtype_policies` (which sits above this module) build policy objects.

    Args:
        resolver: A function from a policy or its name to a `DTypePolicy`.
        policy_class: The `DTypePolicy` class, called with `floatx()` for the default policy.

    Example:
        >>> from kernelkit.dtype_policies import DTypePolicy
        >>> isinstance(dtype_policy(), DTypePolicy)
        True
    """
    global _POLICY_RESOLVER, _POLICY_CLASS, _DTYPE_POLICY
    _POLICY_RESOLVER, _POLICY_CLASS = resolver, policy_class
    if isinstance(_DTYPE_POLICY, str):
        _DTYPE_POLICY = resolver(_DTYPE_POLICY)


def backend() -> str:
    """The name of the backend: always `"jax"`.

    Example:
        >>> backend()
        'jax'
    """
    return "jax"


def set_backend(backend: str) -> None:
    """Accepts only `"jax"`: kernelkit runs on JAX (Keras can switch backends; kernelkit can't).

    Args:
        backend: The backend name.

    Raises:
        ValueError: for any backend but `"jax"`.

    Example:
        >>> set_backend("jax")
        >>> set_backend("torch")
        Traceback (most recent call last):
        ...
        ValueError: set_backend: kernelkit runs only on JAX. Expected 'jax'. Received: backend='torch'. Use Keras itself for other backends.
    """  # noqa: E501
    if backend != "jax":
        raise ValueError(
            "set_backend: kernelkit runs only on JAX. Expected 'jax'. "
            f"Received: backend={backend!r}. Use Keras itself for other backends."
        )


def is_nnx_enabled() -> bool:
    """Whether layers are Flax NNX modules: always True in kernelkit.

    Example:
        >>> is_nnx_enabled()
        True
    """
    return True


def enable_interactive_logging() -> None:
    """Writes progress bars and messages to stdout (the default).

    Example:
        >>> enable_interactive_logging(); is_interactive_logging_enabled()
        True
    """
    _SWITCHES["interactive_logging"] = True


def disable_interactive_logging() -> None:
    """Sends progress output to Python `logging` (logger `"kernelkit"`, level INFO) instead.

    Example:
        >>> disable_interactive_logging(); is_interactive_logging_enabled()
        False
        >>> enable_interactive_logging()
    """
    _SWITCHES["interactive_logging"] = False


def is_interactive_logging_enabled() -> bool:
    """Whether progress output goes to stdout (True) or to Python `logging` (False).

    Example:
        >>> is_interactive_logging_enabled()
        True
    """
    return _SWITCHES["interactive_logging"]


def enable_traceback_filtering() -> None:
    """Turns traceback filtering on (Keras's default; kept as a setting in kernelkit).

    Example:
        >>> enable_traceback_filtering(); is_traceback_filtering_enabled()
        True
    """
    _SWITCHES["traceback_filtering"] = True


def disable_traceback_filtering() -> None:
    """Turns traceback filtering off.

    Example:
        >>> disable_traceback_filtering(); is_traceback_filtering_enabled()
        False
        >>> enable_traceback_filtering()
    """
    _SWITCHES["traceback_filtering"] = False


def is_traceback_filtering_enabled() -> bool:
    """Whether traceback filtering is on (default True).

    Example:
        >>> is_traceback_filtering_enabled()
        True
    """
    return _SWITCHES["traceback_filtering"]


def enable_flash_attention() -> None:
    """Lets attention layers use flash attention where available (back to the default, None).

    Example:
        >>> enable_flash_attention(); is_flash_attention_enabled() is None
        True
    """
    _SWITCHES["flash_attention"] = None


def disable_flash_attention() -> None:
    """Forbids flash attention in attention layers.

    Example:
        >>> disable_flash_attention(); is_flash_attention_enabled()
        False
        >>> enable_flash_attention()
    """
    _SWITCHES["flash_attention"] = False


def is_flash_attention_enabled():
    """`None` (use it when available, the default) or `False` (disabled), as in Keras.

    Example:
        >>> is_flash_attention_enabled() is None
        True
    """
    return _SWITCHES["flash_attention"]


def enable_unsafe_deserialization() -> None:
    """Lets loading run Python bytecode from configs (`Lambda` layers): `safe_mode` is off.

    After this call `load_model` and `from_config` accept lambdas even when called with
    `safe_mode=True`, as in Keras. Only do this for files you trust.

    Example:
        >>> enable_unsafe_deserialization(); is_unsafe_deserialization_enabled()
        True
        >>> reset_switches()
    """
    _SWITCHES["unsafe_deserialization"] = True


def is_unsafe_deserialization_enabled() -> bool:
    """Whether `enable_unsafe_deserialization()` was called (safe mode off everywhere).

    Example:
        >>> is_unsafe_deserialization_enabled()
        False
    """
    return _SWITCHES["unsafe_deserialization"]


def reset_switches() -> None:
    """Puts the session switches back to their defaults (what `clear_session()` resets).

    Interactive logging, traceback filtering, flash attention and unsafe deserialization go
    back to their defaults, as Keras's `clear_session` resets them; `floatx`, `epsilon`, the
    image layout and the fit caps stay.

    Example:
        >>> disable_interactive_logging(); reset_switches(); is_interactive_logging_enabled()
        True
    """
    _SWITCHES.clear()
    _SWITCHES.update(_DEFAULT_SWITCHES)


def _check_cap(value, who: str):
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                              or value < 1):
        raise ValueError(
            f"{who}: the cap must be a positive integer or None. Expected an int >= 1. "
            f"Received: {who.removeprefix('set_')}={value!r}."
        )
    return value


def set_max_epochs(max_epochs) -> None:
    """Caps the number of epochs of every `fit()` (None: no cap), for quick debugging runs.

    Args:
        max_epochs: A positive int, or None. Also read from `KERAS_MAX_EPOCHS` at import.

    Raises:
        ValueError: for anything else.

    Example:
        >>> set_max_epochs(2); max_epochs()
        2
        >>> set_max_epochs(None)
    """
    global _MAX_EPOCHS
    _MAX_EPOCHS = _check_cap(max_epochs, "set_max_epochs")


def max_epochs():
    """The cap on `fit()`'s epochs, or None.

    Example:
        >>> max_epochs() is None
        True
    """
    return _MAX_EPOCHS


def set_max_steps_per_epoch(max_steps_per_epoch) -> None:
    """Caps the steps of each `fit()` epoch (None: no cap), for quick debugging runs.

    Args:
        max_steps_per_epoch: A positive int, or None. Also read from
            `KERAS_MAX_STEPS_PER_EPOCH` at import.

    Raises:
        ValueError: for anything else.

    Example:
        >>> set_max_steps_per_epoch(3); max_steps_per_epoch()
        3
        >>> set_max_steps_per_epoch(None)
    """
    global _MAX_STEPS_PER_EPOCH
    _MAX_STEPS_PER_EPOCH = _check_cap(max_steps_per_epoch, "set_max_steps_per_epoch")


def max_steps_per_epoch():
    """The cap on the steps of each `fit()` epoch, or None.

    Example:
        >>> max_steps_per_epoch() is None
        True
    """
    return _MAX_STEPS_PER_EPOCH
