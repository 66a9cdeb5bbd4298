"""Weight initializers with Keras 3's names, defaults, draws and configs, and `get`.

As in Keras, the snake_case names (`glorot_uniform`, `zeros`, ...) and the long names
(`IdentityInitializer`, `OrthogonalInitializer`, `STFTInitializer`) are the classes
themselves: `glorot_uniform(seed=1)` is a `GlorotUniform`.
"""

from kernelkit.initializers.constant_initializers import Constant, Identity, Ones, Zeros
from kernelkit.initializers.initializer import Initializer
from kernelkit.initializers.lookup import deserialize, get, serialize
from kernelkit.initializers.orthogonal_initializer import Orthogonal
from kernelkit.initializers.random_initializers import RandomNormal, RandomUniform, TruncatedNormal
from kernelkit.initializers.stft_initializer import STFT
from kernelkit.initializers.variance_scaling_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    VarianceScaling,
    compute_fans,
)

IdentityInitializer = identity = Identity
OrthogonalInitializer = orthogonal = Orthogonal
STFTInitializer = stft = STFT
constant = Constant
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
ones = Ones
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
zeros = Zeros

__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
    "IdentityInitializer", "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal",
    "OrthogonalInitializer", "RandomNormal", "RandomUniform", "STFT", "STFTInitializer",
    "TruncatedNormal", "VarianceScaling", "Zeros", "compute_fans", "constant", "deserialize",
    "get", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "identity",
    "lecun_normal", "lecun_uniform", "ones", "orthogonal", "random_normal", "random_uniform",
    "serialize", "stft", "truncated_normal", "variance_scaling", "zeros",
]
