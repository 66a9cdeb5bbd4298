"""`Trainer`: the Keras training API of `Model` (compile, fit, evaluate, predict, hooks)."""

from __future__ import annotations

import inspect

from flax import nnx

from kernelkit.errors import NotCompiledError
from kernelkit.training import compile as compile_lib
from kernelkit.training import default_steps as step_logic
from kernelkit.training.legacy_methods import LegacyMethods
from kernelkit.training.trainer_state import TrainerState

__all__ = ["Trainer"]


class Trainer(LegacyMethods):
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

    def compile(self, optimizer="rmsprop", loss=None, *args, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution="auto",
                jit_compile="auto", auto_scale_loss=True, **kwargs):
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

    @property
    def optimizer(self):
        return self._trainer.optimizer

    @optimizer.setter
    def optimizer(self, value):
        from kernelkit import optimizers

        self._trainer.optimizer = optimizers.get(value)
        self._trainer.clear_functions()

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
        return self._trainer.stop_requested

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

    def _compile_output_names(self) -> list[str]:
        """The unique output names losses and metrics are keyed by (`out`, `out_1`, ...)."""
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
            self._loss_tracker.update_state(loss, sample_weight=step_logic.batch_size_of(x))

    @property
    def metrics(self) -> list:
        """The metrics tracked by the model: loss, per-output losses, compiled metrics."""
        out = []
        if self.compiled:
            out.append(self._loss_tracker)
            if self._compile_loss is not None and self._compile_loss.built:
                out.extend(self._compile_loss.trackers)
            if self._compile_metrics is not None and self._compile_metrics.built:
                out.extend(self._compile_metrics.metrics)
        for metric in _owned_metrics(self):
            if all(metric is not m for m in out):
                out.append(metric)
        return out

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

    # ---- overridable step logic ---------------------------------------------------------------

    def train_step(self, data):
        """One training step on `data`: forward, loss, gradients, update, metrics.

        `fit` and `train_on_batch` trace this method into their jitted step (on a copy of the
        model rebuilt inside the trace), so an override runs there too. A custom step, as in
        Keras:

            class MyModel(kk.Model):
                def train_step(self, data):
                    x, y = data
                    loss, y_pred, grads = self.compute_loss_and_gradients(x, y)
                    self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                    return self.compute_metrics(x, y, y_pred)

        `compute_loss_and_gradients` runs the forward pass in training mode and returns the
        gradients aligned with `self.trainable_variables`; `optimizer.apply_gradients` inside
        the step updates the step's optimizer state and the weights. The returned dict is what
        `on_train_batch_end` receives and what `History` records. Keep the method pure (no
        `print` of values, no `.item()`), or compile with `run_eagerly=True` to debug it.

        Args:
            data: The batch as the data yielded it: `x`, `(x, y)` or `(x, y, sample_weight)`.

        Returns:
            A dict of scalar logs, e.g. `{"loss": ..., "mae": ...}`.
        """
        return step_logic.default_train_step(self, data)

    def test_step(self, data):
        """One evaluation step on `data`: forward, loss, metrics."""
        return step_logic.default_test_step(self, data)

    def predict_step(self, data):
        """One inference step on `data`: the model's outputs."""
        return step_logic.default_predict_step(self, data)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss plus `self.losses`; `None` when there is no loss at all."""
        return step_logic.default_compute_loss(self, x, y, y_pred, sample_weight, training)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics and returns `get_metrics_result()`."""
        return step_logic.default_compute_metrics(self, x, y, y_pred, sample_weight)

    def compute_loss_and_gradients(self, x, y=None, sample_weight=None):
        """For custom `train_step`s: `(loss, y_pred, grads)`, grads aligned with
        `self.trainable_variables`; apply them with `self.optimizer.apply_gradients(...)`."""
        from kernelkit.training.step_context import current_step_scope

        scope = current_step_scope()
        if scope is None:
            raise RuntimeError(
                f"Model '{self.name}': compute_loss_and_gradients() works inside train_step, "
                "while fit() or train_on_batch() runs."
            )
        loss, y_pred, grads = scope.loss_and_gradients(self, x, y, sample_weight)
        flat = nnx.to_flat_state(nnx.state(self, _trainable))
        by_path = {id(v): grads[k] for k, (_, v) in zip(scope.partition.param_keys, flat)}
        return loss, y_pred, [by_path.get(id(v)) for v in self.trainable_variables]

    # ---- make_*_function ----------------------------------------------------------------------

    @property
    def train_function(self):
        """The compiled training function made by `make_train_function()` (None until then;
        reset by `compile`). Assign None to have the next `fit` rebuild it."""
        return self._trainer.bound.get("train")

    @train_function.setter
    def train_function(self, value) -> None:
        self._set_step_function("train", value)

    @property
    def test_function(self):
        """The compiled evaluation function made by `make_test_function()` (or None)."""
        return self._trainer.bound.get("test")

    @test_function.setter
    def test_function(self, value) -> None:
        self._set_step_function("test", value)

    @property
    def predict_function(self):
        """The compiled prediction function made by `make_predict_function()` (or None)."""
        return self._trainer.bound.get("predict")

    @predict_function.setter
    def predict_function(self, value) -> None:
        self._set_step_function("predict", value)

    def _set_step_function(self, kind: str, value) -> None:
        if value is not None:
            raise TypeError(
                f"Model '{self.name}': `{kind}_function` can only be reset to None (kernelkit "
                "builds it from train_step/test_step/predict_step). Received: "
                f"{type(value).__name__}. Override {kind}_step instead to change the step."
            )
        self._trainer.bound.pop(kind, None)

    def make_train_function(self, force=False):
        """The compiled training step, built once (again after `compile` or with `force`).

        Called by `fit` and `train_on_batch`. The result, called with an iterator, runs one
        `train_step` on its next batch and returns the logs dict.
        """
        return self._trainer.functions(self, force=force, counter="train")

    def make_test_function(self, force=False):
        """The compiled evaluation step (used by `evaluate` and `test_on_batch`)."""
        return self._trainer.functions(self, force=force, counter="test")

    def make_predict_function(self, force=False):
        """The compiled, cached forward pass (used by `predict` and `predict_on_batch`)."""
        return self._trainer.functions(self, force=force, counter="predict")

    # ---- the loops ----------------------------------------------------------------------------

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1, **kwargs):
        """Trains the model for `epochs` epochs; returns a `History`.

        With `background=True` (a kernelkit addition) training runs in a thread and a
        `BackgroundFit` handle (`.stop()`, `.wait()`, `.history`, `.done`) is returned at once.
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

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        """Loss and metric values in test mode: a scalar, a list, or a dict."""
        from kernelkit.training.evaluate_loop import run_evaluate

        _legacy_worker_args(kwargs, "evaluate")
        return run_evaluate(self, x, y, batch_size, verbose, sample_weight, steps, callbacks,
                            return_dict)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None, **kwargs):
        """Outputs for `x` as NumPy arrays, computed in batches."""
        from kernelkit.training.predict_loop import run_predict

        _legacy_worker_args(kwargs, "predict")
        return run_predict(self, x, batch_size, verbose, steps, callbacks)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       reset_metrics=True, return_dict=False):
        """One gradient update on one batch; returns the loss (and metrics)."""
        from kernelkit.training.on_batch import train_on_batch

        return train_on_batch(self, x, y, sample_weight, class_weight, reset_metrics,
                              return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True,
                      return_dict=False):
        """Loss and metrics on one batch, without updating the weights."""
        from kernelkit.training.on_batch import test_on_batch

        return test_on_batch(self, x, y, sample_weight, reset_metrics, return_dict)

    def predict_on_batch(self, x):
        """Predictions for one batch (all of `x`), as NumPy arrays."""
        from kernelkit.training.on_batch import predict_on_batch

        return predict_on_batch(self, x)

    def find_learning_rate(self, x, y=None, start=1e-7, stop=10.0, steps=100, batch_size=None,
                           sample_weight=None, verbose="auto"):
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
        from kernelkit.display.environment import is_notebook, publish
        from kernelkit.training.lr_finder import find_learning_rate

        result = find_learning_rate(self, x, y, start, stop, steps, batch_size, sample_weight)
        if verbose:
            if is_notebook():
                publish(result.html(), repr(result))
            else:
                print(repr(result))
        return result

    # ---- the loop's live state ----------------------------------------------------------------

    def jax_state_sync(self) -> None:
        """Writes the running `fit()`'s state into the model (callbacks call this via `.model`)."""
        loop = self._trainer.loop
        if loop is not None:
            loop.sync()

    def _attach_loop(self, loop) -> None:
        self._trainer.loop = loop
        self._trainer.data_seen = True
        optimizer = self.optimizer
        if hasattr(optimizer, "attach"):
            optimizer.attach(loop.get_opt_state, loop.set_opt_state)

    def _finish_loop(self, loop) -> None:
        loop.dirty = True
        loop.sync()
        self._keep_opt_state(loop.fns.partition, loop.carry.opt_state)
        self._trainer.loop = None

    def _keep_opt_state(self, partition, opt_state) -> None:
        """Keeps the optimizer state between calls; `optimizer.iterations` then reads it."""
        self._trainer.opt_state = (tuple(partition.param_keys), opt_state)
        optimizer = self.optimizer
        if hasattr(optimizer, "attach"):
            optimizer.attach(self._trainer.get_opt_state, self._trainer.set_opt_state)

    def _start_carry(self, fns):
        """The carry to start from: the model's weights and the kept optimizer state."""
        carry = fns.partition.carry_of(self)
        carry.opt_state = self._trainer.opt_state_for(self.optimizer, fns.partition,
                                                      carry.params)
        return carry

    def _reset_metrics_in(self, loop) -> None:
        if type(self).reset_metrics is Trainer.reset_metrics:
            loop.carry = loop.fns.partition.reset_metrics(loop.carry)
            return
        loop.sync()
        self.reset_metrics()
        loop.carry = loop.fns.partition.carry_of(self, opt_state=loop.carry.opt_state)

    def _num_classes(self):
        outputs = getattr(self, "outputs", None)
        if outputs and len(outputs) == 1 and outputs[0].shape and outputs[0].shape[-1]:
            return max(2, int(outputs[0].shape[-1]))
        return None

    def _prepare_for_data(self, x, y=None, sample_weight=None) -> None:
        """Builds the model and the compiled losses/metrics from a first batch (eagerly)."""
        from kernelkit.training.preparation import prepare_for_data

        prepare_for_data(self, x, y, sample_weight)

    # ---- Keras 3 stateless API ------------------------------------------------------------------

    def stateless_compute_loss(self, trainable_variables, non_trainable_variables,
                               metrics_variables, x=None, y=None, y_pred=None,
                               sample_weight=None, training=True):
        """Pure `compute_loss` over three lists of arrays; returns `(loss, (t, nt, m))`."""
        from kernelkit.training.stateless import stateless_compute_loss

        return stateless_compute_loss(self, trainable_variables, non_trainable_variables,
                                      metrics_variables, x, y, y_pred, sample_weight, training)

    def compiled_loss(self, y, y_pred, sample_weight=None, regularization_losses=None):
        """Legacy: the compiled loss plus `regularization_losses`."""
        value = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
        for extra in regularization_losses or []:
            value = value + extra
        return value


