"""Issue 15: Keras 3 behaviours real programs rely on (keras.io patterns), with Keras as oracle."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import layers
from kernelkit.errors import WrongTypeError
from tests.keras_oracle import keras


def _distiller_class(lib):
    """The keras.io knowledge-distillation pattern: a `compute_loss` override whose signature
    has `allow_empty` and no `training`."""

    class Distiller(lib.Model):
        def __init__(self, student, teacher):
            super().__init__()
            self.student, self.teacher = student, teacher

        def call(self, x):
            return self.student(x)

        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None,
                         allow_empty=False):
            teacher_pred = self.teacher(x, training=False)
            student_loss = lib.losses.mean_squared_error(y, y_pred)
            distill_loss = lib.losses.mean_squared_error(teacher_pred, y_pred)
            return 0.5 * lib.ops.mean(student_loss) + 0.5 * lib.ops.mean(distill_loss)

    return Distiller


def _mlp(lib, units):
    return lib.Sequential([lib.Input((4,)), lib.layers.Dense(units, activation="tanh"),
                           lib.layers.Dense(1)])


def test_compute_loss_override_without_training_argument_trains_like_keras():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = x[:, :1] * 2.0
    results = {}
    teacher_k, student_k = _mlp(keras, 8), _mlp(keras, 3)
    teacher_o, student_o = _mlp(kk, 8), _mlp(kk, 3)
    teacher_o.set_weights(teacher_k.get_weights())
    student_o.set_weights(student_k.get_weights())
    for name, lib, teacher, student in (("keras", keras, teacher_k, student_k),
                                        ("kk", kk, teacher_o, student_o)):
        distiller = _distiller_class(lib)(student, teacher)
        distiller.compile(lib.optimizers.SGD(0.05))
        results[name] = distiller.fit(x, y, epochs=3, batch_size=16, shuffle=False,
                                      verbose=0).history["loss"]
    np.testing.assert_allclose(results["kk"], results["keras"], rtol=1e-4)


def _siamese(lib):
    encoder = lib.Sequential([lib.Input((28, 28, 1)), lib.layers.Conv2D(2, 3),
                              lib.layers.GlobalAveragePooling2D(), lib.layers.Dense(4)])
    left, right = lib.Input((28, 28, 1)), lib.Input((28, 28, 1))
    distance = lib.layers.Subtract()([encoder(left), encoder(right)])
    out = lib.layers.Dense(1, activation="sigmoid")(distance)
    return lib.Model([left, right], out)


def test_siamese_model_fed_rank_3_images_matches_keras():
    rng = np.random.default_rng(1)
    a, b = (rng.uniform(size=(16, 28, 28)).astype("float32") for _ in range(2))
    y = rng.integers(0, 2, size=(16, 1)).astype("float32")
    theirs, ours = _siamese(keras), _siamese(kk)
    ours.set_weights(theirs.get_weights())
    for model, lib in ((theirs, keras), (ours, kk)):
        model.compile(lib.optimizers.SGD(0.1), "binary_crossentropy")
    k_loss = theirs.fit([a, b], y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    o_loss = ours.fit([a, b], y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    np.testing.assert_allclose(o_loss.history["loss"], k_loss.history["loss"], rtol=1e-4)
    np.testing.assert_allclose(ours.predict([a, b], verbose=0),
                               theirs.predict([a, b], verbose=0), atol=1e-5)
    np.testing.assert_allclose(ours.evaluate([a, b], y, verbose=0),
                               theirs.evaluate([a, b], y, verbose=0), rtol=1e-4)
    np.testing.assert_allclose(ours([a, b]), ours([a[..., None], b[..., None]]))


def test_trailing_axis_of_one_is_removed_when_the_input_has_none():
    inputs = kk.Input((5,))
    model = kk.Model(inputs, layers.Dense(2)(inputs))
    x = np.ones((3, 5), "float32")
    np.testing.assert_allclose(model(x[..., None]), model(x))


def test_other_rank_mismatches_keep_the_clear_error():
    inputs = kk.Input((28, 28, 3))
    model = kk.Model(inputs, layers.Flatten()(inputs))
    with pytest.raises(ValueError, match=r"expected shape \(None, 28, 28, 3\).*float32\[2, 28, 28\]"):
        model(np.ones((2, 28, 28), "float32"))


def test_sequential_add_of_a_non_layer_is_a_value_error_too():
    model = kk.Sequential()
    with pytest.raises(ValueError, match=r"add\(\) expects a layer instance") as info:
        model.add("not a layer")
    assert isinstance(info.value, TypeError) and isinstance(info.value, WrongTypeError)
    assert model.layers == []


def test_model_of_non_symbolic_inputs_is_a_value_error_as_in_keras():
    with pytest.raises(ValueError, match="must be symbolic tensors") as info:
        kk.Model(np.ones((2, 3)), kk.Input((3,)))
    assert isinstance(info.value, TypeError)
    with pytest.raises(ValueError):
        keras.Model(np.ones((2, 3)), keras.Input((3,)))
