"""`TextVectorization`: raw strings to token ids or bag-of-words vectors, on the host."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from kernelkit.layers.structured.host_layer import HostLayer, to_host_array
from kernelkit.layers.symbolic import SymbolicTensor
from kernelkit.layers.text.string_lookup import StringLookup
from kernelkit.layers.text.text_standardization import (
    make_ngrams,
    pad_tokens,
    split_text,
    standardize_text,
)
from kernelkit.registry import deserialize, register_builtin, serialize

__all__ = ["TextVectorization"]

_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")
_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


@register_builtin("keras.layers")
class TextVectorization(HostLayer):
    """Standardizes, splits and looks up strings: `"The cat"` -> `[2, 5]` (or a count vector).

    Runs on the host (NumPy). A model that starts with it trains with `fit()` on NumPy string
    arrays: the layer runs on each batch before the compiled step. The vocabulary comes from
    `adapt`, `vocabulary` or `set_vocabulary`; index 0 is padding (`""`), index 1 is OOV.

    Args:
        max_tokens: Maximum vocabulary size, padding and OOV included (`None`: no limit).
        standardize: `"lower_and_strip_punctuation"` (default), `"lower"`,
            `"strip_punctuation"`, `None`, or a callable on a str array.
        split: `"whitespace"` (default), `"character"`, `None`, or a callable.
        ngrams: `None`, an int `n` (all n-grams up to `n`), or a tuple of widths.
        output_mode: `"int"` (default), `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        output_sequence_length: In `"int"` mode, pad or truncate every row to this length.
        pad_to_max_tokens: Whether encoded outputs have `max_tokens` columns.
        vocabulary: Optional list/array of strings, or a text file path.
        idf_weights: IDF weights for `output_mode="tf_idf"` with a `vocabulary`.
        sparse: Only `False`.
        ragged: Only `False`.
        encoding: Text encoding of byte inputs (`"utf-8"`).
        name: Layer name.
        **kwargs: Base layer arguments and `vocabulary_size` from `get_config`.

    Input shape:
        `(batch,)` or `(batch, 1)` strings.

    Output shape:
        `(batch, output_sequence_length)` ids in `"int"` mode, else `(batch, depth)`.

    Example:
        >>> import numpy as np
        >>> layer = TextVectorization(vocabulary=["the", "cat"])
        >>> layer(np.array(["The cat!", "a cat"])).tolist()
        [[2, 3], [1, 3]]
    """

    takes_strings = True

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int",
                 output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None,
                 **kwargs):
        has_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        self._check_args(standardize, split, ngrams, output_mode, output_sequence_length,
                         sparse, ragged)
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._ragged = ragged
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        self._has_input_vocabulary = has_vocabulary
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=output_mode,
            sparse=sparse, has_input_vocabulary=has_vocabulary, encoding=encoding,
            vocabulary_size=vocabulary_size)
        self._lookup_layer.built = True  # weightless: symbolic calls need no eager build pass

    def _check_args(self, standardize, split, ngrams, output_mode, output_sequence_length,
                    sparse, ragged):
        who = f"TextVectorization '{self.name}'"
        for arg, value, allowed in (("standardize", standardize, _STANDARDIZE),
                                    ("split", split, _SPLIT)):
            if not (value is None or callable(value) or value in allowed):
                raise ValueError(f"{who}: unknown `{arg}`. Expected one of {list(allowed)}, "
                                 f"None or a callable. Received: {arg}={value!r}.")
        if output_mode not in _MODES:
            raise ValueError(f"{who}: unknown `output_mode`. Expected one of {list(_MODES)}. "
                             f"Received: output_mode={output_mode!r}.")
        if not (ngrams is None or isinstance(ngrams, int) or isinstance(ngrams, tuple)
                and all(isinstance(n, int) for n in ngrams)):
            raise ValueError(f"{who}: `ngrams` must be None, an integer or a tuple of "
                             f"integers. Received: ngrams={ngrams!r}.")
        if output_mode == "int" and not (output_sequence_length is None
                                         or isinstance(output_sequence_length, int)):
            raise ValueError(f"{who}: `output_sequence_length` must be None or an integer. "
                             f"Received: output_sequence_length={output_sequence_length!r}.")
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(f"{who}: `output_sequence_length` is only used with "
                             f"output_mode='int'. Received: output_mode={output_mode!r}, "
                             f"output_sequence_length={output_sequence_length!r}.")
        for arg, value in (("sparse", sparse), ("ragged", ragged)):
            if value:
                raise ValueError(f"{who}: {arg}=True needs the TensorFlow backend in Keras and "
                                 f"is not supported. Received: {arg}=True. Use {arg}=False.")

    # ---- vocabulary ---------------------------------------------------------------------------

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learns the vocabulary (and IDF weights) from strings.

        Args:
            data: An array or list of strings (one batch), or an iterable/generator of
                batches of strings.
            batch_size: Unused; accepted as in Keras.
            steps: Optional number of batches to read from an iterable.
        """
        self.reset_state()
        if isinstance(data, list | tuple | np.ndarray | str) or hasattr(data, "shape") \
                or not hasattr(data, "__iter__"):
            self.update_state(data)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data) -> None:
        self._lookup_layer.update_state(self._preprocess(data))

    def finalize_state(self) -> None:
        self._lookup_layer.finalize_state()

    def reset_state(self) -> None:
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens=True) -> list:
        """The vocabulary, index `i` holding the token that maps to `i`.

        Args:
            include_special_tokens: Whether to include the padding and OOV tokens.

        Returns:
            The tokens as a list of strings.
        """
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        """The vocabulary size, padding and OOV indices included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Sets the vocabulary (a list/array or a text file path) and IDF weights directly.

        Args:
            vocabulary: The terms, or the path of a text file with one per line.
            idf_weights: One weight per term, for `output_mode="tf_idf"` only.
        """
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # ---- call ---------------------------------------------------------------------------------

    def _preprocess(self, inputs) -> np.ndarray:
        texts = standardize_text(to_host_array(inputs, self._encoding).astype(str),
                                 self._standardize)
        if self._split is None:
            rows = None
        else:
            if texts.ndim > 1:
                if texts.shape[-1] != 1:
                    raise ValueError(
                        f"TextVectorization '{self.name}': to split strings the input must be "
                        "of shape (batch,) or (batch, 1). Received: inputs of shape "
                        f"{texts.shape}. Reshape the text to one string per row."
                    )
                texts = texts[..., 0]
            rows = split_text(texts.reshape(-1), self._split)
        if self._ngrams is not None:
            if rows is None:
                rows = [[t] for t in np.atleast_1d(texts).reshape(-1).tolist()]
            rows = [make_ngrams(r, self._ngrams) for r in rows]
        if rows is None:
            return texts
        return pad_tokens(rows)  # `call` cuts or pads to output_sequence_length

    def call(self, inputs):
        tokens = self._preprocess(inputs)
        out = self._lookup_layer.call(tokens)
        if self._output_mode == "int" and self._output_sequence_length is not None:
            length = self._output_sequence_length
            out = out[..., :length]
            if out.shape[-1] < length:
                pad = [(0, 0)] * (out.ndim - 1) + [(0, length - out.shape[-1])]
                out = jnp.pad(out, pad)
        return out

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        if self._split is None:
            if len(input_shape) <= 1:
                input_shape = (*input_shape, 1)
        else:
            input_shape = (*input_shape, None)
        return self._lookup_layer.compute_output_shape(input_shape)

    def compute_output_spec(self, inputs):
        dtype = "int32" if self._output_mode != "tf_idf" else "float32"
        return SymbolicTensor(self.compute_output_shape(inputs.shape), dtype)

    # ---- config and saving --------------------------------------------------------------------

    def get_config(self):
        lookup = self._lookup_layer

        def listify(x):
            return np.asarray(x).tolist() if x is not None else None

        return {
            **super().get_config(),
            "max_tokens": lookup.max_tokens,
            "standardize": (self._standardize if self._standardize is None
                            or isinstance(self._standardize, str)
                            else serialize(self._standardize)),
            "split": (self._split if self._split is None or isinstance(self._split, str)
                      else serialize(self._split)),
            "ngrams": self._ngrams_arg,
            "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": lookup.pad_to_max_tokens,
            "sparse": lookup.sparse,
            "ragged": self._ragged,
            "vocabulary": listify(lookup.input_vocabulary),
            "idf_weights": listify(lookup.input_idf_weights),
            "encoding": self._encoding,
            "vocabulary_size": self.vocabulary_size(),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key, allowed in (("standardize", _STANDARDIZE), ("split", _SPLIT)):
            if config.get(key) is not None and config[key] not in allowed:
                config[key] = deserialize(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return super().from_config(config)

    def save_own_variables(self, store) -> None:
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store) -> None:
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path) -> None:
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path) -> None:
        self._lookup_layer.load_assets(dir_path)
