"""attention.decoder_layer: decoder_layer against nn.TransformerDecoderLayer(batch_first=True, dropout=0)."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]
E, FF = 8, 16  # d_model and dim_feedforward: cheap, and E // nhead differs from E for nhead 2

# name -> (N, L, S, nhead, activation, norm_first). L != S (tgt vs memory) in most cases, so keys taken from
# tgt instead of memory show; nhead 2 tells a 1/sqrt(E) scale from 1/sqrt(head_dim); a batch of one; L = 1.
CASES = {
    "post-relu-h2": (2, 5, 3, 2, "relu", False),
    "pre-gelu-h2": (2, 5, 3, 2, "gelu", True),
    "post-gelu-h1-L<S": (2, 3, 5, 1, "gelu", False),
    "pre-relu-h1-batch1": (1, 5, 3, 1, "relu", True),
    "post-relu-h2-batch1-L=S": (1, 4, 4, 2, "relu", False),
    "pre-gelu-h2-L1": (2, 1, 3, 2, "gelu", True),
}
SELF, CROSS = ("self_attn.", "multihead_attn.")


def param_shapes(e=E, ff=FF):
    shapes = {}
    for block in ("self_attn", "multihead_attn"):
        shapes.update({f"{block}.in_proj_weight": (3 * e, e), f"{block}.in_proj_bias": (3 * e,),
                       f"{block}.out_proj.weight": (e, e), f"{block}.out_proj.bias": (e,)})
    shapes.update({"linear1.weight": (ff, e), "linear1.bias": (ff,), "linear2.weight": (e, ff), "linear2.bias": (e,)})
    for norm in ("norm1", "norm2", "norm3"):
        shapes.update({f"{norm}.weight": (e,), f"{norm}.bias": (e,)})
    return shapes


def make_params(rng, dtype, e=E, ff=FF):
    """Random weights with the state_dict() keys; norm weights near 1, as trained ones are."""
    params = {}
    for key, shape in param_shapes(e, ff).items():
        if key.startswith("norm"):
            value = (1.0 if key.endswith("weight") else 0.0) + 0.3 * rng.standard_normal(shape)
        else:
            value = rng.standard_normal(shape) / np.sqrt(shape[-1])
        params[key] = value.astype(dtype)
    return params


def make_src(rng, n, length, dtype, e=E):
    return rng.standard_normal((n, length, e)).astype(dtype)


def causal(length):
    """The causal mask in nn.MultiheadAttention's convention: True above the diagonal (the future is blocked)."""
    return np.triu(np.ones((length, length), dtype=bool), k=1)


def torch_decoder(tgt, memory, params, nhead, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                  memory_key_padding_mask=None, tgt_is_causal=False, activation="relu", norm_first=False, eps=1e-5):
    """The same layer in torch, in float64, cast to tgt's dtype.

    torch wants the causal mask itself with tgt_is_causal=True (MultiheadAttention raises "Need attn_mask if
    specifying the is_causal hint"), so it is given explicitly here, as well as the hint.
    The module stays in train() mode: nn.MultiheadAttention takes its fused fast path only in eval mode (and for
    self-attention with more conditions); TransformerDecoderLayer has no fused path of its own. In train() mode
    every block runs the plain math path (F.multi_head_attention_forward, _ff_block), whose last digits the NumPy
    answer should match. With dropout=0.0 training mode changes nothing else.
    """
    torch = oracle.torch()
    e, ff = params["linear1.weight"].shape[1], params["linear1.weight"].shape[0]
    layer = torch.nn.TransformerDecoderLayer(e, nhead, ff, dropout=0.0, activation=activation, batch_first=True,
                                             norm_first=norm_first, layer_norm_eps=eps, dtype=torch.float64)
    layer.load_state_dict({k: oracle.tensor(v) for k, v in params.items()})
    layer.train()
    if tgt_is_causal and tgt_mask is None:
        tgt_mask = causal(tgt.shape[1])
    masks = [None if m is None else oracle.tensor(m)
             for m in (tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask)]
    with torch.no_grad():
        out = layer(oracle.tensor(tgt), oracle.tensor(memory), *masks, tgt_is_causal=tgt_is_causal)
    return oracle.numpy(out, tgt.dtype)


