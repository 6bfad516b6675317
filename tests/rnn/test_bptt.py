"""rnn.bptt: rnn_backward, the gradients of a one-layer tanh RNN, against torch.autograd through torch.nn.RNN."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
KEYS = ("x", "h0", "w_ih", "w_hh", "b_ih", "b_hh")
NAMES = tuple(f"grads[{k!r}]" for k in KEYS)
# name -> (T, N, I, H, weight scale). One step; six steps with H != I and N != H (so a transposed
# weight gradient has the wrong shape and the gradient must travel back through many steps); a
# batch of one; I > H; and large weights, where tanh saturates and 1 - h^2 is far from 1 - a^2.
CASES = {
    "T1": (1, 2, 4, 3, 0.5),
    "T6-N3-I4-H2": (6, 3, 4, 2, 0.6),
    "T5-batch1": (5, 1, 3, 4, 0.5),
    "T4-N2-I5-H3": (4, 2, 5, 3, 0.6),
    "T5-saturating": (5, 2, 3, 4, 1.5),
}
CALL = "rnn_backward(grad_output, grad_h_n, x, h0, w_ih, w_hh, b_ih, b_hh)"


def weights(rng, I, H, scale, dtype):
    """w_ih (H, I), w_hh (H, H), b_ih (H,), b_hh (H,): all non-zero."""
    return [(rng.standard_normal(s) * scale).astype(dtype) for s in [(H, I), (H, H), (H,), (H,)]]


def problem(rng, T, N, I, H, scale, dtype, grad_h_n=True, grad_output=True):
    """x (T, N, I), h0 (N, H), the weights, grad_output (T, N, H) (zeros if not wanted) and grad_h_n (N, H) or None."""
    x = rng.standard_normal((T, N, I)).astype(dtype)
    h0 = np.tanh(rng.standard_normal((N, H))).astype(dtype)  # non-zero: its gradient and w_hh's depend on it
    w = weights(rng, I, H, scale, dtype)
    g_out = rng.standard_normal((T, N, H)).astype(dtype) if grad_output else np.zeros((T, N, H), dtype)
    g_hn = rng.standard_normal((N, H)).astype(dtype) if grad_h_n else None
    return x, h0, w, g_out, g_hn


def torch_grads(x, h0, w, g_out, g_hn):
    """autograd of sum(output * g_out) + sum(h_n * g_hn) through a one-layer tanh torch.nn.RNN, in KEYS order."""
    torch = oracle.torch()
    layer = torch.nn.RNN(x.shape[2], h0.shape[1], num_layers=1, dtype=torch.float64)
    params = [layer.weight_ih_l0, layer.weight_hh_l0, layer.bias_ih_l0, layer.bias_hh_l0]
    with torch.no_grad():
        for p, arr in zip(params, w):
            p.copy_(oracle.tensor(arr))
    xt, ht = oracle.tensor(x, grad=True), oracle.tensor(h0, grad=True)
    out, hn = layer(xt, ht[None])
    outputs, upstream = [out], [oracle.tensor(g_out)]
    if g_hn is not None:
        outputs.append(hn[0])
        upstream.append(oracle.tensor(g_hn))
    found = oracle.grads(outputs, [xt, ht] + params, upstream)
    return tuple(oracle.numpy(g, x.dtype) for g in found)


def parts(result):
    """The dict's gradients in KEYS order (None for a missing key); anything but a dict is left for the comparison."""
    if not isinstance(result, dict):
        return result
    return tuple(result.get(k) for k in KEYS)


def named(x, h0, w, g_out, g_hn):
    arrays = {"grad_output": g_out, "grad_h_n": g_hn, "x": x, "h0": h0}
    return {**arrays, "w_ih": w[0], "w_hh": w[1], "b_ih": w[2], "b_hh": w[3]}


def check_backward(check, x, h0, w, g_out, g_hn, dtype_rule=False):
    sizes = f"  # T, N, I, H = {x.shape + h0.shape[1:]}" + ("; grad_h_n=None" if g_hn is None else "")
    check.close(lambda m: parts(m.rnn_backward(g_out, g_hn, x, h0, *w)), torch_grads(x, h0, w, g_out, g_hn),
                call=CALL + sizes, inputs=named(x, h0, w, g_out, g_hn), names=NAMES, dtype=dtype_rule)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_rnn_backward(check, rng, case, dtype):
    """With gradients arriving at every output and at h_n, do all six gradients match torch.autograd through nn.RNN?"""
    check_backward(check, *problem(rng, *case, dtype))


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_rnn_backward_without_grad_h_n(check, rng, case):
    """With grad_h_n=None (no gradient arriving at h_n, as zeros would), do the six gradients match torch.autograd?"""
    check_backward(check, *problem(rng, *case, np.float64, grad_h_n=False))


