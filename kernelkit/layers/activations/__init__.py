"""Activation layers: ReLU, LeakyReLU, PReLU, ELU, Softmax."""

from kernelkit.layers.activations.elu import ELU
from kernelkit.layers.activations.leaky_relu import LeakyReLU
from kernelkit.layers.activations.prelu import PReLU
from kernelkit.layers.activations.relu import ReLU
from kernelkit.layers.activations.softmax import Softmax

__all__ = ["ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax"]
