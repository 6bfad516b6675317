"""attention.causal_mask: causal_mask and scaled_dot_product_attention against torch.tril and torch's SDPA."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]

# (batch dims, L, S, E, Ev): one query, unbatched, a batch of one, batched, multi-head (B, H, L, E).
# Query length differs from key length and E from Ev wherever possible, so a transposed product or a
# scale by the wrong size cannot pass by accident.
CASES = [
    ((), 1, 4, 3, 2),
    ((), 4, 6, 8, 5),
    ((1,), 3, 3, 4, 4),
    ((2,), 5, 3, 4, 6),
    ((2, 3), 4, 7, 8, 3),
]


def case_id(case):
    batch, L, S, E, Ev = case
    return f"{'x'.join(map(str, batch)) or 'unbatched'}-L{L}-S{S}-E{E}-Ev{Ev}"


def qkv(rng, case, dtype):
    batch, L, S, E, Ev = case
    return tuple(rng.standard_normal(batch + shape).astype(dtype) for shape in ((L, E), (S, E), (S, Ev)))


def random_mask(rng, shape):
    """A random bool mask (True = may attend) where every query keeps a key and blocks one, and, when there
    are several queries, every key is seen by one of them: no row or column of the softmax is all -inf."""
    L, S = shape[-2:]
    while True:
        mask = rng.random(shape) < 0.5
        rows_ok = mask.any(axis=-1).all() and (S == 1 or (~mask).any(axis=-1).all())
        if rows_ok and (L == 1 or mask.any(axis=-2).all()):
            return mask


def torch_attention(q, k, v, attn_mask=None, is_causal=False):
    F = oracle.torch().nn.functional
    mask = None if attn_mask is None else oracle.tensor(attn_mask)
    out = F.scaled_dot_product_attention(oracle.tensor(q), oracle.tensor(k), oracle.tensor(v),
                                         attn_mask=mask, is_causal=is_causal, dropout_p=0.0)
    return oracle.numpy(out, q.dtype)


# ----------------------------------------------------------------------------------------- causal_mask


@pytest.mark.parametrize("seq_len", [1, 2, 5])
def test_causal_mask(check, seq_len):
    """Is causal_mask(n) the bool lower triangle, diagonal included (True = may attend)?"""
    torch = oracle.torch()
    expected = oracle.numpy(torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool)), np.bool_)
    check.close(lambda m: m.causal_mask(seq_len), expected, call=f"causal_mask({seq_len})")


def test_causal_mask_negative(check):
    """Is a negative seq_len refused with ValueError?"""
    check.raises(lambda m: m.causal_mask(-1), call="causal_mask(-1)", reason="seq_len=-1 is negative")


# --------------------------------------------------------------------------- scaled_dot_product_attention


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_attention_forward(check, rng, case, dtype):
    """Without a mask, does attention match torch's scaled_dot_product_attention?"""
    q, k, v = qkv(rng, case, dtype)
    check.close(lambda m: m.scaled_dot_product_attention(q, k, v), torch_attention(q, k, v),
                call="scaled_dot_product_attention(q, k, v)",
                inputs={"q": q, "k": k, "v": v})


# (case, mask shape): a full mask per batch element, one (L, S) mask shared over a batch or over heads,
# a key-padding mask (B, 1, 1, S), a single query.
MASK_CASES = [
    (((), 4, 6, 3, 5), (4, 6)),
    (((2,), 5, 4, 4, 3), (2, 5, 4)),
    (((3,), 4, 6, 5, 2), (4, 6)),
    (((2, 3), 4, 5, 4, 6), (2, 1, 4, 5)),
    (((2, 3), 3, 6, 4, 4), (2, 1, 1, 6)),
    (((), 1, 5, 4, 3), (1, 5)),
]


def mask_case_id(mask_case):
    case, mask_shape = mask_case
    return f"{case_id(case)}-mask{'x'.join(map(str, mask_shape))}"


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("mask_case", MASK_CASES, ids=mask_case_id)
def test_attention_mask(check, rng, mask_case, dtype):
    """With a bool attn_mask (True = may attend), broadcast over batch and heads, does attention match torch?"""
    case, mask_shape = mask_case
    q, k, v = qkv(rng, case, dtype)
    mask = random_mask(rng, mask_shape)
    check.close(lambda m: m.scaled_dot_product_attention(q, k, v, attn_mask=mask),
                torch_attention(q, k, v, attn_mask=mask),
                call="scaled_dot_product_attention(q, k, v, attn_mask=mask)",
                inputs={"q": q, "k": k, "v": v, "attn_mask": mask})


