"""Keras's quantized dtype policies, which kernelkit does not implement: each raises clearly.

kernelkit layers have no quantized kernels (`Dense.quantize`, int8/float8/int4/GPTQ/AWQ
weights), so these classes exist for `isinstance` checks and for clear errors when a config
or a name asks for one.
"""

from __future__ import annotations

from kernelkit.dtype_policies.dtype_policy import DTypePolicy
from kernelkit.registry import register_builtin

__all__ = ["AWQDTypePolicy", "GPTQDTypePolicy", "Int4DTypePolicy", "QuantizedDTypePolicy",
           "QuantizedFloat8DTypePolicy", "quantized_policy_from_name"]


@register_builtin("keras.dtype_policies")
class QuantizedDTypePolicy(DTypePolicy):
    """A quantized policy (`"int8_from_float32"`, ...): not implemented by kernelkit.

    Args:
        mode: The quantization mode (`"int8"`, `"float8"`, `"int4"`, ...).
        source_name: The float policy the quantized weights come from.

    Raises:
        NotImplementedError: always.

    Example:
        >>> QuantizedDTypePolicy("int8", "float32")
        Traceback (most recent call last):
        ...
        NotImplementedError: QuantizedDTypePolicy: quantized dtype policies are not ...
    """

    def __init__(self, mode, source_name=None, **kwargs):
        raise NotImplementedError(
            f"{type(self).__name__}: quantized dtype policies are not implemented by "
            "kernelkit (its layers have no quantized kernels). Expected a float policy. "
            f"Received: mode={mode!r}, source_name={source_name!r}. Use a float policy "
            "such as 'float32', 'mixed_bfloat16' or 'mixed_float16' instead."
        )


@register_builtin("keras.dtype_policies")
class QuantizedFloat8DTypePolicy(QuantizedDTypePolicy):
    """Float8 training policy (`"float8_from_float32"`): not implemented by kernelkit.

    Args:
        mode: The quantization mode, `"float8"`.
        source_name: The float policy the weights come from.
        amax_history_length: The length of the amax history window.

    Raises:
        NotImplementedError: always.

    Example:
        >>> QuantizedFloat8DTypePolicy("float8")
        Traceback (most recent call last):
        ...
        NotImplementedError: QuantizedFloat8DTypePolicy: quantized dtype policies are not ...
    """

    def __init__(self, mode, source_name=None, amax_history_length=1024):
        super().__init__(mode, source_name)


@register_builtin("keras.dtype_policies")
class Int4DTypePolicy(QuantizedDTypePolicy):
    """Int4 sub-channel policy (`"int4/128_from_float32"`): not implemented by kernelkit.

    Args:
        mode: `"int4/<block_size>"`.
        source_name: The float policy the weights come from.

    Raises:
        NotImplementedError: always.

    Example:
        >>> Int4DTypePolicy("int4/128")
        Traceback (most recent call last):
        ...
        NotImplementedError: Int4DTypePolicy: quantized dtype policies are not ...
    """

    def __init__(self, mode, source_name=None):
        super().__init__(mode, source_name)


@register_builtin("keras.dtype_policies")
class GPTQDTypePolicy(QuantizedDTypePolicy):
    """GPTQ policy (`"gptq/4/128_from_float32"`): not implemented by kernelkit.

    Args:
        mode: `"gptq/<weight_bits>/<group_size>"`.
        source_name: The float policy the weights come from.

    Raises:
        NotImplementedError: always.

    Example:
        >>> GPTQDTypePolicy("gptq/4/128")
        Traceback (most recent call last):
        ...
        NotImplementedError: GPTQDTypePolicy: quantized dtype policies are not ...
    """

    def __init__(self, mode, source_name=None):
        super().__init__(mode, source_name)


@register_builtin("keras.dtype_policies")
class AWQDTypePolicy(QuantizedDTypePolicy):
    """AWQ policy (`"awq/4/128_from_float32"`): not implemented by kernelkit.

    Args:
        mode: `"awq/<weight_bits>/<group_size>"`.
        source_name: The float policy the weights come from.

    Raises:
        NotImplementedError: always.

    Example:
        >>> AWQDTypePolicy("awq/4/128")
        Traceback (most recent call last):
        ...
        NotImplementedError: AWQDTypePolicy: quantized dtype policies are not ...
    """

    def __init__(self, mode, source_name=None):
        super().__init__(mode, source_name)


def quantized_policy_from_name(name: str):
    """The quantized policy a name such as `"int8_from_float32"` asks for (so: an error).

    Args:
        name: `"<mode>_from_<source policy>"`.

    Returns:
        Never returns: every quantized policy raises.

    Raises:
        ValueError: if the name is not `"<mode>_from_<source>"`.
        NotImplementedError: for a well-formed quantized policy name.

    Example:
        >>> quantized_policy_from_name("int8")
        Traceback (most recent call last):
        ...
        ValueError: DTypePolicy: unknown dtype policy 'int8'. ...
    """
    parts = name.split("_from_")
    if len(parts) != 2:
        raise ValueError(
            f"DTypePolicy: unknown dtype policy {name!r}. Expected a float policy such as "
            "'float32' or 'mixed_bfloat16', or a quantized '<mode>_from_<source>' name. "
            f"Received: name={name!r}. Pass a float policy name."
        )
    mode, source = parts
    kind = mode.split("/")[0]
    cls = {"gptq": GPTQDTypePolicy, "awq": AWQDTypePolicy, "float8": QuantizedFloat8DTypePolicy,
           "int4": Int4DTypePolicy if "/" in mode else QuantizedDTypePolicy}.get(
        kind, QuantizedDTypePolicy)
    return cls(mode, source)
