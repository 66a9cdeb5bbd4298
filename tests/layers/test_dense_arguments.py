"""Dense refuses the Keras arguments kernelkit does not implement, as EinsumDense does."""

import pytest

import kernelkit as kk
from tests.keras_oracle import keras


@pytest.mark.parametrize(("arg", "value"), [("lora_rank", 2), ("lora_alpha", 8.0),
                                            ("quantization_config", {"mode": "int8"})])
def test_dense_refuses_unsupported_arguments_like_einsum_dense(arg, value):
    with pytest.raises(ValueError) as dense_error:
        kk.layers.Dense(4, name="d", **{arg: value})
    with pytest.raises(ValueError) as einsum_error:
        kk.layers.EinsumDense("ab,bc->ac", output_shape=4, name="d", **{arg: value})
    assert str(dense_error.value) == f"Dense 'd': `{arg}` is not supported by kernelkit. " \
        f"Expected None. Received: {arg}={value!r}. Remove the argument."
    assert str(dense_error.value).replace("Dense", "EinsumDense", 1) == str(einsum_error.value)


def test_keras_dense_config_with_the_arguments_unset_loads():
    config = keras.layers.Dense(3, name="d").get_config()
    layer = kk.layers.Dense.from_config(config)
    assert (layer.units, layer.name) == (3, "d")
    assert kk.layers.Dense.from_config(layer.get_config()).get_config() == layer.get_config()


def test_dense_has_no_from_config_of_its_own():
    assert "from_config" not in vars(kk.layers.Dense)