def blocked_masks(rng, n, nhead, length, keys, attn_shape, padding, also=None):
    """Bool masks, True = NOT allowed, where every (batch, head, query) keeps at least one key and some
    queries lose one: attn_shape is None, (L, S) or (N * nhead, L, S); padding says whether to add (N, S);
    `also` is a fixed (L, S) bool mask applied with them (the causal one)."""
    while True:
        attn = None if attn_shape is None else rng.random(attn_shape) < 0.4
        pad = rng.random((n, keys)) < 0.4 if padding else None
        blocked = np.zeros((n, nhead, length, keys), dtype=bool)
        if attn is not None:
            blocked |= attn if attn.ndim == 2 else attn.reshape(n, nhead, length, keys)
        if pad is not None:
            blocked |= pad[:, None, None, :]
        if also is not None:
            blocked |= also
        if (~blocked).any(axis=-1).all() and (blocked.any() or (attn is None and pad is None)):
            return attn, pad


def float_mask(rng, shape, dtype):
    """A float mask: numbers from -3 to 1 added to the scores."""
    return rng.uniform(-3.0, 1.0, size=shape).astype(dtype)


def shapes_of(tgt, memory, params, nhead):
    return (f"  # tgt {tgt.shape}, memory {memory.shape}, E={tgt.shape[-1]}, nhead={nhead}, "
            f"dim_feedforward={params['linear1.weight'].shape[0]}")


def inputs_of(tgt, memory, params, **masks):
    return {"tgt": tgt, "memory": memory, "params": params, **{k: v for k, v in masks.items() if v is not None}}


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_decoder_layer(check, rng, case, dtype):
    """Without masks, does decoder_layer match nn.TransformerDecoderLayer for both norm orders and activations,
    with a memory longer or shorter than tgt?"""
    n, length, keys, nhead, activation, norm_first = case
    tgt, memory, params = make_src(rng, n, length, dtype), make_src(rng, n, keys, dtype), make_params(rng, dtype)
    expected = torch_decoder(tgt, memory, params, nhead, activation=activation, norm_first=norm_first)
    check.close(lambda m: m.decoder_layer(tgt, memory, params, nhead, activation=activation, norm_first=norm_first),
                expected,
                call=f"decoder_layer(tgt, memory, params, {nhead}, activation={activation!r}, norm_first={norm_first})"
                     + shapes_of(tgt, memory, params, nhead),
                inputs=inputs_of(tgt, memory, params))


# name -> {argument: kind}; kinds: "bool" (True = NOT allowed), "bool3d" (N * nhead, L, S), "float" (added).
MASKS = {
    "bool-tgt_mask": {"tgt_mask": "bool"},
    "float-tgt_mask": {"tgt_mask": "float"},
    "bool-memory_mask": {"memory_mask": "bool"},
    "float-memory_mask": {"memory_mask": "float"},
    "bool3d-memory_mask": {"memory_mask": "bool3d"},
    "bool-tgt_key_padding_mask": {"tgt_key_padding_mask": "bool"},
    "float-tgt_key_padding_mask": {"tgt_key_padding_mask": "float"},
    "bool-memory_key_padding_mask": {"memory_key_padding_mask": "bool"},
    "float-memory_key_padding_mask": {"memory_key_padding_mask": "float"},
    "bool-all-four": {"tgt_mask": "bool", "memory_mask": "bool", "tgt_key_padding_mask": "bool",
                      "memory_key_padding_mask": "bool"},
}


