"""`Trainer`: the Keras training API of `Model` (compile, fit, evaluate, predict, hooks)."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Container
from typing import TYPE_CHECKING, Any

from kernelkit.errors import NotCompiledError
from kernelkit.training import compile as compile_lib
from kernelkit.training import default_steps
from kernelkit.training.legacy_methods import LegacyMethods
from kernelkit.training.metric_tracking import tracked_metrics
from kernelkit.training.overrides import default_method
from kernelkit.training.session import TrainerState, TrainingSession
from kernelkit.training.step_methods import StepMethods

if TYPE_CHECKING:  # annotations only: no import at run time
    from kernelkit.callbacks import History
    from kernelkit.training.lr_finder import LearningRateFinderResult

__all__ = ["Trainer"]


class Trainer(StepMethods, LegacyMethods):
    """Mixin of `Model`: training, evaluation and inference on the compiled pure steps."""

    _compile_loss = None
    _compile_metrics = None
    _loss_tracker = None

    # ---- compile ------------------------------------------------------------------------------

    @property
    def _trainer(self) -> TrainerState:
        state = self.__dict__.get("_trainer_state")
        if state is None:
            state = TrainerState()
            object.__setattr__(self, "_trainer_state", state)
        return state

    @property
    def compiled(self) -> bool:
        return self._trainer.compiled

    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, *args: Any,
                loss_weights: list | dict | None = None, metrics: Any = None,
                weighted_metrics: Any = None, run_eagerly: bool = False,
                steps_per_execution: int | str = "auto", jit_compile: bool | str = "auto",
                auto_scale_loss: bool = True, **kwargs: Any) -> None:
        """Configures the model for training.

        Args:
            optimizer: Name (`"adam"`), `kernelkit.optimizers.Optimizer` or optax transform.
            loss: Name, function `fn(y_true, y_pred)`, `Loss`, or a list/dict per output.
            loss_weights: Scalars weighting each output's loss (list or dict).
            metrics: Metrics (names, functions, `Metric`s), a list per output or a dict.
            weighted_metrics: Metrics that are weighted by `sample_weight` / `class_weight`.
            run_eagerly: Run the step without `jax.jit` (for debugging with print/pdb).
            steps_per_execution: Steps per compiled dispatch, or `"auto"` (the default).
            jit_compile: `"auto"`/`True` compile with XLA; `False` is like `run_eagerly`.
            auto_scale_loss: Under the `"mixed_float16"` policy, wrap the optimizer in a
                `LossScaleOptimizer` (the default, as in Keras).
            **kwargs: Legacy arguments of older Keras versions (`sample_weight_mode`, ...).

        Everything after `loss` is keyword-only: its order changed between Keras versions
        (a third positional argument raises a `TypeError` that says so). Unlike Keras, whose
        default is 1, `steps_per_execution="auto"` picks how many steps run per dispatch.
        """
        compile_lib.compile_model(
            self, optimizer, loss, *args, loss_weights=loss_weights, metrics=metrics,
            weighted_metrics=weighted_metrics, run_eagerly=run_eagerly,
            steps_per_execution=steps_per_execution, jit_compile=jit_compile,
            auto_scale_loss=auto_scale_loss, **kwargs)

    def _set_compiled(self, optimizer, loss, loss_weights, metrics_arg, weighted_metrics,
                      compile_loss, compile_metrics, run_eagerly, steps_per_execution,
                      jit_compile, auto_scale_loss):
        from kernelkit.metrics import Mean

        state = self._trainer
        state.reset_compiled()
        state.compiled = True
        state.optimizer = optimizer
        state.loss = loss
        state.args = {"loss_weights": loss_weights, "metrics_arg": metrics_arg,
                      "weighted_metrics": weighted_metrics, "auto_scale_loss": auto_scale_loss}
        state.run_eagerly = run_eagerly
        state.jit_compile = jit_compile
        state.steps_per_execution = steps_per_execution
        self._compile_loss = compile_loss
        self._compile_metrics = compile_metrics
        self._loss_tracker = Mean(name="loss")
        state.optimizer_state.attach_to(optimizer)

    @property
    def optimizer(self):
        return self._trainer.optimizer

    @optimizer.setter
    def optimizer(self, value):
        from kernelkit import optimizers

        self._trainer.optimizer = optimizers.get(value)
        self._trainer.clear_functions()
        self._trainer.optimizer_state.attach_to(self._trainer.optimizer)

    @property
    def loss(self):
        return self._trainer.loss

    @loss.setter
    def loss(self, value):
        self._trainer.loss = value

    @property
    def _compile_args(self) -> dict:
        return self._trainer.args

    @property
    def run_eagerly(self) -> bool:
        return self._trainer.run_eagerly

    @run_eagerly.setter
    def run_eagerly(self, value: bool) -> None:
        self._trainer.run_eagerly = bool(value)
        self._trainer.clear_functions()

    @property
    def jit_compile(self):
        return self._trainer.jit_compile

    @jit_compile.setter
    def jit_compile(self, value) -> None:
        self._trainer.jit_compile = value
        self._trainer.clear_functions()

    @property
    def steps_per_execution(self):
        return self._trainer.steps_per_execution

    @steps_per_execution.setter
    def steps_per_execution(self, value) -> None:
        self._trainer.steps_per_execution = value

    @property
    def stop_training(self) -> bool:
        return self._trainer.stop_training

    @stop_training.setter
    def stop_training(self, value: bool) -> None:
        self._trainer.stop_training = bool(value)

    @property
    def _stop_requested(self) -> bool:
        return self._trainer.stop_signal.requested

    @property
    def history(self):
        return self._trainer.history

    @history.setter
    def history(self, value):
        self._trainer.history = value

    def get_compile_config(self):
        """The optimizer, loss and metrics given to `compile`, serialized."""
        return compile_lib.get_compile_config(self)

    def compile_from_config(self, config):
        """Compiles the model from `get_compile_config()`'s output."""
        compile_lib.compile_from_config(self, config)

    def _assert_compiled(self, method: str) -> None:
        if not self.compiled:
            raise NotCompiledError(
                f"Model '{self.name}': you must call compile() before {method}(). "
                "Call model.compile(optimizer=..., loss=...) first."
            )

    # ---- outputs and metrics ------------------------------------------------------------------

    @property
    def output_names(self) -> list[str]:
        names = self._trainer.output_names
        return list(names) if names is not None else self.output_names_for_compile()

    def output_names_for_compile(self) -> list[str]:
        outputs = getattr(self, "outputs", None)
        if outputs:
            struct = self.output
            if isinstance(struct, dict):
                return sorted(struct)
            names, seen = [], {}
            for t in outputs:
                base = t._keras_history[0].name
                count = seen.get(base, 0)
                seen[base] = count + 1
                names.append(base if count == 0 else f"{base}_{count}")
            return names
        return self._trainer.output_names or ["output"]

    def _track_loss(self, loss, x) -> None:
        if self._loss_tracker is not None:
            self._loss_tracker.update_state(loss, sample_weight=default_steps.batch_size_of(x))

    @property
    def metrics(self) -> list:
        """The metrics tracked by the model: loss, per-output losses, compiled metrics."""
        return tracked_metrics(self)

    @property
    def metrics_variables(self) -> list:
        """The variables of every metric in `self.metrics`."""
        return [v for metric in self.metrics for v in metric.variables]

    @property
    def metrics_names(self) -> list[str]:
        """Display labels of the values `evaluate` returns; empty until trained/evaluated."""
        if not self._trainer.data_seen:
            return []
        return [m.name for m in self.metrics]

    @default_method
    def reset_metrics(self) -> None:
        """Resets every metric in `self.metrics`."""
        for metric in self.metrics:
            metric.reset_state()

    def get_metrics_result(self) -> dict:
        """`{name: value}` for `self.metrics`; dict results are merged in."""
        out = {}
        for metric in self.metrics:
            value = metric.result()
            if isinstance(value, dict):
                out.update(value)
            else:
                out[metric.name] = value
        return out

    # ---- the loops ----------------------------------------------------------------------------

    def fit(self, x: Any = None, y: Any = None, batch_size: int | None = None, epochs: int = 1,
            verbose: int | str = "auto", callbacks: list | None = None,
            validation_split: float = 0.0, validation_data: Any = None,
            shuffle: bool | str = True, class_weight: dict | None = None,
            sample_weight: Any = None, initial_epoch: int = 0,
            steps_per_epoch: int | None = None, validation_steps: int | None = None,
            validation_batch_size: int | None = None,
            validation_freq: int | Container[int] = 1, **kwargs: Any) -> History:
        """Trains the model for `epochs` epochs; returns a `History`.

        Args:
            x: Input data: an array, a list or dict of arrays (one per input), a pandas
                object, or a source of batches (generator, iterator, `PyDataset`, any
                iterable yielding `(x, y)` or `(x, y, sample_weight)`).
            y: Targets, like `x`; not given when `x` yields batches.
            batch_size: Samples per step (default 32); not given when `x` yields batches.
            epochs: The epoch to stop after (counted from 0 with `initial_epoch`).
            verbose: `"auto"`, 0 (silent), 1 (progress bar or live view), 2 (one line per
                epoch).
            callbacks: `Callback`s called during training.
            validation_split: Fraction of the arrays (taken from the end, before shuffling)
                used for validation only.
            validation_data: `(x_val, y_val)`, `(x_val, y_val, sample_weight)` or a source
                of batches, evaluated at the end of each epoch.
            shuffle: Shuffle the samples each epoch (`True`), whole batches (`"batch"`),
                or not (`False`). Ignored for sources of batches.
            class_weight: `{class_index: weight}` weighting the loss of each sample by its
                class.
            sample_weight: Per-sample (or per-timestep) weights of the loss.
            initial_epoch: The epoch to start at (to resume a run).
            steps_per_epoch: Steps per epoch (default: the whole data, or the source's
                length).
            validation_steps: Validation steps per evaluation (default: all of it).
            validation_batch_size: Samples per validation step (default `batch_size`).
            validation_freq: Validate every N epochs (int) or at the epochs listed.
            **kwargs: `background=True` (a kernelkit addition) trains in a thread and
                returns a `BackgroundFit` handle (`.stop()`, `.wait()`, `.history`,
                `.done`) at once; Keras 2's `max_queue_size`, `workers` and
                `use_multiprocessing` are accepted and ignored.

        Returns:
            The `History` (its `history` dict maps each log name to per-epoch values).

        Example:
            >>> import numpy as np, kernelkit as kk
            >>> model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(1)])
            >>> model.compile("sgd", "mse")
            >>> history = model.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=2, verbose=0)
            >>> len(history.history["loss"])
            2
        """
        from kernelkit.training.fit_loop import run_fit

        if kwargs.pop("background", False):  # --- background fit (notebook views) ---
            from kernelkit.training.background_fit import BackgroundFit

            args = dict(locals())
            for name in ("self", "kwargs", "run_fit", "BackgroundFit", "__class__"):
                args.pop(name, None)
            _legacy_worker_args(kwargs, "fit")
            return BackgroundFit(self, self.fit, args)
        _legacy_worker_args(kwargs, "fit")
        return run_fit(self, x, y, batch_size, epochs, verbose, callbacks, validation_split,
                       validation_data, shuffle, class_weight, sample_weight, initial_epoch,
                       steps_per_epoch, validation_steps, validation_batch_size,
                       validation_freq)

    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None,
                 verbose: int | str = "auto", sample_weight: Any = None,
                 steps: int | None = None, callbacks: list | None = None,
                 return_dict: bool = False, **kwargs: Any) -> float | list | dict:
        """Loss and metric values in test mode: a scalar, a list, or a dict.

        Args:
            x: Input data, as for `fit`.
            y: Targets, as for `fit`.
            batch_size: Samples per step (default 32).
            verbose: `"auto"`, 0 (silent) or 1 (progress bar).
            sample_weight: Per-sample weights of the loss and weighted metrics.
            steps: Steps to run (default: all of the data).
            callbacks: `Callback`s called during evaluation.
            return_dict: Return `{name: value}` instead of a scalar or list.
            **kwargs: Keras 2's `max_queue_size`, `workers`, `use_multiprocessing`
                (ignored).

        Returns:
            The loss alone when it is the only value, else a list in `metrics_names` order,
            or a dict with `return_dict=True`.

        Example:
            >>> import numpy as np, kernelkit as kk
            >>> model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(1)])
            >>> model.compile("sgd", "mse", metrics=["mae"])
            >>> sorted(model.evaluate(np.ones((8, 3)), np.ones((8, 1)), verbose=0,
            ...                       return_dict=True))
            ['loss', 'mae']
        """
        from kernelkit.training.evaluate_loop import run_evaluate

        _legacy_worker_args(kwargs, "evaluate")
        return run_evaluate(self, x, y, batch_size, verbose, sample_weight, steps, callbacks,
                            return_dict)

    def predict(self, x: Any, batch_size: int | None = None, verbose: int | str = "auto",
                steps: int | None = None, callbacks: list | None = None,
                **kwargs: Any) -> Any:
        """Outputs for `x` as NumPy arrays, computed in batches.

        Args:
            x: Input data, as for `fit` (targets in yielded batches are ignored).
            batch_size: Samples per step (default 32).
            verbose: `"auto"` (no bar for a single batch), 0 or 1.
            steps: Steps to run (default: all of the data).
            callbacks: `Callback`s called during prediction.
            **kwargs: Keras 2's `max_queue_size`, `workers`, `use_multiprocessing`
                (ignored).

        Returns:
            The outputs in the model's output structure, as NumPy arrays.

        Example:
            >>> import numpy as np, kernelkit as kk
            >>> model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
            >>> model.predict(np.ones((5, 3)), verbose=0).shape
            (5, 2)
        """
        from kernelkit.training.predict_loop import run_predict

        _legacy_worker_args(kwargs, "predict")
        return run_predict(self, x, batch_size, verbose, steps, callbacks)

    def train_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None,
                       class_weight: dict | None = None, reset_metrics: bool = True,
                       return_dict: bool = False) -> float | list | dict:
        """One gradient update on one batch; returns the loss (and metrics).

        Args:
            x: The batch's inputs.
            y: Its targets.
            sample_weight: Per-sample weights.
            class_weight: `{class_index: weight}`.
            reset_metrics: Reset the metrics before and after the batch (False: they
                accumulate across calls).
            return_dict: Return `{name: value}`.

        Returns:
            As `evaluate`: a scalar, a list, or a dict.
        """
        from kernelkit.training.on_batch import train_on_batch

        return train_on_batch(self, x, y, sample_weight, class_weight, reset_metrics,
                              return_dict)

    def test_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None,
                      reset_metrics: bool = True,
                      return_dict: bool = False) -> float | list | dict:
        """Loss and metrics on one batch, without updating the weights.

        Args:
            x: The batch's inputs.
            y: Its targets.
            sample_weight: Per-sample weights.
            reset_metrics: Reset the metrics before and after the batch.
            return_dict: Return `{name: value}`.

        Returns:
            As `evaluate`: a scalar, a list, or a dict.
        """
        from kernelkit.training.on_batch import test_on_batch

        return test_on_batch(self, x, y, sample_weight, reset_metrics, return_dict)

    def predict_on_batch(self, x: Any) -> Any:
        """Predictions for one batch (all of `x`), as NumPy arrays.

        Args:
            x: The batch's inputs: an array, or a list or dict of arrays (one per input).

        Returns:
            The outputs as NumPy arrays, in the structure the model returns.
        """
        from kernelkit.training.on_batch import predict_on_batch

        return predict_on_batch(self, x)

    def find_learning_rate(self, x: Any, y: Any = None, start: float = 1e-7,
                           stop: float = 10.0, steps: int = 100,
                           batch_size: int | None = None, sample_weight: Any = None,
                           verbose: int | str = "auto") -> LearningRateFinderResult:
        """Sweeps the learning rate exponentially and suggests one (a kernelkit addition).

        Runs `steps` training steps fused in one compiled loop, like `fit`, on copies of the
        weights and of the optimizer: the model, its optimizer and their state are unchanged
        afterwards. In a notebook the plot shows the loss against the rate with the suggestion
        marked; in a terminal a short text.

        Args:
            x: Input arrays (as for `fit`); batches cycle through them.
            y: Target arrays.
            start: The first learning rate (> 0).
            stop: The last learning rate (> start).
            steps: How many steps the sweep takes (at least 5).
            batch_size: Samples per step (default 32).
            sample_weight: Optional per-sample weights.
            verbose: `"auto"` (show the result), 0 (silent) or 1 (show it).

        Returns:
            A `LearningRateFinderResult` with `learning_rates`, `losses`, `smoothed`,
            `suggestion` (steepest descent of the smoothed loss) and `minimum_over_10`.

        Example:
            >>> import numpy as np, kernelkit as kk
            >>> model = kk.Sequential([kk.Input((4,)), kk.layers.Dense(1)])
            >>> model.compile("sgd", "mse")
            >>> x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
            >>> result = model.find_learning_rate(x, x[:, :1], steps=20, verbose=0)
            >>> len(result.losses), result.suggestion is not None
            (20, True)
        """
        from kernelkit.display.environment import execution_count, is_notebook, publish
        from kernelkit.training.lr_finder import find_learning_rate

        result = find_learning_rate(self, x, y, start, stop, steps, batch_size, sample_weight)
        if verbose:
            if is_notebook():
                publish(result.html(), repr(result))
            else:
                print(repr(result))
            result.shown_in = execution_count()  # the cell's value is not shown again
        return result

    # ---- the running session ------------------------------------------------------------------

    @property
    def training_session(self) -> TrainingSession | None:
        """The `TrainingSession` of the run in progress (`fit`, `evaluate`, ...), else None.

        Callbacks reach a run through it: `snapshot()` / `restore()` (BackupAndRestore),
        `replace()` (SwapEMAWeights), `params`, `optimizer_state`.
        """
        return self._trainer.session

    def jax_state_sync(self) -> None:
        """Writes the running `fit()`'s state into the model (callbacks call this via `.model`)."""
        session = self._trainer.session
        if session is not None:
            session.sync()

    @contextlib.contextmanager
    def _run_session(self, fns, callbacks=None, guard=None, training=False):
        """Opens the run's `TrainingSession` (the model's running one while it lasts)."""
        state = self._trainer
        outer = state.session
        if outer is not None:
            outer.sync()  # a run inside a run (evaluate from a callback) sees current weights
        if training:
            state.data_seen = True
            state.optimizer_state.attach_to(self.optimizer)
        if guard is not None:
            state.stop_signal.begin(self, guard)
        session = TrainingSession(self, fns, state.optimizer_state, callbacks,
                                  state.stop_signal, training=training)
        state.session = session
        try:
            yield session
        finally:
            session.sync()
            state.session = outer
            if guard is not None:
                state.stop_signal.begin(self, None)

    def _num_classes(self):
        outputs = getattr(self, "outputs", None)
        if outputs and len(outputs) == 1 and outputs[0].shape and outputs[0].shape[-1]:
            return max(2, int(outputs[0].shape[-1]))
        return None

    def _prepare_for_data(self, x, y=None, sample_weight=None) -> None:
        """Builds the model and the compiled losses/metrics from a first batch (eagerly)."""
        from kernelkit.training.preparation import prepare_for_data

        prepare_for_data(self, x, y, sample_weight)

def _legacy_worker_args(kwargs, method):
    for name in ("max_queue_size", "workers", "use_multiprocessing"):
        kwargs.pop(name, None)
    if kwargs:
        raise TypeError(f"{method}: unexpected keyword argument(s) {sorted(kwargs)}.")


def _compile_signature() -> inspect.Signature:
    """`compile`'s signature as `help()` shows it: keyword-only after `loss` (section 6)."""
    signature = inspect.signature(Trainer.compile)
    params = list(signature.parameters.values())
    return inspect.Signature(return_annotation=signature.return_annotation, parameters=[
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and p.name not in
        ("self", "optimizer", "loss") else p
        for p in params if p.kind is not inspect.Parameter.VAR_POSITIONAL])


Trainer.compile.__signature__ = _compile_signature()

