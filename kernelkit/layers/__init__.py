"""Keras layers on Flax NNX: the `Layer` base, `Input`, and the layer library.

Each family lives in its own subpackage and lists its public classes in `__all__`.
"""

from kernelkit.layers import (
    activations,
    attention,
    audio,
    augmentation,
    conv,
    core,
    interop,
    merging,
    normalization,
    pooling,
    preprocessing,
    regularization,
    reshaping,
    rnn,
    structured,
    text,
)
from kernelkit.layers.activations import *  # noqa: F403
from kernelkit.layers.attention import *  # noqa: F403
from kernelkit.layers.audio import *  # noqa: F403
from kernelkit.layers.augmentation import *  # noqa: F403
from kernelkit.layers.conv import *  # noqa: F403
from kernelkit.layers.core import *  # noqa: F403
from kernelkit.layers.flax_module import FlaxModule
from kernelkit.layers.input_layer import Input, InputLayer
from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.interop import *  # noqa: F403
from kernelkit.layers.layer import Layer
from kernelkit.layers.merging import *  # noqa: F403
from kernelkit.layers.normalization import *  # noqa: F403
from kernelkit.layers.pooling import *  # noqa: F403
from kernelkit.layers.preprocessing import *  # noqa: F403
from kernelkit.layers.regularization import *  # noqa: F403
from kernelkit.layers.reshaping import *  # noqa: F403
from kernelkit.layers.rnn import *  # noqa: F403
from kernelkit.layers.serialization import deserialize, serialize
from kernelkit.layers.structured import *  # noqa: F403
from kernelkit.layers.text import *  # noqa: F403

__all__ = sorted(
    ["FlaxModule", "Input", "InputLayer", "InputSpec", "Layer", "deserialize", "serialize"]
    + activations.__all__ + attention.__all__ + audio.__all__ + augmentation.__all__ + conv.__all__
    + core.__all__ + interop.__all__ + merging.__all__ + normalization.__all__ + pooling.__all__
    + preprocessing.__all__ + regularization.__all__ + reshaping.__all__ + rnn.__all__
    + structured.__all__ + text.__all__
)


def __getattr__(name: str):
    # A missing name gets kernelkit's own message, not Python's "Did you mean ...?" hint that
    # points at a different layer (e.g. `Rescaling` for `Resizing`).
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(
        f"kernelkit.layers has no attribute '{name}': this layer is not available in kernelkit "
        "yet. Expected a Keras 3 layer name such as 'Dense' or 'Conv2D' (see "
        "`kernelkit.layers.__all__` for the full list). If Keras 3 has it, write it as a custom "
        "`kernelkit.layers.Layer` subclass for now, or wrap a Flax module with "
        "`kernelkit.layers.FlaxModule`."
    )
