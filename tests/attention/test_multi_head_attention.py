"""attention.multi_head_attention: multi_head_attention against nn.MultiheadAttention(batch_first=True)."""

import importlib

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]
NAMES = ("attn_output", "attn_weights")
WEIGHTS = ("in_proj_weight", "in_proj_bias", "out_proj_weight", "out_proj_bias")

# (N, L, S, E, num_heads, self-attention). L != S wherever the case allows it (cross-attention), so a
# softmax or a padding mask on the query axis cannot fit; head_dim = E // num_heads differs from E
# wherever num_heads > 1, so a scale by sqrt(E) shows, and L > 1 there, so heads cut from the flat
# (L, E) block without the transpose mix positions. In "self-3-heads" query, key and value are one array.
CASES = {
    "batch1-one-head": (1, 3, 5, 4, 1, False),
    "cross-2-heads": (2, 3, 5, 6, 2, False),
    "self-3-heads": (2, 4, 4, 6, 3, True),
    "4-heads-L>S": (3, 5, 2, 8, 4, False),
    "one-query": (2, 1, 4, 4, 2, False),
    "head_dim-1": (1, 2, 3, 3, 3, False),
}


def sample(rng, N, L, S, E, num_heads, dtype, self_attention=False):
    """query, key, value and the four projections, in a dict by argument name.

    The projections are scaled by 1 / sqrt(E) (as torch's initialisers roughly are), so scores stay near 1
    and the softmax is neither flat nor one-hot: every part of the computation shows in the output."""
    def normal(*shape, scale=1.0):
        return (rng.standard_normal(shape) * scale).astype(dtype)
    query = normal(N, L, E)
    key = query if self_attention else normal(N, S, E)
    value = query if self_attention else normal(N, S, E)
    return {"query": query, "key": key, "value": value,
            "in_proj_weight": normal(3 * E, E, scale=1 / np.sqrt(E)), "in_proj_bias": normal(3 * E, scale=0.5),
            "out_proj_weight": normal(E, E, scale=1 / np.sqrt(E)), "out_proj_bias": normal(E, scale=0.5)}


def sample_case(rng, name, dtype):
    N, L, S, E, num_heads, self_attention = CASES[name]
    return sample(rng, N, L, S, E, num_heads, dtype, self_attention), num_heads


def torch_for_mha():
    """oracle.torch(), with the module torch imports the first time it checks a key_padding_mask
    (torch.fx.experimental.symbolic_shapes, about 0.5 s): importing it here puts that one-time cost in the
    first test of the file, next to the torch import itself, rather than in whichever test first pads."""
    torch = oracle.torch()
    importlib.import_module("torch.fx.experimental.symbolic_shapes")
    return torch