def decoder_masks(rng, kinds, n, nhead, length, keys, dtype):
    """The four masks (None where not asked for) of the kinds asked for."""
    out = {}
    for side, k in (("tgt", length), ("memory", keys)):
        attn_kind, pad_kind = kinds.get(f"{side}_mask"), kinds.get(f"{side}_key_padding_mask")
        shape = {"bool": (length, k), "bool3d": (n * nhead, length, k)}.get(attn_kind)
        attn, pad = blocked_masks(rng, n, nhead, length, k, shape, pad_kind == "bool")
        out[f"{side}_mask"] = float_mask(rng, (length, k), dtype) if attn_kind == "float" else attn
        out[f"{side}_key_padding_mask"] = float_mask(rng, (n, k), dtype) if pad_kind == "float" else pad
    return out


@pytest.mark.parametrize("norm_first", [False, True], ids=["post-norm", "pre-norm"])
@pytest.mark.parametrize("kinds", MASKS.values(), ids=MASKS.keys())
def test_decoder_layer_masks(check, rng, kinds, norm_first):
    """With a bool mask (True = NOT allowed) or a float mask (added to the scores) as tgt_mask, memory_mask or
    either key padding mask, does decoder_layer match torch?"""
    n, length, keys, nhead = 2, 5, 3, 2
    tgt, memory, params = make_src(rng, n, length, np.float64), make_src(rng, n, keys, np.float64), \
        make_params(rng, np.float64)
    masks = decoder_masks(rng, kinds, n, nhead, length, keys, np.float64)
    expected = torch_decoder(tgt, memory, params, nhead, **masks, norm_first=norm_first)
    given = ", ".join(f"{k}={k}" for k, v in masks.items() if v is not None)
    check.close(lambda m: m.decoder_layer(tgt, memory, params, nhead, **masks, norm_first=norm_first), expected,
                call=f"decoder_layer(tgt, memory, params, {nhead}, {given}, norm_first={norm_first})"
                     + shapes_of(tgt, memory, params, nhead),
                inputs=inputs_of(tgt, memory, params, **masks))


@pytest.mark.parametrize("padding", [False, True], ids=["no-padding", "tgt_key_padding_mask"])
@pytest.mark.parametrize("norm_first", [False, True], ids=["post-norm", "pre-norm"])
def test_decoder_layer_causal(check, rng, norm_first, padding):
    """With tgt_is_causal=True and no tgt_mask, does each target position see itself and earlier ones only, as
    torch does given the causal mask and tgt_is_causal=True?"""
    n, length, keys, nhead = 2, 5, 3, 2
    tgt, memory, params = make_src(rng, n, length, np.float64), make_src(rng, n, keys, np.float64), \
        make_params(rng, np.float64)
    _, pad = blocked_masks(rng, n, nhead, length, length, None, padding, also=causal(length))
    expected = torch_decoder(tgt, memory, params, nhead, tgt_key_padding_mask=pad, tgt_is_causal=True,
                             norm_first=norm_first)
    text = ", tgt_key_padding_mask=tgt_key_padding_mask" if padding else ""
    check.close(lambda m: m.decoder_layer(tgt, memory, params, nhead, tgt_key_padding_mask=pad, tgt_is_causal=True,
                                          norm_first=norm_first),
                expected,
                call=f"decoder_layer(tgt, memory, params, {nhead}{text}, tgt_is_causal=True, norm_first={norm_first})"
                     + shapes_of(tgt, memory, params, nhead),
                inputs=inputs_of(tgt, memory, params, tgt_key_padding_mask=pad))


def test_decoder_layer_causal_with_mask(check, rng):
    """With tgt_is_causal=True and the causal tgt_mask given too, is the mask used once (the same as torch)?"""
    n, length, keys, nhead = 2, 4, 3, 2
    tgt, memory, params = make_src(rng, n, length, np.float64), make_src(rng, n, keys, np.float64), \
        make_params(rng, np.float64)
    mask = causal(length)
    expected = torch_decoder(tgt, memory, params, nhead, tgt_mask=mask, tgt_is_causal=True)
    check.close(lambda m: m.decoder_layer(tgt, memory, params, nhead, tgt_mask=mask, tgt_is_causal=True), expected,
                call=f"decoder_layer(tgt, memory, params, {nhead}, tgt_mask=np.triu(ones(({length}, {length})), k=1), "
                     "tgt_is_causal=True)" + shapes_of(tgt, memory, params, nhead),
                inputs=inputs_of(tgt, memory, params, tgt_mask=mask))


