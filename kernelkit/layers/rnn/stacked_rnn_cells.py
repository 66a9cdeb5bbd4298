"""`StackedRNNCells`: several recurrent cells run as one cell, each feeding the next."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.errors import describe
from kernelkit.layers.layer import Layer
from kernelkit.layers.rnn.rnn_cell import RNNCell
from kernelkit.registry import deserialize, register_builtin, serialize

__all__ = ["StackedRNNCells"]


@register_builtin("keras.layers")
class StackedRNNCells(RNNCell):
    """Wraps a list of cells so that `RNN` runs them as one: at each time step, cell `i`'s
    output is cell `i + 1`'s input, and the output is the last cell's.

    The states are the cells' states one after the other (`[h_1, h_2, c_2]` for a
    `SimpleRNNCell` then an `LSTMCell`). The whole stack compiles into one loop; each cell
    draws its dropout masks once per sequence, as it does alone.

    Args:
        cells: A list of built-in recurrent cells (`SimpleRNNCell`, `LSTMCell`, `GRUCell`).
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Raises:
        TypeError: If a cell is not a kernelkit recurrent cell.

    Input shape:
        `inputs` `(batch, features)` and the flat list of states.

    Output shape:
        `(output, new_states)` with the last cell's output.

    Example:
        >>> import jax.numpy as jnp
        >>> from kernelkit.layers import RNN, LSTMCell, SimpleRNNCell
        >>> cells = StackedRNNCells([SimpleRNNCell(4), LSTMCell(3)])
        >>> RNN(cells, return_sequences=True)(jnp.ones((2, 5, 6))).shape
        (2, 5, 3)
    """

    def __init__(self, cells, **kwargs):
        Layer.__init__(self, **kwargs)  # RNNCell's own arguments describe one cell
        bad = [c for c in cells if not isinstance(c, RNNCell)]
        if not cells or bad:
            raise TypeError(
                f"StackedRNNCells '{self.name}': every cell must be a kernelkit recurrent cell "
                f"(SimpleRNNCell, LSTMCell, GRUCell). Received: "
                f"{describe(bad[0]) if bad else 'an empty list'}. Stack recurrent layers "
                "(with return_sequences=True) to combine other cells."
            )
        self.cells = list(cells)

    @property
    def state_size(self) -> list:
        sizes = []
        for cell in self.cells:
            size = cell.state_size
            sizes.extend([size] if isinstance(size, int) else size)
        return sizes

    @property
    def output_size(self) -> int:
        return self.cells[-1].output_size

    def get_initial_state(self, batch_size=None) -> list:
        return [s for cell in self.cells for s in cell.get_initial_state(batch_size)]

    def build(self, input_shape):
        for cell in self.cells:
            cell._maybe_build(tuple(input_shape))
            input_shape = (input_shape[0], cell.output_size)

    @staticmethod
    def _split(flat, counts):
        out, start = [], 0
        for n in counts:
            out.append(list(flat[start:start + n]))
            start += n
        return out

    def dropout_masks(self, inputs, state, training=None):
        input_masks, recurrent_masks = [], []
        x = inputs
        for cell in self.cells:
            h = jnp.zeros((inputs.shape[0], cell.units), inputs.dtype)
            m_in, m_rec = cell.dropout_masks(x, h, training)
            input_masks.append(m_in)
            recurrent_masks.append(m_rec)
            x = h
        return tuple(input_masks), tuple(recurrent_masks)

    def weight_arrays(self) -> list:
        return [w for cell in self.cells for w in cell.weight_arrays()]

    def step_config(self) -> tuple:
        return tuple((type(cell).step_function, cell.step_config(), cell.state_count,
                      len(cell.weight_arrays())) for cell in self.cells)

    @staticmethod
    def step_function(config, weights, inputs, states, input_masks, recurrent_masks):
        cell_weights = StackedRNNCells._split(weights, [c[3] for c in config])
        cell_states = StackedRNNCells._split(states, [c[2] for c in config])
        new_states = []
        x = inputs
        for (step, cell_config, _, _), w, s, m_in, m_rec in zip(
                config, cell_weights, cell_states, input_masks, recurrent_masks):
            x, s = step(cell_config, w, x, s, m_in, m_rec)
            new_states.extend(s)
        return x, new_states

    def call(self, inputs, states, training=None, dropout_masks=None):
        states = list(states) if isinstance(states, list | tuple) else [states]
        if dropout_masks is None:
            dropout_masks = self.dropout_masks(inputs, states[0], training)
        weights = [None if w is None else w.astype(self.compute_dtype)
                   for w in self.weight_arrays()]
        return self.step_function(self.step_config(), weights, inputs, states, *dropout_masks)

    def get_config(self):
        return {**Layer.get_config(self), "cells": [serialize(c) for c in self.cells]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cells = [deserialize(c, module="keras.layers", custom_objects=custom_objects,
                             where="StackedRNNCells cell") for c in config.pop("cells")]
        return cls(cells, **config)
