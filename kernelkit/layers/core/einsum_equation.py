"""`EinsumEquation`: parses an `EinsumDense` equation and derives the weight and output shapes."""

from __future__ import annotations

import re

__all__ = ["EinsumEquation"]

_LETTERS = "[a-zA-Z]"
_FORMS = (
    (None, re.compile(rf"({_LETTERS}+),({_LETTERS}+)->({_LETTERS}+)")),
    ("left", re.compile(rf"\.\.\.({_LETTERS}+),({_LETTERS}+)->\.\.\.({_LETTERS}+)")),
    ("right", re.compile(rf"({_LETTERS}{{2,}})\.\.\.,({_LETTERS}+)->({_LETTERS}+)\.\.\.")),
)


class EinsumEquation:
    """The three operand specs of `"<input>,<kernel>-><output>"` and where `...` stands.

    Args:
        equation: `"ab,bc->ac"`, `"...ab,bc->...ac"` or `"ab...,bc->ac..."`.
        bias_axes: Letters of the output spec that get a bias, or `None`.
        who: The layer's description for error messages (`"EinsumDense 'name'"`).

    Example:
        >>> eq = EinsumEquation("ab,bc->ac", "c", "EinsumDense 'e'")
        >>> eq.shapes((None, 3), (4,))[:3]
        ((3, 4), (4,), (None, 4))
    """

    def __init__(self, equation, bias_axes, who):
        self.who = who
        match, ellipsis = None, None
        if isinstance(equation, str):
            found = [(form, m) for form, pattern in _FORMS
                     if (m := pattern.fullmatch(equation.replace(" ", "")))]
            if found:
                ellipsis, match = found[0]
        if match is None:
            raise ValueError(
                f"{who}: invalid einsum `equation`. Expected the form 'ab,bc->ac', "
                f"'...ab,bc->...ac' or 'ab...,bc->ac...'. Received: equation={equation!r}. "
                "Write the input, kernel and output axes as letters."
            )
        self.input_spec, self.weight_spec, self.output_spec = match.groups()
        self.ellipsis = ellipsis
        for dim in self.output_spec:
            if dim not in self.input_spec and dim not in self.weight_spec:
                raise ValueError(
                    f"{who}: output axis {dim!r} appears in neither the input spec "
                    f"{self.input_spec!r} nor the kernel spec {self.weight_spec!r}. Expected "
                    f"every output axis to come from an operand. Received: equation={equation!r}."
                )
        for dim in self.weight_spec:
            if dim not in self.input_spec and dim not in self.output_spec:
                raise ValueError(
                    f"{who}: kernel axis {dim!r} appears in neither the input spec "
                    f"{self.input_spec!r} nor the output spec {self.output_spec!r}, so its size "
                    f"is unknown. Received: equation={equation!r}."
                )
        if bias_axes is not None:
            bad = [c for c in bias_axes if c not in self.output_spec] if isinstance(
                bias_axes, str) else [bias_axes]
            if bad or not bias_axes:
                raise ValueError(
                    f"{who}: `bias_axes` must be letters of the output spec "
                    f"{self.output_spec!r}. Received: bias_axes={bias_axes!r}."
                )
        self.bias_axes = bias_axes

    def shapes(self, input_shape, partial_output_shape):
        """Returns `(kernel_shape, bias_shape, output_shape, input_axes, output_axes)`.

        `partial_output_shape` leaves out the batch axis and the axes under `...`; its `None`
        entries are filled from the input where the axis is shared.
        """
        input_shape = tuple(input_shape)
        elided = len(input_shape) - len(self.input_spec)
        if (self.ellipsis is None and elided != 0) or elided < 0:
            at_least = "at least " if self.ellipsis else ""
            raise ValueError(
                f"{self.who}: the equation's input spec {self.input_spec!r} expects inputs of "
                f"rank {at_least}{len(self.input_spec)}, but received input_shape={input_shape}. "
                "Reshape the input or change the equation."
            )
        partial = list(partial_output_shape)
        if self.ellipsis == "left":
            # batch and the other leading axes are under `...`; the output spec covers the rest
            output = [*input_shape[:elided], *partial]
            out_index = {d: elided + i for i, d in enumerate(self.output_spec)}
            in_index = {d: elided + i for i, d in enumerate(self.input_spec)}
        else:
            output = [input_shape[0], *partial, *input_shape[len(self.input_spec):]]
            out_index = {d: i for i, d in enumerate(self.output_spec)}
            in_index = {d: i for i, d in enumerate(self.input_spec)}
        if len(partial) != len(self.output_spec) - (self.ellipsis != "left"):
            expected = len(self.output_spec) - (self.ellipsis != "left")
            raise ValueError(
                f"{self.who}: `output_shape` must have one entry per output axis after the "
                f"batch axis ({expected} for output spec {self.output_spec!r}). "
                f"Received: output_shape={tuple(partial_output_shape)}."
            )
        for dim, i in in_index.items():
            if dim not in out_index:
                continue
            j = out_index[dim]
            if output[j] is None:
                output[j] = input_shape[i]
            elif input_shape[i] is not None and output[j] != input_shape[i]:
                raise ValueError(
                    f"{self.who}: input and output shapes disagree on shared axis {dim!r}. "
                    f"Expected output_shape to have {input_shape[i]} there. Received: "
                    f"input_shape={input_shape}, output_shape={tuple(partial_output_shape)}."
                )
        kernel, input_axes, output_axes = [], [], []
        for k, dim in enumerate(self.weight_spec):
            if dim in out_index:
                size = output[out_index[dim]]
                output_axes.append(k)
            else:
                size = input_shape[in_index[dim]]
                input_axes.append(k)
            if size is None:
                raise ValueError(
                    f"{self.who}: the size of kernel axis {dim!r} is unknown. Expected it fixed "
                    f"by the input shape or by `output_shape`. Received: input_shape={input_shape}"
                    f", output_shape={tuple(partial_output_shape)}."
                )
            kernel.append(size)
        return (tuple(kernel), self._bias_shape(output, out_index, elided), tuple(output),
                input_axes, output_axes)

    def _bias_shape(self, output, out_index, elided):
        if self.bias_axes is None:
            return None
        first = min(self.output_spec.index(c) for c in self.bias_axes)
        shape = []
        for dim in self.output_spec[first:]:
            size = output[out_index[dim]] if dim in self.bias_axes else 1
            if size is None:
                raise ValueError(
                    f"{self.who}: the size of bias axis {dim!r} is unknown. Expected it fixed "
                    "by the input shape or by `output_shape`. Received: "
                    f"output_shape={tuple(output)}."
                )
            shape.append(size)
        if self.ellipsis == "right":
            shape.extend([1] * elided)
        return tuple(shape)