@pytest.mark.parametrize("case", ["T6-N3-I4-H2", "T5-batch1"])
def test_gradient_from_h_n_only(check, rng, case):
    """When only h_n receives a gradient (grad_output all zeros), does it reach back to every step, x[0] and h0?"""
    check_backward(check, *problem(rng, *CASES[case], np.float64, grad_output=False))


def test_rnn_backward_keys(check, rng):
    """Does rnn_backward return a dict with exactly the keys "x", "h0", "w_ih", "w_hh", "b_ih", "b_hh"?"""
    x, h0, w, g_out, g_hn = problem(rng, 3, 2, 4, 3, 0.5, np.float64)

    def found(result):
        if not isinstance(result, dict):  # a tuple or an array of the gradients has no keys at all
            return np.zeros(len(KEYS) + 1, dtype=bool)
        return np.array([k in result for k in KEYS] + [set(result) <= set(KEYS)])

    check.close(lambda m: found(m.rnn_backward(g_out, g_hn, x, h0, *w)), np.ones(len(KEYS) + 1, dtype=bool),
                call=f"[key in grads for key in {KEYS}] + [grads has no other key], "
                     f"where grads = {CALL} must be a dict",
                inputs=named(x, h0, w, g_out, g_hn))


# name -> (T, N, I, H, what to break, reason), with a correct problem otherwise.
BAD = {
    "grad_output-like-x": ((4, 3, 5, 2), "grad_output", (4, 3, 5), "grad_output is (4, 3, 5), shaped like x, "
                                                                   "but must be (T, N, H) = (4, 3, 2)"),
    "grad_output-short": ((4, 3, 5, 2), "grad_output", (3, 3, 2), "grad_output has 3 steps but x has T=4"),
    "grad_h_n-layered": ((4, 3, 5, 2), "grad_h_n", (1, 3, 2), "grad_h_n is (1, 3, 2) but must be (N, H) = (3, 2)"),
    "x-2d": ((4, 3, 5, 2), "x", (4, 5), "x is (4, 5) but must be (T, N, I)"),
    "h0-batch-differs": ((4, 3, 5, 2), "h0", (2, 2), "x has N=3 sequences but h0 has 2 rows"),
    "w_ih-as-I-H": ((4, 3, 5, 2), "w_ih", (5, 2), "w_ih is (5, 2), (I, H), but must be (H, I) = (2, 5)"),
    "w_hh-wrong": ((4, 3, 5, 2), "w_hh", (2, 3), "w_hh is (2, 3) but must be (H, H) = (2, 2)"),
}


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_rnn_backward_bad_input(check, rng, case):
    """Does rnn_backward refuse inputs whose shapes do not fit together, with ValueError?"""
    sizes, which, shape, reason = case
    args = named(*problem(rng, *sizes, 0.5, np.float64))
    args[which] = rng.standard_normal(shape)
    check.raises(lambda m: m.rnn_backward(*args.values()), call=CALL, reason=reason, inputs=args)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """With T, N, I, H drawn afresh each run, and grad_h_n given or None, do the gradients match torch.autograd?"""
    for _ in range(2):
        T = int(rng.integers(1, 9))  # sequence length, 1..8
        N, I, H = (int(d) for d in rng.integers(1, 6, size=3))  # batch, input size, hidden size: 1..5 each
        with_h_n = bool(rng.random() < 0.6)
        check_backward(check, *problem(rng, T, N, I, H, 0.6, dtype, grad_h_n=with_h_n))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are all six gradients right in the dtype of the inputs (float32 in, float32 out)?"""
    check_backward(check, *problem(rng, 4, 2, 3, 4, 0.8, dtype), dtype_rule=True)
    check_backward(check, *problem(rng, 3, 3, 2, 2, 0.8, dtype, grad_h_n=False), dtype_rule=True)
