"""`TrainerState`: what a model remembers about training, outside its NNX graph."""

from __future__ import annotations

from kernelkit.training.interrupt import StopSignal
from kernelkit.training.optimizer_state import OptimizerStateRef

__all__ = ["TrainerState"]


class TrainerState:
    """Compile settings, cached step functions, the optimizer state and the running session.

    Held by the model as a plain (static) attribute: none of it is model state, and copies of a
    model start uncompiled.
    """

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.args = {"loss_weights": None, "metrics_arg": None, "weighted_metrics": None,
                     "auto_scale_loss": True}
        self.run_eagerly = False
        self.jit_compile = "auto"
        self.steps_per_execution = "auto"
        self.stop_training = False
        self.stop_signal = StopSignal()
        self.history = None
        self.output_names = None
        self.data_seen = False
        self.prepared_for = None  # the data spec of the last `prepare_for_data`
        self.session = None  # the running TrainingSession
        self.optimizer_state = OptimizerStateRef()
        self.step_functions = None
        self.bound = {}  # kind -> BoundStepFunction over step_functions
        self.builds = {"train": 0, "test": 0, "predict": 0}
        self.forward_cache = None

    def __deepcopy__(self, memo):
        return TrainerState()

    def reset_compiled(self) -> None:
        self.clear_functions()
        self.optimizer_state.clear()
        self.data_seen = False
        self.prepared_for = None

    def clear_functions(self) -> None:
        self.forward_cache = None
        self.step_functions = None
        self.bound = {}

    def functions(self, model, force=False, counter="train"):
        """The cached step functions of one kind (`counter`: train, test or predict), rebuilt
        after compile, on `force`, or when the model's structure changed."""
        from kernelkit.training.step_functions import BoundStepFunction, StepFunctions

        fns = self.step_functions
        if force or fns is None or not fns.matches(model):
            jit = not self.run_eagerly and self.jit_compile is not False
            fns = StepFunctions(model, self.optimizer, jit=jit)
            self.step_functions = fns
            self.bound = {}
            self.builds[counter] += 1
        if counter not in self.bound:
            self.bound[counter] = BoundStepFunction(model, fns, counter)
        return self.bound[counter]
