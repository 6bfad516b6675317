"""LoRA through the merged weight, in float64 with einsum (independent implementation).

The forward folds the adapter into one matrix, W + (alpha / r) B A, and applies it once. The
backward uses that same merged matrix for grad_x, and for the adapter writes the gradients as
einsum contractions over all leading axes (no reshape), in float64, cast back at the end.
"""

import numpy as np


def _validate(weight, lora_A, lora_B):
    weight, lora_A, lora_B = (np.asarray(a) for a in (weight, lora_A, lora_B))
    if weight.ndim != 2 or lora_A.ndim != 2 or lora_B.ndim != 2:
        raise ValueError(f"weight, lora_A, lora_B must be matrices, got {weight.shape}, {lora_A.shape}, {lora_B.shape}")
    out_f, in_f = weight.shape
    r = lora_A.shape[0]
    if r == 0 or lora_A.shape[1] != in_f or lora_B.shape != (out_f, r):
        raise ValueError(f"with weight {weight.shape}, lora_A must be (r, {in_f}) and lora_B ({out_f}, r); "
                         f"got {lora_A.shape} and {lora_B.shape}")
    return weight, lora_A, lora_B, r


def _validate_x(x, weight, bias):
    x = np.asarray(x)
    if x.ndim == 0 or x.shape[-1] != weight.shape[1]:
        raise ValueError(f"x {x.shape} does not end in in_features={weight.shape[1]}")
    if bias is not None and np.shape(bias) != (weight.shape[0],):
        raise ValueError(f"bias must be ({weight.shape[0]},), got {np.shape(bias)}")
    return x


def lora_merge(weight, lora_A, lora_B, alpha):
    weight, lora_A, lora_B, r = _validate(weight, lora_A, lora_B)
    delta = np.einsum("or,ri->oi", lora_B.astype(np.float64), lora_A.astype(np.float64))
    merged = weight.astype(np.float64) + (alpha / r) * delta
    return merged.astype(np.result_type(weight, lora_A, lora_B))


def lora_linear(x, weight, bias, lora_A, lora_B, alpha):
    weight, lora_A, lora_B, r = _validate(weight, lora_A, lora_B)
    x = _validate_x(x, weight, bias)
    merged = np.asarray(lora_merge(weight, lora_A, lora_B, alpha), dtype=np.float64)
    y = np.einsum("...i,oi->...o", x.astype(np.float64), merged)
    if bias is not None:
        y = y + np.asarray(bias, dtype=np.float64)
    return y.astype(np.result_type(x, weight, lora_A, lora_B))


def lora_linear_backward(grad_out, x, weight, bias, lora_A, lora_B, alpha):
    weight, lora_A, lora_B, r = _validate(weight, lora_A, lora_B)
    x = _validate_x(x, weight, bias)
    g = np.asarray(grad_out)
    if g.shape != x.shape[:-1] + (weight.shape[0],):
        raise ValueError(f"grad_out {g.shape} does not match the output {x.shape[:-1] + (weight.shape[0],)}")
    dtype = np.result_type(g, x, weight, lora_A, lora_B)
    s = alpha / r
    g64, x64 = g.astype(np.float64), x.astype(np.float64)
    A64, B64 = lora_A.astype(np.float64), lora_B.astype(np.float64)
    merged = weight.astype(np.float64) + s * (B64 @ A64)
    grad_x = np.einsum("...o,oi->...i", g64, merged)
    lead = list(range(g.ndim - 1))
    gx_outer = np.tensordot(g64, x64, axes=(lead, lead))  # (out, in): sum over rows of g x^T
    grad_A = s * np.einsum("or,oi->ri", B64, gx_outer)  # s B^T (G^T X)
    grad_B = s * np.einsum("oi,ri->or", gx_outer, A64)  # s (G^T X) A^T
    return grad_x.astype(dtype), grad_A.astype(dtype), grad_B.astype(dtype)
