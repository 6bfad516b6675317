"""LoRA: a frozen linear layer plus a trainable low-rank update (alpha / r) B A, its gradients, and the merge."""

import numpy as np


def lora_linear(x, weight, bias, lora_A, lora_B, alpha):
    """A linear layer with a low-rank adapter: y = x W^T + b + (alpha / r) x A^T B^T.

    The frozen weight W (out, in) is left as it is; the update to it is the product of two
    thin matrices, B (out, r) times A (r, in), with a rank r far below in and out, so only
    r * (in + out) numbers are trained. The adapter's path goes through the small space:
    first x A^T, (*, r), then times B^T, (*, out), scaled by alpha / r with r = lora_A.shape[0].
    (Dividing by r keeps the size of the update roughly the same when r is changed.)

    Args:
        x: the input, float32 or float64, (*, in) with any number of leading axes.
        weight: the frozen weight W, (out, in).
        bias: the frozen bias, (out,), or None for no bias.
        lora_A: the adapter's down-projection A, (r, in), r >= 1.
        lora_B: the adapter's up-projection B, (out, r).
        alpha: the LoRA scaling numerator, a number; the update is scaled by alpha / r.

    Returns:
        y, (*, out), with the dtype of the inputs (float32 in, float32 out).

    Raises:
        ValueError: if `x` is 0-d, any matrix is not 2-D, or the shapes do not fit together:
            x (*, in), weight (out, in), bias (out,), lora_A (r, in) with r >= 1, lora_B (out, r).

    Shapes:
        x: (*, in), weight: (out, in), bias: (out,), lora_A: (r, in), lora_B: (out, r) -> (*, out)

    PyTorch: x @ weight.T + bias + (alpha / r) * (x @ lora_A.T) @ lora_B.T
        (the computation of a peft LoRA Linear layer with dropout 0)
    """
    # TODO: the frozen path x W^T + b, plus the adapter path (alpha / r) (x A^T) B^T through the rank-r space
    raise NotImplementedError("layers.lora: lora_linear")


def lora_linear_backward(grad_out, x, weight, bias, lora_A, lora_B, alpha):
    """The gradients of a loss with respect to x, lora_A and lora_B, given its gradient at lora_linear(...).

    Only the adapter is trained, so the frozen weight and bias get no gradient. With the
    leading axes flattened into n rows, G (n, out), X (n, in), s = alpha / r and the low-rank
    activations H = X A^T (n, r):
        dL/dx = G W + s (G B) A   (both paths carry the gradient back to x)
        dL/dB = s G^T H           (out, r)
        dL/dA = s (G B)^T X       (r, in)

    Args:
        grad_out: dL/dy, (*, out), shaped like lora_linear(...).
        x, weight, bias, lora_A, lora_B, alpha: as in lora_linear (bias only for its shape check).

    Returns:
        (grad_x, grad_A, grad_B): shaped like `x`, `lora_A` and `lora_B`, in the dtype of the inputs.

    Raises:
        ValueError: if the inputs would be refused by lora_linear, or grad_out's shape is not
            x.shape[:-1] + (out,).

    Shapes:
        grad_out: (*, out), x: (*, in), lora_A: (r, in), lora_B: (out, r) -> (*, in), (r, in), (out, r)

    PyTorch: torch.autograd.grad(y, (x, lora_A, lora_B), grad_out) with y computed as in lora_linear
    """
    # TODO: flatten leading axes; dH = s G B; grad_x = G W + dH A, grad_A = dH^T X, grad_B = s G^T (X A^T)
    raise NotImplementedError("layers.lora: lora_linear_backward")


def lora_merge(weight, lora_A, lora_B, alpha):
    """The single weight matrix W + (alpha / r) B A that computes the same layer as the adapter.

    After training, the adapter can be folded into the frozen weight so inference costs
    nothing extra: linear(x, lora_merge(W, A, B, alpha), b) equals lora_linear(x, W, b, A, B, alpha).
    The result has W's shape (out, in); `weight` itself is not modified.

    Args:
        weight: the frozen weight W, (out, in).
        lora_A: (r, in), r >= 1.
        lora_B: (out, r).
        alpha: the LoRA scaling numerator, a number.

    Returns:
        The merged weight, (out, in), with the dtype of the inputs.

    Raises:
        ValueError: if any matrix is not 2-D or the shapes do not fit together.

    Shapes:
        weight: (out, in), lora_A: (r, in), lora_B: (out, r) -> (out, in)

    PyTorch: weight + (alpha / r) * lora_B @ lora_A
    """
    # TODO: W + (alpha / r) * B @ A, with r = lora_A.shape[0]
    raise NotImplementedError("layers.lora: lora_merge")


def _check(x, weight, bias, lora_A, lora_B):
    _check_matrices(weight, lora_A, lora_B)
    if np.ndim(x) == 0:
        raise ValueError("x must have at least 1 dimension (*, in), got a 0-d array")
    if np.shape(x)[-1] != np.shape(weight)[1]:
        raise ValueError(f"x has {np.shape(x)[-1]} features on its last axis but weight of shape "
                         f"{np.shape(weight)} expects in = {np.shape(weight)[1]} (weight is (out, in))")
    if bias is not None and np.shape(bias) != (np.shape(weight)[0],):
        raise ValueError(f"bias must have shape ({np.shape(weight)[0]},), one per output feature, "
                         f"got {np.shape(bias)}")


def _check_matrices(weight, lora_A, lora_B):
    for name, value, layout in (("weight", weight, "(out, in)"), ("lora_A", lora_A, "(r, in)"),
                                ("lora_B", lora_B, "(out, r)")):
        if np.ndim(value) != 2:
            raise ValueError(f"{name} must be 2-D {layout}, got shape {np.shape(value)}")
    (out_features, in_features), (r, a_in), (b_out, b_r) = np.shape(weight), np.shape(lora_A), np.shape(lora_B)
    if r < 1:
        raise ValueError(f"lora_A must have at least one row (r >= 1), got shape {np.shape(lora_A)}")
    if a_in != in_features:
        raise ValueError(f"lora_A of shape {np.shape(lora_A)} must be (r, in) with in = {in_features}, "
                         f"weight's in")
    if (b_out, b_r) != (out_features, r):
        raise ValueError(f"lora_B must have shape (out, r) = ({out_features}, {r}), from weight {np.shape(weight)} "
                         f"and lora_A {np.shape(lora_A)}, got {np.shape(lora_B)}")
