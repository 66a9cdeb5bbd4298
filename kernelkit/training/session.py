"""The state of training: what a model keeps between runs, one run, and how a run stops.

`TrainerState` is what a model remembers about training outside its NNX graph: the compile
settings, the cached step functions, the one `OptimizerStateRef`, the running session.

`TrainingSession` is the one owner of a run (`fit`, `evaluate`, `predict`, `*_on_batch`). It
holds the run's carry (weights, other model state, metric state; the optimizer state through
the model's `OptimizerStateRef`), the compiled step functions, the callbacks and the
`StopSignal`. It moves the carry between the model's Variables and the jitted steps, and gives
callbacks a typed view of the run (`snapshot`, `restore`, `replace`) instead of private
attributes. While it runs, `model.training_session` returns it.

`StopSignal` asks every reason a run stops early in one place; `InterruptGuard` turns a kernel
interrupt (Ctrl-C, Jupyter's stop button) into a stop at a step boundary.
"""

from __future__ import annotations

import signal
import threading
from dataclasses import dataclass

import jax
import numpy as np

from kernelkit.data.source import HostBatch
from kernelkit.distribution.host_data import GlobalDispatch, to_global_batch, to_local_outputs
from kernelkit.distribution.placement import check_layout_map, place_replicated
from kernelkit.training.carry import Carry, OptimizerStateRef
from kernelkit.training.layer_stats import split_layer_stats

__all__ = ["InterruptGuard", "ResumePoint", "RunSnapshot", "StopSignal", "TrainerState", "TrainingSession"]


