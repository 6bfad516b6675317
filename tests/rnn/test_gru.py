"""rnn.gru: gru_cell and a one-layer gru against torch.nn.GRUCell and torch.nn.GRU, and no overflow warning."""

import warnings

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# name -> (N, I, H, weight scale). A batch of one; inputs wider than the hidden state; a hidden
# state wider than the inputs; I == H; and large weights, where many gates sit near 0 or 1.
CELL_CASES = {
    "batch1": (1, 4, 3, 0.5),
    "N2-I5-H3": (2, 5, 3, 0.5),
    "N3-I2-H6": (3, 2, 6, 0.5),
    "square-I4-H4": (2, 4, 4, 0.5),
    "saturating": (4, 3, 5, 1.5),
}
# name -> (T, N, I, H, weight scale). One step; several steps (the state must be carried from
# step to step); a batch of one; large weights.
SEQ_CASES = {
    "T1": (1, 2, 4, 3, 0.5),
    "T5-N3-I4-H2": (5, 3, 4, 2, 0.5),
    "T5-batch1": (5, 1, 3, 4, 0.5),
    "T5-saturating": (5, 2, 3, 4, 1.5),
}
# Inputs this large give gate pre-activations of about ±1e3: exp(-a) overflows there (float64
# beyond 709.8, float32 beyond 88.7), while torch's sigmoid is exactly 0 or 1.
LARGE = 1e3
CELL_CALL = "gru_cell(x, h, w_ih, w_hh, b_ih, b_hh)"
SEQ_CALL = "gru(x, h0, w_ih, w_hh, b_ih, b_hh)"
NAMES = ("output", "h_n")


def weights(rng, I, H, scale, dtype):
    """w_ih (3H, I), w_hh (3H, H), b_ih (3H,), b_hh (3H,): all non-zero, so a forgotten term shows."""
    shapes = [(3 * H, I), (3 * H, H), (3 * H,), (3 * H,)]
    return [(rng.standard_normal(s) * scale).astype(dtype) for s in shapes]


def state(rng, N, H, dtype):
    """A non-zero h: a GRU that ignores its incoming state, or mixes it in the wrong way, gets caught."""
    return np.tanh(rng.standard_normal((N, H))).astype(dtype)


def _load(torch, module, suffix, w):
    names = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
    with torch.no_grad():
        for name, arr in zip(names, w):
            getattr(module, name + suffix).copy_(oracle.tensor(arr))


def torch_cell(x, h, w):
    torch = oracle.torch()
    cell = torch.nn.GRUCell(x.shape[1], h.shape[1], dtype=torch.float64)
    _load(torch, cell, "", w)
    with torch.no_grad():
        h1 = cell(oracle.tensor(x), oracle.tensor(h))
    return oracle.numpy(h1, x.dtype)


def torch_gru(x, h0, w):
    """torch.nn.GRU's (output, h_n), with h_n brought from torch's (1, N, H) to (N, H)."""
    torch = oracle.torch()
    layer = torch.nn.GRU(x.shape[2], h0.shape[1], num_layers=1, dtype=torch.float64)
    _load(torch, layer, "_l0", w)
    with torch.no_grad():
        out, hn = layer(oracle.tensor(x), oracle.tensor(h0)[None])
    return oracle.numpy(out, x.dtype), oracle.numpy(hn[0], x.dtype)


def named(w, **arrays):
    return {**arrays, "w_ih": w[0], "w_hh": w[1], "b_ih": w[2], "b_hh": w[3]}


def sizes(x, h):
    return f"  # x {x.shape}, {'h' if x.ndim == 2 else 'h0'} {h.shape}"


