"""layers.embedding: embedding and embedding_backward against torch.nn.functional.embedding and autograd."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# (shape of input, num_embeddings, embedding_dim, index dtype). A 0-d index, a vector, a batch of
# one, (N, L) and 3-D indices, int32 indices, num_embeddings != embedding_dim, a table of
# width 1 and a table of one row. Every multi-index case has more indices than rows, so some index repeats.
CASES = {
    "0d": ((), 7, 3, np.int64),
    "vector": ((5,), 4, 3, np.int64),
    "batch1": ((1, 9), 6, 5, np.int64),
    "2d-3x4": ((3, 4), 7, 3, np.int64),
    "3d-2x2x3": ((2, 2, 3), 5, 4, np.int64),
    "int32": ((4, 6), 5, 2, np.int32),
    "dim1": ((6,), 3, 1, np.int64),
    "one-row": ((4,), 1, 3, np.int64),
}
# padding_idx values for a table of 6 rows: the first row, a middle one, the last counted from the
# end (-1 is row 5) and the first counted from the end (-6 is row 0).
PADDING = {"0": 0, "3": 3, "-1": -1, "-6": -6}
NUM_PADDED = 6


def table(rng, num, dim, dtype):
    return np.asarray(rng.standard_normal((num, dim)), dtype=dtype)


def indices(rng, shape, num, dtype=np.int64, must=None):
    """Random indices in [0, num); `must` is written at a few positions (first, last, middle) when given."""
    idx = np.asarray(rng.integers(0, num, size=shape), dtype=dtype)
    if must is not None and idx.size:
        flat = idx.reshape(-1)
        flat[[0, -1, flat.size // 2]] = must
    return idx


def shown(idx, rows, dim) -> str:
    return f" with input.shape == {idx.shape}, {rows} rows of width {dim}"


def options(padding_idx):
    return {} if padding_idx is None else {"padding_idx": padding_idx}


def named(padding_idx) -> str:
    return "" if padding_idx is None else f", padding_idx={padding_idx}"


def torch_embedding(idx, w, padding_idx=None):
    F = oracle.torch().nn.functional
    return oracle.numpy(F.embedding(oracle.tensor(idx), oracle.tensor(w), **options(padding_idx)), w.dtype)


def torch_backward(rng, idx, w, padding_idx=None):
    """An upstream gradient g shaped like embedding(idx, w) and autograd's gradient of w for it."""
    F = oracle.torch().nn.functional
    wt = oracle.tensor(w, grad=True)
    out = F.embedding(oracle.tensor(idx), wt, **options(padding_idx))
    g = np.asarray(rng.standard_normal(tuple(out.shape)), dtype=w.dtype)
    (gw,) = oracle.grads(out, [wt], oracle.tensor(g))
    return g, oracle.numpy(gw, w.dtype)


def check_forward(check, idx, w, padding_idx=None, dtype_rule=False):
    check.close(lambda m: m.embedding(idx, w, **options(padding_idx)), torch_embedding(idx, w, padding_idx),
                call=f"embedding(input, weight{named(padding_idx)})" + shown(idx, *w.shape),
                inputs={"input": idx, "weight": w}, dtype=dtype_rule)


def check_backward(check, rng, idx, w, padding_idx=None, dtype_rule=False):
    g, expected = torch_backward(rng, idx, w, padding_idx)
    num = w.shape[0]
    check.close(lambda m: m.embedding_backward(g, idx, num, **options(padding_idx)), expected,
                call=f"embedding_backward(grad_out, input, num_embeddings={num}{named(padding_idx)})"
                     + shown(idx, *w.shape) + f", grad_out.shape == {g.shape}",
                inputs={"grad_out": g, "input": idx}, names="grad_weight", dtype=dtype_rule)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_embedding(check, rng, case, dtype):
    """Does embedding(input, weight) look up one row per index, input.shape + (embedding_dim,), as F.embedding?"""
    shape, num, dim, index_dtype = case
    idx, w = indices(rng, shape, num, index_dtype), table(rng, num, dim, dtype)
    check_forward(check, idx, w)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("padding_idx", PADDING.values(), ids=PADDING.keys())
