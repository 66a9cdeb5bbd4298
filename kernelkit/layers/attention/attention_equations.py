"""Einsum equations of multi-head attention: the projections and the attention products."""

from __future__ import annotations

import string

__all__ = ["attention_equations", "projection_equation"]

_LETTERS = string.ascii_lowercase


def projection_equation(free_dims: int, bound_dims: int, output_dims: int) -> tuple[str, str]:
    """The einsum equation of a projection and the letters of its bias axes.

    The input's last `bound_dims` axes are contracted with the kernel, whose remaining
    `output_dims` axes are appended to the `free_dims` leading axes of the input.

    Example:
        >>> projection_equation(2, 1, 2)
        ('abc,cde->abde', 'de')
    """
    free = _LETTERS[:free_dims]
    bound = _LETTERS[free_dims:free_dims + bound_dims]
    out = _LETTERS[free_dims + bound_dims:free_dims + bound_dims + output_dims]
    return f"{free}{bound},{bound}{out}->{free}{out}", out


def attention_equations(rank: int, attention_axes: tuple[int, ...]) -> tuple[str, str, int]:
    """Equations of the query-key product and of the value combination, and the score rank.

    Projected tensors are `(batch, <other axes>, <attention axes>, heads, channels)`; every
    axis but the attention axes and the channels is a batch axis of the product. Scores are
    `(<batch axes>, <query attention axes>, <key attention axes>)`.

    Example:
        >>> attention_equations(4, (1,))
        ('aecd,abcd->acbe', 'acbe,aecd->abcd', 4)
    """
    target = _LETTERS[:rank]
    batch_dims = [i for i in range(rank) if i not in attention_axes and i != rank - 1]
    source, offset = "", rank
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += _LETTERS[offset]
            offset += 1
    product = "".join([target[i] for i in batch_dims] + [target[i] for i in attention_axes]
                      + [source[i] for i in attention_axes])
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)
