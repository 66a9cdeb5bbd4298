"""CTC ops of `keras.ops.nn`: `ctc_loss` and `ctc_decode` (greedy and prefix beam search)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax

from kernelkit.ops.dispatch import keras_op

__all__ = ["ctc_decode", "ctc_loss"]


def at_least_float32(x):
    """`x` in a floating dtype of at least float32, as Keras computes CTC."""
    x = jnp.asarray(x)
    dtype = jnp.promote_types(x.dtype, jnp.float32) if jnp.issubdtype(x.dtype, jnp.floating) \
        else jnp.float32
    return x.astype(dtype)


def paddings(lengths, max_length, dtype):
    """1.0 where a position is at or past its sequence's length, else 0.0."""
    return (jnp.arange(max_length)[None, :] >= jnp.asarray(lengths, "int32")[:, None]).astype(dtype)


@keras_op
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Connectionist temporal classification loss, per sequence.

    Args:
        target: Integer tensor `(batch, max_label_length)` of label ids.
        output: Tensor `(batch, max_time, num_classes)` of logits.
        target_length: Integer tensor `(batch,)`, the true label lengths.
        output_length: Integer tensor `(batch,)`, the true output lengths.
        mask_index: The id of the blank class.

    Returns:
        A tensor `(batch,)` of negative log-likelihoods.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> loss = ops.ctc_loss(np.array([[1, 2]]), np.zeros((1, 4, 3)), np.array([2]),
        ...                     np.array([4]))
        >>> loss.shape
        (1,)
    """
    target = jnp.asarray(target, "int32")
    output = at_least_float32(output)
    if output.ndim != 3 or target.ndim != 2:
        raise ValueError(
            "ctc_loss: wrong ranks. Expected target (batch, max_label_length) and output "
            f"(batch, max_time, num_classes). Received: target.shape={target.shape}, "
            f"output.shape={output.shape}. Add the missing axes.")
    return optax.ctc_loss(output, paddings(output_length, output.shape[1], output.dtype), target,
                          paddings(target_length, target.shape[1], output.dtype),
                          blank_id=mask_index, log_epsilon=-1e5)


def greedy_decode(inputs, sequence_lengths, merge_repeated, mask_index):
    """Best path per step; blanks (and merged repeats) removed and the rest moved to the front."""
    batch, steps, _ = inputs.shape
    past_end = jnp.arange(steps)[None, :] >= jnp.asarray(sequence_lengths, "int32")[:, None]
    ids = jnp.where(past_end, mask_index, jnp.argmax(inputs, axis=-1))
    scores = jnp.where(past_end, 0.0, jnp.max(inputs, axis=-1))
    if merge_repeated:
        repeat = jnp.pad(ids[:, 1:] == ids[:, :-1], ((0, 0), (1, 0)))
        ids = jnp.where(repeat, mask_index, ids)
    blank = ids == mask_index
    order = jnp.argsort(jnp.where(blank, steps, jnp.arange(steps)[None, :]), axis=-1)
    ids = jnp.take_along_axis(jnp.where(blank, -1, ids), order, axis=-1)
    return ids[None].astype("int32"), -jnp.sum(scores, axis=1)[:, None]


def beam_step(prefixes, emit, mask, row, blank, beam_width):
    """One step of prefix beam search: every prefix extended by every class, best kept.

    `emit`/`mask` hold each prefix's log-score of ending in a label / in a blank.
    """
    labels = np.array([c for c in range(row.shape[0]) if c != blank])
    total = np.logaddexp(emit, mask)
    last = np.array([p[-1] if p else -1 for p in prefixes])
    # Staying: a blank, or the prefix's last label repeated (collapsed by CTC).
    stay_mask = total + row[blank]
    stay_emit = np.where(last >= 0, emit + row[np.maximum(last, 0)], -np.inf)
    # Growing by label c: after a blank when c repeats the last label, else from either ending.
    grow = np.where(last[:, None] == labels[None, :], mask[:, None], total[:, None]) + row[labels]
    # A grown prefix may already be a beam (p + (c,) == q): its score joins q's label slot.
    where = {p: i for i, p in enumerate(prefixes)}
    column = {c: k for k, c in enumerate(labels)}
    for i, q in enumerate(prefixes):
        parent = where.get(q[:-1]) if q else None
        if parent is not None:
            k = column[q[-1]]
            stay_emit[i] = np.logaddexp(stay_emit[i], grow[parent, k])
            grow[parent, k] = -np.inf
    scores = np.concatenate([np.logaddexp(stay_emit, stay_mask), grow.ravel()])
    keep = np.argsort(-scores, kind="stable")[:beam_width]
    keep = keep[np.isfinite(scores[keep])] if np.isfinite(scores[keep]).any() else keep[:1]
    count = len(prefixes)
    new_prefixes, new_emit, new_mask = [], [], []
    for j in keep:
        if j < count:
            new_prefixes.append(prefixes[j])
            new_emit.append(stay_emit[j])
            new_mask.append(stay_mask[j])
        else:
            b, k = divmod(j - count, labels.size)
            new_prefixes.append(prefixes[b] + (int(labels[k]),))
            new_emit.append(grow[b, k])
            new_mask.append(-np.inf)
    return new_prefixes, np.array(new_emit), np.array(new_mask)


def beam_search_one(logp, length, beam_width, top_paths, blank):
    """Prefix beam search over one sequence `(time, classes)` of log-probabilities, on host."""
    prefixes, emit, mask = [()], np.array([-np.inf]), np.array([0.0])
    for t in range(int(length)):
        prefixes, emit, mask = beam_step(prefixes, emit, mask, logp[t].astype(np.float64), blank,
                                         beam_width)
    totals = np.logaddexp(emit, mask)
    order = np.argsort(-totals, kind="stable")[:top_paths]
    return [(prefixes[i], float(totals[i])) for i in order]


def beam_search_host(logp, lengths, beam_width, top_paths, blank):
    """`(paths (top_paths, batch, time) int32, scores (batch, top_paths))` with -1 padding."""
    logp, lengths = np.asarray(logp), np.asarray(lengths)
    batch, steps, _ = logp.shape
    paths = np.full((top_paths, batch, steps), -1, np.int32)
    scores = np.full((batch, top_paths), -np.inf, logp.dtype)
    for b in range(batch):
        for k, (prefix, score) in enumerate(beam_search_one(logp[b], lengths[b], beam_width,
                                                            top_paths, blank)):
            paths[k, b, :len(prefix)] = prefix
            scores[b, k] = score
    return paths, scores


@keras_op
def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    """Decodes CTC outputs, by best path (`"greedy"`) or by prefix beam search (`"beam_search"`).

    Args:
        inputs: Tensor `(batch, max_time, num_classes)` of logits (or log-probabilities).
        sequence_lengths: Integer tensor `(batch,)` of true lengths.
        strategy: `"greedy"` or `"beam_search"`.
        beam_width: The number of prefixes kept per step (beam search).
        top_paths: The number of paths returned (beam search; greedy returns 1).
        merge_repeated: Whether greedy decoding merges repeated labels.
        mask_index: The id of the blank class; None means the last class.

    Returns:
        A tuple `(paths, scores)`: `paths` of shape `(top_paths, batch, max_time)`, padded with
        -1, and `scores` of shape `(batch, top_paths)` (greedy: the negated sum of the best
        logits; beam search: the log-probability of each path).

    Raises:
        ValueError: For an unknown strategy.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> logits = np.log(np.array([[[0.1, 0.9], [0.1, 0.9], [0.9, 0.1]]]))
        >>> paths, scores = ops.ctc_decode(logits, np.array([3]))
        >>> paths.tolist()
        [[[1, -1, -1]]]
    """
    inputs = at_least_float32(inputs)
    if mask_index is None:
        mask_index = inputs.shape[-1] - 1
    if strategy == "greedy":
        return greedy_decode(inputs, sequence_lengths, merge_repeated, mask_index)
    if strategy != "beam_search":
        raise ValueError(
            "ctc_decode: unknown strategy. Expected 'greedy' or 'beam_search'. "
            f"Received: strategy={strategy!r}. Pass one of the two.")
    logp = jax.nn.log_softmax(inputs)
    batch, steps, _ = inputs.shape
    shapes = (jax.ShapeDtypeStruct((top_paths, batch, steps), jnp.int32),
              jax.ShapeDtypeStruct((batch, top_paths), logp.dtype))
    # Beam search is a data-dependent set of prefixes: it runs on host, also under jit.
    return jax.pure_callback(
        lambda lp, n: beam_search_host(lp, n, beam_width, top_paths, mask_index), shapes, logp,
        jnp.asarray(sequence_lengths, "int32"), vmap_method="sequential")
