"""The code examples of the five API reference pages (../shared/seeds), run as written with
`keras` (or `tf.keras`) replaced by `kernelkit`.

Left out, because they need TensorFlow or a network: `export()` followed by
`tf.saved_model.load` (004). The pages' own doc errors are not encoded (catalogue section 5,
item 19): `ops.means` is written `ops.mean`. Where a page elides data (`dataset = ...`,
`process_line`), small generated arrays stand in.
"""

import numpy as np
import pytest

import kernelkit
import kernelkit as keras
from kernelkit import Model, layers, metrics, ops
from kernelkit.layers import Dense
from kernelkit.models import Sequential, load_model
from kernelkit.optimizers import SGD


def test_functional_api_example():  # 004, 002 (with tf.nn.relu -> the "relu" activation)
    inputs = keras.Input(shape=(37,))
    x = keras.layers.Dense(32, activation="relu")(inputs)
    outputs = keras.layers.Dense(5, activation="softmax")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    assert model.predict(np.ones((2, 37), "float32"), verbose=0).shape == (2, 5)

    inputs = kernelkit.Input(shape=(3,))
    x = kernelkit.layers.Dense(4, activation=kernelkit.activations.relu)(inputs)
    outputs = kernelkit.layers.Dense(5, activation=kernelkit.activations.softmax)(x)
    model = kernelkit.Model(inputs=inputs, outputs=outputs)
    assert model.count_params() == 3 * 4 + 4 + 4 * 5 + 5


def test_sub_models_from_intermediate_tensors_example():  # 004
    inputs = keras.Input(shape=(None, None, 3))
    processed = keras.layers.RandomCrop(width=128, height=128)(inputs)
    conv = keras.layers.Conv2D(filters=32, kernel_size=3)(processed)
    pooling = keras.layers.GlobalAveragePooling2D()(conv)
    feature = keras.layers.Dense(10)(pooling)
    full_model = keras.Model(inputs, feature)
    backbone = keras.Model(processed, conv)
    activations = keras.Model(conv, feature)
    images = np.random.default_rng(0).uniform(size=(2, 128, 128, 3)).astype("float32")
    assert full_model.predict(images, verbose=0).shape == (2, 10)
    crops = keras.Model(inputs, processed).predict(images, verbose=0)
    np.testing.assert_allclose(activations.predict(backbone.predict(crops, verbose=0),
                                                   verbose=0),
                               full_model.predict(images, verbose=0), atol=1e-4)


def test_subclassing_examples():  # 004, 002
    class MyModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense1 = keras.layers.Dense(32, activation="relu")
            self.dense2 = keras.layers.Dense(5, activation="softmax")

        def call(self, inputs):
            x = self.dense1(inputs)
            return self.dense2(x)

    model = MyModel()
    assert model(np.ones((2, 7), "float32")).shape == (2, 5)

    class MyDropoutModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense1 = keras.layers.Dense(32, activation="relu")
            self.dense2 = keras.layers.Dense(5, activation="softmax")
            self.dropout = keras.layers.Dropout(0.5)

        def call(self, inputs, training=False):
            x = self.dense1(inputs)
            x = self.dropout(x, training=training)
            return self.dense2(x)

    model = MyDropoutModel()
    x = np.ones((4, 7), "float32")
    np.testing.assert_allclose(model(x), model(x))  # inference: no dropout
    assert not np.allclose(model(x, training=True), model(x, training=True))


def test_sequential_example_and_compile_with_metrics():  # 004
    model = keras.Sequential([
        keras.Input(shape=(None, None, 3)),
        keras.layers.Conv2D(filters=32, kernel_size=3),
    ])
    assert model.output.shape == (None, None, None, 32)

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss=keras.losses.BinaryCrossentropy(),
        metrics=[
            keras.metrics.BinaryAccuracy(),
            keras.metrics.FalseNegatives(),
        ],
    )
    x = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    logs = model.fit(x, y, epochs=1, verbose=0).history
    assert set(logs) == {"loss", "binary_accuracy", "false_negatives"}