def reference(d, num_heads, key_padding_mask=None, need_weights=True, attn_mask=None, average_attn_weights=True,
              is_causal=False):
    """(attn_output, attn_weights or None) from nn.MultiheadAttention(batch_first=True) with d's weights.

    The module stays in training mode with dropout=0.0 and is always called with need_weights=True, so torch
    takes its plain math path: training mode rules out the fused fast path of MultiheadAttention.forward
    (torch._native_multi_head_attention, tried only in eval mode; why_not_fast_path = "training is
    enabled"), and need_weights=True makes F.multi_head_attention_forward compute the weights explicitly
    (baddbmm, softmax, bmm) instead of calling scaled_dot_product_attention. Dropout 0 makes training mode
    change nothing else. For need_weights=False the weights are then dropped: the output is the same.
    torch refuses is_causal=True without attn_mask; the causal mask is then passed explicitly (True, or -inf,
    above the diagonal, top-left aligned as in scaled_dot_product_attention)."""
    torch = torch_for_mha()
    N, L, E = d["query"].shape
    S = d["key"].shape[1]
    mha = torch.nn.MultiheadAttention(E, num_heads, dropout=0.0, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        for param, name in zip((mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias),
                               WEIGHTS):
            param.copy_(oracle.tensor(d[name]))
    query = oracle.tensor(d["query"])
    key = query if d["key"] is d["query"] else oracle.tensor(d["key"])
    value = key if d["value"] is d["key"] else oracle.tensor(d["value"])
    if is_causal and attn_mask is None:
        attn_mask = np.triu(np.ones((L, S), dtype=bool), k=1)
        if key_padding_mask is not None and key_padding_mask.dtype != bool:  # torch wants masks of one kind
            attn_mask = np.where(attn_mask, -np.inf, 0.0)
    masks = {name: oracle.tensor(mask) for name, mask in (("key_padding_mask", key_padding_mask),
                                                           ("attn_mask", attn_mask)) if mask is not None}
    out, weights = mha(query, key, value, need_weights=True, average_attn_weights=average_attn_weights,
                       is_causal=is_causal, **masks)
    dtype = d["query"].dtype
    return oracle.numpy(out, dtype), (oracle.numpy(weights, dtype) if need_weights else None)


def call_text(num_heads, options, d=None):
    """How the call reads, options by name, with the shapes that matter."""
    text = f"multi_head_attention(query, key, value, {num_heads}, {', '.join(WEIGHTS)}"
    for name, value in options.items():
        text += f", {name}={name if isinstance(value, np.ndarray) else repr(value)}"
    text += ")"
    if d is not None:
        text += f"  # query {d['query'].shape}, key {d['key'].shape}, value {d['value'].shape}"
        if d["key"] is d["query"]:
            text += " (one array: self-attention)"
    return text


def inputs_of(d, options):
    return {**d, **{name: v for name, v in options.items() if isinstance(v, np.ndarray)}}


def against_torch(check, d, num_heads, dtype_rule=False, **options):
    """multi_head_attention(d..., num_heads, **options) against torch; options left out are not passed."""
    check.close(lambda m: m.multi_head_attention(d["query"], d["key"], d["value"], num_heads, d["in_proj_weight"],
                                                 d["in_proj_bias"], d["out_proj_weight"], d["out_proj_bias"],
                                                 **options),
                reference(d, num_heads, **options), call=call_text(num_heads, options, d),
                inputs=inputs_of(d, options), names=NAMES, dtype=dtype_rule)


# ------------------------------------------------------------------------------------------ masks


def blocked_of(mask):
    """Where a mask blocks: True entries of a bool mask, -inf entries of a float one."""
    return mask if mask.dtype == bool else np.isneginf(mask)


def every_query_keeps_a_key(N, num_heads, L, S, key_padding_mask=None, attn_mask=None, is_causal=False):
    blocked = np.zeros((N, num_heads, L, S), dtype=bool)
    if key_padding_mask is not None:
        blocked |= blocked_of(key_padding_mask)[:, None, None, :]
    if attn_mask is not None:
        b = blocked_of(attn_mask)
        blocked |= b.reshape(N, num_heads, L, S) if b.ndim == 3 else b
    elif is_causal:
        blocked |= np.triu(np.ones((L, S), dtype=bool), k=1)
    return not blocked.all(axis=-1).any()


def padding_mask(rng, N, S, kind, dtype):
    """(N, S): each sequence has a length of 1..S and the keys after it are padding; with N > 1 the
    lengths differ. Bool: True = padding. Float: -inf on the padding, small numbers (added) elsewhere."""
    while True:
        lengths = rng.integers(1, S + 1, size=N)
        if S == 1 or (lengths < S).any() and (N == 1 or len(set(lengths.tolist())) > 1):
            break
    padded = np.arange(S)[None, :] >= lengths[:, None]  # (N, S)
    if kind == "bool":
        return padded
    return np.where(padded, -np.inf, rng.standard_normal((N, S))).astype(dtype)


def score_mask(rng, shape, kind, dtype):
    """A random (L, S) or (N * num_heads, L, S) mask. Bool: True = blocked, about 1 in 3. Float: N(0, 1)
    numbers added to the scores, -inf (blocked) about 1 in 4."""
    blocked = rng.random(shape) < (1 / 3 if kind == "bool" else 1 / 4)
    if kind == "bool":
        return blocked
    return np.where(blocked, -np.inf, rng.standard_normal(shape)).astype(dtype)


def masks_for(rng, N, L, S, num_heads, dtype, padding=None, attn=None, per_head=False, is_causal=False):
    """key_padding_mask and attn_mask of the kinds asked ("bool", "float" or None), drawn until every query
    keeps at least one key (a query with none gets NaN, in torch as here, and is left out of the tests)."""
    while True:
        kpm = None if padding is None else padding_mask(rng, N, S, padding, dtype)
        shape = (N * num_heads, L, S) if per_head else (L, S)
        mask = None if attn is None else score_mask(rng, shape, attn, dtype)
        if every_query_keeps_a_key(N, num_heads, L, S, kpm, mask, is_causal):
            return kpm, mask


# ------------------------------------------------------------------------------------------ tests


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_forward(check, rng, case, dtype):
    """With every optional argument left at its default, do the output and the head-averaged weights match
    nn.MultiheadAttention(batch_first=True) with the same weights?"""
    d, num_heads = sample_case(rng, case, dtype)
    against_torch(check, d, num_heads)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("case", ["batch1-one-head", "cross-2-heads", "self-3-heads", "4-heads-L>S"])
def test_per_head_weights(check, rng, case, dtype):
    """With average_attn_weights=False, are the weights given per head, (N, num_heads, L, S), as torch?"""
    d, num_heads = sample_case(rng, case, dtype)
    against_torch(check, d, num_heads, average_attn_weights=False)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("variant", ["plain", "masked", "causal"])
def test_need_weights_false(check, rng, variant, dtype):
    """With need_weights=False, is the output unchanged (masks and is_causal still applied) and the weights None?"""
    N, L, S, E, num_heads = (2, 3, 5, 6, 2) if variant != "causal" else (2, 4, 4, 6, 3)
    d = sample(rng, N, L, S, E, num_heads, dtype, self_attention=variant == "causal")
    options = {"need_weights": False}
    if variant == "masked":
        kpm, mask = masks_for(rng, N, L, S, num_heads, dtype, padding="bool", attn="bool")
        options.update(key_padding_mask=kpm, attn_mask=mask)
    elif variant == "causal":
        options["is_causal"] = True
    against_torch(check, d, num_heads, **options)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("kind", ["bool", "float"])
@pytest.mark.parametrize("case", ["batch1-one-head", "cross-2-heads", "self-3-heads", "4-heads-L>S"])
def test_key_padding_mask(check, rng, case, kind, dtype):
    """Is key_padding_mask (N, S) applied to the keys of each batch element, in every head and for every query:
    bool True = padding, ignored (NOT the SDPA convention), float added to the scores?"""
    d, num_heads = sample_case(rng, case, dtype)
    (N, L, _), S = d["query"].shape, d["key"].shape[1]
    kpm, _ = masks_for(rng, N, L, S, num_heads, dtype, padding=kind)
    against_torch(check, d, num_heads, key_padding_mask=kpm)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape", ["L-S", "N*heads-L-S"])
@pytest.mark.parametrize("kind", ["bool", "float"])
@pytest.mark.parametrize("case", ["cross-2-heads", "self-3-heads", "4-heads-L>S"])
def test_attn_mask(check, rng, case, kind, shape, dtype):
    """Is attn_mask applied as torch's MHA does: bool True = may NOT attend, float added to the scores, one
    (L, S) mask for the batch or one per batch element and head, (N * num_heads, L, S), row n * num_heads + h?"""
    d, num_heads = sample_case(rng, case, dtype)
    (N, L, _), S = d["query"].shape, d["key"].shape[1]
    _, mask = masks_for(rng, N, L, S, num_heads, dtype, attn=kind, per_head=shape != "L-S")
    against_torch(check, d, num_heads, attn_mask=mask)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("per_head", [False, True], ids=["L-S", "N*heads-L-S"])
@pytest.mark.parametrize("kind", ["bool", "float"])
def test_masks_together(check, rng, kind, per_head, dtype):
    """Called with every argument by position, do key_padding_mask and attn_mask both apply, with per-head
    weights, as torch?"""
    N, L, S, E, num_heads = 2, 3, 5, 6, 2
    d = sample(rng, N, L, S, E, num_heads, dtype)
    kpm, mask = masks_for(rng, N, L, S, num_heads, dtype, padding=kind, attn=kind, per_head=per_head)
    args = (d["query"], d["key"], d["value"], num_heads, *(d[name] for name in WEIGHTS), kpm, True, mask, False, False)
    check.close(lambda m: m.multi_head_attention(*args),
                reference(d, num_heads, key_padding_mask=kpm, attn_mask=mask, average_attn_weights=False),
                call=f"multi_head_attention(query, key, value, {num_heads}, {', '.join(WEIGHTS)}, key_padding_mask, "
                     "True, attn_mask, False, False)  # key_padding_mask, need_weights, attn_mask, "
                     f"average_attn_weights, is_causal; query {d['query'].shape}, key {d['key'].shape}, "
                     f"attn_mask {mask.shape}",
                inputs=inputs_of(d, {"key_padding_mask": kpm, "attn_mask": mask}), names=NAMES)


# (N, L, S, E, num_heads, self-attention, key padding?): L == S, L < S and L > S (query i sees keys
# 0..i, counted from the top-left corner), and causal attention together with a padding mask.
CAUSAL_CASES = {
    "self-L4": (2, 4, 4, 6, 2, True, False),
    "L3-S5": (1, 3, 5, 4, 2, False, False),
    "L5-S3": (2, 5, 3, 6, 3, False, False),
    "self-L5-padding": (3, 5, 5, 4, 2, True, True),
}


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("case", CAUSAL_CASES, ids=list(CAUSAL_CASES))
def test_causal(check, rng, case, dtype):
    """With is_causal=True and no attn_mask, does query i attend to keys 0..i only (top-left aligned when
    L != S), as torch does given that causal mask?"""
    N, L, S, E, num_heads, self_attention, padded = CAUSAL_CASES[case]
    d = sample(rng, N, L, S, E, num_heads, dtype, self_attention)
    options = {"is_causal": True}
    if padded:
        options["key_padding_mask"], _ = masks_for(rng, N, L, S, num_heads, dtype, padding="bool", is_causal=True)
    against_torch(check, d, num_heads, **options)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("kind", ["bool", "float"])
def test_causal_with_attn_mask(check, rng, kind, dtype):
    """With is_causal=True and the causal attn_mask given too (bool, or the float mask of
    nn.Transformer.generate_square_subsequent_mask), is that mask applied, as torch?"""
    torch = oracle.torch()
    N, L, E, num_heads = 2, 4, 6, 3
    d = sample(rng, N, L, L, E, num_heads, dtype, self_attention=True)
    if kind == "bool":
        mask = np.triu(np.ones((L, L), dtype=bool), k=1)
    else:
        mask = oracle.numpy(torch.nn.Transformer.generate_square_subsequent_mask(L, dtype=torch.float64), dtype)
    against_torch(check, d, num_heads, attn_mask=mask, is_causal=True)


def test_large_scores(check, rng):
    """When the scores run into the thousands (exp() overflows float64 above 709), are the output and the
    weights still finite and right?"""
    N, L, S, E, num_heads = 2, 3, 4, 4, 2
    d = sample(rng, N, L, S, E, num_heads, np.float64)
    d["in_proj_weight"][:E] *= 1000.0  # q = 1000 x an ordinary projection: scores of about N(0, 1000^2)
    against_torch(check, d, num_heads)


def bad_inputs(rng):
    """name -> (d, num_heads, options, reason): one thing wrong in each."""
    N, L, S, E = 2, 3, 4, 6
    good = lambda: sample(rng, N, L, S, E, 2, np.float64)  # noqa: E731
    cases = {}
    d = good()
    cases["heads-do-not-divide-E"] = (d, 4, {}, "num_heads=4 does not divide E=6 (torch: embed_dim must be "
                                                "divisible by num_heads)")
    d = good()
    d["value"] = d["value"][:, :3]
    cases["key-value-shapes"] = (d, 2, {}, f"key {d['key'].shape} and value {d['value'].shape} differ in shape")
    d = good()
    d["in_proj_weight"] = d["in_proj_weight"][:2 * E]
    cases["in_proj_weight-shape"] = (d, 2, {}, "in_proj_weight has shape (12, 6), not (3E, E) = (18, 6)")
    d = good()
    cases["attn_mask-shape"] = (d, 2, {"attn_mask": np.zeros((S, L), dtype=bool)},
                                f"attn_mask has shape ({S}, {L}), not (L, S) = ({L}, {S}) or (N * num_heads, L, S)")
    d = good()
    cases["key_padding_mask-shape"] = (d, 2, {"key_padding_mask": np.zeros((N, L), dtype=bool)},
                                       f"key_padding_mask has shape ({N}, {L}), not (N, S) = ({N}, {S})")
    d = good()
    cases["int-attn_mask"] = (d, 2, {"attn_mask": np.zeros((L, S), dtype=np.int64)},
                              "attn_mask is int64; torch supports only bool and float masks")
    return cases


BAD = ["heads-do-not-divide-E", "key-value-shapes", "in_proj_weight-shape", "attn_mask-shape",
       "key_padding_mask-shape", "int-attn_mask"]


@pytest.mark.parametrize("bad", BAD)
def test_bad_input(check, rng, bad):
    """Are num_heads that does not divide E, key and value of different shapes, a projection or a mask of the
    wrong shape, and an integer mask refused with ValueError?"""
    d, num_heads, options, reason = bad_inputs(rng)[bad]
    check.raises(lambda m: m.multi_head_attention(d["query"], d["key"], d["value"], num_heads, d["in_proj_weight"],
                                                  d["in_proj_bias"], d["out_proj_weight"], d["out_proj_bias"],
                                                  **options),
                 call=call_text(num_heads, options, d), reason=reason, inputs=inputs_of(d, options))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """With sizes, heads, masks and options drawn afresh each run, does multi_head_attention match torch?"""
    for _ in range(3):
        N, L, S = (int(n) for n in rng.integers(1, 6, size=3))  # 1..5 each
        num_heads, head_dim = (int(n) for n in rng.integers(1, 4, size=2))  # 1..3 each
        d = sample(rng, N, L, S, num_heads * head_dim, num_heads, dtype)
        kind = ["bool", "float"][int(rng.integers(2))]  # torch wants both masks of one kind
        is_causal = bool(rng.random() < 0.3)
        padding = kind if rng.random() < 0.5 else None
        attn = kind if not is_causal and rng.random() < 0.5 else None
        kpm, mask = masks_for(rng, N, L, S, num_heads, dtype, padding=padding, attn=attn,
                              per_head=bool(rng.random() < 0.5), is_causal=is_causal)
        options = {"key_padding_mask": kpm, "need_weights": bool(rng.random() < 0.8), "attn_mask": mask,
                   "average_attn_weights": bool(rng.random() < 0.5), "is_causal": is_causal}
        against_torch(check, d, num_heads, **options)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Are the output and the weights right in the dtype of query (float32 in, float32 out), with and without a
    float mask?"""
    N, L, S, E, num_heads = 2, 3, 4, 6, 2
    d = sample(rng, N, L, S, E, num_heads, dtype)
    against_torch(check, d, num_heads, dtype_rule=True)
    kpm, mask = masks_for(rng, N, L, S, num_heads, dtype, padding="float", attn="float")
    against_torch(check, d, num_heads, dtype_rule=True, key_padding_mask=kpm, attn_mask=mask)
