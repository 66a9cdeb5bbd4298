"""`kernelkit.preprocessing` has Keras 3's `keras.preprocessing` names, and they behave alike."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import preprocessing
from tests.keras_oracle import keras


@pytest.mark.parametrize("path", [(), ("image",), ("sequence",)])
def test_every_keras_preprocessing_name_exists(path):
    theirs, ours = keras.preprocessing, preprocessing
    for part in path:
        theirs, ours = getattr(theirs, part), getattr(ours, part)
    names = {n for n in dir(theirs) if not n.startswith("_")}
    assert sorted(n for n in names if not hasattr(ours, n)) == []


def test_the_names_are_the_utils_functions():
    assert preprocessing.image.load_img is kk.utils.load_img
    assert preprocessing.sequence.pad_sequences is kk.utils.pad_sequences
    assert preprocessing.image_dataset_from_directory is kk.utils.image_dataset_from_directory
    assert preprocessing.timeseries_dataset_from_array is \
        kk.utils.timeseries_dataset_from_array


def test_image_and_sequence_functions_match_keras():
    x = np.random.RandomState(1).rand(6, 10, 3) * 255
    np.testing.assert_allclose(preprocessing.image.smart_resize(x, (3, 4)),
                               keras.preprocessing.image.smart_resize(x, (3, 4)), atol=1e-3)
    seqs = [[1, 2, 3], [4]]
    np.testing.assert_array_equal(preprocessing.sequence.pad_sequences(seqs, padding="post"),
                                  keras.preprocessing.sequence.pad_sequences(seqs,
                                                                             padding="post"))
    np.testing.assert_array_equal(
        np.asarray(preprocessing.image.array_to_img(x)),
        np.asarray(keras.preprocessing.image.array_to_img(x)))