class TrainerState:
    """Compile settings, cached step functions, the optimizer state and the running session.

    Held by the model as a plain (static) attribute: none of it is model state, and copies of a
    model start uncompiled.

    Example:
        >>> state = TrainerState()
        >>> state.compiled, state.steps_per_execution, state.session is None
        (False, 'auto', True)
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


# ---- one run --------------------------------------------------------------------------------

@dataclass(frozen=True)
class RunSnapshot:
    """What a backup of a running `fit` needs beyond the model's weights and optimizer.

    Attributes:
        order: The current epoch's sample order (array data), on the host, or None.
        metrics: The metric state (host arrays), in the carry's order.

    Example:
        >>> RunSnapshot(order=None, metrics=[]).order is None
        True
    """

    order: np.ndarray | None
    metrics: list


@dataclass(frozen=True)
class ResumePoint:
    """Where a restored `fit` continues.

    Attributes:
        epoch: The first epoch to run.
        step: Batches of that epoch already done (a mid-epoch backup).
        order: That epoch's sample order, when resuming mid-epoch.
        metrics: Its metric state after those batches.

    Example:
        >>> ResumePoint(epoch=3).step
        0
    """

    epoch: int
    step: int = 0
    order: np.ndarray | None = None
    metrics: list | None = None


class TrainingSession:
    """One run of a model's compiled steps.

    Args:
        model: The model (a `kernelkit.Model`).
        fns: Its `StepFunctions`.
        optimizer_state: The model's `OptimizerStateRef` (training runs), or None.
        callbacks: The run's `CallbackList` (or None).
        stop: The model's `StopSignal`.
        training: Whether the run trains (it then makes the optimizer state if none exists
            for these weights).

    Example:
        >>> import numpy as np, kernelkit as kk
        >>> class Peek(kk.callbacks.Callback):
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         self.keys = sorted(self.model.training_session.params)
        >>> model = kk.Sequential([kk.Input((2,)), kk.layers.Dense(1, name="d")])
        >>> model.compile("sgd", "mse")
        >>> peek = Peek()
        >>> _ = model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0, callbacks=[peek])
        >>> peek.keys, model.training_session is None
        (['00000/d/kernel', '00001/d/bias'], True)
    """

    def __init__(self, model, fns, optimizer_state=None, callbacks=None,
                 stop: StopSignal | None = None, training: bool = False):
        self.model, self.fns, self.training = model, fns, training
        self.partition = fns.partition
        self.overrides = fns.overrides
        self.callbacks = callbacks
        self.stop = stop if stop is not None else StopSignal()
        self._optimizer_state = optimizer_state
        self.order = None  # the epoch's sample order (array data), for backups
        self.resume_point: ResumePoint | None = None
        self.layer_stats = None  # the last train step's per-layer statistics (device array)
        self._dirty = False
        # under ModelParallel: no stray key (the paths are only listed when a map is set)
        check_layout_map(lambda: [v.path for v in model.weights])
        self.reload()

    # ---- the carry ----------------------------------------------------------------------------

    @property
    def optimizer_state(self):
        """The optax state of the run (None for evaluation and prediction before training)."""
        return None if self._optimizer_state is None else self._optimizer_state.get()

    @property
    def carry(self) -> Carry:
        return Carry(self.params, self.rest, self.metrics, self.optimizer_state)

    def _take(self, carry: Carry) -> None:
        self.params, self.rest, self.metrics = carry.params, carry.rest, carry.metrics
        if self._optimizer_state is not None and carry.opt_state is not None:
            self._optimizer_state.set(carry.opt_state)
        self._dirty = True

    def reload(self) -> None:
        """Reads the model's Variables into the carry (at the start, and after a restore)."""
        carry = self.partition.carry_of(self.model)
        self.params, self.rest, self.metrics = carry.params, carry.rest, carry.metrics
        if self._optimizer_state is not None and self.training:
            self._optimizer_state.for_params(self.model.optimizer, self.partition.param_keys,
                                             self.params)
        self._dirty = False

    def sync(self) -> None:
        """Writes the carry into the model's Variables (the model then reads current weights)."""
        if self._dirty:
            self.partition.write_back(self.model, self.carry)
            self._dirty = False

    def replace(self, params: dict | None = None, optimizer_state=None) -> None:
        """Replaces the weights and/or the optimizer state of the run, and writes them into
        the model (`SwapEMAWeights` swaps the moving averages in this way).

        Args:
            params: New trainable weights, keyed like `params`.
            optimizer_state: A new optax state.
        """
        if params is not None:
            self.params = params
        if optimizer_state is not None and self._optimizer_state is not None:
            self._optimizer_state.set(optimizer_state)
        self._dirty = True
        self.sync()

    def reset_metrics(self) -> None:
        """Every metric back at its initial value (through an overridden `reset_metrics`)."""
        if not self.overrides.reset_metrics:
            self.metrics = self.partition.fresh_metrics()
            self._dirty = True
            return
        self.sync()
        self.model.reset_metrics()
        self.reload()

    def matching_metrics(self, saved):
        """Saved metric state as device arrays, if it fits this run's metrics (else None)."""
        if saved is None or len(saved) != len(self.metrics) or any(
                np.shape(a) != np.shape(b) for a, b in zip(saved, self.metrics)):
            return None
        return [jax.device_put(np.asarray(a, dtype=np.asarray(b).dtype))
                for a, b in zip(saved, self.metrics)]

    # ---- callbacks' view ----------------------------------------------------------------------

    def snapshot(self) -> RunSnapshot:
        """The run's epoch order and metric state (the model is synced first)."""
        self.sync()
        order = None if self.order is None else np.asarray(jax.device_get(self.order))
        return RunSnapshot(order, [np.asarray(m) for m in jax.device_get(self.metrics)])

    def restore(self, epoch: int, step: int = 0, order=None, metrics=None) -> None:
        """Continues from the model's (restored) weights, at a `ResumePoint`.

        Args:
            epoch: The first epoch `fit` runs.
            step: Batches of that epoch already done (a mid-epoch backup).
            order: That epoch's sample order (array data resumes exactly with it).
            metrics: Its metric state after those batches.
        """
        self.reload()
        self.resume_point = ResumePoint(epoch, step, order, metrics)

    # ---- one dispatch of each kind ------------------------------------------------------------

    def train(self, dispatch, source, unroll: bool) -> dict:
        """Runs one dispatch of training steps; returns the logs (on the device)."""
        if isinstance(dispatch, HostBatch):  # (a multi-process run joins the processes' shares)
            carry, logs = self.fns.train_once(self.carry, to_global_batch(dispatch.packed))
        else:
            carry, logs = self.fns.train_arrays(
                self.carry, *self._arrays(dispatch, source), dispatch.start,
                steps=dispatch.steps, batch_size=dispatch.batch_size, unroll=unroll)
        self._take(carry)
        if self.fns.layer_groups is not None:  # the step measures per-layer norms
            logs, stats = split_layer_stats(logs)  # a channel of its own, not a metric
            if stats is not None:
                self.layer_stats = stats
        return logs

    def layer_health(self):
        """The last train step's `LayerHealth` (fetched to the host), or None when the run
        measures none (no callback with `wants_layer_stats`)."""
        if self.fns.layer_groups is None or self.layer_stats is None:
            return None
        return self.fns.layer_groups.health(self.layer_stats)

    def test(self, dispatch, source, state: list) -> dict:
        """Runs one dispatch of test steps on `state = [rest, metrics]` (updated in place)."""
        rest, metrics = state
        if isinstance(dispatch, HostBatch):
            rest, metrics, logs = self.fns.test_once(self.params, rest, metrics,
                                                     to_global_batch(dispatch.packed))
        else:
            rest, metrics, logs = self.fns.test_arrays(
                self.params, rest, metrics, self._arrays(dispatch, source)[0], dispatch.start,
                steps=dispatch.steps, batch_size=dispatch.batch_size)
        state[:] = [rest, metrics]
        return logs

    def predict(self, dispatch, source):
        """Runs one prediction step; returns the outputs (on the device; in a multi-process
        run, this process's rows, on the host)."""
        if isinstance(dispatch, HostBatch):
            x = to_global_batch(dispatch.batch[0])
        elif isinstance(dispatch, GlobalDispatch):
            x = dispatch.batches.at(0)[0]
        else:
            sl = slice(dispatch.start, min(dispatch.start + dispatch.batch_size,
                                           source.num_samples))
            x = jax.tree_util.tree_map(lambda a: a[sl], source.x)
        # in a multi-process run: this process's rows (the samples it fed), on the host
        return to_local_outputs(self.fns.predict_once(self.params, self.rest, (x,)))

    def _arrays(self, dispatch, source):
        """The arrays a dispatch of array data reads, and their epoch order: the source's
        arrays on the device, or (multi-process run) the dispatch's own global batches."""
        if isinstance(dispatch, GlobalDispatch):
            return dispatch.batches, None
        return source.on_device(place_replicated), self.order