@pytest.mark.parametrize("norm_first", [False, True], ids=["post-norm", "pre-norm"])
def test_decoder_layer_eps(check, rng, norm_first):
    """With a layer-norm eps far from the default (0.5), is it added to the variance of all three layer norms?"""
    tgt, memory, params = make_src(rng, 2, 5, np.float64), make_src(rng, 2, 3, np.float64), \
        make_params(rng, np.float64)
    tgt *= 0.5  # a variance near eps, so where eps goes matters
    expected = torch_decoder(tgt, memory, params, 2, norm_first=norm_first, eps=0.5)
    check.close(lambda m: m.decoder_layer(tgt, memory, params, 2, norm_first=norm_first, eps=0.5), expected,
                call=f"decoder_layer(tgt, memory, params, 2, norm_first={norm_first}, eps=0.5)"
                     + shapes_of(tgt, memory, params, 2),
                inputs=inputs_of(tgt, memory, params))


def test_defaults(check, rng):
    """Called as decoder_layer(tgt, memory, params, nhead) alone, is it torch's default layer (no masks, not
    causal, relu, post-norm, eps 1e-5)?"""
    tgt, memory, params = make_src(rng, 2, 5, np.float64), make_src(rng, 2, 3, np.float64), \
        make_params(rng, np.float64)
    check.close(lambda m: m.decoder_layer(tgt, memory, params, 2), torch_decoder(tgt, memory, params, 2),
                call="decoder_layer(tgt, memory, params, 2)" + shapes_of(tgt, memory, params, 2),
                inputs=inputs_of(tgt, memory, params))


def test_keywords(check, rng):
    """Does decoder_layer accept every argument by name?"""
    tgt, memory, params = make_src(rng, 2, 4, np.float64), make_src(rng, 2, 3, np.float64), \
        make_params(rng, np.float64)
    masks = decoder_masks(rng, MASKS["bool-all-four"], 2, 2, 4, 3, np.float64)
    expected = torch_decoder(tgt, memory, params, 2, **masks, activation="gelu", norm_first=True, eps=1e-3)
    check.close(lambda m: m.decoder_layer(tgt=tgt, memory=memory, params=params, nhead=2, **masks,
                                          tgt_is_causal=False, activation="gelu", norm_first=True, eps=1e-3),
                expected,
                call="decoder_layer(tgt=tgt, memory=memory, params=params, nhead=2, tgt_mask=tgt_mask, "
                     "memory_mask=memory_mask, tgt_key_padding_mask=tgt_key_padding_mask, "
                     "memory_key_padding_mask=memory_key_padding_mask, tgt_is_causal=False, activation='gelu', "
                     "norm_first=True, eps=1e-3)",
                inputs=inputs_of(tgt, memory, params, **masks))


# name -> (what to break, reason)
BAD = {
    "nhead-does-not-divide": ("nhead", "nhead=3 does not divide d_model E=8"),
    "missing-key": ("missing", "params has no 'multihead_attn.in_proj_weight'"),
    "tgt-4d": ("tgt4d", "tgt must be 3-D (N, L, E), got 4-D"),
    "memory-1d": ("memory1d", "memory must be 3-D (N, S, E), got 1-D"),
    "memory-E-differs": ("memoryE", "memory has E=6 features but tgt has E=8"),
    "unknown-activation": ("activation", "activation='tanh' is neither 'relu' nor 'gelu'"),
}


