"""`kernelkit.ops.nn` against `keras.ops.nn`: names, values, dtypes, symbolic shapes, training."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import kernelkit as kk
from kernelkit import ops
from kernelkit.ops.dtypes import standardize_dtype
from tests.keras_oracle import keras

RNG = np.random.default_rng(0)


def rand(*shape, dtype="float32"):
    return RNG.normal(size=shape).astype(dtype)


def assert_same(ours, theirs, atol=1e-5, rtol=1e-5):
    """Same tree structure, shapes, dtype names and values (within tolerance)."""
    ours_flat = jax.tree_util.tree_leaves(ours)
    theirs_flat = [keras.ops.convert_to_numpy(t) for t in keras.tree.flatten(theirs)]
    assert len(ours_flat) == len(theirs_flat)
    for a, b in zip(ours_flat, theirs_flat):
        a = np.asarray(a)
        assert a.shape == b.shape, f"shapes differ: {a.shape} vs {b.shape}"
        assert standardize_dtype(a.dtype) == standardize_dtype(b.dtype)
        wide = "complex128" if np.iscomplexobj(b) else "float64"
        np.testing.assert_allclose(a.astype(wide) if a.dtype != bool else a,
                                   b.astype(wide) if b.dtype != bool else b, atol=atol, rtol=rtol)


def test_every_keras_nn_name_exists_here_and_at_the_top_level():
    keras_names = {n for n in dir(keras.ops.nn) if not n.startswith("_")}
    assert keras_names == set(ops.nn.__all__)
    assert keras_names <= set(ops.__all__)
    for name in keras_names:
        assert getattr(ops, name) is getattr(ops.nn, name)


ACTIVATIONS = ["celu", "elu", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu",
               "hard_swish", "hard_tanh", "leaky_relu", "log_sigmoid", "log_softmax", "relu",
               "relu6", "selu", "sigmoid", "silu", "soft_shrink", "softmax", "softplus", "softsign",
               "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus", "swish", "tanh_shrink"]
X = rand(3, 4) * 3


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
def test_activation_matches_keras(name, dtype):
    x = X.astype(dtype)
    tol = 1e-5 if dtype == "float32" else 2e-2
    assert_same(getattr(ops, name)(x), getattr(keras.ops, name)(x), atol=tol, rtol=tol)


def same_or_same_error(ours_call, keras_call, **tolerance):
    """Equal results, or the same exception type from both (e.g. sigmoid of ints)."""
    try:
        expected = keras_call()
    except Exception as error:  # noqa: BLE001 - the oracle's own error type is the expectation
        with pytest.raises(type(error)):
            ours_call()
        return
    assert_same(ours_call(), expected, **tolerance)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_on_int_and_empty_inputs_matches_keras(name):
    for ints in (np.array([[-2, 0, 3, 1]], "int32"), np.array([[True, False, True, True]])):
        same_or_same_error(lambda x=ints: getattr(ops, name)(x),
                           lambda x=ints: getattr(keras.ops, name)(x))
    empty = np.zeros((0, 4), "float32")
    assert_same(getattr(ops, name)(empty), getattr(keras.ops, name)(empty))


@pytest.mark.parametrize("name,kwargs", [
    ("softmax", {"axis": 0}), ("log_softmax", {"axis": -2}), ("sparsemax", {"axis": 0}),
    ("glu", {"axis": 1}), ("gelu", {"approximate": False}), ("leaky_relu", {"negative_slope": 0.1}),
    ("elu", {"alpha": 0.5}), ("celu", {"alpha": 2.0}), ("soft_shrink", {"threshold": 1.0}),
    ("hard_shrink", {"threshold": 1.0}), ("squareplus", {"b": 1}),
    ("threshold", {"threshold": 0.3, "default_value": -1.0}),
])
def test_activation_arguments_match_keras(name, kwargs):
    assert_same(getattr(ops, name)(X, **kwargs), getattr(keras.ops, name)(X, **kwargs))


def test_glu_refuses_an_odd_axis():
    with pytest.raises(ValueError, match="glu: .*odd"):
        ops.glu(np.ones((2, 3)))


CONV_CASES = [
    ("conv", (rand(2, 7, 3), rand(3, 3, 4)), {}),
    ("conv", (rand(2, 7, 7, 3), rand(3, 3, 3, 4)), {"strides": 2, "padding": "same"}),
    ("conv", (rand(2, 7, 7, 4), rand(3, 3, 2, 6)), {"dilation_rate": 2}),  # 2 groups
    ("conv", (rand(1, 3, 6, 6), rand(2, 2, 3, 5)), {"data_format": "channels_first"}),
    ("conv", (rand(1, 5, 5, 5, 2), rand(2, 2, 2, 2, 3)), {"strides": (1, 2, 1)}),
    ("depthwise_conv", (rand(2, 6, 6, 3), rand(3, 3, 3, 2)), {"padding": "same"}),
    ("depthwise_conv", (rand(2, 8, 3), rand(3, 3, 1)), {"strides": 2, "dilation_rate": 1}),
    ("separable_conv", (rand(2, 6, 6, 3), rand(3, 3, 3, 2), rand(1, 1, 6, 4)), {"padding": "same"}),
    ("conv_transpose", (rand(2, 5, 3), rand(3, 4, 3)), {"strides": 2}),
    ("conv_transpose", (rand(2, 5, 5, 3), rand(3, 3, 4, 3)), {"strides": 2, "padding": "same"}),
    ("conv_transpose", (rand(2, 5, 5, 3), rand(3, 3, 4, 3)),
     {"strides": 2, "padding": "same", "output_padding": 1}),
    ("conv_transpose", (rand(1, 3, 4, 4), rand(2, 2, 2, 3)),
     {"strides": (2, 1), "data_format": "channels_first", "dilation_rate": 1}),
    ("max_pool", (rand(2, 6, 6, 3),), {"pool_size": 2}),
    ("max_pool", (rand(2, 7, 3),), {"pool_size": 3, "strides": 2, "padding": "same"}),
    ("average_pool", (rand(2, 7, 7, 3),), {"pool_size": 3, "strides": 2, "padding": "same"}),
    ("average_pool", (rand(1, 2, 6, 6),), {"pool_size": (2, 3), "data_format": "channels_first"}),
    ("average_pool", (rand(1, 4, 4, 4, 2),), {"pool_size": 2}),
    ("adaptive_average_pool", (rand(2, 7, 3),), {"output_size": 3}),
    ("adaptive_average_pool", (rand(2, 7, 9, 3),), {"output_size": (3, 4)}),
    ("adaptive_max_pool", (rand(2, 3, 7, 5),), {"output_size": 2, "data_format": "channels_first"}),
    ("adaptive_max_pool", (rand(1, 5, 6, 7, 2),), {"output_size": (2, 3, 4)}),
]


@pytest.mark.parametrize("name,args,kwargs", CONV_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CONV_CASES)])
def test_conv_and_pooling_match_keras(name, args, kwargs):
    keras_kwargs = dict(kwargs)
    if name in ("max_pool", "average_pool") and "strides" not in kwargs:
        # Keras 3.15's JAX pooling fails on strides=None (it expands pool_size twice); the
        # documented default is strides=pool_size, which is what the oracle gets.
        keras_kwargs["strides"] = kwargs["pool_size"]
    assert_same(getattr(ops, name)(*args, **kwargs),
                getattr(keras.ops, name)(*args, **keras_kwargs), atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("call,match", [
    (lambda: ops.conv(np.ones((1, 5, 3)), np.ones((3, 2, 4))), "conv: .*multiple"),
    (lambda: ops.conv(np.ones((1, 5, 2)), np.ones((3, 2, 4)), padding="full"), "unknown padding"),
    (lambda: ops.conv(np.ones((1, 5, 2)), np.ones((3, 2, 4)), data_format="nhwc"), "data_format"),
    (lambda: ops.conv(np.ones((1, 5, 5, 2)), np.ones((3, 3, 2, 4)), strides=(1, 1, 1)), "strides"),
    (lambda: ops.depthwise_conv(np.ones((1, 5, 2)), np.ones((3, 3, 1))), "depthwise_conv: "),
    (lambda: ops.conv_transpose(np.ones((1, 5, 2)), np.ones((3, 4, 3))), "conv_transpose: "),
    (lambda: ops.max_pool(np.ones((4, 3)), 2), "max_pool: "),
])
def test_conv_errors_name_the_op(call, match):
    with pytest.raises(ValueError, match=match):
        call()


LABELS = np.array([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]], "float32")
PROBS = np.array([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]], "float32")
LOSS_CASES = [
    ("binary_crossentropy", (LABELS, PROBS), {}),
    ("binary_crossentropy", (LABELS, rand(2, 3)), {"from_logits": True}),
    ("categorical_crossentropy", (LABELS, PROBS), {}),
    ("categorical_crossentropy", (LABELS, rand(2, 3)), {"from_logits": True}),
    ("categorical_crossentropy", (LABELS.T, PROBS.T), {"axis": 0}),
    ("sparse_categorical_crossentropy", (np.array([1, 2]), PROBS), {}),
    ("sparse_categorical_crossentropy", (np.array([[1], [0]]), rand(2, 3)), {"from_logits": True}),
    ("one_hot", (np.array([0, 2, -1]), 3), {}),
    ("one_hot", (np.array([[0, 2], [1, 1]]), 4), {"axis": 0, "dtype": "int32"}),
    ("multi_hot", (np.array([[0, 2], [1, 1]]),), {"num_classes": 4}),
    ("multi_hot", (np.array([0, 3]),), {"num_classes": 5, "dtype": "int32"}),
    ("psnr", (PROBS, LABELS), {"max_val": 1.0}),
    ("moments", (rand(3, 4, 5),), {"axes": [0, 2]}),
    ("moments", (rand(3, 4).astype("float16"),), {"axes": -1, "keepdims": True}),
    ("batch_normalization", (rand(4, 3), rand(3), np.abs(rand(3)), -1),
     {"offset": rand(3), "scale": rand(3)}),
    ("batch_normalization", (rand(2, 3, 4), rand(3), np.abs(rand(3)), 1), {}),
    ("layer_normalization", (rand(3, 4),), {}),
    ("layer_normalization", (rand(3, 4, 5),), {"gamma": rand(4, 5), "beta": rand(4, 5),
                                               "axis": (-2, -1)}),
    ("layer_normalization", (rand(3, 4).astype("float16"),), {"gamma": rand(4)}),
    ("rms_normalization", (rand(3, 4),), {"scale": rand(4)}),
    ("rms_normalization", (rand(3, 4, 5),), {"axis": (1, 2), "epsilon": 1e-2}),
    ("normalize", (rand(3, 4),), {}),
    ("normalize", (rand(3, 4),), {"axis": 0, "order": 1}),
    ("normalize", (rand(3, 4),), {"order": 3, "epsilon": 1e-3}),
    ("polar", (np.abs(rand(3)), rand(3)), {}),
    ("depth_to_space", (rand(2, 3, 3, 8), 2), {}),
    ("depth_to_space", (rand(2, 8, 3, 3), 2), {"data_format": "channels_first"}),
    ("space_to_depth", (rand(2, 4, 6, 3), 2), {}),
    ("space_to_depth", (rand(2, 3, 4, 6), 2), {"data_format": "channels_first"}),
    ("unfold", (rand(2, 3, 5, 6), 2), {}),
    ("unfold", (rand(1, 2, 6, 6), (2, 3)), {"dilation": 2, "padding": 1, "stride": (2, 1)}),
    ("fold", (rand(2, 12, 20), (5, 6), 2), {}),
    ("fold", (rand(1, 8, 9), 5, 2), {"padding": 1, "stride": 2}),
]


@pytest.mark.parametrize("name,args,kwargs", LOSS_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(LOSS_CASES)])
def test_losses_encodings_normalizations_match_keras(name, args, kwargs):
    assert_same(getattr(ops, name)(*args, **kwargs), getattr(keras.ops, name)(*args, **kwargs),
                atol=2e-3 if "float16" in str([np.asarray(a).dtype for a in args]) else 1e-5)


def test_sparse_encodings_densify_to_keras_also_under_jit():
    x = np.array([0, 2, 1])
    ours = jax.jit(lambda a: ops.one_hot(a, 3, sparse=True))(x)
    assert np.array_equal(ours.todense(), keras.ops.one_hot(x, 3, sparse=True).todense())
    ids = np.array([[0, 2], [1, 1]])
    ours = ops.multi_hot(ids, 3, sparse=True)
    assert np.array_equal(ours.todense(), keras.ops.multi_hot(ids, 3).astype("float32"))


@pytest.mark.parametrize("call,match", [
    (lambda: ops.binary_crossentropy(np.ones(3), np.ones(2)), "binary_crossentropy: .*shape"),
    (lambda: ops.sparse_categorical_crossentropy(np.ones(3), np.ones((2, 3))), "sparse_cat"),
    (lambda: ops.multi_hot(np.array([0, 1])), "multi_hot: num_classes"),
    (lambda: ops.psnr(np.ones(3), np.ones(2), 1.0), "psnr: "),
    (lambda: ops.normalize(np.ones(3), order=0), "normalize: invalid order"),
    (lambda: ops.depth_to_space(np.ones((1, 2, 2, 3)), 2), "depth_to_space: channels"),
    (lambda: ops.space_to_depth(np.ones((1, 3, 2, 3)), 2), "space_to_depth: "),
    (lambda: ops.fold(np.ones((1, 7, 4)), 3, 2), "fold: "),
    (lambda: ops.unfold(np.ones((2, 4, 4)), 2), "unfold: "),
])
def test_nn_errors_name_the_op(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_moments_refuses_synchronized():
    with pytest.raises(NotImplementedError, match="moments: synchronized"):
        ops.moments(np.ones(3), axes=0, synchronized=True)


ATTENTION_CASES = [
    {},
    {"is_causal": True},
    {"scale": 0.3, "bias": rand(2, 2, 4, 5)},
    {"mask": RNG.random((2, 1, 4, 5)) > 0.3},
    {"mask": RNG.random((2, 2, 4, 5)) > 0.3, "is_causal": True, "flash_attention": False},
]


@pytest.mark.parametrize("kwargs", ATTENTION_CASES, ids=range(len(ATTENTION_CASES)))
def test_dot_product_attention_matches_keras(kwargs):
    q, k, v = rand(2, 4, 2, 3), rand(2, 5, 2, 3), rand(2, 5, 2, 3)
    assert_same(ops.dot_product_attention(q, k, v, **kwargs),
                keras.ops.dot_product_attention(q, k, v, **kwargs))


def test_dot_product_attention_grouped_heads_and_errors():
    q, k = rand(1, 3, 4, 2), rand(1, 3, 2, 2)
    assert_same(ops.dot_product_attention(q, k, k), keras.ops.dot_product_attention(q, k, k))
    with pytest.raises(ValueError, match="dot_product_attention: inputs are not 4-D"):
        ops.dot_product_attention(q[0], k[0], k[0])
    with pytest.raises(ValueError, match="attn_logits_soft_cap"):
        ops.dot_product_attention(q, k, k, attn_logits_soft_cap=5.0)


def test_flash_attention_needs_a_gpu_as_in_keras():
    q = rand(1, 3, 2, 4).astype("float16")
    if jax.default_backend() == "gpu":
        assert_same(ops.dot_product_attention(q, q, q, flash_attention=True),
                    keras.ops.dot_product_attention(q, q, q), atol=2e-2, rtol=2e-2)
    else:
        with pytest.raises(RuntimeError, match="flash_attention=True needs cuDNN"):
            ops.dot_product_attention(q, q, q, flash_attention=True)


@pytest.fixture(scope="module")
def ctc_batch():
    logits = rand(3, 6, 4) * 2
    return logits, np.array([[1, 2, 2], [3, 1, 0], [2, 0, 0]]), np.array([3, 2, 1]), \
        np.array([6, 5, 4])


def test_ctc_loss_matches_keras(ctc_batch):
    logits, labels, label_len, logit_len = ctc_batch
    assert_same(ops.ctc_loss(labels, logits, label_len, logit_len),
                keras.ops.ctc_loss(labels, logits, label_len, logit_len), atol=1e-4, rtol=1e-4)
    assert_same(ops.ctc_loss(labels + 1, logits, label_len, logit_len, mask_index=0),
                keras.ops.ctc_loss(labels + 1, logits, label_len, logit_len, mask_index=0),
                atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("kwargs", [{}, {"merge_repeated": False}, {"mask_index": 3},
                                    {"mask_index": None}])
def test_ctc_greedy_decode_matches_keras(ctc_batch, kwargs):
    logits, _, _, logit_len = ctc_batch
    assert_same(ops.ctc_decode(logits, logit_len, **kwargs),
                keras.ops.ctc_decode(logits, logit_len, **kwargs), atol=1e-4, rtol=1e-4)


BEAM = {"strategy": "beam_search", "beam_width": 5, "top_paths": 3, "mask_index": 2}


@pytest.fixture(scope="module")
def keras_beams(ctc_batch):
    logits, _, _, logit_len = ctc_batch
    return keras.ops.ctc_decode(logits, logit_len, **BEAM)  # slow to compile: computed once


def test_ctc_beam_search_decode_matches_keras(ctc_batch, keras_beams):
    logits, _, _, logit_len = ctc_batch
    assert_same(ops.ctc_decode(logits, logit_len, **BEAM), keras_beams, atol=1e-4, rtol=1e-4)


def test_ctc_beam_search_runs_under_jit(ctc_batch, keras_beams):
    logits, _, _, logit_len = ctc_batch
    jitted = jax.jit(lambda x, n: ops.ctc_decode(x, n, **BEAM))
    assert_same(jitted(logits, logit_len), keras_beams, atol=1e-4, rtol=1e-4)
    with pytest.raises(ValueError, match="ctc_decode: unknown strategy"):
        ops.ctc_decode(logits, logit_len, strategy="best")


def test_ops_work_under_jit_grad_and_vmap():
    x, kernel = rand(2, 6, 3), rand(3, 3, 4)
    conv = jax.jit(lambda a, b: ops.conv(a, b, padding="same"))
    np.testing.assert_allclose(conv(x, kernel), keras.ops.conv(x, kernel, padding="same"),
                               atol=1e-5)
    grad = jax.grad(lambda a: jnp.sum(ops.gelu(a) * ops.softmax(a)))(X)
    assert grad.shape == X.shape and np.all(np.isfinite(grad))
    rows = jax.vmap(lambda r: ops.layer_normalization(r))(X)
    assert_same(rows, keras.ops.layer_normalization(X))


SYMBOLIC_CASES = [
    ("relu", lambda t: (t,), {}),
    ("softmax", lambda t: (t,), {"axis": 1}),
    ("glu", lambda t: (t,), {}),
    ("one_hot", lambda t: (keras.ops.cast(t, "int32") if hasattr(t, "_keras_history")
                           and not isinstance(t, kk.layers.symbolic.SymbolicTensor)
                           else ops.cast(t, "int32"), 5), {}),
    ("moments", lambda t: (t,), {"axes": [1]}),
    ("layer_normalization", lambda t: (t,), {}),
    ("max_pool", lambda t: (t,), {"pool_size": 2}),
    ("average_pool", lambda t: (t,), {"pool_size": 2, "padding": "same"}),
    ("conv", lambda t: (t, rand(3, 4, 2)), {"padding": "same"}),
    ("conv_transpose", lambda t: (t, rand(3, 2, 4)), {"strides": 2}),
    ("categorical_crossentropy", lambda t: (t, t), {"from_logits": True}),
]


@pytest.mark.parametrize("name,make,kwargs", SYMBOLIC_CASES, ids=[c[0] for c in SYMBOLIC_CASES])
def test_symbolic_shape_and_dtype_match_keras(name, make, kwargs):
    ours = getattr(ops, name)(*make(kk.Input(shape=(6, 4))), **kwargs)
    theirs = getattr(keras.ops, name)(*make(keras.Input(shape=(6, 4))), **kwargs)
    ours, theirs = jax.tree_util.tree_leaves(ours, is_leaf=lambda t: hasattr(t, "shape")), \
        keras.tree.flatten(theirs)
    for a, b in zip(ours, theirs, strict=True):
        assert tuple(a.shape) == tuple(b.shape)
        assert standardize_dtype(a.dtype) == standardize_dtype(b.dtype)


class SelfAttention(kk.layers.Layer):
    """The guide's custom attention layer: one head, written with `ops` only."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.wq = self.add_weight(shape=(input_shape[-1], self.units), name="wq")
        self.wk = self.add_weight(shape=(input_shape[-1], self.units), name="wk")
        self.wv = self.add_weight(shape=(input_shape[-1], self.units), name="wv")

    def call(self, inputs):
        q, k, v = (ops.matmul(inputs, w[...]) for w in (self.wq, self.wk, self.wv))
        scores = ops.matmul(q, ops.transpose(k, (0, 2, 1))) / np.sqrt(self.units)
        return ops.matmul(ops.softmax(scores, axis=-1), v)


