"""An embedding table: look up one row of the weight per integer index, and send the gradients back to those rows."""

import numbers

import numpy as np


def embedding(input, weight, padding_idx=None):
    """Look up row input[...] of `weight` for every index, as torch.nn.functional.embedding.

    The result has one row of `weight` per element of `input`: out[i, j] = weight[input[i, j]].
    It is the same as multiplying a one-hot encoding of the indices by `weight`, without
    building the one-hot matrix. `padding_idx` does NOT change the forward pass: an index
    equal to it still looks its row up (torch only keeps that row out of the gradient, see
    embedding_backward). Indices must lie in [0, num_embeddings); a negative index is an
    error, not a count from the end as in Python.

    Args:
        input: integer indices, any shape (0-d included), int32 or int64.
        weight: the table, float32 or float64, (num_embeddings, embedding_dim).
        padding_idx: None, or the index of the padding row, in [-num_embeddings,
            num_embeddings); a negative value counts from the end (-1 is the last row).

    Returns:
        input.shape + (embedding_dim,), with the dtype of `weight`.

    Raises:
        ValueError: if `input` is not an integer array, `weight` is not 2-D, an index lies
            outside [0, num_embeddings), or `padding_idx` is outside [-num_embeddings, num_embeddings).

    Shapes:
        input: (*), weight: (num_embeddings, embedding_dim) -> (*, embedding_dim)
        input: (N, L) -> (N, L, embedding_dim);  input: () -> (embedding_dim,)

    PyTorch: torch.nn.functional.embedding(input, weight, padding_idx=padding_idx)
    """
    # BEGIN SOLUTION: check the indices, then weight[input] (fancy indexing picks one row per index)
    if np.ndim(weight) != 2:
        raise ValueError(f"weight must be 2-D (num_embeddings, embedding_dim), got shape {np.shape(weight)}")
    _check_indices(input, weight.shape[0])
    _padding_row(padding_idx, weight.shape[0])  # checked; the forward pass looks the padding row up as any other
    return weight[input]  # (*) indices -> (*, embedding_dim)
    # END SOLUTION


def embedding_backward(grad_out, input, num_embeddings, padding_idx=None):
    """The gradient of a loss with respect to the table, given its gradient at embedding(input, weight, padding_idx).

    Row k of the gradient is the sum of grad_out over every position where input == k: an
    index that appears several times receives the gradient of each appearance, added up,
    and a row that no index picked gets 0. The padding row (if padding_idx is not None)
    gets 0 whatever the indices say, which is how torch keeps it frozen.

    Args:
        grad_out: dL/d(output), input.shape + (embedding_dim,), float32 or float64.
        input: the integer indices of the forward pass, any shape.
        num_embeddings: the number of rows of the table, a positive int.
        padding_idx: as in embedding.

    Returns:
        grad_weight, (num_embeddings, embedding_dim), with the dtype of `grad_out`.

    Raises:
        ValueError: if `input` is not an integer array, an index lies outside [0, num_embeddings),
            num_embeddings is not a positive int, `padding_idx` is out of range, or grad_out's
            shape is not input.shape + (embedding_dim,).

    Shapes:
        grad_out: (*, embedding_dim), input: (*) -> (num_embeddings, embedding_dim)

    PyTorch: torch.autograd.grad(F.embedding(input, weight, padding_idx=padding_idx), weight, grad_out)
    """
    # BEGIN SOLUTION: np.add.at(grad, flat indices, flat grad_out rows) so repeats add up; zero the padding row
    if not isinstance(num_embeddings, numbers.Integral) or num_embeddings < 1:
        raise ValueError(f"num_embeddings must be a positive int, got {num_embeddings!r}")
    _check_indices(input, num_embeddings)
    pad = _padding_row(padding_idx, num_embeddings)
    if np.ndim(grad_out) != np.ndim(input) + 1 or np.shape(grad_out)[:-1] != np.shape(input):
        raise ValueError(f"grad_out must have shape input.shape + (embedding_dim,) = {np.shape(input)} + (D,), "
                         f"got {np.shape(grad_out)}")
    dim = grad_out.shape[-1]
    grad = np.zeros((num_embeddings, dim), dtype=grad_out.dtype)  # (num_embeddings, D)
    # grad[idx] += rows would keep only one of the rows of a repeated index; np.add.at adds every one.
    np.add.at(grad, np.reshape(input, -1), grad_out.reshape(-1, dim))  # n indices, (n, D) rows
    if pad is not None:
        grad[pad] = 0  # the padding row receives no gradient
    return grad
    # END SOLUTION


def _check_indices(input, num_embeddings):
    kind = np.asarray(input).dtype.kind
    if kind not in "iu":
        raise ValueError(f"input must hold integer indices, got dtype {np.asarray(input).dtype}")
    if np.size(input) and (np.min(input) < 0 or np.max(input) >= num_embeddings):
        raise ValueError(f"input holds indices from {np.min(input)} to {np.max(input)}, "
                         f"outside [0, {num_embeddings}) (num_embeddings = {num_embeddings})")


def _padding_row(padding_idx, num_embeddings):
    """The padding row as an index in [0, num_embeddings), or None; negative padding_idx counts from the end."""
    if padding_idx is None:
        return None
    if not isinstance(padding_idx, numbers.Integral) or not -num_embeddings <= padding_idx < num_embeddings:
        raise ValueError(f"padding_idx must be an int in [-{num_embeddings}, {num_embeddings}) "
                         f"(num_embeddings = {num_embeddings}), got {padding_idx!r}")
    return int(padding_idx) % num_embeddings