@pytest.mark.parametrize("bad", list(BAD), ids=list(BAD))
def test_bad_input(check, rng, bad):
    """Are an nhead that does not divide E, a missing params key, a tgt or memory that is not 3-D, a memory
    with another E and an unknown activation refused with ValueError?"""
    what, reason = BAD[bad]
    tgt, memory, params = make_src(rng, 2, 5, np.float64), make_src(rng, 2, 3, np.float64), \
        make_params(rng, np.float64)
    nhead, activation = 2, "relu"
    if what == "nhead":
        nhead = 3
    elif what == "missing":
        del params["multihead_attn.in_proj_weight"]
    elif what == "tgt4d":
        tgt = tgt[None]
    elif what == "memory1d":
        memory = memory[0, 0]
    elif what == "memoryE":
        memory = memory[..., :6]
    elif what == "activation":
        activation = "tanh"
    check.raises(lambda m: m.decoder_layer(tgt, memory, params, nhead, activation=activation),
                 call=f"decoder_layer(tgt, memory, params, {nhead}, activation={activation!r})  "
                      f"# tgt {tgt.shape}, memory {memory.shape}",
                 reason=reason, inputs=inputs_of(tgt, memory, params))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """With batch, lengths, heads, sizes, activation, norm order, causality and masks drawn afresh each run, does
    decoder_layer match torch?"""
    for _ in range(2):
        n, length, keys = int(rng.integers(1, 4)), int(rng.integers(2, 7)), int(rng.integers(2, 7))  # 1..3, 2..6
        nhead = int(rng.choice([1, 2, 4]))
        e, ff = nhead * int(rng.integers(1, 4)), int(rng.integers(2, 13))  # head_dim 1..3, ff 2..12
        activation, norm_first, is_causal = str(rng.choice(["relu", "gelu"])), bool(rng.integers(2)), bool(rng.integers(2))
        tgt, memory, params = make_src(rng, n, length, dtype, e), make_src(rng, n, keys, dtype, e), \
            make_params(rng, dtype, e, ff)
        _, tgt_pad = blocked_masks(rng, n, nhead, length, length, None, True,
                                   also=causal(length) if is_causal else None)
        memory_mask, memory_pad = blocked_masks(rng, n, nhead, length, keys, (length, keys), True)
        args = (None, memory_mask, tgt_pad, memory_pad, is_causal, activation, norm_first)
        expected = torch_decoder(tgt, memory, params, nhead, *args)
        check.close(lambda m: m.decoder_layer(tgt, memory, params, nhead, *args), expected,
                    call=f"decoder_layer(tgt, memory, params, {nhead}, None, memory_mask, tgt_key_padding_mask, "
                         f"memory_key_padding_mask, {is_causal}, {activation!r}, {norm_first})"
                         + shapes_of(tgt, memory, params, nhead),
                    inputs=inputs_of(tgt, memory, params, memory_mask=memory_mask, tgt_key_padding_mask=tgt_pad,
                                     memory_key_padding_mask=memory_pad))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Is decoder_layer right and in the dtype of tgt (float32 in, float32 out), with and without masks?"""
    tgt, memory, params = make_src(rng, 2, 5, dtype), make_src(rng, 2, 3, dtype), make_params(rng, dtype)
    check.close(lambda m: m.decoder_layer(tgt, memory, params, 2, activation="gelu"),
                torch_decoder(tgt, memory, params, 2, activation="gelu"),
                call="decoder_layer(tgt, memory, params, 2, activation='gelu')" + shapes_of(tgt, memory, params, 2),
                inputs=inputs_of(tgt, memory, params), dtype=True)
    memory_mask, memory_pad = float_mask(rng, (5, 3), dtype), float_mask(rng, (2, 3), dtype)
    check.close(lambda m: m.decoder_layer(tgt, memory, params, 2, memory_mask=memory_mask,
                                          memory_key_padding_mask=memory_pad, tgt_is_causal=True, norm_first=True),
                torch_decoder(tgt, memory, params, 2, memory_mask=memory_mask, memory_key_padding_mask=memory_pad,
                              tgt_is_causal=True, norm_first=True),
                call="decoder_layer(tgt, memory, params, 2, memory_mask=memory_mask, "
                     "memory_key_padding_mask=memory_key_padding_mask, tgt_is_causal=True, norm_first=True)"
                     + shapes_of(tgt, memory, params, 2),
                inputs=inputs_of(tgt, memory, params, memory_mask=memory_mask, memory_key_padding_mask=memory_pad),
                dtype=True)
