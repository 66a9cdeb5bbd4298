"""`StepMethods`: the overridable step methods of `Model` and their compiled functions.

`train_step`, `test_step`, `predict_step`, `compute_loss`, `compute_metrics`,
`compute_loss_and_gradients`, `stateless_compute_loss`, and `make_*_function` with the
`*_function` attributes. The built-in ones carry `default_method`, so a run knows (once, in
`overrides.py`) which of them a model class overrides.
"""

from __future__ import annotations

from flax import nnx

from kernelkit.training import default_steps
from kernelkit.training.overrides import default_method

__all__ = ["StepMethods"]


class StepMethods:
    """Mixin of `Trainer`: the step methods Keras lets a model override."""

    # ---- overridable step logic ---------------------------------------------------------------

    @default_method
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
        return default_steps.default_train_step(self, data)

    @default_method
    def test_step(self, data):
        """One evaluation step on `data`: forward, loss, metrics."""
        return default_steps.default_test_step(self, data)

    @default_method
    def predict_step(self, data):
        """One inference step on `data`: the model's outputs."""
        return default_steps.default_predict_step(self, data)

    @default_method
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss plus `self.losses`; `None` when there is no loss at all.

        Args:
            x: The batch's inputs.
            y: Its targets.
            y_pred: The model's outputs for `x`.
            sample_weight: Per-sample weights.
            training: Whether the step trains (Keras 3 passes it; overrides may omit it).

        Returns:
            A scalar loss, or None.
        """
        return default_steps.default_compute_loss(self, x, y, y_pred, sample_weight, training)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics and returns `get_metrics_result()`.

        Args:
            x: The batch's inputs.
            y: Its targets.
            y_pred: The model's outputs.
            sample_weight: Per-sample weights.

        Returns:
            `{name: value}` of every tracked metric.
        """
        return default_steps.default_compute_metrics(self, x, y, y_pred, sample_weight)

    def compute_loss_and_gradients(self, x, y=None, sample_weight=None):
        """For custom `train_step`s: `(loss, y_pred, grads)`, grads aligned with
        `self.trainable_variables`; apply them with `self.optimizer.apply_gradients(...)`.

        Args:
            x: The batch's inputs.
            y: Its targets.
            sample_weight: Per-sample weights.

        Returns:
            `(loss, y_pred, grads)`.
        """
        from kernelkit.training.step_context import active_step_context

        scope = active_step_context()
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

    # ---- Keras 3 stateless API ------------------------------------------------------------------

    def stateless_compute_loss(self, trainable_variables, non_trainable_variables,
                               metrics_variables, x=None, y=None, y_pred=None,
                               sample_weight=None, training=True):
        """Pure `compute_loss` over three lists of arrays; returns `(loss, (t, nt, m))`.

        Args:
            trainable_variables: Values of `self.trainable_variables`, in order.
            non_trainable_variables: Values of `self.non_trainable_variables`.
            metrics_variables: Values of `self.metrics_variables`.
            x: The batch's inputs.
            y: Its targets.
            y_pred: The outputs (computed from `x` when None).
            sample_weight: Per-sample weights.
            training: The mode of the forward pass.

        Returns:
            `(loss, (trainable, non_trainable, metrics))`: the new values.
        """
        from kernelkit.training.stateless import stateless_compute_loss

        return stateless_compute_loss(self, trainable_variables, non_trainable_variables,
                                      metrics_variables, x, y, y_pred, sample_weight, training)

    def compiled_loss(self, y, y_pred, sample_weight=None, regularization_losses=None):
        """Legacy: the compiled loss plus `regularization_losses`.

        Args:
            y: The targets.
            y_pred: The model's outputs.
            sample_weight: Per-sample weights.
            regularization_losses: Extra scalar losses added to the result.

        Returns:
            The scalar loss.
        """
        value = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
        for extra in regularization_losses or []:
            value = value + extra
        return value


def _trainable(path, value):
    from kernelkit.training.carry import trainable_filter

    return trainable_filter(path, value)
