"""Models: `Model` (subclassed or functional), `Functional`, `Sequential`, config helpers."""

from kernelkit.models.functional import Functional
from kernelkit.models.model import Model
from kernelkit.models.sequential import Sequential
from kernelkit.models.serialization import clone_model, model_from_config, model_from_json
from kernelkit.saving.json_yaml import model_from_yaml
from kernelkit.saving.model_files import load_model, save_model

__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model", "model_from_config",
           "model_from_json", "model_from_yaml", "save_model"]
