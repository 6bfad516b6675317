"""attention.positional_encoding: sinusoidal_positional_encoding against the classic torch table."""

import math

import numpy as np
import pytest

from grader.testing import oracle

# There is no input array, so the result's dtype is the learner's choice: float64 is held to the float64
# tolerance; float32 is accepted too. A correct float32 table still carries the rounding of its angles:
# p * w_i for p up to 63 is only known to a few float32 ulps at 63 (one ulp there is 3.8e-6), so sin and cos
# can be ~1e-5 off whatever the order of operations. atol=5e-5 covers that and nothing more: every wrong
# table caught below is off by more than 0.01 somewhere.
FLOAT32_ATOL = 5e-5
ACCEPTED = (np.dtype(np.float64), np.dtype(np.float32))

# (seq_len, d_model): a single position, the smallest d_model, both non-square orders, a longer table.
SIZES = [(1, 8), (6, 2), (3, 10), (12, 4), (50, 16), (64, 64)]


def size_id(size):
    return f"seq{size[0]}-d{size[1]}"


def torch_angles(seq_len, d_model):
    """position * div_term, as in the classic tutorial, in float64: shape (seq_len, d_model // 2)."""
    torch = oracle.torch()
    position = torch.arange(0, seq_len, dtype=torch.float64).unsqueeze(1)
    div_term = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float64) * (-math.log(10000.0) / d_model))
    return position * div_term


def torch_table(seq_len, d_model):
    torch = oracle.torch()
    angle = torch_angles(seq_len, d_model)
    pe = torch.zeros(seq_len, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle)
    return pe


def returned_dtype(check, scenario, call):
    """The dtype the learner chose (float64 or float32); anything else is compared as float64 and fails."""
    out = check.run(scenario, call=call)
    dtype = getattr(out, "dtype", None)
    return dtype if isinstance(out, np.ndarray) and dtype in ACCEPTED else np.dtype(np.float64)


def atol_for(dtype):
    return FLOAT32_ATOL if dtype == np.float32 else None


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_positional_encoding(check, size):
    """Does the table match torch's sin/cos table, row by row and column by column?"""
    seq_len, d_model = size
    call = f"sinusoidal_positional_encoding(seq_len={seq_len}, d_model={d_model})"
    scenario = lambda m: m.sinusoidal_positional_encoding(seq_len, d_model)  # noqa: E731
    dtype = returned_dtype(check, scenario, call)
    check.close(scenario, oracle.numpy(torch_table(seq_len, d_model), dtype), call=call, atol=atol_for(dtype))


@pytest.mark.parametrize("d_model", [2, 6, 16], ids=["d2", "d6", "d16"])
def test_position_zero(check, d_model):
    """Is position 0 the row [0, 1, 0, 1, ...] (sin 0 in even columns, cos 0 in odd columns)?"""
    call = f"sinusoidal_positional_encoding(seq_len=4, d_model={d_model})[0]"
    scenario = lambda m: m.sinusoidal_positional_encoding(4, d_model)[0]  # noqa: E731
    dtype = returned_dtype(check, lambda m: m.sinusoidal_positional_encoding(4, d_model), call)
    check.close(scenario, oracle.numpy(torch_table(4, d_model)[0], dtype), call=call, atol=atol_for(dtype))


@pytest.mark.parametrize("size", [(9, 4), (20, 12)], ids=size_id)
def test_sines_even_cosines_odd(check, size):
    """Do the even columns hold the sines and the odd columns the cosines of the same angles p * w_i?"""
    seq_len, d_model = size
    call = f"pe = sinusoidal_positional_encoding(seq_len={seq_len}, d_model={d_model}); (pe[:, 0::2], pe[:, 1::2])"
    dtype = returned_dtype(check, lambda m: m.sinusoidal_positional_encoding(seq_len, d_model), call)
    angle = torch_angles(seq_len, d_model)
    torch = oracle.torch()
    expected = (oracle.numpy(torch.sin(angle), dtype), oracle.numpy(torch.cos(angle), dtype))

    def scenario(m):
        pe = m.sinusoidal_positional_encoding(seq_len, d_model)
        if not (isinstance(pe, np.ndarray) and pe.ndim == 2):
            return pe  # not a table: reported as it is, without slicing
        return pe[:, 0::2], pe[:, 1::2]

    check.close(scenario, expected, call=call, names=("even columns pe[:, 0::2] (sines)",
                "odd columns pe[:, 1::2] (cosines)"), atol=atol_for(dtype))


def test_random_shapes(check, rng):
    """For three (seq_len, d_model) sizes drawn afresh each run, does the table match torch's sin/cos table?"""
    for _ in range(3):
        seq_len = int(rng.integers(1, 13))  # 1..12 positions
        d_model = 2 * int(rng.integers(1, 7))  # 2..12: even, the columns pair up as (sin, cos)
        call = f"sinusoidal_positional_encoding(seq_len={seq_len}, d_model={d_model})"
        scenario = lambda m, n=seq_len, d=d_model: m.sinusoidal_positional_encoding(n, d)  # noqa: E731
        dtype = returned_dtype(check, scenario, call)
        check.close(scenario, oracle.numpy(torch_table(seq_len, d_model), dtype), call=call, atol=atol_for(dtype))


@pytest.mark.parametrize("size", [(4, 5), (4, 1), (4, 0), (-1, 4)], ids=["odd-d5", "odd-d1", "d0", "seq-negative"])
def test_bad_sizes(check, size):
    """Is an odd or non-positive d_model, or a negative seq_len, refused with ValueError?"""
    seq_len, d_model = size
    reason = (f"seq_len={seq_len} is negative" if seq_len < 0 else
              f"d_model={d_model} is not positive" if d_model < 1 else
              f"d_model={d_model} is odd: the columns must pair up as (sin, cos)")
    check.raises(lambda m: m.sinusoidal_positional_encoding(seq_len, d_model),
                 call=f"sinusoidal_positional_encoding(seq_len={seq_len}, d_model={d_model})", reason=reason)


def test_dtype(check):
    """Is the table right and a float array, float64 or float32 (there is no input whose dtype it could follow)?"""
    call = "sinusoidal_positional_encoding(seq_len=4, d_model=6)"
    scenario = lambda m: m.sinusoidal_positional_encoding(4, 6)  # noqa: E731
    dtype = returned_dtype(check, scenario, call)
    check.close(scenario, oracle.numpy(torch_table(4, 6), dtype), call=call, atol=atol_for(dtype), dtype=True)
