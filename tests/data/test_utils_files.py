"""`kernelkit.utils` image files, directory datasets and `get_file`, against Keras 3 where it
runs without TensorFlow (image utils, `index_directory`)."""

import io
import tarfile
import wave

import numpy as np
import pytest
from keras.src.utils import dataset_utils as keras_dataset_utils

from kernelkit import utils
from kernelkit.data.image_files import smart_resize
from tests.keras_oracle import keras

RNG = np.random.RandomState(0)
IMAGE = RNG.rand(7, 9, 3).astype("float32") * 255


@pytest.mark.parametrize("channels, data_format", [(3, "channels_last"), (1, "channels_last"),
                                                   (4, "channels_first"), (3, "channels_first")])
def test_array_to_img_and_back_match_keras(channels, data_format):
    x = IMAGE[..., :1].repeat(channels, -1) if channels != 3 else IMAGE
    if data_format == "channels_first":
        x = x.transpose(2, 0, 1)
    for scale in (True, False):
        ours = utils.array_to_img(x, data_format=data_format, scale=scale)
        theirs = keras.utils.array_to_img(x, data_format=data_format, scale=scale)
        assert ours.mode == theirs.mode and ours.size == theirs.size
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
        back = utils.img_to_array(ours, data_format=data_format)
        np.testing.assert_array_equal(back, keras.utils.img_to_array(theirs,
                                                                     data_format=data_format))
    with pytest.raises(ValueError, match="rank 3"):
        utils.array_to_img(np.zeros((2, 2)))


@pytest.mark.parametrize("kwargs", [{}, {"color_mode": "grayscale"}, {"color_mode": "rgba"},
                                    {"target_size": (4, 5)},
                                    {"target_size": (4, 4), "interpolation": "bilinear",
                                     "keep_aspect_ratio": True}])
def test_save_and_load_img_match_keras(tmp_path, kwargs):
    path = tmp_path / "image.png"
    utils.save_img(path, IMAGE)
    keras.utils.save_img(tmp_path / "keras.png", IMAGE)
    np.testing.assert_array_equal(np.asarray(utils.load_img(path)),
                                  np.asarray(keras.utils.load_img(tmp_path / "keras.png")))
    ours, theirs = utils.load_img(path, **kwargs), keras.utils.load_img(path, **kwargs)
    assert ours.mode == theirs.mode
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    buffer = io.BytesIO(path.read_bytes())
    np.testing.assert_array_equal(np.asarray(utils.load_img(buffer, **kwargs)), np.asarray(ours))


def test_load_img_errors():
    with pytest.raises(TypeError, match="path or an io.BytesIO"):
        utils.load_img(3)
    with pytest.raises(ValueError, match="color_mode"):
        utils.load_img(io.BytesIO(b""), color_mode="cmyk")


@pytest.mark.parametrize("size, interpolation", [((4, 5), "bilinear"), ((8, 3), "nearest"),
                                                 ((7, 9), "bicubic")])
def test_smart_resize_matches_keras(size, interpolation):
    for x in (IMAGE, IMAGE[None].repeat(2, 0)):
        np.testing.assert_allclose(smart_resize(x, size, interpolation=interpolation),
                                   keras.preprocessing.image.smart_resize(
                                       x, size, interpolation=interpolation), atol=1e-3)


def _tree(tmp_path, suffix, write):
    root = tmp_path / "classes"
    for label, count in (("b_dog", 2), ("a_cat", 3), ("c_eel", 1)):
        (root / label / "nested").mkdir(parents=True)
        for i in range(count):
            write(root / label / ("nested" if i == 2 else "") / f"{i}{suffix}", i)
    (root / "a_cat" / "notes.md").write_text("skip me")
    return root


@pytest.fixture
def image_root(tmp_path):
    def write(path, i):
        utils.save_img(path, RNG.rand(5 + i, 6, 3) * 255, scale=False)
    return _tree(tmp_path, ".png", write)


@pytest.mark.parametrize("kwargs", [{"shuffle": False}, {"seed": 3},
                                    {"class_names": ["c_eel", "a_cat"], "seed": 1}])
def test_directory_index_matches_keras(image_root, kwargs):
    formats = (".png", ".jpg")
    ours = utils.image_dataset_from_directory(image_root, batch_size=2, image_size=(4, 4),
                                              verbose=False, **kwargs)
    shuffle, seed = kwargs.get("shuffle", True), kwargs.get("seed")
    paths, labels, names = keras_dataset_utils.index_directory(
        str(image_root), "inferred", formats, kwargs.get("class_names"), shuffle, seed)
    assert ours.file_paths == paths and ours.class_names == names
    assert np.concatenate([ours[i][1] for i in range(len(ours))]).tolist() == list(labels)


