"""attention.gpt_block: one GPT-2 block (pre-norm causal self-attention, GELU MLP, residuals) against torch."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]

# (B, T, C, n_head). T differs from C almost everywhere, so a transposed product shows; several heads
# of size D != C, so a scale by sqrt(C) or a per-head interleaved split shows; T = 1 is causal with a
# single token; n_head = C gives heads of size 1.
CASES = {
    "B2-T5-C8-H2": (2, 5, 8, 2),
    "batch1-T4-C6-H3": (1, 4, 6, 3),
    "one-head": (2, 3, 8, 1),
    "one-token": (1, 1, 4, 2),
    "heads-of-1": (2, 6, 4, 4),
    "B3-T7-C12-H4": (3, 7, 12, 4),
}


def make_params(rng, C, dtype):
    """A block's parameters at sizes that keep every part visible: the GELU's inputs reach +-3, where the tanh
    approximation is off by ~1e-4, and the LayerNorm weights and biases are far from 1 and 0."""
    def lin(out, inp, scale=1.0):
        return scale * rng.standard_normal((out, inp)) / np.sqrt(inp), 0.2 * rng.standard_normal(out)

    p = {}
    for ln in ("ln_1", "ln_2"):
        p[f"{ln}.weight"], p[f"{ln}.bias"] = 1.0 + 0.3 * rng.standard_normal(C), 0.3 * rng.standard_normal(C)
    p["attn.c_attn.weight"], p["attn.c_attn.bias"] = lin(3 * C, C, scale=1.5)
    p["attn.c_proj.weight"], p["attn.c_proj.bias"] = lin(C, C)
    p["mlp.c_fc.weight"], p["mlp.c_fc.bias"] = lin(4 * C, C, scale=1.5)
    p["mlp.c_proj.weight"], p["mlp.c_proj.bias"] = lin(C, 4 * C, scale=2.0)
    return {k: np.asarray(v, dtype=dtype) for k, v in p.items()}


def make_input(rng, B, T, C, dtype):
    # An offset and a scale per row, so the LayerNorm's centring and scaling both matter.
    x = rng.standard_normal((B, T, C)) * rng.uniform(0.5, 2.0, (B, T, 1)) + rng.uniform(-1, 1, (B, T, 1))
    return x.astype(dtype)


def torch_block(x, params, n_head, eps=1e-5):
    """The block from torch ops in float64: F.layer_norm, F.linear, causal SDPA, the exact F.gelu."""
    torch = oracle.torch()
    F = torch.nn.functional
    t = {k: oracle.tensor(v) for k, v in params.items()}
    B, T, C = x.shape
    h = oracle.tensor(x)
    a = F.layer_norm(h, (C,), t["ln_1.weight"], t["ln_1.bias"], eps)
    q, k, v = F.linear(a, t["attn.c_attn.weight"], t["attn.c_attn.bias"]).split(C, dim=-1)
    q, k, v = (z.view(B, T, n_head, C // n_head).transpose(1, 2) for z in (q, k, v))  # (B, H, T, D)
    y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(B, T, C)
    h = h + F.linear(y, t["attn.c_proj.weight"], t["attn.c_proj.bias"])
    m = F.gelu(F.linear(F.layer_norm(h, (C,), t["ln_2.weight"], t["ln_2.bias"], eps),
                        t["mlp.c_fc.weight"], t["mlp.c_fc.bias"]))  # approximate="none": erf
    h = h + F.linear(m, t["mlp.c_proj.weight"], t["mlp.c_proj.bias"])
    return oracle.numpy(h, x.dtype)


def shown(x, n_head):
    return f"  # x.shape == {x.shape}, n_head == {n_head}, head size {x.shape[-1] // n_head}"


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_gpt_block(check, rng, case, dtype):
    """Does gpt_block (eps left at its default) match the same GPT-2 block built from torch ops?"""
    B, T, C, n_head = case
    x, params = make_input(rng, B, T, C, dtype), make_params(rng, C, dtype)
    check.close(lambda m: m.gpt_block(x, params, n_head), torch_block(x, params, n_head),
                call=f"gpt_block(x, params, {n_head})" + shown(x, n_head), inputs={"x": x, "params": params})


def test_gpt_block_causal(check, rng):
    """Is position t's output untouched by later positions: does the block on a prefix x[:, :t] give the first t
    rows of the whole output, as in torch?"""
    x, params = make_input(rng, 2, 6, 8, np.float64), make_params(rng, 8, np.float64)
    for t in (2, 6):
        prefix = np.ascontiguousarray(x[:, :t])
        check.close(lambda m: m.gpt_block(prefix, params, 2), torch_block(x, params, 2)[:, :t],
                    call=f"gpt_block(x[:, :{t}], params, 2)  # expected: the first {t} positions of the block on "
                         f"all 6", inputs={"x": prefix, "params": params})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_gpt_block_eps(check, rng, dtype):
    """Is eps the LayerNorm epsilon of both norms (added to the variance), by position and by name?"""
    B, T, C, n_head = 2, 4, 6, 2
    # Rows of small spread, so eps = 0.05 changes the normalisation a lot.
    x = (0.2 * rng.standard_normal((B, T, C)) + rng.uniform(-1, 1, (B, T, 1))).astype(dtype)
    params = make_params(rng, C, dtype)
    expected = torch_block(x, params, n_head, eps=0.05)
    check.close(lambda m: m.gpt_block(x, params, n_head, 0.05), expected,
                call=f"gpt_block(x, params, {n_head}, 0.05)" + shown(x, n_head), inputs={"x": x, "params": params})
    check.close(lambda m: m.gpt_block(x=x, params=params, n_head=n_head, eps=0.05), expected,
                call=f"gpt_block(x=x, params=params, n_head={n_head}, eps=0.05)" + shown(x, n_head),
                inputs={"x": x, "params": params})


def test_gpt_block_bad_input(check, rng):
    """Are a C that n_head does not divide, an x that is not (B, T, C), a missing key and a mis-shaped weight refused
    with ValueError?"""
    x, params = make_input(rng, 2, 3, 6, np.float64), make_params(rng, 6, np.float64)
    check.raises(lambda m: m.gpt_block(x, params, 4), call="gpt_block(x, params, 4)  # C = 6",
                 reason="n_head=4 does not divide C=6", inputs={"x": x, "params": params})
    check.raises(lambda m: m.gpt_block(x, params, 0), call="gpt_block(x, params, 0)",
                 reason="n_head=0: a block needs at least one head", inputs={"x": x, "params": params})
    flat = np.ascontiguousarray(x[0])
    check.raises(lambda m: m.gpt_block(flat, params, 2), call="gpt_block(x, params, 2)  # x.shape == (3, 6)",
                 reason="x has 2 dimensions, not (B, T, C)", inputs={"x": flat, "params": params})
    partial = {k: v for k, v in params.items() if k != "mlp.c_fc.bias"}
    check.raises(lambda m: m.gpt_block(x, partial, 2), call="gpt_block(x, params, 2)  # no 'mlp.c_fc.bias'",
                 reason="params lacks the key 'mlp.c_fc.bias'", inputs={"x": x, "params": partial})
    bad = {**params, "attn.c_attn.weight": np.ascontiguousarray(params["attn.c_attn.weight"].T)}
    check.raises(lambda m: m.gpt_block(x, bad, 2),
                 call="gpt_block(x, params, 2)  # params['attn.c_attn.weight'].shape == (6, 18)",
                 reason="attn.c_attn.weight must be (3C, C) = (18, 6), nn.Linear's layout",
                 inputs={"x": x, "params": bad})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """With the batch, length, width and number of heads drawn afresh each run, does gpt_block match torch?"""
    for _ in range(2):
        n_head = int(rng.integers(1, 5))  # 1..4
        C = n_head * int(rng.integers(1, 5))  # head size 1..4
        B, T = (int(s) for s in rng.integers(1, 6, size=2))  # 1..5 each
        x, params = make_input(rng, B, T, C, dtype), make_params(rng, C, dtype)
        check.close(lambda m: m.gpt_block(x, params, n_head), torch_block(x, params, n_head),
                    call=f"gpt_block(x, params, {n_head})" + shown(x, n_head), inputs={"x": x, "params": params})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Is gpt_block right in the dtype of its inputs (float32 in, float32 out)?"""
    x, params = make_input(rng, 2, 3, 4, dtype), make_params(rng, 4, dtype)
    check.close(lambda m: m.gpt_block(x, params, 2), torch_block(x, params, 2),
                call="gpt_block(x, params, 2)" + shown(x, 2), inputs={"x": x, "params": params}, dtype=True)
