"""Weight initializers with Keras 3's names, defaults, draws and configs, and `get`."""

from kernelkit.initializers.constant import Constant, Identity, Ones, Zeros
from kernelkit.initializers.initializer import Initializer
from kernelkit.initializers.lookup import deserialize, get, serialize
from kernelkit.initializers.orthogonal import Orthogonal
from kernelkit.initializers.random_initializers import RandomNormal, RandomUniform, TruncatedNormal
from kernelkit.initializers.stft import STFT
from kernelkit.initializers.variance_scaling import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    VarianceScaling,
    compute_fans,
)

__all__ = [
    "STFT", "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
    "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "RandomNormal",
    "RandomUniform", "TruncatedNormal", "VarianceScaling", "Zeros", "compute_fans",
    "deserialize", "get", "serialize",
]
