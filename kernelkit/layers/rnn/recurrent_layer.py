"""`RecurrentLayer`: an `RNN` built from its cell's arguments (base of SimpleRNN, LSTM, GRU)."""

from __future__ import annotations

from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.rnn.rnn import RNN
from kernelkit.registry import serialize

__all__ = ["RecurrentLayer"]

_CELL_OWN_KEYS = ("name", "trainable", "dtype")


class RecurrentLayer(RNN):
    """An `RNN` whose constructor takes the cell's arguments, as Keras's `LSTM` does.

    The cell is named `<cell_name>` (`lstm_cell`), so weights read `lstm/lstm_cell/kernel`;
    the config is flat (the cell's arguments next to the RNN's, no `cell` entry), and the
    cell's arguments read as attributes of the layer (`lstm.units`).

    Example:
        >>> from kernelkit.layers import GRU
        >>> GRU(3).units
        3
    """

    cell_class = None
    cell_name = None

    def __init__(self, cell_arguments, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, use_cudnn="auto", **kwargs):
        if use_cudnn not in ("auto", True, False):
            raise ValueError(
                f"{type(self).__name__}: `use_cudnn` must be 'auto', True or False. "
                f"Received: use_cudnn={use_cudnn!r}."
            )
        implementation = kwargs.pop("implementation", None)
        cell = self.cell_class(**cell_arguments, dtype=kwargs.get("dtype"),
                               trainable=kwargs.get("trainable", True), name=self.cell_name,
                               implementation=implementation)
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll, **kwargs)
        self.use_cudnn = use_cudnn  # accepted for Keras compatibility; XLA picks the kernels
        self.input_spec = InputSpec(ndim=3)

    def __getattr__(self, name):
        # the cell's arguments (units, activation, dropout, ...) read through the layer
        if name.startswith("_") or name in ("cell", "cell_class", "cell_name"):
            raise AttributeError(name)
        cell = self.__dict__.get("cell")
        if cell is not None and hasattr(cell, name):
            return getattr(cell, name)
        raise AttributeError(
            f"'{type(self).__name__}' object has no attribute '{name}'")

    def get_config(self):
        config = super().get_config()
        del config["cell"]
        cell_config = {k: v for k, v in self.cell.get_config().items()
                       if k not in _CELL_OWN_KEYS}
        return {**config, **cell_config,
                "activity_regularizer": serialize(self.activity_regularizer)}

    @classmethod
    def from_config(cls, config):
        return super(RNN, cls).from_config(config)