def logits_crossentropy(y_true, y_pred):
    """The guide's custom loss: crossentropy from logits with `log_softmax` and `one_hot`."""
    labels = ops.one_hot(ops.cast(y_true, "int32"), y_pred.shape[-1])
    return -ops.sum(labels * ops.log_softmax(y_pred, axis=-1), axis=-1)


def test_guide_attention_layer_and_ops_loss_train_in_fit():
    kk.utils.set_random_seed(0)
    x = RNG.normal(size=(64, 5, 4)).astype("float32")
    y = (x.sum(axis=(1, 2)) > 0).astype("int32")
    inputs = kk.Input(shape=(5, 4))
    hidden = SelfAttention(8)(inputs)
    outputs = kk.layers.Dense(2)(kk.layers.GlobalAveragePooling1D()(hidden))
    model = kk.Model(inputs, outputs)
    model.compile(optimizer=kk.optimizers.Adam(0.02), loss=logits_crossentropy)
    history = model.fit(x, y, epochs=8, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert np.isfinite(losses).all() and losses[-1] < losses[0] * 0.8


def jitted(op, args, kwargs):
    """`op` under `jax.jit`, tracing the array arguments and closing over the rest."""
    traced = [i for i, a in enumerate(args) if isinstance(a, np.ndarray)]

    def run(*arrays):
        full = list(args)
        for i, a in zip(traced, arrays):
            full[i] = a
        return op(*full, **kwargs)

    return jax.jit(run)(*[args[i] for i in traced])


@pytest.mark.parametrize("name,args,kwargs", CONV_CASES[::3] + LOSS_CASES[::2],
                         ids=[c[0] for c in CONV_CASES[::3] + LOSS_CASES[::2]])
def test_ops_trace_under_jit_to_the_eager_result(name, args, kwargs):
    op = getattr(ops, name)
    assert_same(jitted(op, args, kwargs), op(*args, **kwargs), atol=1e-5, rtol=1e-5)


def test_recorded_ops_run_in_a_functional_model_like_eager_calls():
    inputs = kk.Input(shape=(6, 4))
    values, _ = ops.top_k(inputs, 2)
    _, variance = ops.moments(inputs, axes=[1])
    pooled = ops.max_pool(inputs, 2, strides=2)
    model = kk.Model(inputs, [values, variance, ops.softmax(pooled), ops.logsumexp(inputs, -1)])
    x = rand(3, 6, 4)
    expected = [ops.top_k(x, 2)[0], ops.moments(x, axes=[1])[1],
                ops.softmax(ops.max_pool(x, 2, strides=2)), ops.logsumexp(x, -1)]
    for got, want in zip(model.predict(x, verbose=0), expected, strict=True):
        np.testing.assert_allclose(got, want, atol=1e-5)
