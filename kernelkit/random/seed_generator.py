"""`SeedGenerator`: a seed held in model state that advances at every draw, and `to_key`."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from kernelkit.errors import describe
from kernelkit.naming import to_snake_case, unique_name
from kernelkit.random.global_seed import draw_seed, next_key

__all__ = ["SeedGenerator", "SeedGeneratorState", "SeedTypeError", "to_key"]


class SeedTypeError(TypeError, ValueError):
    """A seed of the wrong type (a `ValueError` too, which is what Keras raises).

    Example:
        >>> issubclass(SeedTypeError, ValueError) and issubclass(SeedTypeError, TypeError)
        True
    """


class SeedGeneratorState(nnx.RngState):
    """The non-trainable `uint32[2]` variable of a `SeedGenerator`, named as in Keras.

    As an NNX random-state variable it travels with the rest of a model's non-trainable state
    through the jitted training step, and stays out of `model.weights` (as in Keras).

    Example:
        >>> SeedGenerator(7).state.numpy().tolist()
        [7, 0]
    """

    @property
    def name(self) -> str:
        return self.get_metadata().get("name", "seed_generator_state")

    @property
    def path(self) -> str:
        return self.get_metadata().get("path", self.name)

    @property
    def trainable(self) -> bool:
        return False

    def numpy(self) -> np.ndarray:
        """Returns a NumPy copy of the current value."""
        return np.array(self[...])

    def assign(self, value) -> None:
        """Replaces the value (cast to `uint32`); the shape must stay `(2,)`."""
        value = jnp.asarray(value, jnp.uint32)
        if value.shape != (2,):
            raise ValueError(
                f"SeedGenerator state '{self.path}': cannot assign a value of another shape. "
                f"Expected shape (2,). Received: value of shape {tuple(value.shape)}. "
                "Assign a pair [seed, counter]."
            )
        self[...] = value


class SeedGenerator(nnx.Pytree, pytree=False):
    """Holds a random seed as state, so that each draw that uses it gives new numbers.

    A random function given an integer `seed` returns the same numbers at every call; given a
    `SeedGenerator`, it uses the generator's current state and advances it. Set as an
    attribute of a layer, the state is part of the model's non-trainable state: it advances at
    every step of `fit()` (inside the jitted step), as in Keras. As in Keras, the state is not
    one of the layer's `weights` and is not written to `.keras` files: a loaded generator
    starts again from its seed.

    Args:
        seed: Initial seed (an integer). `None` draws one from the global seed, so
            `kernelkit.utils.set_random_seed` makes the stream reproducible.
        name: Optional name (default `seed_generator`, `seed_generator_1`, ...).
        **kwargs: Only `backend=` is accepted (and ignored), as in Keras.

    Raises:
        ValueError: if `seed` is not an integer or an unknown keyword is given.

    Example:
        >>> from kernelkit import random
        >>> gen = SeedGenerator(42)
        >>> a = random.normal((2,), seed=gen)
        >>> b = random.normal((2,), seed=gen)
        >>> bool((a == b).all()), gen.state.numpy().tolist()
        (False, [42, 2])
    """

    _kk_not_a_layer = True

    def __init__(self, seed=None, name=None, **kwargs):
        kwargs.pop("backend", None)
        if kwargs:
            raise ValueError(
                f"SeedGenerator: unrecognized keyword arguments {sorted(kwargs)}. Expected "
                "only `seed` and `name`. Received: "
                + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()) + "."
            )
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self._initial_seed = seed
        if seed is None:
            seed = draw_seed()
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
            raise SeedTypeError(
                f"SeedGenerator '{self.name}': the seed must be an integer. Expected a Python "
                f"int or None. Received: seed={seed!r} of type {type(seed).__name__}. "
                "Pass an int such as 1337."
            )
        with jax.ensure_compile_time_eval():
            value = jnp.array([int(seed) & 0xFFFFFFFF, 0], dtype=jnp.uint32)
        self.state = SeedGeneratorState(value, name="seed_generator_state",
                                        path=f"{self.name}/seed_generator_state")

    def next(self, ordered: bool = True) -> jax.Array:
        """Returns the current state (`uint32[2]`) and advances it.

        Args:
            ordered: Advance by counting (`[seed, n] -> [seed, n + 1]`, the default) or by
                Keras's scrambling step `(state + 1) * 5387 % 933199`.

        Returns:
            The state before the advance: the raw key data of the draw.

        Example:
            >>> gen = SeedGenerator(5)
            >>> gen.next().tolist(), gen.next().tolist()
            ([5, 0], [5, 1])
        """
        current = self.state[...]
        if ordered:
            self.state[...] = current + jnp.array([0, 1], jnp.uint32)
        else:
            self.state[...] = (current + 1) * 5387 % 933199
        return current

    def get_config(self) -> dict:
        """The constructor arguments: `{"seed": ..., "name": ...}` (the seed as given).

        Example:
            >>> SeedGenerator(3, name="noise").get_config()
            {'seed': 3, 'name': 'noise'}
        """
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> SeedGenerator:
        """Builds a generator from `get_config()`'s dict.

        Example:
            >>> SeedGenerator.from_config({"seed": 3, "name": "g"}).state.numpy().tolist()
            [3, 0]
        """
        return cls(**config)

    def __repr__(self) -> str:
        return f"<SeedGenerator name={self.name}, seed={self._initial_seed}>"


def _in_trace() -> bool:
    return isinstance(jnp.ones(()), jax.core.Tracer)


def to_key(seed, who: str) -> jax.Array:
    """The PRNG key of a draw for a `seed=` argument: an int, a `SeedGenerator`, a key or None.

    An int gives Keras's key for that int; a `SeedGenerator` gives its current state and
    advances it; `None` draws from the global seed (refused inside a jitted function, where
    the drawn key would be frozen into the compiled code, as Keras refuses it).

    Args:
        seed: The `seed=` argument of a random function.
        who: The function's name, for error messages.

    Returns:
        A typed PRNG key.

    Raises:
        ValueError: for `seed=None` inside a traced function.
        SeedTypeError: for a seed of any other type.

    Example:
        >>> import jax
        >>> jax.random.key_data(to_key(3, "normal")).tolist()
        [3, 0]
    """
    if isinstance(seed, SeedGenerator):
        return _wrap(seed.next())
    if seed is None:
        if _in_trace():
            raise ValueError(
                f"kernelkit.random.{who}: cannot draw from the global seed inside a jitted "
                "function (the key would be frozen at trace time). Expected an int or a "
                "SeedGenerator. Received: seed=None. Create `self.seed_generator = "
                "kernelkit.random.SeedGenerator(1337)` in your layer and pass "
                "`seed=self.seed_generator`."
            )
        return next_key(None)
    if isinstance(seed, int | np.integer) and not isinstance(seed, bool):
        return next_key(int(seed))
    if isinstance(seed, jax.Array | np.ndarray):
        if jax.dtypes.issubdtype(seed.dtype, jax.dtypes.prng_key):
            return seed
        if seed.shape == (2,) and jnp.issubdtype(seed.dtype, jnp.integer):
            return _wrap(jnp.asarray(seed, jnp.uint32))
    raise SeedTypeError(
        f"kernelkit.random.{who}: invalid `seed`. Expected an int, a SeedGenerator or None. "
        f"Received: seed={describe(seed)}. Pass an int for repeatable "
        "draws or a SeedGenerator for a stream."
    )


def _wrap(data: jax.Array) -> jax.Array:
    if jax.config.jax_default_prng_impl == "threefry2x32":
        return jax.random.wrap_key_data(data)
    return jax.random.fold_in(jax.random.key(data[0]), data[1])
