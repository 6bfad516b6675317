"""rnn.lstm: lstm_cell and a one-layer lstm against torch.nn.LSTMCell and torch.nn.LSTM."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# name -> (N, I, H, weight scale). A batch of one; inputs wider than the hidden state; a hidden
# state wider than the inputs; and large weights, where many gates sit near 0 or 1.
CELL_CASES = {
    "batch1": (1, 4, 3, 0.5),
    "N2-I5-H3": (2, 5, 3, 0.5),
    "N3-I2-H6": (3, 2, 6, 0.5),
    "saturating": (4, 3, 5, 1.5),
}
# name -> (T, N, I, H, weight scale). One step; several steps (where the state must be carried
# from step to step); a batch of one; large weights.
SEQ_CASES = {
    "T1": (1, 2, 4, 3, 0.5),
    "T5-N3-I4-H2": (5, 3, 4, 2, 0.5),
    "T5-batch1": (5, 1, 3, 4, 0.5),
    "T5-saturating": (5, 2, 3, 4, 1.5),
}
CELL_CALL = "lstm_cell(x, h, c, w_ih, w_hh, b_ih, b_hh)"
SEQ_CALL = "lstm(x, h0, c0, w_ih, w_hh, b_ih, b_hh)"


def weights(rng, I, H, scale, dtype):
    """w_ih (4H, I), w_hh (4H, H), b_ih (4H,), b_hh (4H,): all non-zero, so a forgotten term shows."""
    shapes = [(4 * H, I), (4 * H, H), (4 * H,), (4 * H,)]
    return [(rng.standard_normal(s) * scale).astype(dtype) for s in shapes]


def state(rng, N, H, dtype):
    """A non-zero (h, c): an LSTM that ignores its incoming state gets caught."""
    return (np.tanh(rng.standard_normal((N, H))).astype(dtype), rng.standard_normal((N, H)).astype(dtype))


def _load(torch, module, suffix, w):
    names = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
    with torch.no_grad():
        for name, arr in zip(names, w):
            getattr(module, name + suffix).copy_(oracle.tensor(arr))


def torch_cell(x, h, c, w):
    torch = oracle.torch()
    cell = torch.nn.LSTMCell(x.shape[1], h.shape[1], dtype=torch.float64)
    _load(torch, cell, "", w)
    with torch.no_grad():
        h1, c1 = cell(oracle.tensor(x), (oracle.tensor(h), oracle.tensor(c)))
    return oracle.numpy(h1, x.dtype), oracle.numpy(c1, x.dtype)


def torch_lstm(x, h0, c0, w):
    torch = oracle.torch()
    layer = torch.nn.LSTM(x.shape[2], h0.shape[1], num_layers=1, dtype=torch.float64)
    _load(torch, layer, "_l0", w)
    with torch.no_grad():
        out, (hn, cn) = layer(oracle.tensor(x), (oracle.tensor(h0)[None], oracle.tensor(c0)[None]))
    return oracle.numpy(out, x.dtype), (oracle.numpy(hn[0], x.dtype), oracle.numpy(cn[0], x.dtype))


def run_lstm(m, x, h0, c0, w):
    """Call lstm and bring h_n, c_n to (N, H): torch's (1, N, H) layout is accepted as well."""
    result = m.lstm(x, h0, c0, *w)
    try:
        output, (h_n, c_n) = result
    except (TypeError, ValueError):
        return result  # not (output, (h_n, c_n)): the comparison describes what came back
    return output, (_one_layer(h_n, h0.shape), _one_layer(c_n, h0.shape))


def _one_layer(a, shape):
    return a.reshape(shape) if isinstance(a, np.ndarray) and a.shape == (1, *shape) else a


def named(w, **arrays):
    return {**arrays, "w_ih": w[0], "w_hh": w[1], "b_ih": w[2], "b_hh": w[3]}


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CELL_CASES.values(), ids=CELL_CASES.keys())
def test_lstm_cell_forward(check, rng, case, dtype):
    """Does one lstm_cell step give the same (h_next, c_next) as torch.nn.LSTMCell?"""
    N, I, H, scale = case
    x = rng.standard_normal((N, I)).astype(dtype)
    h, c = state(rng, N, H, dtype)
    w = weights(rng, I, H, scale, dtype)
    check.close(lambda m: m.lstm_cell(x, h, c, *w), torch_cell(x, h, c, w), call=CELL_CALL,
                inputs=named(w, x=x, h=h, c=c), names=("h_next", "c_next"))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", SEQ_CASES.values(), ids=SEQ_CASES.keys())
def test_lstm_forward(check, rng, case, dtype):
    """Does lstm over a sequence give the same output, h_n and c_n as a one-layer torch.nn.LSTM?"""
    T, N, I, H, scale = case
    x = rng.standard_normal((T, N, I)).astype(dtype)
    h0, c0 = state(rng, N, H, dtype)
    w = weights(rng, I, H, scale, dtype)
    check.close(lambda m: run_lstm(m, x, h0, c0, w), torch_lstm(x, h0, c0, w), call=SEQ_CALL,
                inputs=named(w, x=x, h0=h0, c0=c0), names=("output", ("h_n", "c_n")))