# ---- how a run stops ------------------------------------------------------------------------

class InterruptGuard:
    """While active, the first SIGINT only sets `requested`; a second one interrupts at once.

    The loop checks `requested` between dispatches, finishes cleanly (weights of the last
    finished step, `on_train_end`), then raises `KeyboardInterrupt` itself. Outside the main
    thread (background training) signals cannot be caught, and the guard does nothing.

    Example:
        >>> with InterruptGuard() as guard:
        ...     guard.requested
        False
    """

    def __init__(self):
        self.requested = False
        self._previous = None
        self._active = False

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            try:
                self._previous = signal.signal(signal.SIGINT, self._handle)
                self._active = True
            except ValueError:  # not allowed here (e.g. inside some embedded interpreters)
                self._active = False
        return self

    def _handle(self, signum, frame):
        if self.requested:
            self._restore()
            raise KeyboardInterrupt
        self.requested = True

    def _restore(self):
        if self._active:
            signal.signal(signal.SIGINT, self._previous)
            self._active = False

    def __exit__(self, *exc):
        self._restore()
        return False


class StopSignal:
    """Every reason a run stops early, asked in one place.

    `model.stop_training = True` (EarlyStopping, TerminateOnNaN), a Ctrl-C or Jupyter's stop
    button (the run's `InterruptGuard`), and `BackgroundFit.stop()` or the live view's Stop
    button (`request()`).

    Example:
        >>> signal = StopSignal()
        >>> signal.request(); signal.requested
        True
    """

    def __init__(self):
        self.requested = False
        self.model = None
        self.guard: InterruptGuard | None = None

    def begin(self, model, guard: InterruptGuard | None = None) -> None:
        """Starts watching one run of `model`."""
        self.model, self.guard = model, guard

    def request(self) -> None:
        """Asks the run to stop after its current dispatch."""
        self.requested = True

    def clear(self) -> None:
        self.requested = False

    @property
    def interrupted(self) -> bool:
        """Whether a keyboard interrupt asked for the stop."""
        return self.guard is not None and self.guard.requested

    def is_set(self) -> bool:
        """Whether the run should stop now."""
        return bool(self.requested or self.interrupted or (
            self.model is not None and getattr(self.model, "stop_training", False)))
