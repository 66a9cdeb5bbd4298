"""`IndexLookup`: the vocabulary core of `StringLookup` and `IntegerLookup` (runs on the host).

The vocabulary is laid out as Keras lays it out: the mask token (index 0, `"int"` mode only),
then `num_oov_indices` OOV indices, then the tokens, most frequent first.
"""

from __future__ import annotations

import os

import jax.numpy as jnp
import numpy as np

from kernelkit.layers.structured.categorical_encoding import encode_categorical
from kernelkit.layers.structured.host_layer import HostLayer, HostState
from kernelkit.layers.structured.string_hash import hash_to_buckets
from kernelkit.layers.structured.vocabulary_counts import VocabularyCounts
from kernelkit.layers.symbolic import SymbolicTensor

__all__ = ["IndexLookup"]

_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


class IndexLookup(HostLayer):
    """Maps tokens to indices (or indices back to tokens with `invert=True`).

    Subclasses fix `vocabulary_dtype` (`"string"` or `"int64"`); see `StringLookup` for the
    arguments.

    Example:
        >>> layer = IndexLookup(None, 1, None, "[UNK]", "string", vocabulary=["a", "b"])
        >>> layer(np.array(["b", "z"])).tolist()
        [2, 0]
    """

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype,
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 sparse=False, pad_to_max_tokens=False, oov_method="floormod", name=None,
                 salt=None, **kwargs):
        frozen = kwargs.pop("vocabulary_size", None)
        has_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        super().__init__(name=name, **kwargs)
        who = f"{type(self).__name__} '{self.name}'"
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        self._check_args(who, max_tokens, pad_to_max_tokens, num_oov_indices, oov_method,
                         output_mode, invert, sparse, idf_weights)
        self.salt = _check_salt(who, salt, vocabulary_dtype, oov_method)
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self._frozen_vocab_size = frozen
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = has_vocabulary
        self._table = HostState(tokens=None, sorted=None, sorted_index=None, idf_weights=None)
        if output_mode == "tf_idf" and has_vocabulary and idf_weights is None:
            raise ValueError(
                f"{who}: output_mode='tf_idf' with a `vocabulary` needs `idf_weights` too. "
                "Received: idf_weights=None. Pass one weight per vocabulary term."
            )
        if output_mode == "tf_idf" and idf_weights is not None:
            self.idf_weights = np.asarray(idf_weights, dtype="float32")
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self._counts = None if has_vocabulary else VocabularyCounts(output_mode == "tf_idf")

    @staticmethod
    def _check_args(who, max_tokens, pad_to_max_tokens, num_oov_indices, oov_method,
                    output_mode, invert, sparse, idf_weights):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"{who}: `max_tokens` must be greater than 1 when set. "
                             f"Received: max_tokens={max_tokens!r}.")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"{who}: pad_to_max_tokens=True needs `max_tokens`. Received: "
                             "max_tokens=None.")
        if num_oov_indices < 0:
            raise ValueError(f"{who}: `num_oov_indices` must be >= 0. Received: "
                             f"num_oov_indices={num_oov_indices!r}.")
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(f"{who}: unknown `oov_method`. Expected 'floormod' or "
                             f"'farmhash'. Received: oov_method={oov_method!r}.")
        if output_mode not in _MODES:
            raise ValueError(f"{who}: unknown `output_mode`. Expected one of {list(_MODES)}. "
                             f"Received: output_mode={output_mode!r}.")
        if invert and output_mode != "int":
            raise ValueError(f"{who}: invert=True needs output_mode='int'. Received: "
                             f"output_mode={output_mode!r}.")
        if sparse:
            raise ValueError(f"{who}: sparse=True needs the TensorFlow backend in Keras and is "
                             "not supported. Received: sparse=True. Use sparse=False.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"{who}: `idf_weights` is only used with output_mode='tf_idf'. "
                             f"Received: output_mode={output_mode!r}.")

    # ---- vocabulary ---------------------------------------------------------------------------

    @property
    def takes_strings(self) -> bool:
        return self.vocabulary_dtype == "string" and not self.invert

    @property
    def idf_weights(self):
        """The IDF weights of `"tf_idf"` mode (mask/OOV positions included), or `None`."""
        return self._table.idf_weights

    @idf_weights.setter
    def idf_weights(self, value):
        self._table.idf_weights = value

    @property
    def _tokens(self):
        return self._table.tokens

    def _oov_start_index(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    def _as_tokens(self, values) -> np.ndarray:
        if self.vocabulary_dtype == "string":
            from kernelkit.layers.structured.host_layer import to_host_array

            return to_host_array(values, getattr(self, "encoding", "utf-8")).astype(str)
        return np.asarray(values).astype(np.int64)

    def vocabulary_size(self) -> int:
        """The vocabulary size, mask and OOV indices included."""
        return (0 if self._tokens is None else len(self._tokens)) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True) -> list:
        """The vocabulary, index `i` holding the token that maps to `i`.

        Args:
            include_special_tokens: Whether to include the mask and OOV tokens first.

        Returns:
            The tokens as a list (str or int).
        """
        tokens = [] if self._tokens is None else self._tokens.tolist()
        special = [self.oov_token] * self._token_start_index()
        if self.mask_token is not None and self.output_mode == "int":
            special[0] = self.mask_token
        vocab = special + tokens
        return vocab[self._token_start_index():] if not include_special_tokens else vocab

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Sets the vocabulary (and, for `"tf_idf"`, the IDF weights) directly.

        Args:
            vocabulary: A list/array of tokens, or the path of a text file with one per line.
            idf_weights: One inverse document frequency per token (`"tf_idf"` only).
        """
        who = f"{type(self).__name__} '{self.name}'"
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{who}: output_mode='tf_idf' needs `idf_weights`. Received: "
                             "idf_weights=None.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"{who}: `idf_weights` is only used with output_mode='tf_idf'. "
                             f"Received: output_mode={self.output_mode!r}.")
        if isinstance(vocabulary, str | os.PathLike):
            self._set_tokens(self._read_file(who, vocabulary))
            return
        vocabulary = self._as_tokens(vocabulary)
        if vocabulary.size == 0:
            raise ValueError(f"{who}: the vocabulary is empty. Expected at least one token. "
                             "Received: vocabulary=[].")
        start = self._token_start_index()
        special = self._as_tokens([self.mask_token] * self._oov_start_index()
                                  + [self.oov_token] * self.num_oov_indices)
        found_special = (len(vocabulary) >= start
                         and np.array_equal(special, vocabulary[:start]))
        tokens = vocabulary[start:] if found_special else vocabulary
        self._check_tokens(who, tokens, vocabulary)
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            self._set_idf(who, idf_weights, vocabulary, found_special)

    def _check_tokens(self, who, tokens, vocabulary):
        unique, counts = np.unique(tokens, return_counts=True)
        if (counts > 1).any():
            raise ValueError(f"{who}: the vocabulary repeats terms. Expected unique terms. "
                             f"Received: repeated terms {unique[counts > 1].tolist()}.")
        specials = [self.mask_token] * self._oov_start_index() + \
            [self.oov_token] * self.num_oov_indices
        for what, token in (("mask", self.mask_token),
                            ("OOV", self.oov_token if self.invert else None)):
            if token is not None and token in tokens.tolist():
                raise ValueError(
                    f"{who}: the {what} token {token!r} is at an unexpected place in the "
                    f"vocabulary. Expected it only at the start, in this order: {specials}, or "
                    "not at all (the layer adds the special tokens itself)."
                )
        size = self._token_start_index() + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(f"{who}: the vocabulary has {size} entries, more than `max_tokens`"
                             f". Received: max_tokens={self.max_tokens}.")

    def _read_file(self, who, path):
        if not os.path.exists(path):
            raise ValueError(f"{who}: the vocabulary file does not exist. Received: "
                             f"vocabulary={str(path)!r}.")
        if self.output_mode == "tf_idf":
            raise ValueError(f"{who}: output_mode='tf_idf' cannot read a vocabulary file. "
                             "Pass the vocabulary as a list with its idf_weights.")
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        return self._as_tokens(lines)

    def _set_idf(self, who, idf_weights, vocabulary, found_special):
        idf_weights = np.asarray(idf_weights, dtype="float64")
        if len(vocabulary) != len(idf_weights) or idf_weights.ndim != 1:
            raise ValueError(f"{who}: `idf_weights` must be 1-D, one per vocabulary term. "
                             f"Received: {len(idf_weights)} weights for {len(vocabulary)} terms.")
        front = 0 if found_special else self._token_start_index()
        back = (self.max_tokens - front - len(idf_weights)
                if self.pad_to_max_tokens and self.max_tokens is not None else 0)
        self.idf_weights = np.pad(idf_weights, (front, back), constant_values=(
            0 if found_special else np.average(idf_weights), 0)).astype("float32")

    def _set_tokens(self, tokens) -> None:
        tokens = np.asarray(tokens)
        order = np.argsort(tokens, kind="stable")
        self._table.tokens = tokens
        self._table.sorted = tokens[order]
        self._table.sorted_index = order.astype(np.int64) + self._token_start_index()
        new_size = self.vocabulary_size()
        if (self.output_mode != "int" and not self.pad_to_max_tokens
                and self._frozen_vocab_size is not None and new_size != self._frozen_vocab_size
                and self.built):
            raise RuntimeError(
                f"{type(self).__name__} '{self.name}': the vocabulary size cannot change after "
                f"the layer was called with output_mode={self.output_mode!r}. Old size: "
                f"{self._frozen_vocab_size}, new size: {new_size}."
            )
        self._frozen_vocab_size = new_size

    # ---- adapt --------------------------------------------------------------------------------

    def adapt(self, data, steps=None) -> None:
        """Learns the vocabulary (most frequent first) and, for `"tf_idf"`, the IDF weights.

        Args:
            data: An array or list (one batch), or an iterable/generator of batches.
            steps: Optional number of batches to read from an iterable.
        """
        self.reset_state()
        if isinstance(data, list | tuple | np.ndarray | str) or hasattr(data, "shape") \
                or not hasattr(data, "__iter__"):
            self.update_state(self._adapt_batch(data))
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def _adapt_batch(self, data):
        data = self._as_tokens(data)
        return data[:, None] if data.ndim == 1 else data

    def update_state(self, data) -> None:
        if self._has_input_vocabulary:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': cannot adapt a layer whose vocabulary "
                "was set with `vocabulary` or set_vocabulary(). Create the layer without a "
                "vocabulary to learn one."
            )
        data = self._as_tokens(data)
        self._counts.update(data[None] if data.ndim == 1 else data)

    def finalize_state(self) -> None:
        if self._has_input_vocabulary or self._counts.is_empty():
            return
        start = self._token_start_index()
        limit = self.max_tokens - start if self.max_tokens else None
        exclude = [t for t in (self.mask_token, self.oov_token) if t is not None]
        tokens = self._as_tokens(self._counts.most_common(limit, exclude))
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            idf = self._counts.inverse_document_frequency(tokens)
            weights = np.pad(idf, (start, 0), constant_values=np.mean(idf))
            if self.pad_to_max_tokens and self.max_tokens is not None:
                weights = np.pad(weights, (0, self.max_tokens - weights.size))
            self.idf_weights = weights.astype("float32")
        self.reset_state()

    def reset_state(self) -> None:
        if not self._has_input_vocabulary:
            self._counts = VocabularyCounts(self.output_mode == "tf_idf")

    # ---- call ---------------------------------------------------------------------------------

    def _lookup(self, inputs) -> np.ndarray:
        keys = self._as_tokens(inputs)
        if self._tokens is None or not len(self._tokens):
            found = np.zeros(keys.shape, bool)
            index = np.zeros(keys.shape, np.int64)
        else:
            table = self._table
            pos = np.clip(np.searchsorted(table.sorted, keys), 0, len(table.sorted) - 1)
            found = table.sorted[pos] == keys
            index = table.sorted_index[pos]
        start = self._oov_start_index()
        if self.num_oov_indices == 0:
            if not found.all():
                raise ValueError(
                    f"{type(self).__name__} '{self.name}': with num_oov_indices=0 every input "
                    f"must be in the vocabulary. Received OOV values "
                    f"{np.unique(keys[~found])[:10].tolist()}. Set num_oov_indices=1."
                )
            oov = 0
        elif self.num_oov_indices == 1:
            oov = start
        elif self.vocabulary_dtype != "string" and self.oov_method != "farmhash":
            oov = np.mod(keys, self.num_oov_indices) + start
        else:
            oov = hash_to_buckets(keys, self.num_oov_indices, self.salt) + start
        out = np.where(found, index, oov).astype(np.int64)
        if self.mask_token is not None:
            masked = keys == self._as_tokens(self.mask_token)
            out = np.where(masked, 0 if self.output_mode == "int" else -1, out)
        return out

    def _invert(self, inputs) -> np.ndarray:
        ids = np.asarray(inputs).astype(np.int64)
        vocab = self._as_tokens(self.get_vocabulary())
        valid = (ids >= self._token_start_index()) & (ids < len(vocab))
        oov = self._as_tokens([self.oov_token])[0]
        out = np.where(valid, vocab[np.clip(ids, 0, max(len(vocab) - 1, 0))], oov) \
            if len(vocab) else np.full(ids.shape, oov)
        if self.mask_token is not None:
            out = np.where(ids == 0, self._as_tokens([self.mask_token])[0], out)
        return out

    def _depth(self) -> int:
        return self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size

    def call(self, inputs):
        if self.output_mode != "int" and not self.pad_to_max_tokens \
                and self._frozen_vocab_size is None:
            raise RuntimeError(
                f"{type(self).__name__} '{self.name}': output_mode={self.output_mode!r} "
                "without pad_to_max_tokens needs the vocabulary before the first call. Pass "
                "`vocabulary` or call adapt(data) first."
            )
        arr = np.asarray(inputs)
        if self.invert:
            out = self._invert(arr)
            return out if self.vocabulary_dtype == "string" else jnp.asarray(out)
        ids = self._lookup(arr[None] if arr.ndim == 0 else arr)
        if arr.ndim == 0:
            ids = ids[0]
        if self.output_mode == "int":
            return jnp.asarray(ids)
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        out = encode_categorical(jnp.asarray(ids), mode, self._depth(), "int32")
        if self.output_mode == "tf_idf":
            if self.idf_weights is None:
                raise ValueError(
                    f"{type(self).__name__} '{self.name}': output_mode='tf_idf' needs IDF "
                    "weights. Pass `idf_weights` or call adapt(data) first."
                )
            out = out.astype("float32") * jnp.asarray(self.idf_weights)
        return out

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        depth = self._depth()
        if self.output_mode == "one_hot" and not (len(input_shape) > 1
                                                  and input_shape[-1] == 1):
            return (*input_shape, depth)
        return (*input_shape[:-1], depth)

    def compute_output_spec(self, inputs):
        if self.invert:
            dtype = "string" if self.vocabulary_dtype == "string" else "int32"
        else:
            dtype = "int32" if self.output_mode != "tf_idf" else "float32"
        return SymbolicTensor(self.compute_output_shape(inputs.shape), dtype)

    # ---- config and saving --------------------------------------------------------------------

    def get_config(self):
        def listify(x):
            return np.asarray(x).tolist() if x is not None else None

        return {
            **super().get_config(),
            "invert": self.invert, "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices, "oov_token": self.oov_token,
            "mask_token": self.mask_token, "output_mode": self.output_mode,
            "sparse": self.sparse, "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self.vocabulary_dtype,
            "idf_weights": listify(self.input_idf_weights),
            "vocabulary": listify(self.input_vocabulary),
            "vocabulary_size": self._frozen_vocab_size,
            "oov_method": self.oov_method, "salt": self.salt,
        }

    def save_own_variables(self, store) -> None:
        if self.output_mode == "tf_idf":
            store["idf_weights"] = np.asarray(self.idf_weights)

    def load_own_variables(self, store) -> None:
        if self.output_mode == "tf_idf":
            self.idf_weights = np.asarray(store["idf_weights"], dtype="float32")

    def save_assets(self, dir_path) -> None:
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(str(w) for w in self.get_vocabulary(include_special_tokens=True)))

    def load_assets(self, dir_path) -> None:
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        values = lines if self.vocabulary_dtype == "string" else [int(v) for v in lines]
        self.set_vocabulary(values, idf_weights=self.idf_weights
                            if self.output_mode == "tf_idf" else None)


def _check_salt(who, salt, vocabulary_dtype, oov_method):
    if salt is None:
        return None
    if vocabulary_dtype != "string" and oov_method != "farmhash":
        raise ValueError(f"{who}: `salt` is only used with oov_method='farmhash'. Received: "
                         f"oov_method={oov_method!r}.")
    if isinstance(salt, tuple | list) and len(salt) == 2:
        return list(salt)
    if isinstance(salt, int):
        return [salt, salt]
    raise ValueError(f"{who}: `salt` must be an integer or a pair of integers. Received: "
                     f"salt={salt!r}.")
