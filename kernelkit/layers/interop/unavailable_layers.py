"""`TFSMLayer` and `TorchModuleWrapper`: Keras names whose frameworks kernelkit does not run."""

from __future__ import annotations

from kernelkit.layers.layer import Layer

__all__ = ["TFSMLayer", "TorchModuleWrapper"]


class TFSMLayer(Layer):
    """Keras's layer around a TensorFlow SavedModel; kernelkit runs no TensorFlow.

    Constructing it raises an error that names the alternatives.

    Args:
        filepath: The SavedModel's path (Keras's argument).
        call_endpoint: The endpoint to call (Keras's argument).
        call_training_endpoint: The training endpoint (Keras's argument).
        trainable: Whether the weights train (Keras's argument).
        name: The layer's name.
        dtype: The layer's dtype policy.

    Raises:
        NotImplementedError: Always.

    Example:
        >>> try:
        ...     TFSMLayer("exported/")
        ... except NotImplementedError as e:
        ...     print(str(e).split(".")[0])
        TFSMLayer: TensorFlow SavedModels cannot run in kernelkit, which runs on JAX only
    """

    def __init__(self, filepath, call_endpoint="serve", call_training_endpoint=None,
                 trainable=True, name=None, dtype=None):
        raise NotImplementedError(
            "TFSMLayer: TensorFlow SavedModels cannot run in kernelkit, which runs on JAX "
            f"only. Received: filepath={filepath!r}. Rebuild the model in kernelkit and load "
            "its Keras 3 `.keras` or `.weights.h5` file, or wrap a JAX version of the "
            "computation (e.g. exported with jax2tf's inverse, or rewritten) in "
            "kernelkit.layers.JaxLayer."
        )


class TorchModuleWrapper(Layer):
    """Keras's layer around a `torch.nn.Module`; kernelkit runs no PyTorch.

    Constructing it raises an error that names the alternatives.

    Args:
        module: The torch module (Keras's argument).
        name: The layer's name.
        **kwargs: Other layer arguments.

    Raises:
        NotImplementedError: Always.

    Example:
        >>> try:
        ...     TorchModuleWrapper(object())
        ... except NotImplementedError as e:
        ...     print(str(e).split(".")[0])
        TorchModuleWrapper: PyTorch modules cannot run in kernelkit, which runs on JAX only
    """

    def __init__(self, module, name=None, **kwargs):
        raise NotImplementedError(
            "TorchModuleWrapper: PyTorch modules cannot run in kernelkit, which runs on JAX "
            f"only. Received: module of type {type(module).__name__}. Rewrite the module as a "
            "kernelkit Layer, as a Flax NNX module wrapped in kernelkit.layers.FlaxModule, "
            "or as a pure JAX function wrapped in kernelkit.layers.JaxLayer; copy its "
            "weights with set_weights()."
        )
