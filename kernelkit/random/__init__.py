"""`kernelkit.random`: Keras 3's random functions and `SeedGenerator`, and the global seed.

Every function takes `seed=`: an int gives the same numbers at every call (exactly Keras's
numbers for that int), a `SeedGenerator` gives new numbers at every call (its state, held by a
layer, advances at every training step), and None draws from the global seed that
`set_random_seed` sets.

Example:
    >>> from kernelkit import random
    >>> bool((random.normal((3,), seed=1) == random.normal((3,), seed=1)).all())
    True
"""

from kernelkit.random.distributions import (
    beta,
    binomial,
    categorical,
    gamma,
    normal,
    randint,
    truncated_normal,
    uniform,
)
from kernelkit.random.global_seed import (
    draw_seed,
    get_generator_state,
    next_key,
    set_generator_state,
    set_random_seed,
)
from kernelkit.random.sampling import dropout, shuffle
from kernelkit.random.seed_generator import SeedGenerator

__all__ = ["SeedGenerator", "beta", "binomial", "categorical", "draw_seed", "dropout", "gamma",
           "get_generator_state", "next_key", "normal", "randint", "set_generator_state",
           "set_random_seed", "shuffle", "truncated_normal", "uniform"]