def _trainable(path, value):
    from kernelkit.training.carry import trainable_filter

    return trainable_filter(path, value)


def _legacy_worker_args(kwargs, method):
    for name in ("max_queue_size", "workers", "use_multiprocessing"):
        kwargs.pop(name, None)
    if kwargs:
        raise TypeError(f"{method}: unexpected keyword argument(s) {sorted(kwargs)}.")


def _owned_metrics(model) -> list:
    """Metrics held as attributes by the model or by any of its layers (Keras reports a metric
    that a layer updates in `call` in the logs of `fit` and `evaluate`), in layer order."""
    from kernelkit.layers import tracking
    from kernelkit.metrics import Metric

    found, seen, stack = [], set(), [model]
    while stack:
        module = stack.pop(0)
        if id(module) in seen:
            continue
        seen.add(id(module))
        for value in vars(module).values():
            if isinstance(value, Metric):
                found.append(value)
        stack.extend(tracking.sublayers(module))
    return found


def _compile_signature() -> inspect.Signature:
    """`compile`'s signature as `help()` shows it: keyword-only after `loss` (section 6)."""
    params = list(inspect.signature(Trainer.compile).parameters.values())
    return inspect.Signature([
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and p.name not in
        ("self", "optimizer", "loss") else p
        for p in params if p.kind is not inspect.Parameter.VAR_POSITIONAL])


Trainer.compile.__signature__ = _compile_signature()

