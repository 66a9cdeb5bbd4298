"""Models: `Model` (subclassed or functional), `Functional`, `Sequential`, config helpers."""

from kernelkit.models.functional import Functional
from kernelkit.models.model import Model
from kernelkit.models.sequential import Sequential
from kernelkit.models.serialization import clone_model, model_from_config, model_from_json

__all__ = ["Functional", "Model", "Sequential", "clone_model", "model_from_config",
           "model_from_json"]