def test_embedding_padding_idx(check, rng, padding_idx, dtype):
    """With padding_idx, does embedding still return the padding row as it is stored (torch does not zero it)?"""
    w = table(rng, NUM_PADDED, 4, dtype)  # the padding row is random, not 0: the lookup must not change it
    idx = indices(rng, (3, 5), NUM_PADDED, must=padding_idx % NUM_PADDED)
    check_forward(check, idx, w, padding_idx)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_embedding_backward(check, rng, case, dtype):
    """Does embedding_backward give autograd's gradient for weight, adding up the rows of repeated indices?"""
    shape, num, dim, index_dtype = case
    idx, w = indices(rng, shape, num, index_dtype), table(rng, num, dim, dtype)
    check_backward(check, rng, idx, w)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_embedding_backward_repeats(check, rng, dtype):
    """When one index appears many times, does its row of grad_weight get the sum of all its grad_out rows?"""
    idx = np.array([[2, 2, 0, 2], [1, 2, 2, 0]])  # row 2 picked five times, row 0 twice, row 1 once
    check_backward(check, rng, idx, table(rng, 4, 3, dtype))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_embedding_backward_unused_rows(check, rng, dtype):
    """Does grad_weight have num_embeddings rows, with 0 in the rows no index picked (here the last three)?"""
    idx = indices(rng, (3, 4), 4)  # rows 0..3 of 7: rows 4, 5 and 6 are never picked
    check_backward(check, rng, idx, table(rng, 7, 3, dtype))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("padding_idx", PADDING.values(), ids=PADDING.keys())
def test_embedding_backward_padding_idx(check, rng, padding_idx, dtype):
    """With padding_idx (negative counting from the end), does the padding row of grad_weight stay exactly 0?"""
    idx = indices(rng, (3, 5), NUM_PADDED, must=padding_idx % NUM_PADDED)  # the padding index appears 3 times
    check_backward(check, rng, idx, table(rng, NUM_PADDED, 4, dtype), padding_idx)


def test_keywords(check, rng):
    """Do embedding and embedding_backward accept every argument by name?"""
    idx, w = indices(rng, (2, 5), 4, must=1), table(rng, 4, 3, np.float64)
    check.close(lambda m: m.embedding(input=idx, weight=w, padding_idx=1), torch_embedding(idx, w, 1),
                call="embedding(input=input, weight=weight, padding_idx=1)" + shown(idx, 4, 3),
                inputs={"input": idx, "weight": w})
    g, expected = torch_backward(rng, idx, w, 1)
    check.close(lambda m: m.embedding_backward(grad_out=g, input=idx, num_embeddings=4, padding_idx=1), expected,
                call="embedding_backward(grad_out=grad_out, input=input, num_embeddings=4, padding_idx=1)"
                     + shown(idx, 4, 3), inputs={"grad_out": g, "input": idx}, names="grad_weight")


# (input, options, reason) for a table of 5 rows of width 3.
BAD = {
    "index-5": (np.array([0, 5, 2]), {}, "index 5 is outside [0, 5)"),
    "index-minus-1": (np.array([[0, 1], [-1, 2]]), {}, "index -1 is outside [0, 5): it is not a count from the end"),
    "float-input": (np.array([0.0, 1.0]), {}, "input holds floats, not integer indices"),
    "bool-input": (np.array([True, False]), {}, "input holds booleans, not integer indices"),
    "padding-5": (np.array([0, 1]), {"padding_idx": 5}, "padding_idx 5 is outside [-5, 5)"),
    "padding-minus-6": (np.array([0, 1]), {"padding_idx": -6}, "padding_idx -6 is outside [-5, 5)"),
}


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("fn", ["embedding", "embedding_backward"])
def test_embedding_bad_input(check, rng, fn, bad):
    """Are indices outside [0, num_embeddings), non-integer input and a padding_idx out of range refused?"""
    idx, opts, reason = bad
    w = table(rng, 5, 3, np.float64)
    if fn == "embedding":
        check.raises(lambda m: m.embedding(idx, w, **opts), call=f"embedding(input, weight{named(opts.get('padding_idx'))})"
                     + shown(idx, 5, 3), reason=reason, inputs={"input": idx, "weight": w})
    else:
        g = np.asarray(rng.standard_normal(idx.shape + (3,)))
        check.raises(lambda m: m.embedding_backward(g, idx, 5, **opts),
                     call=f"embedding_backward(grad_out, input, num_embeddings=5{named(opts.get('padding_idx'))})"
                          + shown(idx, 5, 3), reason=reason, inputs={"grad_out": g, "input": idx})


