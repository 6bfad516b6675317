"""attention.encoder_layer: encoder_layer against nn.TransformerEncoderLayer(batch_first=True, dropout=0)."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]
E, FF = 8, 16  # d_model and dim_feedforward: cheap, and E // nhead differs from E for nhead 2

# name -> (N, L, nhead, activation, norm_first). nhead 2 tells a 1/sqrt(E) scale from 1/sqrt(head_dim);
# both activations and both norm orders appear, a batch of one and a single position too.
CASES = {
    "post-relu-h2": (2, 5, 2, "relu", False),
    "pre-gelu-h2": (2, 5, 2, "gelu", True),
    "post-gelu-h1": (3, 4, 1, "gelu", False),
    "pre-relu-h1-batch1": (1, 5, 1, "relu", True),
    "post-relu-h2-batch1": (1, 5, 2, "relu", False),
    "pre-gelu-h2-L1": (2, 1, 2, "gelu", True),
}


def param_shapes(e=E, ff=FF):
    return {
        "self_attn.in_proj_weight": (3 * e, e), "self_attn.in_proj_bias": (3 * e,),
        "self_attn.out_proj.weight": (e, e), "self_attn.out_proj.bias": (e,),
        "linear1.weight": (ff, e), "linear1.bias": (ff,), "linear2.weight": (e, ff), "linear2.bias": (e,),
        "norm1.weight": (e,), "norm1.bias": (e,), "norm2.weight": (e,), "norm2.bias": (e,),
    }


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


def torch_encoder(src, params, nhead, src_mask=None, src_key_padding_mask=None, activation="relu",
                  norm_first=False, eps=1e-5):
    """The same layer in torch, in float64, cast to src's dtype.

    The module stays in train() mode: TransformerEncoderLayer.forward takes its fused "sparsity fast path"
    (torch._transformer_encoder_layer_fwd) only when `not self.training` (and more), and
    nn.MultiheadAttention's fast path also needs eval mode. In train() mode both fall back to the plain math
    path (_sa_block, _ff_block, F.multi_head_attention_forward), whose last digits the NumPy answer should
    match. With dropout=0.0 training mode changes nothing else.
    """
    torch = oracle.torch()
    e, ff = params["linear1.weight"].shape[1], params["linear1.weight"].shape[0]
    layer = torch.nn.TransformerEncoderLayer(e, nhead, ff, dropout=0.0, activation=activation, batch_first=True,
                                             norm_first=norm_first, layer_norm_eps=eps, dtype=torch.float64)
    layer.load_state_dict({k: oracle.tensor(v) for k, v in params.items()})
    layer.train()
    mask = None if src_mask is None else oracle.tensor(src_mask)
    padding = None if src_key_padding_mask is None else oracle.tensor(src_key_padding_mask)
    with torch.no_grad():
        out = layer(oracle.tensor(src), src_mask=mask, src_key_padding_mask=padding)
    return oracle.numpy(out, src.dtype)


def blocked_masks(rng, n, nhead, length, attn_shape, padding):
    """Bool masks, True = NOT allowed, where every (batch, head, query) keeps at least one key and some
    queries lose one: attn_shape is None, (L, L) or (N * nhead, L, L); padding says whether to add (N, L)."""
    while True:
        attn = None if attn_shape is None else rng.random(attn_shape) < 0.4
        pad = rng.random((n, length)) < 0.4 if padding else None
        blocked = np.zeros((n, nhead, length, length), dtype=bool)
        if attn is not None:
            blocked |= attn if attn.ndim == 2 else attn.reshape(n, nhead, length, length)
        if pad is not None:
            blocked |= pad[:, None, None, :]
        if (~blocked).any(axis=-1).all() and (blocked.any() or (attn is None and pad is None)):
            return attn, pad


def float_mask(rng, shape, dtype):
    """A float mask: numbers from -3 to 1 added to the scores."""
    return rng.uniform(-3.0, 1.0, size=shape).astype(dtype)


def shapes_of(src, params, nhead):
    return f"  # src {src.shape}, E={src.shape[-1]}, nhead={nhead}, dim_feedforward={params['linear1.weight'].shape[0]}"


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_encoder_layer(check, rng, case, dtype):
    """Without masks, does encoder_layer match nn.TransformerEncoderLayer for both norm orders and activations?"""
    n, length, nhead, activation, norm_first = case
    src, params = make_src(rng, n, length, dtype), make_params(rng, dtype)
    expected = torch_encoder(src, params, nhead, activation=activation, norm_first=norm_first)
    check.close(lambda m: m.encoder_layer(src, params, nhead, activation=activation, norm_first=norm_first),
                expected,
                call=f"encoder_layer(src, params, {nhead}, activation={activation!r}, norm_first={norm_first})"
                     + shapes_of(src, params, nhead),
                inputs={"src": src, "params": params})


# name -> (kind of src_mask, kind of src_key_padding_mask); kinds: None, "bool", "bool3d" (N * nhead, L, L), "float".
MASKS = {
    "bool-src_mask": ("bool", None),
    "float-src_mask": ("float", None),
    "bool3d-src_mask": ("bool3d", None),
    "bool-padding": (None, "bool"),
    "float-padding": (None, "float"),
    "bool-both": ("bool", "bool"),
    "float-both": ("float", "float"),
}


def encoder_masks(rng, kinds, n, nhead, length, dtype):
    attn_kind, pad_kind = kinds
    shape = {None: None, "bool": (length, length), "bool3d": (n * nhead, length, length), "float": None}[attn_kind]
    attn, pad = blocked_masks(rng, n, nhead, length, shape, pad_kind == "bool")
    if attn_kind == "float":
        attn = float_mask(rng, (length, length), dtype)
    if pad_kind == "float":
        pad = float_mask(rng, (n, length), dtype)
    return attn, pad


@pytest.mark.parametrize("norm_first", [False, True], ids=["post-norm", "pre-norm"])
@pytest.mark.parametrize("kinds", MASKS.values(), ids=MASKS.keys())
def test_encoder_layer_masks(check, rng, kinds, norm_first):
    """With a bool mask (True = NOT allowed) or a float mask (added to the scores) as src_mask or
    src_key_padding_mask, does encoder_layer match torch?"""
    n, length, nhead = 2, 5, 2
    src, params = make_src(rng, n, length, np.float64), make_params(rng, np.float64)
    attn, pad = encoder_masks(rng, kinds, n, nhead, length, np.float64)
    expected = torch_encoder(src, params, nhead, src_mask=attn, src_key_padding_mask=pad, norm_first=norm_first)
    inputs = {"src": src, "params": params, **({} if attn is None else {"src_mask": attn}),
              **({} if pad is None else {"src_key_padding_mask": pad})}
    check.close(lambda m: m.encoder_layer(src, params, nhead, src_mask=attn, src_key_padding_mask=pad,
                                          norm_first=norm_first),
                expected,
                call=f"encoder_layer(src, params, {nhead}, src_mask=src_mask, src_key_padding_mask=src_key_padding_mask, "
                     f"norm_first={norm_first})" + shapes_of(src, params, nhead),
                inputs=inputs)


@pytest.mark.parametrize("norm_first", [False, True], ids=["post-norm", "pre-norm"])
def test_encoder_layer_eps(check, rng, norm_first):
    """With a layer-norm eps far from the default (0.5), is it added to the variance of both layer norms?"""
    src, params = make_src(rng, 2, 5, np.float64), make_params(rng, np.float64)
    src *= 0.5  # a variance near eps, so where eps goes matters
    expected = torch_encoder(src, params, 2, norm_first=norm_first, eps=0.5)
    check.close(lambda m: m.encoder_layer(src, params, 2, norm_first=norm_first, eps=0.5), expected,
                call=f"encoder_layer(src, params, 2, norm_first={norm_first}, eps=0.5)" + shapes_of(src, params, 2),
                inputs={"src": src, "params": params})


def test_defaults(check, rng):
    """Called as encoder_layer(src, params, nhead) alone, is it torch's default layer (no masks, relu, post-norm,
    eps 1e-5)?"""
    src, params = make_src(rng, 2, 5, np.float64), make_params(rng, np.float64)
    check.close(lambda m: m.encoder_layer(src, params, 2), torch_encoder(src, params, 2),
                call="encoder_layer(src, params, 2)" + shapes_of(src, params, 2),
                inputs={"src": src, "params": params})


def test_keywords(check, rng):
    """Does encoder_layer accept every argument by name?"""
    src, params = make_src(rng, 2, 4, np.float64), make_params(rng, np.float64)
    attn, pad = blocked_masks(rng, 2, 2, 4, (4, 4), True)
    expected = torch_encoder(src, params, 2, attn, pad, "gelu", True, 1e-3)
    check.close(lambda m: m.encoder_layer(src=src, params=params, nhead=2, src_mask=attn, src_key_padding_mask=pad,
                                          activation="gelu", norm_first=True, eps=1e-3),
                expected,
                call="encoder_layer(src=src, params=params, nhead=2, src_mask=src_mask, "
                     "src_key_padding_mask=src_key_padding_mask, activation='gelu', norm_first=True, eps=1e-3)",
                inputs={"src": src, "params": params, "src_mask": attn, "src_key_padding_mask": pad})


# name -> (what to break, reason)
BAD = {
    "nhead-does-not-divide": ("nhead", "nhead=3 does not divide d_model E=8"),
    "missing-key": ("missing", "params has no 'linear1.bias'"),
    "src-4d": ("src4d", "src must be 3-D (N, L, E), got 4-D"),
    "src-1d": ("src1d", "src must be 3-D (N, L, E), got 1-D"),
    "unknown-activation": ("activation", "activation='tanh' is neither 'relu' nor 'gelu'"),
    "in_proj-shape": ("in_proj", "self_attn.in_proj_weight must be (3E, E) = (24, 8), got (8, 8)"),
}


@pytest.mark.parametrize("bad", list(BAD), ids=list(BAD))
def test_bad_input(check, rng, bad):
    """Are an nhead that does not divide E, a missing params key, a src that is not 3-D, an unknown
    activation and a wrongly shaped weight refused with ValueError?"""
    what, reason = BAD[bad]
    src, params = make_src(rng, 2, 5, np.float64), make_params(rng, np.float64)
    nhead, activation = 2, "relu"
    if what == "nhead":
        nhead = 3
    elif what == "missing":
        del params["linear1.bias"]
    elif what == "src4d":
        src = src[None]
    elif what == "src1d":
        src = src[0, 0]
    elif what == "activation":
        activation = "tanh"
    elif what == "in_proj":
        params["self_attn.in_proj_weight"] = params["self_attn.in_proj_weight"][:E]
    check.raises(lambda m: m.encoder_layer(src, params, nhead, activation=activation),
                 call=f"encoder_layer(src, params, {nhead}, activation={activation!r})  # src {src.shape}",
                 reason=reason, inputs={"src": src, "params": params})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """With batch, length, heads, sizes, activation, norm order and masks drawn afresh each run, does
    encoder_layer match torch?"""
    for _ in range(2):
        n, length = int(rng.integers(1, 4)), int(rng.integers(1, 7))  # 1..3, 1..6
        nhead = int(rng.choice([1, 2, 4]))
        e, ff = nhead * int(rng.integers(1, 4)), int(rng.integers(2, 13))  # head_dim 1..3, ff 2..12
        activation, norm_first = str(rng.choice(["relu", "gelu"])), bool(rng.integers(2))
        src, params = make_src(rng, n, length, dtype, e), make_params(rng, dtype, e, ff)
        attn, pad = blocked_masks(rng, n, nhead, length, (length, length), True) if length > 1 else (None, None)
        expected = torch_encoder(src, params, nhead, attn, pad, activation, norm_first)
        check.close(lambda m: m.encoder_layer(src, params, nhead, attn, pad, activation, norm_first), expected,
                    call=f"encoder_layer(src, params, {nhead}, src_mask, src_key_padding_mask, {activation!r}, "
                         f"{norm_first})" + shapes_of(src, params, nhead),
                    inputs={"src": src, "params": params, "src_mask": attn, "src_key_padding_mask": pad})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Is encoder_layer right and in the dtype of src (float32 in, float32 out), with and without masks?"""
    src, params = make_src(rng, 2, 5, dtype), make_params(rng, dtype)
    check.close(lambda m: m.encoder_layer(src, params, 2, activation="gelu"),
                torch_encoder(src, params, 2, activation="gelu"),
                call="encoder_layer(src, params, 2, activation='gelu')" + shapes_of(src, params, 2),
                inputs={"src": src, "params": params}, dtype=True)
    attn, pad = float_mask(rng, (5, 5), dtype), float_mask(rng, (2, 5), dtype)
    check.close(lambda m: m.encoder_layer(src, params, 2, attn, pad, norm_first=True),
                torch_encoder(src, params, 2, attn, pad, norm_first=True),
                call="encoder_layer(src, params, 2, src_mask, src_key_padding_mask, norm_first=True)"
                     + shapes_of(src, params, 2),
                inputs={"src": src, "params": params, "src_mask": attn, "src_key_padding_mask": pad}, dtype=True)
