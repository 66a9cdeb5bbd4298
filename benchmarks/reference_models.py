"""The three reference models of DESIGN.md section 5, written for kernelkit, Keras 3 and NNX."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from flax import nnx


@dataclass(frozen=True)
class Case:
    """One benchmark case: a model, its data size and batch size."""

    name: str
    input_shape: tuple
    num_samples: int
    batch_size: int
    epochs: int = 4  # steady epochs timed: a tiny model's epoch lasts ~20 ms, so it needs more
    classes: int = 10

    def data(self, seed=0):
        rng = np.random.default_rng(seed)
        x = rng.normal(size=(self.num_samples, *self.input_shape)).astype("float32")
        y = rng.integers(0, self.classes, size=(self.num_samples,)).astype("int32")
        return x, y


CASES = {
    "tiny_mlp": Case("tiny MLP 32-32-10", (32,), 32_768, 32, epochs=16),
    "mlp": Case("MLP 784-512-512-10", (784,), 32_768, 128),
    "cnn": Case("CNN conv32-pool-conv64-pool-dense", (28, 28, 1), 8_192, 128),
}


def keras_like(lib, case_key):
    """The reference model in the Keras API of `lib` (kernelkit or keras)."""
    layers = lib.layers
    if case_key == "tiny_mlp":
        body = [layers.Dense(32, activation="relu"), layers.Dense(10)]
    elif case_key == "mlp":
        body = [layers.Dense(512, activation="relu"), layers.Dense(512, activation="relu"),
                layers.Dense(10)]
    else:
        body = [layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
                layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2),
                layers.Flatten(), layers.Dense(10)]
    return lib.Sequential([lib.Input(CASES[case_key].input_shape), *body])


class NNXModel(nnx.Module):
    """The reference model as a hand-written Flax NNX module."""

    def __init__(self, case_key, rngs: nnx.Rngs):
        self.case_key = case_key
        if case_key == "tiny_mlp":
            self.layers = nnx.List([nnx.Linear(32, 32, rngs=rngs), nnx.Linear(32, 10, rngs=rngs)])
        elif case_key == "mlp":
            self.layers = nnx.List([nnx.Linear(784, 512, rngs=rngs),
                                    nnx.Linear(512, 512, rngs=rngs),
                                    nnx.Linear(512, 10, rngs=rngs)])
        else:
            self.conv1 = nnx.Conv(1, 32, (3, 3), padding="VALID", rngs=rngs)
            self.conv2 = nnx.Conv(32, 64, (3, 3), padding="VALID", rngs=rngs)
            self.head = nnx.Linear(5 * 5 * 64, 10, rngs=rngs)

    def __call__(self, x):
        if self.case_key != "cnn":
            for layer in self.layers[:-1]:
                x = nnx.relu(layer(x))
            return self.layers[-1](x)
        x = nnx.max_pool(nnx.relu(self.conv1(x)), (2, 2), (2, 2))
        x = nnx.max_pool(nnx.relu(self.conv2(x)), (2, 2), (2, 2))
        return self.head(x.reshape((x.shape[0], -1)))
