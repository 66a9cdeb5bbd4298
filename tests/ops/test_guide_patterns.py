"""keras.io guide patterns written with only `kernelkit.ops` train inside `fit()`."""

import numpy as np

import kernelkit as kk
from kernelkit import layers, ops


class PositionalEmbedding(layers.Layer):
    """Token plus position embeddings, positions from `ops.arange` (the keras.io pattern)."""

    def __init__(self, sequence_length, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_embeddings = layers.Embedding(vocab_size, embed_dim)
        self.position_embeddings = layers.Embedding(sequence_length, embed_dim)

    def call(self, inputs):
        length = ops.shape(inputs)[-1]
        positions = ops.arange(0, length, 1)
        return self.token_embeddings(inputs) + self.position_embeddings(positions)


def test_positional_embedding_with_ops_arange_trains_in_fit():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 20, size=(64, 8)).astype("int32")
    y = (x[:, 0] > 10).astype("int32")
    inputs = kk.Input((8,), dtype="int32")
    hidden = PositionalEmbedding(8, 20, 4)(inputs)
    outputs = layers.Dense(2)(layers.GlobalAveragePooling1D()(hidden))
    model = kk.Model(inputs, outputs)
    model.compile(kk.optimizers.Adam(0.05),
                  kk.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(x, y, epochs=8, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    positions = model.layers[1].position_embeddings.embeddings[...]
    assert positions.shape == (8, 4)
