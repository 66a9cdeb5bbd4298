"""Recurrent layers: cells, the `RNN` loop, SimpleRNN/LSTM/GRU, Bidirectional, TimeDistributed."""

from kernelkit.layers.rnn.bidirectional import Bidirectional
from kernelkit.layers.rnn.conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from kernelkit.layers.rnn.gru import GRU
from kernelkit.layers.rnn.gru_cell import GRUCell
from kernelkit.layers.rnn.lstm import LSTM
from kernelkit.layers.rnn.lstm_cell import LSTMCell
from kernelkit.layers.rnn.rnn import RNN
from kernelkit.layers.rnn.simple_rnn import SimpleRNN
from kernelkit.layers.rnn.simple_rnn_cell import SimpleRNNCell
from kernelkit.layers.rnn.stacked_rnn_cells import StackedRNNCells
from kernelkit.layers.rnn.time_distributed import TimeDistributed

__all__ = ["Bidirectional", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "GRU", "GRUCell", "LSTM",
           "LSTMCell", "RNN", "SimpleRNN", "SimpleRNNCell", "StackedRNNCells",
           "TimeDistributed"]
