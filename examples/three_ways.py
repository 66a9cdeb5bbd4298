"""The main demo: one small classifier built the three Keras ways, with its summary."""

import numpy as np

import kernelkit as kk
from kernelkit import layers


def sequential_model():
    return kk.Sequential([
        kk.Input(shape=(64,)),
        layers.Dense(32, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ], name="sequential_way")


def functional_model():
    inputs = kk.Input(shape=(64,), name="pixels")
    hidden = layers.Dense(32, activation="relu")(inputs)
    outputs = layers.Dense(10, activation="softmax")(hidden)
    return kk.Model(inputs, outputs, name="functional_way")


class SubclassedModel(kk.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(32, activation="relu")
        self.classifier = layers.Dense(10, activation="softmax")

    def call(self, inputs, training=False):
        return self.classifier(self.hidden(inputs))


def main():
    kk.utils.set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(5, 64)).astype("float32")
    models = [sequential_model(), functional_model(), SubclassedModel(name="subclassed_way")]
    for model in models:
        probabilities = np.asarray(model(x))
        model.summary()
        print(f"{model.name}: output {probabilities.shape}, rows sum to "
              f"{probabilities.sum(axis=1).round(4).tolist()}\n")
    reference = models[0].get_weights()
    for model in models[1:]:
        model.set_weights(reference)
        np.testing.assert_allclose(np.asarray(model(x)), np.asarray(models[0](x)), rtol=1e-5)
    print("The three models compute the same function with the same weights.")


if __name__ == "__main__":
    main()