def test_compute_loss_override_example():  # 004 (ops.means -> ops.mean)
    class MyModel(Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loss_tracker = metrics.Mean(name='loss')

        def compute_loss(self, x, y, y_pred, sample_weight):
            loss = ops.mean((y_pred - y) ** 2)
            loss += ops.sum(self.losses)
            self.loss_tracker.update_state(loss)
            return loss

        def reset_metrics(self):
            self.loss_tracker.reset_state()

        @property
        def metrics(self):
            return [self.loss_tracker]

    inputs = layers.Input(shape=(10,), name='my_input')
    outputs = layers.Dense(10)(inputs)
    model = MyModel(inputs, outputs)
    model.add_loss(ops.sum(outputs))

    optimizer = SGD()
    model.compile(optimizer, loss='mse', steps_per_execution=10)
    rng = np.random.default_rng(0)
    dataset = ((rng.normal(size=(8, 10)).astype("float32"),
                rng.normal(size=(8, 10)).astype("float32")) for _ in range(20))
    history = model.fit(dataset, epochs=2, steps_per_epoch=10, verbose=0)
    assert np.isfinite(float(model.loss_tracker.result()))
    assert list(history.history) == ["loss"]


def test_compute_metrics_override_example():  # 004
    class MyModel(Sequential):
        def compute_metrics(self, x, y, y_pred, sample_weight):
            # This super call updates `self.compiled_metrics` and returns
            # results for all metrics listed in `self.metrics`.
            metric_results = super().compute_metrics(
                x, y, y_pred, sample_weight)
            # Note that `self.custom_metric` is not listed
            # in `self.metrics`.
            self.custom_metric.update_state(x, y, y_pred, sample_weight)
            metric_results['metric_name'] = self.custom_metric.result()
            return metric_results

    class SumOfInputs(metrics.Metric):
        def state_shapes(self):
            return {"total": ((), "float32")}

        def update(self, state, x, y, y_pred, sample_weight=None):
            return {"total": state["total"] + ops.sum(x)}

        def compute(self, state):
            return state["total"]

    model = MyModel([keras.Input((2,)), Dense(1)])
    model.custom_metric = SumOfInputs()
    model.compile("sgd", "mse")
    logs = model.fit(np.ones((4, 2), "float32"), np.zeros((4, 1), "float32"), batch_size=4,
                     verbose=0).history
    assert logs["metric_name"] == [8.0]


def test_save_and_load_keras_file_example(tmp_path, monkeypatch):  # 004
    monkeypatch.chdir(tmp_path)
    model = keras.Sequential([
        keras.layers.Dense(5, input_shape=(3,)),
        keras.layers.Softmax()],
    )
    model.save("model.keras")
    loaded_model = keras.saving.load_model("model.keras")
    x = keras.random.uniform((10, 3))
    assert np.allclose(model.predict(x), loaded_model.predict(x))


def test_save_and_load_h5_example(tmp_path, monkeypatch):  # 000, 002, 003
    monkeypatch.chdir(tmp_path)
    model = Sequential([keras.Input((3,)), Dense(2)])
    model.compile("adam", "mse")
    expected = model.predict(np.ones((1, 3), "float32"), verbose=0)
    model.save('my_model.h5')  # creates a HDF5 file 'my_model.h5'
    del model  # deletes the existing model

    # returns a compiled model
    # identical to the previous one
    model = load_model('my_model.h5')
    assert model.compiled
    np.testing.assert_allclose(model.predict(np.ones((1, 3), "float32"), verbose=0), expected)


def test_delayed_build_sequential_example():  # 003
    x = np.random.default_rng(0).normal(size=(64, 500)).astype("float32")
    y = np.random.default_rng(1).normal(size=(64, 32)).astype("float32")
    optimizer, loss = "sgd", "mse"

    # Optionally, the first layer can receive an `input_shape` argument:
    model = Sequential()
    model.add(Dense(32, input_shape=(500,)))
    # Afterwards, we do automatic shape inference:
    model.add(Dense(32))
    assert model.built and model.count_params() == 500 * 32 + 32 + 32 * 32 + 32

    # This is identical to the following:
    model = Sequential()
    model.add(Dense(32, input_dim=500))
    assert model.built

    # And to the following:
    model = Sequential()
    model.add(Dense(32, batch_input_shape=(None, 500)))
    assert model.built

    # Note that you can also omit the `input_shape` argument:
    # In that case the model gets built the first time you call `fit` (or other
    # training and evaluation methods).
    model = Sequential()
    model.add(Dense(32))
    model.add(Dense(32))
    model.compile(optimizer=optimizer, loss=loss)
    assert not model.built
    # This builds the model for the first time:
    model.fit(x, y, batch_size=32, epochs=10, verbose=0)
    assert model.built


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_fit_generator_example(tmp_path):  # 000, 003 (a small file stands in for /my_file.txt)
    path = tmp_path / "my_file.txt"
    rng = np.random.default_rng(0)
    path.write_text("\n".join(" ".join(f"{v:.4f}" for v in rng.normal(size=5))
                              for _ in range(8)))

    def process_line(line):
        values = np.array(line.split(), "float32")
        return values[None, :2], values[None, 2:4], values[None, 4:]

    inputs_1, inputs_2 = keras.Input((2,), name="input_1"), keras.Input((2,), name="input_2")
    merged = layers.Concatenate()([inputs_1, inputs_2])
    model = keras.Model([inputs_1, inputs_2], Dense(1, name="output")(merged))
    model.compile("sgd", "mse")

    def generate_arrays_from_file(path):
        while 1:
            f = open(path)
            for line in f:
                # create numpy arrays of input data
                # and labels, from each line in the file
                x1, x2, y = process_line(line)
                yield ({'input_1': x1, 'input_2': x2}, {'output': y})
            f.close()

    history = model.fit_generator(generate_arrays_from_file(path),
                                  steps_per_epoch=8, epochs=2)
    assert len(history.history["loss"]) == 2
