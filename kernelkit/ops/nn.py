"""Neural-network ops (`keras.ops.nn`): activations, convolutions, pooling, normalization, losses.

Each op lives in a module of its own concept (`nn_activations`, `nn_conv`, `nn_pooling`,
`nn_normalization`, `nn_losses`, `nn_ctc`, `nn_attention`, `nn_patches`, `nn_complex`,
`nn_shrink`, `nn_softmax`); this
module gathers them under Keras's family name.

Example:
    >>> import numpy as np
    >>> from kernelkit.ops import nn
    >>> nn.relu(np.array([-1.0, 2.0])).tolist()
    [0.0, 2.0]
"""

from __future__ import annotations

from kernelkit.ops import (
                 nn_activations,
                 nn_attention,
                 nn_complex,
                 nn_conv,
                 nn_ctc,
                 nn_losses,
                 nn_normalization,
                 nn_patches,
                 nn_pooling,
                 nn_shrink,
                 nn_softmax,
)
from kernelkit.ops.nn_activations import *  # noqa: F403
from kernelkit.ops.nn_attention import *  # noqa: F403
from kernelkit.ops.nn_complex import *  # noqa: F403
from kernelkit.ops.nn_conv import *  # noqa: F403
from kernelkit.ops.nn_ctc import *  # noqa: F403
from kernelkit.ops.nn_losses import *  # noqa: F403
from kernelkit.ops.nn_normalization import *  # noqa: F403
from kernelkit.ops.nn_patches import *  # noqa: F403
from kernelkit.ops.nn_pooling import *  # noqa: F403
from kernelkit.ops.nn_shrink import *  # noqa: F403
from kernelkit.ops.nn_softmax import *  # noqa: F403

__all__ = sorted(nn_activations.__all__ + nn_attention.__all__ + nn_complex.__all__
                 + nn_conv.__all__ + nn_ctc.__all__ + nn_losses.__all__
                 + nn_normalization.__all__ + nn_patches.__all__ + nn_pooling.__all__
                 + nn_shrink.__all__ + nn_softmax.__all__)