def test_embedding_bad_weight(check, rng):
    """Is a weight that is not a 2-D (num_embeddings, embedding_dim) table refused with ValueError?"""
    idx = np.array([0, 2, 1])
    for w in (np.asarray(rng.standard_normal(5)), np.asarray(rng.standard_normal((5, 3, 2)))):
        check.raises(lambda m: m.embedding(idx, w), call=f"embedding(input, weight) with weight.shape == {w.shape}",
                     reason=f"weight is {w.ndim}-D, not (num_embeddings, embedding_dim)",
                     inputs={"input": idx, "weight": w})


@pytest.mark.parametrize("g_shape, reason", [((2, 4), "grad_out (2, 4) lacks the embedding axis: expected (2, 4, D)"),
                                             ((4, 2, 3), "grad_out (4, 2, 3) is not input.shape (2, 4) + (D,)"),
                                             ((8, 3), "grad_out (8, 3) is flattened: expected (2, 4, D)")],
                         ids=["no-dim-axis", "transposed", "flattened"])
def test_embedding_backward_bad_grad_out(check, rng, g_shape, reason):
    """Is a grad_out not shaped input.shape + (embedding_dim,) refused with ValueError?"""
    idx, g = indices(rng, (2, 4), 5), np.asarray(rng.standard_normal(g_shape))
    check.raises(lambda m: m.embedding_backward(g, idx, 5),
                 call=f"embedding_backward(grad_out, input, num_embeddings=5) with input.shape == {idx.shape}, "
                      f"grad_out.shape == {g.shape}", reason=reason, inputs={"grad_out": g, "input": idx})


# (num_embeddings, input shape, reason): each with indices that would be valid, so only num_embeddings is wrong.
BAD_NUM = {
    "zero": (0, (0,), "num_embeddings 0 is not positive (there are no indices to say so)"),
    "negative": (-3, (0,), "num_embeddings -3 is not positive (there are no indices to say so)"),
}


@pytest.mark.parametrize("num, shape, reason", BAD_NUM.values(), ids=BAD_NUM.keys())
def test_embedding_backward_bad_num_embeddings(check, rng, num, shape, reason):
    """Is a num_embeddings that is not a positive int refused with ValueError?"""
    idx = indices(rng, shape, 5)
    g = np.asarray(rng.standard_normal(shape + (3,)))
    check.raises(lambda m: m.embedding_backward(g, idx, num),
                 call=f"embedding_backward(grad_out, input, num_embeddings={num!r}) with input.shape == {idx.shape}, "
                      f"grad_out.shape == {g.shape}", reason=reason, inputs={"grad_out": g, "input": idx})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do embedding and embedding_backward match PyTorch on shapes and padding drawn afresh each run?"""
    for _ in range(4):
        shape = tuple(int(n) for n in rng.integers(1, 6, size=int(rng.integers(0, 4))))  # 0 to 3 axes, each 1..5
        num, dim = int(rng.integers(1, 9)), int(rng.integers(1, 6))  # 1..8 rows of width 1..5
        padding_idx = int(rng.integers(-num, num)) if rng.random() < 0.5 else None  # in [-num, num)
        idx, w = indices(rng, shape, num), table(rng, num, dim, dtype)  # shape, (num, dim)
        check_forward(check, idx, w, padding_idx)
        check_backward(check, rng, idx, w, padding_idx)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are embedding and embedding_backward right in the dtype of weight and grad_out (float32 in, float32 out)?"""
    idx, w = indices(rng, (3, 4), 5, must=2), table(rng, 5, 3, dtype)
    for padding_idx in (None, 2):
        check_forward(check, idx, w, padding_idx, dtype_rule=True)
        check_backward(check, rng, idx, w, padding_idx, dtype_rule=True)