def overflow_warned(run) -> bool:
    """Whether run() made NumPy warn of an overflow (underflow does not count: it is harmless here)."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn"):
        warnings.simplefilter("always")
        run()
    return any(issubclass(w.category, RuntimeWarning) and "overflow" in str(w.message) for w in caught)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CELL_CASES.values(), ids=CELL_CASES.keys())
def test_gru_cell_forward(check, rng, case, dtype):
    """Does one gru_cell step give the same h_next as torch.nn.GRUCell (gates r, z, n in that order)?"""
    N, I, H, scale = case
    x = rng.standard_normal((N, I)).astype(dtype)
    h = state(rng, N, H, dtype)
    w = weights(rng, I, H, scale, dtype)
    check.close(lambda m: m.gru_cell(x, h, *w), torch_cell(x, h, w), call=CELL_CALL + sizes(x, h),
                inputs=named(w, x=x, h=h))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", SEQ_CASES.values(), ids=SEQ_CASES.keys())
def test_gru_forward(check, rng, case, dtype):
    """Does gru over a sequence give the same output and h_n (N, H) as a one-layer torch.nn.GRU?"""
    T, N, I, H, scale = case
    x = rng.standard_normal((T, N, I)).astype(dtype)
    h0 = state(rng, N, H, dtype)
    w = weights(rng, I, H, scale, dtype)
    check.close(lambda m: m.gru(x, h0, *w), torch_gru(x, h0, w), call=SEQ_CALL + sizes(x, h0),
                inputs=named(w, x=x, h0=h0), names=NAMES)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_gru_large_preactivations(check, rng, dtype):
    """With inputs of size 1e3, where every gate is saturated at 0 or 1, do gru_cell and gru still match torch?"""
    x = (rng.standard_normal((3, 2, 4)) * LARGE).astype(dtype)  # T=3, N=2, I=4
    h0 = state(rng, 2, 3, dtype)  # H=3
    w = weights(rng, 4, 3, 1.0, dtype)
    check.close(lambda m: m.gru_cell(x[0], h0, *w), torch_cell(x[0], h0, w), call=CELL_CALL + sizes(x[0], h0),
                inputs=named(w, x=x[0], h=h0))
    check.close(lambda m: m.gru(x, h0, *w), torch_gru(x, h0, w), call=SEQ_CALL + sizes(x, h0),
                inputs=named(w, x=x, h0=h0), names=NAMES)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_gru_no_overflow_warning(check, rng, dtype):
    """With gate pre-activations near ±1e3, do gru_cell and gru run without NumPy warning "overflow encountered in exp"?"""
    x = (rng.standard_normal((3, 2, 4)) * LARGE).astype(dtype)
    h0 = state(rng, 2, 3, dtype)
    w = weights(rng, 4, 3, 1.0, dtype)
    check.close(lambda m: np.array([overflow_warned(lambda: m.gru_cell(x[0], h0, *w)),
                                    overflow_warned(lambda: m.gru(x, h0, *w))]),
                np.array([False, False]), inputs=named(w, x=x, h0=h0),
                call=f"[{CELL_CALL} warned, {SEQ_CALL} warned]  # x {x.shape} of size about 1e3, "
                     "where True means NumPy warned \"overflow encountered in exp\"")


def test_keywords(check, rng):
    """Do gru_cell and gru accept every argument by name (x=, h= or h0=, w_ih=, w_hh=, b_ih=, b_hh=)?"""
    x = rng.standard_normal((3, 2, 4))
    h0 = state(rng, 2, 3, np.float64)
    w = weights(rng, 4, 3, 0.5, np.float64)
    kw = dict(zip(("w_ih", "w_hh", "b_ih", "b_hh"), w))
    check.close(lambda m: m.gru_cell(x=x[0], h=h0, **kw), torch_cell(x[0], h0, w),
                call="gru_cell(x=x, h=h, w_ih=w_ih, w_hh=w_hh, b_ih=b_ih, b_hh=b_hh)", inputs=named(w, x=x[0], h=h0))
    check.close(lambda m: m.gru(x=x, h0=h0, **kw), torch_gru(x, h0, w),
                call="gru(x=x, h0=h0, w_ih=w_ih, w_hh=w_hh, b_ih=b_ih, b_hh=b_hh)", inputs=named(w, x=x, h0=h0),
                names=NAMES)


# name -> (shape of x, of h, of w_ih, of w_hh, reason), with N=3, I=4, H=2 where nothing is said.
BAD_CELL = {
    "w_ih-wrong-input-size": ((3, 4), (3, 2), (6, 5), (6, 2), "w_ih is (6, 5) but x has I=4 features"),
    "w_ih-4H-rows": ((3, 4), (3, 2), (8, 4), (6, 2), "w_ih has 8 rows, as an LSTM's, but a GRU has 3H = 6"),
    "w_hh-wrong": ((3, 4), (3, 2), (6, 4), (6, 3), "w_hh is (6, 3) but must be (3H, H) = (6, 2)"),
    "x-1d": ((4,), (3, 2), (6, 4), (6, 2), "x is (4,) but must be (N, I)"),
    "batch-differs": ((3, 4), (1, 2), (6, 4), (6, 2), "x has N=3 rows but h has 1"),
}


@pytest.mark.parametrize("case", BAD_CELL.values(), ids=BAD_CELL.keys())
def test_gru_cell_bad_input(check, rng, case):
    """Does gru_cell refuse inputs whose shapes do not fit together, with ValueError?"""
    x_shape, h_shape, wi_shape, wh_shape, reason = case
    x, h = (rng.standard_normal(s) for s in (x_shape, h_shape))
    w = [rng.standard_normal(wi_shape), rng.standard_normal(wh_shape), rng.standard_normal(6), rng.standard_normal(6)]
    check.raises(lambda m: m.gru_cell(x, h, *w), call=CELL_CALL, reason=reason, inputs=named(w, x=x, h=h))


# name -> (shape of x, of h0, of w_ih, reason), with T=5, N=3, I=4, H=2 where nothing is said.
BAD_SEQ = {
    "w_ih-wrong-input-size": ((5, 3, 4), (3, 2), (6, 5), "w_ih is (6, 5) but x has I=4 features"),
    "x-2d": ((5, 4), (3, 2), (6, 4), "x is (5, 4) but must be (T, N, I)"),
    "h0-1d": ((5, 3, 4), (2,), (6, 4), "h0 is (2,) but must be (N, H)"),
    "h0-batch-differs": ((5, 3, 4), (2, 2), (6, 4), "x has N=3 sequences but h0 has 2 rows"),
}


@pytest.mark.parametrize("case", BAD_SEQ.values(), ids=BAD_SEQ.keys())
def test_gru_bad_input(check, rng, case):
    """Does gru refuse a sequence or state whose shape does not fit, with ValueError?"""
    x_shape, h_shape, wi_shape, reason = case
    x, h0 = (rng.standard_normal(s) for s in (x_shape, h_shape))
    w = [rng.standard_normal(wi_shape), rng.standard_normal((6, 2)), rng.standard_normal(6), rng.standard_normal(6)]
    check.raises(lambda m: m.gru(x, h0, *w), call=SEQ_CALL, reason=reason, inputs=named(w, x=x, h0=h0))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """With T, N, I and H drawn afresh each run, do gru_cell and gru match torch.nn.GRUCell and torch.nn.GRU?"""
    for _ in range(2):
        T = int(rng.integers(1, 11))  # sequence length, 1..10
        N, I, H = (int(d) for d in rng.integers(1, 7, size=3))  # batch, input size, hidden size: 1..6 each
        x = rng.standard_normal((T, N, I)).astype(dtype)  # (T, N, I)
        h0 = state(rng, N, H, dtype)  # (N, H)
        w = weights(rng, I, H, 0.5, dtype)  # (3H, I), (3H, H), (3H,), (3H,)
        x0 = x[0].copy()  # (N, I): the first step alone, for the cell
        check.close(lambda m: m.gru_cell(x0, h0, *w), torch_cell(x0, h0, w), call=CELL_CALL + sizes(x0, h0),
                    inputs=named(w, x=x0, h=h0))
        check.close(lambda m: m.gru(x, h0, *w), torch_gru(x, h0, w), call=SEQ_CALL + sizes(x, h0),
                    inputs=named(w, x=x, h0=h0), names=NAMES)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are gru_cell and gru right in the dtype of their input (float32 in, float32 out), in every part?"""
    x = rng.standard_normal((3, 2, 4)).astype(dtype)
    h0 = state(rng, 2, 3, dtype)
    w = weights(rng, 4, 3, 1.0, dtype)
    check.close(lambda m: m.gru_cell(x[0], h0, *w), torch_cell(x[0], h0, w), call=CELL_CALL + sizes(x[0], h0),
                inputs=named(w, x=x[0], h=h0), dtype=True)
    check.close(lambda m: m.gru(x, h0, *w), torch_gru(x, h0, w), call=SEQ_CALL + sizes(x, h0),
                inputs=named(w, x=x, h0=h0), names=NAMES, dtype=True)
