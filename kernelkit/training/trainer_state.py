"""`TrainerState`: what a model remembers about training, outside its NNX graph."""

from __future__ import annotations

__all__ = ["TrainerState"]


class TrainerState:
    """Compile settings, cached step functions, optimizer state and the running loop.

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
        self.stop_requested = False
        self.history = None
        self.output_names = None
        self.data_seen = False
        self.loop = None
        self.opt_state = None  # (parameter keys, optax state)
        self.step_functions = None
        self.bound = {}  # kind -> BoundStepFunction over step_functions
        self.builds = {"train": 0, "test": 0, "predict": 0}
        self.predict_cache = None
        self.forward_cache = None

    def __deepcopy__(self, memo):
        return TrainerState()

    def reset_compiled(self) -> None:
        self.clear_functions()
        self.opt_state = None
        self.data_seen = False

    def clear_functions(self) -> None:
        self.forward_cache = None
        self.step_functions = None
        self.bound = {}
        self.predict_cache = None

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

    def opt_state_for(self, optimizer, partition, params: dict):
        """The optimizer state for these parameters: kept from earlier training, or fresh."""
        keys = tuple(partition.param_keys)
        if self.opt_state is None or self.opt_state[0] != keys:
            self.opt_state = (keys, optimizer.transform.init(params))
        return self.opt_state[1]

    def get_opt_state(self):
        return None if self.opt_state is None else self.opt_state[1]

    def set_opt_state(self, state) -> None:
        if self.opt_state is not None:
            self.opt_state = (self.opt_state[0], state)
