"""`VocabularyCounts`: token and document counts gathered by the lookup layers' `adapt`."""

from __future__ import annotations

import collections

import numpy as np

__all__ = ["VocabularyCounts"]


class VocabularyCounts:
    """Counts tokens (and, for TF-IDF, the documents each token appears in) over batches.

    Example:
        >>> counts = VocabularyCounts(with_documents=False)
        >>> counts.update(np.array([["a", "b"], ["a", "c"]]))
        >>> counts.most_common(None, exclude=()).tolist()
        ['a', 'c', 'b']
    """

    def __init__(self, with_documents: bool):
        self.tokens = collections.Counter()
        self.documents = collections.Counter() if with_documents else None
        self.num_documents = 0

    def update(self, batch) -> None:
        """Adds a batch: rows are documents (a 1-D batch is one token per document)."""
        batch = np.asarray(batch)
        if batch.ndim == 0:
            batch = batch[None]
        if batch.ndim == 1:
            batch = batch[:, None]
        self.tokens.update(batch.reshape(-1).tolist())
        if self.documents is not None:
            rows = batch.reshape(batch.shape[0], -1)
            for row in rows.tolist():
                self.documents.update(set(row))
            self.num_documents += rows.shape[0]

    def is_empty(self) -> bool:
        return not self.tokens

    def most_common(self, limit, exclude) -> np.ndarray:
        """Tokens by count, high to low; ties by token, high to low; at most `limit`.

        Args:
            limit: Maximum number of tokens, or `None`.
            exclude: Tokens to leave out (the mask and OOV tokens).

        Returns:
            The tokens as an array.
        """
        items = [(t, c) for t, c in self.tokens.items() if t not in set(exclude)]
        if not items:
            return np.asarray([])
        tokens = np.asarray([t for t, _ in items])
        counts = np.asarray([c for _, c in items], dtype=np.int64)
        order = np.lexsort((tokens, counts))[::-1]
        if limit is not None:
            order = order[:limit]
        return tokens[order]

    def inverse_document_frequency(self, tokens) -> np.ndarray:
        """`log(1 + num_documents / (1 + document_count))` for each token, float32."""
        doc_counts = np.asarray([self.documents[t] for t in np.asarray(tokens).tolist()],
                                dtype=np.float64)
        return np.log(1 + self.num_documents / (1 + doc_counts)).astype("float32")
