"""Matrix multiplication by hand, with torch's rules for vectors and batches, and its gradient."""

import numpy as np


def matmul(a, b):
    """The matrix product of `a` and `b` with torch.matmul's rules, written with `*` and `.sum`.

    - Both 1-D: the dot product, a 0-d array.
    - `a` 1-D: it is treated as a row (1, K); that added dimension is removed afterwards.
    - `b` 1-D: it is treated as a column (K, 1); that added dimension is removed afterwards.
    - Otherwise the last two dimensions are the matrices and every dimension before them
      is a batch dimension; the batch dimensions of `a` and `b` are broadcast together.

    Args:
        a: an array of at least 1 dimension, (..., M, K) or (K,).
        b: an array of at least 1 dimension, (..., K, N) or (K,).

    Returns:
        An array with the dtype of the inputs: (*batch, M, N), without M where `a` was 1-D
        and without N where `b` was 1-D.

    Raises:
        ValueError: if an input is 0-d, the inner sizes K differ, or the batch dimensions
            cannot be broadcast together.

    Shapes:
        (3,), (3,) -> ();  (3,), (3, 4) -> (4,);  (2, 3), (3,) -> (2,)
        (2, 1, 3, 4), (5, 4, 6) -> (2, 5, 3, 6)

    PyTorch: torch.matmul(a, b)
    """
    # TODO: _check_shapes; 1-D a is a row, 1-D b a column; multiply over a new axis, sum it; drop added dims
    raise NotImplementedError("tensors.matmul: matmul")


def matmul_backward(grad_out, a, b):
    """The gradients of a loss with respect to `a` and `b`, given its gradient at matmul(a, b).

    For C = A B on matrices, dL/dA = G B^T and dL/dB = A^T G (transposing the last two
    dimensions only). A batch dimension that an input had as 1, or did not have, was
    broadcast in the forward pass, so its gradient is summed over that dimension; a 1-D
    input gets a 1-D gradient.

    Args:
        grad_out: dL/dC, shaped like matmul(a, b).
        a: the first input of the forward pass.
        b: the second input of the forward pass.

    Returns:
        (grad_a, grad_b), shaped like `a` and `b`, with the dtype of `grad_out`.

    Raises:
        ValueError: if `a` and `b` cannot be multiplied (as in `matmul`) or grad_out's shape
            is not the shape of matmul(a, b).

    Shapes:
        grad_out: (2, 5, 3, 6), a: (2, 1, 3, 4), b: (5, 4, 6) -> (2, 1, 3, 4), (5, 4, 6)

    PyTorch: torch.autograd.grad(torch.matmul(a, b), (a, b), grad_out)
    """
    # TODO: grad_out shaped as _check_shapes says; add the dims back; G B^T and A^T G; _sum_to each input
    raise NotImplementedError("tensors.matmul: matmul_backward")


def _sum_to(grad, shape):
    """Sum `grad` down to `shape`, which was broadcast to grad.shape (unbroadcast from tensors.broadcasting)."""
    # TODO: sum the extra leading dims away, then sum with keepdims where `shape` has a 1
    raise NotImplementedError("tensors.matmul: _sum_to")


def _check_shapes(a, b):
    """The shape of matmul(a, b), or ValueError: an input is 0-d, the sizes along K differ, the batches do not fit."""
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"matmul needs arrays of at least 1 dimension, got a with {a.ndim} and b with {b.ndim}")
    m, k = (a.shape[-2] if a.ndim > 1 else None), a.shape[-1]
    kb, n = (b.shape[-2] if b.ndim > 1 else b.shape[0]), (b.shape[-1] if b.ndim > 1 else None)
    if k != kb:
        raise ValueError(f"a of shape {a.shape} and b of shape {b.shape} cannot be multiplied: "
                         f"a's last size {k} differs from b's size {kb} along K")
    try:
        batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        raise ValueError(f"the batch dimensions of a {a.shape[:-2]} and b {b.shape[:-2]} "
                         f"cannot be broadcast together") from None
    return tuple(int(s) for s in batch) + tuple(s for s in (m, n) if s is not None)
