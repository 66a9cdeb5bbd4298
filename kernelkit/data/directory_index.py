"""Listing a folder of class subfolders as (file paths, labels, class names), as Keras does."""

from __future__ import annotations

import os

import numpy as np

from kernelkit.data.py_dataset import PyDataset

__all__ = ["DirectoryDataset", "check_split_arguments", "directory_dataset", "encode_labels",
           "index_directory", "split_for_subset"]


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None,
                    follow_links=False, verbose=True):
    """Lists the files of `directory` ending in `formats`, with their integer labels.

    With `labels="inferred"` each subfolder (sorted, or in `class_names` order) is a class;
    files are walked in sorted order and shuffled with `np.random.RandomState(seed)`.

    Args:
        directory: The folder.
        labels: `"inferred"`, `None`, or a list of labels (one per file, sorted order).
        formats: Tuple of lower-case file endings, e.g. `(".png", ".jpg")`.
        class_names: Optional explicit class order (a subset of the subfolders).
        shuffle: Whether to shuffle the files.
        seed: The shuffling seed.
        follow_links: Whether to follow symbolic links into subfolders.
        verbose: Whether to print how many files were found.

    Returns:
        `(file_paths, labels, class_names)`; labels and class names are `None` without
        labels.

    Raises:
        ValueError: if `class_names` names missing subfolders, or is given without
            inferred labels, or `labels` has the wrong length.

    Example:
        >>> import tempfile, pathlib
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> for name in ["cat/a.txt", "dog/b.txt"]:
        ...     (root / name).parent.mkdir(exist_ok=True); _ = (root / name).write_text("x")
        >>> paths, labels, names = index_directory(root, "inferred", (".txt",), verbose=False,
        ...                                        shuffle=False)
        >>> labels.tolist(), names
        ([0, 1], ['cat', 'dog'])
    """
    directory = os.fspath(directory)
    if labels == "inferred":
        subdirs = [d for d in sorted(os.listdir(directory))
                   if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")]
        if class_names is not None:
            if not set(class_names) <= set(subdirs):
                raise ValueError(
                    f"index_directory: `class_names` do not match the subfolders of "
                    f"{directory!r}. Expected a subset of {subdirs}. Received: "
                    f"class_names={class_names}."
                )
            subdirs = list(class_names)
    else:
        if class_names is not None:
            raise ValueError(
                "index_directory: `class_names` needs labels='inferred'. Expected "
                f"class_names=None. Received: class_names={class_names}, labels={labels!r}."
            )
        subdirs = [""]
    filenames, label_list = [], []
    for index, subdir in enumerate(subdirs):
        root_dir = os.path.join(directory, subdir)
        base = os.path.basename(root_dir)
        walk = sorted(os.walk(root_dir, followlinks=follow_links), key=lambda w: w[0])
        for root, _, files in walk:
            for fname in sorted(files):
                if fname.lower().endswith(formats):
                    path = os.path.join(root, fname)
                    filenames.append(os.path.join(base, os.path.relpath(path, root_dir)))
                    label_list.append(index)
    if labels == "inferred":
        labels, names = np.asarray(label_list, dtype="int32"), subdirs
    elif labels is None:
        names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError(
                "index_directory: `labels` must have one entry per file. Expected "
                f"{len(filenames)} labels (files found in {directory!r}). Received: "
                f"len(labels)={len(labels)}."
            )
        names = [str(label) for label in sorted(set(labels))]
    if verbose:
        found = f"Found {len(filenames)} files"
        print(found + ("." if labels is None else f" belonging to {len(names)} classes."))
    paths = [os.path.join(directory, f) for f in filenames]
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(paths)
        if labels is not None:
            labels = np.asarray(labels)
            np.random.RandomState(seed).shuffle(labels)
    return paths, labels, names


def split_for_subset(paths, labels, validation_split, subset):
    """Keeps the training (first) or validation (last) `validation_split` share of files.

    Args:
        paths: The file paths.
        labels: Their labels, or `None`.
        validation_split: The validation share in (0, 1), or `None`.
        subset: `"training"`, `"validation"` or `None` (all files).

    Returns:
        `(paths, labels)` of the subset.

    Example:
        >>> split_for_subset(list("abcde"), None, 0.4, "validation")
        (['d', 'e'], None)
    """
    if not validation_split or subset is None:
        return paths, labels
    count = int(validation_split * len(paths))
    if subset == "training":
        keep = slice(0, len(paths) - count)
    else:
        keep = slice(len(paths) - count, len(paths))
    return paths[keep], None if labels is None else labels[keep]


def check_split_arguments(who, validation_split, subset, shuffle, seed):
    """Validates `validation_split`/`subset`, as Keras's directory datasets do.

    Raises:
        ValueError: for a split outside (0, 1), one of the two without the other, an
            unknown subset, or a shuffled split without a seed.

    Example:
        >>> check_split_arguments("demo", 0.2, "training", True, 1)
    """
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(
            f"{who}: `validation_split` must be between 0 and 1. Expected a float in (0, 1). "
            f"Received: validation_split={validation_split}."
        )
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError(
            f"{who}: `validation_split` and `subset` go together. Expected both or neither. "
            f"Received: validation_split={validation_split}, subset={subset!r}."
        )
    if subset not in ("training", "validation", "both", None):
        raise ValueError(
            f"{who}: unknown `subset`. Expected 'training', 'validation' or 'both'. "
            f"Received: subset={subset!r}."
        )
    if validation_split and shuffle and seed is None:
        raise ValueError(
            f"{who}: a shuffled `validation_split` needs a `seed`, so both subsets split the "
            f"same shuffle. Expected an int seed. Received: seed=None. Pass seed=..."
        )


class DirectoryDataset(PyDataset):
    """Batches of files loaded on demand, with their labels (`image_dataset_from_directory`).

    Args:
        paths: The file paths, in order.
        labels: Their encoded labels (an array), or `None`.
        load: A function from a list of paths to a batch array.
        batch_size: Files per batch; `None` gives single items.
        class_names: The class names, or `None`.

    Example:
        >>> import numpy as np
        >>> ds = DirectoryDataset(["a", "b", "c"], np.array([0, 1, 0]),
        ...                       lambda ps: np.array([len(p) for p in ps]), 2, ["x", "y"])
        >>> len(ds), ds[1][1].tolist(), ds.class_names
        (2, [0], ['x', 'y'])
    """

    def __init__(self, paths, labels, load, batch_size, class_names):
        super().__init__()
        self.file_paths, self.labels = list(paths), labels
        self._load, self.batch_size, self.class_names = load, batch_size, class_names

    def __len__(self) -> int:
        if self.batch_size is None:
            return len(self.file_paths)
        return -(-len(self.file_paths) // self.batch_size)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(
                f"DirectoryDataset: batch index {index} is out of range. Expected an index in "
                f"[0, {len(self)}). Received: index={index}."
            )
        size = self.batch_size or 1
        part = slice(index * size, (index + 1) * size)
        x = self._load(self.file_paths[part])
        if self.labels is None:
            return x if self.batch_size else x[0]
        y = self.labels[part]
        return (x, y) if self.batch_size else (x[0], y[0])


def encode_labels(who, labels, label_mode, num_classes):
    """Encodes integer labels as Keras does: `"int"`, `"binary"` (float `(n, 1)`),
    `"categorical"` (one-hot float32), or `None`.

    Raises:
        ValueError: for an unknown `label_mode`, or `"binary"` with more than two classes.

    Example:
        >>> import numpy as np
        >>> encode_labels("demo", np.array([0, 1]), "binary", 2).tolist()
        [[0.0], [1.0]]
    """
    if labels is None or label_mode is None:
        return None
    labels = np.asarray(labels)
    if label_mode == "int":
        return labels.astype("int32")
    if label_mode == "binary":
        if num_classes != 2:
            raise ValueError(
                f"{who}: label_mode='binary' needs exactly 2 classes. Expected 2 classes. "
                f"Received: {num_classes} classes. Use label_mode='categorical' or 'int'."
            )
        return labels.astype("float32")[:, None]
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[labels]
    raise ValueError(
        f"{who}: unknown `label_mode`. Expected 'int', 'categorical', 'binary' or None. "
        f"Received: label_mode={label_mode!r}."
    )


def directory_dataset(who, directory, *, labels, label_mode, class_names, formats, load,
                      batch_size, shuffle, seed, validation_split, subset, follow_links,
                      verbose):
    """Indexes `directory`, splits it, and returns one `DirectoryDataset` (or two for
    `subset="both"`), the shared body of the `*_dataset_from_directory` functions.

    Raises:
        ValueError: for bad split arguments, label modes, or a folder without files.

    Example:
        >>> import tempfile, pathlib
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (root / "a.txt").write_text("hi")
        >>> ds = directory_dataset("demo", root, labels=None, label_mode=None,
        ...     class_names=None, formats=(".txt",), load=lambda ps: [len(p) for p in ps],
        ...     batch_size=2, shuffle=False, seed=None, validation_split=None, subset=None,
        ...     follow_links=False, verbose=False)
        >>> len(ds)
        1
    """
    if labels not in ("inferred", None) and not isinstance(labels, list | tuple):
        raise ValueError(
            f"{who}: `labels` must be 'inferred', None, or a list of labels. Received: "
            f"labels={labels!r}."
        )
    if labels is None:
        label_mode = None
    check_split_arguments(who, validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, found, names = index_directory(directory, labels, formats, class_names, shuffle,
                                          seed, follow_links, verbose)
    if not paths:
        raise ValueError(
            f"{who}: no files found in {str(directory)!r}. Expected files ending in "
            f"{formats}. Received: directory={str(directory)!r}. Check the path."
        )
    num_classes = len(names) if names else 0
    encoded = encode_labels(who, found, label_mode, num_classes)
    subsets = ["training", "validation"] if subset == "both" else [subset]
    datasets = []
    for part in subsets:
        part_paths, part_labels = split_for_subset(paths, encoded, validation_split, part)
        datasets.append(DirectoryDataset(part_paths, part_labels, load, batch_size, names))
    return tuple(datasets) if subset == "both" else datasets[0]