# L == S, L < S and L > S: torch's causal mask is tril(ones(L, S)), aligned to the top-left corner.
CAUSAL_CASES = [
    ((), 5, 5, 4, 3),
    ((), 1, 4, 3, 2),
    ((2,), 3, 6, 4, 5),
    ((2, 2), 6, 3, 8, 4),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("case", CAUSAL_CASES, ids=case_id)
def test_attention_causal(check, rng, case, dtype):
    """With is_causal=True, does query i attend to keys 0..i only (top-left aligned when L != S), as in torch?"""
    q, k, v = qkv(rng, case, dtype)
    check.close(lambda m: m.scaled_dot_product_attention(q, k, v, is_causal=True),
                torch_attention(q, k, v, is_causal=True),
                call="scaled_dot_product_attention(q, k, v, is_causal=True)",
                inputs={"q": q, "k": k, "v": v})


def offset_scores(rng, dtype, offsets, batch=(2,), L=4, S=5, E=4, Ev=3):
    """q, k, v whose scaled score [i, j] is offset[i] + an ordinary (about N(0, 1)) part.

    Feature 0 carries the offset: q[..., i, 0] = sqrt(E) * offset[i] and k[..., j, 0] = 1.
    """
    q, k, v = (rng.standard_normal(batch + shape) for shape in ((L, E), (S, E), (S, Ev)))
    q[..., 0] = np.sqrt(E) * rng.uniform(*offsets, size=L)
    k[..., 0] = 1.0
    return q.astype(dtype), k.astype(dtype), v.astype(dtype)


def blocked_heavy_scores(rng, dtype, allowed, big, batch=(2,), extra=3, Ev=3):
    """q, k, v whose scaled score [i, j] is `big` where allowed[i, j] is False, ordinary where it is True.

    With E = L + extra features, q[..., :L] = sqrt(E) * I and k[..., j, i] = big * (not allowed[i, j]) make
    the first L features contribute big * ~allowed to q @ k^T / sqrt(E); the last `extra` add the ordinary part.
    """
    L, S = allowed.shape
    E = L + extra
    q, k, v = (rng.standard_normal(batch + shape) for shape in ((L, E), (S, E), (S, Ev)))
    q[..., :L] = np.sqrt(E) * np.eye(L)
    k[..., :L] = big * ~allowed.T  # (S, L)
    return q.astype(dtype), k.astype(dtype), v.astype(dtype)


# Scores large enough that exp() overflows without the max shift (above 709 in float64, above 88 in
# float32), and blocked scores large enough that the allowed ones underflow to 0 (even in float64) if the
# blocked keys take part in the softmax. Blocked scores get no weight, so their rounding never matters.
ROW_OFFSETS = {np.dtype(np.float64): (800.0, 1200.0), np.dtype(np.float32): (100.0, 150.0)}
BLOCKED_SCORE = 1000.0
# In float32, q[..., 0] * k[..., 0] is about 300 here and is only known to its ulp (3e-5), so even a
# correct float32 answer has weights off by ~1e-5 relative; where the weighted values nearly cancel, the
# output can miss the default atol of 1e-5 (by up to 1.3x over 300 seeds, measured). atol=1e-4 leaves a
# wide margin; every wrong answer this test catches is off by far more, or is NaN.
LARGE_FLOAT32_ATOL = 1e-4


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_attention_large_scores(check, rng, dtype):
    """Does attention stay finite and exact when every score in a row is in the hundreds (or above)?"""
    low, high = ROW_OFFSETS[np.dtype(dtype)]
    q, k, v = offset_scores(rng, dtype, (low, high))
    check.close(lambda m: m.scaled_dot_product_attention(q, k, v), torch_attention(q, k, v),
                call=f"scaled_dot_product_attention(q, k, v)  # each row's scores: {low:g} to {high:g}, + N(0, 1)",
                inputs={"q": q, "k": k, "v": v}, atol=LARGE_FLOAT32_ATOL if dtype == np.float32 else None)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("masking", ["is_causal", "attn_mask"])
def test_attention_large_blocked_scores(check, rng, masking, dtype):
    """When the blocked keys have by far the largest scores, do they still get exactly no weight?"""
    if masking == "is_causal":
        allowed, kwargs, text = np.tril(np.ones((5, 5), dtype=bool)), {"is_causal": True}, "is_causal=True"
    else:
        allowed = random_mask(rng, (4, 6))
        kwargs, text = {"attn_mask": allowed}, "attn_mask=mask"
    q, k, v = blocked_heavy_scores(rng, dtype, allowed, BLOCKED_SCORE)
    inputs = {"q": q, "k": k, "v": v, **({"attn_mask": allowed} if masking == "attn_mask" else {})}
    check.close(lambda m: m.scaled_dot_product_attention(q, k, v, **kwargs), torch_attention(q, k, v, **kwargs),
                call=f"scaled_dot_product_attention(q, k, v, {text})  # scores: blocked {BLOCKED_SCORE:g} + N(0, 1), "
                     "allowed N(0, 1)",
                inputs=inputs)


def test_attention_causal_mask_together(check, rng):
    """Does attn_mask=causal_mask(L) give the same output as torch with is_causal=True?"""
    q, k, v = qkv(rng, ((2,), 4, 4, 3, 5), np.float64)
    check.close(lambda m: m.scaled_dot_product_attention(q, k, v, attn_mask=m.causal_mask(4)),
                torch_attention(q, k, v, is_causal=True),
                call="scaled_dot_product_attention(q, k, v, attn_mask=causal_mask(4))",
                inputs={"q": q, "k": k, "v": v})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """With sizes drawn afresh each run, do causal_mask and attention with attn_mask or is_causal match torch?"""
    n = int(rng.integers(1, 13))  # 1..12
    torch = oracle.torch()
    expected = oracle.numpy(torch.tril(torch.ones(n, n, dtype=torch.bool)), np.bool_)  # (n, n)
    check.close(lambda m: m.causal_mask(n), expected, call=f"causal_mask({n})")

    batch = tuple(int(b) for b in rng.integers(1, 5, size=int(rng.integers(0, 3))))  # 0..2 batch dims, 1..4 each
    L, S, E, Ev = (int(d) for d in rng.integers(1, 7, size=4))  # 1..6 each
    q, k, v = qkv(rng, (batch, L, S, E, Ev), dtype)  # (*batch, L, E), (*batch, S, E), (*batch, S, Ev)
    mask = random_mask(rng, (L, S))  # (L, S), broadcast over the batch dims
    shapes = f"q {q.shape}, k {k.shape}, v {v.shape}"
    check.close(lambda m: m.scaled_dot_product_attention(q, k, v, attn_mask=mask),
                torch_attention(q, k, v, attn_mask=mask),
                call=f"scaled_dot_product_attention(q, k, v, attn_mask=mask)  # {shapes}, mask {mask.shape}",
                inputs={"q": q, "k": k, "v": v, "attn_mask": mask})
    check.close(lambda m: m.scaled_dot_product_attention(q, k, v, is_causal=True),
                torch_attention(q, k, v, is_causal=True),
                call=f"scaled_dot_product_attention(q, k, v, is_causal=True)  # {shapes}",
                inputs={"q": q, "k": k, "v": v})


BAD = {
    "E-mismatch": (((3, 4), (5, 3), (5, 2)), "q has E=4 features but k has 3"),
    "S-mismatch": (((3, 4), (5, 4), (6, 2)), "k has S=5 positions but v has 6"),
    "batched-E-mismatch": (((2, 3, 4), (2, 5, 6), (2, 5, 2)), "q has E=4 features but k has 6"),
    "batched-S-mismatch": (((2, 3, 4), (2, 5, 4), (2, 4, 2)), "k has S=5 positions but v has 4"),
}


@pytest.mark.parametrize("bad", list(BAD), ids=list(BAD))
def test_attention_bad_shapes(check, rng, bad):
    """Are q and k with different E, or k and v with different S, refused with ValueError?"""
    shape_list, reason = BAD[bad]
    q, k, v = (rng.standard_normal(s) for s in shape_list)
    check.raises(lambda m: m.scaled_dot_product_attention(q, k, v),
                 call="scaled_dot_product_attention(q, k, v)",
                 reason=reason, inputs={"q": q, "k": k, "v": v})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Is causal_mask right and bool, and is attention right in the dtype of q (float32 in, float32 out), with and
    without a mask?"""
    torch = oracle.torch()
    check.close(lambda m: m.causal_mask(3), oracle.numpy(torch.tril(torch.ones(3, 3, dtype=torch.bool)), np.bool_),
                call="causal_mask(3)", dtype=True)
    q, k, v = qkv(rng, ((2,), 3, 4, 5, 2), dtype)
    mask = random_mask(rng, (3, 4))
    inputs = {"q": q, "k": k, "v": v}
    check.close(lambda m: m.scaled_dot_product_attention(q, k, v), torch_attention(q, k, v),
                call="scaled_dot_product_attention(q, k, v)", inputs=inputs, dtype=True)
    check.close(lambda m: m.scaled_dot_product_attention(q, k, v, attn_mask=mask), torch_attention(q, k, v, mask),
                call="scaled_dot_product_attention(q, k, v, attn_mask=mask)", inputs={**inputs, "attn_mask": mask},
                dtype=True)
