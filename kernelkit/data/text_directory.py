"""`text_dataset_from_directory`: a folder of class subfolders of `.txt` files as batches."""

from __future__ import annotations

import numpy as np

from kernelkit.data.directory_index import directory_dataset

__all__ = ["text_dataset_from_directory"]


def text_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                class_names=None, batch_size=32, max_length=None, shuffle=True,
                                seed=None, validation_split=None, subset=None,
                                follow_links=False, format="tf", verbose=True):
    """Loads the `.txt` files under `directory` as a `PyDataset` of `(texts, labels)`.

    Files are listed, labelled and shuffled as Keras does; each batch of texts is a NumPy
    object array of `str` (read as UTF-8), ready for `TextVectorization`.

    Args:
        directory: The folder (one subfolder per class with `labels="inferred"`).
        labels: `"inferred"`, `None`, or a list of labels in sorted file order.
        label_mode: `"int"`, `"categorical"`, `"binary"` or `None`.
        class_names: Optional class order (subfolder names).
        batch_size: Texts per batch; `None` gives single texts.
        max_length: Optional number of characters each text is cut to.
        shuffle: Whether to shuffle the files.
        seed: The shuffling (and splitting) seed.
        validation_split: The share of files kept for validation.
        subset: `"training"`, `"validation"` or `"both"` (returns both datasets).
        follow_links: Whether to follow symbolic links.
        format: Accepted for Keras compatibility; the result is always a `PyDataset`.
        verbose: Whether to print how many files were found.

    Returns:
        A `DirectoryDataset`, or a pair for `subset="both"`.

    Raises:
        ValueError: for bad labels, label modes or split arguments.

    Example:
        >>> import tempfile, pathlib
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> for name, text in [("neg", "bad"), ("pos", "good")]:
        ...     (root / name).mkdir(); _ = (root / name / "0.txt").write_text(text)
        >>> texts, labels = text_dataset_from_directory(root, shuffle=False, verbose=False)[0]
        >>> texts.tolist(), labels.tolist()
        (['bad', 'good'], [0, 1])
    """

    def load(paths):
        texts = []
        for path in paths:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            texts.append(text if max_length is None else text[:max_length])
        return np.array(texts, dtype=object)

    return directory_dataset("text_dataset_from_directory", directory, labels=labels,
                             label_mode=label_mode, class_names=class_names, formats=(".txt",),
                             load=load, batch_size=batch_size, shuffle=shuffle, seed=seed,
                             validation_split=validation_split, subset=subset,
                             follow_links=follow_links, verbose=verbose)
