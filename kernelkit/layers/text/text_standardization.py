"""The string steps of `TextVectorization` on NumPy: standardize, split, n-grams, padding."""

from __future__ import annotations

import re

import numpy as np

__all__ = ["PUNCTUATION", "make_ngrams", "pad_tokens", "split_text", "standardize_text"]

PUNCTUATION = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
_WHITESPACE = re.compile(r"[ \t\n\v\f\r]+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def standardize_text(texts: np.ndarray, mode) -> np.ndarray:
    """Lowercases (ASCII letters, as TensorFlow's `strings.lower`) and/or strips punctuation.

    Args:
        texts: A str array.
        mode: `"lower_and_strip_punctuation"`, `"lower"`, `"strip_punctuation"`, `None`, or a
            callable taking and returning a str array.

    Returns:
        The standardized str array.

    Example:
        >>> standardize_text(np.array(["Hello, World!"]), "lower_and_strip_punctuation").tolist()
        ['hello world']
    """
    if mode is None:
        return texts
    if callable(mode):
        return np.asarray(mode(texts)).astype(str)

    def one(text: str) -> str:
        if mode in ("lower", "lower_and_strip_punctuation"):
            text = text.translate(_ASCII_LOWER)
        if mode in ("strip_punctuation", "lower_and_strip_punctuation"):
            text = PUNCTUATION.sub("", text)
        return text

    flat = [one(t) for t in texts.reshape(-1).tolist()]
    return np.asarray(flat, dtype=str).reshape(texts.shape) if flat else texts


def split_text(texts: np.ndarray, mode) -> list[list[str]]:
    """Splits each text into tokens: on ASCII whitespace, into characters, or by a callable.

    Args:
        texts: A 1-D str array.
        mode: `"whitespace"`, `"character"` or a callable (str array -> token lists).

    Returns:
        One list of tokens per text.

    Example:
        >>> split_text(np.array(["a b", "c"]), "whitespace")
        [['a', 'b'], ['c']]
    """
    if callable(mode):
        return [[str(t) for t in np.asarray(row).reshape(-1).tolist()]
                for row in mode(texts)]
    if mode == "character":
        return [list(t) for t in texts.tolist()]
    return [[tok for tok in _WHITESPACE.split(t) if tok] for t in texts.tolist()]


def make_ngrams(tokens: list[str], widths) -> list[str]:
    """All n-grams of each width in `widths`, joined by spaces, width by width.

    Example:
        >>> make_ngrams(["a", "b", "c"], (1, 2))
        ['a', 'b', 'c', 'a b', 'b c']
    """
    out = []
    for n in widths:
        out.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out


def pad_tokens(rows: list[list[str]], length=None, fill: str = "") -> np.ndarray:
    """Token lists as a dense `(len(rows), length)` str array (longest row without `length`).

    Example:
        >>> pad_tokens([["a"], ["b", "c"]]).tolist()
        [['a', ''], ['b', 'c']]
    """
    width = max((len(r) for r in rows), default=0) if length is None else length
    out = np.full((len(rows), width), fill, dtype=object)
    for i, row in enumerate(rows):
        row = row[:width]
        out[i, :len(row)] = row
    return out.astype(str)
