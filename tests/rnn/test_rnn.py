"""rnn.rnn: rnn_cell and a one-layer rnn against torch.nn.RNNCell and torch.nn.RNN, tanh and ReLU."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# name -> (N, I, H, weight scale). A batch of one; inputs wider than the hidden state; a hidden
# state wider than the inputs; I == H, where untransposed weights still multiply (to wrong
# numbers); and large weights, where tanh saturates.
CELL_CASES = {
    "batch1": (1, 4, 3, 0.5),
    "N2-I5-H3": (2, 5, 3, 0.5),
    "N3-I2-H6": (3, 2, 6, 0.5),
    "square-I4-H4": (2, 4, 4, 0.5),
    "saturating": (4, 3, 5, 1.5),
}
# name -> (T, N, I, H, weight scale). One step; several steps (the state must be carried from
# step to step); a batch of one; I == H; large weights.
SEQ_CASES = {
    "T1": (1, 2, 4, 3, 0.5),
    "T5-N3-I4-H2": (5, 3, 4, 2, 0.5),
    "T5-batch1": (5, 1, 3, 4, 0.5),
    "T4-square-I3-H3": (4, 2, 3, 3, 0.5),
    "T5-saturating": (5, 2, 3, 4, 1.5),
}
NONLINEARITIES = ["tanh", "relu"]
CELL_CALL = "rnn_cell(x, h, w_ih, w_hh, b_ih, b_hh)"
SEQ_CALL = "rnn(x, h0, w_ih, w_hh, b_ih, b_hh)"
NAMES = ("output", "h_n")


def weights(rng, I, H, scale, dtype):
    """w_ih (H, I), w_hh (H, H), b_ih (H,), b_hh (H,): all non-zero, so a forgotten term shows."""
    shapes = [(H, I), (H, H), (H,), (H,)]
    return [(rng.standard_normal(s) * scale).astype(dtype) for s in shapes]


def state(rng, N, H, dtype):
    """A non-zero h: an RNN that ignores its incoming state gets caught."""
    return np.tanh(rng.standard_normal((N, H))).astype(dtype)


def _load(torch, module, suffix, w):
    names = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
    with torch.no_grad():
        for name, arr in zip(names, w):
            getattr(module, name + suffix).copy_(oracle.tensor(arr))


def torch_cell(x, h, w, nonlinearity="tanh"):
    torch = oracle.torch()
    cell = torch.nn.RNNCell(x.shape[1], h.shape[1], nonlinearity=nonlinearity, dtype=torch.float64)
    _load(torch, cell, "", w)
    with torch.no_grad():
        h1 = cell(oracle.tensor(x), oracle.tensor(h))
    return oracle.numpy(h1, x.dtype)


def torch_rnn(x, h0, w, nonlinearity="tanh"):
    """torch.nn.RNN's (output, h_n), with h_n brought from torch's (1, N, H) to (N, H)."""
    torch = oracle.torch()
    layer = torch.nn.RNN(x.shape[2], h0.shape[1], num_layers=1, nonlinearity=nonlinearity, dtype=torch.float64)
    _load(torch, layer, "_l0", w)
    with torch.no_grad():
        out, hn = layer(oracle.tensor(x), oracle.tensor(h0)[None])
    return oracle.numpy(out, x.dtype), oracle.numpy(hn[0], x.dtype)


def named(w, **arrays):
    return {**arrays, "w_ih": w[0], "w_hh": w[1], "b_ih": w[2], "b_hh": w[3]}


def sizes(x, h):
    return f"  # x {x.shape}, {'h' if x.ndim == 2 else 'h0'} {h.shape}"


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CELL_CASES.values(), ids=CELL_CASES.keys())
def test_rnn_cell_forward(check, rng, case, dtype):
    """With nonlinearity left at its default, does one rnn_cell step give the same h_next as torch.nn.RNNCell?"""
    N, I, H, scale = case
    x = rng.standard_normal((N, I)).astype(dtype)
    h = state(rng, N, H, dtype)
    w = weights(rng, I, H, scale, dtype)
    check.close(lambda m: m.rnn_cell(x, h, *w), torch_cell(x, h, w), call=CELL_CALL + sizes(x, h),
                inputs=named(w, x=x, h=h))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", SEQ_CASES.values(), ids=SEQ_CASES.keys())
def test_rnn_forward(check, rng, case, dtype):
    """With nonlinearity left at its default, does rnn give the output and h_n (N, H) of a one-layer torch.nn.RNN?"""
    T, N, I, H, scale = case
    x = rng.standard_normal((T, N, I)).astype(dtype)
    h0 = state(rng, N, H, dtype)
    w = weights(rng, I, H, scale, dtype)
    check.close(lambda m: m.rnn(x, h0, *w), torch_rnn(x, h0, w), call=SEQ_CALL + sizes(x, h0),
                inputs=named(w, x=x, h0=h0), names=NAMES)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
def test_nonlinearity(check, rng, nonlinearity, dtype):
    """With nonlinearity="tanh" or "relu" passed (by position to rnn_cell, by name to rnn), do both match torch?"""
    x = rng.standard_normal((5, 3, 4)).astype(dtype)  # T=5, N=3, I=4
    h0 = state(rng, 3, 2, dtype)  # H=2
    w = weights(rng, 4, 2, 0.8, dtype)
    check.close(lambda m: m.rnn_cell(x[0], h0, *w, nonlinearity), torch_cell(x[0], h0, w, nonlinearity),
                call=f"rnn_cell(x, h, w_ih, w_hh, b_ih, b_hh, {nonlinearity!r})" + sizes(x[0], h0),
                inputs=named(w, x=x[0], h=h0))
    check.close(lambda m: m.rnn(x, h0, *w, nonlinearity=nonlinearity), torch_rnn(x, h0, w, nonlinearity),
                call=f"rnn(x, h0, w_ih, w_hh, b_ih, b_hh, nonlinearity={nonlinearity!r})" + sizes(x, h0),
                inputs=named(w, x=x, h0=h0), names=NAMES)


def test_keywords(check, rng):
    """Do rnn_cell and rnn accept every argument by name (x=, h= or h0=, w_ih=, ..., nonlinearity=)?"""
    x = rng.standard_normal((3, 2, 4))
    h0 = state(rng, 2, 3, np.float64)
    w = weights(rng, 4, 3, 0.5, np.float64)
    kw = dict(zip(("w_ih", "w_hh", "b_ih", "b_hh"), w))
    check.close(lambda m: m.rnn_cell(x=x[0], h=h0, **kw, nonlinearity="relu"), torch_cell(x[0], h0, w, "relu"),
                call='rnn_cell(x=x, h=h, w_ih=w_ih, w_hh=w_hh, b_ih=b_ih, b_hh=b_hh, nonlinearity="relu")',
                inputs=named(w, x=x[0], h=h0))
    check.close(lambda m: m.rnn(x=x, h0=h0, **kw, nonlinearity="tanh"), torch_rnn(x, h0, w),
                call='rnn(x=x, h0=h0, w_ih=w_ih, w_hh=w_hh, b_ih=b_ih, b_hh=b_hh, nonlinearity="tanh")',
                inputs=named(w, x=x, h0=h0), names=NAMES)


# name -> (shape of x, of h, of w_ih, of w_hh, nonlinearity, reason), with N=3, I=4, H=2 where nothing is said.
BAD_CELL = {
    "w_ih-wrong-input-size": ((3, 4), (3, 2), (2, 5), (2, 2), "tanh", "w_ih is (2, 5) but x has I=4 features"),
    "w_ih-as-I-H": ((3, 4), (3, 2), (4, 2), (2, 2), "tanh", "w_ih is (4, 2), (I, H), but must be (H, I) = (2, 4)"),
    "w_hh-wrong": ((3, 4), (3, 2), (2, 4), (2, 3), "tanh", "w_hh is (2, 3) but must be (H, H) = (2, 2)"),
    "x-1d": ((4,), (3, 2), (2, 4), (2, 2), "tanh", "x is (4,) but must be (N, I)"),
    "batch-differs": ((3, 4), (1, 2), (2, 4), (2, 2), "tanh", "x has N=3 rows but h has 1"),
    "sigmoid": ((3, 4), (3, 2), (2, 4), (2, 2), "sigmoid", 'nonlinearity="sigmoid": only "tanh" and "relu" exist'),
    "Tanh": ((3, 4), (3, 2), (2, 4), (2, 2), "Tanh", 'nonlinearity="Tanh": torch accepts only lower-case "tanh"'),
}


@pytest.mark.parametrize("case", BAD_CELL.values(), ids=BAD_CELL.keys())
def test_rnn_cell_bad_input(check, rng, case):
    """Does rnn_cell refuse shapes that do not fit together, or an unknown nonlinearity, with ValueError?"""
    x_shape, h_shape, wi_shape, wh_shape, nonlinearity, reason = case
    x, h = (rng.standard_normal(s) for s in (x_shape, h_shape))
    w = [rng.standard_normal(wi_shape), rng.standard_normal(wh_shape), rng.standard_normal(2), rng.standard_normal(2)]
    check.raises(lambda m: m.rnn_cell(x, h, *w, nonlinearity), reason=reason, inputs=named(w, x=x, h=h),
                 call=f"rnn_cell(x, h, w_ih, w_hh, b_ih, b_hh, {nonlinearity!r})")


# name -> (shape of x, of h0, of w_ih, nonlinearity, reason), with T=5, N=3, I=4, H=2 where nothing is said.
BAD_SEQ = {
    "w_ih-wrong-input-size": ((5, 3, 4), (3, 2), (2, 5), "tanh", "w_ih is (2, 5) but x has I=4 features"),
    "x-2d": ((5, 4), (3, 2), (2, 4), "tanh", "x is (5, 4) but must be (T, N, I)"),
    "h0-1d": ((5, 3, 4), (2,), (2, 4), "tanh", "h0 is (2,) but must be (N, H)"),
    "h0-batch-differs": ((5, 3, 4), (2, 2), (2, 4), "tanh", "x has N=3 sequences but h0 has 2 rows"),
    "relu6": ((5, 3, 4), (3, 2), (2, 4), "relu6", 'nonlinearity="relu6": only "tanh" and "relu" exist'),
}


@pytest.mark.parametrize("case", BAD_SEQ.values(), ids=BAD_SEQ.keys())
def test_rnn_bad_input(check, rng, case):
    """Does rnn refuse a sequence or state whose shape does not fit, or an unknown nonlinearity, with ValueError?"""
    x_shape, h_shape, wi_shape, nonlinearity, reason = case
    x, h0 = (rng.standard_normal(s) for s in (x_shape, h_shape))
    w = [rng.standard_normal(wi_shape), rng.standard_normal((2, 2)), rng.standard_normal(2), rng.standard_normal(2)]
    check.raises(lambda m: m.rnn(x, h0, *w, nonlinearity=nonlinearity), reason=reason, inputs=named(w, x=x, h0=h0),
                 call=f"rnn(x, h0, w_ih, w_hh, b_ih, b_hh, nonlinearity={nonlinearity!r})")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """With T, N, I, H and the nonlinearity drawn afresh each run, do rnn_cell and rnn match torch?"""
    for _ in range(2):
        T = int(rng.integers(1, 11))  # sequence length, 1..10
        N, I, H = (int(d) for d in rng.integers(1, 7, size=3))  # batch, input size, hidden size: 1..6 each
        nonlinearity = NONLINEARITIES[int(rng.integers(2))]
        x = rng.standard_normal((T, N, I)).astype(dtype)  # (T, N, I)
        h0 = state(rng, N, H, dtype)  # (N, H)
        w = weights(rng, I, H, 0.5, dtype)  # (H, I), (H, H), (H,), (H,)
        x0 = x[0].copy()  # (N, I): the first step alone, for the cell
        check.close(lambda m: m.rnn_cell(x0, h0, *w, nonlinearity), torch_cell(x0, h0, w, nonlinearity),
                    call=f"rnn_cell(x, h, w_ih, w_hh, b_ih, b_hh, {nonlinearity!r})" + sizes(x0, h0),
                    inputs=named(w, x=x0, h=h0))
        check.close(lambda m: m.rnn(x, h0, *w, nonlinearity), torch_rnn(x, h0, w, nonlinearity),
                    call=f"rnn(x, h0, w_ih, w_hh, b_ih, b_hh, {nonlinearity!r})" + sizes(x, h0),
                    inputs=named(w, x=x, h0=h0), names=NAMES)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are rnn_cell and rnn right in the dtype of their input (float32 in, float32 out), with tanh and with ReLU?"""
    x = rng.standard_normal((3, 2, 4)).astype(dtype)
    h0 = state(rng, 2, 3, dtype)
    w = weights(rng, 4, 3, 1.0, dtype)
    for nonlinearity in NONLINEARITIES:
        check.close(lambda m: m.rnn_cell(x[0], h0, *w, nonlinearity), torch_cell(x[0], h0, w, nonlinearity),
                    call=f"rnn_cell(x, h, w_ih, w_hh, b_ih, b_hh, {nonlinearity!r})" + sizes(x[0], h0),
                    inputs=named(w, x=x[0], h=h0), dtype=True)
        check.close(lambda m: m.rnn(x, h0, *w, nonlinearity), torch_rnn(x, h0, w, nonlinearity),
                    call=f"rnn(x, h0, w_ih, w_hh, b_ih, b_hh, {nonlinearity!r})" + sizes(x, h0),
                    inputs=named(w, x=x, h0=h0), names=NAMES, dtype=True)
