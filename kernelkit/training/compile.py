"""`compile()`: resolving the optimizer, losses and metrics, and the compile config."""

from __future__ import annotations

from kernelkit import config, optimizers
from kernelkit.registry import deserialize, serialize
from kernelkit.training.compile_loss import CompileLoss, serialize_entries
from kernelkit.training.compile_metrics import CompileMetrics

__all__ = ["compile_model", "compile_from_config", "get_compile_config"]

_LEGACY = ("sample_weight_mode", "target_tensors", "distribute", "experimental_run_tf_function")


def compile_model(model, optimizer="rmsprop", loss=None, *args, loss_weights=None, metrics=None,
                  weighted_metrics=None, run_eagerly=False, steps_per_execution="auto",
                  jit_compile="auto", auto_scale_loss=True, **kwargs):
    """Configures `model` for training; see `Model.compile`."""
    if args:
        raise TypeError(
            f"Model '{model.name}': compile() takes the optimizer and the loss positionally; "
            "everything else is keyword-only, because its order changed between Keras versions "
            f"(metrics before loss_weights in Keras 2, after in Keras 3). Received {len(args)} "
            "extra positional argument(s). Pass them by name, e.g. compile(opt, loss, "
            "metrics=[...])."
        )
    mode = kwargs.pop("sample_weight_mode", None)
    if mode not in (None, "temporal") and not isinstance(mode, dict | list):
        raise ValueError(
            f"compile: sample_weight_mode must be None or 'temporal'. Received: {mode!r}."
        )
    unknown = sorted(set(kwargs) - set(_LEGACY))
    if unknown:
        raise TypeError(
            f"compile: unexpected keyword argument(s) {unknown}. Expected optimizer, loss, "
            "loss_weights, metrics, weighted_metrics, run_eagerly, steps_per_execution, "
            "jit_compile, auto_scale_loss."
        )
    if steps_per_execution != "auto" and (isinstance(steps_per_execution, bool) or not
                                          isinstance(steps_per_execution, int)
                                          or steps_per_execution < 1):
        raise ValueError(
            "compile: steps_per_execution must be a positive integer or 'auto'. "
            f"Received: steps_per_execution={steps_per_execution!r}."
        )
    if jit_compile not in ("auto", True, False):
        raise ValueError(
            f"compile: jit_compile must be True, False or 'auto'. Received: {jit_compile!r}."
        )
    resolved = optimizers.get(optimizer)  # names, Optimizer objects and optax transforms
    if auto_scale_loss and config.dtype_policy() == "mixed_float16" and not isinstance(
            resolved, optimizers.LossScaleOptimizer):
        resolved = optimizers.LossScaleOptimizer(resolved)
    names = model.output_names_for_compile()
    compile_loss = CompileLoss(loss, loss_weights, names) if loss is not None else None
    compile_metrics = CompileMetrics(metrics, weighted_metrics, names)
    model._set_compiled(
        optimizer=resolved, loss=loss, loss_weights=loss_weights, metrics_arg=metrics,
        weighted_metrics=weighted_metrics, compile_loss=compile_loss,
        compile_metrics=compile_metrics, run_eagerly=bool(run_eagerly),
        steps_per_execution=steps_per_execution, jit_compile=jit_compile,
        auto_scale_loss=auto_scale_loss,
    )


def get_compile_config(model) -> dict | None:
    """The compile arguments as a JSON-friendly dict (Keras 3's keys)."""
    if not model.compiled:
        return None
    return {
        "optimizer": serialize(model.optimizer),
        "loss": serialize_entries(model.loss),
        "loss_weights": model._compile_args["loss_weights"],
        "metrics": serialize_entries(model._compile_args["metrics_arg"]),
        "weighted_metrics": serialize_entries(model._compile_args["weighted_metrics"]),
        "run_eagerly": model.run_eagerly,
        "steps_per_execution": model.steps_per_execution,
        "jit_compile": model.jit_compile,
    }


def compile_from_config(model, config: dict) -> None:
    """Compiles `model` from `get_compile_config()`'s output."""
    if not isinstance(config, dict):
        raise ValueError(
            "compile_from_config: expected the dict returned by get_compile_config(). "
            f"Received: config of type {type(config).__name__}."
        )
    config = dict(config)

    def revive(value, module):
        if isinstance(value, dict) and "class_name" in value:
            return deserialize(value, module=module, where="compile_config")
        if isinstance(value, dict):
            return {k: revive(v, module) for k, v in value.items()}
        if isinstance(value, list):
            return [revive(v, module) for v in value]
        return value

    config["optimizer"] = revive(config.get("optimizer", "rmsprop"), "keras.optimizers")
    config["loss"] = revive(config.get("loss"), "keras.losses")
    config["metrics"] = revive(config.get("metrics"), "keras.metrics")
    config["weighted_metrics"] = revive(config.get("weighted_metrics"), "keras.metrics")
    model.compile(**config)
