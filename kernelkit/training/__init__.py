"""Training: compile, the pure jitted steps over a carried state, and the loops around them."""

from kernelkit.training.trainer import Trainer

__all__ = ["Trainer"]