# name -> (shape of x, of h, of c, of w_ih, reason), with N=3, I=4, H=2 where nothing is said.
BAD_CELL = {
    "w_ih-wrong-input-size": ((3, 4), (3, 2), (3, 2), (8, 5), "w_ih is (8, 5) but x has I=4 features"),
    "w_ih-wrong-hidden-size": ((3, 4), (3, 2), (3, 2), (12, 4), "w_ih is (12, 4) but h has H=2, so 4H=8 rows"),
    "x-1d": ((4,), (3, 2), (3, 2), (8, 4), "x is (4,) but must be (N, I)"),
    "x-3d": ((3, 4, 1), (3, 2), (3, 2), (8, 4), "x is (3, 4, 1) but must be (N, I)"),
    "c-unlike-h": ((3, 4), (3, 2), (1, 2), (8, 4), "h is (3, 2) but c is (1, 2)"),
}


@pytest.mark.parametrize("case", BAD_CELL.values(), ids=BAD_CELL.keys())
def test_lstm_cell_bad_input(check, rng, case):
    """Does lstm_cell refuse inputs whose shapes do not fit together, with ValueError?"""
    x_shape, h_shape, c_shape, w_shape, reason = case
    x, h, c = (rng.standard_normal(s) for s in (x_shape, h_shape, c_shape))
    w = [rng.standard_normal(w_shape), rng.standard_normal((8, 2)), rng.standard_normal(8), rng.standard_normal(8)]
    check.raises(lambda m: m.lstm_cell(x, h, c, *w), call=CELL_CALL, reason=reason, inputs=named(w, x=x, h=h, c=c))


# name -> (shape of x, of h0, of c0, of w_ih, reason), with T=5, N=3, I=4, H=2 where nothing is said.
BAD_SEQ = {
    "w_ih-wrong-input-size": ((5, 3, 4), (3, 2), (3, 2), (8, 5), "w_ih is (8, 5) but x has I=4 features"),
    "x-2d": ((5, 4), (3, 2), (3, 2), (8, 4), "x is (5, 4) but must be (T, N, I)"),
    "x-4d": ((5, 3, 4, 1), (3, 2), (3, 2), (8, 4), "x is (5, 3, 4, 1) but must be (T, N, I)"),
    "c0-unlike-h0": ((5, 3, 4), (3, 2), (1, 2), (8, 4), "h0 is (3, 2) but c0 is (1, 2)"),
}


@pytest.mark.parametrize("case", BAD_SEQ.values(), ids=BAD_SEQ.keys())
def test_lstm_bad_input(check, rng, case):
    """Does lstm refuse a sequence or states whose shapes do not fit, with ValueError?"""
    x_shape, h_shape, c_shape, w_shape, reason = case
    x, h0, c0 = (rng.standard_normal(s) for s in (x_shape, h_shape, c_shape))
    w = [rng.standard_normal(w_shape), rng.standard_normal((8, 2)), rng.standard_normal(8), rng.standard_normal(8)]
    check.raises(lambda m: m.lstm(x, h0, c0, *w), call=SEQ_CALL, reason=reason, inputs=named(w, x=x, h0=h0, c0=c0))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """With T, N, I and H drawn afresh each run, do lstm_cell and lstm match torch.nn.LSTMCell and torch.nn.LSTM?"""
    T = int(rng.integers(1, 13))  # sequence length, 1..12
    N, I, H = (int(d) for d in rng.integers(1, 7, size=3))  # batch, input size, hidden size: 1..6 each
    sizes = f"N={N}, I={I}, H={H}"
    x = rng.standard_normal((T, N, I)).astype(dtype)  # (T, N, I)
    h0, c0 = state(rng, N, H, dtype)  # (N, H) each
    w = weights(rng, I, H, 0.5, dtype)  # (4H, I), (4H, H), (4H,), (4H,)
    x0 = x[0].copy()  # (N, I): the first step alone, for the cell
    check.close(lambda m: m.lstm_cell(x0, h0, c0, *w), torch_cell(x0, h0, c0, w),
                call=f"{CELL_CALL}  # {sizes}: x (N, I), h and c (N, H)",
                inputs=named(w, x=x0, h=h0, c=c0), names=("h_next", "c_next"))
    check.close(lambda m: run_lstm(m, x, h0, c0, w), torch_lstm(x, h0, c0, w),
                call=f"{SEQ_CALL}  # T={T}, {sizes}: x (T, N, I), h0 and c0 (N, H)",
                inputs=named(w, x=x, h0=h0, c0=c0), names=("output", ("h_n", "c_n")))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are lstm_cell and lstm right in the dtype of their input (float32 in, float32 out), in every part?"""
    x = rng.standard_normal((3, 2, 4)).astype(dtype)
    h0, c0 = state(rng, 2, 3, dtype)
    w = weights(rng, 4, 3, 1.0, dtype)
    check.close(lambda m: m.lstm_cell(x[0], h0, c0, *w), torch_cell(x[0], h0, c0, w), call=CELL_CALL,
                inputs=named(w, x=x[0], h=h0, c=c0), dtype=True)
    check.close(lambda m: run_lstm(m, x, h0, c0, w), torch_lstm(x, h0, c0, w), call=SEQ_CALL,
                inputs=named(w, x=x, h0=h0, c0=c0), dtype=True)
