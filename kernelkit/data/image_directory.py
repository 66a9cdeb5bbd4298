"""`image_dataset_from_directory`: a folder of class subfolders of images as batches."""

from __future__ import annotations

import jax
import numpy as np

from kernelkit import config
from kernelkit.data.directory_index import directory_dataset
from kernelkit.data.image_files import img_to_array, load_img, smart_resize

__all__ = ["image_dataset_from_directory"]

_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}


def image_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, color_mode="rgb", batch_size=32,
                                 image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None, interpolation="bilinear",
                                 follow_links=False, crop_to_aspect_ratio=False,
                                 pad_to_aspect_ratio=False, data_format=None, format="tf",
                                 verbose=True):
    """Loads the images under `directory` as a `PyDataset` of `(images, labels)` batches.

    Files are listed, labelled and shuffled as Keras does (sorted subfolders are classes;
    `np.random.RandomState(seed)` shuffles), and decoded on demand with Pillow; images are
    resized to `image_size` with `jax.image.resize` and returned as float32.

    Args:
        directory: The folder (one subfolder per class with `labels="inferred"`).
        labels: `"inferred"`, `None`, or a list of labels in sorted file order.
        label_mode: `"int"`, `"categorical"`, `"binary"` or `None`.
        class_names: Optional class order (subfolder names).
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
        batch_size: Images per batch; `None` gives single images.
        image_size: `(height, width)` every image is resized to.
        shuffle: Whether to shuffle the files.
        seed: The shuffling (and splitting) seed.
        validation_split: The share of files kept for validation.
        subset: `"training"`, `"validation"` or `"both"` (returns both datasets).
        interpolation: The `jax.image.resize` method (`"bilinear"`, `"nearest"`, ...).
        follow_links: Whether to follow symbolic links.
        crop_to_aspect_ratio: Center-crop to the target aspect ratio before resizing.
        pad_to_aspect_ratio: Pad with zeros to the target aspect ratio before resizing.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        format: Accepted for Keras compatibility; the result is always a `PyDataset`.
        verbose: Whether to print how many files were found.

    Returns:
        A `DirectoryDataset` (with `class_names` and `file_paths`), or a pair for
        `subset="both"`.

    Raises:
        ValueError: for an unknown `color_mode`, both aspect-ratio options, or bad labels and
            split arguments.

    Example:
        >>> import tempfile, pathlib, numpy as np
        >>> from kernelkit.data.image_files import save_img
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> for i, name in enumerate(["cat", "dog"]):
        ...     (root / name).mkdir()
        ...     save_img(root / name / "0.png", np.full((6, 8, 3), 50.0 * i), scale=False)
        >>> ds = image_dataset_from_directory(root, image_size=(4, 4), verbose=False)
        >>> x, y = ds[0]
        >>> x.shape, sorted(y.tolist()), ds.class_names
        ((2, 4, 4, 3), [0, 1], ['cat', 'dog'])
    """
    who = "image_dataset_from_directory"
    if color_mode not in _CHANNELS:
        raise ValueError(
            f"{who}: unknown `color_mode`. Expected 'grayscale', 'rgb' or 'rgba'. Received: "
            f"color_mode={color_mode!r}."
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            f"{who}: `crop_to_aspect_ratio` and `pad_to_aspect_ratio` exclude each other. "
            "Expected at most one of them True. Received: both True. Pick one."
        )
    data_format = data_format or config.image_data_format()
    size = tuple(image_size)

    def load(paths):
        images = [_load_one(p, color_mode, size, interpolation, crop_to_aspect_ratio,
                            pad_to_aspect_ratio) for p in paths]
        batch = np.stack(images)  # (batch, height, width, channels)
        return batch.transpose(0, 3, 1, 2) if data_format == "channels_first" else batch

    return directory_dataset(who, directory, labels=labels, label_mode=label_mode,
                             class_names=class_names, formats=_FORMATS, load=load,
                             batch_size=batch_size, shuffle=shuffle, seed=seed,
                             validation_split=validation_split, subset=subset,
                             follow_links=follow_links, verbose=verbose)


def _load_one(path, color_mode, size, interpolation, crop, pad):
    image = img_to_array(load_img(path, color_mode=color_mode), dtype="float32")
    if crop:
        return np.asarray(smart_resize(image, size, interpolation=interpolation))
    if pad:
        image = _pad_to_aspect(image, size)
    shape = size + image.shape[-1:]
    return np.asarray(jax.image.resize(image, shape, method=interpolation, antialias=False))


def _pad_to_aspect(image, size):
    height, width = image.shape[:2]
    target = size[0] / size[1]
    if height / width < target:  # too wide: pad rows
        new_h = int(round(width * target))
        top = (new_h - height) // 2
        return np.pad(image, ((top, new_h - height - top), (0, 0), (0, 0)))
    new_w = int(round(height / target))
    left = (new_w - width) // 2
    return np.pad(image, ((0, 0), (left, new_w - width - left), (0, 0)))