def test_image_dataset_batches_label_modes_and_subsets(image_root):
    ds = utils.image_dataset_from_directory(image_root, image_size=(4, 3), batch_size=4,
                                            label_mode="categorical", seed=1, verbose=False)
    x, y = ds[0]
    assert x.shape == (4, 4, 3, 3) and x.dtype == np.float32 and y.shape == (4, 3)
    gray = utils.image_dataset_from_directory(image_root, image_size=(4, 4), batch_size=None,
                                              color_mode="grayscale", labels=None,
                                              verbose=False)
    assert gray[0].shape == (4, 4, 1) and len(gray) == 6
    train, val = utils.image_dataset_from_directory(image_root, image_size=(4, 4), seed=2,
                                                    validation_split=0.34, subset="both",
                                                    verbose=False)
    assert len(train.file_paths) == 4 and len(val.file_paths) == 2
    assert not set(train.file_paths) & set(val.file_paths)
    with pytest.raises(ValueError, match="needs a `seed`"):
        utils.image_dataset_from_directory(image_root, validation_split=0.2, subset="training")
    with pytest.raises(ValueError, match="exactly 2 classes"):
        utils.image_dataset_from_directory(image_root, label_mode="binary", verbose=False)
    with pytest.raises(ValueError, match="do not match the subfolders"):
        utils.image_dataset_from_directory(image_root, class_names=["zebra"], verbose=False)


def test_image_dataset_crop_and_pad_keep_aspect(tmp_path):
    root = tmp_path / "one"
    root.mkdir()
    wide = np.zeros((4, 8, 3))
    wide[:, 2:6] = 200  # a bright center, dark sides
    utils.save_img(root / "w.png", wide, scale=False)
    kwargs = {"labels": None, "image_size": (4, 4), "batch_size": None, "verbose": False,
              "interpolation": "nearest"}
    cropped = utils.image_dataset_from_directory(root, crop_to_aspect_ratio=True, **kwargs)[0]
    padded = utils.image_dataset_from_directory(root, pad_to_aspect_ratio=True, **kwargs)[0]
    assert cropped.min() == 200  # the crop keeps only the center
    assert padded[0].max() == 0 and padded[2].max() == 200  # rows of zeros pad above


def test_text_dataset_from_directory(tmp_path):
    root = _tree(tmp_path, ".txt", lambda path, i: path.write_text(f"text {i} é" * (i + 1)))
    ds = utils.text_dataset_from_directory(root, batch_size=3, max_length=8, seed=5,
                                           verbose=False)
    texts, labels = ds[0]
    assert texts.dtype == object and len(texts) == 3 and all(len(t) <= 8 for t in texts)
    assert ds.class_names == ["a_cat", "b_dog", "c_eel"]
    paths, keras_labels, _ = keras_dataset_utils.index_directory(str(root), "inferred",
                                                                 (".txt",), None, True, 5)
    assert ds.file_paths == paths and labels.tolist() == list(keras_labels[:3])


def _write_wav(path, i):
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(8000)
        f.writeframes((np.arange(3 + i) * 1000).astype("<i2").tobytes())


def test_audio_dataset_from_directory(tmp_path):
    root = _tree(tmp_path, ".wav", _write_wav)
    ds = utils.audio_dataset_from_directory(root, batch_size=6, shuffle=False, verbose=False)
    audio, labels = ds[0]
    assert audio.shape == (6, 5, 1) and labels.tolist() == [0, 0, 0, 1, 1, 2]
    np.testing.assert_allclose(audio[1, :4, 0], np.arange(4) * 1000 / 32768)
    assert audio[0, 3:].max() == 0  # zero-padded to the longest clip
    cut = utils.audio_dataset_from_directory(root, batch_size=2, output_sequence_length=2,
                                             shuffle=False, verbose=False)
    assert cut[0][0].shape == (2, 2, 1)
    ragged = utils.audio_dataset_from_directory(root, batch_size=2, ragged=True,
                                                shuffle=False, verbose=False)
    assert [len(c) for c in ragged[0][0]] == [3, 4]
    with pytest.raises(ValueError, match="does not resample"):
        utils.audio_dataset_from_directory(root, sampling_rate=16000, verbose=False)[0]


def test_get_file_copies_checks_hash_and_extracts(tmp_path):
    source = tmp_path / "data.txt"
    source.write_text("hello")
    cache = tmp_path / "cache"
    path = utils.get_file(origin=source.as_uri(), cache_dir=cache)
    assert path == str(cache / "datasets" / "data.txt") and open(path).read() == "hello"
    sha = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    assert utils.get_file("copy.txt", str(source), file_hash=sha, cache_dir=cache)
    with pytest.raises(ValueError, match="hash"):
        utils.get_file("bad.txt", str(source), file_hash="0" * 64, cache_dir=cache)
    archive = tmp_path / "pack.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(source, arcname="inner/data.txt")
    folder = utils.get_file("pack.tar.gz", archive.as_uri(), extract=True, cache_dir=cache)
    assert open(f"{folder}/inner/data.txt").read() == "hello"
    with pytest.raises(ValueError, match="origin"):
        utils.get_file("x")
    with pytest.raises(ValueError, match="plain file name"):
        utils.get_file("a/b.txt", source.as_uri(), cache_dir=cache)


def test_get_file_without_network_says_how_to_work_offline(tmp_path):
    with pytest.raises(OSError, match="file:///"):
        utils.get_file("x.txt", "http://127.0.0.1:9/x.txt", cache_dir=tmp_path)
