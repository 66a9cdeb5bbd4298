"""`decode_predictions`: ImageNet class probabilities to (id, name, score) tuples, from a local file."""

from __future__ import annotations

import json
import os

import numpy as np

__all__ = ["CLASS_INDEX_ENV", "decode_predictions"]

CLASS_INDEX_ENV = "KERNELKIT_IMAGENET_CLASS_INDEX"
_CLASS_INDEX_URL = (
    "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json")
_loaded: dict[str, dict] = {}


def _class_index(class_index):
    if isinstance(class_index, dict):
        return class_index
    path = class_index or os.environ.get(CLASS_INDEX_ENV)
    if not path:
        raise ValueError(
            f"decode_predictions: no ImageNet class index is available (it cannot be "
            f"downloaded here). Expected class_index='/path/to/imagenet_class_index.json' or "
            f"the {CLASS_INDEX_ENV} environment variable. Received: class_index=None. "
            f"Download {_CLASS_INDEX_URL} elsewhere and point to it.")
    path = os.fspath(path)
    if path not in _loaded:
        if not os.path.exists(path):
            raise ValueError(
                f"decode_predictions: the class index file does not exist. Expected a JSON "
                f"file mapping '0'..'999' to [wnid, name]. Received: class_index={path!r}. "
                f"Check the path.")
        with open(path, encoding="utf-8") as f:
            _loaded[path] = json.load(f)
    return _loaded[path]


def decode_predictions(preds, top=5, class_index=None):
    """Turns a batch of ImageNet predictions into the `top` (wnid, name, score) per sample.

    The class index is Keras's `imagenet_class_index.json`, read from a local file: the
    `class_index` argument, else the `KERNELKIT_IMAGENET_CLASS_INDEX` environment variable.

    Args:
        preds: Array of shape `(samples, 1000)`.
        top: How many top guesses to return per sample.
        class_index: Path of the class-index JSON file, or the loaded dict itself.

    Returns:
        A list (one per sample) of lists of `(class_name, class_description, score)`.

    Raises:
        ValueError: If `preds` is not `(samples, 1000)` or no class index is available.

    Example:
        >>> import numpy as np
        >>> index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
        >>> preds = np.zeros((1, 1000)); preds[0, 7] = 0.9
        >>> decode_predictions(preds, top=1, class_index=index)[0][0][:2]
        ('n00000007', 'class_7')
    """
    shape = tuple(np.shape(preds))
    if len(shape) != 2 or shape[1] != 1000:
        raise ValueError(
            f"decode_predictions: expects a batch of ImageNet predictions. Expected shape "
            f"(samples, 1000). Received: preds.shape={shape}. Pass the model's output.")
    index = _class_index(class_index)
    results = []
    for pred in np.asarray(preds):
        best = pred.argsort()[-top:][::-1]
        row = [tuple(index[str(i)]) + (pred[i],) for i in best]
        row.sort(key=lambda item: item[2], reverse=True)
        results.append(row)
    return results
