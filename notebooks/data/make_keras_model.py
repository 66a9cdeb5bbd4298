"""Writes `keras_digits.keras` (a small digit classifier trained with Keras 3) for notebook 05.

The notebook loads the file with kernelkit alone; Keras is needed only to re-create it. Also
writes `keras_digits_reference.npz`: a few test images and the probabilities Keras computed for
them, so the notebook can check that kernelkit computes the same function.

Usage (from the repository root, with Keras 3 installed):
    KERAS_BACKEND=jax python notebooks/data/make_keras_model.py
"""

import os
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

HERE = Path(__file__).resolve().parent


def main():
    keras.utils.set_random_seed(0)
    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        (digits.data / 16.0).astype("float32"), digits.target, test_size=0.2, random_state=0,
        stratify=digits.target)
    model = keras.Sequential([
        keras.Input(shape=(64,), name="pixels"),
        keras.layers.Dense(64, activation="relu", name="hidden"),
        keras.layers.BatchNormalization(name="batch_norm"),
        keras.layers.Dropout(0.2, name="dropout"),
        keras.layers.Dense(10, activation="softmax", name="probabilities"),
    ], name="keras_digits")
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=32, epochs=20, verbose=0)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    model.save(HERE / "keras_digits.keras")
    np.savez(HERE / "keras_digits_reference.npz", x=x_test[:20],
             probabilities=model.predict(x_test[:20], verbose=0))
    print(f"Keras {keras.__version__} ({keras.backend.backend()}): test accuracy {accuracy:.4f}; "
          f"wrote {HERE / 'keras_digits.keras'}")


if __name__ == "__main__":
    main()
